import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine.finance import npv_usd
from llmtco.engine.owned import (
    annuity_factor,
    buy_vs_rent_usd,
    owned_cash_flows_usd,
    power_usd_per_month,
    straight_line_depreciation_usd,
)

# An 8x H100 server: 250,000 USD, 10 kW, PUE 1.3, 0.10 USD/kWh.
SERVER_USD = 250_000.0


# --- annuity ------------------------------------------------------------------------------


def test_annuity_without_interest_is_one_over_n():
    assert annuity_factor(0.0, 36) == pytest.approx(1 / 36)


def test_annuity_hand_case():
    # 12.6825% a year is exactly 1% a month: 0.01 / (1 - 1.01^-12).
    annual = 1.01**12 - 1
    assert annuity_factor(annual, 12) == pytest.approx(0.01 / (1 - 1.01**-12), rel=1e-12)
    assert annuity_factor(annual, 12) == pytest.approx(0.0888487887, rel=1e-9)


def test_annuity_continuous_at_zero_and_vectorized():
    out = annuity_factor(np.array([[0.0], [1e-12], [0.08]]), np.array([12, 36]))
    assert out.shape == (3, 2)
    np.testing.assert_allclose(out[0], out[1], rtol=1e-9)
    np.testing.assert_allclose(out[0], [1 / 12, 1 / 36])


def test_annuity_rejects_bad_inputs():
    with pytest.raises(ValueError, match="rate_per_year must be a finite number > -1"):
        annuity_factor(-1.0, 12)
    with pytest.raises(ValueError, match="life_months must be a finite number > 0"):
        annuity_factor(0.05, 0)


@given(st.floats(-0.5, 1.0), st.integers(1, 240))
def test_annuity_repays_the_capital(rate, life):
    # The payments, discounted at the same rate from the end of each month, are worth 1.
    factor = annuity_factor(rate, life)
    months = np.arange(1, life + 1)
    present_value = np.sum(factor * (1 + rate) ** (-months / 12))
    assert present_value == pytest.approx(1.0, rel=1e-9)
    if rate >= 0:
        assert factor >= 1 / life * (1 - 1e-12)


# --- depreciation -------------------------------------------------------------------------


def test_depreciation_hand_case():
    out = straight_line_depreciation_usd(SERVER_USD, 25_000, 36, 48, renew=False)
    np.testing.assert_allclose(out[:36], 6250.0)
    np.testing.assert_allclose(out[36:], 0.0)
    np.testing.assert_allclose(straight_line_depreciation_usd(SERVER_USD, 25_000, 36, 48), 6250.0)


def test_depreciation_per_scenario():
    out = straight_line_depreciation_usd([[1200.0], [2400.0]], 0.0, [[2], [3]], 4, renew=False)
    np.testing.assert_allclose(out, [[600, 600, 0, 0], [800, 800, 800, 0]])


def test_depreciation_rejects_bad_inputs():
    with pytest.raises(ValueError, match="salvage_usd must not exceed purchase_usd"):
        straight_line_depreciation_usd(100, 200, 12, 12)
    with pytest.raises(ValueError, match="life_months must be a whole number"):
        straight_line_depreciation_usd(100, 0, 12.5, 12)
    with pytest.raises(ValueError, match="n_months must be a whole number >= 1"):
        straight_line_depreciation_usd(100, 0, 12, 0)


# --- power --------------------------------------------------------------------------------


def test_power_hand_case():
    # 10 kW x 1.3 x 730 h x 0.10 USD/kWh.
    assert power_usd_per_month(10.0, 1.3, 0.10) == pytest.approx(949.0)
    assert power_usd_per_month(10.0, 1.3, 0.10, hours_per_month=720) == pytest.approx(936.0)


def test_power_idle_model():
    assert power_usd_per_month(10.0, 1.3, 0.10, utilization=0.0) == pytest.approx(0.3 * 949.0)
    assert power_usd_per_month(
        10.0, 1.3, 0.10, utilization=0.0, idle_power_share=1.0
    ) == pytest.approx(949.0)
    assert power_usd_per_month(10.0, 1.3, 0.10, utilization=0.5) == pytest.approx(0.65 * 949.0)


