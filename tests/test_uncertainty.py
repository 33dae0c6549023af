"""Uncertain scenarios: price factors and trends, evaluate, simulate, break-even, tornado."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtco import (
    Samples,
    Scenario,
    ScenarioError,
    Triangular,
    Uniform,
    break_even_input,
    compare,
    simulate,
    tornado,
)
from llmtco.models.uncertain import set_path
from llmtco.uncertainty import evaluate

GPT = "gpt-4o"
MINI = "gpt-4o-mini"
LLAMA = "llama-70b-lambda"
L = f"options.{LLAMA}"
PAIR = (GPT, LLAMA)
API_COMPONENTS = ("api_input", "api_cached_input", "api_output")

# Month-0 volume of the base workload: 2e6 requests x (1800 in, 30% cached; 350 out).
REQUESTS = 2_000_000
UNCACHED_IN = REQUESTS * 1800 * 0.7
CACHED_IN = REQUESTS * 1800 * 0.3
OUT = REQUESTS * 350


def base_dict() -> dict:
    """The packaged default's numbers, spelled out (no uncertain inputs, three options)."""
    return {
        "name": "uncertainty tests",
        "horizon_months": 36,
        "discount_rate_per_year": 0.08,
        "hours_per_month": 730,
        "workload": {
            "requests_per_month": REQUESTS,
            "input_tokens_per_request": 1800,
            "output_tokens_per_request": 350,
            "cached_input_share": 0.3,
            "growth": {"monthly_rate": 0.04},
            "traffic": {"peak_to_mean": 2.5},
        },
        "options": {
            GPT: {
                "kind": "api",
                "model": "openai/gpt-4o",
                "setup_usd": 5000,
                "overheads_usd_per_month": {"monitoring": 200},
            },
            MINI: {
                "kind": "api",
                "model": "openai/gpt-4o-mini",
                "setup_usd": 5000,
                "overheads_usd_per_month": {"monitoring": 200},
            },
            LLAMA: {
                "kind": "self_hosted",
                "label": "Llama 3.3 70B on Lambda 8x H100",
                "instance": "lambda/gpu_8x_h100_sxm5",
                "serving_profile": "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-nim-5000-500",
                "purchase": "on_demand",
                "target_utilization": 0.7,
                "min_replicas": 2,
                "labor": {"fte": 1.0, "usd_per_fte_year": 200_000},
                "setup_usd": 40_000,
                "overheads_usd_per_month": {"monitoring": 800, "storage_and_egress": 400},
            },
        },
    }


def build(changes: dict | None = None, data: dict | None = None) -> Scenario:
    data = base_dict() if data is None else data
    for path, value in (changes or {}).items():
        data = set_path(data, path, value, create=True)
    return Scenario.from_dict(data)


def only(data: dict, *names: str) -> dict:
    return data | {"options": {n: data["options"][n] for n in names}}


@pytest.fixture(scope="module")
def catalog(packaged_catalog):
    return packaged_catalog


@pytest.fixture(scope="module")
def base(catalog):
    return build()


@pytest.fixture(scope="module")
def base_result(base, catalog):
    return compare(base, catalog)


def npv_of(scenario: Scenario, catalog, name: str) -> float:
    return float(compare(scenario, catalog).totals.loc[name, "npv_usd"])


def hand_npv(monthly: np.ndarray, rate: float) -> np.ndarray:
    months = np.arange(monthly.shape[-1])
    return (monthly * (1 + rate) ** (-months / 12)).sum(axis=-1)


# -- price factor ------------------------------------------------------------------------------


def test_api_price_factor_scales_every_api_component(catalog, base_result):
    half = compare(build({"options.gpt-4o.price_factor": 0.5}), catalog)
    before, after = base_result.by_component(GPT), half.by_component(GPT)
    for component in API_COMPONENTS:
        np.testing.assert_allclose(after[component], 0.5 * before[component], rtol=1e-12)
    for component in ("setup", "overhead:monitoring", "labor"):
        np.testing.assert_array_equal(after[component], before[component])
    # The other options do not move.
    pd.testing.assert_frame_equal(half.by_component(MINI), base_result.by_component(MINI))
    pd.testing.assert_frame_equal(half.by_component(LLAMA), base_result.by_component(LLAMA))


def test_api_price_factor_hand_worked_month_zero(catalog):
    sheet = catalog.api_price("openai/gpt-4o")
    result = compare(build({"options.gpt-4o.price_factor": 0.5}), catalog)
    month0 = result.by_component(GPT).iloc[0]
    assert month0["api_input"] == pytest.approx(0.5 * UNCACHED_IN * sheet.input_usd_per_mtok / 1e6)
    assert month0["api_cached_input"] == pytest.approx(
        0.5 * CACHED_IN * sheet.cached_input_usd_per_mtok / 1e6
    )
    assert month0["api_output"] == pytest.approx(0.5 * OUT * sheet.output_usd_per_mtok / 1e6)


def test_self_hosted_price_factor_scales_gpu_lines_only(catalog, base_result):
    double = compare(build({f"{L}.price_factor": 2.0}), catalog)
    before, after = base_result.by_component(LLAMA), double.by_component(LLAMA)
    np.testing.assert_allclose(after["gpu_used"], 2 * before["gpu_used"], rtol=1e-12)
    np.testing.assert_allclose(after["gpu_idle"], 2 * before["gpu_idle"], rtol=1e-12)
    for component in ("labor", "setup", "variable", "overhead:monitoring"):
        np.testing.assert_array_equal(after[component], before[component])
    # Same capacity: the price changes, not the replicas.
    cap_before = base_result.capacity.query("option == @LLAMA")["replicas"].to_numpy()
    cap_after = double.capacity.query("option == @LLAMA")["replicas"].to_numpy()
    np.testing.assert_array_equal(cap_after, cap_before)


