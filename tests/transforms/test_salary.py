"""Salary parsing: free text, structured fields, unit-less amounts, flags, vectorised form."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.salary import (
    ANNUAL_CAP,
    HOURS_PER_YEAR,
    RESULT_COLUMNS,
    SalaryParse,
    parse_salaries,
    parse_salary,
)

# (text, min, max, period, currency, annual_mid, status)
CASES = [
    ("$120K - $150K a year", 120_000, 150_000, "year", "USD", 135_000, "ok"),
    ("$55/hr", 55, 55, "hour", "USD", 55 * 2080, "ok"),
    ("45,000-60,000 per annum", 45_000, 60_000, "year", None, 52_500, "ok"),
    ("Up to £40k", None, 40_000, "year", "GBP", 40_000, "ok"),
    ("From $20 an hour", 20, None, "hour", "USD", 41_600, "ok"),
    ("$80,000.00 - $95,000.00 Per Year", 80_000, 95_000, "year", "USD", 87_500, "ok"),
    ("USD 100000", 100_000, 100_000, "year", "USD", 100_000, "ok"),
    ("17.50 - 19.00 hourly", 17.5, 19.0, "hour", None, 37_960, "ok"),
    ("$4,500/month", 4_500, 4_500, "month", "USD", 54_000, "ok"),
    ("$1,000 per week", 1_000, 1_000, "week", "USD", 52_000, "ok"),
    ("$250/day", 250, 250, "day", "USD", 65_000, "ok"),
    ("120k", 120_000, 120_000, "year", None, 120_000, "ok"),
    ("$65.5K", 65_500, 65_500, "year", "USD", 65_500, "ok"),
    ("$60,000 to $70,000 per year", 60_000, 70_000, "year", "USD", 65_000, "ok"),
    ("$60,000 – $70,000 annually", 60_000, 70_000, "year", "USD", 65_000, "ok"),
    ("£30k—£35k p.a.", 30_000, 35_000, "year", "GBP", 32_500, "ok"),
    ("$20/hr - $25/hr", 20, 25, "hour", "USD", 46_800, "ok"),
    ("$120 - 150K", 120_000, 150_000, "year", "USD", 135_000, "ok"),
    ("$25 - $30 per hour + 401k match", 25, 30, "hour", "USD", 57_200, "ok"),
    ("CAD 80,000 - 90,000 annually", 80_000, 90_000, "year", "CAD", 85_000, "ok"),
    ("C$75,000 per year", 75_000, 75_000, "year", "CAD", 75_000, "ok"),
    ("A$95k - A$110k", 95_000, 110_000, "year", "AUD", 102_500, "ok"),
    ("€45.000 per year", 45_000, 45_000, "year", "EUR", 45_000, "ok"),
    ("€50,000 - €60,000", 50_000, 60_000, "year", "EUR", 55_000, "ok"),
    ("Salary: $72,500 per year", 72_500, 72_500, "year", "USD", 72_500, "ok"),
    ("Starting at $18.50/hour", 18.5, None, "hour", "USD", 38_480, "ok"),
    ("Pay: $32 per hour", 32, 32, "hour", "USD", 66_560, "ok"),
    ("$2,000 bi-weekly", 1_000, 1_000, "week", "USD", 52_000, "ok"),
    ("$5,200 - $6,100 a month", 5_200, 6_100, "month", "USD", 67_800, "ok"),
    ("35-40 USD per hour", 35, 40, "hour", "USD", 78_000, "ok"),
    ("$80,000 CAD", 80_000, 80_000, "year", "CAD", 80_000, "ok"),
    ("Up to $45 an hour", None, 45, "hour", "USD", 93_600, "ok"),
    ("$90k-$110k + bonus", 90_000, 110_000, "year", "USD", 100_000, "ok"),
    ("£450 per day", 450, 450, "day", "GBP", 117_000, "ok"),
    ("37.85", 37.85, 37.85, "hour", None, 37.85 * 2080, "ok"),
    ("91500.0", 91_500, 91_500, "year", None, 91_500, "ok"),
    ("$150,000 - $120,000", 120_000, 150_000, "year", "USD", 135_000, "flagged"),
    ("$5/hr", 5, 5, "hour", "USD", 10_400, "ok"),
    ("$3/hr", 3, 3, "hour", "USD", 6_240, "flagged"),
    ("$1,500,000 per year", 1_500_000, 1_500_000, "year", "USD", 1_500_000, "flagged"),
    ("15567084", 15_567_084, 15_567_084, "year", None, 15_567_084, "flagged"),
]


@pytest.mark.parametrize(("text", "lo", "hi", "period", "currency", "mid", "status"), CASES)
def test_text_cases(
    text: str,
    lo: float | None,
    hi: float | None,
    period: str,
    currency: str | None,
    mid: float,
    status: str,
) -> None:
    p = parse_salary(text)
    assert (p.min, p.max) == (pytest.approx(lo), pytest.approx(hi)), p
    assert p.period == period
    assert p.currency == currency
    assert p.annual_mid == pytest.approx(mid)
    assert p.status == status, p.reason


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("DOE", "missing"),
        ("Competitive", "missing"),
        ("Competitive salary and benefits", "missing"),
        ("Commensurate with experience", "missing"),
        ("Negotiable", "missing"),
        ("", "missing"),
        ("   ", "missing"),
        (None, "missing"),
        ("see description", "unparsed"),
        ("Great pay!", "unparsed"),
    ],
)
def test_no_amount(text: str | None, status: str) -> None:
    p = parse_salary(text)
    assert p.status == status
    assert p.annual_min is None and p.annual_max is None and p.reason


def test_ambiguous_unitless_amount_kept_but_not_annualised() -> None:
    p = parse_salary("9615")
    assert p.status == "flagged"
    assert p.min == 9615 and p.annual_mid is None and p.period is None
    assert "weekly" in (p.reason or "")


def test_swapped_and_capped_reasons_are_explicit() -> None:
    assert "swapped" in (parse_salary("$150,000 - $120,000").reason or "")
    assert "cap" in (parse_salary(f"${ANNUAL_CAP * 2:,.0f} a year").reason or "")
    assert "floor" in (parse_salary("$3/hr").reason or "")


def test_structured_numbers_win_and_use_label() -> None:
    p = parse_salary(None, min_value=19.51, max_value=22.76, period="Per Hour", currency="USD")
    assert (p.period, p.currency, p.status) == ("hour", "USD", "ok")
    assert p.annual_min == pytest.approx(19.51 * HOURS_PER_YEAR)
    p = parse_salary(
        "USD 64,650 - 84,049 Per Year", min_value=64650, max_value=84049, period="Per Year"
    )
    assert p.annual_mid == pytest.approx((64650 + 84049) / 2)
    assert p.currency == "USD"  # taken from the text when not passed


def test_structured_zero_or_nan_is_missing() -> None:
    assert parse_salary(None, min_value=0, max_value=0, period="Per Year").status == "missing"
    assert parse_salary(None, min_value=float("nan")).status == "missing"


def test_structured_unknown_period_is_flagged() -> None:
    p = parse_salary(None, min_value=100, max_value=200, period="Fee Basis")
    assert p.status == "flagged" and p.annual_mid is None and "Fee Basis" in (p.reason or "")
    assert parse_salary(None, min_value=0, period="Without Compensation").status == "missing"


def test_h1b_wage_without_unit() -> None:
    hourly = parse_salary(None, min_value=37.85, currency="USD")
    assert hourly.period == "hour" and hourly.status == "ok"
    assert "inferred" in (hourly.reason or "")
    annual = parse_salary(None, min_value=91500.0, currency="USD")
    assert annual.period == "year" and annual.annual_mid == 91500


def test_parse_salaries_matches_scalar_and_keeps_index() -> None:
    texts = pd.Series(["$55/hr", None, "DOE", "$55/hr", "120k"], index=[10, 11, 12, 13, 14])
    frame = parse_salaries(texts)
    assert list(frame.columns) == RESULT_COLUMNS
    assert list(frame.index) == [10, 11, 12, 13, 14]
    for idx, text in texts.items():
        expected = parse_salary(text)
        assert frame.loc[idx, "salary_status"] == expected.status
        got = frame.loc[idx, "annual_mid"]
        assert (math.isnan(got) and expected.annual_mid is None) or got == expected.annual_mid


def test_parse_salaries_structured_columns() -> None:
    frame = parse_salaries(
        [None, "x", None],
        min_values=[19.5, None, 0],
        max_values=[22.0, None, 0],
        periods=["Per Hour", None, "Per Year"],
        currencies=["USD", "USD", "USD"],
    )
    assert frame["salary_status"].tolist() == ["ok", "unparsed", "missing"]
    assert frame.loc[0, "annual_min"] == pytest.approx(19.5 * 2080)
    with pytest.raises(ValueError, match="length"):
        parse_salaries(["a"], min_values=[1, 2])


def test_result_is_frozen() -> None:
    p = parse_salary("$55/hr")
    assert isinstance(p, SalaryParse)
    with pytest.raises(AttributeError):
        p.min = 1  # type: ignore[misc]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_and_orders_range(text: str) -> None:
    p = parse_salary(text)
    assert p.status in {"ok", "missing", "unparsed", "flagged"}
    if p.annual_min is not None and p.annual_max is not None:
        assert p.annual_min <= p.annual_max


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-10, 10**9), st.text(max_size=8)),
    st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-10, 10**9)),
    st.one_of(st.none(), st.sampled_from(["Per Hour", "PA", "weird", "", "monthly"])),
)
def test_structured_never_raises(lo: object, hi: object, period: object) -> None:
    p = parse_salary("$ 1 - 2", min_value=lo, max_value=hi, period=period)
    if p.annual_min is not None and p.annual_max is not None:
        assert p.annual_min <= p.annual_max


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=0.01, max_value=5e6, allow_nan=False),
    st.floats(min_value=0.01, max_value=5e6, allow_nan=False),
    st.sampled_from(["an hour", "per year", "/month", "a week", "per day", ""]),
)
def test_generated_ranges_are_ordered(a: float, b: float, unit: str) -> None:
    p = parse_salary(f"${a:,.2f} - ${b:,.2f} {unit}")
    assert p.status in {"ok", "flagged"}
    if p.annual_min is not None and p.annual_max is not None:
        assert p.annual_min <= p.annual_max
