"""Everything ``transforms.classify.TitleClassifier`` derives from the reference titles,
and its saved form.

Deriving it is slow (a key for each of ~67k reference titles, the character centroid
index, and the model fit or the read of the saved model frame: 10-30 s), while the
classifier itself only needs the result. ``ClassifierState`` is that result;
``to_blob``/``from_blob`` turn it into one byte string the warehouse keeps per classifier
version, so a reader such as ``outlook classify`` loads it in a fraction of a second.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from transforms.array_blob import pack, unpack
from transforms.title_index import CharCentroidIndex, char_features, reference_key
from transforms.title_model import LinearTitleModel

__all__ = ["ClassifierState", "build_state", "from_blob", "to_blob"]

# Bump when the blob's layout changes (a blob of another format is rebuilt, not misread).
STATE_FORMAT = 1


@dataclass(frozen=True)
class ClassifierState:
    """Occupations (codes and titles, in column order), the exact-title map (stemmed key
    -> [(occupation column, reference count)], most common first), the character
    centroid index and the two linear models."""

    codes: list[str]
    occ_titles: list[str]
    exact: dict[str, list[tuple[int, int]]]
    chars: CharCentroidIndex
    occupation_model: LinearTitleModel
    major_model: LinearTitleModel
    n_references: int


def build_state(
    references: pd.DataFrame,
    occupations: pd.DataFrame,
    models: pd.DataFrame | None,
    fit_workers: int = 1,
) -> ClassifierState:
    """From reference titles (columns text, onet_soc_code) and occupations (onet_soc_code,
    title); ``models``: a saved models frame (``TitleClassifier.models_frame``) of the same
    references, or None to fit them on ``fit_workers`` processes (same weights for any
    number)."""
    occ = occupations.drop_duplicates("onet_soc_code").reset_index(drop=True)
    codes = occ["onet_soc_code"].astype(str).tolist()
    code_index = {c: i for i, c in enumerate(codes)}
    exact: dict[str, Counter[int]] = defaultdict(Counter)
    keys: list[str] = []
    char_docs: list[list[tuple[str, float]]] = []
    doc_occ: list[int] = []
    seen: set[tuple[str, int]] = set()
    for text, code in zip(references["text"], references["onet_soc_code"], strict=True):
        oi = code_index.get(str(code))
        if oi is None or not isinstance(text, str):
            continue
        key = reference_key(text)
        if not key:
            continue
        exact[key][oi] += 1
        if (key, oi) in seen:
            continue
        seen.add((key, oi))
        keys.append(key)
        char_docs.append(char_features(key))
        doc_occ.append(oi)
    chars = CharCentroidIndex(char_docs, np.asarray(doc_occ, dtype=np.int64), len(codes))
    if models is None:
        labels = [codes[o] for o in doc_occ]
        occupation = LinearTitleModel.fit(keys, labels, "word", workers=fit_workers)
        majors = [c[:2] for c in labels]
        major = LinearTitleModel.fit(keys, majors, "word+char", workers=fit_workers)
    else:
        parts = dict(tuple(models.groupby("model", sort=False)))
        occupation = LinearTitleModel.from_frame(parts["occupation"])
        major = LinearTitleModel.from_frame(parts["major"])
    return ClassifierState(
        codes=codes,
        occ_titles=occ["title"].astype(str).tolist(),
        exact={k: v.most_common() for k, v in exact.items()},
        chars=chars,
        occupation_model=occupation,
        major_model=major,
        n_references=len(keys),
    )


def to_blob(state: ClassifierState) -> bytes:
    """The state as one byte string (``transforms.array_blob``), bit-exact."""
    lens = np.fromiter(map(len, state.exact.values()), dtype=np.int64, count=len(state.exact))
    pairs = [pair for hits in state.exact.values() for pair in hits]
    arrays: dict[str, np.ndarray] = {
        "format": np.asarray([STATE_FORMAT, state.n_references], dtype=np.int64),
        "exact_lens": lens,
        "exact_occ": np.asarray([o for o, _ in pairs], dtype=np.int64),
        "exact_count": np.asarray([n for _, n in pairs], dtype=np.int64),
    }
    strings: dict[str, list[str]] = {
        "codes": state.codes,
        "occ_titles": state.occ_titles,
        "exact_keys": list(state.exact),
    }
    for part_arrays, part_strings in (
        state.chars.to_arrays(),
        state.occupation_model.to_arrays("occupation_"),
        state.major_model.to_arrays("major_"),
    ):
        arrays.update(part_arrays)
        strings.update(part_strings)
    return pack(arrays, strings)


def from_blob(blob: bytes) -> ClassifierState | None:
    """Inverse of ``to_blob``; None for a blob of another ``STATE_FORMAT``."""
    arrays, strings = unpack(blob)
    fmt, n_references = arrays["format"].tolist()
    if fmt != STATE_FORMAT:
        return None
    ends = np.cumsum(arrays["exact_lens"]).tolist()
    pairs = list(zip(arrays["exact_occ"].tolist(), arrays["exact_count"].tolist(), strict=True))
    exact = {
        key: pairs[start:end]
        for key, start, end in zip(strings["exact_keys"], [0, *ends][:-1], ends, strict=True)
    }
    return ClassifierState(
        codes=strings["codes"],
        occ_titles=strings["occ_titles"],
        exact=exact,
        chars=CharCentroidIndex.from_arrays(arrays, strings),
        occupation_model=LinearTitleModel.from_arrays(arrays, strings, "occupation_"),
        major_model=LinearTitleModel.from_arrays(arrays, strings, "major_"),
        n_references=int(n_references),
    )
