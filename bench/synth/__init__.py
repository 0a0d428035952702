"""Synthetic job postings whose truth is known, built on the real taxonomies (``outlook synth``).

``outlook synth`` writes posting file drops in the generic profile's columns
(``data/profiles/generic.toml``) plus ``truth*`` files beside them, so the benchmarks can
measure both speed and accuracy of the postings pipeline at any scale.

How a posting is made (everything vectorised with numpy; Python only loops over the small
taxonomy tables, never over rows):

* **Cells** are (SOC occupation, NAICS sector) pairs from the OEWS sector file of the mirror,
  weighted by OEWS employment. OEWS's cross-ownership government code '99' is written as
  NAICS 92 (Public Administration): a posting carries its employer's NAICS, and 99 is not a
  NAICS 2022 sector.
* **Intensity** of a cell in month m: ``emp * exp(growth * m / 12) * (1 + amp * sin(...))``,
  with a log growth per cell and a seasonal amplitude and phase per sector, all drawn from
  the seed. Monthly counts are one multinomial draw over (cell, month).
* **Titles** come from the O*NET titles of the cell's SOC (occupation title, reported titles,
  up to ``MAX_ALTERNATES`` alternate titles) plus the role catalogue's aliases (attached to
  the role's first SOC), then get job-board noise: seniority words, level suffixes,
  "- City, ST", shifts, requisition numbers and casing.
* **Truth role** of a title = the role catalogue applied to the *clean* title with the
  *true* SOC. The pipeline sees only the noisy title, so any difference is its error.
* **Employers** are synthetic names per sector with Zipf-like sizes and a set of sites
  (cities); the row gives the industry as a NAICS code, an industry text, or neither.
* **Salaries** are drawn from the cell's OEWS percentiles and written in many text formats
  ("$120K - $150K a year", "$55/hr", "45,000-60,000 per annum", structured min/max, ...).
* **Duplicates**: a known share of postings is re-posted (7-59 days later) or delivered
  again by another board (0-3 days later) with the same clean title, employer and location.
  Originals sharing (normalised title, employer, location) are kept at least
  ``MIN_GAP_DAYS`` apart (moved to another city, or dropped), so a duplicate group under
  the rule "same normalised title + employer + location within 60 days" is exactly one
  original and its copies.
* **Malformed rows** (ragged CSV lines, impossible or unparseable dates, missing titles) are
  extra rows that must land in quarantine; they are not postings in the truth.

Modules, one job each: ``config`` (what is asked and returned), ``taxonomy`` (cells, title
pool and sector spellings from the mirror), ``growth`` (months, intensity, date texts),
``employers`` (names, sites, industry fields), ``noise`` (job-board title noise, shared with
scripts/eval_titles.py), ``salaries``, ``duplicates`` (collisions and copies),
``malformed``, ``truth``, ``generate`` (one drop) and ``writer`` (files).

Truth files (see ``write_synth``): ``truth_monthly.csv`` (unique postings per role, sector
and month), ``truth_rows.parquet`` (every data row: kind, duplicate group, role, sector,
SOC, true annual salary range), ``truth_yoy.csv`` and ``truth.json``.
"""

from bench.synth.config import COLUMNS, SynthConfig, SynthResult, Taxonomy
from bench.synth.generate import generate
from bench.synth.taxonomy import load_taxonomy
from bench.synth.truth import truth_yoy
from bench.synth.writer import write_synth

__all__ = [
    "COLUMNS",
    "SynthConfig",
    "SynthResult",
    "Taxonomy",
    "generate",
    "load_taxonomy",
    "truth_yoy",
    "write_synth",
]
