"""Posting title -> O*NET-SOC occupation, with a confidence and a runner-up.

How it works (and why):

* Every reference title (O*NET occupation titles, alternate and short titles, reported
  titles, optionally SOC direct-match titles) is normalised with ``transforms.titles``
  and lightly stemmed, so lookups compare like with like (``transforms.title_index``).
* **exact**: the stemmed key of the posting title equals a reference key.
* **token**: otherwise two linear models learned from the reference titles
  (``transforms.title_model``) score the key: one over occupations (word unigrams,
  bigrams, head noun) and one over SOC major groups (the same words plus character
  n-grams). The score of an occupation is its own plus ``MAJOR_WEIGHT`` times its major
  group's: the major-group model generalises better to unseen words, and adding it
  lifts held-out major-group accuracy from 0.75 to 0.80 (detailed 0.53 to 0.55). They
  replaced a nearest-title/centroid scorer (0.47 detailed / 0.72 major).
* **ngram**: titles with no known word fall back to a character 3-gram centroid model
  (``transforms.title_index.CharCentroidIndex``).
* Confidence is a softmax over the scores with a temperature (``TEMPERATURE``) chosen on
  held-out O*NET titles so that it reads as a probability: of titles given 0.8 or more,
  about 80% are right (scripts/eval_titles.py reports accuracy by band, with
  ``transforms.title_accuracy``).
* NAICS context multiplies the probabilities by a prior from
  ``data/seeds/naics_soc_priors.csv`` (``transforms.naics_priors``: NAICS sector x SOC
  prefix, longest prefix wins; 0.75-1.45), so context decides between close candidates without overriding a clear
  title match (a 2:1 lead survives any multiplier pair in the table).
* The fitted models can be saved as a frame (``models_frame``) and passed back in
  (``from_onet(..., models=...)``): the warehouse keeps them per classifier version, so
  the ~20 s fit runs once per O*NET release. Everything derived from the reference titles
  (keys, exact-title map, centroid index, weights) is saved too (``state_blob``) and
  loaded back with ``from_state_blob`` in well under a second, for ``outlook classify``.
* The title's structure (``transforms.title_structure``: C-suite and function leaders,
  "<technology> engineer", head nouns and domain words, from ``data/seeds/
  title_structure.toml`` and O*NET Technology Skills) names SOC families the answer lies
  in: codes outside them are multiplied by a small weight, and an exact reference match
  outside them is not taken; the rule is given as the answer's ``reason``. A title that is
  only a generic head ("President", "Machine Operator") with no NAICS context has its
  confidence capped (reason "too generic: ..."), or is left unclassified ("unclassified:
  too generic") when the lexicon says to abstain.
* A batch scores each distinct key once (the NAICS prior applies per row afterwards).

Bump ``CLASSIFIER_VERSION`` whenever any of this changes: the warehouse caches results
keyed by it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from transforms.classifier_state import ClassifierState, build_state, from_blob, to_blob
from transforms.naics_priors import naics_sector
from transforms.title_index import char_features, title_key
from transforms.title_structure import (
    NO_STRUCTURE,
    StructureLexicon,
    TitleStructure,
    add_technology,
    read_structure,
)
from transforms.titles import REASON_EMPTY, REASON_NO_LATIN, REASON_TOO_LONG, parse_title

__all__ = [
    "CLASSIFIER_VERSION",
    "OUTPUT_COLUMNS",
    "Classification",
    "TitleClassifier",
]

CLASSIFIER_VERSION = "titles-2.1.0"

OUTPUT_COLUMNS = [
    "title",
    "normalised_title",
    "onet_soc_code",
    "soc_code",
    "soc_title",
    "confidence",
    "runner_up_onet_soc_code",
    "runner_up_confidence",
    "method",
    "reason",
]

REASON_NO_MATCH = "no match"
REASON_TOO_GENERIC = "unclassified: too generic"

# Weight of the major-group model's score in an occupation's score (0.4-1.2 are within
# 1 pt of each other on held-out titles; higher favours the major group).
MAJOR_WEIGHT = 0.8
# Softmax temperature turning scores into probabilities; fitted on held-out O*NET titles
# (log-loss minimum between 0.15 and 0.2).
TEMPERATURE = 0.17
# Character-model cosines are on another scale than SVM margins: this maps them onto it.
NGRAM_SCALE = 4.0
MIN_NGRAM_SCORE = 0.25
# An exact reference match is only as sure as the title's words make it: on the
# employer-coded LCA titles (../shared/eval/lca_titles_soc.csv, 1,822 exact matches) they
# were right 22% / 25% / 44% / 52% / 69% of the time when the models gave the matched
# occupation < 0.2 / 0.2-0.4 / 0.4-0.6 / 0.6-0.8 / >= 0.8, and 27% (91 titles) when the
# models' own first choice was another occupation (54% when it agreed). So an exact
# match's confidence is at most this floor + the models' probability of it, and at most
# the cap when the models chose otherwise: "Measurement Technician", one O*NET alternate
# title of Chemical Technicians (model probability 0.11), is not a sure chemical technician.
EXACT_MODEL_FLOOR = 0.5
EXACT_DISAGREE_CAP = 0.6
BATCH = 2048


@dataclass(frozen=True, slots=True)
class Classification:
    """One classified title (the fields are the ``classify_many`` columns)."""

    title: str
    normalised_title: str
    onet_soc_code: str | None
    soc_code: str | None
    soc_title: str | None
    confidence: float
    runner_up_onet_soc_code: str | None
    runner_up_confidence: float
    method: str
    reason: str | None


class TitleClassifier:
    """Classify posting titles to O*NET-SOC occupations (see module docstring)."""

    def __init__(
        self,
        references: pd.DataFrame,
        occupations: pd.DataFrame,
        version: str,
        naics_priors: dict[str, dict[str, float]] | None = None,
        models: pd.DataFrame | None = None,
        fit_workers: int = 1,
        structure: StructureLexicon | None = None,
        technology: Sequence[str] = (),
    ) -> None:
        """``references``: columns text, onet_soc_code; ``occupations``: onet_soc_code, title.

        ``models``: a ``models_frame()`` of a classifier fitted on the same references
        (skips the fit); fitted here when None, on ``fit_workers`` processes (the same
        weights for any number: see ``transforms.title_model``).
        ``structure``: the title-structure lexicon (None: no structure rules);
        ``technology``: O*NET Technology Skills example names, added to its words.
        """
        state = build_state(references, occupations, models, fit_workers)
        self._setup(state, version, naics_priors, structure, technology)

    @classmethod
    def from_state_blob(
        cls,
        blob: bytes,
        version: str,
        naics_priors: dict[str, dict[str, float]] | None = None,
        structure: StructureLexicon | None = None,
        technology: Sequence[str] = (),
    ) -> TitleClassifier | None:
        """The classifier saved by ``state_blob`` (no reference title is read, no key
        recomputed, nothing fitted); None when the blob is of an older format."""
        state = from_blob(blob)
        if state is None:
            return None
        classifier = cls.__new__(cls)
        classifier._setup(state, version, naics_priors, structure, technology)
        return classifier

    def state_blob(self) -> bytes:
        """Everything derived from the reference titles, as one byte string."""
        return to_blob(self._state)

    def _setup(
        self,
        state: ClassifierState,
        version: str,
        naics_priors: dict[str, dict[str, float]] | None,
        structure: StructureLexicon | None = None,
        technology: Sequence[str] = (),
    ) -> None:
        self.version = version
        self._state = state
        self.codes = state.codes
        self.code_index = {c: i for i, c in enumerate(self.codes)}
        self.occ_titles = state.occ_titles
        n_occ = len(self.codes)
        self._exact = state.exact
        self._chars = state.chars
        self.n_references = state.n_references
        self._occupation_model = state.occupation_model
        self._major_model = state.major_model
        # Model classes -> occupation columns; each occupation's major-group column.
        self._occ_cols = np.asarray(
            [self.code_index[c] for c in self._occupation_model.classes], dtype=np.int64
        )
        self._occ_cols_identity = np.array_equal(self._occ_cols, np.arange(n_occ))
        major_id = {m: i for i, m in enumerate(self._major_model.classes)}
        # -1 (no such group in training) indexes the zero column ``_major_part`` appends.
        self._occ_major = np.asarray([major_id.get(c[:2], -1) for c in self.codes])
        self._priors = self._prior_matrix(naics_priors or {})
        self._cache: dict[tuple[str, str | None], tuple] = {}
        if structure is not None and technology:
            pairs = ((k, self.codes[o]) for k, hit in self._exact.items() for o, _ in hit)
            structure = add_technology(structure, technology, pairs)
        self._lexicon = structure
        self._structures: dict[str, TitleStructure] = {}
        self._family_masks: dict[tuple[str, ...], np.ndarray] = {}

    def clear_caches(self) -> None:
        """Forget every cached parse, key, feature and answer (benchmarks start cold)."""
        from transforms.titles import _parse, _renormalise

        self._cache.clear()
        self._structures.clear()
        _parse.cache_clear()
        _renormalise.cache_clear()
        title_key.cache_clear()
        self._occupation_model.clear_caches()
        self._major_model.clear_caches()

    def models_frame(self) -> pd.DataFrame:
        """The fitted models as one long frame (column ``model``: occupation / major)."""
        return pd.concat(
            [
                self._occupation_model.to_frame().assign(model="occupation"),
                self._major_model.to_frame().assign(model="major"),
            ],
            ignore_index=True,
        )[["model", "featurizer", "feature", "target", "value"]]

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_onet(
        cls,
        frames: dict[str, pd.DataFrame],
        version: str,
        *,
        soc_direct_match: pd.DataFrame | None = None,
        naics_priors: dict[str, dict[str, float]],
        models: pd.DataFrame | None = None,
        fit_workers: int = 1,
        structure: StructureLexicon | None = None,
    ) -> TitleClassifier:
        """Build from ``transforms.onet.read_onet_archive`` frames.

        ``soc_direct_match`` (default: ``frames["soc_direct_match"]`` when present): columns
        soc_code ('NN-NNNN'), title; each title is attached to the O*NET occupation
        '<soc_code>.00' (or the first one with that SOC).
        ``naics_priors``: ``transforms.naics_priors.load_naics_priors`` of the seed table (the
        caller says where it is; ``{}`` for none); ``models``, ``fit_workers``,
        ``structure``: see ``__init__`` (technology names: ``frames["technology_skills"]``
        when present).
        """
        if soc_direct_match is None:
            soc_direct_match = frames.get("soc_direct_match")
        occ = frames["occupation_data"][["onet_soc_code", "title"]]
        parts = [occ.rename(columns={"title": "text"})[["text", "onet_soc_code"]]]
        alt = frames.get("alternate_titles")
        if alt is not None:
            for col in ("alternate_title", "short_title"):
                if col in alt:
                    parts.append(alt[[col, "onet_soc_code"]].rename(columns={col: "text"}).dropna())
        rep = frames.get("reported_titles")
        if rep is not None:
            parts.append(
                rep[["reported_title", "onet_soc_code"]]
                .rename(columns={"reported_title": "text"})
                .dropna()
            )
        if soc_direct_match is not None:
            by_soc: dict[str, str] = {}
            for code in occ["onet_soc_code"].astype(str):
                by_soc.setdefault(code[:7], code)
            dm = soc_direct_match.assign(
                onet_soc_code=soc_direct_match["soc_code"].astype(str).str[:7].map(by_soc)
            ).dropna(subset=["onet_soc_code"])
            parts.append(dm[["title", "onet_soc_code"]].rename(columns={"title": "text"}))
        refs = pd.concat(parts, ignore_index=True)
        refs["text"] = refs["text"].astype(object)
        refs["onet_soc_code"] = refs["onet_soc_code"].astype(str)
        tech = frames.get("technology_skills")
        technology = technology_names(tech) if tech is not None else []
        return cls(refs, occ, version, naics_priors, models, fit_workers, structure, technology)

    def _prior_matrix(self, priors: dict[str, dict[str, float]]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for sector, table in priors.items():
            mult = np.ones(len(self.codes))
            for i, code in enumerate(self.codes):
                # Longest listed prefix wins.
                for end in range(len(code), 0, -1):
                    m = table.get(code[:end])
                    if m is not None:
                        mult[i] = m
                        break
            out[sector] = mult
        return out

    # -- classification ----------------------------------------------------------------
    def classify(self, title: str, naics: str | None = None) -> Classification:
        """Classify one title (``classify_many`` is much faster for many)."""
        row = self.classify_many([title], [naics]).iloc[0]
        return Classification(**{c: (None if pd.isna(row[c]) else row[c]) for c in OUTPUT_COLUMNS})

    def classify_many(
        self, titles: Sequence[str], naics: Sequence[str | None] | None = None
    ) -> pd.DataFrame:
        """Classify titles; one output row per input row, columns ``OUTPUT_COLUMNS``."""
        titles = list(titles)
        sectors = [None] * len(titles) if naics is None else _each_once(naics_sector, naics)
        if len(sectors) != len(titles):
            raise ValueError("naics must be as long as titles")
        sectors = [s if s in self._priors else None for s in sectors]
        parts = _each_once(parse_title, titles)
        keys = [(title_key(p.normalised), s) for p, s in zip(parts, sectors, strict=True)]
        todo = list(
            dict.fromkeys(
                k for k, p in zip(keys, parts, strict=True) if k[0] and k not in self._cache
            )
        )
        # The models score a key whatever its sector (the sector's prior applies after),
        # so each distinct key is scored once, however many sectors it comes with.
        sectors_of: dict[str, list[str | None]] = {}
        for key, sector in todo:
            sectors_of.setdefault(key, []).append(sector)
        distinct = list(sectors_of)
        for start in range(0, len(distinct), BATCH):
            chunk = distinct[start : start + BATCH]
            probs, method = self._key_probabilities(chunk)
            pairs = [(i, s) for i, key in enumerate(chunk) for s in sectors_of[key]]
            for first in range(0, len(pairs), BATCH):
                self._decide(chunk, probs, method, pairs[first : first + BATCH])
        rows = []
        for title, p, k in zip(titles, parts, keys, strict=True):
            if not k[0]:
                reason = p.reason or REASON_EMPTY
                rows.append((title, p.normalised, None, 0.0, None, 0.0, "unclassified", reason))
            else:
                oi, conf, ri, rconf, method, reason = self._cache[k]
                rows.append((title, p.normalised, oi, conf, ri, rconf, method, reason))
        return self._frame(rows)

    def _frame(self, rows: list[tuple]) -> pd.DataFrame:
        cols = list(zip(*rows, strict=True)) if rows else [()] * 8
        occ_idx = cols[2]
        codes = [self.codes[i] if i is not None else None for i in occ_idx]
        df = pd.DataFrame(
            {
                "title": pd.Series(cols[0], dtype="string"),
                "normalised_title": pd.Series(cols[1], dtype="string"),
                "onet_soc_code": pd.Series(codes, dtype="string"),
                "soc_code": pd.Series([c[:7] if c else None for c in codes], dtype="string"),
                "soc_title": pd.Series(
                    [self.occ_titles[i] if i is not None else None for i in occ_idx],
                    dtype="string",
                ),
                "confidence": pd.Series(cols[3], dtype="float64"),
                "runner_up_onet_soc_code": pd.Series(
                    [self.codes[i] if i is not None else None for i in cols[4]], dtype="string"
                ),
                "runner_up_confidence": pd.Series(cols[5], dtype="float64"),
                "method": pd.Series(cols[6], dtype="string"),
                "reason": pd.Series(cols[7], dtype="string"),
            }
        )
        return df[OUTPUT_COLUMNS]

    def _key_probabilities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities over occupations before any NAICS prior, (len(texts), n_occ), and
        how each key was scored (token / ngram / unclassified)."""
        scores, major, known = self._model_scores(texts)
        method = np.full(len(texts), "token", dtype=object)
        weak = np.flatnonzero(known == 0)
        if weak.size:
            # No known word: the character centroid model decides, if it is close enough.
            cs = self._chars.score([self._chars.query(char_features(texts[i])) for i in weak])
            close = cs.max(axis=1) >= MIN_NGRAM_SCORE
            ngram = weak[close]
            scores[ngram] = NGRAM_SCALE * cs[close] + self._major_part(major[ngram])
            method[ngram] = "ngram"
            method[weak[~close]] = "unclassified"
        scores *= 1.0 / TEMPERATURE
        self._apply_structure(scores, [self._structure(t) for t in texts])
        return _softmax(scores), method

    def _decide(
        self,
        texts: list[str],
        key_probs: np.ndarray,
        key_method: np.ndarray,
        pairs: list[tuple[int, str | None]],
    ) -> None:
        """Cache the answer for each (row of ``texts``, sector) pair."""
        rows = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=len(pairs))
        probs = key_probs[rows]
        self._apply_priors(probs, [s for _, s in pairs])
        structures = [self._structure(texts[i]) for i, _ in pairs]
        top, second, p1, p2 = _top2(probs)
        method = key_method[rows]
        keys = [(texts[i], s) for i, s in pairs]
        for i, (key, sector) in enumerate(keys):
            st = structures[i]
            hit = self._exact.get(key)
            if hit and st.families:
                # An exact reference title outside the structure's families is not taken
                # ("CMO", a short title of Continuous Mining Machine Operators).
                hit = [(o, n) for o, n in hit if self._in_families(o, st.families)]
            if st.generic and sector is None and method[i] != "unclassified":
                if self._lexicon.abstain_generic:
                    self._cache[(key, sector)] = (
                        None,
                        0.0,
                        None,
                        0.0,
                        "unclassified",
                        REASON_TOO_GENERIC,
                    )
                    continue
            if hit:
                # Exact reference title: ambiguity between occupations that share it is
                # broken by the model (which includes NAICS priors).
                cands = [o for o, _ in hit]
                best = max(cands, key=lambda o: probs[i, o])
                share = dict(hit)[best] / sum(n for _, n in hit)
                others = [o for o in cands if o != best]
                ru = others[0] if others else (int(second[i]) if second[i] != best else None)
                ec = min(0.6 + 0.38 * share, EXACT_MODEL_FLOOR + float(probs[i, best]))
                if best != top[i]:
                    ec = min(ec, EXACT_DISAGREE_CAP)
                ec = round(ec, 4)
                rc = round(min(float(probs[i, ru]), 1 - ec), 4) if ru is not None else 0.0
                answer = (best, ec, ru, rc, "exact")
            elif method[i] == "unclassified":
                self._cache[(key, sector)] = (None, 0.0, None, 0.0, "unclassified", REASON_NO_MATCH)
                continue
            else:
                answer = (
                    int(top[i]),
                    round(float(p1[i]), 4),
                    int(second[i]),
                    round(float(p2[i]), 4),
                    str(method[i]),
                )
            self._cache[(key, sector)] = self._with_structure(answer, st, sector)

    def _with_structure(self, answer: tuple, st: TitleStructure, sector: str | None) -> tuple:
        """The answer with the structure's reason; a generic title without context gets
        its confidence capped (with context the NAICS prior has had its say)."""
        best, conf, ru, rconf, method = answer
        if st.generic:
            if sector is not None:
                return (*answer, None)
            conf = min(conf, self._lexicon.generic_cap)
            rconf = min(rconf, conf)
        return (best, conf, ru, rconf, method, st.rule)

    def _structure(self, key: str) -> TitleStructure:
        """``read_structure`` of a key, once per key (NO_STRUCTURE without a lexicon)."""
        if self._lexicon is None:
            return NO_STRUCTURE
        st = self._structures.get(key)
        if st is None:
            st = self._structures[key] = read_structure(key, self._lexicon)
        return st

    def _family_mask(self, families: tuple[str, ...]) -> np.ndarray:
        """0 for occupations in ``families``, log(off-family weight) elsewhere: added to
        the tempered scores, it multiplies the probability of codes outside by the weight
        (in log space: the probabilities of in-family codes may be far below 1e-10)."""
        mask = self._family_masks.get(families)
        if mask is None:
            inside = np.array([c.startswith(families) for c in self.codes])
            mask = np.where(inside, 0.0, np.log(self._lexicon.off_family_weight))
            self._family_masks[families] = mask
        return mask

    def _in_families(self, occ: int, families: tuple[str, ...]) -> bool:
        return self._family_mask(families)[occ] == 0.0

    def _apply_structure(self, scores: np.ndarray, structures: list[TitleStructure]) -> None:
        """Tempered scores + the structure's family mask, for keys with one."""
        for i, st in enumerate(structures):
            if st.families:
                scores[i] += self._family_mask(st.families)

    def _model_scores(self, keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Occupation score + ``MAJOR_WEIGHT`` x its major group's, (len(keys), n_occ);
        the major-group decision values, (len(keys), n_majors); and how many word
        features of each key the occupation model knows."""
        occupation, known = self._occupation_model.decision(keys)
        major = self._major_model.decision(keys)[0]
        if self._occ_cols_identity:
            scores = occupation
        else:
            # Occupations without a reference title (never a class) get a floor score.
            scores = np.full((len(keys), len(self.codes)), occupation.min() - 1.0)
            scores[:, self._occ_cols] = occupation
        scores += self._major_part(major)
        return scores, major, known

    def _major_part(self, major: np.ndarray) -> np.ndarray:
        """``MAJOR_WEIGHT`` x each occupation's major-group value (0 for unknown groups)."""
        padded = np.concatenate([major, np.zeros((*major.shape[:-1], 1))], axis=-1)
        return MAJOR_WEIGHT * padded[..., self._occ_major]

    def _apply_priors(self, probs: np.ndarray, sectors: list[str | None]) -> None:
        """Posterior ~ title probability x the sector's prior multiplier, per row (all
        rows with a prior at once: the same products and row sums as one row at a time)."""
        with_prior = [i for i, s in enumerate(sectors) if s is not None]
        if not with_prior:
            return
        multipliers = np.stack([self._priors[sectors[i]] for i in with_prior])
        part = probs[with_prior]
        part *= multipliers
        part /= part.sum(axis=1, keepdims=True)
        probs[with_prior] = part


def technology_names(technology_skills: pd.DataFrame) -> list[str]:
    """The distinct example names of O*NET Technology Skills rows (column ``example``)."""
    return sorted(technology_skills["example"].dropna().astype(str).unique())


def _each_once(func, values: Sequence):
    """``[func(v) for v in values]``, calling ``func`` once per distinct string (titles and
    codes repeat); other values (None, NaN, numbers) are passed one by one, as equal
    numbers of different types may not give the same answer."""
    done = {v: func(v) for v in dict.fromkeys(v for v in values if type(v) is str)}
    return [done[v] if type(v) is str else func(v) for v in values]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def _top2(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    idx = np.argpartition(-scores, 1, axis=1)[:, :2]
    vals = np.take_along_axis(scores, idx, axis=1)
    order = np.argsort(-vals, axis=1)
    idx = np.take_along_axis(idx, order, axis=1)
    vals = np.take_along_axis(vals, order, axis=1)
    return idx[:, 0].copy(), idx[:, 1].copy(), vals[:, 0].copy(), vals[:, 1].copy()


# Names re-exported for callers that map reasons to messages.
REASONS = (REASON_EMPTY, REASON_NO_LATIN, REASON_TOO_LONG, REASON_NO_MATCH, REASON_TOO_GENERIC)
