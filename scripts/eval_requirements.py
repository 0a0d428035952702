"""Agreement of the extracted minimum education with advertisers' own labels.

Runs ``outlook requirements`` over a labelled CSV of postings (the EMSCAD/Workable ads in
../shared/postings/text/ carry ``required_education``), maps each label to the extractor's
levels, and reports, over the rows where both a mappable label and an extracted level
exist: exact agreement, the confusion matrix (label x extracted), coverage, and the ids of
the rows that disagree, and for the first few of them (``--examples N``, default 6) what the
text says: the sentences in which the extractor read a degree (the label is a form field; the
text may ask for less, more, or "or equivalent").

    .venv/bin/python scripts/eval_requirements.py \\
        ../shared/postings/text/emscad_workable_2012-2014_first500.csv [--db WAREHOUSE]

Labels with no level of their own (Unspecified, Certification, Vocational, Some College
Coursework Completed, Some High School Coursework) are left out. The file is read in
place, never copied. ``--json OUT`` also writes the figures as JSON. ``--speed`` also times
the extraction in-process (ms per posting, skill matching alone) against one compiled
regular-expression alternation of the same aliases.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from outlook.cli.main import main as outlook_main  # noqa: E402
from transforms.requirements import EDUCATION_LEVELS  # noqa: E402

LABELS = {
    "High School or equivalent": "high_school",
    "Associate Degree": "associate",
    "Bachelor's Degree": "bachelor",
    "Master's Degree": "master",
    "Doctorate": "doctorate",
    "Professional": "professional",
}


def evaluate(labels: pd.Series, extracted: pd.Series, ids: pd.Series) -> dict[str, object]:
    """Figures over the rows where both a mapped label and an extracted level exist."""
    truth = labels.map(LABELS)
    both = truth.notna() & extracted.notna() & (extracted != "")
    t, e = truth[both], extracted[both]
    levels = [lvl for lvl in EDUCATION_LEVELS if lvl in set(t) | set(e)]
    matrix = pd.crosstab(
        pd.Categorical(t, categories=levels), pd.Categorical(e, categories=levels), dropna=False
    )
    matrix.index.name, matrix.columns.name = "label", "extracted"
    agree = int((t == e).sum())
    return {
        "rows": len(labels),
        "labelled": int(truth.notna().sum()),
        "extracted": int((extracted.notna() & (extracted != "")).sum()),
        "both": int(both.sum()),
        "agree": agree,
        "agreement": agree / int(both.sum()) if both.any() else float("nan"),
        "confusion": {
            str(k): {str(c): int(v) for c, v in row.items()} for k, row in matrix.iterrows()
        },  # fmt: skip
        "disagree_ids": [str(i) for i in ids[both][t != e]],
        "matrix_text": matrix.to_string(),
    }


def what_the_text_says(frame: pd.DataFrame, columns: list[str], limit: int = 2) -> list[str]:
    """Per row: up to ``limit`` sentences of its cleaned text in which a degree is read,
    each cut to 200 characters ("(no degree named)" when none)."""
    from transforms.posting_text import clean_posting_text, sentences
    from transforms.requirements import education_mentions

    out = []
    for row in frame[columns].itertuples(index=False, name=None):
        said = [
            " ".join(s.text.split())[:200]
            for s in sentences(clean_posting_text(*row).text)
            if education_mentions(s)
        ]
        out.append(" | ".join(said[:limit]) or "(no degree named)")
    return out


def disagreements(frame, report, id_column, columns, label_column, extracted, limit):
    """The first ``limit`` disagreeing rows: id, title, label, extracted level, text."""
    ids = frame[id_column].astype(str) if id_column in frame.columns else frame.index.astype(str)
    rows = frame[ids.isin(report["disagree_ids"][:limit]).to_numpy()]
    quotes = what_the_text_says(rows, columns)
    return [
        {
            "id": str(i),
            "title": str(row.get("title", "")),
            "label": row[label_column].strip(),
            "extracted": extracted.loc[idx],
            "text_says": quote,
        }  # fmt: skip
        for (idx, row), i, quote in zip(rows.iterrows(), ids[rows.index], quotes, strict=True)
    ]


def speed(frame: pd.DataFrame, columns: list[str], db: Path | None) -> dict[str, float]:
    """Milliseconds per posting: whole extraction, token-index matching, and one compiled
    alternation of the same aliases (the approach the token index replaced)."""
    from outlook.build.requirements import load_taxonomy
    from transforms.posting_text import clean_posting_text
    from transforms.requirements import extract_requirements

    started = time.perf_counter()
    taxonomy = load_taxonomy(db)
    built = time.perf_counter() - started
    rows = list(frame[columns].itertuples(index=False, name=None))
    texts = [clean_posting_text(*row).text or "" for row in rows]

    def per_posting(work) -> float:
        started = time.perf_counter()
        for item in work[0]:
            work[1](item)
        return (time.perf_counter() - started) / len(rows) * 1000

    aliases = {" ".join(a.tokens) for bucket in taxonomy.index.values() for a in bucket}
    pattern = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    alternation = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)
    return {
        "aliases": len(aliases),
        "taxonomy_s": built,
        "extract_ms": per_posting((rows, lambda row: extract_requirements(taxonomy, *row))),
        "token_index_ms": per_posting((texts, taxonomy.find)),
        "alternation_ms": per_posting((texts, alternation.findall)),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labelled", type=Path, help="CSV with required_education and text")
    parser.add_argument("--text-columns", default="description,requirements")
    parser.add_argument("--label-column", default="required_education")
    parser.add_argument("--id-column", default="job_id")
    parser.add_argument("--db", help="warehouse with O*NET loaded (only skills depend on it)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--speed", action="store_true", help="also time the extraction")
    parser.add_argument("--examples", type=int, default=6, metavar="N",
                        help="disagreeing rows to quote (default 6)")  # fmt: skip
    args = parser.parse_args(argv)

    frame = pd.read_csv(args.labelled, dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "requirements.csv"
        cli = ["requirements", "--file", str(args.labelled), "--text-columns",
               args.text_columns, "--out", str(out)]  # fmt: skip
        if args.db:
            cli += ["--db", args.db]
        code = outlook_main(cli)
        if code != 0:
            raise SystemExit(f"outlook requirements exited {code}")
        extracted = pd.read_csv(out, dtype=str, keep_default_na=False)
    if len(extracted) != len(frame):
        raise SystemExit(f"{len(extracted)} output rows for {len(frame)} input rows")
    ids = frame[args.id_column] if args.id_column in frame.columns else frame.index.to_series()
    report = evaluate(
        frame[args.label_column].str.strip(), extracted["education_min"].replace("", None), ids
    )
    print(f"rows {report['rows']}, labelled (mappable) {report['labelled']}, "
          f"extracted {report['extracted']}, both {report['both']}")  # fmt: skip
    print(f"education agreement: {report['agreement']:.3f} ({report['agree']}/{report['both']})")
    print("confusion matrix (rows: advertiser's label, columns: extracted minimum):")
    print(report["matrix_text"])
    print(f"disagreeing {args.id_column}s: {', '.join(report['disagree_ids'])}")
    report["disagreements"] = disagreements(
        frame, report, args.id_column, args.text_columns.split(","), args.label_column,
        extracted["education_min"], args.examples,
    )  # fmt: skip
    for row in report["disagreements"]:
        print(f"  {args.id_column} {row['id']} ({row['title']}): label {row['label']!r}, "
              f"extracted {row['extracted']}; the text says: {row['text_says']}")  # fmt: skip
    if args.speed:
        timing = speed(frame, args.text_columns.split(","), Path(args.db) if args.db else None)
        report["speed"] = timing
        print(f"speed: {timing['aliases']:,} aliases built in {timing['taxonomy_s']:.1f} s; "
              f"{timing['extract_ms']:.1f} ms per posting for the whole extraction, "
              f"{timing['token_index_ms']:.2f} ms skill matching (token index) against "
              f"{timing['alternation_ms']:.1f} ms for one compiled alternation")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps({k: v for k, v in report.items() if k != "matrix_text"},
                                        indent=2))  # fmt: skip
    return report


if __name__ == "__main__":
    main()
