"""JOLTS through a real local HTTP server speaking the BLS API v2 format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from outlook.ingest.jolts import ingest_jolts
from outlook.warehouse import connect, table_exists
from transforms.errors import SourceFormatError

FAKE_KEY = "FAKEKEY-0123456789abcdef0123456789"


def payload(series: list[str], status: str = "REQUEST_SUCCEEDED") -> dict:
    data = [
        {
            "year": "2024",
            "period": f"M{m:02d}",
            "periodName": "x",
            "value": str(7000 + m),
            "footnotes": [{}],
        }
        for m in range(1, 13)
    ]
    data.append(
        {
            "year": "2024",
            "period": "M13",
            "periodName": "Annual",
            "value": "7006",
            "footnotes": [{}],
        }
    )
    return {
        "status": status,
        "responseTime": 10,
        "message": [],
        "Results": {"series": [{"seriesID": s, "data": data} for s in series]},
    }


def echo_series(request) -> str:
    from werkzeug.wrappers import Response

    body = json.loads(request.data)
    return Response(json.dumps(payload(body["seriesid"])), content_type="application/json")


def test_pulls_parses_and_is_idempotent(httpserver: HTTPServer, settings, monkeypatch) -> None:
    monkeypatch.setenv("OUTLOOK_BLS_API_KEY", FAKE_KEY)
    httpserver.expect_request("/publicAPI/v2/timeseries/data/", method="POST").respond_with_handler(
        echo_series
    )
    url = httpserver.url_for("/publicAPI/v2/timeseries/data/")
    with connect(settings.db) as con:
        report = ingest_jolts(con, settings, "r1", api_url=url)
        assert report.outcome == "loaded" and report.release == "2024-12-01"
        rows = con.execute(
            "select count(*), count(distinct series_id) from raw.jolts__series"
        ).fetchall()[0]
        assert rows[0] == rows[1] * 12, "monthly rows only: M13 annual averages are excluded"
        # every request carried the key, and no request exceeded the keyed limits
        bodies = [json.loads(r.data) for r, _ in httpserver.log]
        assert all(b["registrationkey"] == FAKE_KEY and len(b["seriesid"]) <= 50 for b in bodies)
        meta = con.execute("select * from meta.loads").fetchall()
        assert FAKE_KEY not in repr(meta)


def test_request_not_processed_fails_without_leaking_key(
    httpserver: HTTPServer, settings, monkeypatch
) -> None:
    monkeypatch.setenv("OUTLOOK_BLS_API_KEY", FAKE_KEY)
    refusal = {
        "status": "REQUEST_NOT_PROCESSED",
        "responseTime": 5,
        "Results": {},
        "message": [f"daily threshold for key {FAKE_KEY} has been reached"],
    }
    httpserver.expect_request("/publicAPI/v2/timeseries/data/", method="POST").respond_with_json(
        refusal
    )
    url = httpserver.url_for("/publicAPI/v2/timeseries/data/")
    with connect(settings.db) as con:
        with pytest.raises(SourceFormatError) as info:
            ingest_jolts(con, settings, "r1", api_url=url)
        assert "REQUEST_NOT_PROCESSED" in str(info.value) or "threshold" in str(info.value)
        assert FAKE_KEY not in str(info.value)
        assert FAKE_KEY not in repr(con.execute("select * from meta.loads").fetchall())
        loaded = (
            table_exists(con, "raw.jolts__series")
            and con.execute("select count(*) from raw.jolts__series").fetchall()[0][0]
        )
        assert not loaded, "a refused pull writes no rows"


def test_5xx_is_retried_then_loads(httpserver: HTTPServer, settings, monkeypatch) -> None:
    monkeypatch.delenv("OUTLOOK_BLS_API_KEY", raising=False)
    httpserver.expect_ordered_request("/api/", method="POST").respond_with_data("", status=503)
    httpserver.expect_request("/api/", method="POST").respond_with_handler(echo_series)
    with connect(settings.db) as con:
        report = ingest_jolts(con, settings, "r1", api_url=httpserver.url_for("/api/"))
    assert report.outcome == "loaded"
    bodies = [json.loads(r.data) for r, _ in httpserver.log if r.data]
    assert all("registrationkey" not in b and len(b["seriesid"]) <= 25 for b in bodies)


def test_mirror_mode_reads_recorded_responses(settings, tmp_path: Path) -> None:
    folder = tmp_path / "mirror/api.bls.gov/publicAPI/v2/timeseries/data"
    folder.mkdir(parents=True)
    (folder / "jolts.json").write_text(json.dumps(payload(["JTS000000000000000JOL"])))
    with connect(settings.db) as con:
        report = ingest_jolts(con, settings.with_(mirror=tmp_path / "mirror"), "r1")
    assert (report.outcome, report.rows_loaded) == ("loaded", 12)
