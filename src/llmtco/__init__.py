"""llmtco: the cost of a hosted LLM API against self-hosting an open model, with numbers.

The public API:

- inputs: :class:`Scenario` and its parts (:class:`Workload`, :class:`ApiOption`,
  :class:`SelfHostedOption`, ...), the price catalog (:func:`load_catalog`);
- the comparison: :func:`compare` returning a :class:`ComparisonResult`;
- uncertainty and the decision: distributions (:class:`Uniform`, :class:`Triangular`,
  :class:`LogNormal`, :class:`Samples`) for any numeric input, :func:`simulate` (Monte Carlo),
  :func:`tornado`, :func:`break_even_input`, and :func:`recommend`;
- the formulas, usable on scalars or arrays: :func:`break_even_volume`,
  :func:`break_even_intervals`, :func:`payback_month`, :func:`cost_per_success`,
  :func:`retry_cost`, :func:`cascade_cost`, :func:`optimal_routing`, and the rest of
  :mod:`llmtco.engine`.
"""

from llmtco.catalog import Catalog, load_catalog
from llmtco.decision import Reason, Recommendation, checklist, recommend, rules_of_thumb
from llmtco.engine import (
    Outcome,
    Payback,
    Routing,
    break_even_intervals,
    break_even_volume,
    cascade_cost,
    cost_per_success,
    optimal_cascade_threshold,
    optimal_routing,
    payback_month,
    retry_cost,
)
from llmtco.errors import (
    CatalogError,
    LlmtcoError,
    OutputPathError,
    PriceMagnitudeWarning,
    PriceNotInEffectError,
    ScenarioError,
    UnknownIdError,
)
from llmtco.examples import default_scenario
from llmtco.litellm import LitellmImport, import_litellm
from llmtco.models import (
    ApiOption,
    ApiPriceSheet,
    GpuInstance,
    GpuSpec,
    Growth,
    HybridOption,
    Labor,
    OpenModel,
    OptionOutcomes,
    RequestClass,
    Route,
    Scenario,
    SelfHostedOption,
    ServingProfile,
    Traffic,
    Workload,
)
from llmtco.models.scenario import Decision, PriceTrend, PriceTrends
from llmtco.models.uncertain import LogNormal, Samples, Triangular, Uniform
from llmtco.ranking import rank_instances
from llmtco.result import ComparisonResult
from llmtco.sanity import Finding, check_catalog
from llmtco.schema import json_schemas
from llmtco.serving import ServingEstimate, calibration_table, estimate_serving
from llmtco.tco import compare
from llmtco.uncertainty import (
    InputBreakEven,
    SimulationResult,
    break_even_input,
    simulate,
    tornado,
)

__version__ = "0.1.0"

__all__ = [
    "ApiOption",
    "ApiPriceSheet",
    "Catalog",
    "CatalogError",
    "ComparisonResult",
    "Decision",
    "Finding",
    "GpuInstance",
    "GpuSpec",
    "Growth",
    "HybridOption",
    "InputBreakEven",
    "Labor",
    "LitellmImport",
    "LlmtcoError",
    "LogNormal",
    "OpenModel",
    "OptionOutcomes",
    "Outcome",
    "OutputPathError",
    "Payback",
    "PriceMagnitudeWarning",
    "PriceNotInEffectError",
    "PriceTrend",
    "PriceTrends",
    "Reason",
    "Recommendation",
    "RequestClass",
    "Route",
    "Routing",
    "Samples",
    "Scenario",
    "ScenarioError",
    "SelfHostedOption",
    "ServingEstimate",
    "ServingProfile",
    "SimulationResult",
    "Traffic",
    "Triangular",
    "Uniform",
    "UnknownIdError",
    "Workload",
    "__version__",
    "break_even_input",
    "break_even_intervals",
    "break_even_volume",
    "calibration_table",
    "cascade_cost",
    "check_catalog",
    "checklist",
    "compare",
    "cost_per_success",
    "default_scenario",
    "estimate_serving",
    "import_litellm",
    "json_schemas",
    "load_catalog",
    "optimal_cascade_threshold",
    "optimal_routing",
    "payback_month",
    "rank_instances",
    "recommend",
    "retry_cost",
    "rules_of_thumb",
    "simulate",
    "tornado",
]
