"""Outcomes, request classes and hybrids through compare: hand-worked months and properties.

Test catalog (conftest): test/api bills 2 USD/Mtok in and 10 out; test/box-1 is one GPU at
2 USD/h whose profile test/model@gpu-x1 serves 1,000 output tokens/s. The extra test/cheap bills
0.5 in and 1.5 out.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtco import (
    ApiOption,
    HybridOption,
    Scenario,
    ScenarioError,
    SelfHostedOption,
    Workload,
    compare,
    load_catalog,
)
from llmtco.engine import expected_attempts

CHEAP = """\
api_prices:
  - id: test/cheap
    provider: test
    model: cheap
    input_usd_per_mtok: 0.5
    output_usd_per_mtok: 1.5
    rate_limits:
      - {tier: small, requests_per_minute: 60, tokens_per_minute: 1000000}
      - {tier: large, requests_per_minute: 200, usd_per_month: 250}
    source: hand-made test entry
    checked: 2026-11-01
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory, test_catalog_file):
    path = tmp_path_factory.mktemp("cheap") / "cheap.yaml"
    path.write_text(CHEAP)
    return load_catalog(test_catalog_file, path, include_packaged=False)


def one_class(**extra):
    return Workload(
        requests_per_month=1e6,
        input_tokens_per_request=500,
        output_tokens_per_request=500,
        **extra,
    )


def scenario(options, workload=None, **extra):
    return Scenario(
        name="t",
        horizon_months=2,
        workload=workload or one_class(),
        options=options,
        **extra,
    )


LOCAL = {
    "kind": "self_hosted",
    "instance": "test/box-1",
    "serving_profile": "test/model@gpu-x1",
    "target_utilization": 0.7,
    "labor": {"fte": 0},
}


def test_plain_api_with_retries_verification_and_a_human(catalog):
    # One call: 500 x 2e-6 + 500 x 10e-6 = 0.006 USD. p = 0.5 and 3 attempts: 1.75 attempts,
    # 0.125 escalated. Per month: calls 1e6 x 1.75 x 0.006 = 10,500; verification
    # 1e6 x 1.75 x 0.001 = 1,750; the human 1e6 x 0.125 x 1.0 = 125,000.
    option = ApiOption(
        model="test/api",
        outcomes={"success_rate": 0.5, "max_attempts": 3, "verify_usd": 0.001, "human_usd": 1.0},
    )
    result = compare(scenario({"api": option}), catalog)
    month = result.by_component("api").iloc[0]
    assert month["api_input"] + month["api_output"] == pytest.approx(10_500.0)
    assert month["verification"] == pytest.approx(1_750.0)
    assert month["human_escalation"] == pytest.approx(125_000.0)
    row = result.outcomes.iloc[0]
    assert row["calls_per_request"] == pytest.approx(1.75)
    assert row["success_rate"] == pytest.approx(1.0)
    assert row["human_escalation_rate"] == pytest.approx(0.125)
    assert row["usd_per_request"] == pytest.approx(0.13725)
    assert row["usd_per_success"] == pytest.approx(0.13725)


def test_outcomes_without_a_human_leave_requests_unresolved(catalog):
    # p = 0.8, one attempt, a wrong answer accepted 25% of the time: success 0.8, false accepts
    # 0.05 at 2 USD each, 0.15 unresolved. Cost per success = (0.006 + 0.1) / 0.8.
    option = ApiOption(
        model="test/api",
        outcomes={"success_rate": 0.8, "false_accept_rate": 0.25, "false_accept_usd": 2.0},
    )
    row = compare(scenario({"api": option}), catalog).outcomes.iloc[0]
    assert row["success_rate"] == pytest.approx(0.8)
    assert row["false_accept_rate"] == pytest.approx(0.05)
    assert row["unresolved_rate"] == pytest.approx(0.15)
    assert row["usd_per_success"] == pytest.approx(0.106 / 0.8)


def test_options_without_outcomes_report_no_success_rate(catalog):
    result = compare(scenario({"api": ApiOption(model="test/api")}), catalog)
    row = result.outcomes.iloc[0]
    assert math.isnan(row["success_rate"])
    assert row["usd_per_request"] == pytest.approx(0.006)
    assert not result.frontier()["on_frontier"].any()


