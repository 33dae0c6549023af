"""Rank GPU instances by the monthly cost of serving one open model at a peak load.

:func:`rank_instances` sizes a fleet on each candidate instance and sorts them by price. For
each instance it takes the smallest tensor-parallel degree (1, 2, 4 or 8 GPUs) at which one
request of the workload's context fits, the replica's throughput (a measured serving profile
of the catalog where one matches, else :func:`llmtco.serving.estimate_serving` at maximum
load), the replicas the peak needs (throughput at a target utilization, the time-to-first-token
SLO through the M/M/c queue of :func:`llmtco.engine.queueing.replicas_for_ttft_slo`, and a
floor), the whole instances that hold them, and their price.

A *unit* is the smallest block that can be bought: one instance holding
``gpu_count // gpus_per_replica`` replicas, or, where a replica needs more GPUs than one
instance has, ``ceil(gpus_per_replica / gpu_count)`` instances forming one replica (as in
:mod:`llmtco.tco`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, get_args

import numpy as np
import pandas as pd

from llmtco.catalog import Catalog, load_catalog
from llmtco.engine.capacity import replica_packing, units_for_peak
from llmtco.engine.memory import TENSOR_PARALLEL_DEGREES, bytes_per_param
from llmtco.engine.queueing import replicas_for_ttft_slo
from llmtco.models import GpuInstance, GpuSpec, OpenModel, ServingProfile
from llmtco.models.hardware import PurchaseMode
from llmtco.serving import ServingEstimate, closest_profile, estimate_serving
from llmtco.units import DEFAULT_HOURS_PER_MONTH

__all__ = ["RANKING_COLUMNS", "rank_instances"]

RANKING_COLUMNS: Final[tuple[str, ...]] = (
    "instance",
    "gpu",
    "gpu_count",
    "gpus_per_replica",
    "replicas",
    "instances",
    "usd_per_month",
    "output_tokens_per_s_per_replica",
    "throughput_source",
    "ttft_s",
    "feasible",
    "reason",
)
"""Columns of the frame :func:`rank_instances` returns, in order."""

_UNITS: Final[dict[str, str]] = {
    "gpu_count": "GPUs/instance",
    "gpus_per_replica": "GPUs",
    "replicas": "replicas",
    "instances": "instances",
    "usd_per_month": "USD/month",
    "output_tokens_per_s_per_replica": "tokens/s",
    "ttft_s": "s",
}

_PURCHASE_MODES: Final[tuple[str, ...]] = get_args(PurchaseMode)
_TENSOR_PARALLEL_RULES: Final[tuple[str, ...]] = ("cheapest", "smallest")


@dataclass(frozen=True)
class _Workload:
    """The load to size for, checked."""

    requests_per_s_peak: float
    input_tokens: float
    output_tokens: float
    precision: str
    ttft_slo_s: float | None
    quantile: float
    target_utilization: float
    min_replicas: int
    purchase: PurchaseMode
    hours_per_month: float
    tensor_parallel: str
    max_instances_per_replica: int | None

    @property
    def context_tokens(self) -> float:
        return self.input_tokens + self.output_tokens


def _number(
    name: str,
    value: object,
    *,
    minimum: float,
    maximum: float = math.inf,
    open_below: bool = False,
    allow_inf: bool = False,
    whole: bool = False,
) -> float:
    """A real number within bounds, or a ValueError naming the argument."""
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        msg = f"{name} must be {kind}; got {value!r}"
        raise TypeError(msg)
    number = float(value)
    low_ok = number > minimum if open_below else number >= minimum
    bad = (
        math.isnan(number)
        or (math.isinf(number) and not allow_inf)
        or not low_ok
        or number > maximum
        or (whole and math.isfinite(number) and number != math.floor(number))
    )
    if bad:
        low = f"> {minimum:g}" if open_below else f">= {minimum:g}"
        high = f" and <= {maximum:g}" if math.isfinite(maximum) else ""
        msg = f"{name} must be {kind} {low}{high}; got {value!r}"
        raise ValueError(msg)
    return number


def _workload(
    *,
    requests_per_s_peak: float,
    input_tokens: float,
    output_tokens: float,
    precision: str,
    ttft_slo_s: float | None,
    quantile: float,
    target_utilization: float,
    min_replicas: int,
    purchase: str,
    hours_per_month: float,
    tensor_parallel: str,
    max_instances_per_replica: int | None,
) -> _Workload:
    bytes_per_param(precision)  # raises with the valid precisions
    if purchase not in _PURCHASE_MODES:
        msg = f"unknown purchase {purchase!r}; expected one of {', '.join(_PURCHASE_MODES)}"
        raise ValueError(msg)
    if tensor_parallel not in _TENSOR_PARALLEL_RULES:
        msg = (
            f"unknown tensor_parallel {tensor_parallel!r}; expected one of "
            f"{', '.join(_TENSOR_PARALLEL_RULES)}"
        )
        raise ValueError(msg)
    slo = None
    if ttft_slo_s is not None:
        slo = _number("ttft_slo_s", ttft_slo_s, minimum=0.0, allow_inf=True)
    most = None
    if max_instances_per_replica is not None:
        most = int(
            _number("max_instances_per_replica", max_instances_per_replica, minimum=1, whole=True)
        )
    return _Workload(
        requests_per_s_peak=_number("requests_per_s_peak", requests_per_s_peak, minimum=0.0),
        input_tokens=_number("input_tokens", input_tokens, minimum=0.0, open_below=True),
        output_tokens=_number("output_tokens", output_tokens, minimum=0.0, open_below=True),
        precision=precision,
        ttft_slo_s=slo,
        quantile=_number("quantile", quantile, minimum=0.0, maximum=np.nextafter(1.0, 0.0)),
        target_utilization=_number(
            "target_utilization", target_utilization, minimum=0.0, maximum=1.0, open_below=True
        ),
        min_replicas=int(_number("min_replicas", min_replicas, minimum=0.0, whole=True)),
        purchase=purchase,  # type: ignore[arg-type]  # checked against PurchaseMode above
        hours_per_month=_number("hours_per_month", hours_per_month, minimum=0.0, open_below=True),
        tensor_parallel=tensor_parallel,
        max_instances_per_replica=most,
    )


def _closest_profile(
    profiles: Iterable[ServingProfile], gpu: str, gpus_per_replica: int, load: _Workload
) -> ServingProfile | None:
    """Matching measured profile with request lengths closest in log-ratio, ties by id."""
    matching = [p for p in profiles if p.gpu == gpu and p.gpus_per_replica == gpus_per_replica]
    return closest_profile(matching, load.input_tokens, load.output_tokens)


def _fitting_degrees(model: OpenModel, gpu: GpuSpec, load: _Workload) -> tuple[list[int], str]:
    """Tensor-parallel degrees at which one request fits, or none and the reason."""
    single = estimate_serving(
        model,
        gpu,
        precision=load.precision,
        gpus_per_replica=np.array(TENSOR_PARALLEL_DEGREES, dtype=float),
        input_tokens=load.input_tokens,
        output_tokens=load.output_tokens,
        concurrency=1,
    )
    fits = np.atleast_1d(np.asarray(single.fits))
    degrees = [d for d, fit in zip(TENSOR_PARALLEL_DEGREES, fits, strict=True) if fit]
    weights = float(np.atleast_1d(np.asarray(single.weights_gb))[0])
    reason = (
        f"does not fit: {model.id} in {load.precision} ({weights:.1f} GB of weights) with one "
        f"{load.context_tokens:.0f}-token request needs more than "
        f"{TENSOR_PARALLEL_DEGREES[-1]} x {gpu.id} ({gpu.memory_gb:g} GB each, 10% held back "
        "for the runtime)"
    )
    return degrees, reason


@dataclass(frozen=True)
class _Replica:
    """One replica of ``gpus_per_replica`` GPUs and the replicas the peak needs of it."""

    gpus_per_replica: int
    output_tokens_per_s: float
    throughput_source: str
    ttft_s: float
    replicas: float
    reason: str


def _size_replica(
    model: OpenModel,
    gpu: GpuSpec,
    degree: int,
    profiles: list[ServingProfile],
    load: _Workload,
) -> _Replica:
    """Throughput, latency and the replicas needed of one replica configuration."""
    profile = _closest_profile(profiles, gpu.id, degree, load)
    # The estimate at the concurrency the throughput figure stands for: the profile's, or the
    # max-load batch. It gives the batch slots and, where the profile records none, the latency.
    estimate: ServingEstimate = estimate_serving(
        model,
        gpu,
        precision=load.precision,
        gpus_per_replica=degree,
        input_tokens=load.input_tokens,
        output_tokens=load.output_tokens,
        concurrency=None if profile is None else profile.concurrency,
    )
    if profile is None:
        per_replica = float(estimate.output_tokens_per_s)
        source = "estimate"
    else:
        per_replica = profile.output_tokens_per_s
        source = f"measured:{profile.id}"
    prefill_s = profile.ttft_s if profile and profile.ttft_s else float(estimate.ttft_s)
    tpot_s = profile.tpot_s if profile and profile.tpot_s else float(estimate.tpot_s)

    peak_output_tokens_per_s = load.requests_per_s_peak * load.output_tokens
    replicas = float(
        units_for_peak(
            peak_output_tokens_per_s, per_replica, load.target_utilization, load.min_replicas
        )
    )
    reason = ""
    if load.ttft_slo_s is not None:
        for_latency = float(
            replicas_for_ttft_slo(
                load.requests_per_s_peak,
                prefill_s + load.output_tokens * tpot_s,
                float(estimate.concurrency),
                prefill_s,
                load.ttft_slo_s,
                load.quantile,
                load.min_replicas,
            )
        )
        replicas = max(replicas, for_latency)
        if not math.isfinite(for_latency):
            reason = (
                f"SLO unreachable (replicas inf): prefill alone takes {prefill_s:.3g} s on "
                f"{degree} x {gpu.id}, above ttft_slo_s = {load.ttft_slo_s:g} s"
            )
    return _Replica(degree, per_replica, source, prefill_s, replicas, reason)


def _row(instance: GpuInstance, replica: _Replica, load: _Workload) -> dict[str, Any]:
    """Instances and monthly cost of a fleet of replicas on one instance type."""
    row: dict[str, Any] = {
        "instance": instance.id,
        "gpu": instance.gpu,
        "gpu_count": instance.gpu_count,
        "gpus_per_replica": replica.gpus_per_replica,
        "replicas": pd.NA,
        "instances": pd.NA,
        "usd_per_month": math.nan,
        "output_tokens_per_s_per_replica": replica.output_tokens_per_s,
        "throughput_source": replica.throughput_source,
        "ttft_s": replica.ttft_s,
        "feasible": False,
        "reason": replica.reason,
    }
    if replica.reason:
        return row
    count = int(replica.replicas)
    per_unit, instances_per_unit = replica_packing(replica.gpus_per_replica, instance.gpu_count)
    instances = math.ceil(count / per_unit) * instances_per_unit
    row["replicas"] = count
    row["instances"] = instances
    try:
        usd_per_hour = instance.price_usd_per_hour(load.purchase)
    except ValueError as exc:
        row["reason"] = f"no price: {exc}"
        return row
    row["usd_per_month"] = instances * usd_per_hour * load.hours_per_month
    row["feasible"] = True
    return row


def _preference(row: dict[str, Any]) -> tuple[bool, float, float, int]:
    """Sort key among the degrees of one instance: feasible, cheap, few instances, few GPUs."""
    sized = row["instances"] is not pd.NA
    return (
        not row["feasible"],
        row["usd_per_month"] if row["feasible"] else math.inf,
        float(row["instances"]) if sized else math.inf,
        int(row["gpus_per_replica"]),
    )


def _unfit_row(instance: GpuInstance, reason: str) -> dict[str, Any]:
    return {
        "instance": instance.id,
        "gpu": instance.gpu,
        "gpu_count": instance.gpu_count,
        "gpus_per_replica": pd.NA,
        "replicas": pd.NA,
        "instances": pd.NA,
        "usd_per_month": math.nan,
        "output_tokens_per_s_per_replica": math.nan,
        "throughput_source": "",
        "ttft_s": math.nan,
        "feasible": False,
        "reason": reason,
    }


def rank_instances(
    model: str,
    *,
    requests_per_s_peak: float,
    input_tokens: float,
    output_tokens: float,
    candidates: Iterable[str] | None = None,
    precision: str = "bf16",
    ttft_slo_s: float | None = None,
    quantile: float = 0.95,
    target_utilization: float = 0.7,
    min_replicas: int = 1,
    purchase: str = "on_demand",
    hours_per_month: float = DEFAULT_HOURS_PER_MONTH,
    tensor_parallel: str = "cheapest",
    max_instances_per_replica: int | None = 1,
    catalog: Catalog | None = None,
) -> pd.DataFrame:
    """Cheapest GPU instances to serve an open model at a peak load, sized and priced.

    For each candidate instance:

    1. **Replica size**: the tensor-parallel degrees (1, 2, 4 or 8 GPUs) at which the weights
       and the KV cache of one ``input_tokens + output_tokens`` request fit (memory model of
       :func:`llmtco.serving.estimate_serving`, 10% held back for the runtime), limited to
       replicas within ``max_instances_per_replica`` instances. With
       ``tensor_parallel="cheapest"`` each is sized and priced and the cheapest feasible one
       kept (ties go to fewer GPUs); with ``"smallest"`` only the smallest is.
    2. **Replica throughput** [tokens/s]: a measured serving profile of the catalog for the
       same model, GPU, degree and precision wins (the one whose input and output lengths are
       closest in log-ratio, ``|ln(in_p / in)| + |ln(out_p / out)|``); otherwise
       :func:`~llmtco.serving.estimate_serving` at maximum load (``concurrency=None``).
    3. **Replicas** = max of ``ceil(peak output tokens/s / (replica tokens/s x
       target_utilization))``; with ``ttft_slo_s``, the replicas
       :func:`~llmtco.engine.queueing.replicas_for_ttft_slo` finds (batch slots, prefill
       time ``ttft`` and request duration ``ttft + output_tokens x tpot`` from the estimate
       at the profile's concurrency or at maximum load; a profile's measured ``ttft_s`` and
       ``tpot_s`` are used where it records them); and ``min_replicas``.
    4. **Instances**: one instance holds ``gpu_count // gpus_per_replica`` replicas; a replica
       needing more GPUs than one instance has spans ``ceil(gpus_per_replica / gpu_count)``
       instances.
    5. **Cost** [USD/month] = instances x the instance's hourly price for ``purchase`` x
       ``hours_per_month``.

    Parameters
    ----------
    model : str
        Catalog id of the open model, e.g. ``"meta/llama-3.3-70b-instruct"``.
    requests_per_s_peak : float
        Arrival rate at the peak [requests/s], >= 0.
    input_tokens, output_tokens : float
        Prompt and generated length of each request [tokens], > 0.
    candidates : iterable of str, optional
        Instance ids to rank; every GPU instance of the catalog by default.
    precision : str, default "bf16"
        Weight precision, see :func:`llmtco.engine.memory.bytes_per_param`.
    ttft_slo_s : float, optional
        Highest acceptable time to first token at ``quantile`` [s]; no latency sizing if None.
    quantile : float, default 0.95
        Quantile of the time to first token held to ``ttft_slo_s`` [-], in [0, 1).
    target_utilization : float, default 0.7
        Share of a replica's throughput planned to be used at the peak [-], in (0, 1].
    min_replicas : int, default 1
        Floor on the replica count, e.g. 2 for N+1 availability [replicas].
    purchase : str, default "on_demand"
        Way of paying: ``"on_demand"``, ``"reserved_1yr"``, ``"reserved_3yr"`` or ``"spot"``.
        Instances without that price are kept as infeasible rows saying so.
    hours_per_month : float, default 730
        Billed hours in a month [h/month].
    tensor_parallel : {"cheapest", "smallest"}, default "cheapest"
        Which fitting degree to size with. The smallest degree can leave memory for only a
        few requests' KV cache, so a small batch and a large fleet; "cheapest" tries every
        degree that fits.
    max_instances_per_replica : int or None, default 1
        Most instances one replica may span; None for no limit. By default a replica stays
        inside one instance: tensor parallelism over the network between separate small
        instances is slow, and the throughput estimate does not model it.
    catalog : Catalog, optional
        Where to look ids up; the packaged catalog by default.

    Returns
    -------
    pandas.DataFrame
        One row per candidate with the columns of :data:`RANKING_COLUMNS`: ``instance``,
        ``gpu``, ``gpu_count`` [GPUs/instance], ``gpus_per_replica`` [GPUs], ``replicas``
        (needed) [replicas], ``instances`` [instances], ``usd_per_month`` [USD/month],
        ``output_tokens_per_s_per_replica`` [tokens/s], ``throughput_source``
        (``"measured:<profile id>"`` or ``"estimate"``), ``ttft_s`` (time to first token of an
        unqueued request) [s], ``feasible`` and ``reason`` (why not: "does not fit", "SLO
        unreachable (replicas inf)" or "no price"; empty when feasible). Feasible rows come
        first, cheapest first (ties by instance id); infeasible rows follow with
        ``usd_per_month`` NaN. Counts are nullable integers (``<NA>`` where not sized).
        ``attrs["unit"]`` maps columns to units.

    Raises
    ------
    UnknownIdError
        If ``model`` or a candidate is not in the catalog; the message lists the closest ids.
    ValueError
        If a number is out of range, or ``precision``, ``purchase`` or ``tensor_parallel`` is
        unknown.
    TypeError
        If a number is not a number, or ``candidates`` is a single string.

    Examples
    --------
    Llama-3.1-8B at 2 requests/s of 1,000 input and 200 output tokens:

    >>> table = rank_instances("meta/llama-3.1-8b-instruct", requests_per_s_peak=2.0,
    ...                        input_tokens=1000, output_tokens=200,
    ...                        candidates=["aws/p5.48xlarge", "runpod/l40s-community"])
    >>> table[["instance", "gpus_per_replica", "replicas", "instances", "usd_per_month"]]
                    instance  gpus_per_replica  replicas  instances  usd_per_month
    0  runpod/l40s-community                 1         1          1          576.7
    1        aws/p5.48xlarge                 1         1          1        40179.2

    A 0.05 s p95 time to first token is shorter than the prefill on an L40S (0.09 s):

    >>> table = rank_instances("meta/llama-3.1-8b-instruct", requests_per_s_peak=2.0,
    ...                        input_tokens=1000, output_tokens=200, ttft_slo_s=0.05,
    ...                        candidates=["runpod/l40s-community"])
    >>> bool(table.loc[0, "feasible"]), table.loc[0, "reason"][:30]
    (False, 'SLO unreachable (replicas inf)')
    """
    found = catalog if catalog is not None else load_catalog()
    open_model = found.open_model(model)
    load = _workload(
        requests_per_s_peak=requests_per_s_peak,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        precision=precision,
        ttft_slo_s=ttft_slo_s,
        quantile=quantile,
        target_utilization=target_utilization,
        min_replicas=min_replicas,
        purchase=purchase,
        hours_per_month=hours_per_month,
        tensor_parallel=tensor_parallel,
        max_instances_per_replica=max_instances_per_replica,
    )
    if isinstance(candidates, str):
        msg = f"candidates must be a list of instance ids, not one string; got {candidates!r}"
        raise TypeError(msg)
    ids = list(dict.fromkeys(found.ids("gpu_instances") if candidates is None else candidates))
    instances = [found.gpu_instance(i) for i in ids]  # unknown ids raise before any sizing
    profiles = [
        p
        for p in (found.serving_profile(i) for i in found.ids("serving_profiles"))
        if p.model == open_model.id and p.precision == load.precision
    ]
    fitting: dict[str, tuple[list[int], str]] = {}
    replicas: dict[tuple[str, int], _Replica] = {}
    rows = []
    for instance in instances:
        gpu = found.gpu(instance.gpu)
        if gpu.id not in fitting:
            fitting[gpu.id] = _fitting_degrees(open_model, gpu, load)
        degrees, reason = fitting[gpu.id]
        most = load.max_instances_per_replica
        allowed = [d for d in degrees if most is None or math.ceil(d / instance.gpu_count) <= most]
        if not allowed:
            if degrees:
                reason = (
                    f"does not fit: {open_model.id} in {load.precision} needs "
                    f"{degrees[0]} x {gpu.id} per replica, more than {most} instance(s) of "
                    f"{instance.gpu_count} GPU(s) (max_instances_per_replica = {most})"
                )
            rows.append(_unfit_row(instance, reason))
            continue
        if load.tensor_parallel == "smallest":
            allowed = allowed[:1]
        options = []
        for degree in allowed:
            if (gpu.id, degree) not in replicas:
                replicas[gpu.id, degree] = _size_replica(open_model, gpu, degree, profiles, load)
            options.append(_row(instance, replicas[gpu.id, degree], load))
        rows.append(min(options, key=_preference))
    frame = pd.DataFrame(rows, columns=list(RANKING_COLUMNS))
    frame = frame.astype(
        {
            "gpu_count": "int64",
            "gpus_per_replica": "Int64",
            "replicas": "Int64",
            "instances": "Int64",
            "usd_per_month": "float64",
            "output_tokens_per_s_per_replica": "float64",
            "ttft_s": "float64",
            "feasible": "bool",
        }
    )
    frame = frame.sort_values(
        ["feasible", "usd_per_month", "instance"],
        ascending=[False, True, True],
        kind="stable",
        na_position="last",
    ).reset_index(drop=True)
    frame.attrs["unit"] = dict(_UNITS)
    return frame
