"""Distributions in place of numbers: parsing, key paths, and how a scenario holds them."""

import copy
import math

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from llmtco import (
    LogNormal,
    PriceTrend,
    Samples,
    Scenario,
    ScenarioError,
    Triangular,
    Uniform,
    compare,
    load_catalog,
)
from llmtco.models.uncertain import (
    Distribution,
    as_distribution,
    collect_distributions,
    get_path,
    set_path,
    split_first_key,
)

DIST = TypeAdapter(Distribution)

# An option name with dots, as the key-path rules must allow.
DOTTED = "llama-3.3.70b"


def scenario_dict() -> dict:
    """A plain scenario, like the packaged default, without any uncertain input."""
    return {
        "name": "uncertain inputs",
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
            "gpt-4o": {
                "kind": "api",
                "model": "openai/gpt-4o",
                "setup_usd": 5000,
                "overheads_usd_per_month": {"monitoring": 200},
            },
            DOTTED: {
                "kind": "self_hosted",
                "instance": "lambda/gpu_8x_h100_sxm5",
                "serving_profile": "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-nim-5000-500",
                "target_utilization": 0.7,
                "min_replicas": 2,
                "labor": {"fte": 1.0, "usd_per_fte_year": 200_000},
                "setup_usd": 40_000,
                "overheads_usd_per_month": {"monitoring": 800},
            },
        },
    }


def with_value(path: str, value, data: dict | None = None) -> dict:
    return set_path(scenario_dict() if data is None else data, path, value, create=True)


# -- compact forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ({"uniform": [1, 2]}, {"kind": "uniform", "low": 1, "high": 2}),
        ({"uniform": (1, 2)}, {"kind": "uniform", "low": 1, "high": 2}),
        ({"triangular": [1, 2, 4]}, {"kind": "triangular", "low": 1, "mode": 2, "high": 4}),
        ({"lognormal": [0.5, 2]}, {"kind": "lognormal", "low": 0.5, "high": 2}),
        ({"samples": [3, 1, 2]}, {"kind": "samples", "values": [3, 1, 2]}),
        ({"uniform": {"low": 1, "high": 2}}, {"kind": "uniform", "low": 1, "high": 2}),
        (
            {"triangular": {"low": 1, "mode": 2, "high": 4}},
            {"kind": "triangular", "low": 1, "mode": 2, "high": 4},
        ),
        ({"kind": "uniform", "low": 1, "high": 2}, {"kind": "uniform", "low": 1, "high": 2}),
        ({"kind": "samples", "values": [1]}, {"kind": "samples", "values": [1]}),
    ],
)
def test_compact_forms_parse_to_canonical(written, canonical):
    assert as_distribution(written) == canonical
    # ... and the canonical form validates to a distribution of that kind.
    assert DIST.validate_python(canonical).kind == canonical["kind"]


@pytest.mark.parametrize(
    ("obj", "canonical"),
    [
        (Uniform(1, 2), {"kind": "uniform", "low": 1.0, "high": 2.0}),
        (Triangular(1, 2, 4), {"kind": "triangular", "low": 1.0, "mode": 2.0, "high": 4.0}),
        (LogNormal(0.5, 2), {"kind": "lognormal", "low": 0.5, "high": 2.0}),
        (Samples([3, 1]), {"kind": "samples", "values": [3.0, 1.0]}),
        (Uniform(low=1, high=2), {"kind": "uniform", "low": 1.0, "high": 2.0}),
    ],
)
def test_python_objects_parse_to_canonical(obj, canonical):
    assert as_distribution(obj) == canonical


@pytest.mark.parametrize(
    "value",
    [3.0, 0, "uniform", None, [1, 2], {}, {"low": 1, "high": 2}, {"monitoring": 200}, {"x": 1}],
)
def test_non_distributions_give_none(value):
    assert as_distribution(value) is None


def test_canonical_form_with_unknown_kind_is_not_a_distribution():
    assert as_distribution({"kind": "api", "model": "x"}) is None


