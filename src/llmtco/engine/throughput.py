"""Roofline estimates of serving speed: prefill time, decode step time, replica throughput.

Every step of a transformer is bounded by compute or by memory traffic, whichever is slower::

    time = max(FLOPs / (peak FLOPS x compute_efficiency),
               bytes moved / (memory bandwidth x memory_efficiency))

*Prefill* of ``n`` prompt tokens (per sequence, ``batch`` sequences at once) does
``2 x active_params x n x batch`` FLOPs of matrix products plus ``2 x attention_width x n^2 x
batch`` of causal attention, and reads the weights once. A *decode step* at batch ``b`` and
context ``c`` does ``2 x active_params x b + 4 x attention_width x c x b`` FLOPs and reads the
weights plus ``b x c x kv_bytes_per_token`` of KV cache. Prefill is usually compute-bound and
decode memory-bound.

Approximations (documented choices)
-----------------------------------
- **Tensor parallelism** over ``g`` GPUs multiplies both the peak FLOPS and the bandwidth by
  ``g x tp_efficiency ** log2(g)``: a flat loss per doubling of the degree for the all-reduces
  (one GPU loses nothing; 8 GPUs with 0.9 per doubling give 8 x 0.729 = 5.8 GPUs' worth).
- **Mixture-of-experts**: compute uses the active parameters. The weights read by a step that
  processes ``t`` tokens are ``total x (1 - (1 - active/total) ** t)``: the expected share of
  the weights touched if each token touches a random ``active/total`` share independently. One
  token reads the active weights; a large batch reads them all. Dense models (active = total)
  always read all of them.
- **Precision** sets the bytes per parameter and the peak FLOPS, see :func:`compute_tflops`.
- **Steady state** of a replica at ``concurrency`` requests, each with ``input_tokens`` in and
  ``output_tokens`` out (see :func:`output_tokens_per_s`): a cohort of ``concurrency`` requests
  is prefilled in one batch, then decoded for ``output_tokens`` steps at a mean context of
  ``input_tokens + output_tokens / 2``. Queueing, scheduling gaps, chunked-prefill overlap,
  speculative decoding and length variance are not modelled; the efficiency factors absorb
  them on average.

Throughput units: FLOPS in [TFLOPS] = 1e12 FLOP/s, bandwidth in [GB/s] with GB = 1e9 bytes,
parameters in [1e9 parameters].

Default efficiencies
--------------------
The defaults :data:`COMPUTE_EFFICIENCY`, :data:`MEMORY_EFFICIENCY` and :data:`TP_EFFICIENCY`
were calibrated offline against the measured serving profiles of the packaged catalog
(``llmtco.serving.calibration_table`` shows the result); see the comment at their definition.
"""

from __future__ import annotations

from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    check_in_range,
    check_non_negative,
    check_positive,
    scalar_or_array,
)
from llmtco.engine.memory import BYTES_PER_GB

__all__ = [
    "COMPUTE_EFFICIENCY",
    "MEMORY_EFFICIENCY",
    "TP_EFFICIENCY",
    "Efficiency",
    "compute_tflops",
    "decode_step_time_s",
    "output_tokens_per_s",
    "prefill_time_s",
    "tensor_parallel_scale",
    "tpot_s",
    "ttft_s",
    "weights_read_gb",
]

# Calibration (offline, not run at import). A grid search in steps of 0.01 over compute
# efficiency 0.40-1.00, memory efficiency 0.50-1.00 and TP efficiency per doubling 0.80-1.00
# (together with the max-load batch cap of llmtco.serving, tried at 128-2048) compared
# llmtco.serving.calibration_table with the 25 measured serving profiles of the packaged catalog,
# leaving out the one documented exception of tests/test_calibration.py (a ShareGPT run), and
# kept the point with the smallest largest |estimate / measured - 1|: 0.306 at (0.49, 0.58, 0.96)
# with a cap of 256. The memory efficiency is far below the ~0.9 of a bandwidth microbenchmark
# because it also absorbs what the roofline leaves out at large batch (attention kernels reading
# KV cache, scheduling, sampling); single-request decode is therefore underestimated by ~25%.
COMPUTE_EFFICIENCY: Final[float] = 0.49
"""Default share of peak tensor FLOPS reached [-]."""
MEMORY_EFFICIENCY: Final[float] = 0.58
"""Default share of peak memory bandwidth reached [-]."""
TP_EFFICIENCY: Final[float] = 0.96
"""Default scaling efficiency per doubling of the tensor-parallel degree [-]."""

