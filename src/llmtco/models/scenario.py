"""Deployment options and the scenario that compares them over a horizon."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from llmtco._yaml import format_validation_error, read_yaml
from llmtco.errors import ScenarioError
from llmtco.models._base import StrictModel, TaggedModel
from llmtco.models._fields import MAX_COUNT, CatalogId, NonNegative, Positive, Share
from llmtco.models.hardware import PurchaseMode
from llmtco.models.labor import Labor
from llmtco.models.outcome import OptionOutcomes
from llmtco.models.serving import Precision
from llmtco.models.uncertain import (
    Distribution,
    Samples,
    as_distribution,
    collect_distributions,
    get_path,
    set_path,
)
from llmtco.models.workload import Difficulty, RequestClass, Workload
from llmtco.units import DEFAULT_HOURS_PER_MONTH

__all__ = [
    "DEFAULT_LEAD_TIME_MONTHS",
    "ApiLatency",
    "ApiOption",
    "BackendOption",
    "CommittedMix",
    "Decision",
    "DeploymentOption",
    "HybridOption",
    "LatencySlo",
    "Ownership",
    "PriceTrend",
    "PriceTrends",
    "Provisioning",
    "Route",
    "RoutingObjective",
    "Scenario",
    "SelfHostedOption",
    "SpotTerms",
    "may_serve",
]

_OPTION_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$"


class _OptionCosts(TaggedModel):
    """Costs every option can carry besides its tokens or GPUs."""

    label: str = Field("", description="Display name; the option's key when empty.")
    labor: Labor = Field(default_factory=Labor)
    setup_usd: NonNegative = Field(0.0, description="One-time cost, paid in month 0 [USD].")
    overheads_usd_per_month: dict[str, NonNegative] = Field(
        default_factory=dict,
        description="Named recurring costs, e.g. monitoring: 400 [USD/month].",
    )
    lead_time_months: NonNegative | None = Field(
        None,
        description="Time from decision to serving production traffic [months]; None = the "
        "kind's default (api 0.5, self_hosted 3, hybrid 3).",
    )


class PriceTrend(StrictModel):
    """How one price line drifts over the horizon.

    ``price_m = price_0 x (1 + per_year)^(m / 12)`` for month ``m`` (negative for a decline), or
    an explicit schedule of multipliers, one per month from month 0.

    Examples
    --------
    >>> PriceTrend(per_year=-0.3).per_year
    -0.3
    """

    per_year: float = Field(
        0.0,
        gt=-1,
        le=10,
        description="Annual change of the price [1/year]; -0.3 = 30% cheaper a year.",
    )
    multipliers: list[Positive] | None = Field(
        None,
        min_length=1,
        description="Price multiplier per month from month 0 [-]; replaces per_year.",
    )

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.multipliers is not None and self.per_year != 0:
            msg = "give per_year or multipliers, not both"
            raise ValueError(msg)
        return self


class PriceTrends(StrictModel):
    """Default price trends of a scenario, per price line; an option's own ``price_trend`` wins.

    The default is no drift: a trend is a forecast, and llmtco does not make one for you. See
    the docs ("Uncertainty and decisions") for the declines measured so far and how to set them.
    """

    api: PriceTrend = Field(
        default_factory=PriceTrend, description="Token and request prices of API options."
    )
    gpu: PriceTrend = Field(
        default_factory=PriceTrend,
        description="Hourly prices of rented GPU instances (not owned servers).",
    )


class _Prices(StrictModel):
    price_factor: Positive = Field(
        1.0,
        description="Multiplier on every catalog price of this option (tokens and requests, or "
        "the instance's hourly prices) [-]; make it uncertain for a price range.",
    )
    price_trend: PriceTrend | None = Field(
        None, description="How this option's prices drift; None = the scenario's price_trends."
    )


class ApiLatency(StrictModel):
    """Latency of a hosted API as the user measured it, by percentile [s]."""

    p50_s: Positive = Field(description="Median time to first token [s].")
    p95_s: Positive = Field(description="95th-percentile time to first token [s].")
    p99_s: Positive = Field(description="99th-percentile time to first token [s].")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.p50_s <= self.p95_s <= self.p99_s:
            msg = (
                f"percentiles must not decrease: p50 {self.p50_s}, p95 {self.p95_s}, "
                f"p99 {self.p99_s}"
            )
            raise ValueError(msg)
        return self


class _Outcomes(StrictModel):
    outcomes: OptionOutcomes | None = Field(
        None,
        description="Success per attempt, retries, verification, human escalation and false "
        "accepts; None = every answer counts, one attempt, no success rate reported.",
    )


class ApiOption(_OptionCosts, _Prices, _Outcomes):
    """Call a hosted model and pay per token."""

    kind: Literal["api"] = "api"
    model: CatalogId = Field(description="Id of the ApiPriceSheet in the catalog.")
    batch_share: Share = Field(
        0.0, description="Share of traffic sent through the batch API at batch prices [-]."
    )
    tier: Literal["standard", "flex", "priority"] = Field(
        "standard", description="Service tier of the traffic not sent through the batch API."
    )
    latency: ApiLatency | None = Field(
        None, description="Measured time to first token of the API, to report beside self-hosting."
    )
    sensitive_data_allowed: bool = Field(
        False,
        description="The contract allows sensitive data (e.g. zero retention, private "
        "endpoint): sensitive request classes may be sent here.",
    )
    rate_limit_tier: str | None = Field(
        None,
        description="Usage tier of the price sheet's rate_limits the account has; its fee is "
        "added. None = report the smallest tier that carries the peak minute.",
    )
    version_pinned: bool = Field(
        False,
        description="The provider guarantees this exact model version for the horizon (no "
        "deprecation or silent update); matters when decision.model_must_stay_pinned.",
    )


class Provisioning(StrictModel):
    """How the running capacity follows the traffic through the week."""

    policy: Literal["static", "autoscale", "scale_to_zero"] = Field(
        "static",
        description="static: the peak all week; autoscale: each hour's need above the minimum; "
        "scale_to_zero: autoscale without a minimum, paying cold starts.",
    )
    scale_step: int = Field(
        1, ge=1, le=MAX_COUNT, description="Units added or removed at a time [units]."
    )
    scale_up_lag_hours: float = Field(
        0.0, ge=0, le=24, description="Time a new unit needs before it serves [h]."
    )
    cold_start_usd: NonNegative = Field(
        0.0, description="Cost of each start from zero (scale_to_zero) [USD/start]."
    )


class SpotTerms(StrictModel):
    """How spot capacity behaves: preemptions, recovery and what bridges the gaps."""

    interruption_rate_per_hour: NonNegative = Field(
        description="Preemptions per replica-hour [1/h], e.g. 0.02 for one a couple of days."
    )
    recovery_hours: Positive = Field(0.25, description="Time to replace a preempted replica [h].")
    fallback_share: Share = Field(
        1.0, description="Share of preempted time bridged by on-demand replicas [-]."
    )
    overprovision_share: NonNegative = Field(
        0.0, description="Extra spot replicas run to ride out preemptions [-]."
    )


class CommittedMix(StrictModel):
    """A reserved base paid every hour plus on-demand capacity above it."""

    term: Literal["reserved_1yr", "reserved_3yr"] = Field(
        "reserved_1yr", description="Which reserved price the base pays."
    )
    committed_units: int | None = Field(
        None,
        ge=0,
        le=MAX_COUNT,
        description="Reserved units; None = the cost-minimising number for the horizon's "
        "hourly need [units].",
    )


class Ownership(StrictModel):
    """Owned servers (one per catalog instance) instead of rented ones, bought in month 0."""

    purchase_usd: Positive = Field(description="Price of one server [USD].")
    salvage_usd: NonNegative = Field(0.0, description="Resale value at the end of its life [USD].")
    life_months: int = Field(48, ge=1, le=240, description="Service life [months].")
    power_kw: Positive = Field(description="Power draw of one server at full load [kW].")
    pue: float = Field(1.3, ge=1, le=3, description="Data-centre power usage effectiveness [-].")
    usd_per_kwh: NonNegative = Field(description="Electricity price [USD/kWh].")
    colocation_usd_per_month: NonNegative = Field(
        0.0, description="Rack space, network and remote hands per server [USD/month]."
    )
    maintenance_usd_per_month: NonNegative = Field(
        0.0, description="Support contracts and spares per server [USD/month]."
    )

    @model_validator(mode="after")
    def _salvage_below_price(self) -> Self:
        if self.salvage_usd > self.purchase_usd:
            msg = (
                f"salvage_usd ({self.salvage_usd}) must not exceed purchase_usd "
                f"({self.purchase_usd})"
            )
            raise ValueError(msg)
        return self


class LatencySlo(StrictModel):
    """A service-level objective on the time to first token, met in every hour."""

    ttft_s: Positive = Field(description="Highest acceptable time to first token [s].")
    quantile: float = Field(
        0.95, gt=0, lt=1, description="Share of requests that must meet it [-]."
    )


class SelfHostedOption(_OptionCosts, _Prices, _Outcomes):
    """Serve an open-weight model on rented GPU instances, provisioned for the peak."""

    always_dumped: ClassVar[tuple[str, ...]] = ("kind", "labor")  # labor is always stated

    kind: Literal["self_hosted"] = "self_hosted"
    instance: CatalogId = Field(description="Id of the GpuInstance in the catalog.")
    serving_profile: CatalogId | None = Field(
        None, description="Id of a measured ServingProfile; or give model instead."
    )
    model: CatalogId | None = Field(
        None,
        description="Id of the OpenModel served: a measured profile for it on this GPU is used "
        "when the catalog has one, else the calibrated estimate.",
    )
    precision: Precision = Field("bf16", description="Weight precision, with model.")
    gpus_per_replica: int | None = Field(
        None, ge=1, le=64, description="GPUs per replica, with model; None = fewest that fit."
    )
    concurrency: int | None = Field(
        None,
        ge=1,
        le=MAX_COUNT,
        description="Requests served at once per replica, with model; None = max load.",
    )
    purchase: PurchaseMode | Literal["committed_mix", "owned"] = Field(
        "on_demand",
        description="How capacity is paid for: on_demand, reserved_1yr, reserved_3yr (the "
        "month's peak, every hour), spot, committed_mix (reserved base + on demand) or owned.",
    )
    spot: SpotTerms | None = Field(None, description="Preemption terms; required with spot.")
    committed_mix: CommittedMix | None = Field(
        None, description="Reserved base of a committed_mix; defaults to the optimal 1-year one."
    )
    ownership: Ownership | None = Field(None, description="Server economics; required with owned.")
    target_utilization: float = Field(
        0.7,
        gt=0,
        le=1,
        description="Share of a replica's throughput planned to be used at the peak hour [-].",
    )
    min_replicas: int = Field(
        1,
        ge=0,
        le=MAX_COUNT,
        description="Replicas kept running at any volume, e.g. 2 for N+1 [replicas].",
    )
    variable_usd_per_mtok: NonNegative = Field(
        0.0, description="Costs that scale with volume, e.g. egress or logging [USD/Mtok]."
    )
    provisioning: Provisioning = Field(default_factory=Provisioning)
    latency_slo: LatencySlo | None = Field(
        None, description="Size replicas so the time to first token meets this (M/M/c queue)."
    )

    @model_validator(mode="after")
    def _one_throughput_source(self) -> Self:
        if (self.serving_profile is None) == (self.model is None):
            msg = (
                "give serving_profile (a measured profile) or model (profile or estimate), not both"
            )
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _purchase_terms_given(self) -> Self:
        if self.purchase == "spot" and self.spot is None:
            msg = "purchase spot needs spot: {interruption_rate_per_hour: ...}"
            raise ValueError(msg)
        if self.purchase == "owned" and self.ownership is None:
            msg = "purchase owned needs ownership: {purchase_usd, power_kw, usd_per_kwh, ...}"
            raise ValueError(msg)
        if self.purchase == "owned" and self.provisioning.policy != "static":
            msg = "owned servers run all the time: use provisioning.policy static with owned"
            raise ValueError(msg)
        if self.purchase == "owned" and (self.price_factor != 1 or self.price_trend is not None):
            msg = (
                "price_factor and price_trend apply to rented instances; for owned servers "
                "set ownership.purchase_usd, usd_per_kwh, ... (they may be uncertain)"
            )
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _labor_stated(self) -> Self:
        """Someone runs the GPUs: the labor of a self-hosted option is stated, never implied."""
        if "labor" not in self.model_fields_set or "fte" not in self.labor.model_fields_set:
            msg = (
                "a self-hosted option needs labor.fte, the people who run it: give labor: "
                "{fte: 0.5, usd_per_fte_year: 200000} (your figures), or labor: {fte: 0} to "
                "price no labor on purpose; it is never priced at zero by omission"
            )
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _scale_to_zero_has_no_floor(self) -> Self:
        if self.provisioning.policy == "scale_to_zero" and self.min_replicas > 0:
            msg = (
                f"provisioning.policy scale_to_zero runs no minimum, but min_replicas is "
                f"{self.min_replicas}: set min_replicas to 0 or use autoscale"
            )
            raise ValueError(msg)
        return self


BackendOption = Annotated[ApiOption | SelfHostedOption, Field(discriminator="kind")]


class Route(StrictModel):
    """A routing rule: the request classes it matches and where they go.

    A rule with no condition matches every class. Give exactly one target: ``to`` (one
    backend), ``shares`` (a split), ``cascade`` (try each backend in turn, escalating the
    answers it rejects) or ``choose`` (the split among these that the hybrid's ``optimize``
    finds best).
    """

    classes: list[str] | None = Field(None, min_length=1, description="Match these classes.")
    difficulty: list[Difficulty] | None = Field(
        None, min_length=1, description="Match classes with one of these difficulties."
    )
    sensitive: bool | None = Field(None, description="Match sensitive (or non-sensitive) classes.")
    min_input_tokens: NonNegative | None = Field(
        None, description="Match classes whose mean prompt is at least this long [tokens]."
    )
    to: str | None = Field(None, description="Send every matched request to this backend.")
    shares: dict[str, Share] | None = Field(
        None, min_length=1, description="Split matched requests between backends [-]."
    )
    cascade: list[str] | None = Field(
        None,
        min_length=2,
        description="Backends tried in order; each escalates the answers it rejects.",
    )
    choose: list[str] | None = Field(
        None, min_length=1, description="Backends the optimiser may split matched requests among."
    )

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        targets = [n for n in ("to", "shares", "cascade", "choose") if getattr(self, n) is not None]
        if len(targets) != 1:
            given = targets or "none"
            msg = f"a route needs exactly one of to, shares, cascade or choose; got {given}"
            raise ValueError(msg)
        if self.shares is not None and not math.isclose(
            sum(self.shares.values()), 1.0, rel_tol=0.0, abs_tol=1e-6
        ):
            msg = f"route shares must sum to 1; they sum to {sum(self.shares.values()):g}"
            raise ValueError(msg)
        return self

    @property
    def backends(self) -> list[str]:
        """Every backend this route may send requests to."""
        if self.to is not None:
            return [self.to]
        return list(self.shares or self.cascade or self.choose or [])

    def matches(self, name: str, request_class: RequestClass) -> bool:
        """Whether the class ``name`` meets every condition of this route."""
        return (
            (self.classes is None or name in self.classes)
            and (self.difficulty is None or request_class.difficulty in self.difficulty)
            and (self.sensitive is None or request_class.sensitive == self.sensitive)
            and (
                self.min_input_tokens is None
                or request_class.input_tokens_per_request >= self.min_input_tokens
            )
        )


class RoutingObjective(StrictModel):
    """What a hybrid's ``choose`` routes optimise: cost under a quality floor, or the reverse."""

    min_success_rate: Share | None = Field(
        None, description="Minimise cost with at least this success rate [-]."
    )
    max_usd_per_request: NonNegative | None = Field(
        None, description="Maximise success within this budget [USD/request]."
    )

    @model_validator(mode="after")
    def _one_goal(self) -> Self:
        if (self.min_success_rate is None) == (self.max_usd_per_request is None):
            msg = "optimize needs exactly one of min_success_rate or max_usd_per_request"
            raise ValueError(msg)
        return self


