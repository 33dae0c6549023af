import json
import math

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pytest

from llmtco import compare, default_scenario


@pytest.fixture(scope="module")
def result():
    return compare(default_scenario())


def test_monthly_is_tidy_with_units(result):
    assert list(result.monthly.columns) == ["month", "option", "component", "usd"]
    assert result.monthly.attrs["units"]["usd"] == "USD/month"
    assert (
        len(result.monthly)
        == result.monthly[["month", "option", "component"]].drop_duplicates().shape[0]
    )


def test_wide_views_add_up(result):
    wide = result.by_option()
    assert wide.shape == (36, 4)
    assert wide.sum().to_numpy() == pytest.approx(result.totals["total_usd"].to_numpy())
    assert result.cumulative().iloc[-1].to_numpy() == pytest.approx(
        result.totals["total_usd"].to_numpy()
    )
    components = result.by_component("llama-70b-lambda")
    assert {"gpu_used", "gpu_idle", "labor", "setup"} <= set(components)
    with pytest.raises(KeyError, match="unknown option 'nope'"):
        result.by_component("nope")


def test_idle_cost_matches_capacity_frame(result):
    idle = result.by_component("llama-70b-lambda")["gpu_idle"].to_numpy()
    frame = result.capacity[result.capacity["option"] == "llama-70b-lambda"]
    assert idle == pytest.approx(frame["idle_usd"].to_numpy())
    assert ((frame["utilization"] >= 0) & (frame["utilization"] <= 1)).all()


def test_break_even_frame_and_records_agree(result):
    frame = result.break_even
    assert len(frame) == len(result.pairs)
    assert frame.attrs["units"]["break_even_tokens_per_month"].startswith("tokens/month")
    for row, pair in zip(frame.to_dict(orient="records"), result.pairs, strict=True):
        assert row["self_hosted"] == pair.self_hosted
        assert row["break_even_tokens_per_month"] == pair.break_even_tokens_per_month


def test_to_dict_is_strict_json_with_explicit_never(result):
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["horizon_months"] == 36
    assert set(data["options"]) == set(result.totals.index)
    assert len(data["options"]["gpt-4o"]["monthly_usd"]) == 36
    for pair in data["break_even"]:
        if not pair["payback_within_horizon"]:
            assert pair["payback_month"] is None
        if not pair["break_even_exists"]:
            assert pair["break_even_tokens_per_month"] is None


def test_cheapest_and_repr(result):
    assert result.cheapest == result.totals["npv_usd"].idxmin()
    assert result.cheapest in repr(result)


def test_plot_returns_axes_and_draws_every_option(result):
    fig, ax = plt.subplots()
    returned = result.plot(ax=ax)
    assert returned is ax
    assert len(ax.get_lines()) >= len(result.totals)
    assert "USD" in ax.get_ylabel()
    plt.close(fig)
    ax = result.plot(cumulative=False)
    assert "USD/month" in ax.get_ylabel()
    plt.close(ax.figure)


def test_payback_marker_drawn(test_catalog):
    from llmtco import Labor, SelfHostedOption
    from test_tco import hand_scenario

    scenario = hand_scenario(
        options={
            "api": hand_scenario().options["api"],
            "self": SelfHostedOption(
                instance="test/box-1",
                serving_profile="test/model@gpu-x1",
                labor=Labor(fte=0.5, usd_per_fte_year=120_000),
                setup_usd=200_000,
            ),
        }
    )
    result = compare(scenario, test_catalog)
    [pair] = result.pairs
    assert pair.payback_within_horizon
    assert 0 < pair.payback_month < 12
    assert not math.isnan(pair.discounted_payback_month)
    ax = result.plot()
    assert any("pays back" in t.get_text() for t in ax.texts)
    plt.close(ax.figure)


def test_jupyter_repr_shows_totals_and_break_even(result):
    shown = result._repr_html_()
    assert "<table" in shown
    for name in result.totals.index:
        assert name in shown
    assert "Break-even" in shown
