"""The static dashboard built by a publish from the demo snapshot."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from outlook.publish import exports, role_data
from outlook.publish.dashboard import build_dashboard, role_page_context
from outlook.publish.paragraph import environment
from outlook.publish.snapshot import open_snapshot
from tests.exports.helpers import PID, PID_SLUG, outlook_rows, published


@pytest.fixture(scope="module")
def site(demo_settings) -> Path:
    return published(demo_settings) / "dashboard"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.options: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("href", "src"):
            if values.get(key):
                self.urls.append(str(values[key]))
        if tag == "option" and values.get("value"):
            self.options.append((str(values["value"]), str(values.get("data-page"))))


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_index_lists_every_role_and_every_link_resolves(site: Path, demo_settings) -> None:
    index = parse(site / "index.html")
    with open_snapshot(demo_settings.snapshot_path) as con:
        roles = role_data.catalogue_roles(con)
    assert len(index.options) == len(roles)
    assert (PID_SLUG, f"role-{PID_SLUG}.html") in index.options
    pages = [site / page for _, page in index.options]
    for page in [site / "index.html", *pages]:
        for url in parse(page).urls:
            assert not re.match(r"(https?:)?//", url), f"{page.name} loads {url} from the network"
            assert (site / url.split("#")[0]).is_file(), f"{page.name}: broken link {url}"


def test_role_page_has_table_charts_wages_projections_evidence_downloads(site: Path, con) -> None:
    html = (site / f"role-{PID_SLUG}.html").read_text(encoding="utf-8")
    rows = outlook_rows(con, PID)
    assert html.count("<tr data-sector=") == len(rows)
    for section in ("outlook", "trend", "wages", "projections", "evidence", "draft", "downloads"):
        assert f'<section id="{section}">' in html
    assert html.count("<svg") == 3  # trend, wages and skills charts inline
    assert "<script" not in html.split("<main", 1)[1]  # the page itself runs nothing
    for name in exports.FILES:
        assert f'/{name}" download>' in html
    assert "Indeed Hiring Lab, CC BY 4.0" in html and "O*NET 29.3" in html
    assert "strong growth" in html and "insufficient data" in html


@pytest.fixture(scope="module")
def con(demo_settings):
    with open_snapshot(demo_settings.snapshot_path) as connection:
        yield connection


def test_rebuild_with_the_same_data_is_byte_identical(site: Path, demo_settings) -> None:
    before = digest(site)
    build_dashboard(
        demo_settings.snapshot_path,
        site,
        exports_dir=site.parent / "exports",
        log=lambda message: None,
    )
    assert digest(site) == before


def test_hostile_role_name_is_escaped_in_html(demo_settings, tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.duckdb"
    shutil.copy(demo_settings.snapshot_path, snapshot)
    os.chmod(snapshot, 0o644)
    name = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    with duckdb.connect(str(snapshot)) as con:
        con.execute(
            "insert into marts.role_outlook by name select * replace (? as role, ? as role_slug) "
            "from marts.role_outlook where role = ?",
            [name, name, PID],
        )
        written = exports.export_role(con, name, tmp_path / "exports")
    html = (
        environment()
        .get_template("dashboard/role.html.j2")
        .render(**role_page_context(written, f"exports/{written.slug}/{written.version}"))
    )
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_role_page_has_prerequisites_skills_and_career_panels(site: Path) -> None:
    """One panel per requirement section: the draft as exported, its table, no table or
    column names of the marts in what a reader sees."""
    html = (site / f"role-{PID_SLUG}.html").read_text(encoding="utf-8")
    latest = site.parent / "exports" / PID_SLUG / "latest"
    for section, stem in (
        ("prerequisites", "prerequisites_section"),
        ("skills", "skills_section"),
        ("career", "career_section"),
    ):
        panel = html.split(f'<section id="{section}">', 1)[1].split("</section>", 1)[0]
        draft = (latest / f"{stem}.md").read_text(encoding="utf-8")
        assert draft in unescape(panel)
        assert "<table" in panel
        assert not re.search(r"marts\.|role_(skills|requirements|career_paths)|share_\w+", panel)
    skills = html.split('<section id="skills">', 1)[1].split("</section>", 1)[0]
    assert "<svg" in skills and "Six Sigma Black Belt" in skills
    prerequisites = html.split('<section id="prerequisites">', 1)[1].split("</section>", 1)[0]
    # professional services: too few descriptions in the window, every dated posting read
    assert "every dated posting, as the latest window holds too few" in prerequisites
    career = html.split('<section id="career">', 1)[1].split("</section>", 1)[0]
    assert "Chief Executives" in career and "(11-1011)" in career
