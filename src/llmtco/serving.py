"""Estimated serving speed of an open model on a GPU, and its check against measured profiles.

:func:`estimate_serving` joins the memory model (:mod:`llmtco.engine.memory`) and the roofline
throughput model (:mod:`llmtco.engine.throughput`) for a catalog model and GPU. It is an
*estimate* (``source="estimate"``); a measured :class:`~llmtco.models.serving.ServingProfile`
is better evidence where one exists. :func:`calibration_table` compares the two for every
measured profile of a catalog.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from llmtco.catalog import Catalog, load_catalog
from llmtco.engine._arrays import FloatOrArray, as_float_array, check_positive, scalar_or_array
from llmtco.engine.memory import bytes_per_param, kv_cache_bytes_per_token, memory_fit
from llmtco.engine.throughput import Efficiency, compute_tflops
from llmtco.engine.throughput import output_tokens_per_s as _output_tokens_per_s
from llmtco.engine.throughput import tpot_s as _tpot_s
from llmtco.engine.throughput import ttft_s as _ttft_s
from llmtco.models.hardware import GpuSpec
from llmtco.models.serving import OpenModel, ServingProfile

__all__ = [
    "MAX_LOAD_CONCURRENCY",
    "ServingEstimate",
    "calibration_table",
    "closest_profile",
    "estimate_serving",
]

MAX_LOAD_CONCURRENCY: Final[int] = 256
"""Batch assumed for a "maximum load" run (``concurrency=None``): the largest batch whose KV
cache fits, capped at this many requests [requests]. Serving engines cap their batch
(scheduler limits, latency), and beyond a few hundred sequences the estimate would credit
compute-bound speed that the measured anchors do not reach."""

_FP8_KV_PRECISIONS: Final[frozenset[str]] = frozenset({"fp8", "fp4"})


@dataclass(frozen=True)
class ServingEstimate:
    """Estimated speed and memory of one model replica; array fields broadcast over the inputs.

    Where even the weights do not fit (``max_concurrency == 0``) the throughput is 0 and the
    latencies are NaN.
    """

    model: str
    """Id of the model."""
    gpu: str
    """Id of the GPU."""
    precision: str
    """Weight precision."""
    output_tokens_per_s: FloatOrArray
    """Sustained output throughput of the whole replica [tokens/s]."""
    ttft_s: FloatOrArray
    """Time to first token of one request, without queueing [s]."""
    tpot_s: FloatOrArray
    """Time per output token at the batch served [s]."""
    fits: bool | npt.NDArray[np.bool_]
    """Whether the requested concurrency (at ``input + output`` tokens each) fits in memory;
    for ``concurrency=None``, whether one request fits."""
    concurrency: FloatOrArray
    """Batch the estimate is for: the requested concurrency clipped to ``max_concurrency``
    (a server queues the rest), or the max-load batch for ``concurrency=None`` [requests]."""
    max_concurrency: FloatOrArray
    """Largest batch of ``input + output``-token requests that fits [requests]."""
    weights_gb: FloatOrArray
    """Weights of the replica [GB], GB = 1e9 bytes."""
    kv_cache_gb: FloatOrArray
    """KV cache of the batch served, at full length [GB]."""
    source: Literal["estimate"] = "estimate"
    """Always ``"estimate"``, to tell it from a measured profile."""


def _resolve(
    model: str | OpenModel, gpu: str | GpuSpec, catalog: Catalog | None
) -> tuple[OpenModel, GpuSpec]:
    if isinstance(model, OpenModel) and isinstance(gpu, GpuSpec):
        return model, gpu
    found = catalog if catalog is not None else load_catalog()
    return (
        model if isinstance(model, OpenModel) else found.open_model(model),
        gpu if isinstance(gpu, GpuSpec) else found.gpu(gpu),
    )


def closest_profile(
    profiles: Iterable[ServingProfile], input_tokens: float, output_tokens: float
) -> ServingProfile | None:
    """The measured profile whose request lengths are closest to a workload's, or None.

    Distance is ``|ln(input / input_p)| + |ln(output / output_p)|``; ties go to the smaller id.
    Callers filter the profiles first (model, GPU, precision, GPUs per replica).

    Parameters
    ----------
    profiles : iterable of ServingProfile
        Candidate measurements.
    input_tokens, output_tokens : float
        The workload's mean request lengths [tokens/request], > 0.

    Examples
    --------
    >>> import llmtco
    >>> catalog = llmtco.load_catalog()
    >>> profiles = [catalog.serving_profile(i) for i in catalog.ids("serving_profiles")]
    >>> seventy_b = [p for p in profiles if p.model == "meta/llama-3.3-70b-instruct"
    ...              and p.gpu == "nvidia/h100-sxm"]
    >>> closest_profile(seventy_b, 4000, 400).id
    'meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-nim-5000-500'
    """
    return min(
        profiles,
        key=lambda p: (
            abs(math.log(p.input_tokens / input_tokens))
            + abs(math.log(p.output_tokens / output_tokens)),
            p.id,
        ),
        default=None,
    )


def estimate_serving(
    model: str | OpenModel,
    gpu: str | GpuSpec,
    *,
    precision: str = "bf16",
    gpus_per_replica: npt.ArrayLike = 1,
    input_tokens: npt.ArrayLike,
    output_tokens: npt.ArrayLike,
    concurrency: npt.ArrayLike | None,
    kv_bytes_per_value: npt.ArrayLike | None = None,
    catalog: Catalog | None = None,
    efficiency: Efficiency | None = None,
) -> ServingEstimate:
    """Estimate throughput, latency and memory of one replica of an open model.

    The weights and KV cache are sized with :func:`llmtco.engine.memory.memory_fit` (10% of
    memory held back for the runtime); the speed is the roofline steady state of
    :func:`llmtco.engine.throughput.output_tokens_per_s` at the batch served. The attention
    FLOPs use ``layers x hidden_size`` as the attention width (exact for Llama-style models).

    Parameters
    ----------
    model : str or OpenModel
        Catalog id of the open model, e.g. ``"meta/llama-3.1-8b-instruct"``, or the model.
    gpu : str or GpuSpec
        Catalog id of the GPU, e.g. ``"nvidia/h100-sxm"``, or the spec.
    precision : str, default "bf16"
        Weight precision; it sets bytes per parameter and the FLOPS used (see
        :func:`llmtco.engine.throughput.compute_tflops`).
    gpus_per_replica : array_like, default 1
        Tensor-parallel degree [GPUs].
    input_tokens, output_tokens : array_like
        Prompt and generated length of each request [tokens].
    concurrency : array_like or None
        Requests in flight [requests]; ``None`` for maximum load, i.e. the largest batch that
        fits, capped at :data:`MAX_LOAD_CONCURRENCY`. A concurrency beyond what fits is served
        at ``max_concurrency`` (``fits`` is then False).
    kv_bytes_per_value : array_like, optional
        Storage of one KV-cache value [bytes]: 2 for BF16/FP16, 1 for an FP8 KV cache. By
        default 1 for ``fp8`` and ``fp4`` weights (FP8-quantized checkpoints such as NVIDIA's
        ModelOpt ones ship an FP8 KV cache) and 2 otherwise.
    catalog : Catalog, optional
        Where to look ids up; the packaged catalog by default.
    efficiency : Efficiency, optional
        Efficiency factors; the calibrated defaults of :mod:`llmtco.engine.throughput`.

    Returns
    -------
    ServingEstimate
        Floats for scalar inputs, arrays broadcast over the numeric inputs otherwise.

    Examples
    --------
    >>> est = estimate_serving("meta/llama-3.1-8b-instruct", "nvidia/a100-40gb",
    ...                        input_tokens=1024, output_tokens=128, concurrency=1)
    >>> round(est.output_tokens_per_s), est.fits, est.source
    (53, True, 'estimate')
    >>> est = estimate_serving("meta/llama-3.3-70b-instruct", "nvidia/h100-sxm",
    ...                        precision="fp8", gpus_per_replica=2, input_tokens=1000,
    ...                        output_tokens=1000, concurrency=[1, 16, 64])
    >>> est.output_tokens_per_s.round()
    array([  52.,  755., 2282.])
    """
    open_model, spec = _resolve(model, gpu, catalog)
    factors = efficiency if efficiency is not None else Efficiency()
    prompt = as_float_array("input_tokens", input_tokens)
    generated = as_float_array("output_tokens", output_tokens)
    check_positive("input_tokens", prompt)
    check_positive("output_tokens", generated)
    requested = as_float_array("concurrency", 1 if concurrency is None else concurrency)
    check_positive("concurrency", requested)
    gpus = as_float_array("gpus_per_replica", gpus_per_replica)
    kv_value_bytes = (
        (1.0 if precision in _FP8_KV_PRECISIONS else 2.0)
        if kv_bytes_per_value is None
        else kv_bytes_per_value
    )

    total = open_model.total_params_billion
    active = open_model.active_params_billion or total
    fit = memory_fit(
        total,
        open_model.layers,
        open_model.kv_heads,
        open_model.head_dim,
        spec.memory_gb,
        precision=precision,
        gpus_per_replica=gpus,
        context_tokens=prompt + generated,
        concurrency=requested,
        kv_bytes_per_value=kv_value_bytes,
    )
    max_batch = np.asarray(fit.max_concurrency)
    cap = MAX_LOAD_CONCURRENCY if concurrency is None else requested
    batch = np.minimum(cap, max_batch)
    served = batch >= 1
    batch_or_one = np.maximum(batch, 1.0)

    kv_per_token = kv_cache_bytes_per_token(
        open_model.layers, open_model.kv_heads, open_model.head_dim, kv_value_bytes
    )
    tflops = compute_tflops(precision, spec.bf16_tflops, spec.fp8_tflops)
    shared: dict[str, npt.ArrayLike] = {
        "bytes_per_param": bytes_per_param(precision),
        "attention_width": open_model.layers * open_model.hidden_size,
        "gpus_per_replica": gpus,
        "compute_efficiency": factors.compute,
        "memory_efficiency": factors.memory,
        "tp_efficiency": factors.tensor_parallel,
    }
    hardware = (tflops, spec.memory_bandwidth_gb_per_s)
    rate = _output_tokens_per_s(
        total, active, prompt, generated, batch_or_one, kv_per_token, *hardware, **shared
    )
    first = _ttft_s(total, active, prompt, *hardware, kv_bytes_per_token=kv_per_token, **shared)
    step = _tpot_s(
        total, active, prompt, generated, batch_or_one, kv_per_token, *hardware, **shared
    )

    shape = np.broadcast_shapes(np.shape(rate), np.shape(first), np.shape(step), max_batch.shape)
    fits = np.broadcast_to(np.asarray(fit.fits) & (max_batch >= 1), shape)
    sequence_gb = (prompt + generated) * np.asarray(kv_per_token) / 1e9

    def _out(values: npt.ArrayLike) -> FloatOrArray:
        return scalar_or_array(np.array(np.broadcast_to(np.asarray(values, float), shape)))

    return ServingEstimate(
        model=open_model.id,
        gpu=spec.id,
        precision=precision,
        output_tokens_per_s=_out(np.where(served, rate, 0.0)),
        ttft_s=_out(np.where(served, first, np.nan)),
        tpot_s=_out(np.where(served, step, np.nan)),
        fits=bool(fits) if fits.ndim == 0 else np.array(fits),
        concurrency=_out(batch),
        max_concurrency=_out(max_batch),
        weights_gb=_out(fit.weights_gb),
        kv_cache_gb=_out(batch * sequence_gb),
    )


def calibration_table(
    catalog: Catalog | None = None, efficiency: Efficiency | None = None
) -> pd.DataFrame:
    """Estimated against measured throughput for every serving profile of a catalog.

    Profiles measured at maximum load (``concurrency`` None) are estimated at the max-load
    batch of :func:`estimate_serving`.

    Parameters
    ----------
    catalog : Catalog, optional
        The packaged catalog by default.
    efficiency : Efficiency, optional
        Efficiency factors; the calibrated defaults by default.

    Returns
    -------
    pandas.DataFrame
        One row per profile, indexed by profile ``id``, with ``model``, ``gpu``,
        ``gpus_per_replica``, ``precision``, ``input_tokens``, ``output_tokens``,
        ``concurrency`` (as measured, NaN for max load), ``batch`` (the one estimated),
        ``measured`` and ``estimated`` output throughput [tokens/s] and ``error`` =
        estimated / measured - 1 [-].

    Examples
    --------
    >>> table = calibration_table()
    >>> bool((table["error"].abs() < 1).all())
    True
    """
    found = catalog if catalog is not None else load_catalog()
    rows = []
    for profile_id in found.ids("serving_profiles"):
        profile = found.serving_profile(profile_id)
        estimate = estimate_serving(
            found.open_model(profile.model),
            found.gpu(profile.gpu),
            precision=profile.precision,
            gpus_per_replica=profile.gpus_per_replica,
            input_tokens=profile.input_tokens,
            output_tokens=profile.output_tokens,
            concurrency=profile.concurrency,
            efficiency=efficiency,
        )
        estimated = float(np.asarray(estimate.output_tokens_per_s))
        rows.append(
            {
                "id": profile_id,
                "model": profile.model,
                "gpu": profile.gpu,
                "gpus_per_replica": profile.gpus_per_replica,
                "precision": profile.precision,
                "input_tokens": profile.input_tokens,
                "output_tokens": profile.output_tokens,
                "concurrency": (
                    np.nan if profile.concurrency is None else float(profile.concurrency)
                ),
                "batch": float(np.asarray(estimate.concurrency)),
                "measured": profile.output_tokens_per_s,
                "estimated": estimated,
                "error": estimated / profile.output_tokens_per_s - 1.0,
            }
        )
    frame = pd.DataFrame(rows).set_index("id")
    frame.attrs["unit"] = {"measured": "tokens/s", "estimated": "tokens/s", "error": "-"}
    return frame
