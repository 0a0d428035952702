"""The requirement sections of the exports on the demo snapshot: prerequisites, skills and
career drafts, their traces and CSV tables, the skills chart; thin evidence said in words;
the Performance Improvement Director's Six Sigma, master's and years statements checked
against the truth planted in the demo samples (data/samples/truth)."""

from __future__ import annotations

import csv
import io
import re
import statistics
from datetime import date
from pathlib import Path

import pytest

from outlook.publish import role_data, textfmt
from outlook.publish.section_tables import FILES as SECTION_FILES
from tests.conftest import ROOT
from tests.exports.helpers import PID, PID_SLUG, trace_figures, untraced_numbers

SECTIONS = ("prerequisites_section", "skills_section", "career_section")
TOO_FEW = "too few postings with a description to say"
THIN_ROLE = "Performance Marketing Manager"  # 7 postings with a description in the demo
# what a reader must never see: table, column or loader names
INTERNAL = re.compile(
    r"marts\.|role_(skills|requirements|career_paths|outlook)|measures_withheld|"
    r"\b[a-z]+_[a-z_]+\b|evidence_floor|\bNULL\b|\bnan\b|\bNone\b(?! of)"
)
TRUTH = ROOT / "data" / "samples" / "truth"


def read(exports_root: Path, slug: str, name: str) -> str:
    return (exports_root / slug / "latest" / name).read_text(encoding="utf-8")


def test_sections_exist_name_period_and_sources(exports_root: Path, con) -> None:
    for name in SECTION_FILES:
        assert (exports_root / PID_SLUG / "latest" / name).stat().st_size > 0, name
    start, end = con.execute(
        "select current_window_start, current_window_end from marts.role_requirements "
        "where role = ? and industry_sector = 'all'",
        [PID],
    ).fetchone()
    period = f"{textfmt.month_name(start)}–{textfmt.month_name(end)}"
    prerequisites = read(exports_root, PID_SLUG, "prerequisites_section.md")
    skills = read(exports_root, PID_SLUG, "skills_section.md")
    career = read(exports_root, PID_SLUG, "career_section.md")
    for text in (prerequisites, skills):
        assert f"[^postings]: Job postings with a description, {period}" in text
        assert f"from {textfmt.month_name(start)} to {textfmt.month_name(end)}" in text
    assert "O*NET 29.3 Related Occupations and Job Zones" in career
    assert "BLS Occupational Employment and Wage Statistics, May 2024" in career
    assert "BLS Employment Projections 2024–34" in career
    assert "Hot Technology" in skills and "[^onet]: Hot Technology" in skills
    # occupation titles with their SOC codes in brackets, the role's own and related ones
    assert "Medical and Health Services Managers (11-9111)" in career
    assert "Chief Executives (11-1011)" in career


def test_sections_agree_with_the_outlook(exports_root: Path, con) -> None:
    """The postings counted are the outlook's: the same number of postings in the window."""
    postings = con.execute(
        "select postings_current_window from marts.role_outlook "
        "where role = ? and industry_sector = 'all'",
        [PID],
    ).fetchone()[0]
    text = read(exports_root, PID_SLUG, "prerequisites_section.md")
    assert f"Of the {textfmt.count(postings)} {PID} postings across all industries" in text
    assert f"| {textfmt.count(postings)} |" in read(exports_root, PID_SLUG, "outlook.md")


def test_no_internal_names_in_any_section(exports_root: Path, con) -> None:
    for role in role_data.catalogue_roles(con):
        slug = role_data.load_role(con, role).folder_slug
        for stem in SECTIONS:
            text = read(exports_root, slug, f"{stem}.md")
            assert not INTERNAL.search(text), (role, stem, INTERNAL.search(text))
            assert "n/a" not in text, (role, stem)
        for name in ("skills.csv", "requirements.csv", "career_paths.csv"):
            header = read(exports_root, slug, name).splitlines()[0]
            assert not INTERNAL.search(header), (role, name, header)


