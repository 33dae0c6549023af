"""The article examples run and reproduce the hand arithmetic of seed-claims.md."""

from __future__ import annotations

import math
import runpy
from pathlib import Path

import pytest

import llmtco

EXAMPLES = Path(__file__).parents[1] / "examples"
HOURS_PER_MONTH = 730.0
GPT4O_BLENDED_USD_PER_TOKEN = 4.75e-6  # 0.7 x 2.50 + 0.3 x 10.00 USD/Mtok
GPT4O_MINI_BLENDED_USD_PER_TOKEN = 0.285e-6  # 0.7 x 0.15 + 0.3 x 0.60 USD/Mtok


def run_example(name: str) -> dict[str, float]:
    figures: dict[str, float] = runpy.run_path(str(EXAMPLES / name))["main"]()
    return figures


def instance_usd_per_month(instance_id: str) -> float:
    """On-demand price of a catalog instance over a 730-hour month [USD/month]."""
    instance = llmtco.load_catalog().gpu_instance(instance_id)
    return instance.on_demand_usd_per_hour * HOURS_PER_MONTH


@pytest.fixture(scope="module")
def article_000() -> dict[str, float]:
    return run_example("article_000_crossover.py")


@pytest.fixture(scope="module")
def article_002() -> dict[str, float]:
    return run_example("article_002_framework.py")


@pytest.fixture(scope="module")
def article_003() -> dict[str, float]:
    return run_example("article_003_smb.py")


def test_article_000_own_inputs(article_000: dict[str, float]) -> None:
    f = article_000
    # 10M tokens/day: 7M x 2.50 + 3M x 10.00 per 1M = 47.50 USD/day, x 30 days.
    assert f["api_usd_per_month_10m_per_day"] == pytest.approx(1_425.0)
    assert f["api_usd_per_month_100m_per_day"] == pytest.approx(14_250.0)
    assert f["blended_usd_per_mtok"] == pytest.approx(4.75)
    assert f["selfhost_usd_per_month_720h"] == pytest.approx(32 * 720)
    assert f["selfhost_usd_per_month_720h"] == pytest.approx(23_040.0)
    assert f["selfhost_usd_per_month_730h"] == pytest.approx(23_360.0)
    # 23,040 / 4.75 USD/Mtok = 4.85 billion tokens/month.
    assert f["break_even_tokens_per_month_720h"] == pytest.approx(4.85e9, rel=0.01)
    assert f["break_even_tokens_per_month_reserved_13000"] == pytest.approx(2.7e9, rel=0.02)
    assert f["break_even_tokens_per_month_reserved_15000"] == pytest.approx(3.2e9, rel=0.02)
    # The published 50-80M tokens/month is 40-100x too low.
    assert f["crossover_claim_off_by_factor_min"] == pytest.approx(23_040 / 4.75e-6 / 80e6)
    assert f["crossover_claim_off_by_factor_max"] == pytest.approx(23_040 / 4.75e-6 / 50e6)
    assert (
        40 < f["crossover_claim_off_by_factor_min"] < f["crossover_claim_off_by_factor_max"] < 100
    )


def test_article_000_savings_and_rule_of_thumb(article_000: dict[str, float]) -> None:
    f = article_000
    assert f["saving_share_at_2x_break_even"] == pytest.approx(0.5)
    # A share s is saved once 23,040 <= (1 - s) x 4.75e-6 x V.
    assert f["tokens_per_month_for_60pct_saving"] == pytest.approx(23_040 / (0.4 * 4.75e-6))
    assert f["tokens_per_month_for_70pct_saving"] == pytest.approx(23_040 / (0.3 * 4.75e-6))
    # 2,000 USD at 4.75 USD/Mtok = 421M tokens/month.
    assert f["tokens_per_month_at_2000_usd_api_spend"] == pytest.approx(421e6, rel=0.001)


def test_article_000_today(article_000: dict[str, float]) -> None:
    f = article_000
    p4d = instance_usd_per_month("aws/p4d.24xlarge")
    assert f["catalog_p4d_usd_per_month_730h"] == pytest.approx(p4d)
    assert f["catalog_p4d_break_even_tokens_per_month"] == pytest.approx(
        p4d / GPT4O_BLENDED_USD_PER_TOKEN
    )
    reserved = llmtco.load_catalog().gpu_instance("aws/p4d.24xlarge").reserved_1yr_usd_per_hour
    assert reserved is not None
    assert f["catalog_p4d_reserved_break_even_tokens_per_month"] == pytest.approx(
        reserved * HOURS_PER_MONTH / GPT4O_BLENDED_USD_PER_TOKEN
    )
    # compare(): the API line is the same 1,425; one 8x H100 node carries every volume here.
    node = instance_usd_per_month("lambda/gpu_8x_h100_sxm5")
    assert f["compare_api_usd_per_month_10m_per_day"] == pytest.approx(1_425.0)
    assert f["compare_selfhost_usd_per_month_10m_per_day"] == pytest.approx(node)
    assert f["compare_break_even_tokens_per_month"] == pytest.approx(
        node / GPT4O_BLENDED_USD_PER_TOKEN
    )
    assert f["compare_saving_share_at_2x_break_even"] == pytest.approx(0.5)


