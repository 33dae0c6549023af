"""Billing rules of ApiPriceSheet.request_cost, hand-worked and as properties."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco import ApiPriceSheet, PriceNotInEffectError, load_catalog
from llmtco.engine import PriceArrays, request_cost_usd, window_share

CHECKED = dt.date(2026, 8, 21)


def gpt_54(**overrides):
    """Shaped like openai/gpt-5.4: a 272k cliff, batch and flex, cache read 10% of input."""
    fields = {
        "id": "openai/gpt-5.4",
        "provider": "openai",
        "model": "gpt-5.4",
        "input_usd_per_mtok": 2.50,
        "output_usd_per_mtok": 15.00,
        "cached_input_usd_per_mtok": 0.25,
        "batch": {"input_usd_per_mtok": 1.25, "output_usd_per_mtok": 7.50},
        "flex": {"input_usd_per_mtok": 1.25, "output_usd_per_mtok": 7.50},
        "long_context": [
            {
                "above_input_tokens": 272_000,
                "input_usd_per_mtok": 5.00,
                "output_usd_per_mtok": 22.50,
                "cached_input_usd_per_mtok": 0.50,
            }
        ],
        "source": "https://openai.com/api/pricing/",
        "checked": CHECKED,
    }
    return ApiPriceSheet(**(fields | overrides))


def sonnet(**overrides):
    """Shaped like anthropic/claude-sonnet-4-5: cache writes at 1.25x, a 200k cliff."""
    fields = {
        "id": "anthropic/claude-sonnet-4-5",
        "provider": "anthropic",
        "model": "claude-sonnet-4-5",
        "input_usd_per_mtok": 3.00,
        "output_usd_per_mtok": 15.00,
        "cached_input_usd_per_mtok": 0.30,
        "cache_write_usd_per_mtok": 3.75,
        "long_context": [
            {
                "above_input_tokens": 200_000,
                "input_usd_per_mtok": 6.00,
                "output_usd_per_mtok": 22.50,
                "cached_input_usd_per_mtok": 0.60,
                "cache_write_usd_per_mtok": 7.50,
            }
        ],
        "source": "https://www.anthropic.com/pricing#api",
        "checked": CHECKED,
    }
    return ApiPriceSheet(**(fields | overrides))


# --- hand-worked cases --------------------------------------------------------------------------


def test_below_the_cliff():
    # 100k in x 2.50 + 2k out x 15.00 = 0.25 + 0.03
    assert gpt_54().request_cost(100_000, 2_000) == pytest.approx(0.28)


def test_cliff_switches_every_price_of_the_request():
    # 300k prompt > 272k: 300k x 5.00 + 2k x 22.50 = 1.50 + 0.045, not only the excess.
    assert gpt_54().request_cost(300_000, 2_000) == pytest.approx(1.545)


def test_cliff_counts_cached_tokens_in_the_prompt():
    # 100k uncached + 200k cached = 300k prompt: 100k x 5 + 200k x 0.50 + 1k x 22.50.
    cost = gpt_54().request_cost(100_000, 1_000, cached_input_tokens=200_000)
    assert cost == pytest.approx(0.5 + 0.1 + 0.0225)


def test_threshold_is_strict_unless_inclusive():
    sheet = gpt_54()
    at = sheet.request_cost(272_000, 0)
    assert at == pytest.approx(272_000 * 2.5e-6)
    inclusive = gpt_54(long_context=[sheet.long_context[0].model_copy(update={"inclusive": True})])
    assert inclusive.request_cost(272_000, 0) == pytest.approx(272_000 * 5e-6)


def test_cache_read_and_write_mix():
    # 10k fresh x 3.00 + 50k read x 0.30 + 20k written x 3.75 + 1k out x 15.00
    cost = sonnet().request_cost(
        10_000, 1_000, cached_input_tokens=50_000, cache_write_tokens=20_000
    )
    assert cost == pytest.approx(0.030 + 0.015 + 0.075 + 0.015)


def test_cache_write_above_the_cliff():
    # 150k fresh + 60k written = 210k > 200k: 150k x 6 + 60k x 7.50 + 1k x 22.50
    cost = sonnet().request_cost(150_000, 1_000, cache_write_tokens=60_000)
    assert cost == pytest.approx(0.9 + 0.45 + 0.0225)


def test_batch_request():
    # 100k x 1.25 + 2k x 7.50; the cache read keeps the standard 0.25 (batch lists none).
    assert gpt_54().request_cost(100_000, 2_000, tier="batch") == pytest.approx(0.14)
    assert gpt_54().request_cost(0, 0, 10_000, tier="batch") == pytest.approx(0.0025)


def test_batch_above_the_cliff_keeps_its_discount():
    # Batch is half of standard; above the cliff half of the long-context price.
    assert gpt_54().request_cost(300_000, 2_000, tier="batch") == pytest.approx(1.545 / 2)


def test_missing_tier_is_an_error_not_a_zero():
    with pytest.raises(ValueError, match="has no priority prices; it lists: standard, batch, flex"):
        gpt_54().request_cost(1, 1, tier="priority")


def test_per_request_fee():
    sheet = gpt_54(request_usd=0.01)
    assert sheet.request_cost(np.zeros(3), 0) == pytest.approx([0.01] * 3)


def test_off_peak_window():
    deepseek = ApiPriceSheet(
        id="deepseek/v",
        provider="deepseek",
        model="v",
        input_usd_per_mtok=0.44,
        output_usd_per_mtok=1.32,
        cached_input_usd_per_mtok=0.014,
        off_peak={
            "hours_utc": "16:30-00:30",
            "input_usd_per_mtok": 0.22,
            "output_usd_per_mtok": 0.66,
            "cached_input_usd_per_mtok": 0.007,
        },
        source="x",
        checked=CHECKED,
    )
    hours = np.array([0.0, 0.5, 12.0, 16.4, 16.5, 23.9])
    np.testing.assert_array_equal(
        deepseek.in_off_peak(hours), [True, False, False, False, True, True]
    )
    costs = deepseek.request_cost(1e6, 1e6, off_peak=deepseek.in_off_peak(hours))
    np.testing.assert_allclose(costs, [0.88, 1.76, 1.76, 1.76, 0.88, 0.88])
    with pytest.raises(ValueError, match="has no off-peak window"):
        gpt_54().request_cost(1, 1, off_peak=True)


def test_aggregate_cost_matches_request_cost_below_the_cliff():
    sheet = gpt_54()
    assert sheet.cost(100_000, 2_000, 5_000) == pytest.approx(
        sheet.request_cost(100_000, 2_000, 5_000)
    )


# --- price history ------------------------------------------------------------------------------


def o3():
    return ApiPriceSheet(
        id="openai/o3",
        provider="openai",
        model="o3",
        input_usd_per_mtok=2.0,
        output_usd_per_mtok=8.0,
        cached_input_usd_per_mtok=0.5,
        effective_from=dt.date(2025, 6, 10),
        history=[
            {
                "start": dt.date(2025, 4, 16),
                "end": dt.date(2025, 6, 10),
                "input_usd_per_mtok": 10.0,
                "output_usd_per_mtok": 40.0,
                "cached_input_usd_per_mtok": 2.5,
            }
        ],
        source="https://openai.com/api/pricing/",
        checked=CHECKED,
    )


def test_history_gives_the_price_of_the_day():
    sheet = o3()
    assert sheet.as_of(dt.date(2025, 6, 10)).input_usd_per_mtok == 2.0
    assert sheet.as_of(dt.date(2025, 6, 9)).input_usd_per_mtok == 10.0
    assert sheet.as_of(dt.date(2025, 6, 9)).request_cost(1e6, 1e6) == pytest.approx(50.0)
    assert sheet.as_of(dt.date(2025, 1, 1)) is None


def test_history_must_be_consistent():
    with pytest.raises(ValueError, match="effective_from must be given"):
        o3().model_validate(o3().model_dump() | {"effective_from": None})
    with pytest.raises(ValueError, match=r"start .* must be before end"):
        o3().model_validate(
            o3().model_dump()
            | {
                "history": [
                    {
                        "start": "2025-07-01",
                        "end": "2025-06-01",
                        "input_usd_per_mtok": 1,
                        "output_usd_per_mtok": 1,
                    }
                ]
            }
        )


def test_catalog_as_of(tmp_path, test_catalog_file):
    path = tmp_path / "o3.yaml"
    import yaml

    from llmtco.catalog import entry_to_dict

    path.write_text(yaml.safe_dump({"api_prices": [entry_to_dict(o3())]}))
    today = load_catalog(path, include_packaged=False)
    assert today.api_price("openai/o3").input_usd_per_mtok == 2.0
    before = load_catalog(path, include_packaged=False, as_of=dt.date(2025, 5, 1))
    assert before.api_price("openai/o3").input_usd_per_mtok == 10.0
    assert "as of 2025-05-01" in repr(before)
    ancient = load_catalog(path, include_packaged=False, as_of=dt.date(2024, 1, 1))
    with pytest.raises(PriceNotInEffectError, match="no price known in effect on 2024-01-01"):
        ancient.api_price("openai/o3")


# --- properties ---------------------------------------------------------------------------------

tokens = st.floats(min_value=0, max_value=1e6)


@given(tokens, tokens, tokens, tokens, st.sampled_from(["standard", "batch", "flex"]))
def test_non_negative_and_monotone_in_output(i, o, c, w, tier):
    sheet = sonnet(
        batch={"input_usd_per_mtok": 1.5, "output_usd_per_mtok": 7.5},
        flex={"input_usd_per_mtok": 2.0, "output_usd_per_mtok": 10.0},
    )
    if tier == "flex" and i + c + w > 200_000:
        with pytest.raises(ValueError, match="lists no flex prices above"):
            sheet.request_cost(i, o, c, w, tier)
        return
    base = sheet.request_cost(i, o, c, w, tier)
    assert base >= 0
    assert sheet.request_cost(i, o + 1000, c, w, tier) >= base


@given(st.lists(st.tuples(tokens, tokens, tokens, tokens), min_size=1, max_size=25))
def test_vectorized_equals_scalar(rows):
    sheet = sonnet()
    arrays = [np.array(col) for col in zip(*rows, strict=True)]
    vector = sheet.request_cost(*arrays)
    np.testing.assert_allclose(vector, [sheet.request_cost(*r) for r in rows], rtol=1e-12)


@given(tokens, tokens, tokens, st.floats(0.01, 100))
def test_scaling_every_price_scales_the_cost(i, o, c, k):
    table = [PriceArrays(3.0, 15.0, 0.3, 3.75), PriceArrays(6.0, 22.5, 0.6, 7.5)]
    scaled = [PriceArrays(*(k * p for p in prices)) for prices in table]
    base = request_cost_usd(
        i, o, c, 0, price_table=table, thresholds_tokens=[200_000], request_usd=0.01
    )
    other = request_cost_usd(
        i, o, c, 0, price_table=scaled, thresholds_tokens=[200_000], request_usd=0.01 * k
    )
    assert other == pytest.approx(k * base, rel=1e-9, abs=1e-15)


def test_request_cost_rejects_bad_tables():
    with pytest.raises(ValueError, match="one price set more than thresholds_tokens"):
        request_cost_usd(1, 1, 0, 0, price_table=[PriceArrays(1, 1, 1, 1)], thresholds_tokens=[10])
    with pytest.raises(ValueError, match="input_tokens must be a finite number >= 0"):
        request_cost_usd(-1, 1, 0, 0, price_table=[PriceArrays(1, 1, 1, 1)])


# --- time-of-day share ------------------------------------------------------------------------


def test_window_share_flat_and_profiled():
    assert window_share(None, 16.5, 0.5) == pytest.approx(8 / 24)
    assert window_share(None, 0.0, 0.0) == pytest.approx(1.0)
    day = [0.0] * 9 + [1.0] * 8 + [0.0] * 7  # 09:00-17:00
    assert window_share(day * 7, 16.5, 0.5) == pytest.approx(0.5 / 8)
    # The same office hours in New York (UTC-5) are 14:00-22:00 UTC: 5.5 of 8 hours inside.
    assert window_share(day * 7, 16.5, 0.5, utc_offset_hours=-5) == pytest.approx(5.5 / 8)


@given(
    st.lists(st.floats(0, 10), min_size=168, max_size=168), st.floats(0, 23.5), st.floats(0, 23.5)
)
def test_window_share_is_a_share(profile, start, end):
    if sum(profile) == 0:
        return
    share = window_share(profile, start, end)
    assert -1e-12 <= share <= 1 + 1e-12
    if start != end:
        complement = window_share(profile, end, start)
        assert share + complement == pytest.approx(1.0)


def test_flex_and_priority_refuse_prompts_past_a_cliff():
    sheet = gpt_54(priority={"input_usd_per_mtok": 5.0, "output_usd_per_mtok": 30.0})
    assert sheet.request_cost(100_000, 1_000, tier="priority") == pytest.approx(0.53)
    with pytest.raises(ValueError, match="lists no priority prices above its 272000-token"):
        sheet.request_cost(np.array([100_000, 300_000]), 1_000, tier="priority")
    with pytest.raises(ValueError, match="lists no flex prices above"):
        sheet.prices_for(300_000, "flex")


def test_missing_cache_prices_follow_the_set_that_applies():
    # No cache prices anywhere: cache tokens cost the input price of the set that applies,
    # so above the cliff they cost the long-context input price.
    sheet = gpt_54(
        cached_input_usd_per_mtok=None,
        long_context=[
            {"above_input_tokens": 272_000, "input_usd_per_mtok": 5.0, "output_usd_per_mtok": 22.5}
        ],
    )
    assert sheet.request_cost(0, 0, 100_000) == pytest.approx(0.25)
    assert sheet.request_cost(200_000, 0, 0, 100_000) == pytest.approx(1.5)
    # With a standard cached price, a set that lists none inherits it (LiteLLM's rule).
    assert gpt_54().request_cost(0, 0, 10_000, tier="batch") == pytest.approx(0.0025)
