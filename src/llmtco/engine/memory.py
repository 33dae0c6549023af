"""GPU memory of a model replica: weights, KV cache, and whether (and how large a batch) fits.

Sizes are in gigabytes with **GB = 1e9 bytes** (the unit of GPU datasheets, not GiB). Parameter
counts are in billions [1e9 parameters], so ``params_billion x bytes_per_param`` is already [GB].

A replica spans ``gpus_per_replica`` GPUs with tensor parallelism, which splits both the weights
and the KV cache across them; a fraction ``runtime_margin`` of the memory is held back for
activations, CUDA graphs, the allocator and the framework itself.
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

__all__ = [
    "BYTES_PER_GB",
    "BYTES_PER_PARAM",
    "TENSOR_PARALLEL_DEGREES",
    "MemoryFit",
    "bytes_per_param",
    "kv_cache_bytes_per_token",
    "memory_fit",
    "min_gpus_per_replica",
    "weights_gb",
]

BYTES_PER_GB: Final[float] = 1e9
"""Bytes in one GB (decimal, as on GPU datasheets) [bytes/GB]."""

BYTES_PER_PARAM: Final[dict[str, float]] = {
    "fp32": 4.0,
    "bf16": 2.0,
    "fp16": 2.0,
    "fp8": 1.0,
    "int8": 1.0,
    "int4": 0.5,
    "fp4": 0.5,
}
"""Storage of one weight by precision [bytes] (quantization scales are ignored)."""

TENSOR_PARALLEL_DEGREES: Final[tuple[int, ...]] = (1, 2, 4, 8)
"""Tensor-parallel degrees tried by :func:`min_gpus_per_replica` (one 8-GPU node at most)."""

DEFAULT_RUNTIME_MARGIN: Final[float] = 0.1
"""Share of GPU memory held back for activations and the runtime [-]."""


def bytes_per_param(precision: str) -> float:
    """Storage of one weight at a precision [bytes].

    Parameters
    ----------
    precision : str
        One of ``"fp32"``, ``"bf16"``, ``"fp16"``, ``"fp8"``, ``"int8"``, ``"int4"``, ``"fp4"``.

    Returns
    -------
    float
        Bytes per parameter [bytes].

    Raises
    ------
    ValueError
        If ``precision`` is not a known name; the message lists the valid ones.

    Examples
    --------
    >>> bytes_per_param("bf16"), bytes_per_param("fp8"), bytes_per_param("int4")
    (2.0, 1.0, 0.5)
    """
    try:
        return BYTES_PER_PARAM[precision]
    except (KeyError, TypeError):
        msg = f"unknown precision {precision!r}; expected one of {', '.join(BYTES_PER_PARAM)}"
        raise ValueError(msg) from None


def weights_gb(params_billion: npt.ArrayLike, precision: str) -> FloatOrArray:
    """Memory taken by a model's weights [GB].

    Parameters
    ----------
    params_billion : array_like
        Parameters held in memory (all of them for mixture-of-experts) [1e9 parameters].
    precision : str
        Weight precision, see :func:`bytes_per_param`.

    Returns
    -------
    float or numpy.ndarray
        ``params_billion x bytes_per_param(precision)`` [GB], with GB = 1e9 bytes.

    Examples
    --------
    Llama-3.1-70B (70.6 billion parameters) in BF16 and in FP8:

    >>> weights_gb(70.6, "bf16"), weights_gb(70.6, "fp8")
    (141.2, 70.6)
    """
    params = as_float_array("params_billion", params_billion)
    check_non_negative("params_billion", params)
    return scalar_or_array(np.asarray(params * bytes_per_param(precision)))


def kv_cache_bytes_per_token(
    layers: npt.ArrayLike,
    kv_heads: npt.ArrayLike,
    head_dim: npt.ArrayLike,
    kv_bytes_per_value: npt.ArrayLike = 2,
) -> FloatOrArray:
    """KV cache one token occupies [bytes/token].

    ``2 (K and V) x layers x kv_heads x head_dim x kv_bytes_per_value``.

    Parameters
    ----------
    layers : array_like
        Transformer layers [-].
    kv_heads : array_like
        Key/value heads per layer (grouped-query attention) [-].
    head_dim : array_like
        Width of one head [-].
    kv_bytes_per_value : array_like, default 2
        Storage of one cached value: 2 for BF16/FP16, 1 for an FP8 KV cache [bytes].

    Returns
    -------
    float or numpy.ndarray
        Bytes of KV cache per token [bytes/token].

    Examples
    --------
    Llama-3.1-8B (32 layers) and Llama-3.1-70B (80 layers), both 8 KV heads of width 128, in
    BF16: 128 KiB and 320 KiB per token.

    >>> kv_cache_bytes_per_token(32, 8, 128), kv_cache_bytes_per_token(80, 8, 128) / 1024
    (131072.0, 320.0)
    """
    n_layers = as_float_array("layers", layers)
    heads = as_float_array("kv_heads", kv_heads)
    width = as_float_array("head_dim", head_dim)
    value_bytes = as_float_array("kv_bytes_per_value", kv_bytes_per_value)
    for name, values in (
        ("layers", n_layers),
        ("kv_heads", heads),
        ("head_dim", width),
        ("kv_bytes_per_value", value_bytes),
    ):
        check_positive(name, values)
    return scalar_or_array(np.asarray(2.0 * n_layers * heads * width * value_bytes))


class MemoryFit(NamedTuple):
    """Memory budget of one replica; each field broadcasts over the inputs of :func:`memory_fit`."""

    weights_gb: FloatOrArray
    """Weights [GB]."""
    kv_cache_gb: FloatOrArray
    """KV cache of ``concurrency`` sequences of ``context_tokens`` each [GB]."""
    needed_gb: FloatOrArray
    """``weights_gb + kv_cache_gb`` [GB]."""
    available_gb: FloatOrArray
    """``gpus_per_replica x gpu_memory_gb x (1 - runtime_margin)`` [GB]."""
    fits: bool | npt.NDArray[np.bool_]
    """Whether ``needed_gb <= available_gb``."""
    max_concurrency: FloatOrArray
    """Largest whole number of ``context_tokens``-long sequences that fits; 0 if the weights
    alone do not fit [sequences]."""


def _fit_arrays(
    params_billion: npt.ArrayLike,
    layers: npt.ArrayLike,
    kv_heads: npt.ArrayLike,
    head_dim: npt.ArrayLike,
    gpu_memory_gb: npt.ArrayLike,
    *,
    precision: str,
    gpus_per_replica: npt.ArrayLike,
    context_tokens: npt.ArrayLike,
    concurrency: npt.ArrayLike,
    kv_bytes_per_value: npt.ArrayLike,
    runtime_margin: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Weights, KV cache, available memory [GB] and max concurrency, as arrays."""
    weights = as_float_array("weights_gb", weights_gb(params_billion, precision))
    kv_per_token = as_float_array(
        "kv_cache_bytes_per_token",
        kv_cache_bytes_per_token(layers, kv_heads, head_dim, kv_bytes_per_value),
    )
    memory = as_float_array("gpu_memory_gb", gpu_memory_gb)
    gpus = as_float_array("gpus_per_replica", gpus_per_replica)
    context = as_float_array("context_tokens", context_tokens)
    batch = as_float_array("concurrency", concurrency)
    margin = as_float_array("runtime_margin", runtime_margin)
    check_positive("gpu_memory_gb", memory)
    check_positive("gpus_per_replica", gpus)
    check_positive("context_tokens", context)
    check_non_negative("concurrency", batch)
    check_in_range("runtime_margin", margin, 0.0, np.nextafter(1.0, 0.0))
    available = gpus * memory * (1.0 - margin)
    sequence_gb = context * kv_per_token / BYTES_PER_GB
    kv_cache = batch * sequence_gb
    # A relative tolerance keeps a batch that fits exactly on paper from losing one to rounding.
    room = (available - weights) / sequence_gb
    max_batch = np.maximum(np.floor(room * (1.0 + 1e-12)), 0.0)
    return weights, kv_cache, available, max_batch


