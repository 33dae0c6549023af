"""The report renderer: self-contained HTML, Markdown with pipe tables, files on disk."""

from __future__ import annotations

import base64
import re

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from llmtco.report import (
    Figure,
    Report,
    ReportFiles,
    Section,
    Table,
    format_value,
    markdown_table,
    render_html,
    render_markdown,
    write_report,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATA_URI = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture
def figures():
    made = []

    def make(name: str, caption: str = "A figure") -> Figure:
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1, 2], [0, 1, 4])
        made.append(fig)
        return Figure(caption=caption, figure=fig, name=name)

    yield make
    for fig in made:
        plt.close(fig)


def costs_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "usd_per_month": [1234567.891, 980.5, np.nan],
            "gpus": [0, 2, 16],
            "verdict": ["keep | API", "self-host", "no"],
        },
        index=pd.Index(["api/a", "self/b", "hybrid/c"], name="option"),
    )


@pytest.fixture
def report(figures) -> Report:
    return Report(
        title="API or self-host? <draft>",
        subtitle="Support bot & search, 40M tokens/day",
        generated="llmtco 0.1.0 on 2026-11-23",
        sections=(
            Section(
                "Verdict",
                paragraphs=(
                    "Self-hosting pays back in month 7.",
                    "Beware <script>alert(1)</script> & friends.",
                ),
                bullets=("cheaper at 40M tokens/day", "needs 2 GPUs"),
                tables=(Table("Monthly cost", costs_frame(), note="USD per month."),),
                figures=(figures("tco-bands", "Cost bands"),),
            ),
            Section(
                "Assumptions",
                paragraphs=("Prices checked 2026-11-23.",),
                tables=(Table("Growth", pd.DataFrame({"month": [1, 2], "x": [0.5, 0.25]})),),
                figures=(figures("frontier-2", "Frontier"),),
            ),
            Section("Empty section"),
        ),
    )


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234567.891, "1,234,568"),
        (-1234.5, "-1,234"),
        (1000, "1,000"),
        (np.int64(25000), "25,000"),
        (999, "999"),
        (0.123456, "0.1235"),
        (12.0, "12"),
        (-0.0, "0"),
        (np.float32(0.5), "0.5"),
        (float("nan"), "\N{EN DASH}"),
        (None, "\N{EN DASH}"),
        (pd.NA, "\N{EN DASH}"),
        (pd.NaT, "\N{EN DASH}"),
        (float("inf"), "inf"),
        (True, "True"),
        (np.bool_(False), "False"),
        ("text", "text"),
    ],
)
def test_format_value(value, expected):
    assert format_value(value) == expected


# --------------------------------------------------------------------------- HTML


def test_html_is_one_document_with_every_section_and_paragraph(report):
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<html") == 1
    assert page.rstrip().endswith("</html>")
    assert "<style>" in page
    for section in report.sections:
        assert f"<h2>{section.title}</h2>" in page
        assert f'href="#section-{report.sections.index(section) + 1}"' in page  # contents
    assert "<p>Self-hosting pays back in month 7.</p>" in page
    assert "<li>needs 2 GPUs</li>" in page
    assert "<title>API or self-host? &lt;draft&gt;</title>" in page
    assert "Support bot &amp; search" in page
    assert "llmtco 0.1.0 on 2026-11-23" in page


def test_html_escapes_text(report):
    page = render_html(report)
    assert "<script>" not in page
    assert "<p>Beware &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends.</p>" in page
    assert "keep | API" in page


def test_html_tables_formatted_and_aligned(report):
    page = render_html(report)
    assert "<caption>Monthly cost</caption>" in page
    assert '<td class="num">1,234,568</td>' in page
    assert '<td class="num">980.5</td>' in page
    assert '<td class="num">\N{EN DASH}</td>' in page  # NaN
    assert '<td class="num">16</td>' in page
    assert "<td>self-host</td>" in page  # text is not right-aligned
    assert '<th scope="row">api/a</th>' in page  # the named index is shown
    assert '<th scope="col">option</th>' in page
    assert '<p class="note">USD per month.</p>' in page
    # The default RangeIndex of the second table is not shown; its int column is numeric.
    assert '<th scope="col" class="num">month</th>' in page
    assert '<td class="num">0.25</td>' in page
    assert '<th scope="row">0</th>' not in page


