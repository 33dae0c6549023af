"""API price sheets: what a hosted model costs, per million tokens, by tier, period and hour.

A sheet's top-level prices are the *standard* prices in effect from ``effective_from``. Around
them it may carry:

- service tiers ``batch``, ``flex`` and ``priority``, each a :class:`PriceSet` that replaces the
  standard prices for traffic sent through that tier;
- ``long_context`` cliff tiers: when a request's prompt (input + cached input + cache writes)
  exceeds a threshold, *every* price of that request switches to the tier's prices;
- an ``off_peak`` window: requests arriving in it are billed at its prices;
- a per-request fee ``request_usd``;
- ``history``: earlier, dated price periods, so old usage is priced at the prices of its day.

A price a sub-set (tier, window, period) leaves out is the standard one; a standard cached-input
price left out means no cache discount (cache reads billed as input).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from typing import Literal, Self

import numpy as np
import numpy.typing as npt
from pydantic import Field, field_validator, model_validator

from llmtco.engine._arrays import FloatOrArray
from llmtco.engine.api import PriceArrays, request_cost_usd
from llmtco.errors import PriceMagnitudeWarning
from llmtco.models._base import StrictModel
from llmtco.models._fields import MAX_COUNT, CatalogId, Checked, NonNegative, Source

__all__ = [
    "ApiPriceSheet",
    "LongContextTier",
    "OffPeakWindow",
    "PricePeriod",
    "PriceSet",
    "RateLimit",
    "ServiceTier",
]

ServiceTier = Literal["standard", "batch", "flex", "priority"]
"""How a request is sent: the standard API, the batch API, or a flex / priority service tier."""

# Plausible band of a token price [USD/Mtok]. Outside it a price was most likely typed per token
# or per 1K tokens (too small) or per 1B / as a monthly bill (too large).
_MIN_PLAUSIBLE_USD_PER_MTOK = 1e-3
_MAX_PLAUSIBLE_USD_PER_MTOK = 1_000.0
_HOURS_UTC = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class PriceSet(StrictModel):
    """Prices of one way of billing tokens [USD/Mtok]."""

    input_usd_per_mtok: NonNegative = Field(description="Input (prompt) tokens [USD/Mtok].")
    output_usd_per_mtok: NonNegative = Field(description="Output (completion) tokens [USD/Mtok].")
    cached_input_usd_per_mtok: NonNegative | None = Field(
        None, description="Input tokens read from the prompt cache [USD/Mtok]."
    )
    cache_write_usd_per_mtok: NonNegative | None = Field(
        None, description="Input tokens written to the prompt cache [USD/Mtok]."
    )


class LongContextTier(PriceSet):
    """Prices of every token of a request whose prompt exceeds a threshold (a cliff tier)."""

    above_input_tokens: int = Field(
        gt=0,
        le=MAX_COUNT,
        description="Prompt size (input + cached input + cache writes) above which every price "
        "of the request switches [tokens].",
    )
    inclusive: bool = Field(
        False, description="Switch already at a prompt of exactly the threshold (>=, not >)."
    )


class OffPeakWindow(PriceSet):
    """A daily time window, in UTC, with its own prices (e.g. off-peak discounts)."""

    hours_utc: str = Field(
        description="Daily window 'HH:MM-HH:MM' in UTC; start inclusive, end exclusive, may wrap "
        "past midnight; equal start and end means the whole day."
    )

    @field_validator("hours_utc")
    @classmethod
    def _check_hours(cls, value: str) -> str:
        if not _HOURS_UTC.match(value):
            msg = f"hours_utc must look like '16:30-00:30' (HH:MM-HH:MM, UTC); got {value!r}"
            raise ValueError(msg)
        return value

    def window_hours(self) -> tuple[float, float]:
        """Start and end of the window in hours after midnight UTC [h]."""
        match = _HOURS_UTC.match(self.hours_utc)
        if match is None:  # pragma: no cover - validated on construction
            msg = f"bad hours_utc {self.hours_utc!r}"
            raise ValueError(msg)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        return h1 + m1 / 60, h2 + m2 / 60


class PricePeriod(PriceSet):
    """Standard prices in effect over a past period ``[start, end)``."""

    start: dt.date | None = Field(None, description="First day of the period; None = unknown.")
    end: dt.date = Field(description="First day the period's prices no longer applied.")
    request_usd: NonNegative | None = Field(
        None, description="Fee per request in the period [USD/request]; None = as today."
    )
    long_context: list[LongContextTier] = Field(
        default_factory=list, description="Cliff tiers in the period, lowest threshold first."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start is not None and self.start >= self.end:
            msg = f"start ({self.start}) must be before end ({self.end})"
            raise ValueError(msg)
        return self


_LIMIT_FIELDS = (
    "requests_per_minute",
    "tokens_per_minute",
    "input_tokens_per_minute",
    "output_tokens_per_minute",
)


class RateLimit(StrictModel):
    """A published rate limit of one usage tier of a provider.

    A limit left out means the tier sets none of that kind, or none is published; at least one
    must be given.
    """

    tier: str = Field(min_length=1, description="The provider's name for the usage tier.")
    requests_per_minute: int | None = Field(None, gt=0, le=MAX_COUNT, description="[requests/min]")
    tokens_per_minute: int | None = Field(
        None, gt=0, le=MAX_COUNT, description="All tokens [tokens/min]."
    )
    input_tokens_per_minute: int | None = Field(
        None, gt=0, le=MAX_COUNT, description="[tokens/min]"
    )
    output_tokens_per_minute: int | None = Field(
        None, gt=0, le=MAX_COUNT, description="[tokens/min]"
    )
    usd_per_month: NonNegative = Field(
        0.0, description="Fixed fee of this tier (a paid plan or committed spend) [USD/month]."
    )

    @model_validator(mode="after")
    def _has_a_limit(self) -> Self:
        if all(getattr(self, field) is None for field in _LIMIT_FIELDS):
            kinds = ", ".join(_LIMIT_FIELDS)
            msg = f"rate limit tier {self.tier!r} sets no limit; give at least one of {kinds}"
            raise ValueError(msg)
        return self


class ApiPriceSheet(PriceSet):
    """List prices of one hosted model.

    Examples
    --------
    >>> import datetime as dt
    >>> sheet = ApiPriceSheet(
    ...     id="openai/gpt-4o-mini", provider="openai", model="gpt-4o-mini",
    ...     input_usd_per_mtok=0.15, output_usd_per_mtok=0.60, cached_input_usd_per_mtok=0.075,
    ...     source="https://openai.com/api/pricing/", checked=dt.date(2026, 8, 21))
    >>> sheet.cost(1e6, 1e6)
    0.75
    >>> float(sheet.request_cost(1000, 500, cached_input_tokens=4000))
    0.00075
    """

    id: CatalogId
    provider: str = Field(min_length=1, description="Provider key, the id's prefix.")
    model: str = Field(min_length=1, description="The provider's own model name.")
    request_usd: NonNegative = Field(0.0, description="Fee per request [USD/request].")
    batch: PriceSet | None = Field(None, description="Prices of the asynchronous batch API.")
    flex: PriceSet | None = Field(None, description="Prices of a cheaper, slower service tier.")
    priority: PriceSet | None = Field(None, description="Prices of a faster service tier.")
    long_context: list[LongContextTier] = Field(
        default_factory=list, description="Cliff tiers by prompt size, lowest threshold first."
    )
    off_peak: OffPeakWindow | None = Field(None, description="Daily window with its own prices.")
    effective_from: dt.date | None = Field(
        None, description="First day the top-level prices apply; None = as far as known."
    )
    history: list[PricePeriod] = Field(
        default_factory=list, description="Earlier standard prices, oldest first."
    )
    context_window_tokens: int | None = Field(
        None,
        gt=0,
        le=MAX_COUNT,
        description="Largest prompt + completion the model accepts [tokens].",
    )
    max_output_tokens: int | None = Field(
        None, gt=0, le=MAX_COUNT, description="Longest completion [tokens]."
    )
    rate_limits: list[RateLimit] = Field(
        default_factory=list,
        description="Published rate limits by usage tier, in ascending order of size (the "
        "smallest tier first); tier names are unique.",
    )
    alias_of: CatalogId | None = Field(
        None, description="Id of the entry this one is an alias of (prices must match)."
    )
    retires: dt.date | None = Field(None, description="Announced retirement date.")
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
        tiers = [limit.tier for limit in self.rate_limits]
        duplicated = sorted({tier for tier in tiers if tiers.count(tier) > 1})
        if duplicated:
            msg = f"rate_limits tiers must be unique; {', '.join(map(repr, duplicated))} repeated"
            raise ValueError(msg)
        thresholds = [t.above_input_tokens for t in self.long_context]
        if thresholds != sorted(set(thresholds)):
            msg = f"long_context thresholds must increase strictly; got {thresholds}"
            raise ValueError(msg)
        previous_end: dt.date | None = None
        for period in self.history:
            if (
                previous_end is not None
                and period.start is not None
                and period.start < previous_end
            ):
                msg = f"history periods overlap or are out of order at start {period.start}"
                raise ValueError(msg)
            previous_end = period.end
        if previous_end is not None and (
            self.effective_from is None or previous_end > self.effective_from
        ):
            msg = (
                f"the last history period ends {previous_end}; effective_from must be given and "
                "not earlier"
            )
            raise ValueError(msg)
        if self.input_usd_per_mtok == 0 and self.output_usd_per_mtok == 0:
            warnings.warn(
                f"{self.id}: input_usd_per_mtok and output_usd_per_mtok are both 0: this "
                "model would be priced as free; give its prices (a free tier has rate limits "
                "that the volume will exceed)",
                PriceMagnitudeWarning,
                stacklevel=2,
            )
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

    # --- resolving prices ---------------------------------------------------------------------

    def _filled(self, prices: PriceSet | None) -> PriceArrays:
        """Four prices of a sub-set (None: the standard set), what it leaves out filled in.

        A cache price the sub-set leaves out is the standard one; where the sheet has none at
        all, cache tokens are billed at the input price of the set that applies.
        """
        chosen: PriceSet = self if prices is None else prices

        def cache_price(field: str) -> float:
            own: float | None = getattr(chosen, field)
            standard: float | None = getattr(self, field)
            if own is not None:
                return own
            return chosen.input_usd_per_mtok if standard is None else standard

        return PriceArrays(
            chosen.input_usd_per_mtok,
            chosen.output_usd_per_mtok,
            cache_price("cached_input_usd_per_mtok"),
            cache_price("cache_write_usd_per_mtok"),
        )

    def tier_prices(self, tier: ServiceTier = "standard") -> PriceArrays:
        """Input, output, cached-input and cache-write prices of a service tier [USD/Mtok].

        Raises
        ------
        ValueError
            If the sheet lists no prices for ``tier``; the message names the tiers it has.
        """
        if tier == "standard":
            return self._filled(None)
        prices: PriceSet | None = getattr(self, tier, None)
        if prices is None:
            available = ["standard"] + [
                t for t in ("batch", "flex", "priority") if getattr(self, t)
            ]
            msg = f"{self.id} has no {tier} prices; it lists: {', '.join(available)}"
            raise ValueError(msg)
        return self._filled(prices)

    def has_tier(self, tier: ServiceTier) -> bool:
        """Whether the sheet lists prices for a service tier."""
        return tier == "standard" or getattr(self, tier) is not None

    def _tier_price_table(
        self, tier: ServiceTier
    ) -> tuple[list[PriceArrays], list[int], list[bool]]:
        """Price sets from the smallest prompt up, with the thresholds between them."""
        base = self.tier_prices(tier)
        standard = self._filled(None)
        table = [base]
        if self.long_context and tier in ("flex", "priority"):
            # Providers do not list these tiers for long prompts (OpenAI's priority excludes
            # long context): refuse to guess, unless no request crosses a cliff (see callers).
            return table, [], []
        for long in self.long_context:
            above = self._filled(long)
            if tier == "batch":
                # Batch is a discount on every price: above the threshold it applies to the
                # long-context prices.
                above = PriceArrays(
                    *(
                        a * (b / s) if s > 0 else a
                        for a, b, s in zip(above, base, standard, strict=True)
                    )
                )
            table.append(above)
        return (
            table,
            [t.above_input_tokens for t in self.long_context],
            [t.inclusive for t in self.long_context],
        )

    def _check_tier_below_cliffs(self, tier: ServiceTier, prompt_tokens: npt.ArrayLike) -> None:
        if tier not in ("flex", "priority") or not self.long_context:
            return
        lowest = self.long_context[0]
        prompt = np.asarray(prompt_tokens, dtype=np.float64)
        above = (
            prompt >= lowest.above_input_tokens
            if lowest.inclusive
            else prompt > lowest.above_input_tokens
        )
        if np.any(above):
            msg = (
                f"{self.id} lists no {tier} prices above its {lowest.above_input_tokens}-token "
                f"long-context threshold; got a prompt of {float(np.max(prompt)):.0f} tokens"
            )
            raise ValueError(msg)

    def prices_for(
        self,
        prompt_tokens: float | None = None,
        tier: ServiceTier = "standard",
        *,
        off_peak: bool = False,
    ) -> PriceArrays:
        """The four prices that apply to one request [USD/Mtok].

        Parameters
        ----------
        prompt_tokens : float, optional
            Prompt size (input + cached input + cache writes) that selects the cliff tier
            [tokens]; None for the prices below every cliff.
        tier : {"standard", "batch", "flex", "priority"}, default "standard"
        off_peak : bool, default False
            The request arrives inside the off-peak window (standard tier only).
        """
        if off_peak:
            if self.off_peak is None or tier != "standard":
                msg = f"{self.id}: no off-peak prices for the {tier} tier"
                raise ValueError(msg)
            return self._filled(self.off_peak)
        if prompt_tokens is not None:
            self._check_tier_below_cliffs(tier, prompt_tokens)
        table, thresholds, inclusive = self._tier_price_table(tier)
        level = 0
        if prompt_tokens is not None:
            for k, (threshold, closed) in enumerate(zip(thresholds, inclusive, strict=True)):
                if prompt_tokens > threshold or (closed and prompt_tokens == threshold):
                    level = k + 1
        return table[level]

    def request_cost(
        self,
        input_tokens: npt.ArrayLike,
        output_tokens: npt.ArrayLike,
        cached_input_tokens: npt.ArrayLike = 0,
        cache_write_tokens: npt.ArrayLike = 0,
        tier: ServiceTier = "standard",
        *,
        off_peak: npt.ArrayLike = False,
    ) -> FloatOrArray:
        """Cost of each request, with every billing rule of the sheet [USD/request].

        Parameters
        ----------
        input_tokens : array_like
            Prompt tokens billed at the input rate: neither cache reads nor cache writes
            [tokens/request].
        output_tokens : array_like
            Completion tokens [tokens/request].
        cached_input_tokens : array_like, default 0
            Prompt tokens read from the provider's cache [tokens/request].
        cache_write_tokens : array_like, default 0
            Prompt tokens written to the provider's cache [tokens/request].
        tier : {"standard", "batch", "flex", "priority"}, default "standard"
            Service tier the requests are sent through.
        off_peak : array_like of bool, default False
            Whether each request arrives inside the sheet's off-peak window (see
            :meth:`in_off_peak`); its prices then replace the standard ones.

        Returns
        -------
        float or numpy.ndarray
            Cost of each request, the per-request fee included [USD/request].

        Raises
        ------
        ValueError
            If the sheet has no prices for ``tier``; if a flex or priority request exceeds a
            long-context threshold (providers list no such prices); or if ``off_peak`` is set
            where the sheet has no off-peak window or with a tier other than standard.
        """
        prompt = (
            np.asarray(input_tokens, dtype=np.float64)
            + np.asarray(cached_input_tokens, dtype=np.float64)
            + np.asarray(cache_write_tokens, dtype=np.float64)
        )
        self._check_tier_below_cliffs(tier, prompt)
        table, thresholds, inclusive = self._tier_price_table(tier)
        window = np.asarray(off_peak, dtype=bool)
        off_peak_prices = None
        if np.any(window):
            if self.off_peak is None:
                msg = f"{self.id} has no off-peak window; cannot price off-peak requests"
                raise ValueError(msg)
            if tier != "standard":
                msg = f"{self.id}: off-peak prices apply to the standard tier only, not {tier}"
                raise ValueError(msg)
            off_peak_prices = self._filled(self.off_peak)
        return request_cost_usd(
            input_tokens,
            output_tokens,
            cached_input_tokens,
            cache_write_tokens,
            price_table=table,
            thresholds_tokens=thresholds,
            inclusive=inclusive,
            request_usd=self.request_usd,
            off_peak=window,
            off_peak_prices=off_peak_prices,
        )

    def cost(
        self,
        input_tokens: npt.ArrayLike,
        output_tokens: npt.ArrayLike,
        cached_input_tokens: npt.ArrayLike = 0,
        *,
        batch: bool = False,
    ) -> FloatOrArray:
        """Cost of aggregate token traffic at the base (below any cliff) prices [USD].

        Unlike :meth:`request_cost`, this takes token totals, not requests: it ignores
        long-context tiers and per-request fees, which need request sizes and counts.

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
            Use the batch prices.

        Returns
        -------
        float or numpy.ndarray
            Cost [USD], broadcast over the token arguments.

        Raises
        ------
        ValueError
            If ``batch`` is requested and the sheet has no batch prices.
        """
        prices = self.tier_prices("batch" if batch else "standard")
        return request_cost_usd(
            input_tokens,
            output_tokens,
            cached_input_tokens,
            0.0,
            price_table=[prices],
        )

    def in_off_peak(self, hour_utc: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Whether times of day fall in the off-peak window (all False without one).

        Parameters
        ----------
        hour_utc : array_like
            Time of day in hours after midnight UTC, in [0, 24) [h].
        """
        hours = np.asarray(hour_utc, dtype=np.float64) % 24.0
        if self.off_peak is None:
            return np.zeros(hours.shape, dtype=bool)
        start, end = self.off_peak.window_hours()
        end %= 24.0  # "00:00-24:00" and "10:00-10:00" both cover the whole day
        if start == end:
            return np.ones(hours.shape, dtype=bool)
        if start < end:
            return np.asarray((hours >= start) & (hours < end))
        return np.asarray((hours >= start) | (hours < end))

    # --- history --------------------------------------------------------------------------------

    def as_of(self, day: dt.date) -> ApiPriceSheet | None:
        """The sheet with the standard prices in effect on ``day``; None if none are known.

        A past period gives the standard prices, its own cliff tiers (none unless it lists them)
        and its fee (today's unless it lists one). Service tiers and the off-peak window are
        known for the current prices only: they are dropped, and pricing a request in them on
        a past day raises.
        """
        if self.effective_from is None or day >= self.effective_from:
            return self
        for period in self.history:
            if (period.start is None or period.start <= day) and day < period.end:
                return self.model_copy(
                    update={
                        "input_usd_per_mtok": period.input_usd_per_mtok,
                        "output_usd_per_mtok": period.output_usd_per_mtok,
                        "cached_input_usd_per_mtok": period.cached_input_usd_per_mtok,
                        "cache_write_usd_per_mtok": period.cache_write_usd_per_mtok,
                        "request_usd": self.request_usd
                        if period.request_usd is None
                        else period.request_usd,
                        "long_context": period.long_context,
                        "batch": None,
                        "flex": None,
                        "priority": None,
                        "off_peak": None,
                        "effective_from": period.start,
                        "history": [],
                    }
                )
        return None
