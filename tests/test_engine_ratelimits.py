import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtco.engine.ratelimits import peak_minute_rate, throttled_share, tier_needed
from llmtco.engine.traffic import named_profile, two_level_profile

# 4.32M requests a month over 730 h = 43,800 min is 98.63 requests/min on average.
VOLUME = 4.32e6
MEAN_PER_MIN = VOLUME / (730 * 60)

volumes = st.floats(0.0, 1e12, allow_nan=False)
limits = st.floats(1e-3, 1e10, allow_nan=False)
bursts = st.floats(1.0, 10.0, allow_nan=False)
months = st.floats(600.0, 800.0)


@st.composite
def profiles(draw: st.DrawFn) -> np.ndarray:
    """A 168-hour profile, any scale, not all zero."""
    values = np.array(draw(st.lists(st.floats(0.0, 10.0), min_size=168, max_size=168)))
    if values.sum() < 1e-3:
        values[draw(st.integers(0, 167))] = 1.0
    return values


def brute_force_share(per_month, limit, hour_of_week, hours_per_month, burst, n_minutes):
    """Throttled share summed minute by minute, without the closed form.

    In an hour with mean rate m, a share ``1 - s`` of the minutes is idle and the active minutes
    are split into ``n_minutes`` equal groups whose rates m x u step evenly through the uniform
    range ``[lo, b]`` (group midpoints). Each group's excess over the limit is summed.
    """
    profile = np.asarray(hour_of_week, dtype=float)
    profile = profile / profile.mean()
    lo = max(0.0, 2.0 - burst)
    s = 2.0 / (lo + burst)
    u = lo + (np.arange(n_minutes) + 0.5) / n_minutes * (burst - lo)  # active minutes
    weight = s / n_minutes  # share of the hour's minutes in each group
    assert weight * u.sum() == pytest.approx(1.0)  # the shape has mean 1
    rates = per_month / (hours_per_month * 60) * profile[:, None] * u[None, :]  # (168, n)
    return weight * np.maximum(rates - limit, 0.0).sum() / (weight * rates.sum())


# --- peak_minute_rate -------------------------------------------------------------------------


def test_peak_minute_rate_hand_cases():
    # Flat: 4.32e6 / 43,800 min = 98.63 requests/min.
    assert peak_minute_rate(VOLUME, None) == pytest.approx(98.630137, rel=1e-7)
    assert peak_minute_rate(VOLUME, [1.0] * 168) == pytest.approx(98.630137, rel=1e-7)
    # A 4x office peak and 1.5x minute bursts: 98.63 x 4 x 1.5 = 591.78.
    assert peak_minute_rate(VOLUME, two_level_profile(4.0), burst_factor=1.5) == pytest.approx(
        591.78082, rel=1e-7
    )
    # A 720-hour month: 4.32e6 / 43,200 = 100 requests/min.
    assert peak_minute_rate(VOLUME, None, hours_per_month=720) == pytest.approx(100.0)
    # Any scale of the profile: it is scaled to a mean of 1.
    assert peak_minute_rate(VOLUME, two_level_profile(4.0) * 7) == pytest.approx(
        peak_minute_rate(VOLUME, two_level_profile(4.0))
    )


def test_peak_minute_rate_broadcasts():
    volume = np.array([[1e6], [2e6]])  # (2, 1)
    burst = np.array([1.0, 2.0, 3.0])  # (3,)
    peak = peak_minute_rate(volume, named_profile("business_hours"), burst_factor=burst)
    assert peak.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            expected = peak_minute_rate(
                float(volume[i, 0]), named_profile("business_hours"), burst_factor=burst[j]
            )
            assert peak[i, j] == pytest.approx(expected)
    # Leading axes on the profile broadcast too.
    stacked = np.stack([named_profile("flat"), two_level_profile(4.0)])
    np.testing.assert_allclose(peak_minute_rate(VOLUME, stacked), MEAN_PER_MIN * np.array([1, 4]))
    assert isinstance(peak_minute_rate(VOLUME, None), float)


# --- throttled_share: hand cases --------------------------------------------------------------


