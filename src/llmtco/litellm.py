"""Import the LiteLLM price map (``model_prices_and_context_window.json``) as API price sheets.

LiteLLM stores USD *per token*; llmtco stores USD per million tokens. The import follows
LiteLLM's own billing rules so that a request costs the same under both:

- ``input_cost_per_token``, ``output_cost_per_token``, ``cache_read_input_token_cost`` and
  ``cache_creation_input_token_cost`` become the standard prices;
- ``*_batches``, ``*_flex`` and ``*_priority`` become the ``batch``, ``flex`` and ``priority``
  tiers (a rate a tier leaves out is the standard one, in both);
- ``*_above_{N}k_tokens`` (or ``_above_{N}_tokens``) become ``long_context`` cliff tiers: when
  the prompt (text + cache reads + cache writes) exceeds N tokens, every rate of the request
  switches; a rate with no above-N key keeps its standard value, as in LiteLLM. xAI counts the
  threshold inclusively (>=), everyone else strictly (>);
- ``off_peak_pricing`` with a single daily ``hours_utc`` window becomes ``off_peak``;
- ``max_input_tokens`` → ``context_window_tokens``, ``max_output_tokens``, ``rpm``/``tpm`` → a
  rate limit, ``deprecation_date`` → ``retires``, ``source`` → ``source``.

One deliberate difference: where an entry lists no cache-read (or cache-write) price,
LiteLLM bills those tokens at zero; llmtco bills them at the input price, because nothing
unknown is priced at zero. For every request without such tokens the costs are equal.

Not mapped (the entry is imported without them, and they are listed here so nobody relies on
them): per-second, per-image, per-audio, per-character and per-query prices; search and tool
fees; ``tiered_pricing`` tables; one-hour cache writes (``*_above_1hr``); reasoning-token
rates; off-peak rules with several windows or weekdays; ``supports_*`` flags.

Left out, each with its reason in :attr:`LitellmImport.skipped` (one bad entry never stops the
rest): entries whose ``mode`` is not ``chat`` (embeddings, images, audio...); entries with no
per-token input and output price, or a price that is not a finite number >= 0; entries priced
0 for both input and output (LiteLLM's 0 means free, self-hosted or unknown alike, and llmtco
never prices the unknown at zero); entries that fail validation; and a key whose id another key
already took (the first one in the map is kept). A token limit of ``Infinity`` means no limit
is known.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from llmtco._yaml import format_validation_error, read_utf8_text
from llmtco.catalog import entry_to_dict
from llmtco.errors import CatalogError
from llmtco.models import ApiPriceSheet
from llmtco.units import TOKENS_PER_MTOK

__all__ = ["LitellmImport", "import_litellm"]

_SOURCE = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
_ABOVE = re.compile(r"^input_cost_per_token_above_(\d+(?:\.\d+)?)(k?)_tokens$")
_INCLUSIVE_PROVIDERS = frozenset({"xai"})
_KIND_KEYS = {
    "input_usd_per_mtok": "input_cost_per_token",
    "output_usd_per_mtok": "output_cost_per_token",
    "cached_input_usd_per_mtok": "cache_read_input_token_cost",
    "cache_write_usd_per_mtok": "cache_creation_input_token_cost",
}


def _per_mtok(value: Any) -> float | None:
    """USD per token -> USD per million tokens, without the float noise of the source."""
    if value is None or isinstance(value, bool):
        return None
    number = float(value) * TOKENS_PER_MTOK
    if not math.isfinite(number):
        msg = f"price {value!r} is not a finite number"
        raise ValueError(msg)
    return float(f"{number:.12g}")


def _token_count(value: Any) -> int | None:
    """A token limit as a whole number > 0; None when absent, unlimited or not a number.

    LiteLLM writes ``Infinity`` (or leaves text such as the sample entry's) where a model sets
    no limit; that is no limit known, not an error.
    """
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 1:
        return None
    return int(value)


def _price_set(
    entry: Mapping[str, Any], suffix: str, fallback: Mapping[str, float | None]
) -> dict[str, float | None]:
    """The four prices with a key suffix; a missing one takes the fallback's (LiteLLM's rule)."""
    prices = {field: _per_mtok(entry.get(key + suffix)) for field, key in _KIND_KEYS.items()}
    return {
        field: fallback.get(field) if value is None else value for field, value in prices.items()
    }


def _thresholds(entry: Mapping[str, Any]) -> list[tuple[int, str]]:
    found = []
    for key in entry:
        match = _ABOVE.match(key)
        if match and entry[key] is not None:
            number, kilo = match.groups()
            found.append((round(float(number) * (1000 if kilo else 1)), f"{number}{kilo}"))
    return sorted(found)


def _off_peak(
    entry: Mapping[str, Any], standard: Mapping[str, float | None]
) -> dict[str, Any] | None:
    block = entry.get("off_peak_pricing")
    if not isinstance(block, Mapping):
        return None
    hours = block.get("hours_utc")
    if isinstance(hours, list) and len(hours) == 1:
        hours = hours[0]
    if not isinstance(hours, str) or block.get("windows"):
        return None  # several windows or weekday rules: not mapped
    prices = _price_set(block, "", standard)
    return {"hours_utc": hours.replace(" ", ""), **prices}


def _sheet_fields(key: str, entry: Mapping[str, Any], checked: dt.date) -> dict[str, Any]:
    provider = re.sub(r"[^a-z0-9_.-]", "-", str(entry.get("litellm_provider", "unknown")).lower())
    name = key[len(provider) + 1 :] if key.lower().startswith(provider + "/") else key
    standard = _price_set(entry, "", {})
    fields: dict[str, Any] = {
        "id": f"{provider}/{name}",
        "provider": provider,
        "model": name,
        **{k: v for k, v in standard.items() if v is not None},
        "source": str(entry.get("source") or _SOURCE),
        "checked": checked,
        "notes": f"Imported from the LiteLLM price map, key {key!r}.",
    }
    for tier, suffix in (("batch", "_batches"), ("flex", "_flex"), ("priority", "_priority")):
        if (
            entry.get("input_cost_per_token" + suffix) is not None
            or entry.get("output_cost_per_token" + suffix) is not None
        ):
            fields[tier] = _price_set(entry, suffix, standard)
    inclusive = provider in _INCLUSIVE_PROVIDERS
    fields["long_context"] = [
        {
            "above_input_tokens": threshold,
            "inclusive": inclusive,
            **_price_set(entry, f"_above_{label}_tokens", standard),
        }
        for threshold, label in _thresholds(entry)
    ]
    off_peak = _off_peak(entry, standard)
    if off_peak is not None:
        fields["off_peak"] = off_peak
    for field, key in (
        ("context_window_tokens", "max_input_tokens"),
        ("max_output_tokens", "max_output_tokens"),
    ):
        limit = _token_count(entry.get(key))
        if limit is not None:
            fields[field] = limit
    rpm, tpm = _token_count(entry.get("rpm")), _token_count(entry.get("tpm"))
    if rpm is not None or tpm is not None:
        fields["rate_limits"] = [
            {"tier": "as listed by LiteLLM", "requests_per_minute": rpm, "tokens_per_minute": tpm}
        ]
    if entry.get("deprecation_date"):
        try:
            fields["retires"] = dt.date.fromisoformat(str(entry["deprecation_date"]))
        except ValueError:
            fields["notes"] += f" Its deprecation_date {entry['deprecation_date']!r} is no date."
    return fields


class LitellmImport(Mapping[str, ApiPriceSheet]):
    """API price sheets imported from a LiteLLM price map, keyed by the map's own keys.

    Attributes
    ----------
    skipped : dict of str to str
        Keys of the map that were not imported, with the reason.
    """

    def __init__(self, sheets: dict[str, ApiPriceSheet], skipped: dict[str, str]):
        self._sheets = sheets
        self.skipped = skipped

    def __getitem__(self, key: str) -> ApiPriceSheet:
        return self._sheets[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sheets)

    def __len__(self) -> int:
        return len(self._sheets)

    def __repr__(self) -> str:
        return f"<LitellmImport: {len(self)} sheets, {len(self.skipped)} skipped>"

    def to_yaml(self) -> str:
        """The sheets as a catalog file (``api_prices:`` list), ready for ``load_catalog``."""
        entries = [entry_to_dict(sheet) for sheet in self._sheets.values()]
        return yaml.safe_dump({"api_prices": entries}, sort_keys=False, allow_unicode=True)


def _finite_price(value: Any) -> float | None:
    """A per-token price as a finite number >= 0, None when absent; raises on anything else."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        msg = f"a price must be a number; got {value!r}"
        raise ValueError(msg)
    try:
        number = float(value)
    except ValueError:
        msg = f"a price must be a number; got {value!r}"
        raise ValueError(msg) from None
    if not math.isfinite(number) or number < 0:
        msg = f"a price must be a finite number >= 0; got {value!r}"
        raise ValueError(msg)
    return number


