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
rates; off-peak rules with several windows or weekdays; ``supports_*`` flags. Entries whose
``mode`` is not ``chat`` (embeddings, images, audio...), or that have no per-token input and
output price, are skipped with a reason (see :attr:`LitellmImport.skipped`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from llmtco._yaml import format_validation_error
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
    return float(f"{number:.12g}")


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
    if entry.get("max_input_tokens"):
        fields["context_window_tokens"] = int(entry["max_input_tokens"])
    if entry.get("max_output_tokens"):
        fields["max_output_tokens"] = int(entry["max_output_tokens"])
    if entry.get("rpm") or entry.get("tpm"):
        fields["rate_limits"] = [
            {
                "tier": "as listed by LiteLLM",
                "requests_per_minute": int(entry["rpm"]) if entry.get("rpm") else None,
                "tokens_per_minute": int(entry["tpm"]) if entry.get("tpm") else None,
            }
        ]
    if entry.get("deprecation_date"):
        fields["retires"] = dt.date.fromisoformat(str(entry["deprecation_date"]))
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


def import_litellm(
    path_or_mapping: str | Path | Mapping[str, Any], *, checked: dt.date | None = None
) -> LitellmImport:
    """Import LiteLLM's ``model_prices_and_context_window.json`` format as API price sheets.

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
        If the file cannot be read or is not a JSON object, or an entry that should be
        imported fails validation (the message names the key, the field and the value).

    Examples
    --------
    >>> prices = import_litellm({
    ...     "gpt-4o": {"litellm_provider": "openai", "mode": "chat",
    ...                "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05,
    ...                "cache_read_input_token_cost": 1.25e-06}})
    >>> sheet = prices["gpt-4o"]
    >>> sheet.id, sheet.input_usd_per_mtok, sheet.cached_input_usd_per_mtok
    ('openai/gpt-4o', 2.5, 1.25)
    """
    source = "<mapping>"
    if isinstance(path_or_mapping, str | Path):
        source = str(path_or_mapping)
        try:
            data = json.loads(Path(path_or_mapping).read_text(encoding="utf-8"))
        except OSError as exc:
            msg = f"{source}: cannot read file ({exc.strerror or exc})"
            raise CatalogError(msg) from exc
        except json.JSONDecodeError as exc:
            msg = f"{source}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
            raise CatalogError(msg) from exc
    else:
        data = path_or_mapping
    if not isinstance(data, Mapping):
        kind = type(data).__name__
        msg = f"{source}: a LiteLLM price map is a JSON object keyed by model; got {kind}"
        raise CatalogError(msg)
    day = checked or dt.date.today()
    sheets: dict[str, ApiPriceSheet] = {}
    skipped: dict[str, str] = {}
    problems: list[str] = []
    taken: dict[str, str] = {}  # id -> the map key it came from
    for key, entry in data.items():
        if not isinstance(entry, Mapping):
            skipped[key] = "not an object"
            continue
        if key == "sample_spec":
            skipped[key] = "LiteLLM's documentation entry"
            continue
        if entry.get("mode", "chat") != "chat":
            skipped[key] = f"mode {entry.get('mode')!r} is not chat"
            continue
        if entry.get("input_cost_per_token") is None or entry.get("output_cost_per_token") is None:
            skipped[key] = "no per-token input and output price"
            continue
        try:
            fields = _sheet_fields(key, entry, day)
        except (TypeError, ValueError) as exc:
            problems.append(f"{source}: [{key!r}]: cannot read the entry: {exc}")
            continue
        if fields["id"] in taken:
            skipped[key] = (
                f"maps to id {fields['id']}, already taken by key {taken[fields['id']]!r}"
            )
            continue
        taken[fields["id"]] = key
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                sheets[key] = ApiPriceSheet.model_validate(fields)
            except ValidationError as exc:
                problems.append(format_validation_error(exc, source, f"[{key!r}]"))
        for warning in caught:
            warnings.warn(f"{source}: [{key!r}]: {warning.message}", warning.category, stacklevel=2)
    if problems:
        raise CatalogError("\n".join(problems))
    return LitellmImport(sheets, skipped)