class HybridOption(_OptionCosts):
    """Route request classes between backends (self-hosted and API) by rules.

    Each request class takes the first route that matches it. Every backend that receives
    traffic is sized for the traffic it receives (retries and escalations included) and
    carries its own labor, overheads and setup; the hybrid's own ``labor`` etc. are the
    router's.
    """

    kind: Literal["hybrid"] = "hybrid"
    backends: dict[Annotated[str, Field(pattern=_OPTION_NAME)], BackendOption] = Field(
        min_length=1, description="The deployments the hybrid routes between, by name."
    )
    routes: list[Route] = Field(min_length=1, description="Rules, first match wins.")
    availability: Share = Field(
        1.0, description="Share of time the self-hosted backends are up [-]."
    )
    failover_to: str | None = Field(
        None,
        description="API backend that serves the self-hosted backends' traffic while they are "
        "down; None = that traffic is not served.",
    )
    optimize: RoutingObjective | None = Field(
        None, description="Objective of the routes given with choose."
    )

    @model_validator(mode="after")
    def _names_exist(self) -> Self:
        known = ", ".join(self.backends)
        for index, route in enumerate(self.routes):
            for backend in route.backends:
                if backend not in self.backends:
                    msg = f"routes[{index}] names backend {backend!r}; the backends are: {known}"
                    raise ValueError(msg)
        if self.failover_to is not None:
            target = self.backends.get(self.failover_to)
            if not isinstance(target, ApiOption):
                msg = (
                    f"failover_to must name an API backend; got {self.failover_to!r} "
                    f"(backends: {known})"
                )
                raise ValueError(msg)
        choosing = any(route.choose is not None for route in self.routes)
        if choosing != (self.optimize is not None):
            msg = (
                "routes with choose need optimize: {min_success_rate: ...} (or "
                "max_usd_per_request), and optimize needs at least one choose route"
            )
            raise ValueError(msg)
        return self

    def route_for(self, name: str, request_class: RequestClass) -> Route | None:
        """The first route matching class ``name``; None when no route matches."""
        return next((r for r in self.routes if r.matches(name, request_class)), None)


