"""recommend, rules_of_thumb and checklist: constraints first, then cost and robustness."""

import math

import numpy as np
import pytest

from llmtco import (
    LogNormal,
    Recommendation,
    Scenario,
    Uniform,
    checklist,
    compare,
    default_scenario,
    recommend,
    rules_of_thumb,
)
from llmtco.models.uncertain import set_path

GPT, MINI, LAMBDA, AWS = "gpt-4o", "gpt-4o-mini", "llama-70b-lambda", "llama-70b-aws"
STEPS = ["hard constraints", "volume", "operations capacity", "time to ship"]
LAMBDA_LABEL = "Llama 3.3 70B on Lambda 8x H100"


def self_hosted(instance: str, label: str) -> dict:
    return {
        "kind": "self_hosted",
        "label": label,
        "instance": instance,
        "serving_profile": "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-nim-5000-500",
        "target_utilization": 0.7,
        "min_replicas": 2,
        "labor": {"fte": 1.0, "usd_per_fte_year": 200_000},
        "setup_usd": 40_000,
        "overheads_usd_per_month": {"monitoring": 800, "storage_and_egress": 400},
    }


def base_dict() -> dict:
    """The packaged default's numbers, without its uncertain inputs."""
    api = {"kind": "api", "setup_usd": 5000, "overheads_usd_per_month": {"monitoring": 200}}
    return {
        "name": "decision tests",
        "horizon_months": 36,
        "discount_rate_per_year": 0.08,
        "workload": {
            "requests_per_month": 2_000_000,
            "input_tokens_per_request": 1800,
            "output_tokens_per_request": 350,
            "cached_input_share": 0.3,
            "growth": {"monthly_rate": 0.04},
            "traffic": {"peak_to_mean": 2.5},
        },
        "options": {
            GPT: api | {"model": "openai/gpt-4o"},
            MINI: api | {"model": "openai/gpt-4o-mini"},
            LAMBDA: self_hosted("lambda/gpu_8x_h100_sxm5", LAMBDA_LABEL),
            AWS: self_hosted("aws/p5.48xlarge", "Llama 3.3 70B on AWS p5.48xlarge"),
        },
    }


def build(changes: dict | None = None, data: dict | None = None) -> Scenario:
    data = base_dict() if data is None else data
    for path, value in (changes or {}).items():
        data = set_path(data, path, value, create=True)
    return Scenario.from_dict(data)


@pytest.fixture(scope="module")
def catalog(packaged_catalog):
    return packaged_catalog


@pytest.fixture(scope="module")
def default_rec(catalog) -> Recommendation:
    return recommend(default_scenario(), n=300, catalog=catalog)


@pytest.fixture(scope="module")
def in_house(catalog) -> Recommendation:
    return recommend(build({"decision": {"data_may_leave": False}}), catalog=catalog)


def npv_gap(scenario: Scenario, catalog, a: str, b: str) -> tuple[float, float]:
    npv = compare(scenario, catalog).totals["npv_usd"]
    return float(npv[a] - npv[b]), float(max(npv[a], npv[b]))


# -- the default scenario ----------------------------------------------------------------------


def test_default_recommends_the_small_api_model(default_rec):
    assert default_rec.option == MINI
    assert [r.step for r in default_rec.reasons] == STEPS
    assert default_rec.ruled_out == {}
    assert default_rec.runner_up == GPT
    # The cheapest by NPV at the base values.
    npv = default_rec.comparison.totals["npv_usd"]
    assert default_rec.option == npv.idxmin()
    assert default_rec.npv_usd.equals(npv)
    # The default scenario has uncertain inputs: the robustness is reported.
    assert default_rec.simulation is not None
    assert default_rec.simulation.n == 300
    assert 0.0 <= default_rec.p_stays_cheapest <= 1.0


def test_default_reasons_name_the_numbers(default_rec):
    volume = default_rec.reasons[1].finding
    assert "4,300M tokens/month" in volume
    assert "spiky" in volume  # peak_to_mean 2.5 > steady_peak_to_mean_max 2
    operations = default_rec.reasons[2].finding
    assert f"{LAMBDA} 1" in operations
    assert "none available stated" in operations
    assert "no deadline stated" in default_rec.reasons[3].finding
    assert all(r.rules_out == () for r in default_rec.reasons)


# -- constraints -------------------------------------------------------------------------------


def test_data_may_not_leave_rules_out_every_api_option(in_house):
    assert in_house.ruled_out == {GPT: "hard constraints", MINI: "hard constraints"}
    assert in_house.reasons[0].step == "hard constraints"
    assert set(in_house.reasons[0].rules_out) == {GPT, MINI}
    assert "data may not leave" in in_house.reasons[0].finding
    # The cheaper self-hosted option wins; the other is the runner-up.
    npv = in_house.npv_usd
    assert npv[LAMBDA] < npv[AWS]
    assert (in_house.option, in_house.runner_up) == (LAMBDA, AWS)
    assert in_house.comparison.scenario.options[in_house.option].kind == "self_hosted"


