"""A recommendation a CTO can defend: constraints first, then cost, robustness, rules of thumb.

:func:`recommend` follows the order the articles agree on: hard constraints (data that may not
leave, a model version that must stay pinned), then volume that is high and steady (the cost
comparison), then operations capacity (FTEs available against needed), then time to ship. The
cheapest option that survives is recommended. Beside it: how often it stays cheapest under the
scenario's uncertainty, the input values that would change the answer, the published rules of
thumb evaluated on this workload, and the five-question checklist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from llmtco.catalog import Catalog, load_catalog
from llmtco.engine.uncertainty import probability_lowest
from llmtco.models import ApiOption, HybridOption, Scenario, SelfHostedOption
from llmtco.result import BreakEvenPair, ComparisonResult
from llmtco.tco import compare, traffic_shape
from llmtco.uncertainty import SimulationResult, simulate, tornado

if TYPE_CHECKING:
    from llmtco.models import DeploymentOption

__all__ = ["Reason", "Recommendation", "checklist", "recommend", "rules_of_thumb"]


@dataclass(frozen=True)
class Reason:
    """One step of the decision.

    Attributes
    ----------
    step : str
        ``hard constraints``, ``volume``, ``operations capacity`` or ``time to ship``.
    finding : str
        What the step found, with the numbers.
    rules_out : tuple of str
        Options this step removes.
    """

    step: str
    finding: str
    rules_out: tuple[str, ...] = ()


def _api_backends(option: DeploymentOption) -> list[ApiOption]:
    if isinstance(option, ApiOption):
        return [option]
    if isinstance(option, HybridOption):
        return [b for b in option.backends.values() if isinstance(b, ApiOption)]
    return []


def _fte(option: DeploymentOption) -> float:
    own = option.labor.fte
    if isinstance(option, HybridOption):
        return own + sum(b.labor.fte for b in option.backends.values())
    return own


def _peak_to_mean(scenario: Scenario) -> float:
    return traffic_shape(scenario.workload.traffic)[1]


def _hard_constraints(scenario: Scenario) -> Reason:
    decision = scenario.decision
    out: dict[str, str] = {}
    notes = []
    if not decision.data_may_leave:
        for name, option in scenario.options.items():
            leaky = [b for b in _api_backends(option) if not b.sensitive_data_allowed]
            if leaky:
                out[name] = "sends data to a third-party API"
        notes.append("data may not leave: options that send requests to an API are ruled out")
    classes = scenario.workload.classes or {}
    sensitive = [n for n, c in classes.items() if c.sensitive]
    if sensitive:
        notes.append(
            f"sensitive class(es) {', '.join(sensitive)} stay in-house in every option "
            "(enforced when the scenario was validated)"
        )
    if decision.model_must_stay_pinned:
        for name, option in scenario.options.items():
            if any(not b.version_pinned for b in _api_backends(option)):
                out.setdefault(name, "depends on an API model version that may change")
        notes.append("the model version must stay pinned: APIs without a pinned version are out")
    if not notes:
        notes.append("none stated (decision.data_may_leave, decision.model_must_stay_pinned)")
    finding = "; ".join(notes)
    if out:
        finding += ". Ruled out: " + ", ".join(f"{n} ({why})" for n, why in out.items())
    return Reason("hard constraints", finding, tuple(out))


def _volume(scenario: Scenario, result: ComparisonResult) -> Reason:
    tokens = float(result.tokens_per_month[0])
    ratio = _peak_to_mean(scenario)
    steady = ratio <= scenario.decision.steady_peak_to_mean_max
    shape = (
        f"steady (busiest hour {ratio:.2g}x the mean)"
        if steady
        else f"spiky (busiest hour {ratio:.2g}x the mean, above "
        f"{scenario.decision.steady_peak_to_mean_max:g}x): capacity sized for the peak idles"
    )
    best = _decisive_pair(result)
    if best is None:
        return Reason("volume", f"{tokens / 1e6:,.0f}M tokens/month in month 0, traffic {shape}.")
    if not math.isfinite(best.break_even_tokens_per_month):
        verdict = (
            f"no self-hosted option ever breaks even against {best.api}, the cheapest API, at "
            f"this scenario's prices ({tokens / 1e6:,.0f}M tokens/month in month 0): volume "
            "favours the API"
        )
    elif tokens >= best.break_even_tokens_per_month:
        verdict = (
            f"{tokens / 1e6:,.0f}M tokens/month in month 0 is above the sustained break-even of "
            f"{best.self_hosted} against {best.api} "
            f"({best.break_even_tokens_per_month / 1e6:,.0f}M): volume favours self-hosting"
        )
    else:
        last = float(result.tokens_per_month[-1])
        verdict = (
            f"{tokens / 1e6:,.0f}M tokens/month in month 0 (month {len(result.tokens_per_month)}: "
            f"{last / 1e6:,.0f}M) is below the lowest sustained break-even, {best.self_hosted} "
            f"against {best.api} at {best.break_even_tokens_per_month / 1e6:,.0f}M: "
            + (
                "volume favours the API until growth crosses it"
                if last >= best.break_even_tokens_per_month
                else "volume favours the API"
            )
        )
    return Reason("volume", f"{verdict}; traffic is {shape}.")


def _decisive_pair(result: ComparisonResult) -> BreakEvenPair | None:
    """The lowest break-even against the cheapest API option: the API self-hosting must beat."""
    api = [str(n) for n, k in result.totals["kind"].items() if k == "api"]
    if not api or not result.pairs:
        return None
    npv = result.totals["npv_usd"]
    cheapest_api = min(api, key=lambda n: float(npv[n]))
    pairs = [p for p in result.pairs if p.api == cheapest_api]
    return min(pairs, key=lambda p: p.break_even_tokens_per_month) if pairs else None


def _over_limit(
    step: str, limit: float | None, needs: dict[str, float], stated: str, unstated: str
) -> Reason:
    """Rule out the options whose need exceeds a limit; ``stated`` and ``unstated`` word it."""
    listed = ", ".join(f"{n} {v:.3g}" for n, v in needs.items())
    if limit is None:
        return Reason(step, unstated.format(listed=listed))
    out = tuple(n for n, v in needs.items() if v > limit + 1e-12)
    finding = stated.format(limit=limit, listed=listed)
    if out:
        finding += ". Ruled out: " + ", ".join(out)
    return Reason(step, finding, out)


def _operations(scenario: Scenario) -> Reason:
    return _over_limit(
        "operations capacity",
        scenario.decision.ops_fte_available,
        {n: _fte(o) for n, o in scenario.options.items()},
        "{limit:g} FTE available; needed: {listed}",
        "FTEs needed: {listed}; none available stated (decision.ops_fte_available).",
    )


def _time_to_ship(scenario: Scenario) -> Reason:
    return _over_limit(
        "time to ship",
        scenario.decision.ship_within_months,
        {n: scenario.lead_time_months(n) for n in scenario.options},
        "must ship within {limit:g} months; months to production: {listed}",
        "months to production: {listed}; no deadline stated (decision.ship_within_months).",
    )


def _api_bill_usd_per_month(result: ComparisonResult) -> tuple[str, float] | None:
    """The cheapest API option's month-0 bill, setup excluded [USD/month]."""
    api = [n for n, k in result.totals["kind"].items() if k == "api"]
    if not api:
        return None
    month0 = result.monthly[
        (result.monthly["month"] == 0) & (result.monthly["component"] != "setup")
    ]
    bills = month0.groupby("option")["usd"].sum()
    name = min(api, key=lambda n: float(bills.get(n, 0.0)))
    return str(name), float(bills.get(name, 0.0))


