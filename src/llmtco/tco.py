"""The orchestrator: scenario -> catalog lookups -> arrays -> engine -> result.

This is the only module that knows both the pydantic models and the numpy engine. It reads as a
list of steps; every formula lives in :mod:`llmtco.engine`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from llmtco.catalog import Catalog, load_catalog
from llmtco.engine import (
    PriceArrays,
    blended_usd_per_mtok,
    break_even_volume,
    compound_growth,
    labor_usd_per_month,
    mean_tokens_per_s,
    npv_usd,
    payback_month,
    peak_minute_rate,
    peak_to_mean,
    price_escalation,
    split_idle_usd,
    throttled_share,
    tier_needed,
    window_share,
)
from llmtco.engine._arrays import FloatArray
from llmtco.engine.capacity import replica_packing
from llmtco.engine.memory import min_gpus_per_replica
from llmtco.engine.owned import owned_cash_flows_usd, power_usd_per_month
from llmtco.engine.provisioning import (
    cold_starts_per_week,
    hourly_units_needed,
    provisioned_units,
)
from llmtco.engine.purchase import committed_mix_usd, optimal_commitment, spot_usd
from llmtco.engine.queueing import replicas_for_ttft_slo, ttft_quantile_s
from llmtco.engine.traffic import named_profile, normalized_profile
from llmtco.errors import ScenarioError, UnknownIdError
from llmtco.models import (
    ApiOption,
    ApiPriceSheet,
    GpuInstance,
    HybridOption,
    Ownership,
    Scenario,
    SelfHostedOption,
    Traffic,
    Workload,
)
from llmtco.models.workload import RequestClass
from llmtco.plan import TrafficPlan, plan_option
from llmtco.result import BreakEvenPair, ComparisonResult
from llmtco.serving import closest_profile, estimate_serving
from llmtco.units import SECONDS_PER_HOUR, TOKENS_PER_MTOK

__all__ = ["SampledCosts", "compare", "sampled_costs", "traffic_shape"]

HOURS_PER_WEEK = 168

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Volumes:
    """Monthly token volumes of the workload, each shaped (1, n_months) [tokens/month]."""

    total: FloatArray
    requests: FloatArray  # zero when the workload is given in tokens [requests/month]
    input_uncached: FloatArray
    cached_input: FloatArray
    output: FloatArray
    input_share: float
    cached_input_share: float
    peak_to_mean: float
    hour_of_week: FloatArray | None  # 168 values with mean 1; None when only a ratio is known
    burst_factor: float


@dataclass(frozen=True)
class _ReplicaLatency:
    """What the queueing model needs to know about one replica."""

    prefill_s: float  # time to first token of an unqueued request [s]
    request_duration_s: float  # time a request holds a batch slot [s]
    concurrency: float  # requests served at once [requests]
    output_tokens_per_request: float


@dataclass(frozen=True)
class _ServingUnit:
    """The smallest block of capacity one can rent for a self-hosted option."""

    instance: GpuInstance
    gpus_per_replica: int
    throughput_source: str  # "measured:<profile id>" or "estimate"
    replicas_per_unit: int
    instances_per_unit: int
    usd_per_hour: float  # one unit under the option's way of paying (amortised when owned)
    on_demand_usd_per_hour: float  # one unit, on demand
    output_tokens_per_s: float
    min_units: int
    latency: _ReplicaLatency | None = None


@dataclass(frozen=True)
class _OptionCosts:
    components: dict[str, FloatArray]  # name -> (1, n_months) [USD/month]
    capacity: pd.DataFrame | None = None
    ttft_s: dict[float, float] | None = None  # quantile -> time to first token [s]
    unit: _ServingUnit | None = None  # self-hosted options: what was sized, for the break-even
    prices: _ApiPrices | None = None  # API options: the mixed prices, for the break-even
    plan: TrafficPlan | None = None  # options priced through request classes or outcomes
    served: _Volumes | None = None  # planned self-hosted options: the volumes they serve
    fixed_usd: FloatArray | None = None  # API options: labor, overheads, setup, tier fee
    class_usd: FloatArray | None = None  # planned options: cost by class, (n_classes, n_months)


_REPORTED_QUANTILES = (0.5, 0.95, 0.99)
_LARGE_FLEET_ERLANG = 1e6


def traffic_shape(traffic: Traffic) -> tuple[FloatArray | None, float]:
    """The hour-of-week shape of the traffic (mean 1) and its busiest hour over the mean [-].

    The shape is None when only a peak-to-mean ratio is given.

    Examples
    --------
    >>> from llmtco.models import Traffic
    >>> traffic_shape(Traffic(peak_to_mean=2.5))
    (None, 2.5)
    >>> round(traffic_shape(Traffic(profile="flat"))[1], 6)
    1.0
    """
    if traffic.hour_of_week is not None:
        shape = normalized_profile(traffic.hour_of_week)
    elif traffic.profile is not None:
        shape = named_profile(traffic.profile)
    elif traffic.peak_to_mean is None:
        shape = named_profile("flat")
    else:
        return None, traffic.peak_to_mean
    return shape, float(peak_to_mean(shape))


def _volumes(scenario: Scenario, n_months: int) -> _Volumes:
    workload = scenario.workload
    growth = workload.growth
    if growth.multipliers is not None:
        multipliers = np.asarray(growth.multipliers[:n_months], dtype=np.float64)
    else:
        multipliers = compound_growth(n_months, growth.monthly_rate)
    multipliers = np.atleast_2d(multipliers)  # (1 or n_samples, n_months)
    total = workload.tokens_per_month_base * multipliers
    input_share, cached_share = workload.input_token_share, workload.cached_input_share
    shape, ratio = traffic_shape(workload.traffic)
    return _Volumes(
        total=total,
        requests=(0.0 if workload.requests_per_month is None else workload.requests_per_month)
        * multipliers,
        input_uncached=total * input_share * (1.0 - cached_share),
        cached_input=total * input_share * cached_share,
        output=total * (1.0 - input_share),
        input_share=input_share,
        cached_input_share=cached_share,
        peak_to_mean=ratio,
        hour_of_week=shape,
        burst_factor=workload.traffic.burst_factor,
    )


def _lookup(get: Callable[[str], _T], entry_id: str, key_path: str) -> _T:
    """Look an id up in the catalog; an unknown id's error names the scenario key."""
    try:
        return get(entry_id)
    except UnknownIdError as exc:
        msg = f"{key_path}: {exc}"
        raise UnknownIdError(msg) from None


def _lookup_api(catalog: Catalog, name: str, option: ApiOption) -> ApiPriceSheet:
    return _lookup(catalog.api_price, option.model, f"options.{name}.model")


@dataclass(frozen=True)
class _ApiPrices:
    """What an API option pays per token kind, every billing rule mixed in [USD/Mtok]."""

    input_usd_per_mtok: float
    output_usd_per_mtok: float
    cached_input_usd_per_mtok: float
    request_usd: float  # fee per request [USD/request]


def _api_prices(
    scenario: Scenario, name: str, option: ApiOption, sheet: ApiPriceSheet
) -> _ApiPrices:
    """Mix the service tier, the batch share and the off-peak share into one price per kind.

    Cliff tiers are chosen by the workload's mean prompt; without request sizes (a workload
    given in tokens) the prices below every cliff apply.
    """
    workload = scenario.workload
    prompt = workload.input_tokens_per_request
    if sheet.request_usd > 0 and workload.requests_per_month is None:
        msg = (
            f"options.{name}: {sheet.id} bills {sheet.request_usd} USD per request, but the "
            "workload is given in tokens; give it as requests_per_month + tokens per request"
        )
        raise ScenarioError(msg)
    parts: list[tuple[float, PriceArrays]] = []
    if option.batch_share > 0:
        if not sheet.has_tier("batch"):
            msg = (
                f"options.{name}.batch_share is {option.batch_share} but {sheet.id} has no "
                "batch prices"
            )
            raise ScenarioError(msg)
        parts.append((option.batch_share, sheet.prices_for(prompt, "batch")))
    if not sheet.has_tier(option.tier):
        msg = f"options.{name}.tier: {sheet.id} has no {option.tier} prices"
        raise ScenarioError(msg)
    rest = 1.0 - option.batch_share
    off_peak = 0.0
    if sheet.off_peak is not None and option.tier == "standard":
        start, end = sheet.off_peak.window_hours()
        traffic = workload.traffic
        profile = (
            named_profile(traffic.profile) if traffic.profile is not None else traffic.hour_of_week
        )
        off_peak = float(window_share(profile, start, end, traffic.utc_offset_hours))
        parts.append((rest * off_peak, sheet.prices_for(prompt, off_peak=True)))
    try:
        parts.append((rest * (1.0 - off_peak), sheet.prices_for(prompt, option.tier)))
    except ValueError as exc:
        msg = f"options.{name}.tier: {exc}"
        raise ScenarioError(msg) from None
    factor = option.price_factor
    return _ApiPrices(
        input_usd_per_mtok=factor * sum(w * p.input_usd_per_mtok for w, p in parts),
        output_usd_per_mtok=factor * sum(w * p.output_usd_per_mtok for w, p in parts),
        cached_input_usd_per_mtok=factor * sum(w * p.cached_input_usd_per_mtok for w, p in parts),
        request_usd=factor * sheet.request_usd,
    )