def test_sensitive_data_allowed_keeps_an_api_option(catalog):
    rec = recommend(
        build(
            {
                "decision": {"data_may_leave": False},
                "options.gpt-4o-mini.sensitive_data_allowed": True,
            }
        ),
        catalog=catalog,
    )
    assert rec.ruled_out == {GPT: "hard constraints"}
    assert rec.option == MINI


def test_pinned_model_rules_out_unpinned_apis(catalog):
    pinned = {"decision": {"model_must_stay_pinned": True}}
    rec = recommend(build(pinned), catalog=catalog)
    assert rec.ruled_out == {GPT: "hard constraints", MINI: "hard constraints"}
    assert rec.option == LAMBDA
    assert "pinned" in rec.reasons[0].finding
    kept = recommend(build(pinned | {"options.gpt-4o-mini.version_pinned": True}), catalog=catalog)
    assert kept.ruled_out == {GPT: "hard constraints"}
    assert kept.option == MINI


def test_operations_capacity_rules_out_self_hosting(catalog):
    rec = recommend(build({"decision": {"ops_fte_available": 0.5}}), catalog=catalog)
    assert rec.ruled_out == {LAMBDA: "operations capacity", AWS: "operations capacity"}
    assert set(rec.reasons[2].rules_out) == {LAMBDA, AWS}
    assert "0.5 FTE available" in rec.reasons[2].finding
    assert rec.option == MINI
    # Exactly enough FTEs is enough.
    enough = recommend(
        build({"decision": {"ops_fte_available": 1.0, "data_may_leave": False}}), catalog=catalog
    )
    assert enough.ruled_out == {GPT: "hard constraints", MINI: "hard constraints"}
    assert enough.option == LAMBDA


def test_time_to_ship_rules_out_slow_options(catalog):
    rec = recommend(build({"decision": {"ship_within_months": 1}}), catalog=catalog)
    assert rec.ruled_out == {LAMBDA: "time to ship", AWS: "time to ship"}  # default lead 3
    assert "must ship within 1 months" in rec.reasons[3].finding
    # A faster self-hosted build-out stays in.
    quick = recommend(
        build(
            {
                "decision": {"ship_within_months": 1, "data_may_leave": False},
                "options.llama-70b-aws.lead_time_months": 1,
            }
        ),
        catalog=catalog,
    )
    assert quick.ruled_out[LAMBDA] == "time to ship"
    assert AWS not in quick.ruled_out
    assert quick.option == AWS
    assert quick.runner_up is None


def test_the_first_step_that_rules_an_option_out_is_recorded(catalog):
    rec = recommend(
        build({"decision": {"data_may_leave": False, "ops_fte_available": 0.5}}), catalog=catalog
    )
    assert rec.option is None
    assert rec.runner_up is None
    assert rec.ruled_out == {
        GPT: "hard constraints",
        MINI: "hard constraints",
        LAMBDA: "operations capacity",
        AWS: "operations capacity",
    }
    assert rec.summary().startswith("No option meets the constraints.")
    assert rec.what_would_change.empty
    assert rec.p_stays_cheapest is None


# -- robustness --------------------------------------------------------------------------------


def test_p_stays_cheapest_is_none_without_uncertainty(in_house):
    assert in_house.simulation is None
    assert in_house.p_stays_cheapest is None


def test_p_stays_cheapest_counts_only_feasible_options(catalog):
    scenario = build({"decision": {"data_may_leave": False}}).with_uncertainty(
        {f"options.{LAMBDA}.price_factor": LogNormal(0.8, 1.8)}
    )
    rec = recommend(scenario, n=600, seed=4, catalog=catalog)
    assert rec.option == LAMBDA
    npv = rec.simulation.npv
    expected = float(np.mean(npv[LAMBDA] < npv[AWS]))
    assert rec.p_stays_cheapest == pytest.approx(expected)
    assert 0.0 < rec.p_stays_cheapest < 1.0
    # Over every option it would be 0: the ruled-out API is cheaper in every sample.
    assert (npv[MINI] < npv[LAMBDA]).all()
    assert f"{rec.p_stays_cheapest:.0%} of 600 Monte Carlo samples" in rec.summary()


