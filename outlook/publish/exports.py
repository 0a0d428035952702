"""Editor exports for one role: CSV, Markdown, JSON, data dictionary, charts, draft paragraph.

Everything is read from the published snapshot (never the warehouse), with the role and
industry as bound parameters. A role's files are built in memory first (``build_bundle``),
then written (``write_bundle``) to ``OUT/<role-slug>/<version>/`` plus ``OUT/<role-slug>/
latest`` (a symlink swapped atomically; a copy where symlinks are unavailable).

The version is the data as-of month plus a hash of the files' bytes, so the same data gives
the same folder with byte-identical files (nothing in the content reads the clock), and any
change in the data - a revised source with the same as-of month included - gives a new one.
Names only reach paths through ``textfmt.slugify`` and ``safe_child``, which refuses any
path outside the output folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from outlook.publish import textfmt
from outlook.publish.role_data import (
    ATTRIBUTIONS,
    MD_COLUMNS,
    TREND_SOURCE,
    WAGES_SOURCE,
    RoleData,
    as_of,
    catalogue_roles,
    chart_periods,
    industry_labels,
    load_role,
    md_table_rows,
    oews_words,
    source_lines,
    trend_rows,
    wage_rows,
)
from outlook.publish.section_tables import FILES as SECTION_FILES
from outlook.publish.section_tables import section_files

FILES = (
    "outlook.csv",
    "outlook.md",
    "outlook.json",
    "data_dictionary.md",
    "outlook_section.md",
    "outlook_section.trace.md",
    "trend.svg",
    "trend.png",
    "wages.svg",
    "wages.png",
    *SECTION_FILES,
)


class UnsafePath(ValueError):
    """A computed path would leave the output folder."""


@dataclass
class Bundle:
    """The files of one role export, in memory, and the version they are written under."""

    data: RoleData
    version: str
    files: dict[str, bytes]


@dataclass(frozen=True)
class WrittenExport:
    role: str
    slug: str
    version: str
    folder: Path  # OUT/<slug>/<version>
    latest: Path  # OUT/<slug>/latest
    files: tuple[str, ...]
    data: RoleData = field(repr=False, compare=False)


# -- reading -----------------------------------------------------------------------------


# -- rendering ---------------------------------------------------------------------------


def _typed(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value != value:  # NaN never reaches JSON
        return None
    return value


def _csv_header(text: str) -> str:
    # Spreadsheets run a cell starting with = + - @ as a formula (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def render_csv(data: RoleData) -> str:
    """Month first (ISO date), then one numeric column per industry and measure."""
    labels = industry_labels(data)
    sectors = list(labels)
    header = ["month"]
    header += [_csv_header(f"{labels[s]}: unique postings") for s in sectors]
    header += [_csv_header(f"{labels[s]}: 3-month average") for s in sectors]
    by_month: dict[str, dict[str, dict[str, Any]]] = {}
    for row in data.monthly:
        by_month.setdefault(textfmt.iso(row["month"]) or "", {})[row["industry_sector"]] = row
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for month_iso in sorted(by_month):
        cells = by_month[month_iso]
        line: list[object] = [month_iso]
        line += [
            ""
            if s not in cells or cells[s]["unique_postings"] is None
            else int(cells[s]["unique_postings"])
            for s in sectors
        ]
        line += [
            ""
            if s not in cells or cells[s]["unique_postings_3m_avg"] is None
            else f"{float(cells[s]['unique_postings_3m_avg']):.2f}"
            for s in sectors
        ]
        writer.writerow(line)
    return out.getvalue()


def render_markdown(data: RoleData) -> str:
    a = as_of(data)
    lines = [
        f"# {textfmt.md_text(data.role)}: outlook by industry",
        "",
        "| " + " | ".join(MD_COLUMNS) + " |",
        "|" + "---|" * len(MD_COLUMNS),
    ]
    lines += [
        "| " + " | ".join(textfmt.md_cell(c) for c in row) + " |" for row in md_table_rows(data)
    ]
    lines += [
        "",
        f"Postings window: {textfmt.month_name(a['current_window_start'])} to "
        f"{textfmt.month_name(a['current_window_end'])}, compared with the window of the same "
        f"length before it. Wages: {oews_words(a)}. Projections: "
        + (
            f"BLS Employment Projections {textfmt.period_words(a['projections_period'])}."
            if a["projections_period"]
            else "none published for these occupations."
        ),
        "",
        "Sources: " + "; ".join(source_lines(data)) + ".",
        "",
    ]
    return "\n".join(lines)


def render_json(data: RoleData) -> str:
    rows = []
    for row in data.outlook:
        typed = {k: _typed(v) for k, v in row.items()}
        typed["evidence_json"] = json.loads(row["evidence_json"]) if row["evidence_json"] else []
        rows.append(typed)
    document = {
        "role": data.role,
        "role_slug": data.slug,
        "industry_filter": data.industry,
        "as_of": as_of(data),
        "sources": source_lines(data),
        "attribution": list(ATTRIBUTIONS),
        "mart": "marts.role_outlook",
        "rows": rows,
        "wages": [{k: _typed(v) for k, v in w.items()} for w in data.wages],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def build_charts(data: RoleData) -> dict[str, Any]:
    from outlook.publish import charts

    periods = chart_periods(data)
    trend = charts.trend_chart(data.role, trend_rows(data), periods["trend"], TREND_SOURCE)
    wages = charts.wage_chart(data.role, wage_rows(data), periods["wages"], WAGES_SOURCE)
    return {"trend": charts.render("trend", trend), "wages": charts.render("wages", wages)}


def _canonical(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)  # exact, so a tiny revision still changes the version
    return value


@cache
def renderer_fingerprint() -> str:
    """Hash of what turns data into files: this code, the templates, the chart libraries."""
    import altair
    import vl_convert

    digest = hashlib.sha256(f"{altair.__version__} {vl_convert.__version__}".encode())
    here = Path(__file__).resolve().parent
    sources = sorted(here.glob("*.py")) + sorted((here / "templates").rglob("*.j2"))
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def data_version(data: RoleData) -> str:
    """``<as-of month>-<hash>``: the hash covers every input row and the renderer, so equal
    versions mean equal files and a finished version folder never needs rendering again."""
    payload = json.dumps(
        _canonical(
            {
                "renderer": renderer_fingerprint(),
                "role": data.role,
                "slug": data.slug,
                "industry": data.industry,
                "outlook": data.outlook,
                "monthly": data.monthly,
                "wages": data.wages,
                "posting_sources": data.posting_sources,
                "occupation_titles": data.occupation_titles,
                "sections": [
                    data.sections.requirements,
                    data.sections.skills,
                    data.sections.careers,
                ],
            }
        ),
        sort_keys=True,
        ensure_ascii=False,
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()[:10]
    as_of = data.first.get("postings_as_of")
    return f"{textfmt.month(as_of) if as_of else 'no-postings'}-{digest}"


def render_bundle(data: RoleData) -> Bundle:
    """Every export file of one role, in memory."""
    from outlook.publish.paragraph import render_data_dictionary, render_section_and_trace

    rendered = build_charts(data)
    section, trace = render_section_and_trace(data)
    files: dict[str, bytes] = {
        "outlook.csv": render_csv(data).encode(),
        "outlook.md": render_markdown(data).encode(),
        "outlook.json": render_json(data).encode(),
        "data_dictionary.md": render_data_dictionary(data).encode(),
        "outlook_section.md": section.encode(),
        "outlook_section.trace.md": trace.encode(),
    }
    for name, chart in rendered.items():
        files[f"{name}.svg"] = chart.svg.encode()
        files[f"{name}.png"] = chart.png
    files.update(section_files(data, industry_labels(data)))
    return Bundle(data=data, version=data_version(data), files=files)


def build_bundle(con: duckdb.DuckDBPyConnection, role: str, industry: str | None = None) -> Bundle:
    return render_bundle(load_role(con, role, industry))


# -- writing -----------------------------------------------------------------------------


def safe_child(root: Path, *parts: str) -> Path:
    """``root/parts...``, refusing anything that resolves outside ``root``.

    Parts are slugs already; this is the second line of defence (a symlink planted inside
    the output folder, or a future caller passing a raw name).
    """
    base = root.resolve()
    for part in parts:
        if not part or part in (".", "..") or "/" in part or "\\" in part or "\0" in part:
            raise UnsafePath(f"refusing path component {part!r}")
    target = base.joinpath(*parts)
    if not target.resolve().is_relative_to(base):
        raise UnsafePath(f"{target} is outside {base}")
    return target


def _write_atomic(path: Path, content: bytes) -> None:
    if path.exists() and not path.is_symlink() and path.read_bytes() == content:
        return  # unchanged: keep the file (and its mtime) as it is
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, path)


def _point_latest(role_dir: Path, version: str) -> Path:
    """Make ``role_dir/latest`` name ``version``: a relative symlink swapped by rename, so a
    reader sees the old or the new version, never a half-written one."""
    latest = safe_child(role_dir, "latest")
    tmp = role_dir / f".latest.{os.getpid()}.tmp"
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(version, tmp, target_is_directory=True)
        if latest.is_dir() and not latest.is_symlink():
            shutil.rmtree(latest)  # an earlier copy fallback
        os.replace(tmp, latest)
    except OSError:  # no symlinks here (some Windows setups): a copy does
        if latest.is_symlink():
            latest.unlink()
        elif latest.exists():
            shutil.rmtree(latest)
        shutil.copytree(role_dir / version, latest)
    return latest


def write_bundle(bundle: Bundle, out_dir: Path) -> WrittenExport:
    out_dir.mkdir(parents=True, exist_ok=True)
    out_dir = out_dir.resolve()
    version = bundle.version
    role_dir = safe_child(out_dir, bundle.data.folder_slug)
    role_dir.mkdir(exist_ok=True)
    folder = safe_child(out_dir, bundle.data.folder_slug, version)
    folder.mkdir(exist_ok=True)
    for name, content in sorted(bundle.files.items()):
        _write_atomic(safe_child(out_dir, bundle.data.folder_slug, version, name), content)
    latest = _point_latest(role_dir, version)
    return WrittenExport(
        role=bundle.data.role,
        slug=bundle.data.folder_slug,
        version=version,
        folder=folder,
        latest=latest,
        files=tuple(sorted(bundle.files)),
        data=bundle.data,
    )


def export_role(
    con: duckdb.DuckDBPyConnection, role: str, out_dir: Path, industry: str | None = None
) -> WrittenExport:
    """Write one role's export; a version folder already complete is reused, not re-rendered
    (charts are the slow part: ~0.3 s a role)."""
    data = load_role(con, role, industry)
    version = data_version(data)
    folder = safe_child(out_dir.resolve(), data.folder_slug, version) if out_dir.exists() else None
    if folder is not None and all((folder / name).is_file() for name in FILES):
        role_dir = folder.parent
        return WrittenExport(
            role=data.role,
            slug=data.folder_slug,
            version=version,
            folder=folder,
            latest=_point_latest(role_dir, version),
            files=tuple(sorted(FILES)),
            data=data,
        )
    return write_bundle(render_bundle(data), out_dir)


def export_all(
    snapshot_path: Path,
    out_dir: Path,
    roles: Sequence[str] | None = None,
    log: Callable[[str], None] | None = None,
) -> list[WrittenExport]:
    """Export every role (or ``roles``) from the snapshot, with progress."""
    from outlook.progress import progress
    from outlook.publish.snapshot import open_snapshot

    with open_snapshot(snapshot_path) as con:
        names = list(roles) if roles is not None else catalogue_roles(con)
        return [
            export_role(con, name, out_dir) for name in progress(names, "exporting roles", log=log)
        ]
