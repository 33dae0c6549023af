"""Tests of rank_instances: hand-worked sizing on a tiny catalog, SLO monotonicity, real catalog."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtco.catalog import Catalog, load_catalog
from llmtco.engine.queueing import replicas_for_ttft_slo
from llmtco.errors import UnknownIdError
from llmtco.ranking import RANKING_COLUMNS, rank_instances
from llmtco.serving import estimate_serving

# An 8.0-billion-parameter model (16.0 GB in BF16) and three GPUs:
# big 80 GB (72 GB usable) fits it on 1 GPU; small 16 GB (14.4 usable) needs 2;
# tiny 2 GB (14.4 usable on 8) never fits.
TINY_CATALOG = """\
gpus:
  - {id: test/big, name: Big, memory_gb: 80, memory_bandwidth_gb_per_s: 2000,
     bf16_tflops: 500, source: hand-made, checked: 2026-11-23}
  - {id: test/small, name: Small, memory_gb: 16, memory_bandwidth_gb_per_s: 1000,
     bf16_tflops: 200, source: hand-made, checked: 2026-11-23}
  - {id: test/tiny, name: Tiny, memory_gb: 2, memory_bandwidth_gb_per_s: 100,
     bf16_tflops: 50, source: hand-made, checked: 2026-11-23}
gpu_instances:
  - {id: test/big-1, provider: test, gpu: test/big, gpu_count: 1, on_demand_usd_per_hour: 2.0,
     reserved_1yr_usd_per_hour: 1.5, source: hand-made, checked: 2026-11-23}
  - {id: test/big-4, provider: test, gpu: test/big, gpu_count: 4, on_demand_usd_per_hour: 8.0,
     source: hand-made, checked: 2026-11-23}
  - {id: test/small-2, provider: test, gpu: test/small, gpu_count: 2,
     on_demand_usd_per_hour: 0.8, source: hand-made, checked: 2026-11-23}
  - {id: test/tiny-8, provider: test, gpu: test/tiny, gpu_count: 8, on_demand_usd_per_hour: 1.6,
     source: hand-made, checked: 2026-11-23}
open_models:
  - {id: test/model, name: Test model, total_params_billion: 8.0, layers: 32,
     hidden_size: 4096, kv_heads: 8, head_dim: 128, context_tokens: 8192, license: test,
     source: hand-made, checked: 2026-11-23}
serving_profiles:
  - {id: test/model@big-x1-near, model: test/model, gpu: test/big, gpus_per_replica: 1,
     precision: bf16, engine: test, input_tokens: 1000, output_tokens: 128,
     output_tokens_per_s: 1000, source: hand-made, checked: 2026-11-23}
  - {id: test/model@big-x1-far, model: test/model, gpu: test/big, gpus_per_replica: 1,
     precision: bf16, engine: test, input_tokens: 128, output_tokens: 2048,
     output_tokens_per_s: 5000, source: hand-made, checked: 2026-11-23}
  - {id: test/model@small-x2, model: test/model, gpu: test/small, gpus_per_replica: 2,
     precision: bf16, engine: test, input_tokens: 1000, output_tokens: 100,
     output_tokens_per_s: 400, source: hand-made, checked: 2026-11-23}
