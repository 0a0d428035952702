"""Accuracy of the pipeline against the generator's truth.

    python bench/accuracy.py WAREHOUSE.duckdb TRUTH_DIR DATA_FILE_NAME

* trend recovery: YoY change (last 12 months vs the 12 before) of new (canonical) postings
  per (role, sector) from marts.role_industry_monthly vs truth_yoy.csv; MAE in percentage
  points over the (role, sector) cells with >= MIN_CELL true postings in each window (small
  cells' YoY is dominated by a handful of postings in both truth and result).
* dedup: pairwise precision and recall of marts.fct_postings duplicate_group_id against the
  true duplicate groups (truth_rows.parquet), for the rows of DATA_FILE_NAME; plus the share
  of true groups reproduced exactly.
* role assignment: share of rows whose role equals the truth role (NULL = no role).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

MIN_CELL = 100


def _pairs(counts: pd.Series) -> float:
    n = counts.to_numpy(dtype=float)
    return float((n * (n - 1) / 2).sum())


def trend(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict[str, object]:
    truth = pd.read_csv(truth_dir / "truth_yoy.csv", dtype={"naics_sector": str})
    summary = json.loads((truth_dir / "truth.json").read_text())
    last = pd.Period(summary["last_month"], "M")
    months = pd.period_range(last - 23, last, freq="M")
    try:
        got = con.execute(
            """select role, industry_sector as naics_sector, month, new_postings
            from marts.role_industry_monthly
            where industry_sector not in ('all', 'unknown')"""
        ).df()
    except duckdb.Error as exc:
        return {"error": f"marts.role_industry_monthly: {str(exc)[:160]}"}
    got["period"] = pd.to_datetime(got["month"]).dt.to_period("M")
    got = got[got["period"].isin(months)]
    got["window"] = np.where(got["period"] > last - 12, "last_12m", "prev_12m")
    wide = got.pivot_table(
        index=["role", "naics_sector"], columns="window", values="new_postings",
        aggfunc="sum", fill_value=0,
    ).reset_index()  # fmt: skip
    merged = truth.merge(wide, on=["role", "naics_sector"], how="left", suffixes=("", "_got"))
    cells = merged[(merged["prev_12m"] >= MIN_CELL) & (merged["last_12m"] >= MIN_CELL)].copy()
    prev = cells["prev_12m_got"].fillna(0)
    cells["yoy_got"] = np.where(
        prev > 0, 100 * (cells["last_12m_got"].fillna(0) / prev - 1), np.nan
    )
    err = (cells["yoy_got"] - cells["yoy_pct"]).abs()
    count_ratio = (cells["prev_12m_got"].fillna(0) + cells["last_12m_got"].fillna(0)).sum() / max(
        1, (cells["prev_12m"] + cells["last_12m"]).sum()
    )
    return {
        "cells": int(len(cells)),
        "cells_without_result": int(err.isna().sum()),
        "yoy_mae_pp": round(float(err.mean()), 2) if err.notna().any() else None,
        "yoy_median_abs_error_pp": round(float(err.median()), 2) if err.notna().any() else None,
        "yoy_p90_abs_error_pp": round(float(err.quantile(0.9)), 2) if err.notna().any() else None,
        "recovered_count_ratio": round(float(count_ratio), 4),
        "min_cell_postings": MIN_CELL,
    }


def dedup_and_roles(
    con: duckdb.DuckDBPyConnection, truth_dir: Path, file_name: str
) -> dict[str, object]:
    truth = pd.read_parquet(
        truth_dir / "truth_rows.parquet", columns=["row_number", "duplicate_group_id", "role"]
    )
    got = con.execute(
        """select row_number, coalesce(duplicate_group_id, posting_id) as pred, role
        from marts.fct_postings where file_path like ?""",
        [f"%{file_name}"],
    ).df()
    rows = truth.dropna(subset=["duplicate_group_id"]).merge(
        got, on="row_number", how="inner", suffixes=("_true", "_got")
    )
    joint = rows.groupby(["duplicate_group_id", "pred"]).size()
    tp = _pairs(joint)
    pred_pairs = _pairs(rows.groupby("pred").size())
    true_pairs = _pairs(rows.groupby("duplicate_group_id").size())
    # Exact groups: a true group whose rows form exactly one predicted group of the same size.
    true_size = rows.groupby("duplicate_group_id").size()
    pred_size = rows.groupby("pred").size()
    multi = true_size[true_size > 1]
    one_pred = rows.groupby("duplicate_group_id")["pred"].agg(["nunique", "first"])
    exact = one_pred.loc[multi.index]
    exact = (exact["nunique"] == 1) & (pred_size.reindex(exact["first"]).to_numpy() == multi)
    same_role = rows["role_true"].fillna("") == rows["role_got"].fillna("")
    has_role = rows["role_true"].notna()
    return {
        "dedup": {
            "rows_compared": int(len(rows)),
            "true_duplicate_pairs": int(true_pairs),
            "predicted_duplicate_pairs": int(pred_pairs),
            "pairwise_precision": round(tp / pred_pairs, 4) if pred_pairs else None,
            "pairwise_recall": round(tp / true_pairs, 4) if true_pairs else None,
            "true_groups_exactly_recovered": round(float(exact.mean()), 4) if len(exact) else None,
        },
        "roles": {
            "row_agreement": round(float(same_role.mean()), 4),
            "recall_of_true_roles": round(float((same_role & has_role).sum() / has_role.sum()), 4)
            if has_role.any()
            else None,
            "precision_of_assigned_roles": round(
                float(
                    (same_role & rows["role_got"].notna()).sum() / rows["role_got"].notna().sum()
                ),
                4,
            )
            if rows["role_got"].notna().any()
            else None,
        },
    }


def main(db: str, truth_dir: str, file_name: str) -> int:
    con = duckdb.connect(db, read_only=True)
    out = {"trend": trend(con, Path(truth_dir))}
    out.update(dedup_and_roles(con, Path(truth_dir), file_name))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
