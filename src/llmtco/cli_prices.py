"""``llmtco prices``: list, show, validate, check freshness, import and describe the catalog."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from llmtco.catalog import KINDS, Catalog, entry_to_dict, load_catalog, yaml_files
from llmtco.errors import (
    CatalogError,
    PriceMagnitudeWarning,
    PriceNotInEffectError,
    UnknownIdError,
)
from llmtco.litellm import import_litellm
from llmtco.sanity import check_catalog
from llmtco.schema import write_json_schemas

__all__ = ["add_prices_parser", "parse_date"]

KIND_NAMES = {
    "api": "api_prices",
    "instances": "gpu_instances",
    "gpus": "gpus",
    "models": "open_models",
    "serving": "serving_profiles",
}
_TABLE_COLUMNS = {
    "api_prices": [
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
        "context_window_tokens",
    ],
    "gpu_instances": ["gpu", "gpu_count", "on_demand_usd_per_hour", "spot_usd_per_hour"],
    "gpus": ["memory_gb", "memory_bandwidth_gb_per_s", "bf16_tflops", "fp8_tflops"],
    "open_models": ["total_params_billion", "active_params_billion", "context_tokens"],
    "serving_profiles": ["model", "gpu", "gpus_per_replica", "precision", "output_tokens_per_s"],
}


def parse_date(text: str) -> dt.date:
    """Parse a YYYY-MM-DD command-line date, or fail with a usage message."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"must be a date YYYY-MM-DD; got {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def _catalog(args: argparse.Namespace) -> Catalog:
    return load_catalog(*(args.catalog or []), as_of=getattr(args, "as_of", None))


def _cmd_list(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    kind = KIND_NAMES[args.kind]
    ids = [i for i in catalog.ids(kind) if args.provider in (None, i.split("/", 1)[0])]
    if args.format == "json":
        rows = [
            {"id": i, **entry_to_dict(catalog.entry(kind, i)), "file": catalog.source_file(kind, i)}
            for i in ids
        ]
        print(json.dumps(rows, indent=2))
        return 0
    frame = catalog._frame(kind).loc[ids]
    if args.format == "csv":
        print(frame.to_csv(), end="")
        return 0
    columns = [*_TABLE_COLUMNS[kind], "checked", "source"]
    with pd.option_context(
        "display.max_rows", None, "display.width", 200, "display.max_colwidth", 50
    ):
        print(frame[columns].to_string())
    print(f"\n{len(frame)} {kind} as of {catalog.as_of}")
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    for kind in KINDS:
        if args.id in catalog.ids(kind):
            where = catalog.source_file(kind, args.id)
            print(f"# {kind} from {where} (prices as of {catalog.as_of})")
            entry = entry_to_dict(catalog.entry(kind, args.id))
            print(yaml.safe_dump(entry, sort_keys=False, allow_unicode=True), end="")
            return 0
    if args.id in catalog.not_in_effect:
        raise PriceNotInEffectError(catalog.not_in_effect[args.id])
    everything = [i for kind in KINDS for i in catalog.ids(kind)]
    import difflib

    close = difflib.get_close_matches(args.id, everything, n=5, cutoff=0.5)
    msg = f"unknown id {args.id!r}; closest known: {', '.join(close) or ', '.join(everything[:5])}"
    raise UnknownIdError(msg)


def _cmd_validate(args: argparse.Namespace) -> int:
    files = {str(f) for p in args.files for f in yaml_files(Path(p))}
    with warnings.catch_warnings():
        # Implausible magnitudes are reported as findings below, with file and field.
        warnings.simplefilter("ignore", PriceMagnitudeWarning)
        try:
            catalog = load_catalog(*args.files, include_packaged=not args.alone)
        except CatalogError as exc:
            print(f"error: {exc}")
            print("invalid: the files do not load", file=sys.stderr)
            return 1
    findings = check_catalog(catalog, files=files)
    for finding in findings:
        print(finding)
    errors = sum(f.severity == "error" for f in findings)
    warned = len(findings) - errors
    status = "invalid" if errors else "valid"
    print(
        f"{status}: {len(files)} file(s), {errors} error(s), {warned} warning(s)", file=sys.stderr
    )
    return 1 if errors else 0


def _cmd_stale(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    frame = catalog.stale(days=args.days)
    if frame.empty:
        print(f"no entry was checked more than {args.days} days before {catalog.as_of}")
        return 0
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(frame.to_string(index=False))
    print(f"\n{len(frame)} entries checked more than {args.days} days before {catalog.as_of}")
    return 0


def _cmd_import_litellm(args: argparse.Namespace) -> int:
    imported = import_litellm(args.file, checked=args.checked)
    text = imported.to_yaml()
    if args.out is None:
        print(text, end="")
    else:
        out = Path(args.out)
        if out.exists() and not args.force:
            print(f"llmtco: error: {out} exists; use --force to overwrite", file=sys.stderr)
            return 1
        out.write_text(text, encoding="utf-8")
    print(
        f"imported {len(imported)} price sheets, skipped {len(imported.skipped)}"
        + (f"; wrote {args.out}" if args.out else ""),
        file=sys.stderr,
    )
    for key, reason in imported.skipped.items() if args.show_skipped else ():
        print(f"skipped {key}: {reason}", file=sys.stderr)
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    for path in write_json_schemas(args.out):
        print(path)
    return 0


def add_prices_parser(sub: Any) -> None:
    """Add ``prices`` and its subcommands to the top-level subparsers."""
    prices = sub.add_parser("prices", help="list, show, validate or import catalog entries")
    commands = prices.add_subparsers(dest="prices_command", required=True)

    def with_catalog(parser: argparse.ArgumentParser, *, as_of: bool = True) -> None:
        parser.add_argument(
            "--catalog", action="append", metavar="PATH", help="extra catalog file or folder"
        )
        if as_of:
            parser.add_argument(
                "--as-of", type=parse_date, metavar="YYYY-MM-DD", help="prices in effect that day"
            )

    listing = commands.add_parser("list", help="list entries of one kind")
    listing.add_argument("--kind", choices=list(KIND_NAMES), default="api")
    listing.add_argument("--provider", help="only ids starting with PROVIDER/")
    listing.add_argument("--format", choices=("table", "json", "csv"), default="table")
    with_catalog(listing)
    listing.set_defaults(func=_cmd_list)

    show = commands.add_parser("show", help="show one entry in full")
    show.add_argument("id")
    with_catalog(show)
    show.set_defaults(func=_cmd_show)

    validate = commands.add_parser(
        "validate", help="validate catalog files; exit status 1 on any error"
    )
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument(
        "--alone", action="store_true", help="do not load the packaged catalog beside the files"
    )
    validate.set_defaults(func=_cmd_validate)

    stale = commands.add_parser("stale", help="entries not checked for a while")
    stale.add_argument("--days", type=int, default=180, help="age limit [days] (default 180)")
    with_catalog(stale, as_of=False)
    stale.set_defaults(func=_cmd_stale)

    litellm = commands.add_parser(
        "import-litellm", help="convert a LiteLLM model_prices_and_context_window.json to YAML"
    )
    litellm.add_argument("file")
    litellm.add_argument("--out", metavar="FILE.yaml", help="write here instead of stdout")
    litellm.add_argument("--force", action="store_true", help="overwrite --out")
    litellm.add_argument(
        "--checked", type=parse_date, help="checked date to record (default today)"
    )
    litellm.add_argument("--show-skipped", action="store_true", help="list skipped keys")
    litellm.set_defaults(func=_cmd_import_litellm)

    schema = commands.add_parser("schema", help="write JSON Schemas of the YAML files")
    schema.add_argument("--out", default="llmtco-schemas", metavar="DIR")
    schema.set_defaults(func=_cmd_schema)
