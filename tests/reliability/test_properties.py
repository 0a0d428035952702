"""Property-based tests (hypothesis) for the free-text and code parsers.

Existing example-based and property tests live in tests/transforms (salary never raises,
title idempotence on text); these add the properties those do not state: the code
parsers' output alphabet, idempotence and round trips, the salary parser never reaching
its last-resort ``except``, and vectorised == scalar.
"""

from __future__ import annotations

import math
import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.salary import parse_salaries, parse_salary
from transforms.taxonomy import (
    NAICS_SECTORS,
    naics_sector,
    parse_naics_code,
    parse_onet_soc_code,
    parse_soc_code,
)
from transforms.titles import normalise_title, parse_title

SOC = re.compile(r"^[0-9]{2}-[0-9]{4}$")
ONET = re.compile(r"^[0-9]{2}-[0-9]{4}\.[0-9]{2}$")
NAICS = re.compile(r"^(?:[0-9]{2,6}|[0-9]{2}-[0-9]{2})$")

# Anything a spreadsheet cell or a CSV field can hold, plus code-like text with the
# characters that matter (digits of every script, dashes, dots, spaces).
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet="0123456789-. \u2013\u2212\u0661\u0662\uff11\uff12\u00b2", max_size=14),
)
DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=1)


def digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


# --- SOC / O*NET-SOC / NAICS code parsers --------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(CELLS)
def test_code_parsers_never_raise_and_emit_ascii_codes(value: object) -> None:
    soc, onet, naics = parse_soc_code(value), parse_onet_soc_code(value), parse_naics_code(value)
    sector = naics_sector(value)
    # Unicode digits ('١١-٩١١١', fullwidth '１１') match \d; a "code" made of them would never
    # join to the ASCII codes in the reference tables.
    assert soc is None or SOC.match(soc), soc
    assert onet is None or ONET.match(onet), onet
    assert naics is None or NAICS.match(naics), naics
    assert sector is None or sector == "99" or sector in NAICS_SECTORS, sector


@settings(max_examples=500, deadline=None)
@given(CELLS)
def test_code_parsers_are_idempotent(value: object) -> None:
    for parse in (parse_soc_code, parse_onet_soc_code, parse_naics_code, naics_sector):
        once = parse(value)
        if once is not None:
            assert parse(once) == once, (parse.__name__, value, once)


@settings(max_examples=300, deadline=None)
@given(digits(2), digits(4), digits(2), st.sampled_from(["-", "", " ", "\u2013", "\u2212"]))
def test_soc_spellings_round_trip(major: str, rest: str, suffix: str, dash: str) -> None:
    soc = f"{major}-{rest}"
    assert parse_soc_code(f" {major}{dash}{rest} ") == soc
    onet = f"{soc}.{suffix}"
    assert parse_onet_soc_code(f"{major}{dash}{rest}.{suffix}") == onet
    assert parse_soc_code(onet) == soc, "an O*NET-SOC code reduces to its SOC code"
    assert parse_onet_soc_code(soc) is None, "a bare SOC code is not an O*NET-SOC code"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(NAICS_SECTORS)), st.integers(0, 4), st.data())
def test_naics_codes_round_trip_and_keep_their_sector(
    sector: str, extra: int, data: st.DataObject
) -> None:
    first_two = sector.split("-")[0]
    code = first_two + data.draw(digits(extra))
    assert parse_naics_code(code) == code
    assert naics_sector(code) == sector
    assert naics_sector(parse_naics_code(code)) == sector
    if not code.startswith("0"):
        # Codes typed as numbers in a sheet arrive as floats.
        assert parse_naics_code(float(code)) == code


# --- salary --------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=60), st.floats(), st.integers()))
def test_salary_parser_never_needs_its_safety_net(text: object) -> None:
    p = parse_salary(text)  # type: ignore[arg-type]
    # parse_salary wraps everything in `except Exception`; reaching it means a parser bug.
    assert not (p.reason or "").startswith("parser error"), p.reason
    assert p.status in {"ok", "missing", "unparsed", "flagged"}
    if p.annual_min is not None and p.annual_max is not None:
        assert p.annual_min <= p.annual_max
        if p.annual_mid is not None:
            assert p.annual_min <= p.annual_mid <= p.annual_max


@settings(max_examples=300, deadline=None)
@given(
    st.integers(20_000, 900_000),
    st.integers(0, 200_000),
    st.sampled_from(["per year", "a year", "/yr", "annually"]),
)
def test_salary_range_round_trips(lo: int, width: int, unit: str) -> None:
    hi = lo + width
    p = parse_salary(f"${lo:,} - ${hi:,} {unit}")
    assert (p.min, p.max, p.period) == (lo, hi, "year"), p
    assert (p.annual_min, p.annual_max) == (lo, hi)
    # Rendering the parse and parsing again gives the same numbers.
    again = parse_salary(f"USD {p.min:,.0f} to {p.max:,.0f} per year")
    assert (again.annual_min, again.annual_max) == (p.annual_min, p.annual_max)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.sampled_from(["$20/hr", "85k", "DOE"]), st.text(max_size=20)),
        max_size=25,
    )
)
def test_vectorised_salaries_match_scalar(texts: list[str | None]) -> None:
    frame = parse_salaries(pd.Series(texts, dtype=object))
    for i, text in enumerate(texts):
        one = parse_salary(text)
        row = frame.iloc[i]
        assert row["salary_status"] == one.status
        for col, value in (("annual_min", one.annual_min), ("annual_max", one.annual_max)):
            got = row[col]
            assert (value is None and (got is None or math.isnan(got))) or got == value


# --- titles --------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.floats(), st.integers(), st.text(max_size=120)))
def test_title_normaliser_output_alphabet_and_reason(raw: object) -> None:
    parts = parse_title(raw)  # type: ignore[arg-type]
    assert parts.normalised == normalise_title(raw)  # type: ignore[arg-type]
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", parts.normalised), parts.normalised
    # An empty result always says why; a non-empty one never carries a reason.
    assert (parts.reason is None) == bool(parts.normalised)
    assert normalise_title(parts.normalised) == parts.normalised


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,-/&()", max_size=50))
def test_title_normaliser_ignores_case_and_padding(raw: str) -> None:
    norm = normalise_title(raw)
    assert normalise_title(raw.upper()) == norm
    assert normalise_title(f"  {raw}\t ") == norm
