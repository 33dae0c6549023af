"""The roofline estimate against every measured serving profile of the packaged catalog."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmtco.engine.throughput import Efficiency
from llmtco.serving import (
    MAX_LOAD_CONCURRENCY,
    ServingEstimate,
    calibration_table,
    estimate_serving,
)

TOLERANCE = 0.35
"""Largest accepted |estimate / measured - 1| for an anchor that is not an exception."""

EXCEPTIONS: dict[str, str] = {
    "meta/llama-3.1-8b-instruct@h100-sxm-x1-bf16-sglang-231-195": (
        "Estimate ~1.9x the measurement. The anchor is unverified at its source and is not a "
        "steady state: 1,000 ShareGPT prompts sent at once (28.2 req/s over a ~35 s run), so "
        "ramp-up and the drain of the longest ShareGPT outputs (lengths vary by orders of "
        "magnitude around the 231/195 means used here) take much of the run; its median TPOT "
        "of 82 ms implies hundreds of requests sharing each decode step, with 2024-era SGLang "
        "BF16 kernels. The steady-state model with fixed mean lengths cannot represent that."
    ),
}


@pytest.fixture(scope="module")
def table(packaged_catalog):
    return calibration_table(packaged_catalog)


def test_calibration_table_shape(table, packaged_catalog):
    assert list(table.index) == packaged_catalog.ids("serving_profiles")
    for column in ("measured", "estimated", "error", "batch"):
        assert column in table.columns
    np.testing.assert_allclose(table["error"], table["estimated"] / table["measured"] - 1)
    assert (table["batch"] >= 1).all()
    assert (table["batch"] <= MAX_LOAD_CONCURRENCY).all()


def test_calibration_within_tolerance(table, capsys):
    with capsys.disabled(), pd.option_context("display.width", 200, "display.max_rows", 100):
        print("\nServing estimate vs measured profiles (output tokens/s per replica):")
        print(table[["batch", "measured", "estimated", "error"]].round(3).to_string())
    unknown = set(EXCEPTIONS) - set(table.index)
    assert not unknown, f"exceptions name unknown profiles: {unknown}"
    checked = table.drop(index=list(EXCEPTIONS))
    outside = checked[checked["error"].abs() > TOLERANCE]
    assert outside.empty, f"estimates off by more than {TOLERANCE:.0%}:\n{outside['error']}"
    stale = [pid for pid in EXCEPTIONS if abs(table.loc[pid, "error"]) <= TOLERANCE]
    assert not stale, f"these exceptions now pass; remove them: {stale}"


def test_estimate_serving_by_id_matches_objects(packaged_catalog):
    kwargs = {"precision": "fp8", "input_tokens": 1000, "output_tokens": 1000, "concurrency": 32}
    by_id = estimate_serving(
        "meta/llama-3.1-8b-instruct", "nvidia/h100-sxm", catalog=packaged_catalog, **kwargs
    )
    by_object = estimate_serving(
        packaged_catalog.open_model("meta/llama-3.1-8b-instruct"),
        packaged_catalog.gpu("nvidia/h100-sxm"),
        **kwargs,
    )
    assert isinstance(by_id, ServingEstimate)
    assert by_id == by_object
    assert by_id.source == "estimate"
    assert by_id.model == "meta/llama-3.1-8b-instruct"
    assert by_id.fits is True
    assert by_id.weights_gb == pytest.approx(8.03)
    # FP8 weights get an FP8 KV cache by default: 64 KiB/token x 2,000 tokens x 32 requests.
    assert by_id.kv_cache_gb == pytest.approx(32 * 2000 * 65536 / 1e9)
    assert 0 < by_id.ttft_s < 1
    assert 0 < by_id.tpot_s < 0.1
    frozen = dataclasses.FrozenInstanceError
    with pytest.raises(frozen):
        by_id.fits = False  # type: ignore[misc]


def test_estimate_serving_does_not_fit(packaged_catalog):
    est = estimate_serving(
        "meta/llama-3.3-70b-instruct",
        "nvidia/h100-sxm",
        precision="bf16",
        input_tokens=1000,
        output_tokens=1000,
        concurrency=1,
        catalog=packaged_catalog,
    )
    assert est.fits is False
    assert est.max_concurrency == 0
    assert est.output_tokens_per_s == 0
    assert np.isnan(est.ttft_s)
    assert np.isnan(est.tpot_s)


def test_estimate_serving_clips_concurrency_and_max_load(packaged_catalog):
    kwargs = {
        "precision": "fp8",
        "gpus_per_replica": 2,
        "input_tokens": 5000,
        "output_tokens": 500,
        "catalog": packaged_catalog,
    }
    model, gpu = "meta/llama-3.3-70b-instruct", "nvidia/h100-sxm"
    est = estimate_serving(model, gpu, concurrency=[1, 10, 1000], **kwargs)
    top = np.asarray(est.max_concurrency)[0]
    assert 10 < top < 1000
    np.testing.assert_array_equal(est.fits, [True, True, False])
    np.testing.assert_array_equal(est.concurrency, [1, 10, top])
    maximum = estimate_serving(model, gpu, concurrency=None, **kwargs)
    assert maximum.concurrency == min(top, MAX_LOAD_CONCURRENCY)
    assert maximum.output_tokens_per_s == pytest.approx(np.asarray(est.output_tokens_per_s)[2])


def test_estimate_serving_unknown_id(packaged_catalog):
    with pytest.raises(Exception, match="closest known"):
        estimate_serving(
            "meta/llama-3.1-8b",
            "nvidia/h100-sxm",
            input_tokens=1,
            output_tokens=1,
            concurrency=1,
            catalog=packaged_catalog,
        )


def test_efficiency_override_scales_memory_bound_speed(packaged_catalog):
    kwargs = {"input_tokens": 1, "output_tokens": 1000, "concurrency": 1}
    model, gpu = (
        packaged_catalog.open_model("meta/llama-3.1-8b-instruct"),
        packaged_catalog.gpu("nvidia/a100-40gb"),
    )
    slow = estimate_serving(model, gpu, efficiency=Efficiency(0.5, 0.4, 0.9), **kwargs)
    fast = estimate_serving(model, gpu, efficiency=Efficiency(0.5, 0.8, 0.9), **kwargs)
    assert fast.tpot_s == pytest.approx(slow.tpot_s / 2)


@settings(max_examples=40, deadline=None)
@given(
    n_in=st.integers(1, 8000),
    n_out=st.integers(1, 4000),
    low=st.integers(1, 300),
    extra=st.integers(0, 300),
)
def test_serving_concurrency_never_lowers_throughput(packaged_catalog, n_in, n_out, low, extra):
    est = estimate_serving(
        packaged_catalog.open_model("meta/llama-3.3-70b-instruct"),
        packaged_catalog.gpu("nvidia/h200"),
        precision="fp8",
        input_tokens=n_in,
        output_tokens=n_out,
        concurrency=[low, low + extra],
    )
    rates = np.asarray(est.output_tokens_per_s)
    assert (rates >= 0).all()
    assert rates[1] >= rates[0] * (1 - 1e-12)
