"""Safe YAML reading and readable validation errors, shared by the catalog and scenarios.

Every way a YAML file can be wrong ends in one error of the caller's class (``ScenarioError``
or ``CatalogError``) that names the file and, where YAML knows it, the line and column:

- bytes that are not UTF-8 (the line of the first bad byte is named);
- syntax errors, several documents in one file, tags of Python objects;
- scalars that do not read as what their tag says (``checked: 2026-02-30``, ``!!int x``,
  ``!!timestamp foo``);
- mapping keys that are not text (``1: a``, ``on: 1``, ``? [a, b]``), repeated keys, and merge
  keys (``<<: *base``) that do not merge a mapping;
- aliases that refer to themselves, and aliases that repeat more than
  :data:`MAX_ALIAS_EXPANSION` values (the "billion laughs" document is refused before it is
  built, in time proportional to its size on disk);
- nesting deeper than :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import ValidationError

__all__ = [
    "MAX_ALIAS_EXPANSION",
    "MAX_DEPTH",
    "format_validation_error",
    "load_yaml_text",
    "read_yaml",
]

MAX_ALIAS_EXPANSION: Final[int] = 100_000
"""Values that aliases may add to a document when it is expanded [values]."""

MAX_DEPTH: Final[int] = 64
"""Deepest nesting of mappings and lists accepted [levels]; llmtco's files need about 8."""

_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
_EXPECTED: Final = {
    "timestamp": "a valid date YYYY-MM-DD",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "binary": "base64 data",
}


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate and non-text keys and names the node at fault."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, OverflowError) as exc:
            # A constructor rejected a scalar (a date that does not exist, "!!int x"...).
            tag = node.tag.rsplit(":", 1)[-1]
            expected = _EXPECTED.get(tag, f"a value of type {tag}")
            if tag == "timestamp" and isinstance(exc, ValueError):
                expected += f" ({exc})"  # "day is out of range for month"
            problem = f"{node.value!r} is not {expected}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from exc


def _describe_key(key: Any, node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        kind = "mapping" if isinstance(node, yaml.MappingNode) else "list"
        return f"a {kind} is used as a key; keys must be text"
    if isinstance(key, bool):
        return (
            f"key {node.value!r} reads as the boolean {key} (YAML 1.1 reads yes/no/on/off as "
            "booleans); quote it"
        )
    return f"key {node.value!r} reads as {type(key).__name__}, not text; quote it"


def _construct_unique_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False
) -> dict[str, Any]:
    seen: dict[Any, yaml.Node] = {}
    for key_node, _value_node in node.value:
        if key_node.tag == _MERGE_TAG:
            continue  # merged keys may be overridden by explicit ones, as YAML says
        key = loader.construct_object(key_node, deep=deep)
        mark = key_node.start_mark
        if not isinstance(key, str):
            msg = _describe_key(key, key_node)
            raise yaml.constructor.ConstructorError(None, None, msg, mark)
        if key in seen:
            msg = (
                f"duplicate key {key!r} at line {mark.line + 1}, column {mark.column + 1} "
                f"(first at line {seen[key].start_mark.line + 1}); each key may appear once"
            )
            raise yaml.constructor.ConstructorError(None, None, msg, mark)
        seen[key] = key_node
    loader.flatten_mapping(node)  # raises, with its line, when a merge key merges no mapping
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str):
            mark = key_node.start_mark
            msg = f"merged {_describe_key(key, key_node)}"
            raise yaml.constructor.ConstructorError(None, None, msg, mark)
    mapping: dict[str, Any] = dict(loader.construct_mapping(node, deep=deep))  # type: ignore[arg-type]
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_unique_mapping,
)


class _RefusedError(Exception):
    def __init__(self, message: str, node: yaml.Node):
        super().__init__(message)
        self.node = node


