import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from llmtco.engine import api_cost_usd, blended_usd_per_mtok
from strategies import scale, share, tokens, usd_per_mtok


def test_article_002_one_million_each_way():
    # 1M in + 1M out at 0.15 / 0.60 USD/Mtok = 0.75 USD (seed-claims, article 002).
    assert api_cost_usd(1e6, 1e6, 0, 0.15, 0.60, 0.075) == pytest.approx(0.75)


def test_article_000_gpt4o_daily_bill():
    # 7M input + 3M output per day at 2.50 / 10.00 = 47.50 USD/day.
    assert api_cost_usd(7e6, 3e6, 0, 2.50, 10.00, 1.25) == pytest.approx(47.50)


def test_cached_tokens_billed_at_cached_rate():
    # 1M uncached at 3.00 + 1M cached at 0.30 + 1M out at 15.00.
    assert api_cost_usd(1e6, 1e6, 1e6, 3.0, 15.0, 0.30) == pytest.approx(18.30)


def test_scalar_in_scalar_out_and_array_shape():
    assert isinstance(api_cost_usd(1.0, 1.0, 0.0, 1.0, 1.0, 1.0), float)
    out = api_cost_usd(np.ones((3, 5)) * 1e6, 0, 0, np.array([[1.0], [2.0], [3.0]]), 0, 0)
    assert isinstance(out, np.ndarray)
    assert out.shape == (3, 5)
    np.testing.assert_allclose(out[:, 0], [1.0, 2.0, 3.0])


@pytest.mark.parametrize("arg", [0, 1, 2, 3, 4, 5])
def test_negative_or_nan_input_rejected_with_its_name(arg):
    names = [
        "input_tokens",
        "output_tokens",
        "cached_input_tokens",
        "input_usd_per_mtok",
        "output_usd_per_mtok",
        "cached_input_usd_per_mtok",
    ]
    for bad in (-1.0, float("nan")):
        args = [1.0] * 6
        args[arg] = bad
        with pytest.raises(ValueError, match=names[arg]):
            api_cost_usd(*args)


def test_blended_price_article_000():
    assert blended_usd_per_mtok(0.7, 0.0, 2.50, 10.00, 1.25) == pytest.approx(4.75)


def test_blended_price_with_cache():
    # 80% input of which half cached: 0.4 x 2 + 0.4 x 0.5 + 0.2 x 8 = 2.6
    assert blended_usd_per_mtok(0.8, 0.5, 2.0, 8.0, 0.5) == pytest.approx(2.6)


def test_blended_share_out_of_range():
    with pytest.raises(ValueError, match=r"input_share must lie in \[0.0, 1.0\]"):
        blended_usd_per_mtok(1.2, 0.0, 1, 1, 1)


@given(tokens, tokens, tokens, usd_per_mtok, usd_per_mtok, usd_per_mtok, scale)
def test_linear_in_volume(i, o, c, pi, po, pc, k):
    base = api_cost_usd(i, o, c, pi, po, pc)
    assert base >= 0
    assert api_cost_usd(k * i, k * o, k * c, pi, po, pc) == pytest.approx(k * base, rel=1e-9)


@given(tokens, tokens, tokens, usd_per_mtok, usd_per_mtok, usd_per_mtok, scale)
def test_scaling_prices_scales_cost(i, o, c, pi, po, pc, k):
    base = api_cost_usd(i, o, c, pi, po, pc)
    assert api_cost_usd(i, o, c, k * pi, k * po, k * pc) == pytest.approx(k * base, rel=1e-9)


@given(tokens, tokens, tokens, usd_per_mtok, usd_per_mtok, usd_per_mtok, tokens)
def test_more_volume_never_lowers_the_bill(i, o, c, pi, po, pc, extra):
    base = api_cost_usd(i, o, c, pi, po, pc)
    assert api_cost_usd(i + extra, o, c, pi, po, pc) >= base
    assert api_cost_usd(i, o + extra, c, pi, po, pc) >= base
    assert api_cost_usd(i, o, c + extra, pi, po, pc) >= base


@given(st.lists(st.tuples(tokens, tokens, usd_per_mtok, usd_per_mtok), min_size=1, max_size=20))
def test_vectorized_equals_scalar(rows):
    i, o, pi, po = (np.array(col) for col in zip(*rows, strict=True))
    vector = api_cost_usd(i, o, 0.0, pi, po, 0.0)
    scalar = [api_cost_usd(*row[:2], 0.0, *row[2:], 0.0) for row in rows]
    np.testing.assert_allclose(vector, scalar, rtol=1e-12)


@given(share, share, usd_per_mtok, usd_per_mtok, usd_per_mtok, tokens)
def test_blended_price_times_volume_equals_cost(s_in, s_cached, pi, po, pc, volume):
    blended = blended_usd_per_mtok(s_in, s_cached, pi, po, pc)
    direct = api_cost_usd(
        volume * s_in * (1 - s_cached), volume * (1 - s_in), volume * s_in * s_cached, pi, po, pc
    )
    assert blended * volume / 1e6 == pytest.approx(direct, rel=1e-9, abs=1e-9)
