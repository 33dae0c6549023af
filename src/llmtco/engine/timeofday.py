"""Time-of-day shares: how much of a weekly traffic profile falls in a daily UTC window."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    check_in_range,
    check_non_negative,
    check_positive,
    scalar_or_array,
)

__all__ = ["window_share"]

_HOURS_PER_DAY = 24.0


def _overlap_hours(start: npt.ArrayLike, window: tuple[float, float]) -> FloatArray:
    """Hours of ``[start, start + 1)`` inside the daily window, both on a 24-hour circle."""
    begin, end = window
    if begin == end:
        segments = [(0.0, _HOURS_PER_DAY)]
    elif begin < end:
        segments = [(begin, end)]
    else:
        segments = [(begin, _HOURS_PER_DAY), (0.0, end)]
    t = np.asarray(start, dtype=np.float64)
    total = np.zeros(t.shape)
    for lo, hi in segments:
        for shift in (-_HOURS_PER_DAY, 0.0, _HOURS_PER_DAY):
            total += np.clip(np.minimum(t + 1 + shift, hi) - np.maximum(t + shift, lo), 0.0, 1.0)
    return total


def window_share(
    hourly_traffic: npt.ArrayLike | None,
    start_hour_utc: float,
    end_hour_utc: float,
    utc_offset_hours: float = 0.0,
) -> FloatOrArray:
    """Share of traffic arriving inside a daily window ``[start, end)`` in UTC [-].

    Parameters
    ----------
    hourly_traffic : array_like or None
        Relative traffic per hour of local time, shaped ``(..., n_hours)`` with ``n_hours`` a
        multiple of 24 (168 for a week, Monday 00:00 first). ``None`` means flat traffic.
    start_hour_utc, end_hour_utc : float
        The window in hours after midnight UTC; it wraps past midnight when the end is earlier
        than the start, and covers the whole day when they are equal [h].
    utc_offset_hours : float, default 0
        Offset of the profile's local time from UTC, e.g. -5 for New York winter time [h].

    Returns
    -------
    float or numpy.ndarray
        Traffic share in the window, in [0, 1] [-].

    Examples
    --------
    Flat traffic and an 8-hour window; then traffic only from 09:00 to 17:00 UTC and a window
    16:30-00:30 UTC (DeepSeek's off-peak hours), which catches half of the 16:00 hour:

    >>> round(window_share(None, 16.5, 0.5), 6)
    0.333333
    >>> day = [0.0] * 9 + [1.0] * 8 + [0.0] * 7
    >>> window_share(day * 7, 16.5, 0.5)
    0.0625
    """
    for name, value in (("start_hour_utc", start_hour_utc), ("end_hour_utc", end_hour_utc)):
        check_in_range(name, np.asarray(value, dtype=np.float64), 0.0, _HOURS_PER_DAY)
    window = (float(start_hour_utc) % _HOURS_PER_DAY, float(end_hour_utc) % _HOURS_PER_DAY)
    if hourly_traffic is None:
        return float(_overlap_hours(np.arange(24.0), window).sum() / _HOURS_PER_DAY)
    traffic = as_float_array("hourly_traffic", hourly_traffic)
    if traffic.ndim == 0 or traffic.shape[-1] % 24:
        msg = f"hourly_traffic needs a last axis of whole days (24 x n hours); got {traffic.shape}"
        raise ValueError(msg)
    check_non_negative("hourly_traffic", traffic)
    total = traffic.sum(axis=-1)
    check_positive("total of hourly_traffic", np.asarray(total))
    utc_start = (np.arange(traffic.shape[-1]) - utc_offset_hours) % _HOURS_PER_DAY
    inside = _overlap_hours(utc_start, window)
    return scalar_or_array(np.asarray((traffic * inside).sum(axis=-1) / total))
