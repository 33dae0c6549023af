import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco import cost_per_success
from llmtco.engine import expected_attempts
from strategies import probability

attempts = st.integers(min_value=1, max_value=20)
usd = st.floats(min_value=0.0, max_value=1e3)


def test_expected_attempts_hand_cases():
    assert expected_attempts(0.5, 3) == pytest.approx(1.75)  # 1 + 0.5 + 0.25
    assert expected_attempts(1.0, 5) == 1.0
    assert expected_attempts(0.0, 5) == 5.0
    assert expected_attempts(0.3, np.inf) == pytest.approx(1 / 0.3)


def test_cost_per_success_without_human():
    # E[cost] = c (1 - q^n) / p, P = 1 - q^n: the ratio is c / p whatever n is.
    assert cost_per_success(1.0, 0.5) == pytest.approx(2.0)
    assert cost_per_success(1.0, 0.5, max_attempts=3) == pytest.approx(2.0)
    assert cost_per_success(0.10, 1.0) == pytest.approx(0.10)
    assert cost_per_success(0.10, 0.0, max_attempts=5) == math.inf


def test_cost_per_success_with_human():
    # c = 1, p = 0.5, n = 2, h = 10: E = 1 x 1.5 + 0.25 x 10 = 4.0; every task succeeds.
    assert cost_per_success(1.0, 0.5, max_attempts=2, human_cost=10.0) == pytest.approx(4.0)
    # p = 0: every attempt fails, then the human: n c + h.
    assert cost_per_success(0.01, 0.0, max_attempts=5, human_cost=2.0) == pytest.approx(2.05)
    # p = 1: the first attempt succeeds, the human is never called.
    assert cost_per_success(0.3, 1.0, max_attempts=5, human_cost=100.0) == pytest.approx(0.3)


def test_article_001_cheap_model_with_retries_and_human():
    # A 7B model ten times cheaper per run that fails five times and needs a human, against a
    # 70B model that succeeds first time.
    cheap = cost_per_success(0.002, 0.0, max_attempts=5, human_cost=1.0)
    frontier = cost_per_success(0.02, 1.0)
    assert cheap == pytest.approx(1.01)
    assert cheap > frontier


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"p_success must lie in \[0.0, 1.0\]"):
        cost_per_success(1.0, 1.5)
    with pytest.raises(ValueError, match="max_attempts must be a whole number >= 1"):
        cost_per_success(1.0, 0.5, max_attempts=0)
    with pytest.raises(ValueError, match="max_attempts must be a whole number >= 1"):
        cost_per_success(1.0, 0.5, max_attempts=2.5)
    with pytest.raises(ValueError, match="human_cost must be a finite number >= 0"):
        cost_per_success(1.0, 0.5, human_cost=-1.0)


@given(usd, probability, attempts, usd)
def test_matches_the_closed_form(c, p, n, h):
    q = 1 - p
    expected_cost = c * sum(q**k for k in range(n)) + q**n * h
    assert cost_per_success(c, p, n, h) == pytest.approx(expected_cost, rel=1e-9, abs=1e-12)
    if p > 0:
        solved = 1 - q**n
        assume_ok = solved > 1e-12
        if assume_ok:
            no_human = c * sum(q**k for k in range(n)) / solved
            assert cost_per_success(c, p, n) == pytest.approx(no_human, rel=1e-6)


@given(usd, probability, attempts, usd, st.floats(0, 100))
def test_non_negative_and_monotone_in_costs(c, p, n, h, extra):
    base = cost_per_success(c, p, n, h)
    assert base >= 0
    assert cost_per_success(c + extra, p, n, h) >= base
    assert cost_per_success(c, p, n, h + extra) >= base


@given(usd, st.floats(0.01, 1.0), attempts, usd, st.floats(0.01, 100))
def test_scale_invariance(c, p, n, h, k):
    assert cost_per_success(k * c, p, n, k * h) == pytest.approx(
        k * cost_per_success(c, p, n, h), rel=1e-9, abs=1e-12
    )


@given(st.lists(st.tuples(usd, probability, attempts, usd), min_size=1, max_size=20))
def test_vectorized_equals_scalar(rows):
    c, p, n, h = (np.array(col, dtype=float) for col in zip(*rows, strict=True))
    vector = cost_per_success(c, p, n, h)
    np.testing.assert_allclose(vector, [cost_per_success(*r) for r in rows], rtol=1e-12)
    vector_no_human = cost_per_success(c, p, n)
    np.testing.assert_allclose(
        vector_no_human, [cost_per_success(*r[:3]) for r in rows], rtol=1e-12
    )


def test_scalar_in_scalar_out():
    assert isinstance(cost_per_success(1.0, 0.5), float)
