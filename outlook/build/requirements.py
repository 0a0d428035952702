"""The skills taxonomy for requirement extraction, from the seeds and, when loaded, the
warehouse's O*NET Technology Skills (``raw.onet__technology_skills``, latest release).

The extraction itself (``transforms.requirements``) is handed what this module reads.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from outlook.config import SEEDS_DIR
from transforms.skills import SkillTaxonomy, build_taxonomy, read_seed_terms, read_stoplist

CERTIFICATIONS_SEED = SEEDS_DIR / "certifications.csv"
SKILL_STOPLIST_SEED = SEEDS_DIR / "skill_stoplist.csv"
TECHNOLOGY_SKILLS = "raw.onet__technology_skills"


def load_taxonomy(db: Path | None, lock_path: Path | None = None) -> SkillTaxonomy:
    """Seeds plus O*NET Technology Skills from the warehouse at ``db`` when it holds them;
    else the seeds alone. ``SkillTaxonomy.source`` says which, for the user."""
    seeds = read_seed_terms(CERTIFICATIONS_SEED)
    stoplist = read_stoplist(SKILL_STOPLIST_SEED)
    rows, release = _technology_skills(db, lock_path)
    if rows is None:
        where = f"no warehouse at {db}:" if db is None or not db.exists() else f"{db} holds"
        return build_taxonomy(
            None,
            seeds,
            stoplist,
            f"seeds only ({len(seeds)} methods and certifications; {where} no O*NET "
            "Technology Skills: run `outlook refresh` to add them)",
        )
    taxonomy = build_taxonomy(rows, seeds, stoplist, "")
    onet = sum(1 for e in taxonomy.entries if e.source == "onet")
    taxonomy.source = (
        f"O*NET {release} Technology Skills from {db} ({onet:,} examples and commodity "
        f"titles) + {len(seeds)} seed methods and certifications"
    )
    return taxonomy


def taxonomy_from_connection(con: duckdb.DuckDBPyConnection) -> tuple[SkillTaxonomy, str]:
    """The taxonomy from the seeds and the O*NET Technology Skills ``con`` holds (the build
    reads through its own connection), and the O*NET release it used ('none': seeds only)."""
    seeds = read_seed_terms(CERTIFICATIONS_SEED)
    stoplist = read_stoplist(SKILL_STOPLIST_SEED)
    rows, release = _rows_from(con)
    source = "seeds only" if rows is None else f"O*NET {release} Technology Skills + seeds"
    return build_taxonomy(rows, seeds, stoplist, source), str(release or "none")


def _technology_skills(
    db: Path | None, lock_path: Path | None
) -> tuple[list[dict[str, object]] | None, str | None]:
    from outlook.warehouse import connect, connect_reader

    if db is None or not db.exists():
        return None, None
    # refuses (naming the writer) rather than lock the file under a running refresh
    con = connect_reader(db, lock_path) if lock_path else connect(db, read_only=True)
    try:
        return _rows_from(con)
    finally:
        con.close()


def _rows_from(
    con: duckdb.DuckDBPyConnection,
) -> tuple[list[dict[str, object]] | None, str | None]:
    from outlook.warehouse import table_exists

    if not table_exists(con, TECHNOLOGY_SKILLS):
        return None, None
    release = con.execute(f"select max(_release) from {TECHNOLOGY_SKILLS}").fetchone()[0]
    frame = con.execute(
        f"""select onet_soc_code, example, commodity_title, hot_technology
            from {TECHNOLOGY_SKILLS}
            where _release is not distinct from ?
            order by onet_soc_code, example""",
        [release],
    ).df()
    if frame.empty:
        return None, None
    return frame.to_dict("records"), str(release)
