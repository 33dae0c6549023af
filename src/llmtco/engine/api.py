"""Cost of hosted-API traffic billed per token.

Prices are in USD per million tokens [USD/Mtok]; token counts in tokens; costs in USD.
"""

from __future__ import annotations

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

__all__ = ["api_cost_usd", "blended_usd_per_mtok"]


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
