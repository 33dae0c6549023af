import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine.throughput import (
    COMPUTE_EFFICIENCY,
    MEMORY_EFFICIENCY,
    TP_EFFICIENCY,
    Efficiency,
    compute_tflops,
    decode_step_time_s,
    output_tokens_per_s,
    prefill_time_s,
    tensor_parallel_scale,
    tpot_s,
    ttft_s,
    weights_read_gb,
)

IDEAL = {"compute_efficiency": 1.0, "memory_efficiency": 1.0, "tp_efficiency": 1.0}


def test_defaults_are_the_calibrated_constants():
    assert Efficiency() == (COMPUTE_EFFICIENCY, MEMORY_EFFICIENCY, TP_EFFICIENCY)
    for value in Efficiency():
        assert 0 < value <= 1


def test_compute_tflops_by_precision():
    assert compute_tflops("bf16", 989.0, 1979.0) == 989.0
    assert compute_tflops("fp8", 989.0, 1979.0) == 1979.0
    assert compute_tflops("fp4", 2250.0, 4500.0) == 4500.0  # no FP4 figure: FP8 rate
    assert compute_tflops("int4", 312.0) == 312.0  # no FP8 units: BF16 rate
    assert compute_tflops("fp32", 312.0) == 156.0
    np.testing.assert_array_equal(
        compute_tflops("fp8", [312.0, 989.0], [np.nan, 1979.0]), [312.0, 1979.0]
    )
    with pytest.raises(ValueError, match=r"unknown precision 'e5m2'.*fp32, bf16"):
        compute_tflops("e5m2", 100.0)


def test_tensor_parallel_scale():
    assert tensor_parallel_scale(1, 0.5) == 1.0
    assert tensor_parallel_scale(2, 0.9) == pytest.approx(1.8)
    assert tensor_parallel_scale(8, 0.9) == pytest.approx(8 * 0.729)
    with pytest.raises(ValueError, match="tp_efficiency"):
        tensor_parallel_scale(2, 1.5)
    with pytest.raises(ValueError, match="gpus_per_replica"):
        tensor_parallel_scale(0.5)


def test_weights_read_dense_and_moe():
    assert weights_read_gb(8.0, 8.0, 1) == 16.0
    assert weights_read_gb(8.0, 8.0, 1000, bytes_per_param=1.0) == 8.0
    # MoE: one token reads the active weights, a huge batch all of them.
    assert weights_read_gb(30.0, 3.0, 1) == pytest.approx(6.0)
    assert weights_read_gb(30.0, 3.0, 10_000) == pytest.approx(60.0)
    # Two tokens: 30 x (1 - 0.9^2) = 5.7 B parameters -> 11.4 GB.
    assert weights_read_gb(30.0, 3.0, 2) == pytest.approx(11.4)
    with pytest.raises(ValueError, match="active_params_billion must not exceed"):
        weights_read_gb(3.0, 30.0, 1)


def test_prefill_hand_case():
    # 8B dense, 1,000 tokens, 1,000 TFLOPS, 2,000 GB/s, ideal efficiency:
    # compute 2 x 8e9 x 1000 = 1.6e13 FLOP / 1e15 = 16 ms; memory 16e9 B / 2e12 = 8 ms.
    assert prefill_time_s(8.0, 8.0, 1000, 1000.0, 2000.0, **IDEAL) == pytest.approx(0.016)
    # Batch 4 with attention width 32 x 4096: 4 x (1.6e13 + 2 x 131072 x 1e6) FLOP.
    flops = 4 * (1.6e13 + 2 * 131072 * 1000**2)
    assert prefill_time_s(
        8.0, 8.0, 1000, 1000.0, 2000.0, batch=4, attention_width=32 * 4096, **IDEAL
    ) == pytest.approx(flops / 1e15)
    # A 10-token prompt is memory-bound: 8 ms for the weights + 10 x 1e6 B of KV written.
    assert prefill_time_s(
        8.0, 8.0, 10, 1000.0, 2000.0, kv_bytes_per_token=1e6, **IDEAL
    ) == pytest.approx((16e9 + 1e7) / 2e12)