def test_html_embeds_one_png_per_figure(report):
    page = render_html(report)
    encoded = DATA_URI.findall(page)
    assert len(encoded) == 2
    for data in encoded:
        assert base64.b64decode(data, validate=True).startswith(PNG_SIGNATURE)
    assert "<figcaption>Cost bands</figcaption>" in page
    assert "<figcaption>Frontier</figcaption>" in page


def test_html_loads_nothing_external(report):
    page = render_html(report)
    assert "http://" not in page
    assert "https://" not in page
    assert page.count('src="') == page.count('src="data:image/png;base64,') == 2
    assert "<link" not in page
    assert "<script" not in page
    assert "url(" not in page
    assert "@import" not in page


def test_html_is_deterministic(report):
    assert render_html(report) == render_html(report)


# --------------------------------------------------------------------------- Markdown


def test_markdown_table_named_index_alignment_and_pipes():
    assert markdown_table(costs_frame()).splitlines() == [
        "| option | usd_per_month | gpus | verdict |",
        "| --- | ---: | ---: | --- |",
        "| api/a | 1,234,568 | 0 | keep \\| API |",
        "| self/b | 980.5 | 2 | self-host |",
        "| hybrid/c | \N{EN DASH} | 16 | no |",
    ]


def test_markdown_table_default_index_is_left_out():
    frame = pd.DataFrame({"a|b": [1.5, 2000.0], "name": ["x", "y\nz"]})
    assert markdown_table(frame).splitlines() == [
        "| a\\|b | name |",
        "| ---: | --- |",
        "| 1.5 | x |",
        "| 2,000 | y z |",
    ]


def test_markdown_table_unnamed_and_multi_index():
    unnamed = pd.DataFrame({"v": [1, 2]}, index=["p", "q"])
    assert markdown_table(unnamed).splitlines()[:2] == ["|  | v |", "| --- | ---: |"]
    multi = pd.DataFrame(
        {"v": [1.0, 2.0]},
        index=pd.MultiIndex.from_tuples([("a", 1), ("a", 2)], names=["option", "month"]),
    )
    assert markdown_table(multi).splitlines() == [
        "| option | month | v |",
        "| --- | ---: | ---: |",
        "| a | 1 | 1 |",
        "| a | 2 | 2 |",
    ]


def test_markdown_object_column_of_numbers_is_right_aligned():
    frame = pd.DataFrame({"mixed": pd.Series([1, 2.5, None], dtype=object), "flag": [True] * 3})
    assert markdown_table(frame).splitlines()[1] == "| ---: | --- |"


def test_markdown_document(report):
    text = render_markdown(report)
    assert text.startswith("# API or self-host? <draft>\n\nSupport bot & search")
    for section in report.sections:
        assert f"\n## {section.title}\n" in text
    assert "\nBeware <script>alert(1)</script> & friends.\n" in text
    assert "\n- cheaper at 40M tokens/day\n- needs 2 GPUs\n" in text
    assert "\n**Monthly cost**\n\n| option | usd_per_month | gpus | verdict |\n" in text
    assert "\nUSD per month.\n" in text
    assert "![Cost bands](figures/tco-bands.png)" in text
    assert "![Frontier](figures/frontier-2.png)" in text
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_markdown_without_figures(report):
    text = render_markdown(report, figure_dir=None)
    assert "![" not in text
    assert "*Figure (not included): Cost bands*" in text
    assert "![Frontier](frontier-2.png)" in render_markdown(report, figure_dir="")
    assert "![Frontier](img/frontier-2.png)" in render_markdown(report, figure_dir="img/")


# --------------------------------------------------------------------------- files


