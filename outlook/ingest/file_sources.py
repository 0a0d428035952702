"""File sources as ``Source``s: fetch one URL into the raw store, load it into its table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from outlook.config import Settings
from outlook.ingest.fetch import FetchOptions, FetchResult, Validators, fetch
from outlook.ingest.raw_loads import LoadReport, last_validators, load_fetched, record_fetch
from outlook.ingest.sources.base import FileSource, NotFetched
from outlook.warehouse import ensure_table


@dataclass(frozen=True)
class FileIngest:
    """The ``Source`` of one ``FileSource`` (its catalog entry stays plain data)."""

    source: FileSource
    needs: tuple[str, ...] = ()
    cacheable: bool = True  # cached on its URL and validators (flows.ingest.download_cache_key)

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def group(self) -> str:
        return self.source.group

    @property
    def url(self) -> str:
        return self.source.url

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.source.table,)

    def host(self, settings: Settings) -> str:
        return self.source.host(settings)

    def prepare(self, con: duckdb.DuckDBPyConnection) -> Validators | None:
        """The validators of the last good fetch, for a conditional GET."""
        return last_validators(con, self.source)

    def fetch(self, settings: Settings, prepared: Any) -> FetchResult:
        options = FetchOptions.from_settings(settings, self.source.expect)
        return fetch(self.source.url, options, previous=prepared)

    def load(
        self, con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, fetched: Any
    ) -> LoadReport:
        fetch_id = record_fetch(con, run_id, self.source, fetched)
        return load_fetched(con, run_id, self.source, fetched, fetch_id)

    def not_fetched(self, con: duckdb.DuckDBPyConnection, run_id: str, got: NotFetched) -> None:
        record_fetch(con, run_id, self.source, None, status=got.status, message=got.message)

    def ensure_tables(self, con: duckdb.DuckDBPyConnection) -> None:
        ensure_table(con, self.source.table, self.source.columns)
