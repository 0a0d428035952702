"""flows.concurrency: the ``outlook-writer`` global concurrency limit, on the session's server."""

from __future__ import annotations

import time
from collections.abc import Iterator

import duckdb
import pytest

from tests.conftest import SAMPLES_MIRROR

pytestmark = pytest.mark.flow


def _client():
    from prefect import get_client

    return get_client(sync_client=True)


@pytest.fixture
def writer_limit(prefect_harness) -> Iterator[str]:
    """The limit as `outlook serve` leaves it; deleted afterwards (the server is shared)."""
    from flows.concurrency import WRITER_LIMIT, ensure_writer_limit

    ensure_writer_limit()
    try:
        yield WRITER_LIMIT
    finally:
        with _client() as client:
            client.delete_global_concurrency_limit_by_name(WRITER_LIMIT)


def test_ensure_creates_one_slot_and_resets_a_changed_limit(prefect_harness) -> None:
    from prefect.client.schemas.actions import GlobalConcurrencyLimitUpdate

    from flows.concurrency import WRITER_LIMIT, ensure_writer_limit

    try:
        assert ensure_writer_limit() == "created concurrency limit outlook-writer (1 slot)"
        assert ensure_writer_limit() == "concurrency limit outlook-writer (1 slot) in place"
        with _client() as client:
            client.update_global_concurrency_limit(
                WRITER_LIMIT, GlobalConcurrencyLimitUpdate(limit=3, active=False)
            )
        assert "reset concurrency limit outlook-writer to 1 active slot" in ensure_writer_limit()
        with _client() as client:
            found = client.read_global_concurrency_limit_by_name(WRITER_LIMIT)
        assert (found.limit, found.active) == (1, True)
    finally:
        with _client() as client:
            client.delete_global_concurrency_limit_by_name(WRITER_LIMIT)


def test_a_refresh_waits_for_the_slot_and_releases_it(writer_limit: str, settings) -> None:
    from prefect.concurrency.sync import concurrency

    from flows.concurrency import MIN_SLOT_WAIT_S
    from flows.refresh import refresh
    from outlook.lock import WarehouseBusy

    def run() -> None:
        refresh(
            db=str(settings.db),
            mirror=str(SAMPLES_MIRROR),
            raw_dir=str(settings.raw_dir),
            publish_dir=str(settings.publish_dir),
            sources=["indeed_us_aggregate"],
        )

    with concurrency(writer_limit, occupy=1, strict=True):  # another writer holds it
        clock = time.monotonic()
        with pytest.raises(WarehouseBusy, match="concurrency limit outlook-writer"):
            run()
        assert MIN_SLOT_WAIT_S <= time.monotonic() - clock < MIN_SLOT_WAIT_S + 30
    assert not settings.db.exists(), "a refused refresh wrote nothing"

    run()  # the slot is free again
    with duckdb.connect(str(settings.db), read_only=True) as con:
        assert con.execute("select outcome from meta.runs").fetchall() == [("succeeded",)]
    with _client() as client:
        assert client.read_global_concurrency_limit_by_name(writer_limit).active_slots == 0
