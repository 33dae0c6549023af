import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from llmtco.engine import (
    break_even_intervals,
    break_even_volume,
    payback_month,
    stepped_cost_usd_per_month,
)
from strategies import monthly_series, step_costs, usd_per_month, usd_per_mtok


def api_usd(volume, api_usd_per_mtok):
    return volume * api_usd_per_mtok / 1e6


def self_usd(volume, p):
    return stepped_cost_usd_per_month(
        volume,
        p["fixed_usd_per_month"],
        p["replica_usd_per_month"],
        p["replica_tokens_per_month"],
        p["variable_usd_per_mtok"],
        p["min_replicas"],
    )


# --- hand-worked cases -----------------------------------------------------------------------


def test_article_000_linear_break_even():
    # 23,040 USD/month (p4d at 32 USD/h x 720 h) against GPT-4o blended 4.75 USD/Mtok.
    assert break_even_volume(4.75, 23_040.0) == pytest.approx(4.8505e9, rel=1e-4)
    # The article's "50-80M tokens/month" is off by a factor of 60-100.
    assert break_even_volume(4.75, 23_040.0) / 80e6 > 60


def test_article_000_reserved_range():
    # 1-yr reserved quoted as 13,000-15,000 USD/month: 2.7-3.2 billion tokens/month.
    low, high = break_even_volume(4.75, np.array([13_000.0, 15_000.0]))
    assert low == pytest.approx(2.737e9, rel=1e-3)
    assert high == pytest.approx(3.158e9, rel=1e-3)


def test_linear_with_variable_cost():
    # F / (a - v) = 1000 / ((5 - 1) / 1e6) = 250M tokens.
    assert break_even_volume(5.0, 1000.0, variable_usd_per_mtok=1.0) == pytest.approx(2.5e8)


def test_stepped_hand_case():
    # a = 8 USD/Mtok, F = 1,000, R = 5,000 per 1e9 tokens. Step k is cheaper over its whole
    # width once 8,000 (k - 1) >= 1,000 + 5,000 k, i.e. k >= 3. The root inside step 2 is
    # (1,000 + 2 x 5,000) / 8e-6 = 1.375e9.
    assert break_even_volume(8.0, 1000.0, 5000.0, 1e9) == pytest.approx(1.375e9)
    assert stepped_cost_usd_per_month(1.375e9, 1000.0, 5000.0, 1e9) == pytest.approx(11_000.0)
    assert api_usd(1.375e9, 8.0) == pytest.approx(11_000.0)


def test_stepped_hand_case_intervals():
    # Cheaper from 0.75e9 to the end of step 1 (S = 6,000 = A at 0.75e9), dearer once the
    # second replica comes in, then cheaper for good from 1.375e9.
    intervals = break_even_intervals(8.0, 1000.0, 5000.0, 1e9)
    np.testing.assert_allclose(intervals, [[0.75e9, 1e9], [1.375e9, np.inf]])


def test_never_when_a_replica_cannot_earn_its_cost():
    # One full replica brings 4 x 1e9 / 1e6 = 4,000 USD of API spend but costs 5,000.
    assert break_even_volume(4.0, 1000.0, 5000.0, 1e9) == math.inf
    assert break_even_intervals(4.0, 1000.0, 5000.0, 1e9).shape == (0, 2)


def test_never_when_a_replica_earns_exactly_its_cost():
    # (a - v) C = R on paper: 60.75 USD/Mtok x 1e6 tokens = 60.75 USD; float noise must not
    # turn this into a finite break-even.
    for k in (1.0, 3.0, 7.0):
        assert break_even_volume(63.75 * k, 0.0, 60.75 * k, 1e6, 3.0 * k) == math.inf


def test_never_when_api_is_cheaper_per_token():
    assert break_even_volume(1.0, 100.0, variable_usd_per_mtok=2.0) == math.inf


def test_min_replicas_raise_the_break_even():
    # Two replicas always paid: S = 1,000 + 10,000 up to 2e9 tokens. Root 11,000 / 8e-6.
    assert break_even_volume(8.0, 1000.0, 5000.0, 1e9, min_replicas=2) == pytest.approx(1.375e9)
    # Four replicas: S = 21,000 until 4e9; the API reaches 21,000 at 2.625e9.
    assert break_even_volume(8.0, 1000.0, 5000.0, 1e9, min_replicas=4) == pytest.approx(2.625e9)
    np.testing.assert_allclose(
        break_even_intervals(8.0, 1000.0, 5000.0, 1e9, min_replicas=4), [[2.625e9, np.inf]]
    )


