"""The batch gate: each kind of bad batch is refused with table, expectation and examples."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from outlook.ingest.fetch import FetchOptions, fetch
from outlook.ingest.raw_loads import load_fetched, record_fetch
from outlook.ingest.sources import by_name
from outlook.quality import QualityGateFailed, validate_batch
from outlook.quality.gates import min_rows
from outlook.warehouse import connect


def oews(**changes: object) -> pd.DataFrame:
    """Three good OEWS rows (raw parser columns); ``changes`` patch row 1."""
    frame = pd.DataFrame(
        {
            "release": ["M2024"] * 3,
            "naics_code": ["000000", "31-33", "62"],
            "soc_code": ["11-1011", "15-1252", "29-1141"],
            "o_group": ["detailed"] * 3,
            "tot_emp": pd.array([100, 200, 300], dtype="Int64"),
            **{
                f"{p}_{q}": pd.array(v, dtype="Float64")
                for p, scale in (("h", 1.0), ("a", 2080.0))
                for q, v in (
                    ("pct10", [10 * scale, 20 * scale, 30 * scale]),
                    ("pct25", [12 * scale, 22 * scale, 32 * scale]),
                    ("median", [15 * scale, 25 * scale, None]),
                    ("pct75", [18 * scale, 28 * scale, 38 * scale]),
                    ("pct90", [20 * scale, 30 * scale, 40 * scale]),
                )
            },
        }
    )
    for column, value in changes.items():
        frame.loc[1, column] = value
    return frame


def postings(n: int = 3, **changes: object) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "source": ["vendor"] * n,
            "file_sha256": ["ab" * 32] * n,
            "row_number": range(1, n + 1),
            "posted_date": [date(2025, 1, 1) + timedelta(days=i) for i in range(n)],
            "annual_salary_min": [50_000.0] * n,
            "annual_salary_max": [60_000.0] * n,
        }
    )
    for column, value in changes.items():
        frame.loc[1, column] = value
    return frame


def refused(source: str, frame: pd.DataFrame, previous_rows: int | None = None) -> str:
    with pytest.raises(QualityGateFailed) as caught:
        validate_batch(source, frame, previous_rows=previous_rows)
    return str(caught.value)


def test_good_batches_pass() -> None:
    [result] = validate_batch("oews_m2024", oews(), previous_rows=3)
    assert (
        result.success and result.evaluated > 20 and result.table == "raw.oews__industry_estimates"
    )
    assert validate_batch("postings_vendor", postings(), previous_rows=None)[0].success


@pytest.mark.parametrize(
    ("source", "frame", "expectation", "example"),
    [
        ("oews_m2024", oews(soc_code=None), "expect_column_values_to_not_be_null", "soc_code"),
        ("oews_m2024", oews(soc_code="11-1011", naics_code="000000"),
         "expect_compound_columns_to_be_unique", "'soc_code': '11-1011'"),
        ("oews_m2024", oews(soc_code="15-125"), "expect_column_values_to_match_regex", "'15-125'"),
        ("oews_m2024", oews(naics_code="31-32"), "expect_column_values_to_match_regex", "'31-32'"),
        ("oews_m2024", oews(h_pct75=99.0), "expect_column_pair_values_a_to_be_greater_than_b",
         "(99.0, 30.0)"),
        # a_median NULL on row 2: p25 <= p75 still compared (NULLs ignored, not skipped rows)
        ("oews_m2024", oews(a_pct25=1e6), "[a_pct25 <= a_pct75]", "1000000.0"),
        ("postings_vendor", postings(annual_salary_min=90_000.0),
         "[annual_salary_min <= annual_salary_max]", "(90000.0, 60000.0)"),
        ("postings_vendor", postings(posted_date=date.today() + timedelta(days=400)),
         "[posted_date between 1990-01-01", str(date.today() + timedelta(days=400))),
        ("postings_vendor", postings(posted_date=date(1985, 6, 1)), "posted_date between",
         "1985-06-01"),
    ],
)  # fmt: skip
def test_bad_batch_is_refused_naming_table_expectation_examples(
    source: str, frame: pd.DataFrame, expectation: str, example: str
) -> None:
    message = refused(source, frame)
    assert source in message
    assert expectation in message and example in message, message


def test_ninety_percent_row_drop_is_refused() -> None:
    message = refused("postings_vendor", postings(n=10), previous_rows=100)
    assert "expect_table_row_count_to_be_between" in message
    assert "10 rows, expected at least 11" in message
    # 89% down is allowed; the band is configurable per call
    assert validate_batch("postings_vendor", postings(n=11), previous_rows=100)[0].success
    assert validate_batch("postings_vendor", postings(n=10), previous_rows=100, max_drop=0.95)


def test_min_rows_is_exact_at_the_boundary() -> None:
    assert min_rows(10, 0.9) == 2  # 10 -> 1 is a 90% drop: refused
    assert min_rows(None, 0.9) == 0 and min_rows(0, 0.9) == 0


def test_absent_columns_are_skipped_not_failed() -> None:
    frame = postings().drop(columns=["annual_salary_min", "annual_salary_max"])
    [result] = validate_batch("postings_vendor", frame, previous_rows=None)
    skipped = [f for f in result.findings if f.note.startswith("skipped")]
    assert result.success and any("annual_salary_min" in f.note for f in skipped)


def direct_match(n: int = 3, **changes: object) -> pd.DataFrame:
    """Direct match titles as the parser returns them: several titles per SOC code."""
    frame = pd.DataFrame(
        {
            "soc_code": ["29-1141"] * n,
            "soc_title": ["Registered Nurses"] * n,
            "direct_match_title": [f"Nurse {i}" for i in range(n)],
            "illustrative": pd.array([i % 2 == 0 for i in range(n)], dtype="boolean"),
        }
    )
    for column, value in changes.items():
        frame.loc[1, column] = value
    return frame


def test_direct_match_titles_have_their_own_suite() -> None:
    # not the 'soc_*' suite, whose key is soc_code alone: many titles share a code
    [result] = validate_batch("soc_direct_match_titles", direct_match(), previous_rows=3)
    assert result.success and result.suite == "batch:soc_direct_match_titles"
    assert result.table == "raw.soc__direct_match_titles"
    for frame, says in [
        (direct_match(direct_match_title="Nurse 0"), "'direct_match_title': 'Nurse 0'"),
        (direct_match(soc_code="29-114"), "'29-114'"),
        (direct_match(soc_title=None), "soc_title"),
    ]:
        message = refused("soc_direct_match_titles", frame)
        assert says in message, message
    message = refused("soc_direct_match_titles", direct_match(n=600), previous_rows=6_283)
    assert "expect_table_row_count_to_be_between" in message


# --- through the loader: the warehouse keeps its last good state --------------------------

SOURCE = by_name()["indeed_us_aggregate"]
HEADER = "date,jobcountry,indeed_job_postings_index_SA,indeed_job_postings_index_NSA,variable\n"


def body(days: int, start: date = date(2024, 1, 1), country: str = "US") -> str:
    lines = [
        f"{start + timedelta(days=i)},{country},{100 + i},{100 + i},total postings\n"
        for i in range(days)
    ]
    return HEADER + "".join(lines)


def load(con, tmp_path: Path, text: str):
    mirror = tmp_path / "mirror"
    target = mirror / "raw.githubusercontent.com/hiring-lab/job_postings_tracker/master/US"
    target.mkdir(parents=True, exist_ok=True)
    (target / "aggregate_job_postings_US.csv").write_text(text)
    options = FetchOptions(raw_dir=tmp_path / "raw", mirror=mirror, expect="csv")
    fetched = fetch(SOURCE.url, options)
    return load_fetched(con, "run", SOURCE, fetched, record_fetch(con, "run", SOURCE, fetched))


def snapshot(con) -> list[tuple]:
    return con.execute(
        "select * exclude (_loaded_at) from raw.indeed__aggregate_postings order by all"
    ).fetchall()


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (body(5, start=date(2024, 3, 1)), "expect_table_row_count_to_be_between"),
        (body(60) + f"{date.today() + timedelta(days=90)},US,1,1,total postings\n",
         "expect_column_values_to_be_between [date between 2019-01-01"),
        (body(60) + "2024-03-30,U5,1,1,total postings\n", "'U5'"),
    ],
)  # fmt: skip
def test_loader_refuses_bad_batch_and_keeps_last_good_rows(
    tmp_path: Path, bad: str, says: str
) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        assert load(con, tmp_path, body(60)).outcome == "loaded"
        before = snapshot(con)
        with pytest.raises(QualityGateFailed, match="raw.indeed__aggregate_postings") as caught:
            load(con, tmp_path, bad)
        assert says in str(caught.value)
        assert snapshot(con) == before
        outcome, message = con.execute(
            "select outcome, message from meta.loads order by started_at desc limit 1"
        ).fetchone()
        assert outcome == "failed" and says in message


@pytest.mark.parametrize(
    ("source", "frame", "expectation", "example"),
    [
        ("oews_m2024", oews(soc_code="15-125"), "expect_column_values_to_match_regex", "15-125"),
        ("oews_m2024", oews(h_pct75=99.0), "h_pct75", "99.0"),
        ("postings_vendor", postings(annual_salary_min=90_000.0),
         "[annual_salary_min <= annual_salary_max]", "90000.0"),
        ("postings_vendor", postings(posted_date=date.today() + timedelta(days=400)),
         "posted_date between", str(date.today() + timedelta(days=400))),
    ],
)  # fmt: skip
def test_large_batches_take_the_sql_path_with_the_same_verdicts(
    monkeypatch, source: str, frame: pd.DataFrame, expectation: str, example: str
) -> None:
    import outlook.quality.gates as quality

    monkeypatch.setattr(quality, "GX_BATCH_MAX_ROWS", 0)  # every batch counts as large
    [good] = validate_batch(
        source, oews() if source.startswith("oews") else postings(), previous_rows=3
    )
    assert good.success and good.engine == "sql"
    message = refused(source, frame)
    assert expectation in message and example in message
    drop = refused("postings_vendor", postings(n=1), previous_rows=100)
    assert "expect_table_row_count_to_be_between" in drop and "at least 11" in drop