@pytest.mark.parametrize(
    ("written", "kind", "keys"),
    [
        ({"uniform": [1, 2, 3]}, "uniform", "low, high"),
        ({"uniform": [1]}, "uniform", "low, high"),
        ({"triangular": [1, 2]}, "triangular", "low, mode, high"),
        ({"lognormal": [1, 2, 3]}, "lognormal", "low, high"),
        ({"uniform": 5}, "uniform", "low, high"),
    ],
)
def test_bad_arity_names_the_kind(written, kind, keys):
    with pytest.raises(ValueError, match=rf"{kind} takes \[{keys}\]"):
        as_distribution(written)


def test_medians_and_supports():
    assert Uniform(160_000, 240_000).median == 200_000.0
    assert Triangular(0, 0, 10).median == pytest.approx(10 * (1 - 1 / math.sqrt(2)))
    assert LogNormal(100, 400).median == pytest.approx(200.0)
    assert Samples([0.55, 0.6, 0.7]).median == 0.6
    assert Samples([1, 2, 3, 4]).median == 2.0  # inverted CDF: the lower middle value
    assert Uniform(1, 3).support == (1.0, 3.0)
    low, high = LogNormal(1, 4).support
    assert 0 < low < 1  # 0.1st percentile
    assert high > 4  # 99.9th percentile


@pytest.mark.parametrize(
    ("kind", "args", "match"),
    [
        (Uniform, (2, 1), "uniform needs low < high"),
        (Uniform, (1, 1), "uniform needs low < high"),
        (Triangular, (1, 5, 3), "triangular needs low <= mode <= high"),
        (Triangular, (2, 2, 2), "triangular needs low <= mode <= high and low < high"),
        (LogNormal, (2, 1), "lognormal needs 0 < low < high"),
        (LogNormal, (0, 1), "greater than 0"),
    ],
)
def test_invalid_distributions_raise(kind, args, match):
    with pytest.raises(ValidationError, match=match):
        kind(*args)


def test_samples_need_a_value():
    with pytest.raises(ValidationError):
        Samples([])


def test_describe():
    assert Uniform(160_000, 240_000).describe() == "uniform 1.6e+05 to 2.4e+05"


# -- key paths -----------------------------------------------------------------------------------


def test_get_path_with_dotted_option_names_and_indexes():
    data = scenario_dict()
    data["workload"]["growth"] = {"multipliers": [1.0, 1.5, 2.0]}
    assert get_path(data, f"options.{DOTTED}.labor.fte") == 1.0
    assert get_path(data, f"options.{DOTTED}.overheads_usd_per_month.monitoring") == 800
    assert get_path(data, "workload.growth.multipliers[1]") == 1.5
    assert get_path(data, "options.gpt-4o") is data["options"]["gpt-4o"]


def test_longest_key_wins_when_names_share_a_prefix():
    data = {"a": {"b": {"c": 1}}, "a.b": {"c": 2}}
    assert get_path(data, "a.b.c") == 2
    assert split_first_key(data, "a.b.c") == ("a.b", "c")
    assert split_first_key({"x": [1, 2]}, "x[1]") == ("x", "[1]")


def test_get_path_missing_key_lists_known_keys():
    data = scenario_dict()
    with pytest.raises(KeyError, match=rf"no key 'nope' here \(keys: gpt-4o, {DOTTED}\)"):
        get_path(data, "options.nope.price_factor")
    with pytest.raises(KeyError, match="goes below a number"):
        get_path(data, "horizon_months.x")
    with pytest.raises(KeyError, match=r"expected an index like \[0\]"):
        get_path({"xs": [1, 2]}, "xs.first")


def test_set_path_copies_along_the_path_only():
    data = scenario_dict()
    original = copy.deepcopy(data)
    new = set_path(data, f"options.{DOTTED}.labor.fte", 2.5)
    assert new["options"][DOTTED]["labor"]["fte"] == 2.5
    assert data == original  # the input is untouched
    assert new["workload"] is data["workload"]  # branches off the path are shared
    assert new["options"]["gpt-4o"] is data["options"]["gpt-4o"]