def test_negative_net_fixed_cost_breaks_even_at_zero():
    # The API option carries more fixed cost than self-hosting: cheaper from the start.
    assert break_even_volume(4.0, -500.0) == 0.0
    assert break_even_volume(4.0, -500.0, 5000.0, 1e10) == pytest.approx(4.5e9 / 4.0)


def test_identical_lines_break_even_at_once():
    assert break_even_volume(2.0, 0.0, variable_usd_per_mtok=2.0) == 0.0


def test_scalar_and_array_forms():
    assert isinstance(break_even_volume(4.75, 23_040.0), float)
    out = break_even_volume(np.array([[4.75], [9.5]]), np.array([23_040.0, 46_080.0]))
    assert out.shape == (2, 2)
    assert out[1, 1] == pytest.approx(out[0, 0])


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="api_usd_per_mtok must be a finite number >= 0"):
        break_even_volume(-1.0, 100.0)
    with pytest.raises(ValueError, match="replica_tokens_per_month must be a number > 0"):
        break_even_volume(1.0, 100.0, 10.0, 0.0)
    with pytest.raises(ValueError, match="fixed_usd_per_month must be finite"):
        break_even_volume(1.0, np.inf)
    with pytest.raises(ValueError, match="min_replicas must be a whole number"):
        break_even_volume(1.0, 100.0, 10.0, 1e9, min_replicas=1.5)
    with pytest.raises(ValueError, match="scalars only"):
        break_even_intervals(np.array([1.0, 2.0]), 100.0)


def test_too_many_steps_for_intervals():
    # A margin of 1e-6 USD per replica step puts the break-even billions of steps out.
    with pytest.raises(ValueError, match="replica steps lie below"):
        break_even_intervals(1.000001, 1e6, 1.0, 1e6)


# --- properties --------------------------------------------------------------------------------


@given(step_costs())
def test_break_even_equalises_the_costs(p):
    volume = break_even_volume(**p)
    assume(math.isfinite(volume) and volume > 0)
    a = api_usd(volume, p["api_usd_per_mtok"])
    # The staircase counts a volume within float noise (1e-12) past a step boundary as on the
    # boundary; at the root either reading of the ceiling must give equal costs.
    exact_ceiling = (
        p["fixed_usd_per_month"]
        + max(p["min_replicas"], math.ceil(volume / p["replica_tokens_per_month"]))
        * p["replica_usd_per_month"]
        + p["variable_usd_per_mtok"] * volume / 1e6
    )
    s = self_usd(volume, p)
    assert min(abs(s - a), abs(exact_ceiling - a)) <= 1e-7 * a
    # Below it, within the same replica step (or the flat min_replicas region), self-hosting
    # is dearer. Earlier steps may well be cheaper at their ends: see break_even_intervals.
    capacity, floor = p["replica_tokens_per_month"], p["min_replicas"]
    step = math.ceil(volume / capacity)
    start = 0.0 if step <= floor else (step - 1) * capacity
    assume(volume - start > 1e-6 * volume)
    below = (start + volume) / 2
    assert self_usd(below, p) > api_usd(below, p["api_usd_per_mtok"])


@given(step_costs(), st.floats(0, 50))
def test_self_hosting_stays_cheaper_beyond_the_break_even(p, steps_beyond):
    volume = break_even_volume(**p)
    assume(math.isfinite(volume))
    capacity = p["replica_tokens_per_month"]
    # Probe just after every replica boundary ahead of the break-even, the worst points.
    first = math.floor(volume / capacity) + 1
    probes = (first + np.arange(int(steps_beyond) + 1)) * capacity * (1 + 1e-9)
    probes = np.concatenate([probes, [volume * (1 + 1e-9), volume * 7.3]])
    s = self_usd(probes, p)
    a = api_usd(probes, p["api_usd_per_mtok"])
    assert np.all(s <= a * (1 + 1e-7) + 1e-6)


@settings(max_examples=60)
@given(step_costs())
def test_sustained_break_even_matches_brute_force(p):
    volume = break_even_volume(**p)
    capacity = p["replica_tokens_per_month"]
    grid_top = (volume if math.isfinite(volume) else 0.0) + 40 * capacity
    grid = np.linspace(0, grid_top, 20_001)[1:]
    dearer = self_usd(grid, p) > api_usd(grid, p["api_usd_per_mtok"]) * (1 + 1e-9) + 1e-9
    if math.isfinite(volume):
        # Beyond the break-even, never dearer on the grid.
        assert not np.any(dearer & (grid > volume * (1 + 1e-9)))
    else:
        # "Never": past any volume self-hosting is dearer somewhere, in particular just after
        # a replica boundary (exactly at one the costs may touch).
        probe = (40 + 1e-6) * capacity
        assert self_usd(probe, p) > api_usd(probe, p["api_usd_per_mtok"])


