"""The outcome examples run, and their figures follow from hand computations.

- examples/article_001_cost_per_outcome.py: a 7B model with retries and a human against a 70B
  model that succeeds first time, cost per success and the break-even human cost;
- examples/article_000_routing.py: the article's hybrid routing table priced per outcome.

Expected values are computed here from the retry formulas of docs/outcomes-and-hybrids.md,
written out independently of llmtco, with the examples' stated inputs.
"""

from __future__ import annotations

import math
import runpy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.optimize import brentq

import llmtco

EXAMPLES = Path(__file__).parents[1] / "examples"
COST_PER_OUTCOME = EXAMPLES / "article_001_cost_per_outcome.py"
ROUTING = EXAMPLES / "article_000_routing.py"


def _retry(p: float, hard: float, f: float, n: int) -> dict[str, float]:
    """One model retried up to n times behind checks that pass a wrong answer with prob. f.

    Per group (ordinary tasks right with probability p, hard tasks never right), an attempt is
    accepted with a = p + (1 - p) f; E[attempts] = (1 - (1 - a)^n) / a, P(escalated) = (1 - a)^n,
    P(false accept) = E[attempts] (1 - p) f. The groups are mixed by the hard share.
    """

    def group(p_right: float) -> tuple[float, float, float]:
        a = p_right + (1 - p_right) * f
        attempts = n if a == 0 else (1 - (1 - a) ** n) / a
        return attempts, (1 - a) ** n, attempts * (1 - p_right) * f

    easy, hard_group = group(p), group(0.0)
    attempts, escalated, false_accept = (
        (1 - hard) * e + hard * h for e, h in zip(easy, hard_group, strict=True)
    )
    return {"attempts": attempts, "escalated": escalated, "false_accept": false_accept}


def _usd_per_run(model: str, input_tokens: float, output_tokens: float) -> float:
    sheet = llmtco.load_catalog().api_price(model)
    return (
        input_tokens * sheet.input_usd_per_mtok + output_tokens * sheet.output_usd_per_mtok
    ) / 1e6


# --- Article 001: cost per outcome --------------------------------------------------------


@pytest.fixture(scope="module")
def cost_per_outcome() -> tuple[dict[str, Any], dict[str, float]]:
    module = runpy.run_path(str(COST_PER_OUTCOME))
    return module, module["main"]()


def test_cost_per_outcome_prints(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(COST_PER_OUTCOME), run_name="__main__")
    printed = capsys.readouterr().out
    assert "published" in printed
    assert "break-even human cost" in printed
    assert "compare()" in printed


def test_cost_per_outcome_figures_are_finite_floats(
    cost_per_outcome: tuple[dict[str, Any], dict[str, float]],
) -> None:
    _, f = cost_per_outcome
    assert f
    assert all(isinstance(v, float) and math.isfinite(v) for v in f.values())


def test_hand_case(cost_per_outcome: tuple[dict[str, Any], dict[str, float]]) -> None:
    _, f = cost_per_outcome
    # Five failed attempts at 0.002 USD, then a human at 5 USD: 0.01 + 5 = 5.01 USD per solved
    # task, against 0.02 USD for the 70B; equal only when the human costs 0.02 - 0.01 USD.
    assert f["hand_small_attempts"] == 5.0
    assert f["hand_small_usd_per_success"] == pytest.approx(5.01)
    assert f["hand_large_usd_per_success"] == pytest.approx(0.02)
    assert f["hand_break_even_human_usd"] == pytest.approx(0.01)


