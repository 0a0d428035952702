"""One writer flow at a time on a Prefect server: the global concurrency limit ``outlook-writer``.

The writer lock beside the warehouse (``outlook.lock``) is the guard that always holds, with
or without a server. This limit makes the queue Prefect's business too: a writer flow takes
its one slot before the lock, so the server's Concurrency page names the run that holds it,
a run waiting for it says so in its log ("taking the outlook-writer slot"), and worker
setups that start runs on several machines against one warehouse stay one at a time.

``outlook serve`` creates the limit (1 slot, active); for worker setups create it once with
``prefect gcl create outlook-writer --limit 1``. On a server without the limit (a command's
own temporary server) the flows run under the writer lock alone, without a warning.

One limit per server, not per warehouse: two warehouses served by one server take turns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from outlook.lock import WarehouseBusy

WRITER_LIMIT = "outlook-writer"
# A slot request with no wait still gets this long: asking the server takes a round trip,
# and a free slot must not be refused because the server was slow to answer.
MIN_SLOT_WAIT_S = 5.0


def ensure_writer_limit() -> str:
    """Create the limit with one active slot, or set an existing one back to that; say which."""
    from prefect import get_client
    from prefect.client.schemas.actions import (
        GlobalConcurrencyLimitCreate,
        GlobalConcurrencyLimitUpdate,
    )
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            found = client.read_global_concurrency_limit_by_name(WRITER_LIMIT)
        except ObjectNotFound:
            client.create_global_concurrency_limit(
                GlobalConcurrencyLimitCreate(name=WRITER_LIMIT, limit=1, active=True)
            )
            return f"created concurrency limit {WRITER_LIMIT} (1 slot)"
        if found.limit != 1 or not found.active:
            client.update_global_concurrency_limit(
                WRITER_LIMIT, GlobalConcurrencyLimitUpdate(limit=1, active=True)
            )
            return f"reset concurrency limit {WRITER_LIMIT} to 1 active slot (was {found.limit})"
        return f"concurrency limit {WRITER_LIMIT} (1 slot) in place"


def _limit_exists() -> bool:
    from prefect import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            return client.read_global_concurrency_limit_by_name(WRITER_LIMIT).active
        except ObjectNotFound:
            return False


@contextmanager
def writer_slot(wait_s: float, log: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the ``outlook-writer`` slot for the duration when the server has the limit
    (else do nothing); raise ``WarehouseBusy`` if no slot frees up within ``wait_s``."""
    from prefect.concurrency.sync import concurrency

    if not _limit_exists():
        yield
        return
    if log is not None:
        wait = max(wait_s, MIN_SLOT_WAIT_S)
        log(f"taking the {WRITER_LIMIT} slot (waiting up to {wait:g}s if another writer holds it)")
    acquired = False
    try:
        with concurrency(
            WRITER_LIMIT, occupy=1, timeout_seconds=max(wait_s, MIN_SLOT_WAIT_S), strict=True
        ):
            acquired = True
            yield
    except TimeoutError:
        if acquired:  # raised by the body, not by the wait for a slot
            raise
        raise WarehouseBusy(
            f"another writer flow holds the Prefect concurrency limit {WRITER_LIMIT} (see the "
            "server's Concurrency page); try again when it finishes (or pass --wait SECONDS)"
        ) from None
