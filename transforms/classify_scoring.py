"""Scoring for ``transforms.classify``: title keys -> probabilities over occupations.

How (and why):

* **token**: two linear models learned from the reference titles
  (``transforms.title_model``) score a title's key: one over occupations (word unigrams,
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
  ``transforms.title_accuracy``). On titles written like ads it overstates: the
  classifier maps its final confidence through a calibration map (``transforms.
  calibration``).
* NAICS context multiplies the probabilities by a prior from
  ``data/seeds/naics_soc_priors.csv`` (``transforms.naics_priors``: NAICS sector x SOC
  prefix, longest prefix wins; 0.75-1.45), so context decides between close candidates
  without overriding a clear title match (a 2:1 lead survives any multiplier pair in the table).
* The title structure's families (``transforms.title_structure``) multiply the
  probability of codes outside them by a small weight (``KeyScorer.family_mask``).
* ``top_k`` ranks each row's most probable occupations; ``rank_candidates`` turns them
  into an answer's candidates with probabilities.

What the classifier then decides from these probabilities (exact matches, generic caps,
calibration, abstaining) is in ``transforms.classify``.
"""

from __future__ import annotations

from itertools import groupby

import numpy as np

from transforms.classifier_state import ClassifierState
from transforms.title_index import char_features
from transforms.title_structure import (
    NO_STRUCTURE,
    StructureLexicon,
    TitleStructure,
    read_structure,
)

__all__ = ["KeyScorer", "candidate_scale", "rank_candidates", "softmax", "top_k"]

# Weight of the major-group model's score in an occupation's score (0.4-1.2 are within
# 1 pt of each other on held-out titles; higher favours the major group).
MAJOR_WEIGHT = 0.8
# Softmax temperature turning scores into probabilities; fitted on held-out O*NET titles
# (log-loss minimum between 0.15 and 0.2).
TEMPERATURE = 0.17
# Character-model cosines are on another scale than SVM margins: this maps them onto it.
NGRAM_SCALE = 4.0
MIN_NGRAM_SCORE = 0.25