def test_what_would_change_really_changes_the_answer(in_house, catalog):
    change = in_house.what_would_change
    assert list(change.columns) == ["input", "base_value", "break_even_value", "swing_usd"]
    assert 0 < len(change) <= 3
    assert (np.diff(change["swing_usd"].to_numpy()) <= 0).all()
    # The rows are the tornado's first ones.
    assert list(change["input"]) == list(in_house.tornado["input"][: len(change)])
    finite = change[np.isfinite(change["break_even_value"].astype(float))]
    assert len(finite) > 0
    base = build({"decision": {"data_may_leave": False}})
    for _, row in finite.iterrows():
        at = build({row["input"]: row["break_even_value"]}, data=base.model_dump())
        gap, scale = npv_gap(at, catalog, in_house.option, in_house.runner_up)
        if abs(gap) > 1e-6 * scale:  # a capacity step: the order flips across the value
            step = 1e-4 * abs(row["break_even_value"])
            below = build({row["input"]: row["break_even_value"] - step}, data=base.model_dump())
            above = build({row["input"]: row["break_even_value"] + step}, data=base.model_dump())
            gap_below, _ = npv_gap(below, catalog, in_house.option, in_house.runner_up)
            gap_above, _ = npv_gap(above, catalog, in_house.option, in_house.runner_up)
            assert gap_below * gap_above < 0, row["input"]
        assert f"Would change if {row['input']}" in in_house.summary()


def test_what_would_change_top(catalog):
    scenario = build({"decision": {"data_may_leave": False}})
    assert len(recommend(scenario, catalog=catalog, top=1).what_would_change) == 1
    five = recommend(scenario, catalog=catalog, top=5).what_would_change
    assert len(five) == 5


# -- rules of thumb ----------------------------------------------------------------------------


def test_rules_of_thumb_on_the_default_scenario(catalog, default_rec):
    scenario = default_scenario()
    workload = scenario.workload
    assert (workload.requests_per_month, workload.input_tokens_per_request) == (2e6, 1800)
    assert (workload.output_tokens_per_request, workload.cached_input_share) == (350, 0.3)
    sheet = catalog.api_price("openai/gpt-4o-mini")
    bill = (
        2e6 * 1800 * 0.7 * sheet.input_usd_per_mtok / 1e6
        + 2e6 * 1800 * 0.3 * sheet.cached_input_usd_per_mtok / 1e6
        + 2e6 * 350 * sheet.output_usd_per_mtok / 1e6
        + 200  # monitoring
    )
    assert bill < 3000
    rules = default_rec.rules_of_thumb.set_index("rule")
    under = rules.loc["API bill under 3,000 USD/month: stay on the API"]
    assert f"{bill:,.0f} USD/month" in under["your_value"]
    assert MINI in under["your_value"]
    assert (under["rule_says"], under["computed_says"], under["agrees"]) == ("API", "API", True)
    # 4,300M tokens a month is far above the article's 50-60M: the rule says self-host, the
    # computation says API. The rule of thumb is wrong here.
    tokens = rules.loc["self-hosting pays above about 50-60M tokens/month"]
    assert tokens["your_value"].startswith("4,300M tokens/month")
    assert (tokens["rule_says"], tokens["computed_says"]) == ("self-host", "API")
    assert tokens["agrees"] == False  # noqa: E712
    assert "no self-hosted option here ever breaks even" in tokens["note"]


def test_rules_agree_column_matches_the_answers(default_rec, in_house):
    for rec in (default_rec, in_house):
        rules = rec.rules_of_thumb
        assert list(rules.columns) == [
            "rule",
            "source",
            "your_value",
            "rule_says",
            "computed_says",
            "agrees",
            "note",
        ]
        kind = rec.comparison.totals.loc[rec.option, "kind"]
        family = {"api": "API", "self_hosted": "self-host"}[kind]
        assert (rules["computed_says"] == family).all()
        for row in rules.to_dict("records"):  # (iterrows would turn None into NaN)
            if row["rule_says"] == "either":
                assert row["agrees"] is None
            else:
                assert row["agrees"] == (row["rule_says"] == family)
    assert rules.attrs["computed"] == in_house.option


def test_rules_with_a_large_bill_and_high_steady_volume(catalog):
    # 20M requests a month on steady traffic, only gpt-4o as the API: self-hosting wins.
    data = base_dict()
    data["options"] = {n: data["options"][n] for n in (GPT, LAMBDA)}
    scenario = build(
        {"workload.requests_per_month": 2e7, "workload.traffic.peak_to_mean": 1.5}, data=data
    )
    result = compare(scenario, catalog)
    assert result.cheapest == LAMBDA
    rules = rules_of_thumb(result).set_index("rule")
    assert rules.loc["API bill under 3,000 USD/month: stay on the API", "rule_says"] == "either"
    assert rules.loc["API bill under 3,000 USD/month: stay on the API", "agrees"] is None
    growing = rules.loc["API bill over 5,000 USD/month and growing: consider self-hosting"]
    assert (growing["rule_says"], growing["agrees"]) == ("self-host", True)
    assert growing["your_value"].endswith(", growing")
    tokens = rules.loc["self-hosting pays above about 50-60M tokens/month"]
    assert (tokens["rule_says"], tokens["agrees"]) == ("self-host", True)
    pair = next(p for p in result.pairs if p.api == GPT)
    assert f"{pair.break_even_tokens_per_month / 1e6:,.0f}M tokens/month" in tokens["note"]
    answers = checklist(scenario, result).set_index("question")["answer"]
    assert answers["Is the volume high and steady?"] == "yes"


