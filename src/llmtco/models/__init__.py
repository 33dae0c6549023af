"""Typed, validated inputs: prices, hardware, serving, workload, labor, scenarios.

The models validate and hold data; the arithmetic lives in :mod:`llmtco.engine`.
"""

from llmtco.models.hardware import GpuInstance, GpuSpec, PurchaseMode
from llmtco.models.labor import Labor
from llmtco.models.outcome import OptionOutcomes, OutcomeOverride, OutcomeTerms
from llmtco.models.pricing import ApiPriceSheet
from llmtco.models.scenario import (
    ApiOption,
    BackendOption,
    CommittedMix,
    DeploymentOption,
    HybridOption,
    Ownership,
    Provisioning,
    Route,
    RoutingObjective,
    Scenario,
    SelfHostedOption,
    SpotTerms,
)
from llmtco.models.serving import OpenModel, Precision, ServingProfile
from llmtco.models.workload import Difficulty, Growth, RequestClass, Traffic, Workload

__all__ = [
    "ApiOption",
    "ApiPriceSheet",
    "BackendOption",
    "CommittedMix",
    "DeploymentOption",
    "Difficulty",
    "GpuInstance",
    "GpuSpec",
    "Growth",
    "HybridOption",
    "Labor",
    "OpenModel",
    "OptionOutcomes",
    "OutcomeOverride",
    "OutcomeTerms",
    "Ownership",
    "Precision",
    "Provisioning",
    "PurchaseMode",
    "RequestClass",
    "Route",
    "RoutingObjective",
    "Scenario",
    "SelfHostedOption",
    "ServingProfile",
    "SpotTerms",
    "Traffic",
    "Workload",
]
