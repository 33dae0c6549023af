import datetime as dt
import textwrap

import pandas as pd
import pytest

from llmtco import CatalogError, PriceMagnitudeWarning, UnknownIdError, load_catalog
from llmtco.catalog import KINDS, packaged_catalog_dir


def write(tmp_path, text, name="user.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- the packaged catalog -------------------------------------------------------------------


def test_packaged_catalog_is_found_and_valid(packaged_catalog):
    assert packaged_catalog_dir().is_dir()
    for kind in KINDS:
        assert packaged_catalog.ids(kind), kind


def test_starter_catalog_covers_the_issue_minimum(packaged_catalog):
    for entry in (
        "openai/gpt-4o",
        "openai/gpt-4o-mini",
        "anthropic/claude-sonnet-4-6",
        "google/gemini-2.5-pro",
    ):
        packaged_catalog.api_price(entry)
    assert packaged_catalog.gpu_instance("aws/p4d.24xlarge").gpu == "nvidia/a100-40gb"
    h100_offers = packaged_catalog.gpu_instances().query("gpu == 'nvidia/h100-sxm'")
    assert len(h100_offers) >= 1
    models = {
        p.model
        for p in map(packaged_catalog.serving_profile, packaged_catalog.ids("serving_profiles"))
    }
    assert {"meta/llama-3.1-8b-instruct", "meta/llama-3.3-70b-instruct"} <= models


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_packaged_entry_has_a_source_and_a_date(packaged_catalog, kind):
    frame = packaged_catalog._frame(kind)
    assert frame["source"].str.len().min() > 0
    assert all(isinstance(d, dt.date) for d in frame["checked"])
    assert frame["checked"].max() <= dt.date.today()


def test_gpt_4o_prices(packaged_catalog):
    sheet = packaged_catalog.api_price("openai/gpt-4o")
    assert (sheet.input_usd_per_mtok, sheet.output_usd_per_mtok) == (2.5, 10.0)


def test_listing_frames(packaged_catalog):
    frame = packaged_catalog.api_prices()
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.name == "id"
    assert {"input_usd_per_mtok", "source", "checked", "file", "user_override"} <= set(frame)
    assert not frame["user_override"].any()


# --- lookups ---------------------------------------------------------------------------------


def test_unknown_id_suggests_the_closest(packaged_catalog):
    with pytest.raises(UnknownIdError, match=r"unknown api price id 'openai/gpt4o'.*openai/gpt-4o"):
        packaged_catalog.api_price("openai/gpt4o")
    with pytest.raises(UnknownIdError, match=r"aws/p5\.48xlarge"):
        packaged_catalog.gpu_instance("aws/p5.48xlarg")


def test_unknown_id_is_a_lookup_error(packaged_catalog):
    with pytest.raises(LookupError):
        packaged_catalog.gpu("nvidia/h1000")


# --- user files --------------------------------------------------------------------------------


def test_user_entry_overrides_packaged_and_says_so(tmp_path):
    path = write(
        tmp_path,
        """\
        api_prices:
          - id: openai/gpt-4o
            provider: openai
            model: gpt-4o
            input_usd_per_mtok: 2.0
            output_usd_per_mtok: 8.0
            source: negotiated contract
            checked: 2026-11-01
        """,
    )
    catalog = load_catalog(path)
    assert catalog.api_price("openai/gpt-4o").input_usd_per_mtok == 2.0
    assert "openai/gpt-4o from" in repr(catalog)
    assert catalog.api_prices().loc["openai/gpt-4o", "user_override"]
    [override] = catalog.overrides
    assert override.user_file == str(path)


def test_folder_of_user_files(tmp_path, test_catalog_file):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.yml").write_text(test_catalog_file.read_text())
    catalog = load_catalog(tmp_path, include_packaged=False)
    assert catalog.ids("gpu_instances") == ["test/box-1", "test/box-4"]


def test_duplicate_id_within_user_layer_is_an_error(tmp_path, test_catalog_file):
    other = write(tmp_path, test_catalog_file.read_text(), name="copy.yaml")
    with pytest.raises(CatalogError, match="is defined twice"):
        load_catalog(test_catalog_file, other, include_packaged=False)


def test_negative_price_names_file_key_and_value(tmp_path):
    path = write(
        tmp_path,
        """\
        api_prices:
          - id: acme/model
            provider: acme
            model: model
            input_usd_per_mtok: -1
            output_usd_per_mtok: 1
            source: x
            checked: 2026-01-01
        """,
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert str(path) in message
    assert "api_prices[0] (id acme/model).input_usd_per_mtok" in message
    assert "greater than or equal to 0" in message
    assert "got -1" in message


def test_missing_source_and_date_rejected(tmp_path):
    path = write(
        tmp_path,
        """\
        api_prices:
          - id: acme/model
            provider: acme
            model: model
            input_usd_per_mtok: 1
            output_usd_per_mtok: 1
        """,
    )
    with pytest.raises(
        CatalogError, match=r"(?s)\.source: Field required.*\.checked: Field required"
    ):
        load_catalog(path)


def test_unknown_kind_suggests_a_fix(tmp_path):
    path = write(tmp_path, "api_price: []\n")
    with pytest.raises(CatalogError, match="unknown kind of entry \\(did you mean 'api_prices'"):
        load_catalog(path)


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "api_prices:\n  - id: [unclosed\n")
    with pytest.raises(CatalogError, match=rf"{path.name}:\d+:\d+: invalid YAML"):
        load_catalog(path)


def test_duplicate_key_in_yaml_rejected(tmp_path):
    path = write(
        tmp_path,
        """\
        api_prices:
          - id: acme/model
            input_usd_per_mtok: 1
            input_usd_per_mtok: 2
        """,
    )
    with pytest.raises(CatalogError, match="duplicate key 'input_usd_per_mtok' at line 4"):
        load_catalog(path)


def test_yaml_is_loaded_safely(tmp_path):
    path = write(tmp_path, "api_prices: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(CatalogError, match="invalid YAML"):
        load_catalog(path)


def test_missing_path(tmp_path):
    with pytest.raises(CatalogError, match="no such catalog file or folder"):
        load_catalog(tmp_path / "nope.yaml")


def test_dangling_reference_names_closest(tmp_path, test_catalog_file):
    path = write(
        tmp_path,
        """\
        gpu_instances:
          - id: test/box-9
            provider: test
            gpu: test/gpv
            gpu_count: 1
            on_demand_usd_per_hour: 2.0
            source: x
            checked: 2026-01-01
        """,
    )
    with pytest.raises(
        CatalogError, match=r"test/box-9\)\.gpu: unknown gpus id 'test/gpv'.*test/gpu"
    ):
        load_catalog(test_catalog_file, path, include_packaged=False)


def test_magnitude_warning_names_the_file(tmp_path, test_catalog_file):
    path = write(
        tmp_path,
        """\
        gpu_instances:
          - id: test/box-monthly
            provider: test
            gpu: test/gpu
            gpu_count: 1
            on_demand_usd_per_hour: 1460
            source: x
            checked: 2026-01-01
        """,
    )
    with pytest.warns(PriceMagnitudeWarning, match=rf"{path.name}: gpu_instances\[0\].*monthly"):
        load_catalog(test_catalog_file, path, include_packaged=False)


# --- coverage of the packaged catalog (issue minimums; accuracy beats breadth) ------------------


def _providers(catalog, kind):
    return {entry_id.split("/", 1)[0] for entry_id in catalog.ids(kind)}


def test_packaged_coverage_minimums(packaged_catalog):
    assert len(packaged_catalog.ids("api_prices")) >= 40
    assert len(_providers(packaged_catalog, "api_prices")) >= 8
    assert {"openai", "anthropic", "google", "mistral", "deepseek"} <= _providers(
        packaged_catalog, "api_prices"
    )
    assert len(packaged_catalog.ids("gpus")) >= 10
    assert len(packaged_catalog.ids("gpu_instances")) >= 30
    assert len(_providers(packaged_catalog, "gpu_instances")) >= 6
    assert len(packaged_catalog.ids("open_models")) >= 15
    assert len(packaged_catalog.ids("serving_profiles")) >= 12


def test_packaged_billing_rules_are_represented(packaged_catalog):
    sheets = [packaged_catalog.api_price(i) for i in packaged_catalog.ids("api_prices")]
    assert any(s.long_context for s in sheets)
    assert any(s.batch for s in sheets)
    assert any(s.cache_write_usd_per_mtok for s in sheets)
    assert any(s.off_peak for s in sheets)
    assert any(s.history for s in sheets)
    assert any(s.rate_limits for s in sheets)


def test_packaged_rate_limit_coverage(packaged_catalog):
    # 2 Groq free-plan entries were there before; 12 sheets gained published tiers: OpenAI 5,
    # Anthropic 3, Google 2, Groq 2. Each entry's notes name the source and the check date.
    sheets = [packaged_catalog.api_price(i) for i in packaged_catalog.ids("api_prices")]
    limited = [s for s in sheets if s.rate_limits]
    assert len(limited) >= 14
    assert {"openai", "anthropic", "google", "groq"} <= {s.provider for s in limited}
    for s in limited:
        assert "Rate limits" in s.notes or s.provider == "groq", s.id
    gpt4o = packaged_catalog.api_price("openai/gpt-4o")
    assert [r.tier for r in gpt4o.rate_limits] == [f"Tier {k}" for k in range(1, 6)]
    assert gpt4o.rate_limits[0].requests_per_minute == 500
    assert gpt4o.rate_limits[0].tokens_per_minute == 30_000
