"""Benchmark the title classifier on held-out, job-board-noisy O*NET alternate titles.

A seeded slice of the real alternate titles is withheld, the classifier is built without
it, and the withheld titles are decorated the way job boards do (seniority, location,
shift, requisition numbers, casing). Reports detailed-SOC ('NN-NNNN'), broad ('NN-NNN')
and major ('NN') accuracy, accuracy by confidence band, the same for a plain character
3-gram nearest-neighbour baseline, and throughput on distinct titles.

    .venv/bin/python scripts/eval_titles.py --out /tmp/eval_titles.json

Needs ../shared (the O*NET 29.3 archive); it is read in place, never copied.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth.noise import HELD_OUT, decorate, decorate_titles  # noqa: E402
from bench.title_baseline import CharNgramNN  # noqa: E402
from outlook.config import NAICS_SOC_PRIORS, TITLE_CALIBRATION, TITLE_STRUCTURE  # noqa: E402
from transforms.calibration import ConfidenceMap  # noqa: E402
from transforms.classify import CLASSIFIER_VERSION, TitleClassifier  # noqa: E402
from transforms.naics_priors import load_naics_priors  # noqa: E402
from transforms.onet import read_onet_archive  # noqa: E402
from transforms.taxonomy import read_soc_direct_match_titles  # noqa: E402
from transforms.title_accuracy import accuracy_report, calibration_lines  # noqa: E402
from transforms.title_structure import load_structure  # noqa: E402

ARCHIVE = ROOT.parent / "shared/mirror/www.onetcenter.org/dl_files/database/db_29_3_text.zip"
DIRECT_MATCH = (
    ROOT.parent / "shared/mirror/www.bls.gov/soc/2018/soc_2018_direct_match_title_file.xlsx"
)
# Employer-written H-1B/H-2B titles with the SOC code the employer filed (noisy labels; the
# H-1B part is all management codes): a development set, reported per programme.
LCA_TITLES = ROOT.parent / "shared/eval/lca_titles_soc.csv"


def _hold_out(
    frame: pd.DataFrame, title: str, code: str, fraction: float, seed: int, **extra
) -> tuple[np.ndarray, set[str], pd.DataFrame]:
    """Withhold ``fraction`` of the distinct (lower-cased) titles of ``frame``: every row of
    a withheld title. Returns the row mask, the withheld keys, and one row per withheld
    title: its first spelling and every code it was listed under, joined with ';'."""
    key = frame[title].str.lower().str.strip()
    distinct = np.sort(key.dropna().unique())
    rng = np.random.default_rng(seed)
    held_keys = set(distinct[rng.random(len(distinct)) < fraction])
    mask = key.isin(held_keys).to_numpy()
    agg = {"title": (title, "first"), code: (code, ";".join), **extra}
    held = frame[mask].groupby(key[mask], sort=True).agg(**agg).reset_index(drop=True)
    return mask, held_keys, held


def split_holdout(
    frames: dict[str, pd.DataFrame], fraction: float, seed: int
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Withhold ``fraction`` of distinct alternate titles (every occupation's row of them).

    O*NET lists many titles under several occupations ("Sales Coordinator" under five), so
    holding out single rows would leave the same title in training under another code.
    Withheld titles are dropped from reported titles too. The truth is every code the
    title was listed under, joined with ';' (a prediction matching any of them counts).
    """
    alt = frames["alternate_titles"]
    extra = {}
    if "sources" in alt:
        extra["sources"] = ("sources", lambda s: ",".join(s.dropna().astype(str)))
    mask, held_keys, held = _hold_out(
        alt, "alternate_title", "onet_soc_code", fraction, seed, **extra
    )
    train = dict(frames)
    train["alternate_titles"] = alt[~mask]
    rep = frames.get("reported_titles")
    if rep is not None:
        train["reported_titles"] = rep[
            ~rep["reported_title"].str.lower().str.strip().isin(held_keys)
        ]
    return train, held


