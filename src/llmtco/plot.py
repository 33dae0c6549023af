"""Matplotlib figures. Every function takes ``ax=None`` and returns the Axes it drew on."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy.typing as npt
    import pandas as pd
    from matplotlib.axes import Axes

    from llmtco.result import ComparisonResult

__all__ = [
    "plot_break_even_map",
    "plot_breakdown",
    "plot_frontier",
    "plot_rank_correlations",
    "plot_tco",
    "plot_tco_bands",
    "plot_tornado",
]

_PERCENTILE_COLUMNS = ("p5", "p25", "p50", "p75", "p95")
_MAX_CROSSOVER_ANNOTATIONS = 6


def plot_tco(result: ComparisonResult, ax: Axes | None = None, *, cumulative: bool = True) -> Axes:
    """Plot each option's cost over the horizon and mark where self-hosting pays back.

    Parameters
    ----------
    result : ComparisonResult
        Output of :func:`llmtco.compare`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    cumulative : bool, default True
        Plot cumulative cost [USD]; ``False`` plots monthly cost [USD/month].

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    frame = result.cumulative() if cumulative else result.by_option()
    # Cumulative cost is reached at the end of each month: plot it at t = month + 1.
    x = frame.index.to_numpy() + (1 if cumulative else 0)
    for name in frame.columns:
        ax.plot(x, frame[name].to_numpy(), label=result.scenario.option_label(str(name)))
    if cumulative:
        for pair in result.pairs:
            if not pair.payback_within_horizon or pair.payback_month <= 0:
                continue
            # Cumulative cost is 0 at t = 0; interpolate the API curve at the payback time.
            xs = np.concatenate([[0.0], x])
            ys = np.concatenate([[0.0], frame[pair.api].to_numpy()])
            y = float(np.interp(pair.payback_month, xs, ys))
            ax.plot([pair.payback_month], [y], "o", color="black", zorder=5)
            ax.annotate(
                f"{pair.self_hosted} pays back vs {pair.api}\nmonth {pair.payback_month:.1f}",
                (pair.payback_month, y),
                textcoords="offset points",
                xytext=(6, -18),
                fontsize=8,
            )
    ax.set_xlabel("months from start")
    ax.set_ylabel("cumulative cost [USD]" if cumulative else "monthly cost [USD/month]")
    ax.set_title(result.scenario.name)
    ax.grid(visible=True, alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_frontier(frontier: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Plot cost per request against success rate and join the efficient options.

    Parameters
    ----------
    frontier : pandas.DataFrame
        Output of :meth:`llmtco.ComparisonResult.frontier` (or any frame with columns
        ``usd_per_request``, ``success_rate``, ``on_frontier``, indexed by name).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    known = frontier[frontier["success_rate"].notna()]
    efficient = known[known["on_frontier"].astype(bool)].sort_values("usd_per_request")
    ax.scatter(known["usd_per_request"], known["success_rate"], color="tab:gray", zorder=3)
    ax.plot(
        efficient["usd_per_request"],
        efficient["success_rate"],
        "o-",
        color="tab:blue",
        zorder=4,
        label="cost-quality frontier",
    )
    for name, row in known.iterrows():
        ax.annotate(
            str(name),
            (row["usd_per_request"], row["success_rate"]),
            textcoords="offset points",
            xytext=(5, 4),
            fontsize=8,
        )
    ax.set_xlabel("cost per request [USD/request]")
    ax.set_ylabel("success rate [-]")
    ax.grid(visible=True, alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], argument: str) -> None:
    """Raise ``ValueError`` naming the first of ``columns`` missing from ``frame``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{argument} has no column {missing[0]!r} (needs {', '.join(columns)})"
        raise ValueError(msg)


def _crossings(x: npt.NDArray[np.float64], d: npt.NDArray[np.float64]) -> list[tuple[float, int]]:
    """Times where ``d`` changes sign, interpolated linearly, with the sign after the change.

    Exact zeros between two points of opposite sign put the crossing at the first zero.
    """
    found: list[tuple[float, int]] = []
    nonzero = np.flatnonzero(np.isfinite(d) & (d != 0))
    for i, j in itertools.pairwise(nonzero):
        if np.sign(d[i]) == np.sign(d[j]):
            continue
        t = x[i] + d[i] / (d[i] - d[j]) * (x[j] - x[i]) if j == i + 1 else x[i + 1]
        found.append((float(t), int(np.sign(d[j]))))
    return found


def plot_tco_bands(
    percentiles: pd.DataFrame,
    ax: Axes | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Axes:
    """Plot each option's median cumulative cost with its 50 % and 90 % bands.

    Where the medians of two options cross, a black dot marks the crossing (interpolated
    linearly between months) and a note reads "A overtakes B, month t": from month ``t`` on,
    the median cumulative cost of A is above that of B.

    Parameters
    ----------
    percentiles : pandas.DataFrame
        Indexed by ``(option, month)``, months ``0 .. n-1``, with columns ``p5``, ``p25``,
        ``p50``, ``p75``, ``p95``: percentiles of the cumulative cost [USD] at the end of
        each month.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    labels : Mapping[str, str], optional
        Display label of each option; the option name when omitted.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a percentile column is missing, the index is not ``(option, month)`` or the frame
        is empty.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> index = pd.MultiIndex.from_product([["api", "gpu"], [0, 1, 2]], names=["option", "month"])
    >>> median = [10.0, 20.0, 30.0, 25.0, 25.0, 25.0]
    >>> frame = pd.DataFrame({p: median for p in ["p5", "p25", "p50", "p75", "p95"]}, index=index)
    >>> ax = plot_tco_bands(frame, Figure().subplots())
    >>> [t.get_text() for t in ax.texts]
    ['api overtakes gpu, month 2.5']
    """
    import matplotlib.pyplot as plt

    _require_columns(percentiles, _PERCENTILE_COLUMNS, "percentiles")
    if percentiles.index.nlevels != 2:
        msg = (
            "percentiles needs a MultiIndex (option, month), "
            f"got {percentiles.index.nlevels} index level(s)"
        )
        raise ValueError(msg)
    if percentiles.empty:
        msg = "percentiles is empty"
        raise ValueError(msg)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    names = labels or {}
    # (display label, x, median) per option, in order of appearance.
    medians: list[tuple[str, npt.NDArray[np.float64], npt.NDArray[np.float64]]] = []
    for option in percentiles.index.get_level_values(0).unique():
        rows = percentiles.xs(option, level=0).sort_index()
        # Cumulative cost is reached at the end of each month and is 0 at t = 0.
        x = np.concatenate([[0.0], rows.index.to_numpy(dtype=float) + 1.0])
        p = {c: np.concatenate([[0.0], rows[c].to_numpy(dtype=float)]) for c in _PERCENTILE_COLUMNS}
        label = names.get(str(option), str(option))
        (line,) = ax.plot(x, p["p50"], label=label, zorder=3)
        color = line.get_color()
        ax.fill_between(x, p["p5"], p["p95"], color=color, alpha=0.15, linewidth=0)
        ax.fill_between(x, p["p25"], p["p75"], color=color, alpha=0.3, linewidth=0)
        medians.append((label, x, p["p50"]))
    crossings: list[tuple[float, float, str, str]] = []
    for (a, xa, ya), (b, xb, yb) in itertools.combinations(medians, 2):
        months, ia, ib = np.intersect1d(xa[1:], xb[1:], return_indices=True)
        diff = ya[1:][ia] - yb[1:][ib]
        for t, sign in _crossings(months, diff):
            above, below = (a, b) if sign > 0 else (b, a)
            crossings.append((t, float(np.interp(t, xa, ya)), above, below))
    crossings.sort()
    for n, (t, y, above, below) in enumerate(crossings):
        ax.plot([t], [y], "o", color="black", zorder=5)
        if n < _MAX_CROSSOVER_ANNOTATIONS:
            # Notes stacked in the lower right corner (cumulative curves rarely pass there),
            # each with a thin leader to its dot, so that close crossings stay readable.
            ax.annotate(
                f"{above} overtakes {below}, month {t:.1f}",
                (t, y),
                textcoords="axes fraction",
                xytext=(0.98, 0.04 + 0.08 * n),
                ha="right",
                va="bottom",
                fontsize=8,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "lw": 0},
                arrowprops={"arrowstyle": "-", "color": "0.4", "linewidth": 0.6},
            )
    ax.set_xlabel("months from start")
    ax.set_ylabel("cumulative cost [USD]")
    if title is not None:
        ax.set_title(title)
    ax.grid(visible=True, alpha=0.3)
    ax.legend(fontsize=8, title="median; bands 25-75 %, 5-95 %", title_fontsize=8)
    return ax


def plot_breakdown(
    monthly: pd.DataFrame,
    ax: Axes | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Axes:
    """Plot each option's cost over the horizon as a bar stacked by component.

    Positive components stack upwards from 0, negative ones (a salvage value, say) downwards;
    the net total is written above each bar.

    Parameters
    ----------
    monthly : pandas.DataFrame
        Long frame with columns ``month``, ``option``, ``component``, ``usd`` [USD/month],
        such as :attr:`llmtco.ComparisonResult.monthly`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    labels : Mapping[str, str], optional
        Display label of each option; the option name when omitted.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> monthly = pd.DataFrame(
    ...     {
    ...         "month": [0, 1, 0, 1],
    ...         "option": ["gpu", "gpu", "gpu", "gpu"],
    ...         "component": ["hardware", "hardware", "hardware_salvage", "hardware_salvage"],
    ...         "usd": [100.0, 0.0, 0.0, -30.0],
    ...     }
    ... )
    >>> ax = plot_breakdown(monthly, Figure().subplots())
    >>> [(float(p.get_y()), float(p.get_height())) for p in ax.patches]
    [(0.0, 100.0), (0.0, -30.0)]
    >>> [t.get_text() for t in ax.texts]
    ['70']
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    _require_columns(monthly, ("month", "option", "component", "usd"), "monthly")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    names = labels or {}
    options = [str(o) for o in monthly["option"].unique()]
    components = [str(c) for c in monthly["component"].unique()]
    keys = [monthly["option"].astype(str), monthly["component"].astype(str)]
    totals = (
        monthly["usd"]
        .groupby(keys)
        .sum()
        .unstack()
        .reindex(index=options, columns=components)
        .fillna(0.0)
    )
    palette = mpl.colormaps["tab10" if len(components) <= 10 else "tab20"]
    x = np.arange(len(options), dtype=float)
    top = np.zeros(len(options))
    bottom = np.zeros(len(options))
    for k, component in enumerate(components):
        values = totals[component].to_numpy(dtype=float)
        if not np.any(values):
            continue
        start = np.where(values >= 0, top, bottom)
        ax.bar(x, values, bottom=start, color=palette(k % palette.N), label=component, width=0.6)
        top += np.where(values >= 0, values, 0.0)
        bottom += np.where(values < 0, values, 0.0)
    net = top + bottom
    for xi, yi, total in zip(x, top, net, strict=True):
        ax.annotate(
            f"{total:,.0f}",
            (xi, yi),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xticks(x, [names.get(o, o) for o in options])
    if len(options) > 4:
        ax.tick_params(axis="x", labelrotation=20)
    ax.set_ylabel("cost over the horizon [USD]")
    # Explicit limits with room for the totals (zero-height bars would pin autoscaling).
    lowest = min(float(bottom.min()), 0.0)
    highest = max(float(top.max()), 0.0)
    pad = 0.12 * (highest - lowest) or 1.0
    ax.set_ylim(lowest - (pad if lowest < 0 else 0.0), highest + pad)
    if title is not None:
        ax.set_title(title)
    ax.grid(visible=True, axis="y", alpha=0.3)
    if len(components) > 6:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    else:
        ax.legend(fontsize=7)
    return ax


def plot_tornado(
    tornado: pd.DataFrame,
    ax: Axes | None = None,
    *,
    metric_label: str = "cost difference [USD]",
    max_inputs: int | None = 12,
) -> Axes:
    """Plot how far the metric moves when each input alone goes to its low or high value.

    Each input gets two bars from the base metric: to the metric with the input at its low
    value (upper bar) and at its high value (lower bar). The largest swing is at the top. If
    the metric reaches 0 anywhere, a dashed line marks break-even.

    Parameters
    ----------
    tornado : pandas.DataFrame
        One row per input, largest swing first, with columns ``input``, ``low_value``,
        ``high_value``, ``base_value`` (the input's values), ``metric_low_usd``,
        ``metric_high_usd`` (the metric [USD] with the input at its low or high value),
        ``base_metric_usd`` (the metric [USD] at the base case) and ``swing_usd`` [USD].
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    metric_label : str, default "cost difference [USD]"
        Label of the metric axis.
    max_inputs : int or None, default 12
        Plot only the first ``max_inputs`` rows; all of them when ``None``.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If a column is missing, the frame is empty or ``max_inputs < 1``.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> tornado = pd.DataFrame(
    ...     {
    ...         "input": ["gpu price", "traffic"],
    ...         "low_value": [1.5, 1e6],
    ...         "high_value": [3.0, 4e6],
    ...         "base_value": [2.0, 2e6],
    ...         "metric_low_usd": [-500.0, 300.0],
    ...         "metric_high_usd": [900.0, 50.0],
    ...         "base_metric_usd": [100.0, 100.0],
    ...         "swing_usd": [1400.0, 250.0],
    ...     }
    ... )
    >>> ax = plot_tornado(tornado, Figure().subplots())
    >>> top = max(ax.get_yticklabels(), key=lambda t: t.get_position()[1])
    >>> top.get_text().splitlines()
    ['gpu price', '1.5 to 3']
    """
    import matplotlib.pyplot as plt

    columns = (
        "input",
        "low_value",
        "high_value",
        "base_value",
        "metric_low_usd",
        "metric_high_usd",
        "base_metric_usd",
        "swing_usd",
    )
    _require_columns(tornado, columns, "tornado")
    if max_inputs is not None and max_inputs < 1:
        msg = f"max_inputs must be at least 1 or None, got {max_inputs}"
        raise ValueError(msg)
    if tornado.empty:
        msg = "tornado is empty"
        raise ValueError(msg)
    rows = tornado if max_inputs is None else tornado.head(max_inputs)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 1.0 + 0.5 * len(rows)))
    base = float(rows["base_metric_usd"].iloc[0])
    low = rows["metric_low_usd"].to_numpy(dtype=float)
    high = rows["metric_high_usd"].to_numpy(dtype=float)
    # First row (largest swing) at the top.
    y = np.arange(len(rows), dtype=float)[::-1]
    ax.barh(y + 0.18, low - base, left=base, height=0.36, color="tab:blue", label="input at low")
    ax.barh(
        y - 0.18, high - base, left=base, height=0.36, color="tab:orange", label="input at high"
    )
    ax.axvline(base, color="black", linewidth=1.0, label=f"base case {base:,.0f}")
    metrics = np.concatenate([low, high, [base]])
    metrics = metrics[np.isfinite(metrics)]
    if metrics.min() <= 0.0 <= metrics.max():
        ax.axvline(0.0, color="tab:red", linestyle="--", linewidth=1.2, label="break-even")
    ax.set_yticks(
        y,
        [
            f"{row.input}\n{row.low_value:.3g} to {row.high_value:.3g}"
            for row in rows.itertuples(index=False)
        ],
        fontsize=8,
    )
    ax.set_xlabel(metric_label)
    ax.grid(visible=True, axis="x", alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_rank_correlations(sensitivity: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Plot the rank correlation of each uncertain input with the metric.

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        Indexed by input name, largest ``|spearman_rho|`` first, with column ``spearman_rho``
        [-] between -1 and 1.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the ``spearman_rho`` column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> sensitivity = pd.DataFrame({"spearman_rho": [0.8, -0.3]}, index=["traffic", "gpu price"])
    >>> ax = plot_rank_correlations(sensitivity, Figure().subplots())
    >>> [float(v) for v in ax.get_xlim()]
    [-1.0, 1.0]
    """
    import matplotlib.pyplot as plt

    _require_columns(sensitivity, ("spearman_rho",), "sensitivity")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 1.0 + 0.4 * max(len(sensitivity), 1)))
    rho = sensitivity["spearman_rho"].to_numpy(dtype=float)
    # First row (largest |rho|) at the top.
    y = np.arange(len(rho), dtype=float)[::-1]
    colors = ["tab:orange" if r >= 0 else "tab:blue" for r in rho]
    ax.barh(y, rho, height=0.6, color=colors)
    ax.axvline(0.0, color="black", linewidth=1.0)
    ax.set_yticks(y, [str(name) for name in sensitivity.index], fontsize=8)
    ax.set_xlim(-1.0, 1.0)
    ax.set_xlabel("rank correlation with the metric [-]")
    ax.grid(visible=True, axis="x", alpha=0.3)
    return ax


def plot_break_even_map(
    x_values: npt.ArrayLike,
    y_values: npt.ArrayLike,
    difference_usd: npt.ArrayLike,
    ax: Axes | None = None,
    *,
    x_label: str,
    y_label: str,
    option_a: str,
    option_b: str,
    base_point: tuple[float, float] | None = None,
    log_x: bool = False,
    log_y: bool = False,
) -> Axes:
    """Map the cost difference of two options over two inputs and draw the break-even line.

    Blue is where ``option_a`` is cheaper, red where ``option_b`` is; the colour scale is
    centred at 0 and the black line (drawn when both signs occur) is break-even.

    Parameters
    ----------
    x_values : array_like
        Values of the input on the x axis, shape ``(nx,)``, at least 2.
    y_values : array_like
        Values of the input on the y axis, shape ``(ny,)``, at least 2.
    difference_usd : array_like
        Cost of ``option_a`` minus cost of ``option_b`` [USD], shape ``(ny, nx)``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.
    x_label, y_label : str
        Axis labels, with units.
    option_a, option_b : str
        Names of the two options, for the colour bar and the title.
    base_point : tuple of float, optional
        ``(x, y)`` of the base case, marked with a star.
    log_x, log_y : bool, default False
        Logarithmic axes; the values must then be positive.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If an argument has the wrong shape, too few values, no finite difference, or
        non-positive values on a logarithmic axis.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_break_even_map(
    ...     [1.0, 2.0, 3.0],
    ...     [10.0, 20.0],
    ...     [[-2.0, -1.0, 1.0], [-1.0, 1.0, 2.0]],
    ...     Figure().subplots(),
    ...     x_label="traffic [Mtok/day]",
    ...     y_label="GPU price [USD/h]",
    ...     option_a="gpu",
    ...     option_b="api",
    ... )
    >>> ax.get_title()
    'blue: gpu cheaper, red: api cheaper'
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize, TwoSlopeNorm

    x = np.asarray(x_values, dtype=float)
    y = np.asarray(y_values, dtype=float)
    z = np.asarray(difference_usd, dtype=float)
    for argument, values in (("x_values", x), ("y_values", y)):
        if values.ndim != 1:
            msg = f"{argument} must be 1-D, got shape {values.shape}"
            raise ValueError(msg)
        if values.size < 2:
            msg = f"{argument} needs at least 2 values, got shape {values.shape}"
            raise ValueError(msg)
    if z.shape != (y.size, x.size):
        msg = (
            f"difference_usd has shape {z.shape}; expected (len(y_values), len(x_values)) "
            f"= {(y.size, x.size)}"
        )
        raise ValueError(msg)
    if not np.isfinite(z).any():
        msg = "difference_usd has no finite value"
        raise ValueError(msg)
    for argument, values, log in (("x_values", x, log_x), ("y_values", y, log_y)):
        if log and np.any(values <= 0):
            msg = f"{argument} must be positive on a logarithmic axis"
            raise ValueError(msg)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    low = float(np.nanmin(z))
    high = float(np.nanmax(z))
    both_signs = low < 0.0 < high
    norm: Normalize
    if both_signs:
        norm = TwoSlopeNorm(vcenter=0.0, vmin=low, vmax=high)
        # 0 is a level boundary, so the colours change exactly at break-even.
        levels = np.concatenate([np.linspace(low, 0.0, 11)[:-1], np.linspace(0.0, high, 11)])
    else:
        # One sign only: keep the scale symmetric so blue and red keep their meaning.
        bound = max(abs(low), abs(high)) or 1.0
        norm = Normalize(vmin=-bound, vmax=bound)
        if high > low:
            levels = np.linspace(low, high, 21)
        else:
            pad = max(abs(low), 1.0) * 1e-6
            levels = np.array([low - pad, high + pad])
    filled = ax.contourf(x, y, z, levels=levels, cmap="RdBu_r", norm=norm)
    colorbar = ax.figure.colorbar(filled, ax=ax)
    colorbar.set_label(f"{option_a} minus {option_b} [USD]")
    if both_signs:
        zero = ax.contour(x, y, z, levels=[0.0], colors="black", linewidths=2.0)
        ax.clabel(zero, fmt={0.0: "break-even"}, fontsize=8)
    if base_point is not None:
        ax.plot(
            [base_point[0]],
            [base_point[1]],
            marker="*",
            markersize=12,
            color="black",
            linestyle="none",
            label="base case",
        )
        ax.legend(fontsize=8)
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(f"blue: {option_a} cheaper, red: {option_b} cheaper")
    return ax
