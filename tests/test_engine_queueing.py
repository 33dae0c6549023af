import heapq
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine.queueing import (
    erlang_c,
    mean_wait_s,
    replica_servers,
    replicas_for_ttft_slo,
    servers_for_wait_slo,
    ttft_quantile_s,
    wait_quantile_s,
)


def erlang_c_reference(c: int, a: float) -> float:
    """Textbook formula in log space (independent of the module's recursion)."""
    if a >= c:
        return 1.0
    if a == 0:
        return 0.0
    log_terms = [k * math.log(a) - math.lgamma(k + 1) for k in range(c)]
    log_last = c * math.log(a) - math.lgamma(c + 1) + math.log(c / (c - a))
    top = max([*log_terms, log_last])
    total = sum(math.exp(t - top) for t in log_terms) + math.exp(log_last - top)
    return math.exp(log_last - top) / total


# --------------------------------------------------------------------------- hand-worked cases


def test_single_server_waits_with_probability_rho():
    for rho in (0.0, 0.1, 0.5, 0.9, 0.999):
        assert erlang_c(1, rho) == pytest.approx(rho, rel=1e-14, abs=1e-300)


def test_two_servers_at_one_erlang_wait_one_third():
    # C = (a^2/2 * 2/(2-1)) / (1 + a + a^2/2 * 2) = 1 / 3.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-14)


def test_ten_servers_at_eight_erlang():
    # Sum by hand: sum_{k<10} 8^k/k! = 2008.2540..., 8^10/10! x 10/2 = 1406.0896...; tables: 0.4092.
    head = sum(8.0**k / math.factorial(k) for k in range(10))
    last = 8.0**10 / math.factorial(10) * 10 / (10 - 8)
    assert erlang_c(10, 8.0) == pytest.approx(last / (head + last), rel=1e-13)
    assert erlang_c(10, 8.0) == pytest.approx(0.4092, abs=5e-5)


def test_unstable_and_idle_queues():
    assert erlang_c(3, 3.0) == 1.0
    assert erlang_c(3, 7.5) == 1.0
    assert erlang_c(3, np.inf) == 1.0
    assert erlang_c(0, 0.0) == 0.0  # no arrivals: nobody waits
    assert erlang_c(3, 0.0) == 0.0
    assert mean_wait_s(3, 3.0, 1.0) == np.inf
    assert wait_quantile_s(3, 3.0, 1.0, 0.0) == np.inf
    assert mean_wait_s(0, 0.0, 1.0) == 0.0
    assert mean_wait_s(0, 0.1, 1.0) == np.inf
    assert mean_wait_s(2, 0.0, 1.0) == 0.0


def test_mm1_mean_wait_and_quantile():
    lam, mu = 0.8, 1.0
    assert mean_wait_s(1, lam, mu) == pytest.approx(lam / (mu * (mu - lam)))
    # P(W > t) = rho exp(-(mu - lam) t): the median is 0 when rho <= 1/2 ...
    assert wait_quantile_s(1, 0.4, mu, 0.5) == 0.0
    assert wait_quantile_s(1, 0.4, mu, 0.6) == 0.0
    # ... and t_q = ln(rho / (1 - q)) / (mu - lam) otherwise.
    for q in (0.5, 0.9, 0.95, 0.99):
        assert wait_quantile_s(1, lam, mu, q) == pytest.approx(math.log(0.8 / (1 - q)) / 0.2)


def test_mmc_quantile_matches_its_tail():
    c, lam, mu = 12, 10.0, 1.0
    wait_probability = erlang_c(c, lam / mu)
    t = wait_quantile_s(c, lam, mu, 0.99)
    assert wait_probability * math.exp(-(c * mu - lam) * t) == pytest.approx(0.01)
    assert mean_wait_s(c, lam, mu) == pytest.approx(wait_probability / (c * mu - lam))


