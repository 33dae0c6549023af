"""A decision walked end to end: a support chatbot, three ways to serve it, every input a range.

Notebook-style (``# %%`` cells run one by one in VS Code or Jupyter; the whole file runs as a
script too). The workload is article 002's support chatbot, 50,000 conversations a day of about
1,500 tokens each, steady through the day. The team wants a 70B-class model and weighs:

- ``gpt-4o``: a frontier API;
- ``llama-70b-together``: the same open model as a hosted API billed per token;
- ``llama-70b-h100``: Llama 3.3 70B self-hosted on rented 8x H100 servers, reserved for a year.

Every input the team only knows as a range is a distribution: volume, growth, API price decline,
the GPU price, utilization, labor. The walk: compare at the base values, run 10,000-sample Monte
Carlo, see which inputs matter, find the input values that would change the answer, get a
recommendation with its reasons, set the rules of thumb beside it, and write the report.

Run it with ``python examples/decision_walkthrough.py``; the report goes to a new temporary
folder whose path is printed (``main(out_dir=...)`` chooses the folder).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")  # no window; figures are written to files

import llmtco
from llmtco.briefing import decision_report
from llmtco.report import write_report

CONVERSATIONS_PER_DAY = 50_000
DAYS_PER_MONTH = 730 / 24  # a 730-hour month [days/month]

# %% The scenario: a number where the team is sure, a range where it is not.
SCENARIO = {
    "name": "Support chatbot: 70B-class model, API or self-hosted",
    "description": "Article 002's support chatbot: 50k conversations a day, steady traffic.",
    "horizon_months": 24,
    "discount_rate_per_year": 0.08,
    "workload": {
        # 50k a day, but the launch forecast is uncertain: 5th-95th percentile 35k-70k a day.
        "requests_per_month": {
            "lognormal": [35_000 * DAYS_PER_MONTH, 70_000 * DAYS_PER_MONTH],
        },
        "input_tokens_per_request": 1_200,
        "output_tokens_per_request": 300,
        "growth": {"monthly_rate": {"uniform": [0.0, 0.04]}},
        "traffic": {"peak_to_mean": 1.6},  # steady: the busiest hour is 1.6x the mean
    },
    # API prices for a given capability keep falling; GPUs get cheaper more slowly.
    "price_trends": {
        "api": {"per_year": {"triangular": [-0.5, -0.2, 0.0]}},
        "gpu": {"per_year": {"uniform": [-0.2, 0.0]}},
    },
    "options": {
        "gpt-4o": {"kind": "api", "model": "openai/gpt-4o", "setup_usd": 5_000},
        "llama-70b-together": {
            "kind": "api",
            "model": "together/llama-3.3-70b-instruct-turbo",
            "setup_usd": 5_000,
        },
        "llama-70b-h100": {
            "kind": "self_hosted",
            "instance": "lambda/gpu_8x_h100_sxm5",
            "serving_profile": "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-trtllm-1000-1000",
            "purchase": "on_demand",
            "min_replicas": 2,
            "target_utilization": {"uniform": [0.5, 0.8]},
            "price_factor": {"uniform": [0.8, 1.2]},  # the GPU-hour price varies by deal
            "labor": {
                "fte": {"triangular": [0.5, 1.0, 2.0]},
                "usd_per_fte_year": {"uniform": [160_000, 240_000]},
            },
            "setup_usd": 40_000,
            "overheads_usd_per_month": {"monitoring": 800, "storage_and_egress": 400},
        },
    },
    "decision": {"ops_fte_available": 1.5, "ship_within_months": 4},
}


def main(out_dir: str | None = None, n: int = 10_000) -> dict[str, float]:
    """Walk the decision; returns the figures the walk prints, for the tests."""
    figures: dict[str, float] = {}

    # %% 1. Compare at the base values (each range at its median).
    scenario = llmtco.Scenario.from_dict(SCENARIO)
    catalog = llmtco.load_catalog()
    result = llmtco.compare(scenario, catalog)
    print(result.totals[["npv_usd", "month0_usd", "last_month_usd"]].round(0))
    figures["requests_per_month_base"] = float(scenario.workload.requests_per_month or 0)
    for name in scenario.options:
        figures[f"npv_usd:{name}"] = float(result.totals.loc[name, "npv_usd"])

    # %% 2. Monte Carlo: every range sampled together.
    sim = llmtco.simulate(scenario, n=n, seed=0, catalog=catalog)
    print(f"\n{sim.n:,} samples ({sim.method})")
    print(sim.summary[["npv_p5_usd", "npv_p50_usd", "npv_p95_usd", "p_cheapest"]].round(3))
    for name, p in sim.p_cheapest.items():
        figures[f"p_cheapest:{name}"] = float(p)

    # %% 3. Which inputs matter: rank correlations and a tornado.
    leader, runner_up = sim.leading_pair()
    print(f"\nsensitivity of NPV({leader}) - NPV({runner_up}):")
    print(sim.sensitivity((leader, runner_up)).round(2))
    swings = llmtco.tornado(scenario, (leader, runner_up), catalog=catalog)
    print(swings[["input", "low_value", "high_value", "swing_usd", "break_even_value"]])

    # %% 4. What would make self-hosting as cheap as the hosted open model?
    gpu_price = llmtco.break_even_input(
        scenario,
        "options.llama-70b-h100.price_factor",
        ("llama-70b-h100", "llama-70b-together"),
        bounds=(0.05, 1.5),
        catalog=catalog,
    )
    print("\n" + gpu_price.message)
    figures["break_even_gpu_price_factor"] = (
        gpu_price.value if gpu_price.value is not None else float("nan")
    )
    volume = llmtco.break_even_input(
        scenario,
        "workload.requests_per_month",
        ("llama-70b-h100", "llama-70b-together"),
        bounds=(1e5, 1e9),
        catalog=catalog,
    )
    print(volume.message)
    figures["break_even_requests_per_month"] = (
        volume.value if volume.value is not None else float("nan")
    )

    # %% 5. The recommendation, its reasons and how robust it is.
    rec = llmtco.recommend(scenario, n=min(n, 2_000), seed=0, catalog=catalog)
    print("\n" + rec.summary())
    figures["p_stays_cheapest"] = rec.p_stays_cheapest or float("nan")

    # %% 6. The rules of thumb beside the computed answer.
    print(rec.rules_of_thumb[["rule", "your_value", "rule_says", "computed_says", "agrees"]])
    figures["rules_that_disagree"] = float((rec.rules_of_thumb["agrees"] == False).sum())  # noqa: E712

    # %% 7. The report: one self-contained HTML file and a Markdown copy.
    target = Path(out_dir) if out_dir else Path(tempfile.mkdtemp(prefix="llmtco-report-"))
    files = write_report(decision_report(rec, catalog=catalog), target, overwrite=True)
    print(f"\nreport: {files.html}")
    figures["report_bytes"] = float(files.html.stat().st_size)
    return figures


if __name__ == "__main__":
    main()
