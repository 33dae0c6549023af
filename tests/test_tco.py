import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtco import (
    ApiOption,
    Labor,
    Scenario,
    ScenarioError,
    SelfHostedOption,
    UnknownIdError,
    Workload,
    compare,
    default_scenario,
)
from llmtco.models import Growth, Traffic

# Hand-worked case (test catalog): a 720-hour month has 2,592,000 s. 2.592e9 output tokens a
# month is a mean of 1,000 tokens/s; with input_share 0.75 the volume is 10.368e9 tokens.
VOLUME = 10.368e9


def hand_scenario(**overrides):
    fields = {
        "name": "hand",
        "horizon_months": 12,
        "hours_per_month": 720,
        "workload": Workload(
            tokens_per_month=VOLUME, input_share=0.75, traffic=Traffic(peak_to_mean=2.0)
        ),
        "options": {
            "api": ApiOption(model="test/api"),
            "self": SelfHostedOption(
                instance="test/box-1",
                serving_profile="test/model@gpu-x1",
                target_utilization=0.8,
                min_replicas=1,
                labor=Labor(fte=0.5, usd_per_fte_year=120_000),
                setup_usd=10_000,
                overheads_usd_per_month={"monitoring": 100},
            ),
        },
    }
    return Scenario(**(fields | overrides))


def test_hand_worked_api_month(test_catalog):
    result = compare(hand_scenario(), test_catalog)
    api = result.by_component("api").iloc[0]
    # 7.776e9 input x 2 + 2.592e9 output x 10 USD/Mtok.
    assert api["api_input"] == pytest.approx(15_552.0)
    assert api["api_output"] == pytest.approx(25_920.0)
    assert api["api_cached_input"] == 0.0
    assert result.totals.loc["api", "month0_usd"] == pytest.approx(41_472.0)


def test_hand_worked_self_hosted_month(test_catalog):
    result = compare(hand_scenario(), test_catalog)
    month0 = result.by_component("self").iloc[0]
    # Peak 2,000 tokens/s on replicas of 1,000 at 80%: ceil(2.5) = 3 replicas x 2 USD/h x 720 h
    # = 4,320 USD, one third of it used (1,000 of 3,000 tokens/s).
    assert month0["gpu_used"] == pytest.approx(1_440.0)
    assert month0["gpu_idle"] == pytest.approx(2_880.0)
    assert month0["labor"] == pytest.approx(5_000.0)
    assert month0["overhead:monitoring"] == pytest.approx(100.0)
    assert month0["setup"] == pytest.approx(10_000.0)
    assert result.by_component("self").iloc[1]["setup"] == 0.0
    assert result.totals.loc["self", "month0_usd"] == pytest.approx(19_420.0)
    assert result.totals.loc["self", "total_usd"] == pytest.approx(19_420.0 + 11 * 9_420.0)
    capacity = result.capacity.iloc[0]
    assert capacity["replicas"] == 3
    assert capacity["instances"] == 3
    assert capacity["gpu_hours"] == pytest.approx(2160.0)
    assert capacity["utilization"] == pytest.approx(1 / 3)


def test_hand_worked_break_even_and_payback(test_catalog):
    [pair] = compare(hand_scenario(), test_catalog).pairs
    # Blended 0.75 x 2 + 0.25 x 10 = 4 USD/Mtok. One replica carries
    # 1,000 x 0.8 x 2,592,000 / (2 x 0.25) = 4.1472e9 tokens/month for 1,440 USD; fixed 5,100.
    # Step 2 onward is cheaper over its whole width; the root in step 1 is 6,540 / 4e-6.
    assert pair.api_usd_per_mtok == pytest.approx(4.0)
    assert pair.break_even_tokens_per_month == pytest.approx(1.635e9)
    # Self-hosting is cheaper from month 0 despite its setup: payback at once.
    assert pair.payback_month == 0.0
    assert pair.payback_within_horizon


def test_packing_replicas_into_instances(test_catalog):
    # Two 2-GPU replicas of 1,500 tokens/s fit a 4-GPU box (3,000 tokens/s for 8 USD/h).
    scenario = hand_scenario(
        options={
            "self": SelfHostedOption(
                instance="test/box-4",
                serving_profile="test/model@gpu-x2",
                target_utilization=0.8,
                min_replicas=1,
                labor=Labor(fte=0),
            )
        }
    )
    result = compare(scenario, test_catalog)
    capacity = result.capacity.iloc[0]
    # Peak 2,000 tokens/s needs ceil(2,000 / 2,400) = 1 box = 2 replicas.
    assert (capacity["instances"], capacity["replicas"], capacity["gpus"]) == (1, 2, 4)
    assert result.totals.loc["self", "month0_usd"] == pytest.approx(8.0 * 720)


def test_multi_instance_replica(test_catalog):
    # A 2-GPU replica on 1-GPU boxes spans two of them.
    scenario = hand_scenario(
        options={
            "self": SelfHostedOption(
                instance="test/box-1",
                serving_profile="test/model@gpu-x2",
                min_replicas=3,
                labor=Labor(fte=0),
            )
        }
    )
    capacity = compare(scenario, test_catalog).capacity.iloc[0]
    assert (capacity["replicas"], capacity["instances"], capacity["gpus"]) == (3, 6, 6)


