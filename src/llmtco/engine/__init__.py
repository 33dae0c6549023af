"""Pure, vectorized cost functions: no pydantic, no I/O, arrays in and arrays out.

Arrays follow numpy broadcasting; by convention they are shaped ``(n_scenarios, n_months)``.
A scalar in gives a float out.
"""

from llmtco.engine.api import PriceArrays, api_cost_usd, blended_usd_per_mtok, request_cost_usd
from llmtco.engine.breakeven import (
    Payback,
    break_even_intervals,
    break_even_volume,
    payback_month,
    stepped_cost_usd_per_month,
)
from llmtco.engine.capacity import mean_tokens_per_s, peak_to_mean, units_for_peak, utilization
from llmtco.engine.finance import compound_growth, discount_factors, npv_usd
from llmtco.engine.outcomes import cost_per_success, expected_attempts
from llmtco.engine.selfhost import capacity_usd_per_month, labor_usd_per_month, split_idle_usd
from llmtco.engine.timeofday import window_share

__all__ = [
    "Payback",
    "PriceArrays",
    "api_cost_usd",
    "blended_usd_per_mtok",
    "break_even_intervals",
    "break_even_volume",
    "capacity_usd_per_month",
    "compound_growth",
    "cost_per_success",
    "discount_factors",
    "expected_attempts",
    "labor_usd_per_month",
    "mean_tokens_per_s",
    "npv_usd",
    "payback_month",
    "peak_to_mean",
    "request_cost_usd",
    "split_idle_usd",
    "stepped_cost_usd_per_month",
    "units_for_peak",
    "utilization",
    "window_share",
]
