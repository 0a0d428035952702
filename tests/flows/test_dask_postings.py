"""Posting files staged on a 2-worker Dask LocalCluster load the same warehouse as serially."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import psutil
import pytest

from outlook.config import parse_task_runner
from tests.conftest import ROOT

pytestmark = pytest.mark.flow

SAMPLES = ROOT / "data" / "samples" / "postings"
HEADER = "source_id,title_raw,employer_raw,location_raw,posted_date,salary_text\n"
ROWS = [
    'G1,Registered Nurse,Mercy Health,"Dayton, OH",2026-01-06,$45/hr',
    'G2,Data Scientist,Acme Analytics Inc.,"Austin, TX",2026-02-01,',
    "G3,Broken row with,too,many,fields,here,x,y",  # malformed: quarantined by the parser
    'G4,,Mercy Health,"Dayton, OH",2026-01-07,',  # no title: quarantined by the mapping
]
# Lineage and load bookkeeping differ by nature between two warehouses and raw stores.
VARYING = "_load_id, _loaded_at, _source_file, file_path"


def drops(tmp_path: Path) -> list[str]:
    folder = tmp_path / "drops"
    shutil.copytree(SAMPLES, folder)
    (folder / "generated.csv").write_text(HEADER + "\n".join(ROWS) + "\n")
    shutil.copy(folder / "generated.csv", folder / "generated_again.csv")  # the same bytes
    (folder / "no_title.csv").write_text("source_id,posted_date\nX1,2026-01-01\n")
    return sorted(str(p) for p in folder.iterdir())


def ingest(settings, files: list[str], runner: str):
    from flows.ingest_postings import ingest_postings

    settings = settings.with_(task_runner=parse_task_runner(runner))
    return ingest_postings(settings, "r1", files, "generic")


def content(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        queries = {
            "postings": f"select * exclude ({VARYING}) from raw.postings",
            "quarantine": "select * exclude (load_id, quarantined_at, file_path) "
            "from quarantine.postings",
            "loads": "select source, release, outcome, rows_read, rows_loaded, "
            "rows_quarantined from meta.loads",
        }
        return {
            name: con.execute(f"{sql} order by all").fetchall() for name, sql in queries.items()
        }


def test_dask_staging_loads_the_same_warehouse_as_serial(
    prefect_harness, settings, tmp_path: Path
) -> None:
    files = drops(tmp_path)
    serial = settings.with_(db=tmp_path / "serial.duckdb", raw_dir=tmp_path / "raw-serial")
    fanned = settings.with_(db=tmp_path / "dask.duckdb", raw_dir=tmp_path / "raw-dask")
    before = {p.pid for p in psutil.Process().children(recursive=True)}

    serial_loads, serial_errors = ingest(serial, files, "serial")
    dask_loads, dask_errors = ingest(fanned, files, "dask:local:2")

    assert [(x.file, x.outcome, x.rows_loaded) for x in dask_loads] == [
        (x.file, x.outcome, x.rows_loaded) for x in serial_loads
    ]
    outcomes = {Path(x.file).name: x.outcome for x in dask_loads}
    assert outcomes["generated.csv"] == "loaded" and outcomes["generated_again.csv"] == "unchanged"
    assert len(dask_errors) == len(serial_errors) == 1 and "no_title.csv" in dask_errors[0]
    assert "title_raw" in dask_errors[0]
    expected, got = content(serial.db), content(fanned.db)
    assert len(expected["postings"]) > 2000 and len(expected["quarantine"]) >= 2
    assert got == expected
    # the staging folder is gone, the raw files are kept as serially
    assert not any((fanned.raw_dir / ".staging").rglob("*"))
    kept = sorted(p.name for p in (fanned.raw_dir / "file-drop").rglob("*") if p.is_file())
    assert kept == sorted(p.name for p in (serial.raw_dir / "file-drop").rglob("*") if p.is_file())
    # the cluster is closed with its worker processes; what may stay is multiprocessing's
    # resource tracker, one per interpreter, started with the first spawned process and
    # ending with this process (a CLI run's ends with the command)
    left = [
        p.cmdline()
        for p in psutil.Process().children(recursive=True)
        if p.pid not in before and p.status() != psutil.STATUS_ZOMBIE
    ]
    assert [c for c in left if "multiprocessing.resource_tracker" not in " ".join(c)] == []


def test_a_file_loaded_serially_is_unchanged_with_dask(
    prefect_harness, settings, tmp_path: Path
) -> None:
    files = drops(tmp_path)[:1]
    ingest(settings, files, "serial")
    loads, errors = ingest(settings, files, "dask:local:1")
    assert errors == [] and [x.outcome for x in loads] == ["unchanged"]
    assert not any((settings.raw_dir / ".staging").rglob("*"))