def test_cascade_sizes_the_self_hosted_backend_for_its_retries(catalog):
    # local: p = 0.6, 2 attempts -> 1.4 calls, 0.16 escalated to the API (p = 0.9, a human who
    # is right half the time at 2 USD). Local serves 1.4e9 tokens/month, 7e8 output: a mean
    # of 266.4 tokens/s fits one replica at 70% (1 x 2 USD/h x 730 h = 1,460 USD). API:
    # 0.16e6 calls x 0.006 = 960 USD; human 1e6 x 0.016 x 2 = 32,000 USD.
    # Success = 0.84 + 0.16 x 0.9 + 0.016 x 0.5 = 0.992.
    hybrid = HybridOption(
        backends={
            "local": LOCAL | {"outcomes": {"success_rate": 0.6, "max_attempts": 2}},
            "gpt": {
                "kind": "api",
                "model": "test/api",
                "outcomes": {"success_rate": 0.9, "human_usd": 2.0, "human_success_rate": 0.5},
            },
        },
        routes=[{"cascade": ["local", "gpt"]}],
    )
    result = compare(scenario({"hybrid": hybrid}), catalog)
    month = result.by_component("hybrid").iloc[0]
    assert month["local:gpu_used"] + month["local:gpu_idle"] == pytest.approx(1_460.0)
    assert month["gpt:api_input"] + month["gpt:api_output"] == pytest.approx(960.0)
    assert month["human_escalation"] == pytest.approx(32_000.0)
    capacity = result.capacity.iloc[0]
    assert capacity["backend"] == "local"
    assert capacity["tokens_per_month"] == pytest.approx(1.4e9)
    row = result.outcomes.iloc[0]
    assert row["success_rate"] == pytest.approx(0.992)
    assert row["unresolved_rate"] == pytest.approx(0.008)
    assert row["calls_per_request"] == pytest.approx(1.56)
    routing = result.routing.set_index("backend")
    assert routing.loc["local", "calls_per_request"] == pytest.approx(1.4)
    assert routing.loc["gpt", "calls_per_request"] == pytest.approx(0.16)
    assert routing.loc["local", "entry_share"] == 1.0
    assert routing.loc["gpt", "entry_share"] == 0.0


def test_class_costs_add_up_to_the_total(catalog):
    workload = Workload(
        requests_per_month=2e6,
        classes={
            "easy": {
                "share": 0.7,
                "input_tokens_per_request": 300,
                "output_tokens_per_request": 50,
            },
            "hard": {
                "share": 0.3,
                "input_tokens_per_request": 4000,
                "output_tokens_per_request": 800,
            },
        },
    )
    hybrid = HybridOption(
        backends={
            "local": LOCAL | {"labor": {"fte": 0.25, "usd_per_fte_year": 200_000}},
            "gpt": {"kind": "api", "model": "test/api"},
        },
        routes=[{"classes": ["hard"], "to": "gpt"}, {"to": "local"}],
        labor={"fte": 0.1, "usd_per_fte_year": 150_000},
    )
    result = compare(scenario({"hybrid": hybrid}, workload), catalog)
    per_class = result.routing.drop_duplicates("request_class").set_index("request_class")
    requests = 2e6 * 2  # two months
    allocated = (per_class["usd_per_request"] * per_class["class_share"] * requests).sum()
    assert allocated == pytest.approx(result.totals.loc["hybrid", "total_usd"])
    # The hard class is priced at the API: 4000 x 2e-6 + 800 x 10e-6 = 0.016 USD a call.
    gpt = result.by_component("hybrid")[["gpt:api_input", "gpt:api_output"]].iloc[0].sum()
    assert gpt == pytest.approx(0.3 * 2e6 * 0.016)
    # The workload's mean sizes are derived from the classes.
    assert workload.input_tokens_per_request == pytest.approx(0.7 * 300 + 0.3 * 4000)


