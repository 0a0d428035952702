"""Resolve a posting's industry (NAICS) from what the source gives, in a fixed order of trust.

1. ``given``: the source's own NAICS code, when it is a valid 2-6 digit code of a 2022 sector.
2. ``employer_table``: the normalised employer is in ``data/seeds/employer_naics.csv`` (a
   row ending in `` *`` matches every name that starts with it: hospital groups file as
   "Prime Healthcare Anaheim", "Prime Healthcare Services Garden City", ...).
3. ``text_match``: the source's industry text (sector, category or agency) names an employer in
   that table (USAJOBS department names), or names a NAICS sector by its title or a keyword
   from ``data/seeds/naics_sectors.csv``.
4. ``unknown``: none of the above; the reason says what was tried. Nothing is guessed.

Codes are returned as given (2-6 digits) or as sector codes ('31-33', '44-45', '48-49' for the
ranged sectors, as OEWS publishes them); ``naics_sector`` maps any code to its sector.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

METHODS = ("given", "employer_table", "text_match", "unknown")
CONFIDENCE = {
    "given": 1.0,
    "employer_table": 0.9,
    "text_employer": 0.8,  # industry text is a known employer/department name
    "text_title": 0.8,  # industry text is a sector title
    "text_keyword": 0.6,  # industry text contains a sector keyword
    "employer_keyword": 0.5,  # employer NAME contains an unambiguous institution word
}

# Institution words in an employer's name that pin its sector with little doubt. Kept short on
# purpose: each was checked against the H-1B sample for false hits. Only used when the source
# gives no NAICS code and the employer is not in the seed table.
_EMPLOYER_WORDS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(rf"(?<![a-z]){w}(?![a-z])"), code, w)
    for w, code in (
        # Order matters: the first hit wins ("Physicians Mutual Insurance" is insurance,
        # "Companion Pet Hospital" is veterinary, 541940).
        ("credit union", "52"), ("bank", "52"), ("insurance", "52"),
        ("veterinary", "54"), ("animal hospital", "54"), ("pet hospital", "54"),
        ("university hospital", "62"), ("university hospitals", "62"),
        ("university", "61"), ("college", "61"), ("school district", "61"),
        ("public schools", "61"), ("animal clinic", "54"), ("pet clinic", "54"),
        ("hospital", "62"), ("hospitals", "62"), ("medical center", "62"), ("clinic", "62"),
        ("health system", "62"), ("healthcare system", "62"), ("health network", "62"),
        ("medical group", "62"), ("physicians", "62"),
    )
)  # fmt: skip

# Two-digit prefixes -> sector code. Ranged sectors share one code.
_SECTOR_OF_PREFIX: dict[str, str] = {
    "31": "31-33", "32": "31-33", "33": "31-33", "44": "44-45", "45": "44-45",
    "48": "48-49", "49": "48-49",
}  # fmt: skip
_NAICS_RAW = re.compile(r"^\s*(\d{2})(?:\s*-\s*\d{2}\b|(\d{0,4}))")
_WORDS = re.compile(r"[^a-z0-9]+")

Resolution = tuple[str | None, str, float, str]


def _norm_text(text: str) -> str:
    return " ".join(_WORDS.sub(" ", text.lower().replace("&", " and ")).split())


def naics_sector(code: Any) -> str | None:
    """The 2022 NAICS sector code ('52', '31-33', ...) of any code, or None."""
    if code is None or (isinstance(code, float) and code != code):
        return None
    match = _NAICS_RAW.match(str(code))
    if not match:
        return None
    prefix = match.group(1)
    return _SECTOR_OF_PREFIX.get(prefix, prefix)


class IndustryResolver:
    """Resolve (naics_raw, employer_normalised, industry_text) to a NAICS code with a method,
    a confidence in [0, 1] and a reason. Seeds load once per instance; the caller hands over
    the two tables (the project's are ``data/seeds/employer_naics.csv`` and
    ``data/seeds/naics_sectors.csv``, ``outlook.config``)."""

    def __init__(self, employer_table: Path | str, sectors_table: Path | str) -> None:
        self.employers: dict[str, tuple[str, str]] = {}
        self.employer_prefixes: list[tuple[str, tuple[str, str]]] = []
        with open(employer_table, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                name = row["employer_normalised"].strip()
                value = (row["naics_code"].strip(), row.get("note") or "")
                if name.endswith(" *"):
                    self.employer_prefixes.append((_norm_text(name[:-2]), value))
                else:
                    self.employers[_norm_text(name)] = value
        # longest first, so a more specific group wins
        self.employer_prefixes.sort(key=lambda item: -len(item[0]))
        self.sectors: dict[str, str] = {}  # sector code -> title
        self.titles: dict[str, str] = {}  # normalised title -> code
        keywords: dict[str, set[str]] = {}
        with open(sectors_table, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = row["code"].strip()
                self.sectors[code] = row["title"]
                self.titles[_norm_text(row["title"])] = code
                for word in (row.get("keywords") or "").split("|"):
                    if word.strip():
                        keywords.setdefault(_norm_text(word), set()).add(code)
        self._valid_prefixes = {p for code in self.sectors for p in _expand(code)}
        # Longest keywords first so "financial services" is tried before "financial".
        self._keywords = sorted(keywords.items(), key=lambda kv: -len(kv[0]))
        self._keyword_re = {
            k: re.compile(rf"(?<![a-z0-9]){re.escape(k)}(?![a-z0-9])") for k, _ in self._keywords
        }

    # -- single value ----------------------------------------------------------------------

    def _given(self, naics_raw: Any) -> tuple[str | None, str | None]:
        """(code, problem). A malformed code is reported, then the other methods are tried."""
        if naics_raw is None or (isinstance(naics_raw, float) and naics_raw != naics_raw):
            return None, None
        text = str(naics_raw).strip()
        if not text:
            return None, None
        match = _NAICS_RAW.match(text)
        if not match:
            return None, f"naics_code_raw {text[:20]!r} is not a NAICS code"
        prefix, rest = match.group(1), match.group(2) or ""
        if prefix not in self._valid_prefixes:
            return None, f"naics_code_raw {text[:20]!r}: {prefix} is not a 2022 NAICS sector"
        if match.group(2) is None:  # a range such as "31-33"
            return _SECTOR_OF_PREFIX.get(prefix, prefix), None
        return prefix + rest, None

    def _seeded_employer(self, employer: str) -> tuple[str, str] | None:
        if employer in self.employers:
            return self.employers[employer]
        for prefix, value in self.employer_prefixes:
            if employer == prefix or employer.startswith(prefix + " "):
                return value
        return None

    def _text(self, text: str) -> Resolution | None:
        key = _norm_text(text)
        if not key:
            return None
        if key in self.employers:
            code, note = self.employers[key]
            return (
                code,
                "text_match",
                CONFIDENCE["text_employer"],
                f"industry text is {key!r}: {note}",
            )
        if key in self.titles:
            code = self.titles[key]
            return (
                code,
                "text_match",
                CONFIDENCE["text_title"],
                f"industry text is sector {code} title",
            )
        hits: dict[str, str] = {}
        for word, codes in self._keywords:
            if word in key and self._keyword_re[word].search(key):
                for code in codes:
                    hits.setdefault(code, word)
        if len(hits) == 1:
            code, word = next(iter(hits.items()))
            return (
                code,
                "text_match",
                CONFIDENCE["text_keyword"],
                f"industry text has keyword {word!r}",
            )
        if len(hits) > 1:
            found = ", ".join(f"{c} ({w!r})" for c, w in sorted(hits.items()))
            return None, "unknown", 0.0, f"industry text {text[:40]!r} is ambiguous: {found}"
        return None

    def resolve(self, naics_raw: Any, employer_normalised: Any, industry_text: Any) -> Resolution:
        """(naics_code | None, method, confidence, reason)."""
        code, problem = self._given(naics_raw)
        if code is not None:
            return code, "given", CONFIDENCE["given"], "source gives the NAICS code"
        notes = [problem] if problem else []
        employer = _norm_text(str(employer_normalised)) if _present(employer_normalised) else ""
        seeded = self._seeded_employer(employer) if employer else None
        if seeded is not None:
            table_code, note = seeded
            reason = f"employer {employer!r} in seed table: {note}"
            return (
                table_code,
                "employer_table",
                CONFIDENCE["employer_table"],
                "; ".join([*notes, reason]),
            )
        if _present(industry_text):
            matched = self._text(str(industry_text))
            if matched is not None:
                if matched[0] is not None:
                    return matched[0], matched[1], matched[2], "; ".join([*notes, matched[3]])
                notes.append(matched[3])
            else:
                notes.append(f"industry text {str(industry_text)[:40]!r} names no sector")
        if employer:
            for pattern, sector, word in _EMPLOYER_WORDS:
                if pattern.search(employer):
                    reason = f"employer name contains {word!r} (not in seed table)"
                    return (
                        sector,
                        "text_match",
                        CONFIDENCE["employer_keyword"],
                        "; ".join([*notes, reason]),
                    )
            notes.append(f"employer {employer[:40]!r} not in seed table")
        if not notes:
            notes.append("no NAICS code, employer or industry text")
        return None, "unknown", 0.0, "; ".join(notes)

    # -- columns ---------------------------------------------------------------------------

    def resolve_many(
        self,
        naics_raw: pd.Series | Sequence[Any],
        employer_normalised: pd.Series | Sequence[Any],
        industry_text: pd.Series | Sequence[Any],
    ) -> pd.DataFrame:
        """``resolve`` over columns, once per distinct triple. Columns: naics_code,
        naics_sector, industry_method, industry_confidence, industry_reason."""
        columns = [_objects(v) for v in (naics_raw, employer_normalised, industry_text)]
        index = naics_raw.index if isinstance(naics_raw, pd.Series) else None
        cache: dict[tuple[Any, Any, Any], Resolution] = {}
        rows = []
        for key in zip(*columns, strict=True):
            hit = cache.get(key)
            if hit is None:
                hit = cache[key] = self.resolve(*key)
            rows.append(hit)
        out = pd.DataFrame(
            rows,
            columns=["naics_code", "industry_method", "industry_confidence", "industry_reason"],
            index=index,
        )
        out.insert(1, "naics_sector", out["naics_code"].map(naics_sector))
        out["industry_confidence"] = out["industry_confidence"].astype("float64")
        return out.astype(
            {"naics_code": "string", "naics_sector": "string", "industry_method": "string",
             "industry_reason": "string"}
        )  # fmt: skip


def _objects(values: pd.Series | Sequence[Any]) -> list[Any]:
    """Plain Python values with every kind of missing (NaN, NA, NaT) as None, so equal keys
    hash equal."""
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    return series.astype(object).where(series.notna(), None).tolist()


def _present(value: Any) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and value != value:
        return False
    return bool(str(value).strip())


def _expand(code: str) -> list[str]:
    if "-" in code:
        lo, hi = code.split("-")
        return [str(n) for n in range(int(lo), int(hi) + 1)]
    return [code]