def test_decode_step_hand_case():
    # Batch 1: 16 GB of weights + 1,000 x 131,072 B of KV at 2,000 GB/s (memory-bound).
    expected = (16e9 + 1000 * 131072) / 2e12
    assert decode_step_time_s(8.0, 8.0, 1, 1000, 131072, 1000.0, 2000.0, **IDEAL) == (
        pytest.approx(expected)
    )
    # Batch 4,096 with no context is compute-bound: 2 x 8e9 x 4096 / 1e15 s.
    assert decode_step_time_s(8.0, 8.0, 4096, 0, 131072, 1000.0, 2000.0, **IDEAL) == (
        pytest.approx(2 * 8e9 * 4096 / 1e15)
    )
    # Efficiencies and tensor parallelism scale the rates: half the memory efficiency, 2 GPUs
    # at 0.9 per doubling -> bandwidth x 0.5 x 1.8.
    slowed = decode_step_time_s(
        8.0,
        8.0,
        1,
        1000,
        131072,
        1000.0,
        2000.0,
        gpus_per_replica=2,
        compute_efficiency=1.0,
        memory_efficiency=0.5,
        tp_efficiency=0.9,
    )
    assert slowed == pytest.approx(expected / (0.5 * 1.8))


def test_output_tokens_per_s_hand_case():
    # 1B dense BF16, 100 in / 10 out, concurrency 2, 100 TFLOPS, 1,000 GB/s, ideal efficiency.
    # prefill: compute 2 x 1e9 x 200 = 4e11 / 1e14 = 4 ms; memory 2e9 / 1e12 = 2 ms -> 4 ms.
    # decode at context 105: memory (2e9 + 2 x 105 x 1e5) / 1e12 = 2.021 ms;
    #   compute 2 x 1e9 x 2 / 1e14 = 0.04 ms -> 2.021 ms per step.
    # throughput = 2 x 10 / (0.004 + 10 x 0.002021) = 20 / 0.02421 = 826.1 tokens/s.
    rate = output_tokens_per_s(1.0, 1.0, 100, 10, 2, 1e5, 100.0, 1000.0, **IDEAL)
    assert rate == pytest.approx(20 / (0.004 + 10 * 0.002021))
    assert tpot_s(1.0, 1.0, 100, 10, 2, 1e5, 100.0, 1000.0, **IDEAL) == pytest.approx(0.002021)
    assert ttft_s(1.0, 1.0, 100, 100.0, 1000.0, **IDEAL) == pytest.approx(0.002)


def test_nim_single_request_latencies_are_close():
    # Llama-3.3-70B FP8 on 2 x H100 SXM, 5,000 in / 500 out, concurrency 1: NIM measured
    # TTFT 407 ms and 18.6 ms per output token.
    kwargs = {"bytes_per_param": 1.0, "attention_width": 80 * 8192, "gpus_per_replica": 2}
    first = ttft_s(70.6, 70.6, 5000, 1979.0, 3350.0, **kwargs)
    step = tpot_s(70.6, 70.6, 5000, 500, 1, 163840, 1979.0, 3350.0, **kwargs)
    assert first == pytest.approx(0.407, rel=0.35)
    assert step == pytest.approx(0.0186, rel=0.35)


def test_validation_names_the_argument():
    args = (8.0, 8.0, 100, 100, 1, 131072, 989.0, 3350.0)
    with pytest.raises(ValueError, match="concurrency"):
        output_tokens_per_s(*args[:4], 0, *args[5:])
    with pytest.raises(ValueError, match="gpu_memory_bandwidth_gb_per_s"):
        output_tokens_per_s(*args[:7], -1.0)
    with pytest.raises(ValueError, match="compute_efficiency"):
        output_tokens_per_s(*args, compute_efficiency=0.0)
    with pytest.raises(ValueError, match="output_tokens"):
        output_tokens_per_s(*args[:3], 0, *args[4:])


