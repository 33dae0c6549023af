"""Self-hosting economics beyond a flat peak: traffic shape, purchase mix, buying the server.

Three effects that decide what self-hosting an open model really costs, each computed by
llmtco against the packaged catalog (Llama 3.3 70B in FP8, two H100 SXM GPUs per replica, four
replicas per 8-GPU instance, measured at 4,205 output tokens/s per replica):

a. **Spiky versus steady traffic** (article 004). The same monthly volume, 100 billion tokens
   (half input, half output), arrives flat, in a 4x peak-to-mean office profile
   (:func:`llmtco.engine.two_level_profile`) or as a nightly batch window. Each case is costed
   by :func:`llmtco.compare` with static provisioning (the week's peak every hour) and with
   hourly autoscaling (no lag, and a one-hour scale-up lag). Static capacity for a spiky
   profile sits idle most of the week; autoscaling recovers most of that idle cost.
b. **Reserved plus on-demand** for a consumer app with a daily cycle
   (``diurnal_consumer``) on GCP ``a3-highgpu-8g``: the cost-minimising reserved base
   (:func:`llmtco.engine.optimal_commitment`, the ``1 - reserved / on-demand`` quantile of the
   hourly need) against all on demand (autoscaled) and all reserved at the peak.
c. **Buy versus rent** one 8x H100 server over 36 months
   (:func:`llmtco.engine.owned_cash_flows_usd`, :func:`llmtco.engine.buy_vs_rent_usd`) against
   renting the same 8 GPUs on demand around the clock at the catalog's Lambda price, with the
   payback month from :func:`llmtco.payback_month`. The purchase price, power, PUE, electricity
   price, colocation and resale value are *assumptions* stated below, not catalog facts.

Costs are GPU capacity only (no labor, overheads or setup), for a 730-hour month.

Run it with ``python examples/self_hosting.py``.
"""

from __future__ import annotations

import numpy as np

import llmtco
from llmtco.engine import (
    buy_vs_rent_usd,
    committed_mix_usd,
    hourly_units_needed,
    mean_tokens_per_s,
    named_profile,
    optimal_commitment,
    owned_cash_flows_usd,
    power_usd_per_month,
    two_level_profile,
)

HOURS_PER_MONTH = 730.0  # llmtco's and the catalog's month [h/month]
HOURS_PER_WEEK = 168
TOKENS_PER_MONTH = 1e11  # input + output [tokens/month]
INPUT_SHARE = 0.5  # the serving profile's 1,000 in / 1,000 out mix [-]
TARGET_UTILIZATION = 0.7  # share of a replica's throughput planned at the peak [-]

SERVING_PROFILE = "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-trtllm-1000-1000"
RENTED_INSTANCE = "lambda/gpu_8x_h100_sxm5"  # on demand only in the catalog
MIXED_INSTANCE = "gcp/a3-highgpu-8g"  # lists on-demand and 1-year reserved prices

# (c) Owning an 8x H100 server. ASSUMPTIONS for illustration, not catalog facts: put in
# your own quotes.
SERVER_PURCHASE_USD = 250_000.0  # an HGX H100 8-GPU server, installed [USD]
SERVER_SALVAGE_USD = 50_000.0  # resale value after its life [USD]
SERVER_LIFE_MONTHS = 36  # service life = the horizon compared [months]
SERVER_POWER_KW = 10.2  # full-load draw of the whole server [kW]
FACILITY_PUE = 1.3  # power usage effectiveness of the data centre [-]
ELECTRICITY_USD_PER_KWH = 0.10  # [USD/kWh]
COLOCATION_USD_PER_MONTH = 1_500.0  # rack space, power circuit, network, remote hands
MAINTENANCE_USD_PER_MONTH = 500.0  # support contract and spares
DISCOUNT_RATE_PER_YEAR = 0.08  # cost of capital [1/year]
HORIZON_MONTHS = 36


def _traffic_cases() -> dict[str, llmtco.Traffic]:
    """Three ways the same monthly volume can arrive through the week."""
    return {
        "flat": llmtco.Traffic(profile="flat"),
        "4x peak": llmtco.Traffic(hour_of_week=two_level_profile(4.0).tolist()),
        "batch window": llmtco.Traffic(profile="batch_window"),
    }


