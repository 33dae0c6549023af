import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.special import ndtri

from llmtco.engine import (
    cascade_cost,
    cascade_reach,
    optimal_cascade_threshold,
    optimal_routing,
    pareto_frontier,
    verifier_rates,
)
from strategies import probability

# --- optimal_routing ------------------------------------------------------------------------

USD = [[0.001, 0.01], [0.001, 0.01]]
OK = [[0.98, 0.99], [0.6, 0.95]]


def test_routing_min_success_by_hand():
    # 80% easy, 20% hard. All on the small model: 0.8 x 0.98 + 0.2 x 0.6 = 0.904. Moving the
    # hard class buys 0.35 success for 0.009 USD (per hard request), the easy class only 0.01:
    # the hard class moves first. 0.904 + 0.2 x 0.35 x = 0.946 at x = 0.6.
    # cost = 0.001 + 0.2 x 0.6 x 0.009 = 0.00208.
    r = optimal_routing(USD, OK, [0.8, 0.2], min_success=0.946)
    assert r.feasible
    assert r.message == ""
    np.testing.assert_allclose(r.shares, [[1.0, 0.0], [0.4, 0.6]], atol=1e-9)
    assert r.usd_per_request == pytest.approx(0.00208)
    assert r.p_success == pytest.approx(0.946)
    # Past 0.974 (hard class all on the large model) the easy class has to move as well:
    # 0.974 + 0.8 x 0.01 y = 0.978 at y = 0.5; cost = 0.001 + 0.2 x 0.009 + 0.8 x 0.5 x 0.009.
    r = optimal_routing(USD, OK, [0.8, 0.2], min_success=0.978)
    np.testing.assert_allclose(r.shares, [[0.5, 0.5], [0.0, 1.0]], atol=1e-9)
    assert r.usd_per_request == pytest.approx(0.0064)


def test_routing_budget_by_hand():
    # 0.0019 USD per request: 0.0009 above all-small, spent on the hard class first:
    # 0.2 x 0.009 x = 0.0009 at x = 0.5; success = 0.904 + 0.2 x 0.35 x 0.5 = 0.939.
    r = optimal_routing(USD, OK, [0.8, 0.2], max_usd_per_request=0.0019)
    np.testing.assert_allclose(r.shares, [[1.0, 0.0], [0.5, 0.5]], atol=1e-9)
    assert r.p_success == pytest.approx(0.939)
    assert r.usd_per_request == pytest.approx(0.0019)
    # A generous budget buys the best success, and no more cost than that needs.
    r = optimal_routing(USD, OK, [0.8, 0.2], max_usd_per_request=1.0)
    np.testing.assert_allclose(r.shares, [[0.0, 1.0], [0.0, 1.0]], atol=1e-9)
    assert r.usd_per_request == pytest.approx(0.01)


def test_routing_respects_allowed():
    # The hard class may not go to the API (sensitive data): only the easy class can move.
    allowed = [[True, True], [True, False]]
    r = optimal_routing(USD, OK, [0.8, 0.2], allowed=allowed, min_success=0.906)
    assert r.shares[1, 1] == 0.0
    # 0.904 + 0.8 x 0.01 y = 0.906 at y = 0.25.
    np.testing.assert_allclose(r.shares, [[0.75, 0.25], [1.0, 0.0]], atol=1e-9)
    r = optimal_routing(USD, OK, [0.8, 0.2], allowed=allowed, min_success=0.95)
    assert not r.feasible
    assert r.message == "the best reachable success rate is 0.912 < 0.95"
    assert np.isnan(r.shares).all()
    assert math.isnan(r.usd_per_request)
    assert math.isnan(r.p_success)
    # Disallowed entries are ignored, even when they are NaN.
    usd = [[0.001, 0.01], [0.001, np.nan]]
    r = optimal_routing(usd, OK, [0.8, 0.2], allowed=allowed, min_success=0.906)
    np.testing.assert_allclose(r.shares, [[0.75, 0.25], [1.0, 0.0]], atol=1e-9)


def test_routing_ties_prefer_the_other_criterion():
    # Same cost, different success: the cheapest routing is also the most successful one.
    r = optimal_routing([[1.0, 1.0, 1.0]], [[0.8, 0.9, 0.85]], [1.0], min_success=0.5)
    np.testing.assert_allclose(r.shares, [[0.0, 1.0, 0.0]], atol=1e-9)
    assert r.p_success == pytest.approx(0.9)
    # Same success, different cost: the most successful routing is also the cheapest.
    r = optimal_routing([[2.0, 1.0, 3.0]], [[0.9, 0.9, 0.9]], [1.0], max_usd_per_request=5.0)
    np.testing.assert_allclose(r.shares, [[0.0, 1.0, 0.0]], atol=1e-9)
    assert r.usd_per_request == pytest.approx(1.0)


