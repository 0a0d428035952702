"""Salaries drawn from a cell's OEWS percentiles, written in the text formats job boards
use ("$120K - $150K a year", "$55/hr", "45,000-60,000 per annum", structured min/max, ...),
with the true annual range beside them."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from bench.synth.config import Taxonomy
from bench.synth.sampling import concat, lookup, plain


def draw_salaries(
    rng: np.random.Generator, tax: Taxonomy, cell: np.ndarray, no_salary_rate: float
) -> dict[str, object]:
    n = len(cell)
    knots = tax.cell_wages[cell]  # (n, 5)
    has_wage = ~np.isnan(knots).any(axis=1)
    q = rng.uniform(0.0, 4.0, size=n)  # position between the five percentile knots
    lo_i = np.minimum(q.astype(int), 3)
    frac = q - lo_i
    rows = np.arange(n)
    base = knots[rows, lo_i] * (1 - frac) + knots[rows, lo_i + 1] * frac
    spread = rng.uniform(0.05, 0.2, size=n)
    a_lo = np.round(base * (1 - spread) / 1000) * 1000
    a_hi = np.round(base * (1 + spread) / 1000) * 1000
    a_hi = np.maximum(a_hi, a_lo + 1000)
    median = knots[:, 2]
    u = rng.random(n)
    hourly = (
        tax.cell_hourly_only[cell]
        | ((median < 55_000) & (u < 0.7))
        | ((median < 85_000) & (u < 0.15))
    )
    h_lo = np.round(a_lo / 2080 * 2) / 2
    h_hi = np.maximum(np.round(a_hi / 2080 * 2) / 2, h_lo + 0.5)

    # Format: 0-7 annual texts, 8-12 hourly texts, 13 none, 14 DOE, 15 Competitive,
    # 16 structured fields.
    kind = rng.random(n)
    fmt = np.where(hourly, rng.integers(8, 13, n), rng.integers(0, 8, n))
    fmt = np.where(kind < no_salary_rate, 13, fmt)
    fmt = np.where((kind >= no_salary_rate) & (kind < no_salary_rate + 0.02), 14, fmt)
    fmt = np.where((kind >= no_salary_rate + 0.02) & (kind < no_salary_rate + 0.03), 15, fmt)
    fmt = np.where((kind >= no_salary_rate + 0.03) & (kind < no_salary_rate + 0.13), 16, fmt)
    fmt = np.where(has_wage, fmt, 13)

    a_lo, a_hi = np.nan_to_num(a_lo), np.nan_to_num(a_hi)  # rows without wages get no salary
    h_lo, h_hi = np.nan_to_num(h_lo), np.nan_to_num(h_hi)
    k_lo, k_hi = (a_lo // 1000).astype(np.int64), (a_hi // 1000).astype(np.int64)
    month_amt = np.round(a_lo / 12 / 10) * 10
    text = np.full(n, "", dtype=object)
    t_min = np.full(n, np.nan)
    t_max = np.full(n, np.nan)

    def money(v: object) -> str:
        return f"{v:,.0f}"

    def cents(v: object) -> str:
        return f"{v:,.2f}"

    def put(f: int, build: Callable[[np.ndarray], pa.Array], lo: np.ndarray, hi: np.ndarray):
        m = fmt == f
        if m.any():
            text[m] = build(m).to_numpy(zero_copy_only=False)
            t_min[m], t_max[m] = lo[m], hi[m]

    nan = np.full(n, np.nan)
    put(
        0,
        lambda m: concat("$", lookup(k_lo[m], str), "K - $", lookup(k_hi[m], str), "K a year"),
        a_lo,
        a_hi,
    )  # noqa: E501
    put(
        1,
        lambda m: concat("$", lookup(a_lo[m], cents), " - $", lookup(a_hi[m], cents), " Per Year"),
        a_lo,
        a_hi,
    )  # noqa: E501
    put(
        2,
        lambda m: concat(lookup(a_lo[m], money), "-", lookup(a_hi[m], money), " per annum"),
        a_lo,
        a_hi,
    )  # noqa: E501
    put(3, lambda m: concat("USD ", lookup(a_lo[m].astype(np.int64), str)), a_lo, a_lo)
    put(4, lambda m: concat("Up to $", lookup(k_hi[m], str), "k"), nan, a_hi)
    put(
        5,
        lambda m: concat("$", lookup(month_amt[m], money), "/month"),
        month_amt * 12,
        month_amt * 12,
    )  # noqa: E501
    put(
        6,
        lambda m: concat("$", lookup(a_lo[m], money), " to $", lookup(a_hi[m], money)),
        a_lo,
        a_hi,
    )  # noqa: E501
    put(7, lambda m: concat(lookup(k_lo[m], str), "k-", lookup(k_hi[m], str), "k"), a_lo, a_hi)
    put(8, lambda m: concat("$", lookup(h_lo[m], plain), "/hr"), h_lo * 2080, h_lo * 2080)  # noqa: E501
    put(
        9,
        lambda m: concat("$", lookup(h_lo[m], cents), " - $", lookup(h_hi[m], cents), " per hour"),
        h_lo * 2080,
        h_hi * 2080,
    )  # noqa: E501
    put(
        10,
        lambda m: concat(lookup(h_lo[m], cents), " - ", lookup(h_hi[m], cents), " hourly"),
        h_lo * 2080,
        h_hi * 2080,
    )  # noqa: E501
    put(11, lambda m: concat("From $", lookup(h_lo[m], plain), " an hour"), h_lo * 2080, nan)  # noqa: E501
    put(
        12,
        lambda m: concat("$", lookup(h_lo[m], cents), "\u2013$", lookup(h_hi[m], cents), "/hour"),
        h_lo * 2080,
        h_hi * 2080,
    )  # noqa: E501
    text[fmt == 14] = "DOE"
    text[fmt == 15] = "Competitive"
    structured = fmt == 16
    s_min = np.full(n, "", dtype=object)
    s_max = np.full(n, "", dtype=object)
    s_period = np.full(n, "", dtype=object)
    s_cur = np.full(n, "", dtype=object)
    if structured.any():
        lo_v = np.where(hourly, h_lo, a_lo)[structured]
        hi_v = np.where(hourly, h_hi, a_hi)[structured]
        s_min[structured] = lookup(lo_v, plain).to_numpy(zero_copy_only=False)
        s_max[structured] = lookup(hi_v, plain).to_numpy(zero_copy_only=False)
        s_period[structured] = np.where(hourly[structured], "HOUR", "YEAR")
        s_cur[structured] = "USD"
        t_min[structured] = np.where(hourly, h_lo * 2080, a_lo)[structured]
        t_max[structured] = np.where(hourly, h_hi * 2080, a_hi)[structured]
    return {
        "salary_text": text,
        "salary_min_raw": s_min,
        "salary_max_raw": s_max,
        "salary_period_raw": s_period,
        "currency_raw": s_cur,
        "truth_annual_min": t_min,
        "truth_annual_max": t_max,
        "salary_format": fmt,
    }
