"""Lay out a decision report as one self-contained HTML page and a Markdown copy.

This module is a pure renderer. The content of a report (which options were compared, the
verdict, the tables and figures that support it) is assembled elsewhere, in llmtco's decision
module; here it is only laid out. A :class:`Report` is a title, a subtitle, a "generated" line
and a tuple of :class:`Section` objects, each holding paragraphs, bullets, :class:`Table`
objects (a :class:`pandas.DataFrame` with a caption) and :class:`Figure` objects (a Matplotlib
figure with a caption and a file name).

- :func:`render_html` returns one HTML5 document with its style sheet inline and its figures
  embedded as PNG data URIs: nothing external is loaded, so the file can be mailed or archived
  on its own and printed as it is.
- :func:`render_markdown` returns GitHub-flavoured Markdown, with pipe tables and figures
  referenced as ``figures/<name>.png``.
- :func:`write_report` writes both, and the figure files, to a directory, refusing to replace
  an earlier report unless asked to.

All text is plain text: the HTML renderer escapes it, the Markdown renderer writes it as it is.
The output depends only on the :class:`Report`: the date goes in through
:attr:`Report.generated`, so the same report renders to the same bytes.

Numbers in tables are formatted by :func:`format_value`: thousands separators and no decimals
from 1,000 up, four significant digits below, and an en dash for missing values.
"""

from __future__ import annotations

import base64
import html
import math
import numbers
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from matplotlib.figure import Figure as MplFigure

__all__ = [
    "Figure",
    "Report",
    "ReportFiles",
    "Section",
    "Table",
    "format_value",
    "markdown_table",
    "refuse_existing",
    "render_html",
    "render_markdown",
    "write_report",
]

#: Allowed figure names: they become file names, so lower-case letters, digits and hyphens.
_FIGURE_NAME = re.compile(r"[a-z0-9-]+")
#: Shown for missing values (NaN, None, NA, NaT).
_MISSING = "\N{EN DASH}"
_PNG_DPI = 110
HTML_NAME = "report.html"
MARKDOWN_NAME = "report.md"
FIGURE_DIR = "figures"


@dataclass(frozen=True, eq=False)
class Table:
    """A data frame with a caption.

    Parameters
    ----------
    caption : str
        Shown above the table.
    frame : pandas.DataFrame
        The values. The index is shown as the first column(s) unless it is the default
        ``RangeIndex`` (0, 1, 2, ... without a name). Numbers are formatted by
        :func:`format_value` and right-aligned.
    note : str, optional
        A sentence under the table, e.g. the units.
    """

    caption: str
    frame: pd.DataFrame
    note: str = ""


@dataclass(frozen=True, eq=False)
class Figure:
    """A Matplotlib figure with a caption.

    Parameters
    ----------
    caption : str
        Shown under the figure (and used as its alternative text).
    figure : matplotlib.figure.Figure
        The figure; it is rendered to PNG at 110 dpi when the report is rendered.
    name : str
        File stem of the PNG in the Markdown copy, e.g. ``"tco-bands"`` for
        ``figures/tco-bands.png``: lower-case letters, digits and hyphens only.

    Raises
    ------
    ValueError
        If `name` has other characters or is empty.
    """

    caption: str
    figure: MplFigure
    name: str

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or _FIGURE_NAME.fullmatch(self.name) is None:
            msg = (
                f"figure name {self.name!r} is not allowed: use lower-case letters, digits and "
                "hyphens only (it becomes a file name), e.g. 'tco-bands'"
            )
            raise ValueError(msg)


