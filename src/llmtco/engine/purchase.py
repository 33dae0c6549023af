"""Purchase options for rented capacity: spot with interruptions, and reserved plus on-demand.

Prices are per replica-hour [USD/h]; costs are totals over the hours given [USD]. Hourly
profiles carry their hours on the last axis, e.g. ``(n_scenarios, n_months, 168)`` for a
typical week per month; leading axes broadcast with numpy rules against the other arguments.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    ceil_tolerant,
    check_in_range,
    check_non_negative,
    check_positive,
    scalar_or_array,
)

__all__ = [
    "Commitment",
    "committed_mix_usd",
    "optimal_commitment",
    "spot_interrupted_share",
    "spot_usd",
]

DEFAULT_SPOT_RECOVERY_HOURS = 0.25
"""Mean time to bring a replacement replica back after a preemption (find capacity, boot, load
the weights) [h]."""


def spot_interrupted_share(
    interruption_rate_per_hour: npt.ArrayLike,
    recovery_hours: npt.ArrayLike = DEFAULT_SPOT_RECOVERY_HOURS,
) -> FloatOrArray:
    """Long-run share of a spot replica's hours spent recovering from preemptions [-].

    An alternating renewal process: a replica serves for an exponential time of mean
    ``1 / interruption_rate_per_hour``, is preempted, and is back after ``recovery_hours`` on
    average, so the share of time without it is ``lambda d / (1 + lambda d)``.

    Parameters
    ----------
    interruption_rate_per_hour : array_like
        Preemptions per serving replica-hour [1/h], e.g. 0.01 for one a hundred hours.
    recovery_hours : array_like, default 0.25
        Mean time from a preemption until a replacement serves again [h].

    Returns
    -------
    float or numpy.ndarray
        Share of hours without the spot replica, in [0, 1) [-].

    Examples
    --------
    One preemption every 20 hours and 15 minutes to recover:

    >>> round(spot_interrupted_share(0.05, 0.25), 6)
    0.012346
    """
    rate = as_float_array("interruption_rate_per_hour", interruption_rate_per_hour)
    recovery = as_float_array("recovery_hours", recovery_hours)
    check_non_negative("interruption_rate_per_hour", rate)
    check_non_negative("recovery_hours", recovery)
    lost = rate * recovery
    return scalar_or_array(np.asarray(lost / (1.0 + lost)))


def spot_usd(
    replica_hours: npt.ArrayLike,
    spot_usd_per_hour: npt.ArrayLike,
    on_demand_usd_per_hour: npt.ArrayLike,
    interruption_rate_per_hour: npt.ArrayLike,
    fallback_share: npt.ArrayLike = 1.0,
    overprovision_share: npt.ArrayLike = 0.0,
    recovery_hours: npt.ArrayLike = DEFAULT_SPOT_RECOVERY_HOURS,
) -> FloatOrArray:
    """Cost of serving replica-hours on spot capacity that gets preempted [USD].

    The model, deliberately simple and on the expensive side:

    * the fleet runs ``replica_hours x (1 + overprovision_share)`` spot replica-hours: every
      slot is paid for all the time (a replacement is requested at once after a preemption
      and is billed while it starts), and the spare replicas ride out preemptions;
    * a share ``s`` of the needed replica-hours is lost to preemptions
      (:func:`spot_interrupted_share`), and ``fallback_share`` of that gap is bridged by
      on-demand replicas at ``on_demand_usd_per_hour``.

    ``cost = H x ((1 + o) x p_spot + f x s x p_on_demand)``, with ``H`` the replica-hours, ``o``
    the over-provisioning and ``f`` the fallback share. Use ``fallback_share=1`` and
    ``overprovision_share=0`` to bridge every gap on demand, or ``fallback_share=0`` with spares
    sized to the preemption rate to ride the gaps out on spot alone.

    Parameters
    ----------
    replica_hours : array_like
        Replica-hours the traffic needs, e.g. ``units x hours_per_month`` [replica h].
    spot_usd_per_hour : array_like
        Spot price of one replica [USD/h].
    on_demand_usd_per_hour : array_like
        On-demand price of one replica, paid for the fallback [USD/h].
    interruption_rate_per_hour : array_like
        Preemptions per serving replica-hour [1/h].
    fallback_share : array_like, default 1.0
        Share of the preempted hours bridged on demand [-], in [0, 1].
    overprovision_share : array_like, default 0.0
        Extra spot replicas kept as spares, as a share of the needed ones [-], >= 0.
    recovery_hours : array_like, default 0.25
        Mean time from a preemption until a replacement serves again [h].

    Returns
    -------
    float or numpy.ndarray
        Cost of the replica-hours [USD].

    Examples
    --------
    730 replica-hours at 1.2 USD/h on spot (2.0 on demand), one preemption every 20 hours and
    15 minutes to recover, bridged on demand; then the same with 10% spares and no fallback:

    >>> round(spot_usd(730, 1.2, 2.0, 0.05), 2)
    894.02
    >>> round(spot_usd(730, 1.2, 2.0, 0.05, fallback_share=0.0, overprovision_share=0.1), 2)
    963.6
    """
    hours = as_float_array("replica_hours", replica_hours)
    spot = as_float_array("spot_usd_per_hour", spot_usd_per_hour)
    on_demand = as_float_array("on_demand_usd_per_hour", on_demand_usd_per_hour)
    fallback = as_float_array("fallback_share", fallback_share)
    spares = as_float_array("overprovision_share", overprovision_share)
    check_non_negative("replica_hours", hours)
    check_non_negative("spot_usd_per_hour", spot)
    check_non_negative("on_demand_usd_per_hour", on_demand)
    check_in_range("fallback_share", fallback, 0.0, 1.0)
    check_non_negative("overprovision_share", spares)
    lost = np.asarray(spot_interrupted_share(interruption_rate_per_hour, recovery_hours))
    per_hour = (1.0 + spares) * spot + fallback * lost * on_demand
    return scalar_or_array(np.asarray(hours * per_hour))


def _hourly_profile(name: str, value: npt.ArrayLike) -> FloatArray:
    profile = as_float_array(name, value)
    if profile.ndim == 0 or profile.shape[-1] == 0:
        msg = f"{name} must have a trailing hours axis; got shape {profile.shape}"
        raise ValueError(msg)
    check_non_negative(name, profile)
    return profile


def _mix_usd(
    profile: FloatArray, committed: FloatArray, reserved: FloatArray, on_demand: FloatArray
) -> FloatArray:
    """Unchecked :func:`committed_mix_usd`; ``committed`` and prices lack the hours axis."""
    excess = np.maximum(profile - committed[..., np.newaxis], 0.0).sum(axis=-1)
    result: FloatArray = np.asarray(committed * profile.shape[-1] * reserved + excess * on_demand)
    return result


def committed_mix_usd(
    hourly_replicas: npt.ArrayLike,
    committed_replicas: npt.ArrayLike,
    reserved_usd_per_hour: npt.ArrayLike,
    on_demand_usd_per_hour: npt.ArrayLike,
) -> FloatOrArray:
    """Cost of a reserved base paid every hour plus on-demand for the excess above it [USD].

    ``sum_h (c x p_reserved + max(x_h - c, 0) x p_on_demand)`` over the hours axis, with
    ``x_h`` the replicas needed at hour ``h`` and ``c`` the committed replicas. The reserved
    base is paid whether it is used or not.

    ``hourly_replicas`` may be whole (``ceil`` of demand over capacity, the static count of
    each hour) or fractional (the mean replicas running in the hour, which is what per-second
    billing of an autoscaled fleet charges); the formula is the same. A commitment is normally
    whole, but fractional values are accepted (the continuous relaxation used to optimise it).

    Parameters
    ----------
    hourly_replicas : array_like
        Replicas needed per hour, shaped ``(..., n_hours)`` (168 for a typical week,
        730 for a month) [replicas].
    committed_replicas : array_like
        Replicas reserved for every hour, broadcast against ``hourly_replicas[..., 0]``
        [replicas].
    reserved_usd_per_hour : array_like
        Effective hourly price of one reserved replica [USD/h]; same broadcasting.
    on_demand_usd_per_hour : array_like
        On-demand price of one replica [USD/h]; same broadcasting.

    Returns
    -------
    float or numpy.ndarray
        Cost over the profile's hours, shaped like the broadcast leading axes [USD]. Scale a
        weekly profile's cost by ``hours_per_month / 168`` for a month.

    Examples
    --------
    A day of 2 replicas for 12 hours and 6 for 12 hours, reserved at 0.6 USD/h and on demand at
    1.0 USD/h: all on demand, a base of 2, and a base of 6:

    >>> day = [2.0] * 12 + [6.0] * 12
    >>> [round(committed_mix_usd(day, c, 0.6, 1.0), 2) for c in (0, 2, 6)]
    [96.0, 76.8, 86.4]
    """
    profile = _hourly_profile("hourly_replicas", hourly_replicas)
    committed = as_float_array("committed_replicas", committed_replicas)
    reserved = as_float_array("reserved_usd_per_hour", reserved_usd_per_hour)
    on_demand = as_float_array("on_demand_usd_per_hour", on_demand_usd_per_hour)
    check_non_negative("committed_replicas", committed)
    check_non_negative("reserved_usd_per_hour", reserved)
    check_non_negative("on_demand_usd_per_hour", on_demand)
    return scalar_or_array(_mix_usd(profile, committed, reserved, on_demand))


class Commitment(NamedTuple):
    """The cheapest whole reserved commitment for an hourly profile.

    Attributes
    ----------
    committed_replicas : float or numpy.ndarray
        Whole number of replicas to reserve (as floats) [replicas].
    cost_usd : float or numpy.ndarray
        Cost of the profile with that commitment, from :func:`committed_mix_usd` [USD].
    """

    committed_replicas: FloatOrArray
    cost_usd: FloatOrArray


def optimal_commitment(
    hourly_replicas: npt.ArrayLike,
    reserved_usd_per_hour: npt.ArrayLike,
    on_demand_usd_per_hour: npt.ArrayLike,
) -> Commitment:
    """Whole number of reserved replicas that minimises :func:`committed_mix_usd` [replicas].

    The cost is piecewise linear and convex in the commitment ``c``: one more committed
    replica costs ``n_hours x p_reserved`` and saves ``p_on_demand`` in every hour whose demand
    exceeds ``c``. It pays while more than a share ``p_reserved / p_on_demand`` of the hours
    exceed ``c``, so the continuous optimum is the ``1 - p_reserved / p_on_demand`` quantile of
    the hourly demand (the inverted-CDF quantile, 0 when reserving is no cheaper). On a
    convex function the best whole commitment is the floor or the ceiling of that optimum; both
    are evaluated exactly and the cheaper one kept (the smaller on a tie).

    The commitment is one number for the whole profile: to commit for a year against a demand
    that grows, pass the hours of the whole year (or of every month) on the last axis.

    Parameters
    ----------
    hourly_replicas : array_like
        Replicas needed per hour, shaped ``(..., n_hours)``, whole or fractional [replicas].
    reserved_usd_per_hour : array_like
        Effective hourly price of one reserved replica [USD/h], broadcast against
        ``hourly_replicas[..., 0]``.
    on_demand_usd_per_hour : array_like
        On-demand price of one replica [USD/h], > 0; same broadcasting.

    Returns
    -------
    Commitment
        ``committed_replicas`` and ``cost_usd``, shaped like the broadcast leading axes; floats
        for a single profile.

    Examples
    --------
    With reserved at 0.6 x on demand, commit to what at least 40% of the hours need:

    >>> day = [2.0] * 12 + [6.0] * 12
    >>> optimal_commitment(day, 0.6, 1.0)
    Commitment(committed_replicas=2.0, cost_usd=76.8)
    >>> optimal_commitment(day, 0.4, 1.0)
    Commitment(committed_replicas=6.0, cost_usd=57.6)
    """
    profile = _hourly_profile("hourly_replicas", hourly_replicas)
    reserved = as_float_array("reserved_usd_per_hour", reserved_usd_per_hour)
    on_demand = as_float_array("on_demand_usd_per_hour", on_demand_usd_per_hour)
    check_non_negative("reserved_usd_per_hour", reserved)
    check_positive("on_demand_usd_per_hour", on_demand)
    n_hours = profile.shape[-1]
    lead = np.broadcast_shapes(profile.shape[:-1], reserved.shape, on_demand.shape)
    ordered = np.broadcast_to(np.sort(profile, axis=-1), (*lead, n_hours))
    # Rank (1-based) of the inverted-CDF quantile at 1 - reserved / on_demand; 0 means commit 0.
    share_worth_reserving = np.clip(1.0 - reserved / on_demand, 0.0, 1.0)
    rank = np.broadcast_to(ceil_tolerant(np.asarray(n_hours * share_worth_reserving)), lead)
    index = np.clip(rank - 1, 0, n_hours - 1).astype(np.intp)
    quantile = np.take_along_axis(ordered, index[..., np.newaxis], axis=-1)[..., 0]
    continuous = np.where(rank > 0, quantile, 0.0)
    lower, upper = np.floor(continuous), np.ceil(continuous)
    cost_lower = _mix_usd(profile, lower, reserved, on_demand)
    cost_upper = _mix_usd(profile, upper, reserved, on_demand)
    take_upper = cost_upper < cost_lower
    best = np.asarray(np.where(take_upper, upper, lower))
    cost = np.asarray(np.where(take_upper, cost_upper, cost_lower))
    return Commitment(scalar_or_array(best), scalar_or_array(cost))
