"""Every frame of compare() and of the sampled costs, pinned for each case (rtol 1e-12).

The cases live in ``tests/baselines/cases.py`` (and ``tests/baselines/scenarios/``, captured
from the examples); their expected frames in ``tests/baselines/expected/``. A refactor leaves
them unchanged; a change of numbers on purpose regenerates them with
``python tests/baselines/regenerate.py`` and shows in ``git diff tests/baselines``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from llmtco import Scenario, compare, load_catalog

sys.path.insert(0, str(Path(__file__).parent / "baselines"))

import cases
import snapshot

CASES = cases.all_cases()


@pytest.fixture(scope="module")
def pinned_catalog():
    return load_catalog(as_of=cases.PRICES_AS_OF)


def test_every_case_has_a_baseline_and_every_baseline_a_case():
    expected = {p.stem for p in cases.EXPECTED.glob("*.json")}
    assert expected == set(CASES)
    # Every example is represented, and the hand-written structural cases are all there.
    examples = {p.stem for p in (Path(__file__).parents[1] / "examples").glob("*.py")}
    captured = {name.removeprefix("example-").rsplit("-", 1)[0] for name in cases.captured()}
    compare_free = {"article_003_smb", "catalog_billing"}  # engine functions only, no compare
    assert captured == examples - compare_free


@pytest.mark.parametrize("name", sorted(CASES))
def test_compare_frames_match_the_baseline(name, pinned_catalog):
    expected = json.loads((cases.EXPECTED / f"{name}.json").read_text())["compare"]
    result = compare(Scenario.from_dict(CASES[name], source=name), pinned_catalog)
    found = snapshot.differences(expected, snapshot.comparison(result), name)
    assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("name", sorted(CASES))
def test_sampled_costs_match_the_baseline(name, pinned_catalog):
    expected = json.loads((cases.EXPECTED / f"{name}.json").read_text())["sampled"]
    scenario = Scenario.from_dict(CASES[name], source=name)
    found = snapshot.differences(expected, snapshot.sampled(scenario, pinned_catalog), name)
    assert not found, "\n".join(found[:20])


def test_the_diff_sees_a_change_beyond_the_tolerance():
    base = {"a": [1.0, "inf", "x"], "b": {"c": 2.0}}
    assert snapshot.differences(base, {"a": [1.0 + 1e-13, "inf", "x"], "b": {"c": 2.0}}) == []
    assert snapshot.differences(base, {"a": [1.0 + 1e-8, "inf", "x"], "b": {"c": 2.0}})
    assert snapshot.differences(base, {"a": [1.0, 5.0, "x"], "b": {"c": 2.0}})
    assert snapshot.differences(base, {"a": [1.0, "inf", "y"], "b": {"c": 2.0}})
    assert snapshot.differences(base, {"a": [1.0, "inf"], "b": {"c": 2.0}})
    assert snapshot.differences(base, {"a": [1.0, "inf", "x"], "b": {"d": 2.0}})
