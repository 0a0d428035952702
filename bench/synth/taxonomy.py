"""The sampling tables, built once per mirror from the real taxonomies.

* **Cells** are (SOC occupation, NAICS sector) pairs from the OEWS sector file, with OEWS
  employment and wage percentiles. OEWS's cross-ownership government code '99' is written
  as NAICS 92 (Public Administration): a posting carries its employer's NAICS, and 99 is
  not a NAICS 2022 sector.
* **Title pool** per SOC: the O*NET occupation title, reported titles and up to
  ``MAX_ALTERNATES`` alternate titles, plus the role catalogue's aliases (attached to the
  role's first SOC), each with its truth role (the catalogue applied to the *clean* title
  with the *true* SOC).
* **Sector spellings**: the NAICS codes and industry texts a row may carry for its sector.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from bench.synth.config import ALIAS_SHARE, MAX_ALTERNATES, Taxonomy
from outlook.config import EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE, ROLES_FILE
from transforms.industry import IndustryResolver
from transforms.oews import read_oews_industry_zip
from transforms.onet import read_onet_archive
from transforms.roles import load_roles
from transforms.taxonomy import naics_sector
from transforms.titles import normalise_title

_QUALIFIER = r"(?i),?\s*(?:except|all other)\b.*$"


def _latest(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if not found:
        raise FileNotFoundError(f"no {pattern} under {folder}")
    return found[-1]


def _role_aliases(path: Path) -> list[tuple[str, str]]:
    """(alias, first SOC code) for every role alias in the catalogue file."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for spec in doc.get("roles", []):
        socs = [str(c)[:7] for c in spec.get("soc_codes", [])]
        if socs:
            out.extend((str(a), socs[0]) for a in spec.get("aliases", []) or [])
    return out


def _fill_wages(oews: pd.DataFrame) -> np.ndarray:
    """Annual p10..p90 per row, (n, 5), with top-coded ('#') and hourly-only gaps filled so
    every row with any wage has five increasing knots (NaN rows have no wage at all)."""

    def knots(prefix: str) -> np.ndarray:
        names = [f"{prefix}_pct10", f"{prefix}_pct25", f"{prefix}_median", f"{prefix}_pct75",
                 f"{prefix}_pct90"]  # fmt: skip
        return np.column_stack(
            [oews[c].astype("Float64").to_numpy(dtype=float, na_value=np.nan) for c in names]
        )

    a = knots("a")
    a = np.where(np.isnan(a), knots("h") * 2080, a)
    # Fill upward (top-coded upper percentiles), then downward.
    for i in range(1, 5):
        a[:, i] = np.where(np.isnan(a[:, i]), a[:, i - 1] * 1.2, a[:, i])
    for i in range(3, -1, -1):
        a[:, i] = np.where(np.isnan(a[:, i]), a[:, i + 1] / 1.2, a[:, i])
    return np.fmax.accumulate(a, axis=1)