@given(step_costs(), st.floats(0.01, 100))
def test_break_even_is_invariant_to_the_currency_unit(p, k):
    scaled = p | {
        "api_usd_per_mtok": p["api_usd_per_mtok"] * k,
        "fixed_usd_per_month": p["fixed_usd_per_month"] * k,
        "replica_usd_per_month": p["replica_usd_per_month"] * k,
        "variable_usd_per_mtok": p["variable_usd_per_mtok"] * k,
    }
    base, other = break_even_volume(**p), break_even_volume(**scaled)
    if math.isfinite(base):
        assert other == pytest.approx(base, rel=1e-6)
    else:
        # Scaling every price by k keeps the sign of (a - v) C - R, up to float noise at 0.
        step_margin = (p["api_usd_per_mtok"] - p["variable_usd_per_mtok"]) / 1e6 * p[
            "replica_tokens_per_month"
        ] - p["replica_usd_per_month"]
        assume(abs(step_margin) > 2e-9 * p["replica_usd_per_month"])
        assert other == math.inf


@given(step_costs(), st.floats(0, 1e5))
def test_higher_fixed_cost_never_lowers_the_break_even(p, extra):
    base = break_even_volume(**p)
    higher = break_even_volume(**(p | {"fixed_usd_per_month": p["fixed_usd_per_month"] + extra}))
    assert higher >= base * (1 - 1e-9)


@given(st.lists(step_costs(), min_size=1, max_size=10))
def test_vectorized_equals_scalar(rows):
    arrays = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    vector = break_even_volume(**arrays)
    scalar = [break_even_volume(**r) for r in rows]
    np.testing.assert_allclose(vector, scalar, rtol=1e-12)


@settings(max_examples=60)
@given(
    usd_per_mtok,
    usd_per_month,
    st.floats(100, 1e4),
    st.floats(1e8, 1e9),
    st.integers(0, 3),
)
def test_intervals_are_where_self_hosting_is_cheaper(api, fixed, replica, capacity, floor):
    p = {
        "api_usd_per_mtok": api,
        "fixed_usd_per_month": fixed,
        "replica_usd_per_month": replica,
        "replica_tokens_per_month": capacity,
        "variable_usd_per_mtok": 0.0,
        "min_replicas": floor,
    }
    volume = break_even_volume(**p)
    assume(not math.isfinite(volume) or volume < 200 * capacity)
    intervals = break_even_intervals(**p)
    top = (volume if math.isfinite(volume) else 0) + 5 * capacity
    grid = np.linspace(0, top, 4001)[1:]
    inside = np.zeros(grid.shape, dtype=bool)
    for lo, hi in intervals:
        inside |= (grid >= lo) & (grid <= hi)
    s, a = self_usd(grid, p), api_usd(grid, api)
    # Away from ties (interval ends, or costs that only touch at a step end), membership and
    # "cheaper" agree.
    tie = np.abs(s - a) <= 1e-9 * np.maximum(s, a)
    np.testing.assert_array_equal(inside[~tie], (s <= a)[~tie])
    if math.isfinite(volume):
        assert intervals[-1, 1] == np.inf
        assert intervals[-1, 0] == pytest.approx(volume, rel=1e-12)


# --- payback ---------------------------------------------------------------------------------


def test_payback_hand_case():
    # Setup 3,000 on top of 1,000/month against 2,000/month: saves 1,000/month from month 1.
    # Cumulative difference 2,000 at t = 1, 1,000 at t = 2, 0 at t = 3.
    result = payback_month([4000.0, 1000.0, 1000.0, 1000.0, 1000.0], [2000.0] * 5)
    assert result.month == pytest.approx(3.0)
    assert result.within_horizon is True


def test_payback_interpolates_within_the_month():
    # Difference +1,500, then -1,000/month: +1,500, +500, -500 at t = 1, 2, 3 -> t = 2.5.
    assert payback_month([3500.0, 1000.0, 1000.0], [2000.0] * 3).month == pytest.approx(2.5)


def test_payback_never_within_horizon_is_explicit():
    result = payback_month([4000.0, 1000.0], [2000.0, 2000.0])
    assert math.isnan(result.month)
    assert result.within_horizon is False


def test_payback_at_once_when_never_dearer():
    assert payback_month([1.0, 1.0], [2.0, 2.0]).month == 0.0


