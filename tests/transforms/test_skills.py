"""The skills taxonomy and its matcher (transforms.skills)."""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.skills import (
    SeedTerm,
    build_taxonomy,
    onet_aliases,
    read_seed_terms,
    read_stoplist,
    tokens,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "data/seeds/certifications.csv"
STOPLIST = ROOT / "data/seeds/skill_stoplist.csv"

ONET_ROWS = [
    {"onet_soc_code": "11-1021.00", "example": "Microsoft Excel", "commodity_title":
     "Spreadsheet software", "hot_technology": True},
    {"onet_soc_code": "15-1252.00", "example": "Microsoft Excel", "commodity_title":
     "Spreadsheet software", "hot_technology": False},
    {"onet_soc_code": "11-1021.00", "example": "Microsoft Word", "commodity_title":
     "Word processing software", "hot_technology": True},
    {"onet_soc_code": "11-1021.00", "example": "Microsoft Project", "commodity_title":
     "Project management software", "hot_technology": True},
    {"onet_soc_code": "15-1252.00", "example": "Oracle Java", "commodity_title":
     "Object or component oriented development software", "hot_technology": True},
    {"onet_soc_code": "15-1252.00", "example": "JavaScript", "commodity_title":
     "Web platform development software", "hot_technology": True},
    {"onet_soc_code": "15-1252.00", "example": "C++", "commodity_title":
     "Object or component oriented development software", "hot_technology": True},
    {"onet_soc_code": "15-1252.00", "example": "C", "commodity_title":
     "Object or component oriented development software", "hot_technology": False},
    {"onet_soc_code": "15-1252.00", "example": "Structured query language SQL",
     "commodity_title": "Database user interface and query software", "hot_technology": None},
    {"onet_soc_code": "15-1252.00", "example": "Structure query language SQL",
     "commodity_title": "Database user interface and query software", "hot_technology": None},
    {"onet_soc_code": "15-1299.00", "example": "Storage area network SAN software",
     "commodity_title": "Storage networking software", "hot_technology": False},
    {"onet_soc_code": "15-1299.00", "example": "Go", "commodity_title":
     "Object or component oriented development software", "hot_technology": True},
]  # fmt: skip


@pytest.fixture(scope="module")
def taxonomy():
    return build_taxonomy(
        ONET_ROWS, read_seed_terms(SEEDS), read_stoplist(STOPLIST), "test rows + seeds"
    )


def names(taxonomy, text: str) -> list[str]:
    return [m.entry.name for m in taxonomy.find(text)]


def test_tokens_keep_symbols_inside_names_and_drop_sentence_punctuation() -> None:
    assert [t for t, _, _ in tokens("C++, C#, Node.js and Python. SQL/Excel six-sigma")] == [
        "c++", "c#", "node.js", "and", "python", "sql", "excel", "six", "sigma",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("example", "aliases"),
    [
        ("Microsoft Excel", ["Microsoft Excel", "Excel", "MS Excel"]),
        ("Oracle Java", ["Oracle Java", "Java"]),
        ("Structured query language SQL", ["Structured query language SQL", "SQL",
                                           "Structured query language"]),
        ("SAP software", ["SAP software", "software", "SAP"]),
        ("Data analysis software", ["Data analysis software"]),  # a discipline stays whole
        ("Epic Systems", ["Epic Systems", "Epic"]),  # the company names its product line
        ("Epic Systems software", ["Epic Systems software", "Epic Systems", "Epic"]),
        ("Autodesk Building Systems", ["Autodesk Building Systems", "Building Systems"]),
        ("Moz search engine optimization SEO software",
         ["Moz search engine optimization SEO software"]),  # SEO is not Moz's
    ],
)  # fmt: skip
def test_onet_aliases(example: str, aliases: list[str]) -> None:
    assert [a for a, _ in onet_aliases(example)] == aliases


def test_vendor_and_product_names_match_on_word_boundaries(taxonomy) -> None:
    text = "Advanced Excel, MS Word and Java (not JavaScript); C++ and SQL."
    assert names(taxonomy, text) == [
        "Microsoft Excel", "Microsoft Word", "Oracle Java", "JavaScript", "C++",
        "Structured query language SQL",
    ]  # fmt: skip


def test_common_words_do_not_match(taxonomy) -> None:
    text = (
        "You will excel in a fast paced team; every word counts. Project lead for our "
        "Outlook. Go to market. Plan C. Based in San Francisco. We run a lean team."
    )
    assert names(taxonomy, text) == []


def test_capitalised_methods_in_a_list_match_lowercase_adjectives_do_not(taxonomy) -> None:
    assert names(taxonomy, "Methodologies (Lean, Agile, Scrum); 5S and Lean.") == [
        "Lean", "Agile", "Scrum", "5S", "Lean",
    ]  # fmt: skip
    assert names(taxonomy, "A lean, agile team.") == []


def test_vendor_qualified_stop_words_still_match(taxonomy) -> None:
    assert names(taxonomy, "Microsoft Project and MS Word") == [
        "Microsoft Project",
        "Microsoft Word",
    ]


def test_a_company_product_line_is_read_by_the_company_name_capitalised() -> None:
    row = {"onet_soc_code": "29-1141.00", "example": "Epic Systems",
           "commodity_title": "Medical software", "hot_technology": True}  # fmt: skip
    epic = build_taxonomy([row], (), {}, "test row")
    assert names(epic, "Charting in Epic and EPIC Clarity; Epic Systems") == ["Epic Systems"] * 3
    assert names(epic, "an epic journey, an epic career") == []


def test_short_acronyms_must_be_written_in_capitals(taxonomy) -> None:
    assert names(taxonomy, "SAN storage and PMP") == ["Storage area network SAN software", "PMP"]
    assert names(taxonomy, "san storage and pmp") == []


def test_a_shared_alias_goes_to_the_example_more_occupations_list(taxonomy) -> None:
    # both SQL spellings give "SQL"; the exact-name and occupation count decide
    found = taxonomy.find("SQL")
    assert [m.entry.name for m in found] == ["Structured query language SQL"]


def test_entries_carry_category_and_hot_flag(taxonomy) -> None:
    excel = taxonomy.by_name()["Microsoft Excel"]
    assert excel.category == "Spreadsheet software" and excel.hot_technology
    assert taxonomy.by_name()["Spreadsheet software"].kind == "technology category"
    assert not taxonomy.by_name()["Structured query language SQL"].hot_technology


def test_longest_alias_wins_and_consumes_its_words(taxonomy) -> None:
    assert names(taxonomy, "Six Sigma Master Black Belt") == ["Six Sigma Master Black Belt"]
    assert names(taxonomy, "a Master Black Belt") == ["Six Sigma Master Black Belt"]
    assert names(taxonomy, "Lean Six Sigma Green Belt") == [
        "Lean Six Sigma",
        "Six Sigma Green Belt",
    ]


def test_seeds_only_taxonomy_has_the_methods_and_certifications() -> None:
    seeds_only = build_taxonomy(None, read_seed_terms(SEEDS), read_stoplist(STOPLIST), "seeds")
    assert {e.source for e in seeds_only.entries} == {"seed"}
    found = names(seeds_only, "Kaizen, PDSA, CPHQ, SHRM-CP and Lean manufacturing; Excel")
    assert found == ["Kaizen", "PDSA", "CPHQ", "SHRM-CP", "Lean"]


def test_the_seed_file_names_the_role_page_terms() -> None:
    terms = {t.name: t for t in read_seed_terms(SEEDS)}
    for name in ("Lean", "Six Sigma", "Kaizen", "PDSA", "PMP", "CPHQ", "CAPM", "CPA", "CFA",
                 "CISSP", "RN licence", "SHRM-CP", "SHRM-SCP", "ITIL", "AWS certification",
                 "Six Sigma Green Belt", "Six Sigma Black Belt", "Six Sigma Master Black Belt"):  # fmt: skip
        assert name in terms, name
    assert terms["Six Sigma Black Belt"].kind == "certification"
    assert terms["Kaizen"].kind == "method"
    assert terms["Lean Six Sigma"].implies == ("Lean", "Six Sigma")


def test_bad_seed_rows_name_the_file_and_row(tmp_path: Path) -> None:
    bad = tmp_path / "certs.csv"
    bad.write_text("name,kind,aliases,implies\nPMP,badge,,\n")
    with pytest.raises(ValueError, match=r"certs.csv: row 2: .*kind"):
        read_seed_terms(bad)
    bad.write_text("name,kind,aliases,implies\nBlack Belt,certification,,Nope\n")
    with pytest.raises(ValueError, match="implies unknown"):
        read_seed_terms(bad)
    stop = tmp_path / "stop.csv"
    stop.write_text("alias,rule,reason\nWord,sometimes,x\n")
    with pytest.raises(ValueError, match=r"stop.csv: row 2"):
        read_stoplist(stop)


def test_a_seed_term_wins_an_alias_over_onet() -> None:
    rows = [{"onet_soc_code": "11-1021.00", "example": "Kaizen", "commodity_title": "X"}]
    tax = build_taxonomy(rows, [SeedTerm("Kaizen method", "method", ("Kaizen",))], {}, "t")
    assert names(tax, "Kaizen") == ["Kaizen method"]
