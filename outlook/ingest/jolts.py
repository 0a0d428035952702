"""JOLTS job openings by industry, through the BLS Public Data API v2.

The API takes a POST of series ids and years; limits are 50 series / 20 years a request
with a registration key and 25 / 10 without (the key is optional, from OUTLOOK_BLS_API_KEY
or the Prefect Secret block ``bls-api-key``). Errors such as REQUEST_NOT_PROCESSED come
inside HTTP 200 responses and fail the source. Each response is kept in the raw store; a
successful pull replaces the whole table because BLS revises recent months.
In mirror mode the responses are read from ``<mirror>/api.bls.gov/publicAPI/v2/
timeseries/data/*.json`` (recorded responses), since a POST has no URL of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pandas as pd

from outlook.config import Settings
from outlook.ingest.fetch import FetchOptions, fetch, keep_recorded_responses
from outlook.ingest.raw_loads import LoadReport
from outlook.ingest.secrets import get_secret
from outlook.warehouse import (
    LoadClock,
    ensure_table,
    new_id,
    previous_load,
    replace_rows,
    transaction,
)

API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
SOURCE = "jolts"
TABLE = "raw.jolts__series"
COLUMNS = {
    "series_id": "varchar", "industry_code": "varchar", "data_element": "varchar",
    "ratelevel": "varchar", "seasonal": "varchar", "year": "bigint", "period": "varchar",
    "month": "date", "value": "double", "footnotes": "varchar", "preliminary": "boolean",
}  # fmt: skip
YEARS_BACK = 10


def response_files(settings: Settings, key: str | None, api_url: str | None = None) -> list[Path]:
    """Raw API responses for this pull: recorded ones from the mirror, or fresh POSTs
    (to ``api_url``, else ``settings.bls_api_url``, else the real API). No database."""
    from transforms.jolts import build_requests, default_series_ids

    if settings.mirror is not None:
        responses = keep_recorded_responses(API_URL, settings.mirror, settings.raw_dir)
        return [response.kept for response in responses]
    end = datetime.now(UTC).year
    api_url = api_url or settings.bls_api_url or API_URL
    options = FetchOptions.from_settings(settings, "json", use_mirror=False)
    bodies = build_requests(default_series_ids(data_elements=("JO",)), end - YEARS_BACK, end, key)
    paths = []
    for i, body in enumerate(bodies):
        name = f"jolts-{body['startyear']}-{body['endyear']}-{i:02d}.json"
        paths.append(fetch(api_url, options, body=body, store_as=name).path)
    return paths


def parse_files(paths: list[Path], key: str | None) -> pd.DataFrame:
    from transforms.errors import SourceFormatError
    from transforms.jolts import parse_response

    frames = []
    for path in paths:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SourceFormatError(f"{API_URL} ({path.name})", f"not JSON: {exc}") from None
        frames.append(
            parse_response(payload, f"{API_URL} ({path.name})", secrets=[key] if key else [])
        )
    frame = pd.concat(frames, ignore_index=True)
    return frame.drop_duplicates(["series_id", "year", "period"], keep="last")[list(COLUMNS)]


def bls_key() -> str | None:
    """The optional registration key (higher limits); read where it is used, never passed."""
    return get_secret("OUTLOOK_BLS_API_KEY", "bls-api-key")


def ingest_jolts(
    con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, api_url: str | None = None
) -> LoadReport:
    """Pull, parse and load JOLTS; raises for a bad response (nothing written but meta)."""
    return load_responses(con, run_id, response_files(settings, bls_key(), api_url))


def load_responses(con: duckdb.DuckDBPyConnection, run_id: str, paths: list[Path]) -> LoadReport:
    """Parse and load the responses ``response_files`` kept (the database step)."""
    from transforms.hashing import sha256_file

    key = bls_key()  # only to blank it should a response echo it
    digest = "+".join(sha256_file(p)[:16] for p in paths)
    clock = LoadClock(run_id, SOURCE, TABLE, digest)
    earlier = previous_load(con, SOURCE, digest)
    if earlier is not None:
        clock.record(con, "unchanged", "same responses already loaded", release=earlier[1])
        return LoadReport(SOURCE, "unchanged", earlier[1], 0, "same responses already loaded")
    try:
        frame = parse_files(paths, key)
    except Exception as exc:
        clock.record(con, "failed", str(exc))
        raise
    release = str(frame["month"].max())
    load_id = new_id()
    with transaction(con):
        ensure_table(con, TABLE, COLUMNS)
        outcome = replace_rows(
            con,
            TABLE,
            frame,
            release=release,
            mode="snapshot",
            load_id=load_id,
            source_file=";".join(p.name for p in paths),
        )
        message = f"{len(paths)} response(s), through {release}: {outcome.message}"
        clock.record(
            con,
            outcome.outcome,
            message,
            load_id=load_id,
            release=release,
            rows_read=len(frame),
            rows_loaded=outcome.rows_loaded,
            rows_replaced=outcome.rows_replaced,
        )
    return LoadReport(SOURCE, outcome.outcome, release, outcome.rows_loaded, message)


@dataclass(frozen=True)
class JoltsSource:
    """JOLTS as a ``Source``: POSTs to the BLS API (or recorded responses), one table."""

    name: str = SOURCE
    group: str = SOURCE
    needs: tuple[str, ...] = ()  # OUTLOOK_BLS_API_KEY is optional (higher limits)
    tables: tuple[str, ...] = (TABLE,)
    cacheable: bool = False

    def host(self, settings: Settings) -> str:
        return urlsplit(settings.bls_api_url or API_URL).netloc

    def prepare(self, con: duckdb.DuckDBPyConnection) -> None:
        return None

    def fetch(self, settings: Settings, prepared: object) -> list[Path]:
        return response_files(settings, bls_key())  # the key is read here, never passed

    def load(
        self, con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, fetched: Any
    ) -> LoadReport:
        return load_responses(con, run_id, fetched)

    def not_fetched(self, con: duckdb.DuckDBPyConnection, run_id: str, got: object) -> None:
        return None  # a POST has no URL of its own to record

    def ensure_tables(self, con: duckdb.DuckDBPyConnection) -> None:
        ensure_table(con, TABLE, COLUMNS)