def test_cached_and_batch_shares(test_catalog):
    workload = Workload(tokens_per_month=1e9, input_share=0.5, cached_input_share=0.5)
    scenario = hand_scenario(
        workload=workload, options={"api": ApiOption(model="test/api", batch_share=0.5)}
    )
    month0 = compare(scenario, test_catalog).by_component("api").iloc[0]
    # 0.25e9 uncached input at (2 + 1) / 2, 0.25e9 cached at 1, 0.5e9 output at (10 + 5) / 2.
    assert month0["api_input"] == pytest.approx(375.0)
    assert month0["api_cached_input"] == pytest.approx(250.0)
    assert month0["api_output"] == pytest.approx(3_750.0)


def test_growth_and_discounting(test_catalog):
    workload = Workload(
        tokens_per_month=1e9, input_share=0.5, growth=Growth(multipliers=[1, 2, 3, 0])
    )
    scenario = hand_scenario(
        workload=workload,
        horizon_months=4,
        discount_rate_per_year=0.12,
        options={"api": ApiOption(model="test/api")},
    )
    result = compare(scenario, test_catalog)
    monthly = result.by_option()["api"].to_numpy()
    np.testing.assert_allclose(monthly, np.array([1, 2, 3, 0]) * 6_000.0)
    expected_npv = sum(m * 1.12 ** (-i / 12) for i, m in enumerate(monthly))
    assert result.totals.loc["api", "npv_usd"] == pytest.approx(expected_npv)


def test_hour_of_week_profile_sets_the_peak(test_catalog):
    profile = [0.0, 2.0] * 84  # mean 1, peak 2
    scenario = hand_scenario(
        workload=Workload(
            tokens_per_month=VOLUME, input_share=0.75, traffic=Traffic(hour_of_week=profile)
        )
    )
    capacity = compare(scenario, test_catalog).capacity.iloc[0]
    assert capacity["peak_output_tokens_per_s"] == pytest.approx(2_000.0)


def test_horizon_override(test_catalog):
    result = compare(hand_scenario(), test_catalog, horizon_months=3)
    assert result.horizon_months == 3
    assert result.monthly["month"].max() == 2


def test_errors_name_the_option(test_catalog):
    scenario = hand_scenario(options={"x": ApiOption(model="test/apj")})
    with pytest.raises(UnknownIdError, match=r"options.x.model: unknown api price id.*test/api"):
        compare(scenario, test_catalog)
    scenario = hand_scenario(
        options={
            "x": SelfHostedOption(
                instance="test/box-4",
                serving_profile="test/model@gpu-x1",
                purchase="spot",
                spot={"interruption_rate_per_hour": 0.02},
                labor=Labor(fte=0),
            )
        }
    )
    with pytest.raises(ScenarioError, match=r"options\.x\.purchase: instance test/box-4 has no"):
        compare(scenario, test_catalog)


def test_default_scenario_runs_on_the_packaged_catalog():
    result = compare(default_scenario())
    assert set(result.totals.index) == set(default_scenario().options)
    assert (result.monthly["usd"] >= 0).all()
    assert len(result.pairs) == 4
    assert result.monthly.attrs["unit"] == "USD/month"


@settings(max_examples=40, deadline=None)
@given(
    st.floats(0.5, 0.95),
    st.floats(1.0, 4.0),
    st.floats(0.3, 1.0),
    st.integers(0, 4),
    st.floats(0, 3.0),
    st.floats(0, 20_000),
)
def test_compare_break_even_equalises_compare_costs(
    test_catalog, input_share, peak, target, floor, fte_api, overhead
):
    """At the volume compare reports as break-even, compare's own monthly costs are equal."""

    def scenario(volume):
        return Scenario(
            name="p",
            horizon_months=1,
            workload=Workload(
                tokens_per_month=volume,
                input_share=input_share,
                traffic=Traffic(peak_to_mean=peak),
            ),
            options={
                "api": ApiOption(
                    model="test/api",
                    labor=Labor(fte=fte_api, usd_per_fte_year=60_000),
                ),
                "self": SelfHostedOption(
                    instance="test/box-4",
                    serving_profile="test/model@gpu-x2",
                    target_utilization=target,
                    min_replicas=floor,
                    overheads_usd_per_month={"ops": overhead},
                    labor=Labor(fte=0),
                ),
            },
        )

    [pair] = compare(scenario(1e9), test_catalog).pairs
    volume = pair.break_even_tokens_per_month
    if not math.isfinite(volume) or volume == 0:
        return
    totals = compare(scenario(volume), test_catalog).totals["month0_usd"]
    assert totals["self"] == pytest.approx(totals["api"], rel=1e-6)
    # And a little beyond it, self-hosting is no dearer.
    beyond = compare(scenario(volume * 1.37), test_catalog).totals["month0_usd"]
    assert beyond["self"] <= beyond["api"] * (1 + 1e-9)