def test_set_path_into_a_list():
    data = {"w": {"growth": {"multipliers": [1.0, 1.1, 1.2]}}}
    new = set_path(data, "w.growth.multipliers[2]", 9.0)
    assert new == {"w": {"growth": {"multipliers": [1.0, 1.1, 9.0]}}}
    assert data["w"]["growth"]["multipliers"] == [1.0, 1.1, 1.2]


def test_set_path_create():
    data = scenario_dict()
    new = set_path(data, "options.gpt-4o.price_trend.per_year", -0.3, create=True)
    assert new["options"]["gpt-4o"]["price_trend"] == {"per_year": -0.3}
    with pytest.raises(KeyError, match="no key 'price_trend'"):
        set_path(data, "options.gpt-4o.price_trend.per_year", -0.3)


def test_collect_distributions_replaces_with_placeholders():
    data = {"a": {"b": {"uniform": [1, 2]}, "c": [5, {"samples": [1, 2]}]}, "d": 3}
    body, found = collect_distributions(data)
    assert body == {"a": {"b": None, "c": [5, None]}, "d": 3}
    assert found == {
        "a.b": {"kind": "uniform", "low": 1, "high": 2},
        "a.c[1]": {"kind": "samples", "values": [1, 2]},
    }


def test_collect_distributions_names_the_path_of_a_bad_form():
    with pytest.raises(ValueError, match=r"^a\.b: uniform takes \[low, high\]"):
        collect_distributions({"a": {"b": {"uniform": [1, 2, 3]}}})


# -- a scenario with uncertain inputs ------------------------------------------------------------


def test_inline_distributions_take_their_median():
    data = scenario_dict()
    data["workload"]["requests_per_month"] = {"triangular": [1e6, 1e6, 3e6]}
    data["options"][DOTTED]["labor"]["usd_per_fte_year"] = {"uniform": [160_000, 240_000]}
    data["options"]["gpt-4o"]["price_factor"] = {"lognormal": [0.5, 2.0]}
    scenario = Scenario.from_dict(data)
    # Triangular with the mode at the low end: 1e6 + 2e6 (1 - 1/sqrt 2).
    assert scenario.workload.requests_per_month == pytest.approx(1e6 + 2e6 * (1 - 2**-0.5))
    assert scenario.options[DOTTED].labor.usd_per_fte_year == pytest.approx(200_000)
    assert scenario.options["gpt-4o"].price_factor == pytest.approx(1.0)  # sqrt(0.5 x 2)
    assert set(scenario.uncertainty) == {
        "workload.requests_per_month",
        f"options.{DOTTED}.labor.usd_per_fte_year",
        "options.gpt-4o.price_factor",
    }
    assert scenario.uncertainty["workload.requests_per_month"] == Triangular(1e6, 1e6, 3e6)
    assert isinstance(scenario.uncertainty["options.gpt-4o.price_factor"], LogNormal)


def test_python_objects_in_place_of_numbers():
    data = with_value("workload.requests_per_month", Uniform(1e6, 3e6))
    scenario = Scenario.from_dict(data)
    assert scenario.workload.requests_per_month == 2e6
    assert scenario.uncertainty == {"workload.requests_per_month": Uniform(1e6, 3e6)}


def test_declared_uncertainty_for_a_field_not_written():
    # A range declared under uncertainty leaves the scenario's value, written or default, as
    # the base value (only a distribution written in place of the number puts its median there).
    data = scenario_dict()
    assert "price_factor" not in data["options"]["gpt-4o"]
    data["options"]["gpt-4o"]["price_trend"] = {"per_year": -0.2}
    data["uncertainty"] = {
        "options.gpt-4o.price_factor": {"uniform": [0.5, 1.1]},
        "options.gpt-4o.price_trend.per_year": {"uniform": [-0.5, -0.1]},
    }
    scenario = Scenario.from_dict(data)
    assert scenario.options["gpt-4o"].price_factor == 1.0  # the default, not the median 0.8
    assert scenario.options["gpt-4o"].price_trend == PriceTrend(per_year=-0.2)
    assert scenario.uncertainty["options.gpt-4o.price_factor"] == Uniform(0.5, 1.1)
    assert scenario.uncertainty["options.gpt-4o.price_trend.per_year"] == Uniform(-0.5, -0.1)


