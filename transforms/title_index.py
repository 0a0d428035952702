"""Reference-title keys and the character 3-gram centroid index of ``transforms.classify``.

Every reference title and every posting title is normalised (``transforms.titles``) and
lightly stemmed into a lookup key (``title_key``), so lookups compare like with like.
``CharCentroidIndex`` is the fallback model for titles with no known word: the cosine of a
title's character 3-grams with each occupation's centroid.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache

import numpy as np

from transforms.titles import parse_title

# "of" is kept in keys: it marks the head in "director of nursing" (see
# ``transforms.title_model.word_features``).
_STOP = frozenset({"and", "the", "for", "in", "to", "a", "an", "with", "at", "on", "or"})
# Clauses that describe what an O*NET occupation is *not*; indexing them adds noise.
# In O*NET, "PI"/"QI" mostly mean private/principal investigator, not performance /
# quality improvement as in postings; expanding them would poison the index.
_AMBIGUOUS_REF = re.compile(r"\b(?:PI|QI)\b")
_EXCEPT = re.compile(r",?\s*(?:except|all other)\b.*$", re.IGNORECASE)


def _stem(tok: str) -> str:
    """Plural -> singular, crudely but identically for queries and references."""
    if len(tok) > 4 and tok.endswith("ies"):
        return tok[:-3] + "y"
    if len(tok) > 3 and tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
        return tok[:-1]
    return tok


def _content_tokens(normalised: str) -> list[str]:
    return [_stem(t) for t in normalised.split() if t not in _STOP]


@lru_cache(maxsize=200_000)
def title_key(normalised: str) -> str:
    """Stemmed lookup key of a normalised title (cached: many raw titles share one)."""
    return " ".join(_content_tokens(normalised))


def char_features(key: str) -> list[tuple[str, float]]:
    padded = f" {key} "
    grams = Counter(padded[i : i + 3] for i in range(len(padded) - 2))
    return [("c:" + g, float(n)) for g, n in grams.items()]


def reference_key(text: str) -> str:
    """Lookup key of a reference title, '' when it should not be indexed: an "except ..."
    or "all other" clause is dropped, and a title with an ambiguous abbreviation is skipped."""
    if _AMBIGUOUS_REF.search(text):
        return ""
    return title_key(parse_title(_EXCEPT.sub("", text)).normalised)


class CharCentroidIndex:
    """Feature -> (occupation ids, weights) postings of L2-normalised occupation centroids."""

    def __init__(self, docs: list[list[tuple[str, float]]], doc_occ: np.ndarray, n_occ: int):
        # Occupation-level document frequency -> idf.
        occ_feats: dict[str, set[int]] = defaultdict(set)
        for feats, occ in zip(docs, doc_occ, strict=True):
            for f, _ in feats:
                occ_feats[f].add(int(occ))
        self.idf = {f: math.log((1 + n_occ) / (1 + len(s))) + 1.0 for f, s in occ_feats.items()}
        self.max_idf = math.log(1 + n_occ) + 1.0
        # Centroid = mean of L2-normalised reference vectors, per occupation.
        acc: dict[tuple[int, str], float] = defaultdict(float)
        counts = np.bincount(doc_occ, minlength=n_occ).astype(float)
        for feats, occ in zip(docs, doc_occ, strict=True):
            vec: dict[str, float] = defaultdict(float)
            for f, w in feats:
                vec[f] += w * self.idf[f]
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for f, v in vec.items():
                acc[(int(occ), f)] += v / norm / counts[occ]
        occ_norm = np.zeros(n_occ)
        for (occ, _), v in acc.items():
            occ_norm[occ] += v * v
        occ_norm = np.sqrt(occ_norm)
        occ_norm[occ_norm == 0] = 1.0
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for (occ, f), v in acc.items():
            postings[f].append((occ, v / occ_norm[occ]))
        self.feature_id: dict[str, int] = {}
        ptr = [0]
        occ_ids: list[int] = []
        weights: list[float] = []
        for i, (f, plist) in enumerate(postings.items()):
            self.feature_id[f] = i
            occ_ids.extend(o for o, _ in plist)
            weights.extend(w for _, w in plist)
            ptr.append(len(occ_ids))
        self.ptr = np.asarray(ptr, dtype=np.int64)
        self.occ = np.asarray(occ_ids, dtype=np.int64)
        self.w = np.asarray(weights, dtype=np.float64)
        self.n_occ = n_occ

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
        """Exact state as arrays and string lists (``transforms.array_blob``): rebuilding
        the index from the reference titles takes seconds, loading it milliseconds."""
        names = list(self.feature_id)
        arrays = {
            "chars_idf": np.asarray([self.idf[f] for f in names], dtype=np.float64),
            "chars_ptr": self.ptr,
            "chars_occ": self.occ,
            "chars_w": self.w,
            "chars_shape": np.asarray([self.n_occ], dtype=np.int64),
            "chars_max_idf": np.asarray([self.max_idf], dtype=np.float64),
        }
        return arrays, {"chars_features": names}

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray], strings: dict[str, list[str]]
    ) -> CharCentroidIndex:
        """Inverse of ``to_arrays``."""
        index = cls.__new__(cls)
        names = strings["chars_features"]
        index.feature_id = dict(zip(names, range(len(names)), strict=True))
        index.idf = dict(zip(names, arrays["chars_idf"].tolist(), strict=True))
        index.max_idf = float(arrays["chars_max_idf"][0])
        index.ptr = arrays["chars_ptr"]
        index.occ = arrays["chars_occ"]
        index.w = arrays["chars_w"]
        index.n_occ = int(arrays["chars_shape"][0])
        return index

    def query(self, feats: list[tuple[str, float]]) -> tuple[list[int], list[float]]:
        """Known feature ids and L2-normalised weights (unknown features count in the norm)."""
        ids: list[int] = []
        ws: list[float] = []
        sq = 0.0
        merged: dict[str, float] = defaultdict(float)
        for f, w in feats:
            merged[f] += w
        for f, w in merged.items():
            idf = self.idf.get(f)
            v = w * (idf if idf is not None else self.max_idf)
            sq += v * v
            if idf is not None:
                ids.append(self.feature_id[f])
                ws.append(v)
        norm = math.sqrt(sq) or 1.0
        return ids, [w / norm for w in ws]

    def score(self, queries: list[tuple[list[int], list[float]]]) -> np.ndarray:
        """Cosine of each query with every occupation centroid: (len(queries), n_occ)."""
        lens = [len(q[0]) for q in queries]
        fid = np.fromiter((i for q in queries for i in q[0]), dtype=np.int64, count=sum(lens))
        qw = np.fromiter((w for q in queries for w in q[1]), dtype=np.float64, count=sum(lens))
        return self.score_arrays(fid, qw, np.asarray(lens, dtype=np.int64))

    def score_arrays(self, fid: np.ndarray, qw: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """``score`` on flattened queries: feature ids, weights and per-query lengths."""
        n = len(lens)
        row = np.repeat(np.arange(n, dtype=np.int64), lens)
        starts = self.ptr[fid]
        plen = self.ptr[fid + 1] - starts
        total = int(plen.sum())
        if total == 0:
            return np.zeros((n, self.n_occ))
        # Concatenate the postings ranges without a Python loop.
        offs = np.repeat(starts - np.cumsum(plen) + plen, plen) + np.arange(total)
        keys = np.repeat(row, plen) * self.n_occ + self.occ[offs]
        vals = np.repeat(qw, plen) * self.w[offs]
        out = np.bincount(keys, weights=vals, minlength=n * self.n_occ)
        return out.reshape(n, self.n_occ)
