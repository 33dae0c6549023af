"""Every Python snippet in the docs runs, and prints what the page says it prints.

A ```python block followed directly by a ```text block must print exactly that text. A ```yaml
block whose first line is ``# NAME.yaml`` is written to the working folder first, so snippets
can read it.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"```(\w+)\n(.*?)```", flags=re.DOTALL)


def snippets():
    for page in PAGES:
        blocks = FENCE.findall(page.read_text(encoding="utf-8"))
        for i, (lang, body) in enumerate(blocks):
            if lang != "python":
                continue
            expected = (
                blocks[i + 1][1] if i + 1 < len(blocks) and blocks[i + 1][0] == "text" else None
            )
            files = {
                m.group(1): text
                for kind, text in blocks[:i]
                if kind == "yaml" and (m := re.match(r"# (\S+?\.ya?ml)\b", text))
            }
            yield pytest.param(body, expected, files, id=f"{page.name}-block{i}")


@pytest.mark.parametrize(("code", "expected", "files"), list(snippets()))
def test_doc_snippet(tmp_path, code, expected, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"MPLBACKEND": "Agg", "PYTHONWARNINGS": "error"},
    )
    assert done.returncode == 0, done.stderr
    if expected is not None:
        assert done.stdout.rstrip() == expected.rstrip()
