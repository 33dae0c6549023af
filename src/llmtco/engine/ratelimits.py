"""Provider rate limits: the busiest minute of a month's traffic, and what a limit throttles.

Hosted APIs cap each account per minute (requests, tokens, input or output tokens), by usage
tier. A monthly volume spread over an hour-of-week profile (168 values, Monday 00:00 first,
scaled to a mean of 1, as :func:`llmtco.engine.traffic.normalized_profile` returns) has a mean
rate in each hour of the week; the *burst factor* is how far the busiest minute of an hour
rises above that hour's mean.

Within-hour model
-----------------
The minutes of an hour whose mean rate is ``m`` [per minute] carry the rates ``m x u``, where
``u`` is spread over the minutes as follows, for a burst factor ``b >= 1``:

- ``b <= 2``: ``u`` is uniform on ``[2 - b, b]`` (mean 1, peak ``b``; ``b = 1`` is flat);
- ``b > 2``: a share ``2 / b`` of the minutes has ``u`` uniform on ``[0, b]`` and the other
  minutes are idle (``u = 0``), which again has mean 1 and peak ``b``.

Both are one family: ``u`` uniform on ``[lo, b]`` with ``lo = max(0, 2 - b)`` on a share
``s = 2 / (lo + b)`` of the minutes (``s = 1`` when ``b <= 2``), idle elsewhere. With ``L`` the
limit [per minute], the volume above the limit per minute of the hour is

- ``0`` when ``L >= m b``;
- ``m - s L`` when ``L <= m lo`` (every active minute is over the limit);
- ``s (m b - L)^2 / (2 m (b - lo))`` in between.

Throttled volume is what arrives above the limit in a minute; it is refused (HTTP 429), and
whether a client retries it later is left to the caller.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    check_non_negative,
    check_positive,
    scalar_or_array,
)
from llmtco.engine.traffic import HOURS_PER_WEEK, normalized_profile
from llmtco.units import DEFAULT_HOURS_PER_MONTH

__all__ = ["peak_minute_rate", "throttled_share", "tier_needed"]

_MINUTES_PER_HOUR = 60.0


def _profile(hour_of_week: npt.ArrayLike | None) -> FloatArray:
    """The hour-of-week profile scaled to a mean of 1; ``None`` is flat traffic."""
    if hour_of_week is None:
        return np.ones(HOURS_PER_WEEK, dtype=np.float64)
    return normalized_profile(hour_of_week)


def _burst(burst_factor: npt.ArrayLike) -> FloatArray:
    burst = as_float_array("burst_factor", burst_factor)
    check_positive("burst_factor", burst)
    if np.any(burst < 1):
        msg = f"burst_factor must be a finite number >= 1; got {float(burst[burst < 1].flat[0])!r}"
        raise ValueError(msg)
    return burst


def _mean_per_minute(per_month: npt.ArrayLike, hours_per_month: npt.ArrayLike) -> FloatArray:
    volume = as_float_array("per_month", per_month)
    hours = as_float_array("hours_per_month", hours_per_month)
    check_non_negative("per_month", volume)
    check_positive("hours_per_month", hours)
    result: FloatArray = volume / (hours * _MINUTES_PER_HOUR)
    return result


def peak_minute_rate(
    per_month: npt.ArrayLike,
    hour_of_week: npt.ArrayLike | None,
    hours_per_month: npt.ArrayLike = DEFAULT_HOURS_PER_MONTH,
    burst_factor: npt.ArrayLike = 1.0,
) -> FloatOrArray:
    """Demand in the busiest minute of the month [per minute].

    ``per_month / (hours_per_month x 60) x max(profile) x burst_factor``, where the profile is
    scaled to a mean of 1. The unit follows ``per_month``: requests give [requests/min], tokens
    give [tokens/min].

    Parameters
    ----------
    per_month : array_like
        Monthly volume, requests or tokens [per month], shaped ``(...)``.
    hour_of_week : array_like or None
        Relative traffic per hour of the week, shaped ``(..., 168)``, Monday 00:00 first, any
        scale (it is scaled to a mean of 1 here); ``None`` means flat traffic.
    hours_per_month : array_like, default 730
        Length of a month [h/month].
    burst_factor : array_like, default 1.0
        Busiest minute of an hour over the hour's mean rate [-], >= 1.

    Returns
    -------
    float or numpy.ndarray
        Peak rate [per minute], broadcast over ``per_month``, the profile's leading axes,
        ``hours_per_month`` and ``burst_factor``.

    Examples
    --------
    4.32 million requests a month, flat, then with a 4x office peak and minutes bursting 1.5x:

    >>> round(peak_minute_rate(4.32e6, None), 2)
    98.63
    >>> from llmtco.engine.traffic import two_level_profile
    >>> round(peak_minute_rate(4.32e6, two_level_profile(4.0), burst_factor=1.5), 1)
    591.8
    """
    mean = _mean_per_minute(per_month, hours_per_month)
    profile = _profile(hour_of_week)
    burst = _burst(burst_factor)
    return scalar_or_array(np.asarray(mean * profile.max(axis=-1) * burst))


def throttled_share(
    per_month: npt.ArrayLike,
    limit_per_minute: npt.ArrayLike,
    hour_of_week: npt.ArrayLike | None,
    hours_per_month: npt.ArrayLike = DEFAULT_HOURS_PER_MONTH,
    burst_factor: npt.ArrayLike = 1.0,
) -> FloatOrArray:
    """Share of the month's volume that arrives above a per-minute limit [-].

    Each hour of the week has the mean rate ``per_month / (hours_per_month x 60) x
    profile[h]``; within the hour, minute rates follow the burst model of this module (see the
    module docstring): uniform on ``[2 - b, b]`` times the hour's mean for ``b <= 2``; for
    ``b > 2``, uniform on ``[0, b]`` times the mean on a share ``2 / b`` of the minutes, the
    rest idle. The volume above the limit is integrated in closed form in every hour and
    summed over the week; the share is that sum over the week's volume.

    The share is 0 when the peak minute (:func:`peak_minute_rate`) is within the limit, lies
    in [0, 1], does not fall as the volume grows nor rise as the limit grows, and is unchanged
    when volume and limit are scaled together.

    Parameters
    ----------
    per_month : array_like
        Monthly volume, requests or tokens [per month], shaped ``(...)``.
    limit_per_minute : array_like
        The limit, in the unit of ``per_month`` per minute [per minute], >= 0; ``inf`` means
        no limit.
    hour_of_week : array_like or None
        Relative traffic per hour of the week, shaped ``(..., 168)``, Monday 00:00 first, any
        scale (it is scaled to a mean of 1 here); ``None`` means flat traffic.
    hours_per_month : array_like, default 730
        Length of a month [h/month].
    burst_factor : array_like, default 1.0
        Busiest minute of an hour over the hour's mean rate [-], >= 1.

    Returns
    -------
    float or numpy.ndarray
        Throttled share of the volume [-], 0 where there is no volume.

    Examples
    --------
    4.32 million requests a month, flat, are 98.63 requests/min; a 60 requests/min limit
    refuses everything above it, 1 - 60 / 98.63 of the volume. With minutes bursting 1.5x
    (rates uniform on [0.5, 1.5] x 98.63) a 120 requests/min limit still throttles a little:

    >>> round(throttled_share(4.32e6, 60.0, None), 4)
    0.3917
    >>> round(throttled_share(4.32e6, 120.0, None, burst_factor=1.5), 4)
    0.0401
    >>> throttled_share(4.32e6, float("inf"), None, burst_factor=3.0)
    0.0
    """
    mean = _mean_per_minute(per_month, hours_per_month)
    limit = as_float_array("limit_per_minute", limit_per_minute)
    check_non_negative("limit_per_minute", limit, allow_inf=True)
    profile = _profile(hour_of_week)
    burst = _burst(burst_factor)

    b = burst[..., np.newaxis]
    lo = np.maximum(0.0, 2.0 - b)
    active = 2.0 / (lo + b)
    rate = mean[..., np.newaxis] * profile  # hourly mean rates, (..., 168) [per minute]
    cap = limit[..., np.newaxis]
    rate, cap, b, lo, active = np.broadcast_arrays(rate, cap, b, lo, active)

    # Every branch is computed everywhere; np.where keeps the one that applies.
    with np.errstate(all="ignore"):
        # All active minutes over the limit: the whole excess of the mean.
        all_over = rate - active * cap
        # The limit cuts through the uniform part: a triangle of excess.
        partial = active * (rate * b - cap) ** 2 / (2.0 * rate * (b - lo))
    excess = np.where(
        cap >= rate * b,
        0.0,
        np.where(cap <= rate * lo, all_over, partial),
    )
    throttled = excess.sum(axis=-1)
    total = rate.sum(axis=-1)
    share = np.zeros(total.shape, dtype=np.float64)
    np.divide(throttled, total, out=share, where=total > 0)
    return scalar_or_array(np.clip(share, 0.0, 1.0))


def tier_needed(
    peak_per_minute: npt.ArrayLike, limits_per_minute: npt.ArrayLike
) -> int | npt.NDArray[np.intp]:
    """Index of the first usage tier whose every limit covers its peak (-1 if none).

    Parameters
    ----------
    peak_per_minute : array_like
        Peak demand of each limit kind, e.g. ``[requests, input tokens, output tokens]`` in
        their busiest minute [per minute], shaped ``(..., n_kinds)``, >= 0.
    limits_per_minute : array_like
        The tiers' limits, shaped ``(n_tiers, n_kinds)``, tiers in the order to try them
        (smallest first) [per minute]; NaN or ``inf`` means the tier has no limit of that kind.

    Returns
    -------
    int or numpy.ndarray
        Index of the first tier with ``limit >= peak`` for every kind, -1 when no tier has;
        an ``int`` for a 1-D ``peak_per_minute``, an integer array shaped ``(...)`` otherwise.

    Examples
    --------
    Peaks of 600 requests/min and 40,000 tokens/min against three tiers (the middle one has no
    token limit):

    >>> limits = [[500, 30_000], [5_000, float("nan")], [10_000, 2_000_000]]
    >>> tier_needed([600.0, 40_000.0], limits)
    1
    >>> tier_needed([20_000.0, 0.0], limits)
    -1
    """
    peak = as_float_array("peak_per_minute", peak_per_minute)
    limits = as_float_array("limits_per_minute", limits_per_minute)
    if peak.ndim == 0:
        msg = "peak_per_minute must have a last axis of limit kinds; got a scalar"
        raise ValueError(msg)
    if limits.ndim != 2 or limits.shape[1] != peak.shape[-1]:
        msg = (
            f"limits_per_minute must be shaped (n_tiers, {peak.shape[-1]}) to match "
            f"peak_per_minute's {peak.shape[-1]} limit kinds; got {limits.shape}"
        )
        raise ValueError(msg)
    check_non_negative("peak_per_minute", peak, allow_inf=True)
    unlimited = np.isnan(limits) | np.isposinf(limits)
    check_positive("limits_per_minute", limits[~unlimited])
    covered = unlimited | (limits >= peak[..., np.newaxis, :])
    fits = covered.all(axis=-1)  # (..., n_tiers)
    if fits.shape[-1] == 0:
        first = np.full(fits.shape[:-1], -1, dtype=np.intp)
    else:
        first = np.where(fits.any(axis=-1), fits.argmax(axis=-1), -1)
    if first.ndim == 0:
        return int(first)
    return first.astype(np.intp)
