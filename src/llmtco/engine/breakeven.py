"""Break-even analysis: in volume (with stepped capacity) and in time (payback).

Volumes are monthly token volumes [tokens/month]; prices per million tokens [USD/Mtok]; fixed and
per-replica costs per month [USD/month].

The self-hosted cost of a monthly volume ``V`` is modelled as::

    S(V) = fixed + max(min_replicas, ceil(V / replica_tokens_per_month)) x replica_usd_per_month
           + variable_usd_per_mtok x V / 1e6

against an API cost ``A(V) = api_usd_per_mtok x V / 1e6``. Because ``S`` is a staircase, the two
lines may cross several times; the *sustained* break-even is the volume beyond which ``S <= A``
holds for every larger volume.
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
    check_finite,
    check_non_negative,
    check_positive,
    scalar_or_array,
)
from llmtco.engine.finance import discount_factors
from llmtco.units import TOKENS_PER_MTOK

__all__ = [
    "Payback",
    "break_even_intervals",
    "break_even_volume",
    "payback_month",
    "stepped_cost_usd_per_month",
]

_MAX_INTERVAL_STEPS = 1_000_000
_STEP_MARGIN_RTOL = 1e-9


class _StepInputs(NamedTuple):
    api_usd_per_token: FloatArray
    fixed_usd_per_month: FloatArray
    replica_usd_per_month: FloatArray
    replica_tokens_per_month: FloatArray
    variable_usd_per_token: FloatArray
    min_replicas: FloatArray


def _step_inputs(
    api_usd_per_mtok: npt.ArrayLike,
    fixed_usd_per_month: npt.ArrayLike,
    replica_usd_per_month: npt.ArrayLike,
    replica_tokens_per_month: npt.ArrayLike,
    variable_usd_per_mtok: npt.ArrayLike,
    min_replicas: npt.ArrayLike,
) -> _StepInputs:
    api = as_float_array("api_usd_per_mtok", api_usd_per_mtok)
    fixed = as_float_array("fixed_usd_per_month", fixed_usd_per_month)
    replica = as_float_array("replica_usd_per_month", replica_usd_per_month)
    capacity = as_float_array("replica_tokens_per_month", replica_tokens_per_month)
    variable = as_float_array("variable_usd_per_mtok", variable_usd_per_mtok)
    floor = as_float_array("min_replicas", min_replicas)
    if np.any(~np.isfinite(fixed)):
        msg = f"fixed_usd_per_month must be finite; got {fixed!r}"
        raise ValueError(msg)
    for name, values in (
        ("api_usd_per_mtok", api),
        ("replica_usd_per_month", replica),
        ("variable_usd_per_mtok", variable),
        ("min_replicas", floor),
    ):
        check_non_negative(name, values)
    check_positive("replica_tokens_per_month", capacity, allow_inf=True)
    if np.any(floor != np.floor(floor)):
        msg = f"min_replicas must be a whole number; got {floor!r}"
        raise ValueError(msg)
    return _StepInputs(
        api / TOKENS_PER_MTOK, fixed, replica, capacity, variable / TOKENS_PER_MTOK, floor
    )


def stepped_cost_usd_per_month(
    tokens_per_month: npt.ArrayLike,
    fixed_usd_per_month: npt.ArrayLike,
    replica_usd_per_month: npt.ArrayLike = 0.0,
    replica_tokens_per_month: npt.ArrayLike = np.inf,
    variable_usd_per_mtok: npt.ArrayLike = 0.0,
    min_replicas: npt.ArrayLike = 0,
) -> FloatOrArray:
    """Self-hosted monthly cost of a volume with stepped capacity [USD/month].

    Parameters
    ----------
    tokens_per_month : array_like
        Monthly volume [tokens/month].
    fixed_usd_per_month : array_like
        Cost paid at any volume: labor, overheads [USD/month].
    replica_usd_per_month : array_like, default 0
        Cost of one replica (unit of capacity) [USD/month].
    replica_tokens_per_month : array_like, default inf
        Volume one replica carries [tokens/month]; ``inf`` for no steps.
    variable_usd_per_mtok : array_like, default 0
        Cost that scales with volume [USD/Mtok].
    min_replicas : array_like, default 0
        Replicas paid for even at zero volume [replicas].

    Returns
    -------
    float or numpy.ndarray
        ``fixed + max(min_replicas, ceil(V / C)) x R + v x V`` [USD/month].

    Examples
    --------
    >>> stepped_cost_usd_per_month(2.5e9, 1000.0, 5000.0, 1e9)
    16000.0
    """
    volume = as_float_array("tokens_per_month", tokens_per_month)
    check_non_negative("tokens_per_month", volume)
    p = _step_inputs(
        0.0,
        fixed_usd_per_month,
        replica_usd_per_month,
        replica_tokens_per_month,
        variable_usd_per_mtok,
        min_replicas,
    )
    replicas = np.maximum(p.min_replicas, ceil_tolerant(volume / p.replica_tokens_per_month))
    # 0 replicas x a price is 0, even where the price is 0 and the count came from inf / inf.
    replica_cost = np.where(replicas > 0, replicas * p.replica_usd_per_month, 0.0)
    cost = p.fixed_usd_per_month + replica_cost + p.variable_usd_per_token * volume
    return scalar_or_array(np.asarray(cost, dtype=np.float64))


def break_even_volume(
    api_usd_per_mtok: npt.ArrayLike,
    fixed_usd_per_month: npt.ArrayLike,
    replica_usd_per_month: npt.ArrayLike = 0.0,
    replica_tokens_per_month: npt.ArrayLike = np.inf,
    variable_usd_per_mtok: npt.ArrayLike = 0.0,
    min_replicas: npt.ArrayLike = 0,
) -> FloatOrArray:
    """Sustained break-even volume: beyond it self-hosting stays at or below the API [tokens/month].

    With a linear self-hosted cost (no replica steps) this is ``F / (a - v)``. With stepped
    capacity (replicas of capacity ``C`` costing ``R`` each), step ``k`` is cheaper than the API
    over its whole width once ``(a - v)(k - 1) C >= F + k R``; this happens for every later step
    only if each full replica earns back its cost, ``(a - v) C > R`` (by more than a relative
    1e-9, so that float noise cannot turn "never" into an astronomically large volume). The
    break-even is then the root ``(F + (k* - 1) R) / (a - v)`` inside the step just before the
    first such step ``k*``, where the two costs are exactly equal.

    Parameters
    ----------
    api_usd_per_mtok : array_like
        Blended API price of the workload's token mix ``a`` [USD/Mtok].
    fixed_usd_per_month : array_like
        Self-hosted cost paid at any volume ``F`` [USD/month]: labor, overheads. It may be
        negative when it is net of fixed costs that only the API option carries.
    replica_usd_per_month : array_like, default 0
        Cost of one replica ``R`` [USD/month].
    replica_tokens_per_month : array_like, default inf
        Volume one replica carries ``C`` [tokens/month]; ``inf`` for no steps.
    variable_usd_per_mtok : array_like, default 0
        Self-hosted cost that scales with volume ``v`` [USD/Mtok].
    min_replicas : array_like, default 0
        Replicas paid for even at zero volume [replicas].

    Returns
    -------
    float or numpy.ndarray
        Break-even volume [tokens/month], >= 0; ``numpy.inf`` where self-hosting never stays
        cheaper.

    See Also
    --------
    break_even_intervals : every volume interval in which self-hosting is cheaper.

    Examples
    --------
    Article 000: one 8x A100 instance at 23,040 USD/month against GPT-4o at 4.75 USD/Mtok:

    >>> round(break_even_volume(4.75, 23_040.0) / 1e9, 3)
    4.851

    Replicas of 1e9 tokens/month at 5,000 USD/month with 1,000 USD/month fixed, API at 8 USD/Mtok
    (see :func:`break_even_intervals` for the dip below the API line before it):

    >>> break_even_volume(8.0, 1000.0, 5000.0, 1e9)
    1375000000.0

    A replica that cannot earn back its own cost never breaks even:

    >>> break_even_volume(4.0, 1000.0, 5000.0, 1e9)
    inf
    """
    p = _step_inputs(
        api_usd_per_mtok,
        fixed_usd_per_month,
        replica_usd_per_month,
        replica_tokens_per_month,
        variable_usd_per_mtok,
        min_replicas,
    )
    margin = p.api_usd_per_token - p.variable_usd_per_token  # a - v [USD/token]
    fixed, replica, capacity, floor = (
        p.fixed_usd_per_month,
        p.replica_usd_per_month,
        p.replica_tokens_per_month,
        p.min_replicas,
    )
    margin, fixed, replica, capacity, floor = np.broadcast_arrays(
        margin, fixed, replica, capacity, floor
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        stepped = (replica > 0) & np.isfinite(capacity)
        # Margin a full replica earns over its own cost per token it carries,
        # ((a - v) C - R) / C [USD/token]; per token so that no product overflows.
        step_margin = np.where(stepped, margin - replica / capacity, 0.0)
        # k* = ceil((F + (a - v) C) / ((a - v) C - R)), written as 1 + ceil((F + R) / (...))
        # so that a tiny (F + R) against a huge capacity is not rounded away.
        first_cheap_step = np.maximum(
            1.0 + ceil_tolerant((fixed / capacity + replica / capacity) / step_margin),
            floor + 1.0,
        )
        stepped_root = (fixed + (first_cheap_step - 1.0) * replica) / margin
        # Without steps every replica is free or there are none: S = F + min x R + v V.
        linear_root = (fixed + floor * replica) / margin
        volume = np.where(stepped, stepped_root, linear_root)
        # A replica that earns back its own cost only to within float noise, (a - v) C = R on
        # paper, counts as not earning it: the break-even would be astronomically far anyway.
        never = (margin <= 0) | (
            stepped & (step_margin <= _STEP_MARGIN_RTOL * (replica / capacity))
        )
        volume = np.where(never, np.inf, np.maximum(volume, 0.0))
        # A linear self-hosted cost that starts at or below zero and grows no faster than the
        # API (a >= v) is never dearer: break even at once.
        volume = np.where(~stepped & (margin >= 0) & (fixed + floor * replica <= 0), 0.0, volume)
    return scalar_or_array(np.asarray(volume, dtype=np.float64))


def break_even_intervals(
    api_usd_per_mtok: float,
    fixed_usd_per_month: float,
    replica_usd_per_month: float = 0.0,
    replica_tokens_per_month: float = np.inf,
    variable_usd_per_mtok: float = 0.0,
    min_replicas: int = 0,
) -> FloatArray:
    """Every volume interval in which self-hosting costs no more than the API [tokens/month].

    Near the threshold a stepped self-hosted cost can dip below the API line at the end of one
    replica step and rise above it again when the next replica comes in. This lists each such
    interval; the last one is ``[break_even_volume, inf]`` when a sustained break-even exists.

    Parameters
    ----------
    api_usd_per_mtok, fixed_usd_per_month, replica_usd_per_month, replica_tokens_per_month, \
