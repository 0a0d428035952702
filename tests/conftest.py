"""Shared fixtures: isolated settings per test, the shared real data, one Prefect harness."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES_MIRROR = ROOT / "data" / "samples" / "mirror"

# Before anything imports prefect: keep its home out of the user's and quiet.
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".state" / "prefect-tests"))
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``shared`` skip with a reason when ../shared is absent."""
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"real data folder {SHARED} is absent")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"real data folder {SHARED} is absent")
    return SHARED


@pytest.fixture
def settings(tmp_path: Path):
    """Settings pointing every path into tmp_path."""
    from outlook.config import Settings

    return Settings(
        db=tmp_path / "warehouse" / "outlook.duckdb",
        raw_dir=tmp_path / "raw",
        publish_dir=tmp_path / "published",
        state_dir=tmp_path / "state",
        backoff_s=0.01,
        max_retry_after_s=2.0,
        timeout_s=5.0,
    )


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for every flow test in the session (~15 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


def build_demo_warehouse(settings, mirror: Path = SAMPLES_MIRROR) -> None:
    """Everything `make demo` loads, through the plain functions the flow tasks call (no
    Prefect server): sample mirror sources, JOLTS responses, sample postings, build, snapshot.
    """
    from flows.ingest import fetch_options
    from outlook.build.pipeline import build_warehouse
    from outlook.ingest.fetch import fetch, url_relpath
    from outlook.ingest.jolts import ingest_jolts
    from outlook.ingest.posting_files import expand_paths, load_postings_file
    from outlook.ingest.raw_loads import load_fetched, record_fetch
    from outlook.ingest.sources import ALL_SOURCES
    from outlook.publish.snapshot import write_snapshot
    from outlook.warehouse import connect

    settings = settings.with_(mirror=mirror)
    with connect(settings.db) as con:
        for source in ALL_SOURCES:
            target = mirror / url_relpath(source.url)
            if not target.exists():
                continue
            fetched = fetch(source.url, fetch_options(settings, source))
            load_fetched(con, "demo", source, fetched, record_fetch(con, "demo", source, fetched))
        ingest_jolts(con, settings, "demo")
        for path in expand_paths([str(ROOT / "data" / "samples" / "postings")]):
            load_postings_file(con, path, "generic", settings.raw_dir, "demo")
        build_warehouse(con, "demo")
        write_snapshot(con, settings.snapshot_path, "demo")


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory):
    """A warehouse and published snapshot built once per session from the demo samples."""
    from outlook.config import Settings

    root = tmp_path_factory.mktemp("demo")
    settings = Settings(
        db=root / "warehouse" / "outlook.duckdb",
        raw_dir=root / "raw",
        publish_dir=root / "published",
        state_dir=root / "state",
    )
    build_demo_warehouse(settings)
    return settings


@pytest.fixture(scope="session")
def published_demo(demo_settings, tmp_path_factory: pytest.TempPathFactory):
    """A copy of the demo warehouse validated and published as ``outlook publish`` does
    (``validate_marts``, ``publish_all``): snapshot, tables as Parquet/CSV, lake, exports and
    dashboard; ~40 s, once per session."""
    import shutil

    from outlook.publish.run import publish_all
    from outlook.quality import validate_marts
    from outlook.warehouse import connect

    root = tmp_path_factory.mktemp("published-demo")
    shutil.copytree(demo_settings.db.parent, root / "warehouse")
    settings = demo_settings.with_(
        db=root / "warehouse" / demo_settings.db.name,
        publish_dir=root / "published",
        raw_dir=root / "raw",
    )
    with connect(settings.db) as con:
        assert all(r.success for r in validate_marts(con, "published-demo"))
        publish_all(con, settings, "published-demo", log=lambda message: None)
    return settings


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every file and link under ``folder``: its content hash, or the link's target (a
    published folder is unchanged when these are)."""
    from transforms.hashing import sha256_file

    out = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = "-> " + str(path.readlink())
        elif path.is_file():
            out[key] = sha256_file(path)
    return out
