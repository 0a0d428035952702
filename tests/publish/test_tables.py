"""The snapshot's tables as files: one Parquet per mart (and meta.checks, meta.runs) holding
exactly what the snapshot holds, and a CSV beside the small ones that a spreadsheet opens
without running anyone's formula."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from outlook.config import Settings
from outlook.publish.tables import CSV_MAX_ROWS, export_tables


def _published(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        f"{s}.{t}"
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name in ('marts', 'meta') "
            "order by 1, 2"
        ).fetchall()
    ]


def test_parquet_tables_exist_and_match_the_snapshot(published_demo: Settings) -> None:
    folder = published_demo.publish_dir / "tables"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(published_demo.snapshot_path), read_only=True) as con:
        tables = _published(con)
        assert sorted(manifest["tables"]) == tables and "meta.checks" in tables
        assert manifest["snapshot"]["run_id"] == "published-demo"
        for name in tables:
            schema, table = name.split(".")
            parquet = folder / schema / f"{table}.parquet"
            rows = con.execute(f"select count(*) from {name}").fetchone()[0]
            assert manifest["tables"][name]["rows"] == rows
            assert con.execute(f"select count(*) from '{parquet}'").fetchone()[0] == rows
            # same rows, same values, same column names and types, in both directions
            for left, right in ((name, f"'{parquet}'"), (f"'{parquet}'", name)):
                extra = con.execute(
                    f"select count(*) from (from {left} except all from {right})"
                ).fetchone()[0]
                assert extra == 0, f"{name}: {extra} rows of {left} not in {right}"
            assert (
                con.execute(f"describe {name}").fetchall()
                == con.execute(f"describe select * from '{parquet}'").fetchall()
            ), name
            csv_file = folder / schema / f"{table}.csv"
            assert csv_file.exists() == (rows <= CSV_MAX_ROWS), name
            if csv_file.exists():
                with csv_file.open(encoding="utf-8", newline="") as handle:
                    assert sum(1 for _ in csv.reader(handle)) == rows + 1, name


def test_csv_only_for_small_tables_and_formulas_are_inert(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.duckdb"
    with duckdb.connect(str(snapshot)) as con:
        con.execute("create schema marts; create schema meta")
        con.execute("create table meta.runs as select 'r1' as run_id")
        con.execute(
            "create table marts.small as select * from (values "
            "('=HYPERLINK(\"http://x\")', -1.5), ('+1 more', 2.0), ('@sum', 3.0), "
            "('plain - text', 4.0)) t(title, value)"
        )
        con.execute("create table marts.big as select range as n from range(11)")
    manifest = export_tables(snapshot, tmp_path / "published", csv_max_rows=10)
    folder = tmp_path / "published" / "tables"
    assert manifest["marts.big"] == {"rows": 11, "files": ["marts/big.parquet"]}
    assert manifest["marts.small"]["files"] == ["marts/small.parquet", "marts/small.csv"]
    assert not (folder / "marts" / "big.csv").exists()
    with (folder / "marts" / "small.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["title", "value"]
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+1 more",
        "'@sum",
        "plain - text",
    ]
    assert [r[1] for r in rows[1:]] == ["-1.5", "2.0", "3.0", "4.0"]  # numbers untouched
    with duckdb.connect() as con:  # the Parquet file keeps the text as it was
        assert (
            con.execute(f"select title from '{folder}/marts/small.parquet' limit 1").fetchone()[0]
            == '=HYPERLINK("http://x")'
        )

    # a second export replaces the folder whole: a table gone from the snapshot is gone here
    with duckdb.connect(str(snapshot)) as con:
        con.execute("drop table marts.big")
    export_tables(snapshot, tmp_path / "published", csv_max_rows=10)
    assert sorted(p.name for p in (folder / "marts").iterdir()) == ["small.csv", "small.parquet"]
    assert not list((tmp_path / "published").glob(".tables.*"))