def test_failover_costs_the_outage_traffic_and_never_moves_sensitive_data(catalog):
    workload = Workload(
        requests_per_month=1e6,
        classes={
            "public": {
                "share": 0.6,
                "input_tokens_per_request": 500,
                "output_tokens_per_request": 500,
            },
            "private": {
                "share": 0.4,
                "input_tokens_per_request": 500,
                "output_tokens_per_request": 500,
                "sensitive": True,
            },
        },
    )
    hybrid = HybridOption(
        backends={"local": LOCAL, "gpt": {"kind": "api", "model": "test/api"}},
        routes=[{"to": "local"}],
        availability=0.9,
        failover_to="gpt",
    )
    result = compare(scenario({"hybrid": hybrid}, workload), catalog)
    month = result.by_component("hybrid").iloc[0]
    # 10% of the public 600k requests go to the API: 60k x 0.006 = 360 USD.
    assert month["gpt:api_input"] + month["gpt:api_output"] == pytest.approx(360.0)
    routing = result.routing
    private_api = routing[(routing.request_class == "private") & (routing.backend == "gpt")]
    assert private_api.empty
    # The local backend is still sized for all of its traffic while it is up.
    assert result.capacity.iloc[0]["tokens_per_month"] == pytest.approx(1e9)
    row = result.outcomes.iloc[0]
    assert row["unresolved_rate"] == pytest.approx(0.1 * 0.4)


def test_optimised_split_meets_the_floor_at_least_cost(catalog):
    # Two API backends: costs are linear, so the marginal cost the optimiser uses is exact.
    # gpt: 0.006 USD/call, p = 0.95; cheap: 500 x 0.5e-6 + 500 x 1.5e-6 = 0.001, p = 0.7.
    # A floor of 0.9 needs a share x of gpt with 0.7 + 0.25 x = 0.9: x = 0.8, 0.005 USD/request.
    hybrid = HybridOption(
        backends={
            "gpt": {"kind": "api", "model": "test/api", "outcomes": {"success_rate": 0.95}},
            "cheap": {"kind": "api", "model": "test/cheap", "outcomes": {"success_rate": 0.7}},
        },
        routes=[{"choose": ["gpt", "cheap"]}],
        optimize={"min_success_rate": 0.9},
    )
    result = compare(scenario({"hybrid": hybrid}), catalog)
    row = result.outcomes.iloc[0]
    assert row["success_rate"] == pytest.approx(0.9)
    assert row["usd_per_request"] == pytest.approx(0.005)
    shares = result.routing.set_index("backend")["entry_share"]
    assert shares["gpt"] == pytest.approx(0.8)
    # Brute force over splits: nothing meeting the floor is cheaper.
    for x in np.linspace(0, 1, 101):
        success, cost = 0.7 + 0.25 * x, 0.001 + 0.005 * x
        if success >= 0.9 - 1e-12:
            assert cost >= row["usd_per_request"] - 1e-12


def test_optimised_split_counts_outages_against_the_floor(catalog):
    # The sensitive class can only go to local; in outages (1%) it is not served. The floor
    # must hold for the split as priced, outages included.
    workload = Workload(
        requests_per_month=1e6,
        classes={
            "open": {
                "share": 0.8,
                "input_tokens_per_request": 500,
                "output_tokens_per_request": 500,
            },
            "private": {
                "share": 0.2,
                "input_tokens_per_request": 500,
                "output_tokens_per_request": 500,
                "sensitive": True,
            },
        },
    )
    hybrid = HybridOption(
        backends={
            "local": LOCAL | {"outcomes": {"success_rate": 0.9}},
            "gpt": {"kind": "api", "model": "test/api", "outcomes": {"success_rate": 0.99}},
        },
        routes=[{"choose": ["local", "gpt"]}],
        availability=0.99,
        failover_to="gpt",
        optimize={"min_success_rate": 0.95},
    )
    row = compare(scenario({"hybrid": hybrid}, workload), catalog).outcomes.iloc[0]
    assert row["success_rate"] >= 0.95 - 1e-9


def test_unreachable_floor_says_what_is_reachable(catalog):
    hybrid = HybridOption(
        backends={
            "gpt": {"kind": "api", "model": "test/api", "outcomes": {"success_rate": 0.95}},
            "cheap": {"kind": "api", "model": "test/cheap", "outcomes": {"success_rate": 0.7}},
        },
        routes=[{"choose": ["gpt", "cheap"]}],
        optimize={"min_success_rate": 0.99},
    )
    with pytest.raises(ScenarioError, match=r"options\.hybrid\.optimize: .*0\.95"):
        compare(scenario({"hybrid": hybrid}), catalog)