def test_zero_batch_price_is_a_price_not_a_missing_value(tmp_path, test_catalog_file):
    free_batch = tmp_path / "free.yaml"
    free_batch.write_text(
        "api_prices:\n"
        "  - id: test/free-batch\n    provider: test\n    model: free-batch\n"
        "    input_usd_per_mtok: 2.0\n    output_usd_per_mtok: 10.0\n"
        "    batch:\n      input_usd_per_mtok: 0.0\n      output_usd_per_mtok: 0.0\n"
        "    source: test\n    checked: 2026-11-01\n"
    )
    from llmtco import load_catalog

    catalog = load_catalog(test_catalog_file, free_batch, include_packaged=False)
    scenario = hand_scenario(options={"api": ApiOption(model="test/free-batch", batch_share=1.0)})
    assert compare(scenario, catalog).totals.loc["api", "total_usd"] == 0.0


# --- billing rules through compare -------------------------------------------------------------

RULES_CATALOG = """\
api_prices:
  - id: test/cliff
    provider: test
    model: cliff
    input_usd_per_mtok: 2.0
    output_usd_per_mtok: 10.0
    request_usd: 0.001
    flex:
      input_usd_per_mtok: 1.0
      output_usd_per_mtok: 5.0
    long_context:
      - above_input_tokens: 100000
        input_usd_per_mtok: 4.0
        output_usd_per_mtok: 20.0
    source: test
    checked: 2026-11-01
  - id: test/offpeak
    provider: test
    model: offpeak
    input_usd_per_mtok: 1.0
    output_usd_per_mtok: 2.0
    off_peak:
      hours_utc: "00:00-12:00"
      input_usd_per_mtok: 0.5
      output_usd_per_mtok: 1.0
    source: test
    checked: 2026-11-01
"""


@pytest.fixture
def rules_catalog(tmp_path, test_catalog_file):
    from llmtco import load_catalog

    path = tmp_path / "rules.yaml"
    path.write_text(RULES_CATALOG)
    return load_catalog(test_catalog_file, path, include_packaged=False)


def requests_workload(input_tokens, **traffic):
    return Workload(
        requests_per_month=1000,
        input_tokens_per_request=input_tokens,
        output_tokens_per_request=1000,
        traffic=Traffic(**traffic),
    )


def test_mean_prompt_selects_the_cliff_and_fees_are_billed(rules_catalog):
    def month0(input_tokens, tier="standard"):
        scenario = hand_scenario(
            workload=requests_workload(input_tokens),
            options={"api": ApiOption(model="test/cliff", tier=tier)},
        )
        return compare(scenario, rules_catalog).by_component("api").iloc[0]

    small = month0(50_000)  # 1000 x (50k x 2 + 1k x 10) / 1e6 + 1000 x 0.001
    assert small["api_input"] == pytest.approx(100.0)
    assert small["api_output"] == pytest.approx(10.0)
    assert small["api_request_fees"] == pytest.approx(1.0)
    large = month0(150_000)  # above 100k: every token at 4 / 20
    assert large["api_input"] == pytest.approx(600.0)
    assert large["api_output"] == pytest.approx(20.0)
    flex = month0(50_000, tier="flex")
    assert flex["api_input"] == pytest.approx(50.0)


def test_per_request_fee_needs_requests(rules_catalog):
    scenario = hand_scenario(options={"api": ApiOption(model="test/cliff")})
    with pytest.raises(
        ScenarioError, match=r"bills 0\.001 USD per request, but the workload is given"
    ):
        compare(scenario, rules_catalog)


def test_missing_tier_is_a_scenario_error(rules_catalog):
    scenario = hand_scenario(
        workload=requests_workload(1_000),
        options={"api": ApiOption(model="test/cliff", tier="priority")},
    )
    with pytest.raises(ScenarioError, match=r"options\.api\.tier: test/cliff has no priority"):
        compare(scenario, rules_catalog)


def test_off_peak_share_from_the_traffic_profile(rules_catalog):
    def input_usd(**traffic):
        scenario = hand_scenario(
            workload=requests_workload(1_000_000, **traffic),
            options={"api": ApiOption(model="test/offpeak")},
        )
        return compare(scenario, rules_catalog).by_component("api").iloc[0]["api_input"]

    # 1e9 input tokens a month at 1.0, or 0.5 in the 00:00-12:00 UTC window.
    assert input_usd() == pytest.approx(750.0)  # flat: half the day off-peak
    night = ([1.0] * 12 + [0.0] * 12) * 7  # all traffic 00:00-12:00 local
    assert input_usd(hour_of_week=night) == pytest.approx(500.0)
    # The same local profile in UTC-12 arrives 12:00-24:00 UTC: all at peak.
    assert input_usd(hour_of_week=night, utc_offset_hours=-12) == pytest.approx(1000.0)


def test_prices_as_of_reprices_the_past(tmp_path, test_catalog_file):
    import datetime as dt

    path = tmp_path / "history.yaml"
    path.write_text(
        RULES_CATALOG.split("  - id: test/offpeak")[0].replace(
            "    source: test\n",
            "    effective_from: 2026-06-01\n"
            "    history:\n"
            "      - end: 2026-06-01\n"
            "        input_usd_per_mtok: 8.0\n"
            "        output_usd_per_mtok: 40.0\n"
            "    source: test\n",
            1,
        )
    )
    scenario = Scenario.from_dict(
        hand_scenario(
            workload=requests_workload(50_000),
            options={"api": ApiOption(model="test/cliff")},
        ).model_dump()
        | {
            "prices_as_of": dt.date(2026, 1, 1),
            "catalog_paths": [str(test_catalog_file), str(path)],
        }
    )
    from llmtco import load_catalog

    old = compare(
        scenario,
        load_catalog(test_catalog_file, path, include_packaged=False, as_of=dt.date(2026, 1, 1)),
    )
    assert old.by_component("api").iloc[0]["api_input"] == pytest.approx(400.0)
    now = compare(
        scenario.model_copy(update={"prices_as_of": None}),
        load_catalog(test_catalog_file, path, include_packaged=False),
    )
    assert now.by_component("api").iloc[0]["api_input"] == pytest.approx(100.0)