def test_declared_range_is_still_checked_at_its_ends():
    data = scenario_dict()
    data["uncertainty"] = {"options.gpt-4o.price_factor": {"uniform": [-0.5, 1.1]}}
    with pytest.raises(ScenarioError, match=r"options\.gpt-4o\.price_factor: the low end -0\.5"):
        Scenario.from_dict(data)


def test_same_path_inline_and_declared_is_an_error():
    data = with_value("workload.requests_per_month", {"uniform": [1e6, 3e6]})
    data["uncertainty"] = {"workload.requests_per_month": {"uniform": [1e6, 2e6]}}
    with pytest.raises(ScenarioError, match=r"workload\.requests_per_month is uncertain twice"):
        Scenario.from_dict(data)


@pytest.mark.parametrize("declared", [False, True])
def test_end_outside_the_valid_range_names_path_end_and_bound(declared):
    path = f"options.{DOTTED}.target_utilization"
    data = scenario_dict()
    if declared:
        data["uncertainty"] = {path: {"uniform": [0.5, 1.2]}}
    else:
        data = with_value(path, {"uniform": [0.5, 1.2]})
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(data)
    message = str(info.value)
    assert f"uncertainty.{path}" in message
    assert "high end 1.2" in message
    assert "less than or equal to 1" in message


def test_low_end_outside_the_valid_range():
    data = with_value("workload.cached_input_share", {"uniform": [-0.2, 0.5]})
    with pytest.raises(
        ScenarioError, match=r"uncertainty.workload.cached_input_share: the low end"
    ):
        Scenario.from_dict(data)


def test_low_above_high_names_the_path():
    data = with_value("workload.requests_per_month", {"uniform": [3e6, 1e6]})
    with pytest.raises(
        ScenarioError, match=r"workload.requests_per_month: uniform needs low < high"
    ):
        Scenario.from_dict(data)


def test_unknown_option_in_a_path_raises_naming_it():
    data = scenario_dict()
    data["uncertainty"] = {"options.nope.price_factor": {"uniform": [0.5, 1.5]}}
    with pytest.raises(ScenarioError, match=r"options\.nope"):
        Scenario.from_dict(data)


def test_unknown_option_in_a_path_lists_the_option_names():
    data = scenario_dict()
    data["uncertainty"] = {"options.nope.price_factor": {"uniform": [0.5, 1.5]}}
    with pytest.raises(
        ScenarioError,
        match=rf"uncertainty\.options\.nope\.price_factor: no key 'nope' here "
        rf"\(keys: gpt-4o, {DOTTED}\)",
    ):
        Scenario.from_dict(data)


def test_unknown_field_in_a_path_raises():
    data = scenario_dict()
    data["uncertainty"] = {"workload.nope": {"uniform": [0.5, 1.5]}}
    with pytest.raises(ScenarioError, match=r"workload\.nope"):
        Scenario.from_dict(data)


def test_non_numeric_target_raises():
    data = scenario_dict()
    data["uncertainty"] = {"options.gpt-4o.model": {"uniform": [0.5, 1.5]}}
    with pytest.raises(ScenarioError, match=r"options\.gpt-4o\.model"):
        Scenario.from_dict(data)


def test_non_numeric_target_behind_a_valid_number_raises():
    # A bool field validates a number, so the check on the value's type must catch it.
    data = scenario_dict()
    data["uncertainty"] = {"options.gpt-4o.version_pinned": {"samples": [0, 1]}}
    with pytest.raises(ScenarioError, match="version_pinned"):
        Scenario.from_dict(data)


def test_integer_field_needs_whole_number_samples():
    path = f"options.{DOTTED}.min_replicas"
    with pytest.raises(ScenarioError, match=rf"uncertainty.{path} takes whole numbers"):
        Scenario.from_dict(with_value(path, {"uniform": [1, 3]}))
    with pytest.raises(ScenarioError, match="whole numbers"):
        Scenario.from_dict(with_value(path, {"samples": [1, 2.5]}))
    scenario = Scenario.from_dict(with_value(path, {"samples": [3, 1, 2]}))
    assert scenario.options[DOTTED].min_replicas == 2
    assert isinstance(scenario.options[DOTTED].min_replicas, int)
    assert scenario.uncertainty[path] == Samples([3, 1, 2])