def test_workload_sweep_matches_the_formula(
    cost_per_outcome: tuple[dict[str, Any], dict[str, float]],
) -> None:
    module, f = cost_per_outcome
    c, p, hard, n = (
        module["SMALL_USD_PER_RUN"],
        module["SMALL_P_SUCCESS"],
        module["SMALL_HARD_SHARE"],
        module["SMALL_MAX_ATTEMPTS"],
    )
    # E[attempts] = 0.9 x (1 - 0.3^5) / 0.7 + 0.1 x 5 = 1.78259; P(escalated) = 0.9 x 0.3^5 + 0.1.
    hand = _retry(p, hard, 0.0, n)
    assert hand["attempts"] == pytest.approx(1.78259, abs=1e-5)
    assert hand["escalated"] == pytest.approx(0.102187)
    assert f["workload_small_attempts"] == pytest.approx(hand["attempts"])
    assert f["workload_small_p_escalated"] == pytest.approx(hand["escalated"])
    for human_usd in module["HUMAN_USD_SWEEP"]:
        # Every task is solved (the human always succeeds): cost per success = cost per task.
        expected = c * hand["attempts"] + hand["escalated"] * human_usd
        assert f[f"sweep_small_usd_per_success_at_{human_usd:g}"] == pytest.approx(expected)
    assert f["workload_small_usd_per_success_at_hand_human"] == pytest.approx(
        c * hand["attempts"] + hand["escalated"] * 5.0
    )


def test_break_even_human_cost_equalises_costs_per_success(
    cost_per_outcome: tuple[dict[str, Any], dict[str, float]],
) -> None:
    module, f = cost_per_outcome
    c, large = module["SMALL_USD_PER_RUN"], module["LARGE_USD_PER_RUN"]
    hand = _retry(module["SMALL_P_SUCCESS"], module["SMALL_HARD_SHARE"], 0.0, 5)

    def gap(human_usd: float) -> float:
        return float(c * hand["attempts"] + hand["escalated"] * human_usd - large)

    root = brentq(gap, 0.0, 50.0, xtol=1e-14)
    assert root == pytest.approx((large - c * hand["attempts"]) / hand["escalated"])
    assert f["break_even_human_usd"] == pytest.approx(root, rel=1e-9)
    assert f["break_even_human_usd"] == pytest.approx(0.16083, abs=1e-5)
    assert f["break_even_small_usd_per_success"] == pytest.approx(
        f["break_even_large_usd_per_success"], rel=1e-9
    )
    # The 7B is cheaper per success below the break-even and dearer above it.
    for human_usd in module["HUMAN_USD_SWEEP"]:
        small = f[f"sweep_small_usd_per_success_at_{human_usd:g}"]
        assert (small < large) == (human_usd < root)


def test_cost_per_outcome_through_compare(
    cost_per_outcome: tuple[dict[str, Any], dict[str, float]],
) -> None:
    module, f = cost_per_outcome
    sizes = (module["INPUT_TOKENS_PER_REQUEST"], module["OUTPUT_TOKENS_PER_REQUEST"])
    small_run = _usd_per_run(module["SMALL_API"], *sizes)
    large_run = _usd_per_run(module["LARGE_API"], *sizes)
    assert f["compare_small_usd_per_run"] == pytest.approx(small_run)
    assert f["compare_large_usd_per_run"] == pytest.approx(large_run)
    hand = _retry(module["SMALL_P_SUCCESS"], module["SMALL_HARD_SHARE"], 0.0, 5)
    human_usd = module["HAND_HUMAN_USD"]

    assert f["compare_70b_usd_per_request"] == pytest.approx(large_run)
    assert f["compare_70b_usd_per_success"] == pytest.approx(large_run)
    assert f["compare_8b+human_success_rate"] == pytest.approx(1.0)
    assert f["compare_8b+human_usd_per_request"] == pytest.approx(
        small_run * hand["attempts"] + hand["escalated"] * human_usd
    )
    # Without a human, the escalated tasks stay unsolved: cost per success > cost per request.
    assert f["compare_8b-no-human_success_rate"] == pytest.approx(1 - hand["escalated"])
    assert f["compare_8b-no-human_usd_per_request"] == pytest.approx(small_run * hand["attempts"])
    assert f["compare_8b-no-human_usd_per_success"] == pytest.approx(
        small_run * hand["attempts"] / (1 - hand["escalated"])
    )
    # Break-even human cost at catalog prices, and the two costs per success there.
    expected = (large_run - small_run * hand["attempts"]) / hand["escalated"]
    assert f["compare_break_even_human_usd"] == pytest.approx(expected, rel=1e-6)
    assert f["compare_break_even_small_usd_per_success"] == pytest.approx(
        f["compare_break_even_large_usd_per_success"], rel=1e-6
    )


