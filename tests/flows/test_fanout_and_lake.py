"""The partitioned lake: posting sources by month, replaced as a whole on re-export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from outlook.publish.lake import export_partitioned, export_postings


def read_partitioned(lake_dir: Path, source: str) -> str:
    """How a reader (DuckDB) sees one source's partitions (``month`` is a column)."""
    pattern = str(lake_dir / source / "*" / "*.parquet").replace("'", "''")
    return f"read_parquet('{pattern}', hive_partitioning = true, hive_types = {{'month': varchar}})"


def frame(source: str, start: date, days: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": source,
            "posting_row_id": [f"{source}-{i}" for i in range(days)],
            "posted_date": [start + timedelta(days=i) for i in range(days)],
        }
    )


def test_partitioned_export_reads_back_by_month_and_replaces_whole(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    with duckdb.connect() as con:
        con.execute("create schema raw")
        rows = pd.concat(
            [frame("usajobs", date(2024, 1, 20), 40), frame("h1b lca", date(2024, 3, 1), 5)]
        )
        con.register("incoming", rows)
        con.execute("create table raw.postings as select * from incoming")
        counts = export_postings(con, lake)
        assert counts == {
            "usajobs": {"2024-01": 12, "2024-02": 28},
            "h1b_lca": {"2024-03": 5},
        }
        files = sorted(p.relative_to(lake).parts[:2] for p in lake.rglob("*.parquet"))
        assert ("usajobs", "month=2024-01") in files and ("h1b_lca", "month=2024-03") in files
        back = con.execute(
            f"select month, count(*) from {read_partitioned(lake, 'usajobs')} group by 1 order by 1"
        ).fetchall()
        assert back == [("2024-01", 12), ("2024-02", 28)]
        # Pruned read: only one month's folder is needed.
        feb = con.execute(
            f"select count(*) from {read_partitioned(lake, 'usajobs')} where month = '2024-02'"
        ).fetchone()[0]
        assert feb == 28
        # Re-export after a change replaces the source's folder as a whole: no duplicates.
        con.execute("delete from raw.postings where posted_date < date '2024-02-01'")
        assert export_partitioned(
            con, "raw.postings", "posted_date", lake, "usajobs", "source = 'usajobs'"
        ) == {"2024-02": 28}
        assert not (lake / "usajobs" / "month=2024-01").exists()
        assert (
            con.execute(f"select count(*) from {read_partitioned(lake, 'usajobs')}").fetchone()[0]
            == 28
        )
        assert not [p for p in lake.iterdir() if p.name.startswith(".")], "no temp folders left"