def test_passed_catalog_must_match_prices_as_of(test_catalog):
    import datetime as dt

    scenario = hand_scenario(prices_as_of=dt.date(2020, 1, 1))
    with pytest.raises(ScenarioError, match="prices_as_of is 2020-01-01 but the catalog passed in"):
        compare(scenario, test_catalog)


def test_flex_past_a_cliff_is_a_scenario_error(rules_catalog):
    scenario = hand_scenario(
        workload=requests_workload(150_000),
        options={"api": ApiOption(model="test/cliff", tier="flex")},
    )
    with pytest.raises(ScenarioError, match=r"options\.api\.tier: test/cliff lists no flex prices"):
        compare(scenario, rules_catalog)


# --- traffic shape and provisioning --------------------------------------------------------------


def shaped_scenario(policy="static", **traffic):
    from llmtco.models.scenario import Provisioning

    return hand_scenario(
        workload=Workload(tokens_per_month=VOLUME, input_share=0.75, traffic=Traffic(**traffic)),
        options={
            "api": ApiOption(model="test/api"),
            "self": SelfHostedOption(
                instance="test/box-1",
                serving_profile="test/model@gpu-x1",
                target_utilization=0.8,
                min_replicas=0 if policy == "scale_to_zero" else 1,
                provisioning=Provisioning(policy=policy, cold_start_usd=5.0),
                labor=Labor(fte=0),
            ),
        },
    )


def test_four_to_one_peak_static_versus_autoscaled(test_catalog):
    from llmtco.engine.traffic import two_level_profile

    office = two_level_profile(4.0).tolist()  # 40 busy hours at 4x the mean, 128 at 0.0625x
    static = compare(shaped_scenario("static", hour_of_week=office), test_catalog)
    auto = compare(shaped_scenario("autoscale", hour_of_week=office), test_catalog)
    s, a = static.by_component("self").iloc[0], auto.by_component("self").iloc[0]
    # Busy hours: 4,000 tokens/s on 1,000 tokens/s units at 80% -> 5 units; quiet hours: 1.
    # Static: 5 units x 720 h x 2 USD/h = 7,200 USD, 20% used.
    assert s["gpu_used"] + s["gpu_idle"] == pytest.approx(7_200.0)
    assert s["gpu_idle"] == pytest.approx(0.8 * 7_200.0)
    # Autoscaled: (40 x 5 + 128 x 1) unit-hours a week x 720 / 168 weeks x 2 USD/h.
    auto_usd = (40 * 5 + 128 * 1) * 720 / 168 * 2.0
    assert a["gpu_used"] + a["gpu_idle"] == pytest.approx(auto_usd)
    assert a["gpu_used"] == pytest.approx(s["gpu_used"])  # the same tokens are served
    assert a["gpu_idle"] < s["gpu_idle"] / 4
    assert static.capacity.iloc[0]["utilization"] == pytest.approx(0.2)


def test_burst_factor_sizes_for_the_peak_minute(test_catalog):
    plain = compare(shaped_scenario("static", peak_to_mean=2.0), test_catalog)
    bursty = compare(shaped_scenario("static", peak_to_mean=2.0, burst_factor=1.5), test_catalog)
    # Peak 2,000 tokens/s: 3 units; with bursts of 3,000 tokens/s: ceil(3000 / 800) = 4.
    assert plain.capacity.iloc[0]["replicas"] == 3
    assert bursty.capacity.iloc[0]["replicas"] == 4


def test_autoscaling_needs_an_hourly_shape(test_catalog):
    with pytest.raises(ScenarioError, match="needs the traffic's hour-of-week shape"):
        compare(shaped_scenario("autoscale", peak_to_mean=3.0), test_catalog)


def test_scale_to_zero_pays_cold_starts(test_catalog):
    nightly_job = ([0.0] * 20 + [1.0] * 4) * 7  # no traffic at all for 20 hours a day
    result = compare(shaped_scenario("scale_to_zero", hour_of_week=nightly_job), test_catalog)
    month0 = result.by_component("self").iloc[0]
    # One start a day from zero: 7 a week x 720 / 168 weeks x 5 USD.
    assert result.capacity.iloc[0]["cold_starts"] == pytest.approx(7 * 720 / 168)
    assert month0["cold_starts"] == pytest.approx(7 * 720 / 168 * 5.0)


def test_scale_to_zero_refuses_a_floor():
    from llmtco.models.scenario import Provisioning

    with pytest.raises(ValueError, match="scale_to_zero runs no minimum, but min_replicas is 1"):
        SelfHostedOption(
            instance="test/box-1",
            serving_profile="test/model@gpu-x1",
            provisioning=Provisioning(policy="scale_to_zero"),
            labor=Labor(fte=0),
        )


