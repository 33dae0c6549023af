"""Cost per successful outcome: retries on one model, verifier cascades and a human fallback.

With cost per attempt ``c``, success probability per attempt ``p`` and at most ``n`` attempts,
followed (optionally) by a human who always succeeds at cost ``h``::

    E[attempts] = (1 - (1 - p)^n) / p          (n when p = 0)
    E[cost]     = c E[attempts] + (1 - p)^n h
    P(success)  = 1 - (1 - p)^n                 (1 with a human)
    cost per success = E[cost] / P(success)

:func:`retry_cost` generalises this to correlated failures (a share of "hard cases" that every
attempt gets wrong), a verifier that lets some wrong answers through (false accepts, which carry
their own cost) and a human who is not always right. :func:`cascade_cost` prices a cascade of
different models, each stage with its own verifier::

    P(reach 1) = 1,  P(reach k) = prod_{j<k} (1 - a_j)
    E[cost]    = sum_k P(reach k) (c_k + v_k) + P(reach K+1) h + P(false accept) x false-accept cost
    P(success) = sum_k P(reach k) a_k q_k + P(reach K+1) x human success
    P(false accept) = sum_k P(reach k) a_k (1 - q_k)

with ``a_k`` the probability that stage ``k`` accepts an answer and ``q_k`` the probability that an
accepted answer is right. Both return an :class:`Outcome`.
"""

from __future__ import annotations

from dataclasses import dataclass

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

__all__ = [
    "Outcome",
    "cascade_cost",
    "cascade_reach",
    "cost_per_success",
    "expected_attempts",
    "retry_cost",
]