def memory_fit(
    params_billion: npt.ArrayLike,
    layers: npt.ArrayLike,
    kv_heads: npt.ArrayLike,
    head_dim: npt.ArrayLike,
    gpu_memory_gb: npt.ArrayLike,
    *,
    precision: str,
    gpus_per_replica: npt.ArrayLike,
    context_tokens: npt.ArrayLike,
    concurrency: npt.ArrayLike,
    kv_bytes_per_value: npt.ArrayLike = 2,
    runtime_margin: npt.ArrayLike = DEFAULT_RUNTIME_MARGIN,
) -> MemoryFit:
    """Whether weights plus the KV cache of a batch fit in one replica's GPUs.

    ``needed = weights + concurrency x context_tokens x kv_bytes_per_token`` is compared with
    ``available = gpus_per_replica x gpu_memory_gb x (1 - runtime_margin)``. All sizes in GB of
    1e9 bytes.

    Parameters
    ----------
    params_billion : array_like
        Parameters held in memory (total, for mixture-of-experts) [1e9 parameters].
    layers, kv_heads, head_dim : array_like
        Architecture figures that set the KV cache, see :func:`kv_cache_bytes_per_token`.
    gpu_memory_gb : array_like
        Memory of one GPU [GB].
    precision : str
        Weight precision, see :func:`bytes_per_param`.
    gpus_per_replica : array_like
        GPUs one replica spans with tensor parallelism [GPUs].
    context_tokens : array_like
        Tokens cached per sequence (prompt plus output) [tokens].
    concurrency : array_like
        Sequences held at once [sequences].
    kv_bytes_per_value : array_like, default 2
        Storage of one cached value (2 for BF16, 1 for FP8) [bytes].
    runtime_margin : array_like, default 0.1
        Share of memory held back for activations and the runtime [-], in [0, 1).

    Returns
    -------
    MemoryFit
        ``weights_gb``, ``kv_cache_gb``, ``needed_gb``, ``available_gb`` [GB], ``fits`` (bool)
        and ``max_concurrency`` [sequences], each broadcast over the inputs.

    Examples
    --------
    Llama-3.1-8B in BF16 on one 80 GB GPU, 64 sequences of 4,096 tokens:

    >>> fit = memory_fit(8.03, 32, 8, 128, 80.0, precision="bf16", gpus_per_replica=1,
    ...                  context_tokens=4096, concurrency=64)
    >>> round(fit.weights_gb, 2), round(fit.kv_cache_gb, 2), round(fit.available_gb, 1)
    (16.06, 34.36, 72.0)
    >>> fit.fits, fit.max_concurrency
    (True, 104.0)
    """
    weights, kv_cache, available, max_batch = _fit_arrays(
        params_billion,
        layers,
        kv_heads,
        head_dim,
        gpu_memory_gb,
        precision=precision,
        gpus_per_replica=gpus_per_replica,
        context_tokens=context_tokens,
        concurrency=concurrency,
        kv_bytes_per_value=kv_bytes_per_value,
        runtime_margin=runtime_margin,
    )
    needed = weights + kv_cache
    weights, kv_cache, needed, available, max_batch = np.broadcast_arrays(
        weights, kv_cache, needed, available, max_batch
    )
    fits = np.asarray(needed <= available * (1.0 + 1e-12))
    return MemoryFit(
        weights_gb=scalar_or_array(np.array(weights)),
        kv_cache_gb=scalar_or_array(np.array(kv_cache)),
        needed_gb=scalar_or_array(np.array(needed)),
        available_gb=scalar_or_array(np.array(available)),
        fits=bool(fits) if fits.ndim == 0 else fits,
        max_concurrency=scalar_or_array(np.array(max_batch)),
    )


