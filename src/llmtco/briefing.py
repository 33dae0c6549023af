"""The decision report: what goes in it (this module) and how it is laid out (:mod:`llmtco.report`).

:func:`decision_report` turns a :class:`~llmtco.Recommendation` into a
:class:`~llmtco.report.Report`: the summary and recommendation, costs, uncertainty, what would
change the answer, the rules of thumb and the checklist, with their figures.
:func:`write_decision_report` runs the whole analysis for a scenario and writes the HTML and
Markdown files (``llmtco report`` on the command line).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from llmtco.decision import Recommendation, recommend
from llmtco.models import ApiOption, SelfHostedOption
from llmtco.report import (
    Figure,
    Report,
    ReportFiles,
    Section,
    Table,
    refuse_existing,
    write_report,
)
from llmtco.uncertainty import break_even_map

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

    from llmtco.catalog import Catalog
    from llmtco.models import Scenario

__all__ = ["decision_report", "write_decision_report"]


def _figure(width: float = 8.0, height: float = 4.5) -> tuple[MplFigure, object]:
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width, height))
    return fig, fig.subplots()


def _summary_section(rec: Recommendation) -> Section:
    lines = rec.summary().splitlines()
    head = [line for line in lines if not line[:1].isdigit() and not line.startswith("Would")]
    steps = tuple(f"{r.step.capitalize()}: {r.finding}" for r in rec.reasons)
    return Section("Recommendation", paragraphs=tuple(head), bullets=steps)


def _costs_section(rec: Recommendation) -> Section:
    from llmtco.plot import plot_breakdown, plot_tco

    result = rec.comparison
    totals = result.totals[
        ["label", "kind", "npv_usd", "total_usd", "month0_usd", "last_month_usd", "usd_per_mtok"]
    ].sort_values("npv_usd")
    fig_tco, ax = _figure()
    plot_tco(result, ax=ax)  # type: ignore[arg-type]
    fig_parts, ax2 = _figure(8.0, 5.0)
    labels = {n: rec.scenario.option_label(n) for n in result.totals.index}
    plot_breakdown(result.monthly, ax=ax2, labels=labels, title="Cost over the horizon")  # type: ignore[arg-type]
    tables = [
        Table(
            "Cost per option",
            totals,
            "npv_usd and total_usd over the horizon [USD]; month0_usd and last_month_usd "
            "[USD/month]; usd_per_mtok per million workload tokens.",
        )
    ]
    if result.pairs:
        tables.append(
            Table(
                "Break-even volume and payback (self-hosted vs API)",
                result.break_even,
                "Sustained break-even volume [tokens/month] at month-0 prices; payback in months.",
            )
        )
    return Section(
        "Costs at the base values",
        paragraphs=(
            (
                f"Every uncertain input at its median; {rec.scenario.horizon_months} months, "
                f"discount rate {rec.scenario.discount_rate_per_year:.1%} a year, "
                f"{rec.scenario.hours_per_month:g} hours a month."
            ),
        ),
        tables=tuple(tables),
        figures=(
            Figure("Cumulative cost per option", fig_tco, "tco"),
            Figure("Cost over the horizon by component", fig_parts, "breakdown"),
        ),
    )


def _uncertainty_section(rec: Recommendation) -> Section | None:
    sim = rec.simulation
    if sim is None:
        return None
    from llmtco.plot import plot_rank_correlations

    inputs = pd.DataFrame(
        {
            "distribution": [d.describe() for d in rec.scenario.uncertainty.values()],
            "median": [d.median for d in rec.scenario.uncertainty.values()],
        },
        index=pd.Index(list(rec.scenario.uncertainty), name="input"),
    )
    fig_bands, ax = _figure()
    sim.plot(ax=ax)  # type: ignore[arg-type]
    robust = (
        f"{rec.option} is the cheapest allowed option in {rec.p_stays_cheapest:.0%} of the "
        f"{sim.n:,} samples."
        if rec.p_stays_cheapest is not None
        else ""
    )
    tables = [
        Table("Uncertain inputs", inputs),
        Table("NPV spread and probability of being cheapest", sim.summary, "[USD]; p [-]."),
    ]
    if not sim.break_even.empty:
        tables.append(Table("Break-even volume and payback spread", sim.break_even))
    figures = [Figure("Cumulative cost: median, 25-75% and 5-95% bands", fig_bands, "tco-bands")]
    paragraphs = [
        (
            f"{sim.n:,} Monte Carlo samples (seed {sim.seed}, {sim.method}), every uncertain "
            f"input drawn independently. {robust}"
        )
    ]
    if len(sim.options) < 2:
        paragraphs.append(
            "No sensitivity ranking: it compares two options, and the scenario has one."
        )
    else:
        sensitivity = sim.sensitivity(
            (rec.option, rec.runner_up) if rec.option and rec.runner_up else None
        )
        fig_rho, ax2 = _figure(8.0, 0.5 + 0.45 * max(len(sensitivity), 2))
        plot_rank_correlations(sensitivity, ax=ax2)  # type: ignore[arg-type]
        tables.append(
            Table(
                "Global sensitivity (Spearman rank correlation)",
                sensitivity,
                f"Correlation of each input with {sensitivity.attrs.get('metric', 'the metric')}.",
            )
        )
        figures.append(
            Figure("Rank correlation of each input with the NPV difference", fig_rho, "ranks")
        )
    return Section(
        "Uncertainty",
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        figures=tuple(figures),
    )


def _change_section(rec: Recommendation, catalog: Catalog | None) -> Section | None:
    if rec.option is None or rec.runner_up is None or rec.tornado.empty:
        return None
    from llmtco.plot import plot_tornado

    fig, ax = _figure(8.0, 0.8 + 0.5 * min(len(rec.tornado), 12))
    plot_tornado(rec.tornado, ax=ax, metric_label=rec.tornado.attrs.get("metric", "USD"))  # type: ignore[arg-type]
    bullets = []
    for _, row in rec.tornado.iterrows():
        if math.isnan(row["break_even_value"]):
            continue
        bullets.append(
            f"{row['input']}: now {row['base_value']:.4g}; {rec.option} and {rec.runner_up} cost "
            f"the same at {row['break_even_value']:.4g}."
        )
    if not bullets:
        bullets.append(
            "No single input, within its range, makes the runner-up as cheap as the recommendation."
        )
    figures = [Figure("One-at-a-time swings (tornado)", fig, "tornado")]
    grid = _map_figure(rec, catalog)
    if grid is not None:
        figures.append(grid)
    return Section(
        "What would change the answer",
        paragraphs=(
            (
                "Each input swung alone (10th to 90th percentile of its distribution, or the "
                "range shown), the others at their base values; metric "
                f"{rec.tornado.attrs.get('metric', '')}."
            ),
        ),
        bullets=tuple(bullets),
        tables=(Table("Tornado", rec.tornado),),
        figures=tuple(figures),
    )


def _map_figure(rec: Recommendation, catalog: Catalog | None) -> Figure | None:
    """Volume x utilization map of the best self-hosted option against the best API option."""
    scenario = rec.scenario
    npv = rec.comparison.totals["npv_usd"]
    apis = [n for n, o in scenario.options.items() if isinstance(o, ApiOption)]
    selfs = [n for n, o in scenario.options.items() if isinstance(o, SelfHostedOption)]
    volume = (
        "workload.requests_per_month"
        if scenario.workload.requests_per_month is not None
        else "workload.tokens_per_month"
    )
    if not apis or not selfs:
        return None
    api = min(apis, key=lambda n: float(npv[n]))
    own = min(selfs, key=lambda n: float(npv[n]))
    base = float(getattr(scenario.workload, volume.split(".")[1]))
    utilization = f"options.{own}.target_utilization"
    grid = break_even_map(
        scenario,
        volume,
        utilization,
        (own, api),
        x_range=(base / 10, base * 10),
        y_range=(0.3, 1.0),
        n=31,
        catalog=catalog,
    )
    fig, ax = _figure(8.0, 5.0)
    grid.plot(ax=ax)  # type: ignore[arg-type]
    return Figure(f"Break-even map: {own} against {api}", fig, "break-even-map")


def _rules_section(rec: Recommendation) -> Section:
    return Section(
        "Rules of thumb and the checklist",
        paragraphs=(
            (
                "The articles' rules of thumb evaluated on this workload, beside the computed "
                "answer; 'agrees' is empty where the rule does not decide."
            ),
        ),
        tables=(
            Table("Rules of thumb", rec.rules_of_thumb.set_index("rule")),
            Table("Five-question checklist", rec.checklist.set_index("question")),
        ),
    )


def decision_report(
    rec: Recommendation, *, generated: str | None = None, catalog: Catalog | None = None
) -> Report:
    """Assemble the decision report of a recommendation.

    Parameters
    ----------
    rec : Recommendation
        Output of :func:`llmtco.recommend`.
    generated : str, optional
        The "generated by" line; by default the llmtco version and today's date.
    catalog : Catalog, optional
        Price catalog for the break-even map; by default the scenario's.

    Returns
    -------
    llmtco.report.Report
    """
    from llmtco import __version__

    scenario = rec.scenario
    sections = [
        _summary_section(rec),
        _costs_section(rec),
        _uncertainty_section(rec),
        _change_section(rec, catalog),
        _rules_section(rec),
    ]
    return Report(
        title=scenario.name,
        subtitle=scenario.description,
        generated=generated or f"llmtco {__version__} on {dt.date.today().isoformat()}",
        sections=tuple(s for s in sections if s is not None),
    )


def write_decision_report(
    scenario: Scenario,
    out_dir: str | Path,
    *,
    n: int = 10_000,
    seed: int = 0,
    overwrite: bool = False,
    catalog: Catalog | None = None,
) -> ReportFiles:
    """Recommend, then write ``report.html`` (self-contained) and ``report.md`` to ``out_dir``.

    Raises
    ------
    FileExistsError
        If a report already exists there and ``overwrite`` is False (nothing is written).
    """
    if not overwrite:
        refuse_existing(out_dir)  # before the analysis, which takes seconds
    rec = recommend(scenario, n=n, seed=seed, catalog=catalog)
    return write_report(decision_report(rec, catalog=catalog), out_dir, overwrite=overwrite)
