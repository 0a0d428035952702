"""Truth tables: what the pipeline should find in a drop."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bench.synth.config import Taxonomy

KINDS = ["original", "repost", "cross_source", "malformed"]


def truth_rows(
    tax: Taxonomy,
    source_id: np.ndarray,
    kind: np.ndarray,
    group_id: np.ndarray,
    cell: np.ndarray,
    title: np.ndarray,
    day: np.ndarray,
    salary: dict[str, object],
    malformed_reason: np.ndarray,
) -> pd.DataFrame:
    """One row per data row in file order: kind, duplicate group (the row number of the
    group's original), truth role, sector, SOC, clean title, month and true annual salary
    range (none for malformed rows)."""
    n = len(kind)
    month_of = (day.astype("datetime64[D]")).astype("datetime64[M]")
    rows = pd.DataFrame(
        {
            "row_number": np.arange(1, n + 1),
            "source_id": source_id,
            "kind": pd.Categorical.from_codes(kind, KINDS),
            "duplicate_group_id": pd.array(np.where(group_id < 0, pd.NA, group_id), "Int64"),
            "is_canonical": kind == 0,
            "role": pd.array(tax.pool_role[title], dtype="string"),
            "role_slug": pd.array(tax.pool_role_slug[title], dtype="string"),
            "naics_sector": pd.array(tax.cell_sector[cell], dtype="string"),
            "soc_code": pd.array(tax.cell_soc[cell], dtype="string"),
            "clean_title": pd.array(tax.pool_title[title], dtype="string"),
            "month": month_of.astype("datetime64[s]"),
            "truth_annual_min": salary["truth_annual_min"],
            "truth_annual_max": salary["truth_annual_max"],
            "malformed_reason": pd.array(
                np.where(malformed_reason == "", None, malformed_reason), "string"
            ),
        }
    )
    for col in ("truth_annual_min", "truth_annual_max"):
        rows.loc[kind == 3, col] = np.nan
    return rows


def truth_monthly(rows: pd.DataFrame) -> pd.DataFrame:
    """Unique postings (canonical rows) per role, sector and month, with the rows
    duplicates included beside them."""
    canon = rows[rows["is_canonical"] & rows["role"].notna()]
    monthly = (
        canon.groupby(["role", "role_slug", "naics_sector", "month"], observed=True)
        .size()
        .rename("unique_postings")
        .reset_index()
    )
    all_rows = (
        rows[(rows["kind"] != "malformed") & rows["role"].notna()]
        .groupby(["role", "naics_sector", "month"], observed=True)
        .size()
        .rename("rows_with_duplicates")
        .reset_index()
    )
    monthly = monthly.merge(all_rows, on=["role", "naics_sector", "month"], how="left")
    monthly["month"] = monthly["month"].dt.strftime("%Y-%m-01")
    return monthly.sort_values(["role", "naics_sector", "month"]).reset_index(drop=True)


def truth_yoy(monthly: pd.DataFrame, months: np.ndarray) -> pd.DataFrame:
    """Last 12 months vs the 12 before, per (role, sector), from true unique postings."""
    cols = ["role", "naics_sector", "prev_12m", "last_12m", "yoy_pct"]
    if len(months) < 24:
        return pd.DataFrame(columns=cols)
    last = {str(m) + "-01" for m in months[-12:]}
    prev = {str(m) + "-01" for m in months[-24:-12]}
    frame = monthly.assign(
        window=np.where(
            monthly["month"].isin(last),
            "last_12m",
            np.where(monthly["month"].isin(prev), "prev_12m", ""),
        )
    )
    frame = frame[frame["window"] != ""]
    wide = frame.pivot_table(
        index=["role", "naics_sector"], columns="window", values="unique_postings",
        aggfunc="sum", fill_value=0,
    ).reset_index()  # fmt: skip
    for c in ("prev_12m", "last_12m"):
        if c not in wide:
            wide[c] = 0
    wide["yoy_pct"] = np.where(
        wide["prev_12m"] > 0,
        100.0 * (wide["last_12m"] / wide["prev_12m"].clip(lower=1) - 1),
        np.nan,
    )
    return wide[cols].sort_values(["role", "naics_sector"]).reset_index(drop=True)
