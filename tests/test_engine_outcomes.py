import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco import cost_per_success
from llmtco.engine import cascade_cost, cascade_reach, expected_attempts, retry_cost
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


# --- retry_cost, cascade_cost, cascade_reach -------------------------------------------------

small_usd = st.floats(min_value=0.0, max_value=10.0)


def _retry_kwargs(draw_tuple):
    c, p, n, s, f, v, h, hs, fa = draw_tuple
    return {
        "cost_per_attempt": c,
        "p_success": p,
        "max_attempts": n,
        "hard_share": s,
        "false_accept_rate": f,
        "verify_cost": v,
        "human_cost": h,
        "human_success": hs,
        "false_accept_cost": fa,
    }


retry_args = st.tuples(
    small_usd,
    probability,
    attempts,
    probability,
    probability,
    small_usd,
    st.one_of(st.none(), small_usd),
    probability,
    small_usd,
)


def test_retry_cost_reduces_to_the_simple_model():
    # c = 0.01, p = 0.5, n = 3, h = 2: E[attempts] = 1 + 0.5 + 0.25 = 1.75, P(esc) = 0.125,
    # E[cost] = 0.0175 + 0.25 = 0.2675, everything succeeds thanks to the human.
    out = retry_cost(0.01, 0.5, 3, human_cost=2.0)
    assert out.cost_usd == pytest.approx(0.2675)
    assert out.attempts == pytest.approx(1.75)
    assert out.p_escalated == pytest.approx(0.125)
    assert out.p_success == pytest.approx(1.0)
    assert out.p_false_accept == 0.0
    assert out.cost_per_success_usd == pytest.approx(0.2675)


def test_retry_cost_hard_cases():
    # A fifth of requests are hard: they use all 3 attempts (0.03 USD) and go to the human.
    # attempts = 0.8 x 1.75 + 0.2 x 3 = 2.0; P(esc) = 0.8 x 0.125 + 0.2 = 0.3;
    # cost = 2.0 x 0.01 + 0.3 x 2 = 0.62.
    out = retry_cost(0.01, 0.5, 3, hard_share=0.2, human_cost=2.0)
    assert out.attempts == pytest.approx(2.0)
    assert out.p_escalated == pytest.approx(0.3)
    assert out.cost_usd == pytest.approx(0.62)
    # Without a human the hard fifth stays unresolved: success = 0.8 x (1 - 0.125) = 0.7.
    alone = retry_cost(0.01, 0.5, 3, hard_share=0.2)
    assert alone.p_success == pytest.approx(0.7)
    assert alone.cost_usd == pytest.approx(0.02)
    assert alone.cost_per_success_usd == pytest.approx(0.02 / 0.7)


def test_retry_cost_false_accepts_fallible_human():
    # c = 1, v = 0.5, p = 0.5, n = 2, f = 0.2, hard share 0.25, human 10 right 80%, F = 4.
    # Easy: a = 0.5 + 0.5 x 0.2 = 0.6; E[att] = (1 - 0.4^2) / 0.6 = 1.4; right = 0.7;
    #       false = 1.4 x 0.5 x 0.2 = 0.14; esc = 0.16.
    # Hard: a = 0.2; E[att] = (1 - 0.8^2) / 0.2 = 1.8; right = 0; false = 0.36; esc = 0.64.
    # Mix 3:1: attempts 1.5, right 0.525, false 0.195, esc 0.28.
    # cost = 1.5 x 1.5 + 0.28 x 10 + 0.195 x 4 = 2.25 + 2.8 + 0.78 = 5.83
    # success = 0.525 + 0.28 x 0.8 = 0.749.
    kwargs = {
        "hard_share": 0.25,
        "false_accept_rate": 0.2,
        "verify_cost": 0.5,
        "false_accept_cost": 4.0,
    }
    out = retry_cost(1.0, 0.5, 2, human_cost=10.0, human_success=0.8, **kwargs)
    assert out.attempts == pytest.approx(1.5)
    assert out.p_false_accept == pytest.approx(0.195)
    assert out.p_escalated == pytest.approx(0.28)
    assert out.cost_usd == pytest.approx(5.83)
    assert out.p_success == pytest.approx(0.749)
    # No human: the escalated 28% cost nothing more and stay unresolved.
    alone = retry_cost(1.0, 0.5, 2, **kwargs)
    assert alone.cost_usd == pytest.approx(3.03)
    assert alone.p_success == pytest.approx(0.525)


