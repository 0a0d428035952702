"""Exports on the demo snapshot: every file, numbers traced to the marts, byte-identical
re-runs, hostile names and paths that try to leave the output folder."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from outlook.cli.main import main
from outlook.publish import charts, exports, role_data, textfmt
from outlook.publish.readers import UnknownRole
from outlook.publish.snapshot import open_snapshot
from tests.exports.helpers import (
    PID,
    PID_SLUG,
    outlook_rows,
    trace_figures,
    trace_mismatches,
    unexplained_numbers,
    untraced_numbers,
)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def pid_dir(exports_root: Path) -> Path:
    return exports_root / PID_SLUG / "latest"


def table_lines(markdown: str) -> list[list[str]]:
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in rows]


def test_every_file_is_written(pid_dir: Path, exports_root: Path, con) -> None:
    assert pid_dir.is_symlink() and pid_dir.resolve().parent == exports_root / PID_SLUG
    for name in exports.FILES:
        assert (pid_dir / name).stat().st_size > 0, name
    # every catalogue role has a folder with every file
    roles = role_data.catalogue_roles(con)
    assert len([p for p in exports_root.iterdir() if p.is_dir()]) == len(roles)

    # CSV for Datawrapper/Flourish: ISO dates first, plain numbers, one column per series
    rows = list(csv.reader(io.StringIO((pid_dir / "outlook.csv").read_text())))
    header, body = rows[0], rows[1:]
    assert header[0] == "month"
    assert "Health Care and Social Assistance: unique postings" in header
    assert "Health Care and Social Assistance: 3-month average" in header
    assert all(ISO_DATE.match(r[0]) for r in body)
    assert [r[0] for r in body] == sorted(r[0] for r in body)
    for r in body:
        for cell in r[1:]:
            assert cell == "" or re.fullmatch(r"\d+(\.\d+)?", cell), cell  # no separators
    months = con.execute(
        "select count(distinct month) from marts.role_industry_monthly where role = ?", [PID]
    ).fetchall()[0][0]
    assert len(body) == months
    monthly = dict(
        con.execute(
            "select strftime(month, '%Y-%m-%d'), unique_postings from marts.role_industry_monthly "
            "where role = ? and industry_sector = '62'",
            [PID],
        ).fetchall()
    )
    column = header.index("Health Care and Social Assistance: unique postings")
    assert {r[0]: int(r[column]) for r in body} == monthly

    # JSON: typed, with as-of dates, sources and attributions
    document = json.loads((pid_dir / "outlook.json").read_text())
    assert document["role"] == PID and document["as_of"]["postings"] == "2026-10-01"
    assert document["as_of"]["oews_release"] and document["as_of"]["projections_period"]
    healthcare = next(r for r in document["rows"] if r["industry_sector"] == "62")
    assert isinstance(healthcare["postings_current_window"], int)
    assert isinstance(healthcare["window_change_pct"], float)
    assert isinstance(healthcare["evidence_json"], list) and healthcare["evidence_json"]
    assert len(document["rows"]) == len(outlook_rows(con, PID))

    dictionary = (pid_dir / "data_dictionary.md").read_text()
    for attribution in (
        "Indeed Hiring Lab, CC BY 4.0",
        "O*NET 29.3 Database by USDOL/ETA, CC BY 4.0",
        "public domain",
    ):
        assert attribution in dictionary
        assert attribution in " ".join(document["attribution"])
    for column in healthcare:  # every JSON column is explained
        assert f"`{column}`" in dictionary

    # charts: SVG + PNG, each naming its source and period
    for name in ("trend", "wages"):
        svg = (pid_dir / f"{name}.svg").read_text()
        assert svg.startswith("<svg") and "Source: " in svg
        assert (pid_dir / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "November 2024 to October 2026" in (pid_dir / "trend.svg").read_text()
    assert "May 2024" in (pid_dir / "wages.svg").read_text()


def test_markdown_table_cells_match_the_mart(pid_dir: Path, con) -> None:
    """Each cell of each row is the named column of that industry's marts.role_outlook row."""
    rows = {r["sector_title"]: r for r in outlook_rows(con, PID)}
    header, *body = table_lines((pid_dir / "outlook.md").read_text())
    assert header == list(role_data.MD_COLUMNS)
    assert len(body) == len(rows)
    for cells in body:
        row = rows[cells[0]]
        assert cells[1] == row["label"]
        assert int(cells[2]) == row["postings_current_window"]
        assert cells[3] == textfmt.pct(row["window_change_pct"])
        trend = re.findall(r"[-+]?\d+\.\d", cells[4])
        expected = [
            row["trend_annualised_pct"],
            row["trend_ci_low_annualised_pct"],
            row["trend_ci_high_annualised_pct"],
        ]
        if row["trend_annualised_pct"] is None:  # withheld: too few postings for a slope
            assert trend == [] and cells[4] == textfmt.pct(None)
        else:
            assert [float(t) for t in trend] == pytest.approx(expected, abs=0.051)
        assert float(cells[5].strip("$").replace(",", "")) == pytest.approx(
            row["oews_median_annual_wage"], abs=0.51
        )
        assert float(cells[6].rstrip("%")) == pytest.approx(row["projected_growth_pct"], abs=0.051)
        assert float(cells[7]) == pytest.approx(row["projected_annual_openings"], abs=0.051)
        assert cells[8] == row["postings_as_of"].strftime("%Y-%m")


