"""Article 001 (cost per outcome): a cheap model with retries and a human against a large one.

The claim, from the articles' closing advice: measure success per outcome, not per token, because
"a cheap model that needs retries and human correction can cost more per solved task than an
expensive one that succeeds first time". The worked case: a 7B model **ten times cheaper per run**
(0.002 against 0.02 USD) that fails five attempts on a task and then needs a human to correct it,
against a 70B model that gets it right the first time.

Two readings of the case, both computed with :func:`llmtco.retry_cost`:

- **The hand case** (the article's words taken literally): one task that the 7B gets wrong on
  every one of its 5 attempts (``hard_share=1``), then a human at ``HAND_HUMAN_USD``; the 70B
  succeeds at once. Cost per success: ``5 x 0.002 + h`` against ``0.02``.
- **A workload** (the reading this script sweeps): the 7B is right on 70% of attempts on ordinary
  tasks, but 10% of the tasks are hard cases it never gets right (retries of one task are not
  independent); it gets up to 5 attempts, a perfect check rejects its wrong answers, and what
  is still wrong after 5 attempts goes to a human at ``h`` USD who always fixes it. The 70B is
  right first time on every task (success 1.0, as the article has it). Both therefore solve
  every task, and cost per success is the expected cost per task::

      E[attempts]  = (1 - s) (1 - (1 - p)^n) / p + s n
      P(escalated) = (1 - s) (1 - p)^n + s
      7B:  c7 E[attempts] + P(escalated) h          70B:  c70

  with ``p = 0.7``, ``s = 0.1``, ``n = 5``. It is linear in ``h``, so the human cost at which the
  two are equal per success has a closed form, found here from two evaluations of
  ``retry_cost`` and checked by evaluating both models there.

The success rates, hard share and human costs are **assumptions** (the article gives none); the
two prices per run are the article's. Finally the same comparison runs through
:func:`llmtco.compare` with two hosted open-model APIs from the catalog (Groq's Llama 3.1 8B and
Llama 3.3 70B, about 11x apart per request at 2,000 input + 500 output tokens), with the 7B's
terms as scenario ``outcomes``, and a third option with no human, whose cost per request and
cost per success differ because a tenth of its tasks stay unsolved.

Run it with ``python examples/article_001_cost_per_outcome.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import llmtco

# The article's inputs (published figures).
LARGE_USD_PER_RUN = 0.02  # 70B, one run [USD/run]
SMALL_USD_PER_RUN = 0.002  # 7B, "ten times cheaper per run" [USD/run]
SMALL_MAX_ATTEMPTS = 5  # "five failed attempts" before the human [attempts]
LARGE_P_SUCCESS = 1.0  # "succeeds first time" [-]

# Assumptions (the article gives no figures for these).
HAND_HUMAN_USD = 5.0  # a few minutes of a person's time to correct one task [USD/task]
SMALL_P_SUCCESS = 0.7  # 7B, right per attempt on an ordinary task [-]
SMALL_HARD_SHARE = 0.1  # 7B, share of tasks it never gets right [-]
HUMAN_USD_SWEEP = np.array(
    [0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
)  # human correction cost [USD/task]

# The compare() path: catalog ids and a request size (assumptions).
SMALL_API = "groq/llama-3.1-8b-instant"
LARGE_API = "groq/llama-3.3-70b-versatile"
REQUESTS_PER_MONTH = 100_000.0
INPUT_TOKENS_PER_REQUEST = 2_000.0
OUTPUT_TOKENS_PER_REQUEST = 500.0


def _small(human_usd: float | np.ndarray) -> llmtco.Outcome:
    """The 7B on the workload: retries, hard cases and a human at ``human_usd``."""
    return llmtco.retry_cost(
        SMALL_USD_PER_RUN,
        SMALL_P_SUCCESS,
        SMALL_MAX_ATTEMPTS,
        hard_share=SMALL_HARD_SHARE,
        human_cost=human_usd,
    )


def _large() -> llmtco.Outcome:
    return llmtco.retry_cost(LARGE_USD_PER_RUN, LARGE_P_SUCCESS)


def _break_even_human_usd() -> float:
    """Human cost at which the 7B and the 70B cost the same per success [USD/task].

    The 7B's cost per success is ``a + b h`` (its success rate does not depend on ``h``), so
    two evaluations give ``a`` and ``b`` and the root is ``(c70 - a) / b``.
    """
    at = np.array([0.0, 1.0])
    per_success = np.asarray(_small(at).cost_per_success_usd)
    intercept, slope = per_success[0], per_success[1] - per_success[0]
    return float((float(_large().cost_per_success_usd) - intercept) / slope)


def _scenario(human_usd: float = HAND_HUMAN_USD) -> llmtco.Scenario:
    """Two hosted Llama APIs from the catalog; the 8B with a human at ``human_usd`` and without."""
    small_terms = {
        "success_rate": SMALL_P_SUCCESS,
        "max_attempts": SMALL_MAX_ATTEMPTS,
        "hard_share": SMALL_HARD_SHARE,
    }
    return llmtco.Scenario.from_dict(
        {
            "name": "Article 001: cost per outcome",
            "horizon_months": 12,
            "workload": {
                "requests_per_month": REQUESTS_PER_MONTH,
                "input_tokens_per_request": INPUT_TOKENS_PER_REQUEST,
                "output_tokens_per_request": OUTPUT_TOKENS_PER_REQUEST,
            },
            "options": {
                "8b+human": {
                    "kind": "api",
                    "model": SMALL_API,
                    "outcomes": small_terms | {"human_usd": human_usd},
                },
                "8b-no-human": {"kind": "api", "model": SMALL_API, "outcomes": small_terms},
                "70b": {
                    "kind": "api",
                    "model": LARGE_API,
                    "outcomes": {"success_rate": LARGE_P_SUCCESS},
                },
            },
        }
    )


def _month0(result: llmtco.ComparisonResult) -> pd.DataFrame:
    return result.outcomes[result.outcomes["month"] == 0].set_index("option")


def _usd_per_run(model: str) -> float:
    sheet = llmtco.load_catalog().api_price(model)
    return (
        INPUT_TOKENS_PER_REQUEST * sheet.input_usd_per_mtok
        + OUTPUT_TOKENS_PER_REQUEST * sheet.output_usd_per_mtok
    ) / 1e6


def main() -> dict[str, float]:
    pd.set_option("display.width", 160)

    # --- The hand case: five failed attempts, then a human ------------------------------------
    # 7B: 5 x 0.002 + 5.00 = 5.01 USD for the one solved task; 70B: 0.02 USD.
    hand_small = llmtco.retry_cost(
        SMALL_USD_PER_RUN,
        SMALL_P_SUCCESS,
        SMALL_MAX_ATTEMPTS,
        hard_share=1.0,
        human_cost=HAND_HUMAN_USD,
    )
    hand_small_usd = float(hand_small.cost_per_success_usd)
    large_usd = float(_large().cost_per_success_usd)
    # Break-even of the hand case: 5 x 0.002 + h = 0.02, h = 0.01 USD.
    hand_break_even = LARGE_USD_PER_RUN - SMALL_MAX_ATTEMPTS * SMALL_USD_PER_RUN

    # --- The workload reading, swept over the human cost (one vectorised call) ---------------
    sweep = _small(HUMAN_USD_SWEEP)
    small_per_success = np.asarray(sweep.cost_per_success_usd)
    table = pd.DataFrame(
        {
            "human_usd": HUMAN_USD_SWEEP,
            "7b_usd_per_success": small_per_success,
            "70b_usd_per_success": large_usd,
            "7b/70b": small_per_success / large_usd,
            "cheaper": np.where(small_per_success < large_usd, "7B", "70B"),
        }
    )
    break_even = _break_even_human_usd()
    at_break_even = _small(break_even)
    workload_small_usd = float(_small(HAND_HUMAN_USD).cost_per_success_usd)

    price_ratio = LARGE_USD_PER_RUN / SMALL_USD_PER_RUN
    hand_ratio = hand_small_usd / large_usd
    workload_ratio = workload_small_usd / large_usd
    workload = f"p {SMALL_P_SUCCESS}, {SMALL_HARD_SHARE:.0%} hard, {SMALL_MAX_ATTEMPTS} tries"
    rows = [
        (
            "cost per run, 7B / 70B",
            "ten times cheaper per run",
            f"{SMALL_USD_PER_RUN} / {LARGE_USD_PER_RUN} USD: {price_ratio:.0f}x",
            "input",
        ),
        (
            "hand case: 5 failed 7B attempts + human",
            "more per solved task",
            f"{hand_small_usd:.3f} USD against {large_usd:.3f} USD",
            f"right: {hand_ratio:.0f}x the 70B at a {HAND_HUMAN_USD:.0f} USD human",
        ),
        (
            "hand case: human cost where the 7B stops winning",
            "-",
            f"{hand_break_even:.3f} USD",
            f"the 7B loses once a correction costs over {hand_break_even:.2f} USD",
        ),
        (
            f"workload: {workload}",
            "more per solved task",
            f"{workload_small_usd:.4f} USD against {large_usd:.3f} USD",
            f"right: {workload_ratio:.0f}x the 70B at a {HAND_HUMAN_USD:.0f} USD human",
        ),
        (
            "workload: break-even human cost",
            "-",
            f"{break_even:.4f} USD",
            "the 7B wins per outcome only below it",
        ),
    ]
    claims = pd.DataFrame(rows, columns=["claim", "published", "llmtco", "verdict"])
    claims = claims.apply(lambda column: column.str.ljust(column.str.len().max()))
    title = "Article 001: cost per solved task, 7B with retries and a human vs 70B"
    print(title)
    print("=" * len(title))
    print(claims.to_string(index=False, justify="left"))
    print()

    print("Hand case, by hand: 7B = 5 attempts x 0.002 + 1 x human; 70B = 1 attempt x 0.02")
    print(
        f"  7B:  {float(hand_small.attempts):.0f} attempts, escalated "
        f"{float(hand_small.p_escalated):.0%}, {hand_small_usd:.4f} USD per success"
    )
    print(f"  70B: 1 attempt, {large_usd:.4f} USD per success")
    print()

    e_attempts = float(at_break_even.attempts)
    p_escalated = float(at_break_even.p_escalated)
    print(
        f"Workload (7B right {SMALL_P_SUCCESS:.0%} per attempt, {SMALL_HARD_SHARE:.0%} hard cases, "
        f"up to {SMALL_MAX_ATTEMPTS} attempts, then a human):"
    )
    print(
        f"  E[attempts] = {e_attempts:.5f}, P(escalated) = {p_escalated:.6f}, "
        f"model spend {e_attempts * SMALL_USD_PER_RUN:.6f} USD per task"
    )
    print("  cost per success against the human correction cost:")
    print(
        table.to_string(
            index=False,
            formatters={
                "human_usd": "{:.3f}".format,
                "7b_usd_per_success": "{:.5f}".format,
                "70b_usd_per_success": "{:.5f}".format,
                "7b/70b": "{:.2f}".format,
            },
        )
    )
    print(
        f"  break-even human cost: ({large_usd} - {e_attempts:.5f} x {SMALL_USD_PER_RUN}) / "
        f"{p_escalated:.6f} = {break_even:.6f} USD"
    )
    print(
        f"  at that cost: 7B {float(at_break_even.cost_per_success_usd):.6f} USD per success, "
        f"70B {large_usd:.6f} USD per success"
    )
    print()

    # --- The same through compare(): two hosted APIs from the catalog -------------------------
    result = llmtco.compare(_scenario())
    month0 = _month0(result)
    small_run, large_run = _usd_per_run(SMALL_API), _usd_per_run(LARGE_API)
    title = (
        f"compare(): {SMALL_API} vs {LARGE_API}, "
        f"{INPUT_TOKENS_PER_REQUEST:,.0f} in + {OUTPUT_TOKENS_PER_REQUEST:,.0f} out tokens, "
        f"{REQUESTS_PER_MONTH:,.0f} requests/month (month 0)"
    )
    print(title)
    print("=" * len(title))
    print(
        f"cost per run: 8B {small_run:.6f} USD, 70B {large_run:.6f} USD "
        f"({large_run / small_run:.1f}x); 8B human at {HAND_HUMAN_USD:.0f} USD"
    )
    columns = [
        "calls_per_request",
        "success_rate",
        "human_escalation_rate",
        "unresolved_rate",
        "usd",
        "usd_per_request",
        "usd_per_success",
    ]
    print(month0[columns].to_string(float_format="{:.6f}".format))
    print()
    print(
        "8b-no-human looks cheapest per success only because the tenth of tasks it never "
        "solves cost nothing here;\nsomeone must still solve them: give them a human_usd and it "
        "becomes 8b+human."
    )
    print()
    print("Over the 12-month horizon (frontier: no other option both cheaper and better):")
    print(result.frontier().to_string(float_format="{:.6f}".format))
    print()

    # Break-even human cost at catalog prices, through compare() alone: cost per success of
    # 8b+human is linear in human_usd, so compare at 0 and 1 USD and solve; then check.
    at_0, at_1 = (
        float(_month0(llmtco.compare(_scenario(h))).loc["8b+human", "usd_per_success"])
        for h in (0.0, 1.0)
    )
    large_compare = float(month0.loc["70b", "usd_per_success"])
    compare_break_even = (large_compare - at_0) / (at_1 - at_0)
    check = _month0(llmtco.compare(_scenario(compare_break_even)))
    compare_small_at_break_even = float(check.loc["8b+human", "usd_per_success"])
    print(
        f"compare(): the 8B wins per success only while a human correction costs less than "
        f"{compare_break_even:.6f} USD;\n  there: 8b+human {compare_small_at_break_even:.6f}, "
        f"70b {float(check.loc['70b', 'usd_per_success']):.6f} USD per success"
    )

    return {
        "hand_small_usd_per_success": hand_small_usd,
        "hand_large_usd_per_success": large_usd,
        "hand_small_attempts": float(hand_small.attempts),
        "hand_break_even_human_usd": float(hand_break_even),
        "workload_small_usd_per_success_at_hand_human": workload_small_usd,
        "workload_small_attempts": e_attempts,
        "workload_small_p_escalated": p_escalated,
        "break_even_human_usd": break_even,
        "break_even_small_usd_per_success": float(at_break_even.cost_per_success_usd),
        "break_even_large_usd_per_success": large_usd,
        **{
            f"sweep_small_usd_per_success_at_{h:g}": float(v)
            for h, v in zip(HUMAN_USD_SWEEP, small_per_success, strict=True)
        },
        "compare_small_usd_per_run": small_run,
        "compare_break_even_human_usd": compare_break_even,
        "compare_break_even_small_usd_per_success": compare_small_at_break_even,
        "compare_break_even_large_usd_per_success": float(check.loc["70b", "usd_per_success"]),
        "compare_large_usd_per_run": large_run,
        **{
            f"compare_{option}_{column}": float(month0.loc[option, column])
            for option in ("8b+human", "8b-no-human", "70b")
            for column in ("usd_per_request", "usd_per_success", "success_rate")
        },
    }


if __name__ == "__main__":
    main()
