"""The static dashboard: an index with a role picker and one standalone page per role.

Generated from the published snapshot at publish time (or by ``outlook dashboard``), so no
server reads DuckDB while a refresh writes (dashboards/README.md argues the choice). Each
role page is plain HTML with the charts inlined as SVG and links to that role's export
files, copied into the site so it can be hosted anywhere as static files. The picker is a
few lines of vanilla JS (no CDN): it reads ``location.hash`` and swaps in the chosen role
page's ``<main>``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from outlook.publish import exports, role_data, textfmt
from outlook.publish.figures import soc_list
from outlook.publish.paragraph import DASHBOARD_DIR, environment

ASSETS = ("dashboard.css", "picker.js")


def _write_text(path: Path, text: str) -> None:
    content = text.encode()
    if path.is_file() and not path.is_symlink() and path.read_bytes() == content:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _inline_svg(svg: str, prefix: str) -> str | None:
    """The chart's SVG for inlining, or None when it should not be inlined.

    Vega's SVG escapes text, so a hostile role name stays text; refusing anything with a
    script or event handler is a second guard. Ids are prefixed so two charts on one page
    cannot clash (Vega emits clip-path ids for some charts).
    """
    if re.search(r"<script|\son\w+\s*=", svg, flags=re.IGNORECASE):
        return None
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)


def _evidence(row: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        items = json.loads(row["evidence_json"] or "[]")
    except ValueError:
        return []
    return [i for i in items if isinstance(i, dict)]


def role_page_context(written: exports.WrittenExport, link_base: str) -> dict[str, Any]:
    data = written.data
    labels = role_data.industry_labels(data)
    cells = role_data.md_table_rows(data)
    rows = [
        {"sector": r["industry_sector"], "cells": c, "row": r, "evidence": _evidence(r)}
        for r, c in zip(data.outlook, cells, strict=True)
    ]
    # industries sharing the same occupations and figures share one line
    projections: dict[tuple[object, ...], dict[str, Any]] = {}
    for r in data.outlook:
        if r["industry_sector"] == "unknown":
            continue
        key = (r["soc_codes"], r["projected_growth_pct"], r["projected_annual_openings"])
        if key in projections:
            projections[key]["industries"].append(labels[r["industry_sector"]])
            continue
        # the paragraph's wording: occupation titles, the OOH band, O*NET's Bright Outlook
        projections[key] = {
            "industries": [labels[r["industry_sector"]]],
            "occupations": [data.occupation(c) for c in soc_list(r["soc_codes"])],
            "growth": textfmt.pct(r["projected_growth_pct"]),
            "growth_words": r["projected_growth_words"] or textfmt.NA,
            "bright": [data.occupation(c) for c in soc_list(r["bright_outlook_soc_codes"])],
            "openings": textfmt.decimal(r["projected_annual_openings"]),
            "period": textfmt.period_words(r["projections_period"]),
        }
    wages = [
        {
            "industry": labels[w["industry_sector"]],
            "occupation": data.occupation(w["soc_code"]),
            "p10": textfmt.money(w["a_pct10"]),
            "median": textfmt.money(w["a_median"]),
            "p90": textfmt.money(w["a_pct90"]),
            "release": textfmt.oews_release_words(w["release"]),
        }
        for w in data.wages
    ]
    svgs = {}
    for name in ("trend", "wages", "skills"):
        svg = (written.folder / f"{name}.svg").read_text(encoding="utf-8")
        svgs[name] = _inline_svg(svg, f"{name}-chart")
    return {
        "role": data.role,
        "slug": written.slug,
        "rows": rows,
        "columns": role_data.MD_COLUMNS,
        "projections": list(projections.values()),
        "wages": wages,
        "svgs": svgs,
        "periods": role_data.chart_periods(data),
        "trend_source": role_data.TREND_SOURCE,
        "wages_source": role_data.WAGES_SOURCE,
        "section": (written.folder / "outlook_section.md").read_text(encoding="utf-8"),
        **section_panels(written.folder, data, labels),
        "downloads": [(name, f"{link_base}/{name}") for name in written.files],
        "link_base": link_base,
        "as_of": role_data.as_of(data),
        "sources": role_data.source_lines(data),
        "attributions": role_data.ATTRIBUTIONS,
    }


def section_panels(folder: Path, data: Any, labels: dict[str, str]) -> dict[str, Any]:
    """The prerequisites, skills and career panels: each draft as written to the export,
    and the rows of its table as the CSV has them (readable cells, withheld said in words)."""
    from outlook.publish import section_tables

    def table(text: str) -> dict[str, Any]:
        rows = list(csv.reader(io.StringIO(text)))
        return {"header": rows[0], "rows": rows[1:]} if rows else {"header": [], "rows": []}

    drafts = {
        stem: (folder / f"{stem}.md").read_text(encoding="utf-8")
        for stem in ("prerequisites_section", "skills_section", "career_section")
    }
    return {
        "drafts": drafts,
        "requirements_table": table(section_tables.requirements_csv(data, labels)),
        # the skills of the first row shown (all industries); the chart has them by industry
        "skills_table": _first_industry(table(section_tables.skills_csv(data, labels))),
        "career_table": table(section_tables.career_csv(data)),
        "skills_source": section_tables.SKILLS_SOURCE,
    }


def _first_industry(table: dict[str, Any]) -> dict[str, Any]:
    first = table["rows"][0][0] if table["rows"] else None
    return {**table, "rows": [r for r in table["rows"] if r[0] == first]}


def _page_name(slug: str) -> str:
    return f"role-{slug}.html"


def build_dashboard(
    snapshot_path: Path,
    out_dir: Path,
    exports_dir: Path | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Write the site to ``out_dir`` and return its index.

    ``exports_dir``: where the versioned exports are (or go); their folders are copied into
    the site. Without it the exports are written straight into ``out_dir/exports``.
    """
    from outlook.progress import progress
    from outlook.publish.snapshot import open_snapshot

    out_dir.mkdir(parents=True, exist_ok=True)
    out_dir = out_dir.resolve()
    site_exports = out_dir / "exports"
    (out_dir / "assets").mkdir(exist_ok=True)
    for asset in ASSETS:
        _write_text(
            out_dir / "assets" / asset,
            (DASHBOARD_DIR / asset).read_text(encoding="utf-8"),
        )
    env = environment()
    pages: list[dict[str, str]] = []
    as_of: dict[str, object] = {}
    with open_snapshot(snapshot_path) as con:
        roles = role_data.catalogue_roles(con)
        for role in progress(roles, "dashboard pages", log=log):
            written = exports.export_role(con, role, exports_dir or site_exports)
            if exports_dir is not None:
                target = exports.safe_child(site_exports, written.slug, written.version)
                if not target.is_dir():
                    shutil.copytree(written.folder, target)
                written = exports.WrittenExport(
                    role=written.role,
                    slug=written.slug,
                    version=written.version,
                    folder=target,
                    latest=target,
                    files=written.files,
                    data=written.data,
                )
            page = _page_name(written.slug)
            link_base = f"exports/{written.slug}/{written.version}"
            html = env.get_template("dashboard/role.html.j2").render(
                **role_page_context(written, link_base)
            )
            _write_text(exports.safe_child(out_dir, page), html)
            pages.append(
                {
                    "slug": written.slug,
                    "role": written.role,
                    "page": page,
                    "version": written.version,
                }
            )
            as_of = as_of or role_data.as_of(written.data)
    _prune(out_dir, site_exports, pages)
    index = out_dir / "index.html"
    _write_text(index, env.get_template("dashboard/index.html.j2").render(pages=pages, as_of=as_of))
    return index


