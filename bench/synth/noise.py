"""Job-board noise on clean titles: seniority words, level suffixes, "- City, ST", shifts,
requisition numbers, casing. One implementation for the generator (``JOB_BOARD``) and for
the title benchmark of held-out O*NET titles (``HELD_OUT``, scripts/eval_titles.py).

A noise model is a set of weighted tables, one per slot; a title is written
``seniority + cased title + level + location + shift + requisition + bonus``, each slot
drawn independently per row (vectorised). An empty text is "no noise" in that slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bench.synth.sampling import choice, concat

Table = Sequence[tuple[str, float]]

# The casings of the clean title a case table may name.
CASES = {"as_is": None, "upper": str.upper, "lower": str.lower, "title": str.title}


@dataclass(frozen=True)
class TitleNoise:
    """Weighted (text, weight) tables per slot. In ``location`` a ``{}`` is the row's
    location (a text without it is written as is); in ``requisition`` it is a number drawn
    from ``requisition_numbers`` (low inclusive, high exclusive). ``case`` names entries of
    ``CASES``; it applies to the clean title only."""

    seniority: Table
    level: Table
    location: Table
    shift: Table
    requisition: Table
    case: Table
    requisition_numbers: tuple[int, int] = (10_000, 999_999)
    bonus: Table = ()  # drawn only when given


def _some(share: float, texts: Sequence[str]) -> list[tuple[str, float]]:
    """No noise for 100 - share percent, else one of ``texts``, evenly."""
    return [("", 100.0 - share)] + [(t, share / len(texts)) for t in texts]


# The generator's job boards (outlook synth): mostly clean titles.
JOB_BOARD = TitleNoise(
    seniority=[("", 80), ("Senior ", 7), ("Sr. ", 5), ("Junior ", 2), ("Lead ", 2), ("Jr ", 1),
               ("Entry Level ", 1), ("Sr ", 2)],
    level=[("", 90), (" I", 3), (" II", 4), (" III", 2), (" 2", 1)],
    location=[("", 85), (" - {}", 10), (" ({})", 5)],
    shift=[("", 82), (" - Night Shift", 3), (" (Days)", 3), (" - 12 Hour Shifts", 2), (" PRN", 2),
           (" - Full Time", 3), (" (Part-Time)", 2), (" - Remote", 2), (" (Hybrid)", 1)],
    requisition=[("", 80), (" - Req #{}", 8), (" (R-{})", 6), (" JR{}", 3), (" [Job ID {}]", 3)],
    case=[("as_is", 84), ("upper", 6), ("lower", 6), ("title", 4)],
)  # fmt: skip

# The title benchmark's held-out titles: heavier noise, fixed places, sign-on bonuses.
HELD_OUT = TitleNoise(
    seniority=_some(30, ["Senior ", "Sr. ", "Lead ", "Junior ", "Jr ", "Principal ", "Staff "]),
    level=_some(10.5, [" I", " II", " III", " 2", " IV"]),
    location=_some(35, [" - Boston, MA", " (Remote)", ", Austin, TX", " - Hybrid",
                        " | Chicago, IL 60601", " - Remote"]),
    shift=_some(25, [" - Night Shift", " PRN", " (Full Time)", " - Per Diem", " FT/PT",
                     " - Day Shift"]),
    requisition=_some(25, [" - Req #{}", " R-{}", " (Job ID {})", " #{}", " [REQ{}]"]),
    case=[("as_is", 70), ("upper", 15), ("lower", 15)],
    requisition_numbers=(1000, 1_000_000),
    bonus=_some(8, [" - $10k Sign-On Bonus!", " - Sign on bonus", " $5,000 Bonus"]),
)  # fmt: skip


def _fill(chosen: np.ndarray, table: Table, values: pa.Array | None, n: int) -> pa.Array:
    """The text of each row's entry of ``table``, ``{}`` replaced by the row's value."""
    out = pa.array(np.full(n, "", dtype=object), type=pa.string())
    for i, (tmpl, _) in enumerate(table):
        if not tmpl:
            continue
        if "{}" in tmpl:
            if values is None:
                raise ValueError(f"{tmpl!r} needs a value per row")
            head, tail = tmpl.split("{}")
            text = concat(head, values, tail)
        else:
            text = pa.scalar(tmpl, pa.string())
        out = pc.if_else(pa.array(chosen == i), text, out)
    return out


def decorate_titles(
    rng: np.random.Generator,
    pool: np.ndarray,
    index: np.ndarray,
    location: pa.Array | None = None,
    noise: TitleNoise = JOB_BOARD,
) -> pa.Array:
    """Noisy titles for rows whose clean title is ``pool[index]`` (``pool``: distinct clean
    titles; casings are built once per pool title). ``location`` holds each row's
    "City, ST" for location templates with ``{}``."""
    n = len(index)
    variants = [
        pool if CASES[name] is None else np.array([CASES[name](t) for t in pool], dtype=object)
        for name, _ in noise.case
    ]
    flat = pa.array(np.concatenate(variants), type=pa.string())
    case = choice(rng, noise.case, n)
    base = flat.take(pa.array(case * len(pool) + index))

    def pick(table: Table) -> pa.Array:
        return pa.array([t for t, _ in table], type=pa.string()).take(
            pa.array(choice(rng, table, n))
        )

    lo, hi = noise.requisition_numbers
    req_num = pa.array(rng.integers(lo, hi, size=n).astype(str), type=pa.string())
    req_text = _fill(choice(rng, noise.requisition, n), noise.requisition, req_num, n)
    loc_text = _fill(choice(rng, noise.location, n), noise.location, location, n)
    parts = [pick(noise.seniority), base, pick(noise.level), loc_text, pick(noise.shift), req_text]
    if noise.bonus:
        parts.append(pick(noise.bonus))
    return concat(*parts)


def decorate(
    rng: np.random.Generator, titles: Sequence[str], noise: TitleNoise = HELD_OUT
) -> list[str]:
    """``titles``, each decorated once (a list in, a list out)."""
    pool = np.array(list(titles), dtype=object)
    return decorate_titles(rng, pool, np.arange(len(pool)), noise=noise).to_pylist()