def direct_match_holdout(
    frames: dict[str, pd.DataFrame], direct: pd.DataFrame, fraction: float, seed: int
) -> dict[str, object]:
    """Hold out ``fraction`` of the BLS direct-match titles instead: the classifier learns
    from all of O*NET and the other direct-match titles; the truth is the SOC code. Most
    direct-match titles are also O*NET alternate titles, so the titles that are not
    (the harder, unseen part) are reported separately."""
    mask, _, held = _hold_out(direct, "title", "soc_code", fraction, seed)
    train = dict(frames)
    train["soc_direct_match"] = direct[~mask]
    clf = TitleClassifier.from_onet(
        train,
        version="eval",
        naics_priors=load_naics_priors(NAICS_SOC_PRIORS),
        structure=load_structure(TITLE_STRUCTURE),
    )
    noisy_rng = np.random.default_rng(seed + 2)
    pred = clf.classify_many(decorate(noisy_rng, held["title"]))
    known = set(frames["alternate_titles"]["alternate_title"].str.lower().str.strip())
    unseen = ~held["title"].str.lower().str.strip().isin(known).to_numpy()
    return {
        "all": accuracy_report(pred["soc_code"], held["soc_code"], pred["confidence"]),
        "not_in_onet": accuracy_report(
            pred["soc_code"][unseen], held["soc_code"][unseen], pred["confidence"][unseen]
        ),
    }


def lca_report(clf: TitleClassifier, path: Path) -> dict[str, object]:
    """Accuracy on the employer-coded LCA titles, H-1B and H-2B apart (they differ in kind:
    H-1B professional and management titles, H-2B seasonal labour). The classifier is the
    one fitted without the held-out O*NET titles; these titles are in no reference list."""
    lca = pd.read_csv(path, dtype=str, keep_default_na=False)
    programme = np.where(lca["source_path"].str.contains("H-2B|h2b", regex=True), "h2b", "h1b")
    pred = clf.classify_many(lca["title"].tolist())
    out: dict[str, object] = {}
    for name in ("h1b", "h2b"):
        mask = programme == name
        out[name] = accuracy_report(
            pred["soc_code"][mask], lca["soc_code"][mask], pred["confidence"][mask]
        )
    return out


