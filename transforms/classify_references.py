"""The reference titles ``transforms.classify.TitleClassifier`` learns from, out of the
O*NET frames (``transforms.onet.read_onet_archive``) and the BLS SOC direct-match titles."""

from __future__ import annotations

import pandas as pd

__all__ = ["reference_titles", "technology_names"]


def reference_titles(
    frames: dict[str, pd.DataFrame], soc_direct_match: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(references: columns text, onet_soc_code; occupations: onet_soc_code, title).

    References are the occupation titles, alternate and short titles, reported titles and
    ``soc_direct_match`` (columns soc_code 'NN-NNNN', title; each attached to the O*NET
    occupation '<soc_code>.00', or the first one with that SOC).
    """
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
    return refs, occ


def technology_names(technology_skills: pd.DataFrame) -> list[str]:
    """The distinct example names of O*NET Technology Skills rows (column ``example``)."""
    return sorted(technology_skills["example"].dropna().astype(str).unique())
