"""The download cache key: same bytes, same key; anything that changes the bytes, a new key."""

from __future__ import annotations

from pathlib import Path

from flows.ingest import download_cache_key
from outlook.ingest.fetch import FetchOptions, fetch
from outlook.ingest.raw_loads import record_fetch
from outlook.ingest.sources import by_name
from outlook.warehouse import connect

SOURCE = by_name()["indeed_us_aggregate"]
REL = "raw.githubusercontent.com/hiring-lab/job_postings_tracker/master/US/aggregate_job_postings_US.csv"


def key(settings) -> str | None:
    return download_cache_key(None, {"source": SOURCE, "settings": settings})


def test_mirror_mode_is_never_cached(settings, tmp_path: Path) -> None:
    """A local copy is cheap, and a cached result could point into a rebuilt raw store."""
    target = tmp_path / "mirror" / REL
    target.parent.mkdir(parents=True)
    target.write_text("date,jobcountry\n")
    assert key(settings.with_(mirror=tmp_path / "mirror")) is None


def test_network_key_needs_a_previous_good_download(settings, tmp_path: Path, httpserver) -> None:
    assert key(settings) is None, "first download: no validators yet, no cache"
    httpserver.expect_request("/a.csv").respond_with_data(
        "date,jobcountry\n", headers={"ETag": '"v1"'}
    )
    source = SOURCE.__class__(**{**SOURCE.__dict__, "url": httpserver.url_for("/a.csv")})
    fetched = fetch(source.url, FetchOptions(raw_dir=settings.raw_dir, expect="csv"))
    with connect(settings.db) as con:
        record_fetch(con, "r", source, fetched)
    params = {"source": source, "settings": settings}
    first = download_cache_key(None, params)
    assert first and first == download_cache_key(None, params)
    fetched.path.chmod(0o644)
    fetched.path.unlink()
    assert download_cache_key(None, params) is None, "a vanished raw file is never served"
