import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine.provisioning import (
    cold_starts_per_week,
    hourly_units_needed,
    provisioned_units,
)

DAY = [1.0] * 8 + [4.0] * 10 + [1.0] * 6
WEEK = DAY * 7


def test_units_needed_with_burst():
    # 900 tokens/s with a 1.5x burst inside the hour on 1,000 tokens/s units at 80%: 1,350 / 800.
    assert hourly_units_needed([900.0] * 168, 1000.0, 0.8, 1.5)[0] == 2.0
    assert hourly_units_needed([1e-9] * 168, 1000.0)[0] == 1.0


def test_static_pays_the_peak_every_hour():
    units = provisioned_units(WEEK, "static", min_units=2)
    assert units.shape == (168,)
    assert (units == 4.0).all()


def test_autoscale_follows_the_need_above_the_floor():
    units = provisioned_units(WEEK, "autoscale", min_units=2)
    assert units[:8].tolist() == [2.0] * 8
    assert units[8:18].tolist() == [4.0] * 10
    # 7 x (14 x 2 + 10 x 4) unit-hours instead of 168 x 4.
    assert units.sum() == 7 * (14 * 2 + 10 * 4)


def test_scale_step_and_lag():
    step = provisioned_units(WEEK, "autoscale", scale_step=3)
    assert set(step.tolist()) == {3.0, 6.0}
    lag = provisioned_units(WEEK, "autoscale", scale_up_lag_hours=1.5)  # rounds up to 2 h
    assert lag[6:8].tolist() == [4.0, 4.0]  # up two hours early
    assert lag[18] == 1.0  # down at once


def test_scale_to_zero_and_cold_starts():
    need = ([0.0] * 20 + [2.0] * 4) * 7
    units = provisioned_units(need, "scale_to_zero")
    assert units.sum() == 7 * 8
    assert cold_starts_per_week(units) == 7.0
    assert cold_starts_per_week(provisioned_units(need, "autoscale", min_units=1)) == 0.0
    with pytest.raises(ValueError, match="scale_to_zero runs no minimum"):
        provisioned_units(need, "scale_to_zero", min_units=1)


def test_bad_inputs():
    with pytest.raises(ValueError, match="unknown provisioning policy 'cron'"):
        provisioned_units(WEEK, "cron")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs 168 values"):
        provisioned_units(DAY, "autoscale")
    with pytest.raises(ValueError, match="scale_step must be a whole number >= 1"):
        provisioned_units(WEEK, "autoscale", scale_step=0)
    with pytest.raises(ValueError, match="burst_factor must lie in"):
        hourly_units_needed(WEEK, 1.0, 1.0, 0.5)


def test_static_takes_any_number_of_representative_hours():
    # One hour standing for a flat week runs what the 168 identical hours run.
    flat_week = provisioned_units([3.0] * 168, "static", min_units=4)
    one_hour = provisioned_units([3.0], "static", min_units=4)
    assert one_hour.tolist() == [4.0]
    assert np.all(flat_week == 4.0)
    assert provisioned_units(DAY, "static").max() == max(DAY)


needs = st.lists(st.integers(0, 20).map(float), min_size=168, max_size=168)


@given(needs, st.integers(0, 5), st.integers(1, 4), st.floats(0, 6))
def test_policies_cover_the_need_and_autoscale_never_costs_more(need, floor, step, lag):
    static = provisioned_units(need, "static", min_units=floor)
    auto = provisioned_units(
        need, "autoscale", min_units=floor, scale_step=step, scale_up_lag_hours=lag
    )
    assert (auto >= np.asarray(need)).all()
    assert (static >= np.asarray(need)).all()
    assert (auto >= floor).all()
    if step == 1:
        assert auto.sum() <= static.sum()
    zero = provisioned_units(need, "scale_to_zero")
    assert zero.sum() <= provisioned_units(need, "autoscale").sum() + 1e-9


@given(st.lists(needs, min_size=1, max_size=4))
def test_vectorized_equals_one_profile_at_a_time(profiles):
    batch = provisioned_units(np.array(profiles), "autoscale", min_units=1, scale_up_lag_hours=2)
    for row, profile in zip(batch, profiles, strict=True):
        np.testing.assert_array_equal(
            row, provisioned_units(profile, "autoscale", min_units=1, scale_up_lag_hours=2)
        )
