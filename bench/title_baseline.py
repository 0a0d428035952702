"""The title benchmark's baseline (scripts/eval_titles.py): character 3-gram TF-IDF,
1-nearest reference title. No normalisation, no domain knowledge: what any title
classifier should beat."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np


class CharNgramNN:
    """Baseline: TF-IDF over character 3-grams of the lowercased raw title, 1-nearest
    reference title by cosine. No normalisation, no domain knowledge."""

    def __init__(self, texts: list[str], codes: list[str]) -> None:
        self.codes = codes
        grams = [self._grams(t) for t in texts]
        df: dict[str, int] = defaultdict(int)
        for g in grams:
            for k in g:
                df[k] += 1
        n = len(texts)
        self.idf = {k: math.log((1 + n) / (1 + v)) + 1 for k, v in df.items()}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, g in enumerate(grams):
            vec = {k: c * self.idf[k] for k, c in g.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for k, v in vec.items():
                postings[k].append((i, v / norm))
        self.fid = {k: j for j, k in enumerate(postings)}
        ptr = [0]
        docs: list[int] = []
        ws: list[float] = []
        for plist in postings.values():
            docs.extend(d for d, _ in plist)
            ws.extend(w for _, w in plist)
            ptr.append(len(docs))
        self.ptr = np.asarray(ptr, dtype=np.int64)
        self.doc = np.asarray(docs, dtype=np.int64)
        self.w = np.asarray(ws)
        self.n = n

    @staticmethod
    def _grams(text: str) -> dict[str, int]:
        s = f" {text.lower()} "
        out: dict[str, int] = defaultdict(int)
        for i in range(len(s) - 2):
            out[s[i : i + 3]] += 1
        return out

    def predict(self, titles: list[str], chunk: int = 64) -> list[str | None]:
        out: list[str | None] = []
        for start in range(0, len(titles), chunk):
            part = titles[start : start + chunk]
            fids, qws, rows = [], [], []
            for r, t in enumerate(part):
                g = self._grams(t)
                vec = {k: c * self.idf[k] for k, c in g.items() if k in self.idf}
                norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
                for k, v in vec.items():
                    fids.append(self.fid[k])
                    qws.append(v / norm)
                    rows.append(r)
            fid = np.asarray(fids, dtype=np.int64)
            starts = self.ptr[fid]
            plen = self.ptr[fid + 1] - starts
            total = int(plen.sum())
            offs = np.repeat(starts - np.cumsum(plen) + plen, plen) + np.arange(total)
            keys = np.repeat(np.asarray(rows, dtype=np.int64), plen) * self.n + self.doc[offs]
            vals = np.repeat(np.asarray(qws), plen) * self.w[offs]
            scores = np.bincount(keys, weights=vals, minlength=len(part) * self.n)
            scores = scores.reshape(len(part), self.n)
            best = scores.argmax(axis=1)
            for r, b in enumerate(best):
                out.append(self.codes[b] if scores[r, b] > 0 else None)
        return out
