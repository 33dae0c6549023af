import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import TwoSlopeNorm
from matplotlib.contour import ContourSet

from llmtco.plot import (
    plot_break_even_map,
    plot_breakdown,
    plot_rank_correlations,
    plot_tco_bands,
    plot_tornado,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    _, ax = plt.subplots(figsize=(3, 2))
    return ax


# --- synthetic inputs -------------------------------------------------------------------------


def bands_frame(medians: dict[str, list[float]], spread: float = 0.1) -> pd.DataFrame:
    """Percentiles around each median: p25/p75 at -/+ spread, p5/p95 at -/+ 2 spread."""
    frames = []
    for option, median in medians.items():
        m = np.asarray(median, dtype=float)
        frames.append(
            pd.DataFrame(
                {
                    "p5": m * (1 - 2 * spread),
                    "p25": m * (1 - spread),
                    "p50": m,
                    "p75": m * (1 + spread),
                    "p95": m * (1 + 2 * spread),
                },
                index=pd.MultiIndex.from_product(
                    [[option], range(len(m))], names=["option", "month"]
                ),
            )
        )
    return pd.concat(frames)


def monthly_frame() -> pd.DataFrame:
    rows = [
        # month, option, component, usd [USD/month]
        (0, "gpu", "hardware", 1000.0),
        (1, "gpu", "hardware", 0.0),
        (0, "gpu", "power", 50.0),
        (1, "gpu", "power", 70.0),
        (0, "gpu", "hardware_salvage", 0.0),
        (1, "gpu", "hardware_salvage", -400.0),
        (0, "api", "tokens", 300.0),
        (1, "api", "tokens", 500.0),
        (0, "api", "power", 0.0),
        (1, "api", "power", 0.0),
    ]
    return pd.DataFrame(rows, columns=["month", "option", "component", "usd"])


def tornado_frame(base: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "input": ["gpu price", "traffic", "labor"],
            "low_value": [1.5, 1e6, 0.1],
            "high_value": [3.0, 4e6, 0.3],
            "base_value": [2.0, 2e6, 0.2],
            "metric_low_usd": [base - 600.0, base + 200.0, base - 10.0],
            "metric_high_usd": [base + 800.0, base - 50.0, base + 20.0],
            "base_metric_usd": [base] * 3,
            "swing_usd": [1400.0, 250.0, 30.0],
        }
    )


def sensitivity_frame() -> pd.DataFrame:
    return pd.DataFrame({"spearman_rho": [0.8, -0.5, 0.1]}, index=["traffic", "gpu price", "labor"])


MAP_X = np.array([1.0, 2.0, 3.0, 4.0])
MAP_Y = np.array([10.0, 20.0, 30.0])


def map_kwargs() -> dict[str, str]:
    return {"x_label": "x [-]", "y_label": "y [-]", "option_a": "gpu", "option_b": "api"}


def bars(ax, label):
    """Patches of the bar container with this legend label."""
    (container,) = [c for c in ax.containers if c.get_label() == label]
    return list(container.patches)


# --- every function draws on the Axes it is given, or makes one ---------------------------------

CALLS = {
    "tco_bands": lambda ax: plot_tco_bands(bands_frame({"A": [1.0, 2.0]}), ax),
    "breakdown": lambda ax: plot_breakdown(monthly_frame(), ax),
    "tornado": lambda ax: plot_tornado(tornado_frame(), ax),
    "rank_correlations": lambda ax: plot_rank_correlations(sensitivity_frame(), ax),
    "break_even_map": lambda ax: plot_break_even_map(
        MAP_X, MAP_Y, np.subtract.outer(MAP_Y, MAP_X), ax, **map_kwargs()
    ),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_draws_on_the_axes_passed_in(name, ax):
    assert CALLS[name](ax) is ax
    assert plt.get_fignums() == [ax.figure.number]
    assert ax.has_data()


@pytest.mark.parametrize("name", sorted(CALLS))
def test_makes_a_figure_when_no_axes(name):
    drawn = CALLS[name](None)
    assert plt.get_fignums() == [drawn.figure.number]
    assert drawn.has_data()


# --- plot_tco_bands -----------------------------------------------------------------------------


def test_bands_median_lines_start_at_zero_and_follow_p50(ax):
    frame = bands_frame({"A": [10.0, 20.0, 30.0], "B": [25.0, 25.0, 25.0]})
    plot_tco_bands(frame, ax, title="bands")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["A"].get_xdata()) == [0.0, 1.0, 2.0, 3.0]
    assert list(lines["A"].get_ydata()) == [0.0, 10.0, 20.0, 30.0]
    assert list(lines["B"].get_ydata()) == [0.0, 25.0, 25.0, 25.0]
    # Two bands per option, in the colour of its median line; the wide band spans p5..p95.
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(polys) == 4
    for line, (wide, narrow) in zip([lines["A"], lines["B"]], [polys[:2], polys[2:]], strict=True):
        colour = mpl.colors.to_rgb(line.get_color())
        assert mpl.colors.to_rgb(wide.get_facecolor()[0]) == pytest.approx(colour)
        assert mpl.colors.to_rgb(narrow.get_facecolor()[0]) == pytest.approx(colour)
        assert wide.get_alpha() < narrow.get_alpha()
    wide_a = polys[0].get_paths()[0].vertices
    assert wide_a[:, 1].max() == pytest.approx(30.0 * 1.2)
    assert wide_a[:, 1].min() == pytest.approx(0.0)
    narrow_a = polys[1].get_paths()[0].vertices
    assert narrow_a[:, 1].max() == pytest.approx(30.0 * 1.1)
    assert ax.get_xlabel() == "months from start"
    assert ax.get_ylabel() == "cumulative cost [USD]"
    assert ax.get_title() == "bands"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]


