"""Command line: ``llmtco compare``, ``llmtco report``, ``llmtco init`` and ``llmtco prices``.

Exit status (docs/cli.md):

- 0: done.
- 1: done, but with findings or a refusal: ``prices validate`` found errors, a report or file
  already exists and ``--force`` was not given.
- 2: bad input: a scenario, catalog file, option or output path that cannot be used. One
  message names the file, key and value; never a traceback.
- 3: an internal error (a bug in llmtco): one message; the traceback only with the
  environment variable ``LLMTCO_DEBUG=1``.
- 130: interrupted (Ctrl-C); 141: the reader of the output went away (``| head``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import warnings
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any, TextIO

from llmtco import __version__
from llmtco.cli_prices import add_prices_parser, parse_date
from llmtco.errors import LlmtcoError, OutputPathError, PriceMagnitudeWarning
from llmtco.examples import default_scenario, default_scenario_yaml
from llmtco.models import Scenario
from llmtco.result import ComparisonResult
from llmtco.tco import compare

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_FINDINGS",
    "EXIT_INTERNAL_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "MAX_SAMPLES",
    "format_table",
    "main",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what a shell reports
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE
MAX_SAMPLES = 1_000_000
"""Largest ``--samples``: a million draws take minutes and gigabytes; more adds nothing."""


def _money(value: float) -> str:
    return f"{value:,.0f}"


def _tokens(value: float) -> str:
    return "never" if not math.isfinite(value) else f"{value:.3g}"


def _payback(month: float, within: bool, horizon: int) -> str:
    return f"month {month:.1f}" if within else f"never within {horizon} months"


def _rows_to_text(header: list[str], rows: list[list[str]]) -> list[str]:
    """Align columns: the first to the left, the others (numbers) to the right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def format_table(result: ComparisonResult) -> str:
    """Plain-text summary of a comparison: costs per option, break-even and payback."""
    s = result.scenario
    volume = result.tokens_per_month
    lines = [
        f"{s.name}",
        (
            f"horizon {result.horizon_months} months, {s.hours_per_month:g} h/month, "
            f"discount rate {s.discount_rate_per_year:.1%}/year, currency {s.currency}"
        ),
        (
            f"volume {volume[0]:.3g} tokens/month in month 0, "
            f"{volume[-1]:.3g} in month {len(volume) - 1}"
        ),
        "",
    ]
    header = [
        "option",
        "kind",
        "month 0 [USD]",
        "last month [USD]",
        "total [USD]",
        "NPV [USD]",
        "[USD/Mtok]",
    ]
    totals: dict[Hashable, dict[Hashable, Any]] = result.totals.to_dict(orient="index")
    rows = [
        [
            str(name),
            str(row["kind"]),
            _money(row["month0_usd"]),
            _money(row["last_month_usd"]),
            _money(row["total_usd"]),
            _money(row["npv_usd"]),
            f"{row['usd_per_mtok']:.3f}",
        ]
        for name, row in totals.items()
    ]
    lines += _rows_to_text(header, rows)
    lines += ["", f"cheapest over the horizon (NPV): {result.cheapest}"]
    if result.pairs:
        lines += ["", "self-hosting against each API option"]
        header = [
            "self-hosted",
            "api",
            "API [USD/Mtok]",
            "break-even [tokens/month]",
            "x month-0 volume",
            "payback",
            "discounted payback",
        ]
        rows = []
        for r in result.pairs:
            ratio = (
                r.break_even_tokens_per_month / r.tokens_per_month_month0
                if r.tokens_per_month_month0 > 0
                else math.inf
            )
            rows.append(
                [
                    r.self_hosted,
                    r.api,
                    f"{r.api_usd_per_mtok:.3f}",
                    _tokens(r.break_even_tokens_per_month),
                    "-" if not math.isfinite(ratio) else f"{ratio:.2f}",
                    _payback(r.payback_month, r.payback_within_horizon, result.horizon_months),
                    _payback(
                        r.discounted_payback_month,
                        r.discounted_payback_within_horizon,
                        result.horizon_months,
                    ),
                ]
            )
        lines += _rows_to_text(header, rows)
    lines += _outcome_lines(result)
    lines += _rate_limit_lines(result)
    return "\n".join(lines)