def test_self_hosted_gpu_hand_worked_month_zero(catalog, base_result):
    # lambda/gpu_8x_h100_sxm5 at its hourly price x 730 h x instances running.
    instance = catalog.gpu_instance("lambda/gpu_8x_h100_sxm5")
    month0 = base_result.by_component(LLAMA).iloc[0]
    instances = base_result.capacity.query("option == @LLAMA")["instances"].iloc[0]
    gpu = month0["gpu_used"] + month0["gpu_idle"]
    assert gpu == pytest.approx(instances * instance.on_demand_usd_per_hour * 730)
    assert month0["labor"] == pytest.approx(200_000 / 12)


# -- price trends ------------------------------------------------------------------------------


def test_api_trend_per_year(catalog, base_result):
    trended = compare(build({"options.gpt-4o.price_trend": {"per_year": -0.3}}), catalog)
    before, after = base_result.by_component(GPT), trended.by_component(GPT)
    months = np.arange(36)
    for component in API_COMPONENTS:
        assert after[component].iloc[0] == pytest.approx(before[component].iloc[0])
        assert after[component].iloc[12] == pytest.approx(0.7 * before[component].iloc[12])
        assert after[component].iloc[24] == pytest.approx(0.49 * before[component].iloc[24])
        np.testing.assert_allclose(
            after[component], before[component] * 0.7 ** (months / 12), rtol=1e-12
        )
    for component in ("setup", "overhead:monitoring", "labor"):
        np.testing.assert_array_equal(after[component], before[component])
    pd.testing.assert_frame_equal(trended.by_component(MINI), base_result.by_component(MINI))
    np.testing.assert_array_equal(trended.tokens_per_month, base_result.tokens_per_month)


def test_scenario_gpu_trend_applies_to_rented_gpu_lines_only(catalog, base_result):
    trended = compare(build({"price_trends": {"gpu": {"per_year": -0.2}}}), catalog)
    before, after = base_result.by_component(LLAMA), trended.by_component(LLAMA)
    gpu_before = before["gpu_used"] + before["gpu_idle"]
    gpu_after = after["gpu_used"] + after["gpu_idle"]
    assert gpu_after.iloc[12] == pytest.approx(0.8 * gpu_before.iloc[12])
    np.testing.assert_allclose(gpu_after, gpu_before * 0.8 ** (np.arange(36) / 12), rtol=1e-12)
    for component in ("labor", "setup", "variable", "overhead:monitoring"):
        np.testing.assert_array_equal(after[component], before[component])
    for api in (GPT, MINI):
        pd.testing.assert_frame_equal(trended.by_component(api), base_result.by_component(api))


def test_gpu_trend_leaves_owned_servers_alone(catalog):
    owned = {
        f"{L}.purchase": "owned",
        f"{L}.ownership": {"purchase_usd": 250_000, "power_kw": 10.2, "usd_per_kwh": 0.1},
    }
    plain = compare(build(owned), catalog)
    trended = compare(build(owned | {"price_trends": {"gpu": {"per_year": -0.5}}}), catalog)
    pd.testing.assert_frame_equal(trended.by_component(LLAMA), plain.by_component(LLAMA))


def test_option_trend_overrides_the_scenario_default(catalog, base_result):
    trended = compare(
        build(
            {
                "price_trends": {"api": {"per_year": -0.3}},
                "options.gpt-4o.price_trend": {"per_year": 0.1},
            }
        ),
        catalog,
    )
    for name, factor in ((GPT, 1.1), (MINI, 0.7)):
        before, after = base_result.by_component(name), trended.by_component(name)
        for component in API_COMPONENTS:
            assert after[component].iloc[12] == pytest.approx(factor * before[component].iloc[12])
    # The API trend does not touch self-hosting.
    pd.testing.assert_frame_equal(trended.by_component(LLAMA), base_result.by_component(LLAMA))


def test_trend_multipliers_apply_month_by_month(catalog, base_result):
    schedule = [1.0 - 0.02 * m if m % 2 else 1.0 + 0.01 * m for m in range(40)]
    trended = compare(build({"options.gpt-4o.price_trend": {"multipliers": schedule}}), catalog)
    before, after = base_result.by_component(GPT), trended.by_component(GPT)
    for component in API_COMPONENTS:
        np.testing.assert_allclose(after[component], before[component] * schedule[:36], rtol=1e-12)


def test_trends_leave_break_even_volume_but_move_payback(catalog):
    # At 5M requests a month self-hosting pays back against gpt-4o within the horizon.
    busy = {"workload.requests_per_month": 5e6}
    plain = compare(build(busy), catalog)
    trended = compare(build(busy | {"price_trends": {"api": {"per_year": -0.3}}}), catalog)
    pair_before = next(p for p in plain.pairs if (p.self_hosted, p.api) == (LLAMA, GPT))
    pair_after = next(p for p in trended.pairs if (p.self_hosted, p.api) == (LLAMA, GPT))
    assert pair_before.payback_within_horizon
    assert pair_after.break_even_tokens_per_month == pair_before.break_even_tokens_per_month
    assert pair_after.api_usd_per_mtok == pair_before.api_usd_per_mtok
    # Cheaper API prices later: self-hosting pays back later, or not at all.
    assert not pair_after.payback_month <= pair_before.payback_month


# -- evaluate: vectorized equals one compare per value -----------------------------------------

RNG = np.random.default_rng(20261123)

VECTOR_PATHS = {
    "workload.requests_per_month": (5e5, 2e7),
    "workload.growth.monthly_rate": (0.0, 0.1),
    "workload.traffic.peak_to_mean": (1.0, 4.0),
    "workload.traffic.burst_factor": (1.0, 2.0),
    "workload.cached_input_share": (0.0, 0.9),
    "price_trends.api.per_year": (-0.6, 0.3),
    "price_trends.gpu.per_year": (-0.6, 0.3),
    "options.gpt-4o.price_factor": (0.2, 3.0),
    f"{L}.price_factor": (0.2, 3.0),
    f"{L}.labor.fte": (0.1, 3.0),
    f"{L}.labor.usd_per_fte_year": (5e4, 4e5),
    f"{L}.overheads_usd_per_month.monitoring": (0.0, 5000.0),
    "options.gpt-4o.overheads_usd_per_month.monitoring": (0.0, 5000.0),
    f"{L}.target_utilization": (0.2, 1.0),
    f"{L}.variable_usd_per_mtok": (0.0, 1.0),
}