def test_erlang_c_matches_log_space_formula_for_large_pools():
    cases = [(2000, 1900.0), (3000, 2999.5), (500, 10.0), (1000, 999.0), (64, 63.9), (4096, 3900)]
    for c, a in cases:
        assert erlang_c(c, a) == pytest.approx(erlang_c_reference(c, a), rel=1e-10)
    # Far more servers than load: underflows cleanly to 0 rather than NaN.
    assert erlang_c(5000, 1.0) == 0.0


def test_tiny_and_huge_loads():
    assert erlang_c(1, 1e-300) == pytest.approx(1e-300)
    assert erlang_c(1, 5e-324) >= 0.0
    big = erlang_c(10_010_000, 1e7)
    assert 0.0 < big < 1.0
    with pytest.raises(ValueError, match="offered load"):
        erlang_c(3e8, 2e8)


# --------------------------------------------------------------------------- simulation


def simulate_mmc_waits(c: int, lam: float, mu: float, n: int, seed: int) -> np.ndarray:
    """FCFS M/M/c: each arrival takes the server that frees up first."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1.0 / lam, n)).tolist()
    services = rng.exponential(1.0 / mu, n).tolist()
    free_at = [0.0] * c
    waits = [0.0] * n
    for i, (t, s) in enumerate(zip(arrivals, services, strict=True)):
        start = max(t, free_at[0])
        waits[i] = start - t
        heapq.heapreplace(free_at, start + s)
    return np.asarray(waits)


@pytest.mark.parametrize(("c", "lam", "mu"), [(3, 2.4, 1.0), (8, 12.0, 2.0)])
def test_mean_wait_and_wait_probability_match_a_simulation(c, lam, mu):
    waits = simulate_mmc_waits(c, lam, mu, n=200_000, seed=20261123)[10_000:]
    # Waits are autocorrelated: the standard error comes from 40 batch means.
    batch_means = waits[: len(waits) // 40 * 40].reshape(40, -1).mean(axis=1)
    standard_error = batch_means.std(ddof=1) / math.sqrt(40)
    expected = mean_wait_s(c, lam, mu)
    assert standard_error < 0.05 * expected  # the check has power
    assert abs(waits.mean() - expected) < 4 * standard_error
    assert np.mean(waits > 0) == pytest.approx(erlang_c(c, lam / mu), abs=0.02)
    assert np.quantile(waits, 0.95) == pytest.approx(wait_quantile_s(c, lam, mu, 0.95), rel=0.1)


# --------------------------------------------------------------------------- sizing


def test_servers_for_wait_slo_hand_cases():
    # 10 Erlang: 11 servers are the fewest stable ones.
    assert servers_for_wait_slo(10.0, 1.0, np.inf) == 11.0
    assert servers_for_wait_slo(10.0, 1.0, np.inf, min_servers=20) == 20.0
    assert servers_for_wait_slo(0.0, 1.0, 0.0) == 1.0
    assert servers_for_wait_slo(0.0, 1.0, 0.0, min_servers=0) == 0.0
    # M/M/1 at rho = 0.5: the p95 wait is 2 ln 10 s, so that budget suffices for one server.
    assert servers_for_wait_slo(0.5, 1.0, 4.61) == 1.0
    assert servers_for_wait_slo(0.5, 1.0, 4.60) == 2.0
    for max_wait in (0.0, 0.05, 0.5, 5.0):
        c = servers_for_wait_slo(10.0, 1.0, max_wait, 0.9)
        assert wait_quantile_s(c, 10.0, 1.0, 0.9) <= max_wait
        assert wait_quantile_s(c - 1, 10.0, 1.0, 0.9) > max_wait


def test_replica_servers():
    assert replica_servers(3, 64) == 192.0
    np.testing.assert_array_equal(replica_servers([0, 1, 2], 8), [0.0, 8.0, 16.0])
    with pytest.raises(ValueError, match="concurrency_per_replica must be at least 1"):
        replica_servers(3, 0)


def test_ttft_quantile_is_wait_plus_prefill():
    wait = wait_quantile_s(16, 10.0, 1 / 1.2, 0.95)
    assert ttft_quantile_s(2, 10.0, 1.2, 8, 0.25) == pytest.approx(wait + 0.25)
    assert ttft_quantile_s(2, 0.0, 1.2, 8, 0.25) == 0.25
    assert ttft_quantile_s(1, 10.0, 1.2, 8, 0.25) == np.inf


def test_tighter_ttft_slo_needs_more_replicas():
    slos = [np.inf, 3.0, 0.5, 0.2]
    replicas = replicas_for_ttft_slo(2.0, 10.0, 4, 0.3, slos)
    np.testing.assert_array_equal(replicas, [6.0, 7.0, 8.0, np.inf])
    for r, slo in zip(replicas[:3], slos[:3], strict=True):
        assert ttft_quantile_s(r, 2.0, 10.0, 4, 0.3) <= slo
        assert ttft_quantile_s(r - 1, 2.0, 10.0, 4, 0.3) > min(slo, 1e9)


def test_replicas_for_ttft_slo_edges():
    assert replicas_for_ttft_slo(0.0, 10.0, 4, 0.3, 0.2) == 0.0
    assert replicas_for_ttft_slo(0.0, 10.0, 4, 0.3, 0.2, min_replicas=2) == 2.0
    assert replicas_for_ttft_slo(2.0, 10.0, 4, 0.3, 0.3) == replicas_for_ttft_slo(
        2.0, 10.0, 4, 0.0, 0.0
    )
    assert replicas_for_ttft_slo(2.0, 10.0, 4, 0.3, 1.0, min_replicas=30) == 30.0
    assert replicas_for_ttft_slo(2.0, 10.0, 4, 0.5, 0.4, min_replicas=30) == np.inf


def test_two_dimensional_broadcasting():
    peak = np.array([[1.0, 5.0, 20.0], [2.0, 10.0, 40.0]])  # (n_scenarios, n_months)
    slo = np.array([[2.0], [0.5]])
    out = replicas_for_ttft_slo(peak, 8.0, 16, 0.2, slo)
    assert out.shape == (2, 3)
    for idx in np.ndindex(out.shape):
        assert out[idx] == replicas_for_ttft_slo(peak[idx], 8.0, 16, 0.2, slo[idx[0], 0])


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match=r"servers must be a whole number; got 1\.5"):
        erlang_c(1.5, 1.0)
    with pytest.raises(ValueError, match="offered_load must be a number >= 0"):
        erlang_c(2, -1.0)
    with pytest.raises(ValueError, match="service_rate_per_s must be a finite number > 0"):
        mean_wait_s(2, 1.0, 0.0)
    with pytest.raises(ValueError, match="arrival_rate_per_s"):
        wait_quantile_s(2, np.nan, 1.0)
    with pytest.raises(ValueError, match="quantile must lie in"):
        wait_quantile_s(2, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="max_wait_s"):
        servers_for_wait_slo(1.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="min_servers must be a whole number"):
        servers_for_wait_slo(1.0, 1.0, 1.0, min_servers=0.5)
    with pytest.raises(ValueError, match="ttft_slo_s"):
        replicas_for_ttft_slo(1.0, 1.0, 4, 0.1, -0.5)
    with pytest.raises(ValueError, match="request_duration_s"):
        replicas_for_ttft_slo(1.0, 0.0, 4, 0.1, 0.5)


# --------------------------------------------------------------------------- properties

servers_st = st.integers(min_value=1, max_value=3000)
load_st = st.floats(min_value=0.0, max_value=4000.0, allow_nan=False)
small_load_st = st.floats(min_value=0.0, max_value=300.0, allow_nan=False)
rate_st = st.floats(min_value=0.01, max_value=100.0, allow_nan=False)
wait_st = st.floats(min_value=0.0, max_value=60.0, allow_nan=False)
quantile_st = st.floats(min_value=0.0, max_value=0.999, allow_nan=False)


@given(servers_st, load_st)
def test_erlang_c_is_a_probability_matching_the_formula(c, a):
    value = erlang_c(c, a)
    assert 0.0 <= value <= 1.0
    assert value == pytest.approx(erlang_c_reference(c, a), rel=1e-9, abs=1e-300)


@given(servers_st, load_st)
def test_more_servers_never_more_waiting(c, a):
    assert erlang_c(c + 1, a) <= erlang_c(c, a) * (1 + 1e-12)
    mu = 1.0
    assert mean_wait_s(c + 1, a, mu) <= mean_wait_s(c, a, mu) * (1 + 1e-12)
    assert wait_quantile_s(c + 1, a, mu) <= wait_quantile_s(c, a, mu) * (1 + 1e-12)


@given(
    st.floats(min_value=0.0, max_value=500.0), rate_st, wait_st, wait_st, quantile_st, quantile_st
)
def test_tighter_slo_never_fewer_servers(lam, mu, wait_a, wait_b, q_a, q_b):
    loose, tight = max(wait_a, wait_b), min(wait_a, wait_b)
    low_q, high_q = min(q_a, q_b), max(q_a, q_b)
    assert servers_for_wait_slo(lam, mu, tight, low_q) >= servers_for_wait_slo(
        lam, mu, loose, low_q
    )
    assert servers_for_wait_slo(lam, mu, tight, high_q) >= servers_for_wait_slo(
        lam, mu, tight, low_q
    )


@given(
    st.floats(min_value=0.01, max_value=200.0),
    st.floats(min_value=0.1, max_value=60.0),
    st.integers(min_value=1, max_value=256),
    st.floats(min_value=0.0, max_value=2.0),
    st.floats(min_value=0.0, max_value=10.0),
    st.floats(min_value=0.0, max_value=10.0),
)
def test_tighter_ttft_slo_never_fewer_replicas(peak, duration, slots, prefill, slo_a, slo_b):
    loose, tight = max(slo_a, slo_b), min(slo_a, slo_b)
    r_loose = replicas_for_ttft_slo(peak, duration, slots, prefill, loose)
    r_tight = replicas_for_ttft_slo(peak, duration, slots, prefill, tight)
    assert r_tight >= r_loose
    if np.isfinite(r_tight):
        assert ttft_quantile_s(r_tight, peak, duration, slots, prefill) <= tight
        if r_tight > 1:
            assert ttft_quantile_s(r_tight - 1, peak, duration, slots, prefill) > tight
    else:
        assert prefill > tight


@given(st.floats(min_value=0.0, max_value=500.0), rate_st, wait_st, quantile_st)
def test_sized_pool_meets_the_slo_and_one_fewer_does_not(lam, mu, max_wait, q):
    c = servers_for_wait_slo(lam, mu, max_wait, q, min_servers=0)
    assert wait_quantile_s(c, lam, mu, q) <= max_wait
    if c > 0:
        assert wait_quantile_s(c - 1, lam, mu, q) > max_wait


@given(
    st.lists(
        st.tuples(servers_st, small_load_st, rate_st, wait_st, quantile_st), min_size=1, max_size=8
    )
)
def test_vectorized_equals_scalar(rows):
    c, a, mu, w, q = (np.array(col) for col in zip(*rows, strict=True))
    lam = a * mu
    vector_c = erlang_c(c, a)
    vector_wait = wait_quantile_s(c, lam, mu, q)
    vector_servers = servers_for_wait_slo(lam, mu, w, q)
    for i in range(len(rows)):
        assert vector_c[i] == erlang_c(c[i], a[i])
        assert vector_wait[i] == wait_quantile_s(c[i], lam[i], mu[i], q[i])
        assert vector_servers[i] == servers_for_wait_slo(lam[i], mu[i], w[i], q[i])
