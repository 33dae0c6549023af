"""The workload: how many tokens, of which mix, growing how, arriving in what shape."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from llmtco.models._base import StrictModel
from llmtco.models._fields import NonNegative, Share

__all__ = [
    "HOURS_PER_WEEK",
    "Difficulty",
    "Growth",
    "RequestClass",
    "Traffic",
    "TrafficProfileName",
    "Workload",
]

HOURS_PER_WEEK = 168
#: Largest volume multiplier of a growth series [-]: a million times the base volume.
MAX_GROWTH_MULTIPLIER = 1e6


class Growth(StrictModel):
    """How the monthly volume changes over the horizon.

    Give a compound ``monthly_rate`` (0 = flat), or an explicit ``multipliers`` series with one
    multiplier of the month-0 volume per month of the horizon, not both.
    """

    monthly_rate: float = Field(
        0.0,
        gt=-1,
        le=1,
        description="Compound growth of the volume per month [1/month]; at most 1 (doubling "
        "every month).",
    )
    multipliers: list[Annotated[float, Field(ge=0, le=MAX_GROWTH_MULTIPLIER)]] | None = Field(
        None,
        min_length=1,
        description="Volume of each month as a multiple of the base volume [-], month 0 first.",
    )

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.multipliers is not None and self.monthly_rate != 0:
            msg = "give growth as monthly_rate or as multipliers, not both"
            raise ValueError(msg)
        return self


TrafficProfileName = Literal["flat", "business_hours", "diurnal_consumer", "batch_window"]


class Traffic(StrictModel):
    """When in the week the traffic arrives, which sets the capacity it needs.

    Give at most one of: ``profile`` (a named hour-of-week shape), ``hour_of_week`` (your 168
    values, Monday 00:00 first, any scale) or ``peak_to_mean`` (the ratio only: enough for
    static provisioning, not for autoscaling). Nothing given means flat traffic.
    """

    profile: TrafficProfileName | None = Field(
        None,
        description="Named hour-of-week shape: flat, business_hours, diurnal_consumer or "
        "batch_window.",
    )
    peak_to_mean: float | None = Field(
        None, ge=1, description="Peak hourly rate over the mean rate [-]; 1 when omitted."
    )
    hour_of_week: list[NonNegative] | None = Field(
        None,
        min_length=HOURS_PER_WEEK,
        max_length=HOURS_PER_WEEK,
        description="Relative traffic in each hour of the week [-], 168 values.",
    )
    burst_factor: float = Field(
        1.0,
        ge=1,
        description="Peak rate within an hour over that hour's mean rate [-]; capacity is sized "
        "for it.",
    )
    utc_offset_hours: float = Field(
        0.0,
        ge=-12,
        le=14,
        description="Offset of the profile's local time from UTC [h], for time-of-day prices.",
    )

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        given = [
            name
            for name in ("profile", "peak_to_mean", "hour_of_week")
            if getattr(self, name) is not None
        ]
        if len(given) > 1:
            msg = f"give traffic as one of profile, peak_to_mean or hour_of_week, not {given}"
            raise ValueError(msg)
        if self.hour_of_week is not None and sum(self.hour_of_week) <= 0:
            msg = "hour_of_week must have some traffic (its values sum to 0)"
            raise ValueError(msg)
        return self


Difficulty = Literal["easy", "medium", "hard"]


class RequestClass(StrictModel):
    """One kind of request in the workload: its share, size and constraints.

    Examples
    --------
    >>> c = RequestClass(share=0.2, input_tokens_per_request=4000, output_tokens_per_request=800,
    ...                  sensitive=True)
    >>> c.sensitive, c.difficulty
    (True, 'medium')
    """

    share: Share = Field(description="Share of the workload's requests in this class [-].")
    input_tokens_per_request: NonNegative = Field(
        description="Mean input tokens of a request of this class [tokens/request]."
    )
    output_tokens_per_request: NonNegative = Field(
        description="Mean output tokens of a request of this class [tokens/request]."
    )
    difficulty: Difficulty = Field(
        "medium", description="A label routes can match on: easy, medium or hard."
    )
    sensitive: bool = Field(
        False,
        description="Data that must not leave your infrastructure: only self-hosted backends "
        "(or API options with sensitive_data_allowed) may serve it.",
    )
    max_ttft_s: float | None = Field(
        None, gt=0, description="Latency need: highest acceptable time to first token [s]."
    )

    @model_validator(mode="after")
    def _has_tokens(self) -> Self:
        if self.input_tokens_per_request + self.output_tokens_per_request <= 0:
            msg = "a request class needs input or output tokens; both are 0"
            raise ValueError(msg)
        return self


class Workload(StrictModel):
    """Monthly token volume and its mix, in tokens or in requests x tokens per request.

    Give either ``tokens_per_month`` with ``input_share``, or ``requests_per_month`` with
    ``input_tokens_per_request`` and ``output_tokens_per_request``.

    Examples
    --------
    >>> w = Workload(requests_per_month=1e6, input_tokens_per_request=700,
    ...              output_tokens_per_request=300)
    >>> w.tokens_per_month_base, w.input_token_share
    (1000000000.0, 0.7)
    """

    tokens_per_month: NonNegative | None = Field(
        None,
        description="Base volume, input + output tokens [tokens/month]; month m carries it "
        "times the growth multiplier of month m (1 in month 0 with compound growth).",
    )
    input_share: Share | None = Field(
        None, description="Share of all tokens that are input (prompt) tokens [-]."
    )
    requests_per_month: NonNegative | None = Field(
        None, description="Base volume in requests [requests/month], grown like tokens_per_month."
    )
    input_tokens_per_request: NonNegative | None = Field(
        None, description="Mean input tokens per request [tokens/request]."
    )
    output_tokens_per_request: NonNegative | None = Field(
        None, description="Mean output tokens per request [tokens/request]."
    )
    cached_input_share: Share = Field(
        0.0, description="Share of input tokens served from the provider's prompt cache [-]."
    )
    growth: Growth = Field(default_factory=Growth)
    traffic: Traffic = Field(default_factory=Traffic)
    classes: dict[str, RequestClass] | None = Field(
        None,
        description="Request classes by name; their shares sum to 1. With classes, give "
        "requests_per_month: the per-request token means are derived from the classes.",
    )

    @model_validator(mode="before")
    @classmethod
    def _means_from_classes(cls, data: Any) -> Any:
        """With request classes, the workload's mean request size is theirs."""
        if not isinstance(data, dict) or not isinstance(data.get("classes"), dict):
            return data
        try:
            parts = [
                (
                    float(c["share"]),
                    float(c["input_tokens_per_request"]),
                    float(c["output_tokens_per_request"]),
                )
                for c in (
                    v.model_dump() if isinstance(v, RequestClass) else v
                    for v in data["classes"].values()
                )
            ]
        except (KeyError, TypeError, ValueError):
            return data  # the field validators report what is missing or malformed
        total = sum(share for share, _, _ in parts)
        if not parts or not math.isclose(total, 1.0, rel_tol=0.0, abs_tol=1e-6):
            return data  # reported by _check_classes
        derived = {
            "input_tokens_per_request": sum(s * i for s, i, _ in parts) / total,
            "output_tokens_per_request": sum(s * o for s, _, o in parts) / total,
        }
        data = dict(data)
        for key, value in derived.items():
            given = data.get(key)
            if given is None:
                data[key] = value
            elif not math.isclose(float(given), value, rel_tol=1e-9, abs_tol=1e-9):
                msg = (
                    f"{key} is {given} but the classes' share-weighted mean is {value:g}: "
                    "omit it when giving classes"
                )
                raise ValueError(msg)
        return data

    @model_validator(mode="after")
    def _check_classes(self) -> Self:
        if self.classes is None:
            return self
        if not self.classes:
            msg = "classes is empty: give at least one request class, or omit classes"
            raise ValueError(msg)
        total = sum(c.share for c in self.classes.values())
        if not math.isclose(total, 1.0, rel_tol=0.0, abs_tol=1e-6):
            shares = ", ".join(f"{n}: {c.share:g}" for n, c in self.classes.items())
            msg = f"the shares of classes must sum to 1; they sum to {total:g} ({shares})"
            raise ValueError(msg)
        if self.requests_per_month is None:
            msg = "classes need the volume in requests: give requests_per_month"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _one_volume(self) -> Self:
        by_tokens = (self.tokens_per_month, self.input_share)
        by_requests = (
            self.requests_per_month,
            self.input_tokens_per_request,
            self.output_tokens_per_request,
        )
        tokens_given = any(v is not None for v in by_tokens)
        requests_given = any(v is not None for v in by_requests)
        if tokens_given == requests_given:
            msg = (
                "give the volume either as tokens_per_month + input_share, or as "
                "requests_per_month + input_tokens_per_request + output_tokens_per_request"
            )
            raise ValueError(msg)
        if tokens_given and None in by_tokens:
            msg = "tokens_per_month and input_share go together: give both"
            raise ValueError(msg)
        if requests_given and None in by_requests:
            msg = (
                "requests_per_month, input_tokens_per_request and output_tokens_per_request "
                "go together: give all three"
            )
            raise ValueError(msg)
        if (
            requests_given
            and self.requests_per_month
            and not (self.input_tokens_per_request or self.output_tokens_per_request)
        ):
            msg = "requests with zero input and zero output tokens carry no volume"
            raise ValueError(msg)
        return self

    @property
    def tokens_per_month_base(self) -> float:
        """Base volume, input + output tokens, before growth multipliers [tokens/month]."""
        if self.tokens_per_month is not None:
            return self.tokens_per_month
        # Validation guarantees the three request fields are set here.
        # Written with ``is None`` rather than ``or`` so sampled arrays pass through.
        requests = 0.0 if self.requests_per_month is None else self.requests_per_month
        size_in = self.input_tokens_per_request or 0.0
        size_out = self.output_tokens_per_request or 0.0
        return requests * (size_in + size_out)

    @property
    def input_token_share(self) -> float:
        """Share of all tokens that are input tokens [-], given or derived per request."""
        if self.input_share is not None:
            return self.input_share
        input_tokens = self.input_tokens_per_request or 0.0
        total = input_tokens + (self.output_tokens_per_request or 0.0)
        return input_tokens / total if total > 0 else 0.0

    @property
    def has_requests(self) -> bool:
        """Whether the volume is given in requests (needed for outcomes and classes)."""
        return self.requests_per_month is not None

    def request_classes(self) -> dict[str, RequestClass]:
        """The request classes; one class ``all`` with the workload's mean sizes when none given.

        Raises
        ------
        ValueError
            If the workload is given in tokens, so requests and their sizes are unknown.
        """
        if self.classes is not None:
            return dict(self.classes)
        if self.requests_per_month is None:
            msg = (
                "request classes need the volume in requests: give requests_per_month + "
                "input/output tokens per request"
            )
            raise ValueError(msg)
        return {
            "all": RequestClass(
                share=1.0,
                input_tokens_per_request=self.input_tokens_per_request or 0.0,
                output_tokens_per_request=self.output_tokens_per_request or 0.0,
            )
        }