def test_retry_cost_unlimited_attempts():
    # n = inf, p = 0.25, f = 0: E[attempts] = 1 / 0.25, nothing escalates.
    out = retry_cost(1.0, 0.25, np.inf, human_cost=100.0)
    assert out.attempts == pytest.approx(4.0)
    assert out.p_escalated == 0.0
    assert out.cost_usd == pytest.approx(4.0)
    # Half the requests are hard and the verifier lets half the wrong answers through.
    # Easy: a = 0.25 + 0.75 x 0.5 = 0.625, E = 1 / 0.625 = 1.6, right = 1.6 x 0.25 = 0.4,
    # false = 0.6. Hard: a = 0.5, E = 2, false = 1. Mix 1:1: attempts 1.8, right 0.2,
    # false 0.8, and nothing escalates.
    out = retry_cost(1.0, 0.25, np.inf, hard_share=0.5, false_accept_rate=0.5)
    assert out.attempts == pytest.approx(1.8)
    assert out.p_success == pytest.approx(0.2)
    assert out.p_false_accept == pytest.approx(0.8)
    assert out.p_escalated == 0.0


def test_retry_cost_endless_retries_raise():
    with pytest.raises(ValueError, match="max_attempts is inf but some requests are never"):
        retry_cost(1.0, 0.5, np.inf, hard_share=0.1)
    with pytest.raises(ValueError, match="max_attempts is inf"):
        retry_cost(1.0, [0.5, 0.0], np.inf)
    # A share of 0 hard cases, or a verifier that lets some through, is fine.
    assert retry_cost(1.0, 0.5, np.inf, hard_share=0.0).attempts == pytest.approx(2.0)
    assert retry_cost(1.0, 0.0, np.inf, hard_share=1.0, false_accept_rate=0.5).attempts == (
        pytest.approx(2.0)
    )
    # p = 0 only on the easy share, which is empty: no endless retries.
    assert retry_cost(1.0, 0.0, np.inf, hard_share=1.0, false_accept_rate=0.25).attempts == (
        pytest.approx(4.0)
    )


def test_retry_cost_bad_inputs():
    cases = [
        ({"cost_per_attempt": -1.0}, "cost_per_attempt must be a finite number >= 0"),
        ({"p_success": 1.5}, r"p_success must lie in \[0.0, 1.0\]"),
        ({"max_attempts": 0}, "max_attempts must be a whole number >= 1"),
        ({"hard_share": -0.1}, r"hard_share must lie in \[0.0, 1.0\]"),
        ({"false_accept_rate": 2.0}, r"false_accept_rate must lie in \[0.0, 1.0\]"),
        ({"verify_cost": np.nan}, "verify_cost must be a finite number >= 0"),
        ({"human_cost": -1.0}, "human_cost must be a finite number >= 0"),
        ({"human_success": 1.1}, r"human_success must lie in \[0.0, 1.0\]"),
        ({"false_accept_cost": np.inf}, "false_accept_cost must be a finite number >= 0"),
        ({"p_success": "x"}, "p_success must be a number or an array of numbers"),
    ]
    base = {"cost_per_attempt": 1.0, "p_success": 0.5}
    for change, message in cases:
        with pytest.raises(ValueError, match=message):
            retry_cost(**{**base, **change})


@given(usd, st.floats(1e-6, 1.0), attempts, usd)
def test_retry_cost_matches_economics_formula(c, p, n, h):
    # economics.md: E[cost] = c (1 - (1-p)^n) / p + (1-p)^n h, P(success) = 1 with a human.
    out = retry_cost(c, p, n, human_cost=h)
    expected = c * (1 - (1 - p) ** n) / p + (1 - p) ** n * h
    assert out.cost_usd == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert out.p_success == pytest.approx(1.0)
    assert out.cost_per_success_usd == pytest.approx(
        cost_per_success(c, p, n, h), rel=1e-9, abs=1e-12
    )
    alone = retry_cost(c, p, n)
    assert alone.p_success == pytest.approx(1 - (1 - p) ** n, rel=1e-9, abs=1e-15)
    assert alone.cost_per_success_usd == pytest.approx(cost_per_success(c, p, n), rel=1e-9)


