import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from llmtco.engine.purchase import (
    Commitment,
    committed_mix_usd,
    optimal_commitment,
    spot_interrupted_share,
    spot_usd,
)

# A diurnal week: 2 replicas at night, 5 in the day, a 9-replica peak from 14:00 to 18:00.
DAY = np.array([2.0] * 6 + [5.0] * 8 + [9.0] * 4 + [5.0] * 6)
WEEK = np.tile(DAY, 7)

profiles = st.lists(st.floats(0.0, 50.0), min_size=1, max_size=72).map(np.array)
whole_profiles = st.lists(st.integers(0, 30), min_size=1, max_size=72).map(
    lambda values: np.array(values, dtype=float)
)
prices = st.tuples(st.floats(0.0, 20.0), st.floats(0.01, 20.0))


def brute_force(profile, reserved, on_demand):
    """Cheapest whole commitment by trying every one from 0 to the peak."""
    candidates = np.arange(np.ceil(profile.max()) + 1)
    costs = [committed_mix_usd(profile, c, reserved, on_demand) for c in candidates]
    best = int(np.argmin(costs))
    return candidates[best], costs[best]


# --- spot ---------------------------------------------------------------------------------


def test_spot_without_interruptions_is_the_spot_price():
    assert spot_usd(730, 1.2, 2.0, 0.0) == pytest.approx(876.0)


def test_spot_hand_case():
    # One preemption every 20 h, 15 min to recover: lost share 0.0125 / 1.0125.
    share = 0.0125 / 1.0125
    assert spot_interrupted_share(0.05, 0.25) == pytest.approx(share)
    assert spot_usd(730, 1.2, 2.0, 0.05) == pytest.approx(730 * (1.2 + share * 2.0))
    # Half the gaps bridged, 10% spares.
    expected = 730 * (1.1 * 1.2 + 0.5 * share * 2.0)
    got = spot_usd(730, 1.2, 2.0, 0.05, fallback_share=0.5, overprovision_share=0.1)
    assert got == pytest.approx(expected)


def test_spot_recovery_time_bounds_the_lost_share():
    # Very frequent preemptions: the lost share tends to 1, never beyond.
    assert 0.99 < spot_interrupted_share(1000.0, 1.0) < 1.0
    assert spot_interrupted_share(0.5, 0.0) == 0.0


def test_spot_broadcasts():
    out = spot_usd(np.array([[100.0], [200.0]]), 1.0, 2.0, np.array([0.0, 0.1]))
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out[:, 0], [100.0, 200.0])


def test_spot_rejects_bad_inputs():
    with pytest.raises(ValueError, match="fallback_share must lie in"):
        spot_usd(10, 1.0, 2.0, 0.1, fallback_share=1.5)
    with pytest.raises(ValueError, match="interruption_rate_per_hour must be a finite number >= 0"):
        spot_usd(10, 1.0, 2.0, -0.1)
    with pytest.raises(ValueError, match="replica_hours must be"):
        spot_usd(-1, 1.0, 2.0, 0.1)


@given(
    st.floats(0, 1e5),
    st.floats(0, 50),
    st.floats(0, 100),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0.01, 100),
)
def test_spot_properties(hours, spot, on_demand, rate, fallback, spares, k):
    cost = spot_usd(hours, spot, on_demand, rate, fallback, spares)
    assert cost >= hours * spot * (1 - 1e-12)  # never cheaper than the bare spot hours
    assert spot_usd(hours, spot, on_demand, rate + 0.1, fallback, spares) >= cost * (1 - 1e-12)
    scaled = spot_usd(hours, k * spot, k * on_demand, rate, fallback, spares)
    assert scaled == pytest.approx(k * cost, rel=1e-9, abs=1e-9)


# --- reserved + on demand -------------------------------------------------------------------


def test_mix_hand_case():
    day = [2.0] * 12 + [6.0] * 12
    assert committed_mix_usd(day, 0, 0.6, 1.0) == pytest.approx(96.0)
    assert committed_mix_usd(day, 2, 0.6, 1.0) == pytest.approx(24 * 2 * 0.6 + 12 * 4)
    assert committed_mix_usd(day, 8, 0.6, 1.0) == pytest.approx(24 * 8 * 0.6)


def test_mix_fractional_replicas():
    # 1.5 replicas on average in each hour, 1 committed: 0.5 on demand every hour.
    assert committed_mix_usd([1.5] * 4, 1, 0.5, 1.0) == pytest.approx(4 * 0.5 + 4 * 0.5)


def test_diurnal_mix_beats_both_extremes():
    reserved, on_demand = 0.6, 1.0
    best = optimal_commitment(WEEK, reserved, on_demand)
    all_on_demand = committed_mix_usd(WEEK, 0, reserved, on_demand)
    all_reserved_at_peak = committed_mix_usd(WEEK, WEEK.max(), reserved, on_demand)
    assert best.cost_usd < all_on_demand
    assert best.cost_usd < all_reserved_at_peak
    # A reserved replica pays if it is busy more than 60% of the hours: 75% of the hours need
    # more than 2 replicas, only 17% more than 5.
    assert best.committed_replicas == 5.0
    assert best == Commitment(*brute_force(WEEK, reserved, on_demand))


def test_optimum_is_the_quantile():
    for reserved in (0.1, 0.35, 0.6, 0.9):
        best = optimal_commitment(WEEK, reserved, 1.0)
        quantile = np.quantile(WEEK, 1 - reserved, method="inverted_cdf")
        assert best.committed_replicas == quantile


def test_reserving_no_cheaper_commits_nothing():
    assert optimal_commitment(WEEK, 1.2, 1.0) == (0.0, pytest.approx(WEEK.sum() * 1.0))
    assert optimal_commitment(WEEK, 0.0, 1.0).committed_replicas == WEEK.max()


