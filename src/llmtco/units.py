"""Unit constants shared by the whole package.

Names follow the glossary in ``docs/glossary.md``: every quantity carries its unit in its name.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEFAULT_HOURS_PER_MONTH",
    "HOURS_PER_YEAR",
    "MONTHS_PER_YEAR",
    "SECONDS_PER_HOUR",
    "TOKENS_PER_MTOK",
]

HOURS_PER_YEAR: Final[float] = 8760.0
"""Hours in a (non-leap) year [h/year]."""

MONTHS_PER_YEAR: Final[int] = 12

DEFAULT_HOURS_PER_MONTH: Final[float] = HOURS_PER_YEAR / MONTHS_PER_YEAR
"""A month is 730 hours unless the user says otherwise [h/month]."""

SECONDS_PER_HOUR: Final[float] = 3600.0

TOKENS_PER_MTOK: Final[float] = 1e6
"""Tokens in one million tokens, the unit of every token price [tokens/Mtok]."""
