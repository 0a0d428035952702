"""What the role page's requirement sections are made from, read from the snapshot.

Three marts feed the editor's "Prerequisites", "Skills" and "Career paths" drafts, their CSV
tables, the skills chart and the dashboard panels: ``marts.role_requirements`` (education,
years, one row per industry), ``marts.role_skills`` (one row per industry and skill) and
``marts.role_career_paths`` (one row per related O*NET occupation). ``load_sections`` reads a
role's rows for the industries its outlook shows; the helpers here pick what a paragraph, a
table and the chart print, so every output picks the same rows. Rows are tagged with their
table (``figures.tag_rows``) so the paragraphs' traces name it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from outlook.publish.figures import tag_rows

ROLE_SKILLS = "marts.role_skills"
ROLE_REQUIREMENTS = "marts.role_requirements"
ROLE_CAREER_PATHS = "marts.role_career_paths"

REQUIREMENTS_SQL = """
select * from marts.role_requirements
where role = ? and list_contains(?::varchar[], industry_sector)
"""

SKILLS_SQL = """
select * from marts.role_skills
where role = ? and list_contains(?::varchar[], industry_sector)
order by industry_sector, postings_mentioning desc, skill
"""

# the mart's own order: closest tier first, then O*NET's index within it
CAREER_SQL = """
select * from marts.role_career_paths
where role = ?
order by case relatedness_tier
        when 'Primary-Short' then 1 when 'Primary-Long' then 2 when 'Supplemental' then 3
        else 4 end,
    related_index, related_onet_soc_code
"""

# Education levels of marts.role_requirements (share_<column>), as a sentence names them.
EDUCATION_WORDS = {
    "share_doctorate": "a doctorate",
    "share_professional": "a professional degree (such as a JD or MD)",
    "share_master": "a master's degree or MBA",
    "share_bachelor": "a bachelor's degree",
    "share_associate": "an associate degree",
    "share_high_school": "a high school diploma",
    "share_education_none": "no formal education",
}
# O*NET's names for its Job Zones (onetcenter.org/help/online/zones).
JOB_ZONE_WORDS = {
    1: "little or no preparation needed",
    2: "some preparation needed",
    3: "medium preparation needed",
    4: "considerable preparation needed",
    5: "extensive preparation needed",
}
SKILL_KINDS = ("method", "technology", "technology category")
CERTIFICATION = "certification"
NOT_INDUSTRIES = ("all", "unknown")
# a share a paragraph lists: smaller ones print as "<1%", which tells an editor nothing
MIN_LISTED_SHARE = 0.01


@dataclass(frozen=True)
class SectionRows:
    """One role's rows of the three requirement marts (industries as its outlook shows)."""

    requirements: list[dict[str, Any]] = field(default_factory=list)
    skills: list[dict[str, Any]] = field(default_factory=list)
    careers: list[dict[str, Any]] = field(default_factory=list)


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load_sections(con: duckdb.DuckDBPyConnection, role: str, sectors: Sequence[str]) -> SectionRows:
    """The role's rows, requirements in the order of ``sectors`` (the outlook's order)."""
    order = {sector: i for i, sector in enumerate(sectors)}
    requirements = _rows(con.execute(REQUIREMENTS_SQL, [role, list(sectors)]))
    requirements.sort(key=lambda r: order.get(r["industry_sector"], len(order)))
    skills = _rows(con.execute(SKILLS_SQL, [role, list(sectors)]))
    skills.sort(key=lambda r: order.get(r["industry_sector"], len(order)))  # stable
    return SectionRows(
        requirements=tag_rows(ROLE_REQUIREMENTS, requirements),
        skills=tag_rows(ROLE_SKILLS, skills),
        careers=tag_rows(ROLE_CAREER_PATHS, _rows(con.execute(CAREER_SQL, [role]))),
    )


# -- what the outputs pick --------------------------------------------------------------


