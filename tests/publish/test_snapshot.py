"""The published snapshot opens in DuckDB 1.x, with every mart's description as a comment,
the run record and checks beside the marts, and says which warehouse and format it is."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from outlook.config import SettingError, Settings, resolve_settings
from outlook.publish.mart_docs import collect, load_descriptions, table_comment
from outlook.publish.snapshot import SnapshotStorageError, open_snapshot, write_snapshot
from tests.conftest import ROOT

PID = "Performance Improvement Director"
# Run by the DuckDB 1.x venv's python: what a 1.x reader (BI driver, CLI) sees.
READ_WITH_DUCKDB_1 = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(json.dumps({
    "version": duckdb.__version__,
    "rows": con.execute("select count(*) from marts.role_outlook").fetchone()[0],
    "pid": con.execute(
        "select industry_sector, label, postings_current_window from marts.role_outlook "
        "where role = ? order by industry_sector", [sys.argv[2]]).fetchall(),
    "table_comment": con.execute(
        "select comment from duckdb_tables() where schema_name = 'marts' "
        "and table_name = 'role_outlook'").fetchone()[0],
    "column_comments": dict(con.execute(
        "select column_name, comment from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'role_outlook'").fetchall()),
    "checks": con.execute("select count(*) from meta.checks").fetchone()[0],
    "info": con.execute(
        "select run_id, warehouse, storage_version from snapshot_info").fetchone(),
}))
"""


@pytest.fixture(scope="session")
def duckdb1_python() -> Path:
    """The python of ``.cache/duckdb1-venv`` (``duckdb<2``), made by the project's script."""
    done = subprocess.run(
        ["sh", str(ROOT / "scripts" / "duckdb1_venv.sh")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    unreachable = ("NewConnectionError", "Failed to establish", "No matching distribution")
    if done.returncode != 0 and any(word in done.stderr for word in unreachable):
        pytest.skip(f"PyPI unreachable, no DuckDB 1.x wheel: {done.stderr.strip()[-300:]}")
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def test_duckdb_1x_reads_the_published_snapshot_with_its_comments(
    published_demo: Settings, duckdb1_python: Path
) -> None:
    done = subprocess.run(
        [str(duckdb1_python), "-c", READ_WITH_DUCKDB_1, str(published_demo.snapshot_path), PID],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["version"].startswith("1."), seen["version"]

    with open_snapshot(published_demo.snapshot_path) as con:  # the writer's DuckDB (2.x)
        rows = con.execute("select count(*) from marts.role_outlook").fetchone()[0]
        pid = con.execute(
            "select industry_sector, label, postings_current_window from marts.role_outlook "
            "where role = ? order by industry_sector",
            [PID],
        ).fetchall()
        checks = con.execute("select count(*) from meta.checks").fetchone()[0]
    assert seen["rows"] == rows > 0
    assert [tuple(r) for r in seen["pid"]] == pid and pid
    assert checks > 0 and seen["checks"] == checks

    # every column of the mart carries its _columns.yml description, the table its header
    (doc,) = [d for d in collect(load_descriptions()) if d.table == "marts.role_outlook"]
    assert seen["column_comments"] == {c: text for c, text in doc.columns}
    assert all(seen["column_comments"].values())
    assert seen["table_comment"] == table_comment(doc) and "Grain" in seen["table_comment"]
    run_id, warehouse, storage = seen["info"]
    assert run_id == "published-demo" and storage == "v1.0.0"
    assert warehouse == str(published_demo.db.resolve())


def test_every_mart_column_is_commented_in_the_snapshot_and_the_warehouse(
    published_demo: Settings,
) -> None:
    descriptions = load_descriptions()
    for path in (published_demo.snapshot_path, published_demo.db):
        with duckdb.connect(str(path), read_only=True) as con:
            rows = con.execute(
                "select table_name, column_name, comment from duckdb_columns() "
                "where database_name = current_database() and schema_name = 'marts'"
            ).fetchall()
            tables = con.execute(
                "select table_name, comment from duckdb_tables() "
                "where database_name = current_database() and schema_name = 'marts'"
            ).fetchall()
        assert len(rows) > 200, path  # every mart was built and published
        for table, column, comment in rows:
            expected = descriptions[f"marts.{table}"]["columns"][column]
            assert comment == str(expected).strip(), f"{path}: {table}.{column}"
        assert all(comment for _, comment in tables), path


def test_the_run_record_and_checks_are_published_as_recorded(published_demo: Settings) -> None:
    with duckdb.connect(str(published_demo.db), read_only=True) as con:
        runs = con.execute("select * from meta.runs order by run_id").fetchall()
        checks = con.execute("select * from meta.checks order by all").fetchall()
    with open_snapshot(published_demo.snapshot_path) as con:
        assert con.execute("select * from meta.runs order by run_id").fetchall() == runs
        assert con.execute("select * from meta.checks order by all").fetchall() == checks
        meta = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'meta' order by 1"
        ).fetchall()
    assert meta == [("checks",), ("runs",)]
    assert checks


def _format_tag(path: Path) -> str:
    with duckdb.connect() as con:
        con.execute(f"attach '{path}' as s (read_only)")
        return con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = 's'"
        ).fetchone()[0]


def test_the_storage_version_is_a_setting(demo_settings: Settings, tmp_path: Path) -> None:
    shutil.copy(demo_settings.db, tmp_path / "warehouse.duckdb")  # attaching needs a writer
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        write_snapshot(con, tmp_path / "old.duckdb", "r1")  # the default: v1.0.0
        write_snapshot(con, tmp_path / "new.duckdb", "r2", storage_version="latest")
        with pytest.raises(SnapshotStorageError, match="v9.0.0.*e.g. v1.0.0"):
            write_snapshot(con, tmp_path / "bad.duckdb", "r3", storage_version="v9.0.0")
        with pytest.raises(SettingError):  # never formatted into SQL
            write_snapshot(con, tmp_path / "bad.duckdb", "r3", storage_version="v1'); --")
    assert _format_tag(tmp_path / "old.duckdb") == "v1.0.0+"
    # the writing library's own format (DuckDB 2.x here), which 1.x refuses
    assert _format_tag(tmp_path / "new.duckdb") == f"v{duckdb.__version__.split('.')[0]}.0.0+"
    assert not (tmp_path / "bad.duckdb").exists()

    assert resolve_settings(env={}).snapshot_storage_version == "v1.0.0"
    env = {"OUTLOOK_SNAPSHOT_STORAGE_VERSION": "v1.4.0"}
    assert resolve_settings(env=env).snapshot_storage_version == "v1.4.0"
    with pytest.raises(SettingError, match="OUTLOOK_SNAPSHOT_STORAGE_VERSION"):
        resolve_settings(env={"OUTLOOK_SNAPSHOT_STORAGE_VERSION": "1.4"})
