"""Monthly cost components of a self-hosted deployment: capacity, idle share, labor.

Costs are in USD per month [USD/month]; prices per hour [USD/h].
"""

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
from llmtco.units import DEFAULT_HOURS_PER_MONTH, MONTHS_PER_YEAR

__all__ = ["capacity_usd_per_month", "labor_usd_per_month", "split_idle_usd"]


def capacity_usd_per_month(
    units: npt.ArrayLike,
    unit_usd_per_hour: npt.ArrayLike,
    hours_per_month: npt.ArrayLike = DEFAULT_HOURS_PER_MONTH,
) -> FloatOrArray:
    """Cost of capacity provisioned for the whole month [USD/month].

    ``units x unit_usd_per_hour x hours_per_month``.

    Parameters
    ----------
    units : array_like
        Units paid for all month [units].
    unit_usd_per_hour : array_like
        Price of one unit [USD/h].
    hours_per_month : array_like, default 730
        Billed hours in a month [h/month].

    Returns
    -------
    float or numpy.ndarray
        Capacity cost [USD/month].

    Examples
    --------
    One p4d.24xlarge at 32 USD/h over a 720-hour month (article 000):

    >>> capacity_usd_per_month(1, 32.0, 720)
    23040.0
    """
    count = as_float_array("units", units)
    price = as_float_array("unit_usd_per_hour", unit_usd_per_hour)
    hours = as_float_array("hours_per_month", hours_per_month)
    check_non_negative("units", count)
    check_non_negative("unit_usd_per_hour", price)
    check_positive("hours_per_month", hours)
    return scalar_or_array(np.asarray(count * price * hours))


def labor_usd_per_month(fte: npt.ArrayLike, usd_per_fte_year: npt.ArrayLike) -> FloatOrArray:
    """Monthly cost of engineering labor [USD/month].

    ``fte x usd_per_fte_year / 12``.

    Parameters
    ----------
    fte : array_like
        Full-time equivalents [FTE].
    usd_per_fte_year : array_like
        Fully loaded annual cost of one FTE [USD/(FTE year)].

    Returns
    -------
    float or numpy.ndarray
        Labor cost [USD/month].

    Examples
    --------
    >>> labor_usd_per_month(0.5, 240_000)
    10000.0
    """
    staff = as_float_array("fte", fte)
    salary = as_float_array("usd_per_fte_year", usd_per_fte_year)
    check_non_negative("fte", staff)
    check_non_negative("usd_per_fte_year", salary)
    return scalar_or_array(np.asarray(staff * salary / MONTHS_PER_YEAR))


def split_idle_usd(
    capacity_usd: npt.ArrayLike, utilization: npt.ArrayLike
) -> tuple[FloatOrArray, FloatOrArray]:
    """Split a capacity cost into the share that carries traffic and the idle share [USD].

    Parameters
    ----------
    capacity_usd : array_like
        Cost of the capacity paid for [USD].
    utilization : array_like
        Share of that capacity that carries traffic [-], in [0, 1].

    Returns
    -------
    used_usd, idle_usd : float or numpy.ndarray
        ``capacity x utilization`` and ``capacity x (1 - utilization)``; they add up to the
        capacity cost.

    Examples
    --------
    >>> split_idle_usd(1000.0, 0.25)
    (250.0, 750.0)
    """
    cost = as_float_array("capacity_usd", capacity_usd)
    share = as_float_array("utilization", utilization)
    check_non_negative("capacity_usd", cost)
    check_in_range("utilization", share, 0.0, 1.0)
    used: FloatArray = np.asarray(cost * share)
    idle: FloatArray = np.asarray(cost - used)
    return scalar_or_array(used), scalar_or_array(idle)