def _family(kind: str) -> str:
    return {"api": "API", "self_hosted": "self-host", "hybrid": "hybrid"}[kind]


def rules_of_thumb(result: ComparisonResult, computed: str | None = None) -> pd.DataFrame:
    """The articles' rules of thumb evaluated on this workload, beside the computed answer.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`llmtco.compare`.
    computed : str, optional
        The option the computation recommends; by default the cheapest by NPV.

    Returns
    -------
    pandas.DataFrame
        One row per rule: ``rule``, ``source``, ``your_value``, ``rule_says``,
        ``computed_says``, ``agrees`` and ``note``.

    Examples
    --------
    >>> from llmtco import compare, default_scenario
    >>> rules = rules_of_thumb(compare(default_scenario()))
    >>> list(rules.columns)[:3]
    ['rule', 'source', 'your_value']
    """
    chosen = computed or result.cheapest
    kind = str(result.totals.loc[chosen, "kind"])
    computed_says = _family(kind)
    tokens = float(result.tokens_per_month[0])
    bill = _api_bill_usd_per_month(result)
    growing = float(result.tokens_per_month[-1]) > tokens * 1.0001
    decisive = _decisive_pair(result)
    break_even = decisive.break_even_tokens_per_month if decisive else math.inf
    rows = []

    def add(rule: str, source: str, value: str, says: str, note: str) -> None:
        agrees = (
            None
            if says == "either"
            else (says == computed_says or (says == "self-host" and kind == "hybrid"))
        )
        rows.append(
            {
                "rule": rule,
                "source": source,
                "your_value": value,
                "rule_says": says,
                "computed_says": computed_says,
                "agrees": agrees,
                "note": note,
            }
        )

    be_note = (
        f"self-hosting breaks even at {break_even / 1e6:,.0f}M tokens/month here"
        if math.isfinite(break_even)
        else "no self-hosted option here ever breaks even on volume"
    )
    if bill is not None:
        name, usd = bill
        value = f"{usd:,.0f} USD/month ({name}, month 0)"
        add(
            "API bill under 3,000 USD/month: stay on the API",
            "article 003",
            value,
            "API" if usd < 3000 else "either",
            "the rule applies" if usd < 3000 else "bill is above 3,000 USD/month",
        )
        says = "self-host" if usd > 5000 and growing else "either"
        add(
            "API bill over 5,000 USD/month and growing: consider self-hosting",
            "article 003",
            value + (", growing" if growing else ", flat"),
            says,
            be_note,
        )
        add(
            "consider self-hosting above 2,000 USD/month API spend",
            "article 000",
            value,
            "self-host" if usd > 2000 else "API",
            be_note,
        )
    add(
        "self-hosting pays above about 50-60M tokens/month",
        "article 000 (crossover quoted as 50-80M)",
        f"{tokens / 1e6:,.0f}M tokens/month (month 0)",
        "self-host" if tokens > 60e6 else ("API" if tokens < 50e6 else "either"),
        be_note
        + (
            f", {break_even / 60e6:,.0f}x the rule's 60M"
            if math.isfinite(break_even) and break_even > 0
            else ""
        ),
    )
    frame = pd.DataFrame(rows)
    frame.attrs["computed"] = chosen
    return frame