def test_round_trip_keeps_uncertainty():
    data = with_value(f"options.{DOTTED}.labor.fte", {"uniform": [0.5, 1.5]})
    data["uncertainty"] = {"workload.growth.monthly_rate": {"triangular": [0.0, 0.02, 0.08]}}
    scenario = Scenario.from_dict(data)
    again = Scenario.from_dict(scenario.model_dump())
    assert again == scenario
    assert again.uncertainty == scenario.uncertainty
    assert again.options[DOTTED].labor.fte == 1.0
    # And through JSON-like data (mode="json").
    assert Scenario.from_dict(scenario.model_dump(mode="json")) == scenario


def test_with_uncertainty_adds_ranges_and_keeps_base_values():
    base = Scenario.from_dict(with_value("workload.requests_per_month", {"uniform": [1e6, 3e6]}))
    more = base.with_uncertainty(
        {
            "options.gpt-4o.price_factor": Uniform(0.5, 1.0),
            f"options.{DOTTED}.labor.fte": {"triangular": [0.5, 1.0, 3.0]},
        }
    )
    # The numbers the scenario holds stay its base values; the ranges are added.
    assert more.options["gpt-4o"].price_factor == 1.0
    assert more.options[DOTTED].labor.fte == 1.0
    assert more.workload.requests_per_month == 2e6
    assert more.uncertainty == {
        "workload.requests_per_month": Uniform(1e6, 3e6),
        "options.gpt-4o.price_factor": Uniform(0.5, 1.0),
        f"options.{DOTTED}.labor.fte": Triangular(0.5, 1.0, 3.0),
    }
    assert set(base.uncertainty) == {"workload.requests_per_month"}  # the original is unchanged


def test_declared_range_keeps_a_written_base_value():
    data = scenario_dict()
    data["uncertainty"] = {f"options.{DOTTED}.labor.fte": {"uniform": [1.0, 3.0]}}
    scenario = Scenario.from_dict(data)
    assert scenario.options[DOTTED].labor.fte == 1.0  # as written, not the median 2.0
    assert scenario.uncertainty[f"options.{DOTTED}.labor.fte"] == Uniform(1.0, 3.0)


def test_with_uncertainty_validates_the_range():
    base = Scenario.from_dict(scenario_dict())
    with pytest.raises(ScenarioError, match=r"high end 1\.5"):
        base.with_uncertainty({f"options.{DOTTED}.target_utilization": Uniform(0.5, 1.5)})


def test_uncertain_trend_of_an_option_without_its_own_trend(packaged_catalog):
    from llmtco import simulate

    base = Scenario.from_dict(scenario_dict())
    scenario = base.with_uncertainty({"options.gpt-4o.price_trend.per_year": Uniform(-0.5, 0.0)})
    result = simulate(scenario, n=20, catalog=packaged_catalog)
    assert result.inputs["options.gpt-4o.price_trend.per_year"].between(-0.5, 0.0).all()


