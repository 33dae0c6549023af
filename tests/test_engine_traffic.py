import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine import peak_to_mean
from llmtco.engine.traffic import (
    PROFILE_NAMES,
    named_profile,
    normalized_profile,
    two_level_profile,
)


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_named_profiles_have_mean_one(name):
    profile = named_profile(name)
    assert profile.shape == (168,)
    assert profile.mean() == pytest.approx(1.0)
    assert (profile >= 0).all()


def test_named_profile_shapes():
    assert peak_to_mean(named_profile("flat")) == pytest.approx(1.0)
    office = named_profile("business_hours")
    assert office[24 * 2 + 10] == pytest.approx(10 * office[24 * 2 + 3])  # Wednesday 10:00 vs 03:00
    assert peak_to_mean(named_profile("batch_window")) > peak_to_mean(office) > 1


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(ValueError, match="known profiles: flat, business_hours"):
        named_profile("weekend")


def test_two_level_profile_hand_case():
    # 40 busy hours at 4, 128 at (168 - 160) / 128 = 0.0625.
    profile = two_level_profile(4.0)
    assert sorted(set(profile.tolist())) == [0.0625, 4.0]
    assert (profile == 4.0).sum() == 40
    assert peak_to_mean(profile) == pytest.approx(4.0)


def test_two_level_profile_bounds():
    with pytest.raises(ValueError, match=r"peak_to_mean must lie in \[1, 4.2\]"):
        two_level_profile(5.0)


def test_normalized_profile_checks():
    with pytest.raises(ValueError, match="needs 168 values"):
        normalized_profile([1.0] * 24)
    with pytest.raises(ValueError, match="mean of hour_of_week"):
        normalized_profile([0.0] * 168)


@given(st.floats(1.0, 4.2), st.integers(1, 8))
def test_two_level_profiles_keep_their_ratio(ratio, busy):
    if ratio > 168 / (5 * busy):
        return
    profile = two_level_profile(ratio, busy)
    assert profile.mean() == pytest.approx(1.0)
    assert peak_to_mean(profile) == pytest.approx(ratio)


@given(st.lists(st.floats(0, 100), min_size=168, max_size=168), st.floats(0.1, 10))
def test_normalization_is_scale_invariant(values, k):
    if sum(values) < 1e-6:  # all (near) zero: no profile, and subnormals underflow when scaled
        return
    np.testing.assert_allclose(normalized_profile(values), normalized_profile(np.array(values) * k))
