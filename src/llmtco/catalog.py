"""The price catalog: packaged YAML plus user files, validated, looked up by id.

Files hold one or more top-level lists, one per kind of entry::

    api_prices:        [ApiPriceSheet, ...]
    gpus:              [GpuSpec, ...]
    gpu_instances:     [GpuInstance, ...]
    open_models:       [OpenModel, ...]
    serving_profiles:  [ServingProfile, ...]

A user entry whose id matches a packaged one overrides it, and the catalog says so. Two entries
with one id in the same layer (packaged, or user) are an error.
"""

from __future__ import annotations

import datetime as dt
import difflib
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

import pandas as pd
from pydantic import BaseModel, ValidationError

from llmtco._yaml import format_validation_error, read_yaml
from llmtco.errors import (
    CatalogError,
    PriceMagnitudeWarning,
    PriceNotInEffectError,
    UnknownIdError,
)
from llmtco.models import ApiPriceSheet, GpuInstance, GpuSpec, OpenModel, ServingProfile

__all__ = [
    "KINDS",
    "Catalog",
    "Override",
    "entry_to_dict",
    "load_catalog",
    "packaged_catalog_dir",
    "yaml_files",
]

KINDS: Final[dict[str, type[BaseModel]]] = {
    "api_prices": ApiPriceSheet,
    "gpus": GpuSpec,
    "gpu_instances": GpuInstance,
    "open_models": OpenModel,
    "serving_profiles": ServingProfile,
}
"""Top-level keys of a catalog file and the model each list holds."""

_YAML_SUFFIXES: Final = (".yaml", ".yml")
_M = TypeVar("_M", bound=BaseModel)


_LEADING_KEYS: Final = ("id", "provider", "model", "name")


def entry_to_dict(entry: BaseModel) -> dict[str, Any]:
    """An entry as plain YAML/JSON data: identity keys first, defaults left out."""
    data: dict[str, Any] = entry.model_dump(mode="json", exclude_defaults=True)
    leading = {k: data.pop(k) for k in _LEADING_KEYS if k in data}
    return leading | data


def packaged_catalog_dir() -> Path:
    """Folder of the catalog shipped with llmtco.

    Installed wheels carry it as ``llmtco/data/pricing``; in a source checkout used without
    installing, it is the repository's top-level ``data/pricing``.
    """
    packaged = resources.files("llmtco") / "data" / "pricing"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "data" / "pricing"
    if checkout.is_dir():
        return checkout
    msg = f"the packaged price catalog is missing (looked in {packaged} and {checkout})"
    raise CatalogError(msg)


@dataclass(frozen=True)
class Override:
    """A user entry that replaced a packaged entry with the same id.

    Attributes
    ----------
    kind, id : str
        The catalog kind and the id.
    packaged_file, user_file : str
        Where the replaced entry and the replacing one come from.
    replaced : pydantic.BaseModel or None
        The entry that was replaced, as written (for checks against the new one).
    """

    kind: str
    id: str
    packaged_file: str
    user_file: str
    replaced: BaseModel | None = None


@dataclass(frozen=True)
class _Entry:
    model: BaseModel
    file: str
    packaged: bool