def test_payback_must_stay_paid_back():
    # Cheaper at t = 1, dearer at t = 2, cheaper for good from t = 3.5.
    result = payback_month([0.0, 3000.0, 1000.0, 0.0, 0.0], [1000.0] * 5)
    # cumulative difference: -1000, +1000, +1000, 0, -1000 -> last dearer at t = 3 ... 0 at t = 4
    assert result.month == pytest.approx(4.0)


def test_discounted_payback_is_later():
    invest = [10_000.0] + [0.0] * 35
    base = [400.0] * 36
    plain = payback_month(invest, base)
    discounted = payback_month(invest, base, 0.10)
    assert plain.month == pytest.approx(25.0)
    assert discounted.month > plain.month


def test_payback_vectorized_over_scenarios():
    invest = np.array([[4000.0, 1000.0, 1000.0, 1000.0], [4000.0, 1900.0, 1900.0, 1900.0]])
    result = payback_month(invest, 2000.0 * np.ones(4))
    np.testing.assert_allclose(result.month, [3.0, np.nan])
    np.testing.assert_array_equal(result.within_horizon, [True, False])


def test_payback_needs_a_month_axis():
    with pytest.raises(ValueError, match="trailing month axis"):
        payback_month(1.0, 2.0)


@given(monthly_series(n_months=24), monthly_series(n_months=24))
def test_payback_point_is_where_cumulative_costs_meet(invest, base):
    result = payback_month(invest, base)
    difference = np.concatenate([[0.0], np.cumsum(np.subtract(invest, base))])
    t = np.arange(25)
    tol = 1e-9 * (np.sum(invest) + np.sum(base)) + 1e-9
    if not result.within_horizon:
        assert difference[-1] > 0
        return
    # From the payback time on the option is never dearer at a month end...
    assert np.all(difference[t >= result.month] <= tol)
    # ...and up to it, it was (unless it paid back at once): the last dearer month end lies
    # at or before the payback (exactly at it when the crossing fraction underflows to 0).
    if result.month > 0:
        assert np.interp(result.month, t, difference) == pytest.approx(0.0, abs=tol)
        # Residuals within float noise of the totals may count either way.
        assert t[difference > tol].max(initial=0) <= result.month
        assert t[difference > 0].max() >= result.month - 1


@given(st.lists(st.tuples(monthly_series(n_months=6), monthly_series(n_months=6)), max_size=6))
def test_payback_vectorized_equals_scalar(pairs):
    assume(pairs)
    invest = np.array([p[0] for p in pairs])
    base = np.array([p[1] for p in pairs])
    vector = payback_month(invest, base, 0.05)
    for i, (a, b) in enumerate(pairs):
        scalar = payback_month(a, b, 0.05)
        assert vector.within_horizon[i] == scalar.within_horizon
        np.testing.assert_allclose(vector.month[i], scalar.month, equal_nan=True)


# --- non-finite and extreme inputs (issue 11) -------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("which", ["investment", "baseline"])
def test_payback_refuses_non_finite_costs(bad, which):
    # Before: NaN or inf costs read as "paid back in month 0".
    series = [4000.0, bad, 1000.0]
    invest, base = (series, [2000.0] * 3) if which == "investment" else ([2000.0] * 3, series)
    with pytest.raises(ValueError, match=f"{which}_usd_per_month must be a finite number"):
        payback_month(invest, base)


_EXTREME = st.one_of(
    st.floats(min_value=0.0, max_value=1.7e308),
    st.sampled_from([0.0, 5e-324, 1e-300, 1e-12, 1.0, 1e12, 1e300, 1.7e308]),
)


@settings(max_examples=300)
@given(
    api=_EXTREME,
    fixed=st.one_of(_EXTREME, _EXTREME.map(lambda x: -x)),
    replica=_EXTREME,
    capacity=st.one_of(_EXTREME.filter(lambda x: x > 0), st.just(np.inf)),
    variable=_EXTREME,
    floor=st.sampled_from([0, 1, 2, 10**6, 1e300]),
)
def test_break_even_is_never_nan_for_finite_inputs(api, fixed, replica, capacity, variable, floor):
    # Before: (F + a C) / ((a - v) C - R) was inf / inf = NaN once a C overflowed.
    volume = break_even_volume(api, fixed, replica, capacity, variable, floor)
    assert not math.isnan(volume)
    assert volume >= 0


def test_break_even_with_a_huge_replica_capacity_is_the_linear_one():
    # A replica carrying 1e300 tokens a month never needs a second one: the root is the
    # linear (F + R) / a, where the old formula overflowed a x C to inf and returned NaN.
    volume = break_even_volume(1e6, 1e3, 1e3, 1e300)
    assert volume == pytest.approx(2e3 / 1.0)
