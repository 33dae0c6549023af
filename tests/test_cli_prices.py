import io
import json

import pandas as pd

from llmtco.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_table(capsys):
    status, out, _ = run(capsys, "prices", "list")
    assert status == 0
    assert "openai/gpt-4o" in out
    assert "input_usd_per_mtok" in out


def test_list_json_has_id_source_checked(capsys):
    for kind in ("api", "instances", "gpus", "models", "serving"):
        status, out, _ = run(capsys, "prices", "list", "--kind", kind, "--format", "json")
        assert status == 0
        entries = json.loads(out)
        assert entries
        assert all({"id", "source", "checked"} <= set(e) for e in entries)


def test_list_provider_filter_and_csv(capsys):
    status, out, _ = run(
        capsys, "prices", "list", "--kind", "instances", "--provider", "aws", "--format", "csv"
    )
    assert status == 0
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) > 0
    assert frame["id"].str.startswith("aws/").all()


def test_show(capsys):
    status, out, _ = run(capsys, "prices", "show", "openai/gpt-4o")
    assert status == 0
    assert out.splitlines()[1] == "id: openai/gpt-4o"
    assert "input_usd_per_mtok: 2.5" in out


def test_show_unknown_lists_closest(capsys):
    status, _, err = run(capsys, "prices", "show", "openai/gpt4o")
    assert status == 2
    assert "unknown id 'openai/gpt4o'; closest known: openai/gpt-4o" in err


def test_stale(capsys):
    status, out, _ = run(capsys, "prices", "stale", "--days", "0")
    assert status == 0
    assert "entries checked more than 0 days before" in out
    status, out, _ = run(capsys, "prices", "stale", "--days", "100000")
    assert "no entry was checked more than 100000 days" in out


def test_as_of_is_validated(capsys):
    import pytest

    with pytest.raises(SystemExit):
        main(["prices", "list", "--as-of", "yesterday"])
    assert "must be a date YYYY-MM-DD" in capsys.readouterr().err


def test_show_before_any_known_price(capsys):
    status, _, err = run(capsys, "prices", "show", "openai/o3", "--as-of", "2024-01-01")
    assert status == 2
    assert "openai/o3 has no price known in effect on 2024-01-01" in err


def test_compare_as_of(capsys):
    status, out, _ = run(
        capsys, "compare", "--as-of", "2026-01-01", "--months", "2", "--format", "json"
    )
    assert status == 0
    assert json.loads(out)["horizon_months"] == 2
