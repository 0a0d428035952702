"""Fit the title classifier's confidence calibration map on ad-like titles.

The classifier's softmax temperature was chosen on O*NET-style titles; on titles written
like job ads its confidence overstates (issue 19). This fits a monotone map from its top-1
confidence to the share of answers whose detailed SOC code is right, on two development
sets the benchmark does not score as truth:

* **ad-like held-out titles**: a slice of O*NET alternate titles withheld with another
  seed than scripts/eval_titles.py's (and without any title that benchmark withholds),
  those O*NET got from job postings, incumbents or users' searches (sources 02, 09, 10),
  decorated with the posting generator's job-board noise (``bench.synth.noise.JOB_BOARD``,
  not the benchmark's ``HELD_OUT`` tables); the classifier is fitted without them;
* the **H-2B part** of ../shared/eval/lca_titles_soc.csv (employer-coded titles; the H-1B
  part is all management codes and is not used).

The map (pool-adjacent-violators, ``transforms.calibration.fit_isotonic``) is written to
data/seeds/title_calibration.toml, which the classifier reads (its checksum joins the
classifier version, so a new map re-classifies the cached titles).

    .venv/bin/python scripts/fit_calibration.py
    .venv/bin/python scripts/eval_titles.py --out /tmp/eval_titles.json   # ECE before/after
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth.noise import JOB_BOARD, decorate_titles  # noqa: E402
from outlook.config import NAICS_SOC_PRIORS, TITLE_CALIBRATION, TITLE_STRUCTURE  # noqa: E402
from scripts.eval_titles import ARCHIVE, DIRECT_MATCH, LCA_TITLES, split_holdout  # noqa: E402
from transforms.calibration import expected_calibration_error, fit_isotonic  # noqa: E402
from transforms.classify import TitleClassifier  # noqa: E402
from transforms.naics_priors import load_naics_priors  # noqa: E402
from transforms.onet import read_onet_archive  # noqa: E402
from transforms.taxonomy import read_soc_direct_match_titles  # noqa: E402
from transforms.title_structure import load_structure  # noqa: E402

# scripts/eval_titles.py's default split: its withheld titles are kept out of this fit.
EVAL_FRACTION, EVAL_SEED = 0.10, 20250
CAL_SEED = 7
POSTING_SOURCES = r"\b(?:02|09|10)\b"


PLACES = ["Dayton, OH", "Denver, CO", "Tampa, FL", "Seattle, WA", "Newark, NJ", "Austin, TX"]


def _ad_like(rng: np.random.Generator, titles: pd.Series) -> list[str]:
    """Titles decorated by the posting generator's job-board noise, places drawn at random."""
    pool = np.array(titles.tolist(), dtype=object)
    places = pa.array(rng.choice(PLACES, size=len(pool)).tolist(), type=pa.string())
    return decorate_titles(rng, pool, np.arange(len(pool)), places, noise=JOB_BOARD).to_pylist()


def _correct(pred: pd.DataFrame, truth: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(confidence, detailed code right) of the classified answers (a truth may list
    several codes with ';', as in scripts/eval_titles.py)."""
    classified = pred["onet_soc_code"].notna().to_numpy()
    right = np.array(
        [
            bool(p) and any(p[:7] == c.strip()[:7] for c in str(t).split(";"))
            for p, t in zip(pred["onet_soc_code"].fillna("").astype(str), truth, strict=True)
        ]
    )
    return pred["confidence"].to_numpy()[classified], right[classified]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--direct-match", type=Path, default=DIRECT_MATCH)
    ap.add_argument("--lca", type=Path, default=LCA_TITLES)
    ap.add_argument("--fraction", type=float, default=0.12)
    ap.add_argument("--min-block", type=int, default=150)
    ap.add_argument("--out", type=Path, default=TITLE_CALIBRATION)
    args = ap.parse_args(argv)

    frames = read_onet_archive(args.archive)
    _, eval_held = split_holdout(frames, EVAL_FRACTION, EVAL_SEED)
    eval_keys = set(eval_held["title"].str.lower().str.strip())
    train, held = split_holdout(frames, args.fraction, CAL_SEED)
    held = held[~held["title"].str.lower().str.strip().isin(eval_keys)]
    held = held[held["sources"].str.contains(POSTING_SOURCES, regex=True)].reset_index(drop=True)
    if args.direct_match and args.direct_match.exists():
        direct = read_soc_direct_match_titles(args.direct_match).rename(
            columns={"direct_match_title": "title"}
        )[["soc_code", "title"]]
        cal_keys = set(held["title"].str.lower().str.strip())
        train["soc_direct_match"] = direct[~direct["title"].str.lower().str.strip().isin(cal_keys)]
    clf = TitleClassifier.from_onet(
        train,
        version="calibration",
        naics_priors=load_naics_priors(NAICS_SOC_PRIORS),
        structure=load_structure(TITLE_STRUCTURE),
    )
    noisy = _ad_like(np.random.default_rng(CAL_SEED), held["title"])
    conf_ads, right_ads = _correct(clf.classify_many(noisy), held["onet_soc_code"])
    lca = pd.read_csv(args.lca, dtype=str, keep_default_na=False)
    lca = lca[lca["source_path"].str.contains("H-2B|h2b", regex=True)].reset_index(drop=True)
    conf_h2b, right_h2b = _correct(clf.classify_many(lca["title"].tolist()), lca["soc_code"])

    conf = np.concatenate([conf_ads, conf_h2b])
    right = np.concatenate([right_ads, right_h2b])
    fitted = fit_isotonic(conf, right, min_block=args.min_block)
    for name, c, r in (("ad-like", conf_ads, right_ads), ("H-2B", conf_h2b, right_h2b)):
        before, after = expected_calibration_error(c, r), expected_calibration_error(fitted(c), r)
        print(f"{name:<8} n={len(c):>5}  ECE {before:.3f} -> {after:.3f} (in-sample)")
    comment = (
        "Top-1 confidence -> share of answers whose detailed SOC code is right: a monotone map\n"
        "fitted by scripts/fit_calibration.py (do not edit by hand; rerun it). Fitted on\n"
        f"{len(conf_ads):,} ad-like held-out O*NET titles (posting-sourced, job-board noise) and\n"
        f"{len(conf_h2b):,} H-2B titles of ../shared/eval/lca_titles_soc.csv; pools of >= "
        f"{args.min_block} answers.\n"
        "Applied by transforms.classify after the structure and NAICS priors; a generic title's\n"
        "cap applies after it."
    )
    fitted.to_toml(args.out, comment)
    print(f"wrote {args.out}: {len(fitted.x)} knots")
    for x, y in zip(fitted.x, fitted.y, strict=True):
        print(f"  {x:.3f} -> {y:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