"""

# 20 requests/s x 100 output tokens = 2,000 tokens/s at the peak.
WORKLOAD = {"requests_per_s_peak": 20.0, "input_tokens": 1000, "output_tokens": 100}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    path: Path = tmp_path_factory.mktemp("ranking") / "tiny.yaml"
    path.write_text(TINY_CATALOG, encoding="utf-8")
    return load_catalog(path, include_packaged=False)


def _by_instance(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("instance")


# ------------------------------------------------------------------------ hand-worked sizing


def test_hand_worked_sizing_cost_and_order(tiny):
    table = rank_instances("test/model", **WORKLOAD, catalog=tiny)
    assert tuple(table.columns) == RANKING_COLUMNS
    # big-1: 1,000 tokens/s per replica at 70% -> ceil(2000 / 700) = 3 replicas on 3 instances,
    #        3 x 2 USD/h x 730 h = 4,380 USD/month.
    # small-2: TP 2 (16 GB of weights > 14.4 GB usable), 400 tokens/s -> ceil(2000 / 280) = 8
    #        replicas, one per instance: 8 x 0.8 x 730 = 4,672 USD/month.
    # big-4: TP 1, 4 replicas per instance -> 3 replicas on 1 instance: 8 x 730 = 5,840.
    # tiny-8: does not fit on 8 GPUs.
    assert list(table["instance"]) == ["test/big-1", "test/small-2", "test/big-4", "test/tiny-8"]
    rows = _by_instance(table)
    expected = {
        "test/big-1": (1, 3, 3, 3 * 2.0 * 730),
        "test/small-2": (2, 8, 8, 8 * 0.8 * 730),
        "test/big-4": (1, 3, 1, 1 * 8.0 * 730),
    }
    for instance, (gpus, replicas, instances, usd) in expected.items():
        row = rows.loc[instance]
        assert row["gpus_per_replica"] == gpus
        assert row["replicas"] == replicas
        assert row["instances"] == instances
        assert row["usd_per_month"] == pytest.approx(usd)
        assert row["feasible"]
        assert row["reason"] == ""
    assert rows.loc["test/small-2", "throughput_source"] == "measured:test/model@small-x2"
    assert rows.loc["test/small-2", "output_tokens_per_s_per_replica"] == 400.0
    unfit = rows.loc["test/tiny-8"]
    assert not unfit["feasible"]
    assert math.isnan(unfit["usd_per_month"])
    assert unfit["reason"].startswith("does not fit")
    assert "8 x test/tiny" in unfit["reason"]
    assert pd.isna(unfit["gpus_per_replica"])
    assert table.attrs["unit"]["usd_per_month"] == "USD/month"


def test_floor_purchase_mode_and_hours(tiny):
    five = _by_instance(rank_instances("test/model", **WORKLOAD, min_replicas=5, catalog=tiny))
    assert five.loc["test/big-1", "instances"] == 5
    assert five.loc["test/big-4", "instances"] == 2  # 5 replicas, 4 per instance

    reserved = rank_instances("test/model", **WORKLOAD, purchase="reserved_1yr", catalog=tiny)
    assert reserved.loc[0, "instance"] == "test/big-1"
    assert reserved.loc[0, "usd_per_month"] == pytest.approx(3 * 1.5 * 730)
    no_price = _by_instance(reserved).loc["test/big-4"]
    assert not no_price["feasible"]
    assert no_price["reason"].startswith("no price")
    assert "reserved_1yr" in no_price["reason"]
    assert no_price["instances"] == 1  # sized all the same
    assert reserved["feasible"].sum() == 1

    half = rank_instances("test/model", **WORKLOAD, hours_per_month=365.0, catalog=tiny)
    assert half.loc[0, "usd_per_month"] == pytest.approx(3 * 2.0 * 365)


def test_no_traffic_needs_the_floor_only(tiny):
    table = _by_instance(
        rank_instances(
            "test/model", requests_per_s_peak=0.0, input_tokens=10, output_tokens=10, catalog=tiny
        )
    )
    assert table.loc["test/big-1", "replicas"] == 1
    zero = _by_instance(
        rank_instances(
            "test/model",
            requests_per_s_peak=0.0,
            input_tokens=10,
            output_tokens=10,
            min_replicas=0,
            catalog=tiny,
        )
    )
    assert zero.loc["test/big-1", "usd_per_month"] == 0.0


# ------------------------------------------------------------------ measured against estimate


def test_closest_measured_profile_wins_over_the_estimate(tiny):
    measured = _by_instance(rank_instances("test/model", **WORKLOAD, catalog=tiny))
    # near: |ln(1000/1000)| + |ln(128/100)| = 0.25; far: |ln(128/1000)| + |ln(2048/100)| = 5.1.
    assert measured.loc["test/big-1", "throughput_source"] == "measured:test/model@big-x1-near"
    assert measured.loc["test/big-1", "output_tokens_per_s_per_replica"] == 1000.0

    # No FP16 profile: the estimate at maximum load.
    estimated = _by_instance(
        rank_instances("test/model", **WORKLOAD, precision="fp16", catalog=tiny)
    )
    est = estimate_serving(
        "test/model",
        "test/big",
        precision="fp16",
        input_tokens=1000,
        output_tokens=100,
        concurrency=None,
        catalog=tiny,
    )
    row = estimated.loc["test/big-1"]
    assert row["throughput_source"] == "estimate"
    assert row["output_tokens_per_s_per_replica"] == pytest.approx(est.output_tokens_per_s)
    assert row["ttft_s"] == pytest.approx(est.ttft_s)
    assert row["replicas"] == math.ceil(2000 / (0.7 * float(est.output_tokens_per_s)))


def test_far_profile_wins_for_a_workload_like_it(tiny):
    table = _by_instance(
        rank_instances(
            "test/model",
            requests_per_s_peak=1.0,
            input_tokens=100,
            output_tokens=2000,
            catalog=tiny,
        )
    )
    assert table.loc["test/big-1", "throughput_source"] == "measured:test/model@big-x1-far"


# --------------------------------------------------------------------------- latency sizing


def test_latency_replicas_follow_the_queue_model(tiny):
    slo = 0.5
    row = _by_instance(
        rank_instances("test/model", **WORKLOAD, ttft_slo_s=slo, quantile=0.9, catalog=tiny)
    ).loc["test/big-1"]
    est = estimate_serving(
        "test/model",
        "test/big",
        input_tokens=1000,
        output_tokens=100,
        concurrency=None,
        catalog=tiny,
    )
    duration = float(est.ttft_s) + 100 * float(est.tpot_s)
    for_latency = replicas_for_ttft_slo(20.0, duration, est.concurrency, est.ttft_s, slo, 0.9)
    assert row["replicas"] == max(3, int(for_latency))
    assert row["ttft_s"] == pytest.approx(est.ttft_s)


def test_slo_below_prefill_is_unreachable(tiny):
    table = rank_instances("test/model", **WORKLOAD, ttft_slo_s=1e-6, catalog=tiny)
    assert not table["feasible"].any()
    assert table["usd_per_month"].isna().all()
    sized = table[table["instance"] != "test/tiny-8"]
    assert all(r.startswith("SLO unreachable (replicas inf)") for r in sized["reason"])


def _cheapest(table: pd.DataFrame) -> float:
    feasible = table[table["feasible"]]
    return float(feasible["usd_per_month"].min()) if len(feasible) else math.inf


@settings(max_examples=25, deadline=None)
@given(
    loose=st.floats(1e-3, 30.0),
    tighten=st.floats(0.0, 1.0),
    peak=st.floats(0.0, 200.0),
)
def test_tighter_slo_never_lowers_the_cheapest_cost(tiny, loose, tighten, peak):
    load = {"requests_per_s_peak": peak, "input_tokens": 1000, "output_tokens": 100}
    cost_loose = _cheapest(rank_instances("test/model", **load, ttft_slo_s=loose, catalog=tiny))
    cost_tight = _cheapest(
        rank_instances("test/model", **load, ttft_slo_s=loose * tighten, catalog=tiny)
    )
    no_slo = _cheapest(rank_instances("test/model", **load, catalog=tiny))
    assert no_slo <= cost_loose <= cost_tight


def test_tighter_slo_on_the_packaged_catalog(packaged_catalog):
    candidates = ["runpod/l40s-community", "runpod/h100-sxm-community", "aws/p5.48xlarge"]
    costs = [
        _cheapest(
            rank_instances(
                "meta/llama-3.1-8b-instruct",
                requests_per_s_peak=10.0,
                input_tokens=2000,
                output_tokens=300,
                ttft_slo_s=slo,
                candidates=candidates,
                catalog=packaged_catalog,
            )
        )
        for slo in (np.inf, 5.0, 1.0, 0.5, 0.3, 0.2, 0.1, 0.01, 0.001)
    ]
    assert costs == sorted(costs)
    assert math.isfinite(costs[0])
    assert costs[-1] == math.inf


# ---------------------------------------------------------------- replica spanning and TP rule


def test_llama_70b_bf16_does_not_fit_one_24gb_gpu_instance(packaged_catalog):
    table = rank_instances(
        "meta/llama-3.1-70b-instruct",
        requests_per_s_peak=1.0,
        input_tokens=1000,
        output_tokens=200,
        candidates=["aws/g6.xlarge", "aws/g5.xlarge"],
        catalog=packaged_catalog,
    )
    assert not table["feasible"].any()
    for reason in table["reason"]:
        assert reason.startswith("does not fit: meta/llama-3.1-70b-instruct in bf16")
    assert table["usd_per_month"].isna().all()


def test_replicas_may_span_instances_when_allowed(packaged_catalog):
    row = rank_instances(
        "meta/llama-3.1-70b-instruct",
        requests_per_s_peak=1.0,
        input_tokens=1000,
        output_tokens=200,
        candidates=["aws/g6.xlarge"],
        max_instances_per_replica=None,
        catalog=packaged_catalog,
    ).iloc[0]
    # 141.2 GB of weights: 8 x 24 GB x 0.9 = 172.8 GB holds them, 4 x 24 GB does not.
    assert row["feasible"]
    assert row["gpus_per_replica"] == 8
    assert row["instances"] == 8 * row["replicas"]
    price = packaged_catalog.gpu_instance("aws/g6.xlarge").on_demand_usd_per_hour
    assert row["usd_per_month"] == pytest.approx(row["instances"] * price * 730.0)


def test_cheapest_degree_beats_the_smallest(packaged_catalog):
    args = {
        "requests_per_s_peak": 5.0,
        "input_tokens": 2000,
        "output_tokens": 300,
        "candidates": ["lambda/gpu_8x_h100_sxm5"],
        "catalog": packaged_catalog,
    }
    smallest = rank_instances("meta/llama-3.3-70b-instruct", tensor_parallel="smallest", **args)
    cheapest = rank_instances("meta/llama-3.3-70b-instruct", **args)
    assert smallest.loc[0, "gpus_per_replica"] == 2  # 141 GB of weights on 2 x 80 GB
    assert cheapest.loc[0, "usd_per_month"] <= smallest.loc[0, "usd_per_month"]


# ------------------------------------------------------------------------- packaged catalog


def test_packaged_ranking_for_llama_33_70b(packaged_catalog):
    table = rank_instances(
        "meta/llama-3.3-70b-instruct",
        requests_per_s_peak=5.0,
        input_tokens=2000,
        output_tokens=300,
        catalog=packaged_catalog,
    )
    assert len(table) == len(packaged_catalog.ids("gpu_instances"))
    assert table["feasible"].any()
    feasible = table["feasible"].to_numpy()
    assert list(feasible) == sorted(feasible, reverse=True)  # feasible rows first
    costs = table.loc[table["feasible"], "usd_per_month"]
    assert costs.is_monotonic_increasing
    assert (costs > 0).all()
    assert table.loc[~table["feasible"], "usd_per_month"].isna().all()
    assert (table.loc[~table["feasible"], "reason"] != "").all()
    assert set(table["throughput_source"]) <= {"", "estimate"} | {
        f"measured:{i}" for i in packaged_catalog.ids("serving_profiles")
    }


def test_packaged_fp8_uses_the_measured_h100_profile(packaged_catalog):
    args = {
        "requests_per_s_peak": 5.0,
        "input_tokens": 1000,
        "output_tokens": 1000,
        "precision": "fp8",
        "candidates": ["aws/p5.48xlarge"],
        "catalog": packaged_catalog,
    }
    row = rank_instances("meta/llama-3.3-70b-instruct", **args).iloc[0]
    # 70.6 GB of FP8 weights squeeze onto one H100 (estimate, tiny batch), but the measured
    # TP-2 profile (4,205 tokens/s) needs 2 replicas: one instance instead of nine.
    assert row["gpus_per_replica"] == 2
    assert row["throughput_source"] == (
        "measured:meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-trtllm-1000-1000"
    )
    assert row["output_tokens_per_s_per_replica"] == 4205.0
    assert row["instances"] == 1
    smallest = rank_instances(
        "meta/llama-3.3-70b-instruct", tensor_parallel="smallest", **args
    ).iloc[0]
    assert smallest["gpus_per_replica"] == 1
    assert smallest["throughput_source"] == "estimate"
    assert smallest["usd_per_month"] > row["usd_per_month"]


# ------------------------------------------------------------------------------------ errors


def test_unknown_ids_raise(tiny):
    with pytest.raises(UnknownIdError, match="test/model"):
        rank_instances("test/modle", **WORKLOAD, catalog=tiny)
    with pytest.raises(UnknownIdError, match="test/big-1"):
        rank_instances("test/model", **WORKLOAD, candidates=["test/big-10"], catalog=tiny)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"target_utilization": 0.0}, ValueError, "target_utilization"),
        ({"target_utilization": 1.5}, ValueError, "target_utilization"),
        ({"requests_per_s_peak": -1.0}, ValueError, "requests_per_s_peak"),
        ({"input_tokens": 0}, ValueError, "input_tokens"),
        ({"min_replicas": 1.5}, ValueError, "min_replicas"),
        ({"quantile": 1.0}, ValueError, "quantile"),
        ({"ttft_slo_s": -0.1}, ValueError, "ttft_slo_s"),
        ({"hours_per_month": 0.0}, ValueError, "hours_per_month"),
        ({"purchase": "monthly"}, ValueError, "on_demand"),
        ({"precision": "bf8"}, ValueError, "bf16"),
        ({"tensor_parallel": "largest"}, ValueError, "cheapest"),
        ({"max_instances_per_replica": 0}, ValueError, "max_instances_per_replica"),
        ({"candidates": "test/big-1"}, TypeError, "candidates"),
        ({"requests_per_s_peak": "20"}, TypeError, "requests_per_s_peak"),
    ],
)
def test_bad_inputs_name_the_argument(tiny, kwargs, error, match):
    with pytest.raises(error, match=match):
        rank_instances("test/model", **(WORKLOAD | kwargs), catalog=tiny)
