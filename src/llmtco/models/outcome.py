"""What counts as success for an option, and what a failure costs.

The definition of "success" is an input: a right answer that was accepted. An answer can be
wrong and still accepted (a false accept, which carries its own cost), or rejected and retried
up to ``max_attempts`` times before it goes to a human (or stays unresolved).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from llmtco.models._base import StrictModel
from llmtco.models._fields import NonNegative, Share

__all__ = ["OptionOutcomes", "OutcomeOverride", "OutcomeTerms"]

_DESCRIPTIONS = {
    "success_rate": "Probability that one attempt gives a right answer [-].",
    "max_attempts": "Attempts before a request is escalated [attempts].",
    "hard_share": "Share of requests that are wrong on every attempt (correlated failures) [-].",
    "false_accept_rate": "Probability that a wrong answer is accepted anyway [-].",
    "verify_usd": "Cost of checking one answer (a verifier model, tests, a rule) [USD/attempt].",
    "human_usd": "Cost of a human resolving an escalated request; null = it stays unresolved "
    "[USD/escalation].",
    "human_success_rate": "Probability that the human's resolution is right [-].",
    "false_accept_usd": "Cost of a wrong answer that was accepted: rework, refunds "
    "[USD/false accept].",
}


class OutcomeTerms(StrictModel):
    """How one option fares on one class of requests.

    Examples
    --------
    >>> t = OutcomeTerms(success_rate=0.6, max_attempts=5, human_usd=2.0)
    >>> t.max_attempts, t.human_success_rate
    (5, 1.0)
    """

    success_rate: Share = Field(description=_DESCRIPTIONS["success_rate"])
    max_attempts: int = Field(1, ge=1, le=100, description=_DESCRIPTIONS["max_attempts"])
    hard_share: Share = Field(0.0, description=_DESCRIPTIONS["hard_share"])
    false_accept_rate: Share = Field(0.0, description=_DESCRIPTIONS["false_accept_rate"])
    verify_usd: NonNegative = Field(0.0, description=_DESCRIPTIONS["verify_usd"])
    human_usd: NonNegative | None = Field(None, description=_DESCRIPTIONS["human_usd"])
    human_success_rate: Share = Field(1.0, description=_DESCRIPTIONS["human_success_rate"])
    false_accept_usd: NonNegative = Field(0.0, description=_DESCRIPTIONS["false_accept_usd"])


class OutcomeOverride(StrictModel):
    """Per-class changes to an option's outcome terms; omitted keys keep the option's value."""

    success_rate: Share | None = Field(None, description=_DESCRIPTIONS["success_rate"])
    max_attempts: int | None = Field(None, ge=1, le=100, description=_DESCRIPTIONS["max_attempts"])
    hard_share: Share | None = Field(None, description=_DESCRIPTIONS["hard_share"])
    false_accept_rate: Share | None = Field(None, description=_DESCRIPTIONS["false_accept_rate"])
    verify_usd: NonNegative | None = Field(None, description=_DESCRIPTIONS["verify_usd"])
    human_usd: NonNegative | None = Field(None, description=_DESCRIPTIONS["human_usd"])
    human_success_rate: Share | None = Field(None, description=_DESCRIPTIONS["human_success_rate"])
    false_accept_usd: NonNegative | None = Field(
        None, description=_DESCRIPTIONS["false_accept_usd"]
    )

    @model_serializer(mode="wrap")
    def _only_what_was_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Dump only the keys the override sets, so it reloads as the same override.

        ``None`` is a value here (``human_usd: null`` = unresolved), not "keep the option's":
        dumping every field would turn each omitted key into an explicit ``null``.
        """
        dumped: dict[str, Any] = handler(self)
        return {k: v for k, v in dumped.items() if k in self.model_fields_set}


class OptionOutcomes(OutcomeTerms):
    """An option's outcome terms, with optional overrides per request class.

    Examples
    --------
    >>> o = OptionOutcomes(success_rate=0.9, by_class={"hard": {"success_rate": 0.4}})
    >>> o.for_class("hard").success_rate, o.for_class("easy").success_rate
    (0.4, 0.9)
    """

    by_class: dict[str, OutcomeOverride] = Field(
        default_factory=dict,
        description="Terms that differ for some request classes, by class name.",
    )

    def for_class(self, name: str) -> OutcomeTerms:
        """The terms that apply to request class ``name``."""
        base: dict[str, Any] = self.model_dump(exclude={"by_class"})
        override = self.by_class.get(name)
        if override is not None:
            base |= override.model_dump(exclude_unset=True)
        return OutcomeTerms(**base)
