import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine import capacity_usd_per_month, labor_usd_per_month, split_idle_usd


def test_article_000_p4d_month():
    # One p4d.24xlarge at about 32 USD/h: 23,040 USD over 720 h, 23,360 over 730 h.
    assert capacity_usd_per_month(1, 32.0, 720) == pytest.approx(23_040.0)
    assert capacity_usd_per_month(1, 32.0) == pytest.approx(23_360.0)


def test_hourly_price_is_not_monthly():
    # The 730x bug: an hourly price must be multiplied by the month's hours, once.
    assert capacity_usd_per_month(1, 1.0) == pytest.approx(730.0)


def test_labor():
    assert labor_usd_per_month(0.5, 240_000) == pytest.approx(10_000.0)
    assert labor_usd_per_month(0, 240_000) == 0.0


def test_split_idle_adds_up():
    used, idle = split_idle_usd(np.array([1000.0, 500.0]), np.array([0.25, 1.0]))
    np.testing.assert_allclose(used, [250.0, 500.0])
    np.testing.assert_allclose(idle, [750.0, 0.0])


def test_split_rejects_utilization_above_one():
    with pytest.raises(ValueError, match="utilization must lie in"):
        split_idle_usd(100.0, 1.5)


def test_negative_price_rejected():
    with pytest.raises(ValueError, match="unit_usd_per_hour must be a finite number >= 0"):
        capacity_usd_per_month(1, -2.0)


@given(st.integers(0, 1000), st.floats(0, 500), st.floats(1, 744), st.floats(0.01, 100))
def test_capacity_cost_scales_with_price_and_units(units, price, hours, k):
    base = capacity_usd_per_month(units, price, hours)
    assert base >= 0
    assert capacity_usd_per_month(units, k * price, hours) == pytest.approx(k * base, rel=1e-9)
    assert capacity_usd_per_month(units + 1, price, hours) >= base


@given(st.floats(0, 1e6), st.floats(0, 1))
def test_split_idle_non_negative_and_sums(cost, share):
    used, idle = split_idle_usd(cost, share)
    assert used >= 0
    assert idle >= 0
    assert used + idle == pytest.approx(cost)
