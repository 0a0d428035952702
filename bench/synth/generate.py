"""One drop: postings drawn over (cell, month), their titles, employers and places, copies
and malformed rows, the columns of the generic profile, and the truth (see bench.synth)."""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bench.synth.config import (
    COLUMNS,
    DEDUP_WINDOW_DAYS,
    EPOCH,
    MIN_GAP_DAYS,
    SynthConfig,
    SynthResult,
    Taxonomy,
)
from bench.synth.descriptions import plant_descriptions
from bench.synth.duplicates import pick_copies, resolve_collisions
from bench.synth.employers import CITIES, industry_columns, make_employers
from bench.synth.growth import cell_intensity, date_texts, month_range
from bench.synth.malformed import break_rows
from bench.synth.noise import JOB_BOARD, decorate_titles
from bench.synth.salaries import draw_salaries
from bench.synth.sampling import concat, pick_in_groups
from bench.synth.truth import truth_monthly, truth_rows, truth_yoy


def generate(cfg: SynthConfig, tax: Taxonomy) -> SynthResult:
    """Generate one drop (see module doc). Deterministic for (cfg, taxonomy)."""
    if cfg.postings < 1 or cfg.months < 1:
        raise ValueError("postings and months must be positive")
    rng = np.random.default_rng(cfg.seed)
    months = month_range(cfg.end_month, cfg.months)
    month_start = months.astype("datetime64[D]")
    month_days = ((months + 1).astype("datetime64[D]") - month_start).astype(int)
    last_day = int(((months[-1] + 1).astype("datetime64[D]") - EPOCH).astype(int)) - 1

    n_mal = int(round(cfg.postings * cfg.malformed_rate))
    dup_share = cfg.repost_rate + cfg.cross_source_rate
    n_posting_rows = cfg.postings - n_mal
    # Oversample originals: some are dropped by collision checks, copies past the end go.
    n_orig0 = int(math.ceil(n_posting_rows / (1 + dup_share / (1 - dup_share)) * 1.04)) + 10

    inten = cell_intensity(rng, tax, months)
    lam = inten["lam"]
    counts = rng.multinomial(n_orig0, (lam / lam.sum()).ravel())
    flat = np.repeat(np.arange(lam.size), counts)
    cell, m_idx = np.divmod(flat, len(months))
    day = (month_start[m_idx] - EPOCH).astype(np.int64) + (
        rng.random(len(flat)) * month_days[m_idx]
    ).astype(np.int64)

    soc_index = {s: i for i, s in enumerate(tax.socs)}
    cell_soc_idx = np.array([soc_index[s] for s in tax.cell_soc])
    title_idx = pick_in_groups(
        rng, cell_soc_idx[cell], tax.pool_start, tax.pool_count, tax.pool_weight
    )

    sector_idx = inten["cell_sector_idx"][cell]
    sector_share = np.bincount(sector_idx, minlength=len(tax.sectors)) / len(cell)
    emp = make_employers(rng, tax.sectors, sector_share, max(50, n_orig0 // 60))
    emp_by_sector_start = np.searchsorted(emp["sector"], np.arange(len(tax.sectors)))
    emp_by_sector_count = np.bincount(emp["sector"], minlength=len(tax.sectors))
    employer = pick_in_groups(
        rng, sector_idx, emp_by_sector_start, emp_by_sector_count, emp["weight"]
    )
    site = emp["site_start"][employer] + (
        rng.random(len(cell)) * emp["site_count"][employer]
    ).astype(np.int64)
    city = emp["site_city"][site]
    key_base = tax.pool_norm_id[title_idx] * len(emp["name"]) + employer
    city, keep = resolve_collisions(rng, key_base, city, day, len(CITIES))

    orig, src, is_cross, copy_day = pick_copies(
        rng, keep, day, n_posting_rows, cfg.repost_rate, cfg.cross_source_rate, last_day
    )

    n_orig, n_copy = len(orig), len(src)
    # Row table (originals then copies), then malformed rows, then sorted by date.
    r_cell = np.concatenate([cell[orig], cell[orig[src]]])
    r_title = np.concatenate([title_idx[orig], title_idx[orig[src]]])
    r_emp = np.concatenate([employer[orig], employer[orig[src]]])
    r_city = np.concatenate([city[orig], city[orig[src]]])
    r_day = np.concatenate([day[orig], copy_day])
    r_kind = np.concatenate([np.zeros(n_orig, np.int8), np.where(is_cross, 2, 1).astype(np.int8)])
    r_group = np.concatenate([np.arange(n_orig), src])
    # Malformed rows borrow a random posting's fields, then get broken.
    mal_from = rng.integers(0, n_orig + n_copy, n_mal) if n_orig + n_copy else np.array([], int)
    r_cell = np.concatenate([r_cell, r_cell[mal_from]])
    r_title = np.concatenate([r_title, r_title[mal_from]])
    r_emp = np.concatenate([r_emp, r_emp[mal_from]])
    r_city = np.concatenate([r_city, r_city[mal_from]])
    r_day = np.concatenate([r_day, r_day[mal_from]])
    r_kind = np.concatenate([r_kind, np.full(n_mal, 3, np.int8)])
    r_group = np.concatenate([r_group, np.full(n_mal, -1)])
    # File order: by posted date, shuffled within a day (feeds arrive roughly in date order).
    order = np.lexsort((rng.random(len(r_day)), r_day))
    r_cell, r_title, r_emp, r_city, r_day, r_kind, r_group = (
        a[order] for a in (r_cell, r_title, r_emp, r_city, r_day, r_kind, r_group)
    )
    n = len(order)
    row_number = np.arange(1, n + 1)
    # Group id = row number of the group's original.
    orig_row = np.empty(n_orig, dtype=np.int64)
    is_orig = r_kind == 0
    orig_row[r_group[is_orig]] = row_number[is_orig]
    group_id = np.where(r_kind == 3, -1, orig_row[np.maximum(r_group, 0)])

    # --- columns ---------------------------------------------------------------------------
    city_names = np.array([f"{c}, {s}" for c, s, _ in CITIES], dtype=object)
    location = pa.array(city_names, type=pa.string()).take(pa.array(r_city))
    title_raw = decorate_titles(rng, tax.pool_title, r_title, location, JOB_BOARD)
    # Half of the copies repeat the original's title exactly (a plain re-post).
    same_title = (r_kind > 0) & (rng.random(n) < 0.5)
    if same_title.any():
        first = np.empty(n_orig, dtype=np.int64)
        first[r_group[is_orig]] = np.nonzero(is_orig)[0]
        src_pos = np.where(same_title, first[np.maximum(r_group, 0)], np.arange(n))
        title_raw = title_raw.take(pa.array(src_pos))
    employer_raw = pa.array(emp["name"], type=pa.string()).take(pa.array(r_emp))
    # Cross-source copies often drop the legal suffix ("Acme Corp." -> "Acme").
    plain = (r_kind == 2) & (rng.random(n) < 0.5)
    if plain.any():
        stripped = pc.replace_substring_regex(
            employer_raw, r",? (?:Inc\.|LLC|Corp\.|Co\.|Company|Ltd\.)$", ""
        )
        employer_raw = pc.if_else(pa.array(plain), stripped, employer_raw)

    prefix = f"{cfg.id_prefix}S{cfg.seed}-"
    ids = np.char.add(prefix, np.arange(1, n + 1).astype(str))
    board = np.array(["JB-", "AGG-"], dtype=object)[(r_kind == 2).astype(int)]
    source_id = concat(pa.array(board, type=pa.string()), pa.array(ids, type=pa.string()))

    posted, close = date_texts(rng, r_day)
    r_sector = tax.cell_sector[r_cell]
    naics_txt, ind_txt = industry_columns(rng, tax, r_sector)

    sal = draw_salaries(rng, tax, r_cell, cfg.no_salary_rate)

    cols: dict[str, pa.Array] = {
        "source_id": source_id,
        "title_raw": title_raw,
        "employer_raw": employer_raw,
        "location_raw": location,
        "posted_date": posted,
        "close_date": close,
        "naics_code_raw": pa.array(naics_txt, type=pa.string()),
        "industry_text": pa.array(ind_txt, type=pa.string()),
        "salary_text": pa.array(sal["salary_text"], type=pa.string()),
        "salary_min_raw": pa.array(sal["salary_min_raw"], type=pa.string()),
        "salary_max_raw": pa.array(sal["salary_max_raw"], type=pa.string()),
        "salary_period_raw": pa.array(sal["salary_period_raw"], type=pa.string()),
        "currency_raw": pa.array(sal["currency_raw"], type=pa.string()),
    }
    cols["posted_date"], cols["title_raw"], ragged, mal_reason = break_rows(
        r_kind, posted, title_raw
    )
    columns = list(COLUMNS)
    text_truth = None
    if cfg.descriptions:
        texts, truths = plant_descriptions(
            cfg.seed, r_kind, r_group, tax.pool_title[r_title], tax.cell_soc[r_cell],
            np.asarray(emp["name"], dtype=object)[r_emp],
        )  # fmt: skip
        cols["description"] = pa.array(texts, type=pa.string())
        columns.append("description")
        sids = source_id.to_pylist()
        text_truth = [(sid, t) for sid, t in zip(sids, truths, strict=True) if t is not None]
    table = pa.table({c: cols[c] for c in columns})

    # --- truth -----------------------------------------------------------------------------
    rows = truth_rows(
        tax,
        source_id.to_numpy(zero_copy_only=False),
        r_kind,
        group_id,
        r_cell,
        r_title,
        r_day,
        sal,
        mal_reason,
    )
    monthly = truth_monthly(rows)
    yoy = truth_yoy(monthly, months)

    summary: dict[str, object] = {
        "config": asdict(cfg),
        "rows": int(n),
        "originals": int(n_orig),
        "reposts": int((r_kind == 1).sum()),
        "cross_source": int((r_kind == 2).sum()),
        "malformed": int(n_mal),
        "ragged_lines": int(len(ragged)),
        "duplicate_rows_share": round(float(n_copy) / n, 5),
        "originals_dropped_for_collisions": int((~keep).sum()),
        "employers": int(len(emp["name"])),
        "title_pool": int(len(tax.pool_title)),
        "cells": int(len(tax.cell_soc)),
        "first_month": str(months[0]),
        "last_month": str(months[-1]),
        "rows_with_role": int(rows["role"].notna().sum()),
        "postings_with_description": (
            sum(t["has_text"] for _, t in text_truth) if text_truth is not None else None
        ),
        "taxonomy_sources": tax.sources,
        "dedup_rule": f"same normalised title + employer + location within "
        f"{DEDUP_WINDOW_DAYS} days; originals sharing a key are >= {MIN_GAP_DAYS} days apart",
    }
    return SynthResult(table, ragged, rows, monthly, yoy, summary, text_truth)