def test_flat_traffic_no_burst_throttles_the_excess_over_the_limit():
    # Every minute carries 98.63 requests; a 60 requests/min limit refuses 38.63 of them:
    # 1 - 60 / 98.63 = 0.3917.
    share = throttled_share(VOLUME, 60.0, None)
    assert share == pytest.approx(1 - 60 / MEAN_PER_MIN)
    assert share == pytest.approx(0.39167, abs=1e-5)
    assert isinstance(share, float)


def test_within_the_limit_nothing_is_throttled():
    assert throttled_share(VOLUME, 100.0, None) == 0.0  # 98.63 < 100
    assert throttled_share(VOLUME, MEAN_PER_MIN, None) == 0.0  # exactly at the limit
    assert throttled_share(VOLUME, float("inf"), two_level_profile(4.0), burst_factor=5.0) == 0.0
    assert throttled_share(0.0, 1.0, None) == 0.0  # no volume, nothing throttled
    assert throttled_share(VOLUME, 0.0, None, burst_factor=3.0) == pytest.approx(1.0)


def test_two_level_profile_throttles_only_the_busy_hours():
    # 40 busy hours at 4 x 98.63 = 394.5 requests/min, 128 quiet hours at 6.16 requests/min.
    # A 200 requests/min limit (flat minutes) refuses 394.5 - 200 in each busy minute:
    # share = 40 x (4 - 200 / 98.63) / 168 = 0.4696.
    share = throttled_share(VOLUME, 200.0, two_level_profile(4.0))
    assert share == pytest.approx(40 * (4 - 200 / MEAN_PER_MIN) / 168)
    assert share == pytest.approx(0.46957, abs=1e-5)


def test_burst_below_two_is_uniform_minutes():
    # b = 1.5: minutes uniform on [0.5, 1.5] x 98.63 = [49.3, 147.9]. A 120 limit cuts the top:
    # excess per minute = (147.9 - 120)^2 / (2 x 98.63) = 3.959, share 3.959 / 98.63 = 0.0401.
    m = MEAN_PER_MIN
    expected = (1.5 * m - 120) ** 2 / (2 * m * 1.0) / m
    assert throttled_share(VOLUME, 120.0, None, burst_factor=1.5) == pytest.approx(expected)
    assert expected == pytest.approx(0.040139, abs=1e-6)
    # A limit below the slowest minute (40 < 49.3): every minute over, share 1 - 40 / 98.63.
    assert throttled_share(VOLUME, 40.0, None, burst_factor=1.5) == pytest.approx(1 - 40 / m)
    # b = 2, limit at the mean: u uniform on [0, 2], E[max(0, u - 1)] = 1 / 4.
    assert throttled_share(VOLUME, m, None, burst_factor=2.0) == pytest.approx(0.25)


def test_burst_above_two_has_idle_minutes():
    # b = 3: a third of the minutes idle, two thirds uniform on [0, 3] x mean. Limit at the mean:
    # E[max(0, u - 1)] over U[0, 3] = 2^2 / (2 x 3) = 2/3, times 2/3 active = 4/9.
    assert throttled_share(VOLUME, MEAN_PER_MIN, None, burst_factor=3.0) == pytest.approx(4 / 9)
    # b = 4, no limit to speak of (0): everything throttled.
    assert throttled_share(VOLUME, 0.0, None, burst_factor=4.0) == pytest.approx(1.0)


def test_shape_is_continuous_at_a_burst_of_two():
    below = throttled_share(VOLUME, 150.0, two_level_profile(2.0), burst_factor=2.0 - 1e-9)
    above = throttled_share(VOLUME, 150.0, two_level_profile(2.0), burst_factor=2.0 + 1e-9)
    assert below == pytest.approx(above, abs=1e-7)


