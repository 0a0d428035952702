"""Posting title -> O*NET-SOC occupation, with a confidence and a runner-up.

How it works (and why):

* Every reference title (O*NET occupation titles, alternate and short titles, reported
  titles, optionally SOC direct-match titles) is normalised with ``transforms.titles``
  and lightly stemmed, so lookups compare like with like (``transforms.title_index``).
* **exact**: the stemmed key of the posting title equals a reference key.
* **token** / **ngram**: otherwise the linear title models, or for a title with no known
  word a character 3-gram centroid model, give a probability per occupation, with the
  NAICS sector's prior when the employer's industry is known (``transforms.
  classify_scoring``, which says how and why).
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
* **Top-k**: ``candidates_frame(..., top=k)`` lists each answer's k most probable
  occupations: rank 1 is the answer with its confidence; the
  others keep the model's posterior, scaled down when the answer's confidence was raised
  (an exact match) so that the k probabilities sum to at most 1, and never above rank 1's.
  Rank 2 is the runner-up. ``abstain_below=p`` leaves answers under confidence p
  unclassified ("unclassified: too generic" for a generic title, else "unclassified:
  confidence below p"); the cache keeps the answer, the threshold applies on the way out.
* **Calibration**: an optional monotone map (``transforms.calibration.ConfidenceMap``,
  fitted on ad-like titles, ``data/seeds/title_calibration.toml``) turns the final top-1
  confidence into the share of such answers that are right.

The work is split by job: ``transforms.classify_references`` (the reference titles out of
the O*NET frames), ``transforms.classifier_state`` (everything derived from them, saved
and loaded), ``transforms.classify_scoring`` (keys -> probabilities, priors, top-k) and
``transforms.classify_frames`` (the output frames) and this module (the decision per
title: exact matches, structure, caps, calibration, abstaining).

Bump ``CLASSIFIER_VERSION`` whenever any of this changes: the warehouse caches results
keyed by it.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from transforms.calibration import ConfidenceMap
from transforms.classifier_state import ClassifierState, build_state, from_blob, to_blob
from transforms.classify_decision import (
    REASON_NO_MATCH,
    REASON_TOO_GENERIC,
    DecisionRules,
    decide,
)
from transforms.classify_decision import unclassified as _unclassified
from transforms.classify_frames import (
    CANDIDATE_COLUMNS,
    OUTPUT_COLUMNS,
    Classification,
    answers_frame,
    candidates_frame,
)
from transforms.classify_references import reference_titles, technology_names
from transforms.classify_scoring import KeyScorer
from transforms.naics_priors import naics_sector
from transforms.title_index import title_key
from transforms.title_structure import StructureLexicon, add_technology
from transforms.titles import REASON_EMPTY, REASON_NO_LATIN, REASON_TOO_LONG, parse_title

__all__ = [
    "CLASSIFIER_VERSION",
    "OUTPUT_COLUMNS",
    "CANDIDATE_COLUMNS",
    "MAX_TOP",
    "Classification",
    "TitleClassifier",
    "technology_names",
]

CLASSIFIER_VERSION = "titles-2.2.0"


# Candidates kept per answer (``top`` may ask for up to this many).
MAX_TOP = 5

REASON_LOW_CONFIDENCE = "unclassified: confidence below {threshold:g}"
BATCH = 2048


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
        calibration: ConfidenceMap | None = None,
    ) -> None:
        """``references``: columns text, onet_soc_code; ``occupations``: onet_soc_code, title.

        ``models``: a ``models_frame()`` of a classifier fitted on the same references
        (skips the fit); fitted here when None, on ``fit_workers`` processes (the same
        weights for any number: see ``transforms.title_model``).
        ``structure``: the title-structure lexicon (None: no structure rules);
        ``technology``: O*NET Technology Skills example names, added to its words;
        ``calibration``: a map of the top-1 confidence (None: the model's own).
        """
        state = build_state(references, occupations, models, fit_workers)
        self._setup(state, version, naics_priors, structure, technology, calibration)

    @classmethod
    def from_state_blob(
        cls,
        blob: bytes,
        version: str,
        naics_priors: dict[str, dict[str, float]] | None = None,
        structure: StructureLexicon | None = None,
        technology: Sequence[str] = (),
        calibration: ConfidenceMap | None = None,
    ) -> TitleClassifier | None:
        """The classifier saved by ``state_blob`` (no reference title is read, no key
        recomputed, nothing fitted); None when the blob is of an older format."""
        state = from_blob(blob)
        if state is None:
            return None
        classifier = cls.__new__(cls)
        classifier._setup(state, version, naics_priors, structure, technology, calibration)
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
        calibration: ConfidenceMap | None = None,
    ) -> None:
        self.version = version
        self._state = state
        self.codes = state.codes
        self.occ_titles = state.occ_titles
        self._exact = state.exact
        self.n_references = state.n_references
        self._occupation_model = state.occupation_model
        self._major_model = state.major_model
        if structure is not None and technology:
            pairs = ((k, self.codes[o]) for k, hit in self._exact.items() for o, _ in hit)
            structure = add_technology(structure, technology, pairs)
        self._scorer = KeyScorer(state, naics_priors or {}, structure)
        self._rules = DecisionRules(self._scorer, self._exact, structure, calibration, MAX_TOP)
        self._cache: dict[tuple[str, str | None], tuple] = {}

    def with_calibration(self, calibration: ConfidenceMap | None) -> TitleClassifier:
        """The same classifier with another confidence calibration (shares the models)."""
        other = copy.copy(self)
        other._rules = dataclasses.replace(self._rules, calibration=calibration)
        other._cache = {}
        return other

    def clear_caches(self) -> None:
        """Forget every cached parse, key, feature and answer (benchmarks start cold)."""
        from transforms.titles import _parse, _renormalise

        self._cache.clear()
        self._scorer.clear_caches()
        _parse.cache_clear()
        _renormalise.cache_clear()
        title_key.cache_clear()

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
        calibration: ConfidenceMap | None = None,
    ) -> TitleClassifier:
        """Build from ``transforms.onet.read_onet_archive`` frames.

        ``soc_direct_match`` (default: ``frames["soc_direct_match"]`` when present): see
        ``transforms.classify_references.reference_titles``.
        ``naics_priors``: ``transforms.naics_priors.load_naics_priors`` of the seed table (the
        caller says where it is; ``{}`` for none); ``models``, ``fit_workers``,
        ``structure``, ``calibration``: see ``__init__`` (technology names:
        ``frames["technology_skills"]`` when present).
        """
        if soc_direct_match is None:
            soc_direct_match = frames.get("soc_direct_match")
        refs, occ = reference_titles(frames, soc_direct_match)
        tech = frames.get("technology_skills")
        technology = technology_names(tech) if tech is not None else []
        return cls(
            refs, occ, version, naics_priors, models, fit_workers, structure, technology,
            calibration,
        )  # fmt: skip

    # -- classification ----------------------------------------------------------------
    def classify(self, title: str, naics: str | None = None) -> Classification:
        """Classify one title (``classify_many`` is much faster for many)."""
        row = self.classify_many([title], [naics]).iloc[0]
        return Classification(**{c: (None if pd.isna(row[c]) else row[c]) for c in OUTPUT_COLUMNS})

    def classify_many(
        self,
        titles: Sequence[str],
        naics: Sequence[str | None] | None = None,
        *,
        abstain_below: float = 0.0,
    ) -> pd.DataFrame:
        """Classify titles; one output row per input row, columns ``OUTPUT_COLUMNS``.

        ``abstain_below``: answers with a lower confidence are left unclassified."""
        return self._frame(self._answers(titles, naics, abstain_below))

    def candidates_frame(
        self,
        titles: Sequence[str],
        naics: Sequence[str | None] | None = None,
        *,
        top: int = 3,
        abstain_below: float = 0.0,
    ) -> pd.DataFrame:
        """The ``top`` (at most ``MAX_TOP``) most probable occupations of each title,
        ``CANDIDATE_COLUMNS``: ``row`` is the input position, rank 1 the answer of
        ``classify_many``. An unclassified title has no row."""
        if not 1 <= top <= MAX_TOP:
            raise ValueError(f"top must be between 1 and {MAX_TOP}, got {top}")
        answers = self._answers(titles, naics, abstain_below)
        return candidates_frame(answers, self.codes, self.occ_titles, top)[CANDIDATE_COLUMNS]

    def classify_with_candidates(
        self,
        titles: Sequence[str],
        naics: Sequence[str | None] | None = None,
        *,
        top: int = MAX_TOP,
        abstain_below: float = 0.0,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """``classify_many`` and ``candidates_frame`` of the same titles, from one pass
        (the build keeps both: parsing and looking up every title twice cost ~1 s a 100k)."""
        if not 1 <= top <= MAX_TOP:
            raise ValueError(f"top must be between 1 and {MAX_TOP}, got {top}")
        answers = self._answers(titles, naics, abstain_below)
        candidates = candidates_frame(answers, self.codes, self.occ_titles, top)
        return self._frame(answers), candidates[CANDIDATE_COLUMNS]

    def _answers(
        self, titles: Sequence[str], naics: Sequence[str | None] | None, abstain_below: float
    ) -> list[tuple]:
        """Per input row: (title, normalised, occupation, confidence, runner-up, its
        confidence, method, reason, the row's top-k occupations and posteriors, the
        answer's posterior; see ``transforms.classify_frames``)."""
        titles = list(titles)
        sectors = [None] * len(titles) if naics is None else _each_once(naics_sector, naics)
        if len(sectors) != len(titles):
            raise ValueError("naics must be as long as titles")
        sectors = [s if s in self._scorer.priors else None for s in sectors]
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
            probs, method = self._scorer.probabilities(chunk)
            pairs = [(i, s) for i, key in enumerate(chunk) for s in sectors_of[key]]
            for first in range(0, len(pairs), BATCH):
                self._decide(chunk, probs, method, pairs[first : first + BATCH])
        rows = []
        for title, p, k in zip(titles, parts, keys, strict=True):
            if not k[0]:
                reason = p.reason or REASON_EMPTY
                rows.append((title, p.normalised, *_unclassified(reason)))
                continue
            answer = self._cache[k]
            if abstain_below and answer[1] < abstain_below and answer[0] is not None:
                generic = (answer[5] or "").startswith("too generic")
                threshold = REASON_LOW_CONFIDENCE.format(threshold=abstain_below)
                answer = _unclassified(REASON_TOO_GENERIC if generic else threshold)
            rows.append((title, p.normalised, *answer))
        return rows

    def _frame(self, rows: list[tuple]) -> pd.DataFrame:
        return answers_frame(rows, self.codes, self.occ_titles)[OUTPUT_COLUMNS]

    def _decide(
        self,
        texts: list[str],
        key_probs: np.ndarray,
        key_method: np.ndarray,
        pairs: list[tuple[int, str | None]],
    ) -> None:
        """Cache the answer for each (row of ``texts``, sector) pair."""
        pairs = sorted(pairs, key=_by_sector)  # each sector's prior then applies to a slice
        entries = decide(self._rules, texts, key_probs, key_method, pairs)
        self._cache.update(zip(((texts[i], s) for i, s in pairs), entries, strict=True))


def _by_sector(pair: tuple[int, str | None]) -> tuple[bool, str]:
    return (pair[1] is None, pair[1] or "")


def _each_once(func, values: Sequence):
    """``[func(v) for v in values]``, calling ``func`` once per distinct string (titles and
    codes repeat); other values (None, NaN, numbers) are passed one by one, as equal
    numbers of different types may not give the same answer."""
    done = {v: func(v) for v in dict.fromkeys(v for v in values if type(v) is str)}
    return [done[v] if type(v) is str else func(v) for v in values]


# Names re-exported for callers that map reasons to messages.
REASONS = (
    REASON_EMPTY,
    REASON_NO_LATIN,
    REASON_TOO_LONG,
    REASON_NO_MATCH,
    REASON_TOO_GENERIC,
    REASON_LOW_CONFIDENCE,
)