def test_rules_judge_the_option_passed_in(catalog):
    result = compare(build(), catalog)
    rules = rules_of_thumb(result, LAMBDA)
    assert (rules["computed_says"] == "self-host").all()
    assert rules.attrs["computed"] == LAMBDA
    tokens = rules.set_index("rule").loc["self-hosting pays above about 50-60M tokens/month"]
    assert tokens["agrees"] == True  # noqa: E712


# -- checklist ---------------------------------------------------------------------------------

QUESTIONS = [
    "Must the data stay in-house?",
    "Is the volume high and steady?",
    "Must the model version stay pinned?",
    "Can the team run it (FTEs available vs needed)?",
    "Must you ship faster than self-hosting allows?",
]


def test_checklist_without_constraints(default_rec):
    table = default_rec.checklist
    assert list(table["question"]) == QUESTIONS
    assert list(table.columns) == ["question", "answer", "points_to", "basis"]
    assert list(zip(table["answer"], table["points_to"], strict=True)) == [
        ("no", "either"),
        ("no", "API"),
        ("no", "either"),
        ("not stated", "either"),
        ("not stated", "either"),
    ]


def test_checklist_reflects_the_decision_block(catalog):
    scenario = build(
        {
            "decision": {
                "data_may_leave": False,
                "model_must_stay_pinned": True,
                "ops_fte_available": 0.5,
                "ship_within_months": 1,
            }
        }
    )
    table = checklist(scenario, compare(scenario, catalog))
    assert list(table["question"]) == QUESTIONS
    assert list(zip(table["answer"], table["points_to"], strict=True)) == [
        ("yes", "self-host"),
        ("no", "API"),
        ("yes", "self-host"),
        ("no", "API"),
        ("yes", "API"),
    ]
    assert table.loc[0, "basis"] == "decision.data_may_leave is false"
    assert table.loc[3, "basis"] == "0.5 FTE available, 1 needed at least"
    assert table.loc[4, "basis"] == "deadline 1 months, self-hosting takes 3"


def test_checklist_with_enough_people_and_time(catalog):
    scenario = build({"decision": {"ops_fte_available": 2, "ship_within_months": 6}})
    table = checklist(scenario, compare(scenario, catalog))
    assert list(zip(table["answer"], table["points_to"], strict=True))[3:] == [
        ("yes", "either"),
        ("no", "either"),
    ]


# -- presentation ------------------------------------------------------------------------------


def test_summary_mentions_the_option_and_every_step(in_house):
    text = in_house.summary()
    assert text.startswith(f"Recommended: {LAMBDA_LABEL} (NPV ")
    assert f"{in_house.npv_usd[LAMBDA]:,.0f} USD over 36 months" in text
    gap = in_house.npv_usd[AWS] - in_house.npv_usd[LAMBDA]
    assert f"Runner-up: {AWS}, {gap:,.0f} USD dearer." in text
    for i, step in enumerate(STEPS, start=1):
        assert f"{i}. {step}: " in text
    assert str(in_house) == text


def test_html_lists_the_summary(in_house, default_rec):
    for rec in (in_house, default_rec):
        page = rec._repr_html_()
        assert isinstance(page, str)
        assert page.startswith("<ul>")
        assert page.count("<li>") == len(rec.summary().splitlines())
        assert "Rules of thumb" in page
        assert "<table" in page
    assert "Llama 3.3 70B on Lambda 8x H100" in in_house._repr_html_()


def test_html_escapes_labels(catalog):
    rec = recommend(
        build(
            {
                "decision": {"data_may_leave": False},
                f"options.{LAMBDA}.label": "Llama <fast> & cheap",
            }
        ),
        catalog=catalog,
    )
    page = rec._repr_html_()
    assert "Llama &lt;fast&gt; &amp; cheap" in page
    assert "<fast>" not in page


def test_default_recommendation_is_robust_to_seed(catalog):
    scenario = default_scenario().with_uncertainty(
        {"workload.requests_per_month": Uniform(1e6, 3e6)}
    )
    first = recommend(scenario, n=200, seed=1, catalog=catalog)
    again = recommend(scenario, n=200, seed=1, catalog=catalog)
    assert first.p_stays_cheapest == again.p_stays_cheapest
    assert first.option == MINI
    assert math.isclose(first.npv_usd[MINI], again.npv_usd[MINI])