def _policies() -> dict[str, llmtco.SelfHostedOption]:
    """Static, autoscaled and autoscaled-with-lag options on the same rented instance."""
    provisioning = {
        "static": {"policy": "static"},
        "autoscale": {"policy": "autoscale"},
        "autoscale-lag1h": {"policy": "autoscale", "scale_up_lag_hours": 1.0},
    }
    return {
        name: llmtco.SelfHostedOption(
            instance=RENTED_INSTANCE,
            serving_profile=SERVING_PROFILE,
            target_utilization=TARGET_UTILIZATION,
            min_replicas=1,
            provisioning=settings,
            labor=llmtco.Labor(fte=0),  # GPU costs only: the policies differ in nothing else
        )
        for name, settings in provisioning.items()
    }


def spiky_vs_steady(catalog: llmtco.Catalog) -> dict[str, float]:
    """GPU cost, idle cost and utilization of each traffic shape and policy (part a)."""
    figures: dict[str, float] = {}
    print(f"a. {TOKENS_PER_MONTH:.0e} tokens/month on {RENTED_INSTANCE}, by traffic shape")
    header = f"   {'traffic':<13} {'policy':<16} {'peak inst.':>10} {'GPU USD/month':>14}"
    print(header + f" {'idle USD/month':>15} {'utilization':>12}")
    for shape, traffic in _traffic_cases().items():
        scenario = llmtco.Scenario(
            name=f"self-hosting, {shape}",
            horizon_months=1,
            hours_per_month=HOURS_PER_MONTH,
            workload=llmtco.Workload(
                tokens_per_month=TOKENS_PER_MONTH, input_share=INPUT_SHARE, traffic=traffic
            ),
            options=_policies(),
        )
        result = llmtco.compare(scenario, catalog)
        capacity = result.capacity
        assert capacity is not None
        for policy, row in capacity.set_index("option").iterrows():
            components = result.by_component(str(policy)).loc[0]
            gpu_usd = float(components["gpu_used"] + components["gpu_idle"])
            key = f"{shape.replace(' ', '_')}_{str(policy).replace('-', '_')}"
            figures[f"{key}_gpu_usd_per_month"] = gpu_usd
            figures[f"{key}_idle_usd_per_month"] = float(row["idle_usd"])
            figures[f"{key}_utilization"] = float(row["utilization"])
            figures[f"{key}_peak_instances"] = float(row["instances"])
            print(
                f"   {shape:<13} {policy!s:<16} {row['instances']:>10.0f} {gpu_usd:>14,.0f}"
                f" {row['idle_usd']:>15,.0f} {row['utilization']:>12.1%}"
            )
    print()
    return figures


def reserved_mix(catalog: llmtco.Catalog) -> dict[str, float]:
    """Optimal reserved base plus on demand, against the two extremes (part b)."""
    instance = catalog.gpu_instance(MIXED_INSTANCE)
    profile = catalog.serving_profile(SERVING_PROFILE)
    on_demand = instance.on_demand_usd_per_hour
    reserved = instance.reserved_1yr_usd_per_hour
    assert reserved is not None
    unit_tokens_per_s = profile.output_tokens_per_s * (
        instance.gpu_count // profile.gpus_per_replica
    )
    mean_output = mean_tokens_per_s(TOKENS_PER_MONTH * (1 - INPUT_SHARE), HOURS_PER_MONTH)
    needed = hourly_units_needed(
        mean_output * named_profile("diurnal_consumer"), unit_tokens_per_s, TARGET_UTILIZATION
    )
    weeks_per_month = HOURS_PER_MONTH / HOURS_PER_WEEK
    best = optimal_commitment(needed, reserved, on_demand)
    peak = float(needed.max())
    costs = {
        "all on demand (autoscaled)": float(committed_mix_usd(needed, 0.0, reserved, on_demand)),
        "all reserved at the peak": float(committed_mix_usd(needed, peak, reserved, on_demand)),
        f"reserved base of {best.committed_replicas:.0f} + on demand": float(best.cost_usd),
    }
    monthly = {name: usd * weeks_per_month for name, usd in costs.items()}
    print(f"b. diurnal_consumer traffic on {MIXED_INSTANCE}, 1-year reserved + on demand")
    print(
        f"   on demand {on_demand:.2f} USD/h, reserved {reserved:.2f} USD/h: commit to the "
        f"{1 - reserved / on_demand:.1%} quantile of the hourly need "
        f"({needed.min():.0f} to {peak:.0f} instances)"
    )
    for name, usd in monthly.items():
        print(f"   {name:<32} {usd:>10,.0f} USD/month")
    print()
    od, full, mix = monthly.values()
    return {
        "mix_committed_instances": float(best.committed_replicas),
        "mix_peak_instances": peak,
        "mix_quantile": float(1 - reserved / on_demand),
        "mix_usd_per_month": mix,
        "all_on_demand_usd_per_month": od,
        "all_reserved_usd_per_month": full,
    }