@settings(max_examples=25, deadline=None)
@given(
    st.sampled_from(["static", "autoscale"]),
    st.sampled_from(["business_hours", "diurnal_consumer", "batch_window"]),
    st.floats(1.0, 2.0),
    st.floats(0, 20_000),
)
def test_break_even_equalises_costs_for_every_policy(
    test_catalog, policy, profile, burst, overhead
):
    """At compare's reported break-even, compare's own month-0 recurring costs are equal."""

    def scenario(volume):
        from llmtco.models.scenario import Provisioning

        return Scenario(
            name="p",
            horizon_months=1,
            workload=Workload(
                tokens_per_month=volume,
                input_share=0.75,
                traffic=Traffic(profile=profile, burst_factor=burst),
            ),
            options={
                "api": ApiOption(model="test/api"),
                "self": SelfHostedOption(
                    instance="test/box-4",
                    serving_profile="test/model@gpu-x2",
                    target_utilization=0.7,
                    provisioning=Provisioning(policy=policy),
                    overheads_usd_per_month={"ops": overhead},
                    labor=Labor(fte=0),
                ),
            },
        )

    [pair] = compare(scenario(1e9), test_catalog).pairs
    volume = pair.break_even_tokens_per_month
    if not math.isfinite(volume) or volume == 0:
        return
    totals = compare(scenario(volume), test_catalog).totals["month0_usd"]
    # Static: exact. Autoscale: the cost is a staircase in volume; the bisection lands on the
    # step edge, within one unit-hour-week of cost.
    tolerance = 1e-6 if policy == "static" else 8.0 * 720 / 168 / totals["api"] + 1e-6
    assert totals["self"] == pytest.approx(totals["api"], rel=tolerance)
    beyond = compare(scenario(volume * 1.37), test_catalog).totals["month0_usd"]
    assert beyond["self"] <= beyond["api"] * (1 + 1e-9)


# --- purchase modes and owned hardware -----------------------------------------------------------

SPOT_BOX = """\
gpu_instances:
  - id: test/box-spot
    provider: test
    gpu: test/gpu
    gpu_count: 1
    on_demand_usd_per_hour: 2.0
    reserved_1yr_usd_per_hour: 1.2
    spot_usd_per_hour: 0.8
    source: test
    checked: 2026-11-01
"""


@pytest.fixture
def spot_catalog(tmp_path, test_catalog_file):
    from llmtco import load_catalog

    path = tmp_path / "spot.yaml"
    path.write_text(SPOT_BOX)
    return load_catalog(test_catalog_file, path, include_packaged=False)


def purchase_scenario(purchase, policy="static", **terms):
    from llmtco.engine.traffic import two_level_profile
    from llmtco.models.scenario import Provisioning

    return hand_scenario(
        workload=Workload(
            tokens_per_month=VOLUME,
            input_share=0.75,
            traffic=Traffic(hour_of_week=two_level_profile(4.0).tolist()),
        ),
        options={
            "self": SelfHostedOption(
                instance="test/box-spot",
                serving_profile="test/model@gpu-x1",
                target_utilization=0.8,
                min_replicas=1,
                purchase=purchase,
                provisioning=Provisioning(policy=policy),
                **({"labor": Labor(fte=0)} | terms),
            )
        },
    )


def gpu_month0(result):
    month0 = result.by_component("self").iloc[0]
    return month0.get("gpu_used", 0.0) + month0.get("gpu_idle", 0.0)


# The 4x office profile needs 5 units in 40 busy hours a week and 1 unit in the other 128.
WEEKS = 720 / 168
AUTOSCALED_UNIT_HOURS = (40 * 5 + 128 * 1) * WEEKS


def test_reserved_pays_the_peak_every_hour(spot_catalog):
    result = compare(purchase_scenario("reserved_1yr", "autoscale"), spot_catalog)
    assert gpu_month0(result) == pytest.approx(5 * 720 * 1.2)


def test_spot_with_on_demand_fallback(spot_catalog):
    from llmtco.engine import spot_interrupted_share

    terms = {"spot": {"interruption_rate_per_hour": 0.1, "recovery_hours": 0.5}}
    result = compare(purchase_scenario("spot", "autoscale", **terms), spot_catalog)
    missing = spot_interrupted_share(0.1, 0.5)  # 0.05 / 1.05
    assert missing == pytest.approx(0.05 / 1.05)
    assert gpu_month0(result) == pytest.approx(AUTOSCALED_UNIT_HOURS * (0.8 + missing * 2.0))


def test_committed_mix_beats_both_extremes_and_finds_the_optimum(spot_catalog):
    from llmtco.models.scenario import CommittedMix

    def cost(**terms):
        return gpu_month0(
            compare(purchase_scenario("committed_mix", "autoscale", **terms), spot_catalog)
        )

    on_demand = gpu_month0(compare(purchase_scenario("on_demand", "autoscale"), spot_catalog))
    reserved = gpu_month0(compare(purchase_scenario("reserved_1yr", "autoscale"), spot_catalog))
    optimal = cost()
    by_hand = {c: cost(committed_mix=CommittedMix(committed_units=c)) for c in range(6)}
    # Reserving pays where more than 1.2 / 2.0 = 60% of hours need the unit: only the first.
    assert min(by_hand, key=by_hand.get) == 1
    assert optimal == pytest.approx(by_hand[1])
    assert by_hand[0] == pytest.approx(on_demand)
    assert optimal < on_demand
    assert optimal < reserved
    # One unit reserved all week, four more on demand in the 40 busy hours.
    assert optimal == pytest.approx((168 * 1.2 + 40 * 4 * 2.0) * WEEKS)


