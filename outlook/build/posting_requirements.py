"""Read each distinct posting text once and cache what it asks for in the warehouse.

The cache (``cache.posting_requirements``) is keyed by (description_hash, version), where
the version names the extraction code (``transforms/requirements.py``, ``skills.py``,
``posting_text.py``), the seed terms and stop-list, and the O*NET Technology Skills release
the taxonomy was built from: a re-run or an incremental load only reads texts it has not
seen, and changing any of them re-reads everything under a new version. The taxonomy's
terms at that version (name, kind, O*NET hot-technology flag) go to ``cache.requirement_terms``
for the marts to join. ``sql/intermediate/int_postings__requirements.sql`` gives each
posting row its text's answer.

A hash stands for its text with whitespace and case folded (``description_hash``): texts
that differ only in case share one reading, of the first of them in sort order.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import duckdb
import pandas as pd

from outlook.build.requirements import (
    CERTIFICATIONS_SEED,
    SKILL_STOPLIST_SEED,
    taxonomy_from_connection,
)
from outlook.config import PROJECT_ROOT
from outlook.warehouse import registered, table_exists
from transforms.requirements import Requirements, extract_requirements
from transforms.skills import SkillTaxonomy

CACHE_TABLE = "cache.posting_requirements"
STATE_TABLE = "cache.requirements_state"
TERMS_TABLE = "cache.requirement_terms"
# Texts read per batch: bounds the Python memory a large first build holds at once.
BATCH = 20_000
_CODE = ("requirements.py", "skills.py", "posting_text.py")


@dataclass(frozen=True)
class ExtractReport:
    version: str
    new_texts: int
    cached_texts: int
    seconds: float


def ensure_cache(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists cache")
    con.execute(
        f"""create table if not exists {CACHE_TABLE} (
        description_hash varchar, version varchar, text_chars bigint, truncated boolean,
        education_min varchar, education_preferred varchar, education_or_equivalent boolean,
        experience_years_min double, certifications varchar[],
        certifications_required varchar[], certifications_preferred varchar[],
        skills varchar[], extracted_at timestamptz)"""
    )
    con.execute(f"create table if not exists {STATE_TABLE} (version varchar)")
    con.execute(
        f"""create table if not exists {TERMS_TABLE} (
        version varchar, term varchar, kind varchar, source varchar, category varchar,
        hot_technology boolean)"""
    )


def current_version(onet_release: str) -> str:
    """What the cached readings are a function of (see the module notes)."""
    parts = [(PROJECT_ROOT / "transforms" / name).read_bytes() for name in _CODE]
    parts += [CERTIFICATIONS_SEED.read_bytes(), SKILL_STOPLIST_SEED.read_bytes()]
    digest = hashlib.sha256(b"\0".join(parts)).hexdigest()[:12]
    return f"extract-{digest}+onet-{onet_release}"


def extract_new_texts(con: duckdb.DuckDBPyConnection) -> ExtractReport:
    """Read the posting texts of ``raw.postings`` the cache lacks under the current version;
    set the version and its terms."""
    started = time.monotonic()
    ensure_cache(con)
    taxonomy, release = taxonomy_from_connection(con)
    version = current_version(release)
    con.execute(f"delete from {STATE_TABLE}")
    con.execute(f"insert into {STATE_TABLE} values (?)", [version])
    _write_terms(con, taxonomy, version)
    query = f"select count(*) from {CACHE_TABLE} where version = ?"
    cached = int(con.execute(query, [version]).fetchall()[0][0])
    if not table_exists(con, "raw.postings"):
        return ExtractReport(version, 0, cached, time.monotonic() - started)
    con.execute(
        f"""create or replace temp table _texts_todo as
        select p.description_hash, min(p.description) as description
        from raw.postings as p
        anti join {CACHE_TABLE} as c
            on c.version = ? and c.description_hash = p.description_hash
        where p.description_hash is not null
        group by p.description_hash
        order by p.description_hash""",
        [version],
    )
    new = 0
    try:
        total = int(con.execute("select count(*) from _texts_todo").fetchall()[0][0])
        for offset in range(0, total, BATCH):
            batch = con.execute(
                "select description_hash, description from _texts_todo "
                "order by description_hash limit ? offset ?",
                [BATCH, offset],
            ).fetchall()
            rows = [_cache_row(h, version, extract_requirements(taxonomy, t)) for h, t in batch]
            frame = pd.DataFrame(rows)
            with registered(con, _read=frame):
                con.execute(
                    f"insert into {CACHE_TABLE} by name select *, now() as extracted_at from _read"
                )
            new += len(rows)
    finally:
        con.execute("drop table if exists _texts_todo")
    return ExtractReport(version, new, cached, time.monotonic() - started)


def _cache_row(description_hash: str, version: str, found: Requirements) -> dict[str, object]:
    return {
        "description_hash": description_hash,
        "version": version,
        "text_chars": found.text_chars,
        "truncated": found.truncated,
        "education_min": found.education_min,
        "education_preferred": found.education_preferred,
        "education_or_equivalent": found.education_or_equivalent,
        "experience_years_min": found.experience_years_min,
        "certifications": list(found.certifications),
        "certifications_required": list(found.certifications_required),
        "certifications_preferred": list(found.certifications_preferred),
        "skills": list(found.skills),
    }


def _write_terms(con: duckdb.DuckDBPyConnection, taxonomy: SkillTaxonomy, version: str) -> None:
    """The taxonomy's terms for ``version``, once (older versions are never read again)."""
    held = con.execute(
        f"select exists (select 1 from {TERMS_TABLE} where version = ?)", [version]
    ).fetchall()[0][0]
    if held:
        return
    frame = pd.DataFrame(
        [
            {
                "version": version,
                "term": e.name,
                "kind": e.kind,
                "source": e.source,
                "category": e.category,
                "hot_technology": bool(e.hot_technology),
            }
            for e in taxonomy.entries
        ],
        columns=["version", "term", "kind", "source", "category", "hot_technology"],
    ).drop_duplicates("term")
    con.execute(f"delete from {TERMS_TABLE}")
    with registered(con, _terms=frame):
        con.execute(f"insert into {TERMS_TABLE} by name select * from _terms")