def random_values(low: float, high: float, k: int = 3) -> list[float]:
    return [float(v) for v in RNG.uniform(low, high, size=k)]


def assert_evaluate_matches_compare(scenario, catalog, values, *, staircase=True):
    costs, method = evaluate(scenario, values, catalog)
    k = len(next(iter(values.values())))
    for i in range(k):
        data = scenario.model_dump(exclude={"uncertainty"})
        for path, column in values.items():
            data = set_path(data, path, column[i])
        result = compare(Scenario.from_dict(data), catalog)
        wide = result.by_option()
        for name in scenario.options:
            np.testing.assert_allclose(
                costs.monthly_usd[name][i], wide[name].to_numpy(), rtol=1e-9, err_msg=name
            )
        np.testing.assert_allclose(costs.tokens_per_month[i], result.tokens_per_month, rtol=1e-12)
        for pair in result.pairs:
            got = costs.break_even_tokens_per_month[(pair.self_hosted, pair.api)][i]
            if staircase:
                assert got == pytest.approx(pair.break_even_tokens_per_month, rel=1e-9)
            else:  # not a staircase in volume: NaN when sampled, else the compare value
                assert math.isnan(got) or got == pytest.approx(
                    pair.break_even_tokens_per_month, rel=1e-9
                )
    return method


@pytest.mark.parametrize("path", list(VECTOR_PATHS))
def test_evaluate_vectorized_equals_compare(path, base, catalog):
    values = {path: random_values(*VECTOR_PATHS[path])}
    method = assert_evaluate_matches_compare(base, catalog, values)
    assert method == "vectorized"


def test_evaluate_several_inputs_at_once(base, catalog):
    values = {path: random_values(*VECTOR_PATHS[path], k=4) for path in VECTOR_PATHS}
    assert assert_evaluate_matches_compare(base, catalog, values) == "vectorized"


@pytest.mark.parametrize("name", [GPT, LLAMA])
def test_evaluate_vectorized_setup_usd(name, base, catalog):
    values = {f"options.{name}.setup_usd": [0.0, 12_000.0, 90_000.0]}
    assert assert_evaluate_matches_compare(base, catalog, values) == "vectorized"


def test_evaluate_one_sample_at_a_time_equals_vectorized(base, catalog):
    requests = random_values(5e5, 2e7, k=4)
    factor = random_values(0.5, 2.0, k=4)
    fast, fast_method = evaluate(
        base, {"workload.requests_per_month": requests, f"{L}.price_factor": factor}, catalog
    )
    # input_tokens_per_request picks price tiers: not vectorizable, so every sample is validated
    # and costed on its own. At its base value it changes nothing.
    slow, slow_method = evaluate(
        base,
        {
            "workload.requests_per_month": requests,
            f"{L}.price_factor": factor,
            "workload.input_tokens_per_request": [1800.0] * 4,
        },
        catalog,
    )
    assert (fast_method, slow_method) == ("vectorized", "one sample at a time")
    for name in base.options:
        np.testing.assert_allclose(fast.monthly_usd[name], slow.monthly_usd[name], rtol=1e-9)
    for pair, volume in fast.break_even_tokens_per_month.items():
        np.testing.assert_allclose(volume, slow.break_even_tokens_per_month[pair], rtol=1e-9)


def test_evaluate_slow_path_equals_compare(base, catalog):
    values = {"workload.input_tokens_per_request": [900.0, 2500.0]}
    assert assert_evaluate_matches_compare(base, catalog, values) == "one sample at a time"


def test_evaluate_without_values_is_compare(base, catalog, base_result):
    costs, method = evaluate(base, {}, catalog)
    assert method == "vectorized"
    for name in base.options:
        assert costs.monthly_usd[name].shape == (1, 36)
        np.testing.assert_allclose(
            costs.monthly_usd[name][0], base_result.by_option()[name], rtol=1e-12
        )


def test_evaluate_needs_equal_lengths(base, catalog):
    with pytest.raises(ValueError, match="same number of values"):
        evaluate(
            base,
            {"workload.requests_per_month": [1e6, 2e6], f"{L}.labor.fte": [1.0]},
            catalog,
        )


