"""Requirements read from posting text (transforms.requirements)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.posting_text import MAX_TEXT_CHARS
from transforms.requirements import (
    EDUCATION_LEVELS,
    MAX_YEARS,
    OUTPUT_COLUMNS,
    extract_many,
    extract_requirements,
    requirements_row,
)
from transforms.skills import build_taxonomy, read_seed_terms, read_stoplist

ROOT = Path(__file__).resolve().parents[2]
ONET_ROWS = [
    {"onet_soc_code": "11-1021.00", "example": "Microsoft Excel",
     "commodity_title": "Spreadsheet software", "hot_technology": True},
    {"onet_soc_code": "15-1252.00", "example": "Python",
     "commodity_title": "Object or component oriented development software",
     "hot_technology": True},
    {"onet_soc_code": "15-1252.00", "example": "Tableau",
     "commodity_title": "Business intelligence and data analysis software",
     "hot_technology": True},
]  # fmt: skip
TAXONOMY = build_taxonomy(
    ONET_ROWS,
    read_seed_terms(ROOT / "data/seeds/certifications.csv"),
    read_stoplist(ROOT / "data/seeds/skill_stoplist.csv"),
    "test",
)


def extract(*texts: object):
    return extract_requirements(TAXONOMY, *texts)


# --- education ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("No degree required; we train you.", "none"),
        ("High school diploma or GED required.", "high_school"),
        ("HS diploma.", "high_school"),
        ("Associate's degree in nursing.", "associate"),
        ("Associate of Applied Science.", "associate"),
        ("Bachelor's degree in Finance.", "bachelor"),
        ("BS in Computer Science.", "bachelor"),
        ("B.A. in English.", "bachelor"),
        ("Four-year college degree.", "bachelor"),
        ("A degree in engineering or a related field.", "bachelor"),
        ("Master's degree in Public Health.", "master"),
        ("MBA from an accredited school.", "master"),
        ("MS degree in Statistics.", "master"),
        ("Advanced degree in economics.", "master"),
        ("Ph.D. in Chemistry.", "doctorate"),
        ("PhD in machine learning.", "doctorate"),
        ("Doctorate in education.", "doctorate"),
        ("JD from an accredited law school.", "professional"),
        ("J.D. and bar admission.", "professional"),
        ("M.D. or D.O. required.", "professional"),
        ("PharmD required.", "professional"),
        ("Doctor of Pharmacy.", "professional"),
    ],
)
def test_each_education_level(text: str, level: str) -> None:
    assert extract(text).education_min == level


@pytest.mark.parametrize(
    ("text", "minimum", "preferred"),
    [
        ("Bachelor's required, Master's preferred.", "bachelor", "master"),
        ("BS/MS in Computer Science.", "bachelor", None),
        ("Master's or PhD in Statistics.", "master", None),
        ("High school diploma required; bachelor's degree preferred.", "high_school", "bachelor"),
        ("Master's degree preferred.", None, "master"),
        ("Requirements:\nBachelor's degree\nPreferred:\nMBA", "bachelor", "master"),
    ],
)
def test_the_minimum_asked_and_the_preferred(text, minimum, preferred) -> None:
    found = extract(text)
    assert (found.education_min, found.education_preferred) == (minimum, preferred)


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Bachelor's degree or equivalent experience.", True),
        ("Bachelor's degree or equivalent combination of education and experience.", True),
        ("Four years of experience may be accepted in lieu of a degree. BA in English.", True),
        ("High School or equivalent.", False),  # the equivalent of a diploma: a GED
        ("Bachelor's degree and 5 years of experience.", False),
    ],
)
def test_or_equivalent_experience_is_a_flag(text: str, flag: bool) -> None:
    assert extract(text).education_or_equivalent is flag


@pytest.mark.parametrize(
    "text",
    [
        "Proficiency in MS Office and MS Excel.",
        "Offices in Boston, MA and Bethesda, MD.",
        "Please read the attached JD before applying.",
        "We are an equal opportunity employer.",
        "You will master our tools.",
    ],
)
def test_look_alikes_are_not_degrees(text: str) -> None:
    assert extract(text).education_min is None


# --- experience ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("5+ years of experience in sales.", 5),
        ("Five years of experience.", 5),
        ("3-5 years of experience.", 3),
        ("3 to 5 years experience.", 3),
        ("Two to three years of relevant experience.", 2),
        ("At least ten (10) years of progressive experience.", 10),
        ("Minimum of 2 yrs in a sales role.", 2),
        ("2 or more years of experience.", 2),
        ("5 years' experience in accounting.", 5),
        ("Six months of customer service experience.", 0.5),
        ("0-2 years of experience.", 0),
        ("• 7+ years developing probabilistic models", 7),
        ("Minimum 10 years of experience.", 10),
    ],
)
def test_experience_phrasings(text: str, years: float) -> None:
    assert extract(text).experience_years_min == years


@pytest.mark.parametrize(
    "text",
    [
        "For over 50 years we have served our community.",
        "Founded 20 years ago, our company has 30 years of experience in the field.",
        "Candidates must be at least 18 years old.",
        "Applicants must be 21 years of age or older.",
        "Our firm has over 25 years of experience.",
        "This is a 2 year contract.",
        "Requires 45 years of experience.",  # implausible
        "We've grown 250% over the past 3 years.",
    ],
)
def test_not_experience(text: str) -> None:
    assert extract(text).experience_years_min is None


def test_largest_required_floor_and_preferred_mentions_are_not_a_minimum() -> None:
    text = "5+ years of experience, including 2 years in management. 8 years experience preferred."
    assert extract(text).experience_years_min == 5
    assert extract("3+ years of experience preferred.").experience_years_min is None


# --- certifications and skills ------------------------------------------------------------


def test_certifications_required_vs_preferred() -> None:
    found = extract(
        "PMP certification required. CPHQ is a plus. Must hold an RN license. "
        "Nice to have: CISSP. CPA."
    )
    assert found.certifications == ("PMP", "CPHQ", "RN licence", "CISSP", "CPA")
    assert found.certifications_required == ("PMP", "RN licence")
    assert found.certifications_preferred == ("CPHQ", "CISSP")


def test_a_certification_named_twice_keeps_the_firmer_word() -> None:
    found = extract("PMP preferred.\nSkills:\nPMP\nLater: PMP required.")
    assert found.certifications_required == ("PMP",)
    assert extract("PMP preferred. PMP").certifications_preferred == ("PMP",)


def test_the_role_page_prerequisites() -> None:
    found = extract(
        "Prerequisites: Master's degree or MBA; Lean Six Sigma Black Belt; minimum 10 years "
        "of experience. Essential skills: process improvement methodologies (Lean Six Sigma, "
        "Kaizen), data analysis tools such as Excel and Tableau."
    )
    assert found.education_min == "master"
    assert found.experience_years_min == 10
    assert found.certifications == ("Six Sigma Black Belt",)
    assert found.skills == (
        "Lean Six Sigma", "Lean", "Six Sigma", "Process improvement", "Kaizen",
        "Microsoft Excel", "Tableau",
    )  # fmt: skip
    assert found.skill_categories == (
        "Spreadsheet software",
        "Business intelligence and data analysis software",
    )


def test_html_descriptions_read_like_text() -> None:
    found = extract(
        "<h3>Requirements</h3><ul><li>Bachelor&#8217;s degree</li><li>3&ndash;5 years of "
        "experience</li><li>Advanced <b>Excel</b></li></ul><h3>Nice to have</h3><ul><li>PMP"
        "</li></ul>"
    )
    assert found.education_min == "bachelor"
    assert found.experience_years_min == 3
    assert found.skills == ("Microsoft Excel",)
    assert found.certifications_preferred == ("PMP",)


@pytest.mark.parametrize(
    "text",
    [
        "Ingeniero con 5 años de experiencia en gestión de proyectos y excelente inglés.",
        "Sie haben mindestens 3 Jahre Berufserfahrung und sprechen gut Deutsch.",
        "Vous avez un diplôme d'ingénieur et 5 ans d'expérience en gestion.",
        "看護師として5年以上の経験。",
        "Опыт работы от 3 лет, высшее образование.",
    ],
)
def test_non_english_text_gives_no_false_matches(text: str) -> None:
    found = extract(text)
    assert found.has_text
    assert (found.education_min, found.experience_years_min) == (None, None)
    assert found.certifications == () and found.skills == ()


@pytest.mark.parametrize("texts", [(), (None,), ("",), ("  ", None), ("<p> </p>",)])
def test_no_text_is_said_never_guessed(texts: tuple) -> None:
    found = extract(*texts)
    assert not found.has_text and found.text_chars == 0
    assert found.education_min is None and found.experience_years_min is None
    assert found.skills == () and found.certifications == ()


def test_a_megabyte_description_completes_and_reports_the_cut() -> None:
    text = "<p>Bachelor's degree and 5+ years of experience with Excel. PMP preferred.</p>" * 13_000
    assert len(text) > 1_000_000
    found = extract(text)
    assert found.truncated and found.text_chars > MAX_TEXT_CHARS
    assert found.education_min == "bachelor" and found.experience_years_min == 5
    assert found.certifications_preferred == ("PMP",)


# --- many postings, output rows -----------------------------------------------------------


def test_extract_many_keeps_order_and_reads_each_distinct_text_once() -> None:
    rows = [("Bachelor's degree.", None), (None, None), ("Bachelor's degree.", None),
            ("PhD.", "5+ years of experience")]  # fmt: skip
    found = extract_many(TAXONOMY, rows)
    assert [f.education_min for f in found] == ["bachelor", None, "bachelor", "doctorate"]
    assert found[0] is found[2]  # the repeat was not read again
    assert found[3].experience_years_min == 5


def test_requirements_row() -> None:
    row = requirements_row(extract("MBA. 2.5 years experience. PMP required, CPHQ preferred."))
    assert list(row) == list(OUTPUT_COLUMNS)
    assert row["education_min"] == "master" and row["experience_years_min"] == "2.5"
    assert row["certifications"] == "PMP;CPHQ"
    assert row["certifications_required"] == "PMP" and row["certifications_preferred"] == "CPHQ"
    empty = requirements_row(extract(None))
    assert empty["has_text"] is False and empty["experience_years_min"] is None
    assert empty["skills"] == ""


# --- properties ---------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "5+ years", "ten (10) years", "3-5 years of experience", "99 years", "0 years", "-3 years",
    "1.5 yrs", "12 months", "Bachelor's", "MBA", "Ph.D.", "BS/MS", "High school", "required",
    "preferred", "a plus", "PMP", "Lean Six Sigma", "Excel", "<li>", "</li>", "<br>", "&amp;",
    "&#", "<", ">", "\n", ". ", "; ", ":", "Requirements:", "Preferred:", "years old",
    "we have", "over", "to", "or", "(", ")", "+", "é", "年", "\x00", "\u00a0",
])  # fmt: skip
TEXTS = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), TEXTS), max_size=3))
def test_extraction_never_raises_and_stays_in_bounds(parts: list[str | None]) -> None:
    found = extract(*parts)
    years = found.experience_years_min
    assert years is None or 0 <= years <= MAX_YEARS
    assert found.education_min in (None, *EDUCATION_LEVELS)
    assert found.education_preferred in (None, *EDUCATION_LEVELS)
    assert set(found.certifications_required) <= set(found.certifications)
    assert set(found.certifications_preferred) <= set(found.certifications)
    assert not set(found.certifications_required) & set(found.certifications_preferred)
    assert found.has_text == (found.text_chars > 0)
    assert len(requirements_row(found)) == len(OUTPUT_COLUMNS)
