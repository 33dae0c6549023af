"""Cost per successful outcome with independent retries and an optional human fallback.

With cost per attempt ``c``, success probability per attempt ``p`` and at most ``n`` attempts,
followed (optionally) by a human who always succeeds at cost ``h``::

    E[attempts] = (1 - (1 - p)^n) / p          (n when p = 0)
    E[cost]     = c E[attempts] + (1 - p)^n h
    P(success)  = 1 - (1 - p)^n                 (1 with a human)
    cost per success = E[cost] / P(success)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    check_in_range,
    check_non_negative,
    scalar_or_array,
)

__all__ = ["cost_per_success", "expected_attempts"]


def _max_attempts(max_attempts: npt.ArrayLike) -> FloatArray:
    attempts = as_float_array("max_attempts", max_attempts)
    if np.any(~(attempts >= 1)) or np.any(attempts != np.floor(attempts)):
        msg = f"max_attempts must be a whole number >= 1 (inf allowed); got {attempts!r}"
        raise ValueError(msg)
    return attempts


def expected_attempts(p_success: npt.ArrayLike, max_attempts: npt.ArrayLike = 1) -> FloatOrArray:
    """Expected number of attempts with independent retries, stopping at the first success [-].

    Parameters
    ----------
    p_success : array_like
        Success probability of one attempt [-], in [0, 1].
    max_attempts : array_like, default 1
        Attempts allowed, a whole number >= 1 (``inf`` for unlimited).

    Returns
    -------
    float or numpy.ndarray
        ``(1 - (1 - p)^n) / p``, and ``n`` at ``p = 0`` [attempts].

    Examples
    --------
    >>> expected_attempts(0.5, 3)
    1.75
    """
    p = as_float_array("p_success", p_success)
    check_in_range("p_success", p, 0.0, 1.0)
    n = _max_attempts(max_attempts)
    with np.errstate(divide="ignore", invalid="ignore"):
        # 1 - (1 - p)^n computed as -expm1(n log1p(-p)) stays accurate for tiny p.
        p_any = -np.expm1(n * np.log1p(-p))
        attempts = np.where(p > 0, p_any / np.where(p > 0, p, 1.0), n)
    return scalar_or_array(np.asarray(attempts, dtype=np.float64))


def cost_per_success(
    cost_per_attempt: npt.ArrayLike,
    p_success: npt.ArrayLike,
    max_attempts: npt.ArrayLike = 1,
    human_cost: npt.ArrayLike | None = None,
) -> FloatOrArray:
    """Expected cost per successful outcome [USD/success].

    Parameters
    ----------
    cost_per_attempt : array_like
        Cost of one attempt [USD].
    p_success : array_like
        Probability that one attempt succeeds, attempts independent [-], in [0, 1].
    max_attempts : array_like, default 1
        Attempts allowed before giving up or escalating, a whole number >= 1.
    human_cost : array_like, optional
        Cost of a human who resolves every task the model could not [USD]. ``None`` means
        failed tasks stay failed.

    Returns
    -------
    float or numpy.ndarray
        Expected cost per successful outcome [USD/success]. Without a human this is
        ``cost_per_attempt / p`` whatever ``max_attempts`` is, and ``inf`` at ``p = 0``.

    Examples
    --------
    A model that succeeds first time against one ten times cheaper that needs a human after
    five failed attempts:

    >>> cost_per_success(0.10, 1.0)
    0.1
    >>> cost_per_success(0.01, 0.0, max_attempts=5, human_cost=2.0)
    2.05
    >>> round(cost_per_success(1.0, 0.5, max_attempts=3), 6)
    2.0
    """
    cost = as_float_array("cost_per_attempt", cost_per_attempt)
    check_non_negative("cost_per_attempt", cost)
    p = as_float_array("p_success", p_success)
    check_in_range("p_success", p, 0.0, 1.0)
    n = _max_attempts(max_attempts)
    attempts = as_float_array("expected_attempts", expected_attempts(p, n))
    p_fail_all = np.power(1.0 - p, n)  # every attempt fails
    model_usd = cost * attempts
    if human_cost is None:
        p_solved = 1.0 - p_fail_all
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.where(
                p_solved > 0, model_usd / np.where(p_solved > 0, p_solved, 1.0), np.inf
            )
    else:
        human = as_float_array("human_cost", human_cost)
        check_non_negative("human_cost", human)
        result = model_usd + p_fail_all * human  # the human always succeeds: P(success) = 1
    return scalar_or_array(np.asarray(result, dtype=np.float64))
