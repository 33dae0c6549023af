"""Ready-made scenarios shared by the docs, the tests and the command line."""

from __future__ import annotations

from importlib import resources

from llmtco.models import Scenario

__all__ = ["default_scenario", "default_scenario_yaml"]


def default_scenario_yaml() -> str:
    """Text of the packaged default scenario: a commented template of every field with its unit."""
    return (resources.files("llmtco") / "scenarios" / "default.yaml").read_text(encoding="utf-8")


def default_scenario() -> Scenario:
    """The packaged default scenario: a mid-size support and document assistant.

    Examples
    --------
    >>> default_scenario().horizon_months
    36
    """
    from llmtco._yaml import load_yaml_text
    from llmtco.errors import ScenarioError

    source = "llmtco/scenarios/default.yaml"
    data = load_yaml_text(default_scenario_yaml(), source, ScenarioError)
    return Scenario.from_dict(data, source=source)
