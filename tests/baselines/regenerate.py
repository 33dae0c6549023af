"""Rewrite the baselines on purpose: ``python tests/baselines/regenerate.py [CASE ...]``.

1. Runs every example's ``main()`` with :func:`llmtco.compare` wrapped, and stores each distinct
   scenario an example compares as ``scenarios/<example>-<n>.yaml`` (priced at
   ``cases.PRICES_AS_OF``).
2. Writes ``expected/<case>.json``: every frame of ``compare()`` and of the sampled costs of
   each case in :func:`cases.all_cases`.

Run it only when a change of numbers is intended, and review ``git diff tests/baselines``: the
diff is the change in every figure the library reports.
"""

from __future__ import annotations

import json
import runpy
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import cases  # noqa: E402
import snapshot  # noqa: E402

import llmtco  # noqa: E402
import llmtco.tco  # noqa: E402

EXAMPLES = HERE.parents[1] / "examples"
MAX_PER_EXAMPLE = 3


def capture_examples() -> dict[str, dict[str, Any]]:
    """The distinct scenarios each example passes to ``llmtco.compare``, by case name."""
    captured: dict[str, dict[str, Any]] = {}
    original = llmtco.compare
    for path in sorted(EXAMPLES.glob("*.py")):
        seen: list[str] = []

        def recording(
            scenario: llmtco.Scenario, *args: Any, seen: list[str] = seen, **kwargs: Any
        ) -> Any:
            data = scenario.model_dump(mode="json", exclude_defaults=True)
            data["prices_as_of"] = cases.PRICES_AS_OF.isoformat()
            text = json.dumps(data, sort_keys=True)
            if text not in seen and len(seen) < MAX_PER_EXAMPLE:
                seen.append(text)
            return original(scenario, *args, **kwargs)

        llmtco.compare = recording  # type: ignore[assignment]
        llmtco.tco.compare = recording  # type: ignore[assignment]
        try:
            module = runpy.run_path(str(path), run_name="baseline_capture")
            with tempfile.TemporaryDirectory() as tmp:
                main = module["main"]
                kwargs = (
                    {"out_dir": tmp, "n": 200} if "out_dir" in main.__code__.co_varnames else {}
                )
                main(**kwargs)
        finally:
            llmtco.compare = original
            llmtco.tco.compare = original
        for n, text in enumerate(seen):
            captured[f"example-{path.stem}-{n}"] = json.loads(text)
    return captured


def main(names: list[str]) -> None:
    if not names:
        cases.SCENARIOS.mkdir(exist_ok=True)
        for old in cases.SCENARIOS.glob("*.yaml"):
            old.unlink()
        for name, data in capture_examples().items():
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
            (cases.SCENARIOS / f"{name}.yaml").write_text(text, encoding="utf-8")
    cases.EXPECTED.mkdir(exist_ok=True)
    catalog = llmtco.load_catalog(as_of=cases.PRICES_AS_OF)
    for name, data in cases.all_cases().items():
        if names and name not in names:
            continue
        scenario = llmtco.Scenario.from_dict(data, source=name)
        record = {
            "compare": snapshot.comparison(llmtco.compare(scenario, catalog)),
            "sampled": snapshot.sampled(scenario, catalog),
        }
        path = cases.EXPECTED / f"{name}.json"
        path.write_text(json.dumps(record, indent=None, separators=(",", ":")) + "\n")
        print(f"wrote {path.relative_to(HERE.parents[1])} ({path.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main(sys.argv[1:])
