"""The CLI against a warehouse another process is writing: one line, an exit code, no traceback.

The holder is a real process holding the writer lock and a DuckDB write connection (what a
refresh holds mid-load), or a DuckDB connection alone (a shell outside the pipeline).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from outlook.config import Settings
from tests.conftest import ROOT

OUTLOOK = [sys.executable, "-c", "from outlook.cli.main import main; raise SystemExit(main())"]

HOLDER = """
import sys
from pathlib import Path
from outlook.lock import writer_lock
from outlook.warehouse import connect
db, mode = Path(sys.argv[1]), sys.argv[2]
if mode == "pipeline":
    with writer_lock(db.with_name(db.name + ".lock"), command="refresh", flow_run="run-abc"):
        con = connect(db)
        print("held", flush=True)
        sys.stdin.read()  # until the test closes our stdin
else:
    import duckdb
    con = duckdb.connect(str(db))
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture
def work(demo_settings: Settings, tmp_path: Path) -> Settings:
    """A copy of the demo warehouse and snapshot the test may lock."""
    shutil.copytree(demo_settings.db.parent, tmp_path / "warehouse")
    shutil.copytree(demo_settings.publish_dir, tmp_path / "published")
    return demo_settings.with_(
        db=tmp_path / "warehouse" / demo_settings.db.name,
        publish_dir=tmp_path / "published",
        raw_dir=tmp_path / "raw",
        state_dir=tmp_path / "state",
    )


def _hold(db: Path, mode: str) -> Iterator[subprocess.Popen[str]]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), mode],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.stdin.close()  # type: ignore[union-attr]
        holder.wait(timeout=30)


@pytest.fixture
def held(work: Settings) -> Iterator[subprocess.Popen[str]]:
    yield from _hold(work.db, "pipeline")


@pytest.fixture
def held_outside(work: Settings) -> Iterator[subprocess.Popen[str]]:
    yield from _hold(work.db, "duckdb")


def cli(
    s: Settings, *args: str, timeout: float = 120
) -> tuple[subprocess.CompletedProcess[str], float]:
    paths = ["--db", str(s.db), "--publish-dir", str(s.publish_dir), "--raw-dir", str(s.raw_dir)]
    env = {**os.environ, "OUTLOOK_STATE_DIR": str(s.state_dir), "COLUMNS": "80"}
    env.pop("OUTLOOK_DEBUG", None)
    clock = time.monotonic()
    done = subprocess.run(
        [*OUTLOOK, *args, *paths], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    return done, time.monotonic() - clock


@pytest.mark.parametrize(
    "command",
    [["validate"], ["publish"], ["build"], ["ingest", "indeed"], ["classify", "nurse"]],
    ids=["validate", "publish", "build", "ingest", "classify"],
)
def test_writers_and_readers_exit_3_naming_the_holder_in_one_line(
    work: Settings, held: subprocess.Popen[str], command: list[str]
) -> None:
    done, _ = cli(work, *command)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: warehouse {work.db} is being written by pid {held.pid}")
    assert "command 'refresh', flow run run-abc" in lines[0]


def test_status_shows_the_snapshot_and_who_is_writing(
    work: Settings, held: subprocess.Popen[str]
) -> None:
    done, _ = cli(work, "status")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout and done.stderr == ""
    notes = [line for line in done.stdout.splitlines() if line.startswith("note:")]
    assert len(notes) == 1, done.stdout  # one line even at 80 columns
    assert f"being written by pid {held.pid}, command 'refresh'" in notes[0]
    assert "showing the published snapshot (run demo" in notes[0]
    assert "role_outlook" in done.stdout and "fct_postings" in done.stdout


def test_second_refresh_fails_fast_before_prefect_starts(
    work: Settings, held: subprocess.Popen[str]
) -> None:
    done, seconds = cli(work, "refresh", "--source", "indeed")
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr and "prefect" not in done.stderr.lower()
    assert f"pid {held.pid}" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    # it used to start Prefect's temporary server first: 13 s idle, 37 s on a busy machine
    assert seconds < 8, f"took {seconds:.1f} s to refuse"


def test_publish_wait_gives_up_after_the_wait(work: Settings, held: subprocess.Popen[str]) -> None:
    done, seconds = cli(work, "publish", "--wait", "1.5")
    assert done.returncode == 3 and seconds >= 1.5, done.stderr
    assert "Traceback" not in done.stderr


def test_a_duckdb_connection_outside_the_pipeline_is_named_too(
    work: Settings, held_outside: subprocess.Popen[str]
) -> None:
    status, _ = cli(work, "status")
    assert status.returncode == 0 and "Traceback" not in status.stderr + status.stdout
    assert f"pid {held_outside.pid}" in status.stdout and "outside the pipeline" in status.stdout
    for command in (["validate"], ["classify", "nurse"]):
        done, _ = cli(work, *command)
        assert done.returncode == 3, done.stderr
        assert "Traceback" not in done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith(f"error: warehouse {work.db} is being written by pid ")
        assert f"(PID {held_outside.pid})" not in lines[0]  # DuckDB's wording is not echoed
        assert f"pid {held_outside.pid} (" in lines[0]
        assert lines[0].endswith("outside the pipeline's writer lock; try again when it closes it")


def test_a_writer_outlasts_a_reader_briefly_holding_the_file(work: Settings) -> None:
    """`outlook status` opening the warehouse at the instant a writer connects must not make
    the writer fail: the writer retries DuckDB's lock for a few seconds."""
    holder = _hold(work.db, "duckdb")
    next(holder)
    paths = ["--db", str(work.db), "--publish-dir", str(work.publish_dir)]
    env = {**os.environ, "OUTLOOK_STATE_DIR": str(work.state_dir)}
    build = subprocess.Popen(
        [*OUTLOOK, "build", *paths], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        time.sleep(3.5)  # start-up takes ~1 s: the build has met the held file by now
        assert build.poll() is None, "the build waits while the file is held"
        next(holder, None)  # release
        _, err = build.communicate(timeout=120)
        assert build.returncode == 0, err
    finally:
        if build.poll() is None:
            build.kill()