def test_bands_crossover_is_interpolated_and_annotated(ax):
    # A - B = -15, -5, +5 at t = 1, 2, 3: the medians cross at t = 2 + 5 / 10 = 2.5, y = 25.
    frame = bands_frame({"A": [10.0, 20.0, 30.0], "B": [25.0, 25.0, 25.0]})
    plot_tco_bands(frame, ax, labels={"A": "API", "B": "GPU"})
    (note,) = ax.texts
    assert note.get_text() == "API overtakes GPU, month 2.5"
    assert note.xy == pytest.approx((2.5, 25.0))
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(dots) == 1
    assert (dots[0].get_xdata()[0], dots[0].get_ydata()[0]) == pytest.approx((2.5, 25.0))
    assert dots[0].get_color() == "black"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["API", "GPU"]


def test_bands_crossover_names_the_option_that_rises_above(ax):
    # A - B = +5, -5, -15: B rises above A at t = 1.5.
    plot_tco_bands(bands_frame({"A": [30.0, 20.0, 10.0], "B": [25.0, 25.0, 25.0]}), ax)
    assert [t.get_text() for t in ax.texts] == ["B overtakes A, month 1.5"]


def test_bands_crossover_through_an_exact_tie(ax):
    # A - B = -5, 0, +5: equal at t = 2, which is the crossing.
    plot_tco_bands(bands_frame({"A": [20.0, 25.0, 30.0], "B": [25.0, 25.0, 25.0]}), ax)
    assert [t.get_text() for t in ax.texts] == ["A overtakes B, month 2.0"]


def test_bands_touching_or_parallel_medians_are_no_crossover(ax):
    frame = bands_frame({"A": [10.0, 20.0, 30.0], "B": [20.0, 20.0, 40.0], "C": [30.0, 40.0, 50.0]})
    plot_tco_bands(frame, ax)
    assert len(ax.texts) == 0
    assert not [line for line in ax.get_lines() if line.get_marker() == "o"]


def test_bands_annotations_are_capped_but_every_crossing_gets_a_dot(ax):
    zigzag = [0.0, 10.0] * 6
    plot_tco_bands(bands_frame({"A": zigzag, "B": [5.0] * 12}), ax)
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert len(dots) == 11
    assert 1 <= len(ax.texts) <= 6
    # A - B = -5, +5, -5, ...: A rises above B at t = 1.5, B above A at t = 2.5, ...
    assert [t.get_text() for t in ax.texts[:2]] == [
        "A overtakes B, month 1.5",
        "B overtakes A, month 2.5",
    ]


def test_bands_reject_missing_columns_and_flat_index(ax):
    frame = bands_frame({"A": [1.0, 2.0]})
    with pytest.raises(ValueError, match="percentiles has no column 'p75'"):
        plot_tco_bands(frame.drop(columns="p75"), ax)
    with pytest.raises(ValueError, match="MultiIndex"):
        plot_tco_bands(frame.reset_index(level=0, drop=True), ax)
    with pytest.raises(ValueError, match="empty"):
        plot_tco_bands(frame.iloc[:0], ax)


# --- plot_breakdown -----------------------------------------------------------------------------