def test_optimum_agrees_with_scipy_continuous_relaxation():
    reserved, on_demand = 0.6, 1.0
    relaxed = minimize_scalar(
        lambda c: committed_mix_usd(WEEK, c, reserved, on_demand),
        bounds=(0.0, WEEK.max()),
        method="bounded",
        options={"xatol": 1e-9},
    )
    best = optimal_commitment(WEEK, reserved, on_demand)
    # The profile is whole, so the continuous optimum is a whole number too.
    assert best.cost_usd == pytest.approx(relaxed.fun, rel=1e-7)
    assert best.committed_replicas == pytest.approx(relaxed.x, abs=1e-6)


def test_fractional_profile_picks_floor_or_ceiling():
    rng = np.random.default_rng(7)
    profile = rng.gamma(3.0, 2.0, size=168)
    for reserved in (0.2, 0.5, 0.7):
        best = optimal_commitment(profile, reserved, 1.0)
        c, cost = brute_force(profile, reserved, 1.0)
        assert best.committed_replicas == c
        assert best.cost_usd == pytest.approx(cost)
        relaxed = minimize_scalar(
            lambda x, r=reserved: committed_mix_usd(profile, x, r, 1.0),
            bounds=(0.0, profile.max()),
            method="bounded",
            options={"xatol": 1e-9},
        )
        assert relaxed.fun <= best.cost_usd * (1 + 1e-9)
        assert abs(best.committed_replicas - relaxed.x) < 1 + 1e-6


def test_optimum_vectorizes_over_scenarios_and_months():
    profiles = np.stack([WEEK, 2 * WEEK, np.roll(WEEK, 5)]).reshape(3, 1, 168)
    reserved = np.array([[0.3, 0.6]])  # (1, 2): two price levels per scenario
    best = optimal_commitment(profiles, reserved, 1.0)
    assert best.committed_replicas.shape == (3, 2)
    for i in range(3):
        for j in range(2):
            single = optimal_commitment(profiles[i, 0], reserved[0, j], 1.0)
            assert best.committed_replicas[i, j] == single.committed_replicas
            assert best.cost_usd[i, j] == pytest.approx(single.cost_usd)


def test_profile_validation():
    with pytest.raises(ValueError, match="hourly_replicas must have a trailing hours axis"):
        committed_mix_usd(3.0, 1, 0.6, 1.0)
    with pytest.raises(ValueError, match="hourly_replicas must be a finite number >= 0"):
        optimal_commitment([1.0, -1.0], 0.6, 1.0)
    with pytest.raises(ValueError, match="on_demand_usd_per_hour must be a finite number > 0"):
        optimal_commitment([1.0, 2.0], 0.6, 0.0)
    with pytest.raises(ValueError, match="committed_replicas must be a finite number >= 0"):
        committed_mix_usd([1.0], -2, 0.6, 1.0)


@given(profiles, st.floats(0, 60), prices)
def test_mix_cost_non_negative(profile, committed, price):
    assert committed_mix_usd(profile, committed, *price) >= 0


@given(profiles, st.lists(st.floats(0, 10), min_size=72, max_size=72), st.floats(0, 60), prices)
def test_more_demand_never_cheaper(profile, extra, committed, price):
    bigger = profile + np.array(extra[: profile.size])
    assert committed_mix_usd(bigger, committed, *price) >= committed_mix_usd(
        profile, committed, *price
    )
    assert optimal_commitment(bigger, *price).cost_usd >= optimal_commitment(
        profile, *price
    ).cost_usd * (1 - 1e-12)


@given(profiles, prices, st.integers(0, 60))
def test_optimum_beats_every_whole_commitment(profile, price, other):
    best = optimal_commitment(profile, *price)
    assert best.committed_replicas == np.floor(best.committed_replicas)
    assert best.cost_usd == pytest.approx(
        committed_mix_usd(profile, best.committed_replicas, *price)
    )
    other_cost = committed_mix_usd(profile, other, *price)
    assert best.cost_usd <= other_cost * (1 + 1e-12) + 1e-9


@given(whole_profiles, prices)
def test_optimum_matches_brute_force(profile, price):
    best = optimal_commitment(profile, *price)
    _, cost = brute_force(profile, *price)
    assert best.cost_usd == pytest.approx(cost, rel=1e-12, abs=1e-9)


@given(profiles, prices, st.floats(0.01, 100))
def test_scaling_prices_scales_cost(profile, price, k):
    reserved, on_demand = price
    best = optimal_commitment(profile, reserved, on_demand)
    scaled = optimal_commitment(profile, k * reserved, k * on_demand)
    assert scaled.cost_usd == pytest.approx(k * best.cost_usd, rel=1e-9, abs=1e-9)
    mix = committed_mix_usd(profile, 3, reserved, on_demand)
    assert committed_mix_usd(profile, 3, k * reserved, k * on_demand) == pytest.approx(
        k * mix, rel=1e-9, abs=1e-9
    )


@given(st.lists(profiles.map(lambda p: np.resize(p, 24)), min_size=1, max_size=6), prices)
def test_vectorized_equals_scalar(rows, price):
    stacked = np.stack(rows)
    best = optimal_commitment(stacked, *price)
    mix = committed_mix_usd(stacked, 2.0, *price)
    for i, row in enumerate(rows):
        single = optimal_commitment(row, *price)
        assert best.committed_replicas[i] == single.committed_replicas
        assert best.cost_usd[i] == pytest.approx(single.cost_usd)
        assert mix[i] == pytest.approx(committed_mix_usd(row, 2.0, *price))