def _why_not_imported(entry: Mapping[str, Any]) -> str | None:
    """The reason an entry is not a priced chat model, or None when it is one."""
    if entry.get("mode", "chat") != "chat":
        return f"mode {entry.get('mode')!r} is not chat"
    if not isinstance(entry.get("litellm_provider"), str) or not entry["litellm_provider"]:
        return "names no litellm_provider, so its id is unknown"
    prices = (entry.get("input_cost_per_token"), entry.get("output_cost_per_token"))
    if None in prices:
        return "no per-token input and output price"
    try:
        input_price, output_price = (_finite_price(p) for p in prices)
    except ValueError as exc:
        return str(exc)
    if input_price == 0 and output_price == 0:
        return (
            "priced 0 for input and output (free, self-hosted or not known); llmtco never "
            "imports a price of zero by default"
        )
    return None


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else text


def _read_map(path_or_mapping: str | Path | Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    source = "<mapping>"
    if isinstance(path_or_mapping, str | Path):
        source = str(path_or_mapping)
        text = read_utf8_text(
            Path(path_or_mapping), CatalogError, hint="a LiteLLM map is UTF-8 JSON"
        )
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"{source}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
            raise CatalogError(msg) from exc
        except RecursionError:
            msg = f"{source}: invalid JSON: nested too deeply to read"
            raise CatalogError(msg) from None
    else:
        data = path_or_mapping
    if not isinstance(data, Mapping):
        kind = type(data).__name__
        msg = f"{source}: a LiteLLM price map is a JSON object keyed by model; got {kind}"
        raise CatalogError(msg)
    return source, data


def import_litellm(
    path_or_mapping: str | Path | Mapping[str, Any], *, checked: dt.date | None = None
) -> LitellmImport:
    """Import LiteLLM's ``model_prices_and_context_window.json`` format as API price sheets.

    One entry that cannot be imported never stops the others: it is left out with the reason
    in :attr:`LitellmImport.skipped`. Entries priced 0 for both input and output are left out
    (LiteLLM uses 0 for free, self-hosted and unknown alike), and when two keys give the same
    id the first one is kept and the other reported.

    Parameters
    ----------
    path_or_mapping : str, pathlib.Path or mapping
        The JSON file, or its parsed content.
    checked : datetime.date, optional
        Date to record as ``checked`` on every sheet (the map carries none); today by default.

    Returns
    -------
    LitellmImport
        A mapping from the map's keys to :class:`~llmtco.models.ApiPriceSheet`, with
        ``skipped`` listing the keys left out and why. ``to_yaml()`` writes a catalog file.

    Raises
    ------
    CatalogError
        If the file cannot be read or is not a JSON object.

    Examples
    --------
    >>> prices = import_litellm({
    ...     "gpt-4o": {"litellm_provider": "openai", "mode": "chat",
    ...                "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
    ...                "cache_read_input_token_cost": 1.25e-06},
    ...     "ollama/llama3": {"litellm_provider": "ollama", "mode": "chat",
    ...                       "input_cost_per_token": 0.0, "output_cost_per_token": 0.0}})
    >>> sheet = prices["gpt-4o"]
    >>> sheet.id, sheet.input_usd_per_mtok, sheet.cached_input_usd_per_mtok
    ('openai/gpt-4o', 2.5, 1.25)
    >>> list(prices.skipped)
    ['ollama/llama3']
    """
    source, data = _read_map(path_or_mapping)
    day = checked or dt.date.today()
    sheets: dict[str, ApiPriceSheet] = {}
    skipped: dict[str, str] = {}
    taken: dict[str, str] = {}  # id -> the map key it came from
    for raw_key, entry in data.items():
        key = str(raw_key)
        if key == "sample_spec":
            skipped[key] = "LiteLLM's documentation entry"
            continue
        if not isinstance(entry, Mapping):
            skipped[key] = "not an object"
            continue
        reason = _why_not_imported(entry)
        if reason is not None:
            skipped[key] = reason
            continue
        try:
            fields = _sheet_fields(key, entry, day)
        except (TypeError, ValueError, OverflowError) as exc:
            skipped[key] = f"cannot read the entry: {exc}"
            continue
        if fields["id"] in taken:
            kept = sheets[taken[fields["id"]]]
            differ = (kept.input_usd_per_mtok, kept.output_usd_per_mtok) != (
                fields.get("input_usd_per_mtok"),
                fields.get("output_usd_per_mtok"),
            )
            skipped[key] = (
                f"maps to id {fields['id']}, already taken by key {taken[fields['id']]!r}"
                + (" (whose prices differ)" if differ else "")
            )
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                sheet = ApiPriceSheet.model_validate(fields)
            except ValidationError as exc:
                problem = _first_line(format_validation_error(exc, "")).removeprefix(": ")
                skipped[key] = f"not a valid price sheet: {problem}"
                continue
        taken[fields["id"]] = key
        sheets[key] = sheet
        for warning in caught:
            warnings.warn(f"{source}: [{key!r}]: {warning.message}", warning.category, stacklevel=2)
    return LitellmImport(sheets, skipped)
