"""transforms.title_structure: heads, functions, technology words, generic titles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from outlook.config import TITLE_STRUCTURE
from transforms.title_index import title_key
from transforms.title_structure import add_technology, load_structure, read_structure
from transforms.titles import normalise_title

LEXICON = load_structure(TITLE_STRUCTURE)


def structure(title: str, lexicon=LEXICON):
    return read_structure(title_key(normalise_title(title)), lexicon)


@pytest.mark.parametrize(
    ("title", "families"),
    [
        ("Chief Marketing Officer", ("11-2021",)),
        ("CMO", ("11-2021",)),  # the abbreviation table spells it out first
        ("CFO", ("11-3031", "11-1011")),
        ("Chief Happiness Officer", ("11-1011",)),  # unlisted function: a chief executive
        ("Head of Sales", ("11-2022",)),
        ("Director of Marketing", ("11-2021",)),
        ("Marketing Director", ("11-2021",)),
        ("Android Engineer", ("15-1",)),
        ("Sr. Frontend Engineer", ("15-1",)),
        ("HelpDesk Engineer", ("15-1232",)),
        ("Business Analyst, CCO", LEXICON.heads["analyst"]),
        ("Medical Affairs Scientist", ("19-1", "29-")),
        ("DE&I Consultant", ("13-1071", "13-1141", "11-3121")),
    ],
)
def test_families(title: str, families: tuple[str, ...]) -> None:
    got = structure(title)
    assert got.families == families, got
    assert got.rule and got.rule.startswith("title structure:")
    assert not got.generic


@pytest.mark.parametrize(
    "title", ["President", "Director", "Registrar", "Machine Operator", "Engineer II"]
)
def test_generic(title: str) -> None:
    got = structure(title)
    assert got.generic and got.families == () and "too generic" in got.rule


@pytest.mark.parametrize(
    "title", ["Registered Nurse", "Civil Engineer", "Funeral Director", "Truck Driver"]
)
def test_ordinary_titles_have_no_rule(title: str) -> None:
    got = structure(title)
    assert got.families == () and got.rule is None and not got.generic


def test_technology_words_from_onet_skip_words_of_other_occupations() -> None:
    bare = replace(LEXICON, tech_words=frozenset())
    refs = [("civil engineer", "17-2051.00"), ("civil drafter", "17-3011.00")]
    refs += [("kotlin developer", "15-1252.00")]
    lexicon = add_technology(bare, ["JetBrains Kotlin", "Autodesk AutoCAD Civil 3D"], refs)
    assert structure("Kotlin Engineer", lexicon).families == ("15-1",)
    assert structure("AutoCAD Engineer", lexicon).families == ("15-1",)
    # "civil" names two non-computer reference titles: not a technology word.
    assert structure("Civil Engineer", lexicon).families == ()


def test_bad_lexicon_names_the_entry(tmp_path: Path) -> None:
    bad = tmp_path / "structure.toml"
    bad.write_text('[heads]\nanalyst = ["thirteen"]\n')
    with pytest.raises(ValueError, match=r"\[heads\] analyst.*'thirteen'"):
        load_structure(bad)
    bad.write_text("[prior]\noff_family_weight = 0\n")
    with pytest.raises(ValueError, match="off_family_weight"):
        load_structure(bad)
