"""Safe YAML reading and readable validation errors, shared by the catalog and scenarios."""

from __future__ import annotations

import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

__all__ = ["format_validation_error", "read_yaml"]


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_unique_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[Hashable, Any]:
    seen: dict[Hashable, yaml.Node] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            msg = (
                f"duplicate key {key!r} at line {mark.line + 1}, column {mark.column + 1} "
                f"(first at line {seen[key].start_mark.line + 1}); each key may appear once"
            )
            raise yaml.constructor.ConstructorError(None, None, msg, mark)
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)


def read_yaml(path: Path, error: type[Exception]) -> Any:
    """Read one YAML document with a safe loader.

    Parameters
    ----------
    path : pathlib.Path
        File to read.
    error : type of Exception
        Exception class raised, with the file name and position, when the file cannot be read
        or parsed.

    Returns
    -------
    Any
        The parsed document (``None`` for an empty file).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        msg = f"{path}: cannot read file ({exc.strerror or exc})"
        raise error(msg) from exc
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"{path}{where}: invalid YAML: {problem}"
        raise error(msg) from exc


def _key_path(prefix: str, loc: tuple[int | str, ...]) -> str:
    parts = [prefix] if prefix else []
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts) or "top level"


_OPTION_KINDS = frozenset({"api", "self_hosted"})
# A model-level check whose message starts with the key path it is about.
_NAMES_ITS_KEY = re.compile(
    r"^(uncertainty|workload|options|price_trends|decision)\.[\w.\[\]+-]*[: ]"
)


def _drop_union_tag(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    # A discriminated union puts its tag into the location: options.NAME.api.model. The tag is
    # not a key the user wrote, so drop it (only there: an option may itself be named "api").
    if len(loc) > 2 and loc[0] == "options" and loc[2] in _OPTION_KINDS:
        return loc[:2] + loc[3:]
    return loc


def format_validation_error(exc: ValidationError, source: str, prefix: str = "") -> str:
    """Turn a pydantic ``ValidationError`` into lines naming file, key path, value and expectation.

    Parameters
    ----------
    exc : pydantic.ValidationError
        The error to describe.
    source : str
        Where the data came from, usually a file name.
    prefix : str, optional
        Key path of the validated object inside the file, e.g. ``api_prices[3]``.

    Returns
    -------
    str
        One line per problem: ``source: key.path: message (got value)``.
    """
    lines = []
    for err in exc.errors(include_url=False):
        loc = _drop_union_tag(tuple(err["loc"]))
        where = _key_path(prefix, loc)
        got = err.get("input")
        # A whole mapping is no "bad value": model-level checks name their keys in the message.
        shown = "" if err["type"] == "missing" or isinstance(got, dict) else f" (got {got!r})"
        if len(shown) > 120:
            shown = shown[:117] + "...)"
        message = err["msg"].removeprefix("Value error, ")  # pydantic's wrapper of our checks
        if not loc and _NAMES_ITS_KEY.match(message):
            lines.append(f"{source}: {message}{shown}")  # a top-level check naming its key
            continue
        lines.append(f"{source}: {where}: {message}{shown}")
    return "\n".join(lines)