def test_owned_servers_cash_flows(spot_catalog):
    from llmtco.models.scenario import Ownership

    ownership = Ownership(
        purchase_usd=20_000,
        salvage_usd=2_000,
        life_months=24,
        power_kw=1.0,
        pue=1.5,
        usd_per_kwh=0.1,
        colocation_usd_per_month=100,
    )
    scenario = purchase_scenario("owned", ownership=ownership)
    result = compare(scenario, spot_catalog)
    parts = result.by_component("self")
    # Five servers bought in month 0 for the peak; the 12-month horizon ends mid-life, so the
    # book value left, 20,000 - 18,000 x 12 / 24 = 11,000 each, is credited in month 11.
    assert parts["hardware_purchase"].iloc[0] == pytest.approx(5 * 20_000)
    assert parts["hardware_purchase"].iloc[1:].sum() == 0
    assert parts["hardware_salvage"].iloc[-1] == pytest.approx(-5 * 11_000)
    assert parts["colocation"].iloc[3] == pytest.approx(5 * 100)
    assert (parts["power"] > 0).all()
    assert (parts["power"] <= 5 * 1.0 * 1.5 * 720 * 0.1 + 1e-9).all()


def test_purchase_terms_are_required():
    with pytest.raises(ValueError, match="purchase spot needs spot"):
        SelfHostedOption(
            instance="test/box-spot",
            serving_profile="test/model@gpu-x1",
            purchase="spot",
            labor=Labor(fte=0),
        )
    with pytest.raises(ValueError, match="purchase owned needs ownership"):
        SelfHostedOption(
            instance="test/box-spot",
            serving_profile="test/model@gpu-x1",
            purchase="owned",
            labor=Labor(fte=0),
        )


# --- where the throughput comes from ------------------------------------------------------------


def model_scenario(instance, model, precision="bf16", **extra):
    return Scenario(
        name="m",
        horizon_months=1,
        workload=Workload(
            requests_per_month=1e6, input_tokens_per_request=5000, output_tokens_per_request=500
        ),
        options={
            "self": SelfHostedOption(
                instance=instance,
                model=model,
                precision=precision,
                **({"labor": Labor(fte=0)} | extra),
            )
        },
    )


def test_measured_profile_wins_over_the_estimate(packaged_catalog):
    scenario = model_scenario("lambda/gpu_8x_h100_sxm5", "meta/llama-3.3-70b-instruct", "fp8")
    capacity = compare(scenario, packaged_catalog).capacity.iloc[0]
    # The 5000-in / 500-out measurement is the closest to the workload's requests.
    assert capacity["throughput_source"].startswith("measured:meta/llama-3.3-70b-instruct@")
    assert "5000-500" in capacity["throughput_source"]


def test_estimate_is_the_fallback_and_says_so(packaged_catalog):
    scenario = model_scenario("lambda/gpu_8x_h100_sxm5", "qwen/qwen2.5-7b-instruct")
    result = compare(scenario, packaged_catalog)
    capacity = result.capacity.iloc[0]
    assert capacity["throughput_source"] == "estimate"
    assert capacity["replicas"] >= 1
    assert result.totals.loc["self", "month0_usd"] > 0


def test_model_too_large_for_eight_gpus_is_refused_with_numbers(packaged_catalog):
    scenario = model_scenario("aws/g6.xlarge", "meta/llama-3.1-405b-instruct")
    with pytest.raises(ScenarioError, match=r"does not fit 8 x nvidia/l4 \(24 GB each\)"):
        compare(scenario, packaged_catalog)


def test_model_needs_request_lengths(packaged_catalog):
    scenario = Scenario(
        name="m",
        workload=Workload(tokens_per_month=1e9, input_share=0.7),
        options={
            "self": SelfHostedOption(
                instance="aws/g6.xlarge", model="microsoft/phi-4", labor=Labor(fte=0)
            )
        },
    )
    with pytest.raises(ScenarioError, match="sizing from a model needs request lengths"):
        compare(scenario, packaged_catalog)


def test_one_throughput_source():
    with pytest.raises(ValueError, match=r"give serving_profile .* or model"):
        SelfHostedOption(instance="aws/g6.xlarge", labor=Labor(fte=0))


# --- latency -------------------------------------------------------------------------------------

LATENCY_PROFILE = """\
serving_profiles:
  - id: test/model@gpu-x1-latency
    model: test/model
    gpu: test/gpu
    gpus_per_replica: 1
    precision: bf16
    engine: test
    input_tokens: 1000
    output_tokens: 100
    concurrency: 4
    output_tokens_per_s: 1000
    ttft_s: 0.5
    tpot_s: 0.01
    source: test
    checked: 2026-11-01
"""


@pytest.fixture
def latency_catalog(tmp_path, test_catalog_file):
    from llmtco import load_catalog

    path = tmp_path / "latency.yaml"
    path.write_text(LATENCY_PROFILE)
    return load_catalog(test_catalog_file, path, include_packaged=False)


