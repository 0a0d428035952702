"""Score requirement extraction against a generator's truth file.

    .venv/bin/python scripts/eval_truth.py POSTINGS_FILE TRUTH.csv [--db WAREHOUSE] [--json OUT]

POSTINGS_FILE is a sample or synth drop (CSV, CSV.gz, Parquet or JSON Lines with
``source_id`` and ``description``); TRUTH.csv has one row per source_id
(bench.synth.descriptions.write_truth: data/samples/truth/, or ``<stem>.truth.csv`` beside an
``outlook synth`` drop).
The taxonomy is the seeds plus the O*NET Technology Skills in the warehouse at --db (as
``outlook requirements`` builds it). Reported over postings with planted text: skill and
certification precision/recall (micro, over names), certification required/preferred status
agreement, education exact (no level planted = none found), years within +-1 (over postings
with planted years), years invented where none were planted, and throughput: distinct texts
extracted per second (``extract_many`` reads each distinct text once; taxonomy build apart).

    .venv/bin/outlook ingest onet --mirror data/samples/mirror --db /tmp/w.duckdb
    .venv/bin/outlook synth --postings 10000 --out /tmp/syn --format csv.gz
    .venv/bin/python scripts/eval_truth.py /tmp/syn/postings.csv.gz /tmp/syn/postings.truth.csv \\
        --db /tmp/w.duckdb
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms.requirements import extract_many  # noqa: E402


def _read_postings(path: Path) -> pd.DataFrame:
    if ".jsonl" in path.suffixes:
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict):
                rows.append(rec)
        frame = pd.DataFrame(rows)
    elif path.suffix == ".parquet":
        frame = pd.read_parquet(path).fillna("")
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="skip")
    frame = frame[frame["source_id"].astype(str).str.len() > 0]
    return frame.drop_duplicates("source_id")


def _split(value: object) -> set[str]:
    return {v for v in str(value or "").split(";") if v}


def _pr(tp: int, fp: int, fn: int) -> dict[str, float]:
    return {"precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0, "tp": tp, "fp": fp, "fn": fn}  # fmt: skip


def score(postings: pd.DataFrame, truth: pd.DataFrame, taxonomy) -> dict[str, object]:
    merged = truth.merge(postings[["source_id", "description"]], on="source_id", how="inner")
    merged = merged[merged["has_text"].astype(str) == "True"]
    texts = merged["description"].fillna("").astype(str)
    started = time.perf_counter()
    found = extract_many(taxonomy, [[d] for d in texts])
    seconds = time.perf_counter() - started
    counts = {k: [0, 0, 0] for k in ("skills", "certifications")}
    status_ok = status_n = edu_ok = years_ok = years_n = years_invented = 0
    misses: dict[str, list[str]] = {"skills_fn": [], "skills_fp": [], "edu": [], "years": []}
    for (_, t), f in zip(merged.iterrows(), found, strict=True):
        for key, want, got in (
            ("skills", _split(t["skills"]), set(f.skills)),
            ("certifications", _split(t["certifications_required"])
             | _split(t["certifications_preferred"]), set(f.certifications)),
        ):  # fmt: skip
            counts[key][0] += len(want & got)
            counts[key][1] += len(got - want)
            counts[key][2] += len(want - got)
            if key == "skills" and (want - got or got - want) and len(misses["skills_fn"]) < 5:
                misses["skills_fn"].append(f"{t['source_id']}: missed {sorted(want - got)} "
                                           f"extra {sorted(got - want)}")  # fmt: skip
        for cert in _split(t["certifications_required"]):
            status_n += 1
            status_ok += cert in f.certifications_required
        for cert in _split(t["certifications_preferred"]):
            status_n += 1
            status_ok += cert in f.certifications_preferred
        want_edu = t["education_min"] or None
        if (f.education_min or None) == want_edu:
            edu_ok += 1
        elif len(misses["edu"]) < 5:
            misses["edu"].append(f"{t['source_id']}: want {want_edu} got {f.education_min}")
        want_years = str(t["experience_years_min"] or "")
        if want_years:
            years_n += 1
            got = f.experience_years_min
            if got is not None and abs(got - float(want_years)) <= 1:
                years_ok += 1
            elif len(misses["years"]) < 5:
                misses["years"].append(f"{t['source_id']}: want {want_years} got {got}")
        elif f.experience_years_min is not None:
            years_invented += 1
    n = len(merged)
    return {
        "postings_with_text": n,
        "skills": _pr(*counts["skills"]),
        "certifications": _pr(*counts["certifications"]),
        "certification_status_agreement": status_ok / status_n if status_n else None,
        "education_exact": edu_ok / n if n else None,
        "years_within_1": years_ok / years_n if years_n else None,
        "years_planted": years_n,
        "years_invented": years_invented,
        "distinct_texts": int(texts.nunique()),
        "extract_seconds": seconds,
        "texts_per_second": texts.nunique() / seconds if seconds else None,
        "examples": misses,
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    from outlook.build.requirements import load_taxonomy

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("postings", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--db", type=Path, default=None, help="warehouse with O*NET skills")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    taxonomy = load_taxonomy(args.db)
    truth = pd.read_csv(args.truth, dtype=str, keep_default_na=False)
    report = score(_read_postings(args.postings), truth, taxonomy)
    print(f"taxonomy: {taxonomy.source}")
    print(f"{args.postings.name}: {report['postings_with_text']} postings with planted text")
    for key in ("skills", "certifications"):
        r = report[key]
        print(f"  {key}: precision {r['precision']:.3f} recall {r['recall']:.3f} "
              f"(tp {r['tp']} fp {r['fp']} fn {r['fn']})")  # fmt: skip
    print(f"  certification status agreement {report['certification_status_agreement']:.3f}")
    print(f"  education exact {report['education_exact']:.3f}; years within +-1 "
          f"{report['years_within_1']:.3f} of {report['years_planted']} "
          f"(years found where none planted: {report['years_invented']})")  # fmt: skip
    print(f"  throughput: {report['distinct_texts']:,} distinct texts in "
          f"{report['extract_seconds']:.2f} s = {report['texts_per_second']:,.0f} texts/s")  # fmt: skip
    for key, items in report["examples"].items():
        for item in items:
            print(f"    {key}: {item}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
