"""``outlook skills``: what a role's postings ask for, by industry, from the published
snapshot: education, years of experience, certifications and skills named in the postings
with a description (``marts.role_requirements`` and ``marts.role_skills``).

The table prints the requirements per industry and each industry's most named skills; csv,
json and md give one long table (a row per measure: ``section``, ``item``, ``value`` in
``unit``, over ``postings_base`` postings), which every tool reads as it is. Shares the mart
withholds (too few postings with a description) print as withheld, with the reason.
"""

from __future__ import annotations

import argparse

from outlook.cli.output import render_rows
from outlook.cli.registry import command
from outlook.config import Settings
from outlook.publish import textfmt
from outlook.publish.readers import UnknownRole, resolve_role, role_rows

FORMATS = ("table", "csv", "json", "md")
TABLE_TOP = 5  # skills per industry in the table when --top is not given

# The long table every non-table format gives, in order.
COLUMNS = [
    "role",
    "industry_sector",
    "sector_title",
    "section",
    "item",
    "kind",
    "value",
    "unit",
    "postings_base",
    "share_required",
    "share_change_pts",
    "hot_technology",
    "measures_withheld",
    "evidence_basis",
    "evidence_start",
    "evidence_end",
]

_EDUCATION_COLUMNS = {
    "none": "share_education_none",
    "high_school": "share_high_school",
    "associate": "share_associate",
    "bachelor": "share_bachelor",
    "master": "share_master",
    "professional": "share_professional",
    "doctorate": "share_doctorate",
    "not stated": "share_education_not_stated",
    "or equivalent experience": "share_or_equivalent",
}
_YEARS = {
    "minimum years, median": "experience_years_median",
    "minimum years, 25th percentile": "experience_years_p25",
    "minimum years, 75th percentile": "experience_years_p75",
}


