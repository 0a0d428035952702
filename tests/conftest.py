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