def test_power_rejects_bad_inputs():
    with pytest.raises(ValueError, match="pue must lie in"):
        power_usd_per_month(10.0, 0.9, 0.10)
    with pytest.raises(ValueError, match="utilization must lie in"):
        power_usd_per_month(10.0, 1.3, 0.10, utilization=1.2)


@given(st.floats(0, 100), st.floats(1, 3), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))
def test_power_properties(kw, pue, price, load, idle):
    cost = power_usd_per_month(kw, pue, price, utilization=load, idle_power_share=idle)
    assert 0 <= cost <= power_usd_per_month(kw, pue, price) * (1 + 1e-12)
    busier = power_usd_per_month(
        kw, pue, price, utilization=min(1.0, load + 0.1), idle_power_share=idle
    )
    assert busier >= cost * (1 - 1e-12)


# --- cash flows ---------------------------------------------------------------------------


def test_cash_flows_within_one_life():
    flows = owned_cash_flows_usd(SERVER_USD, 25_000, 36, 36, 949.0, 1500.0, 300.0)
    assert flows.purchase_usd[0] == SERVER_USD
    assert flows.purchase_usd[1:].sum() == 0
    assert flows.salvage_usd[35] == -25_000
    assert flows.salvage_usd[:35].sum() == 0
    np.testing.assert_allclose(flows.power_usd, 949.0)
    np.testing.assert_allclose(flows.colocation_usd, 1500.0)
    np.testing.assert_allclose(flows.maintenance_usd, 300.0)
    assert flows.total_usd.sum() == pytest.approx(250_000 - 25_000 + 36 * 2749.0)


def test_cash_flows_horizon_shorter_than_life_credits_book_value():
    flows = owned_cash_flows_usd(SERVER_USD, 25_000, 36, 12, 949.0, 0.0)
    # After 12 of 36 months: 250,000 - 225,000 x 12 / 36 = 175,000 left.
    assert flows.salvage_usd[-1] == pytest.approx(-175_000)
    lost = owned_cash_flows_usd(SERVER_USD, 25_000, 36, 12, 949.0, 0.0, credit_residual_value=False)
    assert lost.salvage_usd.sum() == 0
    assert lost.total_usd.sum() - flows.total_usd.sum() == pytest.approx(175_000)


def test_cash_flows_with_and_without_renewal():
    renewed = owned_cash_flows_usd(SERVER_USD, 25_000, 36, 48, 949.0, 1500.0)
    assert renewed.purchase_usd[[0, 36]].tolist() == [SERVER_USD, SERVER_USD]
    assert renewed.salvage_usd[35] == -25_000
    # The second server, 12 months old at the horizon end, is worth 175,000.
    assert renewed.salvage_usd[47] == pytest.approx(-175_000)
    np.testing.assert_allclose(renewed.power_usd, 949.0)
    once = owned_cash_flows_usd(SERVER_USD, 25_000, 36, 48, 949.0, 1500.0, renew=False)
    assert once.purchase_usd.sum() == SERVER_USD
    assert once.salvage_usd.sum() == -25_000
    np.testing.assert_allclose(once.power_usd[36:], 0.0)
    np.testing.assert_allclose(once.total_usd[36:], 0.0)


def test_cash_flows_monthly_schedule_and_scenarios():
    power = np.array([[100.0, 110.0, 120.0], [200.0, 210.0, 220.0]])
    flows = owned_cash_flows_usd([[1000.0], [2000.0]], 0.0, [[12], [2]], 3, power, 0.0)
    assert flows.total_usd.shape == (2, 3)
    np.testing.assert_allclose(flows.power_usd, power)
    np.testing.assert_allclose(flows.purchase_usd, [[1000, 0, 0], [2000, 0, 2000]])
    # Scenario 0 is 3 months into a 12-month life at the end: 750 left.
    np.testing.assert_allclose(flows.salvage_usd[0], [0, 0, -750])
    # Scenario 1's second box is 1 month old at the end: 1000 left.
    np.testing.assert_allclose(flows.salvage_usd[1], [0, 0, -1000])


