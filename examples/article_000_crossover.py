"""Article 000 (startup CTO guide): API cost, self-hosting cost and the crossover, redone.

The article prices GPT-4o at 2.50 USD/Mtok input and 10.00 USD/Mtok output for a 70/30
input/output mix (7M input + 3M output tokens per 10M tokens), against one AWS p4d.24xlarge
(8x A100 40GB) on demand at about 32 USD/h. It uses **30-day, 720-hour months**; llmtco's default
month is 730 hours (8,760 / 12), so both are shown where the month length matters.

What this script shows, every figure computed by llmtco:

- the API bills at 10M and 100M tokens/day (1,425 and 14,250 USD/month) are right;
- one p4d.24xlarge at 32 USD/h is 23,040 USD/month at 720 h (23,360 at 730 h);
- the published crossover of "about 50-80M tokens/month" does **not** follow from those inputs:
  the break-even is 23,040 / 4.75 USD/Mtok = 4.85 billion tokens/month, 61-97x higher
  (2.7-3.2 billion at the quoted 13,000-15,000 USD/month reserved price);
- "60-70% savings above the crossover" depends on the volume: at twice the break-even the
  saving is exactly 50%, and 60-70% needs 2.5-3.3x the break-even;
- the "self-host above 2,000 USD/month of API spend" rule of thumb is 421M tokens/month at
  4.75 USD/Mtok, an order of magnitude below the break-even;
- today's catalog prices: the p4d.24xlarge is now 21.96 USD/h on demand (730-hour month), and a
  full :class:`llmtco.Scenario` run through :func:`llmtco.compare` pits GPT-4o against Llama 3.3
  70B on a rented 8x H100 node, with its break-even and the saving at twice that volume.

The self-hosted side here is GPU rental only, as in the article: no engineers, no monitoring.
Adding them moves every break-even up (see the article 003 example for maintenance).

Run it with ``python examples/article_000_crossover.py``.
"""

from __future__ import annotations

import pandas as pd

import llmtco
from llmtco.engine import (
    api_cost_usd,
    blended_usd_per_mtok,
    break_even_volume,
    capacity_usd_per_month,
    stepped_cost_usd_per_month,
)

# Month lengths: the article uses 30 days of 24 hours; llmtco and the catalog default to 730 h.
DAYS_PER_MONTH_ARTICLE = 30
HOURS_PER_MONTH_ARTICLE = 720.0
HOURS_PER_MONTH_CATALOG = 730.0

# The article's inputs (published figures, not results).
INPUT_SHARE = 0.7  # 7M input + 3M output per 10M tokens [-]
GPT4O_INPUT_USD_PER_MTOK = 2.50
GPT4O_OUTPUT_USD_PER_MTOK = 10.00
P4D_USD_PER_HOUR_ARTICLE = 32.0  # "about 32 USD/h" on demand
RESERVED_USD_PER_MONTH_ARTICLE = (13_000.0, 15_000.0)  # 1-yr reserved, as quoted
TOKENS_PER_DAY = (10e6, 100e6)  # the two worked volumes [tokens/day]

# The article's claims (published figures).
PUBLISHED_API_USD_PER_MONTH = (1_425.0, 14_250.0)
PUBLISHED_SELFHOST_USD_PER_MONTH = 23_040.0
PUBLISHED_CROSSOVER_TOKENS_PER_MONTH = (50e6, 80e6)
PUBLISHED_SAVING_SHARE = (0.60, 0.70)
RULE_OF_THUMB_API_USD_PER_MONTH = 2_000.0

# Today's comparison: catalog ids.
API_MODEL = "openai/gpt-4o"
P4D_INSTANCE = "aws/p4d.24xlarge"
H100_INSTANCE = "lambda/gpu_8x_h100_sxm5"
LLAMA_70B_PROFILE = "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-trtllm-1000-1000"


def _matches(published: float, computed: float, rel: float = 0.005) -> bool:
    return abs(computed - published) <= rel * abs(published)


