import datetime as dt

import pytest
from pydantic import ValidationError

from llmtco import (
    ApiOption,
    ApiPriceSheet,
    GpuInstance,
    Labor,
    PriceMagnitudeWarning,
    Scenario,
    SelfHostedOption,
    Workload,
)
from llmtco.models import Growth, Traffic

CHECKED = dt.date(2026, 8, 21)


def sheet(**overrides):
    fields = {
        "id": "openai/gpt-4o",
        "provider": "openai",
        "model": "gpt-4o",
        "input_usd_per_mtok": 2.5,
        "output_usd_per_mtok": 10.0,
        "cached_input_usd_per_mtok": 1.25,
        "batch": {"input_usd_per_mtok": 1.25, "output_usd_per_mtok": 5.0},
        "source": "https://openai.com/api/pricing/",
        "checked": CHECKED,
    }
    return ApiPriceSheet(**(fields | overrides))


def instance(**overrides):
    fields = {
        "id": "aws/p4d.24xlarge",
        "provider": "aws",
        "gpu": "nvidia/a100-40gb",
        "gpu_count": 8,
        "on_demand_usd_per_hour": 21.96,
        "reserved_1yr_usd_per_hour": 13.92,
        "source": "https://instances.vantage.sh/aws/ec2/p4d.24xlarge",
        "checked": CHECKED,
    }
    return GpuInstance(**(fields | overrides))


# --- ApiPriceSheet ------------------------------------------------------------------------------


def test_sheet_cost_article_000():
    assert sheet().cost(7e6, 3e6) == pytest.approx(47.50)


def test_sheet_cost_cached_and_batch():
    s = sheet()
    assert s.cost(1e6, 0, cached_input_tokens=1e6) == pytest.approx(2.5 + 1.25)
    assert s.cost(1e6, 1e6, batch=True) == pytest.approx(6.25)


def test_sheet_without_cache_price_bills_cache_reads_as_input():
    s = sheet(cached_input_usd_per_mtok=None)
    assert s.cost(0, 0, cached_input_tokens=1e6) == pytest.approx(2.5)


def test_sheet_without_batch_prices_refuses_batch():
    s = sheet(batch=None)
    with pytest.raises(ValueError, match="has no batch prices"):
        s.cost(1, 1, batch=True)


def test_sheet_rejects_negative_price_and_unknown_keys():
    with pytest.raises(ValidationError, match="input_usd_per_mtok"):
        sheet(input_usd_per_mtok=-1.0)
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        sheet(input_usd_per_mtoks=2.5)


def test_sheet_cross_checks():
    with pytest.raises(ValidationError, match="must start with its provider"):
        sheet(provider="anthropic")
    with pytest.raises(ValidationError, match="must not exceed input_usd_per_mtok"):
        sheet(cached_input_usd_per_mtok=3.0)
    with pytest.raises(ValidationError, match=r"batch\.output_usd_per_mtok\s+Field required"):
        sheet(batch={"input_usd_per_mtok": 1.0})


def test_sheet_warns_on_per_token_price():
    # 2.5e-6 is a per-token price typed where a per-1M price belongs.
    with pytest.warns(PriceMagnitudeWarning, match="per token, per 1K tokens"):
        sheet(input_usd_per_mtok=2.5e-6, cached_input_usd_per_mtok=None)


# --- GpuInstance -----------------------------------------------------------------------------


def test_instance_prices_by_purchase_mode():
    i = instance()
    assert i.price_usd_per_hour("on_demand") == 21.96
    assert i.price_usd_per_hour("reserved_1yr") == 13.92
    with pytest.raises(ValueError, match="has no spot price; it lists: on_demand, reserved_1yr"):
        i.price_usd_per_hour("spot")


def test_instance_monthly_price_typed_as_hourly_warns():
    # 21.96 USD/h x 730 h = 16,031 USD/month typed into the hourly field.
    with pytest.warns(PriceMagnitudeWarning, match="monthly price typed as hourly"):
        instance(on_demand_usd_per_hour=16_031.0, reserved_1yr_usd_per_hour=None)


