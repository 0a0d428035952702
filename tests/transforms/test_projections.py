"""Employment Projections table 1.2 parser: en-dash headers, '—', footnotes, drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scripts.samples.official import (
    EP_FOOTNOTES,
    EP_T12_HEADER,
    _ep_table12,
    _write_xlsx,
    write_projections_sample,
)
from transforms.errors import SchemaDriftError, SourceFormatError
from transforms.projections import PROJECTION_COLUMNS, read_occupation_projections

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REAL = SHARED / "mirror/www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return read_occupation_projections(write_projections_sample(tmp_path_factory.mktemp("m")))


def _book(tmp_path: Path, rows: list[list[Any]], sheet: str = "Table 1.2") -> Path:
    return _write_xlsx(tmp_path / "occupation.xlsx", [("Index", [["x"]]), (sheet, rows)])


def test_sample_shape(sample: pd.DataFrame) -> None:
    assert list(sample.columns) == PROJECTION_COLUMNS
    assert (sample["occupation_type"] == "line_item").sum() == 60
    assert set(sample["occupation_type"]) == {"line_item", "summary"}
    assert set(sample["projection_period"]) == {"2024-34"}
    assert sample["base_year"].iloc[0] == 2024 and sample["projected_year"].iloc[0] == 2034
    assert sample["soc_code"].is_unique
    # Footnote / note / source rows are not loaded.
    assert not sample["title"].str.contains("Footnotes|Source:|Note:", regex=True).any()


def test_values_and_nulls(sample: pd.DataFrame) -> None:
    row = sample.set_index("soc_code").loc["11-9111"]
    assert row["title"] == "Medical and health services managers"  # indentation stripped
    assert row["employment_base"] == 640.0 and row["employment_change_pct"] == 24.1
    assert row["typical_education"] == "Bachelor's degree"
    total = sample.set_index("soc_code").loc["00-0000"]
    assert pd.isna(total["typical_education"]) and total["occupation_type"] == "summary"
    teachers = sample.set_index("soc_code").loc["25-2021"]
    assert pd.isna(teachers["self_employed_pct"])  # '—'
    top = sample.set_index("soc_code").loc["29-1228"]
    assert top["median_wage_top_coded"] and pd.isna(top["median_annual_wage"])
    assert sample["median_wage_top_coded"].sum() == 1


def test_hyphen_header_variant(tmp_path: Path) -> None:
    rows = _ep_table12()
    rows[1] = [h.replace("\u2013", "-").upper() for h in rows[1]]
    df = read_occupation_projections(_book(tmp_path, rows, sheet="TABLE 1.2 "))
    assert (df["occupation_type"] == "line_item").sum() == 60


def test_missing_sheet(tmp_path: Path) -> None:
    path = _book(tmp_path, _ep_table12(), sheet="Table 1.3")
    with pytest.raises(SourceFormatError, match="Table 1.2"):
        read_occupation_projections(path)


def test_schema_drift(tmp_path: Path) -> None:
    rows = _ep_table12()
    header = list(EP_T12_HEADER)
    header[header.index("Occupational openings, 2024\u201334 annual average")] = (
        "Annual separations"
    )
    header[header.index("Typical education needed for entry")] = "Schooling"
    rows[1] = header
    with pytest.raises(SchemaDriftError) as err:
        read_occupation_projections(_book(tmp_path, rows))
    assert len(err.value.missing) == 2
    assert "Table 1.2" in err.value.location


@pytest.mark.parametrize(
    ("renamed", "new_name", "named"),
    [
        ("Occupation type", "Occupation category", "Occupation type"),
        (
            "2024 National Employment Matrix code",
            "2024 NEM code",
            "National Employment Matrix code",
        ),
    ],
)
def test_a_renamed_header_anchor_is_named(
    tmp_path: Path, renamed: str, new_name: str, named: str
) -> None:
    # the columns the header row is found by: renaming one used to say "no header row found"
    rows = _ep_table12()
    header = list(EP_T12_HEADER)
    header[header.index(renamed)] = new_name
    rows[1] = header
    with pytest.raises(SchemaDriftError) as err:
        read_occupation_projections(_book(tmp_path, rows))
    assert err.value.missing == [named]
    assert new_name in str(err.value)


def test_bad_number_names_row_and_column(tmp_path: Path) -> None:
    rows = _ep_table12()
    rows[5][8] = "12.3%"
    with pytest.raises(SourceFormatError) as err:
        read_occupation_projections(_book(tmp_path, rows))
    assert err.value.row == 6
    assert "percent" in (err.value.column or "")


def test_coded_row_after_notes_is_an_error(tmp_path: Path) -> None:
    rows = _ep_table12()
    rows.append(list(rows[4]))
    with pytest.raises(SourceFormatError, match="below the table"):
        read_occupation_projections(_book(tmp_path, rows))


def test_notes_only_tail(tmp_path: Path) -> None:
    rows = _ep_table12()
    width = len(EP_T12_HEADER)
    rows += [[""] * width, [EP_FOOTNOTES[3]] + [""] * (width - 1)]
    df = read_occupation_projections(_book(tmp_path, rows))
    assert len(df) == 81


def test_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "occupation.xlsx"
    bad.write_text("<html>moved</html>")
    with pytest.raises(SourceFormatError, match="xlsx"):
        read_occupation_projections(bad)


@pytest.mark.shared
@pytest.mark.skipif(not REAL.exists(), reason="../shared mirror not present")
def test_real_table() -> None:
    df = read_occupation_projections(REAL)
    assert (df["occupation_type"] == "line_item").sum() == 832
    assert set(df["projection_period"]) == {"2024-34"}
    mhsm = df.set_index("soc_code").loc["11-9111"]
    assert mhsm["employment_change_pct"] == 23.2
    assert mhsm["title"] == "Medical and health services managers"
    assert df["soc_code"].is_unique
    assert df["employment_base"].notna().all()
    assert df["median_wage_top_coded"].sum() > 0