@settings(max_examples=40, deadline=None)
@given(
    p_self=st.floats(0.3, 1.0),
    p_api=st.floats(0.3, 1.0),
    attempts=st.integers(1, 4),
    human=st.floats(0.0, 0.5),
    volume=st.floats(1e5, 1e8),
)
def test_break_even_with_outcomes_equalises_compare_costs(
    catalog, p_self, p_api, attempts, human, volume
):
    def build(requests):
        return scenario(
            {
                "api": ApiOption(
                    model="test/api",
                    outcomes={"success_rate": p_api, "max_attempts": attempts, "human_usd": human},
                ),
                "self": SelfHostedOption(
                    instance="test/box-1",
                    serving_profile="test/model@gpu-x1",
                    labor={"fte": 0.2, "usd_per_fte_year": 100_000},
                    outcomes={"success_rate": p_self, "max_attempts": attempts, "human_usd": human},
                ),
            },
            Workload(
                requests_per_month=requests,
                input_tokens_per_request=500,
                output_tokens_per_request=500,
            ),
        )

    [pair] = compare(build(volume), catalog).pairs
    tokens = pair.break_even_tokens_per_month
    if not math.isfinite(tokens) or tokens == 0:
        return
    totals = compare(build(tokens / 1000), catalog).totals["month0_usd"]
    assert totals["self"] == pytest.approx(totals["api"], rel=1e-6)


def test_expected_attempts_match_the_calls_reported(catalog):
    option = ApiOption(model="test/api", outcomes={"success_rate": 0.3, "max_attempts": 4})
    row = compare(scenario({"api": option}), catalog).outcomes.iloc[0]
    assert row["calls_per_request"] == pytest.approx(expected_attempts(0.3, 4))


# --- sensitive data never reaches an API ------------------------------------------------------

BACKENDS = ["local", "gpt", "cheap"]


@st.composite
def routed_scenarios(draw):
    n_classes = draw(st.integers(1, 4))
    classes = {
        f"c{i}": {
            "share": 1.0 / n_classes,
            "input_tokens_per_request": draw(st.sampled_from([200, 2000])),
            "output_tokens_per_request": 100,
            "sensitive": draw(st.booleans()),
            "difficulty": draw(st.sampled_from(["easy", "medium", "hard"])),
        }
        for i in range(n_classes)
    }
    target = st.sampled_from(BACKENDS)
    routes = []
    for _ in range(draw(st.integers(0, 3))):
        condition = draw(
            st.sampled_from(
                [
                    {"sensitive": True},
                    {"sensitive": False},
                    {"difficulty": ["hard"]},
                    {"min_input_tokens": 1000},
                    {"classes": ["c0"]},
                ]
            )
        )
        kind = draw(st.sampled_from(["to", "shares", "cascade", "choose"]))
        if kind == "to":
            routes.append(condition | {"to": draw(target)})
        elif kind == "shares":
            first, second = draw(st.permutations(BACKENDS))[:2]
            routes.append(condition | {"shares": {first: 0.5, second: 0.5}})
        elif kind == "cascade":
            routes.append(condition | {"cascade": list(draw(st.permutations(BACKENDS))[:2])})
        else:
            routes.append(condition | {"choose": BACKENDS})
    routes.append({"to": draw(target)})
    outcomes = {"success_rate": 0.8, "max_attempts": 2}
    hybrid = {
        "kind": "hybrid",
        "backends": {
            "local": LOCAL | {"outcomes": outcomes},
            "gpt": {
                "kind": "api",
                "model": "test/api",
                "outcomes": outcomes | {"success_rate": 0.95},
            },
            "cheap": {"kind": "api", "model": "test/cheap", "outcomes": outcomes},
        },
        "routes": routes,
        "availability": draw(st.sampled_from([1.0, 0.95])),
        "failover_to": draw(st.sampled_from([None, "gpt"])),
    }
    if any("choose" in r for r in routes):
        hybrid["optimize"] = {"min_success_rate": 0.5}
    return {
        "name": "s",
        "horizon_months": 1,
        "workload": {"requests_per_month": 1e5, "classes": classes},
        "options": {"hybrid": hybrid},
    }


