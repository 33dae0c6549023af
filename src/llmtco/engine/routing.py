"""Routing requests between models and tuning a verifier cascade.

* :func:`optimal_routing` splits each request class between backends (APIs, self-hosted
  models) to minimise cost at a required success rate, or to maximise success within a budget:
  a linear program solved with HiGHS.
* :func:`verifier_rates` is a binormal signal-detection model of a verifier's score, and
  :func:`optimal_cascade_threshold` picks the verifier threshold of a cascade (see
  :func:`llmtco.engine.outcomes.cascade_cost`) that meets a success target most cheaply, or
  gets the most success out of a budget.
* :func:`pareto_frontier` marks the options that no other option beats on both cost and
  success.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq, linprog, minimize_scalar
from scipy.special import ndtr

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    check_in_range,
    check_non_negative,
    scalar_or_array,
)
from llmtco.engine.outcomes import Outcome, cascade_cost

__all__ = [
    "CascadeThreshold",
    "Routing",
    "optimal_cascade_threshold",
    "optimal_routing",
    "pareto_frontier",
    "verifier_rates",
]

_SHARE_SUM_TOL = 1e-9
_TIE_RTOL = 1e-12
_LP_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
_GRID_POINTS = 2001
_REFINED_CANDIDATES = 5


@dataclass(frozen=True)
class Routing:
    """Share of each request class sent to each backend, and what it achieves.

    Attributes
    ----------
    shares : numpy.ndarray
        Shape ``(n_classes, n_backends)``: share of each class's requests sent to each backend
        [-]; rows sum to 1, disallowed backends get exactly 0. All NaN when infeasible.
    usd_per_request : float
        Expected cost per request of the whole workload [USD/request]; NaN when infeasible.
    p_success : float
        Expected success rate of the whole workload [-]; NaN when infeasible.
    feasible : bool
        Whether the constraint can be met.
    message : str
        Empty when feasible; otherwise why not, with the best reachable value.
    """

    shares: FloatArray
    usd_per_request: float
    p_success: float
    feasible: bool
    message: str


def _target(min_success: float | None, max_usd_per_request: float | None) -> tuple[bool, float]:
    """``(True, min_success)`` or ``(False, max_usd_per_request)``, checked; exactly one given."""
    if max_usd_per_request is None and min_success is not None:
        target = _scalar("min_success", min_success)
        check_in_range("min_success", np.asarray(target), 0.0, 1.0)
        return True, target
    if min_success is None and max_usd_per_request is not None:
        budget = _scalar("max_usd_per_request", max_usd_per_request)
        check_non_negative("max_usd_per_request", np.asarray(budget))
        return False, budget
    msg = "give exactly one of min_success and max_usd_per_request"
    raise ValueError(msg)


def _scalar(name: str, value: float) -> float:
    array = as_float_array(name, value)
    if array.ndim != 0:
        msg = f"{name} must be a single number; got shape {array.shape}"
        raise ValueError(msg)
    return float(array)


def _linprog(
    objective: FloatArray,
    a_ub: FloatArray,
    b_ub: FloatArray,
    a_eq: FloatArray,
    bounds: list[tuple[float, float]],
) -> Any:  # scipy's OptimizeResult is untyped
    return linprog(
        objective,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=np.ones(a_eq.shape[0]),
        bounds=bounds,
        method="highs",
        options=_LP_OPTIONS,
    )


def optimal_routing(
    usd_per_request: npt.ArrayLike,
    p_success: npt.ArrayLike,
    class_share: npt.ArrayLike,
    *,
    allowed: npt.ArrayLike | None = None,
    min_success: float | None = None,
    max_usd_per_request: float | None = None,
) -> Routing:
    """Split of request classes between backends: cheapest for a success rate, or best for a budget.

    Variables ``x[c, b] >= 0`` are the share of class ``c`` sent to backend ``b``, with
    ``sum_b x[c, b] = 1`` and ``x[c, b] = 0`` where the backend is not allowed. The workload's
    cost is ``sum_c w_c sum_b x[c, b] usd[c, b]`` and its success rate likewise, with ``w`` the
    class shares. Give exactly one of:

    * ``min_success``: minimise the cost subject to success >= ``min_success``;
    * ``max_usd_per_request``: maximise the success subject to cost <= the budget.

    The linear program is solved with HiGHS (``scipy.optimize.linprog``). Ties are broken
    lexicographically by a second linear program: after minimising the cost, the success is
    maximised among routings that cost at most that minimum (plus 1e-12 of the largest cost),
    and after maximising the success, the cost is minimised among routings at least that
    successful (minus 1e-12). At an optimum at most one class is split between two backends.

    Parameters
    ----------
    usd_per_request : array_like
        Shape ``(n_classes, n_backends)``: cost of one request of each class on each backend,
        retries and humans included (see :func:`llmtco.engine.outcomes.retry_cost`)
        [USD/request]. Entries of disallowed backends are ignored (they may be NaN).
    p_success : array_like
        Same shape: success rate of one request of each class on each backend [-], in [0, 1].
    class_share : array_like
        Shape ``(n_classes,)``: share of the requests in each class [-], >= 0, summing to 1.
    allowed : array_like of bool, optional
        Same shape as ``usd_per_request``: whether a class may go to a backend (e.g. sensitive
        data that may not leave the premises); default all allowed. Every class needs at least
        one allowed backend.
    min_success : float, optional
        Success rate the workload must reach [-], in [0, 1].
    max_usd_per_request : float, optional
        Budget per request of the workload [USD/request], >= 0.

    Returns
    -------
    Routing
        The shares, the workload's cost and success rate, and whether the target is
        reachable. When it is not, the shares and values are NaN and ``message`` states the
        best reachable success rate (or the lowest reachable cost).

    Examples
    --------
    Two classes (80% easy, 20% hard) and two backends, a small self-hosted model and a large
    API model; the cheapest routing that succeeds 94.6% of the time sends the easy class to
    the small model and splits the hard one, 60% of it to the large model:

    >>> usd = [[0.001, 0.01], [0.001, 0.01]]
    >>> ok = [[0.98, 0.99], [0.6, 0.95]]
    >>> r = optimal_routing(usd, ok, [0.8, 0.2], min_success=0.946)
    >>> r.shares.round(6).tolist(), round(r.usd_per_request, 6), round(r.p_success, 6)
    ([[1.0, 0.0], [0.4, 0.6]], 0.00208, 0.946)
    >>> optimal_routing(usd, ok, [0.8, 0.2], min_success=0.99).message
    'the best reachable success rate is 0.982 < 0.99'
    """
    by_success, target = _target(min_success, max_usd_per_request)
    cost = as_float_array("usd_per_request", usd_per_request)
    success = as_float_array("p_success", p_success)
    if cost.ndim != 2 or cost.size == 0:
        msg = (
            "usd_per_request must be a non-empty 2-D array (n_classes, n_backends); "
            f"got shape {cost.shape}"
        )
        raise ValueError(msg)
    if success.shape != cost.shape:
        msg = f"p_success must have the shape of usd_per_request {cost.shape}; got {success.shape}"
        raise ValueError(msg)
    n_classes, n_backends = cost.shape
    weights = as_float_array("class_share", class_share)
    if weights.shape != (n_classes,):
        msg = f"class_share must have shape ({n_classes},); got {weights.shape}"
        raise ValueError(msg)
    check_non_negative("class_share", weights)
    if abs(float(weights.sum()) - 1.0) > _SHARE_SUM_TOL:
        msg = f"class_share must sum to 1; got {float(weights.sum())!r}"
        raise ValueError(msg)
    if allowed is None:
        mask = np.ones(cost.shape, dtype=bool)
    else:
        mask = np.asarray(allowed, dtype=bool)
        if mask.shape != cost.shape:
            msg = f"allowed must have the shape of usd_per_request {cost.shape}; got {mask.shape}"
            raise ValueError(msg)
    check_non_negative("usd_per_request", cost[mask])
    check_in_range("p_success", success[mask], 0.0, 1.0)
    stranded = np.flatnonzero(~mask.any(axis=1))
    if stranded.size:
        msg = f"class {int(stranded[0])} has no allowed backend"
        raise ValueError(msg)
    cost = np.where(mask, cost, 0.0)
    success = np.where(mask, success, 0.0)

    # Scale costs to at most 1 so that the solver's absolute tolerances mean the same thing
    # whatever the currency magnitude.
    usd_scale = float(cost.max()) or 1.0
    cost_w = (weights[:, np.newaxis] * cost / usd_scale).ravel()
    success_w = (weights[:, np.newaxis] * success).ravel()
    a_eq = np.asarray(np.kron(np.eye(n_classes), np.ones(n_backends)), dtype=np.float64)
    bounds = [(0.0, 1.0) if ok else (0.0, 0.0) for ok in mask.ravel()]
    best_success = float(weights @ np.where(mask, success, -np.inf).max(axis=1))
    lowest_usd = float(weights @ np.where(mask, cost, np.inf).min(axis=1))

    if by_success:
        if best_success < target - _TIE_RTOL:
            return _infeasible(
                cost.shape, f"the best reachable success rate is {best_success:.6g} < {target:.6g}"
            )
        target = min(target, best_success)
        first = _linprog(cost_w, -success_w[np.newaxis], np.array([-target]), a_eq, bounds)
        _check_solved(first)
        second = _linprog(
            -success_w,
            np.stack([-success_w, cost_w]),
            np.array([-target, first.fun + _TIE_RTOL]),
            a_eq,
            bounds,
        )
    else:
        budget = target
        if lowest_usd > budget * (1.0 + _TIE_RTOL):
            return _infeasible(
                cost.shape,
                f"the lowest reachable cost is {lowest_usd:.6g} USD/request > {budget:.6g}",
            )
        budget_scaled = max(budget, lowest_usd) / usd_scale
        first = _linprog(-success_w, cost_w[np.newaxis], np.array([budget_scaled]), a_eq, bounds)
        _check_solved(first)
        second = _linprog(
            cost_w,
            np.stack([cost_w, -success_w]),
            np.array([budget_scaled, first.fun + _TIE_RTOL]),
            a_eq,
            bounds,
        )
    solution = second if second.status == 0 else first
    shares = np.clip(np.asarray(solution.x, dtype=np.float64).reshape(cost.shape), 0.0, 1.0)
    shares = np.where(mask, shares, 0.0)
    shares /= shares.sum(axis=1, keepdims=True)
    return Routing(
        shares=shares,
        usd_per_request=float(weights @ (shares * cost).sum(axis=1)),
        p_success=float(weights @ (shares * success).sum(axis=1)),
        feasible=True,
        message="",
    )


def _check_solved(result: Any) -> None:  # scipy's OptimizeResult is untyped
    if result.status != 0:
        msg = f"the routing linear program failed: {result.message}"
        raise RuntimeError(msg)


def _infeasible(shape: tuple[int, ...], message: str) -> Routing:
    return Routing(
        shares=np.full(shape, np.nan),
        usd_per_request=float("nan"),
        p_success=float("nan"),
        feasible=False,
        message=message,
    )


def verifier_rates(
    threshold: npt.ArrayLike, separation: npt.ArrayLike
) -> tuple[FloatOrArray, FloatOrArray]:
    """Acceptance rates of right and of wrong answers by a verifier with a score threshold [-].

    A binormal signal-detection model: the verifier's score of a right answer is drawn from
    ``N(separation, 1)`` and that of a wrong answer from ``N(0, 1)``; an answer is accepted
    when its score is at least ``threshold``. So::

        accept_if_right = 1 - Phi(threshold - separation)   (true-positive rate)
        accept_if_wrong = 1 - Phi(threshold)                 (false-accept rate)

    ``separation`` is the verifier's d': 0 for a coin flip, ``inf`` for a verifier that
    accepts every right answer whatever the threshold (short of ``inf``).

    Parameters
    ----------
    threshold : array_like
        Score an answer needs to be accepted [score units]; ``-inf`` accepts everything,
        ``inf`` nothing. Not NaN.
    separation : array_like
        Mean score of right answers above wrong ones, in standard deviations [-], >= 0
        (``inf`` allowed).

    Returns
    -------
    tuple of float or numpy.ndarray
        ``(accept_if_right, accept_if_wrong)``, broadcast together [-].

    Examples
    --------
    >>> right, wrong = verifier_rates(1.0, 2.0)
    >>> round(right, 4), round(wrong, 4)
    (0.8413, 0.1587)
    >>> verifier_rates(0.0, np.inf)
    (1.0, 0.5)
    """
    t = as_float_array("threshold", threshold)
    if np.any(np.isnan(t)):
        msg = "threshold must be a number (inf allowed), not NaN"
        raise ValueError(msg)
    d = as_float_array("separation", separation)
    check_non_negative("separation", d, allow_inf=True)
    with np.errstate(invalid="ignore"):
        right = np.where(np.isposinf(t), 0.0, ndtr(d - t))
    wrong = ndtr(-t)
    shape = np.broadcast_shapes(t.shape, d.shape)
    return (
        scalar_or_array(np.array(np.broadcast_to(right, shape), dtype=np.float64)),
        scalar_or_array(np.array(np.broadcast_to(wrong, shape), dtype=np.float64)),
    )


@dataclass(frozen=True)
class CascadeThreshold:
    """The best verifier threshold of a cascade and the cascade's outcome there.

    Attributes
    ----------
    threshold : float
        Verifier threshold applied at the gated stages [score units]; NaN when infeasible.
    outcome : Outcome
        The cascade at that threshold; when infeasible, at the grid threshold that comes
        closest to the target (most successful, or cheapest).
    feasible : bool
        Whether the target can be met within the threshold bounds.
    message : str
        Empty when feasible; otherwise why not, with the best reachable value.
    """

    threshold: float
    outcome: Outcome
    feasible: bool
    message: str


def _stage_vector(name: str, value: npt.ArrayLike) -> FloatArray:
    array = as_float_array(name, value)
    if array.ndim != 1:
        msg = f"{name} must be a sequence of numbers, one per stage; got shape {array.shape}"
        raise ValueError(msg)
    return array


def optimal_cascade_threshold(
    cost: npt.ArrayLike,
    verify_cost: npt.ArrayLike,
    p_right: npt.ArrayLike,
    separation: npt.ArrayLike,
    human_cost: float | None = None,
    *,
    human_success: float = 1.0,
    false_accept_cost: float = 0.0,
    min_success: float | None = None,
    max_usd_per_request: float | None = None,
    bounds: tuple[float, float] = (-4.0, 8.0),
) -> CascadeThreshold:
    """Verifier threshold of a cascade: cheapest for a success rate, or best for a budget.

    Stage ``k`` answers at ``cost[k]`` and is right with probability ``p_right[k]``; its
    verifier (at ``verify_cost[k]``) scores the answer as in :func:`verifier_rates` with
    separation ``separation[k]``, and the answer is accepted when the score is at least the
    threshold ``t``, one threshold shared by the gated stages::

        a_k = p_k TPR_k(t) + (1 - p_k) FPR_k(t)      q_k = p_k TPR_k(t) / a_k  (0 if a_k = 0)

    Without a human the last stage is not gated: it accepts every answer (``a_K = 1``,
    ``q_K = p_K``; its ``verify_cost`` is still paid), and the cascade needs at least two
    stages. With a human every stage is gated, the last one too, and the answers the last
    stage rejects go to the human (at least one stage). The outcome is
    :func:`llmtco.engine.outcomes.cascade_cost`'s.

    Give exactly one of ``min_success`` (minimise the cost subject to success >= it) or
    ``max_usd_per_request`` (maximise the success subject to cost <= it). Cost and success
    are evaluated on a grid of 2001 thresholds over ``bounds``; the best feasible grid point
    (ties broken by the other criterion) and the next best grid-local optima are refined
    between their neighbours: ``scipy.optimize.brentq`` finds where the constraint binds when
    a neighbour is infeasible, and ``scipy.optimize.minimize_scalar`` (bounded) minimises the
    objective over the feasible part of that interval. The refined threshold is kept only if
    it is feasible and no worse than the grid point.

    Parameters
    ----------
    cost : sequence of float
        Cost of each stage's model call [USD/call].
    verify_cost : sequence of float
        Cost of each stage's verifier call [USD/call].
    p_right : sequence of float
        Probability that each stage's answer is right [-], in [0, 1].
    separation : sequence of float
        Verifier separation d' of each stage [-], >= 0 (``inf`` allowed).
    human_cost : float, optional
        Cost of the human who handles a request the last stage rejected [USD/request];
        ``None`` for no human (the last stage then accepts everything).
    human_success : float, default 1.0
        Probability that the human gets it right [-].
    false_accept_cost : float, default 0.0
        Cost of one accepted wrong answer [USD/false accept].
    min_success : float, optional
        Success rate to reach [-], in [0, 1].
    max_usd_per_request : float, optional
        Budget [USD/request], >= 0.
    bounds : tuple of float, default (-4.0, 8.0)
        Range of thresholds searched [score units].

    Returns
    -------
    CascadeThreshold
        The threshold, the cascade's :class:`~llmtco.engine.outcomes.Outcome` there, and
        whether the target is reachable; when it is not, the threshold is NaN and ``message``
        states the best reachable success rate (or the lowest reachable cost).

    Examples
    --------
    A small model at 0.001 USD, right 70% of the time, behind a verifier of separation 2 at
    0.0002 USD, then a large model at 0.02 USD right 95% of the time. The cheapest threshold
    for a 90% success rate, and the best success rate for 0.01 USD per request:

    >>> args = ([0.001, 0.02], [0.0002, 0.0], [0.7, 0.95], [2.0, 0.0])
    >>> best = optimal_cascade_threshold(*args, min_success=0.9)
    >>> round(best.threshold, 4), round(best.outcome.cost_usd, 6), round(best.outcome.p_success, 6)
    (0.556, 0.006506, 0.9)
    >>> best = optimal_cascade_threshold(*args, max_usd_per_request=0.01)
    >>> round(best.threshold, 4), round(best.outcome.p_success, 6)
    (1.2988, 0.948896)
    >>> optimal_cascade_threshold(*args, min_success=0.97).message
    'the best reachable success rate is 0.96105 < 0.97'
    """
    by_success, target = _target(min_success, max_usd_per_request)
    c = _stage_vector("cost", cost)
    v = _stage_vector("verify_cost", verify_cost)
    p = _stage_vector("p_right", p_right)
    d = _stage_vector("separation", separation)
    n_stages = c.size
    for name, values in (("verify_cost", v), ("p_right", p), ("separation", d)):
        if values.size != n_stages:
            msg = f"{name} has {values.size} stages but cost has {n_stages}; they must match"
            raise ValueError(msg)
    min_stages = 2 if human_cost is None else 1
    if n_stages < min_stages:
        msg = f"cost must have at least {min_stages} stages; got {n_stages}"
        raise ValueError(msg)
    check_non_negative("cost", c)
    check_non_negative("verify_cost", v)
    check_in_range("p_right", p, 0.0, 1.0)
    check_non_negative("separation", d, allow_inf=True)
    human = None if human_cost is None else _scalar("human_cost", human_cost)
    human_ok = _scalar("human_success", human_success)
    false_usd = _scalar("false_accept_cost", false_accept_cost)
    low, high = (_scalar("bounds", bound) for bound in bounds)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        msg = f"bounds must be two finite numbers, low < high; got {bounds!r}"
        raise ValueError(msg)
    gated = n_stages if human is not None else n_stages - 1

    def evaluate(thresholds: npt.ArrayLike) -> Outcome:
        t = np.asarray(thresholds, dtype=np.float64)
        accept, correct = [], []
        for k in range(n_stages):
            if k < gated:
                right, wrong = verifier_rates(t, d[k])
                accepted_right = p[k] * np.asarray(right)
                a = accepted_right + (1.0 - p[k]) * np.asarray(wrong)
                with np.errstate(divide="ignore", invalid="ignore"):
                    q = np.where(a > 0, accepted_right / np.where(a > 0, a, 1.0), 0.0)
            else:
                a, q = np.ones_like(t), np.full_like(t, p[k])
            accept.append(a)
            correct.append(q)
        return cascade_cost(
            list(c),
            list(v),
            accept,
            correct,
            human,
            human_success=human_ok,
            false_accept_cost=false_usd,
        )

    if by_success:
        tolerance = _TIE_RTOL

        def split(out: Outcome) -> tuple[FloatArray, FloatArray, FloatArray]:
            """Objective to minimise, slack of the constraint (>= 0 when met), tie-break."""
            usd, ok = np.asarray(out.cost_usd), np.asarray(out.p_success)
            return usd, ok - target, -ok

    else:
        tolerance = _TIE_RTOL * target

        def split(out: Outcome) -> tuple[FloatArray, FloatArray, FloatArray]:
            usd, ok = np.asarray(out.cost_usd), np.asarray(out.p_success)
            return -ok, target - usd, usd

    grid = np.linspace(low, high, _GRID_POINTS)
    grid_out = evaluate(grid)
    objective, slack, tie = split(grid_out)
    feasible = slack >= -tolerance
    if not np.any(feasible):
        # Closest to the target: the largest slack, i.e. the most successful or the cheapest.
        index = int(np.lexsort((tie, -slack))[0])
        if by_success:
            best = float(np.asarray(grid_out.p_success)[index])
            message = f"the best reachable success rate is {best:.6g} < {target:.6g}"
        else:
            best = float(np.asarray(grid_out.cost_usd)[index])
            message = f"the lowest reachable cost is {best:.6g} USD/request > {target:.6g}"
        return CascadeThreshold(float("nan"), evaluate(grid[index]), False, message)

    def score(t: float) -> tuple[float, float, float]:
        obj, slk, tb = split(evaluate(t))
        return float(obj), float(slk), float(tb)

    candidates = _grid_optima(np.where(feasible, objective, np.inf), tie)
    best_t = float(grid[candidates[0]])
    best_key = (float(objective[candidates[0]]), float(tie[candidates[0]]))
    for index in candidates:
        for t in _refine(grid, index, feasible, score, tolerance):
            obj, slk, tb = score(t)
            if slk >= -tolerance and (obj, tb) < best_key:
                best_t, best_key = t, (obj, tb)
    return CascadeThreshold(best_t, evaluate(best_t), True, "")


def _grid_optima(objective: FloatArray, tie: FloatArray) -> list[int]:
    """Indices of the feasible grid-local minima of the objective, best first (at most a few)."""
    padded = np.concatenate([[np.inf], objective, [np.inf]])
    local = (objective <= padded[:-2]) & (objective <= padded[2:]) & np.isfinite(objective)
    indices = np.flatnonzero(local)
    order = np.lexsort((tie[indices], objective[indices]))
    return [int(i) for i in indices[order][:_REFINED_CANDIDATES]]


def _refine(
    grid: FloatArray,
    index: int,
    feasible: npt.NDArray[np.bool_],
    score: Callable[[float], tuple[float, float, float]],
    tolerance: float,
) -> list[float]:
    """Refined thresholds around a grid optimum: constraint boundaries and a bounded minimum."""
    centre = float(grid[index])
    ends = [centre, centre]
    found: list[float] = []
    for side, neighbour in enumerate((index - 1, index + 1)):
        if not 0 <= neighbour < grid.size:
            continue
        edge = float(grid[neighbour])
        if feasible[neighbour]:
            ends[side] = edge
            continue
        if score(centre)[1] <= 0.0:
            continue
        root = float(brentq(lambda t: score(t)[1], centre, edge, xtol=1e-14))
        # brentq may stop a hair on the infeasible side: step back towards the centre.
        step = 1e-15 * max(1.0, abs(root))
        for _ in range(60):
            if score(root)[1] >= -tolerance:
                break
            root += step if centre > root else -step
            step *= 2.0
        else:
            continue
        ends[side] = root
        found.append(root)
    low, high = min(ends), max(ends)
    if high > low:
        result = minimize_scalar(
            lambda t: score(t)[0],
            bounds=(low, high),
            method="bounded",
            options={"xatol": 1e-12 * max(1.0, high - low)},
        )
        found.append(float(result.x))
    return found


def pareto_frontier(
    usd_per_request: npt.ArrayLike, p_success: npt.ArrayLike
) -> npt.NDArray[np.bool_]:
    """Options that no other option beats on both cost and success.

    A point is on the frontier unless another point is at least as cheap and at least as
    successful, and strictly better on one of the two. Identical points are all on the
    frontier (neither beats the other). Points with a NaN are never on the frontier and
    dominate nothing.

    Parameters
    ----------
    usd_per_request : array_like
        1-D: cost of each option [USD/request].
    p_success : array_like
        1-D, same length: success rate of each option [-].

    Returns
    -------
    numpy.ndarray of bool
        True for the options on the frontier.

    Examples
    --------
    >>> pareto_frontier([1.0, 2.0, 2.0, 3.0, np.nan], [0.9, 0.95, 0.9, 0.99, 1.0]).tolist()
    [True, True, False, True, False]
    """
    cost = as_float_array("usd_per_request", usd_per_request)
    success = as_float_array("p_success", p_success)
    if cost.ndim != 1:
        msg = f"usd_per_request must be a 1-D array; got shape {cost.shape}"
        raise ValueError(msg)
    if success.shape != cost.shape:
        msg = f"p_success must have the shape of usd_per_request {cost.shape}; got {success.shape}"
        raise ValueError(msg)
    frontier = np.zeros(cost.shape, dtype=bool)
    valid = np.flatnonzero(~(np.isnan(cost) | np.isnan(success)))
    if valid.size == 0:
        return frontier
    order = valid[np.lexsort((-success[valid], cost[valid]))]  # cheapest first, best first
    c, s = cost[order], success[order]
    group_start = np.searchsorted(c, c, side="left")  # first point of the same cost
    running_best = np.maximum.accumulate(s)
    cheaper_best = np.where(group_start > 0, running_best[np.maximum(group_start - 1, 0)], -np.inf)
    dominated = (cheaper_best >= s) | (s < s[group_start])
    frontier[order] = ~dominated
    return frontier
