"""Uncertain scenarios: Monte Carlo, sensitivity, and break-even in any input.

The orchestrator for inputs known only as ranges. It draws the scenario's uncertain inputs
(:attr:`llmtco.Scenario.uncertainty`), evaluates every option for all samples at once, and
summarises the result: cost percentiles, the probability each option is cheapest, the
distribution of break-even volume and payback month, and which inputs matter.

Evaluation is vectorized over samples when every sampled input only enters arithmetic (volumes,
prices through ``price_factor``, labor, overheads, utilization, trends...) and the options are
plain API and self-hosted ones; otherwise each sample is validated and costed on its own, which
gives the same numbers more slowly. :attr:`SimulationResult.method` says which was used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError
from scipy import optimize

from llmtco._yaml import format_validation_error
from llmtco.catalog import Catalog, load_catalog
from llmtco.engine import npv_usd, payback_month
from llmtco.engine._arrays import FloatArray
from llmtco.engine.uncertainty import probability_lowest, spearman_rho
from llmtco.errors import ScenarioError
from llmtco.models import ApiOption, Scenario, SelfHostedOption
from llmtco.models.uncertain import get_path, set_path, split_first_key
from llmtco.tco import SampledCosts, _needs_plan, sampled_costs

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "BreakEvenMap",
    "InputBreakEven",
    "SimulationResult",
    "break_even_input",
    "break_even_map",
    "evaluate",
    "simulate",
    "tornado",
]

PERCENTILES = (5, 25, 50, 75, 95)

# Inputs that only enter arithmetic, so arrays of samples can stand in for them.
_VECTOR_TOP = re.compile(
    r"^(discount_rate_per_year|price_trends\.(api|gpu)\.per_year"
    r"|workload\.(requests_per_month|tokens_per_month|input_share|cached_input_share"
    r"|growth\.monthly_rate|traffic\.peak_to_mean|traffic\.burst_factor))$"
)
_VECTOR_OPTION = re.compile(
    r"^(price_factor|setup_usd|labor\.fte|labor\.usd_per_fte_year|price_trend\.per_year"
    r"|overheads_usd_per_month\..+)$"
)
_VECTOR_SELF_HOSTED = re.compile(
    r"^(target_utilization|variable_usd_per_mtok|ownership\.(purchase_usd|salvage_usd|power_kw"
    r"|pue|usd_per_kwh|colocation_usd_per_month|maintenance_usd_per_month))$"
)


# -- evaluating many values of a few inputs ---------------------------------------------------


def _replace(node: Any, path: str, value: Any) -> Any:
    """A copy of a model tree with ``value`` at ``path``, without validation."""
    if not path:
        return value
    if isinstance(node, BaseModel):
        fields = dict(node.__dict__)
        key, rest = split_first_key(fields, path)
        return node.model_copy(update={key: _replace(fields[key], rest, value)})
    key, rest = split_first_key(node, path)
    copy: Any = list(node) if isinstance(node, list) else dict(node)
    copy[key] = _replace(node[key], rest, value)
    return copy


def _vectorizable(scenario: Scenario, path: str) -> bool:
    """Whether samples of ``path`` can be costed as one array (see the module docstring)."""
    if _VECTOR_TOP.match(path):
        return True
    if not path.startswith("options."):
        return False
    name, rest = split_first_key(scenario.options, path.removeprefix("options."))
    option = scenario.options[name]
    if _VECTOR_OPTION.match(rest):
        return True
    return isinstance(option, SelfHostedOption) and bool(_VECTOR_SELF_HOSTED.match(rest))


def _plain_structure(scenario: Scenario) -> bool:
    """Plain API and self-hosted options whose sizing is a function of volume alone."""
    for option in scenario.options.values():
        if not isinstance(option, ApiOption | SelfHostedOption) or _needs_plan(scenario, option):
            return False
        if isinstance(option, SelfHostedOption) and (
            option.latency_slo is not None or option.purchase == "committed_mix"
        ):
            return False
    return True


def _validated(scenario: Scenario, values: Mapping[str, float], source: str) -> Scenario:
    data = scenario.model_dump(exclude={"uncertainty"})
    for path, value in values.items():
        try:
            data = set_path(data, path, value)
        except (KeyError, ValueError) as exc:
            msg = f"{source}: {path}: {exc.args[0]}"
            raise ScenarioError(msg) from None
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, source)) from None


def evaluate(
    scenario: Scenario,
    values: Mapping[str, Sequence[float] | FloatArray],
    catalog: Catalog | None = None,
) -> tuple[SampledCosts, str]:
    """Cost every option for many values of some inputs (other inputs at their base values).

    Parameters
    ----------
    scenario : Scenario
        The scenario; its ``uncertainty`` is ignored here.
    values : mapping of str to array_like
        Key path -> values, all of the same length ``k`` (row ``i`` is one evaluation).
    catalog : Catalog, optional
        Price catalog; by default the scenario's.

    Returns
    -------
    SampledCosts, str
        Costs with a leading axis of length ``k``, and the method: ``"vectorized"`` or
        ``"one sample at a time"``.

    Examples
    --------
    >>> from llmtco.examples import default_scenario
    >>> costs, method = evaluate(default_scenario(), {"workload.requests_per_month": [1e6, 2e6]})
    >>> costs.monthly_usd["gpt-4o"].shape, method
    ((2, 36), 'vectorized')
    """
    catalog = catalog or load_catalog(*scenario.catalog_paths, as_of=scenario.prices_as_of)
    arrays = {p: np.asarray(v, dtype=np.float64).reshape(-1) for p, v in values.items()}
    sizes = {a.size for a in arrays.values()}
    if len(sizes) > 1:
        msg = f"every input needs the same number of values; got {sizes}"
        raise ValueError(msg)
    k = sizes.pop() if sizes else 1
    if all(_vectorizable(scenario, p) for p in arrays) and _plain_structure(scenario):
        sampled = scenario
        for path, column in arrays.items():
            sampled = _replace(sampled, path, column.reshape(-1, 1))
        return sampled_costs(sampled, catalog, k), "vectorized"
    parts = [
        sampled_costs(
            _validated(scenario, {p: float(a[i]) for p, a in arrays.items()}, f"sample {i}"),
            catalog,
            1,
        )
        for i in range(k)
    ]
    return _stack(parts), "one sample at a time"


def _stack(parts: list[SampledCosts]) -> SampledCosts:
    first = parts[0]
    return SampledCosts(
        monthly_usd={
            name: np.concatenate([p.monthly_usd[name] for p in parts]) for name in first.monthly_usd
        },
        tokens_per_month=np.concatenate([p.tokens_per_month for p in parts]),
        break_even_tokens_per_month={
            pair: np.concatenate([p.break_even_tokens_per_month[pair] for p in parts])
            for pair in first.break_even_tokens_per_month
        },
    )


def _discount_rates(scenario: Scenario, values: Mapping[str, FloatArray], k: int) -> FloatArray:
    rate = values.get("discount_rate_per_year")
    if rate is None:
        return np.full((k, 1), scenario.discount_rate_per_year)
    return np.asarray(rate, dtype=np.float64).reshape(-1, 1)


def _npv(costs: SampledCosts, rates: FloatArray) -> dict[str, FloatArray]:
    return {name: np.asarray(npv_usd(usd, rates)) for name, usd in costs.monthly_usd.items()}


def _evaluate_npv(
    scenario: Scenario, values: Mapping[str, FloatArray], catalog: Catalog
) -> tuple[SampledCosts, dict[str, FloatArray], str]:
    """Costs, NPV per option [USD] (at each row's discount rate) and the method used."""
    costs, method = evaluate(scenario, values, catalog)
    k = next(iter(costs.monthly_usd.values())).shape[0]
    return costs, _npv(costs, _discount_rates(scenario, values, k)), method


# -- Monte Carlo ----------------------------------------------------------------------------------


def _pair_name(pair: tuple[str, str]) -> str:
    return f"{pair[0]} vs {pair[1]}"


@dataclass(frozen=True)
class SimulationResult:
    """Samples and summaries of a Monte Carlo run; see :func:`simulate`.

    Attributes
    ----------
    scenario : Scenario
        The scenario simulated.
    n : int
        Number of samples [-].
    seed : int
        Seed of the random generator.
    method : str
        ``"vectorized"`` or ``"one sample at a time"``.
    inputs : pandas.DataFrame
        Drawn value of each uncertain input (columns: key paths), one row per sample.
    costs : SampledCosts
        Monthly cost per option and sample [USD/month], volumes and break-even volumes.
    npv : pandas.DataFrame
        Net present value of each option's costs over the horizon per sample [USD].
    """

    scenario: Scenario
    n: int
    seed: int
    method: str
    inputs: pd.DataFrame
    costs: SampledCosts
    npv: pd.DataFrame = field(repr=False)

    @property
    def options(self) -> list[str]:
        """Option names, in scenario order."""
        return list(self.costs.monthly_usd)

    @property
    def total_usd(self) -> pd.DataFrame:
        """Undiscounted cost of each option over the horizon per sample [USD]."""
        frame = pd.DataFrame({n: c.sum(axis=1) for n, c in self.costs.monthly_usd.items()})
        frame.attrs["unit"] = "USD"
        return frame

    @property
    def cheapest(self) -> pd.Series:
        """The option with the lowest NPV in each sample."""
        return self.npv.idxmin(axis=1).rename("cheapest")

    @property
    def p_cheapest(self) -> pd.Series:
        """Probability that each option has the lowest NPV [-] (ties shared)."""
        share = probability_lowest(self.npv.to_numpy())
        return pd.Series(share, index=self.npv.columns, name="p_cheapest")

    @property
    def payback_month(self) -> pd.DataFrame:
        """Payback month of each (self-hosted vs API) pair per sample; NaN = not within horizon."""
        return pd.DataFrame(
            {
                _pair_name(pair): np.asarray(
                    payback_month(
                        self.costs.monthly_usd[pair[0]], self.costs.monthly_usd[pair[1]]
                    ).month,
                    dtype=np.float64,
                ).reshape(-1)
                for pair in self.costs.break_even_tokens_per_month
            }
        )

    @property
    def break_even_tokens_per_month(self) -> pd.DataFrame:
        """Sustained break-even volume of each pair per sample [tokens/month] (inf = never)."""
        return pd.DataFrame(
            {
                _pair_name(pair): values
                for pair, values in self.costs.break_even_tokens_per_month.items()
            }
        )

    @property
    def samples(self) -> pd.DataFrame:
        """One row per sample: inputs, NPV and total per option, cheapest, break-even, payback.

        Columns: each uncertain input (its key path), ``npv_usd:<option>`` and
        ``total_usd:<option>`` [USD], ``cheapest``, ``break_even_tokens_per_month:<pair>``
        [tokens/month] and ``payback_month:<pair>`` [months].
        """
        parts = [
            self.inputs,
            self.npv.add_prefix("npv_usd:"),
            self.total_usd.add_prefix("total_usd:"),
            self.cheapest.to_frame(),
            self.break_even_tokens_per_month.add_prefix("break_even_tokens_per_month:"),
            self.payback_month.add_prefix("payback_month:"),
        ]
        frame = pd.concat(parts, axis=1)
        frame.index.name = "sample"
        return frame

    def percentiles(
        self, *, cumulative: bool = True, q: Sequence[float] = PERCENTILES
    ) -> pd.DataFrame:
        """Percentiles of each option's cost per month.

        Parameters
        ----------
        cumulative : bool, default True
            Cumulative cost at the end of each month [USD]; ``False`` gives the monthly cost
            [USD/month].
        q : sequence of float
            Percentiles, in [0, 100].

        Returns
        -------
        pandas.DataFrame
            Indexed by (option, month), one column ``p<q>`` per percentile.
        """
        rows: list[dict[str, object]] = []
        for name, usd in self.costs.monthly_usd.items():
            values = np.cumsum(usd, axis=1) if cumulative else usd
            table = np.percentile(values, q, axis=0)  # (len(q), n_months)
            rows.extend(
                {"option": name, "month": month}
                | {f"p{p:g}": float(table[i, month]) for i, p in enumerate(q)}
                for month in range(usd.shape[1])
            )
        frame = pd.DataFrame(rows).set_index(["option", "month"])
        frame.attrs["unit"] = "USD" if cumulative else "USD/month"
        return frame

    @property
    def summary(self) -> pd.DataFrame:
        """Per option: NPV percentiles [USD], median horizon total [USD], P(cheapest) [-]."""
        npv = self.npv
        frame = pd.DataFrame(
            {
                "label": [self.scenario.option_label(n) for n in npv.columns],
                "npv_p5_usd": npv.quantile(0.05).to_numpy(),
                "npv_p50_usd": npv.quantile(0.5).to_numpy(),
                "npv_p95_usd": npv.quantile(0.95).to_numpy(),
                "total_p50_usd": self.total_usd.quantile(0.5).to_numpy(),
                "p_cheapest": self.p_cheapest.to_numpy(),
            },
            index=pd.Index(npv.columns, name="option"),
        )
        frame.attrs["unit"] = "USD"
        return frame

    @property
    def break_even(self) -> pd.DataFrame:
        """Per (self-hosted vs API) pair: the break-even volume's and payback month's spread.

        Columns: ``break_even_p5/p50/p95_tokens_per_month`` (NaN where not computed, inf =
        never), ``p_break_even_exists`` [-], ``payback_p5/p50/p95_month`` over the samples that
        pay back, and ``p_payback_within_horizon`` [-].
        """
        volume, payback = self.break_even_tokens_per_month, self.payback_month
        rows = []
        for pair in volume.columns:
            v = volume[pair].to_numpy()
            m = payback[pair].to_numpy()
            paid = m[np.isfinite(m)]
            known = v[~np.isnan(v)]
            rows.append(
                {
                    "pair": pair,
                    **{
                        f"break_even_p{p}_tokens_per_month": (
                            # inverted CDF: a sample value, so "never" (inf) stays inf
                            float(np.percentile(known, p, method="inverted_cdf"))
                            if known.size
                            else np.nan
                        )
                        for p in (5, 50, 95)
                    },
                    "p_break_even_exists": float(np.isfinite(known).mean())
                    if known.size
                    else np.nan,
                    **{
                        f"payback_p{p}_month": float(np.percentile(paid, p))
                        if paid.size
                        else np.nan
                        for p in (5, 50, 95)
                    },
                    "p_payback_within_horizon": float(np.isfinite(m).mean()),
                }
            )
        columns = [
            *(f"break_even_p{p}_tokens_per_month" for p in (5, 50, 95)),
            "p_break_even_exists",
            *(f"payback_p{p}_month" for p in (5, 50, 95)),
            "p_payback_within_horizon",
        ]
        # No pair (no self-hosted or no API option): an empty frame with the same columns.
        frame = pd.DataFrame(rows, columns=["pair", *columns])
        return frame.set_index("pair")

    def sensitivity(self, options: tuple[str, str] | None = None) -> pd.DataFrame:
        """Global sensitivity: rank correlation of each input with an NPV difference.

        Parameters
        ----------
        options : (str, str), optional
            The metric is ``NPV(a) - NPV(b)`` [USD]; by default the two options most often
            cheapest (ties: lowest median NPV).

        Returns
        -------
        pandas.DataFrame
            Indexed by input, column ``spearman_rho`` [-], sorted by its magnitude.
        """
        a, b = options or self.leading_pair()
        metric = (self.npv[a] - self.npv[b]).to_numpy()
        if self.inputs.empty:
            return pd.DataFrame({"spearman_rho": []}, index=pd.Index([], name="input"))
        rho = spearman_rho(self.inputs.to_numpy(), metric)
        frame = pd.DataFrame(
            {"spearman_rho": rho}, index=pd.Index(self.inputs.columns, name="input")
        )
        frame = frame.iloc[np.argsort(-np.abs(rho), kind="stable")]
        frame.attrs["metric"] = f"NPV({a}) - NPV({b}) [USD]"
        return frame

    def leading_pair(self) -> tuple[str, str]:
        """The two options most often cheapest (then lowest median NPV)."""
        p_cheapest = self.p_cheapest
        median = self.npv.median()
        order = sorted(self.options, key=lambda n: (-float(p_cheapest[n]), float(median[n])))
        if len(order) < 2:
            msg = (
                f"sensitivity compares two options; the scenario has one ({order[0]}): add an "
                "option to compare it with"
            )
            raise ScenarioError(msg)
        return order[0], order[1]

    def plot(self, ax: Axes | None = None) -> Axes:
        """Cumulative cost bands (5-95% and 25-75%) with the medians' crossovers."""
        from llmtco.plot import plot_tco_bands

        labels = {n: self.scenario.option_label(n) for n in self.options}
        return plot_tco_bands(
            self.percentiles(cumulative=True), ax=ax, labels=labels, title=self.scenario.name
        )

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>{self.scenario.name}</b>: {self.n:,} samples ({self.method}), seed "
            f"{self.seed}, {len(self.inputs.columns)} uncertain input(s).</p>"
        )
        return head + self.summary.to_html(float_format=lambda x: f"{x:,.3g}")


