"""Uncertain inputs: distributions any numeric scenario input can take instead of a number.

In YAML a distribution replaces the number it describes, in a compact form::

    requests_per_month: {triangular: [1500000, 2000000, 3000000]}
    usd_per_fte_year: {uniform: [160000, 240000]}
    price_factor: {lognormal: [0.6, 1.2]}       # 5th and 95th percentiles
    target_utilization: {samples: [0.55, 0.6, 0.7, 0.72]}

In Python the same inputs are ``Uniform(160_000, 240_000)``, ``Triangular(...)``,
``LogNormal(...)`` and ``Samples([...])``. The deterministic comparison uses each input's
median; :func:`llmtco.simulate` samples them all together.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import Field, model_validator

from llmtco.engine._arrays import FloatOrArray
from llmtco.engine.uncertainty import lognormal_ppf, samples_ppf, triangular_ppf, uniform_ppf
from llmtco.models._base import TaggedModel
from llmtco.models._fields import MAX_MAGNITUDE, Signed

__all__ = [
    "DISTRIBUTION_KINDS",
    "Distribution",
    "LogNormal",
    "Samples",
    "Triangular",
    "Uniform",
    "as_distribution",
    "collect_distributions",
    "get_path",
    "set_path",
    "split_first_key",
]

#: The compact YAML keys, in the order their values are listed.
DISTRIBUTION_KINDS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "lognormal": ("low", "high"),
    "samples": ("values",),
}


class _Base(TaggedModel):
    def ppf(self, q: Any) -> FloatOrArray:  # pragma: no cover - every subclass overrides
        """Value below which a share ``q`` of the distribution lies."""
        raise NotImplementedError

    @property
    def median(self) -> float:
        """The 50th percentile: the value the deterministic comparison uses."""
        return float(self.ppf(0.5))

    @property
    def support(self) -> tuple[float, float]:
        """Lowest and highest value a draw can take (0.1st / 99.9th percentile if unbounded)."""
        return float(self.ppf(0.0)), float(self.ppf(1.0))

    def describe(self) -> str:
        """A short text form, e.g. ``uniform 1.6e+05 to 2.4e+05``."""
        low, high = self.support
        return f"{self.kind} {low:.4g} to {high:.4g}"  # type: ignore[attr-defined]


class Uniform(_Base):
    """Every value between ``low`` and ``high`` equally likely.

    Examples
    --------
    >>> Uniform(160_000, 240_000).median
    200000.0
    """

    kind: Literal["uniform"] = "uniform"
    low: Signed
    high: Signed

    def __init__(self, low: float | None = None, high: float | None = None, **data: Any) -> None:
        super().__init__(**_positional(data, low=low, high=high))

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low < self.high:
            msg = f"uniform needs low < high; got low={self.low}, high={self.high}"
            raise ValueError(msg)
        return self

    def ppf(self, q: Any) -> FloatOrArray:
        """Value below which a share ``q`` of the distribution lies."""
        return uniform_ppf(q, self.low, self.high)


class Triangular(_Base):
    """A most likely value ``mode`` between ``low`` and ``high``, likelihood falling linearly.

    Examples
    --------
    >>> Triangular(1.5e6, 2e6, 3e6).support
    (1500000.0, 3000000.0)
    """

    kind: Literal["triangular"] = "triangular"
    low: Signed
    mode: Signed
    high: Signed

    def __init__(
        self,
        low: float | None = None,
        mode: float | None = None,
        high: float | None = None,
        **data: Any,
    ) -> None:
        super().__init__(**_positional(data, low=low, mode=mode, high=high))

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            msg = (
                "triangular needs low <= mode <= high and low < high; got "
                f"[{self.low}, {self.mode}, {self.high}]"
            )
            raise ValueError(msg)
        return self

    def ppf(self, q: Any) -> FloatOrArray:
        """Value below which a share ``q`` of the distribution lies."""
        return triangular_ppf(q, self.low, self.mode, self.high)


class LogNormal(_Base):
    """Right-skewed, positive: ``low`` and ``high`` are its 5th and 95th percentiles.

    Suits prices and volumes quoted as a range whose top is more uncertain than its bottom.
    Draws are unbounded; :attr:`support` reports the 0.1st and 99.9th percentiles.

    Examples
    --------
    >>> round(LogNormal(1800, 3200).median, 1)
    2400.0
    """

    kind: Literal["lognormal"] = "lognormal"
    low: float = Field(gt=0, le=MAX_MAGNITUDE, description="5th percentile (> 0).")
    high: float = Field(gt=0, le=MAX_MAGNITUDE, description="95th percentile.")

    def __init__(self, low: float | None = None, high: float | None = None, **data: Any) -> None:
        super().__init__(**_positional(data, low=low, high=high))

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low < self.high:
            msg = f"lognormal needs 0 < low < high; got low={self.low}, high={self.high}"
            raise ValueError(msg)
        return self

    def ppf(self, q: Any) -> FloatOrArray:
        """Value below which a share ``q`` of the distribution lies."""
        return lognormal_ppf(q, self.low, self.high)

    @property
    def support(self) -> tuple[float, float]:
        """The 0.1st and 99.9th percentiles (a log-normal has no upper bound)."""
        return float(self.ppf(0.001)), float(self.ppf(0.999))


class Samples(_Base):
    """An empirical distribution: draws resample these values with replacement.

    Examples
    --------
    >>> Samples([0.55, 0.6, 0.7]).median
    0.6
    """

    kind: Literal["samples"] = "samples"
    values: list[Signed] = Field(min_length=1)

    def __init__(self, values: list[float] | None = None, **data: Any) -> None:
        super().__init__(**_positional(data, values=values))

    def ppf(self, q: Any) -> FloatOrArray:
        """Value below which a share ``q`` of the samples lies (one of the samples)."""
        return samples_ppf(q, self.values)


Distribution = Annotated[Uniform | Triangular | LogNormal | Samples, Field(discriminator="kind")]


def _positional(data: dict[str, Any], **given: Any) -> dict[str, Any]:
    return {**{k: v for k, v in given.items() if v is not None}, **data}


def as_distribution(value: Any) -> dict[str, Any] | None:
    """The canonical mapping of a distribution written in any accepted form, else None.

    Accepts a distribution object, the compact YAML form (``{uniform: [low, high]}``), the
    compact form with named values (``{uniform: {low: 1, high: 2}}``) and the canonical form
    (``{kind: uniform, low: 1, high: 2}``). Anything else (a number, an ordinary mapping) is
    not a distribution and gives None.

    Examples
    --------
    >>> as_distribution({"uniform": [1, 2]})
    {'kind': 'uniform', 'low': 1, 'high': 2}
    >>> as_distribution(3.0) is None
    True
    """
    if isinstance(value, _Base):
        return value.model_dump()
    if not isinstance(value, dict) or len(value) == 0:
        return None
    if "kind" in value and isinstance(value["kind"], str) and value["kind"] in DISTRIBUTION_KINDS:
        return dict(value)
    if len(value) != 1:
        return None
    kind, spec = next(iter(value.items()))
    if not isinstance(kind, str) or kind not in DISTRIBUTION_KINDS:
        return None
    keys = DISTRIBUTION_KINDS[kind]
    if isinstance(spec, dict):
        return {"kind": kind, **spec}
    if kind == "samples":
        return {"kind": kind, "values": spec}
    if isinstance(spec, list | tuple) and len(spec) == len(keys):
        return {"kind": kind, **dict(zip(keys, spec, strict=True))}
    msg = f"{kind} takes [{', '.join(keys)}]; got {spec!r}"
    raise ValueError(msg)


# -- key paths ---------------------------------------------------------------------------------
# A key path names one value of a scenario the way error messages do:
# ``workload.requests_per_month``, ``options.llama-70b.labor.fte``,
# ``workload.growth.multipliers[3]``. Option names may contain dots, so a path is matched
# against the keys that exist, longest key first.


def split_first_key(node: Any, path: str) -> tuple[Any, str]:
    """The first key of ``path`` within a mapping or list ``node``, and the rest of the path.

    Examples
    --------
    >>> split_first_key({"a.b": {"c": 1}}, "a.b.c")
    ('a.b', 'c')
    """
    if isinstance(node, list):
        if not path.startswith("["):
            msg = f"expected an index like [0] at {path!r}"
            raise KeyError(msg)
        end = path.index("]")
        rest = path[end + 1 :]
        return int(path[1:end]), rest.removeprefix(".")
    if not isinstance(node, dict):
        msg = f"{path!r} goes below a number"
        raise KeyError(msg)
    for key in sorted((str(k) for k in node), key=len, reverse=True):
        if path == key or path.startswith((f"{key}.", f"{key}[")):
            rest = path[len(key) :]
            return key, rest.removeprefix(".")
    known = ", ".join(str(k) for k in node) or "none"
    msg = f"no key {path.split('.')[0]!r} here (keys: {known})"
    raise KeyError(msg)


def get_path(data: Any, path: str) -> Any:
    """The value at a key path of nested mappings and lists.

    Raises
    ------
    KeyError
        Naming the part of the path that does not exist and the keys that do.

    Examples
    --------
    >>> get_path({"options": {"a.b": {"labor": {"fte": 1.5}}}}, "options.a.b.labor.fte")
    1.5
    """
    node = data
    rest = path
    while rest:
        key, rest = split_first_key(node, rest)
        node = node[key]
    return node


def set_path(data: Any, path: str, value: Any, *, create: bool = False) -> Any:
    """A copy of nested mappings and lists with the value at ``path`` replaced.

    Only the containers along the path are copied; the rest is shared. With ``create``, keys
    missing from mappings are added (each up to the next dot).

    Examples
    --------
    >>> set_path({"w": {"x": 1, "y": [1, 2]}}, "w.y[1]", 5)
    {'w': {'x': 1, 'y': [1, 5]}}
    >>> set_path({"w": {}}, "w.labor.fte", 2.0, create=True)
    {'w': {'labor': {'fte': 2.0}}}
    """
    if not path:
        return value
    try:
        key, rest = split_first_key(data, path)
    except KeyError:
        if not (create and isinstance(data, dict)):
            raise
        key, _, rest = path.partition(".")
        return {**data, key: set_path({}, rest, value, create=True)}
    copy: Any = list(data) if isinstance(data, list) else dict(data)
    copy[key] = set_path(data[key], rest, value, create=create)
    return copy


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def collect_distributions(data: Any, prefix: str = "") -> tuple[Any, dict[str, dict[str, Any]]]:
    """Move distributions written in place of numbers out of nested data.

    Returns the data with each distribution replaced by ``None`` as a placeholder, and the
    distributions in canonical form by key path.

    Examples
    --------
    >>> collect_distributions({"labor": {"fte": {"uniform": [0.5, 1.5]}}})
    ({'labor': {'fte': None}}, {'labor.fte': {'kind': 'uniform', 'low': 0.5, 'high': 1.5}})
    """
    found: dict[str, dict[str, Any]] = {}
    if isinstance(data, dict | list):
        items = data.items() if isinstance(data, dict) else enumerate(data)
        copy: Any = {} if isinstance(data, dict) else []
        for key, value in items:
            path = _join(prefix, key)
            try:
                canonical = as_distribution(value)
            except ValueError as exc:
                msg = f"{path}: {exc}"
                raise ValueError(msg) from None
            if canonical is not None:
                found[path] = canonical
                new_value = None
            else:
                new_value, inner = collect_distributions(value, path)
                found |= inner
            if isinstance(copy, dict):
                copy[key] = new_value
            else:
                copy.append(new_value)
        return copy, found
    return data, found