def test_every_number_in_every_paragraph_and_table_comes_from_the_mart(
    exports_root: Path, con
) -> None:
    checked = 0
    for role in role_data.catalogue_roles(con):
        rows = outlook_rows(con, role)
        folder = exports_root / role_data.role_slug(role, rows[0]["role_slug"]) / "latest"
        section = (folder / "outlook_section.md").read_text()
        trace = (folder / "outlook_section.trace.md").read_text()
        table = "\n".join(
            " ".join(cells) for cells in table_lines((folder / "outlook.md").read_text())[1:]
        )
        # the paragraph rounds its figures: each is traced, and the trace holds the exact
        # snapshot value it was rounded from
        assert trace_figures(trace), (role, trace)
        assert untraced_numbers(section, trace, role) == [], (role, section)
        # a missing count is left out of the copy, never printed as 'n/a' (found on the
        # real-data recipe: 'Public Administration (n/a postings in the window)')
        assert "n/a" not in section, (role, section)
        assert trace_mismatches(trace, con) == [], (role, trace)
        assert unexplained_numbers(table, rows) == [], (role, table)
        checked += 1
    assert checked > 40


def test_paragraph_words_weak_evidence_as_such(pid_dir: Path, exports_root: Path) -> None:
    section = (pid_dir / "outlook_section.md").read_text()
    paragraph = section.split("\n\n")[1]
    # PID in sector 54 has 24 postings in the window: insufficient data
    sentence = next(s for s in paragraph.split(". ") if "Technical Services" in s)
    assert "too few postings to say" in sentence
    assert "grew" not in sentence and "softened" not in sentence
    assert "held steady across all industries: 306 new job postings" in paragraph
    assert "Health Care and Social Assistance (100 postings, +42.9%)" in paragraph
    for footnote in ("[^postings]:", "[^projections]:", "[^oews]:", "[^indeed]:"):
        assert footnote in section  # each names its source and period in words
    assert "BLS Employment Projections 2024\u201334" in section
    cashier = (exports_root / "cashier" / "latest" / "outlook_section.md").read_text()
    assert "too few Cashier postings to say" in cashier
    assert "held steady" not in cashier and "grew" not in cashier


COLUMN_NAME = re.compile(r"\bmarts\.|\b[a-z]+_[a-z_]+\b")  # marts.x, postings_current_window
ISO_MONTH = re.compile(r"\d{4}-\d{2}")
MONEY = re.compile(r"\$(\d[\d,]*)")


def test_pid_paragraph_pastes_as_plain_english(pid_dir: Path, con) -> None:
    """What an editor pastes: no table or column names, no ISO months, money rounded,
    occupations by title; the exact figures live in the trace beside it."""
    section = (pid_dir / "outlook_section.md").read_text()
    trace = (pid_dir / "outlook_section.trace.md").read_text()
    assert COLUMN_NAME.findall(section) == []
    assert ISO_MONTH.findall(section) == []
    amounts = [int(m.replace(",", "")) for m in MONEY.findall(section)]
    assert amounts and all(a % 1000 == 0 for a in amounts), amounts
    assert "about $107,000" in section  # the mart holds 106,777.76
    assert "about 547,100 openings a year" in section  # 547.1 thousand
    assert "between November 2025 and October 2026" in section
    assert "Medical and Health Services Managers (11-9111)" in section
    assert "In May 2024, their median annual wage" in section
    # worded as BLS words it, measured against the release's all occupations (+3.1%)
    assert "to grow much faster than average over 2024\u201334 (+8.4%, against +3.1% for all" in (
        section
    )
    assert "By O*NET's Bright Outlook criteria" in section
    # the trace: every number of the paragraph, with its column and exact value
    assert untraced_numbers(section, trace, PID) == []
    assert trace_mismatches(trace, con) == []
    columns = {f[2] for f in trace_figures(trace)}
    assert {
        "marts.role_outlook.oews_median_annual_wage",
        "marts.role_outlook.projected_annual_openings (thousands)",
        "marts.role_outlook.projected_growth_all_occupations_pct",
        "marts.dim_occupation.soc_title",
    } <= columns
    money = next(f for f in trace_figures(trace) if f[0] == "$107,000")
    assert float(money[1]) == pytest.approx(106777.76, abs=0.01)


