"""Write small, deterministic posting file drops for the demo, in the generic profile's columns.

Two files (both load with ``load_profile("generic")``):

* ``vendor_postings_2024-05_2026-10.csv.gz``: a vendor-style CSV export (free-text salaries,
  CRLF line ends, a repeated header, a ragged line, a junk line and impossible dates).
* ``vendor_postings_api.jsonl``: an API-style JSON Lines drop (structured min/max/period for
  some salaries, a broken JSON line, a non-object line).

The postings are synthetic, written by this project. They carry a Performance Improvement
Director story: title variants and look-alikes across healthcare (rising), manufacturing
(flat), finance (falling) and technology (slowly rising), among other roles, with reposts
and exact duplicates. Industry comes from a NAICS code, an industry text, or only the
employer name, so every resolver path is exercised.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.synth.descriptions import describe, write_truth

START = date(2024, 5, 1)
MONTHS = 30  # May 2024 .. Oct 2026
COLUMNS = [
    "source_id", "title_raw", "employer_raw", "location_raw", "posted_date", "close_date",
    "naics_code_raw", "industry_text", "salary_text", "description",
]  # fmt: skip

# employer, naics code, industry text (a vendor gives one, the other, or neither)
EMPLOYERS: dict[str, list[tuple[str, str, str]]] = {
    "health": [
        ("Mercy Regional Health System", "622110", "Hospitals & Health Care"),
        ("St. Luke's Medical Center", "622110", "Health Care"),
        ("Lakeside Community Hospital, Inc.", "622110", "Healthcare"),
        ("Northfield Physicians Group, PLLC", "621111", "Health Care"),
    ],
    "manufacturing": [
        ("Apex Automotive Components LLC", "336390", "Manufacturing"),
        ("Midwest Precision Manufacturing Co.", "332710", "Manufacturing"),
        ("Keystone Packaging Corp.", "322211", "Industrial Manufacturing"),
    ],
    "finance": [
        ("First Harbor Bank, N.A.", "522110", "Banking"),
        ("Summit Mutual Insurance Company", "524126", "Insurance"),
        ("Granite Peak Capital Partners LP", "523940", "Financial Services"),
    ],
    "tech": [
        ("Brightwave Software, Inc.", "513210", "Software"),
        ("Cobalt Analytics Consulting LLC", "541512", "IT Services"),
        ("Nimbus Cloud Systems Corp.", "518210", "Information Technology"),
    ],
}

PI_TITLES = [
    "Performance Improvement Director",
    "Director of Performance Improvement",
    "Director, Quality & Performance Improvement - Req #4821",
    "PI Director",
    "Sr. Director Operational Excellence",
    "Director of Continuous Improvement (Lean Six Sigma)",
    "Director, Process Improvement",
    "Performance Improvement Director - Nursing Quality",
    "Director of Operational Excellence & Continuous Improvement",
]
LOOKALIKES = [
    ("Director of Performance Marketing", "tech"),
    ("Performance Marketing Director", "finance"),
    ("Director of Quality Assurance (Software)", "tech"),
    ("Performance Improvement Coordinator", "health"),
    ("Director of Performance Engineering", "tech"),
    ("Performance Management Director, HR", "manufacturing"),
]
OTHER_ROLES = [
    ("Registered Nurse", "health", (34, 58, "hour")),
    ("RN - Med/Surg Night Shift", "health", (38, 62, "hour")),
    ("Medical Assistant", "health", (17, 24, "hour")),
    ("Data Scientist", "tech", (115, 175, "k")),
    ("Senior Software Engineer", "tech", (135, 210, "k")),
    ("Software Engineer II", "tech", (105, 160, "k")),
    ("Project Manager", "manufacturing", (80, 120, "k")),
    ("IT Project Manager", "finance", (95, 140, "k")),
    ("Financial Analyst", "finance", (70, 105, "k")),
    ("Staff Accountant", "finance", (58, 80, "k")),
    ("Production Supervisor", "manufacturing", (62, 85, "k")),
    ("Quality Engineer", "manufacturing", (75, 105, "k")),
    ("Customer Service Representative", "finance", (17, 23, "hour")),
]
LOCATIONS = [
    "Austin, TX", "Columbus, OH", "Charlotte, NC", "Denver, CO", "Minneapolis, MN",
    "Pittsburgh, PA", "Phoenix, AZ", "Nashville, TN", "Grand Rapids, MI", "Boston, MA",
    "Chicago, Illinois", "Washington, District of Columbia", "Remote", "Remote - US",
    "Multiple Locations", "Seattle, WA 98101",
]  # fmt: skip


def _month(i: int) -> date:
    year, month = divmod(START.month - 1 + i, 12)
    return date(START.year + year, month + 1, 1)


def _pi_per_month(sector: str, i: int) -> float:
    """Expected PI-director postings per month: healthcare rising, manufacturing flat,
    finance falling, technology (split between NAICS 51 and 54) rising gently. Sized so each
    sector has well over 30 unique postings in the last 12 months (the outlook's minimum)."""
    t = i / (MONTHS - 1)
    return {
        "health": 3.0 + 7.0 * t,
        "manufacturing": 5.0,
        "finance": 9.0 - 5.0 * t,
        "tech": 6.0 + 3.0 * t,
    }[sector]


def _salary_text(rng: random.Random, lo: float, hi: float, unit: str) -> str:
    """One of many real-world salary spellings for the same range."""
    if rng.random() < 0.12:
        return rng.choice(["DOE", "Competitive", "Commensurate with experience", ""])
    if unit == "hour":
        a, b = rng.uniform(lo, (lo + hi) / 2), rng.uniform((lo + hi) / 2, hi)
        return rng.choice(
            [f"${a:.2f} - ${b:.2f} per hour", f"${a:.0f}/hr", f"{a:.2f} - {b:.2f} hourly",
             f"From ${a:.0f} an hour", f"${a:.2f}–${b:.2f}/hour"]
        )  # fmt: skip
    a = round(rng.uniform(lo, (lo + hi) / 2)) * 1000
    b = round(rng.uniform((lo + hi) / 2, hi)) * 1000
    return rng.choice(
        [f"${a // 1000}K - ${b // 1000}K a year", f"${a:,.2f} - ${b:,.2f} Per Year",
         f"{a:,}-{b:,} per annum", f"USD {a}", f"Up to ${b // 1000}k", f"${a / 12:,.0f}/month",
         f"${a:,} to ${b:,}", f"{a // 1000}k-{b // 1000}k"]
    )  # fmt: skip


def _postings(
    rng: random.Random, text_rng: random.Random, truth: dict[str, dict]
) -> list[dict[str, Any]]:
    """The rows; descriptions come from ``text_rng`` alone, so every other column is what it
    was before descriptions were planted. ``truth`` gets each source_id's planted facts."""
    rows: list[dict[str, Any]] = []

    def add(title: str, sector: str, month: date, pay: tuple[float, float, str]) -> None:
        employer, naics, industry = rng.choice(EMPLOYERS[sector])
        posted = month + timedelta(days=rng.randrange(28))
        signal = rng.random()
        row = {
            "source_id": f"VF-{len(rows) + 100000}",
            "title_raw": title,
            "employer_raw": employer,
            "location_raw": rng.choice(LOCATIONS),
            "posted_date": posted.isoformat(),
            "close_date": (posted + timedelta(days=rng.choice([30, 45, 60]))).isoformat()
            if rng.random() < 0.7
            else "",
            # ~45% give NAICS, ~45% an industry text, ~10% neither (employer name only).
            "naics_code_raw": naics if signal < 0.45 else "",
            "industry_text": industry if 0.45 <= signal < 0.9 else "",
            "salary_text": _salary_text(rng, *pay),
            "description": "",
        }
        row["description"], truth[row["source_id"]] = describe(text_rng, title, sector, employer)
        rows.append(row)

    for i in range(MONTHS):
        month = _month(i)
        for sector in EMPLOYERS:
            n = int(_pi_per_month(sector, i) + rng.random())
            for _ in range(n):
                add(rng.choice(PI_TITLES), sector, month, (130, 210, "k"))
        for _ in range(2):
            title, sector = rng.choice(LOOKALIKES)
            add(title, sector, month, (110, 180, "k"))
        for _ in range(50):
            title, sector, pay = rng.choice(OTHER_ROLES)
            add(title, sector, month, pay)
    # Reposts: same posting re-listed a few weeks later under a new id; exact duplicates: the
    # same record delivered twice.
    for row in rng.sample(rows, 60):
        again = dict(row, source_id=f"VF-{len(rows) + 100000}")
        truth[again["source_id"]] = truth[row["source_id"]]
        again["posted_date"] = (
            date.fromisoformat(row["posted_date"]) + timedelta(days=21)
        ).isoformat()
        if again["posted_date"] <= "2026-10-31":
            rows.append(again)
    rows.extend(dict(r) for r in rng.sample(rows, 25))
    rng.shuffle(rows)
    return rows


def _csv_gz(path: Path, rows: list[dict[str, Any]]) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for i, row in enumerate(rows):
        writer.writerow(row)
        if i == 300:
            buffer.write(
                'VF-BAD1,Charge Nurse,"Mercy Regional Health System",Austin, TX,2025-01-05\r\n'
            )
        if i == 700:  # a second export concatenated onto the first
            writer.writeheader()
        if i == 900:
            buffer.write("----- page 2 of 3 -----\r\n")
        if i == 1100:
            writer.writerow(dict(row, source_id="VF-BAD2", posted_date="1899-12-31"))
        if i == 1200:
            writer.writerow(dict(row, source_id="VF-BAD3", posted_date="31/31/2025"))
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes identical across runs.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue().encode("utf-8"))
    return path