@given(retry_args)
def test_retry_cost_probabilities_add_up(args):
    kwargs = _retry_kwargs(args)
    out = retry_cost(**kwargs)
    for value in (out.p_success, out.p_false_accept, out.p_escalated):
        assert 0.0 <= value <= 1.0
    assert out.cost_usd >= 0.0
    assert 1.0 - 1e-12 <= out.attempts <= kwargs["max_attempts"] + 1e-12
    human_fails = (1.0 - kwargs["human_success"]) if kwargs["human_cost"] is not None else 1.0
    total = out.p_success + out.p_false_accept + out.p_escalated * human_fails
    assert total == pytest.approx(1.0, abs=1e-12)


@given(retry_args, st.floats(0.0, 100.0))
def test_retry_cost_monotone(args, extra):
    kwargs = _retry_kwargs(args)
    base = retry_cost(**kwargs)
    if kwargs["human_cost"] is None:
        # More attempts never lower success without a human.
        more = retry_cost(**{**kwargs, "max_attempts": kwargs["max_attempts"] + 1})
        assert more.p_success >= base.p_success - 1e-12
    else:
        dearer = retry_cost(**{**kwargs, "human_cost": kwargs["human_cost"] + extra})
        assert dearer.cost_usd >= base.cost_usd
        assert dearer.p_success == base.p_success
    pricier = retry_cost(**{**kwargs, "cost_per_attempt": kwargs["cost_per_attempt"] + extra})
    assert pricier.cost_usd >= base.cost_usd


@given(retry_args, st.floats(0.01, 100.0))
def test_retry_cost_scale_invariance(args, k):
    kwargs = _retry_kwargs(args)
    scaled = {
        name: (value * k if name.endswith("cost") or name == "cost_per_attempt" else value)
        for name, value in kwargs.items()
        if value is not None
    }
    base, big = retry_cost(**kwargs), retry_cost(**scaled)
    assert big.cost_usd == pytest.approx(k * base.cost_usd, rel=1e-9, abs=1e-12)
    for field in ("p_success", "p_false_accept", "p_escalated", "attempts"):
        assert getattr(big, field) == getattr(base, field)


@given(st.lists(retry_args, min_size=1, max_size=12), st.booleans())
def test_retry_cost_vectorized_equals_scalar(rows, with_human):
    columns = [
        np.array(col, dtype=float) for col in zip(*(r[:6] + r[7:] for r in rows), strict=True)
    ]
    c, p, n, s, f, v, hs, fa = columns
    h = np.array([r[6] if r[6] is not None else 1.0 for r in rows]) if with_human else None
    vector = retry_cost(
        c,
        p,
        n,
        hard_share=s,
        false_accept_rate=f,
        verify_cost=v,
        human_cost=h,
        human_success=hs,
        false_accept_cost=fa,
    )
    for i in range(len(rows)):
        scalar = retry_cost(
            c[i],
            p[i],
            n[i],
            hard_share=s[i],
            false_accept_rate=f[i],
            verify_cost=v[i],
            human_cost=None if h is None else h[i],
            human_success=hs[i],
            false_accept_cost=fa[i],
        )
        for field in ("cost_usd", "p_success", "p_false_accept", "p_escalated", "attempts"):
            assert getattr(vector, field)[i] == pytest.approx(
                getattr(scalar, field), rel=1e-12, abs=1e-15
            )


def test_retry_cost_broadcasts_every_field():
    out = retry_cost([1.0, 2.0], 0.5, [[1], [2], [3]])
    for field in ("cost_usd", "p_success", "p_false_accept", "p_escalated", "attempts"):
        assert np.shape(getattr(out, field)) == (3, 2)
    assert isinstance(retry_cost(1.0, 0.5).cost_usd, float)
    assert isinstance(retry_cost(1.0, 0.5).p_false_accept, float)


def test_cascade_two_stages_by_hand():
    # c = (0.01, 0.1), v = (0.002, 0.01), a = (0.6, 0.5), q = (0.9, 0.98), human 5 right 90%,
    # false accept 2 USD. P(reach) = 1, 0.4, then 0.2 to the human; attempts = 1.4.
    # model = 0.012 + 0.4 x 0.11 = 0.056; human = 0.2 x 5 = 1.0;
    # false = 0.6 x 0.1 + 0.4 x 0.5 x 0.02 = 0.064, costing 0.128; total 1.184.
    # success = 0.6 x 0.9 + 0.4 x 0.5 x 0.98 + 0.2 x 0.9 = 0.54 + 0.196 + 0.18 = 0.916.
    out = cascade_cost(
        [0.01, 0.1],
        [0.002, 0.01],
        [0.6, 0.5],
        [0.9, 0.98],
        5.0,
        human_success=0.9,
        false_accept_cost=2.0,
    )
    assert out.attempts == pytest.approx(1.4)
    assert out.p_escalated == pytest.approx(0.2)
    assert out.p_false_accept == pytest.approx(0.064)
    assert out.cost_usd == pytest.approx(1.184)
    assert out.p_success == pytest.approx(0.916)
    assert out.cost_per_success_usd == pytest.approx(1.184 / 0.916)


