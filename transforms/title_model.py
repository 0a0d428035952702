"""Linear title models learned from the O*NET reference titles (one-vs-rest linear SVMs).

Two models score a stemmed title key (see ``transforms.classify``):

* **occupation**: one class per O*NET-SOC occupation over word features (unigrams,
  adjacent bigrams and the head noun). A nearest-title / centroid scorer ranks by
  similarity to *any* reference title; a discriminative model learns which words separate
  occupations ("cutter" says little, "meat" a lot), which is what unseen titles need.
* **major group**: one class per SOC major group ("29" healthcare practitioners, ...)
  over the same word features plus character 2-5-grams of each word, so unknown words
  ("corker", "moldmaker") still lean towards the right family of occupations.

Building the classifier with its fit (scikit-learn's ``LinearSVC``) took 128 s on the full
O*NET lists on 2 cores, so fitted
weights can be written to a long frame (``to_frame``) and read back (``from_frame``);
the warehouse keeps them keyed by classifier version. Scoring needs no scikit-learn:
weights are a sparse (features x classes) matrix with small weights pruned, and a batch
is scored with one sparse product of its TF-IDF rows.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, vstack

__all__ = ["LinearTitleModel", "char_features", "word_features"]

# Weights smaller than this are dropped from the postings: measured on the held-out
# O*NET titles, pruning at 0.02 keeps accuracy within 0.1 pt and cuts memory ~10x.
PRUNE = 0.02
# Regularisation of the SVMs (chosen on held-out O*NET titles; 0.2-1.0 are within 1 pt).
SVM_C = 0.5
INTERCEPT = "__intercept__"
IDF = "__idf__"


@lru_cache(maxsize=200_000)
def word_features(key: str) -> tuple[str, ...]:
    """Unigrams, adjacent bigrams and the head noun of a stemmed title key (cached: both
    models featurise every key).

    The head is the word before the first "of" ("director of nursing"), else the last.
    """
    tokens = key.split()
    if not tokens:
        return ()
    head = tokens[tokens.index("of", 1) - 1] if "of" in tokens[1:] else None
    tokens = [t for t in tokens if t != "of"]
    if not tokens:
        return ()
    feats = ["u:" + t for t in tokens]
    feats += [f"b:{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    feats.append("h:" + (head or tokens[-1]))
    return tuple(feats)


def char_features(key: str) -> list[str]:
    """Character 2- to 5-grams inside each word padded with spaces (" cork", "ker ")."""
    out: list[str] = []
    for word in key.split():
        out.extend(_word_grams(word))
    return out


@lru_cache(maxsize=100_000)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    n = len(padded)
    return tuple("c:" + padded[i : i + size] for size in range(2, 6) for i in range(n - size + 1))


def _word_and_char(key: str) -> list[str]:
    return [*word_features(key), *char_features(key)]


FEATURIZERS: dict[str, Callable[[str], Sequence[str]]] = {
    "word": word_features,
    "word+char": _word_and_char,
}


def _fit_binary(x: csr_matrix, positive: np.ndarray) -> tuple[csr_matrix, float]:
    """Linear SVM of one class against the rest: its weights as a sparse row (those under
    ``PRUNE`` dropped) and its intercept."""
    from sklearn.svm import LinearSVC

    svm = LinearSVC(C=SVM_C, random_state=0).fit(x, positive.astype(np.int8))
    row = np.asarray(svm.coef_, dtype=np.float64).reshape(1, -1)
    row[np.abs(row) < PRUNE] = 0.0
    return csr_matrix(row), float(svm.intercept_[0])


# The design matrix and labels of the fit in progress, in a worker process.
_WORKER_DATA: tuple[csr_matrix, np.ndarray] | None = None


def _worker_init(x: csr_matrix, y: np.ndarray) -> None:
    global _WORKER_DATA
    _WORKER_DATA = (x, y)


def _fit_class(k: int) -> tuple[csr_matrix, float]:
    assert _WORKER_DATA is not None, "_worker_init runs first"
    x, y = _WORKER_DATA
    return _fit_binary(x, y == k)


def _fit_in_processes(
    x: csr_matrix, y: np.ndarray, n_classes: int, workers: int
) -> list[tuple[csr_matrix, float]]:
    """``_fit_binary`` for every class on ``workers`` processes, results in class order.

    Spawned, not forked: the caller may run threads (Prefect, DuckDB) that a fork would
    copy mid-operation. The matrix goes to each worker once, not once per class."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    workers = min(workers, n_classes)
    # Several classes per task (fewer round trips), small enough to balance the load.
    chunk = max(1, n_classes // (workers * 8))
    with ProcessPoolExecutor(workers, context, initializer=_worker_init, initargs=(x, y)) as pool:
        return list(pool.map(_fit_class, range(n_classes), chunksize=chunk))


# Largest weight matrix (features x classes) kept dense as well for scoring: 2.3M for the
# major-group model (18 MB); the occupation model's 58M stay sparse.
DENSE_WEIGHTS_MAX = 4_000_000


class LinearTitleModel:
    """One-vs-rest linear scores over TF-IDF features of a title key."""

    def __init__(
        self,
        featurizer: str,
        classes: Sequence[str],
        idf: dict[str, float],
        weights: csr_matrix,
        intercept: np.ndarray,
    ) -> None:
        """``weights``: (len(idf), len(classes)) sparse, rows in ``idf`` order."""
        self.featurizer = featurizer
        self._chars = featurizer == "word+char"
        self.classes = list(classes)
        self.vocab = {f: i for i, f in enumerate(idf)}
        self.idf = np.fromiter(idf.values(), dtype=np.float64, count=len(idf))
        self.weights = weights.tocsr()
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self._word_ids: dict[str, list[int]] = {}
        self._dense: tuple[csr_matrix, np.ndarray] | None = None

    # -- fitting -----------------------------------------------------------------------
    @classmethod
    def fit(
        cls, keys: Sequence[str], labels: Sequence[str], featurizer: str, *, workers: int = 1
    ) -> LinearTitleModel:
        """Fit on stemmed title keys and their class labels: one binary SVM per class, one
        after another, or spread over ``workers`` processes (the same weights either way)."""
        featurize = FEATURIZERS[featurizer]
        df: Counter[str] = Counter()
        for key in keys:
            # dict, not set: a set's order follows the per-process string hash, so the
            # features were numbered differently in every process (measured on the real
            # lists: 1,463,646 vs 1,463,652 saved rows under two hash seeds)
            df.update(list(dict.fromkeys(featurize(key))))
        n = len(keys)
        idf = {f: math.log((1 + n) / (1 + c)) + 1.0 for f, c in df.items()}
        classes = sorted(set(labels))
        if len(classes) < 2:
            raise ValueError(f"a title model needs at least two classes, got {classes}")
        empty = csr_matrix((len(idf), len(classes)))
        model = cls(featurizer, classes, idf, empty, np.zeros(len(classes)))
        x = model.features(keys)
        y = np.searchsorted(np.asarray(classes), np.asarray(labels))
        # One binary SVM per class, each pruned as it comes: no dense (classes x features)
        # matrix or label matrix (each ~450 MB on the full O*NET lists) is ever held.
        # Not on threads: liblinear draws its coordinate order from the C library's global
        # rand(), seeded per fit, so parallel fits interleave one random stream (with the
        # feature order fixed, two processes still saved 1,463,644 vs 1,463,648 rows).
        # Worker processes each have their own rand(), seeded at the start of every fit,
        # so a class fitted in a worker gets the weights it gets here, bit for bit.
        if workers > 1 and len(classes) > 1:
            fitted = _fit_in_processes(x, y, len(classes), workers)
        else:
            fitted = [_fit_binary(x, y == k) for k in range(len(classes))]
        model.weights = vstack([row for row, _ in fitted]).T.tocsr()
        model.intercept = np.array([b for _, b in fitted], dtype=np.float64)
        return model

    # -- scoring -----------------------------------------------------------------------
    def _ids(self, key: str) -> list[int]:
        """Vocabulary ids of a key's features (unseen features have no column: dropped)."""
        vocab = self.vocab
        ids = [i for i in map(vocab.get, word_features(key)) if i is not None]
        if self._chars:
            cache = self._word_ids
            if len(cache) > 200_000:  # bounded memory on streams of novel words
                cache.clear()
            for word in key.split():
                known = cache.get(word)
                if known is None:
                    known = [i for i in map(vocab.get, _word_grams(word)) if i is not None]
                    cache[word] = known
                ids.extend(known)
        return ids

    def clear_caches(self) -> None:
        """Forget cached feature ids (and the shared feature-name caches): a cold start."""
        self._word_ids.clear()
        word_features.cache_clear()
        _word_grams.cache_clear()

    def features(self, keys: Sequence[str]) -> csr_matrix:
        """L2-normalised sublinear TF-IDF rows, (len(keys), len(vocabulary))."""
        lists = [self._ids(k) for k in keys]
        n, v = len(lists), len(self.vocab)
        lens = np.fromiter(map(len, lists), dtype=np.int64, count=n)
        ids = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(lens.sum()))
        rows = np.repeat(np.arange(n, dtype=np.int64), lens)
        # Sorted unique (row, feature) pairs with their counts: CSR order.
        pairs, counts = np.unique(rows * v + ids, return_counts=True)
        row, col = pairs // v, pairs % v
        vals = (1.0 + np.log(counts)) * self.idf[col]
        norm = np.sqrt(np.bincount(row, weights=vals * vals, minlength=n))
        vals /= np.where(norm > 0, norm, 1.0)[row]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=n), out=indptr[1:])
        return csr_matrix((vals, col, indptr), shape=(n, v))

    def decision(self, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Decision values, (len(keys), n_classes), higher is more likely; and how many
        of each key's features the model knows (0: the scores are intercepts only)."""
        x = self.features(keys)
        return self._product(x) + self.intercept, np.diff(x.indptr)

    def _product(self, x: csr_matrix) -> np.ndarray:
        """``x @ weights`` as a dense array. Few classes (the major groups): against a dense
        copy of the weights, 2.5x faster than sparse x sparse and the same sums (the same
        terms in the same order; the pruned weights add zeros)."""
        w = self.weights
        if w.shape[0] * w.shape[1] > DENSE_WEIGHTS_MAX:
            return (x @ w).toarray()
        if self._dense is None or self._dense[0] is not w:
            self._dense = (w, w.toarray())
        return x @ self._dense[1]

    # -- persistence -------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """Long frame (featurizer, feature, target, value): idf rows have target ``IDF``,
        intercepts feature ``INTERCEPT``, weights the class label as target."""
        names = np.asarray(list(self.vocab), dtype=object)
        coo = self.weights.tocoo()
        frames = [
            pd.DataFrame({"feature": names, "target": IDF, "value": self.idf}),
            pd.DataFrame({"feature": INTERCEPT, "target": self.classes, "value": self.intercept}),
            pd.DataFrame(
                {
                    "feature": names[coo.row],
                    "target": np.asarray(self.classes, dtype=object)[coo.col],
                    "value": coo.data,
                }
            ),
        ]
        out = pd.concat(frames, ignore_index=True)
        out.insert(0, "featurizer", self.featurizer)
        return out

    def to_arrays(self, prefix: str) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
        """Exact state as arrays and string lists (names start with ``prefix``), for
        ``transforms.array_blob``: loads ~10x faster than ``from_frame``, which looks up
        every weight's feature and class by name."""
        w = self.weights.tocsr()
        arrays = {
            prefix + "idf": self.idf,
            prefix + "intercept": self.intercept,
            prefix + "w_data": w.data,
            prefix + "w_indices": w.indices,
            prefix + "w_indptr": w.indptr,
        }
        strings = {
            prefix + "featurizer": [self.featurizer],
            prefix + "classes": self.classes,
            prefix + "vocab": list(self.vocab),
        }
        return arrays, strings

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray], strings: dict[str, list[str]], prefix: str
    ) -> LinearTitleModel:
        """Inverse of ``to_arrays``."""
        vocab = strings[prefix + "vocab"]
        classes = strings[prefix + "classes"]
        weights = csr_matrix(
            (arrays[prefix + "w_data"], arrays[prefix + "w_indices"], arrays[prefix + "w_indptr"]),
            shape=(len(vocab), len(classes)),
        )
        model = cls(
            strings[prefix + "featurizer"][0], classes, {}, weights, arrays[prefix + "intercept"]
        )
        model.vocab = dict(zip(vocab, range(len(vocab)), strict=True))
        model.idf = arrays[prefix + "idf"]
        return model

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> LinearTitleModel:
        """Inverse of ``to_frame``."""
        featurizer = str(frame["featurizer"].iloc[0])
        target = frame["target"].astype(str).to_numpy()
        feature = frame["feature"].astype(str).to_numpy()
        value = frame["value"].to_numpy(dtype=np.float64)
        is_idf = target == IDF
        is_icpt = (feature == INTERCEPT) & ~is_idf
        idf = dict(zip(feature[is_idf].tolist(), value[is_idf].tolist(), strict=True))
        order = np.argsort(target[is_icpt], kind="stable")  # fit sorts its classes
        classes = target[is_icpt][order].tolist()
        vocab = {f: i for i, f in enumerate(idf)}
        class_id = {c: i for i, c in enumerate(classes)}
        rest = ~is_idf & ~is_icpt
        rows = np.fromiter((vocab[f] for f in feature[rest]), dtype=np.int64)
        cols = np.fromiter((class_id[t] for t in target[rest]), dtype=np.int64)
        weights = csr_matrix((value[rest], (rows, cols)), shape=(len(idf), len(classes)))
        return cls(featurizer, classes, idf, weights, value[is_icpt][order])