def throughput(clf: TitleClassifier, titles: list[str]) -> dict[str, float]:
    """Distinct titles per second from cold caches (parse, key, feature and result)."""
    clf.clear_caches()
    start = time.perf_counter()
    clf.classify_many(titles)
    elapsed = time.perf_counter() - start
    return {"n_titles": len(titles), "seconds": elapsed, "titles_per_second": len(titles) / elapsed}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--fraction", type=float, default=0.10)
    ap.add_argument("--seed", type=int, default=20250)
    ap.add_argument("--throughput-n", type=int, default=50_000)
    ap.add_argument(
        "--direct-match",
        type=Path,
        default=DIRECT_MATCH,
        help="BLS SOC direct-match title file (reference titles, as in the pipeline)",
    )
    ap.add_argument("--lca", type=Path, default=LCA_TITLES, help="employer-coded LCA titles")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument(
        "--calibration",
        type=Path,
        default=TITLE_CALIBRATION,
        help="confidence calibration map to score with as well ('' for none)",
    )
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)

    frames = read_onet_archive(args.archive)
    direct = None
    if args.direct_match and args.direct_match.exists():
        direct = read_soc_direct_match_titles(args.direct_match).rename(
            columns={"direct_match_title": "title"}
        )[["soc_code", "title"]]
    train, held = split_holdout(frames, args.fraction, args.seed)
    if direct is not None:
        # The pipeline's classifier also learns from the direct-match titles; drop those
        # that are held-out alternate titles, or the test would leak into training.
        held_keys = set(held["title"].str.lower().str.strip())
        train["soc_direct_match"] = direct[~direct["title"].str.lower().str.strip().isin(held_keys)]
    # Job-board noise: the shared decorator (bench/synth/noise.py, HELD_OUT tables).
    held["noisy"] = decorate(np.random.default_rng(args.seed), held["title"])

    t0 = time.perf_counter()
    clf = TitleClassifier.from_onet(
        train,
        version="eval",
        naics_priors=load_naics_priors(NAICS_SOC_PRIORS),
        structure=load_structure(TITLE_STRUCTURE),
    )
    build_s = time.perf_counter() - t0
    pred = clf.classify_many(held["noisy"].tolist())
    results: dict[str, object] = {
        "classifier_version": CLASSIFIER_VERSION,
        "n_heldout": len(held),
        "n_references": clf.n_references,
        "build_seconds": build_s,
        "classifier_noisy": accuracy_report(
            pred["onet_soc_code"], held["onet_soc_code"], pred["confidence"]
        ),
        "methods": pred["method"].value_counts().to_dict(),
    }
    clean = clf.classify_many(held["title"].tolist())
    results["classifier_clean"] = accuracy_report(
        clean["onet_soc_code"], held["onet_soc_code"], clean["confidence"]
    )
    # Titles O*NET got from employer job postings (10), incumbents (02) or users' searches
    # (09): the way job boards and workers write titles, unlike the SOC index, Census and
    # DOT lists (04, 06, 08) that make up most of the file.
    if "sources" in held:
        posting = held["sources"].str.contains(r"\b(?:02|09|10)\b", regex=True).to_numpy()
        results["classifier_noisy_posting_sourced"] = accuracy_report(
            pred["onet_soc_code"][posting],
            held["onet_soc_code"][posting],
            pred["confidence"][posting],
        )

    if not args.no_baseline:
        ref = pd.concat(
            [
                train["occupation_data"][["title", "onet_soc_code"]],
                train["alternate_titles"][["alternate_title", "onet_soc_code"]].rename(
                    columns={"alternate_title": "title"}
                ),
                train["reported_titles"][["reported_title", "onet_soc_code"]].rename(
                    columns={"reported_title": "title"}
                ),
            ]
        ).drop_duplicates()
        t0 = time.perf_counter()
        base = CharNgramNN(
            ref["title"].astype(str).tolist(), ref["onet_soc_code"].astype(str).tolist()
        )
        bpred = pd.Series(base.predict(held["noisy"].tolist()), dtype="string")
        results["baseline_noisy"] = accuracy_report(bpred, held["onet_soc_code"])
        bclean = pd.Series(base.predict(held["title"].tolist()), dtype="string")
        results["baseline_clean"] = accuracy_report(bclean, held["onet_soc_code"])
        if "sources" in held:
            results["baseline_noisy_posting_sourced"] = accuracy_report(
                bpred[posting], held["onet_soc_code"][posting]
            )
        results["baseline_seconds"] = time.perf_counter() - t0

    if direct is not None:
        results["direct_match_heldout"] = direct_match_holdout(
            frames, direct, args.fraction, args.seed
        )

    if args.lca and args.lca.exists():
        results["lca_employer_coded"] = lca_report(clf, args.lca)

    if args.calibration and args.calibration.is_file():
        # The same classifier with the map: the ECE after, beside the ECE before above.
        cal = clf.with_calibration(ConfidenceMap.from_toml(args.calibration))
        cpred = cal.classify_many(held["noisy"].tolist())
        after = {
            "classifier_noisy": accuracy_report(
                cpred["onet_soc_code"], held["onet_soc_code"], cpred["confidence"]
            )
        }
        if "sources" in held:
            after["classifier_noisy_posting_sourced"] = accuracy_report(
                cpred["onet_soc_code"][posting],
                held["onet_soc_code"][posting],
                cpred["confidence"][posting],
            )
        if args.lca and args.lca.exists():
            for part, m in lca_report(cal, args.lca).items():
                after[f"lca_employer_coded[{part}]"] = m
        results["calibrated"] = {"map": str(args.calibration), **after}

    # Throughput: distinct noisy variants of every reference title, up to --throughput-n.
    pool = pd.concat(
        [frames["alternate_titles"]["alternate_title"], frames["reported_titles"]["reported_title"]]
    )
    pool = pool.dropna().astype(str).to_numpy(dtype=object)
    trng = np.random.default_rng(args.seed + 1)
    distinct: dict[str, None] = {}
    while len(distinct) < args.throughput_n:
        batch = trng.integers(0, len(pool), size=args.throughput_n)
        for title in decorate_titles(trng, pool, batch, noise=HELD_OUT).to_pylist():
            distinct[title] = None
            if len(distinct) == args.throughput_n:
                break
    results["throughput"] = throughput(clf, list(distinct))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=float))
    _print_table(results)
    return 0