@pytest.mark.parametrize("burst", [1.0, 1.3, 2.0, 2.5, 4.0, 9.0])
@pytest.mark.parametrize("limit", [0.0, 30.0, 98.0, 150.0, 400.0, 2000.0])
@pytest.mark.parametrize("profile", ["flat", "business_hours", "diurnal_consumer"])
def test_closed_form_matches_a_minute_by_minute_sum(burst, limit, profile):
    hours = named_profile(profile)
    closed = throttled_share(VOLUME, limit, hours, burst_factor=burst)
    # 60 minutes an hour over the week: the midpoint rule is close but not exact at the kink.
    minutes = brute_force_share(VOLUME, limit, hours, 730.0, burst, 60)
    assert closed == pytest.approx(minutes, abs=2e-3)
    # 20,000 slices an hour: agrees to 1e-6.
    fine = brute_force_share(VOLUME, limit, hours, 730.0, burst, 20_000)
    assert closed == pytest.approx(fine, rel=1e-6, abs=1e-9)


# --- throttled_share: properties --------------------------------------------------------------


@given(volumes, limits, profiles(), months, bursts)
def test_share_is_a_share_and_zero_below_the_peak(volume, limit, profile, hours, burst):
    share = throttled_share(volume, limit, profile, hours, burst)
    assert 0.0 <= share <= 1.0
    peak = peak_minute_rate(volume, profile, hours, burst)
    if peak <= limit:
        assert share == 0.0
    assert throttled_share(volume, peak, profile, hours, burst) == 0.0
    assert throttled_share(volume, peak * 1.01, profile, hours, burst) == 0.0


@given(volumes, volumes, limits, profiles(), bursts)
def test_share_does_not_fall_with_volume(v1, v2, limit, profile, burst):
    low, high = sorted((v1, v2))
    assert (
        throttled_share(low, limit, profile, burst_factor=burst)
        <= throttled_share(high, limit, profile, burst_factor=burst) + 1e-12
    )


@given(volumes, limits, limits, profiles(), bursts)
def test_share_does_not_rise_with_the_limit(volume, l1, l2, profile, burst):
    low, high = sorted((l1, l2))
    assert (
        throttled_share(volume, high, profile, burst_factor=burst)
        <= throttled_share(volume, low, profile, burst_factor=burst) + 1e-12
    )


@given(volumes, limits, profiles(), bursts, st.floats(1e-3, 1e3))
def test_share_is_scale_invariant(volume, limit, profile, burst, k):
    base = throttled_share(volume, limit, profile, burst_factor=burst)
    scaled = throttled_share(volume * k, limit * k, profile, burst_factor=burst)
    assert scaled == pytest.approx(base, abs=1e-9)


@settings(deadline=None)  # builds a (168, 4000) array per example
@given(st.floats(1e-3, 1e12), limits, profiles(), bursts)
def test_share_matches_a_fine_brute_force_sum(volume, limit, profile, burst):
    # Volumes start at 1e-3: a subnormal volume underflows the brute-force sum to 0 / 0.
    share = throttled_share(volume, limit, profile, burst_factor=burst)
    assert share == pytest.approx(
        brute_force_share(volume, limit, profile, 730.0, burst, 4_000), abs=1e-4
    )


def test_vectorised_equals_scalar():
    volume = np.array([[1e5], [4.32e6], [5e7]])  # (3, 1)
    limit = np.array([10.0, 60.0, 200.0, np.inf])  # (4,)
    profile = np.stack([named_profile("flat"), named_profile("business_hours")])[:, None, None]
    assert profile.shape == (2, 1, 1, 168)
    burst = np.array([1.0, 2.5])[:, None, None]  # (2, 1, 1)
    shares = throttled_share(volume, limit, named_profile("diurnal_consumer"), 720.0, burst)
    assert shares.shape == (2, 3, 4)
    for b in range(2):
        for i in range(3):
            for j in range(4):
                expected = throttled_share(
                    float(volume[i, 0]),
                    float(limit[j]),
                    named_profile("diurnal_consumer"),
                    720.0,
                    float(burst[b, 0, 0]),
                )
                assert shares[b, i, j] == pytest.approx(expected, abs=1e-15)
    # Leading axes of the profile broadcast with the other arguments: (2, 1, 1, 168) -> (2, 3, 4).
    per_profile = throttled_share(volume, limit, profile, 730.0)
    assert per_profile.shape == (2, 3, 4)
    for p, name in enumerate(("flat", "business_hours")):
        expected = throttled_share(volume, limit, named_profile(name))
        np.testing.assert_allclose(per_profile[p], expected)


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"per_month": -1.0}, "per_month must be a finite number >= 0"),
        ({"per_month": "many"}, "per_month must be a number"),
        ({"limit_per_minute": -5.0}, "limit_per_minute must be a number >= 0"),
        ({"limit_per_minute": float("nan")}, "limit_per_minute"),
        ({"hour_of_week": [1.0] * 24}, "hour_of_week needs 168 values"),
        ({"hour_of_week": [0.0] * 168}, "mean of hour_of_week"),
        ({"hours_per_month": 0.0}, "hours_per_month must be a finite number > 0"),
        ({"burst_factor": 0.5}, "burst_factor must be a finite number >= 1"),
        ({"burst_factor": float("inf")}, "burst_factor must be a finite number > 0"),
    ],
)
def test_throttled_share_errors_name_the_argument(kwargs, message):
    args = {
        "per_month": VOLUME,
        "limit_per_minute": 60.0,
        "hour_of_week": None,
        "hours_per_month": 730.0,
        "burst_factor": 1.0,
    } | kwargs
    with pytest.raises(ValueError, match=message):
        throttled_share(**args)
    if "limit_per_minute" not in kwargs:
        del args["limit_per_minute"]
        with pytest.raises(ValueError, match=message):
            peak_minute_rate(**args)