@settings(max_examples=60, deadline=None)
@given(routed_scenarios())
def test_no_sensitive_request_is_ever_routed_to_an_api(catalog, data):
    try:
        result = compare(Scenario.from_dict(data), catalog)
    except ScenarioError as exc:
        refused = str(exc)
    else:
        refused = ""
    if refused:  # the only reason to refuse these scenarios is sensitive data
        assert "sensitive" in refused
        return
    routing = result.routing
    sensitive_on_api = routing[
        routing["sensitive"]
        & (routing["backend_kind"] == "api")
        & (routing["calls_per_request"] > 0)
    ]
    assert sensitive_on_api.empty
    assert (
        routing.loc[routing["sensitive"] & (routing["backend_kind"] == "api"), "entry_share"] == 0
    ).all()


def test_a_standalone_api_option_may_not_serve_sensitive_classes():
    workload = {
        "requests_per_month": 1e5,
        "classes": {
            "records": {
                "share": 1.0,
                "input_tokens_per_request": 500,
                "output_tokens_per_request": 100,
                "sensitive": True,
            }
        },
    }
    data = {
        "name": "s",
        "workload": workload,
        "options": {"api": {"kind": "api", "model": "test/api"}},
    }
    with pytest.raises(ScenarioError, match=r"options\.api is an API option .*\['records'\]"):
        Scenario.from_dict(data)
    allowed = data | {
        "options": {"api": {"kind": "api", "model": "test/api", "sensitive_data_allowed": True}}
    }
    assert Scenario.from_dict(allowed).options["api"].sensitive_data_allowed


# --- rate limits -----------------------------------------------------------------------------


def limited(**option):
    # 4.32e6 requests in a 730-hour month, flat: 4.32e6 / 43,800 min = 98.63 requests/min.
    workload = Workload(
        requests_per_month=4.32e6, input_tokens_per_request=100, output_tokens_per_request=100
    )
    return scenario({"cheap": ApiOption(model="test/cheap", **option)}, workload)


def test_rate_limits_flag_the_busiest_minute_and_the_tier_needed(catalog):
    result = compare(limited(), catalog)
    [row] = result.rate_limits.to_dict(orient="records")
    assert row["peak_requests_per_min"] == pytest.approx(4.32e6 / 43_800)
    assert row["peak_tokens_per_min"] == pytest.approx(200 * 4.32e6 / 43_800)
    assert (row["tier"], row["tier_needed"], row["exceeds"]) == ("large", "large", False)
    assert row["throttled_share"] == 0.0
    assert "rate_limit_fee" not in result.by_component("cheap")


def test_a_named_tier_is_checked_and_its_fee_priced(catalog):
    small = compare(limited(rate_limit_tier="small"), catalog)
    [row] = small.rate_limits.to_dict(orient="records")
    assert row["exceeds"]
    # Flat traffic, no burst: everything above 60 of the 98.63 requests/min is refused.
    assert row["throttled_share"] == pytest.approx(1 - 60 / (4.32e6 / 43_800))
    assert row["binding_limit"] == "requests_per_minute"
    large = compare(limited(rate_limit_tier="large"), catalog)
    assert large.by_component("cheap")["rate_limit_fee"].iloc[0] == 250.0
    with pytest.raises(ScenarioError, match="has no tier 'huge'; its tiers are: small, large"):
        compare(limited(rate_limit_tier="huge"), catalog)
    with pytest.raises(ScenarioError, match="lists no rate limits"):
        compare(scenario({"api": ApiOption(model="test/api", rate_limit_tier="small")}), catalog)


def test_hybrid_backends_are_checked_on_their_own_traffic(catalog):
    # Half the traffic to each provider: 49.3 requests/min fit the small tier.
    hybrid = HybridOption(
        backends={
            "gpt": {"kind": "api", "model": "test/api"},
            "cheap": {"kind": "api", "model": "test/cheap"},
        },
        routes=[{"shares": {"gpt": 0.5, "cheap": 0.5}}],
    )
    workload = Workload(
        requests_per_month=4.32e6, input_tokens_per_request=100, output_tokens_per_request=100
    )
    result = compare(scenario({"hybrid": hybrid}, workload), catalog)
    [row] = result.rate_limits.to_dict(orient="records")
    assert row["backend"] == "cheap"
    assert row["peak_requests_per_min"] == pytest.approx(0.5 * 4.32e6 / 43_800)
    assert row["tier"] == "small"