def latency_scenario(slo_s):
    from llmtco.models.scenario import LatencySlo

    # 10 requests/s of 100 output tokens: 1,000 tokens/s, which 2 units carry at 80%.
    return hand_scenario(
        workload=Workload(
            requests_per_month=10 * 720 * 3600,
            input_tokens_per_request=1000,
            output_tokens_per_request=100,
        ),
        options={
            "self": SelfHostedOption(
                instance="test/box-1",
                serving_profile="test/model@gpu-x1-latency",
                target_utilization=0.8,
                latency_slo=None if slo_s is None else LatencySlo(ttft_s=slo_s),
                labor=Labor(fte=0),
            )
        },
    )


def test_a_tighter_slo_costs_more_replicas(latency_catalog):
    from llmtco.engine.queueing import replicas_for_ttft_slo

    def replicas(slo_s):
        return compare(latency_scenario(slo_s), latency_catalog).capacity.iloc[0]["replicas"]

    # Each request holds a slot for 0.5 + 100 x 0.01 = 1.5 s: 15 Erlangs on 4-slot replicas.
    assert replicas(None) == 2  # throughput alone
    assert replicas(5.0) == replicas_for_ttft_slo(10.0, 1.5, 4, 0.5, 5.0) == 4
    tight = replicas(0.55)
    assert tight == replicas_for_ttft_slo(10.0, 1.5, 4, 0.5, 0.55)
    assert tight > replicas(5.0)


def test_an_unreachable_slo_is_refused(latency_catalog):
    with pytest.raises(ScenarioError, match=r"cannot be met: prefill alone takes 0\.5 s"):
        compare(latency_scenario(0.4), latency_catalog)


def test_latency_report_beside_the_api(latency_catalog):
    from llmtco.engine.queueing import ttft_quantile_s
    from llmtco.models.scenario import ApiLatency

    scenario = latency_scenario(5.0)
    options = dict(scenario.options) | {
        "api": ApiOption(model="test/api", latency=ApiLatency(p50_s=0.4, p95_s=1.2, p99_s=2.5))
    }
    result = compare(scenario.model_copy(update={"options": options}), latency_catalog)
    frame = result.latency.set_index("option")
    assert frame.loc["api", "ttft_p95_s"] == 1.2
    # Four 4-slot replicas carry 10 requests/s of 1.5 s each.
    expected = ttft_quantile_s(4, 10.0, 1.5, 4, 0.5, 0.95)
    assert frame.loc["self", "ttft_p95_s"] == pytest.approx(expected)
    assert 0.5 <= frame.loc["self", "ttft_p95_s"] <= 5.0
    assert result.latency.attrs["unit"] == "s"


def test_cold_starts_are_charged_alike_in_costs_and_break_even(test_catalog):
    from llmtco.models.scenario import Provisioning

    nightly_job = ([0.0] * 20 + [1.0] * 4) * 7
    scenario = hand_scenario(
        workload=Workload(
            tokens_per_month=VOLUME, input_share=0.75, traffic=Traffic(hour_of_week=nightly_job)
        ),
        options={
            "api": ApiOption(model="test/api"),
            "self": SelfHostedOption(
                instance="test/box-1",
                serving_profile="test/model@gpu-x1",
                min_replicas=0,
                provisioning=Provisioning(policy="autoscale", cold_start_usd=50.0),
                labor=Labor(fte=0),
            ),
        },
    )
    result = compare(scenario, test_catalog)
    assert result.by_component("self").iloc[0]["cold_starts"] == pytest.approx(7 * 720 / 168 * 50)
    [pair] = result.pairs
    month0 = result.totals["month0_usd"]
    # Self-hosting is cheaper at this volume, so the break-even lies below it.
    assert month0["self"] < month0["api"]
    assert pair.break_even_tokens_per_month < VOLUME


# --- break-even for every way of paying -------------------------------------------------------


@pytest.mark.parametrize(
    "terms",
    [
        {
            "purchase": "spot",
            "spot": {"interruption_rate_per_hour": 0.1, "overprovision_share": 0.2},
        },
        {"purchase": "committed_mix"},
        {"purchase": "reserved_1yr"},
    ],
    ids=["spot", "committed_mix", "reserved"],
)
@pytest.mark.parametrize("policy", ["static", "autoscale"])
def test_break_even_equalises_costs_for_every_purchase_mode(spot_catalog, terms, policy):
    from llmtco.models.scenario import Provisioning

    def scenario(volume):
        return Scenario(
            name="p",
            horizon_months=1,
            hours_per_month=720,
            workload=Workload(
                tokens_per_month=volume, input_share=0.75, traffic=Traffic(profile="business_hours")
            ),
            options={
                "api": ApiOption(model="test/api"),
                "self": SelfHostedOption(
                    instance="test/box-spot",
                    serving_profile="test/model@gpu-x1",
                    target_utilization=0.8,
                    provisioning=Provisioning(policy=policy),
                    overheads_usd_per_month={"ops": 3000},
                    **({"labor": Labor(fte=0)} | terms),
                ),
            },
        )

    [pair] = compare(scenario(1e9), spot_catalog).pairs
    volume = pair.break_even_tokens_per_month
    assert math.isfinite(volume)
    at = compare(scenario(volume), spot_catalog).totals["month0_usd"]
    # The self-hosted cost is a staircase in volume: at the break-even the costs meet up to
    # the price of one unit for a month.
    assert abs(at["self"] - at["api"]) <= 2.0 * 720 + 1e-6
    for factor in (1.3, 2.0, 5.0):
        beyond = compare(scenario(volume * factor), spot_catalog).totals["month0_usd"]
        assert beyond["self"] <= beyond["api"] * (1 + 1e-9)