def test_write_report_creates_the_files(report, tmp_path):
    out = tmp_path / "new" / "dir"
    files = write_report(report, out)
    assert isinstance(files, ReportFiles)
    assert files.html == out / "report.html"
    assert files.markdown == out / "report.md"
    assert files.figures == (out / "figures" / "tco-bands.png", out / "figures" / "frontier-2.png")
    assert files.html.read_text(encoding="utf-8") == render_html(report)
    markdown = files.markdown.read_text(encoding="utf-8")
    assert markdown == render_markdown(report)
    for path in files.figures:
        assert path.read_bytes().startswith(PNG_SIGNATURE)
    referenced = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert len(referenced) == 2
    for relative in referenced:
        assert (out / relative).is_file()


def test_write_report_refuses_to_overwrite(report, tmp_path):
    files = write_report(report, tmp_path)
    paths = [files.html, files.markdown, *files.figures]
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in paths}
    changed = Report(
        title="Another report",
        subtitle=report.subtitle,
        generated=report.generated,
        sections=report.sections,
    )
    with pytest.raises(FileExistsError, match=r"report\.html.*overwrite=True.*--force"):
        write_report(changed, tmp_path)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in paths} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures", "report.html", "report.md"]


def test_write_report_refuses_when_only_the_markdown_exists(report, tmp_path):
    (tmp_path / "report.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"report\.md") as caught:
        write_report(report, tmp_path)
    assert "report.html" not in str(caught.value)
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_write_report_overwrite_replaces(report, tmp_path):
    write_report(report, tmp_path)
    changed = Report(
        title="Another report",
        subtitle=report.subtitle,
        generated=report.generated,
        sections=report.sections,
    )
    files = write_report(changed, tmp_path, overwrite=True)
    assert files.html.read_text(encoding="utf-8") == render_html(changed)
    assert files.markdown.read_text(encoding="utf-8").startswith("# Another report\n")


def test_write_report_without_figures_makes_no_figure_dir(tmp_path):
    report = Report("T", "", "", (Section("S", paragraphs=("p",)),))
    files = write_report(report, tmp_path)
    assert files.figures == ()
    assert not (tmp_path / "figures").exists()
    assert render_markdown(report) == "# T\n\n## S\n\np\n"


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("name", ["", "TCO", "tco bands", "tco_bands", "../x", "a/b", "x.png"])
def test_invalid_figure_names(name, figures):
    fig = figures("ok").figure
    with pytest.raises(ValueError, match="figure name"):
        Figure(caption="c", figure=fig, name=name)


def test_duplicate_figure_names(figures):
    first, second = figures("same"), figures("same")
    with pytest.raises(ValueError, match="'same'"):
        Report(
            "T",
            "",
            "",
            (Section("A", figures=(first,)), Section("B", figures=(second,))),
        )


def test_report_parts_are_hashable_and_compare_by_identity():
    table = Table("c", pd.DataFrame({"a": [1]}))
    section = Section("S", tables=(table,))
    assert section == Section("S", tables=(table,))
    assert hash(section) == hash(Section("S", tables=(table,)))
    assert table != Table("c", pd.DataFrame({"a": [1]}))


def test_an_interrupted_write_leaves_nothing_behind(report, tmp_path, monkeypatch):
    # Issue 11: a Ctrl-C while writing once left a report.md without its report.html.
    from pathlib import Path

    real = Path.write_bytes
    calls = []

    def interrupted(self, data):
        calls.append(self)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", interrupted)
    out = tmp_path / "report"
    with pytest.raises(KeyboardInterrupt):
        write_report(report, out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no staging folder left either


def test_a_write_into_an_existing_folder_keeps_other_files(report, tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    files = write_report(report, out)
    assert (out / "notes.txt").read_text() == "mine"
    assert files.html.exists()
    assert files.markdown.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_new_report_folder_has_the_permissions_of_a_plain_folder(report, tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    out = tmp_path / "report"
    write_report(report, out)
    assert out.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