def _rate_limit_lines(result: ComparisonResult) -> list[str]:
    """One warning per API deployment whose busiest minute exceeds its usage tier."""
    over = result.rate_limits[result.rate_limits["exceeds"]]
    if over.empty:
        return []
    lines = ["", "rate limits (busiest minute of the busiest month)"]
    for row in over.to_dict(orient="records"):
        where = (
            row["option"]
            if row["option"] == row["backend"]
            else f"{row['option']}.{row['backend']}"
        )
        lines.append(
            f"  {where}: {row['model']} at {row['tier']} throttles "
            f"{row['throttled_share']:.1%} of the volume ({row['binding_limit']}); "
            f"tier needed: {row['tier_needed']}"
        )
    return lines


def _rate(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1%}"


def _outcome_lines(result: ComparisonResult) -> list[str]:
    """Cost per request and per successful request, when any option states outcomes."""
    frame = result.frontier()
    if frame.empty or frame["success_rate"].isna().all():
        return []
    summary = result.to_dict()["outcomes"]
    header = [
        "option",
        "calls/request",
        "success",
        "false accepts",
        "to a human",
        "unresolved",
        "[USD/request]",
        "[USD/success]",
    ]
    rows = []
    for name, row in summary.items():
        per_success = row["usd_per_success"]
        rows.append(
            [
                name,
                f"{row['calls_per_request']:.3f}",
                _rate(math.nan if row["success_rate"] is None else row["success_rate"]),
                _rate(row["false_accept_rate"]),
                _rate(row["human_escalation_rate"]),
                _rate(row["unresolved_rate"]),
                f"{row['usd_per_request']:.5f}" if row["usd_per_request"] is not None else "-",
                f"{per_success:.5f}" if per_success is not None else "-",
            ]
        )
    efficient = [str(n) for n, on in frame["on_frontier"].items() if on]
    return [
        "",
        "outcomes over the horizon (success = a right answer delivered)",
        *_rows_to_text(header, rows),
        "",
        f"cost-quality frontier: {', '.join(efficient) or '-'}",
    ]


def _check_new_file(path: Path, flag: str) -> None:
    """Refuse, before any work, an output file that could not be written."""
    if path.is_dir():
        msg = f"{flag} {path}: is a folder; give a file name"
        raise OutputPathError(msg)
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        what = "is a file, not a folder" if parent.exists() else "does not exist"
        msg = f"{flag} {path}: its folder {parent} {what}; create the folder first"
        raise OutputPathError(msg)


def _check_plot_path(path: Path) -> None:
    from matplotlib.backend_bases import FigureCanvasBase

    _check_new_file(path, "--plot")
    formats = FigureCanvasBase.get_supported_filetypes()
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in formats:
        known = ", ".join(f".{k}" for k in sorted(formats))
        shown = f"extension .{suffix}" if suffix else "no extension"
        msg = f"--plot {path}: {shown}; give one of {known}"
        raise OutputPathError(msg)


def _check_report_folder(path: Path) -> None:
    if path.exists() and not path.is_dir():
        msg = f"--out {path}: is a file; give a folder (it is created when missing)"
        raise OutputPathError(msg)
    parent = path.parent if str(path.parent) else Path()
    if not parent.is_dir():
        msg = f"--out {path}: its parent folder {parent} does not exist; create it first"
        raise OutputPathError(msg)


def _cmd_compare(args: argparse.Namespace) -> int:
    if args.plot:
        _check_plot_path(Path(args.plot))
    scenario = _scenario_from_args(args)
    result = compare(scenario, horizon_months=args.months)
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, allow_nan=False))
    elif args.format == "csv":
        print(result.monthly.to_csv(index=False), end="")
    else:
        print(format_table(result))
    if args.plot:
        import matplotlib as mpl

        mpl.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 4.5))
        result.plot(ax=ax)
        fig.savefig(args.plot, dpi=120, bbox_inches="tight")
        plt.close(fig)
        print(f"plot written to {args.plot}", file=sys.stderr)
    return 0


def _scenario_from_args(args: argparse.Namespace) -> Scenario:
    scenario = Scenario.from_yaml(args.scenario) if args.scenario else default_scenario()
    if args.catalog:
        extra = [str(Path(p).resolve()) for p in args.catalog]
        scenario = scenario.model_copy(update={"catalog_paths": scenario.catalog_paths + extra})
    if args.as_of:
        scenario = scenario.model_copy(update={"prices_as_of": args.as_of})
    return scenario


