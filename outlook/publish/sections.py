"""The role page's "Prerequisites", "Skills" and "Career paths" drafts and their traces.

Like the "Industry Outlook" paragraph (``paragraph.py``), each is written for an editor to
paste into a CMS from published mart rows: month names, rounded figures, occupation titles
with their SOC codes, sources named in words with their period in the footnotes. Every
figure is printed through a ``figures.Tracer``, so the same render gives the section's
trace (``<name>.trace.md``: table, column, row and exact value of each figure). Where the
mart withholds a share (too few postings with a description) the draft says so instead.
What each paragraph picks (lead row, top skills, related occupations) is decided in
``section_data.py``, so the CSV tables, the chart and the dashboard show the same rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from outlook.publish import section_data as sd
from outlook.publish.figures import Tracer
from outlook.publish.paragraph import environment

if TYPE_CHECKING:
    from outlook.publish.role_data import RoleData

TOP_SKILLS = 5
TOP_TECHNOLOGIES = 3
TOP_CERTIFICATIONS = 4
INDUSTRY_SKILLS = 3
CHANGES_SHOWN = 2  # rises and falls each
MIN_CHANGE_PTS = 5.0  # a share change smaller than this is not worth a sentence
CLOSEST = 5

# file stem -> (title, template)
SECTIONS = {
    "prerequisites_section": ("Prerequisites", "prerequisites_section.md.j2"),
    "skills_section": ("Skills", "skills_section.md.j2"),
    "career_section": ("Career paths", "career_section.md.j2"),
}
TRACE_NOTES = {
    "prerequisites_section": (
        "Education shares and years are `marts.role_requirements` (one row per industry, "
        "the current window); certification shares are `marts.role_skills` rows with "
        "`skill_kind` 'certification'. A NULL share was withheld by the mart "
        "(`measures_withheld`), and the text says there are too few postings to say."
    ),
    "skills_section": (
        "Shares are `marts.role_skills.share_mentioning` (postings naming the skill over "
        "postings with a description in the current window), changes "
        "`share_change_pts` (percentage points on the previous window); counts of postings "
        "with a description are `marts.role_requirements`. A NULL share was withheld by the "
        "mart (`measures_withheld`)."
    ),
    "career_section": (
        "Rows are `marts.role_career_paths` (one per related O*NET occupation, keyed by "
        "`related_onet_soc_code`); the role's own SOC codes (`is_role_own_soc`) and second "
        "O*NET titles of one SOC code are left out of the lists. Wages are OEWS national "
        "medians, `wage_step_pct` the related median against the role's."
    ),
}


def _tracer(data: RoleData) -> Tracer:
    return Tracer(titles=dict(data.occupation_titles))


def _split(data: RoleData) -> tuple[dict[str, Any] | None, list[dict], list[dict]]:
    """(lead row, industries with shares, industries whose shares the mart withholds)."""
    requirements = data.sections.requirements
    lead = sd.lead_row(requirements)
    others = sd.industry_rows(requirements, lead)
    shown = [r for r in others if r["share_bachelor"] is not None]
    # an industry without a single description adds nothing to "too few" said of the lead
    thin = [r for r in others if r["share_bachelor"] is None and r["postings_with_text"]]
    return lead, shown, thin


def prerequisites_context(data: RoleData) -> dict[str, Any]:
    lead, shown, thin = _split(data)
    skills = data.sections.skills
    certs: list[dict[str, Any]] = []
    if lead is not None:
        certs = [
            c
            for c in sd.sector_skills(skills, lead["industry_sector"], (sd.CERTIFICATION,))
            if c["share_mentioning"] is not None and c["share_mentioning"] >= sd.MIN_LISTED_SHARE
        ][:TOP_CERTIFICATIONS]
    top_cert = certs[0]["skill"] if certs else None
    industries = [
        {
            **row,
            "cert": sd.skill_row(skills, row["industry_sector"], top_cert) if top_cert else None,
        }
        for row in shown
    ]
    for row in industries:  # a cert row whose share is withheld is not printed
        if row["cert"] is not None and row["cert"]["share_mentioning"] is None:
            row["cert"] = None
    education = sd.education_items(lead) if lead and lead["share_bachelor"] is not None else []
    return {
        "role": data.role,
        "lead": lead,
        "education": education,
        # by industry: the shares of the levels most asked for overall
        "industry_education": education[:2],
        "certs": certs,
        "industries": industries,
        "thin": thin,
        "t": _tracer(data),
    }


def skills_context(data: RoleData) -> dict[str, Any]:
    lead, shown, thin = _split(data)
    skills = data.sections.skills
    top: list[dict[str, Any]] = []
    tech: list[dict[str, Any]] = []
    if lead is not None:
        sector = lead["industry_sector"]
        named = [
            r
            for r in sd.sector_skills(skills, sector, sd.SKILL_KINDS)
            if r["share_mentioning"] is not None
        ]
        top = named[:TOP_SKILLS]
        tech = [r for r in named if r["skill_kind"] != "method"][:TOP_TECHNOLOGIES]
        if all(r in top for r in tech):
            tech = []  # nothing the first sentence has not said
    changed = [r for r in top if r["share_change_pts"] is not None]
    rises = sorted(
        (r for r in changed if r["share_change_pts"] >= MIN_CHANGE_PTS),
        key=lambda r: -r["share_change_pts"],
    )[:CHANGES_SHOWN]
    falls = sorted(
        (r for r in changed if r["share_change_pts"] <= -MIN_CHANGE_PTS),
        key=lambda r: r["share_change_pts"],
    )[:CHANGES_SHOWN]
    industries = []
    for row in shown:
        row_top = [
            r
            for r in sd.sector_skills(skills, row["industry_sector"], sd.SKILL_KINDS)
            if r["share_mentioning"] is not None
        ][:INDUSTRY_SKILLS]
        if row_top:
            industries.append({**row, "top": row_top, "hot_mark": False})
    # the Hot Technology footnote is marked where a flagged technology is first printed
    hot = "top" if any(r["hot_technology"] for r in top) else None
    if hot is None and any(r["hot_technology"] for r in tech):
        hot = "tech"
    for row in industries if hot is None else []:
        if any(r["hot_technology"] for r in row["top"]):
            row["hot_mark"] = hot = "industries"
            break
    return {
        "role": data.role,
        "lead": lead,
        "top": top,
        "tech": tech,
        "rises": rises,
        "falls": falls,
        "prev": changed[0] if changed else None,
        "lead_has_change": bool(changed),
        "hot": hot,
        "industries": industries,
        "thin": thin,
        "t": _tracer(data),
    }


def career_context(data: RoleData) -> dict[str, Any]:
    careers = data.sections.careers
    related = sd.related_occupations(careers)
    first = careers[0] if careers else None
    wage = next((r for r in careers if r["oews_release"]), first)
    zone = next((r for r in careers if r["from_job_zone"] is not None), None)
    return {
        "role": data.role,
        "related": related,
        "first": first,
        "wage": wage,
        "own": sd.own_codes(careers),
        "closest": related[:CLOSEST],
        "steps": sd.pay_steps(related),
        "growing": sd.fastest_growing(related),
        "zone": zone,
        "zone_words": sd.JOB_ZONE_WORDS.get(zone["from_job_zone"], "") if zone else "",
        "higher": [r for r in related[:CLOSEST] if (r["job_zone_step"] or 0) > 0],
        "linked": sd.linked_roles(related[:CLOSEST], data.role),
        "t": _tracer(data),
    }


CONTEXTS = {
    "prerequisites_section": prerequisites_context,
    "skills_section": skills_context,
    "career_section": career_context,
}


def render_sections(data: RoleData) -> dict[str, str]:
    """``{file name: text}``: each section's draft and its trace, from one render each."""
    env = environment()
    files: dict[str, str] = {}
    for stem, (title, template) in SECTIONS.items():
        context = CONTEXTS[stem](data)
        files[f"{stem}.md"] = env.get_template(template).render(**context)
        files[f"{stem}.trace.md"] = env.get_template("section.trace.md.j2").render(
            title=title,
            role=data.role,
            section_file=f"{stem}.md",
            figures=context["t"].figures,
            note=TRACE_NOTES[stem],
        )
    return files
