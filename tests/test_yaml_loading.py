"""YAML edge cases: every refused document names the file and the line (issue 11)."""

import time

import pytest

from llmtco import CatalogError, Scenario, ScenarioError, load_catalog
from llmtco._yaml import MAX_ALIAS_EXPANSION, MAX_DEPTH, load_yaml_text, read_yaml

LAUGHS = "\n".join(
    [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        *(
            f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "",
    ]
)

# (document, line:column of the refusal, words the message must hold)
REFUSED = {
    "invalid date": (
        "api_prices:\n  - id: a/b\n    checked: 2026-02-30\n",
        "3:14",
        "'2026-02-30' is not a valid date YYYY-MM-DD (day is out of range for month)",
    ),
    "bad !!int": ("x: !!int abc\n", "1:4", "'abc' is not a whole number"),
    "bad !!float": ("x: !!float x\n", "1:4", "'x' is not a number"),
    "bad !!timestamp": ("x: !!timestamp foo\n", "1:4", "'foo' is not a valid date"),
    "int key": ("1: a\n", "1:1", "key '1' reads as int, not text; quote it"),
    "bool key": ("on: a\n", "1:1", "reads as the boolean True"),
    "list key": ("? [a, b]\n: c\n", "1:3", "a list is used as a key"),
    "self-referencing alias": ("a: &a [*a]\n", "1:4", "a cycle"),
    "self-referencing mapping": ("a: &a {b: *a}\n", "1:4", "a cycle"),
    "merge of a scalar": ("a: {<<: 3}\n", "1:9", "expected a mapping or list of mappings"),
    "merge of a non-text key": ("b: &b {1: x}\na: {<<: *b}\n", "1:8", "key '1' reads as int"),
    "duplicate after merge": (
        "b: &b {x: 1}\na: {<<: *b, x: 2, x: 3}\n",
        "2:19",
        "duplicate key 'x'",
    ),
    "alias bomb": (LAUGHS, "", f"more than {MAX_ALIAS_EXPANSION:,} repeated values"),
    "deep nesting": ("a: " + "[" * 200 + "]" * 200 + "\n", "1:", f"more than {MAX_DEPTH} levels"),
    "two documents": ("a: 1\n---\nb: 2\n", "2:1", "a file holds one YAML document"),
    "python tag": ("a: !!python/object/apply:os.system ['echo hi']\n", "1:4", "invalid YAML"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.parametrize(
    ("load", "error"), [(Scenario.from_yaml, ScenarioError), (load_catalog, CatalogError)]
)
def test_refused_documents_name_file_line_and_reason(tmp_path, case, load, error):
    text, where, reason = REFUSED[case]
    path = tmp_path / "input.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as excinfo:
        load(path)
    message = str(excinfo.value)
    assert message.startswith(f"{path}:{where}"), message
    assert reason in message


def test_alias_bomb_is_refused_fast_and_small():
    assert len(LAUGHS) < 800  # expands to 10**9 scalars if allowed
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match="an alias bomb"):
        load_yaml_text(LAUGHS, "bomb.yaml", ScenarioError)
    assert time.perf_counter() - start < 5  # a generous bound: refusal is a walk of 10 nodes


def test_aliases_that_expand_modestly_are_fine():
    text = "base: &b {fte: 0.5, usd_per_fte_year: 200000}\na: *b\nb: *b\nc: {<<: *b, fte: 1}\n"
    data = load_yaml_text(text, "ok.yaml", ScenarioError)
    assert data["a"] == data["b"] == {"fte": 0.5, "usd_per_fte_year": 200000}
    assert data["c"] == {"fte": 1, "usd_per_fte_year": 200000}


def test_merge_list_and_explicit_keys_win():
    text = "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz: {<<: [*x, *y], c: 3}\n"
    assert load_yaml_text(text, "ok.yaml", ScenarioError)["z"] == {"a": 1, "b": 1, "c": 3}


def test_valid_dates_and_tags_still_load():
    text = "d: 2024-02-29\ni: !!int '7'\nf: !!float '2.5'\n"
    data = load_yaml_text(text, "ok.yaml", ScenarioError)
    assert (str(data["d"]), data["i"], data["f"]) == ("2024-02-29", 7, 2.5)


@pytest.mark.parametrize(("load", "error"), [(read_yaml, ScenarioError), (read_yaml, CatalogError)])
def test_non_utf8_file_names_line_and_byte(tmp_path, load, error):
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: ok\nnote: caf\xe9\n".encode("latin-1"))
    with pytest.raises(error, match=r"latin\.yaml:2: not UTF-8 text \(byte 0xe9 at offset 18\)"):
        load(path, error)


def test_utf8_with_byte_order_mark_loads(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: café\n".encode())
    assert read_yaml(path, ScenarioError) == {"name": "café"}


def test_empty_document_is_none():
    assert load_yaml_text("", "empty.yaml", ScenarioError) is None
    assert load_yaml_text("# only a comment\n", "empty.yaml", ScenarioError) is None


def test_a_control_character_is_refused_with_its_line():
    # Found by tests/test_fuzz.py: a NUL byte escaped as a bare yaml.reader.ReaderError.
    with pytest.raises(ScenarioError, match=r"^x\.yaml:2: invalid YAML: character #x0000"):
        load_yaml_text("a: 1\nb: \x00\n", "x.yaml", ScenarioError)
