"""Past one machine: the staging flow on a Dask LocalCluster, and the partitioned lake."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from outlook.publish.lake import export_partitioned, export_postings, read_partitioned
from tests.conftest import SAMPLES_MIRROR


@pytest.mark.flow
def test_stage_sources_runs_unchanged_on_a_dask_cluster(
    prefect_harness, settings, tmp_path
) -> None:
    # prefect-dask is a dev dependency to be added to pyproject; skip (saying so) until then.
    DaskTaskRunner = pytest.importorskip("prefect_dask").DaskTaskRunner

    from flows.fanout import stage_sources
    from outlook.ingest.sources import select

    s = settings.with_(mirror=SAMPLES_MIRROR)
    threads = stage_sources(s, str(tmp_path / "threads"), ["indeed"])
    on_dask = stage_sources.with_options(
        task_runner=DaskTaskRunner(
            cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True}
        )
    )(s, str(tmp_path / "dask"), ["indeed"])
    assert [f.source for f in on_dask] == [src.name for src in select(["indeed"])]
    assert [(f.source, f.sha256, f.rows, f.release) for f in on_dask] == [
        (f.source, f.sha256, f.rows, f.release) for f in threads
    ]
    with duckdb.connect() as con:
        for staged in on_dask:
            count = con.execute(f"select count(*) from read_parquet('{staged.path}')").fetchone()
            assert count[0] == staged.rows > 0


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
