"""Originals that share a dedup key (normalised title, employer, city) are kept at least
``MIN_GAP_DAYS`` apart, so a duplicate group is exactly one original and its copies."""

from __future__ import annotations

import numpy as np

from bench.synth.config import MIN_GAP_DAYS


def resolve_collisions(
    rng: np.random.Generator,
    key_base: np.ndarray,
    city: np.ndarray,
    day: np.ndarray,
    n_cities: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Move originals that share (title, employer, city) with another original less than
    ``MIN_GAP_DAYS`` earlier to another city; drop those still colliding after a few rounds.
    Returns (city, keep mask)."""
    city = city.copy()
    keep = np.ones(len(city), dtype=bool)
    for _ in range(12):
        key = key_base * n_cities + city
        order = np.lexsort((day, key))
        k, d = key[order], day[order]
        clash = np.zeros(len(order), dtype=bool)
        clash[1:] = (k[1:] == k[:-1]) & (d[1:] - d[:-1] < MIN_GAP_DAYS)
        moved = order[clash & keep[order]]
        if not len(moved):
            return city, keep
        city[moved] = rng.integers(0, n_cities, size=len(moved))
    key = key_base * n_cities + city
    order = np.lexsort((day, key))
    k, d = key[order], day[order]
    clash = np.zeros(len(order), dtype=bool)
    clash[1:] = (k[1:] == k[:-1]) & (d[1:] - d[:-1] < MIN_GAP_DAYS)
    keep[order[clash]] = False
    return city, keep


def pick_copies(
    rng: np.random.Generator,
    keep: np.ndarray,
    day: np.ndarray,
    n_posting_rows: int,
    repost_rate: float,
    cross_source_rate: float,
    last_day: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Choose the originals and their copies so that originals plus copies are exactly
    ``n_posting_rows``. Returns (orig, src, is_cross, copy_day): the kept originals in draw
    order, each copy's position in ``orig``, whether the copy is a cross-board delivery
    (else a re-post), and the copy's day."""
    dup_share = repost_rate + cross_source_rate
    orig = np.nonzero(keep)[0]
    orig = orig[rng.permutation(len(orig))]
    # Copies per original: 0, 1 or 2, by kind. Expected copies per original = dup/(1-dup).
    per = dup_share / (1 - dup_share)
    u = rng.random(len(orig))
    n_copies = np.where(u < per * 0.8, 1, 0) + np.where(u < per * 0.1, 1, 0)
    cum = np.cumsum(1 + n_copies)
    cut = int(np.searchsorted(cum, n_posting_rows))
    if cut >= len(orig):
        raise RuntimeError("not enough originals generated; raise the oversampling")
    orig, n_copies = orig[: cut + 1], n_copies[: cut + 1].copy()
    n_copies[-1] -= int(cum[cut] - n_posting_rows)
    if n_copies[-1] < 0:  # the last original itself overshoots
        orig, n_copies = orig[:-1], n_copies[:-1]

    # Copies: reposts 7-59 days later, cross-source 0-3 days later (kind by rate share).
    src = np.repeat(np.arange(len(orig)), n_copies)
    is_cross = rng.random(len(src)) < cross_source_rate / max(dup_share, 1e-9)
    offset = np.where(is_cross, rng.integers(0, 4, len(src)), rng.integers(7, 60, len(src)))
    copy_day = day[orig[src]] + offset
    # Copies that would fall after the last day are delivered on the last day
    # (clamped originals are within 60 days of the end, so the copy stays in the window).
    copy_day = np.minimum(copy_day, last_day)
    return orig, src, is_cross, copy_day
