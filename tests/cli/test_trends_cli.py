"""``outlook trends`` on a small hand-made snapshot: formats agree, hostile input is inert."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from outlook.cli.main import main
from outlook.cli.trends import COLUMNS

PID = "Performance Improvement Director"


def row(sector: str, title: str, group: str, label: str, postings: int) -> dict[str, object]:
    values: dict[str, object] = {c: None for c in COLUMNS}
    values.update(
        role=PID,
        industry_sector=sector,
        sector_title=title,
        industry_group=group,
        label=label,
        score=1.2 if label != "insufficient data" else None,
        postings_current_window=postings,
        window_change_pct=12.5,
        evidence_text=f"{postings} unique postings in the window (minimum 30); a|pipe",
        evidence_json=json.dumps([{"name": "postings_in_window", "value": postings}]),
        postings_as_of=date(2026, 10, 1),
        oews_release="M2024",
        projections_period="2024-34",
        jolts_as_of=date(2026, 9, 1),
        indeed_as_of=date(2026, 10, 1),
    )
    return values


ROWS = [
    row("62", "Health Care and Social Assistance", "healthcare", "growing", 120),
    row("all", "All industries", "all", "growing", 200),
    row("52", "Finance and Insurance", "finance", "insufficient data", 12),
]


@pytest.fixture
def publish_dir(tmp_path: Path) -> Path:
    snapshot = tmp_path / "published" / "snapshot" / "outlook.duckdb"
    snapshot.parent.mkdir(parents=True)
    con = duckdb.connect(str(snapshot))
    con.execute("create schema marts")
    types = {
        "score": "double",
        "postings_current_window": "bigint",
        "postings_previous_window": "bigint",
        "postings_as_of": "date",
        "jolts_as_of": "date",
        "indeed_as_of": "date",
    }
    con.execute(
        "create table marts.role_outlook ("
        + ", ".join(f"{c} {types.get(c, 'varchar' if c in TEXT else 'double')}" for c in COLUMNS)
        + ")"
    )
    marks = ", ".join("?" for _ in COLUMNS)
    con.executemany(
        f"insert into marts.role_outlook values ({marks})", [[r[c] for c in COLUMNS] for r in ROWS]
    )
    con.close()
    return tmp_path / "published"


TEXT = {
    "role",
    "industry_sector",
    "sector_title",
    "industry_group",
    "label",
    "indeed_category",
    "evidence_text",
    "evidence_json",
    "oews_release",
    "projections_period",
}


def run(publish_dir: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["trends", "--publish-dir", str(publish_dir), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_formats_give_the_same_rows(publish_dir: Path, capsys) -> None:
    code, as_json, _ = run(publish_dir, capsys, "--role", PID, "--format", "json")
    assert code == 0
    records = json.loads(as_json)
    assert [r["industry_sector"] for r in records] == ["all", "62", "52"]  # all first, then size
    assert all("label" in r for r in records)
    _, as_csv, _ = run(publish_dir, capsys, "--role", PID, "--format", "csv")
    csv_rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [r["industry_sector"] for r in csv_rows] == ["all", "62", "52"]
    assert [r["label"] for r in csv_rows] == [r["label"] for r in records]
    assert list(csv_rows[0]) == COLUMNS
    _, as_md, _ = run(publish_dir, capsys, "--role", PID, "--format", "md")
    lines = as_md.splitlines()
    assert len(lines) == 2 + len(records)
    assert "a\\|pipe" in lines[2]  # pipes in cells are escaped
    for line, record in zip(lines[2:], records, strict=True):
        assert f"| {record['label']} |" in line


def test_table_and_industry_filter(publish_dir: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "240")  # rich folds cells to the terminal width
    code, out, _ = run(publish_dir, capsys, "--role", PID.lower())
    assert code == 0 and "Health Care" in out and "insufficient data" in out
    assert "postings to October 2026" in out and "2026-10-01" not in out  # as editors write it
    for industry in ("healthcare", "62", "HEALTH CARE AND SOCIAL ASSISTANCE"):
        _, as_json, _ = run(
            publish_dir, capsys, "--role", PID, "--industry", industry, "--format", "json"
        )
        assert [r["industry_sector"] for r in json.loads(as_json)] == ["62"]
    code, _, err = run(publish_dir, capsys, "--role", PID, "--industry", "mining")
    assert code == 1 and "no outlook" in err


def test_unknown_role_lists_close_names(publish_dir: Path, capsys) -> None:
    code, _, err = run(publish_dir, capsys, "--role", "Performance Improvment Director")
    assert code == 2
    assert "unknown role" in err and PID in err


@pytest.mark.parametrize(
    "hostile",
    [
        "x'; drop table marts.role_outlook; --",
        "' or '1'='1",
        'Performance Improvement Director" --',
        "%",
    ],
)
def test_hostile_input_is_harmless(publish_dir: Path, capsys, hostile: str) -> None:
    code, out, err = run(publish_dir, capsys, "--role", hostile, "--format", "json")
    assert code == 2 and out == "" and "unknown role" in err
    code, out, _ = run(publish_dir, capsys, "--role", PID, "--industry", hostile)
    assert code == 1
    con = duckdb.connect(str(publish_dir / "snapshot" / "outlook.duckdb"), read_only=True)
    assert con.execute("select count(*) from marts.role_outlook").fetchone()[0] == 3
    con.close()


def test_missing_snapshot_is_a_clear_error(tmp_path: Path, capsys) -> None:
    code, _, err = run(tmp_path / "nowhere", capsys, "--role", PID)
    assert code == 2 and "outlook refresh" in err


def test_list_roles(publish_dir: Path, capsys) -> None:
    code, out, _ = run(publish_dir, capsys, "--list")
    assert code == 0 and out.strip() == PID