_LOW_PRECISIONS: Final[frozenset[str]] = frozenset({"fp8", "int8", "fp4", "int4"})
_PRECISIONS: Final[tuple[str, ...]] = ("fp32", "bf16", "fp16", "fp8", "int8", "int4", "fp4")
_FLOPS_PER_TFLOPS: Final[float] = 1e12


class Efficiency(NamedTuple):
    """Efficiency factors of the roofline model (all in (0, 1])."""

    compute: float = COMPUTE_EFFICIENCY
    """Share of peak FLOPS reached [-]."""
    memory: float = MEMORY_EFFICIENCY
    """Share of peak memory bandwidth reached [-]."""
    tensor_parallel: float = TP_EFFICIENCY
    """Scaling efficiency per doubling of the tensor-parallel degree [-]."""


def _check_share(name: str, values: FloatArray) -> None:
    """Raise ``ValueError`` unless ``0 < values <= 1`` everywhere."""
    check_positive(name, values)
    check_in_range(name, values, 0.0, 1.0)


def compute_tflops(
    precision: str, bf16_tflops: npt.ArrayLike, fp8_tflops: npt.ArrayLike | None = None
) -> FloatOrArray:
    """Peak dense tensor throughput of a GPU at a precision [TFLOPS].

    ``fp8``, ``int8``, ``fp4`` and ``int4`` use ``fp8_tflops`` where given (``None`` or NaN
    means the GPU has no FP8 units) and ``bf16_tflops`` otherwise: 4-bit weights are taken to
    run on FP8 (or BF16) math, because the catalog records no FP4 figure, so FP4 speed-ups of
    newer GPUs are not credited. ``bf16`` and ``fp16`` use ``bf16_tflops``; ``fp32`` uses half
    of it (the TF32 tensor rate).

    Parameters
    ----------
    precision : str
        One of ``"fp32"``, ``"bf16"``, ``"fp16"``, ``"fp8"``, ``"int8"``, ``"int4"``, ``"fp4"``.
    bf16_tflops : array_like
        Dense BF16 throughput of one GPU [TFLOPS].
    fp8_tflops : array_like, optional
        Dense FP8 throughput of one GPU [TFLOPS].

    Returns
    -------
    float or numpy.ndarray
        Peak throughput of one GPU [TFLOPS].

    Examples
    --------
    >>> compute_tflops("fp8", 989.0, 1979.0), compute_tflops("fp8", 312.0)
    (1979.0, 312.0)
    """
    if precision not in _PRECISIONS:
        msg = f"unknown precision {precision!r}; expected one of {', '.join(_PRECISIONS)}"
        raise ValueError(msg)
    bf16 = as_float_array("bf16_tflops", bf16_tflops)
    check_positive("bf16_tflops", bf16)
    if precision == "fp32":
        return scalar_or_array(np.asarray(bf16 / 2.0))
    if precision not in _LOW_PRECISIONS or fp8_tflops is None:
        return scalar_or_array(bf16)
    fp8 = as_float_array("fp8_tflops", fp8_tflops)
    given = ~np.isnan(fp8)
    check_positive("fp8_tflops", fp8[given])
    return scalar_or_array(np.asarray(np.where(given, fp8, bf16)))


