"""The same job written the way most users would without this project: pandas.

``pd.read_csv``, then ``Series.apply`` with hand-written regex functions for the salary
text and the title, a dict lookup for the industry, role matching by looping over the
catalogue's regexes for each title, duplicates by sort + groupby + shift, and a groupby for
the monthly role x sector counts. Run as a subprocess by bench/run.py:

    python bench/baseline_pandas.py POSTINGS.csv.gz OUT.parquet

Written honestly and reasonably (compiled regexes, ``apply`` on distinct values would be an
optimisation most users do not make, so it is not made here), and it does LESS than the
pipeline: no O*NET occupation classification, no quarantine with reasons, no lineage, no
load into a warehouse. The comparison therefore favours the baseline.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent

_NUM = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([kK])?")
_NOISE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\([^)]*\)|\[[^\]]*\]",
        r"\s-\s.*$",
        r"\b(?:req|job id|jr|r)[\s#:-]*\d+\b",
        r"\b(?:senior|sr\.?|junior|jr\.?|lead|entry level)\b",
        r"\b(?:i|ii|iii|iv|2|3)$",
        r"\b(?:prn|full[\s-]?time|part[\s-]?time|remote|hybrid)\b",
    )
]
_SECTOR_WORDS = {
    "health": "62", "hospital": "62", "medical": "62", "bank": "52", "financ": "52",
    "insurance": "52", "manufactur": "31-33", "software": "51", "information": "51",
    "retail": "44-45", "construction": "23", "education": "61", "school": "61",
    "government": "92", "public": "92", "transport": "48-49", "logistic": "48-49",
    "wholesale": "42", "hospitality": "72", "restaurant": "72", "legal": "54",
    "consult": "54", "real estate": "53", "staffing": "56", "utilit": "22", "mining": "21",
}  # fmt: skip


def parse_salary(text: object) -> float | None:
    """Annual midpoint from free text, the usual hand-rolled way."""
    if not isinstance(text, str) or not text.strip():
        return None
    low = text.lower()
    values = []
    for number, k in _NUM.findall(low):
        value = float(number.replace(",", ""))
        values.append(value * 1000 if k else value)
    if not values:
        return None
    mid = sum(values[:2]) / len(values[:2])
    if "hour" in low or "/hr" in low or "hourly" in low:
        mid *= 2080
    elif "month" in low:
        mid *= 12
    elif mid < 500:
        mid *= 2080
    return mid


def clean_title(title: object) -> str:
    if not isinstance(title, str):
        return ""
    text = title
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def load_role_patterns() -> list[tuple[str, list[re.Pattern[str]], list[re.Pattern[str]], set]]:
    doc = yaml.safe_load((ROOT / "data" / "seeds" / "roles.yaml").read_text(encoding="utf-8"))
    roles = []
    for spec in doc["roles"]:
        pats = [re.compile(p["regex"]) for p in spec.get("patterns", [])]
        excl = [re.compile(x) for x in spec.get("exclusions", [])]
        aliases = {clean_title(a) for a in spec.get("aliases", []) or []}
        roles.append((spec["name"], pats, excl, aliases))
    return roles


def main(csv_path: str, out_path: str) -> int:
    started = time.perf_counter()
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False, on_bad_lines="skip")
    df["posted"] = pd.to_datetime(df["posted_date"], format="mixed", errors="coerce")
    df = df[df["posted"].notna() & (df["posted"] >= "1990-01-01") & (df["title_raw"] != "")]
    df["salary_mid"] = df["salary_text"].apply(parse_salary)
    df["title_clean"] = df["title_raw"].apply(clean_title)
    df["employer_clean"] = (
        df["employer_raw"]
        .str.lower()
        .str.replace(r",?\s+(inc\.?|llc|corp\.?|co\.?|company|ltd\.?)$", "", regex=True)
    )
    roles = load_role_patterns()

    def role_of(title: str) -> str | None:
        for name, pats, excl, aliases in roles:
            if any(x.search(title) for x in excl):
                continue
            if title in aliases or any(p.search(title) for p in pats):
                return name
        return None

    df["role"] = df["title_clean"].apply(role_of)

    def sector_of(row: pd.Series) -> str | None:
        code = row["naics_code_raw"]
        if code:
            return {"31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
                    "48": "48-49", "49": "48-49"}.get(code[:2], code[:2])  # fmt: skip
        text = (row["industry_text"] or "").lower()
        for word, sector in _SECTOR_WORDS.items():
            if word in text:
                return sector
        return None

    df["sector"] = df.apply(sector_of, axis=1)
    # Duplicates: same title + employer + location within 60 days of the previous one.
    df = df.sort_values(["title_clean", "employer_clean", "location_raw", "posted"])
    gap = df.groupby(["title_clean", "employer_clean", "location_raw"])["posted"].diff()
    df["is_duplicate"] = gap.notna() & (gap <= pd.Timedelta(days=60))
    unique = df[~df["is_duplicate"] & df["role"].notna()]
    monthly = (
        unique.groupby(["role", "sector", unique["posted"].dt.to_period("M")])
        .agg(postings=("title_raw", "size"), median_salary=("salary_mid", "median"))
        .reset_index()
    )
    monthly["posted"] = monthly["posted"].astype(str)
    monthly.to_parquet(out_path)
    print(
        json.dumps(
            {
                "rows": int(len(df)),
                "monthly_rows": int(len(monthly)),
                "seconds": round(time.perf_counter() - started, 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