def test_breakdown_stacks_positive_up_and_negative_down(ax):
    plot_breakdown(monthly_frame(), ax, labels={"gpu": "GPU box"}, title="breakdown")
    # Options in order of appearance: gpu at x = 0, api at x = 1.
    assert [t.get_text() for t in ax.get_xticklabels()] == ["GPU box", "api"]
    stacks = {c: bars(ax, c) for c in ["hardware", "power", "hardware_salvage", "tokens"]}
    hardware, power, salvage, tokens = stacks.values()
    # Horizon totals: gpu hardware 1000, power 120, salvage -400; api tokens 800, power 0.
    heights = {c: [p.get_height() for p in patches] for c, patches in stacks.items()}
    assert heights == {
        "hardware": [1000.0, 0.0],
        "power": [120.0, 0.0],
        "hardware_salvage": [-400.0, 0.0],
        "tokens": [0.0, 800.0],
    }
    # gpu: power sits on hardware, the salvage hangs below 0; api: tokens start at 0.
    assert [stacks[c][0].get_y() for c in ["hardware", "power", "hardware_salvage"]] == [
        0.0,
        1000.0,
        0.0,
    ]
    assert stacks["tokens"][1].get_y() == 0.0
    # Top of each stack is the sum of the positive components; negatives go below zero.
    top = [
        max(p.get_y() + p.get_height() for p in column)
        for column in zip(hardware, power, tokens, strict=True)
    ]
    assert top == [1120.0, 800.0]
    assert min(p.get_y() + p.get_height() for p in salvage) == -400.0
    # One colour per component, whichever option it belongs to.
    for patches in (hardware, power, salvage, tokens):
        assert len({p.get_facecolor() for p in patches}) == 1
    assert len({patches[0].get_facecolor() for patches in (hardware, power, salvage, tokens)}) == 4
    # Net totals written above the bars.
    notes = {round(t.xy[0]): (t.get_text(), t.xy[1]) for t in ax.texts}
    assert notes == {0: ("720", 1120.0), 1: ("800", 800.0)}
    low, high = ax.get_ylim()
    assert low < -400.0
    assert high > 1120.0
    assert ax.get_ylabel() == "cost over the horizon [USD]"
    assert ax.get_title() == "breakdown"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["hardware", "power", "hardware_salvage", "tokens"]


def test_breakdown_skips_components_that_are_zero_everywhere(ax):
    monthly = pd.concat(
        [
            monthly_frame(),
            pd.DataFrame(
                [(0, "gpu", "spare", 0.0)], columns=["month", "option", "component", "usd"]
            ),
        ]
    )
    plot_breakdown(monthly, ax)
    assert "spare" not in [t.get_text() for t in ax.get_legend().get_texts()]


def test_breakdown_rejects_missing_column(ax):
    with pytest.raises(ValueError, match="monthly has no column 'usd'"):
        plot_breakdown(monthly_frame().drop(columns="usd"), ax)


# --- plot_tornado -------------------------------------------------------------------------------


def test_tornado_largest_swing_on_top_and_bars_reach_the_metric(ax):
    frame = tornado_frame(base=100.0)
    plot_tornado(frame, ax, metric_label="gpu minus api [USD]")
    ticks = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in ticks] == [
        "gpu price\n1.5 to 3",
        "traffic\n1e+06 to 4e+06",
        "labor\n0.1 to 0.3",
    ]
    for label, column in [("input at low", "metric_low_usd"), ("input at high", "metric_high_usd")]:
        patches = bars(ax, label)
        # Rows top to bottom follow the frame order.
        centres = [p.get_y() + p.get_height() / 2 for p in patches]
        assert centres == sorted(centres, reverse=True)
        assert [p.get_x() for p in patches] == pytest.approx([100.0] * 3)
        ends = [p.get_x() + p.get_width() for p in patches]
        assert ends == pytest.approx(frame[column].tolist())
    vertical = {line.get_label(): line.get_xdata()[0] for line in ax.get_lines()}
    assert vertical["base case 100"] == 100.0
    # 100 - 600 < 0: the metric crosses zero.
    assert vertical["break-even"] == 0.0
    assert ax.get_xlabel() == "gpu minus api [USD]"


def test_tornado_no_break_even_line_when_the_metric_keeps_its_sign(ax):
    plot_tornado(tornado_frame(base=1000.0), ax)
    assert "break-even" not in [line.get_label() for line in ax.get_lines()]


def test_tornado_max_inputs(ax):
    plot_tornado(tornado_frame(), ax, max_inputs=2)
    assert [t.get_text().split("\n")[0] for t in ax.get_yticklabels()] == ["gpu price", "traffic"]
    assert len(bars(ax, "input at low")) == 2
    with pytest.raises(ValueError, match="max_inputs"):
        plot_tornado(tornado_frame(), ax, max_inputs=0)


def test_tornado_rejects_missing_column(ax):
    with pytest.raises(ValueError, match="tornado has no column 'swing_usd'"):
        plot_tornado(tornado_frame().drop(columns="swing_usd"), ax)