def test_article_002(article_002: dict[str, float]) -> None:
    f = article_002
    assert f["example_api_usd_1m_in_1m_out"] == pytest.approx(0.75)
    assert f["catalog_gpt4o_mini_usd_1m_in_1m_out"] == pytest.approx(0.75)
    assert f["h100_usd_per_month_at_2_69_per_hour"] == pytest.approx(2.69 * 730)
    assert f["h100_usd_per_month_at_3_99_per_hour"] == pytest.approx(2_912.7)
    # Internal assistant: 500k tokens/day x 30 = 15M tokens/month, 71 USD/month at 4.75.
    assert f["assistant_tokens_per_month"] == pytest.approx(15e6)
    assert f["assistant_api_usd_per_month_gpt4o"] == pytest.approx(71.25)
    assert f["assistant_cheapest_selfhost_usd_per_month"] > f["assistant_api_usd_per_month_gpt4o"]
    # Support chatbot: 50k conversations/day x 1,500 tokens x 30 days.
    assert f["support_tokens_per_month"] == pytest.approx(2.25e9)
    assert f["support_api_usd_per_month_gpt_4o"] == pytest.approx(2.25e9 * 4.75e-6)
    assert f["support_api_usd_per_month_gpt_4o_mini"] == pytest.approx(2.25e9 * 0.285e-6)
    node = instance_usd_per_month("lambda/gpu_8x_h100_sxm5")
    gpu = instance_usd_per_month("runpod/h100-sxm-secure")
    assert f["support_selfhost_usd_per_month_llama_70b_8xh100"] == pytest.approx(node)
    assert f["support_selfhost_usd_per_month_llama_8b_1xh100"] == pytest.approx(gpu)
    assert f["support_break_even_tokens_per_month_llama_70b_8xh100_vs_gpt_4o"] == pytest.approx(
        node / GPT4O_BLENDED_USD_PER_TOKEN
    )
    assert f["support_break_even_tokens_per_month_llama_8b_1xh100_vs_gpt_4o"] == pytest.approx(
        gpu / GPT4O_BLENDED_USD_PER_TOKEN
    )
    assert f["support_break_even_tokens_per_month_llama_8b_1xh100_vs_gpt_4o_mini"] == pytest.approx(
        gpu / GPT4O_MINI_BLENDED_USD_PER_TOKEN
    )
    # A full 8x H100 node cannot earn its cost back at GPT-4o mini prices.
    assert math.isinf(f["support_break_even_tokens_per_month_llama_70b_8xh100_vs_gpt_4o_mini"])


def test_article_002_gpu_ranges_are_730_hours_of_catalog_prices(
    article_002: dict[str, float],
) -> None:
    instances = llmtco.load_catalog().gpu_instances()
    per_gpu = instances["on_demand_usd_per_hour"] / instances["gpu_count"]
    for gpu, key in (("nvidia/l40s", "l40s"), ("nvidia/h100-sxm", "h100_sxm")):
        prices = per_gpu[instances["gpu"] == gpu]
        assert article_002[f"catalog_{key}_usd_per_month_min"] == pytest.approx(prices.min() * 730)
        assert article_002[f"catalog_{key}_usd_per_month_max"] == pytest.approx(prices.max() * 730)


def test_article_003(article_003: dict[str, float]) -> None:
    f = article_003
    assert f["api_usd_per_month_50k_low"] == pytest.approx(500.0)
    assert f["api_usd_per_month_50k_high"] == pytest.approx(3_000.0)
    assert f["selfhost_usd_per_month_50k_low"] == pytest.approx(1_900.0)
    assert f["selfhost_usd_per_month_50k_high"] == pytest.approx(3_300.0)
    # Published 2,000-3,400; 1,800 + 200,000 x 0.002 = 2,200 and 3,200 + 400 = 3,600.
    assert f["selfhost_usd_per_month_200k_low"] == pytest.approx(2_200.0)
    assert f["selfhost_usd_per_month_200k_high"] == pytest.approx(3_600.0)
    assert f["selfhost_with_maintenance_usd_per_month_50k_low"] == pytest.approx(2_400.0)
    assert f["selfhost_with_maintenance_usd_per_month_50k_high"] == pytest.approx(4_800.0)
    assert f["selfhost_with_maintenance_usd_per_month_200k_low"] == pytest.approx(2_700.0)
    assert f["selfhost_with_maintenance_usd_per_month_200k_high"] == pytest.approx(5_100.0)
    assert f["api_usd_per_month_200k_low"] == pytest.approx(2_000.0)
    assert f["api_usd_per_month_200k_high"] == pytest.approx(12_000.0)


