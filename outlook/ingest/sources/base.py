"""What a source is: the one interface every upstream source implements, and file sources.

A ``Source`` has a ``name`` and a ``group`` (what ``outlook ingest NAME`` and a refresh's
``sources`` select), the secrets it ``needs`` (environment names; without them it skips),
the raw ``tables`` it loads and the ``host`` it is fetched from (one fetch lane per host).
A run of it is three steps: ``prepare`` reads what the fetch needs from the warehouse
(validators for a conditional GET, a watermark), before any fetch thread starts;
``fetch`` is the network step (no database: sources are fetched in parallel) and returns
what it got, a ``NotFetched`` (skipped: no key), or raises ``FetchError``; ``load`` is the
database step (one writer, in load order). ``not_fetched`` records a fetch that got nothing
(file sources write a ``meta.fetches`` row). Implementations: ``outlook.ingest.file_sources.FileIngest``
(a ``FileSource`` from the lists in ``official`` and ``indeed``: what this module holds is
data only, since the quality gates read that catalog and the load code reads the gates),
``outlook.ingest.jolts.JoltsSource`` and ``outlook.ingest.posting_apis.PostingApiSource``
(USAJOBS, Adzuna). The registry is ``outlook.ingest.registry.ALL_SOURCES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import duckdb
import pandas as pd

if TYPE_CHECKING:
    from outlook.config import Settings


@dataclass(frozen=True)
class NotFetched:
    """A fetch step that ended without a file: ``skipped`` (not in the mirror, no key) or
    ``failed`` (the message names the URL and why). Returned, not raised: an expected
    outcome is one log line, not a failed task with a traceback."""

    status: str
    message: str


class Source(Protocol):
    """One upstream source: how it is selected, fetched (network) and loaded (database)."""

    name: str
    group: str

    @property
    def needs(self) -> tuple[str, ...]: ...  # secrets (env names); () when none is required

    @property
    def tables(self) -> tuple[str, ...]: ...  # the raw tables it loads

    @property
    def cacheable(self) -> bool: ...  # whether its download may come from the download cache

    def host(self, settings: Settings) -> str: ...

    def prepare(self, con: duckdb.DuckDBPyConnection) -> Any: ...

    def fetch(self, settings: Settings, prepared: Any) -> Any: ...

    def load(
        self, con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, fetched: Any
    ) -> Any: ...  # an outlook.ingest.raw_loads.LoadReport, or NotFetched

    def not_fetched(self, con: duckdb.DuckDBPyConnection, run_id: str, got: NotFetched) -> None: ...

    def ensure_tables(self, con: duckdb.DuckDBPyConnection) -> None: ...


@dataclass(frozen=True)
class FileSource:
    """One upstream file and the raw table it is loaded into.

    ``parse(path, location)`` is a pure function from ``transforms/`` returning exactly
    ``columns``; ``release(frame, url)`` names the release the file holds. ``mode`` says how
    a new file relates to what is loaded (see ``warehouse.replace_rows``).
    """

    name: str
    group: str
    url: str
    table: str
    columns: dict[str, str]
    parse: Callable[[Path, str], pd.DataFrame]
    release: Callable[[pd.DataFrame, str], str]
    mode: str = "release"
    expect: str | None = None
    licence: str = "public domain"
    attribution: str = ""
    description: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    needs: tuple[str, ...] = ()  # no key: a file is public

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.table,)

    def host(self, settings: Settings) -> str:
        return urlsplit(self.url).netloc
