"""OEWS industry archive parser: markers -> NULL + flags, drift, bad zips, real-file fidelity."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from scripts.samples.official import (
    OEWS_HEADER,
    _deterministic_zip,
    _oews_rows,
    _xlsx_bytes,
    write_oews_sample,
)
from transforms.errors import SchemaDriftError, SourceFormatError
from transforms.oews import (
    EMPLOYMENT,
    OEWS_COLUMNS,
    WAGES,
    oews_release_from_name,
    read_oews_industry_zip,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
REAL = SHARED / "mirror/www.bls.gov/oes/special-requests"
NUMERIC = EMPLOYMENT + WAGES


def _zip(tmp_path: Path, rows: list[list[Any]], member: str = "oesm24in4/natsector_M2024_dl.xlsx"):
    data = _xlsx_bytes([("Natsector_M2024_dl", rows)])
    return _deterministic_zip(tmp_path / "oesm24in4.zip", [(member, data)])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    root = tmp_path_factory.mktemp("mirror")
    return read_oews_industry_zip(write_oews_sample(root, 2024))


def test_release_from_name() -> None:
    assert oews_release_from_name("oesm24in4/natsector_M2024_dl.xlsx") == "M2024"
    assert oews_release_from_name("nat4d_M2022_dl.xlsx") == "M2022"
    assert oews_release_from_name("oesm23in4.zip") == "M2023"
    with pytest.raises(ValueError):
        oews_release_from_name("occupation.xlsx")


def test_columns_and_dtypes(sample: pd.DataFrame) -> None:
    assert list(sample.columns) == OEWS_COLUMNS
    assert sample["tot_emp"].dtype == "Int64"
    for col in NUMERIC[1:]:
        assert sample[col].dtype == "Float64", col
    for col in ("annual_only", "hourly_only", "emp_suppressed", "wage_top_coded"):
        assert sample[col].dtype == bool
    assert set(sample["release"]) == {"M2024"}
    assert set(sample["source_member"]) == {"oesm24in4/natsector_M2024_dl.xlsx"}


def test_codes_as_text(sample: pd.DataFrame) -> None:
    codes = set(sample["naics_code"])
    # '31' is a numeric cell upstream; the cross-industry code keeps its zeros.
    assert {"000000", "31", "62", "52", "51", "54", "99"} <= codes
    assert sample["soc_code"].str.match(r"^\d{2}-\d{4}$").all()
    assert (sample.query("naics_code == '000000'")["i_group"] == "cross-industry").all()


def test_markers_become_null_with_flags(sample: pd.DataFrame) -> None:
    supp = sample[sample["emp_suppressed"]]
    assert len(supp) >= 1
    assert supp[EMPLOYMENT].isna().all().all()
    assert sample.loc[~sample["emp_suppressed"], EMPLOYMENT].notna().all().all()
    assert sample["wage_top_coded"].any() and sample["wage_not_available"].any()
    # Per-cell fidelity: every NULL wage cell is listed with its marker, and vice versa.
    for _, row in sample.iterrows():
        listed = (
            dict(part.split("=") for part in (row["wage_markers"] or "").split(";") if part)
            if pd.notna(row["wage_markers"])
            else {}
        )
        nulls = {w for w in WAGES if pd.isna(row[w])}
        assert nulls == set(listed), (row["naics_code"], row["soc_code"])
        assert row["wage_top_coded"] == ("#" in listed.values())
        assert row["wage_not_available"] == ("*" in listed.values())
    teacher = sample.query("soc_code == '25-2021'").iloc[0]
    assert teacher["annual_only"] and pd.isna(teacher["h_mean"]) and teacher["a_mean"] > 0


def test_numbers_equal_cells(tmp_path: Path) -> None:
    rows = _oews_rows(2024)
    df = read_oews_industry_zip(_zip(tmp_path, [OEWS_HEADER, *rows]))
    assert len(df) == len(rows)  # nothing dropped
    for i, raw in enumerate(rows):
        for col in NUMERIC:
            cell = raw[OEWS_HEADER.index(col.upper())]
            got = df.at[i, col]
            if isinstance(cell, float):
                assert got == cell, (i, col)
            else:
                assert pd.isna(got), (i, col)


def test_lower_case_headers_and_extra_members(tmp_path: Path) -> None:
    rows = _oews_rows(2023)[:20]
    sector = _xlsx_bytes([("natsector", [[h.lower() for h in OEWS_HEADER], *rows])])
    nat3d = _xlsx_bytes([("nat3d", [OEWS_HEADER, *rows[:5]])])
    path = _deterministic_zip(
        tmp_path / "oesm23in4.zip",
        [
            ("oesm23in4/nat3d_M2023_dl.xlsx", nat3d),
            ("oesm23in4/natsector_M2023_dl.xlsx", sector),
            ("oesm23in4/field_descriptions.xlsx", b"not read"),
        ],
    )
    df = read_oews_industry_zip(path)
    assert len(df) == 25
    assert df["source_member"].value_counts().to_dict() == {
        "oesm23in4/natsector_M2023_dl.xlsx": 20,
        "oesm23in4/nat3d_M2023_dl.xlsx": 5,
    }


def test_schema_drift_names_missing(tmp_path: Path) -> None:
    header = [("TOTAL_EMPLOYMENT" if h == "TOT_EMP" else h) for h in OEWS_HEADER]
    header.remove("A_PCT90")
    rows = [r[:-3] + r[-2:] for r in _oews_rows(2024)[:3]]
    with pytest.raises(SchemaDriftError) as err:
        read_oews_industry_zip(_zip(tmp_path, [header, *rows]), location="https://bls/x.zip")
    assert set(err.value.missing) == {"TOT_EMP", "A_PCT90"}
    assert "natsector_M2024_dl.xlsx" in str(err.value)


def test_unknown_cell_names_row_and_column(tmp_path: Path) -> None:
    rows = _oews_rows(2024)[:5]
    rows[3][OEWS_HEADER.index("A_MEDIAN")] = "n/a"
    with pytest.raises(SourceFormatError) as err:
        read_oews_industry_zip(_zip(tmp_path, [OEWS_HEADER, *rows]))
    assert err.value.row == 5 and err.value.column == "A_MEDIAN"


def test_wrong_marker_for_column(tmp_path: Path) -> None:
    rows = _oews_rows(2024)[:5]
    rows[1][OEWS_HEADER.index("TOT_EMP")] = "#"  # '#' is a wage marker only
    with pytest.raises(SourceFormatError, match="TOT_EMP"):
        read_oews_industry_zip(_zip(tmp_path, [OEWS_HEADER, *rows]))


def test_zip_without_member(tmp_path: Path) -> None:
    path = _deterministic_zip(tmp_path / "oesm24in4.zip", [("oesm24in4/readme.txt", b"x")])
    with pytest.raises(SourceFormatError, match="no nat"):
        read_oews_industry_zip(path)


def test_not_a_zip_and_truncated(tmp_path: Path) -> None:
    html = tmp_path / "oesm24in4.zip"
    html.write_bytes(b"<!DOCTYPE html><title>Access Denied</title>")
    with pytest.raises(SourceFormatError, match="zip"):
        read_oews_industry_zip(html, location="https://www.bls.gov/x.zip")
    good = _zip(tmp_path, [OEWS_HEADER, *_oews_rows(2024)[:5]])
    cut = tmp_path / "cut.zip"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(SourceFormatError):
        read_oews_industry_zip(cut)


def test_member_not_xlsx(tmp_path: Path) -> None:
    path = _deterministic_zip(
        tmp_path / "oesm24in4.zip", [("oesm24in4/natsector_M2024_dl.xlsx", b"garbage")]
    )
    with pytest.raises(SourceFormatError, match="natsector_M2024_dl.xlsx"):
        read_oews_industry_zip(path)


# ---------------------------------------------------------------- real files (../shared)
@pytest.mark.shared
@pytest.mark.skipif(not REAL.exists(), reason="../shared mirror not present")
@pytest.mark.parametrize("yy", [22, 23, 24])
def test_real_release_cells(yy: int) -> None:
    path = REAL / f"oesm{yy}in4.zip"
    df = read_oews_industry_zip(path)

    # Independent read of the raw cells with calamine, no code shared with the parser.
    with zipfile.ZipFile(path) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".xlsx")]
        wb = CalamineWorkbook.from_filelike(io.BytesIO(zf.read(name)))
    raw = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    header, body = raw[0], raw[1:]
    assert len(df) == len(body) > 15_000
    assert set(df["release"]) == {f"M20{yy}"}
    idx = {c: header.index(c.upper()) for c in NUMERIC}

    rng = random.Random(yy)
    cells = [(rng.randrange(len(body)), rng.choice(NUMERIC)) for _ in range(2_000)]
    for i, col in cells:
        cell, got = body[i][idx[col]], df.at[i, col]
        if isinstance(cell, float):
            assert got == cell, (i, col, cell, got)
        else:
            assert pd.isna(got), (i, col, cell, got)
        assert df.at[i, "soc_code"] == body[i][header.index("OCC_CODE")]

    # Every marker cell in the file is NULL and explained by its flag.
    markers = df["wage_markers"].fillna("")
    for i, row in enumerate(body):
        for col in EMPLOYMENT:
            if row[idx[col]] == "**":
                assert pd.isna(df.at[i, col]) and df.at[i, "emp_suppressed"]
        for col in WAGES:
            cell = row[idx[col]]
            if cell in ("*", "#"):
                assert pd.isna(df.at[i, col]), (i, col)
                assert f"{col}={cell}" in markers.iat[i]
                flag = "wage_top_coded" if cell == "#" else "wage_not_available"
                assert df.at[i, flag]
