"""The answer for each (title key, sector) pair of a batch, from the keys' probabilities.

``TitleClassifier`` scores each distinct key once; this turns those scores into one cache
entry per (key, sector) pair: the NAICS prior, exact reference matches (inside the
structure's families), abstaining on generic titles, the calibration map, the caps and
the runner-up. It works on whole arrays: the same arithmetic row by row cost ~1 s per
100k pairs in a Python loop (``bench/classify_step.py``), a sixth of the classification.

An entry is ``(occupation, confidence, runner-up, its confidence, method, reason,
top-k occupations, their posteriors, the answer's posterior)``; ``unclassified(reason)``
is the entry of no answer (``transforms.classify_frames`` reads them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from transforms.calibration import ConfidenceMap
from transforms.classify_scoring import KeyScorer, candidate_scale, top_k
from transforms.title_structure import StructureLexicon

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
REASON_NO_MATCH = "no match"
REASON_TOO_GENERIC = "unclassified: too generic"


def unclassified(reason: str) -> tuple:
    """A cache entry for no answer (no code, no candidates) with its reason."""
    return (None, 0.0, None, 0.0, "unclassified", reason, None, None, 0.0)


@dataclass(frozen=True)
class DecisionRules:
    """What decides between the models' answer and an exact reference title."""

    scorer: KeyScorer
    exact: dict[str, list[tuple[int, int]]]  # key -> (occupation, reference count)
    lexicon: StructureLexicon | None
    calibration: ConfidenceMap | None
    top: int


def decide(
    rules: DecisionRules,
    keys: list[str],
    key_probs: np.ndarray,
    key_method: np.ndarray,
    pairs: list[tuple[int, str | None]],
) -> list[tuple]:
    """One entry per (row of ``keys``, sector) pair, in the order of ``pairs``."""
    n = len(pairs)
    at = np.arange(n)
    rows = np.fromiter((i for i, _ in pairs), dtype=np.int64, count=n)
    sectors = [s for _, s in pairs]
    probs = key_probs[rows]
    rules.scorer.apply_priors(probs, sectors)
    ranked, ranked_p = top_k(probs, rules.top)
    method = key_method[rows]
    no_sector = np.fromiter((s is None for s in sectors), dtype=bool, count=n)
    # what each key of these pairs says, once per key (``keys`` is a whole batch)
    used, rows_in_used = np.unique(rows, return_inverse=True)
    used_keys = [keys[k] for k in used.tolist()]
    structures = [rules.scorer.structure(k) for k in used_keys]
    generic = np.array([st.generic for st in structures], dtype=bool)[rows_in_used]
    hit_occ, hit_n = _exact_hits(rules, used_keys, structures)
    hit_occ, hit_n = hit_occ[rows_in_used], hit_n[rows_in_used]
    has_hit = hit_n[:, 0] > 0

    # An exact reference title: ambiguity between occupations that share it is broken by
    # the model (with the NAICS prior); its confidence is bounded by the model's view.
    valid = hit_n > 0
    hit_p = np.where(valid, np.take_along_axis(probs, np.where(valid, hit_occ, 0), 1), -np.inf)
    pick = hit_p.argmax(axis=1)  # the first of equals, as max() over the list
    exact_best = hit_occ[at, pick]
    share = hit_n[at, pick] / np.maximum(hit_n.sum(axis=1), 1)
    exact_conf = np.minimum(0.6 + 0.38 * share, EXACT_MODEL_FLOOR + probs[at, exact_best])
    exact_conf = np.where(
        exact_best != ranked[:, 0], np.minimum(exact_conf, EXACT_DISAGREE_CAP), exact_conf
    )
    best = np.where(has_hit, exact_best, ranked[:, 0])
    conf = np.where(has_hit, exact_conf, ranked_p[:, 0])
    if rules.calibration is not None:
        conf = rules.calibration(conf)
    cap = rules.lexicon.generic_cap if rules.lexicon is not None else 1.0
    conf = np.where(generic & no_sector, np.minimum(conf, cap), conf)
    conf = np.round(conf, 4)  # (the candidates' ranks 2..k are rounded alike)

    # The runner-up is rank 2 of the candidates (``rank_candidates``).
    p_best = probs[at, best]
    j = np.where(ranked[:, 0] == best, 1, 0)
    has_ru = j < ranked.shape[1]
    j = np.minimum(j, ranked.shape[1] - 1)  # (a single-column ranking has no runner-up)
    ru, ru_p = ranked[at, j], ranked_p[at, j]
    ru_conf = np.round(np.minimum(ru_p * candidate_scale(conf, p_best), conf), 4)

    abstain = generic & no_sector & (method != "unclassified")
    abstain &= bool(rules.lexicon is not None and rules.lexicon.abstain_generic)
    no_match = ~has_hit & (method == "unclassified")
    how = np.where(has_hit, "exact", method)
    reasons = [st.rule for st in structures]
    out = []
    for i, (row, b, c, r, rc, h, gen, nosec, ab, nm, pb, has) in enumerate(
        zip(
            rows_in_used.tolist(),
            best.tolist(),
            conf.tolist(),
            ru.tolist(),
            ru_conf.tolist(),
            how.tolist(),
            generic.tolist(),
            no_sector.tolist(),
            abstain.tolist(),
            no_match.tolist(),
            p_best.tolist(),
            has_ru.tolist(),
            strict=True,
        )
    ):
        if ab:
            out.append(unclassified(REASON_TOO_GENERIC))
        elif nm:
            out.append(unclassified(REASON_NO_MATCH))
        else:
            # with context the NAICS prior has had its say on a generic title
            reason = None if gen and not nosec else reasons[row]
            ru_entry = (r, rc) if has else (None, 0.0)
            out.append((b, c, *ru_entry, h, reason, ranked[i], ranked_p[i], pb))
    return out


def _exact_hits(
    rules: DecisionRules, keys: list[str], structures: list
) -> tuple[np.ndarray, np.ndarray]:
    """Each key's exact reference occupations and counts, padded to one width (count 0:
    none). An exact title outside the structure's families is not taken ("CMO", a short
    title of Continuous Mining Machine Operators)."""
    hits = []
    for key, st in zip(keys, structures, strict=True):
        hit = rules.exact.get(key) or []
        if hit and st.families:
            hit = [(o, c) for o, c in hit if rules.scorer.in_families(o, st.families)]
        hits.append(hit)
    width = max(1, max(map(len, hits), default=1))
    occ = np.zeros((len(keys), width), dtype=np.int64)
    count = np.zeros((len(keys), width), dtype=np.int64)
    for i, hit in enumerate(hits):
        for k, (o, c) in enumerate(hit):
            occ[i, k], count[i, k] = o, c
    return occ, count
