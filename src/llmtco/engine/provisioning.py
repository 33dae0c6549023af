"""Provisioning policies: how many serving units run in each hour of a typical week.

Inputs are hourly needs shaped ``(..., 168)`` (whole units needed to carry each hour's demand,
see :func:`hourly_units_needed`). Policies:

- ``static``: the week's peak need, every hour (capacity sized once for the peak);
- ``autoscale``: each hour's need, rounded up to the scale step, never below ``min_units``; a
  scale-up lag of L hours means capacity must start L hours before it is needed, so each hour
  holds the largest need of the next L hours (scaling down is immediate);
- ``scale_to_zero``: autoscaling with no floor; every start from zero is a cold start.

The week wraps around (Sunday 23:00 is followed by Monday 00:00).
"""

from __future__ import annotations

from typing import Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    as_float_array,
    ceil_tolerant,
    check_in_range,
    check_non_negative,
    check_positive,
)

__all__ = [
    "ProvisioningPolicy",
    "cold_starts_per_week",
    "hourly_units_needed",
    "provisioned_units",
]

HOURS_PER_WEEK: Final = 168
ProvisioningPolicy = Literal["static", "autoscale", "scale_to_zero"]


def hourly_units_needed(
    demand_tokens_per_s: npt.ArrayLike,
    unit_tokens_per_s: npt.ArrayLike,
    target_utilization: npt.ArrayLike = 1.0,
    burst_factor: npt.ArrayLike = 1.0,
) -> FloatArray:
    """Whole units needed in each hour: ``ceil(demand x burst / (unit rate x target))`` [units].

    Parameters
    ----------
    demand_tokens_per_s : array_like
        Mean demand in each hour, shaped ``(..., 168)`` [tokens/s].
    unit_tokens_per_s : array_like
        Sustained throughput of one unit at full load [tokens/s].
    target_utilization : array_like, default 1.0
        Highest planned share of a unit's throughput [-], in (0, 1].
    burst_factor : array_like, default 1.0
        Peak rate within an hour over the hour's mean rate [-], >= 1.

    Returns
    -------
    numpy.ndarray
        Units needed per hour; 1 at least wherever there is demand.

    Examples
    --------
    >>> hourly_units_needed([0.0, 500.0, 2500.0], 1000.0, 0.8).tolist()
    [0.0, 1.0, 4.0]
    """
    demand = as_float_array("demand_tokens_per_s", demand_tokens_per_s)
    per_unit = as_float_array("unit_tokens_per_s", unit_tokens_per_s)
    target = as_float_array("target_utilization", target_utilization)
    burst = as_float_array("burst_factor", burst_factor)
    check_non_negative("demand_tokens_per_s", demand)
    check_positive("unit_tokens_per_s", per_unit)
    check_in_range("target_utilization", target, np.nextafter(0.0, 1.0), 1.0)
    check_in_range("burst_factor", burst, 1.0, np.inf)
    with np.errstate(over="ignore"):  # an overflow is inf units; the orchestrator refuses it
        needed = ceil_tolerant(demand * burst / (per_unit * target))
    result: FloatArray = np.where(demand > 0, np.maximum(needed, 1.0), needed)
    return result


def _look_ahead_max(units: FloatArray, hours: int) -> FloatArray:
    """Largest value of each hour and the ``hours`` hours after it, wrapping around the week."""
    result = units.copy()
    for shift in range(1, hours + 1):
        result = np.maximum(result, np.roll(units, -shift, axis=-1))
    return result


def provisioned_units(
    needed_units: npt.ArrayLike,
    policy: ProvisioningPolicy,
    *,
    min_units: npt.ArrayLike = 0,
    scale_step: int = 1,
    scale_up_lag_hours: float = 0.0,
) -> FloatArray:
    """Units running in each hour of the week under a provisioning policy [units].

    Parameters
    ----------
    needed_units : array_like
        Whole units needed per hour, shaped ``(..., 168)`` [units]. ``static`` accepts any
        number of hours on the last axis (e.g. one hour standing for a flat week).
    policy : {"static", "autoscale", "scale_to_zero"}
        How capacity follows the need (see the module docstring).
    min_units : array_like, default 0
        Floor on the running units for ``static`` and ``autoscale`` [units]; ``scale_to_zero``
        allows 0 and refuses a floor.
    scale_step : int, default 1
        Autoscaling adds and removes units in multiples of this [units].
    scale_up_lag_hours : float, default 0
        Time a new unit needs before it serves [h]; rounded up to whole hours.

    Returns
    -------
    numpy.ndarray
        Units running per hour, shaped like ``needed_units``.

    Examples
    --------
    >>> needed = [1.0] * 8 + [4.0] * 10 + [1.0] * 6
    >>> week = needed * 7
    >>> float(provisioned_units(week, "static").sum())
    672.0
    >>> float(provisioned_units(week, "autoscale").sum())
    378.0
    >>> float(provisioned_units(week, "autoscale", scale_up_lag_hours=2).sum())
    420.0
    """
    needed = as_float_array("needed_units", needed_units)
    if needed.ndim == 0 or (needed.shape[-1] != HOURS_PER_WEEK and policy != "static"):
        msg = f"needed_units needs {HOURS_PER_WEEK} values on its last axis; got {needed.shape}"
        raise ValueError(msg)
    check_non_negative("needed_units", needed)
    floor = as_float_array("min_units", min_units)
    check_non_negative("min_units", floor)
    floor = floor[..., np.newaxis] if floor.ndim else floor
    if (
        isinstance(scale_step, bool)
        or not isinstance(scale_step, int | np.integer)
        or scale_step < 1
    ):
        msg = f"scale_step must be a whole number >= 1; got {scale_step!r}"
        raise ValueError(msg)
    if not scale_up_lag_hours >= 0:
        msg = f"scale_up_lag_hours must be >= 0; got {scale_up_lag_hours!r}"
        raise ValueError(msg)
    policies: tuple[str, ...] = get_args(ProvisioningPolicy)
    if policy not in policies:
        msg = f"unknown provisioning policy {policy!r}; expected one of {', '.join(policies)}"
        raise ValueError(msg)
    if policy == "static":
        peak = needed.max(axis=-1, keepdims=True)
        return np.broadcast_to(np.maximum(peak, floor), needed.shape).astype(np.float64)
    if policy == "scale_to_zero" and np.any(floor > 0):
        msg = "scale_to_zero runs no minimum: set min_units to 0 (or use autoscale)"
        raise ValueError(msg)
    stepped = np.ceil(needed / scale_step) * scale_step
    lag = int(np.ceil(scale_up_lag_hours))
    ahead = _look_ahead_max(stepped, min(lag, HOURS_PER_WEEK - 1))
    result: FloatArray = np.maximum(ahead, floor)
    return result


def cold_starts_per_week(units: npt.ArrayLike) -> FloatArray:
    """Hours in which capacity starts from zero, per week [starts/week].

    Examples
    --------
    >>> float(cold_starts_per_week(([0.0] * 20 + [2.0] * 4) * 7))
    7.0
    """
    running = as_float_array("units", units) > 0
    starts = running & ~np.roll(running, 1, axis=-1)
    result: FloatArray = starts.sum(axis=-1).astype(np.float64)
    return result
