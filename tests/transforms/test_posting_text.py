"""Posting text cleaning, bounding and sentence cues (transforms.posting_text)."""

from __future__ import annotations

import math

import pytest

from transforms.posting_text import (
    MAX_RAW_CHARS,
    MAX_TEXT_CHARS,
    clean_posting_text,
    cue_status,
    sentences,
)


def test_html_is_stripped_entities_decoded_and_blocks_break_lines() -> None:
    raw = (
        "<div><p>We&#39;re hiring&nbsp;a <b>Director</b> &amp; team lead.</p>"
        "<ul><li>PMP</li><li>Lean   Six Sigma</li></ul>Line<br/>two"
        "<script>var x = '<li>hidden</li>';</script><style>p {color: red}</style></div>"
    )
    clean = clean_posting_text(raw)
    assert clean.text == "We're hiring a Director & team lead.\nPMP\nLean Six Sigma\nLine\ntwo"
    assert clean.chars == len(clean.text) and not clean.truncated


def test_escaped_markup_is_decoded_then_stripped() -> None:
    assert clean_posting_text("&lt;li&gt;SQL&lt;/li&gt;&lt;li&gt;Python&lt;/li&gt;").text == (
        "SQL\nPython"
    )


def test_parts_are_joined_and_blank_or_missing_parts_skipped() -> None:
    clean = clean_posting_text("  Description. ", None, math.nan, "", 42, "Requirements.")
    assert clean.text == "Description.\nRequirements."


@pytest.mark.parametrize(
    "parts", [(), (None,), ("",), ("   \n\t ",), ("<br><p></p>",), (math.nan,)]
)
def test_no_text_is_an_explicit_result(parts: tuple) -> None:
    clean = clean_posting_text(*parts)
    assert clean.text is None and not clean.has_text and clean.chars == 0


def test_long_text_is_cut_at_the_bound_and_the_cut_reported() -> None:
    clean = clean_posting_text("word " * 10_000)  # 50,000 characters
    assert clean.truncated
    assert clean.chars == len(("word " * 10_000).strip())
    assert len(clean.text) <= MAX_TEXT_CHARS and clean.text.endswith("word")


def test_a_megabyte_description_completes_and_reports_the_cut() -> None:
    for raw in (
        "<p>Bachelor&#39;s degree and 5+ years of experience.</p>" * 20_000,  # ~1 MB
        "x" * 1_000_000,  # one enormous token
        "<" * 1_000_000,  # unclosed markup
    ):
        clean = clean_posting_text(raw)
        assert clean.truncated
        assert MAX_TEXT_CHARS < clean.chars <= MAX_RAW_CHARS
        assert len(clean.text) <= MAX_TEXT_CHARS


def test_sentences_split_on_breaks_and_stops_but_not_abbreviations() -> None:
    text = (
        "We need a B.S. in CS and 5 yrs. experience, e.g. Excel. Ph.D. preferred; MBA a plus\n"
        "Must have: SQL.Python is nice"
    )
    assert [s.text for s in sentences(text)] == [
        "We need a B.S. in CS and 5 yrs. experience, e.g. Excel.",
        "Ph.D. preferred;",
        "MBA a plus",
        "Must have: SQL.Python is nice",
    ]
    assert [s.start for s in sentences(text)] == [text.index(s.text) for s in sentences(text)]


def test_run_together_sentences_of_scraped_ads_are_split() -> None:
    assert [s.text for s in sentences("Excellent communication skills.Must have a degree")] == [
        "Excellent communication skills.",
        "Must have a degree",
    ]


def test_headings_set_the_status_of_the_lines_below_them() -> None:
    text = (
        "About the role\nRequired Qualifications:\nBS degree\nPMP required\n"
        "Preferred qualifications:\nMBA\nNice to have\nCPHQ\nBenefits:\nDental"
    )
    got = {s.text: s.section for s in sentences(text)}
    assert got["About the role"] == "unspecified"
    assert got["BS degree"] == "required" and got["PMP required"] == "required"
    assert got["MBA"] == "preferred" and got["CPHQ"] == "preferred"
    assert got["Dental"] == "unspecified"  # a heading with no cue resets the section


def test_a_list_item_with_a_cue_is_not_a_heading() -> None:
    got = [s.section for s in sentences("PMP required\n5 years experience preferred\nSQL")]
    assert got == ["unspecified", "unspecified", "unspecified"]


@pytest.mark.parametrize(
    ("sentence", "words", "expected"),
    [
        ("Bachelor's required, Master's preferred", "Bachelor's", "required"),
        ("Bachelor's required, Master's preferred", "Master's", "preferred"),
        ("Required: PMP, CSM a plus", "PMP", "required"),
        ("Required: PMP, CSM a plus", "CSM", "preferred"),
        ("CPHQ would be nice to have", "CPHQ", "preferred"),
        ("Must hold a CPA", "CPA", "required"),
        ("CISSP is desirable", "CISSP", "preferred"),
        ("A CISSP", "CISSP", "unspecified"),
        ("Required Training certificate", "Required Training", "unspecified"),
    ],
)
def test_the_nearest_cue_decides(sentence: str, words: str, expected: str) -> None:
    start = sentence.index(words)
    assert cue_status(sentence, start, start + len(words)) == expected


def test_a_whole_sentence_takes_any_cue_in_it() -> None:
    assert cue_status("Preferred qualifications:") == "preferred"
    assert cue_status("Requirements") == "required"
    assert cue_status("About you") == "unspecified"