def _dicts(cursor) -> list[dict[str, object]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def requirement_measures(req: dict[str, object]) -> list[dict[str, object]]:
    """The long rows of one ``marts.role_requirements`` row."""
    base = {
        "role": req["role"],
        "industry_sector": req["industry_sector"],
        "sector_title": req["sector_title"],
        "kind": None,
        "share_required": None,
        "share_change_pts": None,
        "hot_technology": None,
        "measures_withheld": req["measures_withheld"],
        "evidence_basis": req["evidence_basis"],
        "evidence_start": req["evidence_start"],
        "evidence_end": req["evidence_end"],
    }
    rows = [
        base
        | {
            "section": "text",
            "item": "postings with a description",
            "value": req["share_with_text"],
            "unit": "share",
            "postings_base": req["evidence_postings"],
        }
    ]
    for item, column in _EDUCATION_COLUMNS.items():
        rows.append(
            base
            | {
                "section": "education",
                "item": item,
                "value": req[column],
                "unit": "share",
                "postings_base": req["postings_with_text"],
            }
        )
    for item, column in _YEARS.items():
        rows.append(
            base
            | {
                "section": "experience",
                "item": item,
                "value": req[column],
                "unit": "years",
                "postings_base": req["postings_stating_years"],
            }
        )
    return rows


def skill_measure(skill: dict[str, object]) -> dict[str, object]:
    """The long row of one ``marts.role_skills`` row."""
    return {
        "role": skill["role"],
        "industry_sector": skill["industry_sector"],
        "sector_title": skill["sector_title"],
        "section": "certification" if skill["skill_kind"] == "certification" else "skill",
        "item": skill["skill"],
        "kind": skill["skill_kind"],
        "value": skill["share_mentioning"],
        "unit": "share",
        "postings_base": skill["postings_with_text"],
        "share_required": skill["share_requiring"],
        "share_change_pts": skill["share_change_pts"],
        "hot_technology": skill["hot_technology"],
        "measures_withheld": skill["measures_withheld"],
        "evidence_basis": skill["evidence_basis"],
        "evidence_start": skill["evidence_start"],
        "evidence_end": skill["evidence_end"],
    }


def fetch(con, role: str, industry: str | None, top: int | None):
    """(requirements rows, skills rows) of a role: the skills, per industry, the ``top`` most
    named (all when None)."""
    name = resolve_role(con, role)
    requirements = _dicts(role_rows(con, "marts.role_requirements", name, industry, "*"))
    skills = _dicts(role_rows(con, "marts.role_skills", name, industry, "*"))
    if top is not None:
        seen: dict[object, int] = {}
        kept = []
        for row in skills:  # ordered by mentions within each industry
            seen[row["industry_sector"]] = seen.get(row["industry_sector"], 0) + 1
            if seen[row["industry_sector"]] <= top:
                kept.append(row)
        skills = kept
    return requirements, skills


def long_rows(requirements, skills) -> list[dict[str, object]]:
    """Requirements then skills, industry by industry (the readers' industry order)."""
    by_industry: dict[object, list[dict[str, object]]] = {}
    for req in requirements:
        by_industry.setdefault(req["industry_sector"], []).extend(requirement_measures(req))
    for skill in skills:
        by_industry.setdefault(skill["industry_sector"], []).append(skill_measure(skill))
    return [row for rows in by_industry.values() for row in rows]


def _share(value: object) -> str:
    return "withheld" if value is None else f"{float(value):.0%}"  # type: ignore[arg-type]


def _education(req: dict[str, object]) -> str:
    shares = [
        (req[column], level)
        for level, column in _EDUCATION_COLUMNS.items()
        if level not in ("not stated", "or equivalent experience") and req[column]
    ]
    if req["share_bachelor"] is None:
        return "withheld"
    top = sorted(shares, key=lambda pair: -float(pair[0]))[:3]  # type: ignore[arg-type]
    return ", ".join(f"{level.replace('_', ' ')} {_share(share)}" for share, level in top)


def _years(req: dict[str, object]) -> str:
    if req["experience_years_median"] is None:
        return "withheld"
    return (
        f"{textfmt.decimal(req['experience_years_median'], 0)} "
        f"({textfmt.decimal(req['experience_years_p25'], 0)}-"
        f"{textfmt.decimal(req['experience_years_p75'], 0)})"
    )


def _named(skills: list[dict[str, object]], sector: object, certifications: bool, top: int) -> str:
    """'Six Sigma 95%, Lean 84%' for one industry: its ``top`` most named skills (or
    certifications, with the share that requires them), withheld shares left out."""
    picked = [
        s
        for s in skills
        if s["industry_sector"] == sector
        and (s["skill_kind"] == "certification") == certifications
        and s["share_mentioning"] is not None
    ][:top]
    if not picked:
        return "withheld" if any(s["industry_sector"] == sector for s in skills) else "none named"
    parts = []
    for s in picked:
        part = f"{s['skill']} {_share(s['share_mentioning'])}"
        if certifications and s["share_requiring"] is not None:
            part += f" ({_share(s['share_requiring'])} required)"
        elif s["hot_technology"]:
            part += " (hot technology)"
        parts.append(part)
    return ", ".join(parts)


def _period(req: dict[str, object]) -> str:
    """The postings a row reads: 'November 2025 to October 2026', and 'all dates' when the
    current window held too few descriptions and every dated posting was read instead."""
    if req["evidence_start"] is None:
        return "none with a description"
    span = (
        f"{textfmt.month_name(req['evidence_start'])} to {textfmt.month_name(req['evidence_end'])}"
    )
    return span if req["evidence_basis"] == "current window" else f"all dates: {span}"


def print_tables(requirements, skills, top: int) -> None:
    from outlook.cli.output import console, table, text

    out = console()
    first = requirements[0]
    industries = [(r, f"{r['sector_title']} ({r['industry_sector']})") for r in requirements]
    out.print(
        table(
            f"{first['role']}: what postings ask for",
            (
                "industry",
                "postings read",
                "with a description",
                "lowest education asked",
                "min. years: median (IQR)",
            ),
            (
                (
                    name,
                    _period(r),
                    f"{textfmt.count(r['postings_with_text'])} of "
                    f"{textfmt.count(r['evidence_postings'])}",
                    _education(r),
                    _years(r),
                )
                for r, name in industries
            ),
        )
    )
    out.print(
        table(
            f"{first['role']}: most named in postings with a description (share of them)",
            ("industry", "certifications", f"skills and methods (top {top})"),
            (
                (
                    name,
                    _named(skills, r["industry_sector"], True, top),
                    _named(skills, r["industry_sector"], False, top),
                )
                for r, name in industries
            ),
        )
    )
    for r, name in industries:
        if r["measures_withheld"]:
            out.print(text(f"{name}: withheld, {r['measures_withheld']}"))
    out.print(
        text(
            "source: job postings with a description, read for education, years, "
            "certifications and skills; skill names from O*NET Technology Skills (hot "
            "technology: O*NET's flag) and the curated list in data/seeds/certifications.csv"
        )
    )


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", required=True, help='e.g. "Performance Improvement Director"')
    parser.add_argument(
        "--industry",
        metavar="SECTOR_OR_GROUP",
        help="NAICS sector code ('62'), industry group ('healthcare'), sector title, or 'all'",
    )
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument(
        "--top",
        type=int,
        metavar="N",
        help=f"skills per industry (table: {TABLE_TOP}; other formats: all)",
    )


@command(
    "skills",
    "Education, years, certifications and skills a role's postings ask for, by industry.",
    _configure,
)
def skills_cmd(args: argparse.Namespace, settings: Settings) -> int:
    from outlook.cli.output import error, snapshot_note
    from outlook.publish.snapshot import open_snapshot

    if args.top is not None and args.top < 1:
        error("--top must be 1 or more")
        return 2
    try:
        snapshot_note(settings)
        con = open_snapshot(settings.snapshot_path)
    except FileNotFoundError as exc:
        error(str(exc))
        return 2
    with con:
        try:
            requirements, skills = fetch(con, args.role, args.industry, args.top)
        except UnknownRole as exc:
            error(str(exc))
            return 2
    if not requirements:
        error(f"no requirements for {args.role!r} in industry {args.industry!r}")
        return 1
    if args.format == "table":
        print_tables(requirements, skills, args.top or TABLE_TOP)
    else:
        print(render_rows(long_rows(requirements, skills), COLUMNS, args.format))
    return 0
