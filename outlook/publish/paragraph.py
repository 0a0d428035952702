"""The draft "Industry Outlook" paragraph, its trace, and the data dictionary (Jinja2).

The paragraph is written from ``marts.role_outlook`` rows for an editor to paste into a
CMS: month names, occupation titles with their codes, rounded figures, sources named in
words. Every figure goes through ``outlook.publish.figures.Tracer``, so the same render
gives ``outlook_section.trace.md``: each printed figure with the table, column, row and
exact value behind it. The wording follows the row's label, and an ``insufficient data``
row says there are too few postings to say rather than describing a trend. Templates
live in ``outlook/publish/templates`` next to this module, so an editable install finds them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from outlook.publish import textfmt
from outlook.publish.figures import Tracer, soc_list

if TYPE_CHECKING:
    from outlook.publish.role_data import RoleData

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# The dashboard's templates and assets live in the dashboards/ folder of the repository
# (a package, so installs carry it), read here as "dashboard/<name>".
DASHBOARD_DIR = Path(__file__).resolve().parents[2] / "dashboards" / "templates"

# How each label reads in a sentence ("Postings grew strongly in ...").
LABEL_VERBS = {
    "strong growth": "grew strongly",
    "growing": "grew",
    "stable": "held steady",
    "softening": "softened",
    "declining": "declined",
}
LABEL_ORDER = [*LABEL_VERBS, "insufficient data"]
# How each OOH band reads after "BLS projects their employment ..." (the bands:
# marts.role_outlook.projected_growth_words, rules in data/seeds/outlook_rules.toml).
PROJECTION_VERBS = {
    "much faster than average": "to grow much faster than average",
    "faster than average": "to grow faster than average",
    "about as fast as average": "to grow about as fast as average",
    "slower than average": "to grow slower than average",
    "little or no change": "to show little or no change",
    "decline": "to decline",
}
INSUFFICIENT = "insufficient data"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(TEMPLATES_DIR),
                jinja2.PrefixLoader({"dashboard": jinja2.FileSystemLoader(DASHBOARD_DIR)}),
            ]
        ),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        count=textfmt.count,
        pct=textfmt.pct,
        money=textfmt.money,
        decimal=textfmt.decimal,
        month=textfmt.month,
        month_name=textfmt.month_name,
        oews_releases=textfmt.oews_releases_words,
        period=textfmt.period_words,
        md=textfmt.md_text,
        md_cell=textfmt.md_cell,
        projection_verb=lambda words: PROJECTION_VERBS.get(words, "to change"),
    )
    return env


def _industry_groups(
    rows: list[dict[str, Any]], lead: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Industry rows (not 'all'/'unknown', not the lead row) grouped by label, strongest
    first."""
    groups = []
    for label in LABEL_ORDER:
        members = [
            r
            for r in rows
            if r["label"] == label
            and r["industry_sector"] not in ("all", "unknown")
            and r is not lead
        ]
        if members:
            groups.append({"label": label, "verb": LABEL_VERBS.get(label), "rows": members})
    return groups


def section_context(data: RoleData) -> dict[str, Any]:
    rows = data.outlook
    lead = data.overall or (rows[0] if len(rows) == 1 else None)
    official = lead or rows[0]
    return {
        "role": data.role,
        "lead": lead,
        "lead_verb": LABEL_VERBS.get(lead["label"]) if lead else None,
        "insufficient": INSUFFICIENT,
        "groups": _industry_groups(rows, lead),
        "official": official,
        "bright_count": len(soc_list(official["bright_outlook_soc_codes"])),
        "t": Tracer(titles=dict(data.occupation_titles)),
    }


def render_section_and_trace(data: RoleData) -> tuple[str, str]:
    """The paragraph and its trace, from one render (the trace lists what was printed)."""
    context = section_context(data)
    section = environment().get_template("outlook_section.md.j2").render(**context)
    trace = (
        environment()
        .get_template("outlook_section.trace.md.j2")
        .render(
            role=data.role,
            figures=context["t"].figures,
            posting_sources=", ".join(data.posting_sources) or "none loaded",
        )
    )
    return section, trace


def render_section(data: RoleData) -> str:
    return render_section_and_trace(data)[0]


@cache
def role_outlook_docs() -> dict[str, Any]:
    """Column meanings and caveats of marts.role_outlook from sql/marts/_columns.yml (the
    source of docs/marts.md), read once: the data dictionary never drifts from the docs."""
    from outlook.publish.mart_docs import load_descriptions

    return load_descriptions().get("marts.role_outlook", {})


def render_data_dictionary(data: RoleData) -> str:
    from outlook.publish.role_data import (
        ATTRIBUTIONS,
        MD_COLUMNS,
        as_of,
        industry_labels,
        source_lines,
    )

    spec = role_outlook_docs()
    columns = list(data.outlook[0])
    return (
        environment()
        .get_template("data_dictionary.md.j2")
        .render(
            role=data.role,
            industries=list(industry_labels(data).values()),
            md_columns=MD_COLUMNS,
            json_columns=[(c, spec.get("columns", {}).get(c, "")) for c in columns],
            caveats=spec.get("caveats", ""),
            sources=source_lines(data),
            attributions=ATTRIBUTIONS,
            as_of=as_of(data),
        )
    )
