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
    import yaml

    from llmtco._yaml import _UniqueKeyLoader

    data = yaml.load(default_scenario_yaml(), Loader=_UniqueKeyLoader)
    return Scenario.from_dict(data, source="llmtco/scenarios/default.yaml")