def test_instance_discount_above_on_demand_rejected():
    with pytest.raises(ValidationError, match="must not exceed on_demand_usd_per_hour"):
        instance(reserved_1yr_usd_per_hour=30.0)


# --- Workload, growth, traffic, labor ------------------------------------------------------------


def test_workload_by_requests():
    w = Workload(
        requests_per_month=1e6, input_tokens_per_request=700, output_tokens_per_request=300
    )
    assert w.tokens_per_month_base == 1e9
    assert w.input_token_share == pytest.approx(0.7)


def test_workload_needs_exactly_one_volume_form():
    with pytest.raises(ValidationError, match="give the volume either as"):
        Workload()
    with pytest.raises(ValidationError, match="give the volume either as"):
        Workload(tokens_per_month=1e9, input_share=0.7, requests_per_month=10)
    with pytest.raises(ValidationError, match="go together"):
        Workload(tokens_per_month=1e9)
    with pytest.raises(ValidationError, match="go together: give all three"):
        Workload(requests_per_month=1e6, input_tokens_per_request=700)


def test_growth_and_traffic_one_way_only():
    with pytest.raises(ValidationError, match="not both"):
        Growth(monthly_rate=0.1, multipliers=[1.0, 2.0])
    with pytest.raises(ValidationError, match="give traffic as one of profile, peak_to_mean"):
        Traffic(peak_to_mean=2.0, hour_of_week=[1.0] * 168)
    with pytest.raises(ValidationError, match="at least 168 items"):
        Traffic(hour_of_week=[1.0] * 24)
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Traffic(peak_to_mean=0.5)


def test_labor_is_never_priced_at_zero_by_omission():
    with pytest.raises(ValidationError, match="usd_per_fte_year is 0"):
        Labor(fte=1.0)


# --- Scenario ------------------------------------------------------------------------------------


def scenario(**overrides):
    fields = {
        "name": "t",
        "workload": Workload(tokens_per_month=1e9, input_share=0.7),
        "options": {
            "api": ApiOption(model="openai/gpt-4o"),
            "self": SelfHostedOption(
                instance="aws/p5.48xlarge",
                serving_profile="meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-nim-5000-500",
                labor=Labor(fte=0.5, usd_per_fte_year=200_000),
            ),
        },
    }
    return Scenario(**(fields | overrides))


def test_scenario_defaults():
    s = scenario()
    assert s.hours_per_month == 730.0
    assert s.horizon_months == 36
    assert s.options["self"].target_utilization == 0.7


def test_scenario_multipliers_must_cover_horizon():
    w = Workload(tokens_per_month=1e9, input_share=0.7, growth=Growth(multipliers=[1.0] * 12))
    with pytest.raises(ValidationError, match="has 12 values but horizon_months is 36"):
        scenario(workload=w)


def test_scenario_needs_an_option_and_valid_names():
    with pytest.raises(ValidationError, match="at least 1 item"):
        scenario(options={})
    with pytest.raises(ValidationError, match="should match pattern"):
        scenario(options={"bad name!": ApiOption(model="openai/gpt-4o")})


def test_scenario_from_dict_error_names_key_path_and_value():
    data = scenario().model_dump()
    data["options"]["self"]["target_utilization"] = 1.5
    with pytest.raises(Exception, match=r"f.yaml: options.self.target_utilization: .*got 1.5"):
        Scenario.from_dict(data, source="f.yaml")


# --- rate limits ------------------------------------------------------------------------------


def test_rate_limit_tiers_keep_their_order_and_fee():
    tiers = [
        {"tier": "Tier 1", "requests_per_minute": 500, "tokens_per_minute": 30_000},
        {"tier": "Scale", "input_tokens_per_minute": 10**6, "usd_per_month": 2_000.0},
    ]
    s = sheet(rate_limits=tiers)
    assert [r.tier for r in s.rate_limits] == ["Tier 1", "Scale"]
    assert s.rate_limits[0].usd_per_month == 0.0  # no fee unless given
    assert s.rate_limits[1].usd_per_month == 2_000.0