def _jsonl(path: Path, rows: list[dict[str, Any]], rng: random.Random) -> Path:
    lines = []
    for i, row in enumerate(rows):
        record = {k: v for k, v in row.items() if v not in ("", None)}
        text = record.get("salary_text", "")
        if rng.random() < 0.4 and text.startswith("$") and "K" in text and " - " in text:
            # The API variant: numbers and a unit instead of text.
            lo, hi = text.replace("$", "").replace("K", "").split(" a year")[0].split(" - ")
            record.pop("salary_text")
            record.update(salary_min_raw=float(lo) * 1000, salary_max_raw=float(hi) * 1000,
                          salary_period_raw="YEAR", currency_raw="USD")  # fmt: skip
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        if i == 150:
            lines.append('{"source_id":"VF-BAD4","title_raw":"Registered Nurse","employer_raw":')
        if i == 320:
            lines.append('["not", "an", "object"]')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_postings_samples(out_dir: Path, seed: int = 4821) -> list[Path]:
    """Write the two sample drops into ``out_dir`` and return their paths."""
    rng = random.Random(seed)
    truth: dict[str, dict] = {}
    rows = _postings(rng, random.Random(f"descriptions-{seed}"), truth)
    split = int(len(rows) * 0.75)
    csv_path = out_dir / "vendor_postings_2024-05_2026-10.csv.gz"
    jsonl_path = out_dir / "vendor_postings_api.jsonl"
    # truth beside the drop folder, not in it: the loader reads every file in the folder
    truth_dir = out_dir.parent / "truth"
    return [
        _csv_gz(csv_path, rows[:split]),
        _jsonl(jsonl_path, rows[split:], rng),
        write_truth(
            truth_dir / "vendor_postings_2024-05_2026-10.truth.csv",
            ((r["source_id"], truth[r["source_id"]]) for r in rows[:split]),
        ),
        write_truth(
            truth_dir / "vendor_postings_api.truth.csv",
            ((r["source_id"], truth[r["source_id"]]) for r in rows[split:]),
        ),
    ]


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    for written in write_postings_samples(root / "data" / "samples" / "postings"):
        print(f"wrote {written.relative_to(root)} ({written.stat().st_size:,} bytes)")