def _prune(out_dir: Path, site_exports: Path, pages: list[dict[str, str]]) -> None:
    """Drop pages and export versions of roles no longer in the snapshot: the site shows one
    snapshot (the history stays in the publish folder's exports)."""
    keep_pages = {p["page"] for p in pages}
    for path in out_dir.glob("role-*.html"):
        if path.name not in keep_pages:
            path.unlink()
    versions = {p["slug"]: p["version"] for p in pages}
    if not site_exports.is_dir():
        return
    for role_dir in site_exports.iterdir():
        if role_dir.is_symlink() or not role_dir.is_dir():
            continue
        if role_dir.name not in versions:
            shutil.rmtree(role_dir)
            continue
        for child in role_dir.iterdir():
            if child.name in (versions[role_dir.name], "latest") or child.is_symlink():
                continue
            if child.is_dir():
                shutil.rmtree(child)


def publish_outputs(
    snapshot_path: Path, publish_dir: Path, log: Callable[[str], None] | None = None
) -> Path:
    """What a publish writes after the snapshot: versioned exports of every catalogue role in
    ``publish_dir/exports`` and the dashboard in ``publish_dir/dashboard``. Unchanged roles
    reuse their existing version folder, so a refresh with the same data renders nothing."""
    return build_dashboard(
        snapshot_path, publish_dir / "dashboard", exports_dir=publish_dir / "exports", log=log
    )
