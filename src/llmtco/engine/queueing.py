"""Queueing delay of a serving fleet: the M/M/c (Erlang C) model.

The model
---------
Requests arrive as a Poisson stream at ``arrival_rate_per_s`` (lambda) [requests/s] and are served,
first come first served, by ``servers`` (c) identical servers, each completing requests at
``service_rate_per_s`` (mu) [requests/s] with exponentially distributed service times of mean
``1 / mu`` [s]. The offered load is ``a = lambda / mu`` [Erlang], the mean number of busy servers;
the queue is stable only when ``a < c``. The waiting time W before service starts has an atom at 0
of mass ``1 - C`` and an exponential tail::

    P(W > t) = C(c, a) x exp(-(c mu - lambda) t)

where ``C(c, a)`` is the Erlang C probability that an arrival has to wait (:func:`erlang_c`).

Mapping a "server" to LLM serving
---------------------------------
A model replica (one copy of the weights on one or more GPUs) running continuous batching holds up
to ``concurrency_per_replica`` requests at once. Model it as ``concurrency_per_replica`` servers,
each with ``service_rate_per_s = 1 / request_duration_s`` where::

    request_duration_s = ttft_s + output_tokens x tpot_s

measured *at that concurrency* (per-token latency rises with batch size, so a duration measured on
an idle replica flatters the fleet). A fleet of ``replicas`` replicas is
``replicas x concurrency_per_replica`` servers (:func:`replica_servers`), which assumes a router
that sends each request to any free slot in the fleet. A request's time to first token is its
queueing wait plus the prefill time (:func:`ttft_quantile_s`), and :func:`replicas_for_ttft_slo`
sizes the fleet so that a chosen percentile of it meets an SLO.

Limits of the approximation: LLM request durations are not exponential (output lengths vary more or
less than that), the prefill of one request slows the decode of the others in its batch, and
per-replica queues without a global router wait longer. It is the planning approximation capacity
planners use, not a simulator; a target utilization below 1 on top of it buys further headroom.

Arrays broadcast with numpy rules; a scalar in gives a ``float`` out. Server and replica counts are
whole numbers held in floats, and ``inf`` marks a need that no finite count can meet.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from llmtco.engine._arrays import (
    FloatArray,
    FloatOrArray,
    as_float_array,
    check_in_range,
    check_non_negative,
    check_positive,
    scalar_or_array,
)

__all__ = [
    "erlang_c",
    "mean_wait_s",
    "replica_servers",
    "replicas_for_ttft_slo",
    "servers_for_wait_slo",
    "ttft_quantile_s",
    "wait_quantile_s",
]

MAX_OFFERED_LOAD_ERLANG: Final[float] = 1e8
"""Largest offered load the Erlang computations accept [Erlang] (cost grows with its root)."""

_TAIL_RTOL: Final[float] = 1e-18
"""Relative size below which the terms of the Erlang B sum are dropped [-]."""

_QUANTILE_MAX: Final[float] = float(np.nextafter(1.0, 0.0))


# --------------------------------------------------------------------------- validation helpers


def _check_whole(name: str, values: FloatArray) -> None:
    bad = values != np.floor(values)
    if np.any(bad):
        msg = f"{name} must be a whole number; got {float(values[bad].flat[0])!r}"
        raise ValueError(msg)


def _whole_count(name: str, value: npt.ArrayLike, *, minimum: float = 0.0) -> FloatArray:
    values = as_float_array(name, value)
    check_non_negative(name, values)
    _check_whole(name, values)
    if np.any(values < minimum):
        msg = f"{name} must be at least {minimum:g}; got {float(values.min())!r}"
        raise ValueError(msg)
    return values


def _quantile(value: npt.ArrayLike) -> FloatArray:
    values = as_float_array("quantile", value)
    check_in_range("quantile", values, 0.0, _QUANTILE_MAX)
    return values


def _check_load(load: FloatArray) -> None:
    if np.any(load > MAX_OFFERED_LOAD_ERLANG):
        msg = (
            f"offered load (arrival rate / service rate) must be at most "
            f"{MAX_OFFERED_LOAD_ERLANG:g} Erlang; got {float(load.max())!r}"
        )
        raise ValueError(msg)


# --------------------------------------------------------------------------- Erlang B and C core


def _erlang_b_at_threshold(load: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Erlang B at the fewest stable servers, ``c0 = floor(a) + 1``, for 1-D loads ``a > 0``.

    ``1 / B(c, a) = sum_{j=0..c} c! / ((c - j)! a^j)``; at ``c0`` every term is at most
    ``c0 / a <= 2`` (for ``a >= 1``) and the terms fall off like ``exp(-j^2 / 2a)``, so the sum
    neither overflows nor needs more than about ``9 sqrt(a)`` terms. Below one Erlang
    ``c0 = 1`` and ``B(1, a) = a / (1 + a)``.
    """
    servers = np.floor(load) + 1.0
    total = np.ones_like(load)
    term = np.ones_like(load)
    small = load < 1.0
    idx = np.flatnonzero(~small)
    j = 0
    while idx.size:
        j += 1
        term[idx] *= (servers[idx] - (j - 1)) / load[idx]
        total[idx] += term[idx]
        idx = idx[term[idx] > _TAIL_RTOL * total[idx]]
    blocking = 1.0 / total
    blocking[small] = load[small] / (1.0 + load[small])
    return servers, blocking


