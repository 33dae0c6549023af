"""Article 000 (startup CTO guide): its hybrid routing table, priced per outcome with llmtco.

The article closes with a routing table: five kinds of work (triage, summarisation, outreach, a
code assistant and regulatory review), each sent to a self-hosted or an API model. As we read
it: triage, summarisation and outreach go to the self-hosted model, the code assistant to a
frontier API, and regulatory review stays self-hosted because its data may not leave the
company. The article prices none of it. This script builds that company's workload as request
classes and compares, with :func:`llmtco.compare`:

a. ``self_hosted``: everything on the self-hosted model (the code assistant too);
b. ``article_table``: the article's table as a ``kind: hybrid`` option;
c. ``article_cascade``: the same, but the code assistant tries the self-hosted model first and
   escalates only what its checks reject to the frontier API (a cascade);
d. ``optimised``: regulatory review pinned to the self-hosted model, every other class split
   among the self-hosted model, the frontier API and a small API by the optimiser
   (``choose`` + ``optimize: {min_success_rate: SUCCESS_FLOOR}``), which minimises the cost
   per request subject to the success floor.

It prints the routing table (class, share, route, backends, cost per request and per success
of the class), each option's totals, costs by component, outcomes and the cost/success
frontier, and checks (with an ``assert``) that regulatory review never reaches an API.

**Assumptions** (the article gives none of these figures; all are stated below as constants):

- 3 million requests/month, flat over a 12-month horizon, in business-hours traffic; the
  class shares and mean prompt/answer sizes are in ``CLASSES`` (about 7 billion tokens/month);
- self-hosted: Llama 3.3 70B in FP8 on one rented Lambda 8x H100 node (the catalog's measured
  profile, on demand, sized for the week's peak hour), run by 0.5 engineer at 200,000 USD/year;
  frontier API: Claude Sonnet 4.5; small API: GPT-4o mini, at catalog prices;
- every answer is checked (rules, tests, a reviewer's spot check) and retried once on
  rejection (``max_attempts`` 2); the checks let 5% of wrong answers through (false accepts);
  what is still rejected after two attempts goes to a person, who always gets it right;
- the cost of that person and of a wrong answer that slipped through are properties of the
  task, the same whichever model failed (``TASK_COSTS_USD``); the chance that one attempt is
  right, and the share of hard cases a model never gets right, are properties of the model
  and the task (``QUALITY``);
- the self-hosted node is assumed always up (``availability`` 1): the success floor is then
  exactly the success ``compare`` reports.

What comes out, under these assumptions: people (escalations and wrong answers that slipped
through) cost far more than tokens or GPUs, so the quality of each route, not its token price,
decides the bill. Everything self-hosted is the dearest option because the code assistant's
misses go to engineers. The optimiser meets its floor at a lower cost than the article's table
(it moves outreach and most summarisation to the frontier API, whose fewer misses pay for its
tokens) and never picks the small API. The code cascade is cheaper still but less successful:
``choose`` splits a class among single backends and cannot pick a cascade. The one 8x H100 node
is far larger than this volume needs and sits mostly idle in every option that uses it.

Run it with ``python examples/article_000_routing.py``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import llmtco

HORIZON_MONTHS = 12
REQUESTS_PER_MONTH = 3_000_000.0  # the whole workload [requests/month]

# Request classes: share of requests [-], mean prompt and answer [tokens/request].
CLASSES: dict[str, dict[str, Any]] = {
    "triage": {
        "share": 0.45,
        "input_tokens_per_request": 500,
        "output_tokens_per_request": 50,
        "difficulty": "easy",
    },
    "summarisation": {
        "share": 0.25,
        "input_tokens_per_request": 4_000,
        "output_tokens_per_request": 300,
        "difficulty": "medium",
    },
    "outreach": {
        "share": 0.15,
        "input_tokens_per_request": 800,
        "output_tokens_per_request": 400,
        "difficulty": "medium",
    },
    "code_assistant": {
        "share": 0.10,
        "input_tokens_per_request": 3_000,
        "output_tokens_per_request": 800,
        "difficulty": "hard",
    },
    "regulatory_review": {
        "share": 0.05,
        "input_tokens_per_request": 8_000,
        "output_tokens_per_request": 800,
        "difficulty": "hard",
        "sensitive": True,  # may not leave the company: self-hosted only
    },
}

# The article's table, as we read it (published routing, no figures).
PUBLISHED_ROUTES = {
    "triage": "self-hosted",
    "summarisation": "self-hosted",
    "outreach": "self-hosted",
    "code_assistant": "API",
    "regulatory_review": "self-hosted",
}

# Per task: a person resolving an escalated request [USD/escalation], and a wrong answer that
# was accepted (rework, a bad email sent, a bug shipped, a compliance finding) [USD/false accept].
TASK_COSTS_USD = {
    "triage": (0.50, 0.25),
    "summarisation": (2.00, 0.50),
    "outreach": (2.00, 1.00),
    "code_assistant": (15.00, 10.00),
    "regulatory_review": (40.00, 100.00),
}

# Per backend and task: probability that one attempt is right on an ordinary request [-], and
# the share of hard cases that every attempt gets wrong [-].
QUALITY = {
    "local": {
        "triage": (0.97, 0.0),
        "summarisation": (0.92, 0.0),
        "outreach": (0.90, 0.0),
        "code_assistant": (0.60, 0.15),
        "regulatory_review": (0.90, 0.02),
    },
    "frontier": {
        "triage": (0.98, 0.0),
        "summarisation": (0.97, 0.0),
        "outreach": (0.96, 0.0),
        "code_assistant": (0.85, 0.03),
        "regulatory_review": (0.96, 0.01),
    },
    "small_api": {
        "triage": (0.95, 0.0),
        "summarisation": (0.90, 0.0),
        "outreach": (0.90, 0.0),
        "code_assistant": (0.50, 0.25),
        "regulatory_review": (0.85, 0.05),
    },
}
MAX_ATTEMPTS = 2  # one retry after a rejected answer [attempts]
FALSE_ACCEPT_RATE = 0.05  # share of wrong answers the checks let through [-]
SUCCESS_FLOOR = 0.997  # the optimised hybrid's quality requirement [-]

# Deployments (catalog ids) and the self-hosted team.
LOCAL_INSTANCE = "lambda/gpu_8x_h100_sxm5"
LOCAL_PROFILE = "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-trtllm-1000-1000"
LOCAL_FTE = 0.5
USD_PER_FTE_YEAR = 200_000.0
FRONTIER_API = "anthropic/claude-sonnet-4-5"
SMALL_API = "openai/gpt-4o-mini"

OPTIONS = ("self_hosted", "article_table", "article_cascade", "optimised")


def _outcomes(backend: str) -> dict[str, Any]:
    """A backend's outcome terms: shared retry and check terms, quality and task costs by class."""
    by_class = {
        name: {
            "success_rate": QUALITY[backend][name][0],
            "hard_share": QUALITY[backend][name][1],
            "human_usd": TASK_COSTS_USD[name][0],
            "false_accept_usd": TASK_COSTS_USD[name][1],
        }
        for name in CLASSES
    }
    # The top-level success_rate is a default every class overrides.
    return {
        "success_rate": QUALITY[backend]["triage"][0],
        "max_attempts": MAX_ATTEMPTS,
        "false_accept_rate": FALSE_ACCEPT_RATE,
        "by_class": by_class,
    }