def test_every_number_is_traced_to_its_mart_row(exports_root: Path, con) -> None:
    for role in (PID, "Registered Nurse", THIN_ROLE):
        slug = role_data.load_role(con, role).folder_slug
        for stem in SECTIONS:
            section = read(exports_root, slug, f"{stem}.md")
            trace = read(exports_root, slug, f"{stem}.trace.md")
            assert untraced_numbers(section, trace, role) == [], (role, stem)
            assert trace_mismatches(trace, con) == [], (role, stem)
    pid = read(exports_root, PID_SLUG, "prerequisites_section.trace.md")
    tables = {column.split(".")[1] for _, _, column, _ in trace_figures(pid)}
    assert {"role_requirements", "role_skills"} <= tables


def test_thin_evidence_is_said_as_such(exports_root: Path, con) -> None:
    # an industry of PID below the floor, and a role below it everywhere
    pid = read(exports_root, PID_SLUG, "prerequisites_section.md")
    # 20 of its 24 postings in the window have a description: every dated posting is read
    assert (
        "In Professional, Scientific, and Technical Services (55 postings with a description "
        "from May 2024 to October 2026, every dated posting, as the latest window holds too "
        "few)" in pid
    )
    slug = role_data.load_role(con, THIN_ROLE).folder_slug
    for stem in ("prerequisites_section", "skills_section"):
        text = read(exports_root, slug, f"{stem}.md")
        assert TOO_FEW in text
        assert "%" not in text  # no share on thin evidence
    withheld = con.execute(
        "select count(*) from marts.role_skills where role = ? and share_mentioning is null",
        [THIN_ROLE],
    ).fetchone()[0]
    assert withheld > 0
    rows = list(csv.DictReader(io.StringIO(read(exports_root, slug, "skills.csv"))))
    assert rows and all(r["Share naming it (%)"] == "" and r["Note"] == TOO_FEW for r in rows)


def test_skills_csv_and_chart(exports_root: Path, con) -> None:
    rows = list(csv.DictReader(io.StringIO(read(exports_root, PID_SLUG, "skills.csv"))))
    count = con.execute("select count(*) from marts.role_skills where role = ?", [PID])
    assert len(rows) == count.fetchone()[0]
    black = next(
        r
        for r in rows
        if r["Industry"] == "All industries" and r["Skill"] == "Six Sigma Black Belt"
    )
    share = con.execute(
        "select share_mentioning from marts.role_skills where role = ? and "
        "industry_sector = 'all' and skill = 'Six Sigma Black Belt'",
        [PID],
    ).fetchone()[0]
    assert float(black["Share naming it (%)"]) == pytest.approx(share * 100, abs=0.05)
    svg = read(exports_root, PID_SLUG, "skills.svg")
    assert "Source: job postings with a description gathered by the outlook pipeline" in svg
    assert "Health Care and Social Assistance" in svg and "Six Sigma Black Belt" in svg
    assert not re.search(r"marts\.|role_skills|share_mentioning", svg)
    png = (exports_root / PID_SLUG / "latest" / "skills.png").read_bytes()
    assert png.startswith(b"\x89PNG")


# -- the PID statements against the planted truth ----------------------------------------


def truth_rows(con, sector: str) -> list[dict[str, str]]:
    """Truth of the canonical PID postings with a description in the current window."""
    truth: dict[str, dict[str, str]] = {}
    for path in sorted(TRUTH.glob("*.truth.csv")):
        with path.open(newline="") as handle:
            truth.update({r["source_id"]: r for r in csv.DictReader(handle)})
    ids = con.execute(
        """
        select f.source_id from marts.role_postings p
        join marts.fct_postings f using (posting_row_id)
        join marts.role_requirements r on r.role = p.role and r.industry_sector = ?
        where p.role = ? and p.is_canonical and p.posted_date_precision in ('day', 'month')
            and (? = 'all' or coalesce(p.naics_sector, 'unknown') = ?)
            and date_trunc('month', p.posted_date) between r.current_window_start
                and r.current_window_end
        """,
        [sector, PID, sector, sector],
    ).fetchall()
    return [truth[i] for (i,) in ids if i in truth and truth[i]["has_text"] == "True"]


