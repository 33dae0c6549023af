"""Owned hardware: capital cost, depreciation, salvage, power and colocation, and buy versus rent.

Months are counted from 0 (the first month); a server is bought at the start of month 0 and
serves ``life_months`` whole months. Monthly series are shaped ``(..., n_months)``: every
argument of a function that returns them broadcasts against a trailing month axis, as in
:func:`llmtco.engine.compound_growth`, so pass ``(n_scenarios, 1)`` for one value per scenario.
Running costs may also be ``(n_scenarios, n_months)`` schedules; the price, salvage and life of
the hardware should be constant along the month axis. Costs are positive, credits (salvage)
negative [USD/month].
"""

from __future__ import annotations

from typing import NamedTuple

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
from llmtco.engine.finance import discount_factors
from llmtco.units import DEFAULT_HOURS_PER_MONTH, MONTHS_PER_YEAR

__all__ = [
    "BuyVsRent",
    "OwnedCashFlows",
    "annuity_factor",
    "buy_vs_rent_usd",
    "owned_cash_flows_usd",
    "power_usd_per_month",
    "straight_line_depreciation_usd",
]

DEFAULT_IDLE_POWER_SHARE = 0.3
"""Draw of an idle server as a share of its full-load draw [-]; a rough figure for GPU servers
(GPUs idle at a small share of their rating, but CPUs, memory, fans and networking keep
drawing). Measure your own where it matters."""


def _month_index(n_months: int) -> FloatArray:
    if isinstance(n_months, bool) or not isinstance(n_months, int | np.integer) or n_months < 1:
        msg = f"n_months must be a whole number >= 1; got {n_months!r}"
        raise ValueError(msg)
    return np.arange(int(n_months), dtype=np.float64)


def _whole_months(name: str, value: npt.ArrayLike) -> FloatArray:
    months = as_float_array(name, value)
    check_positive(name, months)
    if np.any(months != np.floor(months)):
        msg = f"{name} must be a whole number of months >= 1; got {months!r}"
        raise ValueError(msg)
    return months


def _check_rate(name: str, rate: FloatArray) -> None:
    if np.any(~(rate > -1)) or np.any(np.isinf(rate)):
        msg = f"{name} must be a finite number > -1; got {rate!r}"
        raise ValueError(msg)


