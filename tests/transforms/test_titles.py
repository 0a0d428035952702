"""transforms.titles: noisy job-board titles -> canonical form; properties via hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.titles import (
    MAX_TITLE_CHARS,
    REASON_EMPTY,
    REASON_NO_LATIN,
    REASON_TOO_LONG,
    normalise_title,
    parse_title,
)

CASES = [
    (
        "Director, Quality & Performance Improvement - Req #4821",
        "director of quality and performance improvement",
    ),
    ("Sr. PI Director (Remote)", "performance improvement director"),
    ("RN - ICU - Night Shift - $10k Sign-On Bonus!", "registered nurse icu"),
    ("Registered Nurse (RN) PRN - Boston, MA", "registered nurse"),
    ("Performance Improvement Director - Boston, MA 02115", "performance improvement director"),
    ("Assoc. Dir., Performance Excellence", "director of performance excellence"),
    ("Sr Mgr, Ops", "manager of operations"),
    ("Engineer, Software", "software engineer"),
    ("Nurse, Registered", "registered nurse"),
    ("Job ID 123 Data Scientist", "data scientist"),
    ("R-12345 Financial Analyst", "financial analyst"),
    ("FT/PT Cashier", "cashier"),
    ("Team Lead", "team lead"),
    ("Lead Software Engineer", "software engineer"),
    ("Software Engineer II", "software engineer"),
    (
        "Director of Quality & Performance Improvement | Hybrid",
        "director of quality and performance improvement",
    ),
    ("Admin Assistant", "administrative assistant"),
    ("Pharmacy Tech", "pharmacy technician"),
    ("Café Manager", "cafe manager"),
    ("Entry Level Accountant", "accountant"),
    ("Req.#12 analyst", "analyst"),
    ("Chief Nursing Officer (CNO)", "chief nursing officer"),
    ("VP, Performance Improvement", "vice president of performance improvement"),
    ("HR Business Partner", "human resources business partner"),
    ("IT Project Mgr - Full Time", "information technology project manager"),
    ("Sales Associate", "sales associate"),
    ("LPN - Per Diem - Weekends", "licensed practical nurse"),
    ("Warehouse Associate - 2nd Shift - $18/hr", "warehouse associate"),
    ("Sr. Mktg Coord.", "marketing coordinator"),
    ("Truck Driver - Sign on Bonus", "truck driver"),
    ("QI Specialist [REQ123456]", "quality improvement specialist"),
    ("Medical Assistant (Hybrid) - Austin, TX", "medical assistant"),
    ("  SOFTWARE   ENGINEER  ", "software engineer"),
    ("Staff Accountant", "accountant"),
    ("Associate Director of Performance Improvement", "director of performance improvement"),
    ("Sales Associate II", "sales associate"),
    ("Ingénieur Qualité", "ingenieur qualite"),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_normalise_noisy_titles(raw: str, expected: str) -> None:
    assert normalise_title(raw) == expected


def test_parts_keep_what_was_removed() -> None:
    parts = parse_title("Sr. Director, Quality & PI - Req #4821 (Remote)")
    assert parts.normalised == "director of quality and performance improvement"
    assert parts.seniority == ("senior",)
    assert any("4821" in n for n in parts.noise)
    assert any("remote" in n for n in parts.noise)
    assert parts.reason is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", REASON_EMPTY),
        ("   \t\n", REASON_EMPTY),
        ("看护师", REASON_NO_LATIN),
        ("Медсестра", REASON_NO_LATIN),
        ("12345", REASON_EMPTY),
        ("Night Shift PRN", REASON_EMPTY),
        ("x" * 5000, REASON_TOO_LONG),
        ("Nurse " * (MAX_TITLE_CHARS // 6 + 1), REASON_TOO_LONG),
    ],
)
def test_edge_titles_have_defined_result(raw: str, reason: str) -> None:
    parts = parse_title(raw)
    assert parts.normalised == ""
    assert parts.reason == reason


def test_non_strings_do_not_raise() -> None:
    assert parse_title(None).reason == REASON_EMPTY  # type: ignore[arg-type]
    assert parse_title(float("nan")).reason == REASON_EMPTY  # type: ignore[arg-type]


_NOISY = st.sampled_from(
    list("abcdefghijklmnoprstuvwxyz ABRNPIQ,.-&/()#$0123 |é漢")
    + [
        "sr",
        "rn",
        "pi",
        "req ",
        "night shift",
        "prn",
        "remote",
        "director",
        "ii",
        ", ma",
        "boston",
        "bonus",
        "sign on",
        "level",
        "entry",
        "lead",
        "associate",
        "manager",
        "admin",
        "tech",
        "acct",
        "of ",
        "and ",
        "in ",
        "us",
        "job ",
        "days",
    ]  # fmt: skip
)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_and_is_idempotent_on_any_text(raw: str) -> None:
    norm = normalise_title(raw)
    assert normalise_title(norm) == norm


@settings(max_examples=600, deadline=None)
@given(st.lists(_NOISY, max_size=20).map("".join))
def test_idempotent_on_title_like_text(raw: str) -> None:
    norm = normalise_title(raw)
    assert normalise_title(norm) == norm
    assert norm == norm.strip() and "  " not in norm
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in norm)