def _cmd_report(args: argparse.Namespace) -> int:
    import matplotlib as mpl

    mpl.use("Agg")
    from llmtco.briefing import write_decision_report

    _check_report_folder(Path(args.out))
    scenario = _scenario_from_args(args)
    try:
        files = write_decision_report(
            scenario, args.out, n=args.samples, seed=args.seed, overwrite=args.force
        )
    except FileExistsError as exc:
        print(f"llmtco: error: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"wrote {files.html} and {files.markdown}", file=sys.stderr)
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.path)
    _check_new_file(path, "init")
    if path.exists() and not args.force:
        print(f"llmtco: error: {path} exists; use --force to overwrite", file=sys.stderr)
        return EXIT_FINDINGS
    path.write_text(default_scenario_yaml(), encoding="utf-8")
    print(f"wrote {path}; edit it, then run: llmtco compare {path}", file=sys.stderr)
    return 0


def _at_least_one(unit: str, most: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number of ``unit`` >= 1 (and <= ``most``)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1 or (most is not None and value > most):
            upper = f" and <= {most:,}" if most is not None else ""
            msg = f"must be a whole number of {unit} >= 1{upper}; got {text!r}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return parse


def _add_catalog_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        action="append",
        metavar="PATH",
        help="extra catalog file or folder (repeatable); overrides packaged entries by id",
    )
    parser.add_argument(
        "--as-of",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="price the options at the catalog prices in effect that day",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="llmtco",
        description="Hosted LLM API vs self-hosting: total cost of ownership, break-even, payback.",
    )
    parser.add_argument("--version", action="version", version=f"llmtco {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    cmp_parser = sub.add_parser(
        "compare", help="compare the options of a scenario (the packaged default if omitted)"
    )
    cmp_parser.add_argument("scenario", nargs="?", help="scenario YAML file")
    cmp_parser.add_argument(
        "--months", type=_at_least_one("months"), help="override the horizon [months]"
    )
    cmp_parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    cmp_parser.add_argument("--plot", metavar="FILE.png", help="write the TCO plot to this file")
    _add_catalog_arguments(cmp_parser)
    cmp_parser.set_defaults(func=_cmd_compare)

    report_parser = sub.add_parser(
        "report",
        help="recommend an option and write a self-contained HTML and a Markdown report",
    )
    report_parser.add_argument("scenario", nargs="?", help="scenario YAML file")
    report_parser.add_argument("--out", required=True, metavar="DIR", help="folder to write to")
    report_parser.add_argument(
        "--force", action="store_true", help="replace a report already in DIR"
    )
    report_parser.add_argument(
        "--samples",
        type=_at_least_one("samples", MAX_SAMPLES),
        default=10_000,
        help=f"Monte Carlo samples [-], 1 to {MAX_SAMPLES:,}",
    )
    report_parser.add_argument("--seed", type=int, default=0, help="Monte Carlo seed")
    _add_catalog_arguments(report_parser)
    report_parser.set_defaults(func=_cmd_report)

    init_parser = sub.add_parser("init", help="write the default scenario as a commented template")
    init_parser.add_argument("path", nargs="?", default="scenario.yaml")
    init_parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    init_parser.set_defaults(func=_cmd_init)

    add_prices_parser(sub)
    return parser


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print a warning as one line for people, without the Python source location."""
    print(f"llmtco: warning: {message}", file=sys.stderr if file is None else file)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    try:
        args = _parser().parse_args(argv)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        # llmtco's own warnings are for the person at the terminal: print each once.
        warnings.filterwarnings("default", category=PriceMagnitudeWarning)
        try:
            status: int = args.func(args)
        except LlmtcoError as exc:
            print(f"llmtco: error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except BrokenPipeError:
            # The reader went away (`llmtco compare | head`): stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_BROKEN_PIPE
        except KeyboardInterrupt:
            print("llmtco: interrupted; nothing half-written was left behind", file=sys.stderr)
            return EXIT_INTERRUPTED
        except OSError as exc:
            # A file that cannot be read or written: the user's to fix, not a bug.
            print(f"llmtco: error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except Exception as exc:
            if os.environ.get("LLMTCO_DEBUG"):
                raise
            print(
                f"llmtco: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in llmtco; please report it with the command you ran (set "
                "LLMTCO_DEBUG=1 to see the traceback).",
                file=sys.stderr,
            )
            return EXIT_INTERNAL_ERROR
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