def printed(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, pattern
    return float(match.group(1))


def test_pid_six_sigma_masters_and_years_match_the_planted_truth(exports_root: Path, con):
    text = read(exports_root, PID_SLUG, "prerequisites_section.md")
    truth = truth_rows(con, "all")
    assert len(truth) > 200

    def share(test) -> float:
        return 100 * sum(1 for r in truth if test(r)) / len(truth)

    belt = share(
        lambda r: (
            "Six Sigma Black Belt"
            in (r["certifications_required"] + ";" + r["certifications_preferred"]).split(";")
        )
    )
    required = share(lambda r: "Six Sigma Black Belt" in r["certifications_required"].split(";"))
    master = share(lambda r: r["education_min"] == "master")
    years = [float(r["experience_years_min"]) for r in truth if r["experience_years_min"]]
    got = re.search(r"Six Sigma Black Belt is named in (\d+)% \((\d+)% require it", text)
    assert got, text
    assert float(got.group(1)) == pytest.approx(belt, abs=5)
    assert float(got.group(2)) == pytest.approx(required, abs=5)
    assert printed(r"(\d+)%(?: ask for)? a master's degree or MBA", text) == pytest.approx(
        master, abs=5
    )
    assert printed(r"a median of ([\d.]+) years", text) == pytest.approx(
        statistics.median(years), abs=1
    )
    q1, _, q3 = statistics.quantiles(years, n=4, method="inclusive")
    middle = re.search(r"the middle half for ([\d.]+) to ([\d.]+) years", text)
    assert middle, text
    assert float(middle.group(1)) == pytest.approx(q1, abs=1)
    assert float(middle.group(2)) == pytest.approx(q3, abs=1)
    # by industry where the evidence allows: Health Care and Social Assistance
    health = text.split("In Health Care and Social Assistance (", 1)[1].split(". ", 1)[0]
    truth = truth_rows(con, "62")
    master_62 = 100 * sum(1 for r in truth if r["education_min"] == "master") / len(truth)
    assert printed(r"(\d+)% ask for a master's degree or MBA", health) == pytest.approx(
        master_62, abs=6
    )
    years_62 = [float(r["experience_years_min"]) for r in truth if r["experience_years_min"]]
    assert printed(r"the median experience asked is ([\d.]+) years", health) == pytest.approx(
        statistics.median(years_62), abs=1
    )
    assert "name Six Sigma Black Belt" in health


# -- trace checker for the requirement marts ---------------------------------------------

KEYS = re.compile(r'(\w+(?:\\_\w+)*) "([^"]*)"')


def trace_mismatches(trace: str, con) -> list[str]:
    """Trace rows whose stored value is not the snapshot's, or whose printed figure is not
    that value as the text writes it (shares as whole percents, points unsigned)."""
    wrong = []
    for text, stored, column, row in trace_figures(trace):
        table, _, name = column.partition(" ")[0].rpartition(".")
        keys = {k.replace("\\", ""): v.replace("\\", "") for k, v in KEYS.findall(row)}
        if list(keys) == ["soc_code"]:  # an occupation title
            found = con.execute(
                f"select count(*) from {table} where soc_code = ? and {name} = ?",
                [keys["soc_code"], stored],
            ).fetchone()[0]
            if not (found and text.replace("\\", "") == f"{stored} ({keys['soc_code']})"):
                wrong.append(text)
            continue
        where = " and ".join(f"{k} = ?" for k in keys)
        values = con.execute(f"select {name} from {table} where {where}", list(keys.values()))
        found_rows = values.fetchall()
        if len(found_rows) != 1:
            wrong.append(f"{text}: {len(found_rows)} rows for {row}")
            continue
        value = found_rows[0][0]
        if isinstance(value, date):
            ok = stored == value.isoformat()[:10] and text == textfmt.month_name(value)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            ok = stored == str(value) and text.replace("\\", "") in (
                str(value),
                textfmt.period_words(value),
                textfmt.oews_release_words(value),
            )
        elif "(fraction)" in column:
            ok = float(stored) == value and text == textfmt.share_pct(value)
        elif "(percentage points)" in column:
            ok = float(stored) == value and text == textfmt.points(value)
        else:
            ok = float(stored) == value and text in (
                textfmt.count(value),
                textfmt.pct(value),
                textfmt.money_rounded(value),
                textfmt.plain(value),
            )
        if not ok:
            wrong.append(f"{text} ({column}: {value!r}, stored {stored})")
    return wrong
