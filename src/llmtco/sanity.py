"""Sanity checks over a catalog: plausible prices, consistent tiers, fresh and sourced entries.

Pydantic validation already refuses what can never be right (a negative price, a cached price
above the input price, a missing source). These checks catch what is *implausible*: the slips
that real price databases have shipped, such as a per-1K price typed as per-1M, an hourly price
that is really monthly, a cache write at 24x the input price, or an alias priced differently
from its target. Each finding names the file, the entry and the field.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from llmtco.catalog import KINDS, Catalog
from llmtco.models import ApiPriceSheet, GpuInstance, GpuSpec
from llmtco.models.pricing import PriceSet

__all__ = ["Finding", "check_catalog", "findings_frame", "model_family", "relative_price_findings"]

Severity = Literal["error", "warning"]

# Plausible bands. Token prices [USD/Mtok]; ratios [-]; GPU-hour prices [USD/(GPU h)].
MIN_USD_PER_MTOK, MAX_USD_PER_MTOK = 1e-3, 1_000.0
MIN_OUTPUT_TO_INPUT, MAX_OUTPUT_TO_INPUT = 0.1, 25.0
MAX_CACHE_WRITE_TO_INPUT = 4.0  # Anthropic's 1-hour cache write is 2x
MAX_PRIORITY_TO_STANDARD = 3.0  # published priority tiers are about 1.7-2x
MIN_USD_PER_GPU_HOUR, MAX_USD_PER_GPU_HOUR = 0.02, 60.0
# A price this many times outside its provider's range, off its model family's median or off the
# packaged sheet it overrides is a unit slip more likely than a price (per 1K typed as per 1M
# is 1000x; the widest real spread within a family in the packaged catalog is 10x) [-].
MAX_RELATIVE_PRICE = 20.0
GPU_PRICE_SPREAD = 4.0  # an offer this far from the median for its GPU type is suspicious


@dataclass(frozen=True)
class Finding:
    """One sanity-check result.

    Attributes
    ----------
    severity : {"error", "warning"}
        Errors fail ``llmtco prices validate``; warnings are worth a look.
    kind, id, field : str
        Where: the catalog kind, the entry id and the field (a dotted key path).
    message : str
        What is wrong and what was expected.
    file : str
        File the entry was loaded from.
    """

    severity: Severity
    kind: str
    id: str
    field: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        return (
            f"{self.severity}: {self.file}: {self.kind} (id {self.id}).{self.field}: {self.message}"
        )


def _price_sets(sheet: ApiPriceSheet) -> Iterator[tuple[str, PriceSet]]:
    yield "", sheet
    for tier in ("batch", "flex", "priority"):
        prices = getattr(sheet, tier)
        if prices is not None:
            yield f"{tier}.", prices
    for k, tier_prices in enumerate(sheet.long_context):
        yield f"long_context[{k}].", tier_prices
    if sheet.off_peak is not None:
        yield "off_peak.", sheet.off_peak
    for k, period in enumerate(sheet.history):
        yield f"history[{k}].", period


def _api_findings(sheet: ApiPriceSheet, catalog: Catalog) -> Iterator[tuple[Severity, str, str]]:
    if sheet.input_usd_per_mtok == 0 and sheet.output_usd_per_mtok == 0:
        yield (
            "warning",
            "input_usd_per_mtok",
            "input and output are both 0: the model would be priced as free",
        )
    for prefix, prices in _price_sets(sheet):
        for field in ("input_usd_per_mtok", "output_usd_per_mtok"):
            value = getattr(prices, field)
            if value > 0 and not MIN_USD_PER_MTOK <= value <= MAX_USD_PER_MTOK:
                yield (
                    "error",
                    prefix + field,
                    (
                        f"{value} is outside the plausible {MIN_USD_PER_MTOK}-{MAX_USD_PER_MTOK} "
                        "USD per 1M tokens: typed per token, per 1K tokens, or per 1B?"
                    ),
                )
        if prices.input_usd_per_mtok > 0:
            ratio = prices.output_usd_per_mtok / prices.input_usd_per_mtok
            if not MIN_OUTPUT_TO_INPUT <= ratio <= MAX_OUTPUT_TO_INPUT:
                yield (
                    "error",
                    prefix + "output_usd_per_mtok",
                    (
                        f"output is {ratio:.3g}x input; expected {MIN_OUTPUT_TO_INPUT}-"
                        f"{MAX_OUTPUT_TO_INPUT}x (a slipped digit?)"
                    ),
                )
            cached = prices.cached_input_usd_per_mtok
            if cached is not None and cached > prices.input_usd_per_mtok:
                yield (
                    "error",
                    prefix + "cached_input_usd_per_mtok",
                    f"{cached} exceeds the input price {prices.input_usd_per_mtok}",
                )
            write = prices.cache_write_usd_per_mtok
            if write is not None and write > MAX_CACHE_WRITE_TO_INPUT * prices.input_usd_per_mtok:
                yield (
                    "error",
                    prefix + "cache_write_usd_per_mtok",
                    (
                        f"{write} is {write / prices.input_usd_per_mtok:.3g}x the input price; "
                        f"expected at most {MAX_CACHE_WRITE_TO_INPUT}x"
                    ),
                )
    for tier in ("batch", "flex"):
        prices = getattr(sheet, tier)
        if prices is None:
            continue
        for field in ("input_usd_per_mtok", "output_usd_per_mtok"):
            if getattr(prices, field) > getattr(sheet, field):
                yield (
                    "error",
                    f"{tier}.{field}",
                    (
                        f"{getattr(prices, field)} exceeds the standard {getattr(sheet, field)}; "
                        f"{tier} prices are discounts"
                    ),
                )
    if sheet.priority is not None:
        for field in ("input_usd_per_mtok", "output_usd_per_mtok"):
            standard, priority = getattr(sheet, field), getattr(sheet.priority, field)
            if priority < standard or priority > MAX_PRIORITY_TO_STANDARD * standard:
                yield (
                    "error",
                    f"priority.{field}",
                    (
                        f"{priority} against the standard {standard}; expected 1-"
                        f"{MAX_PRIORITY_TO_STANDARD}x the standard price"
                    ),
                )
    for k, tier_prices in enumerate(sheet.long_context):
        for field in ("input_usd_per_mtok", "output_usd_per_mtok"):
            if getattr(tier_prices, field) < getattr(sheet, field):
                yield (
                    "warning",
                    f"long_context[{k}].{field}",
                    (
                        f"{getattr(tier_prices, field)} is below the standard "
                        f"{getattr(sheet, field)}; long-context tiers usually cost more"
                    ),
                )
    if sheet.alias_of is not None:
        try:
            target = catalog.api_price(sheet.alias_of)
        except LookupError as exc:
            yield ("error", "alias_of", str(exc))
        else:
            for field in (
                "input_usd_per_mtok",
                "output_usd_per_mtok",
                "cached_input_usd_per_mtok",
                "cache_write_usd_per_mtok",
            ):
                if getattr(sheet, field) != getattr(target, field):
                    yield (
                        "error",
                        field,
                        (
                            f"{getattr(sheet, field)} differs from {getattr(target, field)} of "
                            f"{target.id}, which this entry is an alias of"
                        ),
                    )
    if sheet.retires is not None and sheet.retires <= catalog.as_of:
        yield ("warning", "retires", f"the model retired on {sheet.retires}")


def _instance_findings(
    instance: GpuInstance, median_per_gpu: dict[str, float]
) -> Iterator[tuple[Severity, str, str]]:
    for mode in ("on_demand", "reserved_1yr", "reserved_3yr", "spot"):
        price = getattr(instance, f"{mode}_usd_per_hour")
        if price is None:
            continue
        per_gpu = price / instance.gpu_count
        field = f"{mode}_usd_per_hour"
        if not MIN_USD_PER_GPU_HOUR <= per_gpu <= MAX_USD_PER_GPU_HOUR:
            yield (
                "error",
                field,
                (
                    f"{per_gpu:.4g} USD per GPU-hour is outside the plausible "
                    f"{MIN_USD_PER_GPU_HOUR}-{MAX_USD_PER_GPU_HOUR}: a monthly price typed as "
                    "hourly, or a per-GPU price for a multi-GPU instance?"
                ),
            )
        elif mode == "on_demand":
            median = median_per_gpu.get(instance.gpu)
            if median and not median / GPU_PRICE_SPREAD <= per_gpu <= median * GPU_PRICE_SPREAD:
                yield (
                    "warning",
                    field,
                    (
                        f"{per_gpu:.4g} USD per GPU-hour is more than {GPU_PRICE_SPREAD}x away "
                        f"from the median {median:.4g} of {instance.gpu} offers in the catalog"
                    ),
                )


def _gpu_findings(gpu: GpuSpec) -> Iterator[tuple[Severity, str, str]]:
    if gpu.fp8_tflops is not None and gpu.fp8_tflops < gpu.bf16_tflops:
        yield ("warning", "fp8_tflops", f"{gpu.fp8_tflops} is below bf16_tflops {gpu.bf16_tflops}")


_VERSION_TOKEN = re.compile(r"^v?\d+([.p]\d+)*$")  # 4, 3.3, v3p3, 2508, 20240806
_QUALIFIERS = frozenset({"latest", "preview", "instruct", "turbo", "versatile", "instant", "chat"})


def model_family(model: str) -> str:
    """A model name without its version numbers, dates and serving qualifiers.

    Sheets of one family (the same model at several providers, or successive versions of one
    line) are priced within a few x of each other, which is what makes a slip visible.

    Examples
    --------
    >>> model_family("meta-llama/Llama-3.3-70B-Instruct-Turbo"), model_family("llama-v3p3-70b")
    ('llama-70b', 'llama-70b')
    >>> model_family("claude-opus-4-5"), model_family("gpt-4o-2024-08-06")
    ('claude-opus', 'gpt-4o')
    """
    name = model.lower().rsplit("/", 1)[-1]
    tokens = [t for t in name.split("-") if not _VERSION_TOKEN.match(t) and t not in _QUALIFIERS]
    return "-".join(tokens) or name


def _times(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2g}x"


def _far(value: float, low: float, high: float) -> str | None:
    """How a price lies outside [low / MAX, high x MAX], in words; None when inside."""
    if value <= 0 or low <= 0:
        return None
    if value < low / MAX_RELATIVE_PRICE:
        return f"{_times(low / value)} below"
    if value > high * MAX_RELATIVE_PRICE:
        return f"{_times(value / high)} above"
    return None


_SLIP = "typed per 1K tokens (or per token) instead of per 1M?"


@dataclass(frozen=True)
class _Reference:
    """Known prices [USD/Mtok] of one field, by provider and by model family."""

    by_provider: dict[str, dict[str, float]]
    by_family: dict[str, dict[str, float]]

    @classmethod
    def of(cls, sheets: dict[str, ApiPriceSheet], field: str) -> _Reference:
        by_provider: dict[str, dict[str, float]] = defaultdict(dict)
        by_family: dict[str, dict[str, float]] = defaultdict(dict)
        for entry_id, sheet in sheets.items():
            price = float(getattr(sheet, field))
            if price > 0:
                by_provider[sheet.provider][entry_id] = price
                by_family[model_family(sheet.model)][entry_id] = price
        return cls(by_provider, by_family)


def _relative_messages(
    entry_id: str, sheet: ApiPriceSheet, field: str, known: _Reference, replaced: float | None
) -> Iterator[str]:
    value = float(getattr(sheet, field))
    peers = [v for i, v in known.by_provider.get(sheet.provider, {}).items() if i != entry_id]
    if peers and (where := _far(value, min(peers), max(peers))):
        yield (
            f"{value} is {where} the known range of {sheet.provider}'s models "
            f"({min(peers):.4g}-{max(peers):.4g} USD/Mtok): {_SLIP}"
        )
    family = model_family(sheet.model)
    kin = [v for i, v in known.by_family.get(family, {}).items() if i != entry_id]
    median = statistics.median(kin) if kin else 0.0
    if kin and (where := _far(value, median, median)):
        yield (
            f"{value} is {where} the median {median:.4g} USD/Mtok of the {family} family "
            f"({len(kin)} known sheet(s)): {_SLIP}"
        )
    if replaced is not None and (where := _far(value, replaced, replaced)):
        yield f"{value} is {where} the packaged {replaced:.4g} USD/Mtok it overrides: {_SLIP}"


def relative_price_findings(catalog: Catalog, *, files: set[str] | None = None) -> list[Finding]:
    """API prices far from their provider's known range, their family's or what they replace.

    The known prices are the packaged catalog's (as shipped, before any override), or every
    other sheet when the catalog has no packaged layer. A price more than 20x outside its
    provider's range, 20x off its model family's median (see :func:`model_family`) or 20x off
    the packaged sheet it overrides is reported. Every sheet as written is checked, whether in
    effect on the catalog's day or not.

    Parameters
    ----------
    catalog : Catalog
        A loaded catalog.
    files : set of str, optional
        Report only sheets loaded from these files.

    Returns
    -------
    list of Finding
        Warnings, one per price and reason.

    Examples
    --------
    >>> from llmtco import load_catalog
    >>> relative_price_findings(load_catalog())
    []
    """
    written = catalog.written_api_prices()
    replaced = {
        o.id: o.replaced
        for o in catalog.overrides
        if o.kind == "api_prices" and isinstance(o.replaced, ApiPriceSheet)
    }
    packaged = {
        i: sheet for i, (sheet, _) in written.items() if catalog.is_packaged("api_prices", i)
    }
    packaged |= {i: sheet for i, sheet in replaced.items() if sheet is not None}
    reference = packaged or {i: sheet for i, (sheet, _) in written.items()}
    found: list[Finding] = []
    for field in ("input_usd_per_mtok", "output_usd_per_mtok"):
        known = _Reference.of(reference, field)
        for entry_id, (sheet, file) in written.items():
            if files is not None and file not in files:
                continue
            before = replaced.get(entry_id)
            found.extend(
                Finding("warning", "api_prices", entry_id, field, message, file)
                for message in _relative_messages(
                    entry_id,
                    sheet,
                    field,
                    known,
                    None if before is None else float(getattr(before, field)),
                )
            )
    return sorted(found, key=lambda f: (f.id, f.field))


def check_catalog(catalog: Catalog, *, files: set[str] | None = None) -> list[Finding]:
    """Run every sanity check over a catalog.

    Parameters
    ----------
    catalog : Catalog
        A loaded catalog.
    files : set of str, optional
        Report only entries loaded from these files (e.g. the user files being validated).

    Returns
    -------
    list of Finding
        Errors first, then warnings; empty when all is well.
    """
    found: list[Finding] = []

    def add(kind: str, entry_id: str, results: Iterator[tuple[Severity, str, str]]) -> None:
        source = catalog.source_file(kind, entry_id)
        if files is not None and source not in files:
            return
        found.extend(
            Finding(sev, kind, entry_id, field, msg, source) for sev, field, msg in results
        )

    today = dt.date.today()
    for kind in KINDS:
        for entry in catalog.entries(kind):
            checked: dt.date = getattr(entry, "checked")  # noqa: B009 - every kind has one
            if checked > today:
                future: list[tuple[Severity, str, str]] = [
                    ("error", "checked", f"{checked} is after today ({today})")
                ]
                add(kind, str(getattr(entry, "id")), iter(future))  # noqa: B009
    # Every sheet as written, also those not yet (or no longer) in effect on the catalog's day.
    for entry_id, (sheet, _file) in catalog.written_api_prices().items():
        if files is None or _file in files:
            found.extend(
                Finding(sev, "api_prices", entry_id, field, msg, _file)
                for sev, field, msg in _api_findings(sheet, catalog)
            )
    found.extend(relative_price_findings(catalog, files=files))
    instances = [catalog.gpu_instance(i) for i in catalog.ids("gpu_instances")]
    per_gpu = pd.DataFrame(
        {
            "gpu": [i.gpu for i in instances],
            "usd": [i.on_demand_usd_per_hour / i.gpu_count for i in instances],
        }
    )
    median_per_gpu = {str(k): float(v) for k, v in per_gpu.groupby("gpu")["usd"].median().items()}
    for instance in instances:
        add("gpu_instances", instance.id, _instance_findings(instance, median_per_gpu))
    for entry_id in catalog.ids("gpus"):
        add("gpus", entry_id, _gpu_findings(catalog.gpu(entry_id)))
    return sorted(found, key=lambda f: (f.severity != "error", f.kind, f.id, f.field))


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a DataFrame with columns severity, file, kind, id, field, message."""
    columns = ["severity", "file", "kind", "id", "field", "message"]
    return pd.DataFrame([{c: getattr(f, c) for c in columns} for f in findings], columns=columns)
