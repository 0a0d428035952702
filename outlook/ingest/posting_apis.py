"""Posting APIs (USAJOBS Search, USAJOBS Historic JOA, Adzuna): paging, watermarks, loading.

One run of one API: read its watermark, ask only for what is newer, then page through the
results. Each page is stored in the raw store (``fetch(..., store_as=...)``), parsed by
``transforms.api_postings`` and written by ``write_postings_batch`` in its own transaction, so a
malformed page N fails the source with an error naming page N while pages 1..N-1 stay loaded
and page N writes nothing but its failed ``meta.loads`` row. Identical page bytes are a no-op
(``meta.loads`` holds each page's sha256 per source). The watermark moves only when every page
of the run succeeded; the overlap of a day between runs is the duplicate model's job.

Watermarks live in ``meta.watermarks``: the UTC date of the last fully successful run. How each
API turns it into a request:

* USAJOBS Search: ``DatePosted`` = days since the watermark + 1, at most 60 (the API's limit;
  a longer gap is reported in the load message and is the Historic API's to backfill).
* USAJOBS Historic JOA: ``StartPositionOpenDate`` = watermark - 1 day.
* Adzuna: ``max_days_old`` = days since the watermark + 1.
The first run asks for the last ``initial_days`` days.

Keys: USAJOBS ``OUTLOOK_USAJOBS_API_KEY`` + ``OUTLOOK_USAJOBS_EMAIL`` (Secret blocks
``usajobs-api-key``/``usajobs-email``), sent as the ``Authorization-Key`` and ``User-Agent``
headers; Adzuna ``OUTLOOK_ADZUNA_APP_ID`` + ``OUTLOOK_ADZUNA_APP_KEY`` (``adzuna-app-id``/
``adzuna-app-key``), sent as query parameters. The Historic JOA API needs none. A missing key
skips the source (outcome ``skipped``). Keys are never logged, stored or raised: URLs are
redacted, and every message that reaches ``meta``, a log or an exception has them blanked.
Adzuna puts the app id into each ad's ``redirect_url``: the raw page keeps the bytes as served
(the raw store is immutable), but no table gets that field.

Mirror mode reads recorded pages, in name order, from ``<mirror>/<host>/<path>/*.json`` (for
Adzuna ``<mirror>/api.adzuna.com/v1/api/jobs/<country>/search/*.json``) and does not move the
watermark: recorded pages say nothing about what the live API has that is newer.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

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
from outlook.ingest.secrets import get_secret
from outlook.warehouse import LoadClock, now_utc, previous_load
from transforms.api_postings import (
    PageRef,
    adzuna_items,
    parse_adzuna,
    parse_usajobs_historic,
    parse_usajobs_search,
    usajobs_historic_items,
    usajobs_search_items,
)

log = logging.getLogger(__name__)

USAJOBS_SEARCH_URL = "https://data.usajobs.gov/api/search"
USAJOBS_HISTORIC_URL = "https://data.usajobs.gov/api/historicjoa"
ADZUNA_URL = "https://api.adzuna.com/v1/api/jobs"

INITIAL_DAYS = 30
USAJOBS_MAX_DAYS = 60  # DatePosted accepts 0..60
USAJOBS_PER_PAGE = 500  # the API's maximum ResultsPerPage
ADZUNA_PER_PAGE = 50  # Adzuna's maximum results_per_page
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


def _days_since(watermark: date | None, today: date, initial_days: int) -> int:
    return initial_days if watermark is None else max(1, (today - watermark).days + 1)


def usajobs_search_api(
    key: str,
    email: str,
    watermark: date | None,
    today: date,
    *,
    api_url: str = USAJOBS_SEARCH_URL,
    per_page: int = USAJOBS_PER_PAGE,
    initial_days: int = INITIAL_DAYS,
    query: dict[str, str] | None = None,
) -> Api:
    wanted = _days_since(watermark, today, initial_days)
    days = min(wanted, USAJOBS_MAX_DAYS)
    note = (
        f"watermark {watermark} is {wanted} days back; the Search API reaches "
        f"{USAJOBS_MAX_DAYS}: backfill the gap from the Historic JOA API"
        if wanted > days
        else ""
    )

    def url(page: int) -> str:
        params = {**(query or {}), "DatePosted": days, "Page": page, "ResultsPerPage": per_page}
        return f"{api_url}?{urlencode(params)}"

    def read_page(payload: Any, ref: PageRef, _: str, page: int) -> PageInfo:
        items, total = usajobs_search_items(payload, ref)
        last = len(items) < per_page or (total is not None and page * per_page >= total)
        return PageInfo(len(items), None if last else url(page + 1))

    return Api(
        name="usajobs",
        load_source="postings-api:usajobs",
        base_url=api_url,
        first_url=url(1),
        read_page=read_page,
        parse=parse_usajobs_search,
        store_name=lambda page: f"search-d{days}-p{page:04d}.json",
        # The documented trio: the key, the registered e-mail as User-Agent, and Host.
        headers={"Authorization-Key": key, "User-Agent": email, "Host": _host(api_url)},
        secrets=(key, email),
        note=note,
    )


def usajobs_historic_api(
    watermark: date | None,
    today: date,
    *,
    api_url: str = USAJOBS_HISTORIC_URL,
    initial_days: int = INITIAL_DAYS,
    query: dict[str, str] | None = None,
) -> Api:
    start = (
        today - timedelta(days=initial_days) if watermark is None else watermark - timedelta(days=1)
    )
    params = {**(query or {}), "StartPositionOpenDate": start.isoformat()}

    def read_page(payload: Any, ref: PageRef, url: str, page: int) -> PageInfo:
        items, following = usajobs_historic_items(payload, ref)
        if not items or not following:
            return PageInfo(len(items), None)
        target = urljoin(url, following)
        if _host(target) != _host(api_url):
            raise ref.error(f"paging.next points at another host: {redact_url(target)}")
        return PageInfo(len(items), target)

    return Api(
        name="usajobs_historic",
        load_source="postings-api:usajobs_historic",
        base_url=api_url,
        first_url=f"{api_url}?{urlencode(params)}",
        read_page=read_page,
        parse=parse_usajobs_historic,
        store_name=lambda page: f"historic-from{start.isoformat()}-p{page:04d}.json",
        headers={},
        secrets=(),
    )


def adzuna_api(
    app_id: str,
    app_key: str,
    watermark: date | None,
    today: date,
    *,
    country: str = "us",
    api_url: str = ADZUNA_URL,
    per_page: int = ADZUNA_PER_PAGE,
    initial_days: int = INITIAL_DAYS,
    query: dict[str, str] | None = None,
) -> Api:
    days = _days_since(watermark, today, initial_days)
    base = f"{api_url.rstrip('/')}/{country}/search"

    def url(page: int) -> str:
        params = {
            "app_id": app_id,
            "app_key": app_key,
            "results_per_page": per_page,
            "max_days_old": days,
            **(query or {}),
        }
        return f"{base}/{page}?{urlencode(params)}"

    def read_page(payload: Any, ref: PageRef, _: str, page: int) -> PageInfo:
        items, _count = adzuna_items(payload, ref)
        # An empty page is the documented end; a short one is the last with results.
        last = not items or len(items) < per_page
        return PageInfo(len(items), None if last else url(page + 1))

    def parse(payload: Any, ref: PageRef) -> tuple[Any, Any]:
        return parse_adzuna(payload, ref, country=country)

    return Api(
        name="adzuna",
        load_source="postings-api:adzuna",
        base_url=base,
        first_url=url(1),
        read_page=read_page,
        parse=parse,
        store_name=lambda page: f"{country}-d{days}-p{page:04d}.json",
        headers={},
        secrets=(app_id, app_key),
    )


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


def _options(settings: Settings) -> FetchOptions:
    return FetchOptions.from_settings(settings, "json", use_mirror=False)


def fetch_pages(
    api: Api,
    settings: Settings,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchedPages:
    """Page through ``api`` into the raw store, touching no database (so several APIs can
    be fetched at once while one writer loads). Each page is read just far enough to find
    the next; the first failure stops the paging and is kept for ``load_pages``, which
    loads the pages before it first. In mirror mode: the recorded pages, in name order
    (their own paging links are not followed)."""
    fetched = FetchedPages(api)
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


# --- the sources the flows call ------------------------------------------------------------------


def _today(today: date | None) -> date:
    return today or datetime.now(UTC).date()


def _skipped(name: str, message: str) -> LoadReport:
    log.info("%s: skipped: %s", name, message)
    return LoadReport(name, "skipped", None, 0, message)


def usajobs_source(
    settings: Settings,
    watermark: date | None,
    today: date,
    *,
    api_url: str | None = None,
    per_page: int = USAJOBS_PER_PAGE,
    query: dict[str, str] | None = None,
) -> Api | str:
    """This run's USAJOBS Search API, or why it is skipped (no key)."""
    key = get_secret("OUTLOOK_USAJOBS_API_KEY", "usajobs-api-key")
    email = get_secret("OUTLOOK_USAJOBS_EMAIL", "usajobs-email")
    if not key or not email:
        return (
            "no USAJOBS key: set OUTLOOK_USAJOBS_API_KEY and OUTLOOK_USAJOBS_EMAIL "
            "(or Secret blocks 'usajobs-api-key', 'usajobs-email')"
        )
    url = api_url or settings.usajobs_url or USAJOBS_SEARCH_URL
    return usajobs_search_api(
        key, email, watermark, today, api_url=url, per_page=per_page, query=query
    )