# --- Article 000: the routing table ------------------------------------------------------


@pytest.fixture(scope="module")
def routing_example() -> dict[str, Any]:
    return runpy.run_path(str(ROUTING))


@pytest.fixture(scope="module")
def routing_result(routing_example: dict[str, Any]) -> llmtco.ComparisonResult:
    return llmtco.compare(routing_example["scenario"]())


@pytest.fixture(scope="module")
def routing_figures(routing_example: dict[str, Any]) -> dict[str, float]:
    figures: dict[str, float] = routing_example["main"]()
    return figures


def test_routing_prints(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROUTING), run_name="__main__")
    printed = capsys.readouterr().out
    assert "published" in printed
    assert "regulatory_review reaches only" in printed
    assert "checked" in printed
    assert "Frontier" in printed


def test_routing_figures_are_finite_floats(routing_figures: dict[str, float]) -> None:
    assert routing_figures
    assert all(isinstance(v, float) and math.isfinite(v) for v in routing_figures.values())


def test_regulatory_review_stays_self_hosted(
    routing_example: dict[str, Any],
    routing_result: llmtco.ComparisonResult,
    routing_figures: dict[str, float],
) -> None:
    routing = routing_result.routing
    regulatory = routing[routing["request_class"] == "regulatory_review"]
    assert set(regulatory["option"]) == set(routing_example["OPTIONS"])
    assert (regulatory["backend_kind"] == "self_hosted").all()
    assert (regulatory["calls_per_request"] > 0).all()
    assert routing_figures["regulatory_api_calls_per_request"] == 0.0
    # No API backend receives a single regulatory call in any option.
    api = routing[(routing["backend_kind"] == "api") & routing["sensitive"]]
    assert api.empty
    # And it is guaranteed by validation: routing it to the frontier API is refused.
    data = routing_example["scenario"]().model_dump(mode="json", exclude_unset=True)
    data["options"]["article_table"]["routes"][0] = {"sensitive": True, "to": "frontier"}
    with pytest.raises(llmtco.ScenarioError, match="sensitive class 'regulatory_review'"):
        llmtco.Scenario.from_dict(data)


def test_optimised_hybrid_meets_its_floor(
    routing_example: dict[str, Any],
    routing_result: llmtco.ComparisonResult,
    routing_figures: dict[str, float],
) -> None:
    floor = routing_example["SUCCESS_FLOOR"]
    assert routing_figures["success_floor"] == floor
    assert routing_figures["optimised_success_rate"] >= floor - 1e-9
    # The option's success rate is the class-share-weighted success of its classes.
    routing = routing_result.routing
    per_class = routing[routing["option"] == "optimised"].drop_duplicates("request_class")
    weighted = float((per_class["class_share"] * per_class["success_rate"]).sum())
    assert weighted == pytest.approx(routing_figures["optimised_success_rate"])
    # Sensitive data may not reach an API, so regulatory review is pinned to the local model.
    regulatory = per_class[per_class["request_class"] == "regulatory_review"]
    assert regulatory["route"].item() == "to local"