def _common_components(
    scenario: Scenario, option: ApiOption | SelfHostedOption | HybridOption, n_months: int
) -> dict[str, FloatArray]:
    """Labor, named overheads and the one-time setup in month 0 [USD/month]."""
    ones = np.ones((1, n_months))
    setup = option.setup_usd * (ones * (np.arange(n_months) == 0))  # (n_samples or 1, n)
    components = {
        "labor": ones * labor_usd_per_month(option.labor.fte, option.labor.usd_per_fte_year),
        "setup": setup,
    }
    for item, usd in option.overheads_usd_per_month.items():
        components[f"overhead:{item}"] = ones * usd
    return components


def _api_usage_components(
    prices: _ApiPrices, volumes: _Volumes, trend: FloatArray
) -> dict[str, FloatArray]:
    """Token and request charges of an API at mixed prices, drifting by ``trend`` [USD/month]."""
    components = {
        "api_input": volumes.input_uncached * prices.input_usd_per_mtok / TOKENS_PER_MTOK * trend,
        "api_cached_input": volumes.cached_input
        * prices.cached_input_usd_per_mtok
        / TOKENS_PER_MTOK
        * trend,
        "api_output": volumes.output * prices.output_usd_per_mtok / TOKENS_PER_MTOK * trend,
    }
    if np.any(np.asarray(prices.request_usd) > 0):
        components["api_request_fees"] = volumes.requests * prices.request_usd * trend
    return components


def _price_trend(
    scenario: Scenario, name: str, option: ApiOption | SelfHostedOption, n_months: int
) -> FloatArray:
    """Multipliers of an option's catalog prices in each month, shaped (..., n_months) [-]."""
    trend = scenario.price_trend(option)
    if trend.multipliers is None:
        return np.atleast_2d(price_escalation(n_months, trend.per_year))
    if len(trend.multipliers) < n_months:
        msg = (
            f"options.{name}.price_trend.multipliers has {len(trend.multipliers)} values but the "
            f"horizon is {n_months} months: give one per month"
        )
        raise ScenarioError(msg)
    return np.asarray(trend.multipliers[:n_months], dtype=np.float64)[np.newaxis, :]


def _tier_fee(sheet: ApiPriceSheet, option: ApiOption, n_months: int) -> dict[str, FloatArray]:
    """Monthly fee of the usage tier the option names, if the tier has one [USD/month]."""
    tier = next((t for t in sheet.rate_limits if t.tier == option.rate_limit_tier), None)
    if tier is None or tier.usd_per_month <= 0:
        return {}
    return {"rate_limit_fee": np.full((1, n_months), tier.usd_per_month)}


def _api_fixed_components(
    scenario: Scenario, sheet: ApiPriceSheet, option: ApiOption, n_months: int
) -> dict[str, FloatArray]:
    """What an API option pays whatever its volume: tier fee, labor, overheads, setup."""
    return _tier_fee(sheet, option, n_months) | _common_components(scenario, option, n_months)


def _summed(components: dict[str, FloatArray], n_months: int) -> FloatArray:
    """Sum of components, shaped (1, n_months) [USD/month]."""
    return np.asarray(sum(components.values(), np.zeros((1, n_months))))


def _api_ttft(option: ApiOption) -> dict[float, float] | None:
    measured = option.latency
    if measured is None:
        return None
    return dict(
        zip(_REPORTED_QUANTILES, (measured.p50_s, measured.p95_s, measured.p99_s), strict=True)
    )


def _api_option_costs(
    scenario: Scenario, name: str, option: ApiOption, catalog: Catalog, volumes: _Volumes
) -> _OptionCosts:
    sheet = _lookup_api(catalog, name, option)
    prices = _api_prices(scenario, name, option, sheet)
    n_months = volumes.total.shape[-1]
    fixed = _api_fixed_components(scenario, sheet, option, n_months)
    trend = _price_trend(scenario, name, option, n_months)
    return _OptionCosts(
        _api_usage_components(prices, volumes, trend) | fixed,
        None,
        _api_ttft(option),
        prices=prices,
        fixed_usd=_summed(fixed, n_months),
    )


def _instance_usd_per_hour(
    instance: GpuInstance, option: SelfHostedOption, name: str, hours_per_month: float
) -> float:
    """Hourly price of one instance under the option's way of paying [USD/h].

    A committed mix is quoted at its reserved price here (its on-demand share is costed from
    the hourly need); owned servers at their straight-line capital plus running cost per hour.
    """
    if option.purchase == "owned" and option.ownership is not None:
        own = option.ownership
        capital = (own.purchase_usd - own.salvage_usd) / own.life_months
        power = power_usd_per_month(own.power_kw, own.pue, own.usd_per_kwh, hours_per_month)
        monthly = capital + power + own.colocation_usd_per_month + own.maintenance_usd_per_month
        return monthly / hours_per_month  # type: ignore[return-value]  # arrays when sampled
    mode = option.committed_mix.term if option.committed_mix else "reserved_1yr"
    purchase = mode if option.purchase == "committed_mix" else option.purchase
    try:
        return option.price_factor * instance.price_usd_per_hour(purchase)  # type: ignore[arg-type]
    except ValueError as exc:
        msg = f"options.{name}.purchase: {exc}"
        raise ScenarioError(msg) from None


def _replica_throughput(
    catalog: Catalog,
    name: str,
    option: SelfHostedOption,
    instance: GpuInstance,
    workload: Workload,
) -> tuple[float, int, str]:
    """Output tokens/s of one replica, GPUs per replica and where the figure comes from.

    A named serving profile is used as given. With a model, a measured profile of that model
    on the instance's GPU (same precision, and GPUs per replica when set) wins, the one closest
    to the workload's request lengths; otherwise the calibrated roofline estimate.
    """
    key = f"options.{name}"
    if option.serving_profile is not None:
        profile = _lookup(catalog.serving_profile, option.serving_profile, f"{key}.serving_profile")
        if profile.gpu != instance.gpu:
            msg = (
                f"{key}: serving profile {profile.id} was measured on {profile.gpu}, but "
                f"instance {instance.id} has {instance.gpu}; pick a profile for {instance.gpu}"
            )
            raise ScenarioError(msg)
        return profile.output_tokens_per_s, profile.gpus_per_replica, f"measured:{profile.id}"
    model_id = option.model or ""
    _lookup(catalog.open_model, model_id, f"{key}.model")
    if workload.input_tokens_per_request is None or workload.output_tokens_per_request is None:
        msg = (
            f"{key}.model: sizing from a model needs request lengths: give the workload as "
            "requests_per_month + input/output tokens per request (or name a serving_profile)"
        )
        raise ScenarioError(msg)
    length_in = max(workload.input_tokens_per_request, 1.0)
    length_out = max(workload.output_tokens_per_request, 1.0)
    candidates = [
        p
        for p in (catalog.serving_profile(i) for i in catalog.ids("serving_profiles"))
        if p.model == model_id
        and p.gpu == instance.gpu
        and p.precision == option.precision
        and option.gpus_per_replica in (None, p.gpus_per_replica)
    ]
    best = closest_profile(candidates, length_in, length_out)
    if best is not None:
        return best.output_tokens_per_s, best.gpus_per_replica, f"measured:{best.id}"
    gpu = catalog.gpu(instance.gpu)
    model = catalog.open_model(model_id)
    gpus = option.gpus_per_replica
    if gpus is None:
        gpus = int(
            min_gpus_per_replica(
                model.total_params_billion,
                model.layers,
                model.kv_heads,
                model.head_dim,
                gpu.memory_gb,
                precision=option.precision,
                context_tokens=length_in + length_out,
            )
        )
        if gpus == 0:
            msg = (
                f"{key}.model: {model.id} in {option.precision} does not fit 8 x {gpu.id} "
                f"({gpu.memory_gb:g} GB each) at a {length_in + length_out:.0f}-token context"
            )
            raise ScenarioError(msg)
    estimate = estimate_serving(
        model,
        gpu,
        precision=option.precision,
        gpus_per_replica=gpus,
        input_tokens=length_in,
        output_tokens=length_out,
        concurrency=option.concurrency,
    )
    if not bool(np.all(estimate.fits)) or not float(estimate.output_tokens_per_s) > 0:
        msg = (
            f"{key}: {model.id} in {option.precision} on {gpus} x {gpu.id} does not fit "
            f"{option.concurrency or 'one'} request(s) of {length_in + length_out:.0f} tokens: "
            f"weights {float(estimate.weights_gb):.1f} GB, KV cache "
            f"{float(estimate.kv_cache_gb):.1f} GB"
        )
        raise ScenarioError(msg)
    return float(estimate.output_tokens_per_s), gpus, "estimate"


