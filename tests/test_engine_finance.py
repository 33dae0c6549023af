import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine import compound_growth, discount_factors, npv_usd
from strategies import monthly_series


def test_growth_hand_case():
    np.testing.assert_allclose(compound_growth(3, 0.10), [1.0, 1.1, 1.21])
    np.testing.assert_allclose(compound_growth(4, 0.0), [1.0] * 4)


def test_growth_per_scenario_axis():
    out = compound_growth(3, np.array([[0.0], [1.0]]))
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out[1], [1.0, 2.0, 4.0])


def test_discount_factor_after_one_year():
    factors = discount_factors(25, 0.10)
    assert factors[0] == 1.0
    assert factors[12] == pytest.approx(1 / 1.1)
    assert factors[24] == pytest.approx(1 / 1.21)


def test_npv_hand_case():
    # 100 at month 0 and 100 at month 12, 10%/year: 100 + 100 / 1.1.
    stream = np.zeros(13)
    stream[[0, 12]] = 100.0
    assert npv_usd(stream, 0.10) == pytest.approx(100 + 100 / 1.1)


def test_npv_without_discounting_is_the_sum():
    assert npv_usd([1.0, 2.0, 3.0], 0.0) == pytest.approx(6.0)


def test_bad_inputs():
    with pytest.raises(ValueError, match="n_months must be a whole number >= 1"):
        discount_factors(0, 0.1)
    with pytest.raises(ValueError, match="monthly_rate must be a finite number > -1"):
        compound_growth(3, -1.0)
    with pytest.raises(ValueError, match="trailing month axis"):
        npv_usd(5.0, 0.1)


@given(monthly_series(), st.floats(0, 0.5))
def test_npv_at_most_the_sum_and_non_negative(stream, rate):
    value = npv_usd(stream, rate)
    assert 0 <= value <= sum(stream) * (1 + 1e-12) + 1e-9


@given(monthly_series(), st.floats(0, 0.5), st.floats(0.01, 100))
def test_npv_scales(stream, rate, k):
    assert npv_usd(np.array(stream) * k, rate) == pytest.approx(k * npv_usd(stream, rate), rel=1e-9)


@given(st.lists(monthly_series(n_months=12), min_size=1, max_size=8), st.floats(0, 0.3))
def test_npv_vectorized_equals_scalar(streams, rate):
    vector = npv_usd(np.array(streams), rate)
    np.testing.assert_allclose(vector, [npv_usd(s, rate) for s in streams], rtol=1e-12)