DeploymentOption = Annotated[
    ApiOption | SelfHostedOption | HybridOption, Field(discriminator="kind")
]

_DISTRIBUTION: TypeAdapter[Any] = TypeAdapter(Distribution)
_OPTION_TREND = re.compile(r"^options\.(?P<name>.+)\.price_trend\.per_year$")


def _own_trend_for(body: dict[str, Any], path: str) -> dict[str, Any]:
    """Give an option whose ``price_trend.per_year`` is declared uncertain a trend of its own.

    Without one the option follows the scenario's ``price_trends`` for its kind; its own trend
    starts at that value, so the base scenario is unchanged.
    """
    match = _OPTION_TREND.match(path)
    options = body.get("options")
    if match is None or not isinstance(options, dict):
        return body
    option = options.get(match["name"])
    if not isinstance(option, dict) or option.get("price_trend") is not None:
        return body
    line = "api" if option.get("kind", "api") == "api" else "gpu"
    trends = body.get("price_trends") or {}
    default = (trends.get(line) or {}).get("per_year", 0.0) if isinstance(trends, dict) else 0.0
    updated: dict[str, Any] = set_path(
        body, f"options.{match['name']}.price_trend", {"per_year": default}
    )
    return updated


def _check_class_names(key: str, names: list[str], classes: dict[str, RequestClass]) -> None:
    unknown = [n for n in names if n not in classes]
    if unknown:
        msg = f"{key} names unknown request class(es) {unknown}; the classes are: {list(classes)}"
        raise ValueError(msg)


