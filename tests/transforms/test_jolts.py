"""JOLTS helpers: series ids, request chunking, API v2 response parsing (documented format)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scripts.samples.official import jolts_payload, write_jolts_fixture
from transforms.errors import SourceFormatError
from transforms.jolts import (
    JOLTS_INDUSTRIES,
    build_requests,
    default_series_ids,
    jolts_series_id,
    parse_response,
    parse_series_id,
)

KEY = "0123456789abcdef0123456789abcdef"
URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"


def test_series_id_layout() -> None:
    assert jolts_series_id("000000") == "JTS000000000000000JOL"
    sid = jolts_series_id("620000", "HI", "R", seasonal="U")
    assert sid == "JTU620000000000000HIR" and len(sid) == 21
    assert parse_series_id(sid) == {
        "seasonal": "U",
        "industry_code": "620000",
        "state": "00",
        "area": "00000",
        "sizeclass": "00",
        "data_element": "HI",
        "ratelevel": "R",
    }
    assert parse_series_id("CES0000000001") is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"industry_code": "62"},
        {"industry_code": "000000", "data_element": "XX"},
        {"industry_code": "000000", "ratelevel": "Q"},
        {"industry_code": "000000", "seasonal": "A"},
    ],
)
def test_series_id_rejects_bad_parts(kwargs: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        jolts_series_id(**kwargs)


def test_industries_table() -> None:
    codes = [i.code for i in JOLTS_INDUSTRIES]
    assert codes[0] == "000000" and len(codes) == len(set(codes))
    by = {i.code: i for i in JOLTS_INDUSTRIES}
    assert by["620000"].naics_sectors == ("62",)
    assert by["300000"].naics_sectors == ("31-33",)
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(default_series_ids()) == len(codes) * 4 * 2


def test_chunking_without_key() -> None:
    ids = [jolts_series_id(i.code) for i in JOLTS_INDUSTRIES] * 2  # duplicates dropped
    ids += [jolts_series_id(i.code, "HI") for i in JOLTS_INDUSTRIES]
    bodies = build_requests(ids, 2001, 2024)
    assert all(len(b["seriesid"]) <= 25 for b in bodies)
    assert all(int(b["endyear"]) - int(b["startyear"]) + 1 <= 10 for b in bodies)
    assert all("registrationkey" not in b for b in bodies)
    assert {(b["startyear"], b["endyear"]) for b in bodies} == {
        ("2001", "2010"),
        ("2011", "2020"),
        ("2021", "2024"),
    }
    assert len(bodies) == 3 * 3  # 56 unique series -> 3 chunks, 3 year windows
    covered = {(s, b["startyear"]) for b in bodies for s in b["seriesid"]}
    assert len(covered) == 56 * 3


def test_chunking_with_key_and_custom_limits() -> None:
    ids = default_series_ids()  # 224
    bodies = build_requests(ids, 2005, 2024, key=KEY)
    assert len(bodies) == 5  # 50+50+50+50+24, one 20-year window
    assert all(b["registrationkey"] == KEY and len(b["seriesid"]) <= 50 for b in bodies)
    assert bodies[0]["startyear"] == "2005" and bodies[0]["endyear"] == "2024"
    small = build_requests(ids[:3], 2020, 2024, max_series=2, max_years=2)
    assert [(len(b["seriesid"]), b["startyear"]) for b in small] == [
        (2, "2020"),
        (1, "2020"),
        (2, "2022"),
        (1, "2022"),
        (2, "2024"),
        (1, "2024"),
    ]
    with pytest.raises(ValueError):
        build_requests(ids, 2024, 2020)


def _payload() -> dict[str, Any]:
    return {
        "status": "REQUEST_SUCCEEDED",
        "responseTime": 120,
        "message": ["No Data Available for Series JTS000000000000000OSL Year: 2015"],
        "Results": {
            "series": [
                {
                    "seriesID": "JTS620000000000000JOL",
                    "data": [
                        {
                            "year": "2024",
                            "period": "M12",
                            "periodName": "December",
                            "latest": "true",
                            "value": "1496",
                            "footnotes": [{"code": "P", "text": "preliminary"}],
                        },
                        {
                            "year": "2024",
                            "period": "M13",
                            "periodName": "Annual",
                            "value": "1550",
                            "footnotes": [{}],
                        },
                        {
                            "year": "2024",
                            "period": "M11",
                            "periodName": "November",
                            "value": "-",
                            "footnotes": [{}],
                        },
                    ],
                },
                {"seriesID": "JTS000000000000000OSL", "data": []},
            ]
        },
    }


def test_parse_response() -> None:
    df = parse_response(_payload(), URL)
    assert list(df.columns) == [
        "series_id",
        "industry_code",
        "data_element",
        "ratelevel",
        "seasonal",
        "year",
        "period",
        "month",
        "value",
        "footnotes",
        "preliminary",
    ]
    assert df["period"].tolist() == ["M11", "M12"]  # M13 dropped, sorted by month
    assert df["month"].tolist() == [dt.date(2024, 11, 1), dt.date(2024, 12, 1)]
    assert pd.isna(df.loc[0, "value"]) and df.loc[1, "value"] == 1496.0
    assert df["preliminary"].tolist() == [False, True]
    assert df.loc[1, "footnotes"] == "preliminary" and pd.isna(df.loc[0, "footnotes"])
    assert set(df["industry_code"]) == {"620000"} and set(df["data_element"]) == {"JO"}
    assert df.attrs["messages"][0].startswith("No Data Available")


def test_not_processed_raises_without_key() -> None:
    payload = {
        "status": "REQUEST_NOT_PROCESSED",
        "responseTime": 10,
        "message": [
            "Request could not be serviced, as the daily threshold for total number of "
            f"requests allocated to the user with registration key {KEY} has been reached."
        ],
        "Results": {},
    }
    with pytest.raises(SourceFormatError) as err:
        parse_response(payload, f"{URL}?registrationkey={KEY}", secrets=[KEY])
    text = str(err.value)
    assert "REQUEST_NOT_PROCESSED" in text and "daily threshold" in text
    assert KEY not in text
    # Key-shaped tokens are masked even when the caller forgets to pass the secret.
    with pytest.raises(SourceFormatError) as err2:
        parse_response(payload, URL)
    assert KEY not in str(err2.value)


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda p: p["Results"]["series"][0]["data"][0].update(period="Q01"), "period"),
        (lambda p: p["Results"]["series"][0]["data"][0].update(value="1,4x"), "not a number"),
        (lambda p: p["Results"]["series"][0].update(seriesID="CES0000000001"), "non-JOLTS"),
        (lambda p: p.pop("Results"), "Results.series"),
    ],
)
def test_malformed_payloads(mutate: Any, match: str) -> None:
    payload = copy.deepcopy(_payload())
    mutate(payload)
    with pytest.raises(SourceFormatError, match=match):
        parse_response(payload, URL)


def test_empty_success() -> None:
    df = parse_response({"status": "REQUEST_SUCCEEDED", "Results": {"series": []}}, URL)
    assert df.empty and "month" in df.columns


def test_sample_fixture_round_trip(tmp_path: Path) -> None:
    path = write_jolts_fixture(tmp_path)
    payload = json.loads(path.read_text())
    assert payload == jolts_payload()
    df = parse_response(payload, str(path))
    assert df.groupby("series_id").size().eq(24).all()
    assert df["value"].notna().all()
    assert df.groupby("series_id")["preliminary"].sum().eq(2).all()