# --- tier_needed --------------------------------------------------------------------------------

# OpenAI-style tiers of (requests/min, tokens/min), smallest first.
TIERS = [[500, 30_000], [5_000, 450_000], [5_000, 800_000], [10_000, 2_000_000]]


def test_tier_needed_hand_cases():
    assert tier_needed([100.0, 10_000.0], TIERS) == 0
    assert tier_needed([500.0, 30_000.0], TIERS) == 0  # exactly at the limits fits
    assert tier_needed([501.0, 10_000.0], TIERS) == 1  # requests decide
    assert tier_needed([100.0, 500_000.0], TIERS) == 2  # tokens decide
    assert tier_needed([10_001.0, 0.0], TIERS) == -1
    assert tier_needed([0.0, 0.0], np.empty((0, 2))) == -1
    assert isinstance(tier_needed([0.0, 0.0], TIERS), int)


def test_tier_needed_no_limit_of_a_kind():
    # Anthropic-style (requests, input tokens, output tokens); tier 0 lists no output limit.
    tiers = [[50, 30_000, np.nan], [1_000, 450_000, 90_000], [np.inf, np.inf, np.inf]]
    assert tier_needed([40.0, 20_000.0, 1e9], tiers) == 0
    assert tier_needed([60.0, 20_000.0, 100_000.0], tiers) == 2
    assert tier_needed([1e12, 1e12, 1e12], tiers) == 2


def test_tier_needed_vectorised():
    peaks = np.array([[100.0, 10_000.0], [501.0, 10_000.0], [1e6, 0.0]])
    result = tier_needed(peaks, TIERS)
    assert result.tolist() == [0, 1, -1]
    assert [tier_needed(p, TIERS) for p in peaks] == result.tolist()
    assert tier_needed(peaks.reshape(3, 1, 2), TIERS).shape == (3, 1)


def test_tier_needed_errors():
    with pytest.raises(ValueError, match="limits_per_minute must be shaped"):
        tier_needed([1.0, 2.0, 3.0], TIERS)
    with pytest.raises(ValueError, match="peak_per_minute must have a last axis"):
        tier_needed(1.0, TIERS)
    with pytest.raises(ValueError, match="peak_per_minute must be a number >= 0"):
        tier_needed([-1.0, 0.0], TIERS)
    with pytest.raises(ValueError, match="limits_per_minute must be a finite number > 0"):
        tier_needed([1.0, 1.0], [[0.0, 1.0]])


@given(st.lists(st.floats(0, 1e7), min_size=2, max_size=2))
def test_tier_needed_returns_the_first_tier_that_fits(peak):
    index = tier_needed(peak, TIERS)
    fits = [all(lim >= p for lim, p in zip(row, peak, strict=True)) for row in TIERS]
    assert index == (fits.index(True) if any(fits) else -1)