def buy_vs_rent(catalog: llmtco.Catalog) -> dict[str, float]:
    """Own one 8x H100 server or rent the same 8 GPUs on demand for 36 months (part c)."""
    power = float(power_usd_per_month(SERVER_POWER_KW, FACILITY_PUE, ELECTRICITY_USD_PER_KWH))
    owned = owned_cash_flows_usd(
        SERVER_PURCHASE_USD,
        SERVER_SALVAGE_USD,
        SERVER_LIFE_MONTHS,
        HORIZON_MONTHS,
        power,
        COLOCATION_USD_PER_MONTH,
        MAINTENANCE_USD_PER_MONTH,
    )
    rent_per_month = catalog.gpu_instance(RENTED_INSTANCE).on_demand_usd_per_hour * HOURS_PER_MONTH
    rent = np.full(HORIZON_MONTHS, rent_per_month)
    plain = buy_vs_rent_usd(owned.total_usd, rent)
    discounted = buy_vs_rent_usd(owned.total_usd, rent, DISCOUNT_RATE_PER_YEAR)
    payback = llmtco.payback_month(owned.total_usd, rent)
    payback_discounted = llmtco.payback_month(owned.total_usd, rent, DISCOUNT_RATE_PER_YEAR)
    running = power + COLOCATION_USD_PER_MONTH + MAINTENANCE_USD_PER_MONTH
    print(f"c. buy one 8x H100 server or rent {RENTED_INSTANCE} on demand, {HORIZON_MONTHS} months")
    print(
        f"   assumed: {SERVER_PURCHASE_USD:,.0f} USD, {SERVER_SALVAGE_USD:,.0f} back after "
        f"{SERVER_LIFE_MONTHS} months, {SERVER_POWER_KW} kW at PUE {FACILITY_PUE} and "
        f"{ELECTRICITY_USD_PER_KWH} USD/kWh, colocation {COLOCATION_USD_PER_MONTH:,.0f} and "
        f"maintenance {MAINTENANCE_USD_PER_MONTH:,.0f} USD/month"
    )
    print(f"   power {power:,.0f} USD/month; running cost {running:,.0f} USD/month")
    print(f"   rent {rent_per_month:,.0f} USD/month")
    print(
        f"   total over {HORIZON_MONTHS} months: own {plain.owned_npv_usd:,.0f} USD, "
        f"rent {plain.rent_npv_usd:,.0f} USD"
    )
    print(
        f"   NPV at {DISCOUNT_RATE_PER_YEAR:.0%}/year: own {discounted.owned_npv_usd:,.0f} USD, "
        f"rent {discounted.rent_npv_usd:,.0f} USD"
    )
    print(
        f"   payback after {payback.month:.1f} months ({payback_discounted.month:.1f} discounted)"
    )
    return {
        "power_usd_per_month": power,
        "owned_running_usd_per_month": running,
        "rent_usd_per_month": rent_per_month,
        "owned_total_usd": float(plain.owned_npv_usd),
        "rent_total_usd": float(plain.rent_npv_usd),
        "owned_npv_usd": float(discounted.owned_npv_usd),
        "rent_npv_usd": float(discounted.rent_npv_usd),
        "payback_month": float(payback.month),
        "discounted_payback_month": float(payback_discounted.month),
    }


def main() -> dict[str, float]:
    catalog = llmtco.load_catalog()
    figures = spiky_vs_steady(catalog)
    figures |= reserved_mix(catalog)
    figures |= buy_vs_rent(catalog)
    return figures


if __name__ == "__main__":
    main()
