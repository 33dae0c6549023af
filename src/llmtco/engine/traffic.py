"""Hour-of-week traffic profiles: the shape that decides how much capacity sits idle.

A profile holds 168 relative rates, Monday 00:00 first, scaled to a mean of 1, so that
``demand[h] = mean_rate x profile[h]``. Its peak-to-mean ratio is what static provisioning pays
for in every hour.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import FloatArray, as_float_array, check_non_negative, check_positive

__all__ = [
    "PROFILE_NAMES",
    "ProfileName",
    "named_profile",
    "normalized_profile",
    "two_level_profile",
]

HOURS_PER_WEEK: Final = 168
ProfileName = Literal["flat", "business_hours", "diurnal_consumer", "batch_window"]
PROFILE_NAMES: Final[tuple[str, ...]] = (
    "flat",
    "business_hours",
    "diurnal_consumer",
    "batch_window",
)


def normalized_profile(hour_of_week: npt.ArrayLike) -> FloatArray:
    """Scale a 168-hour profile to a mean of 1 [-].

    Parameters
    ----------
    hour_of_week : array_like
        Relative traffic per hour of the week, shaped ``(..., 168)``, any scale, not all zero.

    Returns
    -------
    numpy.ndarray
        The profile divided by its mean over the last axis.

    Examples
    --------
    >>> normalized_profile([2.0] * 84 + [0.0] * 84)[[0, 100]].tolist()
    [2.0, 0.0]
    """
    profile = as_float_array("hour_of_week", hour_of_week)
    if profile.ndim == 0 or profile.shape[-1] != HOURS_PER_WEEK:
        msg = f"hour_of_week needs {HOURS_PER_WEEK} values on its last axis; got {profile.shape}"
        raise ValueError(msg)
    check_non_negative("hour_of_week", profile)
    mean = profile.mean(axis=-1, keepdims=True)
    check_positive("mean of hour_of_week", mean)
    result: FloatArray = profile / mean
    return result


def two_level_profile(
    peak_to_mean: float, busy_hours_per_day: int = 8, *, weekdays_only: bool = True
) -> FloatArray:
    """A profile with busy hours at ``peak_to_mean`` and a flat valley elsewhere [-].

    Busy hours start at 08:00 each day (Monday to Friday when ``weekdays_only``). The valley is
    set so that the mean is exactly 1.

    Parameters
    ----------
    peak_to_mean : float
        Busy-hour rate over the mean rate [-], >= 1 and at most 168 / busy hours per week.
    busy_hours_per_day : int, default 8
        Busy hours on a busy day [h].
    weekdays_only : bool, default True
        Busy only Monday to Friday.

    Returns
    -------
    numpy.ndarray
        168 values with mean 1 and maximum ``peak_to_mean``.

    Examples
    --------
    A 4x peak-to-mean office profile: 40 busy hours at 4, the other 128 hours at 0.0625:

    >>> profile = two_level_profile(4.0)
    >>> float(profile.max()), round(float(profile.mean()), 12), float(profile.min())
    (4.0, 1.0, 0.0625)
    """
    if not 1 <= busy_hours_per_day <= 24:
        msg = f"busy_hours_per_day must be a whole number in [1, 24]; got {busy_hours_per_day!r}"
        raise ValueError(msg)
    days = 5 if weekdays_only else 7
    busy = days * busy_hours_per_day
    ceiling = HOURS_PER_WEEK / busy
    if not 1 <= peak_to_mean <= ceiling:
        msg = (
            f"peak_to_mean must lie in [1, {ceiling:.4g}] for {busy} busy hours a week; "
            f"got {peak_to_mean!r}"
        )
        raise ValueError(msg)
    valley = (HOURS_PER_WEEK - busy * peak_to_mean) / (HOURS_PER_WEEK - busy)
    hours = np.arange(HOURS_PER_WEEK)
    day, hour = hours // 24, hours % 24
    is_busy = (day < days) & (hour >= 8) & (hour < 8 + busy_hours_per_day)
    return np.where(is_busy, peak_to_mean, valley).astype(np.float64)


def named_profile(name: str) -> FloatArray:
    """A ready-made hour-of-week profile, scaled to a mean of 1 [-].

    Parameters
    ----------
    name : {"flat", "business_hours", "diurnal_consumer", "batch_window"}
        - ``flat``: the same rate every hour (peak-to-mean 1).
        - ``business_hours``: an internal tool used Monday to Friday, 08:00-18:00, with a
          tenth of the busy rate at night and a twentieth at weekends (peak-to-mean 2.83).
        - ``diurnal_consumer``: a consumer app with a daily cycle peaking at 20:00 and a quiet
          night, a little busier at weekends (peak-to-mean 1.76).
        - ``batch_window``: spiky, a nightly two-hour batch job (01:00-03:00) carrying most of
          the volume on a small interactive baseline (peak-to-mean 9.02).

    Returns
    -------
    numpy.ndarray
        168 values, Monday 00:00 first, with mean 1.

    Examples
    --------
    >>> round(float(named_profile("business_hours").max()), 3)
    2.828
    """
    hours = np.arange(HOURS_PER_WEEK)
    day, hour = hours // 24, hours % 24
    weekday = day < 5
    if name == "flat":
        raw = np.ones(HOURS_PER_WEEK)
    elif name == "business_hours":
        busy = weekday & (hour >= 8) & (hour < 18)
        raw = np.where(busy, 1.0, np.where(weekday, 0.1, 0.05))
    elif name == "diurnal_consumer":
        raw = (1.0 + 0.6 * np.cos(2 * np.pi * (hour - 20) / 24)) * np.where(weekday, 1.0, 1.15)
    elif name == "batch_window":
        raw = np.where((hour >= 1) & (hour < 3), 1.0, 0.03)
    else:
        msg = f"unknown traffic profile {name!r}; known profiles: {', '.join(PROFILE_NAMES)}"
        raise ValueError(msg)
    return normalized_profile(raw)