def test_routing_classes_match_the_retry_formula(
    routing_example: dict[str, Any], routing_result: llmtco.ComparisonResult
) -> None:
    quality, task_usd = routing_example["QUALITY"], routing_example["TASK_COSTS_USD"]
    f, n = routing_example["FALSE_ACCEPT_RATE"], routing_example["MAX_ATTEMPTS"]
    routing = routing_result.routing
    rows = routing[routing["option"] == "self_hosted"].set_index("request_class")
    for name, (p, hard) in quality["local"].items():
        hand = _retry(p, hard, f, n)
        assert rows.loc[name, "calls_per_request"] == pytest.approx(hand["attempts"])
        # The person always gets it right: only false accepts are not successes.
        assert rows.loc[name, "success_rate"] == pytest.approx(1 - hand["false_accept"])
    # Triage by hand: a = 0.97 + 0.03 x 0.05 = 0.9715; E = 1 + 0.0285 = 1.0285 attempts.
    assert rows.loc["triage", "calls_per_request"] == pytest.approx(1.0285)
    assert rows.loc["triage", "success_rate"] == pytest.approx(1 - 1.0285 * 0.03 * 0.05)

    # Month 0 human and false-accept bills of the all-self-hosted option, class by class.
    classes = routing_example["CLASSES"]
    requests = routing_example["REQUESTS_PER_MONTH"]
    human = wrong = 0.0
    for name, (p, hard) in quality["local"].items():
        hand = _retry(p, hard, f, n)
        human += requests * classes[name]["share"] * hand["escalated"] * task_usd[name][0]
        wrong += requests * classes[name]["share"] * hand["false_accept"] * task_usd[name][1]
    components = routing_result.by_component("self_hosted").loc[0]
    assert components["human_escalation"] == pytest.approx(human)
    assert components["false_accepts"] == pytest.approx(wrong)


def test_code_cascade_escalates_the_local_rejects(
    routing_example: dict[str, Any], routing_result: llmtco.ComparisonResult
) -> None:
    quality = routing_example["QUALITY"]
    f, n = routing_example["FALSE_ACCEPT_RATE"], routing_example["MAX_ATTEMPTS"]
    (p_local, hard_local), (p_frontier, hard_frontier) = (
        quality[backend]["code_assistant"] for backend in ("local", "frontier")
    )
    local = _retry(p_local, hard_local, f, n)
    frontier = _retry(p_frontier, hard_frontier, f, n)
    routing = routing_result.routing
    rows = routing[
        (routing["option"] == "article_cascade") & (routing["request_class"] == "code_assistant")
    ].set_index("backend")
    assert rows.loc["local", "entry_share"] == 1.0
    assert rows.loc["frontier", "entry_share"] == 0.0
    assert rows.loc["local", "calls_per_request"] == pytest.approx(local["attempts"])
    # The frontier sees only what the local model's checks rejected twice: 0.258 x 1.167 calls.
    assert rows.loc["frontier", "calls_per_request"] == pytest.approx(
        local["escalated"] * frontier["attempts"]
    )
    assert rows.loc["frontier", "calls_per_request"] == pytest.approx(0.301149, abs=1e-6)
    success = 1 - local["false_accept"] - local["escalated"] * frontier["false_accept"]
    assert rows.loc["frontier", "success_rate"] == pytest.approx(success)


def test_routing_totals_and_frontier(
    routing_example: dict[str, Any],
    routing_result: llmtco.ComparisonResult,
    routing_figures: dict[str, float],
) -> None:
    months = routing_example["HORIZON_MONTHS"]
    for option in routing_example["OPTIONS"]:
        month0 = routing_figures[f"{option}_month0_usd"]
        # Flat volume: every month costs what month 0 does.
        assert routing_figures[f"{option}_total_usd"] == pytest.approx(months * month0)
        assert routing_figures[f"{option}_usd_per_request"] == pytest.approx(
            month0 / routing_example["REQUESTS_PER_MONTH"]
        )
        assert routing_figures[f"{option}_usd_per_success"] == pytest.approx(
            routing_figures[f"{option}_usd_per_request"] / routing_figures[f"{option}_success_rate"]
        )
    # On the frontier exactly when no other option is at least as cheap and as successful,
    # and strictly better on one.
    frontier = routing_result.frontier()
    usd = frontier["usd_per_request"].to_numpy()
    ok = frontier["success_rate"].to_numpy()
    for i, option in enumerate(frontier.index):
        dominated = np.any((usd <= usd[i]) & (ok >= ok[i]) & ((usd < usd[i]) | (ok > ok[i])))
        assert bool(frontier.loc[option, "on_frontier"]) == (not dominated)
        assert routing_figures[f"{option}_frontier"] == float(not dominated)