def _check_graph(root: yaml.Node) -> None:
    """Refuse aliases that refer to themselves or expand too much, and deep nesting.

    Works on the composed node graph, where an alias is the same node object reached twice, so
    it takes time proportional to the file, not to its expansion.
    """
    expanded: dict[int, int] = {}  # node id -> values it stands for, once expanded
    on_path: set[int] = set()
    distinct = 0
    # Iterative depth-first walk: (node, depth, children left to visit or None on entry).
    stack: list[tuple[yaml.Node, int, list[yaml.Node] | None]] = [(root, 1, None)]
    while stack:
        node, depth, pending = stack.pop()
        key = id(node)
        if pending is None:
            if key in expanded:
                continue
            if key in on_path:
                msg = "an alias refers to a node that contains it (a cycle)"
                raise _RefusedError(msg, node)
            if depth > MAX_DEPTH:
                msg = f"nested more than {MAX_DEPTH} levels deep"
                raise _RefusedError(msg, node)
            distinct += 1
            if isinstance(node, yaml.MappingNode):
                children = [child for pair in node.value for child in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            else:
                expanded[key] = 1
                continue
            on_path.add(key)
            stack.append((node, depth, children))
            continue
        if pending:
            child = pending.pop()
            stack.append((node, depth, pending))
            if id(child) in on_path:
                msg = "an alias refers to a node that contains it (a cycle)"
                raise _RefusedError(msg, child)
            stack.append((child, depth + 1, None))
            continue
        on_path.discard(key)
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = list(node.value)
        expanded[key] = 1 + sum(expanded[id(c)] for c in children)
        if expanded[key] - distinct > MAX_ALIAS_EXPANSION:
            msg = (
                f"aliases expand this document to more than {MAX_ALIAS_EXPANSION:,} repeated "
                "values (an alias bomb?); write the values out or use fewer aliases"
            )
            raise _RefusedError(msg, node)


def _where(source: str, mark: Any) -> str:
    if mark is None:
        return source
    return f"{source}:{mark.line + 1}:{mark.column + 1}"


def load_yaml_text(text: str, source: str, error: type[Exception]) -> Any:
    r"""Parse one YAML document safely, refusing what llmtco's files never need.

    Parameters
    ----------
    text : str
        The document.
    source : str
        Where it came from, for messages (a file name).
    error : type of Exception
        Exception class raised, with ``source`` and the line, when the text is refused.

    Returns
    -------
    Any
        The parsed document (``None`` for an empty one). Mapping keys are always text.

    Examples
    --------
    >>> from llmtco.errors import ScenarioError
    >>> load_yaml_text("base: &b {x: 1}\nc: {<<: *b, y: 2}", "<doc>", ScenarioError)["c"]
    {'x': 1, 'y': 2}
    """
    try:
        loader = _UniqueKeyLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character such as NUL in the text
        line = text.count("\n", 0, exc.position) + 1
        msg = (
            f"{source}:{line}: invalid YAML: character #x{exc.character:04x} is not allowed "
            "(not printable text: is this a text file?)"
        )
        raise error(msg) from None
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_graph(node)
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            if "expected a single document" in str(exc):
                problem = "a file holds one YAML document; remove the extra '---' documents"
            msg = f"{_where(source, mark)}: invalid YAML: {problem}"
            raise error(msg) from None
        except _RefusedError as exc:
            msg = f"{_where(source, exc.node.start_mark)}: refused YAML: {exc}"
            raise error(msg) from None
        except RecursionError:
            msg = f"{source}: refused YAML: nested too deeply to read"
            raise error(msg) from None
    finally:
        loader.dispose()


def read_utf8_text(
    path: Path, error: type[Exception], *, hint: str = "save the file as UTF-8"
) -> str:
    r"""Read a whole UTF-8 text file, naming the file, line and byte when it cannot be read.

    Parameters
    ----------
    path : pathlib.Path
        File to read. A leading byte-order mark is dropped.
    error : type of Exception
        Exception class raised when the file cannot be read or is not UTF-8.
    hint : str, optional
        What the user should do, appended to the not-UTF-8 message.

    Returns
    -------
    str
        The decoded text.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "latin.yaml").write_bytes(b"name: caf\xe9\n")
    11
    >>> try:
    ...     read_utf8_text(folder / "latin.yaml", ValueError)
    ... except ValueError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    not UTF-8 text (byte 0xe9 at offset 9); save the file as UTF-8
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"{path}: cannot read file ({exc.strerror or exc})"
        raise error(msg) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        msg = (
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); {hint}"
        )
        raise error(msg) from None


def read_yaml(path: Path, error: type[Exception]) -> Any:
    """Read one YAML document from a UTF-8 file, safely (see :func:`load_yaml_text`).

    Parameters
    ----------
    path : pathlib.Path
        File to read.
    error : type of Exception
        Exception class raised, with the file name and position, when the file cannot be read,
        decoded or parsed.

    Returns
    -------
    Any
        The parsed document (``None`` for an empty file).
    """
    return load_yaml_text(read_utf8_text(path, error), str(path), error)


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
