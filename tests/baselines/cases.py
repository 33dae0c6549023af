"""The scenarios whose every result frame is pinned by ``tests/test_baselines.py``.

A case is a scenario as a plain dict. The packaged default scenario and the hand-written cases
below (hybrid, owned, spot, committed mix, latency SLO, scale to zero, autoscale, request
classes with outcomes, a workload in tokens) are built here; the scenarios every example passes
to :func:`llmtco.compare` are captured by ``regenerate.py`` and stored under ``scenarios/``.

Every case prices at :data:`PRICES_AS_OF`, so a baseline does not move with today's date; it
moves only when code or catalog data change, and then ``python tests/baselines/regenerate.py``
rewrites it on purpose (review the diff before committing it).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from llmtco.examples import default_scenario

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"  # captured from the examples, written by regenerate.py
EXPECTED = HERE / "expected"  # one JSON snapshot per case, written by regenerate.py
PRICES_AS_OF = dt.date(2026, 12, 7)

LLAMA_PROFILE = "meta/llama-3.3-70b-instruct@h100-sxm-x2-fp8-nim-5000-500"
GCP_H100 = "gcp/a3-highgpu-8g"  # lists spot and reserved prices


def _default() -> dict[str, Any]:
    data = default_scenario().model_dump(mode="json", exclude_defaults=True)
    data["prices_as_of"] = PRICES_AS_OF.isoformat()
    return data


def _self_hosted(**changes: Any) -> dict[str, Any]:
    option: dict[str, Any] = {
        "kind": "self_hosted",
        "instance": GCP_H100,
        "serving_profile": LLAMA_PROFILE,
        "target_utilization": 0.7,
        "min_replicas": 1,
        "labor": {"fte": 0.5, "usd_per_fte_year": 200_000},
    }
    option.update(changes)
    return option


def _with(self_hosted: dict[str, Any], *, shaped: bool = True) -> dict[str, Any]:
    """The default scenario with its self-hosted option replaced, no uncertainty."""
    data = _default()
    data.pop("uncertainty", None)
    data["options"]["llama-70b-lambda"] = self_hosted
    if shaped:
        data["workload"]["traffic"] = {"profile": "business_hours", "burst_factor": 1.2}
    return data


def default() -> dict[str, Any]:
    return _default()


def owned() -> dict[str, Any]:
    ownership = {
        "purchase_usd": 250_000,
        "salvage_usd": 40_000,
        "life_months": 48,
        "power_kw": 10.2,
        "pue": 1.3,
        "usd_per_kwh": 0.1,
        "colocation_usd_per_month": 1500,
        "maintenance_usd_per_month": 800,
    }
    return _with(_self_hosted(purchase="owned", ownership=ownership), shaped=False)


def spot_autoscale() -> dict[str, Any]:
    option = _self_hosted(
        purchase="spot",
        spot={"interruption_rate_per_hour": 0.05, "fallback_share": 1.0, "recovery_hours": 0.5},
        provisioning={"policy": "autoscale", "scale_step": 1, "scale_up_lag_hours": 0.5},
    )
    return _with(option)


def committed_mix() -> dict[str, Any]:
    option = _self_hosted(
        purchase="committed_mix",
        committed_mix={"term": "reserved_1yr"},
        provisioning={"policy": "autoscale"},
    )
    return _with(option)


def reserved_3yr() -> dict[str, Any]:
    return _with(_self_hosted(purchase="reserved_3yr"), shaped=False)


def latency_slo() -> dict[str, Any]:
    option = _self_hosted(latency_slo={"ttft_s": 1.0, "quantile": 0.95})
    return _with(option)


def scale_to_zero() -> dict[str, Any]:
    option = _self_hosted(
        min_replicas=0,
        provisioning={"policy": "scale_to_zero", "cold_start_usd": 3.0},
    )
    data = _with(option)
    data["workload"]["traffic"] = {"profile": "batch_window"}
    return data


def model_estimate() -> dict[str, Any]:
    """Throughput from the roofline estimate: a model with no measured profile on the GPU."""
    option = _self_hosted(
        serving_profile=None, model="meta/llama-3.1-8b-instruct", precision="bf16"
    )
    option.pop("serving_profile")
    option["instance"] = "aws/g6e.xlarge"
    return _with(option, shaped=False)


def tokens_workload() -> dict[str, Any]:
    data = _with(_self_hosted(purchase="reserved_1yr"), shaped=False)
    data["workload"] = {
        "tokens_per_month": 4e9,
        "input_share": 0.8,
        "cached_input_share": 0.2,
        "growth": {"multipliers": [1.0 + 0.1 * m for m in range(36)]},
        "traffic": {"peak_to_mean": 3.0},
    }
    return data


def _classes() -> dict[str, Any]:
    return {
        "tickets": {
            "share": 0.8,
            "input_tokens_per_request": 1500,
            "output_tokens_per_request": 300,
            "difficulty": "easy",
        },
        "contracts": {
            "share": 0.2,
            "input_tokens_per_request": 3000,
            "output_tokens_per_request": 550,
            "difficulty": "hard",
            "sensitive": True,
        },
    }


def hybrid() -> dict[str, Any]:
    data = _with(_self_hosted(provisioning={"policy": "autoscale"}))
    workload = data["workload"]
    workload.pop("input_tokens_per_request")
    workload.pop("output_tokens_per_request")
    workload["classes"] = _classes()
    local = _self_hosted(provisioning={"policy": "autoscale"})
    local["outcomes"] = {"success_rate": 0.85, "max_attempts": 2}
    data["options"] = {
        "gpt-4o": {
            "kind": "api",
            "model": "openai/gpt-4o",
            "sensitive_data_allowed": True,
            "outcomes": {"success_rate": 0.95, "max_attempts": 2, "human_usd": 4.0},
            "labor": {"fte": 0.1, "usd_per_fte_year": 180_000},
        },
        "llama": local,
        "hybrid": {
            "kind": "hybrid",
            "backends": {
                "local": local,
                "gpt": {
                    "kind": "api",
                    "model": "openai/gpt-4o-mini",
                    "outcomes": {"success_rate": 0.9},
                },
            },
            "routes": [
                {"classes": ["contracts"], "to": "local"},
                {"cascade": ["local", "gpt"]},
            ],
            "failover_to": "gpt",
            "labor": {"fte": 0.2, "usd_per_fte_year": 180_000},
        },
    }
    return data


BUILT: dict[str, Callable[[], dict[str, Any]]] = {
    "default": default,
    "owned": owned,
    "spot-autoscale": spot_autoscale,
    "committed-mix": committed_mix,
    "reserved-3yr": reserved_3yr,
    "latency-slo": latency_slo,
    "scale-to-zero": scale_to_zero,
    "model-estimate": model_estimate,
    "tokens-workload": tokens_workload,
    "hybrid": hybrid,
}


def captured() -> dict[str, dict[str, Any]]:
    """The scenarios captured from the examples (see ``regenerate.py``), by case name."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(SCENARIOS.glob("*.yaml"))
    }


def all_cases() -> dict[str, dict[str, Any]]:
    """Every pinned case by name: the built ones, then those captured from the examples."""
    cases = {name: build() for name, build in BUILT.items()}
    cases.update(captured())
    return copy.deepcopy(cases)
