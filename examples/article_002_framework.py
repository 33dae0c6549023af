"""Article 002 (decision and cost framework): its worked figures, redone with llmtco.

The article states prices per 1M tokens and GPU costs per month; where a day count is needed
this script uses the articles' **30-day month**, and where a GPU-hour price is turned into a
monthly cost it uses llmtco's **730-hour month** (8,760 / 12), the convention of the catalog.

What this script shows, every figure computed by llmtco:

- "API cost = input token cost + output token cost": 1M input + 1M output tokens at
  0.15 / 0.60 USD/Mtok (GPT-4o mini) cost 0.75 USD, from the engine and from the catalog sheet;
- the GPU monthly ranges (L40S 1,500-3,000; A100 80GB 2,000-5,000; H100 4,000-12,000+ USD/month)
  are 730 h x an hourly price; the ranges are set against today's catalog on-demand prices per
  GPU, and the H100 check from our notes (2.69-3.99 USD/h = 1,964-2,913 USD/month) is redone;
- the illustrative price tiers, blended at a 70/30 input/output mix;
- the internal assistant (500 employees, 500k tokens/day): 15M tokens/month, about 71 USD/month
  even at GPT-4o's 4.75 USD/Mtok, through :func:`llmtco.compare`; the API is the right call;
- the support chatbot (50k conversations/day): the article gives no tokens per conversation; at
  1,500 tokens (70/30) it is 2.25 billion tokens/month, and :func:`llmtco.compare` computes the
  break-even of two self-hosted Llama options from the catalog against GPT-4o and GPT-4o mini.
  Whether self-hosting pays depends on which API quality tier it replaces.

The self-hosted options are GPU rental only (no labor, no overheads): a lower bound on their cost.

Run it with ``python examples/article_002_framework.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import llmtco
from llmtco.engine import api_cost_usd, blended_usd_per_mtok, capacity_usd_per_month

DAYS_PER_MONTH = 30  # the articles' month [days/month]
HOURS_PER_MONTH = 730.0  # llmtco's and the catalog's month [h/month]
INPUT_SHARE = 0.7  # input/output mix used throughout the articles [-]

# Published figures.
PUBLISHED_EXAMPLE_USD = 0.75
EXAMPLE_PRICES_USD_PER_MTOK = (0.15, 0.60)
GPU_RANGES_USD_PER_MONTH = {
    "nvidia/l40s": (1_500.0, 3_000.0),
    "nvidia/a100-80gb": (2_000.0, 5_000.0),
    "nvidia/h100-sxm": (4_000.0, 12_000.0),
}
H100_CHECK_USD_PER_HOUR = (2.69, 3.99)  # per GPU, from our notes on article 002
PRICE_TIERS_USD_PER_MTOK = [(0.05, 0.40), (0.29, 1.43), (0.86, 4.29), (2.50, 10.00), (15.0, 120.0)]
ASSISTANT_TOKENS_PER_DAY = 500_000.0
SUPPORT_CONVERSATIONS_PER_DAY = 50_000.0
SUPPORT_TOKENS_PER_CONVERSATION = 1_500.0  # assumption: the article gives none
SEED_ASSISTANT_USD_PER_MONTH = 71.0  # "even at 4.75 /Mtok = 71 USD/month"
SEED_SUPPORT_TOKENS_PER_MONTH = 2.25e9

# Catalog ids.
SMALL_API = "openai/gpt-4o-mini"
LARGE_API = "openai/gpt-4o"
LLAMA_8B_ON_1XH100 = (
    "runpod/h100-sxm-secure",
    "meta/llama-3.1-8b-instruct@h100-sxm-x1-fp8-trtllm-1000-1000",
)
LLAMA_70B_ON_8XH100 = (
    "lambda/gpu_8x_h100_sxm5",
    "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-trtllm-1000-1000",
)


def _print_table(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    table = pd.DataFrame(rows, columns=["claim", "published", "llmtco", "verdict"])
    table = table.apply(lambda column: column.str.ljust(column.str.len().max()))
    print(title)
    print("=" * len(title))
    print(table.to_string(index=False, justify="left"))
    print()


def _self_hosted(label: str, instance_and_profile: tuple[str, str]) -> llmtco.SelfHostedOption:
    instance, profile = instance_and_profile
    return llmtco.SelfHostedOption(
        label=label,
        instance=instance,
        serving_profile=profile,
        purchase="on_demand",
        target_utilization=0.7,
        min_replicas=1,
        labor=llmtco.Labor(fte=0),  # GPU rental only, as the docstring says
    )


def _self_hosted_options() -> dict[str, llmtco.SelfHostedOption]:
    return {
        "llama-8b-1xh100": _self_hosted("Llama 3.1 8B on 1x H100 (RunPod)", LLAMA_8B_ON_1XH100),
        "llama-70b-8xh100": _self_hosted("Llama 3.3 70B on 8x H100 (Lambda)", LLAMA_70B_ON_8XH100),
    }


def _range_verdict(
    published: tuple[float, float], computed: tuple[float, ...], what: str = "catalog range"
) -> str:
    lo, hi = computed
    if lo >= published[0] and hi <= published[1]:
        return f"{what} lies inside the published one"
    if hi < published[0]:
        return f"{what} lies below the published one: a range, not a fact"
    if lo > published[1]:
        return f"{what} lies above the published one: a range, not a fact"
    return "ranges overlap only in part: treat as an uncertain input"


def _gpu_monthly_ranges(catalog: llmtco.Catalog) -> dict[str, tuple[float, float] | None]:
    """Lowest and highest on-demand cost of one GPU for a 730-hour month [USD/month]."""
    instances = catalog.gpu_instances()
    per_gpu_usd_per_hour = instances["on_demand_usd_per_hour"] / instances["gpu_count"]
    ranges: dict[str, tuple[float, float] | None] = {}
    for gpu in GPU_RANGES_USD_PER_MONTH:
        prices = per_gpu_usd_per_hour[instances["gpu"] == gpu].to_numpy()
        if prices.size == 0:
            ranges[gpu] = None
            continue
        monthly = np.asarray(capacity_usd_per_month(1, prices, HOURS_PER_MONTH))
        ranges[gpu] = (float(monthly.min()), float(monthly.max()))
    return ranges


def main() -> dict[str, float]:
    catalog = llmtco.load_catalog()
    figures: dict[str, float] = {}
    rows: list[tuple[str, str, str, str]] = []

    # 1. API cost = input cost + output cost.
    p_in, p_out = EXAMPLE_PRICES_USD_PER_MTOK
    example_usd = float(api_cost_usd(1e6, 1e6, 0.0, p_in, p_out, 0.0))
    sheet_usd = float(catalog.api_price(SMALL_API).cost(1e6, 1e6))
    figures["example_api_usd_1m_in_1m_out"] = example_usd
    figures["catalog_gpt4o_mini_usd_1m_in_1m_out"] = sheet_usd
    rows.append(
        (
            "1M in + 1M out at 0.15 / 0.60 USD/Mtok",
            f"{PUBLISHED_EXAMPLE_USD:.2f} USD",
            f"{example_usd:.2f} USD (catalog {SMALL_API}: {sheet_usd:.2f})",
            "matches" if np.isclose(example_usd, PUBLISHED_EXAMPLE_USD) else "does not match",
        )
    )

    # 2. GPU monthly ranges = 730 h x an hourly price.
    catalog_ranges = _gpu_monthly_ranges(catalog)
    for gpu, published in GPU_RANGES_USD_PER_MONTH.items():
        name = gpu.split("/", 1)[1]
        hours = float(capacity_usd_per_month(1, 1.0, HOURS_PER_MONTH))  # [USD/month per USD/h]
        implied = f"{published[0] / hours:.2f}-{published[1] / hours:.2f} USD/h"
        computed = catalog_ranges[gpu]
        if computed is None:
            rows.append(
                (
                    f"{name} per GPU, 730 h",
                    f"{published[0]:,.0f}-{published[1]:,.0f} USD/month (= {implied})",
                    "n/a",
                    "no instance with this GPU in the catalog",
                )
            )
            continue
        figures[f"catalog_{name.replace('-', '_')}_usd_per_month_min"] = computed[0]
        figures[f"catalog_{name.replace('-', '_')}_usd_per_month_max"] = computed[1]
        rows.append(
            (
                f"{name} per GPU on demand, 730 h",
                f"{published[0]:,.0f}-{published[1]:,.0f} USD/month (= {implied})",
                f"{computed[0]:,.0f}-{computed[1]:,.0f} USD/month (catalog)",
                _range_verdict(published, computed),
            )
        )
    h100_check = np.asarray(capacity_usd_per_month(1, list(H100_CHECK_USD_PER_HOUR), 730.0))
    figures["h100_usd_per_month_at_2_69_per_hour"] = float(h100_check[0])
    figures["h100_usd_per_month_at_3_99_per_hour"] = float(h100_check[1])
    rows.append(
        (
            "H100 at 2.69-3.99 USD/h per GPU, 730 h",
            "4,000-12,000+ USD/month",
            f"{h100_check[0]:,.0f}-{h100_check[1]:,.0f} USD/month",
            _range_verdict(
                GPU_RANGES_USD_PER_MONTH["nvidia/h100-sxm"], tuple(h100_check), "this range"
            ),
        )
    )

    # 3. Illustrative price tiers, blended at 70/30 (vectorized over the tiers).
    tiers = np.asarray(PRICE_TIERS_USD_PER_MTOK)
    blended_tiers = np.asarray(blended_usd_per_mtok(INPUT_SHARE, 0.0, tiers[:, 0], tiers[:, 1], 0))
    rows.append(
        (
            "price tiers blended at 70/30",
            " | ".join(f"{i:g}/{o:g}" for i, o in PRICE_TIERS_USD_PER_MTOK),
            " | ".join(f"{b:.3g}" for b in blended_tiers) + " USD/Mtok",
            f"{blended_tiers.max() / blended_tiers.min():.0f}x spread: the tier decides",
        )
    )

    # 4. Internal assistant: 500k tokens/day, business-hours usage (peak 3x the mean, assumed).
    assistant = llmtco.Scenario(
        name="Article 002 internal assistant",
        horizon_months=12,
        hours_per_month=HOURS_PER_MONTH,
        workload=llmtco.Workload(
            tokens_per_month=ASSISTANT_TOKENS_PER_DAY * DAYS_PER_MONTH,
            input_share=INPUT_SHARE,
            traffic=llmtco.Traffic(peak_to_mean=3.0),
        ),
        options={"gpt-4o": llmtco.ApiOption(model=LARGE_API)} | _self_hosted_options(),
    )
    assistant_result = llmtco.compare(assistant, catalog)
    assistant_api = float(assistant_result.totals.loc["gpt-4o", "month0_usd"])
    totals = assistant_result.totals
    assistant_self = float(totals.loc[totals["kind"] == "self_hosted", "month0_usd"].min())
    assistant_tokens = float(assistant_result.tokens_per_month[0])
    figures["assistant_tokens_per_month"] = assistant_tokens
    figures["assistant_api_usd_per_month_gpt4o"] = assistant_api
    figures["assistant_cheapest_selfhost_usd_per_month"] = assistant_self
    rows.append(
        (
            "internal assistant: 500k tokens/day x 30",
            "-> API",
            f"{assistant_tokens / 1e6:.0f}M tokens/month; GPT-4o {assistant_api:,.2f} USD/month",
            ("matches: API" if assistant_api < assistant_self else "does not match: self-host")
            + f"; the cheapest self-host is {assistant_self / assistant_api:.0f}x the API bill",
        )
    )

    # 5. Support chatbot: 50k conversations/day, steady (peak 1.5x the mean, assumed).
    per_conversation = SUPPORT_TOKENS_PER_CONVERSATION
    support = llmtco.Scenario(
        name="Article 002 support chatbot",
        horizon_months=12,
        hours_per_month=HOURS_PER_MONTH,
        workload=llmtco.Workload(
            requests_per_month=SUPPORT_CONVERSATIONS_PER_DAY * DAYS_PER_MONTH,
            input_tokens_per_request=per_conversation * INPUT_SHARE,
            output_tokens_per_request=per_conversation * (1 - INPUT_SHARE),
            traffic=llmtco.Traffic(peak_to_mean=1.5),
        ),
        options={
            "gpt-4o": llmtco.ApiOption(model=LARGE_API),
            "gpt-4o-mini": llmtco.ApiOption(model=SMALL_API),
        }
        | _self_hosted_options(),
    )
    support_result = llmtco.compare(support, catalog)
    support_tokens = float(support_result.tokens_per_month[0])
    figures["support_tokens_per_month"] = support_tokens
    rows.append(
        (
            "support chatbot: 50k conversations/day x 1,500 tokens",
            "-> self-host or hybrid",
            f"{support_tokens / 1e9:.2f}B tokens/month",
            "needs a computed break-even (below)",
        )
    )
    for pair in support_result.pairs:
        api_usd = float(support_result.totals.loc[pair.api, "month0_usd"])
        self_usd = float(support_result.totals.loc[pair.self_hosted, "month0_usd"])
        key = f"{pair.self_hosted}_vs_{pair.api}".replace("-", "_")
        figures[f"support_break_even_tokens_per_month_{key}"] = pair.break_even_tokens_per_month
        figures[f"support_selfhost_usd_per_month_{pair.self_hosted.replace('-', '_')}"] = self_usd
        figures[f"support_api_usd_per_month_{pair.api.replace('-', '_')}"] = api_usd
        cheaper = "self-host" if self_usd < api_usd else "API"
        if pair.break_even_exists:
            ratio = support_tokens / pair.break_even_tokens_per_month
            be_text = f"break-even {pair.break_even_tokens_per_month / 1e9:.2f}B tokens/month"
            where = f"volume is {ratio:.2f}x break-even"
        else:
            be_text = "never breaks even"
            where = "self-hosting never catches up"
        rows.append(
            (
                f"  {pair.self_hosted} vs {pair.api}",
                "-",
                f"{be_text}; {self_usd:,.0f} vs {api_usd:,.0f} USD/month",
                f"{cheaper} cheaper ({where})",
            )
        )

    _print_table("Article 002 (30-day month for daily volumes; 730-hour GPU month)", rows)
    return figures


if __name__ == "__main__":
    main()