def may_serve(option: ApiOption | SelfHostedOption, request_class: RequestClass) -> bool:
    """Whether the option may see the class's data: sensitive data stays off APIs.

    The one rule for sensitive classes, used by validation, routing optimisation and failover.
    """
    return not (
        request_class.sensitive
        and isinstance(option, ApiOption)
        and not option.sensitive_data_allowed
    )


def _check_option_routing(
    key: str, option: ApiOption | SelfHostedOption | HybridOption, classes: dict[str, RequestClass]
) -> None:
    """Check one option against the request classes: names, coverage and sensitive data."""
    if not isinstance(option, HybridOption):
        if option.outcomes is not None:
            _check_class_names(f"{key}.outcomes.by_class", list(option.outcomes.by_class), classes)
        refused = [n for n, c in classes.items() if not may_serve(option, c)]
        if refused:
            msg = (
                f"{key} is an API option but request class(es) {refused} are sensitive: "
                "serve them with a hybrid that keeps them on self-hosted backends, or set "
                "sensitive_data_allowed: true if the API contract allows such data"
            )
            raise ValueError(msg)
        return
    for backend_name, backend in option.backends.items():
        if backend.outcomes is not None:
            _check_class_names(
                f"{key}.backends.{backend_name}.outcomes.by_class",
                list(backend.outcomes.by_class),
                classes,
            )
    for index, rule in enumerate(option.routes):
        if rule.classes is not None:
            _check_class_names(f"{key}.routes[{index}].classes", rule.classes, classes)
    for class_name, request_class in classes.items():
        route = option.route_for(class_name, request_class)
        if route is None:
            msg = (
                f"{key}.routes: no route matches request class {class_name!r}; end the routes "
                "with one without conditions, e.g. {to: <backend>}"
            )
            raise ValueError(msg)
        if route.choose is not None:
            allowed = [b for b in route.choose if may_serve(option.backends[b], request_class)]
            if not allowed:
                msg = (
                    f"{key}.routes[{option.routes.index(route)}].choose: sensitive class "
                    f"{class_name!r} may go to none of {route.choose}: add a self-hosted backend"
                )
                raise ValueError(msg)
            continue
        refused = [b for b in route.backends if not may_serve(option.backends[b], request_class)]
        if refused:
            msg = (
                f"{key}.routes[{option.routes.index(route)}] sends sensitive class "
                f"{class_name!r} to API backend(s) {refused}: route it to a self-hosted "
                "backend (or set sensitive_data_allowed: true on the backend if its contract "
                "allows such data)"
            )
            raise ValueError(msg)


