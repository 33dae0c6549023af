"""Distributions of uncertain inputs and the statistics of a Monte Carlo run.

Every distribution is described by its quantile function (inverse CDF): sampling draws uniform
probabilities ``q`` and maps them through it, and a tornado chart reads the same function at
its low and high quantiles, so the two can never disagree. All functions broadcast.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from llmtco.engine._arrays import FloatArray, FloatOrArray, as_float_array, scalar_or_array

__all__ = [
    "LOGNORMAL_RANGE_Z",
    "lognormal_ppf",
    "probability_lowest",
    "samples_ppf",
    "spearman_rho",
    "triangular_ppf",
    "uniform_ppf",
]

#: z-score of the 95th percentile: a log-normal ``low, high`` range spans the 5th to 95th.
LOGNORMAL_RANGE_Z = float(special.ndtri(0.95))


def _probability(q: npt.ArrayLike) -> FloatArray:
    values = as_float_array("q", q)
    if np.any(~((values >= 0) & (values <= 1))):
        msg = f"q must be probabilities in [0, 1]; got {values!r}"
        raise ValueError(msg)
    return values


def uniform_ppf(q: npt.ArrayLike, low: npt.ArrayLike, high: npt.ArrayLike) -> FloatOrArray:
    """Quantile of a uniform distribution on ``[low, high]`` [unit of the input].

    Parameters
    ----------
    q : array_like
        Probabilities in [0, 1] [-].
    low, high : array_like
        Ends of the range, ``low <= high``.

    Returns
    -------
    float or numpy.ndarray
        ``low + q (high - low)``, broadcast.

    Examples
    --------
    >>> uniform_ppf(0.25, 100.0, 200.0)
    125.0
    """
    p = _probability(q)
    a, b = as_float_array("low", low), as_float_array("high", high)
    return scalar_or_array(a + p * (b - a))


def triangular_ppf(
    q: npt.ArrayLike, low: npt.ArrayLike, mode: npt.ArrayLike, high: npt.ArrayLike
) -> FloatOrArray:
    """Quantile of a triangular distribution with the given ends and mode.

    Parameters
    ----------
    q : array_like
        Probabilities in [0, 1] [-].
    low, mode, high : array_like
        ``low <= mode <= high``; ``low < high``.

    Returns
    -------
    float or numpy.ndarray
        The value below which a share ``q`` of the distribution lies.

    Examples
    --------
    >>> triangular_ppf(0.5, 0.0, 5.0, 10.0)
    5.0
    >>> round(triangular_ppf(0.5, 0.0, 0.0, 10.0), 4)  # mode at low: 10 (1 - 1/sqrt 2)
    2.9289
    """
    p = _probability(q)
    a, c, b = (as_float_array(n, v) for n, v in (("low", low), ("mode", mode), ("high", high)))
    width = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        split = np.where(width > 0, (c - a) / width, 0.0)
        left = a + np.sqrt(p * width * (c - a))
        right = b - np.sqrt((1.0 - p) * width * (b - c))
    return scalar_or_array(np.where(p < split, left, right))


def lognormal_ppf(q: npt.ArrayLike, low: npt.ArrayLike, high: npt.ArrayLike) -> FloatOrArray:
    """Quantile of a log-normal distribution whose 5th and 95th percentiles are ``low, high``.

    The median is ``sqrt(low high)`` and ``sigma = ln(high / low) / (2 z95)``: a range quoted
    as "1,800-3,200" becomes a right-skewed distribution with that 90% interval.

    Parameters
    ----------
    q : array_like
        Probabilities in (0, 1) [-] (0 and 1 give the ends of the support, 0 and inf).
    low, high : array_like
        5th and 95th percentiles, ``0 < low <= high``.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> round(lognormal_ppf(0.5, 100.0, 400.0), 6)
    200.0
    >>> round(lognormal_ppf(0.95, 100.0, 400.0), 6)
    400.0
    """
    p = _probability(q)
    a, b = as_float_array("low", low), as_float_array("high", high)
    median = np.sqrt(a * b)
    sigma = np.log(b / a) / (2.0 * LOGNORMAL_RANGE_Z)
    return scalar_or_array(median * np.exp(sigma * special.ndtri(p)))


def samples_ppf(q: npt.ArrayLike, values: npt.ArrayLike) -> FloatOrArray:
    """Quantile of an empirical distribution given by samples (inverted CDF, no interpolation).

    Mapping uniform probabilities through it is resampling the values with replacement.

    Parameters
    ----------
    q : array_like
        Probabilities in [0, 1] [-].
    values : array_like
        The samples, 1-D.

    Returns
    -------
    float or numpy.ndarray
        One of ``values`` for each ``q``.

    Examples
    --------
    >>> samples_ppf([0.1, 0.5, 0.9], [3.0, 1.0, 2.0]).tolist()
    [1.0, 2.0, 3.0]
    """
    p = _probability(q)
    data = np.sort(as_float_array("values", values).ravel())
    if data.size == 0:
        msg = "values must hold at least one sample"
        raise ValueError(msg)
    index = np.clip(np.ceil(p * data.size).astype(np.int64) - 1, 0, data.size - 1)
    return scalar_or_array(data[index])


def spearman_rho(inputs: npt.ArrayLike, metric: npt.ArrayLike) -> FloatArray:
    """Spearman rank correlation of each input column with a metric [-].

    Parameters
    ----------
    inputs : array_like
        Samples shaped (n_samples, n_inputs).
    metric : array_like
        The output, shaped (n_samples,).

    Returns
    -------
    numpy.ndarray
        One coefficient in [-1, 1] per input, shaped (n_inputs,); 0 for an input or a metric
        that does not vary.

    Examples
    --------
    >>> x = [[1.0, 5.0], [2.0, 4.0], [3.0, 3.0], [4.0, 1.0]]
    >>> spearman_rho(x, [10.0, 20.0, 30.0, 45.0]).tolist()
    [1.0, -1.0]
    """
    columns = np.atleast_2d(as_float_array("inputs", inputs))
    target = as_float_array("metric", metric).ravel()
    if columns.shape[0] != target.size:
        msg = (
            f"inputs has {columns.shape[0]} samples but metric has {target.size}; "
            "pass inputs shaped (n_samples, n_inputs)"
        )
        raise ValueError(msg)
    ranks = stats.rankdata(columns, axis=0)
    target_ranks = stats.rankdata(target)
    centred = ranks - ranks.mean(axis=0)
    target_centred = target_ranks - target_ranks.mean()
    spread = np.sqrt((centred**2).sum(axis=0) * (target_centred**2).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(spread > 0, (centred * target_centred[:, None]).sum(axis=0) / spread, 0.0)
    result: FloatArray = np.clip(rho, -1.0, 1.0)
    return result


def probability_lowest(costs: npt.ArrayLike) -> FloatArray:
    """Share of samples in which each option is the cheapest [-].

    Ties are split evenly between the tied options, so the shares add up to 1.

    Parameters
    ----------
    costs : array_like
        Costs shaped (n_samples, n_options) [USD].

    Returns
    -------
    numpy.ndarray
        Shaped (n_options,).

    Examples
    --------
    >>> probability_lowest([[1.0, 2.0], [3.0, 2.0], [2.0, 2.0], [0.0, 5.0]]).tolist()
    [0.625, 0.375]
    """
    values = np.atleast_2d(as_float_array("costs", costs))
    lowest = values.min(axis=1, keepdims=True)
    is_lowest = values <= lowest
    share: FloatArray = (is_lowest / is_lowest.sum(axis=1, keepdims=True)).mean(axis=0)
    return share
