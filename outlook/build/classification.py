"""Classify each distinct posting title once and cache the answer in the warehouse.

The cache (``cache.title_classifications``) is keyed by (normalised title, NAICS sector,
version), where the version names the classifier code, the role catalogue's, the structure
lexicon's and the confidence calibration's checksums and the O*NET release; each answer's
top-k occupations with their probabilities are kept beside it (``cache.title_candidates``,
one row per rank): a re-run or an incremental load only classifies titles it has not seen,
and changing any of the three re-classifies everything under a new version.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from outlook.config import NAICS_SOC_PRIORS, ROLES_FILE, TITLE_CALIBRATION, TITLE_STRUCTURE
from outlook.warehouse import registered, table_exists

if TYPE_CHECKING:
    from transforms.classify import TitleClassifier

CACHE_TABLE = "cache.title_classifications"
# The top-k occupations of each cached answer (rank 1 = the answer), same key + rank.
CANDIDATES_TABLE = "cache.title_candidates"
STATE_TABLE = "cache.classifier_state"
# Fitted title models (``TitleClassifier.models_frame``) per classifier version: the fit
# takes ~20 s on the full O*NET lists, so it runs once per version, not per build.
MODELS_TABLE = "cache.classifier_models"
# Everything the classifier derives from the reference titles (keys, exact-title map,
# centroid index, model weights; ``TitleClassifier.state_blob``) per classifier version:
# readers load it in well under a second instead of rebuilding it (10-30 s).
INDEX_TABLE = "cache.classifier_index"
# Processes for a model fit (once per classifier version). Any number gives the same
# weights (transforms.title_model), but on the 2 shared cores of the bench machine two
# were slower than one (bench/classifier_fit.py: occupation model 45 s -> 65 s, major
# 10 s -> 16 s; liblinear is memory-bound), so the fit stays on one unless measured
# faster on the machine that runs the build.
FIT_WORKERS = 1
CACHE_COLUMNS = [
    "title_normalised", "naics_sector", "version", "onet_soc_code", "soc_code", "soc_title",
    "confidence", "runner_up_onet_soc_code", "runner_up_confidence", "method", "reason",
    "role", "role_slug", "role_rule", "role_score",
]  # fmt: skip


@dataclass(frozen=True)
class ClassifyReport:
    version: str
    new_titles: int
    cached_titles: int
    seconds: float


def onet_release_label(con: duckdb.DuckDBPyConnection) -> str | None:
    """The O*NET release loaded (None: none), as ``onet_frames`` labels it, without
    reading the reference lists."""
    if not table_exists(con, "raw.onet__occupation_data"):
        return None
    release = con.execute("select max(_release) from raw.onet__occupation_data").fetchone()[0]
    if release is None:
        return None
    return str(release) + _direct_match_label(_direct_match(con))


def _direct_match(con: duckdb.DuckDBPyConnection) -> pd.DataFrame | None:
    if not table_exists(con, "raw.soc__direct_match_titles"):
        return None
    dm = con.execute(
        """select soc_code, direct_match_title as title
        from raw.soc__direct_match_titles
        where _release = (select max(_release) from raw.soc__direct_match_titles)
        order by soc_code, title"""
    ).df()
    return None if dm.empty else dm


def _direct_match_label(dm: pd.DataFrame | None) -> str:
    # BLS SOC direct-match titles are reference titles too; their checksum joins the
    # release label so that a changed list re-classifies under a new version.
    if dm is None:
        return ""
    text = "\n".join(dm["soc_code"].astype(str) + "|" + dm["title"].astype(str))
    return "+socdm-" + hashlib.sha256(text.encode()).hexdigest()[:8]


def onet_frames(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, pd.DataFrame], str] | None:
    if not table_exists(con, "raw.onet__occupation_data"):
        return None
    release = con.execute("select max(_release) from raw.onet__occupation_data").fetchone()[0]
    if release is None:
        return None
    queries = {
        "occupation_data": "select onet_soc_code, title, description from "
        "raw.onet__occupation_data where _release = ?",
        "alternate_titles": "select onet_soc_code, title, alternate_title, short_title, sources "
        "from raw.onet__alternate_titles where _release = ?",
        "reported_titles": "select onet_soc_code, title, reported_title, shown_in_my_next_move "
        "from raw.onet__reported_titles where _release = ?",
    }
    frames = {key: con.execute(sql, [release]).df() for key, sql in queries.items()}
    dm = _direct_match(con)
    if dm is not None:
        frames["soc_direct_match"] = dm
    return frames, str(release) + _direct_match_label(dm)


def current_version(onet_release: str | None) -> str:
    from transforms.classify import CLASSIFIER_VERSION

    roles = hashlib.sha256(ROLES_FILE.read_bytes()).hexdigest()[:8]
    # The structure lexicon holds rules and thresholds: editing it re-classifies.
    structure = hashlib.sha256(TITLE_STRUCTURE.read_bytes()).hexdigest()[:8]
    calibration = (
        "+calibration-" + hashlib.sha256(TITLE_CALIBRATION.read_bytes()).hexdigest()[:8]
        if TITLE_CALIBRATION.exists()
        else ""
    )
    onet = onet_release or "none"
    return f"{CLASSIFIER_VERSION}+roles-{roles}+structure-{structure}{calibration}+onet-{onet}"


def load_calibration():
    """The confidence calibration map of ``data/seeds/title_calibration.toml`` (None: none)."""
    from transforms.calibration import ConfidenceMap

    return ConfidenceMap.from_toml(TITLE_CALIBRATION) if TITLE_CALIBRATION.exists() else None


def technology_examples(con: duckdb.DuckDBPyConnection) -> list[str]:
    """O*NET Technology Skills example names of the latest release ([] when not loaded)."""
    table = "raw.onet__technology_skills"
    if not table_exists(con, table):
        return []
    rows = con.execute(
        f"""select distinct example from {table}
        where example is not null and _release = (select max(_release) from {table})
        order by example"""
    ).fetchall()
    return [r[0] for r in rows]


def ensure_cache(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists cache")
    con.execute(
        f"""create table if not exists {CACHE_TABLE} (
        title_normalised varchar, naics_sector varchar, version varchar,
        onet_soc_code varchar, soc_code varchar, soc_title varchar, confidence double,
        runner_up_onet_soc_code varchar, runner_up_confidence double, method varchar,
        reason varchar, role varchar, role_slug varchar, role_rule varchar, role_score double,
        classified_at timestamptz)"""
    )
    con.execute(
        f"""create table if not exists {CANDIDATES_TABLE} (
        title_normalised varchar, naics_sector varchar, version varchar, rank integer,
        onet_soc_code varchar, soc_code varchar, soc_title varchar, probability double)"""
    )
    con.execute(f"create table if not exists {STATE_TABLE} (version varchar)")
    con.execute(
        f"""create table if not exists {MODELS_TABLE} (
        version varchar, model varchar, featurizer varchar, feature varchar,
        target varchar, value double)"""
    )
    con.execute(f"create table if not exists {INDEX_TABLE} (version varchar, state blob)")


def build_classifier(
    con: duckdb.DuckDBPyConnection,
    frames: dict[str, pd.DataFrame] | None,
    version: str,
    *,
    save: bool,
) -> TitleClassifier:
    """The classifier for ``version``: loaded from its saved state when the warehouse has
    it; otherwise built from ``frames`` (``onet_frames``; read here when None) with the
    saved models, or fitted. When ``save``, the models and the state are saved for the
    next reader (only the current version's are kept)."""
    from transforms.classify import TitleClassifier
    from transforms.naics_priors import load_naics_priors
    from transforms.title_structure import load_structure

    priors = load_naics_priors(NAICS_SOC_PRIORS)
    structure = load_structure(TITLE_STRUCTURE)
    calibration = load_calibration()
    technology = technology_examples(con)
    if table_exists(con, INDEX_TABLE):
        rows = con.execute(
            f"select state from {INDEX_TABLE} where version = ? limit 1", [version]
        ).fetchall()  # fetchall: a half-read result would block the connection
        row = rows[0] if rows else None
        loaded = row and TitleClassifier.from_state_blob(
            row[0], version, priors, structure, technology, calibration
        )
        if loaded:
            return loaded
    if frames is None:
        onet = onet_frames(con)
        if onet is None:
            raise ValueError("no O*NET release loaded: nothing to build the classifier from")
        frames = onet[0]
    saved = None
    if table_exists(con, MODELS_TABLE):
        saved = con.execute(
            f"select model, featurizer, feature, target, value from {MODELS_TABLE} "
            "where version = ? order by model, rowid",
            [version],
        ).df()
    has_models = saved is not None and not saved.empty
    classifier = TitleClassifier.from_onet(
        {**frames, "technology_skills": pd.DataFrame({"example": technology})},
        version,
        naics_priors=priors,
        models=saved if has_models else None,
        fit_workers=FIT_WORKERS,
        structure=structure,
        calibration=calibration,
    )
    if save:
        ensure_cache(con)
        if not has_models:
            con.execute(f"delete from {MODELS_TABLE}")  # older versions are never read again
            with registered(con, _models=classifier.models_frame()):
                con.execute(f"insert into {MODELS_TABLE} select ?, * from _models", [version])
        con.execute(f"delete from {INDEX_TABLE}")
        con.execute(f"insert into {INDEX_TABLE} values (?, ?)", [version, classifier.state_blob()])
    return classifier


def _state_saved(con: duckdb.DuckDBPyConnection, version: str) -> bool:
    query = f"select exists (select 1 from {INDEX_TABLE} where version = ?)"
    return bool(con.execute(query, [version]).fetchall()[0][0])


def classify_new_titles(con: duckdb.DuckDBPyConnection) -> ClassifyReport:
    """Classify the (title, sector) pairs in ``raw.postings`` the cache lacks; set the version."""
    started = time.monotonic()
    ensure_cache(con)
    release = onet_release_label(con)
    version = current_version(release)
    con.execute(f"delete from {STATE_TABLE}")
    con.execute(f"insert into {STATE_TABLE} values (?)", [version])
    classifier = None
    if release is not None and not _state_saved(con, version):
        # Fit once per version even before any posting arrives: `outlook classify` and
        # `outlook eval-titles` then start from the saved state instead of a ~20 s fit.
        classifier = build_classifier(con, None, version, save=True)
    if not table_exists(con, "raw.postings"):
        return ClassifyReport(version, 0, 0, time.monotonic() - started)
    todo = con.execute(
        f"""select distinct p.title_normalised, p.naics_sector
        from raw.postings as p
        anti join {CACHE_TABLE} as c
            on c.version = ? and c.title_normalised is not distinct from p.title_normalised
            and c.naics_sector is not distinct from p.naics_sector""",
        [version],
    ).df()
    cached = con.execute(
        f"select count(*) from {CACHE_TABLE} where version = ?", [version]
    ).fetchall()[0][0]
    if todo.empty:
        return ClassifyReport(version, 0, int(cached), time.monotonic() - started)
    if classifier is None and release is not None:
        classifier = build_classifier(con, None, version, save=True)
    frame, candidates = classify_titles(todo, classifier, version)
    with registered(con, _classified=frame, _candidates=candidates):
        con.execute(
            f"insert into {CACHE_TABLE} by name select *, now() as classified_at from _classified"
        )
        con.execute(f"insert into {CANDIDATES_TABLE} by name select * from _candidates")
    return ClassifyReport(version, len(frame), int(cached), time.monotonic() - started)


# cache.title_candidates, as classify_titles returns it
CANDIDATE_KEYED = ["title_normalised", "naics_sector", "version", "rank", "onet_soc_code",
                   "soc_code", "soc_title", "probability"]  # fmt: skip
_OCCUPATION_COLUMNS = [
    "onet_soc_code", "soc_code", "soc_title", "confidence", "runner_up_onet_soc_code",
    "runner_up_confidence", "method", "reason",
]  # fmt: skip


def label_titles(
    classifier: TitleClassifier | None,
    titles: list[str],
    sectors: list[str | None] | None,
    abstain_below: float = 0.0,
    occupations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Occupation (when a classifier is built) and role for each title, in input order:
    normalised_title, the occupation columns, role, role_slug, role_rule, role_score.
    The pipeline and ``outlook classify`` both label titles through here (answers under
    confidence ``abstain_below`` are unclassified; ``occupations``: the classifier's
    answers for these titles when the caller already has them)."""
    from transforms.roles import load_roles
    from transforms.titles import normalise_title

    if occupations is None and classifier is not None:
        occupations = classifier.classify_many(titles, sectors, abstain_below=abstain_below)
    elif occupations is None:
        occupations = pd.DataFrame(
            {"normalised_title": [normalise_title(t) for t in titles], "onet_soc_code": None,
             "soc_code": None, "soc_title": None, "confidence": 0.0,
             "runner_up_onet_soc_code": None, "runner_up_confidence": None,
             "method": "unclassified", "reason": "no O*NET release loaded"},
            index=range(len(titles)),
        )  # fmt: skip
    soc_codes = [None if pd.isna(s) else s for s in occupations["soc_code"]]
    roles = load_roles(ROLES_FILE).match_many(
        occupations["normalised_title"].tolist(), soc_codes, sectors, normalised=True
    )
    out = occupations[["normalised_title", *_OCCUPATION_COLUMNS]].reset_index(drop=True)
    # (whole columns, not .to_numpy(): a string column through an object array and back
    # cost ~0.1 s per 100k rows)
    return pd.concat(
        [out, roles[["role", "role_slug", "rule", "score"]].set_axis(out.index)], axis=1
    ).rename(columns={"rule": "role_rule", "score": "role_score"})


def classify_titles(
    pairs: pd.DataFrame, classifier: TitleClassifier | None, version: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Occupation and role for each (title_normalised, naics_sector) pair, ``CACHE_COLUMNS``,
    labelled in one pass (no classifier: roles only, occupations unclassified); and the
    pairs' top-k occupations (``MAX_TOP``): the key, version, rank, onet_soc_code, soc_code,
    soc_title, probability (none without a classifier)."""
    from transforms.classify import MAX_TOP

    titles = pairs["title_normalised"].fillna("").astype(str).tolist()
    sectors = [None if pd.isna(s) else str(s) for s in pairs["naics_sector"]]
    occupations, cand = None, pd.DataFrame({c: pd.Series(dtype=object) for c in CANDIDATE_KEYED})
    if classifier is not None:
        occupations, cand = classifier.classify_with_candidates(titles, sectors, top=MAX_TOP)
        rows = cand["row"].to_numpy()
        cand.insert(0, "title_normalised", pairs["title_normalised"].array.take(rows))
        cand.insert(1, "naics_sector", pairs["naics_sector"].array.take(rows))
        cand.insert(2, "version", version)
    labelled = label_titles(classifier, titles, sectors, occupations=occupations)
    keyed = pairs[["title_normalised", "naics_sector"]].reset_index(drop=True)
    keyed["version"] = version
    out = pd.concat([keyed, labelled.drop(columns="normalised_title")], axis=1)
    return out[CACHE_COLUMNS], cand[CANDIDATE_KEYED]