def checklist(scenario: Scenario, result: ComparisonResult) -> pd.DataFrame:
    """The five-question checklist (article 004's decision order), answered from the scenario.

    Returns
    -------
    pandas.DataFrame
        One row per question: ``question``, ``answer`` (``yes``, ``no`` or ``not stated``),
        ``points_to`` (``self-host``, ``API`` or ``either``) and ``basis``.

    Examples
    --------
    >>> from llmtco import compare, default_scenario
    >>> s = default_scenario()
    >>> checklist(s, compare(s))["question"].str.split().str[0].tolist()
    ['Must', 'Is', 'Must', 'Can', 'Must']
    """
    decision = scenario.decision
    sensitive = any(c.sensitive for c in (scenario.workload.classes or {}).values())
    must_stay = (not decision.data_may_leave) or sensitive
    tokens = float(result.tokens_per_month[0])
    decisive = _decisive_pair(result)
    break_even = decisive.break_even_tokens_per_month if decisive else math.inf
    ratio = _peak_to_mean(scenario)
    high_steady = tokens >= break_even and ratio <= decision.steady_peak_to_mean_max
    self_fte = [_fte(o) for o in scenario.options.values() if not isinstance(o, ApiOption)]
    self_lead = [
        scenario.lead_time_months(n) for n, o in scenario.options.items() if o.kind != "api"
    ]
    rows = [
        (
            "Must the data stay in-house?",
            "yes" if must_stay else "no",
            "self-host" if must_stay else "either",
            "decision.data_may_leave is false"
            if not decision.data_may_leave
            else ("sensitive request classes" if sensitive else "no constraint stated"),
        ),
        (
            "Is the volume high and steady?",
            "yes" if high_steady else "no",
            "self-host" if high_steady else "API",
            f"{tokens / 1e6:,.0f}M tokens/month against a break-even of "
            + (f"{break_even / 1e6:,.0f}M" if math.isfinite(break_even) else "never")
            + f"; busiest hour {ratio:.2g}x the mean",
        ),
        (
            "Must the model version stay pinned?",
            "yes" if decision.model_must_stay_pinned else "no",
            "self-host" if decision.model_must_stay_pinned else "either",
            "decision.model_must_stay_pinned",
        ),
    ]
    if decision.ops_fte_available is None or not self_fte:
        rows.append(
            (
                "Can the team run it (FTEs available vs needed)?",
                "not stated",
                "either",
                "decision.ops_fte_available is not set",
            )
        )
    else:
        enough = decision.ops_fte_available >= min(self_fte)
        rows.append(
            (
                "Can the team run it (FTEs available vs needed)?",
                "yes" if enough else "no",
                "either" if enough else "API",
                f"{decision.ops_fte_available:g} FTE available, {min(self_fte):g} needed at least",
            )
        )
    if decision.ship_within_months is None or not self_lead:
        rows.append(
            (
                "Must you ship faster than self-hosting allows?",
                "not stated",
                "either",
                "no deadline",
            )
        )
    else:
        fast = decision.ship_within_months < min(self_lead)
        rows.append(
            (
                "Must you ship faster than self-hosting allows?",
                "yes" if fast else "no",
                "API" if fast else "either",
                (
                    f"deadline {decision.ship_within_months:g} months, self-hosting takes "
                    f"{min(self_lead):g}"
                ),
            )
        )
    return pd.DataFrame(rows, columns=["question", "answer", "points_to", "basis"])


