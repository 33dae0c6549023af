"""Cost of hosted-API traffic billed per token.

Prices are in USD per million tokens [USD/Mtok]; token counts in tokens; costs in USD.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatOrArray,
    as_float_array,
    check_in_range,
    check_non_negative,
    scalar_or_array,
)
from llmtco.units import TOKENS_PER_MTOK

__all__ = ["PriceArrays", "api_cost_usd", "blended_usd_per_mtok", "request_cost_usd"]


def api_cost_usd(
    input_tokens: npt.ArrayLike,
    output_tokens: npt.ArrayLike,
    cached_input_tokens: npt.ArrayLike,
    input_usd_per_mtok: npt.ArrayLike,
    output_usd_per_mtok: npt.ArrayLike,
    cached_input_usd_per_mtok: npt.ArrayLike,
) -> FloatOrArray:
    """Cost of token traffic at per-million-token prices [USD].

    ``cost = (input x p_in + output x p_out + cached_input x p_cached) / 1e6``.

    Parameters
    ----------
    input_tokens : array_like
        Input (prompt) tokens billed at the full input rate, cache reads excluded [tokens].
    output_tokens : array_like
        Output (completion) tokens [tokens].
    cached_input_tokens : array_like
        Input tokens read from the provider's prompt cache [tokens].
    input_usd_per_mtok, output_usd_per_mtok, cached_input_usd_per_mtok : array_like
        Prices [USD/Mtok].

    Returns
    -------
    float or numpy.ndarray
        Cost [USD], broadcast over all arguments; a float when every argument is a scalar.

    Examples
    --------
    One million input and one million output tokens at 0.15 / 0.60 USD/Mtok (article 002):

    >>> api_cost_usd(1e6, 1e6, 0, 0.15, 0.60, 0.075)
    0.75
    """
    tokens = {
        "input_tokens": as_float_array("input_tokens", input_tokens),
        "output_tokens": as_float_array("output_tokens", output_tokens),
        "cached_input_tokens": as_float_array("cached_input_tokens", cached_input_tokens),
    }
    prices = {
        "input_usd_per_mtok": as_float_array("input_usd_per_mtok", input_usd_per_mtok),
        "output_usd_per_mtok": as_float_array("output_usd_per_mtok", output_usd_per_mtok),
        "cached_input_usd_per_mtok": as_float_array(
            "cached_input_usd_per_mtok", cached_input_usd_per_mtok
        ),
    }
    for name, values in (tokens | prices).items():
        check_non_negative(name, values)
    usd = (
        tokens["input_tokens"] * prices["input_usd_per_mtok"]
        + tokens["output_tokens"] * prices["output_usd_per_mtok"]
        + tokens["cached_input_tokens"] * prices["cached_input_usd_per_mtok"]
    ) / TOKENS_PER_MTOK
    return scalar_or_array(np.asarray(usd, dtype=np.float64))


def blended_usd_per_mtok(
    input_share: npt.ArrayLike,
    cached_input_share: npt.ArrayLike,
    input_usd_per_mtok: npt.ArrayLike,
    output_usd_per_mtok: npt.ArrayLike,
    cached_input_usd_per_mtok: npt.ArrayLike,
) -> FloatOrArray:
    """Price of one million tokens of a given input/output/cache mix [USD/Mtok].

    Parameters
    ----------
    input_share : array_like
        Share of all tokens that are input tokens, cached or not [-], in [0, 1].
    cached_input_share : array_like
        Share of the *input* tokens read from the prompt cache [-], in [0, 1].
    input_usd_per_mtok, output_usd_per_mtok, cached_input_usd_per_mtok : array_like
        Prices [USD/Mtok].

    Returns
    -------
    float or numpy.ndarray
        Blended price [USD/Mtok].

    Examples
    --------
    GPT-4o at a 70/30 input/output mix without caching (article 000):

    >>> round(blended_usd_per_mtok(0.7, 0.0, 2.50, 10.00, 1.25), 6)
    4.75
    """
    share_in = as_float_array("input_share", input_share)
    share_cached = as_float_array("cached_input_share", cached_input_share)
    check_in_range("input_share", share_in, 0.0, 1.0)
    check_in_range("cached_input_share", share_cached, 0.0, 1.0)
    return api_cost_usd(
        share_in * (1.0 - share_cached) * TOKENS_PER_MTOK,
        (1.0 - share_in) * TOKENS_PER_MTOK,
        share_in * share_cached * TOKENS_PER_MTOK,
        input_usd_per_mtok,
        output_usd_per_mtok,
        cached_input_usd_per_mtok,
    )


class PriceArrays(NamedTuple):
    """The four token prices of one way of billing [USD/Mtok]."""

    input_usd_per_mtok: float
    output_usd_per_mtok: float
    cached_input_usd_per_mtok: float
    cache_write_usd_per_mtok: float


def request_cost_usd(
    input_tokens: npt.ArrayLike,
    output_tokens: npt.ArrayLike,
    cached_input_tokens: npt.ArrayLike,
    cache_write_tokens: npt.ArrayLike,
    *,
    price_table: Sequence[PriceArrays],
    thresholds_tokens: Sequence[int] = (),
    inclusive: Sequence[bool] = (),
    request_usd: float = 0.0,
    off_peak: npt.ArrayLike = False,
    off_peak_prices: PriceArrays | None = None,
) -> FloatOrArray:
    """Cost of individual requests under cliff tiers, a fee and an off-peak window [USD].

    The prompt of a request is ``input + cached_input + cache_write`` tokens. With thresholds
    ``T_1 < T_2 < ...``, a request whose prompt exceeds ``T_k`` (or reaches it, where
    ``inclusive[k]``) and no larger threshold is billed at ``price_table[k]`` for *every*
    token; below ``T_1`` at ``price_table[0]``. Requests flagged ``off_peak`` are billed at
    ``off_peak_prices`` instead, whatever their size. Each request adds ``request_usd``.

    Parameters
    ----------
    input_tokens, output_tokens, cached_input_tokens, cache_write_tokens : array_like
        Tokens of each request, broadcast together [tokens/request].
    price_table : sequence of PriceArrays
        ``len(thresholds_tokens) + 1`` price sets, smallest prompts first [USD/Mtok].
    thresholds_tokens : sequence of int, optional
        Increasing prompt sizes at which the prices switch [tokens].
    inclusive : sequence of bool, optional
        Per threshold, whether a prompt of exactly the threshold switches (default: no).
    request_usd : float, default 0
        Fee per request [USD/request].
    off_peak : array_like of bool, default False
        Which requests arrive in the off-peak window.
    off_peak_prices : PriceArrays, optional
        Prices in the off-peak window; required when any request is off-peak.

    Returns
    -------
    float or numpy.ndarray
        Cost of each request [USD/request].

    Examples
    --------
    A 272k-token cliff (standard 2.50 / 15.00, above 5.00 / 22.50 USD/Mtok): a 300k-token
    prompt with a 1k-token answer is billed entirely at the higher prices.

    >>> table = [PriceArrays(2.5, 15.0, 0.25, 2.5), PriceArrays(5.0, 22.5, 0.5, 5.0)]
    >>> round(request_cost_usd(300_000, 1_000, 0, 0, price_table=table,
    ...                        thresholds_tokens=[272_000]), 6)
    1.5225
    """
    tokens = [
        as_float_array(name, value)
        for name, value in (
            ("input_tokens", input_tokens),
            ("output_tokens", output_tokens),
            ("cached_input_tokens", cached_input_tokens),
            ("cache_write_tokens", cache_write_tokens),
        )
    ]
    for name, values in zip(
        ("input_tokens", "output_tokens", "cached_input_tokens", "cache_write_tokens"),
        tokens,
        strict=True,
    ):
        check_non_negative(name, values)
    if len(price_table) != len(thresholds_tokens) + 1:
        msg = (
            f"price_table needs one price set more than thresholds_tokens; got "
            f"{len(price_table)} and {len(thresholds_tokens)}"
        )
        raise ValueError(msg)
    prices = np.asarray(price_table, dtype=np.float64)  # (n_sets, 4) [USD/Mtok]
    check_non_negative("price_table", prices)
    check_non_negative("request_usd", np.asarray(request_usd, dtype=np.float64))
    window = np.asarray(off_peak, dtype=bool)
    shape = np.broadcast_shapes(window.shape, *(x.shape for x in tokens))
    flat = [np.broadcast_to(t, shape) for t in tokens]
    prompt = flat[0] + flat[2] + flat[3]
    level = np.zeros(prompt.shape, dtype=np.intp)
    for k, threshold in enumerate(thresholds_tokens):
        above = prompt >= threshold if (inclusive and inclusive[k]) else prompt > threshold
        level = np.where(above, k + 1, level)
    chosen = prices[level]  # (..., 4)
    window = np.broadcast_to(window, shape)
    if np.any(window):
        if off_peak_prices is None:
            msg = "off_peak_prices are required when a request is off-peak"
            raise ValueError(msg)
        chosen = np.where(window[..., np.newaxis], np.asarray(off_peak_prices), chosen)
    usd = (
        flat[0] * chosen[..., 0]
        + flat[1] * chosen[..., 1]
        + flat[2] * chosen[..., 2]
        + flat[3] * chosen[..., 3]
    ) / TOKENS_PER_MTOK + request_usd
    return scalar_or_array(np.asarray(usd, dtype=np.float64))
