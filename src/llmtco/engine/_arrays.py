"""Small helpers shared by the engine: argument coercion, checks and the scalar-in/scalar-out rule.

Every engine function follows numpy broadcasting. By convention arrays are shaped
``(n_scenarios, n_months)``; a plain scalar in gives a plain ``float`` out.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "FloatArray",
    "FloatOrArray",
    "as_float_array",
    "ceil_tolerant",
    "check_in_range",
    "check_non_negative",
    "check_positive",
    "scalar_or_array",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
FloatOrArray: TypeAlias = float | FloatArray

_CEIL_RTOL = 1e-12


def as_float_array(name: str, value: npt.ArrayLike) -> FloatArray:
    """Return ``value`` as a float64 array, or raise a ``ValueError`` naming the argument."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        msg = f"{name} must be a number or an array of numbers; got {value!r}"
        raise ValueError(msg) from exc


def _raise_if_bad(
    name: str, values: FloatArray, bad: npt.NDArray[np.bool_], requirement: str
) -> None:
    if np.any(bad):
        msg = f"{name} {requirement}; got {float(values[bad].flat[0])!r}"
        raise ValueError(msg)


def check_non_negative(name: str, values: FloatArray, *, allow_inf: bool = False) -> None:
    """Raise ``ValueError`` if any value is negative, NaN, or (unless allowed) infinite."""
    bad = ~(values >= 0) if allow_inf else ~(values >= 0) | np.isinf(values)
    expected = "a number >= 0 (inf allowed)" if allow_inf else "a finite number >= 0"
    _raise_if_bad(name, values, bad, f"must be {expected}")


def check_positive(name: str, values: FloatArray, *, allow_inf: bool = False) -> None:
    """Raise ``ValueError`` if any value is <= 0, NaN, or (unless allowed) infinite."""
    bad = ~(values > 0) if allow_inf else ~(values > 0) | np.isinf(values)
    expected = "a number > 0 (inf allowed)" if allow_inf else "a finite number > 0"
    _raise_if_bad(name, values, bad, f"must be {expected}")


def check_finite(name: str, values: FloatArray) -> None:
    """Raise ``ValueError`` if any value is NaN or infinite."""
    _raise_if_bad(name, values, ~np.isfinite(values), "must be a finite number")


def check_in_range(name: str, values: FloatArray, low: float, high: float) -> None:
    """Raise ``ValueError`` unless ``low <= values <= high`` everywhere."""
    bad = ~((values >= low) & (values <= high))
    _raise_if_bad(name, values, bad, f"must lie in [{low}, {high}]")


def ceil_tolerant(values: FloatArray) -> FloatArray:
    """Ceiling that ignores float noise of a relative 1e-12 (so 3.0000000000004 gives 3).

    Capacity counts are ``ceil(demand / capacity)``; without the tolerance a ratio that is an exact
    integer on paper could buy one replica too many because of rounding in the division.
    """
    with np.errstate(invalid="ignore"):  # inf - inf: infinities pass through unchanged below
        result: FloatArray = np.where(
            np.isinf(values), values, np.ceil(values - _CEIL_RTOL * np.abs(values))
        )
    return result


def scalar_or_array(result: FloatArray) -> FloatOrArray:
    """Return a Python ``float`` for a 0-d result, the array otherwise."""
    if result.ndim == 0:
        return float(result)
    return result
