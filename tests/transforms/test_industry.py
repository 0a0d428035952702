"""Industry resolution: given code > employer table > text match > unknown."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from outlook.config import EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE
from transforms.industry import IndustryResolver, naics_sector
from transforms.postings import normalise_employer


@pytest.fixture(scope="module")
def resolver() -> IndustryResolver:
    return IndustryResolver(EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE)


@pytest.mark.parametrize(
    ("code", "sector"),
    [("541511", "54"), ("31", "31-33"), ("336110", "31-33"), ("44-45", "44-45"),
     ("493", "48-49"), ("92", "92"), (None, None), ("abc", None)],
)  # fmt: skip
def test_naics_sector(code: str | None, sector: str | None) -> None:
    assert naics_sector(code) == sector


def test_given_code_wins(resolver: IndustryResolver) -> None:
    code, method, conf, reason = resolver.resolve("622110", "apple", "Retail")
    assert (code, method, conf) == ("622110", "given", 1.0)
    assert resolver.resolve("31-33", None, None)[:2] == ("31-33", "given")
    assert resolver.resolve(" 5415 - Computer systems design", None, None)[0] == "5415"


def test_invalid_given_code_falls_through_with_reason(resolver: IndustryResolver) -> None:
    code, method, _, reason = resolver.resolve("99", "apple", None)
    assert (code, method) == ("334", "employer_table")
    assert "99 is not a 2022 NAICS sector" in reason
    code, method, _, reason = resolver.resolve("n/a", None, None)
    assert code is None and method == "unknown" and "not a NAICS code" in reason


@pytest.mark.parametrize(
    ("employer", "code"),
    [
        ("Department of Veterans Affairs", "923"),
        ("Veterans Health Administration", "622"),
        ("Department of the Navy", "928"),
        ("Department of Justice", "922"),
        ("Amazon.com Services LLC", "45"),
        ("Microsoft Corporation", "513"),
        ("JPMorgan Chase & Co.", "522"),
        ("Deloitte Consulting LLP", "541"),
        ("Mayo Clinic", "622"),
    ],
)
def test_employer_table(resolver: IndustryResolver, employer: str, code: str) -> None:
    got, method, conf, _ = resolver.resolve(None, normalise_employer(employer), None)
    assert (got, method) == (code, "employer_table")
    assert 0 < conf < 1


def test_text_matches(resolver: IndustryResolver) -> None:
    # A USAJOBS department given as industry text.
    code, method, _, reason = resolver.resolve(
        None, "army installation management command", "Department of the Army"
    )
    assert (code, method) == ("928", "text_match") and "department of the army" in reason
    assert resolver.resolve(None, None, "Health Care and Social Assistance")[:2] == (
        "62",
        "text_match",
    )
    assert resolver.resolve(None, None, "Banking & Financial Services")[:2] == ("52", "text_match")
    assert resolver.resolve(None, None, "Manufacturing")[:2] == ("31-33", "text_match")
    # Institution words in the employer name: low confidence, with the word in the reason.
    code, method, conf, reason = resolver.resolve(
        None, normalise_employer("Parkview Hospital, Inc."), None
    )
    assert (code, method) == ("62", "text_match") and conf <= 0.5 and "hospital" in reason
    assert resolver.resolve(None, "companion pet hospital", None)[0] == "54"


def test_unknown_is_explicit(resolver: IndustryResolver) -> None:
    code, method, conf, reason = resolver.resolve(None, "grandison management", None)
    assert (code, method, conf) == (None, "unknown", 0.0)
    assert "not in seed table" in reason
    code, method, _, reason = resolver.resolve(None, None, "Healthcare and Banking")
    assert code is None and "ambiguous" in reason
    assert resolver.resolve(None, None, None)[3] == "no NAICS code, employer or industry text"


def test_resolve_many(resolver: IndustryResolver) -> None:
    frame = resolver.resolve_many(
        pd.Series(["541511", None, None, None], index=[7, 8, 9, 10]),
        pd.Series([None, "apple", "apple", None], index=[7, 8, 9, 10]),
        pd.Series([None, None, None, float("nan")], index=[7, 8, 9, 10]),
    )
    assert list(frame.index) == [7, 8, 9, 10]
    assert frame["naics_code"].tolist()[:3] == ["541511", "334", "334"]
    assert frame["naics_sector"].tolist()[:3] == ["54", "31-33", "31-33"]
    assert frame.loc[10, "industry_method"] == "unknown"


def test_seed_tables_are_well_formed() -> None:
    with open(NAICS_SECTORS_TABLE, newline="", encoding="utf-8") as handle:
        sectors = {row["code"] for row in csv.DictReader(handle)}
    assert {"31-33", "44-45", "48-49", "92"} <= sectors and len(sectors) == 20
    with open(EMPLOYER_NAICS_TABLE, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    keys = [r["employer_normalised"] for r in rows]
    assert len(keys) == len(set(keys)), "duplicate employers in seed table"
    for row in rows:
        name = row["employer_normalised"].removesuffix(" *")  # ' *': a prefix match
        assert normalise_employer(name) == name, row
        assert naics_sector(row["naics_code"]) in sectors, row
        assert row["note"].strip(), row


@pytest.mark.parametrize(
    ("employer", "sector"),
    [
        # the two H-1B filings of Performance Improvement Director (../shared sample)
        ("Prime Healthcare Anaheim, LLC", "62"),
        ("Prime Healthcare Services \u201c Garden City, LLC", "62"),
        ("UPMC Medical Education", "62"),
        ("Cleveland Clinic Foundation", "62"),
        ("OSF Healthcare System", "62"),
        ("West Virginia University Hospitals", "62"),
        ("Companion Pet Clinic", "54"),
        # 'health' alone is not a hospital: a distributor, an insurer, a lab
        ("Cardinal Health", None),
        ("Highmark Health", None),
        ("eClinicalWorks", None),
    ],
)
def test_hospital_employers_get_their_industry(employer: str, sector: str | None) -> None:
    resolver = IndustryResolver(EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE)
    code, method, _, reason = resolver.resolve(None, normalise_employer(employer), None)
    assert naics_sector(code) == sector, reason