def tensor_parallel_scale(
    gpus_per_replica: npt.ArrayLike, tp_efficiency: npt.ArrayLike = TP_EFFICIENCY
) -> FloatOrArray:
    """GPUs' worth of speed a tensor-parallel replica delivers [GPUs].

    ``gpus_per_replica x tp_efficiency ** log2(gpus_per_replica)``.

    Parameters
    ----------
    gpus_per_replica : array_like
        Tensor-parallel degree [GPUs], >= 1.
    tp_efficiency : array_like, default TP_EFFICIENCY
        Efficiency kept per doubling of the degree [-], in (0, 1].

    Returns
    -------
    float or numpy.ndarray
        Effective number of GPUs [GPUs].

    Examples
    --------
    >>> tensor_parallel_scale(1), round(tensor_parallel_scale(8, 0.9), 3)
    (1.0, 5.832)
    """
    gpus = as_float_array("gpus_per_replica", gpus_per_replica)
    efficiency = as_float_array("tp_efficiency", tp_efficiency)
    check_in_range("gpus_per_replica", gpus, 1.0, np.inf)
    _check_share("tp_efficiency", efficiency)
    return scalar_or_array(np.asarray(gpus * efficiency ** np.log2(gpus)))


def weights_read_gb(
    total_params_billion: npt.ArrayLike,
    active_params_billion: npt.ArrayLike,
    tokens: npt.ArrayLike,
    bytes_per_param: npt.ArrayLike = 2.0,
) -> FloatOrArray:
    """Weights one forward step reads from memory [GB].

    ``total x (1 - (1 - active/total) ** tokens) x bytes_per_param``: all weights for a dense
    model; for mixture-of-experts the active share at one token, rising towards all experts as
    the step processes more tokens.

    Parameters
    ----------
    total_params_billion : array_like
        All parameters [1e9 parameters].
    active_params_billion : array_like
        Parameters used per token (= total for a dense model) [1e9 parameters].
    tokens : array_like
        Tokens processed by the step (the batch, for a decode step) [tokens], >= 1.
    bytes_per_param : array_like, default 2.0
        Storage of one weight [bytes].

    Returns
    -------
    float or numpy.ndarray
        Bytes read [GB], GB = 1e9 bytes.

    Examples
    --------
    Qwen3-30B-A3B (30.5B total, 3.3B active) in BF16 at 1 and at 64 tokens:

    >>> weights_read_gb(30.5, 3.3, 1), round(weights_read_gb(30.5, 3.3, 64), 1)
    (6.6, 61.0)
    """
    total, active = _params(total_params_billion, active_params_billion)
    count = as_float_array("tokens", tokens)
    bytes_each = as_float_array("bytes_per_param", bytes_per_param)
    check_in_range("tokens", count, 1.0, np.inf)
    check_positive("bytes_per_param", bytes_each)
    return scalar_or_array(_weights_read_gb(total, active, count, bytes_each))


