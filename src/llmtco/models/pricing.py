"""API price sheets: what a hosted model costs per million tokens."""

from __future__ import annotations

import warnings
from typing import Self

import numpy.typing as npt
from pydantic import Field, model_validator

from llmtco.engine._arrays import FloatOrArray
from llmtco.engine.api import api_cost_usd
from llmtco.errors import PriceMagnitudeWarning
from llmtco.models._base import StrictModel
from llmtco.models._fields import CatalogId, Checked, NonNegative, Source

__all__ = ["ApiPriceSheet"]

# Plausible band of a token price [USD/Mtok]. Outside it a price was most likely typed per token
# or per 1K tokens (too small) or per 1B / as a monthly bill (too large).
_MIN_PLAUSIBLE_USD_PER_MTOK = 1e-3
_MAX_PLAUSIBLE_USD_PER_MTOK = 1_000.0


class ApiPriceSheet(StrictModel):
    """List prices of one hosted model, per million tokens.

    Examples
    --------
    >>> import datetime as dt
    >>> sheet = ApiPriceSheet(
    ...     id="openai/gpt-4o-mini", provider="openai", model="gpt-4o-mini",
    ...     input_usd_per_mtok=0.15, output_usd_per_mtok=0.60, cached_input_usd_per_mtok=0.075,
    ...     source="https://openai.com/api/pricing/", checked=dt.date(2026, 8, 21))
    >>> sheet.cost(1e6, 1e6)
    0.75
    """

    id: CatalogId
    provider: str = Field(min_length=1, description="Provider key, the id's prefix.")
    model: str = Field(min_length=1, description="The provider's own model name.")
    input_usd_per_mtok: NonNegative = Field(description="Input (prompt) tokens [USD/Mtok].")
    output_usd_per_mtok: NonNegative = Field(description="Output (completion) tokens [USD/Mtok].")
    cached_input_usd_per_mtok: NonNegative | None = Field(
        None,
        description="Input tokens read from the prompt cache [USD/Mtok]; "
        "absent means no cache discount (billed as input).",
    )
    cache_write_usd_per_mtok: NonNegative | None = Field(
        None, description="Input tokens written to the prompt cache [USD/Mtok], where billed."
    )
    batch_input_usd_per_mtok: NonNegative | None = Field(
        None, description="Input tokens of asynchronous batch jobs [USD/Mtok]."
    )
    batch_output_usd_per_mtok: NonNegative | None = Field(
        None, description="Output tokens of asynchronous batch jobs [USD/Mtok]."
    )
    context_window_tokens: int | None = Field(
        None, gt=0, description="Largest prompt + completion the model accepts [tokens]."
    )
    source: Source
    checked: Checked
    notes: str = ""

    @model_validator(mode="after")
    def _check_consistency(self) -> Self:
        prefix = self.id.split("/", 1)[0]
        if prefix != self.provider:
            msg = f"id {self.id!r} must start with its provider {self.provider!r} + '/'"
            raise ValueError(msg)
        if (
            self.cached_input_usd_per_mtok is not None
            and self.cached_input_usd_per_mtok > self.input_usd_per_mtok
        ):
            msg = (
                f"cached_input_usd_per_mtok ({self.cached_input_usd_per_mtok}) must not exceed "
                f"input_usd_per_mtok ({self.input_usd_per_mtok})"
            )
            raise ValueError(msg)
        if (self.batch_input_usd_per_mtok is None) != (self.batch_output_usd_per_mtok is None):
            msg = "batch_input_usd_per_mtok and batch_output_usd_per_mtok go together: give both"
            raise ValueError(msg)
        for field in ("input_usd_per_mtok", "output_usd_per_mtok"):
            value = getattr(self, field)
            if value > 0 and not (
                _MIN_PLAUSIBLE_USD_PER_MTOK <= value <= _MAX_PLAUSIBLE_USD_PER_MTOK
            ):
                warnings.warn(
                    f"{self.id}: {field} = {value} is outside the plausible "
                    f"{_MIN_PLAUSIBLE_USD_PER_MTOK}-{_MAX_PLAUSIBLE_USD_PER_MTOK} USD per 1M "
                    "tokens; was it typed per token, per 1K tokens, or per 1B?",
                    PriceMagnitudeWarning,
                    stacklevel=2,
                )
        return self

    @property
    def has_batch(self) -> bool:
        """Whether the sheet lists batch prices."""
        return self.batch_input_usd_per_mtok is not None

    def cost(
        self,
        input_tokens: npt.ArrayLike,
        output_tokens: npt.ArrayLike,
        cached_input_tokens: npt.ArrayLike = 0,
        *,
        batch: bool = False,
    ) -> FloatOrArray:
        """Cost of token traffic at this sheet's prices [USD].

        Parameters
        ----------
        input_tokens : array_like
            Input tokens billed at the full input rate; do not include cache reads [tokens].
        output_tokens : array_like
            Output tokens [tokens].
        cached_input_tokens : array_like, default 0
            Input tokens read from the prompt cache [tokens]. Billed at the cached rate, or at
            the full input rate when the sheet lists no cached price.
        batch : bool, default False
            Use the batch prices (the cached rate stays the standard one).

        Returns
        -------
        float or numpy.ndarray
            Cost [USD], broadcast over the token arguments.

        Raises
        ------
        ValueError
            If ``batch`` is requested and the sheet has no batch prices.
        """
        input_price, output_price = self.input_usd_per_mtok, self.output_usd_per_mtok
        if batch:
            if self.batch_input_usd_per_mtok is None or self.batch_output_usd_per_mtok is None:
                msg = f"{self.id} has no batch prices; cannot price batch traffic"
                raise ValueError(msg)
            input_price, output_price = (
                self.batch_input_usd_per_mtok,
                self.batch_output_usd_per_mtok,
            )
        cached_price = (
            self.cached_input_usd_per_mtok
            if self.cached_input_usd_per_mtok is not None
            else self.input_usd_per_mtok
        )
        return api_cost_usd(
            input_tokens,
            output_tokens,
            cached_input_tokens,
            input_price,
            output_price,
            cached_price,
        )
