"""Validation of outcomes, request classes, routes and hybrids: clear errors on bad input."""

import pytest

from llmtco import OptionOutcomes, Scenario, ScenarioError, Workload
from llmtco.models import HybridOption, RequestClass, Route


def classes(**extra):
    return {
        "easy": {"share": 0.6, "input_tokens_per_request": 100, "output_tokens_per_request": 50},
        "hard": {"share": 0.4, "input_tokens_per_request": 900, "output_tokens_per_request": 450}
        | extra,
    }


def scenario_data(options, workload=None):
    return {
        "name": "s",
        "workload": workload or {"requests_per_month": 1000, "classes": classes()},
        "options": options,
    }


API = {"kind": "api", "model": "openai/gpt-4o-mini"}
LOCAL = {
    "kind": "self_hosted",
    "instance": "aws/p5.48xlarge",
    "model": "meta/llama-3.1-8b-instruct",
    "labor": {"fte": 0},
}


def test_per_class_overrides_keep_the_rest():
    outcomes = OptionOutcomes(
        success_rate=0.9,
        max_attempts=3,
        human_usd=5.0,
        by_class={"hard": {"success_rate": 0.5, "human_usd": None}},
    )
    hard = outcomes.for_class("hard")
    assert (hard.success_rate, hard.max_attempts, hard.human_usd) == (0.5, 3, None)
    assert outcomes.for_class("easy").human_usd == 5.0


def test_class_means_are_derived_and_checked():
    workload = Workload(requests_per_month=1000, classes=classes())
    assert workload.input_tokens_per_request == pytest.approx(0.6 * 100 + 0.4 * 900)
    assert workload.output_tokens_per_request == pytest.approx(0.6 * 50 + 0.4 * 450)
    # A round trip through a dict (as compare's horizon override does) validates again.
    assert Workload.model_validate(workload.model_dump()) == workload
    with pytest.raises(ValueError, match="input_tokens_per_request is 5 but the classes"):
        Workload(requests_per_month=1000, input_tokens_per_request=5, classes=classes())


@pytest.mark.parametrize(
    ("workload", "message"),
    [
        (
            {"requests_per_month": 10, "classes": {"a": {**classes()["easy"], "share": 0.5}}},
            r"shares of classes must sum to 1; they sum to 0.5 \(a: 0.5\)",
        ),
        ({"requests_per_month": 10, "classes": {}}, "classes is empty"),
        (
            {"tokens_per_month": 1e6, "input_share": 0.5, "classes": classes()},
            "classes need the volume in requests",
        ),
    ],
)
def test_bad_classes(workload, message):
    with pytest.raises(ValueError, match=message):
        Workload(**workload)


def test_a_class_needs_tokens():
    with pytest.raises(ValueError, match="needs input or output tokens"):
        RequestClass(share=1, input_tokens_per_request=0, output_tokens_per_request=0)


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ({}, "exactly one of to, shares, cascade or choose; got none"),
        ({"to": "a", "cascade": ["a", "b"]}, r"got \['to', 'cascade'\]"),
        ({"shares": {"a": 0.5, "b": 0.4}}, "shares must sum to 1; they sum to 0.9"),
        ({"cascade": ["a"]}, "at least 2 items"),
    ],
)
def test_bad_routes(route, message):
    with pytest.raises(ValueError, match=message):
        Route(**route)


def test_routes_match_on_every_condition():
    hard = RequestClass(
        share=1, input_tokens_per_request=5000, output_tokens_per_request=1, difficulty="hard"
    )
    assert Route(to="a").matches("x", hard)
    assert Route(to="a", difficulty=["hard"], min_input_tokens=4000).matches("x", hard)
    assert not Route(to="a", difficulty=["hard"], min_input_tokens=6000).matches("x", hard)
    assert not Route(to="a", sensitive=True).matches("x", hard)
    assert not Route(to="a", classes=["y"]).matches("x", hard)


@pytest.mark.parametrize(
    ("hybrid", "message"),
    [
        (
            {"routes": [{"to": "nope"}]},
            r"routes\[0\] names backend 'nope'; the backends are: gpt, local",
        ),
        (
            {"routes": [{"to": "gpt"}], "failover_to": "local"},
            "failover_to must name an API backend",
        ),
        ({"routes": [{"choose": ["gpt", "local"]}]}, "routes with choose need optimize"),
        (
            {"routes": [{"to": "gpt"}], "optimize": {"min_success_rate": 0.9}},
            "optimize needs at least one choose route",
        ),
        (
            {"routes": [{"choose": ["gpt"]}], "optimize": {}},
            "exactly one of min_success_rate or max_usd_per_request",
        ),
    ],
)
def test_bad_hybrids(hybrid, message):
    with pytest.raises(ValueError, match=message):
        HybridOption(backends={"gpt": API, "local": LOCAL}, **hybrid)


def test_scenario_errors_name_the_key_path():
    hybrid = {
        "kind": "hybrid",
        "backends": {"gpt": API},
        "routes": [{"classes": ["easy"], "to": "gpt"}],
    }
    with pytest.raises(
        ScenarioError, match=r"options\.h\.routes: no route matches request class 'hard'"
    ):
        Scenario.from_dict(scenario_data({"h": hybrid}))
    hybrid["routes"] = [{"classes": ["typo"], "to": "gpt"}, {"to": "gpt"}]
    with pytest.raises(ScenarioError, match=r"options\.h\.routes\[0\]\.classes names unknown"):
        Scenario.from_dict(scenario_data({"h": hybrid}))
    api = API | {"outcomes": {"success_rate": 0.9, "by_class": {"typo": {"success_rate": 0.1}}}}
    with pytest.raises(ScenarioError, match=r"options\.a\.outcomes\.by_class names unknown"):
        Scenario.from_dict(scenario_data({"a": api}))


def test_outcomes_need_requests():
    data = scenario_data(
        {"a": API | {"outcomes": {"success_rate": 0.9}}},
        workload={"tokens_per_month": 1e6, "input_share": 0.5},
    )
    with pytest.raises(
        ScenarioError, match="outcomes, request classes and hybrid options count requests"
    ):
        Scenario.from_dict(data)


def test_sensitive_class_may_not_be_routed_to_an_api_backend():
    hybrid = {
        "kind": "hybrid",
        "backends": {"gpt": API, "local": LOCAL},
        "routes": [{"difficulty": ["medium"], "cascade": ["local", "gpt"]}, {"to": "local"}],
    }
    data = scenario_data(
        {"h": hybrid}, {"requests_per_month": 10, "classes": classes(sensitive=True)}
    )
    with pytest.raises(
        ScenarioError,
        match=r"options\.h\.routes\[0\] sends sensitive class 'hard' to API backend\(s\) \['gpt'\]",
    ):
        Scenario.from_dict(data)
    # Allowed when the API's contract allows such data.
    hybrid["backends"]["gpt"] = API | {"sensitive_data_allowed": True}
    Scenario.from_dict(data)
    # A choose route with only API candidates leaves a sensitive class nowhere to go.
    hybrid["backends"]["gpt"] = API
    hybrid["routes"] = [{"choose": ["gpt"]}]
    hybrid["optimize"] = {"min_success_rate": 0.5}
    with pytest.raises(ScenarioError, match="sensitive class 'hard' may go to none of"):
        Scenario.from_dict(data)
