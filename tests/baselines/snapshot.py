"""Every frame of a comparison and of sampled costs as plain JSON data, and a tolerant diff.

Numbers are compared with ``RTOL`` relative and ``ATOL`` absolute tolerance (the absolute one
only forgives values that are zero up to float noise, e.g. a sum of components that cancel);
texts, column names, units and shapes exactly.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from llmtco import Catalog, ComparisonResult, Scenario
from llmtco.uncertainty import evaluate

RTOL = 1e-12
ATOL = 1e-9

# The sample axis pinned for sampled costs: the month-0 volume times these factors.
VOLUME_FACTORS = (0.25, 1.0, 4.0)


def _value(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # "nan", "inf", "-inf": JSON has no such numbers
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def frame(df: pd.DataFrame | None) -> dict[str, Any] | None:
    """A frame as columns, index, rows and units."""
    if df is None:
        return None
    return {
        "columns": [str(c) for c in df.columns],
        "index": [_value(i) for i in df.index],
        "rows": [[_value(v) for v in row] for row in df.itertuples(index=False)],
        "units": {str(k): str(v) for k, v in df.attrs.get("units", {}).items()},
    }


def comparison(result: ComparisonResult) -> dict[str, Any]:
    """Every frame of a :class:`~llmtco.ComparisonResult`."""
    return {
        "monthly": frame(result.monthly),
        "totals": frame(result.totals),
        "capacity": frame(result.capacity),
        "break_even": frame(result.break_even),
        "latency": frame(result.latency),
        "outcomes": frame(result.outcomes),
        "routing": frame(result.routing),
        "rate_limits": frame(result.rate_limits),
        "tokens_per_month": [_value(v) for v in result.tokens_per_month],
    }


def sampled_values(scenario: Scenario) -> dict[str, list[float]]:
    """The pinned sample axis: the scenario's volume input at :data:`VOLUME_FACTORS`."""
    workload = scenario.workload
    if workload.requests_per_month is not None:
        path, base = "workload.requests_per_month", workload.requests_per_month
    else:
        path, base = "workload.tokens_per_month", workload.tokens_per_month or 0.0
    return {path: [float(base) * f for f in VOLUME_FACTORS]}


def sampled(scenario: Scenario, catalog: Catalog) -> dict[str, Any]:
    """Sampled costs (monthly totals, volumes, break-evens) on the pinned sample axis."""
    costs, method = evaluate(scenario, sampled_values(scenario), catalog)
    return {
        "method": method,
        "monthly_usd": {
            name: [[_value(v) for v in row] for row in usd]
            for name, usd in costs.monthly_usd.items()
        },
        "tokens_per_month": [[_value(v) for v in row] for row in costs.tokens_per_month],
        "break_even_tokens_per_month": {
            f"{s} vs {a}": [_value(v) for v in values]
            for (s, a), values in costs.break_even_tokens_per_month.items()
        },
    }


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if value in ("nan", "inf", "-inf"):
        return float(value)
    return None


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Where two snapshots differ beyond the tolerances, one line per difference."""
    a, b = _number(expected), _number(actual)
    if a is not None and b is not None:
        same = (
            (math.isnan(a) and math.isnan(b))
            or a == b
            or (math.isfinite(a) and math.isfinite(b) and abs(a - b) <= ATOL + RTOL * abs(a))
        )
        return [] if same else [f"{where}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, dict) and isinstance(actual, dict):
        if expected.keys() != actual.keys():
            return [f"{where}: keys {sorted(expected)} became {sorted(actual)}"]
        return [d for k in expected for d in differences(expected[k], actual[k], f"{where}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: length {len(expected)} became {len(actual)}"]
        return [
            d
            for i, (e, g) in enumerate(zip(expected, actual, strict=True))
            for d in differences(e, g, f"{where}[{i}]")
        ]
    return [] if expected == actual else [f"{where}: expected {expected!r}, got {actual!r}"]