def _params(
    total_params_billion: npt.ArrayLike, active_params_billion: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    total = as_float_array("total_params_billion", total_params_billion)
    active = as_float_array("active_params_billion", active_params_billion)
    check_positive("total_params_billion", total)
    check_positive("active_params_billion", active)
    if np.any(active > total * (1.0 + 1e-12)):
        msg = (
            f"active_params_billion must not exceed total_params_billion; got {active!r} "
            f"active and {total!r} total"
        )
        raise ValueError(msg)
    return total, active


def _weights_read_gb(
    total: FloatArray, active: FloatArray, tokens: FloatArray, bytes_each: FloatArray
) -> FloatArray:
    untouched = np.clip(1.0 - active / total, 0.0, 1.0)
    return np.asarray(total * (1.0 - untouched**tokens) * bytes_each)


class _Replica(NamedTuple):
    """Effective FLOP/s and byte/s of one replica, after efficiencies and tensor parallelism."""

    flop_per_s: FloatArray
    byte_per_s: FloatArray


def _replica(
    gpu_tflops: npt.ArrayLike,
    gpu_memory_bandwidth_gb_per_s: npt.ArrayLike,
    gpus_per_replica: npt.ArrayLike,
    compute_efficiency: npt.ArrayLike,
    memory_efficiency: npt.ArrayLike,
    tp_efficiency: npt.ArrayLike,
) -> _Replica:
    tflops = as_float_array("gpu_tflops", gpu_tflops)
    bandwidth = as_float_array("gpu_memory_bandwidth_gb_per_s", gpu_memory_bandwidth_gb_per_s)
    compute = as_float_array("compute_efficiency", compute_efficiency)
    memory = as_float_array("memory_efficiency", memory_efficiency)
    check_positive("gpu_tflops", tflops)
    check_positive("gpu_memory_bandwidth_gb_per_s", bandwidth)
    _check_share("compute_efficiency", compute)
    _check_share("memory_efficiency", memory)
    scale = as_float_array("gpus", tensor_parallel_scale(gpus_per_replica, tp_efficiency))
    return _Replica(
        flop_per_s=tflops * _FLOPS_PER_TFLOPS * compute * scale,
        byte_per_s=bandwidth * BYTES_PER_GB * memory * scale,
    )


def _common(
    attention_width: npt.ArrayLike, bytes_per_param: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    width = as_float_array("attention_width", attention_width)
    bytes_each = as_float_array("bytes_per_param", bytes_per_param)
    check_non_negative("attention_width", width)
    check_positive("bytes_per_param", bytes_each)
    return width, bytes_each


def prefill_time_s(
    total_params_billion: npt.ArrayLike,
    active_params_billion: npt.ArrayLike,
    prompt_tokens: npt.ArrayLike,
    gpu_tflops: npt.ArrayLike,
    gpu_memory_bandwidth_gb_per_s: npt.ArrayLike,
    *,
    batch: npt.ArrayLike = 1,
    bytes_per_param: npt.ArrayLike = 2.0,
    kv_bytes_per_token: npt.ArrayLike = 0.0,
    attention_width: npt.ArrayLike = 0.0,
    gpus_per_replica: npt.ArrayLike = 1,
    compute_efficiency: npt.ArrayLike = COMPUTE_EFFICIENCY,
    memory_efficiency: npt.ArrayLike = MEMORY_EFFICIENCY,
    tp_efficiency: npt.ArrayLike = TP_EFFICIENCY,
) -> FloatOrArray:
    """Time to prefill ``batch`` prompts of ``prompt_tokens`` each in one pass [s].

    FLOPs ``= batch x (2 x active_params x prompt_tokens + 2 x attention_width x
    prompt_tokens**2)``; bytes ``=`` weights read (see :func:`weights_read_gb`) ``+ batch x
    prompt_tokens x kv_bytes_per_token`` written; time is the roofline maximum of the two.

    Parameters
    ----------
    total_params_billion, active_params_billion : array_like
        All and per-token parameters (equal for dense models) [1e9 parameters].
    prompt_tokens : array_like
        Prompt length of each sequence [tokens], > 0.
    gpu_tflops : array_like
        Peak dense throughput of one GPU at the precision, see :func:`compute_tflops` [TFLOPS].
    gpu_memory_bandwidth_gb_per_s : array_like
        Memory bandwidth of one GPU [GB/s].
    batch : array_like, default 1
        Sequences prefilled together [sequences], > 0.
    bytes_per_param : array_like, default 2.0
        Storage of one weight [bytes].
    kv_bytes_per_token : array_like, default 0.0
        KV cache written per token, 0 to ignore it [bytes/token].
    attention_width : array_like, default 0.0
        ``layers x query_heads x head_dim`` for the attention FLOPs, 0 to ignore them [-].
    gpus_per_replica : array_like, default 1
        Tensor-parallel degree [GPUs].
    compute_efficiency, memory_efficiency, tp_efficiency : array_like
        Efficiency factors [-], in (0, 1]; defaults are the calibrated module constants.

    Returns
    -------
    float or numpy.ndarray
        Prefill time [s].

    Examples
    --------
    A 1,000-token prompt through an 8B dense model on a 1,000 TFLOPS GPU at full efficiency:
    16 TFLOP take 16 ms (compute-bound; the 16 GB of weights take 8 ms at 2,000 GB/s).

    >>> round(prefill_time_s(8.0, 8.0, 1000, 1000.0, 2000.0, compute_efficiency=1.0,
    ...                      memory_efficiency=1.0), 4)
    0.016
    """
    total, active = _params(total_params_billion, active_params_billion)
    prompt = as_float_array("prompt_tokens", prompt_tokens)
    sequences = as_float_array("batch", batch)
    kv_bytes = as_float_array("kv_bytes_per_token", kv_bytes_per_token)
    width, bytes_each = _common(attention_width, bytes_per_param)
    check_positive("prompt_tokens", prompt)
    check_positive("batch", sequences)
    check_non_negative("kv_bytes_per_token", kv_bytes)
    replica = _replica(
        gpu_tflops,
        gpu_memory_bandwidth_gb_per_s,
        gpus_per_replica,
        compute_efficiency,
        memory_efficiency,
        tp_efficiency,
    )
    return scalar_or_array(
        _prefill_s(total, active, prompt, sequences, kv_bytes, width, bytes_each, replica)
    )


def _prefill_s(
    total: FloatArray,
    active: FloatArray,
    prompt: FloatArray,
    sequences: FloatArray,
    kv_bytes: FloatArray,
    width: FloatArray,
    bytes_each: FloatArray,
    replica: _Replica,
) -> FloatArray:
    tokens = sequences * prompt
    flops = 2.0 * active * 1e9 * tokens + 2.0 * width * prompt**2 * sequences
    moved = (
        _weights_read_gb(total, active, np.maximum(tokens, 1.0), bytes_each) * BYTES_PER_GB
        + tokens * kv_bytes
    )
    return np.asarray(np.maximum(flops / replica.flop_per_s, moved / replica.byte_per_s))


def _decode_s(
    total: FloatArray,
    active: FloatArray,
    sequences: FloatArray,
    context: FloatArray,
    kv_bytes: FloatArray,
    width: FloatArray,
    bytes_each: FloatArray,
    replica: _Replica,
) -> FloatArray:
    flops = sequences * (2.0 * active * 1e9 + 4.0 * width * context)
    moved = (
        _weights_read_gb(total, active, np.maximum(sequences, 1.0), bytes_each) * BYTES_PER_GB
        + sequences * context * kv_bytes
    )
    return np.asarray(np.maximum(flops / replica.flop_per_s, moved / replica.byte_per_s))


def decode_step_time_s(
    total_params_billion: npt.ArrayLike,
    active_params_billion: npt.ArrayLike,
    batch: npt.ArrayLike,
    context_tokens: npt.ArrayLike,
    kv_bytes_per_token: npt.ArrayLike,
    gpu_tflops: npt.ArrayLike,
    gpu_memory_bandwidth_gb_per_s: npt.ArrayLike,
    *,
    bytes_per_param: npt.ArrayLike = 2.0,
    attention_width: npt.ArrayLike = 0.0,
    gpus_per_replica: npt.ArrayLike = 1,
    compute_efficiency: npt.ArrayLike = COMPUTE_EFFICIENCY,
    memory_efficiency: npt.ArrayLike = MEMORY_EFFICIENCY,
    tp_efficiency: npt.ArrayLike = TP_EFFICIENCY,
) -> FloatOrArray:
    """Time of one decode step, which emits one token for each of ``batch`` sequences [s].

    FLOPs ``= batch x (2 x active_params + 4 x attention_width x context_tokens)``; bytes ``=``
    weights read (see :func:`weights_read_gb`) ``+ batch x context_tokens x
    kv_bytes_per_token``; time is the roofline maximum of the two.

    Parameters
    ----------
    total_params_billion, active_params_billion : array_like
        All and per-token parameters (equal for dense models) [1e9 parameters].
    batch : array_like
        Sequences decoded together [sequences], > 0.
    context_tokens : array_like
        Tokens already in each sequence's KV cache [tokens].
    kv_bytes_per_token : array_like
        KV cache per token, see :func:`llmtco.engine.memory.kv_cache_bytes_per_token`
        [bytes/token].
    gpu_tflops : array_like
        Peak dense throughput of one GPU at the precision [TFLOPS].
    gpu_memory_bandwidth_gb_per_s : array_like
        Memory bandwidth of one GPU [GB/s].
    bytes_per_param : array_like, default 2.0
        Storage of one weight [bytes].
    attention_width : array_like, default 0.0
        ``layers x query_heads x head_dim`` for the attention FLOPs, 0 to ignore them [-].
    gpus_per_replica : array_like, default 1
        Tensor-parallel degree [GPUs].
    compute_efficiency, memory_efficiency, tp_efficiency : array_like
        Efficiency factors [-], in (0, 1]; defaults are the calibrated module constants.

    Returns
    -------
    float or numpy.ndarray
        Step time [s]; ``batch / step time`` is the decode rate [tokens/s].

    Examples
    --------
    Llama-3.1-8B in BF16 (16.06 GB) at batch 1 on an A100 40GB (1,555 GB/s) at full
    efficiency: about 10.4 ms per token, the 97 tokens/s bandwidth roofline.

    >>> step = decode_step_time_s(8.03, 8.03, 1, 1024, 131072, 312.0, 1555.0,
    ...                           compute_efficiency=1.0, memory_efficiency=1.0)
    >>> round(step * 1000, 2), round(1 / step)
    (10.41, 96)
    """
    total, active = _params(total_params_billion, active_params_billion)
    sequences = as_float_array("batch", batch)
    context = as_float_array("context_tokens", context_tokens)
    kv_bytes = as_float_array("kv_bytes_per_token", kv_bytes_per_token)
    width, bytes_each = _common(attention_width, bytes_per_param)
    check_positive("batch", sequences)
    check_non_negative("context_tokens", context)
    check_non_negative("kv_bytes_per_token", kv_bytes)
    replica = _replica(
        gpu_tflops,
        gpu_memory_bandwidth_gb_per_s,
        gpus_per_replica,
        compute_efficiency,
        memory_efficiency,
        tp_efficiency,
    )
    return scalar_or_array(
        _decode_s(total, active, sequences, context, kv_bytes, width, bytes_each, replica)
    )


def output_tokens_per_s(
    total_params_billion: npt.ArrayLike,
    active_params_billion: npt.ArrayLike,
    input_tokens: npt.ArrayLike,
    output_tokens: npt.ArrayLike,
    concurrency: npt.ArrayLike,
    kv_bytes_per_token: npt.ArrayLike,
    gpu_tflops: npt.ArrayLike,
    gpu_memory_bandwidth_gb_per_s: npt.ArrayLike,
    *,
    bytes_per_param: npt.ArrayLike = 2.0,
    attention_width: npt.ArrayLike = 0.0,
    gpus_per_replica: npt.ArrayLike = 1,
    compute_efficiency: npt.ArrayLike = COMPUTE_EFFICIENCY,
    memory_efficiency: npt.ArrayLike = MEMORY_EFFICIENCY,
    tp_efficiency: npt.ArrayLike = TP_EFFICIENCY,
) -> FloatOrArray:
    """Sustained output throughput of one replica serving ``concurrency`` requests [tokens/s].

    Steady-state model: requests arrive in cohorts of ``concurrency``. A cohort is prefilled in
    one batch (:func:`prefill_time_s`), then decoded for ``output_tokens`` steps at batch
    ``concurrency`` and the mean context ``input_tokens + output_tokens / 2``
    (:func:`decode_step_time_s`)::

        throughput = concurrency x output_tokens / (prefill + output_tokens x decode_step)

    Memory is not checked here: whether the batch fits is the business of
    :func:`llmtco.engine.memory.memory_fit`. Queueing is not included.

    Parameters
    ----------
    total_params_billion, active_params_billion : array_like
        All and per-token parameters (equal for dense models) [1e9 parameters].
    input_tokens, output_tokens : array_like
        Prompt and generated length of each request [tokens], > 0.
    concurrency : array_like
        Requests in flight at once (the decode batch) [requests], > 0.
    kv_bytes_per_token : array_like
        KV cache per token [bytes/token].
    gpu_tflops : array_like
        Peak dense throughput of one GPU at the precision [TFLOPS].
    gpu_memory_bandwidth_gb_per_s : array_like
        Memory bandwidth of one GPU [GB/s].
    bytes_per_param : array_like, default 2.0
        Storage of one weight [bytes].
    attention_width : array_like, default 0.0
        ``layers x query_heads x head_dim`` for the attention FLOPs, 0 to ignore them [-].
    gpus_per_replica : array_like, default 1
        Tensor-parallel degree [GPUs].
    compute_efficiency, memory_efficiency, tp_efficiency : array_like
        Efficiency factors [-], in (0, 1]; defaults are the calibrated module constants.

    Returns
    -------
    float or numpy.ndarray
        Output tokens per second of the whole replica [tokens/s].

    Examples
    --------
    Llama-3.1-8B in FP8 on one H100 SXM, 1,000 tokens in and out, at 1 and 64 requests:

    >>> args = (8.03, 8.03, 1000, 1000)
    >>> gpu = (131072, 1979.0, 3350.0)
    >>> round(output_tokens_per_s(*args, 1, *gpu, bytes_per_param=1.0))
    235
    >>> round(output_tokens_per_s(*args, 64, *gpu, bytes_per_param=1.0))
    5485
    """
    total, active = _params(total_params_billion, active_params_billion)
    prompt = as_float_array("input_tokens", input_tokens)
    generated = as_float_array("output_tokens", output_tokens)
    sequences = as_float_array("concurrency", concurrency)
    kv_bytes = as_float_array("kv_bytes_per_token", kv_bytes_per_token)
    width, bytes_each = _common(attention_width, bytes_per_param)
    check_positive("input_tokens", prompt)
    check_positive("output_tokens", generated)
    check_positive("concurrency", sequences)
    check_non_negative("kv_bytes_per_token", kv_bytes)
    replica = _replica(
        gpu_tflops,
        gpu_memory_bandwidth_gb_per_s,
        gpus_per_replica,
        compute_efficiency,
        memory_efficiency,
        tp_efficiency,
    )
    prefill = _prefill_s(total, active, prompt, sequences, kv_bytes, width, bytes_each, replica)
    step = _decode_s(
        total, active, sequences, prompt + generated / 2.0, kv_bytes, width, bytes_each, replica
    )
    return scalar_or_array(np.asarray(sequences * generated / (prefill + generated * step)))


def ttft_s(
    total_params_billion: npt.ArrayLike,
    active_params_billion: npt.ArrayLike,
    input_tokens: npt.ArrayLike,
    gpu_tflops: npt.ArrayLike,
    gpu_memory_bandwidth_gb_per_s: npt.ArrayLike,
    *,
    bytes_per_param: npt.ArrayLike = 2.0,
    kv_bytes_per_token: npt.ArrayLike = 0.0,
    attention_width: npt.ArrayLike = 0.0,
    gpus_per_replica: npt.ArrayLike = 1,
    compute_efficiency: npt.ArrayLike = COMPUTE_EFFICIENCY,
    memory_efficiency: npt.ArrayLike = MEMORY_EFFICIENCY,
    tp_efficiency: npt.ArrayLike = TP_EFFICIENCY,
) -> FloatOrArray:
    """Time to first token: the prefill of one request alone, without queueing [s].

    Parameters
    ----------
    total_params_billion, active_params_billion : array_like
        All and per-token parameters (equal for dense models) [1e9 parameters].
    input_tokens : array_like
        Prompt length [tokens], > 0.
    gpu_tflops : array_like
        Peak dense throughput of one GPU at the precision [TFLOPS].
    gpu_memory_bandwidth_gb_per_s : array_like
        Memory bandwidth of one GPU [GB/s].
    bytes_per_param, kv_bytes_per_token, attention_width, gpus_per_replica : array_like
        As for :func:`prefill_time_s`.
    compute_efficiency, memory_efficiency, tp_efficiency : array_like
        Efficiency factors [-]; defaults are the calibrated module constants.

    Returns
    -------
    float or numpy.ndarray
        Time to first token [s].

    Examples
    --------
    Llama-3.3-70B in FP8 on two H100 SXM, a 5,000-token prompt (NIM measured 0.407 s):

    >>> round(ttft_s(70.6, 70.6, 5000, 1979.0, 3350.0, bytes_per_param=1.0,
    ...              attention_width=80 * 8192, gpus_per_replica=2), 3)
    0.397
    """
    return prefill_time_s(
        total_params_billion,
        active_params_billion,
        input_tokens,
        gpu_tflops,
        gpu_memory_bandwidth_gb_per_s,
        batch=1,
        bytes_per_param=bytes_per_param,
        kv_bytes_per_token=kv_bytes_per_token,
        attention_width=attention_width,
        gpus_per_replica=gpus_per_replica,
        compute_efficiency=compute_efficiency,
        memory_efficiency=memory_efficiency,
        tp_efficiency=tp_efficiency,
    )


def tpot_s(
    total_params_billion: npt.ArrayLike,
    active_params_billion: npt.ArrayLike,
    input_tokens: npt.ArrayLike,
    output_tokens: npt.ArrayLike,
    concurrency: npt.ArrayLike,
    kv_bytes_per_token: npt.ArrayLike,
    gpu_tflops: npt.ArrayLike,
    gpu_memory_bandwidth_gb_per_s: npt.ArrayLike,
    *,
    bytes_per_param: npt.ArrayLike = 2.0,
    attention_width: npt.ArrayLike = 0.0,
    gpus_per_replica: npt.ArrayLike = 1,
    compute_efficiency: npt.ArrayLike = COMPUTE_EFFICIENCY,
    memory_efficiency: npt.ArrayLike = MEMORY_EFFICIENCY,
    tp_efficiency: npt.ArrayLike = TP_EFFICIENCY,
) -> FloatOrArray:
    """Time per output token: the decode step at ``concurrency`` and the mean context [s].

    The mean context is ``input_tokens + output_tokens / 2``; prefills interleaved with the
    decode steps of other requests are not included.

    Parameters
    ----------
    total_params_billion, active_params_billion : array_like
        All and per-token parameters (equal for dense models) [1e9 parameters].
    input_tokens, output_tokens : array_like
        Prompt and generated length of each request [tokens].
    concurrency : array_like
        Requests decoded together [requests], > 0.
    kv_bytes_per_token : array_like
        KV cache per token [bytes/token].
    gpu_tflops : array_like
        Peak dense throughput of one GPU at the precision [TFLOPS].
    gpu_memory_bandwidth_gb_per_s : array_like
        Memory bandwidth of one GPU [GB/s].
    bytes_per_param, attention_width, gpus_per_replica : array_like
        As for :func:`decode_step_time_s`.
    compute_efficiency, memory_efficiency, tp_efficiency : array_like
        Efficiency factors [-]; defaults are the calibrated module constants.

    Returns
    -------
    float or numpy.ndarray
        Time per output token [s].

    Examples
    --------
    Llama-3.3-70B in FP8 on two H100 SXM at concurrency 1, 5,000 in / 500 out (NIM measured
    18.6 ms):

    >>> round(tpot_s(70.6, 70.6, 5000, 500, 1, 327680, 1979.0, 3350.0, bytes_per_param=1.0,
    ...              gpus_per_replica=2) * 1000, 1)
    19.4
    """
    prompt = as_float_array("input_tokens", input_tokens)
    generated = as_float_array("output_tokens", output_tokens)
    check_positive("input_tokens", prompt)
    check_positive("output_tokens", generated)
    return decode_step_time_s(
        total_params_billion,
        active_params_billion,
        concurrency,
        prompt + generated / 2.0,
        kv_bytes_per_token,
        gpu_tflops,
        gpu_memory_bandwidth_gb_per_s,
        bytes_per_param=bytes_per_param,
        attention_width=attention_width,
        gpus_per_replica=gpus_per_replica,
        compute_efficiency=compute_efficiency,
        memory_efficiency=memory_efficiency,
        tp_efficiency=tp_efficiency,
    )