def test_notes_under_the_table_name_sources_and_periods_in_words(pid_dir: Path) -> None:
    """The lines under outlook.md's table are pasted too: months and OEWS releases in words,
    no loader profile name ('generic')."""
    notes = (pid_dir / "outlook.md").read_text().split("\n\n", 2)[-1]
    assert "Postings window: November 2025 to October 2026" in notes
    assert "BLS Occupational Employment and Wage Statistics, May 2024" in notes
    assert "M2024" not in notes and "(generic)" not in notes
    assert ISO_MONTH.findall(notes) == []
    assert textfmt.oews_releases_words("M2024, N2001") == "May 2024, November 2001"


def test_untraced_numbers_are_caught() -> None:
    """The trace check fails when a figure reaches the text without the tracer."""
    trace = '| 306 | 306 | `marts.role_outlook.postings_current_window` | role "R" |'
    assert untraced_numbers("R: 306 postings, +5.2% (CC BY 4.0)", trace, "R") == ["5.2"]


def test_rerun_with_the_same_data_is_byte_identical(demo_settings, exports_root, tmp_path) -> None:
    """A fresh render (the in-process chart cache cleared) gives the same bytes and version;
    re-running into the same folder rewrites nothing."""
    charts._render_json.cache_clear()
    with open_snapshot(demo_settings.snapshot_path) as con:
        again = exports.export_role(con, PID, tmp_path)
    first = (exports_root / PID_SLUG / "latest").resolve()
    assert again.folder.name == first.name
    for name in exports.FILES:
        assert (again.folder / name).read_bytes() == (first / name).read_bytes(), name
    mtimes = {p.name: p.stat().st_mtime_ns for p in again.folder.iterdir()}
    with open_snapshot(demo_settings.snapshot_path) as con:
        third = exports.export_role(con, "performance improvement DIRECTOR", tmp_path)
    assert third.version == again.version
    assert {p.name: p.stat().st_mtime_ns for p in third.folder.iterdir()} == mtimes


def test_vl_convert_output_is_stable() -> None:
    chart = charts.trend_chart(
        "Stable",
        [
            {"month": f"2026-0{m}-01", "industry": i, "unique_postings": m, "avg_3m": m + 0.5}
            for m in range(1, 7)
            for i in ("A", "B")
        ],
        "2026-01 to 2026-06",
        "test",
    )
    first = charts.render("trend", chart)
    charts._render_json.cache_clear()
    second = charts.render("trend", chart)
    assert first.svg == second.svg and first.png == second.png


def test_industry_filter_gets_its_own_folder(con, tmp_path: Path) -> None:
    written = exports.export_role(con, PID, tmp_path, industry="healthcare")
    assert written.slug == f"{PID_SLUG}--healthcare"
    rows = json.loads((written.folder / "outlook.json").read_text())["rows"]
    assert [r["industry_sector"] for r in rows] == ["62"]
    section = (written.folder / "outlook_section.md").read_text()
    assert "in Health Care and Social Assistance" in section


HOSTILE = [
    "../../escaped",
    "Robert'); DROP TABLE marts.role_outlook; --",
    'a/b "quoted" <script>alert(1)</script> | *pipe*',
    "..",
]


@pytest.fixture(scope="module")
def hostile_snapshot(demo_settings, tmp_path_factory) -> Path:
    """A copy of the demo snapshot with the PID rows repeated under hostile names/slugs."""
    path = tmp_path_factory.mktemp("hostile") / "snapshot.duckdb"
    shutil.copy(demo_settings.snapshot_path, path)
    os.chmod(path, 0o644)
    with duckdb.connect(str(path)) as con:
        for name in HOSTILE:
            for table in ("role_outlook", "role_industry_monthly"):
                con.execute(
                    f"insert into marts.{table} by name "
                    f"select * replace (? as role, ? as role_slug) from marts.{table} "
                    "where role = ?",
                    [name, name, PID],
                )
    return path


