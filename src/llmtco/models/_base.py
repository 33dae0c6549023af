"""The strict pydantic base class every llmtco model derives from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["StrictModel"]


class StrictModel(BaseModel):
    """A frozen pydantic model that rejects unknown keys, NaN and infinities.

    Unknown keys are almost always typos (``input_usd_per_mtoks``); rejecting them is what keeps a
    misspelt price from being silently ignored and priced at its default.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        validate_default=True,
        str_strip_whitespace=True,
    )