def load_taxonomy(mirror: Path | str, roles_path: Path | str | None = None) -> Taxonomy:
    """Read the newest O*NET text archive and OEWS sector file under ``mirror`` (laid out as
    ``mirror/<host>/<path>``) and the role catalogue, into sampling tables."""
    mirror = Path(mirror)
    roles_file = Path(roles_path) if roles_path else ROLES_FILE
    onet_zip = _latest(mirror / "www.onetcenter.org/dl_files/database", "db_*_text.zip")
    oews_zip = _latest(mirror / "www.bls.gov/oes/special-requests", "oesm*in4.zip")
    oews = read_oews_industry_zip(oews_zip)
    oews = oews[
        (oews["i_group"] == "sector")
        & (oews["o_group"] == "detailed")
        & oews["tot_emp"].notna()
        & (oews["tot_emp"] > 0)
    ].copy()
    oews["sector"] = oews["naics_code"].map(naics_sector).replace({"99": "92"})
    oews = oews[oews["sector"].notna()]
    # 99 -> 92 can merge two rows of one SOC: keep the larger (its wages).
    oews = oews.sort_values(["soc_code", "sector", "tot_emp"], ascending=[True, True, False])
    oews = oews.drop_duplicates(["soc_code", "sector"]).reset_index(drop=True)
    wages = _fill_wages(oews)

    frames = read_onet_archive(onet_zip)
    rng = np.random.default_rng(20_240_501)  # fixed: the pool is part of the taxonomy
    parts = [
        # Occupation titles are plural category names ("Registered Nurses"): real postings
        # use them less than the singular reported and alternate titles.
        frames["occupation_data"][["onet_soc_code", "title"]].assign(weight=1.0),
    ]
    rep = frames.get("reported_titles")
    if rep is not None:
        parts.append(
            rep[["onet_soc_code", "reported_title"]]
            .rename(columns={"reported_title": "title"})
            .assign(weight=3.0)
        )
    alt = frames["alternate_titles"][["onet_soc_code", "alternate_title"]].rename(
        columns={"alternate_title": "title"}
    )
    alt = alt.assign(_r=rng.random(len(alt))).sort_values(["onet_soc_code", "_r"])
    alt = alt.groupby("onet_soc_code", sort=False).head(MAX_ALTERNATES).drop(columns="_r")
    parts.append(alt.assign(weight=1.0))
    pool = pd.concat(parts, ignore_index=True).dropna(subset=["title"])
    pool["soc"] = pool["onet_soc_code"].astype(str).str[:7]
    # "..., Except Legal, Medical, and Executive" and "..., All Other" are taxonomy
    # qualifiers, not words a job board would print.
    pool["title"] = pool["title"].astype(str).str.replace(_QUALIFIER, "", regex=True).str.strip()
    pool = pool[pool["title"] != ""]
    socs = sorted(set(oews["soc_code"].astype(str)))
    pool = pool[pool["soc"].isin(socs)][["soc", "title", "weight"]]
    # OEWS occupations O*NET does not cover get their OEWS title.
    missing = sorted(set(socs) - set(pool["soc"]))
    if missing:
        titles = oews.drop_duplicates("soc_code").set_index("soc_code")["occ_title"]
        pool = pd.concat(
            [
                pool,
                pd.DataFrame(
                    {
                        "soc": missing,
                        "title": titles[missing].str.replace(_QUALIFIER, "", regex=True).values,
                        "weight": 3.0,
                    }
                ),
            ],
            ignore_index=True,
        )
    pool = pool.groupby(["soc", "title"], as_index=False)["weight"].max()
    aliases = pd.DataFrame(_role_aliases(roles_file), columns=["title", "soc"])
    aliases = aliases[aliases["soc"].isin(socs)]
    if len(aliases):
        soc_weight = pool.groupby("soc")["weight"].sum()
        n_alias = aliases.groupby("soc")["title"].transform("size")
        aliases["weight"] = ALIAS_SHARE * aliases["soc"].map(soc_weight).to_numpy() / n_alias
        pool = pd.concat([pool, aliases], ignore_index=True)
        pool = pool.groupby(["soc", "title"], as_index=False)["weight"].sum()

    catalogue = load_roles(roles_file)
    pool["norm"] = [normalise_title(t) for t in pool["title"]]
    pool = pool[pool["norm"] != ""].sort_values(["soc", "title"]).reset_index(drop=True)
    matches = [catalogue.match(n, s) for n, s in zip(pool["norm"], pool["soc"], strict=True)]
    pool_role = np.array([m.role if m else None for m in matches], dtype=object)
    pool_slug = np.array([m.slug if m else None for m in matches], dtype=object)
    norm_id = pd.factorize(pool["norm"])[0].astype(np.int64)
    soc_index = {s: i for i, s in enumerate(socs)}
    pool_soc_idx = pool["soc"].map(soc_index).to_numpy()
    pool_count = np.bincount(pool_soc_idx, minlength=len(socs))
    pool_start = np.concatenate([[0], np.cumsum(pool_count)[:-1]])

    sectors = sorted(oews["sector"].unique())
    resolver = IndustryResolver(EMPLOYER_NAICS_TABLE, NAICS_SECTORS_TABLE)
    sector_codes: dict[str, list[str]] = {}
    sector_texts: dict[str, list[str]] = {}
    keywords = _sector_keywords()
    for sector in sectors:
        if "-" in sector:
            lo, hi = (int(x) for x in sector.split("-"))
            sector_codes[sector] = [sector] + [str(c) for c in range(lo, hi + 1)]
        else:
            sector_codes[sector] = [sector]
        # Only texts that the documented resolver maps to this sector: an ambiguous text is
        # not a fair test of the pipeline, it is noise in the truth.
        candidates = [resolver.sectors.get(sector, "")] + keywords.get(sector, [])
        texts = []
        for text in candidates:
            if not text:
                continue
            code, *_ = resolver.resolve(None, None, text)
            if code is not None and naics_sector(code) == sector:
                texts.append(text if text[0].isupper() else text.title())
        sector_texts[sector] = texts

    return Taxonomy(
        cell_soc=oews["soc_code"].astype(str).to_numpy(dtype=object),
        cell_sector=oews["sector"].astype(str).to_numpy(dtype=object),
        cell_emp=oews["tot_emp"].astype(float).to_numpy(),
        cell_wages=wages,
        cell_hourly_only=oews["hourly_only"].astype(bool).to_numpy(),
        socs=socs,
        pool_title=pool["title"].to_numpy(dtype=object),
        pool_weight=pool["weight"].to_numpy(dtype=float),
        pool_norm_id=norm_id,
        pool_role=pool_role,
        pool_role_slug=pool_slug,
        pool_start=pool_start,
        pool_count=pool_count,
        sectors=sectors,
        sector_codes=sector_codes,
        sector_texts=sector_texts,
        sources={
            "onet": str(onet_zip),
            "oews": str(oews_zip),
            "roles": str(roles_file),
        },
    )


def _sector_keywords() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with open(NAICS_SECTORS_TABLE, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            words = [w.strip() for w in (row.get("keywords") or "").split("|") if w.strip()]
            out[row["code"].strip()] = words[:6]
    return out
