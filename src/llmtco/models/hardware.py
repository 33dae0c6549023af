"""GPUs and the cloud instances (or hardware offers) that carry them."""

from __future__ import annotations

import warnings
from typing import Literal, Self

from pydantic import Field, model_validator

from llmtco.errors import PriceMagnitudeWarning
from llmtco.models._base import StrictModel
from llmtco.models._fields import MAX_COUNT, CatalogId, Checked, NonNegative, Positive, Source

__all__ = ["GpuInstance", "GpuSpec", "PurchaseMode"]

PurchaseMode = Literal["on_demand", "reserved_1yr", "reserved_3yr", "spot"]
"""How instance hours are paid for."""

# Plausible band of a price per GPU-hour [USD/(GPU h)]. Above it the figure is most likely a
# monthly price typed as hourly (a 730x slip); below it a typo or a per-minute price.
_MIN_PLAUSIBLE_USD_PER_GPU_HOUR = 0.02
_MAX_PLAUSIBLE_USD_PER_GPU_HOUR = 60.0


class GpuSpec(StrictModel):
    """Datasheet figures of one GPU type (dense, without sparsity)."""

    id: CatalogId
    name: str = Field(min_length=1)
    memory_gb: Positive = Field(description="On-board memory [GB].")
    memory_bandwidth_gb_per_s: Positive = Field(description="Memory bandwidth [GB/s].")
    bf16_tflops: Positive = Field(description="Dense BF16/FP16 tensor throughput [TFLOPS].")
    fp8_tflops: Positive | None = Field(None, description="Dense FP8 throughput [TFLOPS].")
    power_w: Positive | None = Field(None, description="Board power (TDP) [W].")
    source: Source
    checked: Checked
    notes: str = ""


class GpuInstance(StrictModel):
    """A rentable machine with GPUs, and its hourly prices by way of paying."""

    id: CatalogId
    provider: str = Field(min_length=1)
    gpu: CatalogId = Field(description="Id of the GpuSpec of its GPUs.")
    gpu_count: int = Field(gt=0, le=MAX_COUNT, description="GPUs in one instance [GPUs].")
    on_demand_usd_per_hour: Positive = Field(description="Whole instance, on demand [USD/h].")
    reserved_1yr_usd_per_hour: Positive | None = Field(
        None, description="Effective hourly price with a 1-year commitment [USD/h]."
    )
    reserved_3yr_usd_per_hour: Positive | None = Field(
        None, description="Effective hourly price with a 3-year commitment [USD/h]."
    )
    spot_usd_per_hour: Positive | None = Field(
        None, description="Typical spot / preemptible price [USD/h]."
    )
    region: str = ""
    source: Source
    checked: Checked
    notes: str = ""

    @model_validator(mode="after")
    def _check_prices(self) -> Self:
        prefix = self.id.split("/", 1)[0]
        if prefix != self.provider:
            msg = f"id {self.id!r} must start with its provider {self.provider!r} + '/'"
            raise ValueError(msg)
        for mode in ("reserved_1yr", "reserved_3yr", "spot"):
            price = getattr(self, f"{mode}_usd_per_hour")
            if price is not None and price > self.on_demand_usd_per_hour:
                msg = (
                    f"{mode}_usd_per_hour ({price}) must not exceed on_demand_usd_per_hour "
                    f"({self.on_demand_usd_per_hour})"
                )
                raise ValueError(msg)
        per_gpu = self.on_demand_usd_per_hour / self.gpu_count
        if not _MIN_PLAUSIBLE_USD_PER_GPU_HOUR <= per_gpu <= _MAX_PLAUSIBLE_USD_PER_GPU_HOUR:
            warnings.warn(
                f"{self.id}: on_demand_usd_per_hour = {self.on_demand_usd_per_hour} is "
                f"{per_gpu:.4g} USD per GPU-hour, outside the plausible "
                f"{_MIN_PLAUSIBLE_USD_PER_GPU_HOUR}-{_MAX_PLAUSIBLE_USD_PER_GPU_HOUR}; "
                "is it a monthly price typed as hourly?",
                PriceMagnitudeWarning,
                stacklevel=2,
            )
        return self

    def price_usd_per_hour(self, purchase: PurchaseMode) -> float:
        """Hourly price of the whole instance under a way of paying [USD/h].

        Raises
        ------
        ValueError
            If the instance lists no price for ``purchase``; the message lists the ones it has.
        """
        price: NonNegative | None = getattr(self, f"{purchase}_usd_per_hour")
        if price is None:
            available = [
                mode
                for mode in ("on_demand", "reserved_1yr", "reserved_3yr", "spot")
                if getattr(self, f"{mode}_usd_per_hour") is not None
            ]
            msg = f"instance {self.id} has no {purchase} price; it lists: {', '.join(available)}"
            raise ValueError(msg)
        return float(price)
