"""The mart gate on small hand-built marts: GX and SQL engines, meta.checks, publish refusal."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from outlook.quality import validate_marts

WAGES = """
create table marts.occupation_wages as select * from (values
    ('M2024', 2024, '11-1011', 'detailed', '000000', null, 10.0, 20.0, 30.0, 40.0, 50.0,
     20800.0, 41600.0, 62400.0, 83200.0, 104000.0, 5.0, 100, 1.0, 31.0, 64000.0),
    ('M2024', 2024, '15-1252', 'detailed', '31-33', '31-33', 20.0, 30.0, null, 50.0, 60.0,
     41600.0, 62400.0, null, 104000.0, 124800.0, 1.5, 200, 2.0, 40.0, 83000.0),
    ('M2024', 2024, '15-1299', 'detailed', '62', '62', 20.0, 30.0, 35.0, 50.0, 60.0,
     null, null, null, null, null, 0.5, 50, 3.5, 36.0, null)
) t(release, release_year, soc_code, o_group, naics_code, naics_sector, h_pct10, h_pct25,
    h_median, h_pct75, h_pct90, a_pct10, a_pct25, a_median, a_pct75, a_pct90, pct_total,
    tot_emp, emp_prse, h_mean, a_mean);
alter table marts.occupation_wages alter tot_emp type bigint;
alter table marts.occupation_wages alter h_pct10 type double;
alter table marts.occupation_wages alter h_pct25 type double;
alter table marts.occupation_wages alter h_median type double;
alter table marts.occupation_wages alter h_pct75 type double;
alter table marts.occupation_wages alter h_pct90 type double;
alter table marts.occupation_wages alter a_pct10 type double;
alter table marts.occupation_wages alter a_pct25 type double;
alter table marts.occupation_wages alter a_median type double;
alter table marts.occupation_wages alter a_pct75 type double;
alter table marts.occupation_wages alter a_pct90 type double;
alter table marts.occupation_wages alter pct_total type double;
alter table marts.occupation_wages alter emp_prse type double;
alter table marts.occupation_wages alter h_mean type double;
alter table marts.occupation_wages alter a_mean type double;
"""
DIM = """
create table marts.dim_occupation as select * from (values
    ('11-1011', 'Chief Executives', 'detailed', ['11-1011.00']),
    ('15-1252', 'Software Developers', 'detailed', ['15-1252.00'])
) t(soc_code, soc_title, level, onet_soc_codes)
"""
POSTINGS = """
create table marts.fct_postings as select
    'ab' as file_sha256, i as row_number, lpad(printf('%x', i), 16, '0') as posting_id,
    'vendor' as source, date '2025-01-01' + cast(i as integer) as posted_date,
    50000.0 as annual_salary_min, 60000.0 as annual_salary_max, 55000.0 as annual_salary_mid,
    '15-1252' as soc_code, 'g' || i as duplicate_group_id, true as is_canonical