def _backends() -> dict[str, dict[str, Any]]:
    return {
        "local": {
            "kind": "self_hosted",
            "label": "Llama 3.3 70B FP8, Lambda 8x H100",
            "instance": LOCAL_INSTANCE,
            "serving_profile": LOCAL_PROFILE,
            "labor": {"fte": LOCAL_FTE, "usd_per_fte_year": USD_PER_FTE_YEAR},
            "outcomes": _outcomes("local"),
        },
        "frontier": {"kind": "api", "model": FRONTIER_API, "outcomes": _outcomes("frontier")},
        "small_api": {"kind": "api", "model": SMALL_API, "outcomes": _outcomes("small_api")},
    }


def scenario() -> llmtco.Scenario:
    """The company's workload and the four ways to serve it."""
    backends = _backends()
    local_and_frontier = {name: backends[name] for name in ("local", "frontier")}
    sensitive_stays = {"sensitive": True, "to": "local"}
    return llmtco.Scenario.from_dict(
        {
            "name": "Article 000: hybrid routing table",
            "horizon_months": HORIZON_MONTHS,
            "workload": {
                "requests_per_month": REQUESTS_PER_MONTH,
                "classes": CLASSES,
                "traffic": {"profile": "business_hours"},
            },
            "options": {
                "self_hosted": backends["local"],
                "article_table": {
                    "kind": "hybrid",
                    "backends": local_and_frontier,
                    "routes": [
                        sensitive_stays,
                        {"classes": ["code_assistant"], "to": "frontier"},
                        {"to": "local"},
                    ],
                },
                "article_cascade": {
                    "kind": "hybrid",
                    "backends": local_and_frontier,
                    "routes": [
                        sensitive_stays,
                        {"classes": ["code_assistant"], "cascade": ["local", "frontier"]},
                        {"to": "local"},
                    ],
                },
                "optimised": {
                    "kind": "hybrid",
                    "backends": backends,
                    "routes": [sensitive_stays, {"choose": ["local", "frontier", "small_api"]}],
                    "optimize": {"min_success_rate": SUCCESS_FLOOR},
                },
            },
        }
    )


