import json
from pathlib import Path

from llmtco import json_schemas
from llmtco.catalog import KINDS
from llmtco.cli import main

COMMITTED = Path(__file__).parents[1] / "data" / "schemas"


def test_one_schema_per_yaml_kind():
    schemas = json_schemas()
    assert set(schemas) == {*KINDS, "catalog_file", "scenario"}
    for schema in schemas.values():
        assert schema["$schema"].startswith("https://json-schema.org/")
        assert schema["additionalProperties"] is False


def test_schema_carries_units_bounds_and_requirements():
    api = json_schemas()["api_prices"]["$defs"]["ApiPriceSheet"]
    assert {"id", "provider", "model", "source", "checked"} <= set(api["required"])
    price = api["properties"]["input_usd_per_mtok"]
    assert price["minimum"] == 0
    assert "[USD/Mtok]" in price["description"]
    assert api["additionalProperties"] is False


def test_committed_schemas_are_up_to_date(tmp_path, capsys):
    assert main(["prices", "schema", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in COMMITTED.iterdir())
    for name in written:
        fresh = json.loads((tmp_path / name).read_text())
        committed = json.loads((COMMITTED / name).read_text())
        assert fresh == committed, (
            f"data/schemas/{name} is stale: run llmtco prices schema --out data/schemas"
        )
