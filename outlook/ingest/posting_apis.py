"""Posting APIs (USAJOBS Search, Adzuna): how to ask each for postings, and their ``Source``s.

The paging, watermarks and loading they share are ``outlook.ingest.api_paging``.

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
  a longer gap is reported in the load message: older postings are not fetched).
* Adzuna: ``max_days_old`` = days since the watermark + 1.
The first run asks for the last ``initial_days`` days.

Keys: USAJOBS ``OUTLOOK_USAJOBS_API_KEY`` + ``OUTLOOK_USAJOBS_EMAIL`` (Secret blocks
``usajobs-api-key``/``usajobs-email``), sent as the ``Authorization-Key`` and ``User-Agent``
headers; Adzuna ``OUTLOOK_ADZUNA_APP_ID`` + ``OUTLOOK_ADZUNA_APP_KEY`` (``adzuna-app-id``/
``adzuna-app-key``), sent as query parameters. A missing key
skips the source (outcome ``skipped``). Keys are never logged, stored or raised: URLs are
redacted, and every message that reaches ``meta``, a log or an exception has them blanked.
Adzuna puts the app id into each ad's ``redirect_url``: the raw page keeps the bytes as served
(the raw store is immutable), but no table gets that field.

Mirror mode reads recorded pages, in name order, from ``<mirror>/<host>/<path>/*.json`` (for
Adzuna ``<mirror>/api.adzuna.com/v1/api/jobs/<country>/search/*.json``) and does not move the
watermark: recorded pages say nothing about what the live API has that is newer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import duckdb
import requests

from outlook.config import Settings
from outlook.ingest.api_paging import (
    Api,
    PageInfo,
    fetch_pages,
    get_watermark,
    load_pages,
    run_api,
)
from outlook.ingest.posting_files import POSTINGS_TABLE, ensure_postings_tables
from outlook.ingest.raw_loads import LoadReport
from outlook.ingest.secrets import get_secret
from outlook.ingest.sources.base import NotFetched
from transforms.api_postings import (
    PageRef,
    adzuna_items,
    parse_adzuna,
    parse_usajobs_search,
    usajobs_search_items,
)

log = logging.getLogger(__name__)

USAJOBS_SEARCH_URL = "https://data.usajobs.gov/api/search"
ADZUNA_URL = "https://api.adzuna.com/v1/api/jobs"

INITIAL_DAYS = 30
USAJOBS_MAX_DAYS = 60  # DatePosted accepts 0..60
USAJOBS_PER_PAGE = 500  # the API's maximum ResultsPerPage
ADZUNA_PER_PAGE = 50  # Adzuna's maximum results_per_page


def _host(url: str) -> str:
    return urlsplit(url).netloc


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
        f"{USAJOBS_MAX_DAYS}: older postings are not fetched"
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


@dataclass(frozen=True)
class PostingApiSource:
    """A posting API as a ``Source``: this run's ``Api`` from its keys and watermark, paged
    into the raw store (network), then loaded page by page (database)."""

    name: str
    make: Callable[[Settings, date | None, date], Api | str]  # this run's Api, or why skipped
    default_url: str
    url_setting: str  # the Settings field that overrides the URL (a test server, a proxy)
    needs: tuple[str, ...]
    group: str = "postings"
    tables: tuple[str, ...] = (POSTINGS_TABLE,)
    cacheable: bool = False

    def host(self, settings: Settings) -> str:
        return _host(getattr(settings, self.url_setting) or self.default_url)

    def prepare(self, con: duckdb.DuckDBPyConnection) -> tuple[date | None, date]:
        """The watermark, and the day this run moves it to."""
        return get_watermark(con, self.name), datetime.now(UTC).date()

    def fetch(self, settings: Settings, prepared: tuple[date | None, date]) -> Any:
        watermark, today = prepared
        # Keys are read inside (never task parameters, which Prefect records).
        api = self.make(settings, watermark, today)
        if isinstance(api, str):
            return NotFetched("skipped", api)
        return fetch_pages(api, settings, today=today)

    def load(
        self, con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, fetched: Any
    ) -> LoadReport:
        return load_pages(con, fetched, settings, run_id, fetched.today)

    def not_fetched(self, con: duckdb.DuckDBPyConnection, run_id: str, got: NotFetched) -> None:
        return None  # a page that failed is recorded by load_pages

    def ensure_tables(self, con: duckdb.DuckDBPyConnection) -> None:
        ensure_postings_tables(con)


# The posting APIs the ingest flow runs, in load order.
POSTING_API_SOURCES = (
    PostingApiSource(
        "usajobs", usajobs_source, USAJOBS_SEARCH_URL, "usajobs_url",
        needs=("OUTLOOK_USAJOBS_API_KEY", "OUTLOOK_USAJOBS_EMAIL"),
    ),
    PostingApiSource(
        "adzuna", adzuna_source, ADZUNA_URL, "adzuna_url",
        needs=("OUTLOOK_ADZUNA_APP_ID", "OUTLOOK_ADZUNA_APP_KEY"),
    ),
)  # fmt: skip
