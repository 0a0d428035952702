"""The chart specs (what outlook.publish.charts builds before vl-convert renders them):
legend swatches in the series colour, month names, source lines in words, wage rows by
occupation title. The PNGs were also looked at; these pin what made them read alone."""

from __future__ import annotations

import json
import re

import pytest

from outlook.publish import exports
from outlook.publish.role_data import load_role
from outlook.publish.snapshot import open_snapshot
from tests.exports.helpers import PID

INTERNAL = re.compile(r"marts\.|\(generic\)|role_industry|occupation_wages|\d{4}-\d{2}")


@pytest.fixture(scope="module")
def specs(demo_settings) -> dict[str, dict]:
    with open_snapshot(demo_settings.snapshot_path) as con:
        data = load_role(con, PID)
    return {name: chart.spec for name, chart in exports.build_charts(data).items()}


def _subtitle(spec: dict) -> list[str]:
    return spec["title"]["subtitle"]


def test_trend_legend_axis_and_source_read_alone(specs) -> None:
    spec = specs["trend"]
    thin, average, _points = spec["layer"]
    legend = average["encoding"]["color"]["legend"]
    # the swatch is the thick series line at full opacity, not the faint monthly line
    assert thin["mark"]["opacity"] < 1
    assert legend["symbolOpacity"] == 1 and legend["symbolType"] == "stroke"
    assert legend["symbolStrokeWidth"] == average["mark"]["strokeWidth"]
    assert average["encoding"]["x"]["axis"]["format"] == "%b %Y"  # "Nov 2024"
    subtitle = _subtitle(spec)
    assert "November 2024 to October 2026" in subtitle[0]
    assert subtitle[1] == "Source: job postings gathered by the outlook pipeline"
    assert not INTERNAL.search(json.dumps(spec["title"]))


def test_wage_rows_by_occupation_title(specs) -> None:
    spec = specs["wages"]
    encoding = spec["layer"][0]["encoding"]
    assert encoding["y"]["field"] == "occupation"
    assert encoding["color"]["field"] == "industry"
    rows = spec["data"]["values"]
    occupations = {r["occupation"] for r in rows}
    assert "General and Operations Managers (11-1021)" in occupations
    assert "Medical and Health Services Managers (11-9111)" in occupations
    assert all("·" not in o for o in occupations)
    assert {"All industries", "Health Care and Social Assistance"} <= {r["industry"] for r in rows}
    subtitle = _subtitle(spec)
    assert subtitle[0].endswith(", May 2024")
    assert subtitle[1].startswith("Source: U.S. Bureau of Labor Statistics, Occupational")
    assert not INTERNAL.search(json.dumps(spec["title"]))
