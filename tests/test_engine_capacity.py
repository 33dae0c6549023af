import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine import mean_tokens_per_s, peak_to_mean, units_for_peak, utilization


def test_mean_rate_of_a_730_hour_month():
    assert mean_tokens_per_s(2_628_000_000) == pytest.approx(1000.0)
    assert mean_tokens_per_s(2_592_000_000, hours_per_month=720) == pytest.approx(1000.0)


def test_units_for_peak_hand_cases():
    assert units_for_peak(2500.0, 1000.0, 0.8) == 4.0  # 2500 / 800 = 3.125 -> 4
    assert units_for_peak(2400.0, 1000.0, 0.8) == 3.0  # exactly 3, not 4 from float noise
    assert units_for_peak(0.0, 1000.0, 0.8) == 0.0
    assert units_for_peak(0.0, 1000.0, 0.8, min_units=2) == 2.0
    assert units_for_peak(1e-9, 1000.0) == 1.0
    assert units_for_peak(5e-324, 2.0) == 1.0  # the ratio underflows to 0; the need does not


def test_units_exact_integer_ratio_not_rounded_up_by_noise():
    # 0.3 / 0.1 is 2.9999999999999996 in floats; 0.7 / 0.1 is 6.999999999999999.
    assert units_for_peak(0.3, 0.1) == 3.0
    assert units_for_peak(0.7 * 3, 0.7, 1.0) == 3.0


def test_units_reject_bad_inputs():
    with pytest.raises(ValueError, match="unit_tokens_per_s must be a finite number > 0"):
        units_for_peak(100.0, 0.0)
    with pytest.raises(ValueError, match="target_utilization"):
        units_for_peak(100.0, 10.0, 1.5)
    with pytest.raises(ValueError, match="target_utilization"):
        units_for_peak(100.0, 10.0, 0.0)
    with pytest.raises(ValueError, match="min_units must be a whole number"):
        units_for_peak(100.0, 10.0, 1.0, 1.5)


def test_utilization_hand_case_and_zero_capacity():
    assert utilization(1000.0, 4, 1000.0) == 0.25
    assert utilization(0.0, 0, 1000.0) == 0.0
    np.testing.assert_allclose(utilization(np.array([0.0, 500.0]), 2, 1000.0), [0.0, 0.25])


def test_peak_to_mean():
    assert peak_to_mean([1.0] * 168) == pytest.approx(1.0)
    assert peak_to_mean([1.0, 1.0, 4.0, 2.0]) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="mean of hour_of_week"):
        peak_to_mean([0.0, 0.0])


@given(
    st.floats(0, 1e6), st.floats(1, 1e5), st.floats(0.05, 1.0), st.integers(0, 10), st.floats(1, 3)
)
def test_units_cover_the_peak_and_grow_with_it(peak, per_unit, target, floor, factor):
    units = units_for_peak(peak, per_unit, target, floor)
    assert units >= floor
    assert units == np.floor(units)
    # Enough capacity at the target (up to the 1e-9 tolerance), and no unit to spare.
    assert units * per_unit * target >= peak * (1 - 1e-8)
    if units > floor:
        assert (units - 1) * per_unit * target < peak
    assert units_for_peak(peak * factor, per_unit, target, floor) >= units


@given(st.lists(st.floats(0, 1e5), min_size=1, max_size=30), st.floats(1, 1e4))
def test_units_vectorized_equals_scalar(peaks, per_unit):
    vector = units_for_peak(np.array(peaks), per_unit, 0.7, 1)
    scalar = [units_for_peak(p, per_unit, 0.7, 1) for p in peaks]
    np.testing.assert_array_equal(vector, scalar)