def test_cascade_three_stages_by_hand():
    # c = (1, 2, 4), v = (0.5, 0.5, 0), a = (0.5, 0.6, 0.75), q = (0.8, 0.9, 1.0), no human.
    # P(reach) = 1, 0.5, 0.2, escalated 0.05; attempts 1.7.
    # cost = 1.5 + 0.5 x 2.5 + 0.2 x 4 = 3.55
    # success = 0.5 x 0.8 + 0.5 x 0.6 x 0.9 + 0.2 x 0.75 = 0.4 + 0.27 + 0.15 = 0.82
    # false = 0.5 x 0.2 + 0.5 x 0.6 x 0.1 = 0.13; 0.82 + 0.13 + 0.05 = 1.
    out = cascade_cost((1.0, 2.0, 4.0), (0.5, 0.5, 0.0), (0.5, 0.6, 0.75), (0.8, 0.9, 1.0))
    assert out.attempts == pytest.approx(1.7)
    assert out.cost_usd == pytest.approx(3.55)
    assert out.p_success == pytest.approx(0.82)
    assert out.p_false_accept == pytest.approx(0.13)
    assert out.p_escalated == pytest.approx(0.05)
    np.testing.assert_allclose(cascade_reach((0.5, 0.6, 0.75)), [1.0, 0.5, 0.2, 0.05])
    # A human at 10 now handles the 5%: +0.5 USD, +0.05 success.
    human = cascade_cost((1.0, 2.0, 4.0), (0.5, 0.5, 0.0), (0.5, 0.6, 0.75), (0.8, 0.9, 1.0), 10)
    assert human.cost_usd == pytest.approx(4.05)
    assert human.p_success == pytest.approx(0.87)


def test_cascade_stage_axis_first_and_broadcasting():
    # Two scenarios in the columns; the stage axis is first.
    accept = np.array([[0.5, 0.9], [1.0, 1.0]])
    out = cascade_cost(np.array([[1.0, 1.0], [3.0, 3.0]]), [0.0, 0.0], accept, [[1.0], [0.5]])
    assert np.shape(out.cost_usd) == (2,)
    np.testing.assert_allclose(out.cost_usd, [2.5, 1.3])
    np.testing.assert_allclose(out.p_success, [0.75, 0.95])
    assert cascade_reach(accept).shape == (3, 2)
    # Lists of arrays broadcast together: costs per scenario (3,), acceptance per stage scalar.
    out = cascade_cost([np.array([1.0, 2.0, 3.0]), 10.0], [0.0, 0.0], [0.5, 1.0], [1.0, 1.0])
    np.testing.assert_allclose(out.cost_usd, [6.0, 7.0, 8.0])
    np.testing.assert_allclose(out.p_success, [1.0, 1.0, 1.0])
    assert isinstance(cascade_cost([1.0], [0.0], [1.0], [1.0]).cost_usd, float)