def yaml_files(path: Path) -> list[Path]:
    """Catalog files at a path: the file itself, or every .yaml/.yml file below a folder."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in _YAML_SUFFIXES and p.is_file())
    if path.is_file():
        return [path]
    msg = f"{path}: no such catalog file or folder"
    raise CatalogError(msg)


def _parse_file(path: Path) -> Iterator[tuple[str, BaseModel]]:
    data = read_yaml(path, CatalogError)
    if data is None:
        return
    if not isinstance(data, dict):
        msg = (
            f"{path}: a catalog file must be a mapping with keys among {', '.join(KINDS)}; "
            f"got {type(data).__name__}"
        )
        raise CatalogError(msg)
    problems: list[str] = []
    parsed: list[tuple[str, BaseModel]] = []
    for kind, items in data.items():
        if kind not in KINDS:
            close = difflib.get_close_matches(str(kind), KINDS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                f"{path}: {kind}: unknown kind of entry{hint}; expected one of {', '.join(KINDS)}"
            )
            continue
        if not isinstance(items, list):
            problems.append(f"{path}: {kind}: must be a list of entries; got {items!r:.80}")
            continue
        for index, item in enumerate(items):
            prefix = f"{kind}[{index}]"
            if isinstance(item, dict) and "id" in item:
                prefix += f" (id {item['id']})"
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    parsed.append((kind, KINDS[kind].model_validate(item)))
                except ValidationError as exc:
                    problems.append(format_validation_error(exc, str(path), prefix))
            for warning in caught:
                warnings.warn(
                    f"{path}: {prefix}: {warning.message}", warning.category, stacklevel=4
                )
    if problems:
        raise CatalogError("\n".join(problems))
    yield from parsed


def _closest(wanted: str, known: Iterable[str]) -> str:
    known = sorted(known)
    close = difflib.get_close_matches(wanted, known, n=5, cutoff=0.5)
    if not close:
        # Ids of the same provider are the next best hint.
        provider = wanted.split("/", 1)[0] + "/"
        close = [k for k in known if k.startswith(provider)][:5] or known[:5]
    return ", ".join(close)


class Catalog:
    """Validated catalog entries by kind and id.

    Build one with :func:`load_catalog`. Look entries up with :meth:`api_price`, :meth:`gpu`,
    :meth:`gpu_instance`, :meth:`open_model` and :meth:`serving_profile`; list them as
    DataFrames with the plural methods.
    """

    def __init__(
        self,
        entries: Mapping[str, Mapping[str, _Entry]],
        overrides: Iterable[Override],
        *,
        as_of: dt.date | None = None,
    ):
        self.as_of: dt.date = as_of or dt.date.today()
        """Day whose prices the catalog gives."""
        self.overrides: tuple[Override, ...] = tuple(overrides)
        """User entries that replaced packaged entries with the same id."""
        self._entries = {kind: dict(entries.get(kind, {})) for kind in KINDS}
        self._written_api = dict(self._entries["api_prices"])
        self._not_in_effect: dict[str, str] = {}
        for entry_id, entry in list(self._entries["api_prices"].items()):
            sheet = entry.model
            if not isinstance(sheet, ApiPriceSheet):  # pragma: no cover - guaranteed by loading
                continue
            resolved = sheet.as_of(self.as_of)
            if resolved is None:
                known = [p.start or p.end for p in sheet.history] + [sheet.effective_from]
                earliest = min(d for d in known if d is not None)
                self._not_in_effect[entry_id] = (
                    f"{entry_id} has no price known in effect on {self.as_of} "
                    f"(its price history starts {earliest}); pick a later as_of"
                )
                del self._entries["api_prices"][entry_id]
            else:
                self._entries["api_prices"][entry_id] = _Entry(resolved, entry.file, entry.packaged)

    def written_api_prices(self) -> dict[str, tuple[ApiPriceSheet, str]]:
        """Every API sheet as written, in effect on ``as_of`` or not: id -> (sheet, file).

        For checks of the figures themselves (see :func:`llmtco.sanity.check_catalog`); use
        :meth:`api_price` for the prices in effect.
        """
        return {
            entry_id: (entry.model, entry.file)
            for entry_id, entry in sorted(self._written_api.items())
            if isinstance(entry.model, ApiPriceSheet)
        }

    def is_packaged(self, kind: str, entry_id: str) -> bool:
        """Whether an entry comes from the packaged catalog (not from a user file)."""
        entry = self._entries[kind].get(entry_id)
        if entry is None and kind == "api_prices":
            entry = self._written_api.get(entry_id)
        if entry is None:
            self._get(kind, entry_id, BaseModel)  # raises with the closest ids
        return bool(entry is not None and entry.packaged)

    @property
    def not_in_effect(self) -> dict[str, str]:
        """API ids with no price known on ``as_of``, with the reason."""
        return dict(self._not_in_effect)

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(self._entries[k])} {k}" for k in KINDS)
        text = f"<Catalog as of {self.as_of}: {counts}"
        if self.overrides:
            shown = "; ".join(f"{o.id} from {o.user_file}" for o in self.overrides)
            text += f"; {len(self.overrides)} user override(s): {shown}"
        return text + ">"

    def ids(self, kind: str) -> list[str]:
        """Sorted ids of one kind (a key of :data:`KINDS`)."""
        if kind not in KINDS:
            msg = f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}"
            raise ValueError(msg)
        return sorted(self._entries[kind])

    def _get(self, kind: str, entry_id: str, model: type[_M]) -> _M:
        if kind == "api_prices" and entry_id in self._not_in_effect:
            raise PriceNotInEffectError(self._not_in_effect[entry_id])
        try:
            found = self._entries[kind][entry_id].model
        except KeyError:
            label = kind.rstrip("s").replace("_", " ")
            msg = (
                f"unknown {label} id {entry_id!r}; closest known: "
                f"{_closest(entry_id, self._entries[kind])}"
            )
            raise UnknownIdError(msg) from None
        if not isinstance(found, model):  # pragma: no cover - guaranteed by loading
            msg = f"{entry_id} is a {type(found).__name__}, not a {model.__name__}"
            raise TypeError(msg)
        return found

    def source_file(self, kind: str, entry_id: str) -> str:
        """File an entry was loaded from."""
        self._get(kind, entry_id, BaseModel)
        return self._entries[kind][entry_id].file

    def api_price(self, entry_id: str) -> ApiPriceSheet:
        """API price sheet by id, e.g. ``openai/gpt-4o``."""
        return self._get("api_prices", entry_id, ApiPriceSheet)

    def gpu(self, entry_id: str) -> GpuSpec:
        """GPU spec by id, e.g. ``nvidia/h100-sxm``."""
        return self._get("gpus", entry_id, GpuSpec)

    def gpu_instance(self, entry_id: str) -> GpuInstance:
        """GPU instance by id, e.g. ``aws/p5.48xlarge``."""
        return self._get("gpu_instances", entry_id, GpuInstance)

    def open_model(self, entry_id: str) -> OpenModel:
        """Open-weight model by id, e.g. ``meta/llama-3.3-70b-instruct``."""
        return self._get("open_models", entry_id, OpenModel)

    def serving_profile(self, entry_id: str) -> ServingProfile:
        """Serving profile by id."""
        return self._get("serving_profiles", entry_id, ServingProfile)

    def _frame(self, kind: str) -> pd.DataFrame:
        model = KINDS[kind]
        overridden = {o.id for o in self.overrides if o.kind == kind}
        rows = []
        for entry_id in sorted(self._entries[kind]):
            entry = self._entries[kind][entry_id]
            row: dict[str, Any] = entry.model.model_dump(mode="python")
            row["file"] = entry.file
            row["user_override"] = entry_id in overridden
            rows.append(row)
        columns = [*model.model_fields, "file", "user_override"]
        frame = pd.DataFrame(rows, columns=columns).set_index("id")
        frame.attrs["kind"] = kind
        return frame

    def api_prices(self) -> pd.DataFrame:
        """All API price sheets, one row per id; prices in [USD/Mtok]."""
        return self._frame("api_prices")

    def gpus(self) -> pd.DataFrame:
        """All GPU specs, one row per id."""
        return self._frame("gpus")

    def gpu_instances(self) -> pd.DataFrame:
        """All GPU instances, one row per id; prices in [USD/h] for the whole instance."""
        return self._frame("gpu_instances")

    def open_models(self) -> pd.DataFrame:
        """All open-weight models, one row per id."""
        return self._frame("open_models")

    def serving_profiles(self) -> pd.DataFrame:
        """All serving profiles, one row per id; throughput in [tokens/s] per replica."""
        return self._frame("serving_profiles")

    def entry(self, kind: str, entry_id: str) -> BaseModel:
        """One entry of any kind by id (prefer the typed lookups such as :meth:`api_price`)."""
        return self._get(kind, entry_id, BaseModel)

    def entries(self, kind: str) -> list[BaseModel]:
        """Validated entries of one kind, sorted by id."""
        return [self._entries[kind][entry_id].model for entry_id in self.ids(kind)]

    def stale(self, days: int = 180, today: dt.date | None = None) -> pd.DataFrame:
        """Entries last checked more than ``days`` days before ``today``, oldest first.

        Parameters
        ----------
        days : int, default 180
            Age beyond which an entry counts as stale [days].
        today : datetime.date, optional
            Reference day; the catalog's ``as_of`` day by default.

        Returns
        -------
        pandas.DataFrame
            Columns ``kind, id, checked, age_days, file``.
        """
        reference = today or self.as_of
        rows = [
            {
                "kind": kind,
                "id": entry_id,
                "checked": entry.model.checked,  # type: ignore[attr-defined]
                "age_days": (reference - entry.model.checked).days,  # type: ignore[attr-defined]
                "file": entry.file,
            }
            for kind in KINDS
            for entry_id, entry in self._entries[kind].items()
        ]
        frame = pd.DataFrame(rows, columns=["kind", "id", "checked", "age_days", "file"])
        frame = frame[frame["age_days"] > days].sort_values("age_days", ascending=False)
        frame.attrs["unit"] = "age_days in days"
        return frame.reset_index(drop=True)


def _add_layer(
    entries: dict[str, dict[str, _Entry]],
    files: Iterable[Path],
    *,
    packaged: bool,
    overrides: list[Override],
) -> None:
    layer: dict[tuple[str, str], str] = {}
    for path in files:
        for kind, model in _parse_file(path):
            entry_id = str(getattr(model, "id"))  # noqa: B009 - every kind has an id
            key = (kind, entry_id)
            if key in layer:
                msg = (
                    f"{path}: {kind}: id {entry_id!r} is defined twice (also in {layer[key]}); "
                    "ids must be unique"
                )
                raise CatalogError(msg)
            layer[key] = str(path)
            previous = entries[kind].get(entry_id)
            if previous is not None:
                overrides.append(
                    Override(kind, entry_id, previous.file, str(path), replaced=previous.model)
                )
            entries[kind][entry_id] = _Entry(model, str(path), packaged)


def _check_references(catalog: Catalog) -> None:
    problems = []
    for kind, field, target in (
        ("gpu_instances", "gpu", "gpus"),
        ("serving_profiles", "gpu", "gpus"),
        ("serving_profiles", "model", "open_models"),
    ):
        known = set(catalog.ids(target))
        for entry_id in catalog.ids(kind):
            ref = getattr(catalog._get(kind, entry_id, BaseModel), field)
            if ref not in known:
                problems.append(
                    f"{catalog.source_file(kind, entry_id)}: {kind} (id {entry_id}).{field}: "
                    f"unknown {target} id {ref!r}; closest known: {_closest(ref, known)}"
                )
    if problems:
        raise CatalogError("\n".join(problems))


def load_catalog(
    *extra_paths: str | Path, include_packaged: bool = True, as_of: dt.date | None = None
) -> Catalog:
    """Load the packaged price catalog plus user files or folders.

    Parameters
    ----------
    *extra_paths : str or pathlib.Path
        User catalog files (``.yaml``/``.yml``) or folders searched recursively. A user entry
        with the id of a packaged entry overrides it (see ``Catalog.overrides``).
    include_packaged : bool, default True
        Start from the catalog shipped with llmtco.
    as_of : datetime.date, optional
        Give the API prices in effect that day (from each sheet's dated history); today by
        default. An API entry with no price known that day raises
        :class:`~llmtco.errors.PriceNotInEffectError` when looked up.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        If a file is unreadable, not valid YAML, or an entry fails validation; the message
        names the file, the entry and the field.

    Examples
    --------
    >>> catalog = load_catalog()
    >>> catalog.api_price("openai/gpt-4o").input_usd_per_mtok
    2.5
    """
    entries: dict[str, dict[str, _Entry]] = {kind: {} for kind in KINDS}
    overrides: list[Override] = []
    if include_packaged:
        _add_layer(entries, yaml_files(packaged_catalog_dir()), packaged=True, overrides=overrides)
    user_files = [f for p in extra_paths for f in yaml_files(Path(p))]
    _add_layer(entries, user_files, packaged=False, overrides=overrides)
    catalog = Catalog(entries, overrides, as_of=as_of)
    _check_references(catalog)
    if user_files:
        _warn_on_unit_slips(catalog, {str(f) for f in user_files})
    return catalog


def _warn_on_unit_slips(catalog: Catalog, files: set[str]) -> None:
    """Warn about user prices far from their provider's, their family's or the packaged one."""
    from llmtco.sanity import relative_price_findings

    for finding in relative_price_findings(catalog, files=files):
        where = f"{finding.file}: {finding.kind} (id {finding.id}).{finding.field}"
        warnings.warn(f"{where}: {finding.message}", PriceMagnitudeWarning, stacklevel=3)
