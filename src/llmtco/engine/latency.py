"""Latency percentiles of a hosted API from the few a provider or a benchmark reports.

Providers and benchmark sites publish a handful of percentiles (p50, p95, p99) of time to first
token or of request duration. To compare them with a self-hosted fleet at another percentile
(:func:`llmtco.engine.queueing.ttft_quantile_s`), interpolate *log-latency linearly in the normal
score* ``z = Phi^-1(q)`` between the three known points. That is exact for a lognormal latency,
the usual shape of service times, and still passes through all three reported values when the
tail is heavier or lighter than lognormal. Below p50 the p50-p95 line is extended, above p99 the
p95-p99 line, so extrapolated values follow the reported tail.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    check_in_range,
    check_positive,
    scalar_or_array,
)

__all__ = ["interpolate_percentile", "lognormal_mean_s"]

_NORMAL = NormalDist()
_Z50 = 0.0
_Z95 = _NORMAL.inv_cdf(0.95)
_Z99 = _NORMAL.inv_cdf(0.99)
_OPEN_UNIT = (float(np.nextafter(0.0, 1.0)), float(np.nextafter(1.0, 0.0)))


def _check_ordered(low_name: str, low: FloatArray, high_name: str, high: FloatArray) -> None:
    bad = ~(low <= high)
    if np.any(bad):
        low_b, high_b = np.broadcast_arrays(low, high)
        msg = (
            f"{low_name} must not exceed {high_name}; got {float(low_b[bad].flat[0])!r} > "
            f"{float(high_b[bad].flat[0])!r}"
        )
        raise ValueError(msg)


def interpolate_percentile(
    p50_s: npt.ArrayLike,
    p95_s: npt.ArrayLike,
    p99_s: npt.ArrayLike,
    quantile: npt.ArrayLike,
) -> FloatOrArray:
    """Latency at any quantile from the reported p50, p95 and p99 [s].

    Piecewise-linear interpolation of ``ln(latency)`` against the normal score ``Phi^-1(q)``
    through the three reported points, extended linearly beyond them (see the module notes).

    Parameters
    ----------
    p50_s, p95_s, p99_s : array_like
        Reported median, 95th and 99th percentile latencies [s], > 0 and non-decreasing.
    quantile : array_like
        Quantile wanted [-], in (0, 1).

    Returns
    -------
    float or numpy.ndarray
        Latency at ``quantile`` [s]; the reported values at 0.5, 0.95 and 0.99.

    Examples
    --------
    >>> interpolate_percentile(0.4, 1.0, 2.0, 0.95)
    1.0
    >>> round(interpolate_percentile(0.4, 1.0, 2.0, 0.9), 3)
    0.817
    >>> round(interpolate_percentile(0.4, 1.0, 2.0, 0.999), 2)
    4.35
    """
    p50 = as_float_array("p50_s", p50_s)
    p95 = as_float_array("p95_s", p95_s)
    p99 = as_float_array("p99_s", p99_s)
    q = as_float_array("quantile", quantile)
    for name, values in (("p50_s", p50), ("p95_s", p95), ("p99_s", p99)):
        check_positive(name, values)
    _check_ordered("p50_s", p50, "p95_s", p95)
    _check_ordered("p95_s", p95, "p99_s", p99)
    check_in_range("quantile", q, *_OPEN_UNIT)

    z = np.vectorize(_NORMAL.inv_cdf, otypes=[np.float64])(q) if q.size else q
    log50, log95, log99 = np.log(p50), np.log(p95), np.log(p99)
    lower = log50 + (log95 - log50) * (z - _Z50) / (_Z95 - _Z50)
    upper = log95 + (log99 - log95) * (z - _Z95) / (_Z99 - _Z95)
    return scalar_or_array(np.asarray(np.exp(np.where(z <= _Z95, lower, upper))))


def lognormal_mean_s(p50_s: npt.ArrayLike, p95_s: npt.ArrayLike) -> FloatOrArray:
    """Mean of the lognormal latency with a given median and 95th percentile [s].

    ``sigma = ln(p95 / p50) / Phi^-1(0.95)`` and ``mean = p50 x exp(sigma^2 / 2)``; useful to turn
    reported percentiles of request duration into the mean a queueing model needs.

    Parameters
    ----------
    p50_s, p95_s : array_like
        Reported median and 95th percentile latencies [s], > 0 with ``p50_s <= p95_s``.

    Returns
    -------
    float or numpy.ndarray
        Mean latency [s], at least ``p50_s``.

    Examples
    --------
    >>> lognormal_mean_s(2.0, 2.0)
    2.0
    >>> round(lognormal_mean_s(2.0, 6.0), 3)
    2.5
    """
    p50 = as_float_array("p50_s", p50_s)
    p95 = as_float_array("p95_s", p95_s)
    check_positive("p50_s", p50)
    check_positive("p95_s", p95)
    _check_ordered("p50_s", p50, "p95_s", p95)
    sigma = np.log(p95 / p50) / _Z95
    return scalar_or_array(np.asarray(p50 * np.exp(0.5 * sigma**2)))
