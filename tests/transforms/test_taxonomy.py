"""SOC / NAICS / O*NET-SOC readers and the pure code helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scripts.samples.official import _write_xlsx, write_naics_sample, write_soc_samples
from transforms.errors import SchemaDriftError, SourceFormatError
from transforms.taxonomy import (
    naics_sector,
    parse_naics_code,
    parse_onet_soc_code,
    parse_soc_code,
    read_naics_codes,
    read_soc_definitions,
    read_soc_direct_match_titles,
    read_soc_onet_crosswalk,
    read_soc_structure,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
MIRROR = SHARED / "mirror"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("11-9111", "11-9111"),
        ("119111", "11-9111"),
        (" 11-9111.00 ", "11-9111"),
        ("11-9111.03", "11-9111"),
        ("11\u20139111", "11-9111"),
        (119111.0, "11-9111"),
        ("11-911", None),
        ("SOC 11-9111", None),
        ("", None),
        (None, None),
        ("11-9111.0", None),
    ],
)
def test_parse_soc_code(text: Any, want: str | None) -> None:
    assert parse_soc_code(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("11-9111.00", "11-9111.00"),
        ("119111.01", "11-9111.01"),
        ("11-9111", None),
        ("junk", None),
        (None, None),
    ],
)
def test_parse_onet_soc_code(text: Any, want: str | None) -> None:
    assert parse_onet_soc_code(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("62", "62"),
        (622110.0, "622110"),
        ("31-33", "31-33"),
        ("44\u201345", "44-45"),
        ("31-35", None),
        ("000000", None),
        ("99", None),
        ("3250A1", None),
        ("6", None),
        ("6221100", None),
        (None, None),
    ],
)
def test_parse_naics_code(text: Any, want: str | None) -> None:
    assert parse_naics_code(text) == want


@pytest.mark.parametrize(
    ("code", "want"),
    [
        ("622110", "62"),
        ("311111", "31-33"),
        ("33", "31-33"),
        ("31", "31-33"),
        ("44", "44-45"),
        ("45", "44-45"),
        ("48", "48-49"),
        ("493110", "48-49"),
        ("31-33", "31-33"),
        ("99", "99"),
        ("999200", "99"),
        ("3250A1", "31-33"),
        ("000000", None),
        ("bogus", None),
        (None, None),
    ],
)
def test_naics_sector(code: Any, want: str | None) -> None:
    assert naics_sector(code) == want


@pytest.fixture(scope="module")
def soc_paths(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_soc_samples(tmp_path_factory.mktemp("m"))


def test_soc_structure_sample(soc_paths: list[Path]) -> None:
    df = read_soc_structure(soc_paths[0])
    assert list(df.columns) == [
        "soc_code",
        "soc_title",
        "level",
        "major_code",
        "minor_code",
        "broad_code",
    ]
    sd = df.set_index("soc_code").loc["15-1252"]
    assert (sd["level"], sd["major_code"], sd["minor_code"], sd["broad_code"]) == (
        "detailed",
        "15-0000",
        "15-1200",  # not derivable from the digits: taken from the hierarchy
        "15-1250",
    )
    major = df.set_index("soc_code").loc["11-0000"]
    assert major["major_code"] == "11-0000" and pd.isna(major["minor_code"])
    assert set(df["level"]) == {"major", "minor", "broad", "detailed"}


def test_soc_structure_orphan_is_an_error(tmp_path: Path) -> None:
    rows = [
        ["title block", "", "", "", ""],
        ["Major Group", "Minor Group", "Broad Group", "Detailed Occupation", ""],
        ["11-0000", "", "", "", "Management Occupations"],
        ["", "", "", "13-1111", "Management Analysts"],
    ]
    path = _write_xlsx(tmp_path / "s.xlsx", [("2018 Structure", rows)])
    with pytest.raises(SourceFormatError) as err:
        read_soc_structure(path)
    assert err.value.row == 4


def test_soc_definitions_below_title_block(soc_paths: list[Path], tmp_path: Path) -> None:
    df = read_soc_definitions(soc_paths[1])
    assert list(df.columns) == ["soc_code", "soc_title", "definition"]
    assert "quality" in df.set_index("soc_code").loc["11-9111", "definition"]
    assert pd.isna(df.set_index("soc_code").loc["11-0000", "definition"])
    rows = [
        ["Standard Occupational Classification", "", "", ""],
        ["", "", "", ""],
        ["SOC Group", "SOC Code", "SOC Title", "SOC Definition"],
        ["Detailed", "13-1111", "Management Analysts", "Study organizations."],
    ]
    other = _write_xlsx(tmp_path / "d.xlsx", [("2018 SOC", rows)])
    assert read_soc_definitions(other)["soc_code"].tolist() == ["13-1111"]


def test_soc_definitions_drift(tmp_path: Path) -> None:
    rows = [["SOC Group", "SOC Code", "Occupation", "SOC Definition"], ["Detailed", "1", "x", ""]]
    path = _write_xlsx(tmp_path / "d.xlsx", [("2018 SOC", rows)])
    with pytest.raises(SchemaDriftError) as err:
        read_soc_definitions(path)
    assert err.value.missing == ["SOC Title"]


def test_crosswalk_sample(soc_paths: list[Path]) -> None:
    df = read_soc_onet_crosswalk(soc_paths[2])
    assert list(df.columns) == ["onet_soc_code", "onet_title", "soc_code", "soc_title"]
    assert df.set_index("onet_soc_code").loc["11-3051.01", "soc_code"] == "11-3051"


DIRECT_HEADER = [
    "2018 SOC Code",
    "2018 SOC Title",
    "2018 SOC Direct Match Title",
    "Illustrative Example",
]


def direct_match_file(tmp_path: Path, body: list[list[Any]], header=DIRECT_HEADER) -> Path:
    """A direct match title file as BLS publishes it: a title block, the header, the rows."""
    rows = [["Standard Occupational Classification", "", "", ""], ["", "", "", ""], header]
    return _write_xlsx(tmp_path / "dm.xlsx", [("Sheet1", [*rows, *body])])


def test_direct_match_titles_sample(soc_paths: list[Path]) -> None:
    df = read_soc_direct_match_titles(soc_paths[3])
    assert list(df.columns) == ["soc_code", "soc_title", "direct_match_title", "illustrative"]
    assert str(df["illustrative"].dtype) == "boolean" and df["illustrative"].notna().all()
    by = df.set_index("direct_match_title")
    assert tuple(by.loc["Registered Nurse", ["soc_code", "soc_title"]]) == (
        "29-1141",
        "Registered Nurses",
    )
    assert bool(by.loc["Registered Nurse", "illustrative"]) is True
    assert bool(by.loc["RN", "illustrative"]) is False
    assert bool(by.loc["Quality Control Manager", "illustrative"]) is True  # marked 'X'
    for code in ("11-9111", "29-1141", "15-1252", "11-3051", "11-1021", "13-1111", "15-2051"):
        assert code in set(df["soc_code"])
    assert not df.duplicated(["soc_code", "direct_match_title"]).any()


def test_direct_match_titles_below_title_block_skip_blank_rows(tmp_path: Path) -> None:
    body = [
        ["13-1111", "Management Analysts", "Management Consultant", "x"],
        ["", "", "", ""],
        ["13\u20131111", "Management Analysts", " Process Analyst ", None],
    ]
    df = read_soc_direct_match_titles(direct_match_file(tmp_path, body))
    assert df.to_dict("list") == {
        "soc_code": ["13-1111", "13-1111"],
        "soc_title": ["Management Analysts", "Management Analysts"],
        "direct_match_title": ["Management Consultant", "Process Analyst"],
        "illustrative": [True, False],
    }


def test_direct_match_titles_renamed_column(tmp_path: Path) -> None:
    header = [*DIRECT_HEADER[:2], "2018 SOC Direct Match Title", "Example?"]
    path = direct_match_file(tmp_path, [["13-1111", "Management Analysts", "Analyst", ""]], header)
    with pytest.raises(SchemaDriftError) as err:
        read_soc_direct_match_titles(path)
    assert err.value.missing == ["Illustrative Example"]
    assert "dm.xlsx" in str(err.value)


@pytest.mark.parametrize(
    ("bad", "row", "column", "message"),
    [
        (["13-111", "Management Analysts", "Analyst", ""], 5, "2018 SOC Code", "'13-111'"),
        (["", "Management Analysts", "Analyst", ""], 5, "2018 SOC Code", "not a SOC code"),
        (["13-1111", "Management Analysts", "  ", "x"], 5, "2018 SOC Direct Match Title", "empty"),
        (["13-1111", "Management Analysts", "Analyst", "yes"], 5, "Illustrative Example", "yes"),
    ],
    ids=["bad-code", "no-code", "empty-title", "unknown-marker"],
)
def test_direct_match_titles_bad_row_names_file_row_and_column(
    tmp_path: Path, bad: list[Any], row: int, column: str, message: str
) -> None:
    body = [["13-1111", "Management Analysts", "Management Consultant", "x"], bad]
    with pytest.raises(SourceFormatError) as err:
        read_soc_direct_match_titles(direct_match_file(tmp_path, body))
    assert (err.value.row, err.value.column) == (row, column)
    assert message in err.value.reason and "dm.xlsx" in str(err.value)


def test_direct_match_titles_header_only_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="no direct match titles"):
        read_soc_direct_match_titles(direct_match_file(tmp_path, []))


def test_naics_sample(tmp_path: Path) -> None:
    df = read_naics_codes(write_naics_sample(tmp_path))
    assert list(df.columns) == ["naics_code", "naics_title", "level", "sector_code"]
    by = df.set_index("naics_code")
    assert by.loc["31-33", "level"] == 2 and by.loc["31-33", "sector_code"] == "31-33"
    assert by.loc["311111", "sector_code"] == "31-33" and by.loc["311111", "level"] == 6
    assert by.loc["622110", "naics_title"] == "General Medical and Surgical Hospitals"
    assert by.loc["44-45", "sector_code"] == "44-45"


def test_naics_title_marker_and_bad_code(tmp_path: Path) -> None:
    header = ["Seq. No.", "2017 NAICS US   Code", "2017 NAICS US Title"]
    rows = [
        header,
        [1.0, 11.0, "Agriculture, Forestry, Fishing and HuntingT"],
        [2.0, 111110.0, "Soybean FarmingT "],
    ]
    df = read_naics_codes(_write_xlsx(tmp_path / "n.xlsx", [("t", rows)]))
    assert df["naics_title"].tolist() == [
        "Agriculture, Forestry, Fishing and Hunting",
        "Soybean Farming",
    ]
    rows.append([3.0, "1X", "Bad"])
    with pytest.raises(SourceFormatError) as err:
        read_naics_codes(_write_xlsx(tmp_path / "n2.xlsx", [("t", rows)]))
    assert err.value.row == 4


def test_no_header_anywhere(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "x.xlsx", [("a", [["nothing here"]]), ("b", [["nor here"]])])
    with pytest.raises(SourceFormatError, match="header"):
        read_naics_codes(path)


@pytest.mark.shared
@pytest.mark.skipif(not MIRROR.exists(), reason="../shared mirror not present")
def test_real_taxonomies() -> None:
    soc = read_soc_structure(MIRROR / "www.bls.gov/soc/2018/soc_structure_2018.xlsx")
    assert soc["level"].value_counts().to_dict() == {
        "detailed": 867,
        "broad": 459,
        "minor": 98,
        "major": 23,
    }
    assert soc["soc_code"].is_unique
    defs = read_soc_definitions(MIRROR / "www.bls.gov/soc/2018/soc_2018_definitions.xlsx")
    assert len(defs) == len(soc) and set(defs["soc_code"]) == set(soc["soc_code"])
    assert defs["definition"].notna().sum() == 867
    naics = read_naics_codes(MIRROR / "www.census.gov/naics/2022NAICS/2-6 digit_2022_Codes.xlsx")
    assert len(naics) > 2_000 and naics["naics_code"].is_unique
    assert (naics["level"] == 6).sum() > 1_000
    assert naics["level"].eq(2).sum() == 20
    assert naics["sector_code"].notna().all()
    cw = read_soc_onet_crosswalk(MIRROR / "www.bls.gov/soc/2018/soc_2019_onet_crosswalk.xlsx")
    assert len(cw) > 1_000 and cw["onet_soc_code"].is_unique
    assert set(cw["soc_code"]) <= set(soc.loc[soc["level"] == "detailed", "soc_code"])


@pytest.mark.shared
def test_real_direct_match_titles(shared_dir: Path) -> None:
    soc = shared_dir / "mirror/www.bls.gov/soc/2018"
    df = read_soc_direct_match_titles(soc / "soc_2018_direct_match_title_file.xlsx")
    assert len(df) == 6_283
    assert list(df.columns) == ["soc_code", "soc_title", "direct_match_title", "illustrative"]
    pairs = set(zip(df["soc_code"], df["direct_match_title"], strict=True))
    assert ("11-1011", "CEO") in pairs and ("29-1141", "RN") in pairs
    assert len(pairs) == len(df)
    assert df["illustrative"].sum() == 2_318  # 'x' and the eight 'X'
    assert df["soc_title"].notna().all()
    structure = read_soc_structure(soc / "soc_structure_2018.xlsx")
    detailed = set(structure.loc[structure["level"] == "detailed", "soc_code"])
    assert set(df["soc_code"]) <= detailed and df["soc_code"].nunique() == 864
