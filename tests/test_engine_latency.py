import math
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine.latency import interpolate_percentile, lognormal_mean_s

Z = NormalDist().inv_cdf


def test_reported_points_are_returned():
    np.testing.assert_allclose(
        interpolate_percentile(0.4, 1.0, 2.0, [0.5, 0.95, 0.99]), [0.4, 1.0, 2.0], rtol=1e-12
    )


def test_exact_for_a_lognormal():
    mu, sigma = math.log(0.8), 0.6
    p50, p95, p99 = (math.exp(mu + sigma * Z(q)) for q in (0.5, 0.95, 0.99))
    for q in (0.01, 0.3, 0.75, 0.9, 0.97, 0.999):
        expected = math.exp(mu + sigma * Z(q))
        assert interpolate_percentile(p50, p95, p99, q) == pytest.approx(expected, rel=1e-12)
    assert lognormal_mean_s(p50, p95) == pytest.approx(math.exp(mu + sigma**2 / 2), rel=1e-12)


def test_heavier_tail_above_p95_follows_p99():
    # Between p95 and p99 the p95-p99 line is used; a heavy p99 lifts p0.98 above the lognormal.
    lognormal_like = interpolate_percentile(
        0.4, 1.0, 1.0 * (1.0 / 0.4) ** (Z(0.99) / Z(0.95)), 0.98
    )
    heavy = interpolate_percentile(0.4, 1.0, 5.0, 0.98)
    assert heavy > lognormal_like


def test_constant_latency():
    assert interpolate_percentile(2.0, 2.0, 2.0, 0.7) == 2.0
    assert lognormal_mean_s(2.0, 2.0) == 2.0


def test_broadcasting_shape():
    out = interpolate_percentile(np.array([[0.4], [0.5]]), 1.0, 2.0, np.array([0.5, 0.9, 0.99]))
    assert out.shape == (2, 3)


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="p50_s must not exceed p95_s"):
        interpolate_percentile(2.0, 1.0, 3.0, 0.5)
    with pytest.raises(ValueError, match="p95_s must not exceed p99_s"):
        interpolate_percentile(0.5, 1.0, 0.9, 0.5)
    with pytest.raises(ValueError, match="p50_s must be a finite number > 0"):
        interpolate_percentile(0.0, 1.0, 2.0, 0.5)
    with pytest.raises(ValueError, match="quantile must lie in"):
        interpolate_percentile(0.5, 1.0, 2.0, 1.0)
    with pytest.raises(ValueError, match="quantile must lie in"):
        interpolate_percentile(0.5, 1.0, 2.0, 0.0)
    with pytest.raises(ValueError, match="p50_s must not exceed p95_s"):
        lognormal_mean_s(3.0, 1.0)


positive = st.floats(min_value=1e-3, max_value=100.0)
quantile = st.floats(min_value=1e-6, max_value=1 - 1e-6)


@given(positive, positive, positive, quantile, quantile)
def test_monotone_in_quantile(a, b, c, q1, q2):
    p50, p95, p99 = sorted((a, b, c))
    low, high = min(q1, q2), max(q1, q2)
    value_low = interpolate_percentile(p50, p95, p99, low)
    value_high = interpolate_percentile(p50, p95, p99, high)
    assert 0.0 < value_low <= value_high * (1 + 1e-12)


@given(positive, positive)
def test_lognormal_mean_at_least_the_median(a, b):
    p50, p95 = min(a, b), max(a, b)
    assert lognormal_mean_s(p50, p95) >= p50