def test_scenario_yaml_with_inline_distributions(tmp_path):
    text = f"""\
name: from yaml
horizon_months: 24
workload:
  requests_per_month: {{triangular: [1500000, 2000000, 2500000]}}
  input_tokens_per_request: 1800
  output_tokens_per_request: 350
  growth: {{monthly_rate: {{uniform: [0.0, 0.04]}}}}
options:
  gpt-4o:
    kind: api
    model: openai/gpt-4o
    price_factor: {{lognormal: [0.8, 1.25]}}
  {DOTTED}:
    kind: self_hosted
    instance: lambda/gpu_8x_h100_sxm5
    serving_profile: meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-nim-5000-500
    min_replicas: {{samples: [1, 2, 2, 3]}}
    labor: {{fte: 1.0, usd_per_fte_year: {{uniform: [160000, 240000]}}}}
uncertainty:
  options.{DOTTED}.target_utilization: {{uniform: [0.6, 0.8]}}
"""
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    scenario = Scenario.from_yaml(path)
    assert scenario.workload.requests_per_month == pytest.approx(2e6)
    assert scenario.workload.growth.monthly_rate == pytest.approx(0.02)
    assert scenario.options["gpt-4o"].price_factor == pytest.approx(1.0)
    assert scenario.options[DOTTED].min_replicas == 2
    assert scenario.options[DOTTED].labor.usd_per_fte_year == pytest.approx(200_000)
    assert scenario.options[DOTTED].target_utilization == pytest.approx(0.7)
    assert sorted(scenario.uncertainty) == sorted(
        [
            "workload.requests_per_month",
            "workload.growth.monthly_rate",
            "options.gpt-4o.price_factor",
            f"options.{DOTTED}.min_replicas",
            f"options.{DOTTED}.labor.usd_per_fte_year",
            f"options.{DOTTED}.target_utilization",
        ]
    )
    # The YAML round trip of the parsed scenario keeps the ranges.
    dumped = tmp_path / "again.yaml"
    dumped.write_text(yaml.safe_dump(scenario.model_dump(mode="json")), encoding="utf-8")
    assert Scenario.from_yaml(dumped).uncertainty == scenario.uncertainty


def test_yaml_with_a_bad_range_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    data = with_value("workload.cached_input_share", {"uniform": [0.2, 1.5]})
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad\.yaml.*high end 1\.5"):
        Scenario.from_yaml(path)


# -- price trends ------------------------------------------------------------------------------


def test_price_trend_one_way_only():
    with pytest.raises(ValidationError, match="give per_year or multipliers, not both"):
        PriceTrend(per_year=-0.1, multipliers=[1.0, 0.9])
    data = with_value("options.gpt-4o.price_trend", {"per_year": -0.1, "multipliers": [1.0] * 36})
    with pytest.raises(ScenarioError, match=r"options\.gpt-4o\.price_trend"):
        Scenario.from_dict(data)
    assert PriceTrend(multipliers=[1.0, 0.9]).per_year == 0.0


@pytest.mark.parametrize("per_year", [-1.0, -1.5, 10.5])
def test_price_trend_per_year_bounds(per_year):
    with pytest.raises(ValidationError):
        PriceTrend(per_year=per_year)


def test_price_trend_multipliers_positive():
    with pytest.raises(ValidationError):
        PriceTrend(multipliers=[1.0, 0.0])


def test_short_multipliers_fail_at_compare_naming_the_option():
    data = with_value("options.gpt-4o.price_trend", {"multipliers": [1.0] * 12})
    scenario = Scenario.from_dict(data)
    with pytest.raises(
        ScenarioError, match=r"options\.gpt-4o\.price_trend\.multipliers has 12 values"
    ):
        compare(scenario, load_catalog())


def test_scenario_price_trend_resolution():
    data = scenario_dict()
    data["price_trends"] = {"api": {"per_year": -0.3}, "gpu": {"per_year": -0.1}}
    data["options"]["gpt-4o"]["price_trend"] = {"per_year": 0.05}
    scenario = Scenario.from_dict(data)
    assert scenario.price_trend(scenario.options["gpt-4o"]).per_year == 0.05
    assert scenario.price_trend(scenario.options[DOTTED]).per_year == -0.1
    plain = Scenario.from_dict(scenario_dict())
    assert plain.price_trend(plain.options["gpt-4o"]) == PriceTrend()


OWNERSHIP = {"purchase_usd": 250_000, "power_kw": 10.2, "usd_per_kwh": 0.1}


@pytest.mark.parametrize(
    "extra", [{"price_factor": 1.2}, {"price_trend": {"per_year": -0.1}}], ids=["factor", "trend"]
)
def test_price_factor_and_trend_refused_on_owned_servers(extra):
    data = scenario_dict()
    data["options"][DOTTED] |= {"purchase": "owned", "ownership": OWNERSHIP} | extra
    with pytest.raises(ScenarioError, match="price_factor and price_trend apply to rented"):
        Scenario.from_dict(data)