def _replica_latency(
    catalog: Catalog,
    option: SelfHostedOption,
    instance: GpuInstance,
    gpus: int,
    key: str,
    workload: Workload,
) -> _ReplicaLatency:
    """Prefill time and request duration of a replica: measured where recorded, else estimated."""
    if workload.output_tokens_per_request is None or workload.input_tokens_per_request is None:
        msg = (
            f"{key}.latency_slo needs request lengths and rates: give the workload as "
            "requests_per_month + input/output tokens per request"
        )
        raise ScenarioError(msg)
    profile = catalog.serving_profile(option.serving_profile) if option.serving_profile else None
    model_id = profile.model if profile else (option.model or "")
    concurrency = option.concurrency or (profile.concurrency if profile else None)
    estimate = estimate_serving(
        model_id,
        instance.gpu,
        precision=profile.precision if profile else option.precision,
        gpus_per_replica=gpus,
        input_tokens=max(workload.input_tokens_per_request, 1.0),
        output_tokens=max(workload.output_tokens_per_request, 1.0),
        concurrency=concurrency,
        catalog=catalog,
    )
    ttft = profile.ttft_s if profile and profile.ttft_s else float(estimate.ttft_s)
    tpot = profile.tpot_s if profile and profile.tpot_s else float(estimate.tpot_s)
    output = workload.output_tokens_per_request
    return _ReplicaLatency(
        prefill_s=ttft,
        request_duration_s=ttft + output * tpot,
        concurrency=float(estimate.concurrency),
        output_tokens_per_request=output,
    )


def _serving_unit(
    catalog: Catalog, scenario: Scenario, name: str, option: SelfHostedOption
) -> _ServingUnit:
    instance = _lookup(catalog.gpu_instance, option.instance, f"options.{name}.instance")
    per_replica_tps, gpus, source = _replica_throughput(
        catalog, name, option, instance, scenario.workload
    )
    usd_per_hour = _instance_usd_per_hour(instance, option, name, scenario.hours_per_month)
    replicas_per_unit, instances_per_unit = replica_packing(gpus, instance.gpu_count)
    return _ServingUnit(
        instance=instance,
        gpus_per_replica=gpus,
        throughput_source=source,
        replicas_per_unit=replicas_per_unit,
        instances_per_unit=instances_per_unit,
        usd_per_hour=usd_per_hour * instances_per_unit,
        on_demand_usd_per_hour=option.price_factor
        * instance.on_demand_usd_per_hour
        * instances_per_unit,
        output_tokens_per_s=per_replica_tps * replicas_per_unit,
        min_units=math.ceil(option.min_replicas / replicas_per_unit),
        latency=None
        if option.latency_slo is None
        else _replica_latency(
            catalog, option, instance, gpus, f"options.{name}", scenario.workload
        ),
    )


def _hourly_shape(volumes: _Volumes) -> FloatArray:
    """Demand in each hour of the week over the mean [-], shaped (..., hours represented).

    When only a ratio is known the week is flat at the peak, which is enough for static
    sizing; one hour then stands for all 168 (same costs, 168 times less work).
    """
    if volumes.hour_of_week is None:
        return _per_hour(volumes.peak_to_mean)
    return volumes.hour_of_week


def _units_for_latency(
    unit: _ServingUnit,
    option: SelfHostedOption,
    demand_output_tps: FloatArray,
    volumes: _Volumes,
    key_path: str,
) -> FloatArray:
    """Units each hour needs for its time to first token to meet the SLO (M/M/c queue)."""
    latency, slo = unit.latency, option.latency_slo
    if latency is None or slo is None:  # pragma: no cover - callers check
        return np.zeros(demand_output_tps.shape)
    peak_requests_per_s = (
        demand_output_tps * volumes.burst_factor / latency.output_tokens_per_request
    )
    offered_erlang = peak_requests_per_s * latency.request_duration_s
    # Beyond a million requests in service the M/M/c wait vanishes just above the offered load
    # (the large-fleet limit), where the exact Erlang C search is neither needed nor cheap.
    huge = offered_erlang > _LARGE_FLEET_ERLANG
    exact = np.asarray(
        replicas_for_ttft_slo(
            np.where(huge, 0.0, peak_requests_per_s),
            latency.request_duration_s,
            latency.concurrency,
            latency.prefill_s,
            slo.ttft_s,
            slo.quantile,
        )
    )
    limit = np.ceil(offered_erlang * (1 + 1e-3) / latency.concurrency)
    replicas = np.where(huge, np.where(latency.prefill_s < slo.ttft_s, limit, np.inf), exact)
    if not np.all(np.isfinite(replicas)):
        msg = (
            f"{key_path}.latency_slo: a time to first token of {slo.ttft_s} s cannot be met: "
            f"prefill alone takes {latency.prefill_s:.3g} s on this configuration"
        )
        raise ScenarioError(msg)
    units: FloatArray = np.ceil(replicas / unit.replicas_per_unit)
    return units


def _per_hour(value: float | FloatArray) -> FloatArray:
    """A per-month figure, shaped (..., 1) or scalar, with a trailing hour-of-week axis."""
    return np.asarray(value, dtype=np.float64)[..., np.newaxis]


def _hourly_units(
    unit: _ServingUnit,
    option: SelfHostedOption,
    volumes: _Volumes,
    mean_output_tps: FloatArray,
    key_path: str,
) -> FloatArray:
    """Units running in each hour of a typical week, shaped ``mean_output_tps.shape + (168,)``."""
    policy = option.provisioning.policy
    if volumes.hour_of_week is None and policy != "static":
        msg = (
            f"{key_path}.provisioning.policy is {policy}, which needs the traffic's "
            "hour-of-week shape: give workload.traffic.profile or hour_of_week "
            "(peak_to_mean alone only fits static provisioning)"
        )
        raise ScenarioError(msg)
    shape = _hourly_shape(volumes)
    demand = mean_output_tps[..., np.newaxis] * shape
    needed = hourly_units_needed(
        demand,
        _per_hour(unit.output_tokens_per_s),
        _per_hour(option.target_utilization),
        _per_hour(volumes.burst_factor),
    )
    if unit.latency is not None and option.latency_slo is not None:
        needed = np.maximum(needed, _units_for_latency(unit, option, demand, volumes, key_path))
    if not np.all(np.isfinite(needed)):
        msg = (
            f"{key_path}: the units needed at the peak overflow to infinity; some inputs are "
            "too large or too small for a meaningful fleet (a volume, a throughput or "
            "target_utilization): check their units"
        )
        raise ScenarioError(msg)
    return provisioned_units(
        needed,
        policy,
        min_units=unit.min_units,
        scale_step=option.provisioning.scale_step,
        scale_up_lag_hours=option.provisioning.scale_up_lag_hours,
    )


def _capacity_usd(
    unit: _ServingUnit, option: SelfHostedOption, units_by_hour: FloatArray, hours: float
) -> dict[str, FloatArray]:
    """Capacity cost per month [USD/month], unit-hours and cold starts, for any leading shape.

    ``units_by_hour`` is shaped ``(..., n_months, k)``: the units running in each hour of a
    typical week of each month (k = 168), or in one hour standing for a flat week (k = 1).
    """
    weeks_per_month = hours / HOURS_PER_WEEK
    hours_per_column = hours / units_by_hour.shape[-1]  # hours a column stands for [h/month]
    unit_hours = units_by_hour.sum(axis=-1) * hours_per_column
    cold_starts = cold_starts_per_week(units_by_hour) * weeks_per_month
    if option.purchase in ("reserved_1yr", "reserved_3yr", "owned"):
        # Committed capacity is paid every hour, used or not: the month's peak units run.
        unit_hours = units_by_hour.max(axis=-1) * hours
        gpu_usd = unit_hours * unit.usd_per_hour
    elif option.purchase == "spot" and option.spot is not None:
        terms = option.spot
        gpu_usd = np.asarray(
            spot_usd(
                unit_hours,
                unit.usd_per_hour,
                unit.on_demand_usd_per_hour,
                terms.interruption_rate_per_hour,
                terms.fallback_share,
                terms.overprovision_share,
                terms.recovery_hours,
            )
        )
    elif option.purchase == "committed_mix":
        committed = _committed_units(unit, option, units_by_hour)
        per_week = committed_mix_usd(
            units_by_hour,
            committed[..., np.newaxis],
            unit.usd_per_hour,
            unit.on_demand_usd_per_hour,
        )
        gpu_usd = np.asarray(per_week) * hours_per_column
    else:
        gpu_usd = unit_hours * unit.usd_per_hour
    return {
        "unit_hours": unit_hours,
        "gpu_usd": np.asarray(gpu_usd, dtype=np.float64),
        "cold_starts": cold_starts,
        "cold_start_usd": cold_starts * option.provisioning.cold_start_usd,
    }


