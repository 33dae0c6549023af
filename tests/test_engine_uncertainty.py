"""Quantile functions, rank correlation and shares of the Monte Carlo engine, and price drift."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from llmtco.engine import price_escalation
from llmtco.engine.uncertainty import (
    LOGNORMAL_RANGE_Z,
    lognormal_ppf,
    probability_lowest,
    samples_ppf,
    spearman_rho,
    triangular_ppf,
    uniform_ppf,
)

qs = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
inner_qs = st.floats(min_value=1e-6, max_value=1 - 1e-6, allow_nan=False)
magnitudes = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)


@st.composite
def triangles(draw: st.DrawFn) -> tuple[float, float, float]:
    low = draw(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
    width = draw(st.floats(min_value=1e-3, max_value=1e6, allow_nan=False))
    where = draw(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
    return low, low + where * width, low + width


@st.composite
def log_ranges(draw: st.DrawFn) -> tuple[float, float]:
    low = draw(magnitudes)
    ratio = draw(st.floats(min_value=1.0, max_value=1e3, allow_nan=False))
    return low, low * ratio


# -- hand values -----------------------------------------------------------------------------


def test_uniform_hand_values():
    assert uniform_ppf(0.25, 100.0, 200.0) == 125.0
    assert uniform_ppf(0.0, 100.0, 200.0) == 100.0
    assert uniform_ppf(1.0, 100.0, 200.0) == 200.0
    assert uniform_ppf(0.5, -4.0, 6.0) == 1.0


def test_triangular_hand_values():
    # Mode at the low end: F(x) = 1 - ((b - x) / (b - a))^2, so the median is b (1 - 1/sqrt 2).
    assert triangular_ppf(0.5, 0.0, 0.0, 10.0) == pytest.approx(10.0 * (1 - 1 / math.sqrt(2)))
    # Mode at the high end: F(x) = ((x - a) / (b - a))^2, median a + (b - a) / sqrt 2.
    assert triangular_ppf(0.5, 0.0, 10.0, 10.0) == pytest.approx(10.0 / math.sqrt(2))
    # Symmetric: the median is the mode.
    assert triangular_ppf(0.5, 2.0, 5.0, 8.0) == pytest.approx(5.0)
    # Left branch: F(x) = (x - a)^2 / ((b - a)(c - a)) -> x = a + sqrt(q (b - a)(c - a)).
    assert triangular_ppf(0.1, 0.0, 4.0, 10.0) == pytest.approx(math.sqrt(0.1 * 10 * 4))
    # Right branch: x = b - sqrt((1 - q)(b - a)(b - c)).
    assert triangular_ppf(0.9, 0.0, 4.0, 10.0) == pytest.approx(10 - math.sqrt(0.1 * 10 * 6))
    # At the mode's own quantile, (c - a) / (b - a), both branches give the mode.
    assert triangular_ppf(0.4, 0.0, 4.0, 10.0) == pytest.approx(4.0)


def test_lognormal_range_is_the_5th_to_95th_percentile():
    low, high = 1800.0, 3200.0
    assert lognormal_ppf(0.05, low, high) == pytest.approx(low, rel=1e-12)
    assert lognormal_ppf(0.95, low, high) == pytest.approx(high, rel=1e-12)
    assert lognormal_ppf(0.5, low, high) == pytest.approx(math.sqrt(low * high), rel=1e-12)
    assert pytest.approx(1.6448536269514722) == LOGNORMAL_RANGE_Z


def test_lognormal_ends_of_support():
    assert lognormal_ppf(0.0, 1.0, 4.0) == 0.0
    assert lognormal_ppf(1.0, 1.0, 4.0) == math.inf


def test_samples_hand_values():
    # Sorted [1, 2, 3]: each value holds a third of the probability (inverted CDF).
    values = [3.0, 1.0, 2.0]
    assert samples_ppf(0.0, values) == 1.0
    assert samples_ppf(1 / 3, values) == 1.0
    assert samples_ppf(0.34, values) == 2.0
    assert samples_ppf(2 / 3, values) == 2.0
    assert samples_ppf(0.67, values) == 3.0
    assert samples_ppf(1.0, values) == 3.0


def test_samples_ppf_is_numpy_inverted_cdf():
    rng = np.random.default_rng(7)
    values = rng.normal(size=37).round(1)  # ties included
    q = rng.random(500)
    expected = np.quantile(values, q, method="inverted_cdf")
    np.testing.assert_array_equal(samples_ppf(q, values), expected)


def test_samples_ppf_of_uniform_draws_resamples_with_equal_weights():
    values = [5.0, 1.0, 1.0, 9.0]  # 1.0 twice: half the mass
    draws = np.asarray(samples_ppf(np.random.default_rng(0).random(100_000), values))
    assert set(np.unique(draws)) == {1.0, 5.0, 9.0}
    assert np.mean(draws == 1.0) == pytest.approx(0.5, abs=0.01)
    assert np.mean(draws == 5.0) == pytest.approx(0.25, abs=0.01)
    assert np.mean(draws == 9.0) == pytest.approx(0.25, abs=0.01)


def test_samples_needs_values():
    with pytest.raises(ValueError, match="at least one sample"):
        samples_ppf(0.5, [])


# -- shape and type rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ppf", "params"),
    [
        (uniform_ppf, (100.0, 200.0)),
        (triangular_ppf, (1.0, 2.0, 5.0)),
        (lognormal_ppf, (1.0, 4.0)),
        (samples_ppf, ([4.0, 1.0, 2.0, 8.0],)),
    ],
)
def test_scalar_in_float_out_and_vectorized_equals_loop(ppf, params):
    one = ppf(0.3, *params)
    assert type(one) is float
    q = np.linspace(0.01, 0.99, 23)
    vector = ppf(q, *params)
    assert isinstance(vector, np.ndarray)
    assert vector.shape == q.shape
    np.testing.assert_array_equal(vector, [ppf(float(x), *params) for x in q])
    grid = q.reshape(-1, 1) * np.ones((1, 3))
    assert np.shape(ppf(grid, *params)) == (23, 3)


@pytest.mark.parametrize("bad", [-0.01, 1.01, math.nan, [0.5, 2.0]])
@pytest.mark.parametrize(
    ("ppf", "params"),
    [
        (uniform_ppf, (100.0, 200.0)),
        (triangular_ppf, (1.0, 2.0, 5.0)),
        (lognormal_ppf, (1.0, 4.0)),
        (samples_ppf, ([1.0, 2.0],)),
    ],
)
def test_invalid_probability_raises(ppf, params, bad):
    with pytest.raises(ValueError, match="q must be probabilities in"):
        ppf(bad, *params)


def test_parameters_broadcast_against_q():
    low = np.array([[0.0], [10.0]])
    out = uniform_ppf(np.array([0.0, 0.5, 1.0]), low, low + 2.0)
    np.testing.assert_array_equal(out, [[0.0, 1.0, 2.0], [10.0, 11.0, 12.0]])


# -- properties ------------------------------------------------------------------------------


@given(q1=qs, q2=qs, low=st.floats(-1e6, 1e6), width=st.floats(0.0, 1e6))
def test_uniform_monotone_and_bounded(q1, q2, low, width):
    a, b = sorted((q1, q2))
    high = low + width
    assert uniform_ppf(a, low, high) <= uniform_ppf(b, low, high)
    assert low - 1e-9 * abs(low) <= uniform_ppf(a, low, high) <= high + 1e-9 * abs(high)


@given(q1=qs, q2=qs, tri=triangles())
def test_triangular_monotone_and_bounded(q1, q2, tri):
    a, b = sorted((q1, q2))
    low, _, high = tri
    slack = 1e-9 * max(abs(low), abs(high), 1.0)
    lo_value, hi_value = triangular_ppf(a, *tri), triangular_ppf(b, *tri)
    assert lo_value <= hi_value + slack
    assert low - slack <= lo_value <= high + slack
    assert triangular_ppf(0.0, *tri) == pytest.approx(low, abs=slack)
    assert triangular_ppf(1.0, *tri) == pytest.approx(high, abs=slack)


@given(q1=inner_qs, q2=inner_qs, rng=log_ranges())
def test_lognormal_monotone_and_positive(q1, q2, rng):
    a, b = sorted((q1, q2))
    assert 0 < lognormal_ppf(a, *rng) <= lognormal_ppf(b, *rng)


@given(
    q1=qs,
    q2=qs,
    values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=30),
)
def test_samples_monotone_and_one_of_the_values(q1, q2, values):
    a, b = sorted((q1, q2))
    x, y = samples_ppf(a, values), samples_ppf(b, values)
    assert x <= y
    assert x in values
    assert y in values
    assert samples_ppf(0.0, values) == min(values)
    assert samples_ppf(1.0, values) == max(values)


# -- sampling matches scipy ------------------------------------------------------------------


def test_triangular_draws_match_scipy_moments():
    low, mode, high = 2.0, 3.0, 7.0
    draws = np.asarray(triangular_ppf(np.random.default_rng(11).random(200_000), low, mode, high))
    reference = stats.triang(c=(mode - low) / (high - low), loc=low, scale=high - low)
    # Mean (a + b + c) / 3 = 4, variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18 = 7/6.
    assert reference.mean() == pytest.approx(4.0)
    assert reference.var() == pytest.approx(7 / 6)
    assert draws.mean() == pytest.approx(reference.mean(), abs=0.01)
    assert draws.var() == pytest.approx(reference.var(), rel=0.02)
    # Kolmogorov-Smirnov against the scipy distribution.
    assert stats.kstest(draws, reference.cdf).pvalue > 0.001


@pytest.mark.parametrize(("low", "mode", "high"), [(0.0, 0.0, 1.0), (0.0, 1.0, 1.0), (1, 4, 9)])
def test_triangular_ppf_equals_scipy_ppf(low, mode, high):
    q = np.linspace(0.0, 1.0, 101)
    reference = stats.triang(c=(mode - low) / (high - low), loc=low, scale=high - low)
    np.testing.assert_allclose(triangular_ppf(q, low, mode, high), reference.ppf(q), atol=1e-12)


def test_lognormal_equals_scipy_lognorm():
    low, high = 0.6, 1.2
    sigma = math.log(high / low) / (2 * stats.norm.ppf(0.95))
    reference = stats.lognorm(s=sigma, scale=math.sqrt(low * high))
    q = np.array([0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999])
    np.testing.assert_allclose(lognormal_ppf(q, low, high), reference.ppf(q), rtol=1e-12)
    draws = np.asarray(lognormal_ppf(np.random.default_rng(5).random(200_000), low, high))
    np.testing.assert_allclose(
        np.quantile(draws, [0.05, 0.5, 0.95]), [low, 0.8485, high], rtol=0.01
    )
    assert stats.kstest(draws, reference.cdf).pvalue > 0.001


# -- Spearman --------------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(5, 60),
    k=st.integers(1, 4),
    ties=st.booleans(),
)
def test_spearman_matches_scipy(seed, n, k, ties):
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(n, k))
    metric = inputs[:, 0] * rng.normal() + rng.normal(size=n)
    if ties:
        inputs, metric = inputs.round(0), metric.round(0)
    rho = spearman_rho(inputs, metric)
    assert rho.shape == (k,)
    for j in range(k):
        expected = stats.spearmanr(inputs[:, j], metric).statistic
        if np.isnan(expected):  # a constant column or metric
            assert rho[j] == 0.0
        else:
            assert rho[j] == pytest.approx(expected, abs=1e-12)


def test_spearman_hand_case_and_constant_column():
    x = [[1.0, 5.0, 2.0], [2.0, 4.0, 2.0], [3.0, 3.0, 2.0], [4.0, 1.0, 2.0]]
    rho = spearman_rho(x, [10.0, 20.0, 30.0, 45.0])
    np.testing.assert_array_equal(rho, [1.0, -1.0, 0.0])
    np.testing.assert_array_equal(spearman_rho(x, [7.0] * 4), [0.0, 0.0, 0.0])


def test_spearman_of_monotone_transform_is_one():
    x = np.random.default_rng(1).random((200, 1))
    assert spearman_rho(x, np.exp(3 * x[:, 0]))[0] == pytest.approx(1.0)
    assert spearman_rho(x, -(x[:, 0] ** 3))[0] == pytest.approx(-1.0)


def test_spearman_shape_mismatch_raises():
    with pytest.raises(ValueError, match="inputs has 3 samples but metric has 4"):
        spearman_rho(np.ones((3, 2)), np.ones(4))


# -- probability lowest ----------------------------------------------------------------------


def test_probability_lowest_hand_case_with_ties():
    costs = [[1.0, 2.0, 3.0], [5.0, 2.0, 2.0], [4.0, 4.0, 4.0], [0.0, 9.0, 9.0]]
    # Row 0 -> A; row 1 -> B and C half each; row 2 -> a third each; row 3 -> A.
    expected = [(1 + 0 + 1 / 3 + 1) / 4, (0.5 + 1 / 3) / 4, (0.5 + 1 / 3) / 4]
    np.testing.assert_allclose(probability_lowest(costs), expected)


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 50),
    k=st.integers(1, 5),
)
def test_probability_lowest_sums_to_one_and_matches_argmin(seed, n, k):
    rng = np.random.default_rng(seed)
    costs = rng.integers(0, 4, size=(n, k)).astype(float)  # many ties
    share = probability_lowest(costs)
    assert share.shape == (k,)
    assert share.sum() == pytest.approx(1.0)
    assert np.all(share >= 0)
    # Independent count: each row gives 1/(number tied at the minimum) to each tied option.
    expected = np.zeros(k)
    for row in costs:
        winners = np.flatnonzero(row == row.min())
        expected[winners] += 1 / winners.size
    np.testing.assert_allclose(share, expected / n)


# -- price escalation ------------------------------------------------------------------------


def test_price_escalation_hand_values():
    factors = price_escalation(25, -0.3)
    assert factors[0] == 1.0
    assert factors[12] == pytest.approx(0.7)
    assert factors[24] == pytest.approx(0.49)
    assert factors[6] == pytest.approx(math.sqrt(0.7))
    assert factors[3] == pytest.approx(0.7**0.25)
    np.testing.assert_allclose(price_escalation(13, 0.0), np.ones(13))
    assert price_escalation(13, 0.1)[12] == pytest.approx(1.1)


def test_price_escalation_broadcasts_per_sample():
    rates = np.array([[-0.3], [0.0], [0.5]])
    out = price_escalation(13, rates)
    assert out.shape == (3, 13)
    np.testing.assert_array_equal(out[:, 0], [1.0, 1.0, 1.0])
    np.testing.assert_allclose(out[:, 12], [0.7, 1.0, 1.5])
    for row, rate in zip(out, rates[:, 0], strict=True):
        np.testing.assert_allclose(row, price_escalation(13, float(rate)))


@pytest.mark.parametrize("bad", [-1.0, -1.5, math.inf, math.nan])
def test_price_escalation_rejects_bad_rates(bad):
    with pytest.raises(ValueError, match="escalation_per_year must be a finite number > -1"):
        price_escalation(12, bad)


def test_price_escalation_rejects_bad_horizon():
    with pytest.raises(ValueError, match="n_months"):
        price_escalation(0, 0.1)