@dataclass(frozen=True)
class Recommendation:
    """The recommended option, why, how robust, and what would change it.

    Attributes
    ----------
    option : str or None
        The recommended option; None when every option is ruled out.
    reasons : tuple of Reason
        The decision steps in order.
    ruled_out : dict of str to str
        Option -> the step that ruled it out.
    npv_usd : pandas.Series
        NPV of every option at the scenario's base values [USD].
    p_stays_cheapest : float or None
        Probability that the option is the cheapest of the options left after the constraints,
        under the scenario's uncertainty; None without uncertain inputs.
    what_would_change : pandas.DataFrame
        The most influential inputs with the value at which the runner-up becomes as cheap:
        ``input``, ``base_value``, ``break_even_value``, ``swing_usd``.
    rules_of_thumb : pandas.DataFrame
        See :func:`rules_of_thumb`.
    checklist : pandas.DataFrame
        See :func:`checklist`.
    comparison : ComparisonResult
        The deterministic comparison.
    simulation : SimulationResult or None
        The Monte Carlo run, when the scenario has uncertain inputs.
    tornado : pandas.DataFrame
        One-at-a-time swings of NPV(option) - NPV(runner-up), see :func:`llmtco.tornado`.
    runner_up : str or None
        The next cheapest option left after the constraints.
    """

    option: str | None
    reasons: tuple[Reason, ...]
    ruled_out: dict[str, str]
    npv_usd: pd.Series
    p_stays_cheapest: float | None
    what_would_change: pd.DataFrame
    rules_of_thumb: pd.DataFrame
    checklist: pd.DataFrame
    comparison: ComparisonResult
    simulation: SimulationResult | None
    tornado: pd.DataFrame
    runner_up: str | None

    @property
    def scenario(self) -> Scenario:
        """The scenario decided on."""
        return self.comparison.scenario

    def summary(self) -> str:
        """The recommendation in a few sentences."""
        lines = []
        if self.option is None:
            lines.append("No option meets the constraints.")
        else:
            label = self.scenario.option_label(self.option)
            lines.append(
                f"Recommended: {label} (NPV {float(self.npv_usd[self.option]):,.0f} USD over "
                f"{self.scenario.horizon_months} months)."
            )
            if self.runner_up is not None:
                gap = float(self.npv_usd[self.runner_up] - self.npv_usd[self.option])
                lines.append(f"Runner-up: {self.runner_up}, {gap:,.0f} USD dearer.")
            if self.p_stays_cheapest is not None and self.simulation is not None:
                lines.append(
                    f"It stays the cheapest in {self.p_stays_cheapest:.0%} of "
                    f"{self.simulation.n:,} Monte Carlo samples."
                )
        for i, reason in enumerate(self.reasons, start=1):
            lines.append(f"{i}. {reason.step}: {reason.finding}")
        for _, row in self.what_would_change.iterrows():
            if math.isnan(row["break_even_value"]):
                continue
            lines.append(
                f"Would change if {row['input']} went from {row['base_value']:.4g} to "
                f"{row['break_even_value']:.4g}."
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        import html

        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.summary().splitlines())
        rules = self.rules_of_thumb.to_html(index=False)
        return f"<ul>{items}</ul><p><b>Rules of thumb</b></p>{rules}"