def test_hostile_role_names_stay_inside_the_output_folder(
    hostile_snapshot: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with duckdb.connect(str(hostile_snapshot), read_only=True) as con:
        for name in HOSTILE:
            written = exports.export_role(con, name, out)
            assert written.folder.resolve().is_relative_to(out.resolve())
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", written.slug), written.slug
            markdown = (written.folder / "outlook.md").read_text()
            assert len(table_lines(markdown)[1]) == len(role_data.MD_COLUMNS)  # no cell split
            assert json.loads((written.folder / "outlook.json").read_text())["role"] == name
            section = (written.folder / "outlook_section.md").read_text()
            assert "<script>" not in section and "<script>" not in markdown
        # the SQL in a name was a value, never a statement
        assert con.execute("select count(*) from marts.role_outlook").fetchall()[0][0] > 0
        assert len({w.name for w in out.iterdir()}) == len(HOSTILE)
    assert not (tmp_path / "escaped").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_hostile_role_and_industry_arguments_are_bound_values(con, tmp_path: Path) -> None:
    with pytest.raises(UnknownRole):
        exports.export_role(con, "x' or '1'='1", tmp_path)
    with pytest.raises(LookupError):
        exports.export_role(con, PID, tmp_path, industry="62' or '1'='1")
    assert list(tmp_path.iterdir()) == []


def test_paths_cannot_escape_the_output_folder(con, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outside = tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    for part in ("..", ".", "", "a/b", "/etc", "a\\b"):
        with pytest.raises(exports.UnsafePath):
            exports.safe_child(out, part)
    # a symlink planted where a role folder goes must not redirect the export
    (out / PID_SLUG).symlink_to(outside, target_is_directory=True)
    with pytest.raises(exports.UnsafePath):
        exports.export_role(con, PID, out)
    assert list(outside.iterdir()) == []


def test_slugify() -> None:
    assert textfmt.slugify("performance-improvement-director") == "performance-improvement-director"
    assert textfmt.slugify("a/b") != textfmt.slugify("a b")  # no collisions by sanitising
    for text in ("..", "/", "", "Ünïcode Rôle", "x" * 300):
        slug = textfmt.slugify(text)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= 80


def test_cli_export_role_and_all(demo_settings, exports_root: Path, capsys) -> None:
    publish_dir = str(demo_settings.publish_dir)
    assert (
        main(["export", "--role", PID, "--publish-dir", publish_dir, "--out", str(exports_root)])
        == 0
    )
    assert f"{PID}: {exports_root / PID_SLUG}" in capsys.readouterr().out
    # --all over the already-published versions: nothing to render, one log line per role
    assert main(["export", "--all", "--publish-dir", publish_dir, "--out", str(exports_root)]) == 0
    captured = capsys.readouterr()
    assert "exporting roles: 1/" in captured.err and "exporting roles: done" in captured.err
    assert main(["export", "--role", "no such role", "--publish-dir", publish_dir]) == 2
    assert "unknown role" in capsys.readouterr().err
    assert main(["export", "--publish-dir", publish_dir]) == 2


def test_as_of_summarises_every_row_not_the_all_industries_row() -> None:
    # real data: the sector-level OEWS files hold no cross-industry figures, so the 'all'
    # row has no release while the sector rows carry M2024 (main printed "OEWS n/a")
    rows = [
        {"industry_sector": "all", "oews_release": None, "projections_period": "2024-34",
         "postings_as_of": None, "current_window_start": None, "current_window_end": None,
         "jolts_as_of": None, "indeed_as_of": None},
        {"industry_sector": "62", "oews_release": "M2024", "projections_period": "2024-34",
         "postings_as_of": None, "current_window_start": None, "current_window_end": None,
         "jolts_as_of": None, "indeed_as_of": None},
        {"industry_sector": "52", "oews_release": "M2023", "projections_period": "2024-34",
         "postings_as_of": None, "current_window_start": None, "current_window_end": None,
         "jolts_as_of": None, "indeed_as_of": None},
    ]  # fmt: skip
    summary = role_data.as_of_rows(rows)
    assert summary["oews_release"] == "M2023, M2024"
    assert summary["projections_period"] == "2024-34"
    assert summary["postings"] is None