@given(
    st.floats(0, 1e6),
    st.floats(0, 1),
    st.integers(1, 60),
    st.integers(1, 120),
    st.booleans(),
)
def test_net_capital_equals_depreciation(purchase, salvage_share, life, n_months, renew):
    salvage = purchase * salvage_share
    flows = owned_cash_flows_usd(purchase, salvage, life, n_months, 0.0, 0.0, renew=renew)
    depreciation = straight_line_depreciation_usd(purchase, salvage, life, n_months, renew=renew)
    assert flows.total_usd.sum() == pytest.approx(depreciation.sum(), rel=1e-9, abs=1e-6)
    assert np.all(np.cumsum(flows.total_usd) >= -1e-6)  # never more back than was paid


@given(
    st.floats(1, 1e6),
    st.floats(0, 1),
    st.integers(1, 60),
    st.integers(1, 120),
    st.floats(0, 1e4),
    st.floats(0.01, 100),
)
def test_cash_flows_scale_and_add_up(purchase, salvage_share, life, n_months, running, k):
    args = (purchase, purchase * salvage_share, life, n_months, running, running / 2)
    flows = owned_cash_flows_usd(*args)
    parts = flows.purchase_usd + flows.salvage_usd + flows.power_usd + flows.colocation_usd
    np.testing.assert_allclose(parts + flows.maintenance_usd, flows.total_usd)
    scaled = owned_cash_flows_usd(
        *(k * a for a in args[:2]), life, n_months, k * running, k * running / 2
    )
    np.testing.assert_allclose(scaled.total_usd, k * flows.total_usd, rtol=1e-9, atol=1e-6)


# --- buy versus rent ----------------------------------------------------------------------


def test_buy_vs_rent_hand_case():
    owned = owned_cash_flows_usd(SERVER_USD, 50_000, 36, 36, 949.0, 1500.0).total_usd
    rent = 8 * 2.50 * 730  # 14,600 USD/month
    result = buy_vs_rent_usd(owned, rent)
    assert result.owned_npv_usd == pytest.approx(200_000 + 36 * 2449.0)
    assert result.rent_npv_usd == pytest.approx(36 * 14_600.0)
    # 250,000 + 2,449 (m + 1) <= 14,600 (m + 1) first at m = 20.
    cheaper = result.owned_cumulative_usd <= result.rent_cumulative_usd
    assert int(np.argmax(cheaper)) == 20
    assert not cheaper[19]


def test_buy_vs_rent_discounting_matches_npv():
    owned = owned_cash_flows_usd(SERVER_USD, 50_000, 36, 36, 949.0, 1500.0).total_usd
    rent = np.full(36, 14_600.0)
    result = buy_vs_rent_usd(owned, rent, 0.08)
    assert result.owned_npv_usd == pytest.approx(npv_usd(owned, 0.08))
    assert result.rent_npv_usd == pytest.approx(npv_usd(rent, 0.08))
    assert result.owned_cumulative_usd[-1] == pytest.approx(result.owned_npv_usd)


def test_buy_vs_rent_vectorized():
    owned = owned_cash_flows_usd([[200_000.0], [300_000.0]], 0.0, 36, 24, 949.0, 0.0).total_usd
    result = buy_vs_rent_usd(owned, 14_600.0, np.array([[0.0], [0.1]]))
    assert result.owned_cumulative_usd.shape == (2, 24)
    assert result.owned_npv_usd.shape == (2,)
    assert result.owned_npv_usd[1] == pytest.approx(npv_usd(owned[1], 0.1))


def test_buy_vs_rent_rejects_scalar():
    with pytest.raises(ValueError, match="trailing month axis"):
        buy_vs_rent_usd(5.0, 1.0)