def test_uncertain_price_factor_refused_on_owned_servers():
    data = scenario_dict()
    data["options"][DOTTED] |= {"purchase": "owned", "ownership": OWNERSHIP}
    data["uncertainty"] = {f"options.{DOTTED}.price_factor": {"uniform": [0.8, 1.2]}}
    with pytest.raises(ScenarioError, match="price_factor and price_trend apply to rented"):
        Scenario.from_dict(data)


def test_owned_server_costs_may_be_uncertain():
    data = scenario_dict()
    data["options"][DOTTED] |= {"purchase": "owned", "ownership": OWNERSHIP}
    data["uncertainty"] = {
        f"options.{DOTTED}.ownership.purchase_usd": {"uniform": [200_000, 300_000]},
        f"options.{DOTTED}.ownership.usd_per_kwh": {"lognormal": [0.05, 0.2]},
    }
    scenario = Scenario.from_dict(data)
    assert scenario.options[DOTTED].ownership.purchase_usd == 250_000
    assert scenario.options[DOTTED].ownership.usd_per_kwh == pytest.approx(0.1)


@pytest.mark.parametrize(
    ("path", "value", "spread", "shown"),
    [
        # A growth rate of 4 with a range of 0.01-0.07 once ran and reported 5e28 USD.
        ("workload.growth.monthly_rate", 0.9, {"uniform": [0.01, 0.07]}, "0.9"),
        # A volume changed after its range was written: sampled around the old value.
        ("workload.requests_per_month", 5e6, {"triangular": [1e6, 1.5e6, 2e6]}, "5e+06"),
        ("options.gpt-4o.price_factor", 1.0, {"uniform": [0.5, 0.9]}, "1"),  # the default
        ("options.gpt-4o.setup_usd", 100.0, {"samples": [1000, 2000]}, "100"),
    ],
)
def test_a_base_value_outside_its_declared_range_is_an_error(path, value, spread, shown):
    data = scenario_dict()
    if path != "options.gpt-4o.price_factor":
        data = set_path(data, path, value, create=True)
    data["uncertainty"] = {path: spread}
    with pytest.raises(ScenarioError) as excinfo:
        Scenario.from_dict(data, source="s.yaml")
    message = str(excinfo.value)
    assert message.startswith(f"s.yaml: uncertainty.{path}: the scenario's value {shown} there ")
    assert "lies outside its own range" in message


def test_a_lognormal_range_admits_base_values_in_its_tails():
    data = scenario_dict()
    data["uncertainty"] = {"workload.requests_per_month": {"lognormal": [2e6, 8e6]}}
    data["workload"]["requests_per_month"] = 1.5e6  # below the 5th percentile, above the 0.1st
    assert Scenario.from_dict(data).workload.requests_per_month == 1.5e6


def test_a_list_where_a_kind_belongs_is_a_scenario_error():
    # Found by tests/test_fuzz.py: `kind: []` escaped as TypeError (unhashable type: 'list').
    data = scenario_dict()
    data["options"]["gpt-4o"]["kind"] = []
    with pytest.raises(ScenarioError, match=r"options\.gpt-4o"):
        Scenario.from_dict(data)


@pytest.mark.parametrize(
    "distribution",
    [
        {"triangular": [-1.9e154, 2e6, 2.8e6]},
        {"uniform": [1e6, 1e300]},
        {"lognormal": [1e6, 1e200]},
        {"samples": [1e6, -1e20]},
    ],
)
def test_a_range_beyond_the_magnitude_bound_is_refused(distribution):
    # Found by the long fuzz run: a triangular low of -1.9e154 overflowed its quantile.
    from llmtco import default_scenario

    data = default_scenario().model_dump(mode="json", exclude_defaults=True)
    data["uncertainty"]["workload.requests_per_month"] = distribution
    with pytest.raises(
        ScenarioError,
        match=r"uncertainty\.workload\.requests_per_month\.\w+(\.1)?: Input should be .*"
        r"1000000000000000 \(got",
    ):
        Scenario.from_dict(data)