def ingest_usajobs(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_id: str,
    *,
    api_url: str | None = None,
    today: date | None = None,
    per_page: int = USAJOBS_PER_PAGE,
    query: dict[str, str] | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LoadReport:
    """USAJOBS Search API postings newer than the watermark (skipped without a key)."""
    day = _today(today)
    api = usajobs_source(
        settings, get_watermark(con, "usajobs"), day, api_url=api_url, per_page=per_page,
        query=query,
    )  # fmt: skip
    if isinstance(api, str):
        return _skipped("usajobs", api)
    return run_api(con, api, settings, run_id, day, session=session, sleep=sleep)


def ingest_usajobs_historic(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_id: str,
    *,
    api_url: str = USAJOBS_HISTORIC_URL,
    today: date | None = None,
    initial_days: int = INITIAL_DAYS,
    query: dict[str, str] | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LoadReport:
    """USAJOBS Historic JOA announcements opened since the watermark (no key needed)."""
    day = _today(today)
    api = usajobs_historic_api(
        get_watermark(con, "usajobs_historic"), day, api_url=api_url,
        initial_days=initial_days, query=query,
    )  # fmt: skip
    return run_api(con, api, settings, run_id, day, session=session, sleep=sleep)


def adzuna_source(
    settings: Settings,
    watermark: date | None,
    today: date,
    *,
    country: str = "us",
    api_url: str | None = None,
    per_page: int = ADZUNA_PER_PAGE,
    query: dict[str, str] | None = None,
) -> Api | str:
    """This run's Adzuna API for ``country``, or why it is skipped (no app id/key)."""
    app_id = get_secret("OUTLOOK_ADZUNA_APP_ID", "adzuna-app-id")
    app_key = get_secret("OUTLOOK_ADZUNA_APP_KEY", "adzuna-app-key")
    if not app_id or not app_key:
        return (
            "no Adzuna key: set OUTLOOK_ADZUNA_APP_ID and OUTLOOK_ADZUNA_APP_KEY "
            "(or Secret blocks 'adzuna-app-id', 'adzuna-app-key')"
        )
    return adzuna_api(
        app_id, app_key, watermark, today, country=country,
        api_url=api_url or settings.adzuna_url or ADZUNA_URL, per_page=per_page, query=query,
    )  # fmt: skip


def ingest_adzuna(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_id: str,
    *,
    country: str = "us",
    api_url: str | None = None,
    today: date | None = None,
    per_page: int = ADZUNA_PER_PAGE,
    query: dict[str, str] | None = None,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LoadReport:
    """Adzuna ads for ``country`` newer than the watermark (skipped without app id/key)."""
    day = _today(today)
    api = adzuna_source(
        settings, get_watermark(con, "adzuna"), day, country=country, api_url=api_url,
        per_page=per_page, query=query,
    )  # fmt: skip
    if isinstance(api, str):
        return _skipped("adzuna", api)
    return run_api(con, api, settings, run_id, day, session=session, sleep=sleep)


# The posting APIs the ingest flow runs: name -> this run's Api, or why it is skipped.
POSTING_APIS: dict[str, Callable[[Settings, date | None, date], Api | str]] = {
    "usajobs": usajobs_source,
    "adzuna": adzuna_source,
}
