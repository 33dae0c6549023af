"""Article 003 (SMB guide): per-request API and self-hosting costs, redone with llmtco.

The article prices traffic per request, not per token: an API at 0.01-0.06 USD/request, and
self-hosting at 1,800-3,200 USD/month of GPU plus 0.002 USD/request, with 500-1,500 USD/month of
maintenance mentioned but left out of its totals, and one-time setup of 0-500 USD (API) or
5,000-15,000 USD (self-hosting). Its months are calendar months of billing; no hour count is
needed because every cost is already monthly or per request.

llmtco's engine prices tokens, not requests (it has no per-request price term), so each request
is given a nominal 1,000 tokens and each per-request price is turned into the same price per
1M tokens. Every USD figure is independent of that nominal size.

What this script shows, every figure computed by llmtco:

- 50K requests/month: API 500-3,000 USD/month and self-hosting 1,900-3,300 USD/month are right,
  but the stated maintenance makes self-hosting 2,400-4,800 USD/month;
- 200K requests/month: the published self-hosting range of 2,000-3,400 USD/month is off by
  200 USD; 1,800 + 200,000 x 0.002 = 2,200 and 3,200 + 400 = 3,600 (2,700-5,100 with
  maintenance), against an API bill of 2,000-12,000 USD/month;
- the one-time setup costs fall in month 0, and :func:`llmtco.payback_month` gives when
  self-hosting pays them back in a low, a middle and a high case;
- the rule "stay on the API under 3,000 USD/month, consider self-hosting over 5,000" is set
  against the API bill at the computed break-even, which spans about 2,400-5,900 USD/month over
  the article's own ranges (maintenance included).

Run it with ``python examples/article_003_smb.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from llmtco import break_even_volume, payback_month
from llmtco.engine import api_cost_usd, stepped_cost_usd_per_month

TOKENS_PER_REQUEST = 1_000.0  # nominal; turns per-request prices into USD/Mtok [tokens/request]
TOKENS_PER_MTOK = 1e6
HORIZON_MONTHS = 24  # for the payback cases [months]

# Published inputs.
API_USD_PER_REQUEST = np.array([0.01, 0.06])
GPU_USD_PER_MONTH = np.array([1_800.0, 3_200.0])
SELFHOST_USD_PER_REQUEST = 0.002
MAINTENANCE_USD_PER_MONTH = np.array([500.0, 1_500.0])
API_SETUP_USD = np.array([0.0, 500.0])
SELFHOST_SETUP_USD = np.array([5_000.0, 15_000.0])
RULE_STAY_BELOW_USD_PER_MONTH = 3_000.0
RULE_CONSIDER_ABOVE_USD_PER_MONTH = 5_000.0

# Published results.
PUBLISHED = {
    "api_50k": (500.0, 3_000.0),
    "selfhost_50k": (1_900.0, 3_300.0),
    "selfhost_200k": (2_000.0, 3_400.0),
}


def _usd_per_mtok(usd_per_request: float | np.ndarray) -> float | np.ndarray:
    """A per-request price as a price per 1M tokens of the nominal request [USD/Mtok]."""
    return usd_per_request / TOKENS_PER_REQUEST * TOKENS_PER_MTOK


def _api_usd(requests: float, usd_per_request: float | np.ndarray) -> np.ndarray:
    return np.asarray(
        api_cost_usd(requests * TOKENS_PER_REQUEST, 0.0, 0.0, _usd_per_mtok(usd_per_request), 0, 0)
    )


def _selfhost_usd(requests: float, fixed_usd_per_month: np.ndarray) -> np.ndarray:
    return np.asarray(
        stepped_cost_usd_per_month(
            requests * TOKENS_PER_REQUEST,
            fixed_usd_per_month,
            variable_usd_per_mtok=_usd_per_mtok(SELFHOST_USD_PER_REQUEST),
        )
    )


def _range(values: np.ndarray) -> str:
    return f"{values[0]:,.0f}-{values[1]:,.0f} USD/month"


def _verdict(published: tuple[float, float], computed: np.ndarray) -> str:
    off = computed - np.asarray(published)
    if np.allclose(off, 0.0, atol=0.5):
        return "matches"
    if np.isclose(off[0], off[1]):
        return f"off by {off[0]:+,.0f} USD at both ends"
    return f"off by {off[0]:+,.0f} / {off[1]:+,.0f} USD"


def _print_table(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    table = pd.DataFrame(rows, columns=["claim", "published", "llmtco", "verdict"])
    table = table.apply(lambda column: column.str.ljust(column.str.len().max()))
    print(title)
    print("=" * len(title))
    print(table.to_string(index=False, justify="left"))
    print()


def main() -> dict[str, float]:
    api_50k = _api_usd(50_000, API_USD_PER_REQUEST)
    api_200k = _api_usd(200_000, API_USD_PER_REQUEST)
    self_50k = _selfhost_usd(50_000, GPU_USD_PER_MONTH)
    self_200k = _selfhost_usd(200_000, GPU_USD_PER_MONTH)
    with_maintenance = GPU_USD_PER_MONTH + MAINTENANCE_USD_PER_MONTH
    self_50k_maint = _selfhost_usd(50_000, with_maintenance)
    self_200k_maint = _selfhost_usd(200_000, with_maintenance)

    # Payback of the setup at 200K requests/month in three cases (low, middle, high of every
    # range, each chosen in self-hosting's favour, at the midpoints, and against it).
    api_price = np.array(
        [API_USD_PER_REQUEST[1], API_USD_PER_REQUEST.mean(), API_USD_PER_REQUEST[0]]
    )
    api_setup = np.array([API_SETUP_USD[1], API_SETUP_USD.mean(), API_SETUP_USD[0]])
    self_fixed = np.array([with_maintenance[0], with_maintenance.mean(), with_maintenance[1]])
    self_setup = np.array([SELFHOST_SETUP_USD[0], SELFHOST_SETUP_USD.mean(), SELFHOST_SETUP_USD[1]])
    months = np.zeros((3, HORIZON_MONTHS))
    months[:, 0] = 1.0  # one-time costs fall in month 0
    api_series = _api_usd(200_000, api_price)[:, np.newaxis] + api_setup[:, np.newaxis] * months
    self_series = (
        _selfhost_usd(200_000, self_fixed)[:, np.newaxis] + self_setup[:, np.newaxis] * months
    )
    payback = payback_month(self_series, api_series)
    payback_months = np.asarray(payback.month)

    # The rule of thumb against the API bill at the computed break-even, over the corners of the
    # article's ranges (maintenance included): most and least favourable to self-hosting.
    corner_api = np.array([API_USD_PER_REQUEST[1], API_USD_PER_REQUEST[0]])
    corner_fixed = np.array([with_maintenance[0], with_maintenance[1]])
    break_even_tokens = np.asarray(
        break_even_volume(
            _usd_per_mtok(corner_api),
            corner_fixed,
            variable_usd_per_mtok=_usd_per_mtok(SELFHOST_USD_PER_REQUEST),
        )
    )
    break_even_requests = break_even_tokens / TOKENS_PER_REQUEST
    break_even_bill = np.asarray(
        api_cost_usd(break_even_tokens, 0.0, 0.0, _usd_per_mtok(corner_api), 0, 0)
    )
    rule_inside = (
        break_even_bill[0] <= RULE_STAY_BELOW_USD_PER_MONTH
        and break_even_bill[1] >= RULE_CONSIDER_ABOVE_USD_PER_MONTH
    )

    def payback_text(i: int) -> str:
        if not np.isfinite(payback_months[i]):
            return "never"
        return "at once" if payback_months[i] == 0 else f"{payback_months[i]:.1f} months"

    rows = [
        (
            "50K requests/month, API at 0.01-0.06 USD/request",
            _range(np.asarray(PUBLISHED["api_50k"])),
            _range(api_50k),
            _verdict(PUBLISHED["api_50k"], api_50k),
        ),
        (
            "50K requests/month, self-host GPU + 0.002/request",
            _range(np.asarray(PUBLISHED["selfhost_50k"])),
            _range(self_50k),
            _verdict(PUBLISHED["selfhost_50k"], self_50k)
            + f"; with 500-1,500 maintenance: {_range(self_50k_maint)}",
        ),
        (
            "200K requests/month, self-host GPU + 0.002/request",
            _range(np.asarray(PUBLISHED["selfhost_200k"])),
            _range(self_200k),
            _verdict(PUBLISHED["selfhost_200k"], self_200k)
            + f"; with maintenance: {_range(self_200k_maint)}",
        ),
        (
            "200K requests/month, API at 0.01-0.06 USD/request",
            "-",
            _range(api_200k),
            "not stated in the article",
        ),
        (
            "payback of setup at 200K requests/month",
            "API 0-500, self-host 5,000-15,000 USD",
            " / ".join(payback_text(i) for i in range(3)),
            "favourable / midpoints / unfavourable case, maintenance included",
        ),
        (
            "rule: < 3,000 stay on API, > 5,000 consider self-hosting",
            "3,000 / 5,000 USD/month",
            (
                f"break-even API bill {break_even_bill[0]:,.0f}-{break_even_bill[1]:,.0f} "
                "USD/month "
                f"({break_even_requests[0] / 1e3:,.0f}K-{break_even_requests[1] / 1e3:,.0f}K "
                "requests/month)"
            ),
            "rule of thumb inside the computed band: check your own inputs"
            if rule_inside
            else "rule of thumb outside the computed band",
        ),
    ]
    _print_table("Article 003 (all costs monthly or per request)", rows)

    return {
        "api_usd_per_month_50k_low": float(api_50k[0]),
        "api_usd_per_month_50k_high": float(api_50k[1]),
        "api_usd_per_month_200k_low": float(api_200k[0]),
        "api_usd_per_month_200k_high": float(api_200k[1]),
        "selfhost_usd_per_month_50k_low": float(self_50k[0]),
        "selfhost_usd_per_month_50k_high": float(self_50k[1]),
        "selfhost_usd_per_month_200k_low": float(self_200k[0]),
        "selfhost_usd_per_month_200k_high": float(self_200k[1]),
        "selfhost_with_maintenance_usd_per_month_50k_low": float(self_50k_maint[0]),
        "selfhost_with_maintenance_usd_per_month_50k_high": float(self_50k_maint[1]),
        "selfhost_with_maintenance_usd_per_month_200k_low": float(self_200k_maint[0]),
        "selfhost_with_maintenance_usd_per_month_200k_high": float(self_200k_maint[1]),
        "payback_months_200k_favourable": float(payback_months[0]),
        "payback_months_200k_midpoint": float(payback_months[1]),
        "payback_months_200k_unfavourable": float(payback_months[2]),
        "break_even_requests_per_month_favourable": float(break_even_requests[0]),
        "break_even_requests_per_month_unfavourable": float(break_even_requests[1]),
        "break_even_api_usd_per_month_favourable": float(break_even_bill[0]),
        "break_even_api_usd_per_month_unfavourable": float(break_even_bill[1]),
    }


if __name__ == "__main__":
    main()
