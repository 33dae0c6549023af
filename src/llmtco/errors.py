"""Exceptions and warnings raised by llmtco.

Every error message names where the bad input came from (file and key path when there is one),
the bad value, and what was expected.
"""

from __future__ import annotations

__all__ = [
    "CatalogError",
    "LlmtcoError",
    "OutputPathError",
    "PriceMagnitudeWarning",
    "PriceNotInEffectError",
    "ScenarioError",
    "UnknownIdError",
]


class LlmtcoError(Exception):
    """Base class of every error llmtco raises on purpose."""


class CatalogError(LlmtcoError, ValueError):
    """A price-catalog file is malformed, inconsistent or fails validation."""


class ScenarioError(LlmtcoError, ValueError):
    """A scenario (YAML file or Python object) is malformed or inconsistent."""


class OutputPathError(LlmtcoError, ValueError):
    """An output file or folder cannot be written where it was asked for."""


class UnknownIdError(LlmtcoError, LookupError):
    """A catalog id was not found; the message lists the closest known ids."""

    def __str__(self) -> str:
        # LookupError would repr() a single argument; keep the message readable.
        return str(self.args[0]) if self.args else ""


class PriceNotInEffectError(UnknownIdError):
    """A catalog entry exists but has no price known for the requested date."""


class PriceMagnitudeWarning(UserWarning):
    """A price is implausibly large or small for its unit (e.g. a monthly price typed as hourly)."""
