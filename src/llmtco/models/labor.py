"""Engineering labor and named overheads."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import Field, model_validator

from llmtco.models._base import KeepsFields
from llmtco.models._fields import NonNegative

__all__ = ["Labor"]


class Labor(KeepsFields):
    """People needed to run an option, as full-time equivalents at a loaded annual cost.

    Examples
    --------
    >>> Labor(fte=0.5, usd_per_fte_year=200_000).fte
    0.5
    """

    always_dumped: ClassVar[tuple[str, ...]] = ("fte",)  # 0 FTE is stated, never implied

    fte: NonNegative = Field(0.0, description="Full-time equivalents [FTE].")
    usd_per_fte_year: NonNegative = Field(
        0.0, description="Fully loaded cost of one FTE per year [USD/(FTE year)]."
    )

    @model_validator(mode="after")
    def _priced(self) -> Self:
        if self.fte > 0 and self.usd_per_fte_year == 0:
            msg = (
                f"fte is {self.fte} but usd_per_fte_year is 0: give the loaded annual cost of "
                "one FTE (labor is never priced at zero by omission)"
            )
            raise ValueError(msg)
        return self
