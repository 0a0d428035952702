from __future__ import annotations

from pathlib import Path

import pytest

from transforms import indeed
from transforms.errors import SchemaDriftError, SourceFormatError

HEADER = "date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"


def write(tmp_path: Path, text: str, name: str = "agg.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_unsorted_interleaved_runs_are_sorted_and_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER + "2020-02-02,US,99.5,99.1,new postings\n"
        "2020-02-01,US,100,100,total postings\n2020-02-01,US,100,100,new postings\n"
        "2020-02-02,US,100.03,100.05,total postings\n",
    )
    frame = indeed.read_tracker(path, indeed.AGGREGATE)
    assert list(frame.columns) == ["date", "country", "index_sa", "index_nsa", "variable"]
    assert frame["variable"].tolist() == ["new postings", "total postings"] * 2
    assert frame["index_sa"].tolist() == [100.0, 100.0, 99.5, 100.03]
    assert indeed.vintage(frame) == "2020-02-02"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\ufeff" + (HEADER + "2020-02-01,US,100,100,total postings\n").replace("\n", "\r\n"),
    )
    assert len(indeed.read_tracker(path, indeed.AGGREGATE)) == 1


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "date,jobcountry,index,variable\n2020-02-01,US,100,total postings\n")
    with pytest.raises(SchemaDriftError, match="indeed_job_postings_index_SA"):
        indeed.read_tracker(path, indeed.AGGREGATE, "https://example.org/agg.csv")


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ("2020-13-01,US,100,100,total postings", r"row 2, column 'date'"),
        ("2020-02-01,US,abc,100,total postings", r"row 2, column 'index_sa'.*'abc'"),
        ("2020-02-01,US,100,100,all postings", r"unknown variable"),
    ],
)
def test_bad_cells_name_row_and_column(tmp_path: Path, row: str, match: str) -> None:
    path = write(tmp_path, HEADER + row + "\n")
    with pytest.raises(SourceFormatError, match=match):
        indeed.read_tracker(path, indeed.AGGREGATE, "agg.csv")


def test_empty_and_header_only_files_fail(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="empty file"):
        indeed.read_tracker(write(tmp_path, ""), indeed.AGGREGATE)
    with pytest.raises(SourceFormatError, match="no data rows"):
        indeed.read_tracker(write(tmp_path, HEADER, "h.csv"), indeed.AGGREGATE)


def test_duplicate_keys_fail(tmp_path: Path) -> None:
    line = "2020-02-01,US,100,100,total postings\n"
    with pytest.raises(SourceFormatError, match="duplicate rows"):
        indeed.read_tracker(write(tmp_path, HEADER + line + line), indeed.AGGREGATE)


def test_wage_tracker_month_format_and_na(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "jobcountry,country,sector,month,n_obs,posted_wage_growth_yoy,"
        "posted_wage_growth_yoy_3moavg\nUS,United States,Nursing,Jan-19,1200,3.1,NA\n",
    )
    frame = indeed.read_tracker(path, indeed.WAGE_SECTOR)
    assert str(frame.loc[0, "month"]) == "2019-01-01"
    assert frame["wage_growth_yoy_3mo"].isna().all()
