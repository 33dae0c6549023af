"""Shared fixtures: a small catalog with round numbers, independent of the packaged prices."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from llmtco import Catalog, load_catalog

# CI explores a fixed, reproducible set of examples and never fails on timing; local runs stay
# random (and keep finding new edge cases, which then become explicit tests).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

TEST_CATALOG = """\
api_prices:
  - id: test/api
    provider: test
    model: api
    input_usd_per_mtok: 2.0
    output_usd_per_mtok: 10.0
    cached_input_usd_per_mtok: 1.0
    batch:
      input_usd_per_mtok: 1.0
      output_usd_per_mtok: 5.0
    source: hand-made test entry
    checked: 2026-11-23
gpus:
  - id: test/gpu
    name: Test GPU
    memory_gb: 80
    memory_bandwidth_gb_per_s: 2000
    bf16_tflops: 500
    source: hand-made test entry
    checked: 2026-11-23
gpu_instances:
  - id: test/box-1
    provider: test
    gpu: test/gpu
    gpu_count: 1
    on_demand_usd_per_hour: 2.0
    reserved_1yr_usd_per_hour: 1.5
    source: hand-made test entry
    checked: 2026-11-23
  - id: test/box-4
    provider: test
    gpu: test/gpu
    gpu_count: 4
    on_demand_usd_per_hour: 8.0
    source: hand-made test entry
    checked: 2026-11-23
open_models:
  - id: test/model
    name: Test model
    total_params_billion: 8
    layers: 32
    hidden_size: 4096
    kv_heads: 8
    head_dim: 128
    context_tokens: 8192
    license: test
    source: hand-made test entry
    checked: 2026-11-23
serving_profiles:
  - id: test/model@gpu-x1
    model: test/model
    gpu: test/gpu
    gpus_per_replica: 1
    precision: bf16
    engine: test
    input_tokens: 1000
    output_tokens: 1000
    output_tokens_per_s: 1000
    source: hand-made test entry
    checked: 2026-11-23
  - id: test/model@gpu-x2
    model: test/model
    gpu: test/gpu
    gpus_per_replica: 2
    precision: bf16
    engine: test
    input_tokens: 1000
    output_tokens: 1000
    output_tokens_per_s: 1500
    source: hand-made test entry
    checked: 2026-11-23
"""


@pytest.fixture(scope="session")
def test_catalog_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("catalog") / "test.yaml"
    path.write_text(TEST_CATALOG, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def test_catalog(test_catalog_file: Path) -> Catalog:
    return load_catalog(test_catalog_file, include_packaged=False)


@pytest.fixture(scope="session")
def packaged_catalog() -> Catalog:
    return load_catalog()
