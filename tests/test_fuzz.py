"""Fuzz the loaders and the comparison: any input is priced or refused by llmtco's own errors.

Mutated YAML text and mutated scenario and catalog dicts must either give a comparison whose
JSON holds only finite numbers, or raise an :class:`~llmtco.LlmtcoError` (issue 11). Anything
else (a ``KeyError``, a pydantic ``ValidationError`` escaping unwrapped, a numpy overflow
warning, a NaN in the JSON) fails the test.

The number of examples per test is bounded for CI; for a long local run::

    LLMTCO_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmtco import (
    Catalog,
    LlmtcoError,
    PriceMagnitudeWarning,
    Scenario,
    compare,
    default_scenario,
    load_catalog,
)
from llmtco._yaml import load_yaml_text
from llmtco.catalog import entry_to_dict
from llmtco.errors import CatalogError, ScenarioError
from llmtco.examples import default_scenario_yaml

N_EXAMPLES = int(os.environ.get("LLMTCO_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=N_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

DEFAULT_YAML = default_scenario_yaml()
DEFAULT_DICT = default_scenario().model_dump(mode="json", exclude_defaults=True)

# Values that have broken parsers and engines before: signs, magnitudes, special floats, dates,
# YAML 1.1 booleans, tags, anchors and aliases, flow collections, keys in odd places.
NASTY_TOKENS = [
    "-1",
    "0",
    "1e400",
    "-1e400",
    "1e-320",
    "1e15",
    "1e16",
    ".nan",
    ".inf",
    "-.inf",
    "nan",
    "~",
    "null",
    "''",
    "yes",
    "on",
    "2026-02-30",
    "2026-13-01",
    "!!int abc",
    "!!float x",
    "!!timestamp foo",
    "!!binary AAAA",
    "!!python/object:os.system x",
    "&a 1",
    "*a",
    "*undefined",
    "{<<: 3}",
    "[1, 2",
    "{a: 1}",
    "[]",
    "{}",
    "999999999999999999999999999999",
    "0x10",
    "1_000",
    "'1e6'",
    "\t",
    "\x00",
    "é",
]

_scalar_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-300, 1e15, 1e16, 1e308, -1.0, 0.5, 1.0, 2.0, 600, 601]),
    st.text(max_size=12),
    st.sampled_from(["2026-02-30", "2026-11-01", "openai/gpt-4o", "aws/p5.48xlarge", "static"]),
)
_values = st.one_of(
    _scalar_values,
    st.lists(_scalar_values, max_size=4),
    st.dictionaries(st.text(max_size=6), _scalar_values, max_size=3),
)


@pytest.fixture(scope="module")
def catalog(packaged_catalog: Catalog) -> Catalog:
    return packaged_catalog


def _leaf_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in nested dicts and lists, inner nodes included."""
    paths = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            paths += _leaf_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            paths += _leaf_paths(value, (*prefix, index))
    return paths


def _mutated(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


def _priced_or_refused(make: Any, catalog: Catalog | None = None) -> None:
    """Build a scenario with ``make`` and compare it; only llmtco's errors may come out."""
    with warnings.catch_warnings():
        # llmtco's own warnings about implausible prices are fine: they are the point.
        warnings.simplefilter("ignore", PriceMagnitudeWarning)
        try:
            scenario = make()
            result = compare(scenario, catalog if not scenario.catalog_paths else None)
        except LlmtcoError:
            return
    text = json.dumps(result.to_dict(), allow_nan=False)  # raises on NaN or inf
    assert text
    assert result.totals["total_usd"].notna().all()


# --- YAML text ----------------------------------------------------------------------------------


@st.composite
def mutated_yaml(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if not lines:
            break
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "duplicate", "insert", "truncate"]))
        line = lines[index]
        if action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(st.sampled_from(NASTY_TOKENS))}"
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "insert":
            position = draw(st.integers(min_value=0, max_value=len(line)))
            junk = draw(st.sampled_from([*NASTY_TOKENS, ":", "- ", "  ", "#", "---", "? "]))
            lines[index] = line[:position] + junk + line[position:]
        else:
            lines = lines[: index + 1]
    return "\n".join(lines) + "\n"


@FUZZ
@given(text=mutated_yaml(DEFAULT_YAML))
def test_mutated_scenario_yaml_is_priced_or_refused(text, catalog):
    def make() -> Scenario:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "scenario.yaml"
            path.write_text(text, encoding="utf-8")
            return Scenario.from_yaml(path)

    _priced_or_refused(make, catalog)


@FUZZ
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_are_refused_by_llmtco_errors(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk.yaml"
        path.write_bytes(data)
        for load, error in ((Scenario.from_yaml, ScenarioError), (load_catalog, CatalogError)):
            try:
                if load is load_catalog:
                    load(path, include_packaged=False)
                else:
                    load(path)
            except error:
                pass


# --- scenario dicts -----------------------------------------------------------------------------

_DEFAULT_PATHS = _leaf_paths(DEFAULT_DICT)


@FUZZ
@given(
    path=st.sampled_from(_DEFAULT_PATHS),
    value=_values,
    delete=st.booleans(),
    more=st.lists(st.tuples(st.sampled_from(_DEFAULT_PATHS), _values), max_size=2),
)
def test_mutated_scenario_dicts_are_priced_or_refused(path, value, delete, more, catalog):
    def make() -> Scenario:
        data = _mutated(DEFAULT_DICT, path, value, delete)
        for other, other_value in more:
            try:
                data = _mutated(data, other, other_value, delete=False)
            except (KeyError, IndexError, TypeError):
                continue  # the first mutation removed the way there
        return Scenario.from_dict(data)

    _priced_or_refused(make, catalog)


# --- catalog dicts ------------------------------------------------------------------------------


def _catalog_file_dict(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """A small user catalog: one entry of each kind the default scenario uses, as written."""
    return {
        "api_prices": [entry_to_dict(catalog.api_price("openai/gpt-4o"))],
        "gpu_instances": [entry_to_dict(catalog.gpu_instance("lambda/gpu_8x_h100_sxm5"))],
        "serving_profiles": [
            entry_to_dict(
                catalog.serving_profile("meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-nim-5000-500")
            )
        ],
    }


@FUZZ
@given(data=st.data())
def test_mutated_catalog_entries_are_priced_or_refused(data, catalog):
    entries = _catalog_file_dict(catalog)
    path = data.draw(st.sampled_from(_leaf_paths(entries)))
    mutated = _mutated(entries, path, data.draw(_values), data.draw(st.booleans()))
    try:
        text = yaml.safe_dump(mutated, allow_unicode=True)
    except yaml.YAMLError:
        return
    with tempfile.TemporaryDirectory() as folder:
        user = Path(folder) / "mine.yaml"
        user.write_text(text, encoding="utf-8")

        def make() -> Scenario:
            scenario = default_scenario()
            return scenario.model_copy(update={"catalog_paths": [str(user)]})

        _priced_or_refused(make)


def test_the_yaml_mutator_changes_the_text():
    # A fuzz that only ever sees the default would pass without testing anything.
    seen = set()

    @settings(max_examples=30, deadline=None, derandomize=True)
    @given(text=mutated_yaml(DEFAULT_YAML))
    def collect(text):
        seen.add(text)

    collect()
    assert len(seen - {DEFAULT_YAML}) > 10
    parsed = [t for t in seen if _parses(t)]
    assert parsed  # some mutants still parse, so the comparison itself is fuzzed too


def _parses(text: str) -> bool:
    try:
        Scenario.from_dict(load_yaml_text(text, "t.yaml", ScenarioError))
    except LlmtcoError:
        return False
    return True
