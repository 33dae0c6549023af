import textwrap

import pytest

from llmtco import PriceMagnitudeWarning, check_catalog, load_catalog
from llmtco.cli import main
from llmtco.sanity import findings_frame

HEADER = "    source: test\n    checked: 2026-11-01\n"


def sheet_yaml(entry_id, body):
    provider, model = entry_id.split("/", 1)
    return (
        f"  - id: {entry_id}\n    provider: {provider}\n    model: {model}\n"
        + textwrap.indent(textwrap.dedent(body), "    ")
        + HEADER
    )


def findings_for(tmp_path, text, test_catalog_file=None, name="bad.yaml"):
    path = tmp_path / name
    path.write_text(text)
    paths = [test_catalog_file, path] if test_catalog_file else [path]
    catalog = load_catalog(*paths, include_packaged=test_catalog_file is None)
    return check_catalog(catalog, files={str(path)}), path


def test_packaged_catalog_has_no_errors(packaged_catalog):
    findings = check_catalog(packaged_catalog)
    errors = [str(f) for f in findings if f.severity == "error"]
    assert errors == []


KNOWN_BAD = {
    # A 1-hour cache write priced at 24x input.
    "cache write 24x": (
        sheet_yaml(
            "acme/cache",
            """\
            input_usd_per_mtok: 3.0
            output_usd_per_mtok: 15.0
            cache_write_usd_per_mtok: 72.0
            """,
        ),
        "cache_write_usd_per_mtok",
        "24x the input price",
    ),
    # A priority input price 50x the standard one.
    "priority 50x": (
        sheet_yaml(
            "acme/prio",
            """\
            input_usd_per_mtok: 2.5
            output_usd_per_mtok: 10.0
            priority:
              input_usd_per_mtok: 125.0
              output_usd_per_mtok: 17.0
            """,
        ),
        "priority.input_usd_per_mtok",
        "expected 1-3.0x",
    ),
    # An output price 10x what other sources list (0.60 -> 6.00 on a 0.15 input).
    "output 10x": (
        sheet_yaml(
            "acme/mini",
            """\
            input_usd_per_mtok: 0.15
            output_usd_per_mtok: 6.0
            """,
        ),
        "output_usd_per_mtok",
        "output is 40x input",
    ),
    # A -latest alias priced differently from the dated id it points to.
    "alias mismatch": (
        sheet_yaml(
            "acme/model-2026-01-01",
            """\
            input_usd_per_mtok: 3.0
            output_usd_per_mtok: 15.0
            """,
        )
        + sheet_yaml(
            "acme/model-latest",
            """\
            input_usd_per_mtok: 3.0
            output_usd_per_mtok: 12.0
            alias_of: acme/model-2026-01-01
            """,
        ),
        "output_usd_per_mtok",
        "differs from 15.0 of acme/model-2026-01-01",
    ),
    # A per-1K price typed where a per-1M price belongs (2.50 / 1000).
    "per-1K slip": (
        sheet_yaml(
            "acme/slip",
            """\
            input_usd_per_mtok: 0.0025
            output_usd_per_mtok: 0.00001
            """,
        ),
        "output_usd_per_mtok",
        "typed per token, per 1K tokens",
    ),
    "batch dearer than standard": (
        sheet_yaml(
            "acme/batchy",
            """\
            input_usd_per_mtok: 1.0
            output_usd_per_mtok: 4.0
            batch:
              input_usd_per_mtok: 2.0
              output_usd_per_mtok: 2.0
            """,
        ),
        "batch.input_usd_per_mtok",
        "batch prices are discounts",
    ),
}


@pytest.mark.filterwarnings("ignore::llmtco.PriceMagnitudeWarning")
@pytest.mark.parametrize("case", list(KNOWN_BAD))
def test_known_bad_examples_are_rejected(tmp_path, case):
    body, field, message = KNOWN_BAD[case]
    findings, path = findings_for(tmp_path, "api_prices:\n" + body)
    errors = [f for f in findings if f.severity == "error" and f.field == field]
    assert errors, [str(f) for f in findings]
    assert message in errors[0].message
    text = str(errors[0])
    assert str(path) in text
    assert field in text


@pytest.mark.filterwarnings("ignore::llmtco.PriceMagnitudeWarning")
def test_monthly_price_typed_as_hourly(tmp_path, test_catalog_file):
    text = """\
gpu_instances:
  - id: test/box-monthly
    provider: test
    gpu: test/gpu
    gpu_count: 1
    on_demand_usd_per_hour: 1460
    source: test
    checked: 2026-11-01
"""
    findings, _ = findings_for(tmp_path, text, test_catalog_file)
    assert [f.field for f in findings if f.severity == "error"] == ["on_demand_usd_per_hour"]
    assert "monthly price typed as hourly" in findings[0].message


def test_instance_far_from_its_gpu_median_is_a_warning(tmp_path, test_catalog_file):
    text = """\
gpu_instances:
  - id: test/box-cheap
    provider: test
    gpu: test/gpu
    gpu_count: 1
    on_demand_usd_per_hour: 0.1
    source: test
    checked: 2026-11-01
"""
    findings, _ = findings_for(tmp_path, text, test_catalog_file)
    assert [(f.severity, f.field) for f in findings] == [("warning", "on_demand_usd_per_hour")]