# --- plot_rank_correlations ---------------------------------------------------------------------


def test_rank_correlations_bars_order_and_axis(ax):
    plot_rank_correlations(sensitivity_frame(), ax)
    patches = list(ax.containers[0].patches)
    assert [p.get_width() for p in patches] == [0.8, -0.5, 0.1]
    centres = [p.get_y() + p.get_height() / 2 for p in patches]
    assert centres == sorted(centres, reverse=True)
    top = max(ax.get_yticklabels(), key=lambda t: t.get_position()[1])
    assert top.get_text() == "traffic"
    assert ax.get_xlim() == (-1.0, 1.0)
    assert ax.get_xlabel() == "rank correlation with the metric [-]"
    assert [list(line.get_xdata()) for line in ax.get_lines()] == [[0.0, 0.0]]
    with pytest.raises(ValueError, match="sensitivity has no column 'spearman_rho'"):
        plot_rank_correlations(sensitivity_frame().rename(columns={"spearman_rho": "rho"}), ax)


# --- plot_break_even_map ------------------------------------------------------------------------


def zero_contours(ax):
    return [c for c in ax.collections if isinstance(c, ContourSet) and list(c.levels) == [0.0]]


def test_break_even_map_draws_the_zero_contour_where_signs_differ(ax):
    # Difference x - 2.5 on every row: break-even along x = 2.5.
    difference = np.tile(MAP_X - 2.5, (MAP_Y.size, 1))
    plot_break_even_map(MAP_X, MAP_Y, difference, ax, base_point=(2.0, 20.0), **map_kwargs())
    (zero,) = zero_contours(ax)
    vertices = np.concatenate([path.vertices for path in zero.get_paths() if len(path.vertices)])
    assert vertices[:, 0] == pytest.approx(2.5)
    assert "break-even" in [t.get_text() for t in ax.texts]
    (filled,) = [c for c in ax.collections if isinstance(c, ContourSet) and c.filled]
    assert isinstance(filled.norm, TwoSlopeNorm)
    assert filled.norm.vcenter == 0.0
    assert 0.0 in filled.levels
    colorbar_axes = [a for a in ax.figure.axes if a is not ax]
    assert [a.get_ylabel() for a in colorbar_axes] == ["gpu minus api [USD]"]
    assert ax.get_title() == "blue: gpu cheaper, red: api cheaper"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x [-]", "y [-]")
    (star,) = [line for line in ax.get_lines() if line.get_label() == "base case"]
    assert (star.get_xdata()[0], star.get_ydata()[0]) == (2.0, 20.0)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_break_even_map_without_a_sign_change_has_no_zero_contour(ax, sign):
    difference = sign * np.outer(MAP_Y, MAP_X)
    plot_break_even_map(MAP_X, MAP_Y, difference, ax, log_x=True, log_y=True, **map_kwargs())
    assert zero_contours(ax) == []
    assert "break-even" not in [t.get_text() for t in ax.texts]
    (filled,) = [c for c in ax.collections if isinstance(c, ContourSet) and c.filled]
    assert not isinstance(filled.norm, TwoSlopeNorm)
    # The scale stays centred at 0, so every cell is on the red (or blue) side.
    assert filled.norm.vmin == -filled.norm.vmax
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")


def test_break_even_map_constant_difference(ax):
    plot_break_even_map(MAP_X, MAP_Y, np.full((3, 4), 7.0), ax, **map_kwargs())
    assert zero_contours(ax) == []


@pytest.mark.parametrize(
    ("x", "y", "difference", "message"),
    [
        (MAP_X, MAP_Y, np.zeros((4, 3)), r"difference_usd has shape \(4, 3\).*\(3, 4\)"),
        (MAP_X, MAP_Y, np.zeros(12), r"difference_usd has shape \(12,\)"),
        (MAP_X.reshape(2, 2), MAP_Y, np.zeros((3, 4)), r"x_values must be 1-D, got shape \(2, 2\)"),
        (MAP_X, MAP_Y[:1], np.zeros((1, 4)), "y_values needs at least 2 values"),
        (MAP_X, MAP_Y, np.full((3, 4), np.nan), "difference_usd has no finite value"),
    ],
)
def test_break_even_map_rejects_bad_shapes(ax, x, y, difference, message):
    with pytest.raises(ValueError, match=message):
        plot_break_even_map(x, y, difference, ax, **map_kwargs())


def test_break_even_map_log_axis_needs_positive_values(ax):
    with pytest.raises(ValueError, match="x_values must be positive"):
        plot_break_even_map(MAP_X - 1.0, MAP_Y, np.ones((3, 4)), ax, log_x=True, **map_kwargs())