@dataclass(frozen=True)
class Outcome:
    """Expected result of handling one request, every field broadcast to one shape.

    Fields are Python floats when every input was a scalar, arrays otherwise.

    Attributes
    ----------
    cost_usd : float or numpy.ndarray
        Expected spend per request: model calls, verification, the human and the cost of false
        accepts [USD/request].
    p_success : float or numpy.ndarray
        Probability that a right answer is delivered, by a model or by the human [-].
    p_false_accept : float or numpy.ndarray
        Probability that a wrong model answer is accepted [-].
    p_escalated : float or numpy.ndarray
        Probability that every model attempt (or stage) was rejected: the request went to the
        human, or stays unresolved without one [-].
    attempts : float or numpy.ndarray
        Expected model calls per request, summed over stages [calls/request].
    """

    cost_usd: FloatOrArray
    p_success: FloatOrArray
    p_false_accept: FloatOrArray
    p_escalated: FloatOrArray
    attempts: FloatOrArray

    @property
    def cost_per_success_usd(self) -> FloatOrArray:
        """Expected cost per successful outcome, ``inf`` where nothing succeeds [USD/success]."""
        cost = np.asarray(self.cost_usd, dtype=np.float64)
        success = np.asarray(self.p_success, dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(success > 0, cost / np.where(success > 0, success, 1.0), np.inf)
        return scalar_or_array(np.asarray(ratio, dtype=np.float64))


def _outcome(
    shape: tuple[int, ...],
    cost: FloatArray,
    p_success: FloatArray,
    p_false_accept: FloatArray,
    p_escalated: FloatArray,
    attempts: FloatArray,
) -> Outcome:
    def fit(values: FloatArray) -> FloatOrArray:
        return scalar_or_array(np.array(np.broadcast_to(values, shape), dtype=np.float64))

    return Outcome(
        cost_usd=fit(cost),
        p_success=fit(np.clip(p_success, 0.0, 1.0)),
        p_false_accept=fit(np.clip(p_false_accept, 0.0, 1.0)),
        p_escalated=fit(np.clip(p_escalated, 0.0, 1.0)),
        attempts=fit(attempts),
    )


def _max_attempts(max_attempts: npt.ArrayLike) -> FloatArray:
    attempts = as_float_array("max_attempts", max_attempts)
    if np.any(~(attempts >= 1)) or np.any(attempts != np.floor(attempts)):
        msg = f"max_attempts must be a whole number >= 1 (inf allowed); got {attempts!r}"
        raise ValueError(msg)
    return attempts


def _attempts_and_all_rejected(accept: FloatArray, n: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Expected attempts ``(1 - (1 - a)^n) / a`` (``n`` at ``a = 0``) and ``(1 - a)^n``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        # 1 - (1 - a)^n computed as -expm1(n log1p(-a)) stays accurate for tiny a.
        p_any = -np.expm1(n * np.log1p(-accept))
        attempts = np.where(accept > 0, p_any / np.where(accept > 0, accept, 1.0), n)
        all_rejected = np.power(1.0 - accept, n)
    return np.asarray(attempts, dtype=np.float64), np.asarray(all_rejected, dtype=np.float64)


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
    attempts, _ = _attempts_and_all_rejected(p, n)
    return scalar_or_array(attempts)


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

    See Also
    --------
    retry_cost : the same with hard cases, false accepts and a fallible human.

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


def _human(
    human_cost: npt.ArrayLike | None, human_success: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Checked human cost and success rate; both 0 when there is no human."""
    success = as_float_array("human_success", human_success)
    check_in_range("human_success", success, 0.0, 1.0)
    if human_cost is None:
        return np.asarray(0.0), np.zeros_like(success)
    cost = as_float_array("human_cost", human_cost)
    check_non_negative("human_cost", cost)
    return cost, success


def retry_cost(
    cost_per_attempt: npt.ArrayLike,
    p_success: npt.ArrayLike,
    max_attempts: npt.ArrayLike = 1,
    *,
    hard_share: npt.ArrayLike = 0.0,
    false_accept_rate: npt.ArrayLike = 0.0,
    verify_cost: npt.ArrayLike = 0.0,
    human_cost: npt.ArrayLike | None = None,
    human_success: npt.ArrayLike = 1.0,
    false_accept_cost: npt.ArrayLike = 0.0,
) -> Outcome:
    """Expected outcome of one request retried on the same model behind a verifier.

    The model of a request:

    * a share ``hard_share`` of requests are hard cases that every attempt gets wrong
      (correlated failures); on the others each attempt is right with probability
      ``p_success``, independently;
    * a right answer is always accepted; a wrong one is accepted (a false accept) with
      probability ``false_accept_rate``, else rejected and retried, up to ``max_attempts``
      attempts, each costing ``cost_per_attempt + verify_cost``;
    * after ``max_attempts`` rejected attempts the request is escalated to a human at
      ``human_cost`` who is right with probability ``human_success``; without a human
      (``human_cost=None``) it stays unresolved at no further cost;
    * each false accept costs ``false_accept_cost`` (rework, refunds).

    For a group whose attempts are right with probability ``p`` (``p = 0`` for hard cases), an
    attempt is accepted with probability ``a = p + (1 - p) f`` and::

        E[attempts]     = (1 - (1 - a)^n) / a        (n when a = 0)
        P(right)        = E[attempts] p
        P(false accept) = E[attempts] (1 - p) f
        P(escalated)    = (1 - a)^n

    and the two groups are mixed by ``hard_share``. With no hard cases and a perfect verifier
    this is ``E[cost] = c (1 - (1 - p)^n) / p + (1 - p)^n h``, as in :func:`cost_per_success`.

    Parameters
    ----------
    cost_per_attempt : array_like
        Cost of one model call [USD/call].
    p_success : array_like
        Probability that one attempt on an ordinary (not hard) request is right [-], in [0, 1].
    max_attempts : array_like, default 1
        Attempts allowed before escalating, a whole number >= 1 (``inf`` for unlimited).
    hard_share : array_like, default 0.0
        Share of requests that every attempt gets wrong [-], in [0, 1].
    false_accept_rate : array_like, default 0.0
        Probability that the verifier accepts a wrong answer [-], in [0, 1].
    verify_cost : array_like, default 0.0
        Cost of verifying one attempt [USD/call].
    human_cost : array_like, optional
        Cost of the human who handles an escalated request [USD/request]; ``None`` for no human.
    human_success : array_like, default 1.0
        Probability that the human gets it right [-], in [0, 1]; unused without a human.
    false_accept_cost : array_like, default 0.0
        Cost of one accepted wrong answer: rework, refunds [USD/false accept].

    Returns
    -------
    Outcome
        Expected cost, success, false-accept and escalation probabilities and model calls per
        request, broadcast over all arguments.

    Raises
    ------
    ValueError
        If an argument is out of range, or if ``max_attempts`` is ``inf`` while some requests
        can never be accepted (``false_accept_rate = 0`` with ``hard_share > 0``, or with
        ``p_success = 0``): those are retried forever and their expected cost is infinite, so
        no meaningful outcome exists.

    See Also
    --------
    cost_per_success : the simpler model with independent attempts and a perfect verifier.
    cascade_cost : different models one after the other.

    Examples
    --------
    Three attempts at 0.01 USD that are right half the time, then a human at 2 USD; then the
    same when a fifth of the requests are hard cases that the model never gets right:

    >>> out = retry_cost(0.01, 0.5, 3, human_cost=2.0)
    >>> round(out.cost_usd, 6), out.p_success, out.attempts, out.p_escalated
    (0.2675, 1.0, 1.75, 0.125)
    >>> out = retry_cost(0.01, 0.5, 3, hard_share=0.2, human_cost=2.0)
    >>> round(out.cost_usd, 6), round(out.attempts, 6), round(out.p_escalated, 6)
    (0.62, 2.0, 0.3)

    A verifier that lets 10% of wrong answers through, each costing 1 USD to fix, no human:

    >>> out = retry_cost(0.01, 0.5, 1, false_accept_rate=0.1, false_accept_cost=1.0)
    >>> round(out.cost_usd, 6), out.p_success, round(out.p_false_accept, 6)
    (0.06, 0.5, 0.05)
    >>> round(out.cost_per_success_usd, 6)
    0.12
    """
    cost = as_float_array("cost_per_attempt", cost_per_attempt)
    check_non_negative("cost_per_attempt", cost)
    p = as_float_array("p_success", p_success)
    check_in_range("p_success", p, 0.0, 1.0)
    n = _max_attempts(max_attempts)
    hard = as_float_array("hard_share", hard_share)
    check_in_range("hard_share", hard, 0.0, 1.0)
    f = as_float_array("false_accept_rate", false_accept_rate)
    check_in_range("false_accept_rate", f, 0.0, 1.0)
    verify = as_float_array("verify_cost", verify_cost)
    check_non_negative("verify_cost", verify)
    human, human_ok = _human(human_cost, human_success)
    false_accept_usd = as_float_array("false_accept_cost", false_accept_cost)
    check_non_negative("false_accept_cost", false_accept_usd)
    shape = np.broadcast_shapes(
        cost.shape,
        p.shape,
        n.shape,
        hard.shape,
        f.shape,
        verify.shape,
        human.shape,
        human_ok.shape,
        false_accept_usd.shape,
    )

    unlimited = np.isinf(n) & (f == 0)
    endless = unlimited & (((hard < 1) & (p == 0)) | (hard > 0))
    if np.any(endless):
        msg = (
            "max_attempts is inf but some requests are never accepted (false_accept_rate = 0 "
            "with hard_share > 0 or p_success = 0): they are retried forever at infinite "
            "expected cost; give max_attempts a finite value"
        )
        raise ValueError(msg)

    def group(p_right: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        accept = p_right + (1.0 - p_right) * f
        # A group retried forever is excluded above unless its share is 0: any finite n will do.
        n_group = np.where((accept == 0) & np.isinf(n), 1.0, n)
        attempts, all_rejected = _attempts_and_all_rejected(accept, n_group)
        return attempts, attempts * p_right, attempts * (1.0 - p_right) * f, all_rejected

    easy = group(p)
    hardest = group(np.zeros_like(p))
    attempts, p_right, p_false, p_escalated = (
        (1.0 - hard) * e + hard * h for e, h in zip(easy, hardest, strict=True)
    )
    usd = attempts * (cost + verify) + p_escalated * human + p_false * false_accept_usd
    return _outcome(shape, usd, p_right + p_escalated * human_ok, p_false, p_escalated, attempts)


def _stages(name: str, value: npt.ArrayLike) -> list[FloatArray]:
    """One array per stage from a list/tuple of stages or an array with the stage axis first."""
    if isinstance(value, list | tuple):
        stages = [as_float_array(name, stage) for stage in value]
    else:
        array = as_float_array(name, value)
        if array.ndim == 0:
            msg = (
                f"{name} must be a sequence over stages (a list, or an array with the stage "
                f"axis first); got the scalar {float(array)!r}"
            )
            raise ValueError(msg)
        stages = list(array)
    if not stages:
        msg = f"{name} must have at least one stage; got none"
        raise ValueError(msg)
    return stages


def _stack(stages: list[FloatArray], shape: tuple[int, ...]) -> FloatArray:
    return np.stack([np.broadcast_to(stage, shape) for stage in stages])


def _reach(accept: FloatArray) -> FloatArray:
    """P(reach k) for k = 1..K+1 from acceptances stacked on the first axis."""
    rejected = np.cumprod(1.0 - accept, axis=0)
    return np.concatenate([np.ones_like(accept[:1]), rejected], axis=0)


def cascade_reach(accept: npt.ArrayLike) -> FloatArray:
    """Probability that a request reaches each stage of a cascade, and the end of it [-].

    ``P(reach 1) = 1`` and ``P(reach k) = prod_{j<k} (1 - a_j)``; the last entry,
    ``P(reach K+1)``, is the share of requests that every stage rejected (escalated).

    Parameters
    ----------
    accept : sequence of array_like, or array_like
        Probability that stage ``k`` accepts the answer of a request that reached it [-], in
        [0, 1]: a list or tuple over the ``K`` stages (elements broadcast together), or an array
        whose first axis is the stage axis.

    Returns
    -------
    numpy.ndarray
        Shape ``(K + 1, *broadcast)``: the share of traffic that reaches each stage, then the
        escalated share [-]. Multiply by the request volume to size each stage's backend.

    Examples
    --------
    >>> cascade_reach([0.7, 0.5, 1.0]).round(6).tolist()
    [1.0, 0.3, 0.15, 0.0]
    """
    stages = _stages("accept", accept)
    shape = np.broadcast_shapes(*(stage.shape for stage in stages))
    a = _stack(stages, shape)
    check_in_range("accept", a, 0.0, 1.0)
    return _reach(a)


def cascade_cost(
    cost: npt.ArrayLike,
    verify_cost: npt.ArrayLike,
    accept: npt.ArrayLike,
    correct: npt.ArrayLike,
    human_cost: npt.ArrayLike | None = None,
    *,
    human_success: npt.ArrayLike = 1.0,
    false_accept_cost: npt.ArrayLike = 0.0,
) -> Outcome:
    """Expected outcome of one request through a cascade of models, each behind a verifier.

    Stage ``k = 1..K`` generates an answer at ``cost[k]``, verifies it at ``verify_cost[k]`` and
    accepts it with probability ``accept[k]``; an accepted answer is right with probability
    ``correct[k]``. A rejected request moves on to the next stage; past the last one it goes to
    the human (or stays unresolved without one)::

        P(reach k)      = prod_{j<k} (1 - a_j)
        E[cost]         = sum_k P(reach k) (c_k + v_k) + P(reach K+1) h
                          + P(false accept) x false_accept_cost
        P(success)      = sum_k P(reach k) a_k q_k + P(reach K+1) x human_success
        P(false accept) = sum_k P(reach k) a_k (1 - q_k)

    Each of ``cost``, ``verify_cost``, ``accept`` and ``correct`` is a list or tuple over the
    stages (scalars or arrays, broadcast together) or an array whose first axis is the stage
    axis; all must have the same number of stages.

    Parameters
    ----------
    cost : sequence of array_like, or array_like
        Cost of the model call of each stage [USD/call].
    verify_cost : sequence of array_like, or array_like
        Cost of verifying each stage's answer [USD/call].
    accept : sequence of array_like, or array_like
        Probability that each stage accepts the answer of a request that reached it [-].
    correct : sequence of array_like, or array_like
        Probability that an answer accepted at each stage is right [-].
    human_cost : array_like, optional
        Cost of the human who handles a request every stage rejected [USD/request]; ``None``
        for no human (such requests stay unresolved).
    human_success : array_like, default 1.0
        Probability that the human gets it right [-]; unused without a human.
    false_accept_cost : array_like, default 0.0
        Cost of one accepted wrong answer: rework, refunds [USD/false accept].

    Returns
    -------
    Outcome
        Expected cost, success, false-accept and escalation probabilities and model calls per
        request (the expected number of stages run).

    See Also
    --------
    cascade_reach : the share of traffic that reaches each stage.
    retry_cost : the cascade of one model retried.

    Examples
    --------
    A small model at 0.001 USD with a 0.0005 USD verifier that accepts 70% of answers (95% of
    them right), then a large model at 0.02 USD whose answers are all taken (90% right):

    >>> out = cascade_cost([0.001, 0.02], [0.0005, 0.0], [0.7, 1.0], [0.95, 0.9])
    >>> round(out.cost_usd, 6), round(out.p_success, 6), round(out.p_false_accept, 6)
    (0.0075, 0.935, 0.065)
    >>> round(out.attempts, 6), out.p_escalated
    (1.3, 0.0)
    """
    named = {"cost": cost, "verify_cost": verify_cost, "accept": accept, "correct": correct}
    stages = {name: _stages(name, value) for name, value in named.items()}
    n_stages = len(stages["cost"])
    for name, values in stages.items():
        if len(values) != n_stages:
            msg = f"{name} has {len(values)} stages but cost has {n_stages}; they must match"
            raise ValueError(msg)
    human, human_ok = _human(human_cost, human_success)
    false_accept_usd = as_float_array("false_accept_cost", false_accept_cost)
    check_non_negative("false_accept_cost", false_accept_usd)
    shape = np.broadcast_shapes(
        *(stage.shape for values in stages.values() for stage in values),
        human.shape,
        human_ok.shape,
        false_accept_usd.shape,
    )
    c, v, a, q = (_stack(stages[name], shape) for name in named)
    check_non_negative("cost", c)
    check_non_negative("verify_cost", v)
    check_in_range("accept", a, 0.0, 1.0)
    check_in_range("correct", q, 0.0, 1.0)

    reach = _reach(a)
    run = reach[:-1]  # P(reach k) for the K stages
    escalated = reach[-1]
    p_right = np.sum(run * a * q, axis=0)
    p_false = np.sum(run * a * (1.0 - q), axis=0)
    usd = np.sum(run * (c + v), axis=0) + escalated * human + p_false * false_accept_usd
    attempts = np.sum(run, axis=0)
    return _outcome(shape, usd, p_right + escalated * human_ok, p_false, escalated, attempts)