def test_routing_infeasible_budget():
    r = optimal_routing(USD, OK, [0.8, 0.2], max_usd_per_request=0.0005)
    assert not r.feasible
    assert r.message == "the lowest reachable cost is 0.001 USD/request > 0.0005"
    assert np.isnan(r.shares).all()


def test_routing_bad_inputs():
    with pytest.raises(ValueError, match="exactly one of min_success and max_usd_per_request"):
        optimal_routing(USD, OK, [0.8, 0.2])
    with pytest.raises(ValueError, match="exactly one of min_success and max_usd_per_request"):
        optimal_routing(USD, OK, [0.8, 0.2], min_success=0.9, max_usd_per_request=1.0)
    with pytest.raises(ValueError, match="class_share must sum to 1"):
        optimal_routing(USD, OK, [0.8, 0.3], min_success=0.9)
    with pytest.raises(ValueError, match="class_share must be a finite number >= 0"):
        optimal_routing(USD, OK, [1.2, -0.2], min_success=0.9)
    with pytest.raises(ValueError, match=r"class_share must have shape \(2,\)"):
        optimal_routing(USD, OK, [1.0], min_success=0.9)
    with pytest.raises(ValueError, match="class 1 has no allowed backend"):
        optimal_routing(USD, OK, [0.8, 0.2], allowed=[[True, True], [False, False]], min_success=0)
    with pytest.raises(ValueError, match="usd_per_request must be a non-empty 2-D array"):
        optimal_routing([0.1, 0.2], [0.5, 0.5], [1.0], min_success=0.5)
    with pytest.raises(ValueError, match="p_success must have the shape of usd_per_request"):
        optimal_routing(USD, [0.5, 0.5], [0.8, 0.2], min_success=0.5)
    with pytest.raises(ValueError, match=r"p_success must lie in \[0.0, 1.0\]"):
        optimal_routing(USD, [[0.5, 1.5], [0.5, 0.5]], [0.8, 0.2], min_success=0.5)
    with pytest.raises(ValueError, match="usd_per_request must be a finite number >= 0"):
        optimal_routing([[0.1, -1.0], [0.1, 0.1]], OK, [0.8, 0.2], min_success=0.5)
    with pytest.raises(ValueError, match="allowed must have the shape of usd_per_request"):
        optimal_routing(USD, OK, [0.8, 0.2], allowed=[True, True], min_success=0.5)
    with pytest.raises(ValueError, match=r"min_success must lie in \[0.0, 1.0\]"):
        optimal_routing(USD, OK, [0.8, 0.2], min_success=1.5)
    with pytest.raises(ValueError, match="max_usd_per_request must be a finite number >= 0"):
        optimal_routing(USD, OK, [0.8, 0.2], max_usd_per_request=-1.0)


@st.composite
def routing_problems(draw):
    n_classes = draw(st.integers(1, 3))
    n_backends = draw(st.integers(2, 3))
    cells = n_classes * n_backends
    usd = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=cells, max_size=cells)))
    ok = np.array(draw(st.lists(probability, min_size=cells, max_size=cells)))
    allowed = np.array(draw(st.lists(st.booleans(), min_size=cells, max_size=cells)))
    allowed = allowed.reshape(n_classes, n_backends)
    allowed[:, draw(st.integers(0, n_backends - 1))] = True  # every class has a backend
    weights = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=n_classes, max_size=n_classes)))
    return (
        usd.reshape(n_classes, n_backends),
        ok.reshape(n_classes, n_backends),
        weights / weights.sum(),
        allowed,
        draw(st.floats(0.0, 1.15)),
    )


def _pure_assignments(usd, ok, weights, allowed):
    """(cost, success) of every routing that sends each class wholly to one allowed backend."""
    choices = [np.flatnonzero(row) for row in allowed]
    points = []
    for pick in itertools.product(*choices):
        rows = np.arange(len(pick))
        points.append((weights @ usd[rows, pick], weights @ ok[rows, pick]))
    return points