variable_usd_per_mtok, min_replicas : float
        As in :func:`break_even_volume`, scalars only.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_intervals, 2)``: closed intervals ``[start, end]`` of volume in increasing
        order; ``end`` is ``inf`` for the sustained one. Shape ``(0, 2)`` when self-hosting is
        never cheaper.

    Raises
    ------
    ValueError
        If an argument is not a scalar, or more than a million replica steps lie below the
        sustained break-even (use :func:`break_even_volume` then).

    Examples
    --------
    Replicas of 1e9 tokens/month at 5,000 USD/month, 1,000 USD/month fixed, API at 8 USD/Mtok:
    self-hosting is cheaper from 0.75e9 to 1e9 tokens/month, dearer again once the second
    replica comes in, and cheaper for good from 1.375e9:

    >>> (break_even_intervals(8.0, 1000.0, 5000.0, 1e9) / 1e9).tolist()
    [[0.75, 1.0], [1.375, inf]]
    """
    args = {
        "api_usd_per_mtok": api_usd_per_mtok,
        "fixed_usd_per_month": fixed_usd_per_month,
        "replica_usd_per_month": replica_usd_per_month,
        "replica_tokens_per_month": replica_tokens_per_month,
        "variable_usd_per_mtok": variable_usd_per_mtok,
        "min_replicas": min_replicas,
    }
    for name, value in args.items():
        if np.ndim(value) != 0:
            msg = f"break_even_intervals takes scalars only; {name} has shape {np.shape(value)}"
            raise ValueError(msg)
    p = _step_inputs(**args)
    margin = float(p.api_usd_per_token - p.variable_usd_per_token)
    fixed, replica = float(p.fixed_usd_per_month), float(p.replica_usd_per_month)
    capacity, floor = float(p.replica_tokens_per_month), float(p.min_replicas)
    sustained = float(break_even_volume(**args))

    # Candidate intervals below the sustained break-even, one per region of constant replicas.
    candidates: list[tuple[float, float]] = []
    stepped = replica > 0 and np.isfinite(capacity)
    if stepped and margin > 0 and np.isfinite(sustained):
        if floor > 0:  # below min_replicas x C the cost is linear: F + min R + v V
            candidates.append((max((fixed + floor * replica) / margin, 0.0), floor * capacity))
        last_step = int(ceil_tolerant(np.asarray(sustained / capacity)))
        if last_step - floor > _MAX_INTERVAL_STEPS:
            msg = (
                f"{last_step - floor:.0f} replica steps lie below the break-even volume "
                f"{sustained:.6g} tokens/month (limit {_MAX_INTERVAL_STEPS}); "
                "use break_even_volume for the sustained value"
            )
            raise ValueError(msg)
        candidates.extend(
            (max((k - 1) * capacity, (fixed + k * replica) / margin), k * capacity)
            for k in range(int(floor) + 1, last_step + 1)
        )
    intervals = [[lo, hi] for lo, hi in candidates if lo <= hi and lo < sustained]
    if np.isfinite(sustained):
        if intervals and intervals[-1][1] >= sustained:
            intervals[-1][1] = np.inf
        else:
            intervals.append([sustained, np.inf])
    return np.asarray(intervals, dtype=np.float64).reshape(-1, 2)


class Payback(NamedTuple):
    """When cumulative self-hosted cost falls to or below the baseline for good.

    Attributes
    ----------
    month : float or numpy.ndarray
        Months from the start, interpolated within the month [months]; ``nan`` where it never
        happens within the horizon (see ``within_horizon``).
    within_horizon : bool or numpy.ndarray
        ``True`` where the payback happens within the horizon.
    """

    month: FloatOrArray
    within_horizon: bool | npt.NDArray[np.bool_]


def payback_month(
    investment_usd_per_month: npt.ArrayLike,
    baseline_usd_per_month: npt.ArrayLike,
    discount_rate_per_year: npt.ArrayLike | None = None,
) -> Payback:
    """First time from which cumulative cost of an option stays at or below a baseline's.

    Cumulative costs are taken as piecewise linear in time, zero at ``t = 0`` and reaching
    the sum of months ``0 .. m`` at ``t = m + 1``; the crossing is interpolated linearly
    within the month. With a discount rate the cumulative costs are discounted (discounted
    payback).

    Parameters
    ----------
    investment_usd_per_month : array_like
        Monthly cost of the option that needs paying back, e.g. self-hosting with its setup in
        month 0; shape ``(..., n_months)`` [USD/month].
    baseline_usd_per_month : array_like
        Monthly cost of the baseline, e.g. an API, broadcastable to the same shape [USD/month].
    discount_rate_per_year : array_like, optional
        Annual discount rate [1/year]; ``None`` for the plain payback.

    Returns
    -------
    Payback
        ``month`` (``nan`` where not reached) and ``within_horizon``, each shaped like the inputs
        without their month axis; a float and a bool for 1-D inputs.

    Raises
    ------
    ValueError
        If a monthly cost is NaN or infinite: no payback month can be read from it.

    Examples
    --------
    A 3,000 USD setup that saves 1,000 USD a month pays back after three months:

    >>> payback_month([4000.0, 1000.0, 1000.0, 1000.0, 1000.0], [2000.0] * 5)
    Payback(month=3.0, within_horizon=True)
    >>> payback_month([4000.0, 1000.0], [2000.0, 2000.0])
    Payback(month=nan, within_horizon=False)
    """
    invest = as_float_array("investment_usd_per_month", investment_usd_per_month)
    base = as_float_array("baseline_usd_per_month", baseline_usd_per_month)
    if invest.ndim == 0 or base.ndim == 0:
        msg = "payback_month needs monthly series with a trailing month axis; got a scalar"
        raise ValueError(msg)
    check_finite("investment_usd_per_month", invest)
    check_finite("baseline_usd_per_month", base)
    invest, base = np.broadcast_arrays(invest, base)
    difference = invest - base
    if discount_rate_per_year is not None:
        difference = difference * discount_factors(difference.shape[-1], discount_rate_per_year)
    cumulative = np.cumsum(difference, axis=-1)
    scale = np.cumsum(np.abs(invest) + np.abs(base), axis=-1)
    ahead = cumulative > 1e-12 * scale  # the option still costs more at the end of that month
    n_months = cumulative.shape[-1]
    any_ahead = np.any(ahead, axis=-1)
    # Index (0-based, month-end) of the last month at whose end the option is still dearer.
    last_ahead = n_months - 1 - np.argmax(ahead[..., ::-1], axis=-1)
    within = ~ahead[..., -1]
    nxt = np.minimum(last_ahead + 1, n_months - 1)
    d_last = np.take_along_axis(cumulative, last_ahead[..., np.newaxis], axis=-1)[..., 0]
    d_next = np.take_along_axis(cumulative, nxt[..., np.newaxis], axis=-1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(d_last - d_next > 0, d_last / (d_last - d_next), 1.0)
    month = np.where(any_ahead, last_ahead + 1.0 + fraction, 0.0)
    month = np.where(within, month, np.nan)
    if month.ndim == 0:
        return Payback(float(month), bool(within))
    return Payback(month, within)
