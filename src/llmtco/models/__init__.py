"""Typed, validated inputs: prices, hardware, serving, workload, labor, scenarios.

The models validate and hold data; the arithmetic lives in :mod:`llmtco.engine`.
"""

from llmtco.models.hardware import GpuInstance, GpuSpec, PurchaseMode
from llmtco.models.labor import Labor
from llmtco.models.pricing import ApiPriceSheet
from llmtco.models.scenario import (
    ApiOption,
    CommittedMix,
    DeploymentOption,
    Ownership,
    Provisioning,
    Scenario,
    SelfHostedOption,
    SpotTerms,
)
from llmtco.models.serving import OpenModel, Precision, ServingProfile
from llmtco.models.workload import Growth, Traffic, Workload

__all__ = [
    "ApiOption",
    "ApiPriceSheet",
    "CommittedMix",
    "DeploymentOption",
    "GpuInstance",
    "GpuSpec",
    "Growth",
    "Labor",
    "OpenModel",
    "Ownership",
    "Precision",
    "Provisioning",
    "PurchaseMode",
    "Scenario",
    "SelfHostedOption",
    "ServingProfile",
    "SpotTerms",
    "Traffic",
    "Workload",
]