def test_article_003_payback_and_rule_of_thumb(article_003: dict[str, float]) -> None:
    f = article_003
    # Favourable: 2,700 + 5,000 setup vs 12,000 + 500: never behind.
    assert f["payback_months_200k_favourable"] == 0.0
    # Midpoints: 3,900/month + 10,000 setup vs 7,000/month + 250 setup.
    assert f["payback_months_200k_midpoint"] == pytest.approx((10_000 - 250) / (7_000 - 3_900))
    # Unfavourable: 5,100/month against a 2,000/month API bill: never.
    assert math.isnan(f["payback_months_200k_unfavourable"])
    # Break-even requests F / (a - v), and the API bill there.
    assert f["break_even_requests_per_month_favourable"] == pytest.approx(2_300 / 0.058)
    assert f["break_even_requests_per_month_unfavourable"] == pytest.approx(4_700 / 0.008)
    assert f["break_even_api_usd_per_month_favourable"] == pytest.approx(2_300 / 0.058 * 0.06)
    assert f["break_even_api_usd_per_month_unfavourable"] == pytest.approx(5_875.0)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_every_example_runs(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(path), run_name="__main__")
    printed = capsys.readouterr().out
    assert printed.strip()
    if path.name.startswith("article_"):
        # The article examples show published figures beside llmtco's.
        assert "published" in printed
    figures = runpy.run_path(str(path))["main"]()
    capsys.readouterr()
    assert figures
    assert all(isinstance(v, float) for v in figures.values())


def test_catalog_billing_figures(capsys):
    figures = runpy.run_path(str(EXAMPLES / "catalog_billing.py"))["main"]()
    capsys.readouterr()
    # o3: 2e9 x 10 + 0.4e9 x 40 USD/Mtok before 2025-06-10; 2e9 x 2 + 0.4e9 x 8 after.
    assert figures["o3_may_2025_usd"] == pytest.approx(36_000.0)
    assert figures["o3_today_usd"] == pytest.approx(7_200.0)
    # Window 10:00-01:00 UTC: 15 of 24 hours flat; Berlin 09-17 local = 08-16 UTC: 6 of 8 hours.
    assert figures["flat_off_peak_share"] == pytest.approx(15 / 24)
    assert figures["office_hours_berlin_off_peak_share"] == pytest.approx(0.75)
    assert figures["office_hours_beijing_off_peak_share"] == pytest.approx(0.0)
    # 250k x 2.50 + 2k x 15.00 USD/Mtok: every token above the 200k cliff.
    assert figures["gemini_250k_prompt_usd"] == pytest.approx(0.655)
    # The long tail crosses the cliff and costs more than the narrow workload of equal mean.
    assert figures["long_tail_share_above_cliff"] > 0.05
    assert figures["long_tail_usd"] > 1.2 * figures["narrow_usd"]


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, float], Path]:
    out = tmp_path_factory.mktemp("walkthrough")
    module = runpy.run_path(str(EXAMPLES / "decision_walkthrough.py"))
    figures: dict[str, float] = module["main"](str(out), n=2_000)
    return figures, out


def test_decision_walkthrough(walkthrough: tuple[dict[str, float], Path]) -> None:
    figures, out = walkthrough
    # 50,000 conversations a day over a 730-hour month, the median of the lognormal range.
    assert figures["requests_per_month_base"] == pytest.approx(
        math.sqrt(35_000 * 70_000) * 730 / 24, rel=1e-12
    )
    shares = [v for k, v in figures.items() if k.startswith("p_cheapest:")]
    assert sum(shares) == pytest.approx(1.0)
    # The hosted open model is the cheapest at the base values and in most samples.
    npv = {k.split(":", 1)[1]: v for k, v in figures.items() if k.startswith("npv_usd:")}
    assert min(npv, key=npv.__getitem__) == "llama-70b-together"
    assert figures["p_cheapest:llama-70b-together"] > 0.9
    # Its break-even volume against self-hosting really equalises the two NPVs.
    scenario = llmtco.Scenario.from_dict(
        runpy.run_path(str(EXAMPLES / "decision_walkthrough.py"))["SCENARIO"]
    )
    volume = figures["break_even_requests_per_month"]
    assert math.isfinite(volume)
    assert volume > figures["requests_per_month_base"]
    at = llmtco.Scenario.from_dict(
        scenario.model_dump(exclude={"uncertainty"})
        | {"workload": scenario.workload.model_dump() | {"requests_per_month": volume}}
    )
    totals = llmtco.compare(at).totals["npv_usd"]
    gap = totals["llama-70b-h100"] - totals["llama-70b-together"]
    assert abs(gap) < 1e-6 * totals["llama-70b-h100"] + 10.0
    # The token rule of thumb is wrong for this workload, and the report is one HTML file.
    assert figures["rules_that_disagree"] >= 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= 4
    assert (out / "report.md").exists()
