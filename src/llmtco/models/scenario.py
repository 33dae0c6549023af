"""Deployment options and the scenario that compares them over a horizon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, ValidationError, model_validator

from llmtco._yaml import format_validation_error, read_yaml
from llmtco.errors import ScenarioError
from llmtco.models._base import StrictModel
from llmtco.models._fields import CatalogId, NonNegative, Positive, Share
from llmtco.models.hardware import PurchaseMode
from llmtco.models.labor import Labor
from llmtco.models.serving import Precision
from llmtco.models.workload import Workload
from llmtco.units import DEFAULT_HOURS_PER_MONTH

__all__ = [
    "ApiLatency",
    "ApiOption",
    "CommittedMix",
    "DeploymentOption",
    "LatencySlo",
    "Ownership",
    "Provisioning",
    "Scenario",
    "SelfHostedOption",
    "SpotTerms",
]

_OPTION_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$"


class _OptionCosts(StrictModel):
    """Costs every option can carry besides its tokens or GPUs."""

    label: str = Field("", description="Display name; the option's key when empty.")
    labor: Labor = Field(default_factory=Labor)
    setup_usd: NonNegative = Field(0.0, description="One-time cost, paid in month 0 [USD].")
    overheads_usd_per_month: dict[str, NonNegative] = Field(
        default_factory=dict,
        description="Named recurring costs, e.g. monitoring: 400 [USD/month].",
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


class ApiOption(_OptionCosts):
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


class Provisioning(StrictModel):
    """How the running capacity follows the traffic through the week."""

    policy: Literal["static", "autoscale", "scale_to_zero"] = Field(
        "static",
        description="static: the peak all week; autoscale: each hour's need above the minimum; "
        "scale_to_zero: autoscale without a minimum, paying cold starts.",
    )
    scale_step: int = Field(1, ge=1, description="Units added or removed at a time [units].")
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


class SelfHostedOption(_OptionCosts):
    """Serve an open-weight model on rented GPU instances, provisioned for the peak."""

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
        None, ge=1, description="Requests served at once per replica, with model; None = max load."
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
        1, ge=0, description="Replicas kept running at any volume, e.g. 2 for N+1 [replicas]."
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


DeploymentOption = Annotated[ApiOption | SelfHostedOption, Field(discriminator="kind")]


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
        0.0, gt=-1, lt=10, description="Annual discount rate for NPV [1/year]."
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
