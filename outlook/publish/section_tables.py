"""The requirement sections' files beside a role's export: the three drafts and their traces
(``sections.py``), one CSV table per section and the skills chart.

CSV tables are for Datawrapper, Flourish or a spreadsheet: readable headers (no table or
column names), shares in percent with one decimal, plain numbers without separators, months
as ISO dates; a share the mart withholds is an empty cell with the reason in words in the
"Note" column ("too few postings with a description to say"). Rows are the mart rows the
dashboard panels show.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from outlook.publish import section_data as sd
from outlook.publish import textfmt

if TYPE_CHECKING:
    from outlook.publish.charts import RenderedChart
    from outlook.publish.role_data import RoleData

FILES = (
    "prerequisites_section.md",
    "prerequisites_section.trace.md",
    "skills_section.md",
    "skills_section.trace.md",
    "career_section.md",
    "career_section.trace.md",
    "skills.csv",
    "requirements.csv",
    "career_paths.csv",
    "skills.svg",
    "skills.png",
)
TOO_FEW = "too few postings with a description to say"
TOO_FEW_YEARS = "too few postings stating a minimum number of years to say"
SKILLS_SOURCE = "job postings with a description gathered by the outlook pipeline"

Column = tuple[str, Callable[[dict[str, Any]], object]]


def _percent(column: str) -> Callable[[dict[str, Any]], object]:
    def cell(row: dict[str, Any]) -> object:
        value = row.get(column)
        return "" if value is None else f"{float(value) * 100:.1f}"

    return cell


def _plain(column: str) -> Callable[[dict[str, Any]], object]:
    def cell(row: dict[str, Any]) -> object:
        value = row.get(column)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, float) and value == int(value):
            return int(value)
        return textfmt.iso(value) if not isinstance(value, int | float) else value

    return cell


def _csv_text(value: object) -> object:
    # Spreadsheets run a cell starting with = + - @ as a formula (CSV injection).
    text = value if isinstance(value, str) else None
    return f"'{text}" if text and text[:1] in ("=", "+", "-", "@") else value


def _write(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    for row in rows:
        writer.writerow([_csv_text(cell(row)) for _, cell in columns])
    return out.getvalue()


def _industry(labels: dict[str, str]) -> Column:
    return ("Industry", lambda r: labels.get(r["industry_sector"], r["sector_title"]))


def _skills_note(row: dict[str, Any]) -> str:
    if row["share_mentioning"] is None:
        return TOO_FEW
    if row["share_change_pts"] is None:
        return "too few postings with a description in the previous window to give a change"
    return ""


def skills_csv(data: RoleData, labels: dict[str, str]) -> str:
    columns: list[Column] = [
        _industry(labels),
        ("Skill", lambda r: r["skill"]),
        ("Kind", lambda r: r["skill_kind"]),
        ("O*NET Hot Technology", _plain("hot_technology")),
        ("Postings read", _plain("evidence_basis")),
        ("Postings with a description", _plain("postings_with_text")),
        ("Postings naming it", _plain("postings_mentioning")),
        ("Share naming it (%)", _percent("share_mentioning")),
        ("Share requiring it (%)", _percent("share_requiring")),
        ("Share preferring it (%)", _percent("share_preferring")),
        ("Share naming it, previous window (%)", _percent("share_mentioning_previous")),
        ("Change (percentage points)", _plain("share_change_pts")),
        ("Postings from", _plain("evidence_start")),
        ("Postings to", _plain("evidence_end")),
        ("Note", _skills_note),
    ]
    return _write(data.sections.skills, columns)


def _requirements_note(row: dict[str, Any]) -> str:
    notes = []
    if row["share_bachelor"] is None:
        notes.append(TOO_FEW)
    if row["experience_years_median"] is None:
        notes.append(TOO_FEW_YEARS)
    return "; ".join(notes)


def requirements_csv(data: RoleData, labels: dict[str, str]) -> str:
    education = [
        (f"Minimum education: {words.removeprefix('a ').removeprefix('an ')} (%)", column)
        for column, words in reversed(sd.EDUCATION_WORDS.items())
    ]
    columns: list[Column] = [
        _industry(labels),
        ("Postings (current window)", _plain("postings_current_window")),
        ("Postings read", _plain("evidence_basis")),
        ("Postings read: count", _plain("evidence_postings")),
        ("Postings with a description", _plain("postings_with_text")),
        *[(name, _percent(column)) for name, column in education],
        ("Education not stated (%)", _percent("share_education_not_stated")),
        ("Accepting equivalent experience (%)", _percent("share_or_equivalent")),
        ("Naming a certification (%)", _percent("share_naming_certification")),
        ("Postings stating minimum years", _plain("postings_stating_years")),
        ("Minimum years: median", _plain("experience_years_median")),
        ("Minimum years: 25th percentile", _plain("experience_years_p25")),
        ("Minimum years: 75th percentile", _plain("experience_years_p75")),
        ("Postings from", _plain("evidence_start")),
        ("Postings to", _plain("evidence_end")),
        ("Note", _requirements_note),
    ]
    return _write(data.sections.requirements, columns)


def career_csv(data: RoleData) -> str:
    columns: list[Column] = [
        ("Related occupation (O*NET)", lambda r: r["related_title"]),
        ("SOC code", _plain("related_soc_code")),
        ("O*NET-SOC code", _plain("related_onet_soc_code")),
        ("From the role's occupation (SOC)", _plain("from_soc_code")),
        ("O*NET relatedness tier", _plain("relatedness_tier")),
        ("O*NET rank", _plain("related_index")),
        ("One of the role's own SOC codes", _plain("is_role_own_soc")),
        ("Job Zone", _plain("related_job_zone")),
        ("Job Zone step", _plain("job_zone_step")),
        ("Median annual wage (USD)", _plain("related_median_annual_wage")),
        ("Role's median annual wage (USD)", lambda r: _round(r["role_median_annual_wage"])),
        ("Wage step (USD)", _plain("wage_step")),
        ("Wage step (%)", _plain("wage_step_pct")),
        ("Projected employment change (%)", _plain("related_projected_growth_pct")),
        ("Projected change in words", _plain("related_projected_growth_words")),
        (
            "Projected annual openings (thousands)",
            _plain("related_projected_annual_openings_thousands"),
        ),
        ("Bright Outlook", _plain("related_bright_outlook")),
        ("Catalogue roles on this occupation", _plain("linked_roles")),
        ("O*NET release", _plain("onet_release")),
        (
            "OEWS release",
            lambda r: (
                "" if not r["oews_release"] else textfmt.oews_release_words(r["oews_release"])
            ),
        ),
        (
            "Projection period",
            lambda r: (
                "" if not r["projection_period"] else textfmt.period_words(r["projection_period"])
            ),
        ),
    ]
    return _write(data.sections.careers, columns)


def _round(value: object) -> object:
    return "" if value is None else round(float(value))  # type: ignore[arg-type]


def skills_chart(data: RoleData, labels: dict[str, str]) -> RenderedChart:
    from outlook.publish import charts

    rows = sd.chart_skills(data.sections.skills, labels)
    lead = sd.lead_row(data.sections.requirements) or (data.sections.requirements or [{}])[0]
    all_dates = lead.get("evidence_basis") == "all dates"
    start = lead.get("evidence_start" if all_dates else "current_window_start")
    end = lead.get("evidence_end" if all_dates else "current_window_end")
    period = (
        f"{textfmt.month_name(start)} to {textfmt.month_name(end)}"
        if start is not None and end is not None
        else "no posting data"
    )
    if all_dates:
        period += " (every dated posting)"
    return charts.render("skills", charts.skills_chart(data.role, rows, period, SKILLS_SOURCE))


def section_files(data: RoleData, labels: dict[str, str]) -> dict[str, bytes]:
    """Every file of the requirement sections, in memory."""
    from outlook.publish.sections import render_sections

    files = {name: text.encode() for name, text in render_sections(data).items()}
    files["skills.csv"] = skills_csv(data, labels).encode()
    files["requirements.csv"] = requirements_csv(data, labels).encode()
    files["career_paths.csv"] = career_csv(data).encode()
    chart = skills_chart(data, labels)
    files["skills.svg"] = chart.svg.encode()
    files["skills.png"] = chart.png
    return files
