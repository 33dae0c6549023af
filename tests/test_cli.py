import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from llmtco.cli import main
from llmtco.examples import default_scenario_yaml


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_compare_default_table(capsys):
    status, out, _ = run(capsys, "compare")
    assert status == 0
    for text in ("gpt-4o", "llama-70b-lambda", "break-even [tokens/month]", "payback", "NPV"):
        assert text in out


def test_compare_json_parses(capsys):
    status, out, _ = run(capsys, "compare", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["horizon_months"] == 36
    assert "break_even" in data


def test_compare_csv_is_the_tidy_frame(capsys):
    status, out, _ = run(capsys, "compare", "--format", "csv", "--months", "6")
    assert status == 0
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == ["month", "option", "component", "usd"]
    assert frame["month"].max() == 5


def test_compare_writes_plot(capsys, tmp_path):
    target = tmp_path / "tco.png"
    status, _, err = run(capsys, "compare", "--plot", str(target))
    assert status == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(target) in err


def test_init_then_compare_gives_the_same_answer(capsys, tmp_path):
    path = tmp_path / "scenario.yaml"
    assert run(capsys, "init", str(path))[0] == 0
    assert path.read_text() == default_scenario_yaml()
    _, from_file, _ = run(capsys, "compare", str(path), "--format", "json")
    _, default, _ = run(capsys, "compare", "--format", "json")
    assert json.loads(from_file) == json.loads(default)


def test_init_refuses_to_overwrite(capsys, tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("mine")
    status, _, err = run(capsys, "init", str(path))
    assert status == 1
    assert "exists; use --force" in err
    assert path.read_text() == "mine"
    assert run(capsys, "init", str(path), "--force")[0] == 0


def test_malformed_yaml_is_one_clear_message(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nworkload: [unclosed\n")
    status, out, err = run(capsys, "compare", str(path))
    assert status == 2
    assert out == ""
    assert err.startswith(f"llmtco: error: {path}:")
    assert "invalid YAML" in err
    assert "Traceback" not in err


def test_bad_value_names_file_key_and_value(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        default_scenario_yaml().replace("target_utilization: 0.7", "target_utilization: 7", 1)
    )
    status, _, err = run(capsys, "compare", str(path))
    assert status == 2
    assert f"{path}: options.llama-70b-lambda.target_utilization" in err
    assert "got 7" in err


def test_unknown_model_lists_closest(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        default_scenario_yaml().replace("model: openai/gpt-4o-mini", "model: openai/gpt-4o-mimi")
    )
    status, _, err = run(capsys, "compare", str(path))
    assert status == 2
    assert "options.gpt-4o-mini.model: unknown api price id 'openai/gpt-4o-mimi'" in err
    assert "openai/gpt-4o-mini" in err


def test_missing_file(capsys, tmp_path):
    status, _, err = run(capsys, "compare", str(tmp_path / "none.yaml"))
    assert status == 2
    assert "cannot read file" in err


def test_user_catalog_override_from_the_command_line(capsys, tmp_path):
    override = tmp_path / "prices.yaml"
    override.write_text(
        "api_prices:\n"
        "  - id: openai/gpt-4o\n    provider: openai\n    model: gpt-4o\n"
        "    input_usd_per_mtok: 0.25\n    output_usd_per_mtok: 1.0\n"
        "    source: test\n    checked: 2026-11-01\n"
    )
    _, cheap, _ = run(capsys, "compare", "--format", "json", "--catalog", str(override))
    _, default, _ = run(capsys, "compare", "--format", "json")
    assert (
        json.loads(cheap)["options"]["gpt-4o"]["total_usd"]
        < json.loads(default)["options"]["gpt-4o"]["total_usd"]
    )


def test_bad_months_argument(capsys):
    with pytest.raises(SystemExit) as info:
        main(["compare", "--months", "0"])
    assert info.value.code == 2
    assert "whole number of months >= 1" in capsys.readouterr().err


def test_console_entry_point_runs_as_module():
    done = subprocess.run(
        [sys.executable, "-m", "llmtco", "compare", "--months", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "cheapest over the horizon" in done.stdout


def test_zero_volume_in_month_0_prints_a_table(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    text = default_scenario_yaml().replace("monthly_rate: 0.04", "multipliers: [0, 1, 2]")
    text = text.replace("horizon_months: 36", "horizon_months: 3")
    text = text.replace("  workload.growth.monthly_rate:", "  # workload.growth.monthly_rate:")
    path.write_text(text)
    status, out, err = run(capsys, "compare", str(path))
    assert status == 0, err
    assert "break-even" in out


def test_model_level_error_names_keys_without_dumping_the_input(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    text = default_scenario_yaml().replace("monthly_rate: 0.04", "multipliers: [1, 2]")
    text = text.replace("  workload.growth.monthly_rate:", "  # workload.growth.monthly_rate:")
    path.write_text(text)
    status, _, err = run(capsys, "compare", str(path))
    assert status == 2
    assert "workload.growth.multipliers has 2 values but horizon_months is 36" in err
    assert "got {" not in err


def test_a_range_without_its_value_is_named(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    multipliers = ", ".join(["1.0"] * 36)
    path.write_text(
        default_scenario_yaml().replace("monthly_rate: 0.04", f"multipliers: [{multipliers}]")
    )
    status, _, err = run(capsys, "compare", str(path))
    assert status == 2
    # Without its value the field's default (0) is the base, and it lies outside the range.
    assert (
        "uncertainty.workload.growth.monthly_rate: the scenario's value 0 there lies outside "
        "its own range uniform 0.01 to 0.07"
    ) in err


def test_report_writes_html_and_markdown_and_never_overwrites(capsys, tmp_path):
    out = tmp_path / "report"
    status, _, err = run(capsys, "report", "--out", str(out), "--samples", "200")
    assert status == 0, err
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "data:image/png;base64," in html
    assert "Recommendation" in html
    assert (out / "report.md").exists()
    before = (out / "report.html").stat().st_mtime_ns
    status, _, err = run(capsys, "report", "--out", str(out), "--samples", "200")
    assert status == 1
    assert "already exist" in err
    assert "--force" in err
    assert (out / "report.html").stat().st_mtime_ns == before
    status, _, err = run(capsys, "report", "--out", str(out), "--samples", "200", "--force")
    assert status == 0, err


def test_broken_pipe_is_quiet():
    done = subprocess.run(
        f"{sys.executable} -m llmtco compare --format csv | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.startswith("month,option,component,usd")
    assert "Traceback" not in done.stderr


def test_report_samples_must_be_a_whole_number(capsys, tmp_path):
    with pytest.raises(SystemExit):
        run(capsys, "report", "--out", str(tmp_path), "--samples", "0")
    assert "whole number of samples >= 1" in capsys.readouterr().err


# --- exit codes and output paths (issue 11) -----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "--plot", "{tmp}/missing/x.png"], "its folder {tmp}/missing does not exist"),
        (["compare", "--plot", "{tmp}/x.xyz"], "extension .xyz; give one of"),
        (["compare", "--plot", "{tmp}"], "is a folder; give a file name"),
        (["compare", "--plot", "{tmp}/afile/x.png"], "is a file, not a folder"),
        (["report", "--out", "{tmp}/afile"], "--out {tmp}/afile: is a file"),
        (["report", "--out", "{tmp}/missing/deeper"], "parent folder {tmp}/missing does not exist"),
        (["init", "{tmp}/missing/s.yaml"], "its folder {tmp}/missing does not exist"),
    ],
)
def test_output_paths_are_checked_before_the_analysis(capsys, tmp_path, monkeypatch, argv, message):
    import llmtco.cli

    (tmp_path / "afile").write_text("")

    def never(*args, **kwargs):
        msg = "the analysis ran before the output path was checked"
        raise AssertionError(msg)

    monkeypatch.setattr(llmtco.cli, "compare", never)
    monkeypatch.setattr(llmtco.cli, "_scenario_from_args", never)
    status, _, err = run(capsys, *(a.format(tmp=tmp_path) for a in argv))
    assert status == 2
    assert message.format(tmp=tmp_path) in err
    assert "Traceback" not in err


def test_samples_have_a_documented_upper_bound(capsys, tmp_path):
    from llmtco.cli import MAX_SAMPLES

    with pytest.raises(SystemExit) as excinfo:
        main(["report", "--out", str(tmp_path / "r"), "--samples", str(MAX_SAMPLES + 1)])
    assert excinfo.value.code == 2
    assert "<= 1,000,000" in capsys.readouterr().err


def test_an_internal_error_exits_3_without_a_traceback(capsys, monkeypatch):
    import llmtco.cli

    def broken(*args, **kwargs):
        msg = "float division by zero"
        raise ZeroDivisionError(msg)

    monkeypatch.setattr(llmtco.cli, "compare", broken)
    status, _, err = run(capsys, "compare")
    assert status == 3
    assert "internal error: ZeroDivisionError: float division by zero" in err
    assert "LLMTCO_DEBUG=1" in err
    assert "Traceback" not in err
    monkeypatch.setenv("LLMTCO_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["compare"])


def test_ctrl_c_exits_130_without_a_traceback(capsys, monkeypatch):
    import llmtco.cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(llmtco.cli, "compare", interrupted)
    status, _, err = run(capsys, "compare")
    assert status == 130
    assert err == "llmtco: interrupted; nothing half-written was left behind\n"


def test_refusals_exit_1_and_bad_input_exits_2(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    assert run(capsys, "init", str(path))[0] == 0
    assert run(capsys, "init", str(path))[0] == 1  # exists: a refusal
    path.write_text("name: x\nworkload: {tokens_per_month: -1}\n")
    status, _, err = run(capsys, "compare", str(path))
    assert status == 2
    assert "Traceback" not in err


def test_warnings_print_as_one_line(capsys, tmp_path):
    slip = tmp_path / "slip.yaml"
    slip.write_text(
        "api_prices:\n  - id: openai/gpt-4o\n    provider: openai\n    model: gpt-4o\n"
        "    input_usd_per_mtok: 0.0025\n    output_usd_per_mtok: 0.01\n"
        "    source: test\n    checked: 2026-11-01\n"
    )
    status, _, err = run(capsys, "compare", "--catalog", str(slip), "--months", "3")
    assert status == 0
    lines = [line for line in err.splitlines() if "1,000x below the packaged" in line]
    assert lines
    assert all(line.startswith("llmtco: warning: ") for line in lines)
    assert "warnings.warn" not in err
