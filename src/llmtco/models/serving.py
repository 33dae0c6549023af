"""Open-weight models and measured serving profiles (model x GPU -> throughput)."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from llmtco.models._base import StrictModel
from llmtco.models._fields import MAX_COUNT, CatalogId, Checked, Positive, Source

__all__ = ["OpenModel", "Precision", "ServingProfile"]

Precision = Literal["fp32", "bf16", "fp16", "fp8", "int8", "int4", "fp4"]


class OpenModel(StrictModel):
    """Architecture figures of an open-weight model that drive memory and compute."""

    id: CatalogId
    name: str = Field(min_length=1)
    total_params_billion: Positive = Field(description="All parameters [1e9 parameters].")
    active_params_billion: Positive | None = Field(
        None, description="Parameters used per token for mixture-of-experts [1e9 parameters]."
    )
    layers: int = Field(gt=0, le=MAX_COUNT)
    hidden_size: int = Field(gt=0, le=MAX_COUNT)
    kv_heads: int = Field(
        gt=0, le=MAX_COUNT, description="Key/value heads (grouped-query attention)."
    )
    head_dim: int = Field(gt=0, le=MAX_COUNT)
    context_tokens: int = Field(
        gt=0, le=MAX_COUNT, description="Longest supported context [tokens]."
    )
    license: str = Field(min_length=1)
    source: Source
    checked: Checked
    notes: str = ""

    @model_validator(mode="after")
    def _check_active(self) -> Self:
        if (
            self.active_params_billion is not None
            and self.active_params_billion > self.total_params_billion
        ):
            msg = (
                f"active_params_billion ({self.active_params_billion}) must not exceed "
                f"total_params_billion ({self.total_params_billion})"
            )
            raise ValueError(msg)
        return self


class ServingProfile(StrictModel):
    """A measured sustained throughput of one model replica on a GPU configuration.

    The throughput counts output tokens per second of the whole replica at the stated input and
    output lengths and concurrency; prefill work for those inputs is included in the measurement.
    """

    id: CatalogId
    model: CatalogId = Field(description="Id of the OpenModel served.")
    gpu: CatalogId = Field(description="Id of the GpuSpec it was measured on.")
    gpus_per_replica: int = Field(gt=0, le=MAX_COUNT, description="GPUs one replica spans [GPUs].")
    precision: Precision
    engine: str = Field(min_length=1, description="Inference server, e.g. vLLM, TensorRT-LLM.")
    input_tokens: int = Field(
        gt=0, le=MAX_COUNT, description="Input length of the measurement [tokens]."
    )
    output_tokens: int = Field(
        gt=0, le=MAX_COUNT, description="Output length of the measurement [tokens]."
    )
    concurrency: int | None = Field(
        None, gt=0, le=MAX_COUNT, description="Concurrent requests; None = max."
    )
    output_tokens_per_s: Positive = Field(
        description="Sustained output throughput of one replica [tokens/s]."
    )
    ttft_s: Positive | None = Field(
        None, description="Time to first token at this load, where measured [s]."
    )
    tpot_s: Positive | None = Field(
        None, description="Time per output token after the first, where measured [s]."
    )
    source: Source
    checked: Checked
    notes: str = ""