def _brute_force(points, target, *, by_success):
    """Best objective over pure assignments and the splits of each pair along the constraint.

    An LP optimum sits at a vertex: every class wholly on one backend except at most one
    class split between two, with the constraint binding; that point lies on the segment
    between two pure assignments.
    """
    # With by_success: minimise cost s.t. success >= target; else maximise success s.t.
    # cost <= target. Work with (objective to minimise, constrained value, sign).
    candidates = []
    for cost, success in points:
        if (success >= target) if by_success else (cost <= target):
            candidates.append(cost if by_success else -success)
    for (c1, s1), (c2, s2) in itertools.combinations(points, 2):
        v1, v2 = (s1, s2) if by_success else (c1, c2)
        if v1 == v2:
            continue
        with np.errstate(over="ignore"):
            t = (target - v1) / (v2 - v1)
        if 0.0 <= t <= 1.0:
            cost = (1 - t) * c1 + t * c2
            success = (1 - t) * s1 + t * s2
            candidates.append(cost if by_success else -success)
    return candidates


@given(routing_problems(), st.booleans())
def test_routing_matches_brute_force(problem, by_success):
    usd, ok, weights, allowed, u = problem
    points = _pure_assignments(usd, ok, weights, allowed)
    costs = np.array([c for c, _ in points])
    successes = np.array([s for _, s in points])
    if by_success:
        lo, hi = successes.min(), successes.max()
        target = min(lo + u * (hi - lo) if hi > lo else u, 1.0)
        r = optimal_routing(usd, ok, weights, allowed=allowed, min_success=target)
        reachable = hi >= target
    else:
        lo, hi = costs.min(), costs.max()
        target = lo + (u - 0.1) * (hi - lo) if hi > lo else lo * u
        assume(target >= 0)
        r = optimal_routing(usd, ok, weights, allowed=allowed, max_usd_per_request=target)
        reachable = lo <= target
    # Keep clear of the feasibility tolerance at the edge.
    edge = abs((hi if by_success else lo) - target)
    assume(edge > 1e-9 or reachable)
    assert r.feasible == reachable
    if not reachable:
        assert np.isnan(r.shares).all()
        assert r.message.startswith(
            "the best reachable success rate is" if by_success else "the lowest reachable cost is"
        )
        return
    assert r.shares.shape == usd.shape
    np.testing.assert_allclose(r.shares.sum(axis=1), 1.0, atol=1e-12)
    assert np.all(r.shares >= 0)
    assert np.all(r.shares[~allowed] == 0.0)
    assert r.usd_per_request == pytest.approx(weights @ (r.shares * usd).sum(axis=1), abs=1e-12)
    assert r.p_success == pytest.approx(weights @ (r.shares * ok).sum(axis=1), abs=1e-12)
    # The solver meets the constraint to a tolerance of about 1e-10: compare with the brute
    # force at the target and at the target relaxed by 1e-9, which brackets the LP's optimum.
    slack = -1e-9 if by_success else 1e-9
    best = min(_brute_force(points, target, by_success=by_success))
    relaxed = min(_brute_force(points, target + slack, by_success=by_success))
    if by_success:
        assert r.p_success >= target - 1e-9
        found = r.usd_per_request
    else:
        assert r.usd_per_request <= target + 1e-9
        found = -r.p_success
    # No worse than every feasible brute-force candidate, and equal to the best of them.
    assert found <= best + 1e-9
    assert found >= relaxed - 1e-9
    # At most one class is split (one constraint beyond the class totals).
    assert np.sum((r.shares > 1e-9).sum(axis=1) > 1) <= 1


# --- verifier_rates -------------------------------------------------------------------------