def min_gpus_per_replica(
    params_billion: npt.ArrayLike,
    layers: npt.ArrayLike,
    kv_heads: npt.ArrayLike,
    head_dim: npt.ArrayLike,
    gpu_memory_gb: npt.ArrayLike,
    *,
    precision: str,
    context_tokens: npt.ArrayLike,
    concurrency: npt.ArrayLike = 1,
    kv_bytes_per_value: npt.ArrayLike = 2,
    runtime_margin: npt.ArrayLike = DEFAULT_RUNTIME_MARGIN,
) -> FloatOrArray:
    """Smallest tensor-parallel degree (1, 2, 4 or 8 GPUs) whose memory holds the batch [GPUs].

    Parameters
    ----------
    params_billion, layers, kv_heads, head_dim, gpu_memory_gb : array_like
        As for :func:`memory_fit`.
    precision : str
        Weight precision, see :func:`bytes_per_param`.
    context_tokens : array_like
        Tokens cached per sequence [tokens].
    concurrency : array_like, default 1
        Sequences that must fit at once [sequences].
    kv_bytes_per_value : array_like, default 2
        Storage of one cached value [bytes].
    runtime_margin : array_like, default 0.1
        Share of memory held back [-].

    Returns
    -------
    float or numpy.ndarray
        GPUs per replica, or 0 where even 8 GPUs are not enough [GPUs].

    Examples
    --------
    Llama-3.1-70B with eight 8,192-token sequences on 80 GB GPUs: 4 in BF16, 2 in FP8.

    >>> args = (70.6, 80, 8, 128, 80.0)
    >>> min_gpus_per_replica(*args, precision="bf16", context_tokens=8192, concurrency=8)
    4.0
    >>> min_gpus_per_replica(*args, precision="fp8", context_tokens=8192, concurrency=8)
    2.0
    >>> min_gpus_per_replica(405.85, 126, 8, 128, 24.0, precision="bf16", context_tokens=8192)
    0.0
    """
    result: FloatArray = np.zeros(())
    for degree in reversed(TENSOR_PARALLEL_DEGREES):
        fit = memory_fit(
            params_billion,
            layers,
            kv_heads,
            head_dim,
            gpu_memory_gb,
            precision=precision,
            gpus_per_replica=degree,
            context_tokens=context_tokens,
            concurrency=concurrency,
            kv_bytes_per_value=kv_bytes_per_value,
            runtime_margin=runtime_margin,
        )
        result = np.where(np.asarray(fit.fits), float(degree), result)
    return scalar_or_array(np.asarray(result, dtype=np.float64))