def _committed_units(
    unit: _ServingUnit, option: SelfHostedOption, units_by_hour: FloatArray
) -> FloatArray:
    """Reserved base of a committed mix, one number over all hours of the horizon [units]."""
    given = option.committed_mix.committed_units if option.committed_mix else None
    lead = units_by_hour.shape[:-2]
    if given is not None:
        return np.full(lead, float(given))
    every_hour = units_by_hour.reshape(*lead, -1)
    best = optimal_commitment(every_hour, unit.usd_per_hour, unit.on_demand_usd_per_hour)
    return np.asarray(best.committed_replicas, dtype=np.float64).reshape(lead)


def _owned_components(
    unit: _ServingUnit,
    ownership: Ownership,
    units_by_hour: FloatArray,
    busy: FloatArray,
    hours: float,
) -> dict[str, FloatArray]:
    """Cash flows of servers bought in month 0 for the horizon's peak [USD/month]."""
    n_months = units_by_hour.shape[-2]
    owned_units = units_by_hour.max(axis=(-2, -1))[..., np.newaxis]  # the horizon's peak
    servers = owned_units * unit.instances_per_unit
    # ``busy`` is measured against each month's peak; the power drawn is against every server.
    month_units = units_by_hour.max(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        load = np.where(owned_units > 0, busy * month_units / owned_units, 0.0)
    power = power_usd_per_month(
        ownership.power_kw * servers,
        ownership.pue,
        ownership.usd_per_kwh,
        hours,
        utilization=np.minimum(load, 1.0),
    )
    flows = owned_cash_flows_usd(
        ownership.purchase_usd * servers,
        ownership.salvage_usd * servers,
        ownership.life_months,
        n_months,
        power,
        ownership.colocation_usd_per_month * servers,
        ownership.maintenance_usd_per_month * servers,
    )
    return {
        "hardware_purchase": np.asarray(flows.purchase_usd),
        "hardware_salvage": np.asarray(flows.salvage_usd),
        "power": np.asarray(flows.power_usd),
        "colocation": np.asarray(flows.colocation_usd),
        "maintenance": np.asarray(flows.maintenance_usd),
    }


def _self_hosted_option_costs(
    scenario: Scenario,
    name: str,
    option: SelfHostedOption,
    catalog: Catalog,
    volumes: _Volumes,
    *,
    detail: bool = True,
) -> _OptionCosts:
    """Cost a self-hosted option; ``detail=False`` skips the capacity and latency records."""
    unit = _serving_unit(catalog, scenario, name, option)
    hours = scenario.hours_per_month
    mean_output_tps = np.asarray(mean_tokens_per_s(volumes.output, hours))
    units_by_hour = _hourly_units(unit, option, volumes, mean_output_tps, f"options.{name}")
    paid = _capacity_usd(unit, option, units_by_hour, hours)
    unit_hours = paid["unit_hours"]
    with np.errstate(divide="ignore", invalid="ignore"):
        busy = np.where(
            unit_hours > 0, mean_output_tps * hours / (unit_hours * unit.output_tokens_per_s), 0.0
        )
    n_months = volumes.total.shape[-1]
    gpu_usd = paid["gpu_usd"] * _price_trend(scenario, name, option, n_months)
    used_usd, idle_usd = split_idle_usd(gpu_usd, np.minimum(busy, 1.0))
    if option.purchase == "owned" and option.ownership is not None:
        components = _owned_components(unit, option.ownership, units_by_hour, busy, hours)
    else:
        components = {"gpu_used": np.asarray(used_usd), "gpu_idle": np.asarray(idle_usd)}
    components["variable"] = volumes.total * option.variable_usd_per_mtok / TOKENS_PER_MTOK
    if option.provisioning.policy == "scale_to_zero" or option.provisioning.cold_start_usd > 0:
        # Any policy that lets capacity reach zero pays its starts (as the break-even does).
        components["cold_starts"] = paid["cold_start_usd"]
    components |= _common_components(scenario, option, n_months)
    if not detail:
        return _OptionCosts(components, unit=unit)
    peak_units = units_by_hour.max(axis=-1)[0]
    instance_hours = unit_hours[0] * unit.instances_per_unit
    capacity = pd.DataFrame(
        {
            "month": np.arange(n_months),
            "option": name,
            "tokens_per_month": volumes.total[0],
            "peak_output_tokens_per_s": (
                mean_output_tps[0] * volumes.peak_to_mean * volumes.burst_factor
            ),
            "replicas": peak_units * unit.replicas_per_unit,
            "instances": peak_units * unit.instances_per_unit,
            "gpus": peak_units * unit.instances_per_unit * unit.instance.gpu_count,
            "gpu_hours": instance_hours * unit.instance.gpu_count,
            "utilization": busy[0],
            "idle_usd": np.asarray(idle_usd)[0],
            "cold_starts": paid["cold_starts"][0],
            "throughput_source": unit.throughput_source,
        }
    )
    ttft = None
    if unit.latency is not None:
        # Month 0's busiest hour, with the replicas that run in it.
        shape = _hourly_shape(volumes)
        hour = int(np.argmax(shape))
        peak_rps = (
            mean_output_tps[0, 0]
            * shape[hour]
            * volumes.burst_factor
            / unit.latency.output_tokens_per_request
        )
        replicas = units_by_hour[0, 0, hour] * unit.replicas_per_unit
        ttft = {
            q: float(
                ttft_quantile_s(
                    replicas,
                    peak_rps,
                    unit.latency.request_duration_s,
                    unit.latency.concurrency,
                    unit.latency.prefill_s,
                    q,
                )
            )
            for q in _REPORTED_QUANTILES
        }
    return _OptionCosts(components, capacity, ttft, unit=unit)


def _sub_scenario(
    scenario: Scenario, requests_per_month: float, sizes: tuple[float, float]
) -> Scenario:
    """The scenario as one backend sees it: its requests, of these mean sizes, same shape."""
    workload = scenario.workload
    sub = Workload(
        requests_per_month=requests_per_month,
        input_tokens_per_request=sizes[0],
        output_tokens_per_request=sizes[1],
        cached_input_share=workload.cached_input_share,
        growth=workload.growth,
        traffic=workload.traffic,
    )
    return scenario.model_copy(update={"workload": sub})


def _mean_sizes(classes: dict[str, RequestClass], weights: FloatArray) -> tuple[float, float]:
    """Mean input and output tokens of requests drawn from classes by weight [tokens/request]."""
    sizes = np.asarray(
        [(c.input_tokens_per_request, c.output_tokens_per_request) for c in classes.values()]
    )
    mean = weights @ sizes / weights.sum()
    return float(mean[0]), float(mean[1])


def _marginal_usd_per_call(
    scenario: Scenario,
    name: str,
    option: HybridOption,
    catalog: Catalog,
    classes: dict[str, RequestClass],
) -> dict[str, FloatArray]:
    """Cost of one call of each class on each backend, capacity at the planned load [USD/call].

    API calls cost their price. A self-hosted call costs its output tokens at the capacity
    price per token when replicas run at the target utilization through the traffic's peak
    (the static policy) or its bursts (the others), plus the variable cost. Labor, setup and
    minimum replicas are left out: they do not change with the split.
    """
    requests = scenario.workload.requests_per_month or 0.0
    share = np.asarray([c.share for c in classes.values()])
    sizes = np.asarray(
        [(c.input_tokens_per_request, c.output_tokens_per_request) for c in classes.values()]
    )
    tokens = sizes.sum(axis=1)
    result: dict[str, FloatArray] = {}
    for backend_name, backend in option.backends.items():
        label = f"{name}.backends.{backend_name}"
        if isinstance(backend, ApiOption):
            sheet = _lookup_api(catalog, label, backend)
            per_call = np.zeros(len(classes))
            for i, (size, request_class) in enumerate(zip(sizes, classes.values(), strict=True)):
                sub = _sub_scenario(scenario, requests * request_class.share, (size[0], size[1]))
                prices = _api_prices(sub, label, backend, sheet)
                blended = blended_usd_per_mtok(
                    size[0] / tokens[i],
                    scenario.workload.cached_input_share,
                    prices.input_usd_per_mtok,
                    prices.output_usd_per_mtok,
                    prices.cached_input_usd_per_mtok,
                )
                per_call[i] = blended * tokens[i] / TOKENS_PER_MTOK + prices.request_usd
        else:
            sub = _sub_scenario(scenario, requests, _mean_sizes(classes, share))
            unit = _serving_unit(catalog, sub, label, backend)
            volumes = _volumes(sub, 1)
            headroom = volumes.burst_factor * (
                volumes.peak_to_mean if backend.provisioning.policy == "static" else 1.0
            )
            usd_per_output_token = (
                unit.usd_per_hour
                * headroom
                / (unit.output_tokens_per_s * SECONDS_PER_HOUR * backend.target_utilization)
            )
            per_call = (
                sizes[:, 1] * usd_per_output_token
                + tokens * backend.variable_usd_per_mtok / TOKENS_PER_MTOK
            )
        result[backend_name] = per_call
    return result


def _prefixed(prefix: str, components: dict[str, FloatArray]) -> dict[str, FloatArray]:
    return {f"{prefix}{k}": v for k, v in components.items()}


def _add(into: dict[str, FloatArray], components: dict[str, FloatArray]) -> None:
    for key, value in components.items():
        into[key] = into[key] + value if key in into else value


_OUTCOME_COMPONENTS = ("verification", "human_escalation", "false_accepts")


def _planned_option_costs(
    scenario: Scenario,
    name: str,
    option: ApiOption | SelfHostedOption | HybridOption,
    catalog: Catalog,
    volumes: _Volumes,
) -> _OptionCosts:
    """Cost an option through its traffic plan: backends sized for what they receive."""
    key = f"options.{name}"
    classes = scenario.workload.request_classes()
    marginal = (
        _marginal_usd_per_call(scenario, name, option, catalog, classes)
        if isinstance(option, HybridOption) and option.optimize is not None
        else None
    )
    plan = plan_option(key, name, option, classes, marginal)
    requests = scenario.workload.requests_per_month or 0.0
    n_months = volumes.total.shape[-1]
    hybrid = isinstance(option, HybridOption)
    components: dict[str, FloatArray] = {}
    class_usd = np.zeros((len(classes), n_months))
    capacity: pd.DataFrame | None = None
    ttft: dict[float, float] | None = None
    unit: _ServingUnit | None = None
    served: _Volumes | None = None
    fixed: FloatArray | None = None
    for b, backend_name in enumerate(plan.backends):
        backend = option.backends[backend_name] if isinstance(option, HybridOption) else option
        weights = plan.calls_by_class(b)
        if weights.sum() <= 0:
            continue  # never used: no capacity, no labor
        prefix = f"{backend_name}:" if hybrid else ""
        label = f"{name}.backends.{backend_name}" if hybrid else name
        backend_costs: dict[str, FloatArray] = {}
        tokens = weights * np.asarray(
            [c.input_tokens_per_request + c.output_tokens_per_request for c in classes.values()]
        )
        shared_by = tokens / tokens.sum() if tokens.sum() > 0 else weights / weights.sum()
        if isinstance(backend, ApiOption):
            sheet = _lookup_api(catalog, label, backend)
            for i, request_class in enumerate(classes.values()):
                if weights[i] <= 0:
                    continue
                sizes = (
                    request_class.input_tokens_per_request,
                    request_class.output_tokens_per_request,
                )
                sub = _sub_scenario(scenario, requests * weights[i], sizes)
                class_prices = _api_prices(sub, label, backend, sheet)
                usage = _api_usage_components(
                    class_prices,
                    _volumes(sub, n_months),
                    _price_trend(scenario, label, backend, n_months),
                )
                class_usd[i] += sum(usage.values(), np.zeros(n_months))[0]
                _add(backend_costs, usage)
            common = _api_fixed_components(scenario, sheet, backend, n_months)
            if not hybrid:
                ttft, fixed = _api_ttft(backend), _summed(common, n_months)
            class_usd += shared_by[:, np.newaxis] * _summed(common, n_months)[0]
            _add(backend_costs, common)
        else:
            sub = _sub_scenario(scenario, requests * weights.sum(), _mean_sizes(classes, weights))
            sub_volumes = _volumes(sub, n_months)
            costs = _self_hosted_option_costs(sub, label, backend, catalog, sub_volumes)
            backend_costs = dict(costs.components)
            backend_usd = sum(backend_costs.values(), np.zeros(n_months))[0]
            class_usd += shared_by[:, np.newaxis] * backend_usd
            frame = costs.capacity
            if frame is not None:
                frame = frame.assign(option=name, backend=backend_name)
                capacity = frame if capacity is None else pd.concat([capacity, frame])
            if not hybrid:
                unit, served, ttft = costs.unit, sub_volumes, costs.ttft_s
        _add(components, _prefixed(prefix, backend_costs))
    month_requests = volumes.requests
    per_class_usd = (plan.verify_usd, plan.human_usd, plan.false_accept_usd)
    for component, per_class in zip(_OUTCOME_COMPONENTS, per_class_usd, strict=True):
        usd_per_request = plan.weighted(per_class)
        if usd_per_request > 0:
            components[component] = month_requests * usd_per_request
            class_usd += (plan.class_share * per_class)[:, np.newaxis] * month_requests
    if hybrid:
        common = _common_components(scenario, option, n_months)
        class_usd += plan.class_share[:, np.newaxis] * sum(common.values(), np.zeros(n_months))
        _add(components, common)
    return _OptionCosts(
        components,
        capacity.reset_index(drop=True) if capacity is not None else None,
        ttft,
        unit=unit,
        plan=plan,
        served=served,
        fixed_usd=fixed,
        class_usd=class_usd,
    )


def _self_hosted_recurring_usd(
    unit: _ServingUnit,
    option: SelfHostedOption,
    volumes: _Volumes,
    tokens_per_month: FloatArray,
    hours: float,
) -> FloatArray:
    """Capacity, cold-start and variable cost at monthly volumes [USD/month]."""
    volume = np.asarray(tokens_per_month, dtype=np.float64)[..., np.newaxis]  # one month each
    mean_output_tps = np.asarray(mean_tokens_per_s(volume * (1.0 - volumes.input_share), hours))
    units_by_hour = _hourly_units(unit, option, volumes, mean_output_tps, "options")
    paid = _capacity_usd(unit, option, units_by_hour, hours)
    variable = volume * option.variable_usd_per_mtok / TOKENS_PER_MTOK
    return np.asarray(paid["gpu_usd"] + paid["cold_start_usd"] + variable)[..., 0]


_GRID_TOKENS_PER_MONTH = np.geomspace(1e3, 1e16, 1301)


def _numeric_break_even(difference: Callable[[FloatArray], FloatArray]) -> float:
    """Sustained break-even of a cost difference (self-hosted minus API) over volume.

    Evaluates the difference on a log grid from 1e3 to 1e16 tokens/month (vectorized), takes
    the last grid volume where self-hosting is still dearer, and refines the crossing after it
    by bisection. Returns inf when self-hosting is dearer at the top of the grid, 0 when it is
    never dearer.
    """
    grid = _GRID_TOKENS_PER_MONTH
    dearer = difference(grid) > 0
    if dearer[-1]:
        return float(np.inf)
    if not dearer.any():
        return 0.0
    last = int(np.flatnonzero(dearer)[-1])
    low, high = float(grid[last]), float(grid[last + 1])
    for _ in range(200):  # bisection on a possibly stepped function
        middle = 0.5 * (low + high)
        if difference(np.asarray([middle]))[0] > 0:
            low = middle
        else:
            high = middle
        if high - low <= 1e-12 * high:
            break
    return high


def _fixed_usd_per_month(option: ApiOption | SelfHostedOption) -> FloatArray:
    """Labor and named overheads of an option, shaped like its inputs [USD/month]."""
    return np.asarray(
        labor_usd_per_month(option.labor.fte, option.labor.usd_per_fte_year)
        + sum(option.overheads_usd_per_month.values()),
        dtype=np.float64,
    )


def _pair(
    scenario: Scenario,
    names: tuple[str, str],
    totals: dict[str, FloatArray],
    api_usd_per_mtok: float,
    volume: float,
    volumes: _Volumes,
) -> BreakEvenPair:
    """The break-even record of one pair, with its plain and discounted payback."""
    self_name, api_name = names
    plain = payback_month(totals[self_name], totals[api_name])
    discounted = payback_month(totals[self_name], totals[api_name], scenario.discount_rate_per_year)
    return BreakEvenPair(
        self_hosted=self_name,
        api=api_name,
        api_usd_per_mtok=api_usd_per_mtok,
        break_even_tokens_per_month=volume,
        tokens_per_month_month0=float(volumes.total[0, 0]),
        payback_month=float(np.asarray(plain.month).item()),
        payback_within_horizon=bool(np.asarray(plain.within_horizon).item()),
        discounted_payback_month=float(np.asarray(discounted.month).item()),
        discounted_payback_within_horizon=bool(np.asarray(discounted.within_horizon).item()),
    )


def _break_even_row(
    scenario: Scenario,
    volumes: _Volumes,
    names: tuple[str, str],
    costs: dict[str, _OptionCosts],
    totals: dict[str, FloatArray],
) -> BreakEvenPair:
    """Volume break-even and payback of one self-hosted option against one API option."""
    self_name, api_name = names
    if costs[api_name].plan is not None or costs[self_name].plan is not None:
        return _planned_break_even_row(scenario, volumes, names, costs, totals)
    api_blended, staircase_volume = _plain_break_even(scenario, volumes, names, costs)
    if staircase_volume is not None:
        volume = float(staircase_volume.ravel()[0])
    else:
        self_option = scenario.options[self_name]
        unit = costs[self_name].unit
        if not isinstance(self_option, SelfHostedOption) or unit is None:  # pragma: no cover
            msg = f"{self_name} is not a sized self-hosted option"
            raise TypeError(msg)
        net_fixed = float(
            _fixed_usd_per_month(self_option)
            - _fixed_usd_per_month(_api_option(scenario, api_name))
        )
        hours = scenario.hours_per_month
        blended = float(api_blended.ravel()[0])
        volume = _numeric_break_even(
            lambda v: (
                _self_hosted_recurring_usd(unit, self_option, volumes, v, hours)
                + net_fixed
                - blended * v / TOKENS_PER_MTOK
            )
        )
    return _pair(scenario, names, totals, float(api_blended.ravel()[0]), volume, volumes)


def _api_option(scenario: Scenario, name: str) -> ApiOption:
    option = scenario.options[name]
    if not isinstance(option, ApiOption):  # pragma: no cover - callers pair API options
        msg = f"{name} is not an API option"
        raise TypeError(msg)
    return option


def _plain_break_even(
    scenario: Scenario,
    volumes: _Volumes,
    names: tuple[str, str],
    costs: dict[str, _OptionCosts],
) -> tuple[FloatArray, FloatArray | None]:
    """The API's blended price and, for a staircase, the sustained break-even volume.

    Both are arrays shaped like the scenario's sampled inputs, ``(n_samples, 1)`` (``(1, 1)``
    for a plain scenario) [USD/Mtok] and [tokens/month]. The volume is None when the
    self-hosted cost is not a staircase in volume (autoscaling, spot, a committed mix or a
    latency SLO), where it is solved numerically instead.
    """
    self_name, api_name = names
    api_option = _api_option(scenario, api_name)
    self_option = scenario.options[self_name]
    prices, unit = costs[api_name].prices, costs[self_name].unit
    if not isinstance(self_option, SelfHostedOption) or prices is None or unit is None:
        msg = f"break-even pairs a self-hosted option with an API option; got {names}"
        raise TypeError(msg)
    first_requests = volumes.requests[..., :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        tokens_per_request = np.where(
            first_requests > 0, volumes.total[..., :1] / first_requests, 0.0
        )
        request_usd_per_mtok = np.where(
            tokens_per_request > 0,
            prices.request_usd / tokens_per_request * TOKENS_PER_MTOK,
            0.0,
        )
    api_blended = (
        np.asarray(
            blended_usd_per_mtok(
                volumes.input_share,
                volumes.cached_input_share,
                prices.input_usd_per_mtok,
                prices.output_usd_per_mtok,
                prices.cached_input_usd_per_mtok,
            )
        )
        + request_usd_per_mtok
    )
    staircase = (
        self_option.provisioning.policy == "static"
        and self_option.purchase in ("on_demand", "reserved_1yr", "reserved_3yr", "owned")
        and self_option.latency_slo is None
    )
    if not staircase:
        return api_blended, None
    hours = scenario.hours_per_month
    output_share = 1.0 - volumes.input_share
    # The API option's own labor and overheads lower the bar self-hosting must clear.
    net_fixed = _fixed_usd_per_month(self_option) - _fixed_usd_per_month(api_option)
    # Monthly volume (all tokens, workload mix) one unit carries when sized for the peak.
    with np.errstate(divide="ignore"):
        unit_tokens_per_month = np.where(
            output_share > 0,
            unit.output_tokens_per_s
            * np.asarray(self_option.target_utilization)
            * SECONDS_PER_HOUR
            * hours
            / (volumes.peak_to_mean * volumes.burst_factor * output_share),
            np.inf,
        )
    volume = np.asarray(
        break_even_volume(
            api_blended,
            net_fixed,
            unit.usd_per_hour * hours,
            unit_tokens_per_month,
            self_option.variable_usd_per_mtok,
            unit.min_units,
        ),
        dtype=np.float64,
    )
    return api_blended, volume


def _per_workload_mtok(usd: FloatArray, volumes: _Volumes) -> float:
    """Cost per million workload tokens of a cost proportional to the volume [USD/Mtok]."""
    total = float(volumes.total.sum())
    return float(usd.sum()) / total * TOKENS_PER_MTOK if total > 0 else 0.0


def _planned_break_even_row(
    scenario: Scenario,
    volumes: _Volumes,
    names: tuple[str, str],
    costs: dict[str, _OptionCosts],
    totals: dict[str, FloatArray],
) -> BreakEvenPair:
    """Break-even when retries, escalations or classes change what each option serves.

    The volume is the workload's (requests as the user counts them). The API side costs its
    volume-proportional lines per workload token; the self-hosted side is resized at each
    volume for the traffic it serves per workload token, plus its outcome lines.
    """
    self_name, api_name = names
    self_option = scenario.options[self_name]
    api_option = scenario.options[api_name]
    api_costs, self_costs = costs[api_name], costs[self_name]
    if not isinstance(self_option, SelfHostedOption) or not isinstance(api_option, ApiOption):
        msg = f"break-even pairs a self-hosted option with an API option; got {names}"
        raise TypeError(msg)
    if api_costs.fixed_usd is None:  # pragma: no cover - every API option records it
        msg = f"{api_name} has no fixed costs recorded"
        raise TypeError(msg)
    # An API's costs beyond the fixed ones (tokens, fees, outcome lines) scale with volume.
    api_usd_per_mtok = _per_workload_mtok(totals[api_name] - api_costs.fixed_usd, volumes)
    hours = scenario.hours_per_month
    if self_costs.unit is None:  # pragma: no cover - every self-hosted option is sized
        msg = f"{self_name} has no serving unit"
        raise TypeError(msg)
    unit = self_costs.unit
    served = self_costs.served or volumes
    total = float(volumes.total.sum())
    served_per_token = float(served.total.sum()) / total if total > 0 else 1.0
    outcome_usd_per_mtok = _per_workload_mtok(
        sum(
            (
                self_costs.components.get(c, np.zeros_like(volumes.total))
                for c in _OUTCOME_COMPONENTS
            ),
            np.zeros_like(volumes.total),
        ),
        volumes,
    )

    net_fixed = _fixed_usd_per_month(self_option) - _fixed_usd_per_month(api_option)
    volume = _numeric_break_even(
        lambda v: (
            _self_hosted_recurring_usd(unit, self_option, served, v * served_per_token, hours)
            + net_fixed
            + (outcome_usd_per_mtok - api_usd_per_mtok) * v / TOKENS_PER_MTOK
        )
    )
    return _pair(scenario, names, totals, api_usd_per_mtok, volume, volumes)


def _needs_plan(scenario: Scenario, option: ApiOption | SelfHostedOption | HybridOption) -> bool:
    """Whether the option is priced through request classes, outcomes or routes."""
    return (
        isinstance(option, HybridOption)
        or option.outcomes is not None
        or scenario.workload.classes is not None
    )


@dataclass(frozen=True)
class _ApiLoad:
    """What one API deployment receives each month, shaped (n_months,)."""

    option: str
    backend: str
    api: ApiOption
    requests: FloatArray | None  # None when the workload is given in tokens [requests/month]
    input_tokens: FloatArray  # [tokens/month]
    output_tokens: FloatArray  # [tokens/month]


def _api_loads(
    scenario: Scenario, costs: dict[str, _OptionCosts], volumes: _Volumes
) -> list[_ApiLoad]:
    """Monthly requests and tokens of every API option and every API backend of a hybrid."""
    loads = []
    classes = scenario.workload.request_classes() if scenario.workload.has_requests else {}
    for name, c in costs.items():
        option = scenario.options[name]
        if c.plan is None:
            if isinstance(option, ApiOption):
                loads.append(
                    _ApiLoad(
                        name,
                        name,
                        option,
                        volumes.requests[0] if scenario.workload.has_requests else None,
                        (volumes.input_uncached + volumes.cached_input)[0],
                        volumes.output[0],
                    )
                )
            continue
        for b, backend_name in enumerate(c.plan.backends):
            backend = option.backends[backend_name] if isinstance(option, HybridOption) else option
            weights = c.plan.calls_by_class(b)
            if not isinstance(backend, ApiOption) or weights.sum() <= 0:
                continue
            requests = volumes.requests[0] * weights.sum()
            input_tokens, output_tokens = _mean_sizes(classes, weights)
            loads.append(
                _ApiLoad(
                    name,
                    backend_name,
                    backend,
                    requests,
                    requests * input_tokens,
                    requests * output_tokens,
                )
            )
    return loads


_LIMIT_KINDS = (
    "requests_per_minute",
    "tokens_per_minute",
    "input_tokens_per_minute",
    "output_tokens_per_minute",
)


def _rate_limit_check(
    scenario: Scenario, load: _ApiLoad, catalog: Catalog, volumes: _Volumes
) -> dict[str, object] | None:
    """The busiest minute of one API deployment against its usage tiers; None without limits."""
    key = (
        f"options.{load.option}"
        if load.option == load.backend
        else f"options.{load.option}.backends.{load.backend}"
    )
    sheet = _lookup(catalog.api_price, load.api.model, f"{key}.model")
    tiers = sheet.rate_limits
    if not tiers:
        if load.api.rate_limit_tier is not None:
            msg = f"{key}.rate_limit_tier: {sheet.id} lists no rate limits in the catalog"
            raise ScenarioError(msg)
        return None
    names = [t.tier for t in tiers]
    if load.api.rate_limit_tier is not None and load.api.rate_limit_tier not in names:
        msg = (
            f"{key}.rate_limit_tier: {sheet.id} has no tier {load.api.rate_limit_tier!r}; "
            f"its tiers are: {', '.join(names)}"
        )
        raise ScenarioError(msg)
    busiest = int(np.argmax(load.input_tokens + load.output_tokens))
    monthly = {
        "requests_per_minute": np.nan if load.requests is None else load.requests[busiest],
        "tokens_per_minute": load.input_tokens[busiest] + load.output_tokens[busiest],
        "input_tokens_per_minute": load.input_tokens[busiest],
        "output_tokens_per_minute": load.output_tokens[busiest],
    }
    shape = volumes.hour_of_week
    if shape is None:  # only the peak-to-mean ratio is known: one peak hour in the week
        rest = max(HOURS_PER_WEEK - volumes.peak_to_mean, 0.0) / (HOURS_PER_WEEK - 1)
        shape = np.full(HOURS_PER_WEEK, rest)
        shape[0] = volumes.peak_to_mean
    hours, burst = scenario.hours_per_month, volumes.burst_factor
    peaks = {
        kind: float(peak_minute_rate(np.nan_to_num(v), shape, hours, burst))
        if not np.isnan(v)
        else np.nan
        for kind, v in monthly.items()
    }
    table = np.asarray(
        [[getattr(t, kind) or np.inf for kind in _LIMIT_KINDS] for t in tiers], dtype=np.float64
    )
    checked = np.asarray([0.0 if np.isnan(peaks[k]) else peaks[k] for k in _LIMIT_KINDS])
    needed = int(tier_needed(checked, table))
    if load.api.rate_limit_tier is not None:
        index = names.index(load.api.rate_limit_tier)
    else:
        index = needed if needed >= 0 else len(tiers) - 1
    throttled = {
        kind: float(
            throttled_share(np.nan_to_num(monthly[kind]), table[index, k], shape, hours, burst)
        )
        for k, kind in enumerate(_LIMIT_KINDS)
        if not np.isnan(monthly[kind])
    }
    binding = max(throttled, key=lambda k: throttled[k])
    return {
        "option": load.option,
        "backend": load.backend,
        "model": sheet.id,
        "tier": names[index],
        "tier_usd_per_month": tiers[index].usd_per_month,
        "month": busiest,
        "peak_requests_per_min": peaks["requests_per_minute"],
        "peak_tokens_per_min": peaks["tokens_per_minute"],
        "peak_input_tokens_per_min": peaks["input_tokens_per_minute"],
        "peak_output_tokens_per_min": peaks["output_tokens_per_minute"],
        "exceeds": bool(np.any(checked > table[index])),
        "throttled_share": throttled[binding],
        "binding_limit": binding if throttled[binding] > 0 else "",
        "tier_needed": names[needed] if needed >= 0 else "none listed",
    }


def _rate_limits_frame(
    scenario: Scenario, costs: dict[str, _OptionCosts], catalog: Catalog, volumes: _Volumes
) -> pd.DataFrame:
    columns = [
        "option",
        "backend",
        "model",
        "tier",
        "tier_usd_per_month",
        "month",
        "peak_requests_per_min",
        "peak_tokens_per_min",
        "peak_input_tokens_per_min",
        "peak_output_tokens_per_min",
        "exceeds",
        "throttled_share",
        "binding_limit",
        "tier_needed",
    ]
    rows = [
        row
        for load in _api_loads(scenario, costs, volumes)
        if (row := _rate_limit_check(scenario, load, catalog, volumes)) is not None
    ]
    return pd.DataFrame(rows, columns=columns)


def _outcomes_frame(
    scenario: Scenario,
    costs: dict[str, _OptionCosts],
    totals: dict[str, FloatArray],
    volumes: _Volumes,
) -> pd.DataFrame:
    """Per option and month: requests, success, false accepts and cost per success."""
    columns = [
        "month",
        "option",
        "requests",
        "calls_per_request",
        "success_rate",
        "false_accept_rate",
        "human_escalation_rate",
        "unresolved_rate",
        "usd",
        "usd_per_request",
        "usd_per_success",
    ]
    if not scenario.workload.has_requests:
        return pd.DataFrame(columns=columns)
    requests = volumes.requests[0]
    rows = []
    for name, c in costs.items():
        plan = c.plan
        success = plan.weighted(plan.p_success) if plan is not None else np.nan
        usd = totals[name][0]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            per_request = np.where(requests > 0, usd / requests, np.nan)
            per_success = np.where(requests * success > 0, usd / (requests * success), np.inf)
        per_success = np.where(np.isnan(success), np.nan, per_success)
        rows.append(
            pd.DataFrame(
                {
                    "month": np.arange(len(usd)),
                    "option": name,
                    "requests": requests,
                    "calls_per_request": float(plan.class_share @ plan.calls.sum(axis=1))
                    if plan is not None
                    else 1.0,
                    "success_rate": success,
                    "false_accept_rate": plan.weighted(plan.p_false_accept) if plan else 0.0,
                    "human_escalation_rate": plan.weighted(plan.p_human) if plan else 0.0,
                    "unresolved_rate": plan.weighted(plan.p_unserved) if plan else 0.0,
                    "usd": usd,
                    "usd_per_request": per_request,
                    "usd_per_success": per_success,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)[columns]


def _routing_frame(
    scenario: Scenario, costs: dict[str, _OptionCosts], volumes: _Volumes
) -> pd.DataFrame:
    """Per planned option, class and backend: where requests go and what a class costs."""
    columns = [
        "option",
        "request_class",
        "class_share",
        "sensitive",
        "route",
        "backend",
        "backend_kind",
        "entry_share",
        "calls_per_request",
        "success_rate",
        "false_accept_rate",
        "usd_per_request",
        "usd_per_success",
    ]
    rows = []
    total_requests = float(volumes.requests.sum())
    classes = scenario.workload.request_classes() if scenario.workload.has_requests else {}
    for name, c in costs.items():
        plan, class_usd = c.plan, c.class_usd
        if plan is None or class_usd is None:
            continue
        option = scenario.options[name]
        for i, class_name in enumerate(plan.classes):
            class_requests = total_requests * plan.class_share[i]
            per_request = class_usd[i].sum() / class_requests if class_requests > 0 else np.nan
            success = plan.p_success[i]
            for b, backend_name in enumerate(plan.backends):
                if plan.calls[i, b] <= 0 and plan.entry_share[i, b] <= 0:
                    continue
                backend = (
                    option.backends[backend_name] if isinstance(option, HybridOption) else option
                )
                rows.append(
                    {
                        "option": name,
                        "request_class": class_name,
                        "class_share": plan.class_share[i],
                        "sensitive": classes[class_name].sensitive,
                        "route": plan.route[i],
                        "backend": backend_name,
                        "backend_kind": backend.kind,
                        "entry_share": plan.entry_share[i, b],
                        "calls_per_request": plan.calls[i, b],
                        "success_rate": success,
                        "false_accept_rate": plan.p_false_accept[i],
                        "usd_per_request": per_request,
                        "usd_per_success": per_request / success
                        if success > 0
                        else (np.nan if np.isnan(success) else np.inf),
                    }
                )
    return pd.DataFrame(rows, columns=columns)


def _option_costs(
    scenario: Scenario, catalog: Catalog, volumes: _Volumes, *, detail: bool = True
) -> dict[str, _OptionCosts]:
    """Cost every option, component by component."""
    costs: dict[str, _OptionCosts] = {}
    for name, option in scenario.options.items():
        if _needs_plan(scenario, option):
            costs[name] = _planned_option_costs(scenario, name, option, catalog, volumes)
        elif isinstance(option, ApiOption):
            costs[name] = _api_option_costs(scenario, name, option, catalog, volumes)
        elif isinstance(option, SelfHostedOption):
            costs[name] = _self_hosted_option_costs(
                scenario, name, option, catalog, volumes, detail=detail
            )
    return costs


def _totals(costs: dict[str, _OptionCosts], n_months: int) -> dict[str, FloatArray]:
    """Total cost per option and month, shaped (n_samples, n_months) [USD/month]."""
    return {
        name: np.asarray(sum(c.components.values(), np.zeros((1, n_months))))
        for name, c in costs.items()
    }


def _refuse_non_finite(
    costs: dict[str, _OptionCosts], totals: dict[str, FloatArray], discount_rate_per_year: float
) -> None:
    """Raise when any cost is infinite or NaN, naming the option, component and month.

    Every field is bounded, so this is a backstop: it turns an overflow of a product of extreme
    but valid inputs into an error instead of an infinite total in a report.
    """
    for name, option_costs in costs.items():
        for component, values in option_costs.components.items():
            bad = ~np.isfinite(values)
            if bad.any():
                month = int(np.argwhere(bad)[0][-1])
                value = values.reshape(-1, values.shape[-1])[:, month]
                shown = value[~np.isfinite(value)][0]
                msg = (
                    f"options.{name}: the {component} cost of month {month} is {shown} USD; "
                    "some inputs are too large for a meaningful total (a volume, a growth rate "
                    "or a price): check their units"
                )
                raise ScenarioError(msg)
        with np.errstate(over="ignore"):
            total = np.sum(totals[name], axis=-1)
            npv = npv_usd(totals[name], discount_rate_per_year)
        if not (np.all(np.isfinite(total)) and np.all(np.isfinite(npv))):
            msg = (
                f"options.{name}: the total or NPV over the horizon overflows to infinity (at "
                f"discount_rate_per_year {discount_rate_per_year}); some inputs "
                "are too large for a meaningful total (a volume, a growth rate or a price): "
                "check their units"
            )
            raise ScenarioError(msg)


def _usd_per_mtok(total_usd: float, total_tokens: float) -> float:
    """Cost per million tokens over the horizon [USD/Mtok]; inf for no (or vanishing) volume."""
    if not total_tokens > 0:
        return math.inf
    with np.errstate(over="ignore"):
        return float(np.float64(total_usd) / np.float64(total_tokens) * TOKENS_PER_MTOK)


def compare(
    scenario: Scenario,
    catalog: Catalog | None = None,
    *,
    horizon_months: int | None = None,
) -> ComparisonResult:
    """Compare every option of a scenario month by month over its horizon.

    Parameters
    ----------
    scenario : Scenario
        Workload, options and horizon.
    catalog : Catalog, optional
        Price catalog; by default the packaged one plus ``scenario.catalog_paths``, at the
        prices of ``scenario.prices_as_of`` (today if unset).
    horizon_months : int, optional
        Override the scenario's horizon [months].

    Returns
    -------
    ComparisonResult
        Monthly costs by component, totals and NPV, capacity, break-even and payback.

    Raises
    ------
    UnknownIdError
        If an option names a catalog id that does not exist (with the closest known ids).
    ScenarioError
        If an option is inconsistent with the catalog (e.g. a profile for another GPU).

    Examples
    --------
    >>> from llmtco.examples import default_scenario
    >>> result = compare(default_scenario())
    >>> sorted(result.totals.index) == sorted(default_scenario().options)
    True
    """
    # 1. Settle the horizon and the catalog.
    if horizon_months is not None:
        scenario = Scenario.from_dict(
            scenario.model_dump() | {"horizon_months": horizon_months}, source="--months"
        )
    n_months = scenario.horizon_months
    if catalog is None:
        catalog = load_catalog(*scenario.catalog_paths, as_of=scenario.prices_as_of)
    elif scenario.prices_as_of is not None and scenario.prices_as_of != catalog.as_of:
        msg = (
            f"prices_as_of is {scenario.prices_as_of} but the catalog passed in gives the "
            f"prices of {catalog.as_of}; load it with load_catalog(as_of=...) or leave "
            "prices_as_of unset"
        )
        raise ScenarioError(msg)

    # 2. Turn the workload into monthly token volumes.
    volumes = _volumes(scenario, n_months)

    # 3. Cost every option, component by component.
    costs = _option_costs(scenario, catalog, volumes)

    # 4. Totals per option and month, all finite.
    totals = _totals(costs, n_months)
    _refuse_non_finite(costs, totals, scenario.discount_rate_per_year)

    # 5. Break-even volume and payback of every self-hosted option against every API option.
    api_names = [n for n, o in scenario.options.items() if isinstance(o, ApiOption)]
    self_names = [n for n, o in scenario.options.items() if isinstance(o, SelfHostedOption)]
    pairs = tuple(
        _break_even_row(scenario, volumes, (s, a), costs, totals)
        for s in self_names
        for a in api_names
    )

    # 6. Assemble the result frames.
    monthly = pd.DataFrame(
        [
            {"month": m, "option": name, "component": component, "usd": float(values[0, m])}
            for name, c in costs.items()
            for component, values in c.components.items()
            for m in range(n_months)
        ]
    )
    totals_frame = pd.DataFrame(
        {
            "kind": [scenario.options[n].kind for n in costs],
            "label": [scenario.option_label(n) for n in costs],
            "total_usd": [float(totals[n].sum()) for n in costs],
            "npv_usd": [
                float(npv_usd(totals[n][0], scenario.discount_rate_per_year)) for n in costs
            ],
            "month0_usd": [float(totals[n][0, 0]) for n in costs],
            "last_month_usd": [float(totals[n][0, -1]) for n in costs],
            "usd_per_mtok": [
                _usd_per_mtok(float(totals[n].sum()), float(volumes.total.sum())) for n in costs
            ],
        },
        index=pd.Index(list(costs), name="option"),
    )
    capacity_frames = [
        c.capacity if "backend" in c.capacity else c.capacity.assign(backend=name)
        for name, c in costs.items()
        if c.capacity is not None
    ]
    latency = pd.DataFrame(
        [
            {
                "option": name,
                "kind": scenario.options[name].kind,
                **{f"ttft_p{round(q * 100)}_s": v for q, v in c.ttft_s.items()},
                "source": "measured by the user"
                if scenario.options[name].kind == "api"
                else "M/M/c queue at month 0's busiest hour",
            }
            for name, c in costs.items()
            if c.ttft_s is not None
        ],
        columns=["option", "kind", "ttft_p50_s", "ttft_p95_s", "ttft_p99_s", "source"],
    )
    return ComparisonResult.build(
        scenario=scenario,
        outcomes=_outcomes_frame(scenario, costs, totals, volumes),
        rate_limits=_rate_limits_frame(scenario, costs, catalog, volumes),
        routing=_routing_frame(scenario, costs, volumes),
        monthly=monthly,
        totals=totals_frame,
        capacity=pd.concat(capacity_frames, ignore_index=True) if capacity_frames else None,
        pairs=pairs,
        tokens_per_month=volumes.total[0],
        latency=latency,
    )


@dataclass(frozen=True)
class SampledCosts:
    """Costs of every option for many samples of a scenario's numeric inputs at once.

    Attributes
    ----------
    monthly_usd : dict of str to numpy.ndarray
        Total cost per option, shaped (n_samples, n_months) [USD/month].
    tokens_per_month : numpy.ndarray
        Workload volume, shaped (n_samples, n_months) [tokens/month].
    break_even_tokens_per_month : dict of (str, str) to numpy.ndarray
        Sustained break-even volume of each (self-hosted, API) pair, shaped (n_samples,)
        [tokens/month]; NaN where it is not a staircase in volume (see :func:`sampled_costs`).
    """

    monthly_usd: dict[str, FloatArray]
    tokens_per_month: FloatArray
    break_even_tokens_per_month: dict[tuple[str, str], FloatArray]


def sampled_costs(scenario: Scenario, catalog: Catalog, n_samples: int) -> SampledCosts:
    """Cost a scenario whose numeric inputs hold one value per sample, in one vectorized pass.

    The costing steps of :func:`compare` are written with numpy arithmetic, so numbers shaped
    ``(n_samples, 1)`` put in place of a scenario's inputs flow through them along a leading
    sample axis. :mod:`llmtco.uncertainty` decides which inputs may be sampled this way (those
    that only enter arithmetic, never a choice such as a price tier) and puts them in place;
    any other scenario is evaluated one sample at a time.

    Parameters
    ----------
    scenario : Scenario
        A scenario (built without validation) whose sampled inputs are ``(n_samples, 1)`` arrays.
    catalog : Catalog
        The price catalog.
    n_samples : int
        Number of samples [-].

    Returns
    -------
    SampledCosts
    """
    n_months = scenario.horizon_months
    volumes = _volumes(scenario, n_months)
    costs = _option_costs(scenario, catalog, volumes, detail=False)
    full = (n_samples, n_months)
    totals = _totals(costs, n_months)
    _refuse_non_finite(costs, totals, scenario.discount_rate_per_year)
    monthly = {name: np.broadcast_to(t, full).copy() for name, t in totals.items()}
    break_even: dict[tuple[str, str], FloatArray] = {}
    for s in (n for n, o in scenario.options.items() if isinstance(o, SelfHostedOption)):
        for a in (n for n, o in scenario.options.items() if isinstance(o, ApiOption)):
            if n_samples == 1:  # one sample: the exact rule compare uses, planned pairs included
                row = _break_even_row(scenario, volumes, (s, a), costs, totals)
                volume: FloatArray | None = np.asarray(row.break_even_tokens_per_month)
            else:
                _, volume = _plain_break_even(scenario, volumes, (s, a), costs)
            values = np.full(n_samples, np.nan) if volume is None else volume
            break_even[(s, a)] = np.broadcast_to(
                np.asarray(values).reshape(-1), (n_samples,)
            ).copy()
    return SampledCosts(
        monthly_usd=monthly,
        tokens_per_month=np.broadcast_to(volumes.total, full).copy(),
        break_even_tokens_per_month=break_even,
    )