def _sf(x):
    """1 - Phi(x) from the error function."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def test_verifier_rates_by_hand():
    right, wrong = verifier_rates(1.0, 2.0)
    assert right == pytest.approx(_sf(-1.0), rel=1e-12)  # 0.8413
    assert wrong == pytest.approx(_sf(1.0), rel=1e-12)  # 0.1587
    assert isinstance(right, float)
    assert verifier_rates(0.0, 0.0) == (0.5, 0.5)  # a coin flip
    assert verifier_rates(0.0, np.inf) == (1.0, 0.5)  # a perfect verifier
    assert verifier_rates(-np.inf, 1.0) == (1.0, 1.0)  # accept everything
    assert verifier_rates(np.inf, np.inf) == (0.0, 0.0)  # accept nothing


@given(st.floats(-6, 6), st.floats(0, 6), st.floats(0, 3))
def test_verifier_rates_monotone(t, d, step):
    right, wrong = verifier_rates(t, d)
    assert right >= wrong  # right answers score higher
    higher_right, higher_wrong = verifier_rates(t + step, d)
    assert higher_right <= right
    assert higher_wrong <= wrong
    better_right, better_wrong = verifier_rates(t, d + step)
    assert better_right >= right
    assert better_wrong == wrong


def test_verifier_rates_broadcast_and_errors():
    right, wrong = verifier_rates([[0.0], [1.0]], [0.0, 1.0, 2.0])
    assert np.shape(right) == np.shape(wrong) == (2, 3)
    np.testing.assert_allclose(wrong[1], _sf(1.0))
    with pytest.raises(ValueError, match="separation must be a number >= 0"):
        verifier_rates(0.0, -1.0)
    with pytest.raises(ValueError, match="threshold must be a number"):
        verifier_rates(np.nan, 1.0)


# --- optimal_cascade_threshold --------------------------------------------------------------


def _threshold_outcome(t, cost, verify, p_right, separation, human=None, **kwargs):
    """Cascade at threshold(s) t, built independently from the public pieces."""
    t = np.asarray(t, dtype=float)
    gated = len(cost) if human is not None else len(cost) - 1
    accept, correct = [], []
    for k in range(len(cost)):
        if k < gated:
            right, wrong = verifier_rates(t, separation[k])
            a = p_right[k] * right + (1 - p_right[k]) * wrong
            q = np.divide(p_right[k] * right, a, out=np.zeros_like(t), where=a > 0)
        else:
            a, q = np.ones_like(t), np.full_like(t, p_right[k])
        accept.append(a)
        correct.append(q)
    return cascade_cost(cost, verify, accept, correct, human, **kwargs)


def test_cascade_threshold_by_hand():
    # Stage 1 (0.01 + 0.001 USD, right 80%) has a perfect-separation verifier: every right
    # answer is accepted and a wrong one with probability 1 - Phi(t); stage 2 (0.1 USD, right
    # 90%) takes the rest. success(t) = 0.8 + 0.2 Phi(t) 0.9, cost(t) = 0.011 + 0.2 Phi(t) 0.1,
    # both increasing in t.
    args = ([0.01, 0.1], [0.001, 0.0], [0.8, 0.9], [np.inf, 1.0])
    # For 90% success: Phi(t) = 0.1 / 0.18 = 5/9, t = 0.1397, cost = 0.011 + 0.02 x 5/9.
    best = optimal_cascade_threshold(*args, min_success=0.9)
    assert best.feasible
    assert best.message == ""
    assert best.threshold == pytest.approx(ndtri(5 / 9), abs=1e-9)
    assert best.outcome.cost_usd == pytest.approx(0.011 + 0.02 * 5 / 9, rel=1e-9)
    assert best.outcome.p_success == pytest.approx(0.9, abs=1e-12)
    assert best.outcome.p_success >= 0.9 - 1e-12
    # For 0.02 USD: Phi(t) = 0.009 / 0.02 = 0.45; success = 0.8 + 0.18 x 0.45 = 0.881.
    best = optimal_cascade_threshold(*args, max_usd_per_request=0.02)
    assert best.threshold == pytest.approx(ndtri(0.45), abs=1e-9)
    assert best.outcome.p_success == pytest.approx(0.881, rel=1e-9)
    assert best.outcome.cost_usd <= 0.02 * (1 + 1e-12)


def test_cascade_threshold_with_false_accept_cost_has_an_interior_optimum():
    # Wrong answers let through cost 1 USD each: a low threshold lets many through, a high one
    # sends everything to the dear second stage; the budget-free optimum sits in between.
    args = ([0.001, 0.05], [0.0, 0.0], [0.7, 0.99], [2.0, 0.0])
    best = optimal_cascade_threshold(*args, false_accept_cost=1.0, min_success=0.0)
    grid = np.linspace(-4, 8, 4001)
    costs = _threshold_outcome(grid, *args, false_accept_cost=1.0).cost_usd
    assert -4 < best.threshold < 8
    assert best.outcome.cost_usd <= costs.min() + 1e-12
    # The optimum is a stationary point: nudging the threshold either way costs more.
    for nudge in (-1e-3, 1e-3):
        nudged = _threshold_outcome(best.threshold + nudge, *args, false_accept_cost=1.0)
        assert nudged.cost_usd >= best.outcome.cost_usd


def test_cascade_threshold_infeasible():
    args = ([0.01, 0.1], [0.001, 0.0], [0.8, 0.9], [np.inf, 1.0])
    # At best (t = 8) the wrong 20% all reach stage 2: 0.8 + 0.2 x 0.9 = 0.98.
    best = optimal_cascade_threshold(*args, min_success=0.99)
    assert not best.feasible
    assert math.isnan(best.threshold)
    assert best.message == "the best reachable success rate is 0.98 < 0.99"
    assert best.outcome.p_success == pytest.approx(0.98)
    # The cheapest is the lowest threshold, t = -4, where stage 1 lets nearly every wrong
    # answer through: 0.011 + 0.2 x Phi(-4) x 0.1 = 0.011 + 0.02 x 3.17e-5 = 0.0110006 USD.
    best = optimal_cascade_threshold(*args, max_usd_per_request=0.005)
    assert not best.feasible
    assert best.message == "the lowest reachable cost is 0.0110006 USD/request > 0.005"
    assert best.outcome.cost_usd == pytest.approx(0.011 + 0.02 * 0.5 * math.erfc(4 / 2**0.5))


def test_cascade_threshold_with_a_human_gates_the_last_stage():
    # One stage, p = 0.6, separation 3, human at 1 USD right 95%: rejected answers (wrong ones
    # mostly) go to the human, so a higher threshold buys success with human time.
    args = ([0.01], [0.0], [0.6], [3.0])
    best = optimal_cascade_threshold(*args, 1.0, human_success=0.95, min_success=0.9)
    assert best.feasible
    assert best.outcome.p_escalated > 0
    assert best.outcome.p_success == pytest.approx(0.9, abs=1e-12)
    direct = _threshold_outcome(best.threshold, *args, 1.0, human_success=0.95)
    assert direct.cost_usd == pytest.approx(best.outcome.cost_usd, rel=1e-12)


def test_cascade_threshold_bad_inputs():
    args = ([0.01, 0.1], [0.001, 0.0], [0.8, 0.9], [1.0, 1.0])
    with pytest.raises(ValueError, match="exactly one of min_success and max_usd_per_request"):
        optimal_cascade_threshold(*args)
    with pytest.raises(ValueError, match="cost must have at least 2 stages; got 1"):
        optimal_cascade_threshold([0.1], [0.0], [0.5], [1.0], min_success=0.5)
    with pytest.raises(ValueError, match="p_right has 1 stages but cost has 2"):
        optimal_cascade_threshold(args[0], args[1], [0.5], args[3], min_success=0.5)
    with pytest.raises(ValueError, match=r"p_right must lie in \[0.0, 1.0\]"):
        optimal_cascade_threshold(args[0], args[1], [0.5, 2.0], args[3], min_success=0.5)
    with pytest.raises(ValueError, match="separation must be a number >= 0"):
        optimal_cascade_threshold(args[0], args[1], args[2], [-1.0, 1.0], min_success=0.5)
    with pytest.raises(ValueError, match="cost must be a sequence of numbers"):
        optimal_cascade_threshold(0.1, [0.0], [0.5], [1.0], min_success=0.5)
    with pytest.raises(ValueError, match="bounds must be two finite numbers"):
        optimal_cascade_threshold(*args, min_success=0.5, bounds=(1.0, -1.0))


stage = st.tuples(
    st.floats(0.0, 1.0),  # cost
    st.floats(0.0, 0.1),  # verify cost
    probability,
    st.one_of(st.floats(0.0, 5.0), st.just(np.inf)),
)


@given(
    st.lists(stage, min_size=2, max_size=3),
    st.booleans(),
    st.floats(0.0, 1.0),
    st.one_of(st.none(), st.floats(0.0, 5.0)),
    st.floats(0.0, 2.0),
)
def test_cascade_threshold_no_worse_than_a_finer_grid(rows, by_success, u, human, false_usd):
    cost, verify, p_right, separation = (list(col) for col in zip(*rows, strict=True))
    args = (cost, verify, p_right, separation, human)
    kwargs = {"false_accept_cost": false_usd, "human_success": 0.9}
    fine = np.linspace(-4.0, 8.0, 7919)  # shares no point with the 2001-point grid but the ends
    out = _threshold_outcome(fine, *args, **kwargs)
    usd, ok = np.asarray(out.cost_usd), np.asarray(out.p_success)
    if by_success:
        target = ok.min() + u * (ok.max() - ok.min())
        best = optimal_cascade_threshold(*args, **kwargs, min_success=target)
        objective, feasible = usd, ok >= target
        found = best.outcome.cost_usd
    else:
        target = usd.min() + u * (usd.max() - usd.min())
        best = optimal_cascade_threshold(*args, **kwargs, max_usd_per_request=target)
        objective, feasible = -ok, usd <= target
        found = -best.outcome.p_success
    if not best.feasible:
        # Only a sliver narrower than the grid step can be missed.
        assert math.isnan(best.threshold)
        if by_success:
            assert ok.max() < target + 1e-6
        else:
            assert usd.min() > target - 1e-6
        return
    assert -4.0 <= best.threshold <= 8.0
    # The refined point is feasible ...
    if by_success:
        assert best.outcome.p_success >= target - 1e-12
    else:
        assert best.outcome.cost_usd <= target + 1e-12 * max(target, 1.0)
    # ... and no worse than any feasible point of the finer grid.
    assert found <= objective[feasible].min() + 1e-10 * max(1.0, abs(found))
    # The reported outcome is the cascade at the reported threshold.
    again = _threshold_outcome(best.threshold, *args, **kwargs)
    assert again.cost_usd == pytest.approx(best.outcome.cost_usd, rel=1e-12, abs=1e-15)
    assert again.p_success == pytest.approx(best.outcome.p_success, rel=1e-12, abs=1e-15)


@given(probability, st.floats(0.0, 5.0), st.floats(-4, 8), st.floats(0.0, 3.0))
def test_higher_threshold_sends_more_traffic_on(p, d, t, step):
    # Stage 1 acceptance a(t) = p TPR(t) + (1-p) FPR(t) falls with t, so the share reaching
    # stage 2 (1 - a) rises; the cascade runs more model calls.
    def reach_stage_2(threshold):
        right, wrong = verifier_rates(threshold, d)
        return cascade_reach([p * right + (1 - p) * wrong, 1.0])[1]

    assert reach_stage_2(t + step) >= reach_stage_2(t)
    args = ([0.01, 0.1], [0.0, 0.0], [p, 0.9], [d, 0.0])
    low, high = _threshold_outcome(t, *args), _threshold_outcome(t + step, *args)
    assert high.attempts >= low.attempts
    assert high.attempts - 1.0 == pytest.approx(reach_stage_2(t + step), abs=1e-15)


# --- pareto_frontier ------------------------------------------------------------------------


def test_pareto_frontier_by_hand():
    usd = [1.0, 2.0, 2.0, 3.0, 0.5, 4.0, np.nan, 1.0]
    ok = [0.9, 0.95, 0.9, 0.99, 0.5, 0.99, 1.0, 0.9]
    # 0.5/0.5 is the cheapest; 1.0/0.9 twice (identical: both kept); 2.0/0.9 is beaten by
    # 1.0/0.9; 4.0/0.99 by 3.0/0.99; the NaN point is never on the frontier.
    assert pareto_frontier(usd, ok).tolist() == [True, True, False, True, True, False, False, True]
    assert pareto_frontier([], []).tolist() == []
    assert pareto_frontier([np.nan], [0.5]).tolist() == [False]
    with pytest.raises(ValueError, match="p_success must have the shape of usd_per_request"):
        pareto_frontier([1.0, 2.0], [0.5])
    with pytest.raises(ValueError, match="usd_per_request must be a 1-D array"):
        pareto_frontier([[1.0]], [[0.5]])


def _dominates(c1, s1, c2, s2):
    return c1 <= c2 and s1 >= s2 and (c1 < c2 or s1 > s2)


values = st.one_of(st.sampled_from([0.0, 0.5, 1.0]), st.floats(0.0, 1.0), st.just(np.nan))


@given(st.lists(st.tuples(values, values), max_size=30))
def test_pareto_frontier_property(points):
    usd = np.array([p[0] for p in points], dtype=float)
    ok = np.array([p[1] for p in points], dtype=float)
    frontier = pareto_frontier(usd, ok)
    valid = ~(np.isnan(usd) | np.isnan(ok))
    assert not np.any(frontier & ~valid)
    for i in np.flatnonzero(valid):
        beaten = any(
            _dominates(usd[j], ok[j], usd[i], ok[i]) for j in np.flatnonzero(valid) if j != i
        )
        assert frontier[i] == (not beaten)
        if not frontier[i]:
            assert any(_dominates(usd[j], ok[j], usd[i], ok[i]) for j in np.flatnonzero(frontier))