def test_rate_limit_duplicate_tier_names_are_rejected():
    tiers = [
        {"tier": "Tier 1", "requests_per_minute": 500},
        {"tier": "Tier 2", "requests_per_minute": 5_000},
        {"tier": "Tier 1", "tokens_per_minute": 30_000},
    ]
    message = "rate_limits tiers must be unique; 'Tier 1' repeated"
    with pytest.raises(ValidationError, match=message):
        sheet(rate_limits=tiers)


def test_rate_limit_negative_fee_is_rejected():
    tiers = [{"tier": "Tier 1", "requests_per_minute": 500, "usd_per_month": -1.0}]
    with pytest.raises(ValidationError, match=r"usd_per_month\n.*greater than or equal to 0"):
        sheet(rate_limits=tiers)


def test_rate_limit_needs_at_least_one_limit():
    from llmtco.models.pricing import RateLimit

    with pytest.raises(ValidationError, match="rate limit tier 'free' sets no limit"):
        RateLimit(tier="free", usd_per_month=10.0)
    with pytest.raises(ValidationError, match="greater than 0"):
        RateLimit(tier="free", requests_per_minute=0)


# --- magnitudes (issue 11) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Growth(monthly_rate=4), "less than or equal to 1"),
        (lambda: Growth(multipliers=[1.0, 2e6]), "less than or equal to 1000000"),
        (
            lambda: Workload(tokens_per_month=1e16, input_share=0.7),
            "less than or equal to 1000000000000000",
        ),
        (lambda: Labor(fte=1, usd_per_fte_year=1e300), "less than or equal to 1000000000000000"),
        (
            lambda: SelfHostedOption(instance="a/b", serving_profile="a/b", min_replicas=10**30),
            "1000000000000",
        ),
        (lambda: scenario(discount_rate_per_year=-0.9), "greater than or equal to -0.5"),
    ],
)
def test_magnitudes_are_bounded(make, match):
    # Before: a growth of 4 a month ran and reported 5e28 USD, and products of huge values
    # overflowed to infinite totals.
    with pytest.raises(ValidationError, match=match):
        make()


def test_the_default_scenario_survives_a_dump_and_reload():
    from llmtco import default_scenario

    s = default_scenario()
    assert Scenario.model_validate(s.model_dump()) == s
    assert Scenario.model_validate_json(s.model_dump_json()) == s


def test_a_self_hosted_option_states_its_labor():
    # Before: omitting labor (or labor.fte) priced the people who run the GPUs at zero.
    for labor in ({}, {"labor": Labor(usd_per_fte_year=200_000)}):
        with pytest.raises(ValidationError, match=r"a self-hosted option needs labor\.fte"):
            SelfHostedOption(instance="a/b", serving_profile="a/c", **labor)
    assert (
        SelfHostedOption(instance="a/b", serving_profile="a/c", labor=Labor(fte=0)).labor.fte == 0
    )


def test_a_dump_without_defaults_still_loads():
    # Before: exclude_defaults dropped each option's and distribution's `kind`, so the dump
    # no longer told an API option from a self-hosted one (found by tests/test_fuzz.py).
    from llmtco import default_scenario

    s = default_scenario()
    assert Scenario.from_dict(s.model_dump(mode="json", exclude_defaults=True)) == s


def test_a_dump_without_defaults_keeps_labor_stated_as_zero():
    # Before: `labor: {fte: 0}` equals the default labor, so exclude_defaults dropped it and the
    # dump was refused for omitting labor (found by the baseline capture of the examples).
    option = SelfHostedOption(instance="a/b", serving_profile="a/c", labor=Labor(fte=0))
    dumped = option.model_dump(mode="json", exclude_defaults=True)
    assert dumped == {
        "kind": "self_hosted",
        "labor": {"fte": 0.0},
        "instance": "a/b",
        "serving_profile": "a/c",
    }
    assert SelfHostedOption.model_validate(dumped) == option
    assert Labor().model_dump(exclude_defaults=True) == {"fte": 0.0}
