"""Time value and horizon helpers: growth, discounting, net present value.

Months are counted from 0 (the first month). Rates are annual unless the name says monthly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    scalar_or_array,
)
from llmtco.units import MONTHS_PER_YEAR

__all__ = ["compound_growth", "discount_factors", "npv_usd", "price_escalation"]


def _months(n_months: int) -> FloatArray:
    if isinstance(n_months, bool) or not isinstance(n_months, int | np.integer) or n_months < 1:
        msg = f"n_months must be a whole number >= 1; got {n_months!r}"
        raise ValueError(msg)
    return np.arange(int(n_months), dtype=np.float64)


def compound_growth(n_months: int, monthly_rate: npt.ArrayLike) -> FloatArray:
    """Volume multipliers ``(1 + g)^m`` for months ``m = 0 .. n_months - 1`` [-].

    Parameters
    ----------
    n_months : int
        Horizon length [months].
    monthly_rate : array_like
        Compound growth per month [1/month], > -1. Shape ``(n_scenarios, 1)`` gives one curve per
        scenario.

    Returns
    -------
    numpy.ndarray
        Multipliers shaped ``broadcast(monthly_rate.shape, (n_months,))`` [-].

    Examples
    --------
    >>> compound_growth(3, 0.10).round(4).tolist()
    [1.0, 1.1, 1.21]
    """
    rate = as_float_array("monthly_rate", monthly_rate)
    if np.any(~(rate > -1)) or np.any(np.isinf(rate)):
        msg = f"monthly_rate must be a finite number > -1; got {rate!r}"
        raise ValueError(msg)
    result: FloatArray = (1.0 + rate) ** _months(n_months)
    return result


def discount_factors(n_months: int, discount_rate_per_year: npt.ArrayLike) -> FloatArray:
    """Monthly discount factors ``(1 + r)^(-m / 12)`` [-].

    Parameters
    ----------
    n_months : int
        Horizon length [months].
    discount_rate_per_year : array_like
        Annual discount rate [1/year], > -1. Use shape ``(n_scenarios, 1)`` for one rate per
        scenario.

    Returns
    -------
    numpy.ndarray
        Factors shaped ``broadcast(rate.shape, (n_months,))``; month 0 is undiscounted.

    Examples
    --------
    >>> discount_factors(13, 0.10)[[0, 12]].round(6).tolist()
    [1.0, 0.909091]
    """
    rate = as_float_array("discount_rate_per_year", discount_rate_per_year)
    if np.any(~(rate > -1)) or np.any(np.isinf(rate)):
        msg = f"discount_rate_per_year must be a finite number > -1; got {rate!r}"
        raise ValueError(msg)
    result: FloatArray = (1.0 + rate) ** (-_months(n_months) / MONTHS_PER_YEAR)
    return result


def price_escalation(n_months: int, escalation_per_year: npt.ArrayLike) -> FloatArray:
    """Price multipliers ``(1 + e)^(m / 12)`` of a price line that drifts by ``e`` a year [-].

    Parameters
    ----------
    n_months : int
        Horizon length [months].
    escalation_per_year : array_like
        Annual change of the price [1/year], > -1; negative for prices that fall. Use shape
        ``(n_scenarios, 1)`` for one trend per scenario.

    Returns
    -------
    numpy.ndarray
        Multipliers shaped ``broadcast(escalation.shape, (n_months,))``; month 0 is 1.

    Examples
    --------
    >>> price_escalation(13, -0.30)[[0, 6, 12]].round(4).tolist()
    [1.0, 0.8367, 0.7]
    """
    rate = as_float_array("escalation_per_year", escalation_per_year)
    if np.any(~(rate > -1)) or np.any(np.isinf(rate)):
        msg = f"escalation_per_year must be a finite number > -1; got {rate!r}"
        raise ValueError(msg)
    result: FloatArray = (1.0 + rate) ** (_months(n_months) / MONTHS_PER_YEAR)
    return result


def npv_usd(monthly_usd: npt.ArrayLike, discount_rate_per_year: npt.ArrayLike) -> FloatOrArray:
    """Net present value of a monthly cost stream at month 0 [USD].

    Parameters
    ----------
    monthly_usd : array_like
        Costs shaped ``(..., n_months)``, month 0 first [USD/month].
    discount_rate_per_year : array_like
        Annual discount rate [1/year]; broadcast against ``monthly_usd[..., :1]``.

    Returns
    -------
    float or numpy.ndarray
        ``sum_m cost_m (1 + r)^(-m/12)`` over the last axis [USD].

    Examples
    --------
    >>> round(npv_usd([100.0] * 13, 0.10), 2)
    1240.05
    """
    costs = as_float_array("monthly_usd", monthly_usd)
    if costs.ndim == 0:
        msg = "monthly_usd must have a trailing month axis; got a scalar"
        raise ValueError(msg)
    factors = discount_factors(costs.shape[-1], discount_rate_per_year)
    return scalar_or_array(np.asarray(np.sum(costs * factors, axis=-1)))
