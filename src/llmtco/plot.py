"""Matplotlib figures. Every function takes ``ax=None`` and returns the Axes it drew on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from llmtco.result import ComparisonResult

__all__ = ["plot_frontier", "plot_tco"]


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