def _print_table(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    table = pd.DataFrame(rows, columns=["claim", "published", "llmtco", "verdict"])
    table = table.apply(lambda column: column.str.ljust(column.str.len().max()))
    print(title)
    print("=" * len(title))
    print(table.to_string(index=False, justify="left"))
    print()


def _scenario(tokens_per_month: float) -> llmtco.Scenario:
    """GPT-4o against Llama 3.3 70B on one rented 8x H100 node, at today's catalog prices."""
    return llmtco.Scenario(
        name="Article 000 at today's catalog prices",
        horizon_months=12,
        hours_per_month=HOURS_PER_MONTH_CATALOG,
        workload=llmtco.Workload(tokens_per_month=tokens_per_month, input_share=INPUT_SHARE),
        options={
            "gpt-4o": llmtco.ApiOption(model=API_MODEL),
            "llama-70b-8xh100": llmtco.SelfHostedOption(
                label="Llama 3.3 70B on Lambda 8x H100 (GPU rental only, like the article)",
                instance=H100_INSTANCE,
                serving_profile=LLAMA_70B_PROFILE,
                purchase="on_demand",
                target_utilization=0.7,
                min_replicas=1,
                labor=llmtco.Labor(fte=0),  # the article counts the GPU rental only
            ),
        },
    )


def _month0_usd(result: llmtco.ComparisonResult, option: str) -> float:
    return float(result.totals.loc[option, "month0_usd"])


def main() -> dict[str, float]:
    # --- The article's own inputs, through the engine formulas -------------------------------
    tokens_per_month = [d * DAYS_PER_MONTH_ARTICLE for d in TOKENS_PER_DAY]
    api_usd = [
        float(
            api_cost_usd(
                v * INPUT_SHARE,
                v * (1 - INPUT_SHARE),
                0.0,
                GPT4O_INPUT_USD_PER_MTOK,
                GPT4O_OUTPUT_USD_PER_MTOK,
                0.0,
            )
        )
        for v in tokens_per_month
    ]
    blended = float(
        blended_usd_per_mtok(
            INPUT_SHARE, 0.0, GPT4O_INPUT_USD_PER_MTOK, GPT4O_OUTPUT_USD_PER_MTOK, 0.0
        )
    )
    selfhost_720 = float(capacity_usd_per_month(1, P4D_USD_PER_HOUR_ARTICLE, 720.0))
    selfhost_730 = float(
        capacity_usd_per_month(1, P4D_USD_PER_HOUR_ARTICLE, HOURS_PER_MONTH_CATALOG)
    )
    break_even = float(break_even_volume(blended, selfhost_720))
    break_even_reserved = break_even_volume(blended, list(RESERVED_USD_PER_MONTH_ARTICLE))
    reserved_low, reserved_high = (float(x) for x in break_even_reserved)
    off_low = break_even / PUBLISHED_CROSSOVER_TOKENS_PER_MONTH[1]
    off_high = break_even / PUBLISHED_CROSSOVER_TOKENS_PER_MONTH[0]

    # Saving at twice the break-even, and the volumes a 60% or 70% saving needs: self-hosting
    # saves a share s once F <= (1 - s) a V, i.e. past the break-even against (1 - s) a.
    at_2x = 2.0 * break_even
    saving_2x = 1.0 - float(stepped_cost_usd_per_month(at_2x, selfhost_720)) / float(
        api_cost_usd(
            at_2x * INPUT_SHARE,
            at_2x * (1 - INPUT_SHARE),
            0.0,
            GPT4O_INPUT_USD_PER_MTOK,
            GPT4O_OUTPUT_USD_PER_MTOK,
            0.0,
        )
    )
    volume_60, volume_70 = (
        float(break_even_volume((1.0 - s) * blended, selfhost_720)) for s in PUBLISHED_SAVING_SHARE
    )
    # Volume at which the API bill reaches 2,000 USD/month (break-even against a flat 2,000).
    rule_tokens = float(break_even_volume(blended, RULE_OF_THUMB_API_USD_PER_MONTH))

    # --- Today's catalog prices ---------------------------------------------------------------
    catalog = llmtco.load_catalog()
    sheet = catalog.api_price(API_MODEL)
    catalog_blended = float(
        blended_usd_per_mtok(
            INPUT_SHARE, 0.0, sheet.input_usd_per_mtok, sheet.output_usd_per_mtok, 0.0
        )
    )
    p4d = catalog.gpu_instance(P4D_INSTANCE)
    p4d_on_demand = float(
        capacity_usd_per_month(1, p4d.price_usd_per_hour("on_demand"), HOURS_PER_MONTH_CATALOG)
    )
    p4d_reserved = float(
        capacity_usd_per_month(1, p4d.price_usd_per_hour("reserved_1yr"), HOURS_PER_MONTH_CATALOG)
    )
    p4d_break_even = float(break_even_volume(catalog_blended, p4d_on_demand))
    p4d_reserved_break_even = float(break_even_volume(catalog_blended, p4d_reserved))

    # A full scenario through llmtco.compare: the article's 10M tokens/day, then twice the
    # break-even volume that compare itself reports.
    result = llmtco.compare(_scenario(tokens_per_month[0]), catalog)
    pair = result.pairs[0]
    compare_api_usd = _month0_usd(result, "gpt-4o")
    compare_selfhost_usd = _month0_usd(result, "llama-70b-8xh100")
    compare_break_even = pair.break_even_tokens_per_month
    result_2x = llmtco.compare(_scenario(2.0 * compare_break_even), catalog)
    compare_saving_2x = 1.0 - _month0_usd(result_2x, "llama-70b-8xh100") / _month0_usd(
        result_2x, "gpt-4o"
    )

    # --- The table ------------------------------------------------------------------------
    def verdict_usd(published: float, computed: float) -> str:
        if _matches(published, computed):
            return "matches"
        return f"off by {computed - published:+,.0f} USD"

    rows = [
        (
            "API cost, 10M tokens/day x 30 days (GPT-4o, 70/30)",
            f"{PUBLISHED_API_USD_PER_MONTH[0]:,.0f} USD/month",
            f"{api_usd[0]:,.2f} USD/month",
            verdict_usd(PUBLISHED_API_USD_PER_MONTH[0], api_usd[0]),
        ),
        (
            "API cost, 100M tokens/day x 30 days",
            f"{PUBLISHED_API_USD_PER_MONTH[1]:,.0f} USD/month",
            f"{api_usd[1]:,.2f} USD/month",
            verdict_usd(PUBLISHED_API_USD_PER_MONTH[1], api_usd[1]),
        ),
        (
            "blended GPT-4o price at 70/30",
            "-",
            f"{blended:.2f} USD/Mtok",
            "derived (0.7 x 2.50 + 0.3 x 10.00)",
        ),
        (
            "one p4d.24xlarge at 32 USD/h, 720 h",
            f"{PUBLISHED_SELFHOST_USD_PER_MONTH:,.0f} USD/month",
            f"{selfhost_720:,.0f} USD/month",
            verdict_usd(PUBLISHED_SELFHOST_USD_PER_MONTH, selfhost_720)
            + f" (730 h: {selfhost_730:,.0f})",
        ),
        (
            "crossover volume (on demand, 720 h)",
            "50-80M tokens/month",
            f"{break_even / 1e9:.2f}B tokens/month",
            f"does not follow from its own inputs: off by {off_low:.0f}-{off_high:.0f}x",
        ),
        (
            "crossover at 13,000-15,000 USD/month reserved",
            "50-80M tokens/month",
            f"{reserved_low / 1e9:.2f}-{reserved_high / 1e9:.2f}B tokens/month",
            (
                "does not follow from its own inputs: off by "
                f"{reserved_low / PUBLISHED_CROSSOVER_TOKENS_PER_MONTH[1]:.0f}-"
                f"{reserved_high / PUBLISHED_CROSSOVER_TOKENS_PER_MONTH[0]:.0f}x"
            ),
        ),
        (
            "saving above the crossover, at 2x break-even",
            "60-70%",
            f"{saving_2x:.0%}",
            "depends on volume: no single figure",
        ),
        (
            "volume for a 60-70% saving",
            "(above the crossover)",
            f"{volume_60 / 1e9:.1f}-{volume_70 / 1e9:.1f}B tokens/month",
            f"needs {volume_60 / break_even:.1f}-{volume_70 / break_even:.1f}x the break-even",
        ),
        (
            "'self-host above 2,000 USD/month API spend'",
            "2,000 USD/month",
            f"{rule_tokens / 1e6:,.0f}M tokens/month",
            f"rule of thumb only: {break_even / rule_tokens:.1f}x below the break-even",
        ),
    ]
    _print_table("Article 000: the article's own inputs (30-day, 720-hour month)", rows)

    rows_today = [
        (
            f"{P4D_INSTANCE} on demand, 730 h",
            f"{PUBLISHED_SELFHOST_USD_PER_MONTH:,.0f} USD/month (32 USD/h, 720 h)",
            f"{p4d_on_demand:,.0f} USD/month ({p4d.price_usd_per_hour('on_demand'):.2f} USD/h)",
            f"{1 - p4d_on_demand / selfhost_730:.0%} below the article's price (both at 730 h)",
        ),
        (
            f"{P4D_INSTANCE} break-even vs {API_MODEL}",
            "50-80M tokens/month",
            (
                f"{p4d_break_even / 1e9:.2f}B tokens/month "
                f"(1-yr reserved: {p4d_reserved_break_even / 1e9:.2f}B)"
            ),
            (
                f"still {p4d_reserved_break_even / PUBLISHED_CROSSOVER_TOKENS_PER_MONTH[1]:.0f}x"
                " or more above the claim"
            ),
        ),
        (
            "compare(): GPT-4o at 10M tokens/day",
            f"{PUBLISHED_API_USD_PER_MONTH[0]:,.0f} USD/month",
            f"{compare_api_usd:,.2f} USD/month",
            verdict_usd(PUBLISHED_API_USD_PER_MONTH[0], compare_api_usd),
        ),
        (
            "compare(): Llama 3.3 70B, 8x H100, 730 h",
            "-",
            f"{compare_selfhost_usd:,.0f} USD/month",
            f"{compare_selfhost_usd / compare_api_usd:.0f}x the API bill at this volume",
        ),
        (
            "compare(): break-even vs GPT-4o",
            "50-80M tokens/month",
            f"{compare_break_even / 1e9:.2f}B tokens/month",
            (
                f"off by {compare_break_even / PUBLISHED_CROSSOVER_TOKENS_PER_MONTH[1]:.0f}-"
                f"{compare_break_even / PUBLISHED_CROSSOVER_TOKENS_PER_MONTH[0]:.0f}x"
            ),
        ),
        (
            "compare(): saving at 2x that break-even",
            "60-70%",
            f"{compare_saving_2x:.0%}",
            "depends on volume",
        ),
    ]
    _print_table("Article 000 at today's catalog prices (730-hour month)", rows_today)

    return {
        "api_usd_per_month_10m_per_day": api_usd[0],
        "api_usd_per_month_100m_per_day": api_usd[1],
        "blended_usd_per_mtok": blended,
        "selfhost_usd_per_month_720h": selfhost_720,
        "selfhost_usd_per_month_730h": selfhost_730,
        "break_even_tokens_per_month_720h": break_even,
        "break_even_tokens_per_month_reserved_13000": reserved_low,
        "break_even_tokens_per_month_reserved_15000": reserved_high,
        "crossover_claim_off_by_factor_min": off_low,
        "crossover_claim_off_by_factor_max": off_high,
        "saving_share_at_2x_break_even": saving_2x,
        "tokens_per_month_for_60pct_saving": volume_60,
        "tokens_per_month_for_70pct_saving": volume_70,
        "tokens_per_month_at_2000_usd_api_spend": rule_tokens,
        "catalog_p4d_usd_per_month_730h": p4d_on_demand,
        "catalog_p4d_break_even_tokens_per_month": p4d_break_even,
        "catalog_p4d_reserved_break_even_tokens_per_month": p4d_reserved_break_even,
        "compare_api_usd_per_month_10m_per_day": compare_api_usd,
        "compare_selfhost_usd_per_month_10m_per_day": compare_selfhost_usd,
        "compare_break_even_tokens_per_month": compare_break_even,
        "compare_saving_share_at_2x_break_even": compare_saving_2x,
    }


if __name__ == "__main__":
    main()
