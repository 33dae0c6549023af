"""Annotated field types reused across models (units are in the field names, not here)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

__all__ = ["CatalogId", "Checked", "NonNegative", "Positive", "Share", "Source"]

NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]
Share = Annotated[float, Field(ge=0, le=1)]
CatalogId = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.:@+/-]*$",
        description="Catalog id 'provider/name' with a lower-case provider, e.g. openai/gpt-4o; "
        "the name may contain '/' (e.g. together/meta-llama/Llama-3.3-70B-Instruct-Turbo).",
    ),
]
Source = Annotated[
    str, Field(min_length=1, description="Where the figure comes from: a URL or a citation.")
]
Checked = Annotated[dt.date, Field(description="Date the figure was last checked at its source.")]