OWNERSHIP = {
    "purchase_usd": 250_000,
    "salvage_usd": 20_000,
    "power_kw": 10.2,
    "usd_per_kwh": 0.1,
    "life_months": 48,
    "colocation_usd_per_month": 1500,
    "maintenance_usd_per_month": 500,
}
VARIANTS = {
    "reserved_1yr": {f"{L}.instance": "gcp/a3-highgpu-8g", f"{L}.purchase": "reserved_1yr"},
    "spot": {
        f"{L}.instance": "gcp/a3-highgpu-8g",
        f"{L}.purchase": "spot",
        f"{L}.spot": {"interruption_rate_per_hour": 0.05},
    },
    "autoscale": {
        "workload.traffic": {"profile": "business_hours"},
        f"{L}.provisioning": {"policy": "autoscale"},
    },
    "owned": {f"{L}.purchase": "owned", f"{L}.ownership": OWNERSHIP},
}
VARIANT_PATHS = {
    "reserved_1yr": [
        f"{L}.price_factor",
        "price_trends.gpu.per_year",
        "workload.traffic.peak_to_mean",
    ],
    "spot": [f"{L}.price_factor", "price_trends.gpu.per_year", "workload.traffic.peak_to_mean"],
    "autoscale": [
        f"{L}.price_factor",
        "price_trends.gpu.per_year",
        "workload.traffic.burst_factor",
    ],
    "owned": [
        f"{L}.ownership.purchase_usd",
        f"{L}.ownership.salvage_usd",
        f"{L}.ownership.usd_per_kwh",
        f"{L}.ownership.pue",
        f"{L}.ownership.power_kw",
        f"{L}.ownership.colocation_usd_per_month",
        f"{L}.ownership.maintenance_usd_per_month",
    ],
}
OWNED_RANGES = {
    "purchase_usd": (1e5, 4e5),
    "salvage_usd": (0.0, 5e4),
    "usd_per_kwh": (0.03, 0.3),
    "pue": (1.0, 2.0),
    "power_kw": (5.0, 15.0),
    "colocation_usd_per_month": (0.0, 5000.0),
    "maintenance_usd_per_month": (0.0, 2000.0),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_evaluate_vectorized_equals_compare_for_purchase_variants(variant, catalog):
    scenario = build(VARIANTS[variant], data=only(base_dict(), GPT, LLAMA))
    values = {"workload.requests_per_month": random_values(5e5, 2e7, k=4)}
    values[f"{L}.target_utilization"] = random_values(0.3, 1.0, k=4)
    values["workload.growth.monthly_rate"] = random_values(0.0, 0.08, k=4)
    for path in VARIANT_PATHS[variant]:
        key = path.rsplit(".", 1)[-1]
        values[path] = random_values(*(OWNED_RANGES.get(key) or VECTOR_PATHS[path]), k=4)
    staircase = variant in ("reserved_1yr", "owned")
    method = assert_evaluate_matches_compare(scenario, catalog, values, staircase=staircase)
    assert method == "vectorized"


# -- simulate ----------------------------------------------------------------------------------

UNCERTAIN = {
    "workload.requests_per_month": Triangular(1.5e6, 2e6, 3e6),
    "workload.growth.monthly_rate": Uniform(0.01, 0.07),
    "options.gpt-4o.price_factor": Uniform(0.7, 1.3),
    f"{L}.labor.fte": Uniform(0.5, 1.5),
    f"{L}.target_utilization": Uniform(0.55, 0.85),
}


@pytest.fixture(scope="module")
def uncertain(base):
    return base.with_uncertainty(UNCERTAIN)


@pytest.fixture(scope="module")
def sim(uncertain, catalog):
    return simulate(uncertain, n=1000, seed=0, catalog=catalog)


def test_simulate_is_reproducible(uncertain, catalog, sim):
    again = simulate(uncertain, n=1000, seed=0, catalog=catalog)
    pd.testing.assert_frame_equal(again.samples, sim.samples)
    other = simulate(uncertain, n=1000, seed=1, catalog=catalog)
    assert not np.allclose(other.inputs.to_numpy(), sim.inputs.to_numpy())
    assert not np.allclose(other.npv.to_numpy(), sim.npv.to_numpy())


def test_simulate_samples_columns(sim, uncertain):
    options = list(uncertain.options)
    pairs = [f"{LLAMA} vs {GPT}", f"{LLAMA} vs {MINI}"]
    expected = (
        sorted(UNCERTAIN)
        + [f"npv_usd:{n}" for n in options]
        + [f"total_usd:{n}" for n in options]
        + ["cheapest"]
        + [f"break_even_tokens_per_month:{p}" for p in pairs]
        + [f"payback_month:{p}" for p in pairs]
    )
    assert list(sim.samples.columns) == expected
    assert len(sim.samples) == 1000
    assert sim.method == "vectorized"
    assert sim.options == options


def test_simulate_draws_stay_within_each_range(sim):
    for path, dist in UNCERTAIN.items():
        low, high = dist.support
        column = sim.inputs[path]
        assert column.between(low, high).all()
        # A thousand draws spread over the range (each tenth of it is reached).
        assert column.min() < low + 0.1 * (high - low)
        assert column.max() > high - 0.1 * (high - low)


def test_simulate_npv_is_the_discounted_sum_of_the_monthly_costs(sim, uncertain):
    for name in uncertain.options:
        expected = hand_npv(sim.costs.monthly_usd[name], uncertain.discount_rate_per_year)
        np.testing.assert_allclose(sim.npv[name], expected, rtol=1e-12)
        np.testing.assert_allclose(
            sim.total_usd[name], sim.costs.monthly_usd[name].sum(axis=1), rtol=1e-12
        )


def test_simulate_samples_equal_compare_at_their_values(sim, uncertain, catalog):
    for i in (0, 17, 999):
        data = uncertain.model_dump(exclude={"uncertainty"})
        for path in UNCERTAIN:
            data = set_path(data, path, float(sim.inputs.loc[i, path]))
        totals = compare(Scenario.from_dict(data), catalog).totals
        for name in uncertain.options:
            assert sim.npv.loc[i, name] == pytest.approx(totals.loc[name, "npv_usd"], rel=1e-9)


def test_p_cheapest_sums_to_one_and_matches_cheapest(sim):
    assert sim.p_cheapest.sum() == pytest.approx(1.0)
    shares = sim.cheapest.value_counts(normalize=True)
    for name in sim.options:
        assert sim.p_cheapest[name] == pytest.approx(shares.get(name, 0.0))
    # Independently: the argmin of each row.
    winners = np.asarray(sim.options)[np.argmin(sim.npv.to_numpy(), axis=1)]
    assert (winners == sim.cheapest.to_numpy()).all()


def test_percentiles_are_ordered(sim):
    for cumulative in (True, False):
        table = sim.percentiles(cumulative=cumulative)
        assert list(table.columns) == ["p5", "p25", "p50", "p75", "p95"]
        values = table.to_numpy()
        assert (np.diff(values, axis=1) >= -1e-9).all()
    cumulative = sim.percentiles(cumulative=True)
    for name in sim.options:
        for column in cumulative.columns:
            series = cumulative.loc[name, column].to_numpy()
            assert (np.diff(series) >= 0).all(), (name, column)
    # The 50th percentile of month 0 is the median of the samples' month-0 costs.
    monthly = sim.percentiles(cumulative=False)
    assert monthly.loc[(GPT, 0), "p50"] == pytest.approx(
        np.median(sim.costs.monthly_usd[GPT][:, 0])
    )
    assert cumulative.loc[(GPT, 35), "p95"] == pytest.approx(np.percentile(sim.total_usd[GPT], 95))


def test_npv_percentiles_are_stable_across_seeds(uncertain, catalog):
    n = 4000
    runs = [simulate(uncertain, n=n, seed=seed, catalog=catalog).npv for seed in (0, 1)]
    for name in uncertain.options:
        a, b = (run[name].to_numpy() for run in runs)
        ordered = np.sort(a)
        for q in (0.05, 0.5, 0.95):
            # Distribution-free band of a sample quantile: its rank is binomial(n, q). Two
            # independent runs differ by sqrt(2) of it; 3.3 sigma each side (about 1 in 1000).
            half = 3.3 * math.sqrt(2 * n * q * (1 - q))
            low = ordered[max(int(n * q - half), 0)]
            high = ordered[min(int(n * q + half), n - 1)]
            assert low <= np.quantile(b, q) <= high, (name, q)
        # And in relative terms (the brief's 2% is ~1.4 sigma here: gpt-4o's NPV spreads widely).
        assert np.median(a) == pytest.approx(np.median(b), rel=0.04), name
        assert np.quantile(a, 0.05) == pytest.approx(np.quantile(b, 0.05), rel=0.05), name
        assert np.quantile(a, 0.95) == pytest.approx(np.quantile(b, 0.95), rel=0.05), name


def test_simulate_without_uncertainty_repeats_compare(base, catalog, base_result):
    result = simulate(base, n=50, seed=3, catalog=catalog)
    assert result.inputs.shape == (50, 0)
    for name in base.options:
        np.testing.assert_allclose(
            result.npv[name], base_result.totals.loc[name, "npv_usd"], rtol=1e-12
        )
    assert (result.cheapest == base_result.cheapest).all()
    assert result.p_cheapest[base_result.cheapest] == 1.0
    assert result.sensitivity(PAIR).empty


def test_simulate_needs_a_sample(uncertain, catalog):
    with pytest.raises(ValueError, match="n must be at least 1"):
        simulate(uncertain, n=0, catalog=catalog)


def test_uncertain_discount_rate_enters_npv_only(base, catalog):
    scenario = base.with_uncertainty({"discount_rate_per_year": Samples([0.0, 0.05, 0.2])})
    result = simulate(scenario, n=30, seed=2, catalog=catalog)
    for rate in (0.0, 0.05, 0.2):
        rows = result.inputs.index[result.inputs["discount_rate_per_year"] == rate]
        assert len(rows) > 0
        totals = compare(build({"discount_rate_per_year": rate}), catalog).totals
        for name in base.options:
            np.testing.assert_allclose(
                result.npv.loc[rows, name], totals.loc[name, "npv_usd"], rtol=1e-9
            )
            # Monthly costs do not depend on the rate.
            np.testing.assert_allclose(
                result.total_usd.loc[rows, name], totals.loc[name, "total_usd"], rtol=1e-9
            )


def test_break_even_summary_lies_within_the_samples(sim):
    pair = f"{LLAMA} vs {GPT}"
    volumes = sim.break_even_tokens_per_month[pair].to_numpy()
    finite = volumes[np.isfinite(volumes)]
    row = sim.break_even.loc[pair]
    assert row["p_break_even_exists"] == pytest.approx(finite.size / volumes.size)
    for p in (5, 50, 95):
        value = row[f"break_even_p{p}_tokens_per_month"]
        assert finite.min() <= value <= finite.max()
    assert (
        row["break_even_p5_tokens_per_month"]
        <= row["break_even_p50_tokens_per_month"]
        <= row["break_even_p95_tokens_per_month"]
    )
    paid = sim.payback_month[pair].dropna()
    assert row["p_payback_within_horizon"] == pytest.approx(len(paid) / sim.n)
    if len(paid):
        assert paid.min() <= row["payback_p50_month"] <= paid.max()


def test_break_even_summary_of_a_pair_that_never_breaks_even(sim):
    pair = f"{LLAMA} vs {MINI}"
    assert np.isinf(sim.break_even_tokens_per_month[pair]).all()
    row = sim.break_even.loc[pair]
    assert row["p_break_even_exists"] == 0.0
    for p in (5, 50, 95):  # "never" is inf, not NaN ("not computed")
        assert row[f"break_even_p{p}_tokens_per_month"] == math.inf
    assert row["p_payback_within_horizon"] == 0.0
    assert math.isnan(row["payback_p50_month"])


def test_payback_is_nan_exactly_where_not_within_the_horizon(sim):
    pair = f"{LLAMA} vs {GPT}"
    payback = sim.payback_month[pair].to_numpy()
    self_cum = np.cumsum(sim.costs.monthly_usd[LLAMA], axis=1)
    api_cum = np.cumsum(sim.costs.monthly_usd[GPT], axis=1)
    ends_below = self_cum[:, -1] <= api_cum[:, -1]
    assert np.isnan(payback).any()
    assert not np.isnan(payback).all()
    np.testing.assert_array_equal(~np.isnan(payback), ends_below)
    for i in np.flatnonzero(~np.isnan(payback)):
        first = max(math.ceil(payback[i]), 1)
        # From the payback month on, the self-hosted cumulative cost stays at or below.
        assert (self_cum[i, first - 1 :] <= api_cum[i, first - 1 :] * (1 + 1e-9)).all()


def test_sensitivity_ranks_inputs(sim):
    table = sim.sensitivity(PAIR)
    assert set(table.index) == set(UNCERTAIN)
    rho = table["spearman_rho"]
    assert (np.diff(np.abs(rho.to_numpy())) <= 1e-12).all()
    # A dearer gpt-4o raises NPV(gpt-4o) - NPV(llama); more FTEs lower it.
    assert rho["options.gpt-4o.price_factor"] > 0.2
    assert rho[f"{L}.labor.fte"] < -0.2


# -- non-negativity and monotonicity ------------------------------------------------------------

FAST = settings(max_examples=30, deadline=None)


def two_options() -> dict:
    return only(base_dict(), GPT, LLAMA)


def monthly(scenario: Scenario, catalog) -> pd.DataFrame:
    return compare(scenario, catalog).by_option()


@FAST
@given(
    requests=st.floats(1e5, 5e7),
    more=st.floats(1.0, 3.0),
    growth=st.floats(0.0, 0.1),
    peak=st.floats(1.0, 4.0),
)
def test_more_requests_never_cost_less(catalog, requests, more, growth, peak):
    common = {"workload.growth.monthly_rate": growth, "workload.traffic.peak_to_mean": peak}
    data = two_options()
    low = monthly(build(common | {"workload.requests_per_month": requests}, data), catalog)
    high = monthly(build(common | {"workload.requests_per_month": requests * more}, data), catalog)
    assert (low.to_numpy() >= 0).all()
    for name in (GPT, LLAMA):
        assert (high[name] >= low[name] * (1 - 1e-12)).all(), name


@FAST
@given(factor=st.floats(0.05, 5.0), more=st.floats(1.0, 4.0), requests=st.floats(1e5, 5e7))
def test_higher_price_factor_never_costs_less(catalog, factor, more, requests):
    data = set_path(two_options(), "workload.requests_per_month", requests)
    for name in (GPT, LLAMA):
        path = f"options.{name}.price_factor"
        low = monthly(build({path: factor}, data), catalog)[name]
        high = monthly(build({path: factor * more}, data), catalog)[name]
        assert (high >= low * (1 - 1e-12)).all(), name


@FAST
@given(fte=st.floats(0.0, 5.0), extra=st.floats(0.0, 5.0), salary=st.floats(1e4, 5e5))
def test_more_fte_never_costs_less(catalog, fte, extra, salary):
    data = set_path(two_options(), f"{L}.labor.usd_per_fte_year", salary)
    low = monthly(build({f"{L}.labor.fte": fte}, data), catalog)[LLAMA]
    high = monthly(build({f"{L}.labor.fte": fte + extra}, data), catalog)[LLAMA]
    # Exactly the extra salaries, every month.
    np.testing.assert_allclose(high - low, extra * salary / 12, rtol=1e-9, atol=1e-6)


@FAST
@given(k=st.floats(0.01, 100.0), requests=st.floats(1e5, 5e7), growth=st.floats(0.0, 0.1))
def test_api_costs_scale_with_every_price_factor(catalog, k, requests, growth):
    data = only(base_dict(), GPT, MINI)
    for name in (GPT, MINI):
        data = set_path(data, f"options.{name}.setup_usd", 0.0)
        data = set_path(data, f"options.{name}.overheads_usd_per_month", {})
    data = set_path(data, "workload.requests_per_month", requests)
    data = set_path(data, "workload.growth.monthly_rate", growth)
    one = monthly(build(None, data), catalog)
    scaled = monthly(
        build({"options.gpt-4o.price_factor": k, "options.gpt-4o-mini.price_factor": k}, data),
        catalog,
    )
    np.testing.assert_allclose(scaled.to_numpy(), k * one.to_numpy(), rtol=1e-12)


def test_costs_are_never_negative_across_wide_ranges(base, catalog):
    rng = np.random.default_rng(4)
    k = 2000
    values = {path: rng.uniform(low, high, size=k) for path, (low, high) in VECTOR_PATHS.items()}
    costs, method = evaluate(base, values, catalog)
    assert method == "vectorized"
    for name, usd in costs.monthly_usd.items():
        assert usd.shape == (k, 36)
        assert np.isfinite(usd).all(), name
        assert (usd >= 0).all(), name


# -- break-even in one input -------------------------------------------------------------------


def test_break_even_price_factor_equalises_npvs(base, catalog):
    found = break_even_input(base, "options.gpt-4o.price_factor", PAIR, catalog=catalog)
    assert found.value is not None
    assert found.options == PAIR
    assert found.base_value == 1.0
    assert found.bounds == (0.1, 10.0)  # a tenth to ten times the base value
    assert found.equalises
    assert (found.cheaper_at_low, found.cheaper_at_high) == (GPT, LLAMA)
    assert found.crossings == (found.value,)
    assert "cost the same" in found.message
    at = build({"options.gpt-4o.price_factor": found.value})
    a, b = npv_of(at, catalog, GPT), npv_of(at, catalog, LLAMA)
    assert abs(a - b) <= 1e-6 * b
    # NPV(gpt-4o) is linear in its price factor: the root by hand from two evaluations.
    one = compare(base, catalog).totals["npv_usd"]
    two = compare(build({"options.gpt-4o.price_factor": 2.0}), catalog).totals["npv_usd"]
    slope = two[GPT] - one[GPT]
    assert found.value == pytest.approx(1.0 + (one[LLAMA] - one[GPT]) / slope, rel=1e-9)


@pytest.mark.parametrize(
    "path", [f"{L}.labor.fte", f"{L}.labor.usd_per_fte_year", "workload.growth.monthly_rate"]
)
def test_break_even_of_other_inputs_equalises_npvs(path, base, catalog):
    found = break_even_input(base, path, PAIR, catalog=catalog)
    assert found.value is not None
    low, high = found.bounds
    assert low <= found.value <= high
    at = build({path: found.value})
    a, b = npv_of(at, catalog, GPT), npv_of(at, catalog, LLAMA)
    assert abs(a - b) <= 1e-6 * max(a, b)
    assert {found.cheaper_at_low, found.cheaper_at_high} == set(PAIR)


def test_break_even_with_no_crossing_in_range(base, catalog):
    found = break_even_input(
        base, "options.gpt-4o.price_factor", PAIR, bounds=(0.1, 0.5), catalog=catalog
    )
    assert found.value is None
    assert found.crossings == ()
    assert not found.equalises
    assert found.cheaper_at_low == found.cheaper_at_high == GPT
    assert found.message.startswith("No value")
    assert found.bounds == (0.1, 0.5)


def test_break_even_bounds_are_checked(base, catalog):
    with pytest.raises(ValueError, match="low < high"):
        break_even_input(base, f"{L}.labor.fte", PAIR, bounds=(2.0, 1.0), catalog=catalog)
    with pytest.raises(ScenarioError, match="target_utilization"):
        break_even_input(base, f"{L}.target_utilization", PAIR, bounds=(0.5, 1.5), catalog=catalog)
    with pytest.raises(ScenarioError, match=rf"no option 'nope'.*{GPT}, {MINI}, {LLAMA}"):
        break_even_input(base, f"{L}.labor.fte", (GPT, "nope"), catalog=catalog)
    with pytest.raises(ScenarioError, match="not a number"):
        break_even_input(base, f"{L}.instance", PAIR, catalog=catalog)
    with pytest.raises(ScenarioError, match="is 0 in the scenario"):
        break_even_input(base, f"{L}.variable_usd_per_mtok", PAIR, catalog=catalog)


def test_break_even_default_pair_is_the_two_cheapest(base, catalog, base_result):
    found = break_even_input(base, "workload.requests_per_month", catalog=catalog)
    order = base_result.totals["npv_usd"].sort_values().index[:2]
    assert found.options == tuple(order)


def test_break_even_at_a_capacity_step(catalog):
    # Utilization changes the replica count in whole steps: the costs jump past each other.
    scenario = build({"workload.requests_per_month": 5e6})
    found = break_even_input(scenario, f"{L}.target_utilization", PAIR, catalog=catalog)
    assert found.value is not None
    assert list(found.crossings) == sorted(found.crossings)
    assert found.value in found.crossings
    assert {found.cheaper_at_low, found.cheaper_at_high} == set(PAIR)
    assert found.cheaper_at_low != found.cheaper_at_high
    # Whether or not the costs meet there, the cheaper option changes across the value.
    step = 1e-4 * found.value
    below = build(
        {"workload.requests_per_month": 5e6, f"{L}.target_utilization": found.value - step}
    )
    above = build(
        {"workload.requests_per_month": 5e6, f"{L}.target_utilization": found.value + step}
    )
    diff_below = npv_of(below, catalog, GPT) - npv_of(below, catalog, LLAMA)
    diff_above = npv_of(above, catalog, GPT) - npv_of(above, catalog, LLAMA)
    assert diff_below * diff_above < 0
    if not found.equalises:
        assert "capacity step" in found.message


def test_break_even_equalises_is_a_bool(base, catalog):
    found = break_even_input(base, "options.gpt-4o.price_factor", PAIR, catalog=catalog)
    assert type(found.equalises) is bool


# -- tornado -----------------------------------------------------------------------------------

LINEAR_RANGES = {
    f"{L}.labor.fte": (0.1, 3.0),
    f"{L}.labor.usd_per_fte_year": (20_000.0, 400_000.0),
    "options.gpt-4o.price_factor": (0.5, 3.0),
    f"{L}.price_factor": (0.2, 2.0),
    "options.gpt-4o.overheads_usd_per_month.monitoring": (0.0, 30_000.0),
}


@pytest.fixture(scope="module")
def linear_tornado(base, catalog):
    return tornado(base, PAIR, ranges=LINEAR_RANGES, catalog=catalog)


def test_tornado_columns_and_order(linear_tornado, base_result):
    frame = linear_tornado
    assert list(frame.columns) == [
        "input",
        "low_value",
        "high_value",
        "base_value",
        "metric_low_usd",
        "metric_high_usd",
        "base_metric_usd",
        "swing_usd",
        "break_even_value",
    ]
    assert set(frame["input"]) == set(LINEAR_RANGES)
    assert (np.diff(frame["swing_usd"].to_numpy()) <= 0).all()
    np.testing.assert_allclose(
        frame["swing_usd"], (frame["metric_high_usd"] - frame["metric_low_usd"]).abs()
    )
    npv = base_result.totals["npv_usd"]
    np.testing.assert_allclose(frame["base_metric_usd"], npv[GPT] - npv[LLAMA], rtol=1e-12)
    assert frame.attrs["options"] == PAIR


def test_tornado_metrics_equal_compare_at_the_ends(linear_tornado, catalog):
    row = linear_tornado.set_index("input").loc[f"{L}.labor.fte"]
    assert (row["low_value"], row["high_value"], row["base_value"]) == (0.1, 3.0, 1.0)
    for end in ("low", "high"):
        at = build({f"{L}.labor.fte": row[f"{end}_value"]})
        expected = npv_of(at, catalog, GPT) - npv_of(at, catalog, LLAMA)
        assert row[f"metric_{end}_usd"] == pytest.approx(expected, rel=1e-9)


def test_tornado_ranking_agrees_with_one_at_a_time_break_even(linear_tornado, base, catalog):
    # The metric is linear in each of these inputs: m(x) = m0 + s (x - x0). Its swing over
    # [lo, hi] is |s| (hi - lo) and its root lies |m0| / |s| from x0, so the inputs whose
    # break-even is nearer, relative to their range, swing more.
    frame = linear_tornado
    distance = {}
    for _, row in frame.iterrows():
        found = break_even_input(
            base, row["input"], PAIR, bounds=LINEAR_RANGES[row["input"]], catalog=catalog
        )
        assert found.value is not None, row["input"]
        assert found.value == pytest.approx(row["break_even_value"], rel=1e-9)
        relative = abs(found.value - row["base_value"]) / (row["high_value"] - row["low_value"])
        distance[row["input"]] = relative
        assert relative == pytest.approx(abs(row["base_metric_usd"]) / row["swing_usd"], rel=1e-6)
    by_distance = sorted(distance, key=distance.get)
    assert list(frame["input"]) == by_distance


def test_tornado_uses_the_quantiles_of_declared_ranges(uncertain, catalog):
    frame = tornado(uncertain, PAIR, catalog=catalog, break_even=False).set_index("input")
    assert set(frame.index) == set(UNCERTAIN)
    for path, dist in UNCERTAIN.items():
        assert frame.loc[path, "low_value"] == pytest.approx(float(dist.ppf(0.1)))
        assert frame.loc[path, "high_value"] == pytest.approx(float(dist.ppf(0.9)))
    assert frame["break_even_value"].isna().all()


def test_evaluate_option_trend_vectorized_equals_compare(catalog):
    scenario = build({"options.gpt-4o.price_trend": {"per_year": 0.0}})
    values = {"options.gpt-4o.price_trend.per_year": random_values(-0.6, 0.3)}
    assert assert_evaluate_matches_compare(scenario, catalog, values) == "vectorized"


def test_simulation_renders_in_jupyter_and_plots_its_bands(sim):
    import matplotlib as mpl

    mpl.use("Agg")
    import matplotlib.pyplot as plt

    shown = sim._repr_html_()
    assert "<table" in shown
    assert f"{sim.n:,} samples" in shown
    fig, ax = plt.subplots()
    assert sim.plot(ax=ax) is ax
    # One median line per option, at the cumulative p50 of every month (0 prepended).
    medians = sim.percentiles(cumulative=True)["p50"]
    lines = [
        line
        for line in ax.get_lines()
        if len(line.get_xdata()) == sim.costs.monthly_usd[LLAMA].shape[1] + 1
    ]
    assert len(lines) >= len(sim.options)
    first = sim.options[0]
    expected = np.concatenate([[0.0], medians.loc[first].to_numpy()])
    assert any(np.allclose(line.get_ydata(), expected) for line in lines)
    plt.close(fig)


def test_break_even_map_matches_compare_at_a_grid_point(base, catalog):
    from llmtco.uncertainty import break_even_map

    grid = break_even_map(
        base,
        "workload.requests_per_month",
        f"options.{LLAMA}.target_utilization",
        (LLAMA, GPT),
        x_range=(1e6, 4e7),
        y_range=(0.4, 0.9),
        n=4,
    )
    assert grid.difference_usd.shape == (4, 4)
    x, y = grid.x_values[2], grid.y_values[1]
    data = set_path(base.model_dump(), "workload.requests_per_month", float(x))
    data = set_path(data, f"options.{LLAMA}.target_utilization", float(y))
    npv = compare(Scenario.model_validate(data), catalog).totals["npv_usd"]
    assert grid.difference_usd[1, 2] == pytest.approx(npv[LLAMA] - npv[GPT], rel=1e-9)
    # Both signs occur over this range: self-hosting wins at the high-volume end.
    assert grid.difference_usd.min() < 0 < grid.difference_usd.max()


def test_tornado_refuses_a_range_the_scenario_cannot_take(base, catalog):
    with pytest.raises(ScenarioError, match=r"target_utilization.*1\.3"):
        tornado(base, (LLAMA, GPT), ranges={f"options.{LLAMA}.target_utilization": (0.5, 1.3)})
    with pytest.raises(ScenarioError, match="no key 'nope'"):
        tornado(base, (LLAMA, GPT), ranges={"options.nope.labor.fte": (0.5, 1.0)})


# --- scenarios the uncertainty tools once crashed on (issue 11) --------------------------------

RANGE = {"workload.requests_per_month": {"uniform": [1_000_000, 3_000_000]}}


def _hybrid_plus_api() -> dict:
    data = base_dict()
    data["workload"] = {
        "requests_per_month": REQUESTS,
        "classes": {
            "easy": {
                "share": 0.7,
                "input_tokens_per_request": 600,
                "output_tokens_per_request": 80,
            },
            "hard": {
                "share": 0.3,
                "input_tokens_per_request": 3000,
                "output_tokens_per_request": 600,
                "difficulty": "hard",
            },
        },
        "traffic": {"peak_to_mean": 2.0},
    }
    local = base_dict()["options"][LLAMA] | {
        "outcomes": {
            "success_rate": 0.9,
            "human_usd": 4.0,
            "by_class": {"hard": {"success_rate": 0.5}},
        }
    }
    data["options"] = {
        GPT: base_dict()["options"][GPT],
        "hybrid": {
            "kind": "hybrid",
            "backends": {
                "local": local,
                "gpt": {
                    "kind": "api",
                    "model": "openai/gpt-4o",
                    "outcomes": {"success_rate": 0.97, "human_usd": 4.0},
                },
            },
            "routes": [{"difficulty": ["hard"], "cascade": ["local", "gpt"]}, {"to": "local"}],
        },
    }
    return data


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(only(base_dict(), GPT, MINI), id="two API options"),
        pytest.param(only(base_dict(), GPT), id="one option"),
        pytest.param(_hybrid_plus_api(), id="hybrid with outcomes.by_class plus an API"),
    ],
)
def test_simulate_and_recommend_work_on_ordinary_scenarios(data, catalog):
    from llmtco import recommend

    scenario = Scenario.from_dict(data | {"uncertainty": RANGE})
    sim = simulate(scenario, n=64, seed=1, catalog=catalog)
    assert list(sim.summary.index) == list(scenario.options)
    frame = sim.break_even  # before: KeyError "None of ['pair'] are in the columns"
    assert "p_break_even_exists" in frame.columns
    assert frame.empty == (not any(o.kind == "self_hosted" for o in scenario.options.values()))
    if len(scenario.options) > 1:
        assert len(sim.sensitivity()) == 1
    else:
        with pytest.raises(ScenarioError, match="sensitivity compares two options; the scenario"):
            sim.sensitivity()
    assert recommend(scenario, n=64, seed=1, catalog=catalog).option in scenario.options


def test_a_hybrid_with_class_overrides_survives_a_dump_and_reload():
    # Before: by_class overrides dumped every unset key as null and reloaded as "success_rate:
    # null", so every per-sample scenario of a simulation failed validation.
    scenario = Scenario.from_dict(_hybrid_plus_api())
    assert Scenario.model_validate(scenario.model_dump()) == scenario
    override = scenario.options["hybrid"].backends["local"].outcomes.by_class["hard"]
    assert override.model_dump() == {"success_rate": 0.5}