#: Time from decision to production traffic when an option does not say [months].
DEFAULT_LEAD_TIME_MONTHS: dict[str, float] = {"api": 0.5, "self_hosted": 3.0, "hybrid": 3.0}


class Decision(StrictModel):
    """What constrains the choice besides cost, in the order the decision is made.

    Examples
    --------
    >>> Decision(data_may_leave=False).model_must_stay_pinned
    False
    """

    data_may_leave: bool = Field(
        True,
        description="False: no request may be sent to a third-party API (options marked "
        "sensitive_data_allowed excepted).",
    )
    model_must_stay_pinned: bool = Field(
        False,
        description="The exact model version must not change over the horizon: API options "
        "qualify only when version_pinned.",
    )
    ops_fte_available: NonNegative | None = Field(
        None,
        description="Engineers the team can put on running the deployment [FTE]; options whose "
        "labor needs more are ruled out. None = not a constraint.",
    )
    ship_within_months: NonNegative | None = Field(
        None,
        description="Serve production traffic within this many months; slower options are "
        "ruled out. None = not a constraint.",
    )
    steady_peak_to_mean_max: float = Field(
        2.0,
        ge=1,
        description="Traffic counts as steady when its busiest hour is at most this many times "
        "the mean hour [-].",
    )


class Scenario(StrictModel):
    """A workload, the options to serve it, and the horizon to compare them over.

    Examples
    --------
    >>> s = Scenario(
    ...     name="demo",
    ...     workload=Workload(tokens_per_month=1e9, input_share=0.7),
    ...     options={"mini": ApiOption(model="openai/gpt-4o-mini")},
    ... )
    >>> s.horizon_months, s.hours_per_month
    (36, 730.0)
    """

    name: str = Field(min_length=1)
    description: str = ""
    currency: Literal["USD"] = "USD"
    horizon_months: int = Field(36, ge=1, le=600, description="Months compared [months].")
    discount_rate_per_year: float = Field(
        0.0,
        ge=-0.5,
        lt=10,
        description="Annual discount rate for NPV [1/year]; from -0.5 (negative rates exist, "
        "but not below -50% a year).",
    )
    hours_per_month: float = Field(
        DEFAULT_HOURS_PER_MONTH, gt=0, le=744, description="Billed hours in a month [h/month]."
    )
    workload: Workload
    options: dict[Annotated[str, Field(pattern=_OPTION_NAME)], DeploymentOption] = Field(
        min_length=1, description="Named deployment options."
    )
    prices_as_of: dt.date | None = Field(
        None, description="Price the options at the catalog prices of this day (default today)."
    )
    catalog_paths: list[str] = Field(
        default_factory=list,
        description="Extra catalog files or folders, relative to the scenario file.",
    )
    price_trends: PriceTrends = Field(
        default_factory=PriceTrends, description="Default price drift of API and GPU prices."
    )
    decision: Decision = Field(
        default_factory=Decision, description="Constraints for llmtco.recommend."
    )
    uncertainty: dict[str, Distribution] = Field(
        default_factory=dict,
        description="Inputs known only as ranges, by key path (e.g. workload.requests_per_month); "
        "a distribution written in place of a number lands here, its median in its place.",
    )

    @model_validator(mode="before")
    @classmethod
    def _collect_uncertainty(cls, data: Any) -> Any:
        """Gather distributions in place of numbers and under ``uncertainty``.

        A distribution written in place of a number puts its median there. One declared under
        ``uncertainty`` leaves the scenario's value (written or default) as the base value.
        """
        if not isinstance(data, dict):
            return data
        body, inline = collect_distributions({k: v for k, v in data.items() if k != "uncertainty"})
        declared = data.get("uncertainty") or {}
        if not isinstance(declared, dict):
            return data  # the field validator reports it
        both = sorted(set(inline) & set(declared))
        if both:
            msg = f"{both[0]} is uncertain twice: in place and under uncertainty; keep one"
            raise ValueError(msg)
        found = {**{p: as_distribution(d) or d for p, d in declared.items()}, **inline}
        if not found:
            return data
        for path, spec in found.items():
            try:
                median = _DISTRIBUTION.validate_python(spec).median
            except ValidationError as exc:
                problem = exc.errors()[0]
                where = ".".join(str(p) for p in problem["loc"][1:])
                key = path if path in inline else f"uncertainty.{path}"
                got = problem.get("input")
                shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
                msg = f"{key}{'.' + where if where else ''}: {problem['msg']}{shown}"
                raise ValueError(msg.replace("Value error, ", "")) from None
            if path not in inline:
                # Declared under uncertainty: the scenario's own value is the base.
                body = _own_trend_for(body, path)
                continue
            try:
                body = set_path(body, path, median, create=True)
            except (KeyError, ValueError) as exc:
                msg = f"uncertainty.{path}: {exc.args[0]}"
                raise ValueError(msg) from None
        return body | {"uncertainty": found}

    def with_uncertainty(self, distributions: dict[str, Any]) -> Scenario:
        """A copy with more uncertain inputs, by key path; base values stay as they are.

        Parameters
        ----------
        distributions : dict
            Key path -> distribution (``Uniform(...)``, ``{"uniform": [low, high]}``, ...).

        Raises
        ------
        ScenarioError
            If a path names no number, or the scenario is invalid somewhere in a range.

        Examples
        --------
        >>> from llmtco.examples import default_scenario
        >>> from llmtco.models.uncertain import Uniform
        >>> ranges = {"options.gpt-4o.price_factor": Uniform(0.5, 1.5)}
        >>> default_scenario().with_uncertainty(ranges).uncertainty["options.gpt-4o.price_factor"]
        Uniform(kind='uniform', low=0.5, high=1.5)
        """
        data = self.model_dump()
        data["uncertainty"] = data["uncertainty"] | {
            path: as_distribution(d) or d for path, d in distributions.items()
        }
        return Scenario.from_dict(data, source="with_uncertainty")

    @model_validator(mode="after")
    def _check_uncertainty(self) -> Self:
        """Each uncertain input names a number, and the scenario is valid across its range."""
        if not self.uncertainty:
            return self
        base = self.model_dump(exclude={"uncertainty"})
        for path, dist in self.uncertainty.items():
            where = f"uncertainty.{path}"
            try:
                value = get_path(base, path)
            except (KeyError, ValueError) as exc:
                msg = f"{where}: {exc.args[0]}"
                raise ValueError(msg) from None
            if value is None:
                msg = (
                    f"{where}: the scenario sets no value there; give one (it is the base "
                    "value) or remove this range"
                )
                raise ValueError(msg)
            if isinstance(value, bool) or not isinstance(value, int | float):
                msg = f"{where}: only numbers can be uncertain; the value there is {value!r}"
                raise ValueError(msg)
            if isinstance(value, int) and not (
                isinstance(dist, Samples) and all(float(v).is_integer() for v in dist.values)
            ):
                msg = f"{where} takes whole numbers: give samples: [...] of whole numbers"
                raise ValueError(msg)
            low, high = dist.support
            slack = 1e-9 * max(abs(low), abs(high))
            if not low - slack <= value <= high + slack:
                msg = (
                    f"{where}: the scenario's value {value:.6g} there lies outside its own range "
                    f"{dist.describe()}; move the value into the range, or the range around the "
                    "value (a range left from an earlier value is sampled around the wrong one)"
                )
                raise ValueError(msg)
            for end, end_value in zip(("low", "high"), dist.support, strict=True):
                try:
                    Scenario.model_validate(set_path(base, path, end_value))
                except ValidationError as exc:
                    problem = exc.errors()[0]
                    inner = str(problem["msg"]).replace("Value error, ", "")
                    msg = (
                        f"{where}: the {end} end {end_value:.6g} of {dist.describe()} is not a "
                        f"valid value there: {inner}"
                    )
                    raise ValueError(msg) from None
        return self

    @model_validator(mode="after")
    def _check_growth_covers_horizon(self) -> Self:
        multipliers = self.workload.growth.multipliers
        if multipliers is not None and len(multipliers) < self.horizon_months:
            msg = (
                f"workload.growth.multipliers has {len(multipliers)} values but "
                f"horizon_months is {self.horizon_months}: give one per month"
            )
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _check_outcomes_and_routes(self) -> Self:
        """Outcomes and hybrids need requests; routes cover every class; sensitive data stays."""
        workload = self.workload
        uses_requests = workload.classes is not None or any(
            isinstance(o, HybridOption) or o.outcomes is not None for o in self.options.values()
        )
        if not uses_requests:
            return self
        if not workload.has_requests:
            msg = (
                "outcomes, request classes and hybrid options count requests: give the "
                "workload as requests_per_month + input/output tokens per request"
            )
            raise ValueError(msg)
        classes = workload.request_classes()
        for name, option in self.options.items():
            _check_option_routing(f"options.{name}", option, classes)
        return self

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<scenario>") -> Scenario:
        """Validate a plain mapping (as read from YAML) into a scenario.

        Raises
        ------
        ScenarioError
            With one line per problem, naming ``source``, the key path and the bad value.
        """
        if not isinstance(data, dict):
            msg = f"{source}: a scenario must be a mapping of keys; got {type(data).__name__}"
            raise ScenarioError(msg)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(format_validation_error(exc, source)) from None

    @classmethod
    def from_yaml(cls, path: str | Path) -> Scenario:
        """Read a scenario from a YAML file (safely: no arbitrary Python objects).

        Relative ``catalog_paths`` are resolved against the file's folder.

        Raises
        ------
        ScenarioError
            If the file cannot be read, is not valid YAML, or fails validation.
        """
        file = Path(path)
        data = read_yaml(file, ScenarioError)
        scenario = cls.from_dict(data, source=str(file))
        resolved = [str((file.parent / p).resolve()) for p in scenario.catalog_paths]
        return scenario.model_copy(update={"catalog_paths": resolved})

    def option_label(self, name: str) -> str:
        """Display label of option ``name``."""
        return self.options[name].label or name

    def lead_time_months(self, name: str) -> float:
        """Months until option ``name`` serves traffic (as given, or its kind's default)."""
        option = self.options[name]
        given = option.lead_time_months
        return DEFAULT_LEAD_TIME_MONTHS[option.kind] if given is None else given

    def price_trend(self, option: ApiOption | SelfHostedOption) -> PriceTrend:
        """The price trend of an option: its own, else the scenario's for its kind."""
        if option.price_trend is not None:
            return option.price_trend
        return self.price_trends.api if isinstance(option, ApiOption) else self.price_trends.gpu