@dataclass(frozen=True)
class Section:
    """One section of a report: a heading, then paragraphs, bullets, tables and figures.

    Parameters
    ----------
    title : str
        The section heading.
    paragraphs : tuple of str, optional
        Plain-text paragraphs, in order.
    bullets : tuple of str, optional
        One bulleted list, after the paragraphs.
    tables : tuple of Table, optional
        After the bullets.
    figures : tuple of Figure, optional
        After the tables.
    """

    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Report:
    """A decision report, ready to render.

    Parameters
    ----------
    title : str
        The report title.
    subtitle : str
        One line under the title, e.g. the scenario description.
    generated : str
        Who made the report and when, e.g. ``"llmtco 0.1.0 on 2026-11-23"``. The caller
        supplies it so that rendering stays deterministic.
    sections : tuple of Section
        In order.

    Raises
    ------
    ValueError
        If two figures share a name (their files would overwrite each other).
    """

    title: str
    subtitle: str
    generated: str
    sections: tuple[Section, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for figure in _figures(self):
            if figure.name in seen:
                msg = (
                    f"two figures are named {figure.name!r}: figure names must be unique "
                    "within a report (they become file names)"
                )
                raise ValueError(msg)
            seen.add(figure.name)


@dataclass(frozen=True)
class ReportFiles:
    """The files written by :func:`write_report`.

    Parameters
    ----------
    html : pathlib.Path
        The self-contained HTML report.
    markdown : pathlib.Path
        The Markdown copy.
    figures : tuple of pathlib.Path
        The PNG files referenced by the Markdown copy, in the order the figures appear.
    """

    html: Path
    markdown: Path
    figures: tuple[Path, ...]


# --------------------------------------------------------------------------- values and tables


def format_value(value: object) -> str:
    """Format one table cell.

    Parameters
    ----------
    value : object
        A cell value.

    Returns
    -------
    str
        Missing values (NaN, None, NA, NaT) as an en dash; booleans as ``True``/``False``;
        numbers of magnitude 1,000 or more with thousands separators and no decimals;
        smaller numbers with four significant digits; infinities as ``inf``/``-inf``;
        anything else as ``str(value)``.

    Examples
    --------
    >>> [format_value(v) for v in (1234567.891, -2500, 0.123456, 12.0, 7, True)]
    ['1,234,568', '-2,500', '0.1235', '12', '7', 'True']
    >>> import unicodedata
    >>> unicodedata.name(format_value(float("nan")))
    'EN DASH'
    """
    if _is_missing(value):
        return _MISSING
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        number = int(value)
        return f"{number:,}" if abs(number) >= 1000 else str(number)
    if isinstance(value, numbers.Real):
        real = float(value)
        if math.isinf(real):
            return "inf" if real > 0 else "-inf"
        if real == 0:
            return "0"  # also for -0.0
        return f"{real:,.0f}" if abs(real) >= 1000 else f"{real:.4g}"
    return str(value)


@dataclass(frozen=True)
class _Grid:
    """A data frame as strings: header labels, which columns are numeric, the rows."""

    headers: tuple[str, ...]
    numeric: tuple[bool, ...]
    rows: tuple[tuple[str, ...], ...]
    n_index: int  # leading columns that come from the index


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def _is_numeric(values: pd.Index | pd.Series) -> bool:
    """Whether a column (or index level) holds numbers, so is right-aligned."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return False
    if pd.api.types.is_numeric_dtype(dtype):
        return not pd.api.types.is_complex_dtype(dtype)
    if pd.api.types.is_object_dtype(dtype):
        present = [v for v in values.tolist() if not _is_missing(v)]
        return bool(present) and all(_is_number(v) for v in present)
    return False


def _is_missing(value: object) -> bool:
    """Whether a cell is missing: None, NaN, pandas' NA or NaT, NumPy's NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


def _label(label: object) -> str:
    """A column label as text; the levels of a MultiIndex label are joined with ' / '."""
    if isinstance(label, tuple):
        return " / ".join(str(part) for part in label if str(part) != "")
    return str(label)


def _default_index(index: pd.Index) -> bool:
    return (
        isinstance(index, pd.RangeIndex)
        and index.start == 0
        and index.step == 1
        and index.name is None
    )


def _grid(frame: pd.DataFrame) -> _Grid:
    columns: list[pd.Index | pd.Series] = []
    headers: list[str] = []
    n_index = 0
    if not _default_index(frame.index):
        for level, name in enumerate(frame.index.names):
            columns.append(frame.index.get_level_values(level))
            headers.append("" if name is None else str(name))
            n_index += 1
    for position, label in enumerate(frame.columns):
        columns.append(frame.iloc[:, position])
        headers.append(_label(label))
    rows = tuple(
        tuple(format_value(value) for value in row)
        for row in zip(*(c.tolist() for c in columns), strict=True)
    )
    return _Grid(
        headers=tuple(headers),
        numeric=tuple(_is_numeric(c) for c in columns),
        rows=rows,
        n_index=n_index,
    )


def _markdown_cell(text: str) -> str:
    return " ".join(text.split("\n")).replace("|", r"\|")


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown pipe table of a data frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        The values. The index is included as the first column(s) unless it is the default
        ``RangeIndex``; numeric columns are right-aligned (``---:``); ``|`` in cells is
        escaped; values are formatted by :func:`format_value`.

    Returns
    -------
    str
        The table, one line per row, without a trailing newline.

    Examples
    --------
    >>> frame = pd.DataFrame(
    ...     {"usd_per_month": [12500.0, 980.5], "winner": ["no", "yes"]},
    ...     index=pd.Index(["api", "self-hosted"], name="option"),
    ... )
    >>> print(markdown_table(frame))
    | option | usd_per_month | winner |
    | --- | ---: | --- |
    | api | 12,500 | no |
    | self-hosted | 980.5 | yes |
    """
    grid = _grid(frame)
    if not grid.headers:
        return "_(empty table)_"
    lines = [
        "| " + " | ".join(_markdown_cell(h) for h in grid.headers) + " |",
        "| " + " | ".join("---:" if n else "---" for n in grid.numeric) + " |",
    ]
    lines.extend("| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in grid.rows)
    return "\n".join(lines)


def _html_table(table: Table) -> str:
    grid = _grid(table.frame)

    def cell(tag: str, text: str, numeric: bool, scope: str = "") -> str:
        attrs = f' scope="{scope}"' if scope else ""
        attrs += ' class="num"' if numeric else ""
        return f"<{tag}{attrs}>{html.escape(text)}</{tag}>"

    parts = ['<div class="table-wrap">', '<table class="data">']
    if table.caption:
        parts.append(f"<caption>{html.escape(table.caption)}</caption>")
    header = "".join(
        cell("th", h, n, "col") for h, n in zip(grid.headers, grid.numeric, strict=True)
    )
    parts.extend(["<thead>", f"<tr>{header}</tr>", "</thead>", "<tbody>"])
    for row in grid.rows:
        cells = "".join(
            cell("th", text, n, "row") if j < grid.n_index else cell("td", text, n)
            for j, (text, n) in enumerate(zip(row, grid.numeric, strict=True))
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.extend(["</tbody>", "</table>", "</div>"])
    if table.note:
        parts.append(f'<p class="note">{html.escape(table.note)}</p>')
    return "\n".join(parts)


# --------------------------------------------------------------------------- figures


def _figures(report: Report) -> Iterable[Figure]:
    for section in report.sections:
        yield from section.figures


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.figure.savefig(buffer, format="png", dpi=_PNG_DPI, bbox_inches="tight")
    return buffer.getvalue()


def _pngs(report: Report) -> dict[str, bytes]:
    return {figure.name: _png(figure) for figure in _figures(report)}


# --------------------------------------------------------------------------- HTML

_CSS = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
  font-size: 16px; line-height: 1.55; color: #1b1b1b; background: #fff;
  max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem;
}
header { margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 .35rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; padding-bottom: .2rem;
  border-bottom: 1px solid #d0d0d0; }
.subtitle { font-size: 1.1rem; color: #3a3a3a; margin: 0 0 .35rem; }
.generated { font-size: .85rem; color: #666; margin: 0; }
nav.toc { border: 1px solid #e0e0e0; background: #fafafa; padding: .6rem 1.2rem;
  margin: 1.5rem 0; }
nav.toc h2 { font-size: 1rem; border: 0; margin: .2rem 0 .3rem; padding: 0; }
nav.toc ol { margin: 0; padding-left: 1.4rem; }
a { color: #1f5fa8; }
ul { padding-left: 1.4rem; }
li { margin: .2rem 0; }
.table-wrap { overflow-x: auto; margin: 1.25rem 0 .5rem; }
table.data { border-collapse: collapse; font-size: .9rem;
  font-variant-numeric: tabular-nums; }
table.data caption { caption-side: top; text-align: left; font-weight: 600;
  padding: 0 0 .4rem; }
table.data th, table.data td { border: 1px solid #b8b8b8; padding: .3rem .65rem;
  vertical-align: top; text-align: left; }
table.data thead th { background: #f0f0f0; }
table.data tbody th { background: #fafafa; font-weight: 600; }
table.data .num { text-align: right; white-space: nowrap; }
.note { font-size: .85rem; color: #555; margin: .25rem 0 1.25rem; }
figure { margin: 1.5rem 0; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #3a3a3a; margin-top: .4rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  nav.toc { background: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table.data, figure { break-inside: avoid; page-break-inside: avoid; }
  table.data thead th, table.data tbody th, nav.toc { print-color-adjust: exact; }
  .table-wrap { overflow: visible; }
}
"""


def _section_id(number: int) -> str:
    return f"section-{number}"


def _html_figure(figure: Figure, png: bytes) -> str:
    data = base64.b64encode(png).decode("ascii")
    caption = html.escape(figure.caption)
    return "\n".join(
        [
            f'<figure id="figure-{figure.name}">',
            f'<img src="data:image/png;base64,{data}" alt="{caption}">',
            f"<figcaption>{caption}</figcaption>",
            "</figure>",
        ]
    )


def _html_section(number: int, section: Section, pngs: Mapping[str, bytes]) -> str:
    parts = [f'<section id="{_section_id(number)}">', f"<h2>{html.escape(section.title)}</h2>"]
    parts.extend(f"<p>{html.escape(p)}</p>" for p in section.paragraphs)
    if section.bullets:
        parts.append("<ul>")
        parts.extend(f"<li>{html.escape(b)}</li>" for b in section.bullets)
        parts.append("</ul>")
    parts.extend(_html_table(t) for t in section.tables)
    parts.extend(_html_figure(f, pngs[f.name]) for f in section.figures)
    parts.append("</section>")
    return "\n".join(parts)


def _render_html(report: Report, pngs: Mapping[str, bytes]) -> str:
    title = html.escape(report.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{html.escape(report.generated)}">',
        f"<title>{title}</title>",
        "<style>",
        _CSS.rstrip("\n"),
        "</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
    ]
    if report.subtitle:
        parts.append(f'<p class="subtitle">{html.escape(report.subtitle)}</p>')
    if report.generated:
        parts.append(f'<p class="generated">Generated: {html.escape(report.generated)}</p>')
    parts.append("</header>")
    if report.sections:
        parts.extend(['<nav class="toc">', "<h2>Contents</h2>", "<ol>"])
        parts.extend(
            f'<li><a href="#{_section_id(n)}">{html.escape(s.title)}</a></li>'
            for n, s in enumerate(report.sections, start=1)
        )
        parts.extend(["</ol>", "</nav>", "<main>"])
        parts.extend(_html_section(n, s, pngs) for n, s in enumerate(report.sections, start=1))
        parts.append("</main>")
    parts.extend(["</body>", "</html>"])
    return "\n".join(parts) + "\n"


def render_html(report: Report) -> str:
    """Render a report as one self-contained HTML5 document.

    The style sheet is inline and the figures are embedded as PNG data URIs, so the page
    loads nothing else: no style sheets, scripts, fonts or images from the web or from disk.
    All text is escaped.

    Parameters
    ----------
    report : Report
        The report.

    Returns
    -------
    str
        The document, ending with a newline.

    Examples
    --------
    >>> report = Report(
    ...     title="API or self-host?",
    ...     subtitle="Support chatbot, 40M tokens a day",
    ...     generated="llmtco 0.1.0 on 2026-11-23",
    ...     sections=(Section("Verdict", paragraphs=("Stay on the API: R&D < 1 GPU.",)),),
    ... )
    >>> page = render_html(report)
    >>> page.startswith("<!DOCTYPE html>")
    True
    >>> "<p>Stay on the API: R&amp;D &lt; 1 GPU.</p>" in page
    True
    """
    return _render_html(report, _pngs(report))


# --------------------------------------------------------------------------- Markdown


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _markdown_alt(text: str) -> str:
    return _one_line(text).replace("[", r"\[").replace("]", r"\]")


def _markdown_section(section: Section, figure_dir: str | None) -> list[str]:
    blocks = [f"## {_one_line(section.title)}"]
    blocks.extend(section.paragraphs)
    if section.bullets:
        blocks.append("\n".join("- " + b.replace("\n", "\n  ") for b in section.bullets))
    for table in section.tables:
        if table.caption:
            blocks.append(f"**{_one_line(table.caption)}**")
        blocks.append(markdown_table(table.frame))
        if table.note:
            blocks.append(table.note)
    for figure in section.figures:
        if figure_dir is None:
            blocks.append(f"*Figure (not included): {_one_line(figure.caption)}*")
        else:
            path = f"{figure.name}.png"
            if figure_dir:
                path = f"{figure_dir.rstrip('/')}/{path}"
            blocks.append(f"![{_markdown_alt(figure.caption)}]({path})")
    return blocks


def render_markdown(report: Report, figure_dir: str | None = FIGURE_DIR) -> str:
    r"""Render a report as GitHub-flavoured Markdown.

    Parameters
    ----------
    report : Report
        The report.
    figure_dir : str or None, default "figures"
        Directory, relative to the Markdown file, holding the figures as ``<name>.png``
        (as written by :func:`write_report`); ``""`` for the same directory. ``None`` leaves
        the figures out and writes their captions in italics instead.

    Returns
    -------
    str
        The document, ending with a newline.

    Examples
    --------
    >>> costs = pd.DataFrame(
    ...     {"usd_per_month": [12500.0, 4310.25]},
    ...     index=pd.Index(["api/gpt", "self/llama|8b"], name="option"),
    ... )
    >>> report = Report(
    ...     title="API or self-host?",
    ...     subtitle="Support chatbot, 40M tokens a day",
    ...     generated="llmtco 0.1.0 on 2026-11-23",
    ...     sections=(
    ...         Section(
    ...             "Verdict",
    ...             paragraphs=("Self-hosting is cheaper from month 3.",),
    ...             tables=(Table("Monthly cost", costs, note="USD per month."),),
    ...         ),
    ...     ),
    ... )
    >>> print(render_markdown(report))
    # API or self-host?
    <BLANKLINE>
    Support chatbot, 40M tokens a day
    <BLANKLINE>
    *Generated: llmtco 0.1.0 on 2026-11-23*
    <BLANKLINE>
    ## Verdict
    <BLANKLINE>
    Self-hosting is cheaper from month 3.
    <BLANKLINE>
    **Monthly cost**
    <BLANKLINE>
    | option | usd_per_month |
    | --- | ---: |
    | api/gpt | 12,500 |
    | self/llama\|8b | 4,310 |
    <BLANKLINE>
    USD per month.
    <BLANKLINE>
    """
    blocks = [f"# {_one_line(report.title)}"]
    if report.subtitle:
        blocks.append(_one_line(report.subtitle))
    if report.generated:
        blocks.append(f"*Generated: {_one_line(report.generated)}*")
    for section in report.sections:
        blocks.extend(_markdown_section(section, figure_dir))
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- files


def refuse_existing(out_dir: str | Path, figure_paths: Mapping[str, Path] | None = None) -> None:
    """Raise if a report (or one of the given figure files) is already in ``out_dir``.

    Callers that do expensive work before writing check with this first.

    Raises
    ------
    FileExistsError
        Naming the existing files and how to replace them.

    Examples
    --------
    >>> import tempfile
    >>> refuse_existing(tempfile.mkdtemp()) is None
    True
    """
    out = Path(out_dir)
    paths = (out / HTML_NAME, out / MARKDOWN_NAME, *(figure_paths or {}).values())
    existing = [p for p in paths if p.exists()]
    if existing:
        names = ", ".join(str(p) for p in existing)
        verb = "exists" if len(existing) == 1 else "exist"
        msg = (
            f"{names} already {verb}; pass overwrite=True (or --force on the command line) "
            "to replace"
        )
        raise FileExistsError(msg)


def write_report(report: Report, out_dir: str | Path, *, overwrite: bool = False) -> ReportFiles:
    """Write a report as ``report.html``, ``report.md`` and ``figures/<name>.png``.

    The directory is created when missing. Without `overwrite`, nothing is written if any of
    the files is already there; with it, those files are replaced (other files in the
    directory, such as figures of an earlier report with other names, are left alone). The
    files are written to a temporary folder beside the directory first and then renamed into
    place, so an interrupted run leaves no half-written report.

    Parameters
    ----------
    report : Report
        The report.
    out_dir : str or pathlib.Path
        The directory to write to.
    overwrite : bool, default False
        Replace existing files.

    Returns
    -------
    ReportFiles
        The paths written.

    Raises
    ------
    FileExistsError
        If `overwrite` is false and ``report.html``, ``report.md`` or one of the figure files
        exists already; nothing is written then.
    """
    out = Path(out_dir)
    html_path = out / HTML_NAME
    markdown_path = out / MARKDOWN_NAME
    figure_paths = {f.name: out / FIGURE_DIR / f"{f.name}.png" for f in _figures(report)}
    if not overwrite:
        refuse_existing(out, figure_paths)
    # Render everything before writing anything, so that a failure leaves no partial report.
    pngs = _pngs(report)
    page = _render_html(report, pngs)
    markdown = render_markdown(report, FIGURE_DIR)
    files = {
        **{path.relative_to(out): pngs[name] for name, path in figure_paths.items()},
        Path(MARKDOWN_NAME): markdown.encode("utf-8"),
        Path(HTML_NAME): page.encode("utf-8"),
    }
    _write_atomically(out, files)
    return ReportFiles(html=html_path, markdown=markdown_path, figures=tuple(figure_paths.values()))


def _write_atomically(out: Path, files: Mapping[Path, bytes]) -> None:
    """Write files below ``out`` so that an interrupted run leaves nothing half-written.

    Everything is written to a temporary folder beside ``out`` first. A new ``out`` is then that
    folder, renamed in one step; into an existing ``out`` each file is moved by an atomic
    rename, the HTML last, and files already there under other names stay.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # a folder as mkdir would make it, not mkdtemp's 0700
    try:
        for relative, data in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if not out.exists():
            staging.rename(out)
            return
        for relative in files:
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            (staging / relative).replace(out / relative)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
