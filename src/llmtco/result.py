"""The result of a comparison: tidy frames with units, break-even, payback, plots, JSON."""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from llmtco.engine._arrays import FloatArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from llmtco.models import Scenario

__all__ = ["BreakEvenPair", "ComparisonResult"]

_MONTHLY_UNITS = {"month": "months from start (0 = first)", "usd": "USD/month"}
_TOTALS_UNITS = {
    "total_usd": "USD over the horizon",
    "npv_usd": "USD, discounted to month 0",
    "month0_usd": "USD/month",
    "last_month_usd": "USD/month",
    "usd_per_mtok": "USD/Mtok over the horizon",
}
_CAPACITY_UNITS = {
    "tokens_per_month": "tokens/month",
    "peak_output_tokens_per_s": "tokens/s",
    "replicas": "replicas",
    "instances": "instances",
    "gpus": "GPUs",
    "gpu_hours": "GPU h/month",
    "utilization": "share of paid throughput used (mean)",
    "idle_usd": "USD/month",
    "cold_starts": "starts/month",
    "throughput_source": "measured:<serving profile id> or estimate",
}
_LATENCY_UNITS = {
    "ttft_p50_s": "s",
    "ttft_p95_s": "s",
    "ttft_p99_s": "s",
}
_OUTCOMES_UNITS = {
    "month": "months from start (0 = first)",
    "requests": "requests/month (the workload's)",
    "calls_per_request": "model calls per request (retries and escalations included)",
    "success_rate": "share of requests with a right answer (NaN = outcomes not given)",
    "false_accept_rate": "share of requests with a wrong answer accepted",
    "human_escalation_rate": "share of requests sent to a human",
    "unresolved_rate": "share of requests left unresolved or not served",
    "usd": "USD/month (every cost of the option)",
    "usd_per_request": "USD/request",
    "usd_per_success": "USD/successful request (inf = never succeeds)",
}
_ROUTING_UNITS = {
    "class_share": "share of the workload's requests",
    "entry_share": "share of the class's requests first sent to the backend",
    "calls_per_request": "calls to the backend per request of the class",
    "success_rate": "share of the class's requests with a right answer",
    "false_accept_rate": "share of the class's requests with a wrong answer accepted",
    "usd_per_request": "USD/request of the class over the horizon, shared costs allocated",
    "usd_per_success": "USD/successful request of the class",
}
_RATE_LIMIT_UNITS = {
    "tier_usd_per_month": "USD/month (the tier's fee, if any)",
    "month": "busiest month of the horizon, checked",
    "peak_requests_per_min": "requests/min in the busiest minute (NaN = requests unknown)",
    "peak_tokens_per_min": "tokens/min in the busiest minute",
    "peak_input_tokens_per_min": "tokens/min in the busiest minute",
    "peak_output_tokens_per_min": "tokens/min in the busiest minute",
    "exceeds": "the busiest minute exceeds a limit of the tier",
    "throttled_share": "share of the busiest month's volume above the binding limit",
    "tier_needed": "smallest listed tier whose limits carry the busiest minute",
}
_FRONTIER_UNITS = {
    "usd_per_request": "USD/request over the horizon",
    "success_rate": "share of requests with a right answer",
    "usd_per_success": "USD/successful request",
    "on_frontier": "no other option is both cheaper and at least as successful",
}
_BREAK_EVEN_UNITS = {
    "api_usd_per_mtok": "USD/Mtok (blended, workload mix)",
    "break_even_tokens_per_month": "tokens/month (inf = never)",
    "tokens_per_month_month0": "tokens/month",
    "payback_month": "months from start (NaN = never within horizon)",
    "discounted_payback_month": "months from start (NaN = never within horizon)",
}


def _with_units(frame: pd.DataFrame, units: dict[str, str], unit: str) -> pd.DataFrame:
    frame.attrs["unit"] = unit
    frame.attrs["units"] = {k: v for k, v in units.items() if k in frame.columns}
    return frame


def _json_number(value: float) -> float | None:
    return None if not math.isfinite(value) else float(value)


