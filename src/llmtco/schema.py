"""JSON Schemas of the YAML files, generated from the models, for editors to validate against.

With the YAML language server (VS Code, JetBrains, Neovim...) add a first line such as::

    # yaml-language-server: $schema=https://.../catalog_file.schema.json

or point your editor's schema mapping at the files ``llmtco prices schema --out DIR`` writes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from llmtco.catalog import KINDS
from llmtco.models import Scenario

__all__ = ["json_schemas", "write_json_schemas"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _file_model(kinds: dict[str, type[BaseModel]], name: str) -> type[BaseModel]:
    fields: dict[str, Any] = {
        kind: (list[model] | None, Field(None, description=f"List of {model.__name__} entries."))  # type: ignore[valid-type]
        for kind, model in kinds.items()
    }
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of each YAML file kind, by file name stem.

    Returns
    -------
    dict of str to dict
        ``<kind>`` for a catalog file holding one kind (``api_prices``, ``gpus``,
        ``gpu_instances``, ``open_models``, ``serving_profiles``), ``catalog_file`` for a file
        holding any of them, and ``scenario`` for a scenario file.

    Examples
    --------
    >>> schemas = json_schemas()
    >>> sorted(schemas)[:2]
    ['api_prices', 'catalog_file']
    >>> schemas["api_prices"]["additionalProperties"]
    False
    """
    schemas: dict[str, dict[str, Any]] = {}
    for kind, model in KINDS.items():
        schemas[kind] = _file_model({kind: model}, f"{model.__name__}File").model_json_schema()
    schemas["catalog_file"] = _file_model(KINDS, "CatalogFile").model_json_schema()
    schemas["scenario"] = Scenario.model_json_schema()
    for name, schema in schemas.items():
        schema["$schema"] = _DRAFT
        schema["$id"] = f"llmtco/{name}.schema.json"
    return schemas


def write_json_schemas(folder: str | Path) -> list[Path]:
    """Write every schema of :func:`json_schemas` as ``<name>.schema.json`` into a folder."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in json_schemas().items():
        path = target / f"{name}.schema.json"
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
