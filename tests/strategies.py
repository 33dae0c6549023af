"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Magnitudes span what real catalogs hold, with margins; bounded so products stay finite.
usd_per_mtok = st.floats(min_value=0.001, max_value=200.0, allow_nan=False)
usd_per_month = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
replica_usd_per_month = st.floats(min_value=1.0, max_value=1e5, allow_nan=False)
tokens_per_month = st.floats(min_value=0.0, max_value=1e13, allow_nan=False)
replica_tokens_per_month = st.floats(min_value=1e6, max_value=1e11, allow_nan=False)
tokens = st.floats(min_value=0.0, max_value=1e12, allow_nan=False)
share = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
probability = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
scale = st.floats(min_value=0.01, max_value=100.0, allow_nan=False)
min_replicas = st.integers(min_value=0, max_value=5)


@st.composite
def step_costs(draw: st.DrawFn) -> dict[str, float]:
    """Arguments of break_even_volume with stepped capacity."""
    return {
        "api_usd_per_mtok": draw(usd_per_mtok),
        "fixed_usd_per_month": draw(usd_per_month),
        "replica_usd_per_month": draw(replica_usd_per_month),
        "replica_tokens_per_month": draw(replica_tokens_per_month),
        "variable_usd_per_mtok": draw(st.floats(min_value=0.0, max_value=5.0)),
        "min_replicas": draw(min_replicas),
    }


@st.composite
def monthly_series(draw: st.DrawFn, n_months: int | None = None) -> list[float]:
    """A monthly cost series [USD/month]."""
    n = n_months if n_months is not None else draw(st.integers(min_value=1, max_value=48))
    return draw(st.lists(usd_per_month, min_size=n, max_size=n))