def test_future_checked_date_is_an_error(tmp_path):
    findings, _ = findings_for(
        tmp_path,
        "api_prices:\n"
        + sheet_yaml("acme/future", "input_usd_per_mtok: 1.0\noutput_usd_per_mtok: 2.0\n").replace(
            "2026-11-01", "2099-01-01"
        ),
    )
    assert [(f.severity, f.field) for f in findings] == [("error", "checked")]


def test_findings_frame():
    frame = findings_frame([])
    assert list(frame.columns) == ["severity", "file", "kind", "id", "field", "message"]


# --- the validate command --------------------------------------------------------------------


def test_validate_command_passes_on_the_packaged_catalog(capsys):
    from llmtco.catalog import packaged_catalog_dir

    assert main(["prices", "validate", str(packaged_catalog_dir())]) == 0
    assert "valid:" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore::llmtco.PriceMagnitudeWarning")
def test_validate_command_fails_on_known_bad(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("api_prices:\n" + KNOWN_BAD["cache write 24x"][0])
    assert main(["prices", "validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert f"error: {path}: api_prices (id acme/cache).cache_write_usd_per_mtok" in out
    assert "invalid: 1 file(s), 1 error(s)" in err


def test_validate_command_reports_schema_errors(capsys, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("api_prices:\n  - id: acme/x\n    provider: acme\n")
    assert main(["prices", "validate", str(path)]) == 1
    out, _ = capsys.readouterr()
    assert "api_prices[0] (id acme/x).model: Field required" in out


# --- unit slips against known prices (issue 11) -------------------------------------------------

SLIPPED_GPT_4O = "api_prices:\n" + sheet_yaml(
    "openai/gpt-4o",
    """\
    input_usd_per_mtok: 0.0025
    output_usd_per_mtok: 0.01
    """,
)


def test_a_per_1k_override_warns_on_load_and_in_validate(tmp_path, capsys):
    # GPT-4o at 0.0025/0.01 per Mtok: inside the absolute band, 1000x off the packaged sheet.
    path = tmp_path / "slip.yaml"
    path.write_text(SLIPPED_GPT_4O)
    with pytest.warns(PriceMagnitudeWarning) as record:
        load_catalog(path)
    assert any("0.0025 is 1,000x below the packaged 2.5" in str(w.message) for w in record)
    assert main(["prices", "validate", str(path)]) == 0  # warnings, not errors
    out = capsys.readouterr().out
    assert "openai/gpt-4o).input_usd_per_mtok: 0.0025 is 1,000x below the packaged 2.5" in out
    assert "openai/gpt-4o).output_usd_per_mtok: 0.01 is 40x below the known range of openai" in out


def test_a_new_sheet_not_yet_in_effect_is_checked_against_its_family(tmp_path):
    text = "api_prices:\n" + sheet_yaml(
        "openai/gpt-4o-2027-01-15",
        """\
        input_usd_per_mtok: 0.0025
        output_usd_per_mtok: 0.01
        effective_from: 2099-01-01
        """,
    )
    with pytest.warns(PriceMagnitudeWarning):
        findings, _ = findings_for(tmp_path, text)
    messages = [f"{f.field}: {f.message}" for f in findings]
    assert any(
        m.startswith(
            "input_usd_per_mtok: 0.0025 is 1,000x below the median 2.5 USD/Mtok of the "
            "gpt-4o family"
        )
        for m in messages
    ), messages


def test_a_price_far_above_its_provider_range_warns(tmp_path):
    text = "api_prices:\n" + sheet_yaml(
        "anthropic/claude-new",
        """\
        input_usd_per_mtok: 300
        output_usd_per_mtok: 900
        """,
    )
    with pytest.warns(PriceMagnitudeWarning):
        findings, _ = findings_for(tmp_path, text)
    assert any("above the known range of anthropic's models" in f.message for f in findings)


def test_consistent_prices_raise_nothing(tmp_path):
    text = "api_prices:\n" + sheet_yaml(
        "openai/gpt-4o-2027-01-15",
        """\
        input_usd_per_mtok: 2.0
        output_usd_per_mtok: 8.0
        """,
    )
    findings, _ = findings_for(tmp_path, text)  # no warning either (filterwarnings = error)
    assert findings == []


def test_a_sheet_priced_zero_for_everything_warns(tmp_path):
    text = "api_prices:\n" + sheet_yaml(
        "acme/free",
        """\
        input_usd_per_mtok: 0
        output_usd_per_mtok: 0
        """,
    )
    with pytest.warns(PriceMagnitudeWarning, match="both 0: this model would be priced as free"):
        findings, _ = findings_for(tmp_path, text)
    assert [f.message for f in findings] == [
        "input and output are both 0: the model would be priced as free"
    ]


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-mini", "gpt-4o-mini"),
        ("gpt-5.4", "gpt"),
        ("accounts/fireworks/models/llama-v3p3-70b-instruct", "llama-70b"),
        ("llama-3.3-70b-versatile", "llama-70b"),
        ("mistral-small-2506", "mistral-small"),
        ("claude-haiku-4-5", "claude-haiku"),
    ],
)
def test_model_family(model, family):
    from llmtco.sanity import model_family

    assert model_family(model) == family