models = st.tuples(st.floats(0.5, 500.0), st.floats(0.05, 1.0)).map(
    lambda pair: (pair[0], pair[0] * pair[1])
)
lengths = st.integers(1, 20_000)
batches = st.integers(1, 1024)
tflops = st.floats(10.0, 5000.0)
bandwidths = st.floats(100.0, 10_000.0)
gpus = st.sampled_from([1, 2, 4, 8])


@given(models, lengths, lengths, batches, tflops, bandwidths, gpus)
def test_outputs_are_positive_and_finite(model, n_in, n_out, batch, peak, bandwidth, degree):
    total, active = model
    kwargs = {"gpus_per_replica": degree, "attention_width": 1e5}
    rate = output_tokens_per_s(total, active, n_in, n_out, batch, 1e5, peak, bandwidth, **kwargs)
    first = ttft_s(total, active, n_in, peak, bandwidth, **kwargs)
    step = tpot_s(total, active, n_in, n_out, batch, 1e5, peak, bandwidth, **kwargs)
    for value in (rate, first, step):
        assert math.isfinite(value)
        assert value > 0


@given(models, lengths, lengths, batches, tflops, bandwidths, st.floats(1.0, 10.0))
def test_more_bandwidth_is_never_slower(model, n_in, n_out, batch, peak, bandwidth, factor):
    total, active = model
    args = (total, active, n_in, n_out, batch, 1e5, peak)
    slow = output_tokens_per_s(*args, bandwidth)
    fast = output_tokens_per_s(*args, bandwidth * factor)
    assert fast >= slow * (1 - 1e-12)
    assert tpot_s(*args, bandwidth * factor) <= tpot_s(*args, bandwidth) * (1 + 1e-12)


@given(models, lengths, lengths, batches, st.integers(1, 512), tflops, bandwidths)
def test_more_concurrency_never_lowers_throughput(model, n_in, n_out, batch, extra, peak, bw):
    total, active = model
    low = output_tokens_per_s(total, active, n_in, n_out, batch, 1e5, peak, bw)
    high = output_tokens_per_s(total, active, n_in, n_out, batch + extra, 1e5, peak, bw)
    assert high >= low * (1 - 1e-12)


@given(
    st.lists(
        st.tuples(models, lengths, lengths, batches, tflops, bandwidths), min_size=1, max_size=6
    )
)
def test_vectorized_equals_scalar(cases):
    totals = np.array([c[0][0] for c in cases])
    actives = np.array([c[0][1] for c in cases])
    columns = [np.array([c[i] for c in cases], dtype=float) for i in range(1, 6)]
    n_in, n_out, batch, peak, bandwidth = columns
    vector = output_tokens_per_s(totals, actives, n_in, n_out, batch, 1e5, peak, bandwidth)
    steps = tpot_s(totals, actives, n_in, n_out, batch, 1e5, peak, bandwidth)
    firsts = ttft_s(totals, actives, n_in, peak, bandwidth)
    for i in range(len(cases)):
        scalar_args = (totals[i], actives[i], n_in[i], n_out[i], batch[i], 1e5)
        assert vector[i] == pytest.approx(
            output_tokens_per_s(*scalar_args, float(peak[i]), float(bandwidth[i]))
        )
        assert steps[i] == pytest.approx(tpot_s(*scalar_args, peak[i], bandwidth[i]))
        assert firsts[i] == pytest.approx(
            ttft_s(totals[i], actives[i], n_in[i], peak[i], bandwidth[i])
        )
    assert isinstance(output_tokens_per_s(8.0, 8.0, 10, 10, 1, 1e5, 100.0, 100.0), float)