def _print_row(name: str, m: dict, width: int = 34) -> None:
    high = m.get("by_confidence", {}).get("0.8-1.0")
    tail = f"{high['detailed']:>8.3f}{high['n']:>7}" if high and high["n"] else ""
    ece = m.get("calibration", {}).get("ece")
    tail += f"{ece:>7.3f}" if ece is not None else ""
    print(
        f"{name:<{width}}{m['n']:>7}{m['detailed']:>10.3f}{m['broad']:>8.3f}{m['major']:>8.3f}"
        + tail
    )


def _test_sets(r: dict) -> dict[str, dict]:
    """The classifier's reports on every test set, by name."""
    sets = {n: r[n] for n in ("classifier_noisy", "classifier_noisy_posting_sourced") if n in r}
    for part, m in r.get("lca_employer_coded", {}).items():
        sets[f"lca_employer_coded[{part}]"] = m
    return sets


def _print_calibration(r: dict) -> None:
    """Per test set: bands and ECE; then the ECE before / after the calibration map."""
    for name, m in _test_sets(r).items():
        print(f"\n{name}: " + "\n".join(calibration_lines(m)))
    after = r.get("calibrated")
    if not after:
        return
    print(f"\nwith the calibration map {after['map']}:")
    print(f"{'test set':<34}{'ECE before':>11}{'ECE after':>10}{'>=0.8 right':>12}{'n>=0.8':>8}")
    for name, m in _test_sets(r).items():
        if name in after:
            high = after[name]["by_confidence"]["0.8-1.0"]
            print(
                f"{name:<34}{m['calibration']['ece']:>11.3f}"
                f"{after[name]['calibration']['ece']:>10.3f}{high['detailed']:>12.3f}"
                f"{high['n']:>8}"
            )
    for name in ("classifier_noisy", "lca_employer_coded[h2b]"):
        if name in after:
            print(f"\n{name}, calibrated: " + "\n".join(calibration_lines(after[name])))


def _print_table(r: dict) -> None:
    print(
        f"held-out titles: {r['n_heldout']}  references: {r['n_references']}  build: {r['build_seconds']:.1f}s"
    )
    print(
        f"{'model':<34}{'n':>7}{'detailed':>10}{'broad':>8}{'major':>8}{'>=0.8':>8}{'n>=0.8':>7}"
        f"{'ECE':>7}"
    )
    for name in (
        "classifier_noisy",
        "classifier_clean",
        "classifier_noisy_posting_sourced",
        "baseline_noisy",
        "baseline_clean",
        "baseline_noisy_posting_sourced",
    ):
        if name in r:
            _print_row(name, r[name])
    for part, m in r.get("direct_match_heldout", {}).items():
        _print_row(f"direct_match_heldout[{part}]", m)
    for part, m in r.get("lca_employer_coded", {}).items():
        _print_row(f"lca_employer_coded[{part}]", m)
    print("classifier_noisy by confidence band:")
    for band, m in r["classifier_noisy"]["by_confidence"].items():
        if m["n"]:
            _print_row(f"  {band}", m, width=20)
    _print_calibration(r)
    print("methods:", r["methods"])
    tp = r["throughput"]
    print(
        f"throughput: {tp['titles_per_second']:.0f} distinct titles/s ({tp['n_titles']} in {tp['seconds']:.2f}s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