def test_latency_slo_with_autoscaling_and_an_api(latency_catalog):
    from llmtco.models.scenario import LatencySlo, Provisioning

    scenario = hand_scenario(
        workload=Workload(
            requests_per_month=10 * 720 * 3600,
            input_tokens_per_request=1000,
            output_tokens_per_request=100,
            traffic=Traffic(profile="business_hours"),
        ),
        options={
            "api": ApiOption(model="test/api"),
            "self": SelfHostedOption(
                instance="test/box-1",
                serving_profile="test/model@gpu-x1-latency",
                latency_slo=LatencySlo(ttft_s=1.0),
                provisioning=Provisioning(policy="autoscale"),
                labor=Labor(fte=0),
            ),
        },
    )
    [pair] = compare(scenario, latency_catalog).pairs
    assert pair.break_even_tokens_per_month >= 0


def test_off_peak_share_uses_named_profiles(rules_catalog):
    def input_usd(**traffic):
        scenario = hand_scenario(
            workload=requests_workload(1_000_000, **traffic),
            options={"api": ApiOption(model="test/offpeak")},
        )
        return compare(scenario, rules_catalog).by_component("api").iloc[0]["api_input"]

    # The batch window (01:00-03:00) falls in the 00:00-12:00 UTC off-peak window.
    assert input_usd(profile="batch_window") < input_usd(profile="flat")


def test_owned_power_follows_the_load_on_every_server_owned(spot_catalog):
    from llmtco.engine import power_usd_per_month
    from llmtco.models.scenario import Ownership

    ownership = Ownership(purchase_usd=20_000, power_kw=1.0, pue=1.5, usd_per_kwh=0.1)
    scenario = purchase_scenario("owned", ownership=ownership)
    growing = scenario.workload.model_copy(
        update={"growth": scenario.workload.growth.model_copy(update={"monthly_rate": 0.5})}
    )
    result = compare(scenario.model_copy(update={"workload": growing}), spot_catalog)
    capacity = result.capacity
    servers = capacity["instances"].max()
    month0 = capacity.iloc[0]
    # Month 0 needs fewer servers than were bought for the last month's peak: its load on the
    # owned fleet is the month's utilization scaled by its share of the servers.
    load = month0["utilization"] * month0["instances"] / servers
    expected = power_usd_per_month(servers * 1.0, 1.5, 0.1, 720, utilization=load)
    assert result.by_component("self").iloc[0]["power"] == pytest.approx(expected)
    assert month0["instances"] < servers


# --- extreme but valid inputs (issue 11) ------------------------------------------------------


def test_largest_valid_inputs_give_finite_totals_and_json(test_catalog):
    import json

    from llmtco.models._fields import MAX_MAGNITUDE

    growth = Growth(monthly_rate=1.0)
    workload = Workload(tokens_per_month=MAX_MAGNITUDE, input_share=0.75, growth=growth)
    scenario = hand_scenario(workload=workload, horizon_months=600, discount_rate_per_year=-0.5)
    result = compare(scenario, test_catalog)
    assert np.isfinite(result.totals[["total_usd", "npv_usd"]].to_numpy()).all()
    json.dumps(result.to_dict(), allow_nan=False)


@pytest.mark.parametrize("requests_per_month", [5e-324, 1e-320, 1e-300])
def test_a_vanishing_volume_prices_per_mtok_without_overflow(requests_per_month):
    # Found by the long fuzz run: a subnormal volume overflowed the division by the volume.
    import json

    data = default_scenario().model_dump(mode="json", exclude_defaults=True)
    data.pop("uncertainty")
    data["workload"]["requests_per_month"] = requests_per_month
    result = compare(Scenario.from_dict(data))
    per_mtok = result.totals["usd_per_mtok"].to_numpy()
    assert (per_mtok > 1e290).all()
    assert np.isinf(per_mtok).all() == (requests_per_month < 1e-310)
    json.dumps(result.to_dict(), allow_nan=False)


def test_a_non_finite_cost_is_refused_with_option_component_and_month():
    from llmtco.tco import _OptionCosts, _refuse_non_finite

    values = np.array([[1.0, 2.0, np.inf]])
    costs = {"self": _OptionCosts({"gpu": values, "labor": np.ones((1, 3))}, None, None)}
    totals = {"self": values + 1.0}
    with pytest.raises(ScenarioError, match=r"options\.self: the gpu cost of month 2 is inf USD"):
        _refuse_non_finite(costs, totals, 0.0)
    big = np.full((1, 3), 1e308)
    costs = {"api": _OptionCosts({"api_input": big}, None, None)}
    with pytest.raises(ScenarioError, match=r"options\.api: the total or NPV .* overflows"):
        _refuse_non_finite(costs, {"api": big}, 0.0)