def _erlang_b_step(blocking: FloatArray, load: FloatArray, servers: FloatArray) -> FloatArray:
    """``B(k, a)`` from ``B(k - 1, a)``: the stable forward recursion (it contracts for k > a)."""
    ab = load * blocking
    result: FloatArray = ab / (servers + ab)
    return result


def _c_from_b(blocking: FloatArray, load: FloatArray, servers: FloatArray) -> FloatArray:
    """Erlang C from Erlang B at the same ``(c, a)``, ``a < c``; the denominator is >= 1 - a/c."""
    result: FloatArray = blocking / (1.0 - (load / servers) * (1.0 - blocking))
    return result


def _erlang_c_flat(servers: FloatArray, load: FloatArray) -> FloatArray:
    """Erlang C for 1-D arrays; 0 where ``a == 0``, else 1 where ``a >= c``."""
    out = np.ones(load.shape, dtype=np.float64)
    stable = load < servers
    out[load == 0.0] = 0.0
    sel = np.flatnonzero(stable & (load > 0.0))
    if sel.size == 0:
        return out
    c, a = servers[sel], load[sel]
    _check_load(a)
    k, b = _erlang_b_at_threshold(a)
    idx = np.flatnonzero((k < c) & (b > 0.0))
    while idx.size:
        k[idx] += 1.0
        b[idx] = _erlang_b_step(b[idx], a[idx], k[idx])
        # Once B underflows to 0 it stays 0 for every larger count.
        idx = idx[(k[idx] < c[idx]) & (b[idx] > 0.0)]
    out[sel] = _c_from_b(b, a, c)
    return out


def _wait_quantile_flat(
    wait_probability: FloatArray, drain_rate_per_s: FloatArray, tail: FloatArray
) -> FloatArray:
    """``max(0, ln(C / tail) / (c mu - lambda))`` for a stable queue; ``tail = 1 - quantile``."""
    out = np.zeros(wait_probability.shape, dtype=np.float64)
    waits = wait_probability > tail
    out[waits] = np.log(wait_probability[waits] / tail[waits]) / drain_rate_per_s[waits]
    return out