class KeyScorer:
    """Probabilities over the occupations of a ``ClassifierState`` for title keys."""

    def __init__(
        self,
        state: ClassifierState,
        naics_priors: dict[str, dict[str, float]],
        lexicon: StructureLexicon | None,
    ) -> None:
        self.codes = state.codes
        code_index = {c: i for i, c in enumerate(self.codes)}
        self._chars = state.chars
        self.occupation_model = state.occupation_model
        self.major_model = state.major_model
        # Model classes -> occupation columns; each occupation's major-group column.
        self._occ_cols = np.asarray(
            [code_index[c] for c in self.occupation_model.classes], dtype=np.int64
        )
        self._occ_cols_identity = np.array_equal(self._occ_cols, np.arange(len(self.codes)))
        major_id = {m: i for i, m in enumerate(self.major_model.classes)}
        # -1 (no such group in training) indexes the zero column ``_major_part`` appends.
        self._occ_major = np.asarray([major_id.get(c[:2], -1) for c in self.codes])
        self.priors = prior_matrix(self.codes, naics_priors)
        self.lexicon = lexicon
        self._structures: dict[str, TitleStructure] = {}
        self._family_masks: dict[tuple[str, ...], np.ndarray] = {}

    def clear_caches(self) -> None:
        self._structures.clear()
        self.occupation_model.clear_caches()
        self.major_model.clear_caches()

    def probabilities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
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
        for i, text in enumerate(texts):
            st = self.structure(text)
            if st.families:
                scores[i] += self.family_mask(st.families)
        return softmax(scores), method

    def structure(self, key: str) -> TitleStructure:
        """``read_structure`` of a key, once per key (NO_STRUCTURE without a lexicon)."""
        if self.lexicon is None:
            return NO_STRUCTURE
        st = self._structures.get(key)
        if st is None:
            st = self._structures[key] = read_structure(key, self.lexicon)
        return st

    def family_mask(self, families: tuple[str, ...]) -> np.ndarray:
        """0 for occupations in ``families``, log(off-family weight) elsewhere: added to
        the tempered scores, it multiplies the probability of codes outside by the weight
        (in log space: the probabilities of in-family codes may be far below 1e-10)."""
        mask = self._family_masks.get(families)
        if mask is None:
            inside = np.array([c.startswith(families) for c in self.codes])
            mask = np.where(inside, 0.0, np.log(self.lexicon.off_family_weight))
            self._family_masks[families] = mask
        return mask

    def in_families(self, occ: int, families: tuple[str, ...]) -> bool:
        return self.family_mask(families)[occ] == 0.0

    def apply_priors(self, probs: np.ndarray, sectors: list[str | None]) -> None:
        """Posterior ~ title probability x the sector's prior multiplier, per row, in place.
        Works on each run of rows with the same sector as one slice (no copies: give rows
        sorted by sector), with the same products and row sums as one row at a time."""
        start = 0
        for sector, run in groupby(sectors):
            end = start + sum(1 for _ in run)
            if sector is not None:
                part = probs[start:end]
                part *= self.priors[sector]
                part /= part.sum(axis=1, keepdims=True)
            start = end

    def _model_scores(self, keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Occupation score + ``MAJOR_WEIGHT`` x its major group's, (len(keys), n_occ);
        the major-group decision values, (len(keys), n_majors); and how many word
        features of each key the occupation model knows."""
        occupation, known = self.occupation_model.decision(keys)
        major = self.major_model.decision(keys)[0]
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


def prior_matrix(codes: list[str], priors: dict[str, dict[str, float]]) -> dict[str, np.ndarray]:
    """NAICS sector -> a multiplier per occupation (the longest listed code prefix wins)."""
    out: dict[str, np.ndarray] = {}
    for sector, table in priors.items():
        mult = np.ones(len(codes))
        for i, code in enumerate(codes):
            for end in range(len(code), 0, -1):
                m = table.get(code[:end])
                if m is not None:
                    mult[i] = m
                    break
        out[sector] = mult
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of each row's ``k`` largest values, largest first,
    (n_rows, k) each (ties: the lower column first). ``k`` is cut to the column count.
    Scores must be finite or +inf (probabilities are)."""
    n, m = scores.shape
    k = min(k, m)
    if k == m:
        idx = np.broadcast_to(np.arange(m), scores.shape).copy()
        vals = np.take_along_axis(scores, idx, axis=1)
        order = np.lexsort((idx, -vals), axis=1)
        idx = np.take_along_axis(idx, order, axis=1)
        return idx, np.take_along_axis(vals, order, axis=1)
    # k argmax passes, each taking the row's largest left (the first on ties): ~7x faster
    # than an argpartition of every row for k = 5 of ~1,000 occupations (measured).
    work = scores.copy()
    rows = np.arange(n)
    idx = np.empty((n, k), dtype=np.intp)
    vals = np.empty((n, k), dtype=scores.dtype)
    for j in range(k):
        col = work.argmax(axis=1)
        idx[:, j] = col
        vals[:, j] = work[rows, col]
        work[rows, col] = -np.inf
    return idx, vals


def rank_candidates(
    best: np.ndarray,
    conf: np.ndarray,
    p_best: np.ndarray,
    ranked: np.ndarray,
    ranked_p: np.ndarray,
    k: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` candidates of each answer, one row per answer: rank 1 is the answer
    ``best`` at its confidence ``conf``; the others follow by posterior (``ranked``,
    ``ranked_p``: the row's ``top_k``; ``p_best``: the answer's posterior), scaled by
    ``candidate_scale`` and capped at the answer's confidence (a capped generic answer
    stays first). Returns occupation indices and probabilities, (n, <= k) each, and how
    many of each row's are candidates (fewer when the row ranks fewer occupations)."""
    others = ranked != best[:, None]
    # the first k - 1 others of each row in rank order: a stable sort puts them first
    order = np.argsort(~others, axis=1, kind="stable")[:, : k - 1]
    scaled = np.take_along_axis(ranked_p, order, axis=1) * candidate_scale(conf, p_best)[:, None]
    idx = np.concatenate([best[:, None], np.take_along_axis(ranked, order, axis=1)], axis=1)
    prob = np.concatenate([conf[:, None], np.minimum(scaled, conf[:, None])], axis=1)
    count = 1 + np.take_along_axis(others, order, axis=1).sum(axis=1)
    return idx, prob, count


def candidate_scale(conf: np.ndarray | float, p_best: np.ndarray | float) -> np.ndarray:
    """min(1, (1 - confidence) / (1 - p(answer))), per answer (1 when p(answer) is 1): the
    other candidates' share of what the answer's confidence leaves, so that all of them
    sum to at most 1."""
    rest = 1.0 - np.asarray(p_best, dtype=np.float64)
    safe = np.where(rest > 0, rest, 1.0)
    return np.where(rest > 0, np.minimum(1.0, (1.0 - np.asarray(conf)) / safe), 1.0)
