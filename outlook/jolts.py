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
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from outlook.config import Settings
from outlook.fetch import FetchOptions, SourceNotInMirror, fetch, keep_dropped_file, url_relpath
from outlook.ingest import LoadReport
from outlook.secrets import get_secret
from outlook.warehouse import ensure_table, insert_row, new_id, now_utc, previous_load, transaction

API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
SOURCE = "jolts"
TABLE = "raw.jolts__series"
COLUMNS = {
    "series_id": "varchar", "industry_code": "varchar", "data_element": "varchar",
    "ratelevel": "varchar", "seasonal": "varchar", "year": "bigint", "period": "varchar",
    "month": "date", "value": "double", "footnotes": "varchar", "preliminary": "boolean",
}  # fmt: skip
YEARS_BACK = 10


def response_files(settings: Settings, key: str | None, api_url: str = API_URL) -> list[Path]:
    """Raw API responses for this pull: recorded ones from the mirror, or fresh POSTs."""
    from transforms.jolts import build_requests, default_series_ids

    if settings.mirror is not None:
        folder = settings.mirror / url_relpath(API_URL)
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
        if not files:
            raise SourceNotInMirror(API_URL, f"no recorded responses in mirror {settings.mirror}")
        return [
            keep_dropped_file(f, url_relpath(API_URL), settings.raw_dir, now_utc())[0]
            for f in files
        ]
    end = datetime.now(UTC).year
    options = FetchOptions(
        raw_dir=settings.raw_dir,
        user_agent=settings.user_agent,
        timeout_s=settings.timeout_s,
        max_attempts=settings.max_attempts,
        backoff_s=settings.backoff_s,
        max_retry_after_s=settings.max_retry_after_s,
        expect="json",
    )
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


def ingest_jolts(
    con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, api_url: str = API_URL
) -> LoadReport:
    """Pull, parse and load JOLTS; raises for a bad response (nothing written but meta)."""
    clock = time.monotonic()
    key = get_secret("OUTLOOK_BLS_API_KEY", "bls-api-key")
    paths = response_files(settings, key, api_url)
    from transforms.hashing import sha256_file

    digest = "+".join(sha256_file(p)[:16] for p in paths)
    base = {
        "run_id": run_id,
        "source": SOURCE,
        "table_name": TABLE,
        "sha256": digest,
        "started_at": now_utc(),
        "rows_quarantined": 0,
    }
    earlier = previous_load(con, SOURCE, digest)
    if earlier is not None:
        insert_row(
            con,
            "meta.loads",
            {
                **base,
                "load_id": new_id(),
                "release": earlier[1],
                "rows_read": 0,
                "rows_loaded": 0,
                "rows_replaced": 0,
                "finished_at": now_utc(),
                "outcome": "unchanged",
                "duration_s": time.monotonic() - clock,
                "message": "same responses already loaded",
            },
        )
        return LoadReport(SOURCE, "unchanged", earlier[1], 0, "same responses already loaded")
    try:
        frame = parse_files(paths, key)
    except Exception as exc:
        insert_row(
            con,
            "meta.loads",
            {
                **base,
                "load_id": new_id(),
                "rows_read": 0,
                "rows_loaded": 0,
                "rows_replaced": 0,
                "finished_at": now_utc(),
                "outcome": "failed",
                "duration_s": time.monotonic() - clock,
                "message": str(exc)[:4000],
            },
        )
        raise
    release = str(frame["month"].max())
    load_id = new_id()
    with transaction(con):
        ensure_table(con, TABLE, COLUMNS)
        replaced = con.execute(f"select count(*) from {TABLE}").fetchall()[0][0]
        con.execute(f"delete from {TABLE}")
        con.register("_jolts", frame)
        try:
            con.execute(
                f"insert into {TABLE} by name select *, ? as _release, ? as _load_id, "
                "? as _source_file, ? as _loaded_at from _jolts",
                [release, load_id, ";".join(p.name for p in paths), now_utc()],
            )
        finally:
            con.unregister("_jolts")
        insert_row(
            con,
            "meta.loads",
            {
                **base,
                "load_id": load_id,
                "release": release,
                "rows_read": len(frame),
                "rows_loaded": len(frame),
                "rows_replaced": replaced,
                "finished_at": now_utc(),
                "outcome": "loaded",
                "duration_s": time.monotonic() - clock,
                "message": f"{len(paths)} response(s), through {release}",
            },
        )
    return LoadReport(SOURCE, "loaded", release, len(frame), f"through {release}")