def _rates(
    arrival_rate_per_s: npt.ArrayLike, service_rate_per_s: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    arrivals = as_float_array("arrival_rate_per_s", arrival_rate_per_s)
    service = as_float_array("service_rate_per_s", service_rate_per_s)
    check_non_negative("arrival_rate_per_s", arrivals)
    check_positive("service_rate_per_s", service)
    return arrivals, service


# --------------------------------------------------------------------------- public functions


def erlang_c(servers: npt.ArrayLike, offered_load: npt.ArrayLike) -> FloatOrArray:
    """Probability that an arrival has to wait in an M/M/c queue (Erlang C) [-].

    ``C(c, a) = B / (1 - (a / c)(1 - B))`` with ``B`` the Erlang B blocking probability, found
    with a sum that cannot overflow at ``c0 = floor(a) + 1`` servers and the stable recursion
    ``B(k) = a B(k-1) / (k + a B(k-1))`` above it; the cost grows like ``sqrt(a)`` plus the
    steps from ``c0`` to ``c`` (which stop once ``B`` underflows), so thousands of servers are
    cheap.

    Parameters
    ----------
    servers : array_like
        Servers c, a whole number >= 0 [servers].
    offered_load : array_like
        Offered load ``a = arrival rate / service rate`` [Erlang], >= 0, at most 1e8 where
        ``a < c``; ``inf`` is allowed.

    Returns
    -------
    float or numpy.ndarray
        Probability in [0, 1]; 1 where ``0 < a >= c`` (the queue is unstable), 0 where ``a = 0``
        (no arrivals, so none waits, even with no servers).

    Examples
    --------
    One server is busy a share ``rho`` of the time, and two servers at one Erlang wait 1/3:

    >>> erlang_c(1, 0.5)
    0.5
    >>> round(erlang_c(2, 1.0), 6)
    0.333333
    >>> erlang_c([1, 2, 4], 2.0)
    array([1.        , 1.        , 0.17391304])
    """
    count = as_float_array("servers", servers)
    check_non_negative("servers", count)
    _check_whole("servers", count)
    load = as_float_array("offered_load", offered_load)
    check_non_negative("offered_load", load, allow_inf=True)
    c_b, a_b = np.broadcast_arrays(count, load)
    out = _erlang_c_flat(c_b.ravel(), a_b.ravel()).reshape(c_b.shape)
    return scalar_or_array(out)


def mean_wait_s(
    servers: npt.ArrayLike, arrival_rate_per_s: npt.ArrayLike, service_rate_per_s: npt.ArrayLike
) -> FloatOrArray:
    """Mean time an arrival waits before service in an M/M/c queue [s].

    ``E[W] = C(c, a) / (c mu - lambda)``, ``inf`` where ``0 < lambda >= c mu``, 0 where
    ``lambda = 0``.

    Parameters
    ----------
    servers : array_like
        Servers c, a whole number >= 0 [servers].
    arrival_rate_per_s : array_like
        Arrival rate lambda [requests/s], >= 0.
    service_rate_per_s : array_like
        Service rate of one server mu [requests/s], > 0 (``1 / mean service time``).

    Returns
    -------
    float or numpy.ndarray
        Mean wait, averaged over all arrivals including those that do not wait [s].

    Examples
    --------
    M/M/1 at 50% load with a one-second mean service waits ``rho / (mu - lambda)`` = 1 s:

    >>> mean_wait_s(1, 0.5, 1.0)
    1.0
    >>> mean_wait_s(1, 1.0, 1.0)
    inf
    """
    count = _whole_count("servers", servers)
    arrivals, service = _rates(arrival_rate_per_s, service_rate_per_s)
    c_b, lam_b, mu_b = (x.ravel() for x in np.broadcast_arrays(count, arrivals, service))
    shape = np.broadcast_shapes(count.shape, arrivals.shape, service.shape)
    load = lam_b / mu_b
    wait_probability = _erlang_c_flat(c_b, load)
    out = np.full(load.shape, np.inf)
    stable = load < c_b
    out[stable] = wait_probability[stable] / (mu_b[stable] * (c_b[stable] - load[stable]))
    out[load == 0.0] = 0.0
    return scalar_or_array(out.reshape(shape))


def wait_quantile_s(
    servers: npt.ArrayLike,
    arrival_rate_per_s: npt.ArrayLike,
    service_rate_per_s: npt.ArrayLike,
    quantile: npt.ArrayLike = 0.95,
) -> FloatOrArray:
    """Quantile of the time an arrival waits before service in an M/M/c queue [s].

    From ``P(W > t) = C exp(-(c mu - lambda) t)``: ``t_q = ln(C / (1 - q)) / (c mu - lambda)``,
    or 0 where ``q <= 1 - C`` (that share of arrivals finds a free server) or ``lambda = 0``,
    ``inf`` where ``0 < lambda >= c mu``.

    Parameters
    ----------
    servers : array_like
        Servers c, a whole number >= 0 [servers].
    arrival_rate_per_s : array_like
        Arrival rate lambda [requests/s], >= 0.
    service_rate_per_s : array_like
        Service rate of one server mu [requests/s], > 0.
    quantile : array_like, default 0.95
        Quantile q of the waiting time [-], in [0, 1).

    Returns
    -------
    float or numpy.ndarray
        Waiting time that a share ``q`` of arrivals does not exceed [s].

    Examples
    --------
    M/M/1 at 50% load: half the arrivals wait, so the median wait is 0 and the 95th percentile
    is ``ln(0.5 / 0.05) / 0.5 = 2 ln 10`` seconds:

    >>> wait_quantile_s(1, 0.5, 1.0, 0.5)
    0.0
    >>> round(wait_quantile_s(1, 0.5, 1.0, 0.95), 4)
    4.6052
    """
    count = _whole_count("servers", servers)
    arrivals, service = _rates(arrival_rate_per_s, service_rate_per_s)
    q = _quantile(quantile)
    arrays = np.broadcast_arrays(count, arrivals, service, q)
    c_b, lam_b, mu_b, q_b = (x.ravel() for x in arrays)
    load = lam_b / mu_b
    wait_probability = _erlang_c_flat(c_b, load)
    out = np.full(load.shape, np.inf)
    stable = load < c_b
    out[stable] = _wait_quantile_flat(
        wait_probability[stable],
        mu_b[stable] * (c_b[stable] - load[stable]),
        1.0 - q_b[stable],
    )
    out[load == 0.0] = 0.0
    return scalar_or_array(out.reshape(arrays[0].shape))


def _servers_for_wait_flat(
    arrivals: FloatArray, service: FloatArray, max_wait: FloatArray, tail: FloatArray
) -> FloatArray:
    """Fewest servers whose waiting-time quantile is <= max_wait (1-D; 0 for no traffic).

    The quantile falls as servers are added (C falls, the drain rate rises), so the first
    stable count that meets the target is the answer: step up from ``floor(a) + 1``. That takes
    about ``sqrt(a)`` steps for typical targets (square-root staffing).
    """
    found = np.zeros(arrivals.shape, dtype=np.float64)
    all_loads = arrivals / service
    # A load that underflows to 0 counts as no traffic, as in the other functions.
    busy = np.flatnonzero(all_loads > 0.0)
    if busy.size == 0:
        return found
    load = all_loads[busy]
    _check_load(load)
    mu, wait, tl = service[busy], max_wait[busy], tail[busy]
    k, b = _erlang_b_at_threshold(load)
    result = np.empty(load.shape, dtype=np.float64)
    idx = np.arange(load.size)
    while True:
        c_prob = _c_from_b(b[idx], load[idx], k[idx])
        quantile_s = _wait_quantile_flat(c_prob, mu[idx] * (k[idx] - load[idx]), tl[idx])
        met = quantile_s <= wait[idx]
        result[idx[met]] = k[idx[met]]
        idx = idx[~met]
        if idx.size == 0:
            break
        k[idx] += 1.0
        b[idx] = _erlang_b_step(b[idx], load[idx], k[idx])
    found[busy] = result
    return found


def servers_for_wait_slo(
    arrival_rate_per_s: npt.ArrayLike,
    service_rate_per_s: npt.ArrayLike,
    max_wait_s: npt.ArrayLike,
    quantile: npt.ArrayLike = 0.95,
    min_servers: npt.ArrayLike = 1,
) -> FloatOrArray:
    """Fewest M/M/c servers whose waiting-time quantile meets a target [servers].

    The smallest whole ``c >= min_servers`` with ``wait_quantile_s(c, ...) <= max_wait_s``. The
    waiting-time quantile never rises with ``c``, so the search steps up from the fewest stable
    servers ``floor(a) + 1``; it takes about ``sqrt(a)`` steps.

    Parameters
    ----------
    arrival_rate_per_s : array_like
        Arrival rate lambda [requests/s], >= 0.
    service_rate_per_s : array_like
        Service rate of one server mu [requests/s], > 0.
    max_wait_s : array_like
        Highest acceptable waiting time at ``quantile`` [s], >= 0; ``inf`` asks only for a
        stable queue and 0 for a share ``quantile`` of arrivals that never wait.
    quantile : array_like, default 0.95
        Quantile q of the waiting time held to ``max_wait_s`` [-], in [0, 1).
    min_servers : array_like, default 1
        Floor on the count, a whole number >= 0 [servers]; with no traffic the count is this.

    Returns
    -------
    float or numpy.ndarray
        Whole number of servers (as floats) [servers].

    Examples
    --------
    Ten requests/s of one second each: 11 servers keep the queue stable, a 95th-percentile wait
    of at most 1 s takes 13, at most 0.1 s takes 16, and no wait at all for 95% of arrivals 17:

    >>> servers_for_wait_slo(10.0, 1.0, np.inf)
    11.0
    >>> servers_for_wait_slo(10.0, 1.0, [1.0, 0.1, 0.0])
    array([13., 16., 17.])
    """
    arrivals, service = _rates(arrival_rate_per_s, service_rate_per_s)
    wait = as_float_array("max_wait_s", max_wait_s)
    check_non_negative("max_wait_s", wait, allow_inf=True)
    q = _quantile(quantile)
    floor = _whole_count("min_servers", min_servers)
    arrays = np.broadcast_arrays(arrivals, service, wait, q, floor)
    lam_b, mu_b, wait_b, q_b, floor_b = (x.ravel() for x in arrays)
    needed = _servers_for_wait_flat(lam_b, mu_b, wait_b, 1.0 - q_b)
    return scalar_or_array(np.maximum(needed, floor_b).reshape(arrays[0].shape))


def replica_servers(
    replicas: npt.ArrayLike, concurrency_per_replica: npt.ArrayLike
) -> FloatOrArray:
    """Queueing servers of a fleet: one per concurrent request slot [servers].

    Parameters
    ----------
    replicas : array_like
        Model replicas, a whole number >= 0 [replicas].
    concurrency_per_replica : array_like
        Requests one replica serves at once (its batch slots), a whole number >= 1
        [requests/replica].

    Returns
    -------
    float or numpy.ndarray
        ``replicas x concurrency_per_replica`` [servers]; each server then has the service rate
        ``1 / request_duration_s`` [requests/s].

    Examples
    --------
    >>> replica_servers(3, 64)
    192.0
    """
    count = _whole_count("replicas", replicas)
    slots = _whole_count("concurrency_per_replica", concurrency_per_replica, minimum=1.0)
    return scalar_or_array(np.asarray(count * slots))


def ttft_quantile_s(
    replicas: npt.ArrayLike,
    peak_requests_per_s: npt.ArrayLike,
    request_duration_s: npt.ArrayLike,
    concurrency_per_replica: npt.ArrayLike,
    prefill_s: npt.ArrayLike,
    quantile: npt.ArrayLike = 0.95,
) -> FloatOrArray:
    """Quantile of the time to first token of a fleet of replicas [s].

    The queueing wait of the fleet seen as ``replicas x concurrency_per_replica`` M/M/c servers
    with service rate ``1 / request_duration_s`` (:func:`wait_quantile_s`) plus the prefill time.
    Prefill is taken as fixed, so adding it shifts every quantile by the same amount.

    Parameters
    ----------
    replicas : array_like
        Model replicas, a whole number >= 0 [replicas].
    peak_requests_per_s : array_like
        Arrival rate at the peak [requests/s], >= 0.
    request_duration_s : array_like
        Mean time a request holds a batch slot, ``ttft + output_tokens x tpot`` at the planned
        concurrency [s], > 0.
    concurrency_per_replica : array_like
        Requests one replica serves at once, a whole number >= 1 [requests/replica].
    prefill_s : array_like
        Prefill time of a request on an unqueued replica [s], >= 0.
    quantile : array_like, default 0.95
        Quantile of the time to first token [-], in [0, 1).

    Returns
    -------
    float or numpy.ndarray
        Time to first token at ``quantile`` [s]; ``inf`` where the fleet cannot keep up.

    Examples
    --------
    Two replicas of 8 slots, 10 requests/s of 1.2 s each (12 Erlang on 16 servers), 0.25 s
    prefill:

    >>> round(ttft_quantile_s(2, 10.0, 1.2, 8, 0.25), 3)
    0.673
    >>> ttft_quantile_s(1, 10.0, 1.2, 8, 0.25)
    inf
    """
    servers = replica_servers(replicas, concurrency_per_replica)
    duration = as_float_array("request_duration_s", request_duration_s)
    check_positive("request_duration_s", duration)
    prefill = as_float_array("prefill_s", prefill_s)
    check_non_negative("prefill_s", prefill)
    wait = np.asarray(wait_quantile_s(servers, peak_requests_per_s, 1.0 / duration, quantile))
    return scalar_or_array(np.asarray(wait + prefill))


def replicas_for_ttft_slo(
    peak_requests_per_s: npt.ArrayLike,
    request_duration_s: npt.ArrayLike,
    concurrency_per_replica: npt.ArrayLike,
    prefill_s: npt.ArrayLike,
    ttft_slo_s: npt.ArrayLike,
    quantile: npt.ArrayLike = 0.95,
    min_replicas: npt.ArrayLike = 0,
) -> FloatOrArray:
    """Fewest replicas whose time-to-first-token quantile meets an SLO [replicas].

    The queue may use the budget ``ttft_slo_s - prefill_s``; the fleet needs the servers
    :func:`servers_for_wait_slo` finds for that budget, rounded up to whole replicas of
    ``concurrency_per_replica`` servers, and at least ``min_replicas``. A tighter SLO never
    needs fewer replicas.

    Parameters
    ----------
    peak_requests_per_s : array_like
        Arrival rate at the peak [requests/s], >= 0.
    request_duration_s : array_like
        Mean time a request holds a batch slot, ``ttft + output_tokens x tpot`` at the planned
        concurrency [s], > 0.
    concurrency_per_replica : array_like
        Requests one replica serves at once, a whole number >= 1 [requests/replica].
    prefill_s : array_like
        Prefill time of a request on an unqueued replica [s], >= 0.
    ttft_slo_s : array_like
        Highest acceptable time to first token at ``quantile`` [s], >= 0 (``inf`` allowed).
    quantile : array_like, default 0.95
        Quantile of the time to first token held to the SLO [-], in [0, 1).
    min_replicas : array_like, default 0
        Floor on the count, e.g. 2 for N+1 availability, a whole number >= 0 [replicas].

    Returns
    -------
    float or numpy.ndarray
        Whole number of replicas (as floats) [replicas]. ``inf`` where traffic is positive and
        ``prefill_s > ttft_slo_s``: no number of replicas helps, because queueing only adds to
        the prefill time (shorten the prompt, or buy a faster replica). With no traffic the
        count is ``min_replicas``.

    Examples
    --------
    Two requests/s of 10 s each (20 Erlang) on replicas of 4 slots with 0.3 s prefill: no SLO
    (stability only), a 3 s and a 0.5 s p95 SLO, and an SLO below the prefill time:

    >>> replicas_for_ttft_slo(2.0, 10.0, 4, 0.3, [np.inf, 3.0, 0.5, 0.2])
    array([ 6.,  7.,  8., inf])

    A higher percentile held to the same 1 s SLO:

    >>> replicas_for_ttft_slo(2.0, 10.0, 4, 0.3, 1.0, quantile=[0.5, 0.9, 0.99])
    array([6., 7., 8.])
    """
    peak = as_float_array("peak_requests_per_s", peak_requests_per_s)
    check_non_negative("peak_requests_per_s", peak)
    duration = as_float_array("request_duration_s", request_duration_s)
    check_positive("request_duration_s", duration)
    slots = _whole_count("concurrency_per_replica", concurrency_per_replica, minimum=1.0)
    prefill = as_float_array("prefill_s", prefill_s)
    check_non_negative("prefill_s", prefill)
    slo = as_float_array("ttft_slo_s", ttft_slo_s)
    check_non_negative("ttft_slo_s", slo, allow_inf=True)
    q = _quantile(quantile)
    floor = _whole_count("min_replicas", min_replicas)

    arrays = np.broadcast_arrays(peak, duration, slots, prefill, slo, q, floor)
    lam_b, dur_b, slots_b, pre_b, slo_b, q_b, floor_b = (x.ravel() for x in arrays)
    budget = slo_b - pre_b
    feasible = (budget >= 0.0) | (lam_b == 0.0)
    out = np.full(lam_b.shape, np.inf)
    sel = np.flatnonzero(feasible)
    servers = _servers_for_wait_flat(
        lam_b[sel], 1.0 / dur_b[sel], np.maximum(budget[sel], 0.0), 1.0 - q_b[sel]
    )
    out[sel] = np.maximum(np.ceil(servers / slots_b[sel]), floor_b[sel])
    return scalar_or_array(out.reshape(arrays[0].shape))