from range(1, 1001) r(i)
"""


def warehouse(tmp_path: Path, *statements: str) -> duckdb.DuckDBPyConnection:
    from outlook.warehouse import connect

    con = connect(tmp_path / "warehouse" / "outlook.duckdb")
    for sql in statements:
        con.execute(sql)
    return con


def by_table(results):
    return {r.table: r for r in results}


@pytest.mark.parametrize("max_gx_rows", [2_000_000, 0], ids=["gx", "sql"])
def test_good_marts_pass_and_missing_tables_are_not_built(tmp_path: Path, max_gx_rows) -> None:
    with warehouse(tmp_path, WAGES, DIM) as con:
        results = by_table(validate_marts(con, "r1", max_gx_rows=max_gx_rows, build_docs=False))
        wages = results["marts.occupation_wages"]
        assert wages.success and wages.engine == ("gx+sql" if max_gx_rows else "sql")
        # the reference check is a warning with count and examples, from an anti-join
        assert wages.warnings and all(
            "15-1299" in w.describe() and w.unexpected == 1 for w in wages.warnings
        )
        assert results["marts.industry_openings"].status == "not built"
        rows = con.execute(
            "select table_name, success, evaluated, failed from meta.checks "
            "where run_id = 'r1' and table_name = 'marts.occupation_wages'"
        ).fetchall()
        assert rows == [("marts.occupation_wages", True, wages.evaluated, 0)]


@pytest.mark.parametrize("max_gx_rows", [2_000_000, 0], ids=["gx", "sql"])
@pytest.mark.parametrize(
    ("patch", "expectation", "example"),
    [
        ("update marts.occupation_wages set h_pct75 = 99 where soc_code = '15-1252'",
         "[h_pct75 <= h_pct90]", "(99.0, 60.0)"),
        ("update marts.occupation_wages set soc_code = '15-1252', naics_code = '31-33' "
         "where soc_code = '11-1011'", "(release, soc_code, o_group, naics_code) unique", "'15-1252'"),
        ("update marts.occupation_wages set soc_code = '151252' where soc_code = '15-1252'",
         "expect_column_values_to_match_regex", "'151252'"),
        ("update marts.occupation_wages set release = null where soc_code = '15-1252'",
         "[release not null]", "1"),
        ("update marts.occupation_wages set pct_total = 101 where soc_code = '15-1252'",
         "[pct_total within [0, 100]]", "101.0"),
    ],
)  # fmt: skip
def test_bad_mart_fails_with_table_expectation_examples(
    tmp_path: Path, patch: str, expectation: str, example: str, max_gx_rows: int
) -> None:
    with warehouse(tmp_path, WAGES, DIM, patch) as con:
        wages = by_table(validate_marts(con, "r1", max_gx_rows=max_gx_rows, build_docs=False))[
            "marts.occupation_wages"
        ]
        assert not wages.success and wages.status == "failed"
        assert expectation in wages.summary and example in wages.summary, wages.summary
        stored = con.execute(
            "select success, failed, summary from meta.checks "
            "where table_name = 'marts.occupation_wages'"
        ).fetchone()
        assert stored[0] is False and stored[1] >= 1 and example in stored[2]


def test_fact_table_runs_in_sql_with_exact_counts(tmp_path: Path) -> None:
    bad = (
        "update marts.fct_postings set annual_salary_min = 70000 where row_number in (7, 8);"
        "update marts.fct_postings set posted_date = date '2999-01-01' where row_number = 9;"
        "update marts.fct_postings set is_canonical = false where row_number = 10"
    )
    with warehouse(tmp_path, POSTINGS, bad) as con:
        fct = by_table(validate_marts(con, "r1", build_docs=False))["marts.fct_postings"]
    assert fct.engine == "sql" and not fct.success
    failed = {f.check: f for f in fct.failures}
    assert failed["annual_salary_min <= annual_salary_max"].unexpected == 2
    assert (70000.0, 60000.0) in failed["annual_salary_min <= annual_salary_max"].examples
    assert "2999-01-01" in fct.summary
    assert failed["exactly one canonical row per duplicate group"].unexpected == 1


def test_publish_refuses_a_failed_build(tmp_path: Path) -> None:
    from outlook.cli.main import main

    db = tmp_path / "warehouse" / "outlook.duckdb"
    patch = "update marts.occupation_wages set h_pct10 = 1000 where soc_code = '11-1011'"
    warehouse(tmp_path, WAGES, DIM, patch).close()
    publish = tmp_path / "published"
    argv = ["publish", "--db", str(db), "--publish-dir", str(publish)]
    assert main(argv) == 1
    assert not (publish / "snapshot" / "outlook.duckdb").exists()
    assert main(["validate", "--db", str(db)]) == 1
    with duckdb.connect(str(db)) as con:
        con.execute("update marts.occupation_wages set h_pct10 = 10 where soc_code = '11-1011'")
    assert main(argv) == 0 and (publish / "snapshot" / "outlook.duckdb").exists()
