"""Time the engine on many scenarios at once and print scenarios per second.

A script, not a test: run ``python benchmarks/engine.py`` (default 1,000,000 scenarios x 60
months). The engine is vectorized over a leading scenario axis, so the cost per scenario should
fall as the batch grows. It also times ``llmtco.simulate`` on the packaged default scenario
(``--samples``, default 10,000) and prints the Monte Carlo sample rate.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from llmtco import default_scenario, load_catalog, simulate
from llmtco.engine import (
    api_cost_usd,
    break_even_volume,
    capacity_usd_per_month,
    compound_growth,
    mean_tokens_per_s,
    npv_usd,
    payback_month,
    units_for_peak,
    utilization,
)


def _timed(label: str, n_scenarios: int, work: Callable[[], object]) -> float:
    work()  # warm up
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.3f} s  {n_scenarios / seconds:14,.0f} scenarios/s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--samples", type=int, default=10_000, help="Monte Carlo samples")
    args = parser.parse_args()
    n, months = args.scenarios, args.months
    rng = np.random.default_rng(0)

    # One column of inputs per scenario, shaped (n, 1) to broadcast over months.
    api_usd_per_mtok = rng.uniform(0.2, 15.0, (n, 1))
    fixed_usd_per_month = rng.uniform(0.0, 50_000.0, (n, 1))
    replica_usd_per_month = rng.uniform(500.0, 40_000.0, (n, 1))
    replica_tokens_per_month = rng.uniform(1e8, 1e10, (n, 1))
    base_tokens_per_month = rng.uniform(1e7, 5e10, (n, 1))
    growth = rng.uniform(0.0, 0.08, (n, 1))
    unit_tokens_per_s = rng.uniform(500.0, 20_000.0, (n, 1))

    def break_even() -> object:
        return break_even_volume(
            api_usd_per_mtok,
            fixed_usd_per_month,
            replica_usd_per_month,
            replica_tokens_per_month,
            0.0,
            1,
        )

    def monthly_costs() -> object:
        volume = base_tokens_per_month * compound_growth(months, growth)  # (n, months)
        api = api_cost_usd(0.7 * volume, 0.3 * volume, 0.0, api_usd_per_mtok, api_usd_per_mtok, 0.0)
        mean_tps = mean_tokens_per_s(0.3 * volume)
        units = units_for_peak(2.0 * np.asarray(mean_tps), unit_tokens_per_s, 0.7, 1)
        gpu = capacity_usd_per_month(units, replica_usd_per_month / 730.0)
        busy = utilization(mean_tps, units, unit_tokens_per_s)
        self_hosted = np.asarray(gpu) + fixed_usd_per_month
        return api, self_hosted, busy

    def horizon() -> object:
        api, self_hosted, _ = monthly_costs()  # type: ignore[misc]
        return npv_usd(self_hosted, 0.08), payback_month(self_hosted, api, 0.08)

    print(f"llmtco engine benchmark: {n:,} scenarios x {months} months")
    _timed("break_even_volume (stepped)", n, break_even)
    _timed("monthly API + self-hosted cost curves", n, monthly_costs)
    _timed("curves + NPV + discounted payback", n, horizon)

    scenario = default_scenario()
    catalog = load_catalog()
    samples = args.samples
    print(
        f"\nllmtco.simulate on the default scenario: {samples:,} samples of "
        f"{len(scenario.uncertainty)} uncertain inputs x {scenario.horizon_months} months"
    )
    seconds = _timed(
        "Monte Carlo (simulate)",
        samples,
        lambda: simulate(scenario, n=samples, seed=0, catalog=catalog),
    )
    method = simulate(scenario, n=2, seed=0, catalog=catalog).method
    print(f"{'':<44} {samples / seconds:14,.0f} samples/s ({method})")


if __name__ == "__main__":
    main()