def _outcomes_summary(outcomes: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Per option over the horizon: success, false accepts and cost per request and success."""
    summary: dict[str, dict[str, float | None]] = {}
    for option, rows in outcomes.groupby("option", sort=False):
        requests = float(rows["requests"].sum())
        usd = float(rows["usd"].sum())
        success = float(rows["success_rate"].iloc[0])
        per_request = usd / requests if requests > 0 else math.nan
        summary[str(option)] = {
            "calls_per_request": float(rows["calls_per_request"].iloc[0]),
            "success_rate": _json_number(success),
            "false_accept_rate": float(rows["false_accept_rate"].iloc[0]),
            "human_escalation_rate": float(rows["human_escalation_rate"].iloc[0]),
            "unresolved_rate": float(rows["unresolved_rate"].iloc[0]),
            "usd_per_request": _json_number(per_request),
            "usd_per_success": _json_number(per_request / success) if success > 0 else None,
        }
    return summary


@dataclass(frozen=True)
class BreakEvenPair:
    """Break-even and payback of one self-hosted option against one API option.

    Attributes
    ----------
    self_hosted, api : str
        Option names.
    api_usd_per_mtok : float
        API price of one million tokens of the workload's mix [USD/Mtok].
    break_even_tokens_per_month : float
        Sustained break-even volume at month-0 prices and capacity [tokens/month]; ``inf`` when
        self-hosting never stays cheaper.
    tokens_per_month_month0 : float
        The workload's volume in month 0 [tokens/month].
    payback_month, discounted_payback_month : float
        Months from the start until cumulative self-hosted cost stays at or below the API's,
        plain and discounted [months]; ``nan`` when not within the horizon.
    payback_within_horizon, discounted_payback_within_horizon : bool
        Whether each payback happens within the horizon.
    """

    self_hosted: str
    api: str
    api_usd_per_mtok: float
    break_even_tokens_per_month: float
    tokens_per_month_month0: float
    payback_month: float
    payback_within_horizon: bool
    discounted_payback_month: float
    discounted_payback_within_horizon: bool

    @property
    def break_even_exists(self) -> bool:
        """Whether self-hosting stays cheaper beyond some volume."""
        return math.isfinite(self.break_even_tokens_per_month)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``None`` stands for infinite or undefined figures."""
        return {
            "self_hosted": self.self_hosted,
            "api": self.api,
            "api_usd_per_mtok": _json_number(self.api_usd_per_mtok),
            "break_even_tokens_per_month": _json_number(self.break_even_tokens_per_month),
            "break_even_exists": self.break_even_exists,
            "tokens_per_month_month0": _json_number(self.tokens_per_month_month0),
            "payback_month": _json_number(self.payback_month),
            "payback_within_horizon": self.payback_within_horizon,
            "discounted_payback_month": _json_number(self.discounted_payback_month),
            "discounted_payback_within_horizon": self.discounted_payback_within_horizon,
        }


@dataclass(frozen=True)
class ComparisonResult:
    """Outcome of :func:`llmtco.compare` for one scenario.

    Attributes
    ----------
    scenario : Scenario
        The scenario compared (with the horizon actually used).
    monthly : pandas.DataFrame
        Tidy costs: one row per (month, option, component), column ``usd`` [USD/month]. Months
        count from 0; one-time costs are in month 0.
    totals : pandas.DataFrame
        One row per option: ``total_usd`` over the horizon, ``npv_usd`` at the discount rate,
        ``month0_usd`` and ``last_month_usd`` [USD/month], ``usd_per_mtok`` [USD/Mtok].
    capacity : pandas.DataFrame or None
        Per self-hosted option and month: replicas, instances, GPUs, GPU-hours, utilization and
        the cost of idle capacity; ``None`` when no option is self-hosted.
    pairs : tuple of BreakEvenPair
        Break-even and payback of every self-hosted option against every API option; see
        :attr:`break_even` for the same as a DataFrame.
    tokens_per_month : numpy.ndarray
        Workload volume in each month [tokens/month].
    latency : pandas.DataFrame
        Time to first token at the 50th, 95th and 99th percentiles [s]: measured by the user for
        API options that give ``latency``, from the M/M/c queue at month 0's busiest hour for
        self-hosted options with a ``latency_slo``.
    outcomes : pandas.DataFrame
        Per option and month (when the workload counts requests): calls per request, success,
        false-accept, human-escalation and unresolved rates [-], cost [USD/month], cost per
        request [USD/request] and per successful request [USD/success]. Success is NaN for
        options that state no ``outcomes``.
    rate_limits : pandas.DataFrame
        Per API deployment whose price sheet lists rate limits: the busiest minute of the
        busiest month against the usage tier (the one named by ``rate_limit_tier``, else the
        smallest that carries it), the share of volume above the limit and the tier needed.
    routing : pandas.DataFrame
        Per option priced through request classes (hybrids, options with outcomes): for each
        class and backend, the route, the share first sent there, calls per request, success
        and the class's cost per request and per success with shared costs allocated by tokens.
    """

    scenario: Scenario
    monthly: pd.DataFrame
    totals: pd.DataFrame
    capacity: pd.DataFrame | None
    pairs: tuple[BreakEvenPair, ...]
    tokens_per_month: FloatArray
    latency: pd.DataFrame
    outcomes: pd.DataFrame
    routing: pd.DataFrame
    rate_limits: pd.DataFrame

    @classmethod
    def build(
        cls,
        *,
        scenario: Scenario,
        monthly: pd.DataFrame,
        totals: pd.DataFrame,
        capacity: pd.DataFrame | None,
        pairs: tuple[BreakEvenPair, ...],
        tokens_per_month: FloatArray,
        latency: pd.DataFrame,
        outcomes: pd.DataFrame,
        routing: pd.DataFrame,
        rate_limits: pd.DataFrame,
    ) -> ComparisonResult:
        """Attach units to the frames and build the record."""
        return cls(
            scenario=scenario,
            monthly=_with_units(monthly, _MONTHLY_UNITS, "USD/month"),
            totals=_with_units(totals, _TOTALS_UNITS, "USD"),
            capacity=None
            if capacity is None
            else _with_units(capacity, _CAPACITY_UNITS, "mixed; see attrs['units']"),
            pairs=pairs,
            tokens_per_month=tokens_per_month,
            latency=_with_units(latency, _LATENCY_UNITS, "s"),
            outcomes=_with_units(outcomes, _OUTCOMES_UNITS, "mixed; see attrs['units']"),
            routing=_with_units(routing, _ROUTING_UNITS, "mixed; see attrs['units']"),
            rate_limits=_with_units(rate_limits, _RATE_LIMIT_UNITS, "mixed; see attrs['units']"),
        )

    @property
    def break_even(self) -> pd.DataFrame:
        """One row per (self-hosted, API) pair: API price, break-even volume, payback."""
        columns = list(BreakEvenPair.__dataclass_fields__)
        frame = pd.DataFrame([vars(p) for p in self.pairs], columns=columns)
        return _with_units(frame, _BREAK_EVEN_UNITS, "mixed; see attrs['units']")

    @property
    def horizon_months(self) -> int:
        """Months compared [months]."""
        return self.scenario.horizon_months

    @property
    def cheapest(self) -> str:
        """Option with the lowest net present cost over the horizon."""
        return str(self.totals["npv_usd"].idxmin())

    def by_option(self) -> pd.DataFrame:
        """Monthly total per option, months as rows and options as columns [USD/month]."""
        wide = self.monthly.pivot_table(
            index="month", columns="option", values="usd", aggfunc="sum", sort=False
        )
        wide = wide[list(self.totals.index)]
        wide.columns.name = "option"
        wide.attrs["unit"] = "USD/month"
        return wide

    def cumulative(self) -> pd.DataFrame:
        """Cumulative cost per option at the end of each month [USD]."""
        cumulative = self.by_option().cumsum()
        cumulative.attrs["unit"] = "USD (cumulative to the end of the month)"
        return cumulative

    def by_component(self, option: str) -> pd.DataFrame:
        """Monthly cost of one option split by component [USD/month]."""
        if option not in self.totals.index:
            msg = f"unknown option {option!r}; the scenario has: {', '.join(self.totals.index)}"
            raise KeyError(msg)
        rows = self.monthly[self.monthly["option"] == option]
        wide = rows.pivot_table(
            index="month", columns="component", values="usd", aggfunc="sum", sort=False
        )
        wide.attrs["unit"] = "USD/month"
        return wide

    def frontier(self) -> pd.DataFrame:
        """Cost per request against success rate over the horizon, one row per option.

        Options without stated outcomes (success NaN) are listed but never on the frontier.
        """
        from llmtco.engine import pareto_frontier

        columns = ["usd_per_request", "success_rate", "usd_per_success", "on_frontier"]
        if self.outcomes.empty:
            return _with_units(
                pd.DataFrame(columns=columns, index=pd.Index([], name="option")),
                _FRONTIER_UNITS,
                "mixed; see attrs['units']",
            )
        grouped = self.outcomes.groupby("option", sort=False)
        usd = grouped["usd"].sum()
        requests = grouped["requests"].sum()
        success = grouped["success_rate"].first()
        with np.errstate(divide="ignore", invalid="ignore"):
            per_request = usd / requests
            per_success = per_request / success
        frame = pd.DataFrame(
            {
                "usd_per_request": per_request,
                "success_rate": success,
                "usd_per_success": per_success,
                "on_frontier": pareto_frontier(
                    per_request.to_numpy(dtype=float), success.to_numpy(dtype=float)
                ),
            }
        )
        frame.index.name = "option"
        return _with_units(frame, _FRONTIER_UNITS, "mixed; see attrs['units']")

    def plot_frontier(self, ax: Axes | None = None) -> Axes:
        """Cost per request against success rate, the efficient options joined; returns the Axes."""
        from llmtco.plot import plot_frontier

        return plot_frontier(self.frontier(), ax=ax)

    def plot(self, ax: Axes | None = None, *, cumulative: bool = True) -> Axes:
        """TCO curves per option with payback crossings marked; returns the Axes."""
        from llmtco.plot import plot_tco

        return plot_tco(self, ax=ax, cumulative=cumulative)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: totals, monthly totals, break-even and payback per pair.

        Infinite or undefined figures become ``null`` beside an explicit flag or phrase, so a
        "never" is never mistaken for a number.
        """
        by_option = self.by_option()
        totals: dict[Hashable, dict[Hashable, Any]] = self.totals.to_dict(orient="index")
        options = {
            str(name): {
                "kind": row["kind"],
                "label": row["label"],
                "total_usd": _json_number(float(row["total_usd"])),
                "npv_usd": _json_number(float(row["npv_usd"])),
                "month0_usd": _json_number(float(row["month0_usd"])),
                "last_month_usd": _json_number(float(row["last_month_usd"])),
                "usd_per_mtok": _json_number(float(row["usd_per_mtok"])),
                "monthly_usd": [_json_number(float(v)) for v in by_option[name]],
            }
            for name, row in totals.items()
        }
        return {
            "scenario": self.scenario.name,
            "currency": self.scenario.currency,
            "horizon_months": self.horizon_months,
            "hours_per_month": self.scenario.hours_per_month,
            "discount_rate_per_year": self.scenario.discount_rate_per_year,
            "tokens_per_month": [_json_number(float(v)) for v in np.asarray(self.tokens_per_month)],
            "cheapest": self.cheapest,
            "options": options,
            "break_even": [pair.to_dict() for pair in self.pairs],
            "outcomes": _outcomes_summary(self.outcomes),
            "rate_limits": [
                {str(k): (_json_number(v) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.rate_limits.to_dict(orient="records")
            ],
            "routing": [
                {str(k): (_json_number(v) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.routing.to_dict(orient="records")
            ],
            "latency": [
                {str(k): (_json_number(v) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.latency.to_dict(orient="records")
            ],
        }

    def _repr_html_(self) -> str:
        """Rich display in Jupyter: the totals and the break-even pairs as tables."""
        import html

        head = (
            f"<p><b>{html.escape(self.scenario.name)}</b>: {len(self.totals)} options over "
            f"{self.horizon_months} months; cheapest <b>{html.escape(self.cheapest)}</b> "
            "(lowest NPV). Costs in USD.</p>"
        )
        columns = ["label", "kind", "npv_usd", "total_usd", "month0_usd", "usd_per_mtok"]
        parts = [head, self.totals[columns].to_html(float_format=lambda x: f"{x:,.4g}")]
        if self.pairs:
            parts.append("<p>Break-even and payback (self-hosted vs API)</p>")
            parts.append(self.break_even.to_html(float_format=lambda x: f"{x:,.4g}"))
        return "".join(parts)

    def __repr__(self) -> str:
        best = self.cheapest
        return (
            f"<ComparisonResult {self.scenario.name!r}: {len(self.totals)} options over "
            f"{self.horizon_months} months; cheapest {best} at "
            f"{self.totals['npv_usd'].to_numpy().min():,.0f} USD (NPV)>"
        )