def lead_row(requirements: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The row a paragraph opens with: all industries, else the only row shown."""
    overall = [r for r in requirements if r["industry_sector"] == "all"]
    if overall:
        return overall[0]
    return requirements[0] if len(requirements) == 1 else None


def industry_rows(requirements: list[dict[str, Any]], lead: dict[str, Any] | None) -> list[dict]:
    """Industry rows other than the lead, in the outlook's order ('unknown' left out: it is
    in 'all' and says nothing about an industry)."""
    return [r for r in requirements if r["industry_sector"] not in NOT_INDUSTRIES and r is not lead]


def sector_skills(
    skills: list[dict[str, Any]], sector: str, kinds: Sequence[str], limit: int | None = None
) -> list[dict[str, Any]]:
    """A sector's skill rows of ``kinds`` named at least once, most named first."""
    rows = [
        r
        for r in skills
        if r["industry_sector"] == sector
        and r["skill_kind"] in kinds
        and (r["postings_mentioning"] or 0) > 0
    ]
    rows.sort(key=lambda r: (-(r["postings_mentioning"] or 0), r["skill"]))
    return rows[:limit] if limit is not None else rows


def skill_row(skills: list[dict[str, Any]], sector: str, skill: str) -> dict[str, Any] | None:
    return next((r for r in skills if r["industry_sector"] == sector and r["skill"] == skill), None)


def education_items(row: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, words) of each education level some postings ask for, most asked first."""
    items = [(c, w) for c, w in EDUCATION_WORDS.items() if (row.get(c) or 0) >= MIN_LISTED_SHARE]
    return sorted(items, key=lambda item: -float(row[item[0]]))


def related_occupations(careers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per related SOC code outside the role's own codes (its closest O*NET title:
    several O*NET occupations can share a SOC code, and its wage and projections).

    Only the occupations related to the role's main O*NET occupations (codes ending in
    '.00', the SOC occupation itself) when it has any: O*NET's specialty occupations of a
    SOC code (11-3051.04 Biomass Power Plant Managers) lead to their own niches, which
    would read as the role's career paths."""
    main = [r for r in careers if str(r["from_onet_soc_code"] or "").endswith(".00")]
    seen: set[str] = set()
    picked = []
    for row in main or careers:
        code = row["related_soc_code"]
        if row["is_role_own_soc"] or code is None or code in seen:
            continue
        seen.add(code)
        picked.append(row)
    return picked


def own_codes(careers: list[dict[str, Any]]) -> list[str]:
    return sorted({r["from_soc_code"] for r in careers if r["from_soc_code"]})


def pay_steps(related: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    """Related occupations paying more than the role's occupations, largest step first."""
    up = [r for r in related if r["wage_step"] is not None and r["wage_step"] > 0]
    return sorted(up, key=lambda r: -r["wage_step"])[:limit]


def fastest_growing(related: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    grown = [r for r in related if r["related_projected_growth_pct"] is not None]
    return sorted(grown, key=lambda r: -r["related_projected_growth_pct"])[:limit]


def linked_roles(related: list[dict[str, Any]], role: str) -> list[tuple[str, dict[str, Any]]]:
    """(catalogue role, the related row it sits on) for roles with a page of their own."""
    found: dict[str, dict[str, Any]] = {}
    for row in related:
        for name in str(row["linked_roles"] or "").split(";"):
            name = name.strip()
            if name and name != role and name not in found:
                found[name] = row
    return list(found.items())


def chart_skills(skills: list[dict[str, Any]], labels: dict[str, str], top: int = 8) -> list[dict]:
    """The skills chart's rows: the ``top`` skills of all industries (certifications
    included), each with its share in every industry whose share the mart publishes (all
    industries alone when no industry has one)."""
    shown = [
        r for r in skills if r["share_mentioning"] is not None and r["industry_sector"] != "unknown"
    ]
    sectors = [
        s
        for s in labels
        if s not in NOT_INDUSTRIES and any(r["industry_sector"] == s for r in shown)
    ] or [s for s in labels if s == "all" and any(r["industry_sector"] == s for r in shown)]
    if not sectors:
        return []
    ranked = sector_skills(
        shown, "all" if "all" in labels else sectors[0], (*SKILL_KINDS, CERTIFICATION)
    )
    names = [r["skill"] for r in ranked[:top]]
    return [
        {
            "skill": r["skill"],
            "industry": labels[r["industry_sector"]],
            "share_pct": round(float(r["share_mentioning"]) * 100, 1),
            "postings": r["postings_with_text"],
        }
        for name in names
        for sector in sectors
        for r in shown
        if r["skill"] == name and r["industry_sector"] == sector
    ]
