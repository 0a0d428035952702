"""The same job as a strong engineer would write it in plain DuckDB SQL.

What a user who knows DuckDB would pick instead of this project: the parsed ``read_csv``
of bench/floor.py, title normalisation and salary parsing by regex, duplicates by window
functions (exact ``(source, source_id)``, then the same normalised title + employer + city +
state within 60 days of the previous posting in the chain, as
sql/intermediate/int_postings__deduplicated.sql), and monthly counts of canonical postings
by normalised title x month written to Parquet. Run as a subprocess by bench/run.py:

    python bench/baseline_duckdb_sql.py POSTINGS.csv.gz OUT.parquet

It does LESS than the pipeline: no occupation classifier, no quarantine with reasons, no
lineage. The comparison therefore favours the baseline.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import read_csv_sql, rejected_lines  # noqa: E402

DATE_FORMATS = ["%Y-%m-%d", "%d %b %Y", "%m/%d/%Y", "%b %d, %Y", "%Y/%m/%d", "%d/%m/%Y"]


def build_sql(csv_path: str, out_path: str) -> list[str]:
    dates = ", ".join(f"try_strptime(trim(posted_date), '{f}')::date" for f in DATE_FORMATS)
    source = Path(csv_path).name.replace("'", "''")
    out = out_path.replace("'", "''")
    return [
        f"create temp table raw as select * from {read_csv_sql(csv_path)}",
        f"""
        create temp table postings as
        with parsed as (
            select
                row_number() over () as row_id,
                nullif(trim(source_id), '') as source_id,
                '{source}' as source,
                title_raw, employer_raw, salary_text,
                coalesce({dates}) as posted,
                nullif(trim(regexp_extract(location_raw, '^([^,]+),', 1)), '') as city,
                nullif(regexp_extract(location_raw, ',\\s*([A-Za-z]{{2}})\\b', 1), '')
                    as state,
                lower(salary_text) as sal,
                list_transform(
                    regexp_extract_all(lower(salary_text), '\\d[\\d,]*(?:\\.\\d+)?\\s*k?'),
                    lambda x: cast(replace(regexp_extract(x, '[\\d,.]+'), ',', '') as double)
                        * case when x like '%k' then 1000 else 1 end) as sal_v
            from raw
        )
        select
            *,
            nullif(trim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                lower(title_raw),
                '\\([^)]*\\)|\\[[^\\]]*\\]|\\s-\\s.*$', ' ', 'g'),
                '\\b(senior|sr|junior|jr|lead|entry level|principal|staff|i|ii|iii|iv)\\b',
                ' ', 'g'),
                '[^a-z0-9 ]', ' ', 'g'),
                '\\s+', ' ', 'g')), '') as title_norm,
            nullif(trim(regexp_replace(regexp_replace(lower(employer_raw),
                ',?\\s+(inc|llc|corp|co|company|ltd)\\.?$', '', 'g'),
                '\\s+', ' ', 'g')), '') as employer_norm,
            case when len(sal_v) = 0 then null else
                (sal_v[1] + coalesce(sal_v[2], sal_v[1])) / 2
                * case when regexp_matches(sal, 'hour|/hr') then 2080
                       when sal like '%month%' then 12 else 1 end
            end as salary_annual
        from parsed
        where posted is not null and posted >= date '1990-01-01'
        """,
        """
        create temp table canonical as
        with exact as (
            select *, case when source_id is null then row_id else first_value(row_id) over (
                partition by source, source_id order by posted, row_id) end as rep
            from postings
        ), keyed as (
            select *, case when title_norm is null or employer_norm is null
                then cast(row_id as varchar)
                else concat_ws(chr(31), title_norm, employer_norm,
                               coalesce(city, ''), coalesce(state, '')) end as match_key
            from exact where row_id = rep
        ), chained as (
            select *, case when posted - lag(posted) over (
                partition by match_key order by posted, row_id) <= 60 then 0 else 1 end
                as starts_chain
            from keyed
        )
        select * from chained where starts_chain = 1 and title_norm is not null
        """,
        f"""
        copy (
            select title_norm, date_trunc('month', posted)::date as month,
                   count(*) as postings, median(salary_annual) as median_salary
            from canonical
            group by all order by all
        ) to '{out}' (format parquet)
        """,
    ]


def main(csv_path: str, out_path: str) -> int:
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    for sql in build_sql(csv_path, out_path):
        con.execute(sql)
    one = lambda q: con.execute(q).fetchone()[0]  # noqa: E731
    out = out_path.replace("'", "''")
    result = {
        "rows_read": one("select count(*) from raw") + rejected_lines(con),
        "rows_loaded": one("select count(*) from postings"),
        "distinct_titles": one("select count(distinct title_norm) from postings"),
        "canonical_postings": one("select count(*) from canonical"),
        "monthly_rows": one(f"select count(*) from read_parquet('{out}')"),
        "seconds": round(time.perf_counter() - started, 3),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