def _candidate_ranges(scenario: Scenario, pair: tuple[str, str]) -> dict[str, tuple[float, float]]:
    """Inputs worth swinging when the user declared none: volume, growth, the pair's prices."""
    ranges: dict[str, tuple[float, float]] = {}
    workload = scenario.workload
    if workload.requests_per_month is not None:
        base = workload.requests_per_month
        ranges["workload.requests_per_month"] = (base / 2, base * 2)
    elif workload.tokens_per_month is not None:
        base = workload.tokens_per_month
        ranges["workload.tokens_per_month"] = (base / 2, base * 2)
    for name in pair:
        option = scenario.options[name]
        if isinstance(option, ApiOption | SelfHostedOption):
            ranges[f"options.{name}.price_factor"] = (0.5, 1.5)
        if isinstance(option, SelfHostedOption):
            if option.labor.fte > 0:
                ranges[f"options.{name}.labor.fte"] = (option.labor.fte / 2, option.labor.fte * 2)
            utilization = option.target_utilization
            ranges[f"options.{name}.target_utilization"] = (
                utilization * 0.7,
                min(1.0, utilization * 1.3),
            )
    return ranges


def recommend(
    scenario: Scenario,
    *,
    n: int = 2000,
    seed: int = 0,
    catalog: Catalog | None = None,
    top: int = 3,
) -> Recommendation:
    """Recommend an option, with its reasons in the order the decision is made.

    Parameters
    ----------
    scenario : Scenario
        The scenario, with its ``decision`` constraints and ``uncertainty``.
    n : int, default 2000
        Monte Carlo samples for the robustness (only with uncertain inputs).
    seed : int, default 0
        Seed of the Monte Carlo run.
    catalog : Catalog, optional
        Price catalog; by default the scenario's.
    top : int, default 3
        Number of influential inputs reported in ``what_would_change``.

    Returns
    -------
    Recommendation

    Examples
    --------
    >>> from llmtco import default_scenario
    >>> rec = recommend(default_scenario())
    >>> rec.option, [r.step for r in rec.reasons]
    ('gpt-4o-mini', ['hard constraints', 'volume', 'operations capacity', 'time to ship'])
    """
    catalog = catalog or load_catalog(*scenario.catalog_paths, as_of=scenario.prices_as_of)
    result = compare(scenario, catalog)
    reasons = (
        _hard_constraints(scenario),
        _volume(scenario, result),
        _operations(scenario),
        _time_to_ship(scenario),
    )
    ruled_out: dict[str, str] = {}
    for reason in reasons:
        for name in reason.rules_out:
            ruled_out.setdefault(name, reason.step)
    npv = result.totals["npv_usd"]
    feasible = [str(name) for name in npv.sort_values().index if name not in ruled_out]
    option = feasible[0] if feasible else None
    runner_up = feasible[1] if len(feasible) > 1 else None
    simulation = None
    p_stays = None
    if scenario.uncertainty:
        simulation = simulate(scenario, n=n, seed=seed, catalog=catalog)
        if option is not None:
            share = probability_lowest(simulation.npv[feasible].to_numpy())
            p_stays = float(share[0])
    swings = pd.DataFrame(
        columns=["input", "base_value", "break_even_value", "swing_usd", "low_value", "high_value"]
    )
    if option is not None and runner_up is not None:
        pair = (option, runner_up)
        extra = {
            p: r
            for p, r in _candidate_ranges(scenario, pair).items()
            if p not in scenario.uncertainty
        }
        swings = tornado(scenario, pair, ranges=extra, catalog=catalog)
    change = swings.head(top)[["input", "base_value", "break_even_value", "swing_usd"]].reset_index(
        drop=True
    )
    return Recommendation(
        option=option,
        reasons=reasons,
        ruled_out=ruled_out,
        npv_usd=npv,
        p_stays_cheapest=p_stays,
        what_would_change=change,
        rules_of_thumb=rules_of_thumb(result, option),
        checklist=checklist(scenario, result),
        comparison=result,
        simulation=simulation,
        tornado=swings,
        runner_up=runner_up,
    )
