"""Capacity sizing: how many serving units a traffic level needs, and how busy they are.

A *unit* is the smallest block of capacity that can be bought: one instance holding one or more
model replicas, or several instances forming one multi-node replica. Throughputs are sustained
output tokens per second [tokens/s].
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatOrArray,
    as_float_array,
    ceil_tolerant,
    check_in_range,
    check_non_negative,
    check_positive,
    scalar_or_array,
)
from llmtco.units import DEFAULT_HOURS_PER_MONTH, SECONDS_PER_HOUR

__all__ = ["mean_tokens_per_s", "peak_to_mean", "replica_packing", "units_for_peak", "utilization"]


def mean_tokens_per_s(
    tokens_per_month: npt.ArrayLike,
    hours_per_month: npt.ArrayLike = DEFAULT_HOURS_PER_MONTH,
) -> FloatOrArray:
    """Average token rate of a monthly volume [tokens/s].

    Parameters
    ----------
    tokens_per_month : array_like
        Monthly volume [tokens/month].
    hours_per_month : array_like, default 730
        Length of a month [h/month].

    Returns
    -------
    float or numpy.ndarray
        ``tokens_per_month / (hours_per_month x 3600)`` [tokens/s].

    Examples
    --------
    >>> round(mean_tokens_per_s(2_628_000_000), 3)
    1000.0
    """
    volume = as_float_array("tokens_per_month", tokens_per_month)
    hours = as_float_array("hours_per_month", hours_per_month)
    check_non_negative("tokens_per_month", volume)
    check_positive("hours_per_month", hours)
    return scalar_or_array(np.asarray(volume / (hours * SECONDS_PER_HOUR)))


def units_for_peak(
    peak_tokens_per_s: npt.ArrayLike,
    unit_tokens_per_s: npt.ArrayLike,
    target_utilization: npt.ArrayLike = 1.0,
    min_units: npt.ArrayLike = 0,
) -> FloatOrArray:
    """Serving units needed to carry a peak rate at a target utilization [units].

    ``units = max(min_units, ceil(peak / (unit_tokens_per_s x target_utilization)))``.

    Parameters
    ----------
    peak_tokens_per_s : array_like
        Peak demand [tokens/s].
    unit_tokens_per_s : array_like
        Sustained throughput of one unit at full load [tokens/s].
    target_utilization : array_like, default 1.0
        Highest share of a unit's throughput planned to be used at the peak [-], in (0, 1].
    min_units : array_like, default 0
        Floor on the count, e.g. 2 for N+1 availability [units].

    Returns
    -------
    float or numpy.ndarray
        Whole number of units (as floats) [units].

    Examples
    --------
    A 2,500 tokens/s peak on replicas of 1,000 tokens/s planned at 80% load needs 4:

    >>> units_for_peak(2500.0, 1000.0, 0.8)
    4.0
    """
    peak = as_float_array("peak_tokens_per_s", peak_tokens_per_s)
    per_unit = as_float_array("unit_tokens_per_s", unit_tokens_per_s)
    target = as_float_array("target_utilization", target_utilization)
    floor = as_float_array("min_units", min_units)
    check_non_negative("peak_tokens_per_s", peak)
    check_positive("unit_tokens_per_s", per_unit)
    check_in_range("target_utilization", target, np.nextafter(0.0, 1.0), 1.0)
    check_non_negative("min_units", floor)
    if np.any(floor != np.floor(floor)):
        msg = f"min_units must be a whole number; got {floor!r}"
        raise ValueError(msg)
    needed = ceil_tolerant(peak / (per_unit * target))
    # Any traffic at all needs a unit, even where the ratio underflows to 0.
    needed = np.where(peak > 0, np.maximum(needed, 1.0), needed)
    return scalar_or_array(np.maximum(needed, floor))


def utilization(
    served_tokens_per_s: npt.ArrayLike,
    units: npt.ArrayLike,
    unit_tokens_per_s: npt.ArrayLike,
) -> FloatOrArray:
    """Share of the paid-for throughput that carries traffic [-].

    ``served / (units x unit_tokens_per_s)``; 0 where no capacity is paid for.

    Parameters
    ----------
    served_tokens_per_s : array_like
        Mean served rate [tokens/s].
    units : array_like
        Units paid for [units].
    unit_tokens_per_s : array_like
        Sustained throughput of one unit at full load [tokens/s].

    Returns
    -------
    float or numpy.ndarray
        Utilization in [0, 1] when capacity covers demand [-].

    Examples
    --------
    >>> utilization(1000.0, 4, 1000.0)
    0.25
    """
    served = as_float_array("served_tokens_per_s", served_tokens_per_s)
    count = as_float_array("units", units)
    per_unit = as_float_array("unit_tokens_per_s", unit_tokens_per_s)
    check_non_negative("served_tokens_per_s", served)
    check_non_negative("units", count)
    check_positive("unit_tokens_per_s", per_unit)
    capacity = count * per_unit
    served_b, capacity_b = np.broadcast_arrays(served, capacity)
    out = np.zeros(served_b.shape, dtype=np.float64)
    np.divide(served_b, capacity_b, out=out, where=capacity_b > 0)
    return scalar_or_array(out)


def peak_to_mean(hour_of_week: npt.ArrayLike) -> FloatOrArray:
    """Peak-to-mean ratio of an hourly traffic profile [-].

    Parameters
    ----------
    hour_of_week : array_like
        Relative traffic per hour, shaped ``(..., n_hours)`` (168 for a week), any scale.

    Returns
    -------
    float or numpy.ndarray
        ``max / mean`` over the last axis, >= 1.

    Examples
    --------
    >>> peak_to_mean([1.0, 1.0, 4.0, 2.0])
    2.0
    """
    profile = as_float_array("hour_of_week", hour_of_week)
    if profile.ndim == 0:
        msg = "hour_of_week must be an array of hourly values; got a scalar"
        raise ValueError(msg)
    check_non_negative("hour_of_week", profile)
    mean = profile.mean(axis=-1)
    check_positive("mean of hour_of_week", np.asarray(mean))
    return scalar_or_array(np.asarray(profile.max(axis=-1) / mean))


def replica_packing(gpus_per_replica: int, gpus_per_instance: int) -> tuple[int, int]:
    """How replicas map to instances: ``(replicas per unit, instances per unit)``.

    A *unit* is the smallest block one rents: one instance holding ``gpus_per_instance //
    gpus_per_replica`` whole replicas (leftover GPUs idle), or, where a replica needs more GPUs
    than an instance has, ``ceil(gpus_per_replica / gpus_per_instance)`` instances forming one
    replica.

    Examples
    --------
    >>> replica_packing(2, 8), replica_packing(3, 8), replica_packing(8, 1)
    ((4, 1), (2, 1), (1, 8))
    """
    for name, value in (
        ("gpus_per_replica", gpus_per_replica),
        ("gpus_per_instance", gpus_per_instance),
    ):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            msg = f"{name} must be a whole number >= 1; got {value!r}"
            raise ValueError(msg)
    if gpus_per_replica <= gpus_per_instance:
        return gpus_per_instance // gpus_per_replica, 1
    return 1, -(-gpus_per_replica // gpus_per_instance)
