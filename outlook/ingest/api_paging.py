"""Running one posting API: watermarks, paging into the raw store, loading page by page.

An ``Api`` says how to ask for page 1 and how to read a page (``outlook.ingest.posting_apis``
builds them); ``fetch_pages`` is the network step (no database), ``load_pages`` the database
step: each page in its own transaction, the watermark moved only when every page succeeded.
See ``outlook.ingest.posting_apis`` for the whole story.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import requests

from outlook.config import Settings
from outlook.ingest.fetch import (
    FetchError,
    FetchOptions,
    FetchResult,
    fetch,
    keep_recorded_responses,
    redact_url,
)
from outlook.ingest.posting_files import POSTINGS_TABLE, write_postings_batch
from outlook.ingest.raw_loads import LoadReport, record_fetch
from outlook.warehouse import LoadClock, now_utc, previous_load
from transforms.api_postings import (
    PageRef,
)

log = logging.getLogger(__name__)

MAX_PAGES = 200  # a runaway pager (an API that never says "last page") stops here

WATERMARKS_DDL = """create table if not exists meta.watermarks (
    source varchar primary key,
    watermark varchar,
    updated_at timestamptz
)"""


# --- watermarks --------------------------------------------------------------------------------


def get_watermark(con: duckdb.DuckDBPyConnection, source: str) -> date | None:
    con.execute(WATERMARKS_DDL)
    found = con.execute(
        "select watermark from meta.watermarks where source = ?", [source]
    ).fetchall()
    return date.fromisoformat(found[0][0]) if found and found[0][0] else None


def set_watermark(con: duckdb.DuckDBPyConnection, source: str, value: date) -> None:
    con.execute(WATERMARKS_DDL)
    con.execute(
        "insert into meta.watermarks values (?, ?, ?) on conflict (source) do update set "
        "watermark = excluded.watermark, updated_at = excluded.updated_at",
        [source, value.isoformat(), now_utc()],
    )


# --- one API = how to ask for page n and how to read it ------------------------------------------


@dataclass(frozen=True)
class PageInfo:
    items: int
    next_url: str | None  # None: this was the last page


@dataclass(frozen=True)
class Api:
    name: str  # the source name (API_SOURCES, meta.watermarks)
    load_source: str  # meta.loads source; '*postings*' selects the postings batch suite
    base_url: str  # what the mirror folder and the error messages are named after
    first_url: str
    read_page: Callable[[Any, PageRef, str, int], PageInfo]
    parse: Callable[[Any, PageRef], tuple[Any, Any]]
    store_name: Callable[[int], str]
    headers: dict[str, str]
    secrets: tuple[str, ...]
    note: str = ""  # said in the load message (e.g. a window the API could not reach)

    def redact(self, text: str) -> str:
        text = redact_url(text)
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "[redacted]")
        return text


def _host(url: str) -> str:
    return urlsplit(url).netloc


# --- running one API: the network step, then the database step ------------------------------


@dataclass(frozen=True)
class _Page:
    number: int
    url: str  # as requested (may hold keys): only ever shown through ``api.redact``
    result: FetchResult
    fetch_id: str


@dataclass
class FetchedPages:
    """What the network step of one API run got, for the database step to record and load."""

    api: Api
    pages: list[tuple[int, str, FetchResult]] = field(default_factory=list)  # number, url
    error: Exception | None = None  # what stopped the paging early; ``load_pages`` raises it
    failed_url: str | None = None  # the page whose fetch failed (recorded as a failed fetch)
    today: date | None = None  # the day the watermark moves to (the run's, read before)


def _options(settings: Settings) -> FetchOptions:
    return FetchOptions.from_settings(settings, "json", use_mirror=False)


def fetch_pages(
    api: Api,
    settings: Settings,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    today: date | None = None,
) -> FetchedPages:
    """Page through ``api`` into the raw store, touching no database (so several APIs can
    be fetched at once while one writer loads). Each page is read just far enough to find
    the next; the first failure stops the paging and is kept for ``load_pages``, which
    loads the pages before it first. In mirror mode: the recorded pages, in name order
    (their own paging links are not followed)."""
    fetched = FetchedPages(api, today=today)
    if settings.mirror is not None:
        responses = keep_recorded_responses(api.base_url, settings.mirror, settings.raw_dir)
        for number, response in enumerate(responses, start=1):
            kept = response.kept
            result = FetchResult(
                url=api.base_url, path=kept, sha256=response.sha256, size=kept.stat().st_size,
                origin="mirror", status="mirror", http_status=None, etag=None,
                last_modified=None, retrieved_at=now_utc(), duration_s=response.seconds,
                attempts=1,
            )  # fmt: skip
            fetched.pages.append((number, f"{api.base_url}/{response.recorded.name}", result))
        return fetched
    url: str | None = api.first_url
    seen: set[str] = set()
    while url is not None:
        if url in seen or len(seen) >= MAX_PAGES:
            fetched.error = FetchError(url, f"paging did not end after {len(seen)} page(s)")
            break
        seen.add(url)
        try:
            result = fetch(
                url,
                _options(settings),
                headers=api.headers,
                store_as=api.store_name(len(seen)),
                session=session,
                sleep=sleep,
            )
        except FetchError as exc:
            fetched.error, fetched.failed_url = exc, url
            break
        fetched.pages.append((len(seen), url, result))
        url = _next_url(api, url, len(seen), result)
    return fetched


def _next_url(api: Api, url: str, number: int, result: FetchResult) -> str | None:
    """The page after this one: None at the end, or when this page cannot be read (its
    load then fails with the reason, naming the page)."""
    ref = PageRef(
        f"{api.redact(url)} (page {number})", str(result.path), result.sha256, api.secrets
    )
    try:
        payload = json.loads(Path(result.path).read_text(encoding="utf-8"))
        return api.read_page(payload, ref, url, number).next_url
    except Exception:
        return None


def load_pages(
    con: duckdb.DuckDBPyConnection,
    fetched: FetchedPages,
    settings: Settings,
    run_id: str,
    today: date,
) -> LoadReport:
    """Record and load what ``fetch_pages`` got, each page in its own transaction; move the
    watermark when every page succeeded. Raises (naming the page) on the first bad page,
    or with the failure that stopped the paging, after loading the pages before it."""
    api = fetched.api
    totals = {"pages": 0, "loaded": 0, "quarantined": 0, "unchanged": 0, "empty": 0}
    try:
        for position, (number, url, result) in enumerate(fetched.pages):
            fetch_id = record_fetch(con, run_id, api.name, result, url=url, redact=api.redact)
            try:
                _load_page(con, api, run_id, _Page(number, url, result, fetch_id), totals)
            except Exception:
                # Pages fetched past a page whose rows failed are in the raw store: record them.
                for _, later_url, later in fetched.pages[position + 1 :]:
                    record_fetch(con, run_id, api.name, later, url=later_url, redact=api.redact)
                raise
        if fetched.failed_url is not None:
            record_fetch(
                con, run_id, api.name, None, url=fetched.failed_url, status="failed",
                message=str(fetched.error), redact=api.redact,
            )  # fmt: skip
        if fetched.error is not None:
            raise fetched.error
    except Exception as exc:
        said = api.redact(str(exc))
        if said != str(exc):  # never let a key ride out on an exception's text
            raise RuntimeError(said) from None
        raise
    moved = settings.mirror is None
    if moved:
        set_watermark(con, api.name, today)
    message = (
        f"{totals['pages']} page(s): {totals['loaded']:,} loaded + "
        f"{totals['quarantined']:,} quarantined, {totals['unchanged']} page(s) unchanged, "
        f"{totals['empty']} empty; "
        + (f"watermark -> {today.isoformat()}" if moved else "mirror: watermark kept")
        + (f"; {api.note}" if api.note else "")
    )
    log.info("%s: %s", api.name, message)
    outcome = "loaded" if totals["loaded"] or totals["quarantined"] else "unchanged"
    return LoadReport(api.name, outcome, today.isoformat(), totals["loaded"], message)


def run_api(
    con: duckdb.DuckDBPyConnection,
    api: Api,
    settings: Settings,
    run_id: str,
    today: date,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LoadReport:
    """Page through ``api``, then load each page in its own transaction (``fetch_pages``
    then ``load_pages``). Raises (naming the page) on the first bad page."""
    fetched = fetch_pages(api, settings, session=session, sleep=sleep)
    return load_pages(con, fetched, settings, run_id, today)


def _load_page(
    con: duckdb.DuckDBPyConnection,
    api: Api,
    run_id: str,
    page: _Page,
    totals: dict[str, int],
) -> PageInfo:
    """Read, parse and load one stored page; what comes next is the page's to say."""
    result = page.result
    name = result.path.name
    where = f"{api.redact(page.url)} (page {page.number})"
    ref = PageRef(where, str(result.path), result.sha256, api.secrets)
    clock = LoadClock(
        run_id, api.load_source, POSTINGS_TABLE, result.sha256, release=name,
        fetch_id=page.fetch_id,
    )  # fmt: skip
    totals["pages"] += 1
    try:
        try:
            payload = json.loads(Path(result.path).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ref.error(f"not JSON: {exc}") from None
        info = api.read_page(payload, ref, page.url, page.number)
        if info.items == 0:
            totals["empty"] += 1
            return info
        if previous_load(con, api.load_source, result.sha256) is not None:
            clock.record(con, "unchanged", f"{name}: same page already loaded")
            totals["unchanged"] += 1
            return info
        rows, quarantine = api.parse(payload, ref)
    except Exception as exc:
        clock.record(con, "failed", api.redact(f"{name}: {exc}"))
        raise
    # write_postings_batch records its own failed row if the gate or the write refuses.
    load = write_postings_batch(
        con, clock, rows, quarantine, str(result.path), result.path, info.items
    )
    totals["loaded"] += load.rows_loaded
    totals["quarantined"] += load.rows_quarantined
    log.info("%s page %d: %s", api.name, page.number, api.redact(load.message))
    return info
