"""The strict pydantic base classes every llmtco model derives from."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)

__all__ = ["KeepsFields", "StrictModel", "TaggedModel"]


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


class KeepsFields(StrictModel):
    """A model whose dumps keep some fields even when they equal their defaults.

    ``model_dump(exclude_defaults=True)`` drops a field at its default value. Where the field
    must be stated for the dump to load again (a union's ``kind``, a self-hosted option's
    ``labor.fte``, which may be 0 on purpose but never by omission), the dump would no longer
    load; the fields named in ``always_dumped`` are put back.
    """

    always_dumped: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _keep_fields(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, Any]:
        dumped: dict[str, Any] = handler(self)
        kept: dict[str, Any] = {}
        for name in self.always_dumped:
            if name in dumped:
                kept[name] = dumped.pop(name)
                continue
            value = getattr(self, name)
            if isinstance(value, BaseModel):
                value = value.model_dump(
                    mode=info.mode,
                    by_alias=bool(info.by_alias),
                    exclude_defaults=info.exclude_defaults,
                    exclude_none=info.exclude_none,
                )
            kept[name] = value
        return kept | dumped


class TaggedModel(KeepsFields):
    """A member of a union told apart by its ``kind``, which every dump keeps (first)."""

    always_dumped: ClassVar[tuple[str, ...]] = ("kind",)