def test_cascade_bad_inputs():
    with pytest.raises(ValueError, match="verify_cost has 1 stages but cost has 2"):
        cascade_cost([1.0, 2.0], [0.0], [0.5, 1.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="correct has 3 stages but cost has 2"):
        cascade_cost([1.0, 2.0], [0.0, 0.0], [0.5, 1.0], [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="cost must be a sequence over stages"):
        cascade_cost(1.0, [0.0], [0.5], [1.0])
    with pytest.raises(ValueError, match="cost must have at least one stage"):
        cascade_cost([], [], [], [])
    with pytest.raises(ValueError, match="accept must have at least one stage"):
        cascade_reach(np.zeros((0, 3)))
    with pytest.raises(ValueError, match=r"accept must lie in \[0.0, 1.0\]"):
        cascade_cost([1.0], [0.0], [1.5], [1.0])
    with pytest.raises(ValueError, match=r"correct must lie in \[0.0, 1.0\]"):
        cascade_cost([1.0], [0.0], [0.5], [-0.5])
    with pytest.raises(ValueError, match="verify_cost must be a finite number >= 0"):
        cascade_cost([1.0], [-1.0], [0.5], [1.0])
    with pytest.raises(ValueError, match="human_cost must be a finite number >= 0"):
        cascade_cost([1.0], [0.0], [0.5], [1.0], -1.0)
    with pytest.raises(ValueError, match=r"human_success must lie in \[0.0, 1.0\]"):
        cascade_cost([1.0], [0.0], [0.5], [1.0], 1.0, human_success=2.0)
    with pytest.raises(ValueError, match="false_accept_cost must be a finite number >= 0"):
        cascade_cost([1.0], [0.0], [0.5], [1.0], false_accept_cost=-2.0)
    with pytest.raises(ValueError, match=r"accept must lie in \[0.0, 1.0\]"):
        cascade_reach([0.5, np.nan])
    with pytest.raises(ValueError, match="accept must be a sequence over stages"):
        cascade_reach(0.5)


stage = st.tuples(small_usd, small_usd, probability, probability)
stages = st.lists(stage, min_size=1, max_size=5)


def _cascade(rows, human, human_success=1.0, false_accept_cost=0.0):
    c, v, a, q = (list(col) for col in zip(*rows, strict=True))
    return cascade_cost(
        c, v, a, q, human, human_success=human_success, false_accept_cost=false_accept_cost
    )


@given(stages, st.one_of(st.none(), small_usd), probability, small_usd)
def test_cascade_invariants(rows, human, human_success, false_accept_cost):
    out = _cascade(rows, human, human_success, false_accept_cost)
    for value in (out.p_success, out.p_false_accept, out.p_escalated):
        assert 0.0 <= value <= 1.0
    assert out.cost_usd >= 0.0
    assert 1.0 <= out.attempts <= len(rows) + 1e-12
    human_fails = 1.0 - human_success if human is not None else 1.0
    total = out.p_success + out.p_false_accept + out.p_escalated * human_fails
    assert total == pytest.approx(1.0, abs=1e-12)
    reach = cascade_reach([r[2] for r in rows])
    assert reach.shape == (len(rows) + 1,)
    assert np.all(np.diff(reach) <= 0)
    assert out.attempts == pytest.approx(reach[:-1].sum(), rel=1e-12)
    assert out.p_escalated == pytest.approx(reach[-1], rel=1e-12, abs=1e-300)


@given(stages, small_usd, st.floats(0.0, 100.0), st.floats(0.01, 100.0))
def test_cascade_monotone_and_scale_invariant(rows, human, extra, k):
    base = _cascade(rows, human, 0.9, 1.0)
    assert _cascade(rows, human + extra, 0.9, 1.0).cost_usd >= base.cost_usd
    scaled_rows = [(k * c, k * v, a, q) for c, v, a, q in rows]
    big = _cascade(scaled_rows, k * human, 0.9, k * 1.0)
    assert big.cost_usd == pytest.approx(k * base.cost_usd, rel=1e-9, abs=1e-12)
    for field in ("p_success", "p_false_accept", "p_escalated", "attempts"):
        assert getattr(big, field) == getattr(base, field)


@given(st.lists(stages.filter(lambda s: len(s) == 3), min_size=1, max_size=8), small_usd)
def test_cascade_vectorized_equals_scalar(scenarios, human):
    # Stage axis first, scenarios on the second axis.
    arrays = [np.array([[row[j][i] for row in scenarios] for j in range(3)]) for i in range(4)]
    vector = cascade_cost(*arrays, human, human_success=0.7, false_accept_cost=3.0)
    for i, rows in enumerate(scenarios):
        scalar = _cascade(rows, human, 0.7, 3.0)
        for field in ("cost_usd", "p_success", "p_false_accept", "p_escalated", "attempts"):
            assert getattr(vector, field)[i] == pytest.approx(
                getattr(scalar, field), rel=1e-12, abs=1e-15
            )


@given(
    small_usd,
    small_usd,
    probability,
    st.floats(0.0, 0.9),
    st.integers(1, 8),
    st.one_of(st.none(), small_usd),
    probability,
    small_usd,
)
def test_identical_stages_equal_retries(c, v, p, f, n, human, human_success, false_accept_cost):
    # n retries of one model are a cascade of n identical stages with a = p + (1-p) f and
    # q = p / a (the share of accepted answers that are right).
    a = p + (1 - p) * f
    q = p / a if a > 0 else 0.0
    cascade = _cascade([(c, v, a, q)] * n, human, human_success, false_accept_cost)
    retry = retry_cost(
        c,
        p,
        n,
        false_accept_rate=f,
        verify_cost=v,
        human_cost=human,
        human_success=human_success,
        false_accept_cost=false_accept_cost,
    )
    for field in ("cost_usd", "p_success", "p_false_accept", "p_escalated", "attempts"):
        assert getattr(cascade, field) == pytest.approx(
            getattr(retry, field), rel=1e-9, abs=1e-12
        ), field


# --- request-level Monte Carlo --------------------------------------------------------------

N_REQUESTS = 1_000_000


def _close(simulated, expected):
    """Mean of per-request values within 4 standard errors of the formula."""
    standard_error = simulated.std(ddof=1) / np.sqrt(simulated.size)
    assert abs(simulated.mean() - expected) <= 4 * standard_error + 1e-12, (
        simulated.mean(),
        expected,
        standard_error,
    )


def test_retry_cost_matches_simulation():
    c, v, p, n, hard_share, f = 0.01, 0.002, 0.6, 3, 0.15, 0.1
    human, human_success, false_usd = 1.5, 0.9, 0.5
    rng = np.random.default_rng(20260101)
    hard = rng.random(N_REQUESTS) < hard_share
    cost = np.zeros(N_REQUESTS)
    calls = np.zeros(N_REQUESTS)
    done = np.zeros(N_REQUESTS, dtype=bool)
    right = np.zeros(N_REQUESTS, dtype=bool)
    false_accept = np.zeros(N_REQUESTS, dtype=bool)
    for _ in range(n):
        active = ~done
        cost[active] += c + v
        calls[active] += 1
        is_right = ~hard & (rng.random(N_REQUESTS) < p)
        accepted = active & (is_right | (rng.random(N_REQUESTS) < f))
        right |= accepted & is_right
        false_accept |= accepted & ~is_right
        done |= accepted
    escalated = ~done
    cost[escalated] += human
    human_right = escalated & (rng.random(N_REQUESTS) < human_success)
    cost[false_accept] += false_usd

    out = retry_cost(
        c,
        p,
        n,
        hard_share=hard_share,
        false_accept_rate=f,
        verify_cost=v,
        human_cost=human,
        human_success=human_success,
        false_accept_cost=false_usd,
    )
    _close(cost, out.cost_usd)
    _close((right | human_right).astype(float), out.p_success)
    _close(false_accept.astype(float), out.p_false_accept)
    _close(escalated.astype(float), out.p_escalated)
    _close(calls, out.attempts)


def test_cascade_cost_matches_simulation():
    # Three stages; each answer is right with p_k and the verifier accepts a right answer with
    # tpr_k and a wrong one with fpr_k, so a_k = p tpr + (1-p) fpr and q_k = p tpr / a_k.
    c = np.array([0.001, 0.01, 0.05])
    v = np.array([0.0005, 0.001, 0.002])
    p = np.array([0.55, 0.7, 0.9])
    tpr = np.array([0.85, 0.9, 0.95])
    fpr = np.array([0.2, 0.15, 0.1])
    human, human_success, false_usd = 2.0, 0.95, 0.8
    rng = np.random.default_rng(7)
    cost = np.zeros(N_REQUESTS)
    calls = np.zeros(N_REQUESTS)
    done = np.zeros(N_REQUESTS, dtype=bool)
    right = np.zeros(N_REQUESTS, dtype=bool)
    false_accept = np.zeros(N_REQUESTS, dtype=bool)
    for k in range(3):
        active = ~done
        cost[active] += c[k] + v[k]
        calls[active] += 1
        is_right = rng.random(N_REQUESTS) < p[k]
        accept_rate = np.where(is_right, tpr[k], fpr[k])
        accepted = active & (rng.random(N_REQUESTS) < accept_rate)
        right |= accepted & is_right
        false_accept |= accepted & ~is_right
        done |= accepted
    escalated = ~done
    cost[escalated] += human
    human_right = escalated & (rng.random(N_REQUESTS) < human_success)
    cost[false_accept] += false_usd

    a = p * tpr + (1 - p) * fpr
    out = cascade_cost(
        c, v, a, p * tpr / a, human, human_success=human_success, false_accept_cost=false_usd
    )
    _close(cost, out.cost_usd)
    _close((right | human_right).astype(float), out.p_success)
    _close(false_accept.astype(float), out.p_false_accept)
    _close(escalated.astype(float), out.p_escalated)
    _close(calls, out.attempts)
