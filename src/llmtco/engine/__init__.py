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
from llmtco.engine.capacity import (
    mean_tokens_per_s,
    peak_to_mean,
    replica_packing,
    units_for_peak,
    utilization,
)
from llmtco.engine.finance import compound_growth, discount_factors, npv_usd, price_escalation
from llmtco.engine.latency import interpolate_percentile, lognormal_mean_s
from llmtco.engine.memory import (
    MemoryFit,
    bytes_per_param,
    kv_cache_bytes_per_token,
    memory_fit,
    min_gpus_per_replica,
    weights_gb,
)
from llmtco.engine.outcomes import (
    Outcome,
    cascade_cost,
    cascade_reach,
    cost_per_success,
    expected_attempts,
    retry_cost,
)
from llmtco.engine.owned import (
    BuyVsRent,
    OwnedCashFlows,
    annuity_factor,
    buy_vs_rent_usd,
    owned_cash_flows_usd,
    power_usd_per_month,
    straight_line_depreciation_usd,
)
from llmtco.engine.provisioning import cold_starts_per_week, hourly_units_needed, provisioned_units
from llmtco.engine.purchase import (
    Commitment,
    committed_mix_usd,
    optimal_commitment,
    spot_interrupted_share,
    spot_usd,
)
from llmtco.engine.queueing import (
    erlang_c,
    mean_wait_s,
    replica_servers,
    replicas_for_ttft_slo,
    servers_for_wait_slo,
    ttft_quantile_s,
    wait_quantile_s,
)
from llmtco.engine.ratelimits import peak_minute_rate, throttled_share, tier_needed
from llmtco.engine.routing import (
    CascadeThreshold,
    Routing,
    optimal_cascade_threshold,
    optimal_routing,
    pareto_frontier,
    verifier_rates,
)
from llmtco.engine.selfhost import capacity_usd_per_month, labor_usd_per_month, split_idle_usd
from llmtco.engine.throughput import (
    Efficiency,
    compute_tflops,
    decode_step_time_s,
    prefill_time_s,
    tensor_parallel_scale,
    weights_read_gb,
)
from llmtco.engine.timeofday import window_share
from llmtco.engine.traffic import named_profile, normalized_profile, two_level_profile

__all__ = [
    "BuyVsRent",
    "CascadeThreshold",
    "Commitment",
    "Efficiency",
    "MemoryFit",
    "Outcome",
    "OwnedCashFlows",
    "Payback",
    "PriceArrays",
    "Routing",
    "annuity_factor",
    "api_cost_usd",
    "blended_usd_per_mtok",
    "break_even_intervals",
    "break_even_volume",
    "buy_vs_rent_usd",
    "bytes_per_param",
    "capacity_usd_per_month",
    "cascade_cost",
    "cascade_reach",
    "cold_starts_per_week",
    "committed_mix_usd",
    "compound_growth",
    "compute_tflops",
    "cost_per_success",
    "decode_step_time_s",
    "discount_factors",
    "erlang_c",
    "expected_attempts",
    "hourly_units_needed",
    "interpolate_percentile",
    "kv_cache_bytes_per_token",
    "labor_usd_per_month",
    "lognormal_mean_s",
    "mean_tokens_per_s",
    "mean_wait_s",
    "memory_fit",
    "min_gpus_per_replica",
    "named_profile",
    "normalized_profile",
    "npv_usd",
    "optimal_cascade_threshold",
    "optimal_commitment",
    "optimal_routing",
    "owned_cash_flows_usd",
    "pareto_frontier",
    "payback_month",
    "peak_minute_rate",
    "peak_to_mean",
    "power_usd_per_month",
    "prefill_time_s",
    "price_escalation",
    "provisioned_units",
    "replica_packing",
    "replica_servers",
    "replicas_for_ttft_slo",
    "request_cost_usd",
    "retry_cost",
    "servers_for_wait_slo",
    "split_idle_usd",
    "spot_interrupted_share",
    "spot_usd",
    "stepped_cost_usd_per_month",
    "straight_line_depreciation_usd",
    "tensor_parallel_scale",
    "throttled_share",
    "tier_needed",
    "ttft_quantile_s",
    "two_level_profile",
    "units_for_peak",
    "utilization",
    "verifier_rates",
    "wait_quantile_s",
    "weights_gb",
    "weights_read_gb",
    "window_share",
]
