"""Annotated field types reused across models (units are in the field names, not here)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final

from pydantic import Field

__all__ = [
    "MAX_COUNT",
    "MAX_MAGNITUDE",
    "CatalogId",
    "Checked",
    "NonNegative",
    "Positive",
    "Share",
    "Signed",
    "Source",
]

#: Upper bound of every money, volume and rate field [field's unit]. Far above any real figure
#: (10^15 tokens a month is more than the largest providers serve), low enough that no product of
#: inputs over a 600-month horizon can overflow to an infinite total.
MAX_MAGNITUDE: Final[float] = 1e15
#: Upper bound of every whole-number field (GPUs, replicas, tokens of a length, rate limits).
MAX_COUNT: Final[int] = 1_000_000_000_000

NonNegative = Annotated[float, Field(ge=0, le=MAX_MAGNITUDE)]
Positive = Annotated[float, Field(gt=0, le=MAX_MAGNITUDE)]
Signed = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
Share = Annotated[float, Field(ge=0, le=1)]
CatalogId = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]*/[A-Za-z0-9@][A-Za-z0-9_.:@+/-]*$",
        description="Catalog id 'provider/name' with a lower-case provider, e.g. openai/gpt-4o; "
        "the name may contain '/' (e.g. together/meta-llama/Llama-3.3-70B-Instruct-Turbo) and "
        "start with '@' (cloudflare/@cf/meta/llama-3.1-8b-instruct).",
    ),
]
Source = Annotated[
    str, Field(min_length=1, description="Where the figure comes from: a URL or a citation.")
]
Checked = Annotated[dt.date, Field(description="Date the figure was last checked at its source.")]
