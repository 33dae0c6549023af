"""The LiteLLM import reproduces LiteLLM's own billing rules for the same data."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from llmtco import CatalogError, import_litellm, load_catalog
from llmtco.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "litellm_prices.json"
MAP = json.loads(FIXTURE.read_text())
CHECKED = dt.date(2026, 11, 1)


def litellm_rule(
    entry, text, completion, cache_hit, cache_creation, service_tier=None, off_peak=False
):
    """LiteLLM's documented rule, written independently from llmtco's code.

    prompt_tokens = text + cache_hit + cache_creation. Above an ``_above_Nk_tokens`` threshold
    (strictly, inclusively for xAI) every rate takes its above-N key, or keeps its base value
    when that key is missing. A service-tier rate falls back to the base rate; an off-peak
    rate replaces whatever applies.
    """

    def rate(key, default=0.0):
        if service_tier:
            tiered = entry.get(f"{key}_{service_tier}")
            if tiered is not None:
                return tiered
        return entry.get(key, default)

    rates = {
        "in": rate("input_cost_per_token"),
        "out": rate("output_cost_per_token"),
        "read": rate("cache_read_input_token_cost"),
        "write": rate("cache_creation_input_token_cost"),
    }
    prompt = text + cache_hit + cache_creation
    thresholds = sorted(
        (
            float(k.split("_above_")[1].split("_tokens")[0].replace("k", ""))
            * (1000 if "k_tokens" in k else 1),
            k.split("_above_")[1].split("_tokens")[0],
        )
        for k in entry
        if k.startswith("input_cost_per_token_above_")
    )
    inclusive = entry["litellm_provider"] == "xai"
    for threshold, label in reversed(thresholds):
        if prompt > threshold or (inclusive and prompt == threshold):
            rates = {
                "in": entry.get(f"input_cost_per_token_above_{label}_tokens", rates["in"]),
                "out": entry.get(f"output_cost_per_token_above_{label}_tokens", rates["out"]),
                "read": entry.get(
                    f"cache_read_input_token_cost_above_{label}_tokens", rates["read"]
                ),
                "write": entry.get(
                    f"cache_creation_input_token_cost_above_{label}_tokens", rates["write"]
                ),
            }
            break
    if off_peak:
        block = entry["off_peak_pricing"]
        rates = {
            "in": block.get("input_cost_per_token", rates["in"]),
            "out": block.get("output_cost_per_token", rates["out"]),
            "read": block.get("cache_read_input_token_cost", rates["read"]),
            "write": block.get("cache_creation_input_token_cost", rates["write"]),
        }
    return (
        text * rates["in"]
        + completion * rates["out"]
        + cache_hit * rates["read"]
        + cache_creation * rates["write"]
    )


@pytest.fixture(scope="module")
def imported():
    return import_litellm(FIXTURE, checked=CHECKED)


def test_keys_and_ids(imported):
    assert set(imported) == {
        "gpt-4o",
        "gpt-5.4",
        "anthropic/claude-sonnet-4-5",
        "gemini/gemini-2.5-pro",
        "xai/grok-4",
        "deepseek/deepseek-v4-flash",
    }
    assert imported["gpt-4o"].id == "openai/gpt-4o"
    assert imported["anthropic/claude-sonnet-4-5"].id == "anthropic/claude-sonnet-4-5"


def test_skipped_with_reasons(imported):
    assert imported.skipped == {
        "sample_spec": "LiteLLM's documentation entry",
        "text-embedding-3-small": "mode 'embedding' is not chat",
        "dall-e-3": "mode 'image_generation' is not chat",
        "free-model": (
            "priced 0 for input and output (free, self-hosted or not known); llmtco never "
            "imports a price of zero by default"
        ),
    }


def test_fields_mapped(imported):
    gpt4o = imported["gpt-4o"]
    assert (gpt4o.input_usd_per_mtok, gpt4o.output_usd_per_mtok) == (2.5, 10.0)
    assert gpt4o.batch.input_usd_per_mtok == 1.25
    assert gpt4o.priority.output_usd_per_mtok == 17.0
    assert gpt4o.context_window_tokens == 128000
    assert gpt4o.max_output_tokens == 16384
    assert gpt4o.checked == CHECKED
    sonnet = imported["anthropic/claude-sonnet-4-5"]
    assert sonnet.input_usd_per_mtok == 3.3  # float noise of the source removed
    assert sonnet.long_context[0].above_input_tokens == 200_000
    assert sonnet.rate_limits[0].requests_per_minute == 4000
    assert sonnet.retires == dt.date(2026, 11, 30)
    assert imported["xai/grok-4"].long_context[0].inclusive
    assert imported["deepseek/deepseek-v4-flash"].off_peak.hours_utc == "16:30-00:30"


REQUESTS = [
    (1_000, 500, 0, 0),
    (150_000, 2_000, 40_000, 10_000),
    (200_000, 1_000, 0, 0),
    (200_001, 1_000, 0, 0),
    (128_000, 100, 0, 0),
    (300_000, 4_000, 100_000, 0),
    (0, 0, 0, 0),
]


def both_define(entry, hit, creation):
    """LiteLLM bills cache reads or writes at 0 where it lists no price for them; llmtco bills
    them at the input price (nothing unknown is priced at zero). Elsewhere the rules agree."""
    return (hit == 0 or "cache_read_input_token_cost" in entry) and (
        creation == 0 or "cache_creation_input_token_cost" in entry
    )


@pytest.mark.parametrize(
    "key",
    [
        "gpt-4o",
        "gpt-5.4",
        "anthropic/claude-sonnet-4-5",
        "gemini/gemini-2.5-pro",
        "xai/grok-4",
        "deepseek/deepseek-v4-flash",
    ],
)
@pytest.mark.parametrize("request_tokens", REQUESTS)
def test_costs_equal_litellm_rules(imported, key, request_tokens):
    text, completion, hit, creation = request_tokens
    if not both_define(MAP[key], hit, creation):
        pytest.skip("LiteLLM prices these cache tokens at 0; see test_documented_difference")
    expected = litellm_rule(MAP[key], *request_tokens)
    assert imported[key].request_cost(text, completion, hit, creation) == pytest.approx(
        expected, rel=1e-9, abs=1e-15
    )


@pytest.mark.parametrize(
    ("key", "tier", "litellm_tier"),
    [
        ("gpt-4o", "batch", "batches"),
        ("gpt-4o", "priority", "priority"),
        ("gpt-5.4", "flex", "flex"),
    ],
)
def test_service_tiers_equal_litellm_rules(imported, key, tier, litellm_tier):
    expected = litellm_rule(MAP[key], 10_000, 1_000, 5_000, 0, service_tier=litellm_tier)
    assert imported[key].request_cost(10_000, 1_000, 5_000, tier=tier) == pytest.approx(expected)


def test_off_peak_equals_litellm_rules(imported):
    key = "deepseek/deepseek-v4-flash"
    expected = litellm_rule(MAP[key], 10_000, 1_000, 5_000, 0, off_peak=True)
    assert imported[key].request_cost(10_000, 1_000, 5_000, off_peak=True) == pytest.approx(
        expected
    )


counts = st.integers(min_value=0, max_value=400_000)


@given(
    st.sampled_from(
        sorted(set(MAP) - {"sample_spec", "text-embedding-3-small", "dall-e-3", "free-model"})
    ),
    counts,
    counts,
    counts,
    counts,
)
def test_costs_equal_litellm_rules_everywhere(key, text, completion, hit, creation):
    hit = hit if "cache_read_input_token_cost" in MAP[key] else 0
    creation = creation if "cache_creation_input_token_cost" in MAP[key] else 0
    sheet = import_litellm({key: MAP[key]}, checked=CHECKED)[key]
    expected = litellm_rule(MAP[key], text, completion, hit, creation)
    assert sheet.request_cost(text, completion, hit, creation) == pytest.approx(
        expected, rel=1e-9, abs=1e-15
    )


def test_documented_difference_missing_cache_prices(imported):
    # gpt-4o lists no cache-write price: LiteLLM bills 10k cache-write tokens at 0, llmtco at
    # the input price, 10k x 2.50 USD/Mtok.
    assert litellm_rule(MAP["gpt-4o"], 0, 0, 0, 10_000) == 0.0
    assert imported["gpt-4o"].request_cost(0, 0, 0, 10_000) == pytest.approx(0.025)
    # grok-4 lists no cache-read price: free in LiteLLM, full input price here.
    assert litellm_rule(MAP["xai/grok-4"], 0, 0, 10_000, 0) == 0.0
    assert imported["xai/grok-4"].request_cost(0, 0, 10_000) == pytest.approx(0.03)


def test_round_trip_through_yaml_and_the_catalog(imported, tmp_path):
    path = tmp_path / "imported.yaml"
    path.write_text(imported.to_yaml())
    catalog = load_catalog(path, include_packaged=False)
    for key, sheet in imported.items():
        loaded = catalog.api_price(sheet.id)
        assert loaded == sheet, key
        tokens = np.array([[1_000, 500, 0, 0], [300_000, 2_000, 50_000, 1_000]]).T
        np.testing.assert_allclose(loaded.request_cost(*tokens), sheet.request_cost(*tokens))


def test_bad_inputs(tmp_path):
    with pytest.raises(CatalogError, match="a LiteLLM price map is a JSON object"):
        import_litellm([1, 2])  # type: ignore[arg-type]
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CatalogError, match=r"bad\.json:1:2: invalid JSON"):
        import_litellm(bad)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"caf\xe9": {}}'.encode("latin-1"))
    with pytest.raises(
        CatalogError,
        match=r"latin\.json:1: not UTF-8 text \(byte 0xe9 at offset 5\); a LiteLLM map is UTF-8",
    ):
        import_litellm(latin)
    negative = {"litellm_provider": "x", "input_cost_per_token": -1e-6, "output_cost_per_token": 1}
    imported = import_litellm({"neg": negative})
    assert len(imported) == 0
    assert imported.skipped == {"neg": "a price must be a finite number >= 0; got -1e-06"}


def test_colliding_ids_are_skipped_not_duplicated():
    entry = {
        "litellm_provider": "openai",
        "input_cost_per_token": 1e-6,
        "output_cost_per_token": 2e-6,
    }
    imported = import_litellm({"gpt-x": entry, "openai/gpt-x": entry})
    assert list(imported) == ["gpt-x"]
    assert "already taken by key 'gpt-x'" in imported.skipped["openai/gpt-x"]


def test_cli_import_writes_a_loadable_catalog_file(tmp_path, capsys):
    out = tmp_path / "litellm.yaml"
    assert (
        main(
            ["prices", "import-litellm", str(FIXTURE), "--out", str(out), "--checked", "2026-11-01"]
        )
        == 0
    )
    assert "imported 6 price sheets, skipped 4" in capsys.readouterr().err
    data = yaml.safe_load(out.read_text())
    assert data["api_prices"][0]["id"] == "openai/gpt-4o"
    assert (
        load_catalog(out, include_packaged=False).api_price("openai/gpt-4o").input_usd_per_mtok
        == 2.5
    )
    assert main(["prices", "import-litellm", str(FIXTURE), "--out", str(out)]) == 1


REAL_SHAPES = Path(__file__).parent / "fixtures" / "litellm_real_shapes.json"


def test_real_map_shapes_import_everything_importable():
    """Shapes of LiteLLM's current map: one odd entry never stops the rest."""
    imported = import_litellm(REAL_SHAPES, checked=CHECKED)
    assert {key: sheet.id for key, sheet in imported.items()} == {
        "cloudflare/@cf/meta/llama-2-7b-chat-fp16": "cloudflare/@cf/meta/llama-2-7b-chat-fp16",
        "cloudflare/@hf/thebloke/codellama-7b-instruct-awq": (
            "cloudflare/@hf/thebloke/codellama-7b-instruct-awq"
        ),
        "llama3.1-70b": "cerebras/llama3.1-70b",
        "llama-guard-3-8b": "groq/llama-guard-3-8b",
        "gemini/gemini-2.0-flash-lite": "gemini/gemini-2.0-flash-lite",
        # The key's own prefix is kept when it is not the provider's.
        "vertex_ai/gemini-1.5-flash": "vertex_ai-language-models/vertex_ai/gemini-1.5-flash",
        "anthropic.claude-3-5-sonnet-20240620-v1:0": (
            "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0"
        ),
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo": (
            "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"
        ),
    }
    cloudflare = imported["cloudflare/@cf/meta/llama-2-7b-chat-fp16"]
    assert (cloudflare.input_usd_per_mtok, cloudflare.output_usd_per_mtok) == (1.923, 1.923)
    # Prices written as text are numbers all the same.
    together = imported["together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert together.input_usd_per_mtok == 0.88
    # A limit of Infinity is no known limit; the rate limits still come through.
    flash = imported["gemini/gemini-2.0-flash-lite"]
    assert flash.context_window_tokens is None
    assert flash.max_output_tokens == 8192
    assert flash.rate_limits[0].tokens_per_minute == 4_000_000
    # A deprecation date that is no date is noted, not fatal.
    assert "'TBD' is no date" in imported["anthropic.claude-3-5-sonnet-20240620-v1:0"].notes
    assert imported["vertex_ai/gemini-1.5-flash"].retires == dt.date(2025, 9, 24)


def test_real_map_shapes_are_skipped_with_their_reason():
    skipped = import_litellm(REAL_SHAPES, checked=CHECKED).skipped
    free = "priced 0 for input and output"
    assert set(skipped) == {
        "sample_spec",
        "1024-x-1024/dall-e-2",
        "cerebras/llama3.1-70b",
        "groq/llama-guard-3-8b",
        "ollama/llama3.1",
        "openrouter/meta-llama/llama-3.3-70b-instruct:free",
        "azure/gpt 4o legacy",
        "mystery-model",
        "negative/price",
        "nan/price",
        "text/price",
        "odd-entry",
        "codex-mini-latest",
        "text-embedding-3-large",
        "sagemaker/meta-textgeneration-llama-2-7b",
    }
    for key in ("groq/llama-guard-3-8b", "ollama/llama3.1"):
        assert skipped[key].startswith(free), key
    assert skipped["cerebras/llama3.1-70b"] == (
        "maps to id cerebras/llama3.1-70b, already taken by key 'llama3.1-70b'"
    )
    assert skipped["azure/gpt 4o legacy"].startswith("not a valid price sheet: id: String")
    assert skipped["mystery-model"] == "names no litellm_provider, so its id is unknown"
    assert skipped["nan/price"] == "a price must be a finite number >= 0; got nan"
    assert skipped["text/price"] == "a price must be a number; got 'about a dollar'"
    assert skipped["odd-entry"] == "not an object"


def test_a_collision_keeps_the_priced_entry_whichever_comes_first():
    priced = {
        "litellm_provider": "groq",
        "input_cost_per_token": 2e-7,
        "output_cost_per_token": 2e-7,
    }
    free = {"litellm_provider": "groq", "input_cost_per_token": 0.0, "output_cost_per_token": 0.0}
    for order in (("groq/m", free), ("m", priced)), (("m", priced), ("groq/m", free)):
        imported = import_litellm(dict(order))
        assert [sheet.id for sheet in imported.values()] == ["groq/m"]
        assert imported["m"].input_usd_per_mtok == 0.2
        assert imported.skipped["groq/m"].startswith("priced 0 for input and output")
    cheaper = {**priced, "input_cost_per_token": 1e-7}
    imported = import_litellm({"m": priced, "groq/m": cheaper})
    assert imported.skipped["groq/m"].endswith("(whose prices differ)")


def test_real_map_shapes_through_the_command_line(tmp_path, capsys):
    out = tmp_path / "litellm.yaml"
    assert main(["prices", "import-litellm", str(REAL_SHAPES), "--out", str(out)]) == 0
    assert "imported 8 price sheets, skipped 15" in capsys.readouterr().err
    catalog = load_catalog(out, include_packaged=False)
    assert catalog.api_price("cloudflare/@cf/meta/llama-2-7b-chat-fp16").input_usd_per_mtok == 1.923