def _draw(scenario: Scenario, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    columns = {}
    for path in sorted(scenario.uncertainty):
        columns[path] = np.asarray(scenario.uncertainty[path].ppf(rng.random(n)), dtype=np.float64)
    return pd.DataFrame(columns, index=pd.RangeIndex(n, name="sample"))


def simulate(
    scenario: Scenario, n: int = 10_000, seed: int = 0, *, catalog: Catalog | None = None
) -> SimulationResult:
    """Monte Carlo over a scenario's uncertain inputs.

    Every input in ``scenario.uncertainty`` is drawn independently (inverse-CDF sampling with
    ``numpy.random.default_rng(seed)``, inputs in key-path order), and every option is costed
    for every sample.

    Parameters
    ----------
    scenario : Scenario
        A scenario with uncertain inputs (without any, every sample is the same).
    n : int, default 10000
        Number of samples [-].
    seed : int, default 0
        Seed; the same seed gives the same samples.
    catalog : Catalog, optional
        Price catalog; by default the scenario's.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> from llmtco.examples import default_scenario
    >>> from llmtco.models.uncertain import Uniform
    >>> s = default_scenario().with_uncertainty({"workload.requests_per_month": Uniform(1e6, 3e6)})
    >>> sim = simulate(s, n=200, seed=1)
    >>> sim.samples.shape[0], round(float(sim.p_cheapest.sum()), 6)
    (200, 1.0)
    """
    if n < 1:
        msg = f"n must be at least 1; got {n}"
        raise ValueError(msg)
    catalog = catalog or load_catalog(*scenario.catalog_paths, as_of=scenario.prices_as_of)
    inputs = _draw(scenario, n, seed)
    values = {c: inputs[c].to_numpy() for c in inputs.columns}
    if values:
        costs, npv_by_option, method = _evaluate_npv(scenario, values, catalog)
    else:
        one, base_npv, method = _evaluate_npv(scenario, {}, catalog)
        costs = _repeat(one, n)
        npv_by_option = {name: np.repeat(v, n) for name, v in base_npv.items()}
    npv = pd.DataFrame(npv_by_option)
    npv.attrs["unit"] = "USD"
    return SimulationResult(scenario, n, seed, method, inputs, costs, npv)


def _repeat(costs: SampledCosts, n: int) -> SampledCosts:
    return SampledCosts(
        monthly_usd={k: np.repeat(v, n, axis=0) for k, v in costs.monthly_usd.items()},
        tokens_per_month=np.repeat(costs.tokens_per_month, n, axis=0),
        break_even_tokens_per_month={
            k: np.repeat(v, n) for k, v in costs.break_even_tokens_per_month.items()
        },
    )


# -- one input at a time --------------------------------------------------------------------------


def _base_value(scenario: Scenario, path: str) -> float:
    try:
        value = get_path(scenario.model_dump(exclude={"uncertainty"}), path)
    except (KeyError, ValueError) as exc:
        msg = f"{path}: {exc.args[0]}"
        raise ScenarioError(msg) from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{path} is {value!r}, not a number"
        raise ScenarioError(msg)
    return float(value)


def _valid_at(scenario: Scenario, path: str, value: float) -> bool:
    try:
        _validated(scenario, {path: value}, path)
    except ScenarioError:
        return False
    return True


def _valid_range(scenario: Scenario, path: str, low: float, high: float) -> tuple[float, float]:
    """Shrink ``[low, high]`` towards the base value until the scenario is valid at both ends."""
    base = _base_value(scenario, path)
    ends = []
    for end in (low, high):
        if _valid_at(scenario, path, end):
            ends.append(end)
            continue
        good, bad = base, end
        for _ in range(40):
            middle = 0.5 * (good + bad)
            if _valid_at(scenario, path, middle):
                good = middle
            else:
                bad = middle
        ends.append(good)
    return ends[0], ends[1]


def _default_range(scenario: Scenario, path: str) -> tuple[float, float]:
    dist = scenario.uncertainty.get(path)
    if dist is not None:
        return dist.support
    base = _base_value(scenario, path)
    if base == 0:
        msg = f"{path} is 0 in the scenario: give bounds=(low, high) to search"
        raise ScenarioError(msg)
    low, high = sorted((base / 10, base * 10))
    return _valid_range(scenario, path, low, high)


def _base_npv(scenario: Scenario, catalog: Catalog) -> dict[str, float]:
    """NPV of every option at the base values [USD]."""
    _, npv, _ = _evaluate_npv(scenario, {}, catalog)
    return {name: float(v[0]) for name, v in npv.items()}


def _pick_pair(
    scenario: Scenario,
    options: tuple[str, str] | None,
    catalog: Catalog,
    base_npv: dict[str, float] | None = None,
) -> tuple[str, str]:
    """The options compared: as given (checked), else the two cheapest at the base values."""
    if options is not None:
        for name in options:
            if name not in scenario.options:
                known = ", ".join(scenario.options)
                msg = f"no option {name!r} in the scenario (options: {known})"
                raise ScenarioError(msg)
        return options
    npv = base_npv if base_npv is not None else _base_npv(scenario, catalog)
    order = sorted(npv, key=npv.__getitem__)
    if len(order) < 2:
        msg = "a break-even compares two options; the scenario has one"
        raise ScenarioError(msg)
    return order[0], order[1]


def _npv_difference(
    scenario: Scenario, path: str, values: FloatArray, pair: tuple[str, str], catalog: Catalog
) -> FloatArray:
    _, npv, _ = _evaluate_npv(scenario, {path: values}, catalog)
    return np.asarray(npv[pair[0]] - npv[pair[1]], dtype=np.float64).reshape(-1)


@dataclass(frozen=True)
class InputBreakEven:
    """The value of one input at which two options cost the same; see :func:`break_even_input`.

    Attributes
    ----------
    path : str
        Key path of the input.
    options : (str, str)
        The two options compared; the metric is ``NPV(a) - NPV(b)`` [USD].
    value : float or None
        The break-even value nearest the base value, or None when none lies in ``bounds``.
    base_value : float
        The input's value in the scenario.
    bounds : (float, float)
        Range searched.
    crossings : tuple of float
        Every value in ``bounds`` where the cheaper option changes.
    equalises : bool
        Whether the costs are equal at ``value`` (False where the cost jumps over the other,
        e.g. at a capacity step; the cheaper option still changes there).
    cheaper_at_low, cheaper_at_high : str
        The cheaper option at each end of ``bounds``.
    message : str
        The answer in one sentence.
    """

    path: str
    options: tuple[str, str]
    value: float | None
    base_value: float
    bounds: tuple[float, float]
    crossings: tuple[float, ...]
    equalises: bool
    cheaper_at_low: str
    cheaper_at_high: str
    message: str


def break_even_input(
    scenario: Scenario,
    path: str,
    options: tuple[str, str] | None = None,
    *,
    bounds: tuple[float, float] | None = None,
    catalog: Catalog | None = None,
    n_grid: int = 41,
) -> InputBreakEven:
    """Solve for the value of one input at which two options have the same NPV.

    All other inputs stay at their base values. The range is scanned on a grid (vectorized
    where possible) and each change of sign is refined with Brent's method; the crossing
    nearest the base value is reported.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    path : str
        Key path of a numeric input, e.g. ``options.gpt-4o.price_factor``,
        ``options.llama.target_utilization``, ``workload.growth.monthly_rate``,
        ``options.llama.labor.fte``.
    options : (str, str), optional
        The two options; by default the two cheapest at the base values.
    bounds : (float, float), optional
        Range searched; by default the input's distribution (0.1st-99.9th percentile for a
        log-normal), else a tenth to ten times its value, shrunk to where the scenario is
        valid.
    catalog : Catalog, optional
        Price catalog; by default the scenario's.
    n_grid : int, default 41
        Grid points of the scan.

    Returns
    -------
    InputBreakEven

    Examples
    --------
    >>> from llmtco.examples import default_scenario
    >>> be = break_even_input(
    ...     default_scenario(),
    ...     "options.gpt-4o.price_factor",
    ...     ("gpt-4o", "llama-70b-lambda"),
    ...     bounds=(0.5, 3.0),
    ... )
    >>> be.cheaper_at_low, be.cheaper_at_high, 1.0 < be.value < 3.0
    ('gpt-4o', 'llama-70b-lambda', True)
    """
    catalog = catalog or load_catalog(*scenario.catalog_paths, as_of=scenario.prices_as_of)
    pair = _pick_pair(scenario, options, catalog)
    base = _base_value(scenario, path)
    low, high = bounds if bounds is not None else _default_range(scenario, path)
    if not low < high:
        msg = f"bounds must be (low, high) with low < high; got {(low, high)}"
        raise ValueError(msg)
    if bounds is not None:
        for end in (low, high):
            if not _valid_at(scenario, path, end):
                _validated(scenario, {path: end}, f"{path} = {end:g}")  # raises with the reason
    grid = np.unique(np.concatenate([np.linspace(low, high, n_grid), [base]]))
    grid = grid[(grid >= low) & (grid <= high)]
    difference = _npv_difference(scenario, path, grid, pair, catalog)
    sign = np.sign(difference)
    crossings: list[float] = []
    exact: list[bool] = []
    for i in np.flatnonzero(sign[:-1] * sign[1:] < 0):

        def f(x: float) -> float:
            return float(_npv_difference(scenario, path, np.asarray([x]), pair, catalog)[0])

        root = float(optimize.brentq(f, grid[i], grid[i + 1], xtol=1e-9 * max(1.0, abs(grid[i]))))
        scale = max(abs(difference[i]), abs(difference[i + 1]))
        crossings.append(root)
        exact.append(bool(abs(f(root)) <= 1e-6 * scale + 1e-6))
    crossings += [float(x) for x in grid[sign == 0]]
    exact += [True] * int((sign == 0).sum())
    a, b = pair
    cheaper = [a if d < 0 else b for d in (difference[0], difference[-1])]
    if not crossings:
        gap = float(np.min(np.abs(difference)))
        message = (
            f"No value of {path} in [{low:.4g}, {high:.4g}] makes {a} and {b} cost the same: "
            f"{cheaper[0]} is cheaper throughout, by at least {gap:,.0f} USD (NPV)."
        )
        return InputBreakEven(
            path, pair, None, base, (low, high), (), False, cheaper[0], cheaper[1], message
        )
    nearest = int(np.argmin([abs(x - base) for x in crossings]))
    value = crossings[nearest]
    message = (
        f"{a} and {b} cost the same at {path} = {value:.4g} (now {base:.4g}); "
        f"{cheaper[0]} is cheaper below, {cheaper[1]} above."
        if cheaper[0] != cheaper[1]
        else f"{path} = {value:.4g} is where the cheaper option changes (now {base:.4g})."
    )
    if not exact[nearest]:
        message += " The costs jump past each other there (a capacity step) rather than meet."
    return InputBreakEven(
        path,
        pair,
        value,
        base,
        (low, high),
        tuple(sorted(crossings)),
        exact[nearest],
        cheaper[0],
        cheaper[1],
        message,
    )


def tornado(
    scenario: Scenario,
    options: tuple[str, str] | None = None,
    *,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    low_q: float = 0.1,
    high_q: float = 0.9,
    catalog: Catalog | None = None,
    break_even: bool = True,
) -> pd.DataFrame:
    """One-at-a-time swings of ``NPV(a) - NPV(b)`` for a tornado chart.

    Each uncertain input is set to its ``low_q`` and ``high_q`` quantiles (or the ends of
    ``ranges``) with every other input at its base value.

    Parameters
    ----------
    scenario : Scenario
        The scenario; its uncertain inputs are swung.
    options : (str, str), optional
        The metric is ``NPV(a) - NPV(b)`` [USD]; by default the two cheapest at the base values.
    ranges : mapping of str to (float, float), optional
        Extra inputs (or overrides) to swing between the given values; the scenario must be
        valid at both (else ScenarioError naming the input and the value).
    low_q, high_q : float, default 0.1 and 0.9
        Quantiles of each distribution used as its low and high value.
    catalog : Catalog, optional
        Price catalog; by default the scenario's.
    break_even : bool, default True
        Also solve each input's break-even value (:func:`break_even_input` over its range).

    Returns
    -------
    pandas.DataFrame
        One row per input, largest swing first: ``input``, ``low_value``, ``high_value``,
        ``base_value``, ``metric_low_usd``, ``metric_high_usd``, ``base_metric_usd``,
        ``swing_usd`` and ``break_even_value`` (NaN when none lies in the input's range).
    """
    catalog = catalog or load_catalog(*scenario.catalog_paths, as_of=scenario.prices_as_of)
    base_npv = _base_npv(scenario, catalog)
    pair = _pick_pair(scenario, options, catalog, base_npv)
    swings: dict[str, tuple[float, float]] = {
        path: (float(dist.ppf(low_q)), float(dist.ppf(high_q)))
        for path, dist in scenario.uncertainty.items()
    }
    for path, (low, high) in (ranges or {}).items():
        for end in (low, high):
            _validated(scenario, {path: end}, f"ranges[{path!r}] = {end:g}")  # raises if invalid
        swings[path] = (low, high)
    base_metric = base_npv[pair[0]] - base_npv[pair[1]]
    rows = []
    for path, (low, high) in swings.items():
        metric = _npv_difference(scenario, path, np.asarray([low, high]), pair, catalog)
        found = math.nan
        if break_even:
            dist = scenario.uncertainty.get(path)
            bounds = dist.support if dist is not None else (min(low, high), max(low, high))
            result = break_even_input(scenario, path, pair, bounds=bounds, catalog=catalog)
            found = math.nan if result.value is None else result.value
        rows.append(
            {
                "input": path,
                "low_value": low,
                "high_value": high,
                "base_value": _base_value(scenario, path),
                "metric_low_usd": float(metric[0]),
                "metric_high_usd": float(metric[1]),
                "base_metric_usd": base_metric,
                "swing_usd": float(abs(metric[1] - metric[0])),
                "break_even_value": found,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "input",
            "low_value",
            "high_value",
            "base_value",
            "metric_low_usd",
            "metric_high_usd",
            "base_metric_usd",
            "swing_usd",
            "break_even_value",
        ],
    )
    frame = frame.sort_values("swing_usd", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs["metric"] = f"NPV({pair[0]}) - NPV({pair[1]}) [USD]"
    frame.attrs["options"] = pair
    return frame


@dataclass(frozen=True)
class BreakEvenMap:
    """NPV difference of two options over a grid of two inputs; see :func:`break_even_map`.

    Attributes
    ----------
    x_path, y_path : str
        Key paths of the two inputs.
    x_values, y_values : numpy.ndarray
        Grid values, shaped (nx,) and (ny,).
    difference_usd : numpy.ndarray
        ``NPV(a) - NPV(b)`` at each grid point, shaped (ny, nx) [USD]; negative where ``a``
        is cheaper.
    options : (str, str)
        The two options ``a`` and ``b``.
    base_point : (float, float)
        The scenario's values of the two inputs.
    """

    x_path: str
    y_path: str
    x_values: FloatArray
    y_values: FloatArray
    difference_usd: FloatArray
    options: tuple[str, str]
    base_point: tuple[float, float]

    def plot(self, ax: Axes | None = None, *, log_x: bool = False, log_y: bool = False) -> Axes:
        """Draw the map: which option is cheaper where, and the break-even line."""
        from llmtco.plot import plot_break_even_map

        return plot_break_even_map(
            self.x_values,
            self.y_values,
            self.difference_usd,
            ax=ax,
            x_label=self.x_path,
            y_label=self.y_path,
            option_a=self.options[0],
            option_b=self.options[1],
            base_point=self.base_point,
            log_x=log_x,
            log_y=log_y,
        )


def break_even_map(
    scenario: Scenario,
    x: str,
    y: str,
    options: tuple[str, str] | None = None,
    *,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    n: int = 25,
    catalog: Catalog | None = None,
) -> BreakEvenMap:
    """Which of two options is cheaper over a grid of two inputs (e.g. volume x utilization).

    Parameters
    ----------
    scenario : Scenario
        The scenario; every other input stays at its base value.
    x, y : str
        Key paths of the two inputs.
    options : (str, str), optional
        The two options; by default the two cheapest at the base values.
    x_range, y_range : (float, float), optional
        Ranges; by default as in :func:`break_even_input`.
    n : int, default 25
        Grid points per axis.
    catalog : Catalog, optional
        Price catalog; by default the scenario's.

    Returns
    -------
    BreakEvenMap

    Examples
    --------
    >>> from llmtco.examples import default_scenario
    >>> grid = break_even_map(
    ...     default_scenario(),
    ...     "workload.requests_per_month",
    ...     "options.llama-70b-lambda.target_utilization",
    ...     ("llama-70b-lambda", "gpt-4o"),
    ...     n=5,
    ... )
    >>> grid.difference_usd.shape
    (5, 5)
    """
    catalog = catalog or load_catalog(*scenario.catalog_paths, as_of=scenario.prices_as_of)
    pair = _pick_pair(scenario, options, catalog)
    x_low, x_high = x_range or _default_range(scenario, x)
    y_low, y_high = y_range or _default_range(scenario, y)
    for path, ends in ((x, (x_low, x_high)), (y, (y_low, y_high))):
        for end in ends:
            _validated(scenario, {path: end}, f"{path} = {end:g}")
    x_values = np.linspace(x_low, x_high, n)
    y_values = np.linspace(y_low, y_high, n)
    grid_x, grid_y = np.meshgrid(x_values, y_values)
    values = {x: grid_x.ravel(), y: grid_y.ravel()}
    _, npv, _ = _evaluate_npv(scenario, values, catalog)
    difference = np.asarray(npv[pair[0]] - npv[pair[1]]).reshape(grid_x.shape)
    return BreakEvenMap(
        x,
        y,
        x_values,
        y_values,
        difference,
        pair,
        (_base_value(scenario, x), _base_value(scenario, y)),
    )
