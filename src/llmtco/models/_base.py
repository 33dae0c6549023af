"""The strict pydantic base class every llmtco model derives from."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

__all__ = ["StrictModel", "TaggedModel"]


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


class TaggedModel(StrictModel):
    """A member of a union told apart by its ``kind``, which every dump keeps.

    ``kind`` has a default (``api``, ``uniform``, ...), so ``model_dump(exclude_defaults=True)``
    would drop it and the dump would no longer load; this base puts it back.
    """

    @model_serializer(mode="wrap")
    def _with_kind(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        dumped: dict[str, Any] = handler(self)
        return {"kind": getattr(self, "kind"), **dumped}  # noqa: B009 - every subclass has one
