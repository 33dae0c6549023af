import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine.memory import (
    BYTES_PER_PARAM,
    bytes_per_param,
    kv_cache_bytes_per_token,
    memory_fit,
    min_gpus_per_replica,
    weights_gb,
)

# Llama-3.1-70B: 70.6B parameters, 80 layers, 8 KV heads of width 128.
LLAMA_70B = (70.6, 80, 8, 128)


def test_bytes_per_param_known_and_unknown():
    assert bytes_per_param("fp32") == 4.0
    assert bytes_per_param("bf16") == bytes_per_param("fp16") == 2.0
    assert bytes_per_param("fp8") == bytes_per_param("int8") == 1.0
    assert bytes_per_param("int4") == bytes_per_param("fp4") == 0.5
    with pytest.raises(ValueError, match=r"unknown precision 'fp12'.*fp32, bf16, fp16, fp8"):
        bytes_per_param("fp12")


def test_weights_gb_uses_decimal_gigabytes():
    # 8.03e9 parameters x 2 bytes = 16.06e9 bytes = 16.06 GB (GB = 1e9 bytes).
    assert weights_gb(8.03, "bf16") == pytest.approx(16.06)
    np.testing.assert_allclose(weights_gb([1.0, 2.0], "int4"), [0.5, 1.0])
    with pytest.raises(ValueError, match="params_billion"):
        weights_gb(-1.0, "bf16")


def test_kv_cache_per_token_llama():
    # 2 x 32 layers x 8 heads x 128 x 2 bytes = 131,072 bytes = 128 KiB.
    assert kv_cache_bytes_per_token(32, 8, 128) == 131072.0
    # 2 x 80 x 8 x 128 x 2 = 327,680 bytes = 320 KiB.
    assert kv_cache_bytes_per_token(80, 8, 128) == 320 * 1024
    assert kv_cache_bytes_per_token(80, 8, 128, kv_bytes_per_value=1) == 160 * 1024
    with pytest.raises(ValueError, match="kv_heads"):
        kv_cache_bytes_per_token(32, 0, 128)


def test_llama_70b_bf16_does_not_fit_one_80gb_gpu():
    fit = memory_fit(
        *LLAMA_70B,
        80.0,
        precision="bf16",
        gpus_per_replica=1,
        context_tokens=8192,
        concurrency=1,
    )
    # Weights alone: 70.6 x 2 = 141.2 GB > 80 x 0.9 = 72 GB available.
    assert fit.weights_gb == pytest.approx(141.2)
    assert fit.available_gb == pytest.approx(72.0)
    assert fit.fits is False
    assert fit.max_concurrency == 0.0


def test_llama_70b_fp8_on_two_h100():
    # available = 2 GPUs x 80 GB x (1 - 0.1) = 144 GB
    # weights   = 70.6e9 params x 1 byte = 70.6 GB -> room for KV = 144 - 70.6 = 73.4 GB
    # KV/token  = 2 x 80 x 8 x 128 x 2 bytes = 327,680 bytes
    # per 8,192-token sequence: 8,192 x 327,680 = 2,684,354,560 bytes = 2.68435456 GB
    # max batch = floor(73.4 / 2.68435456) = floor(27.34...) = 27
    expected_max = 27
    args = {"precision": "fp8", "gpus_per_replica": 2, "context_tokens": 8192}
    fit = memory_fit(*LLAMA_70B, 80.0, concurrency=expected_max, **args)
    assert fit.fits is True
    assert fit.max_concurrency == expected_max
    assert fit.weights_gb == pytest.approx(70.6)
    assert fit.kv_cache_gb == pytest.approx(27 * 2.68435456)
    assert fit.needed_gb == pytest.approx(70.6 + 27 * 2.68435456)
    assert fit.available_gb == pytest.approx(144.0)
    over = memory_fit(*LLAMA_70B, 80.0, concurrency=expected_max + 1, **args)
    assert over.fits is False
    assert over.max_concurrency == expected_max


def test_memory_fit_broadcasts():
    fit = memory_fit(
        8.03,
        32,
        8,
        128,
        np.array([[24.0], [80.0]]),
        precision="bf16",
        gpus_per_replica=1,
        context_tokens=4096,
        concurrency=[1, 20, 100],
    )
    assert np.shape(fit.needed_gb) == (2, 3)
    assert np.shape(fit.weights_gb) == (2, 3)
    np.testing.assert_array_equal(fit.fits, [[True, False, False], [True, True, True]])
    # 24 GB: (21.6 - 16.06) / (4096 x 131072 / 1e9) = 5.54 / 0.536870912 = 10.3 -> 10.
    np.testing.assert_array_equal(np.asarray(fit.max_concurrency)[:, 0], [10.0, 104.0])


def test_memory_fit_validates_arguments():
    base = {"precision": "bf16", "gpus_per_replica": 1, "context_tokens": 1, "concurrency": 1}
    with pytest.raises(ValueError, match="gpu_memory_gb"):
        memory_fit(8.0, 32, 8, 128, 0.0, **base)
    with pytest.raises(ValueError, match="runtime_margin"):
        memory_fit(8.0, 32, 8, 128, 80.0, runtime_margin=1.0, **base)
    with pytest.raises(ValueError, match="unknown precision"):
        memory_fit(8.0, 32, 8, 128, 80.0, **{**base, "precision": "int3"})


def test_min_gpus_per_replica():
    # 8B BF16 fits one 24 GB GPU; 70B BF16 with 8 x 8k sequences needs 4 x 80 GB; FP8 needs 2.
    assert min_gpus_per_replica(8.03, 32, 8, 128, 24.0, precision="bf16", context_tokens=8192) == 1
    args = (*LLAMA_70B, 80.0)
    assert min_gpus_per_replica(*args, precision="bf16", context_tokens=8192, concurrency=8) == 4
    assert min_gpus_per_replica(*args, precision="fp8", context_tokens=8192, concurrency=8) == 2
    # 405B in BF16 (811.7 GB) does not fit 8 x 80 GB = 576 GB usable.
    assert min_gpus_per_replica(405.85, 126, 8, 128, 80.0, precision="bf16", context_tokens=1) == 0
    np.testing.assert_array_equal(
        # 80 GB: 70.6 + 2.68 GB > 72 GB usable -> 2 GPUs; 141 GB (H200): 1 GPU.
        min_gpus_per_replica(*LLAMA_70B, [80.0, 141.0], precision="fp8", context_tokens=8192),
        [2.0, 1.0],
    )


@given(
    params=st.floats(0.5, 500.0),
    memory=st.floats(16.0, 200.0),
    context=st.integers(1, 200_000),
    gpus=st.sampled_from([1, 2, 4, 8]),
    precision=st.sampled_from(sorted(BYTES_PER_PARAM)),
)
def test_max_concurrency_is_the_largest_fitting_batch(params, memory, context, gpus, precision):
    args = (params, 32, 8, 128, memory)
    kwargs = {"precision": precision, "gpus_per_replica": gpus, "context_tokens": context}
    top = memory_fit(*args, concurrency=0, **kwargs).max_concurrency
    assert top >= 0
    if top > 0:
        assert memory_fit(*args, concurrency=top, **kwargs).fits
    assert not memory_fit(*args, concurrency=top + 1, **kwargs).fits
