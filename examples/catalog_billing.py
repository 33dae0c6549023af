"""Billing rules that move a bill: long-context cliffs, price history and off-peak windows.

Four short demonstrations on the packaged catalog, every figure computed by llmtco:

1. **Cliff tiers make the distribution of request sizes matter.** Above 272k prompt tokens
   ``openai/gpt-5.4`` bills *every* token of the request at the long-context price. Two
   workloads with the same mean prompt of 120k tokens cost differently when one has a long
   tail of big requests: the share of requests past the cliff drives the bill, and pricing
   the mean request hides it.
2. **Price history reprices old usage at the prices of its day.** ``openai/o3`` cost
   10 / 40 USD per 1M tokens until 2025-06-10 and 2 / 8 after; the same month of usage is
   5x dearer in May 2025.
3. **Off-peak windows reward traffic that can move.** ``deepseek/deepseek-flash`` bills half
   price outside its peak hours; how much a workload saves depends on when it arrives. The
   catalog models DeepSeek's longest off-peak block only (10:00-01:00 UTC); its shorter
   04:00-06:00 gap and weekends are billed at peak here, so these costs are an upper bound.
4. **Interoperability.** A LiteLLM price-map entry imports as a sheet that prices requests the
   same way.

Run it with ``python examples/catalog_billing.py``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

import llmtco
from llmtco.engine import window_share

N_REQUESTS = 100_000
OUTPUT_TOKENS = 1_500


def cliff_effect(catalog: llmtco.Catalog) -> dict[str, float]:
    """Cost of 100,000 requests with the same mean prompt, narrow or long-tailed."""
    sheet = catalog.api_price("openai/gpt-5.4")
    rng = np.random.default_rng(0)
    mean_prompt = 120_000.0
    narrow = rng.normal(mean_prompt, 10_000, N_REQUESTS).clip(1_000, None)
    # Log-normal with the same mean and a long tail (sigma 0.9).
    sigma = 0.9
    tail = rng.lognormal(np.log(mean_prompt) - sigma**2 / 2, sigma, N_REQUESTS)
    figures = {}
    for name, prompts in (("narrow", narrow), ("long_tail", tail)):
        costs = np.asarray(sheet.request_cost(prompts, OUTPUT_TOKENS))
        figures[f"{name}_mean_prompt_tokens"] = float(prompts.mean())
        figures[f"{name}_share_above_cliff"] = float(np.mean(prompts > 272_000))
        figures[f"{name}_usd"] = float(costs.sum())
    figures["mean_request_usd"] = float(sheet.request_cost(mean_prompt, OUTPUT_TOKENS)) * N_REQUESTS
    return figures


def history_effect() -> dict[str, float]:
    """One month of o3 usage priced at the prices of May 2025 and of today."""
    usage = {"input_tokens": 2e9, "output_tokens": 0.4e9}
    figures = {}
    for label, day in (("may_2025", dt.date(2025, 5, 15)), ("today", None)):
        sheet = llmtco.load_catalog(as_of=day).api_price("openai/o3")
        figures[f"o3_{label}_usd"] = float(
            sheet.cost(usage["input_tokens"], usage["output_tokens"])
        )
    return figures


def off_peak_effect(catalog: llmtco.Catalog) -> dict[str, float]:
    """Share of traffic billed off-peak, and the price it pays, for three traffic shapes."""
    sheet = catalog.api_price("deepseek/deepseek-flash")
    assert sheet.off_peak is not None
    start, end = sheet.off_peak.window_hours()
    office_hours = ([0.0] * 9 + [1.0] * 8 + [0.0] * 7) * 5 + [0.0] * 48  # Mon-Fri 09-17
    shapes = {
        "flat": None,
        "office_hours_berlin": office_hours,  # UTC+1
        "office_hours_beijing": office_hours,  # UTC+8
    }
    offsets = {"flat": 0.0, "office_hours_berlin": 1.0, "office_hours_beijing": 8.0}
    figures = {}
    for name, profile in shapes.items():
        share = float(window_share(profile, start, end, offsets[name]))
        price = (1 - share) * sheet.input_usd_per_mtok + share * sheet.off_peak.input_usd_per_mtok
        figures[f"{name}_off_peak_share"] = share
        figures[f"{name}_input_usd_per_mtok"] = price
    return figures


def litellm_round_trip() -> dict[str, float]:
    """Import one LiteLLM entry and price a request above its 200k cliff."""
    imported = llmtco.import_litellm(
        {
            "gemini/gemini-2.5-pro": {
                "litellm_provider": "gemini",
                "mode": "chat",
                "input_cost_per_token": 1.25e-06,
                "output_cost_per_token": 1e-05,
                "input_cost_per_token_above_200k_tokens": 2.5e-06,
                "output_cost_per_token_above_200k_tokens": 1.5e-05,
            }
        },
        checked=dt.date(2026, 11, 23),
    )
    sheet = imported["gemini/gemini-2.5-pro"]
    return {"gemini_250k_prompt_usd": float(sheet.request_cost(250_000, 2_000))}


def main() -> dict[str, float]:
    catalog = llmtco.load_catalog()
    figures = cliff_effect(catalog) | history_effect() | off_peak_effect(catalog)
    figures |= litellm_round_trip()

    print("1. openai/gpt-5.4, 100,000 requests of 1,500 output tokens, mean prompt 120k tokens")
    for name in ("narrow", "long_tail"):
        print(
            f"   {name:<10} prompts above 272k: {figures[f'{name}_share_above_cliff']:6.1%}"
            f"   bill {figures[f'{name}_usd']:>10,.0f} USD"
        )
    print(
        f"   priced as the mean request:           bill {figures['mean_request_usd']:>10,.0f} USD"
    )
    print("\n2. openai/o3, 2B input + 0.4B output tokens")
    print(f"   at May 2025 prices {figures['o3_may_2025_usd']:>8,.0f} USD")
    print(f"   at today's prices  {figures['o3_today_usd']:>8,.0f} USD")
    print("\n3. deepseek/deepseek-flash input price by traffic shape (off-peak window in UTC)")
    for name in ("flat", "office_hours_berlin", "office_hours_beijing"):
        print(
            f"   {name:<22} off-peak share {figures[f'{name}_off_peak_share']:6.1%}"
            f"   {figures[f'{name}_input_usd_per_mtok']:.3f} USD/Mtok"
        )
    print("   (one off-peak window modelled: an upper bound on DeepSeek's bill)")
    print("\n4. A LiteLLM entry imported: a 250k-token prompt with 2k output tokens")
    print(f"   {figures['gemini_250k_prompt_usd']:.4f} USD (every token at the above-200k prices)")
    return figures


if __name__ == "__main__":
    main()
