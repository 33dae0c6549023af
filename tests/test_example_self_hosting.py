"""examples/self_hosting.py runs, and its figures show the effects it is there to show."""

from __future__ import annotations

import math
import runpy
from pathlib import Path

import pytest

import llmtco

EXAMPLE = Path(__file__).parents[1] / "examples" / "self_hosting.py"


def test_example_self_hosting(capsys: pytest.CaptureFixture[str]) -> None:
    f: dict[str, float] = runpy.run_path(str(EXAMPLE))["main"]()
    printed = capsys.readouterr().out
    assert "batch window" in printed
    assert "payback" in printed
    assert f
    assert all(isinstance(v, float) and math.isfinite(v) for v in f.values())

    # a. Under the 4x profile autoscaling removes most of the idle capacity of static sizing,
    # and a flat profile uses static capacity better than a spiky one.
    assert f["4x_peak_autoscale_idle_usd_per_month"] < f["4x_peak_static_idle_usd_per_month"]
    assert f["4x_peak_autoscale_gpu_usd_per_month"] < f["4x_peak_static_gpu_usd_per_month"]
    assert f["flat_static_utilization"] > f["4x_peak_static_utilization"]
    assert f["4x_peak_static_utilization"] > f["batch_window_static_utilization"]
    assert f["4x_peak_static_peak_instances"] > 2  # several instances at the peak
    # A scale-up lag costs something, but less than sizing for the peak all week.
    lagged = f["4x_peak_autoscale_lag1h_gpu_usd_per_month"]
    assert (
        f["4x_peak_autoscale_gpu_usd_per_month"] <= lagged < f["4x_peak_static_gpu_usd_per_month"]
    )

    # Hand check: flat traffic. 1e11 tokens/month, half output: 5e10 / (730 x 3600) = 19,026
    # output tokens/s; one 8x H100 instance holds 4 replicas of 4,205 tokens/s planned at 0.7,
    # i.e. 11,774 tokens/s, so 2 instances every hour at 31.92 USD/h.
    catalog = llmtco.load_catalog()
    lambda_usd_per_hour = catalog.gpu_instance("lambda/gpu_8x_h100_sxm5").on_demand_usd_per_hour
    assert f["flat_static_peak_instances"] == 2.0
    assert f["flat_static_gpu_usd_per_month"] == pytest.approx(2 * lambda_usd_per_hour * 730)
    mean_output = 5e10 / (730 * 3600)
    assert f["flat_static_utilization"] == pytest.approx(mean_output / (2 * 4 * 4205.0))
    assert f["flat_static_idle_usd_per_month"] == pytest.approx(
        f["flat_static_gpu_usd_per_month"] * (1 - f["flat_static_utilization"])
    )

    # b. The optimal reserved base beats both all on demand and all reserved at the peak.
    mix = f["mix_usd_per_month"]
    assert mix < f["all_on_demand_usd_per_month"]
    assert mix < f["all_reserved_usd_per_month"]
    assert 0 < f["mix_committed_instances"] < f["mix_peak_instances"]
    gcp = catalog.gpu_instance("gcp/a3-highgpu-8g")
    assert gcp.reserved_1yr_usd_per_hour is not None
    assert f["mix_quantile"] == pytest.approx(
        1 - gcp.reserved_1yr_usd_per_hour / gcp.on_demand_usd_per_hour
    )
    # All reserved at the peak: peak instances x reserved price x 730 h, used or not.
    assert f["all_reserved_usd_per_month"] == pytest.approx(
        f["mix_peak_instances"] * gcp.reserved_1yr_usd_per_hour * 730
    )

    # c. Power: 10.2 kW x PUE 1.3 x 730 h x 0.10 USD/kWh at full load.
    assert f["power_usd_per_month"] == pytest.approx(10.2 * 1.3 * 730 * 0.10)
    assert f["rent_usd_per_month"] == pytest.approx(lambda_usd_per_hour * 730)
    # Owning: 250,000 - 50,000 salvage + 36 months of power, colocation and maintenance.
    running = f["power_usd_per_month"] + 1_500 + 500
    assert f["owned_total_usd"] == pytest.approx(250_000 - 50_000 + 36 * running)
    assert f["rent_total_usd"] == pytest.approx(36 * lambda_usd_per_hour * 730)
    # Cumulative costs cross when 250,000 = (rent - running) x t (salvage comes later).
    assert f["payback_month"] == pytest.approx(250_000 / (f["rent_usd_per_month"] - running))
    assert f["payback_month"] < f["discounted_payback_month"] < 36
    assert f["owned_npv_usd"] < f["rent_npv_usd"]