def _purchase_and_salvage(
    purchase_usd: npt.ArrayLike, salvage_usd: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    purchase = as_float_array("purchase_usd", purchase_usd)
    salvage = as_float_array("salvage_usd", salvage_usd)
    check_non_negative("purchase_usd", purchase)
    check_non_negative("salvage_usd", salvage)
    if np.any(salvage > purchase):
        msg = f"salvage_usd must not exceed purchase_usd; got {salvage!r} > {purchase!r}"
        raise ValueError(msg)
    return purchase, salvage


def annuity_factor(rate_per_year: npt.ArrayLike, life_months: npt.ArrayLike) -> FloatOrArray:
    """Monthly payment that repays one USD of capital over its life [1/month].

    ``r / (1 - (1 + r)^-n)`` with the monthly rate ``r = (1 + rate_per_year)^(1/12) - 1`` and
    ``n = life_months``; ``1 / n`` when the rate is 0. Multiply a purchase price by it for the
    level monthly cost of the capital (salvage and running costs aside).

    Parameters
    ----------
    rate_per_year : array_like
        Annual cost of capital (discount rate) [1/year], > -1.
    life_months : array_like
        Months over which the capital is repaid [months], > 0.

    Returns
    -------
    float or numpy.ndarray
        Payment per USD of capital, paid at the end of each month [1/month].

    Examples
    --------
    A 250,000 USD server over 36 months, without interest and at 8% a year:

    >>> round(250_000 * annuity_factor(0.0, 36), 2)
    6944.44
    >>> round(250_000 * annuity_factor(0.08, 36), 2)
    7801.94
    """
    rate = as_float_array("rate_per_year", rate_per_year)
    life = as_float_array("life_months", life_months)
    _check_rate("rate_per_year", rate)
    check_positive("life_months", life)
    log_monthly = np.log1p(rate) / MONTHS_PER_YEAR  # log(1 + r_monthly), exact for small rates
    monthly = np.expm1(log_monthly)
    denominator = -np.expm1(-life * log_monthly)  # 1 - (1 + r)^-n
    interest = monthly != 0
    level = monthly / np.where(interest, denominator, 1.0)
    return scalar_or_array(np.asarray(np.where(interest, level, 1.0 / life)))


def _schedule(
    life: FloatArray, n_months: int, *, renew: bool
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Age of the hardware in each month [months] and whether any is in service."""
    months = _month_index(n_months)
    if renew:
        age = np.mod(months, life)
        return age, np.ones(age.shape, dtype=bool)
    age = months + np.zeros_like(life)
    return age, age < life


def straight_line_depreciation_usd(
    purchase_usd: npt.ArrayLike,
    salvage_usd: npt.ArrayLike,
    life_months: npt.ArrayLike,
    n_months: int,
    *,
    renew: bool = True,
) -> FloatArray:
    """Straight-line depreciation in each month of the horizon [USD/month].

    ``(purchase - salvage) / life_months`` in every month the hardware serves. With ``renew``
    the hardware is replaced at the end of each life, so the charge runs to the horizon;
    without it the charge stops after ``life_months``.

    Parameters
    ----------
    purchase_usd : array_like
        Price of the hardware, installed [USD]; shape ``(n_scenarios, 1)`` for one price per
        scenario (the arguments broadcast against the month axis).
    salvage_usd : array_like
        Resale value at the end of its life [USD], in [0, purchase_usd].
    life_months : array_like
        Service life, a whole number of months [months].
    n_months : int
        Horizon length [months].
    renew : bool, default True
        Replace the hardware at the end of each life.

    Returns
    -------
    numpy.ndarray
        Depreciation shaped ``broadcast(args, (n_months,))`` [USD/month].

    Examples
    --------
    >>> straight_line_depreciation_usd(250_000, 25_000, 36, 4).tolist()
    [6250.0, 6250.0, 6250.0, 6250.0]
    >>> straight_line_depreciation_usd(1200, 0, 2, 4, renew=False).tolist()
    [600.0, 600.0, 0.0, 0.0]
    """
    purchase, salvage = _purchase_and_salvage(purchase_usd, salvage_usd)
    life = _whole_months("life_months", life_months)
    _, in_service = _schedule(life, n_months, renew=renew)
    result: FloatArray = np.where(in_service, (purchase - salvage) / life, 0.0)
    return result


def power_usd_per_month(
    power_kw: npt.ArrayLike,
    pue: npt.ArrayLike,
    usd_per_kwh: npt.ArrayLike,
    hours_per_month: npt.ArrayLike = DEFAULT_HOURS_PER_MONTH,
    utilization: npt.ArrayLike = 1.0,
    idle_power_share: npt.ArrayLike = DEFAULT_IDLE_POWER_SHARE,
) -> FloatOrArray:
    """Electricity bill of a server, cooling included [USD/month].

    ``power_kw x draw x pue x hours_per_month x usd_per_kwh``, where the draw rises linearly
    from ``idle_power_share`` of full power when idle to full power when fully busy:
    ``draw = idle_power_share + (1 - idle_power_share) x utilization``. The default
    ``utilization=1`` bills full power all month, the usual conservative budget.

    Parameters
    ----------
    power_kw : array_like
        Full-load draw of the server [kW].
    pue : array_like
        Power usage effectiveness of the facility, >= 1 [-].
    usd_per_kwh : array_like
        Price of electricity [USD/kWh].
    hours_per_month : array_like, default 730
        Hours in a month [h/month].
    utilization : array_like, default 1.0
        Mean load of the server [-], in [0, 1].
    idle_power_share : array_like, default 0.3
        Idle draw as a share of full-load draw [-], in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        Power cost [USD/month].

    Examples
    --------
    An 8x H100 server drawing 10 kW at PUE 1.3 and 0.10 USD/kWh, fully busy and half busy:

    >>> round(power_usd_per_month(10.0, 1.3, 0.10), 2)
    949.0
    >>> round(power_usd_per_month(10.0, 1.3, 0.10, utilization=0.5), 2)
    616.85
    """
    power = as_float_array("power_kw", power_kw)
    efficiency = as_float_array("pue", pue)
    price = as_float_array("usd_per_kwh", usd_per_kwh)
    hours = as_float_array("hours_per_month", hours_per_month)
    load = as_float_array("utilization", utilization)
    idle = as_float_array("idle_power_share", idle_power_share)
    check_non_negative("power_kw", power)
    check_non_negative("pue", efficiency)
    check_in_range("pue", efficiency, 1.0, np.inf)
    check_non_negative("usd_per_kwh", price)
    check_positive("hours_per_month", hours)
    check_in_range("utilization", load, 0.0, 1.0)
    check_in_range("idle_power_share", idle, 0.0, 1.0)
    draw = idle + (1.0 - idle) * load
    return scalar_or_array(np.asarray(power * draw * efficiency * hours * price))


class OwnedCashFlows(NamedTuple):
    """Monthly cash flows of owned hardware, each shaped ``(..., n_months)`` [USD/month].

    Attributes
    ----------
    purchase_usd : numpy.ndarray
        Hardware bought: in month 0, and at the start of each new life with renewal.
    salvage_usd : numpy.ndarray
        Resale at the end of each life, and the residual book value at the horizon end,
        as negative costs.
    power_usd : numpy.ndarray
        Electricity while in service.
    colocation_usd : numpy.ndarray
        Rack space, colocation or facility cost while in service.
    maintenance_usd : numpy.ndarray
        Support contracts, spares and repairs while in service.
    total_usd : numpy.ndarray
        Sum of the above: the net monthly outflow.
    """

    purchase_usd: FloatArray
    salvage_usd: FloatArray
    power_usd: FloatArray
    colocation_usd: FloatArray
    maintenance_usd: FloatArray
    total_usd: FloatArray


def owned_cash_flows_usd(
    purchase_usd: npt.ArrayLike,
    salvage_usd: npt.ArrayLike,
    life_months: npt.ArrayLike,
    n_months: int,
    power_usd_per_month: npt.ArrayLike,
    colocation_usd_per_month: npt.ArrayLike,
    maintenance_usd_per_month: npt.ArrayLike = 0.0,
    *,
    renew: bool = True,
    credit_residual_value: bool = True,
) -> OwnedCashFlows:
    """Monthly cash outflows of buying and running hardware over a horizon [USD/month].

    * The purchase falls in month 0 and, with ``renew``, again every ``life_months`` months.
    * Salvage is a negative cost in the last month of each life (the sale at the end of that
      month is booked in it).
    * If the horizon ends mid-life, the hardware still has value. With
      ``credit_residual_value`` its straight-line book value,
      ``purchase - (purchase - salvage) x months_used / life_months``, is credited in the last
      month of the horizon, so a short horizon is not charged the whole purchase (and the net
      capital cost over any horizon equals :func:`straight_line_depreciation_usd` summed).
      Without it the unused value is lost, the conservative reading.
    * Power, colocation and maintenance are paid in every month the hardware serves.

    Flows are taken at the start of each month, as :func:`llmtco.engine.npv_usd` discounts them
    (so a sale at the end of a month is discounted one month early).

    Parameters
    ----------
    purchase_usd : array_like
        Price of the hardware, installed [USD]; shape ``(n_scenarios, 1)`` for one price per
        scenario (the arguments broadcast against the month axis).
    salvage_usd : array_like
        Resale value at the end of its life [USD], in [0, purchase_usd].
    life_months : array_like
        Service life, a whole number of months [months].
    n_months : int
        Horizon length [months].
    power_usd_per_month : array_like
        Electricity, e.g. from :func:`power_usd_per_month` [USD/month].
    colocation_usd_per_month : array_like
        Rack, colocation or facility cost [USD/month].
    maintenance_usd_per_month : array_like, default 0
        Support, spares and repairs [USD/month].
    renew : bool, default True
        Replace the hardware at the end of each life; otherwise it serves once and every cost
        stops after ``life_months``.
    credit_residual_value : bool, default True
        Credit the book value left at the horizon end.

    Returns
    -------
    OwnedCashFlows
        The line items and their ``total_usd``, each shaped ``broadcast(args, (n_months,))``.

    Examples
    --------
    A 1,200 USD box with 300 USD salvage after 3 months, 10 USD/month of power and 5 of rack,
    over 5 months: bought twice, sold once, and the second box credited at its book value of
    600 USD after two months of use:

    >>> flows = owned_cash_flows_usd(1200, 300, 3, 5, 10.0, 5.0)
    >>> flows.total_usd.tolist()
    [1215.0, 15.0, -285.0, 1215.0, -585.0]
    >>> flows.salvage_usd.tolist()
    [0.0, 0.0, -300.0, 0.0, -600.0]
    """
    purchase, salvage = _purchase_and_salvage(purchase_usd, salvage_usd)
    life = _whole_months("life_months", life_months)
    recurring = []
    for name, value in (
        ("power_usd_per_month", power_usd_per_month),
        ("colocation_usd_per_month", colocation_usd_per_month),
        ("maintenance_usd_per_month", maintenance_usd_per_month),
    ):
        cost = as_float_array(name, value)
        check_non_negative(name, cost)
        recurring.append(cost)
    age, in_service = _schedule(life, n_months, renew=renew)
    end_of_life = in_service & (age == life - 1)
    last_month = np.arange(n_months) == n_months - 1
    mid_life_at_end = in_service & last_month & ~end_of_life & credit_residual_value
    book_value = purchase - (purchase - salvage) * (age + 1) / life
    credits = np.where(end_of_life, -salvage, 0.0) + np.where(mid_life_at_end, -book_value, 0.0)
    items = [np.where(in_service & (age == 0), purchase, 0.0), credits]
    items += [np.where(in_service, cost, 0.0) for cost in recurring]
    shape = np.broadcast_shapes(*(item.shape for item in items))
    purchase_f, salvage_f, power_f, colocation_f, maintenance_f = (
        np.broadcast_to(item, shape).astype(np.float64) for item in items
    )
    total = purchase_f + salvage_f + power_f + colocation_f + maintenance_f
    return OwnedCashFlows(purchase_f, salvage_f, power_f, colocation_f, maintenance_f, total)


class BuyVsRent(NamedTuple):
    """Cumulative cost of owning and of renting the same capacity.

    Attributes
    ----------
    owned_cumulative_usd, rent_cumulative_usd : numpy.ndarray
        Cost up to and including each month, discounted to month 0 when a rate is given,
        shaped ``(..., n_months)`` [USD].
    owned_npv_usd, rent_npv_usd : float or numpy.ndarray
        The totals over the horizon (the last cumulative values) [USD].
    """

    owned_cumulative_usd: FloatArray
    rent_cumulative_usd: FloatArray
    owned_npv_usd: FloatOrArray
    rent_npv_usd: FloatOrArray


def buy_vs_rent_usd(
    owned_usd_per_month: npt.ArrayLike,
    rent_usd_per_month: npt.ArrayLike,
    discount_rate_per_year: npt.ArrayLike = 0.0,
) -> BuyVsRent:
    """Compare owning hardware with renting equivalent capacity over a horizon [USD].

    Both monthly streams are discounted with ``(1 + r)^(-m/12)`` and accumulated. Owning pays
    off where its cumulative curve falls below renting's; use
    :func:`llmtco.engine.payback_month` for the interpolated month.

    Parameters
    ----------
    owned_usd_per_month : array_like
        Net monthly cost of owning, e.g. ``owned_cash_flows_usd(...).total_usd``, shaped
        ``(..., n_months)`` [USD/month].
    rent_usd_per_month : array_like
        Monthly cost of renting the same capacity, broadcast against it [USD/month].
    discount_rate_per_year : array_like, default 0
        Annual discount rate [1/year], > -1; broadcast against ``owned_usd_per_month[..., :1]``.

    Returns
    -------
    BuyVsRent
        Cumulative curves and their totals (floats for 1-D inputs).

    Examples
    --------
    An 8x H100 server (250,000 USD, 50,000 back after 36 months, 949 USD/month of power
    and 1,500 of rack) against renting 8 GPUs at 2.50 USD/h; owning is cumulatively cheaper
    from month 20 (counted from 0) on:

    >>> owned = owned_cash_flows_usd(250_000, 50_000, 36, 36, 949.0, 1500.0).total_usd
    >>> rent = [8 * 2.50 * 730] * 36
    >>> result = buy_vs_rent_usd(owned, rent)
    >>> round(result.owned_npv_usd), round(result.rent_npv_usd)
    (288164, 525600)
    >>> int(np.argmax(result.owned_cumulative_usd <= result.rent_cumulative_usd))
    20
    """
    owned = as_float_array("owned_usd_per_month", owned_usd_per_month)
    rent = as_float_array("rent_usd_per_month", rent_usd_per_month)
    if owned.ndim == 0:
        msg = "owned_usd_per_month must have a trailing month axis; got a scalar"
        raise ValueError(msg)
    check_non_negative("rent_usd_per_month", rent)
    owned, rent = np.broadcast_arrays(owned, rent)
    factors = discount_factors(owned.shape[-1], discount_rate_per_year)
    owned_cumulative: FloatArray = np.cumsum(owned * factors, axis=-1)
    rent_cumulative: FloatArray = np.cumsum(rent * factors, axis=-1)
    return BuyVsRent(
        owned_cumulative,
        rent_cumulative,
        scalar_or_array(np.asarray(owned_cumulative[..., -1])),
        scalar_or_array(np.asarray(rent_cumulative[..., -1])),
    )