def _title(text: str) -> None:
    print(text)
    print("=" * len(text))


def _routing_table(routing: pd.DataFrame) -> pd.DataFrame:
    """One row per option and class: route, backends reached (calls/request), class figures."""
    rows = []
    for (option, request_class), group in routing.groupby(["option", "request_class"], sort=False):
        used = group[group["calls_per_request"] > 0]
        first = group.iloc[0]
        rows.append(
            {
                "option": option,
                "class": request_class,
                "share": first["class_share"],
                "route": first["route"],
                "backends (calls/request)": ", ".join(
                    f"{b} {c:.3f}"
                    for b, c in zip(used["backend"], used["calls_per_request"], strict=True)
                ),
                "success": first["success_rate"],
                "usd/request": first["usd_per_request"],
                "usd/success": first["usd_per_success"],
            }
        )
    return pd.DataFrame(rows)


def main() -> dict[str, float]:
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    result = llmtco.compare(scenario())
    routing = result.routing

    # --- Sensitive data never reaches an API: every regulatory_review row is self-hosted -----
    regulatory = routing[routing["request_class"] == "regulatory_review"]
    reached = regulatory[regulatory["calls_per_request"] > 0]
    assert set(regulatory["option"]) == set(OPTIONS), "every option routes regulatory_review"
    assert (regulatory["backend_kind"] == "self_hosted").all(), "regulatory data left the company"
    api_calls = float(
        regulatory.loc[regulatory["backend_kind"] == "api", "calls_per_request"].sum()
    )

    # --- Assumptions ------------------------------------------------------------------------
    _title(
        f"Article 000 routing: {REQUESTS_PER_MONTH / 1e6:.0f}M requests/month, "
        f"{float(result.tokens_per_month[0]) / 1e9:.2f}B tokens/month (assumptions)"
    )
    classes = pd.DataFrame(
        {
            "share": [c["share"] for c in CLASSES.values()],
            "requests/month": [c["share"] * REQUESTS_PER_MONTH for c in CLASSES.values()],
            "in tokens": [c["input_tokens_per_request"] for c in CLASSES.values()],
            "out tokens": [c["output_tokens_per_request"] for c in CLASSES.values()],
            "difficulty": [c["difficulty"] for c in CLASSES.values()],
            "sensitive": [c.get("sensitive", False) for c in CLASSES.values()],
            "human_usd": [TASK_COSTS_USD[c][0] for c in CLASSES],
            "false_accept_usd": [TASK_COSTS_USD[c][1] for c in CLASSES],
            **{
                f"p({backend})": [f"{q[c][0]:.2f}/{q[c][1]:.2f}" for c in CLASSES]
                for backend, q in QUALITY.items()
            },
            "published route": [PUBLISHED_ROUTES[c] for c in CLASSES],
        },
        index=pd.Index(list(CLASSES), name="class"),
    )
    print(
        classes.to_string(
            formatters={
                "share": "{:.2f}".format,
                "requests/month": "{:,.0f}".format,
                "human_usd": "{:.2f}".format,
                "false_accept_usd": "{:.2f}".format,
            }
        )
    )
    print(
        f"p(backend) = success per attempt / hard share; up to {MAX_ATTEMPTS} attempts; checks "
        f"let {FALSE_ACCEPT_RATE:.0%} of wrong answers through; a person resolves the rest."
    )
    print()

    # --- Routing table --------------------------------------------------------------------
    _title("Routing per option and class (usd over the horizon, shared costs allocated by tokens)")
    print(
        _routing_table(routing).to_string(
            index=False,
            formatters={
                "share": "{:.2f}".format,
                "success": "{:.5f}".format,
                "usd/request": "{:.4f}".format,
                "usd/success": "{:.4f}".format,
            },
        )
    )
    print()
    print(
        "regulatory_review reaches only: "
        + ", ".join(sorted(set(reached["option"] + ":" + reached["backend"])))
        + f" (all self_hosted; API calls per request {api_calls:g}) - checked"
    )
    print()

    # --- Totals and components --------------------------------------------------------------
    _title(f"Totals per option: month 0 and the {HORIZON_MONTHS}-month horizon [USD]")
    print(
        result.totals[["kind", "month0_usd", "total_usd", "usd_per_mtok"]].to_string(
            float_format="{:,.2f}".format
        )
    )
    print()
    _title("Month 0 by component [USD/month]")
    components = pd.DataFrame(
        {option: result.by_component(option).loc[0] for option in OPTIONS}
    ).fillna(0.0)
    components = components[(components != 0).any(axis=1)]
    print(components.to_string(float_format="{:,.0f}".format))
    print()

    # --- Outcomes and frontier ----------------------------------------------------------
    month0 = result.outcomes[result.outcomes["month"] == 0].set_index("option")
    _title("Outcomes, month 0")
    print(
        month0[
            [
                "calls_per_request",
                "success_rate",
                "false_accept_rate",
                "human_escalation_rate",
                "unresolved_rate",
                "usd_per_request",
                "usd_per_success",
            ]
        ].to_string(float_format="{:.5f}".format)
    )
    optimised_success = float(month0.loc["optimised", "success_rate"])
    print(
        f"optimised: success {optimised_success:.6f} against the floor {SUCCESS_FLOOR} "
        f"({'met' if optimised_success >= SUCCESS_FLOOR - 1e-9 else 'MISSED'})"
    )
    print()
    _title(f"Frontier over the {HORIZON_MONTHS}-month horizon")
    frontier = result.frontier()
    print(frontier.to_string(float_format="{:.5f}".format))
    print()
    cheapest = str(frontier["usd_per_request"].idxmin())
    best = str(frontier["success_rate"].idxmax())
    print(
        f"cheapest per request: {cheapest}; most successful: {best}; "
        f"the published table (article_table) is "
        f"{'on' if frontier.loc['article_table', 'on_frontier'] else 'not on'} the frontier."
    )

    figures: dict[str, float] = {
        "regulatory_api_calls_per_request": api_calls,
        "success_floor": SUCCESS_FLOOR,
        "tokens_per_month": float(result.tokens_per_month[0]),
    }
    for option in OPTIONS:
        for column in ("success_rate", "false_accept_rate", "usd_per_request", "usd_per_success"):
            figures[f"{option}_{column}"] = float(month0.loc[option, column])
        figures[f"{option}_month0_usd"] = float(result.totals.loc[option, "month0_usd"])
        figures[f"{option}_total_usd"] = float(result.totals.loc[option, "total_usd"])
        figures[f"{option}_frontier"] = float(frontier.loc[option, "on_frontier"])
    return figures


if __name__ == "__main__":
    main()
