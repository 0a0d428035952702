"""Skills, methods and certifications named in a posting, against a taxonomy.

The taxonomy (``SkillTaxonomy``) is built from what it is handed, never from files it finds:

- O*NET Technology Skills rows (``example``, ``commodity_title``, ``hot_technology``,
  ``onet_soc_code``: ``raw.onet__technology_skills``): each distinct example is a skill
  (kind ``technology``), each commodity title a category skill (``technology category``);
- the curated seed terms of ``data/seeds/certifications.csv`` (``read_seed_terms``): methods
  (Lean, Six Sigma, Kaizen, PDSA ...) and certifications/licences (PMP, CPHQ, Six Sigma
  belts, RN licence ...) with aliases and the terms each implies (a Black Belt implies Six
  Sigma);
- the stop-list of ``data/seeds/skill_stoplist.csv`` (``read_stoplist``).

Aliases of an O*NET example: the example itself; without a vendor in ``VENDORS``
("Microsoft Excel" -> "Excel", "Autodesk AutoCAD" -> "AutoCAD"; Microsoft's also as
"MS Excel"); without a trailing " software" when a name is left ("SAP software" -> "SAP");
the one-word company of an example that is "<Company> Systems" (O*NET's name for a vendor's
product line: "Epic Systems" -> "Epic", as ads write the EHR; capitalised only, so "an epic
journey" is not it); and the acronym a descriptive name ends in ("Structured query language
SQL" -> "SQL").

What is never matched, and why (an extraction reporting "Word" for every posting that says
"word" measures nothing):

- one-character aliases ("C", "R", "J"): "C-level", "R&D", "Plan B";
- aliases in the stop-list with rule ``never`` (common English words: "Word", "Access",
  "Project", "Outlook", "Go", "Chef" ...): their vendor-qualified form still matches
  ("Microsoft Word", "MS Access");
- aliases in the stop-list with rule ``cased`` match only as written ("Excel", not
  "excel in a fast-paced team"); so do aliases of three characters or fewer ("SAS",
  "PMP", "RN", "PE").

Matching is token based: text and aliases are cut into the same tokens (letters and digits,
joined by ``. + # '`` inside a token: "Node.js", "C++", "C#"), lowercased, and each token
looks up the aliases starting with it in a dict, longest first; a match consumes its
tokens (leftmost-longest, non-overlapping). Word boundaries come free ("Java" never matches
inside "JavaScript"), and the cost is one dict lookup per token whatever the taxonomy's
size. Measured on the 500 Workable ads in ../shared (description + requirements, 8,775
O*NET examples + 135 commodity titles + seeds): see README "Requirements from posting
text".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = [
    "VENDORS",
    "Match",
    "SeedTerm",
    "SkillEntry",
    "SkillTaxonomy",
    "build_taxonomy",
    "read_seed_terms",
    "read_stoplist",
    "tokens",
]

Kind = Literal["technology", "technology category", "method", "certification"]
SEED_KINDS = ("method", "certification")

# Vendors whose product names are written without them in postings ("Excel", "AutoCAD",
# "Hadoop"). Google and Cisco are not here: "Google Analytics" is how postings say it and
# "Analytics" alone is a common word.
VENDORS = (
    "Microsoft",
    "Oracle",
    "IBM",
    "Autodesk",
    "Adobe",
    "The MathWorks",
    "Apache",
    "Atlassian",
    "Intuit",
    "Amazon",
    "ESRI",
    "SAP",
    "Apple",
)
CASED_MAX_CHARS = 3  # aliases this short must be capitalised
UPPER_MAX_CHARS = 4  # all-capital aliases this short must be written in capitals
ANY_CASE, CAPITALISED, UPPER = 0, 1, 2


@dataclass(frozen=True)
class SeedTerm:
    name: str
    kind: Literal["method", "certification"]
    aliases: tuple[str, ...]
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkillEntry:
    name: str
    kind: Kind
    source: Literal["onet", "seed"]
    category: str | None = None  # O*NET commodity title of an example
    hot_technology: bool = False
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    entry: SkillEntry
    start: int  # character span in the text searched
    end: int


@dataclass(frozen=True)
class _Alias:
    tokens: tuple[str, ...]
    entry: int
    case: int  # ANY_CASE, CAPITALISED ("Excel", not "excel") or UPPER ("SAN", not "San")


@dataclass
class SkillTaxonomy:
    """Entries and the token index over their aliases (``build_taxonomy`` makes one)."""

    entries: list[SkillEntry]
    index: dict[str, list[_Alias]] = field(repr=False)
    source: str  # says what it was built from, for the user
    _names: dict[str, SkillEntry] | None = field(default=None, repr=False)

    def find(self, text: str) -> list[Match]:
        """Every alias occurrence in ``text``, leftmost-longest, in text order."""
        found: list[Match] = []
        toks = tokens(text)
        i = 0
        while i < len(toks):
            word, start, _ = toks[i]
            hit = None
            for alias in self.index.get(word, ()):
                n = len(alias.tokens)
                if i + n > len(toks):
                    continue
                if any(toks[i + k][0] != alias.tokens[k] for k in range(1, n)):
                    continue
                if alias.case and not _case_ok(text[start : toks[i + n - 1][2]], alias.case):
                    continue
                hit = (alias, n)
                break  # aliases are sorted longest first
            if hit is None:
                i += 1
                continue
            alias, n = hit
            found.append(Match(self.entries[alias.entry], start, toks[i + n - 1][2]))
            i += n
        return found

    def by_name(self) -> dict[str, SkillEntry]:
        """Entries by name (built once: extraction asks for it per posting)."""
        if self._names is None:
            self._names = {e.name: e for e in self.entries}
        return self._names


_TOKEN = re.compile(r"[^\W_]+(?:[.+#'][^\W_]+)*[+#]*")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(lowercased token, start, end) for each token of ``text``; see the module doc."""
    return [(m.group().casefold(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


# --- reading the seeds (paths handed in) --------------------------------------------------


def read_seed_terms(path: Path) -> list[SeedTerm]:
    """``certifications.csv``: name, kind (method|certification), aliases and implies
    (each ``;``-separated). Raises ValueError naming the file and row on a bad row."""
    terms = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row_no, row in enumerate(csv.DictReader(handle), start=2):
            name, kind = (row.get("name") or "").strip(), (row.get("kind") or "").strip()
            if not name or kind not in SEED_KINDS:
                raise ValueError(
                    f"{path}: row {row_no}: needs a name and kind in {SEED_KINDS}, got "
                    f"name={name!r} kind={kind!r}"
                )
            terms.append(
                SeedTerm(name, kind, _split(row.get("aliases")), _split(row.get("implies")))  # type: ignore[arg-type]
            )
    names = {t.name for t in terms}
    for term in terms:
        unknown = [n for n in term.implies if n not in names]
        if unknown:
            raise ValueError(f"{path}: {term.name!r} implies unknown term(s) {unknown}")
    return terms


def read_stoplist(path: Path) -> dict[str, str]:
    """``skill_stoplist.csv``: alias, rule (never|cased), reason -> {casefolded alias: rule}."""
    rules: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row_no, row in enumerate(csv.DictReader(handle), start=2):
            alias, rule = (row.get("alias") or "").strip(), (row.get("rule") or "").strip()
            if not alias or rule not in ("never", "cased"):
                raise ValueError(f"{path}: row {row_no}: needs an alias and rule never|cased")
            rules[alias.casefold()] = rule
    return rules


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(";") if p.strip())


# --- building the taxonomy ----------------------------------------------------------------

_COMPANY_SYSTEMS = re.compile(r"^(\S{3,}) Systems$")
_ACRONYM_END = re.compile(r"^(.+?) ([A-Z][A-Z0-9]{1,6})(?: software)?$")


def onet_aliases(example: str) -> list[tuple[str, bool]]:
    """The ways postings write an O*NET example (see the module doc), each with whether
    it must be written with capitals to match (a vendor-less one-word name: "Excel",
    "Spark", not "spark"; an acronym: "SQL")."""
    out = [(example, example.isupper())]
    for vendor in VENDORS:
        if example.startswith(vendor + " "):
            rest = example[len(vendor) + 1 :]
            out.append((rest, True))  # "Excel", "Power BI", never "excel", "data pipeline"
            if vendor == "Microsoft":
                out.append(("MS " + rest, False))
    for name, cased in list(out):
        if name.endswith(" software"):
            rest = name[: -len(" software")]
            # only a product's own name: "SAP software", "Google Cloud software"; never a
            # description ("Data analysis software" -> "data analysis" is a discipline)
            words = rest.split()
            if rest.isupper() or (len(words) > 1 and all(w[:1].isupper() for w in words)):
                out.append((rest, cased or " " not in rest))
    for name, _cased in list(out):
        company = _COMPANY_SYSTEMS.match(name)
        if company and example.startswith(company.group(1) + " "):  # not "Building Systems"
            out.append((company.group(1), True))  # "Epic", never "epic"
    acronym = _ACRONYM_END.match(example)
    if acronym and _spells(acronym.group(2).lower(), acronym.group(1).lower().split()):
        out.append((acronym.group(2), True))
        out.append((acronym.group(1), False))  # "Amazon Web Services", "Structured query language"
    seen: dict[str, bool] = {}
    for name, cased in out:
        seen.setdefault(name, cased)
    return list(seen.items())


def _spells(acronym: str, words: list[str]) -> bool:
    """Whether ``acronym`` is made of the descriptive ``words`` before it, each giving at
    least one letter in order, the later words from their initial: "Extensible markup
    language" spells XML; "Moz search engine optimization" does not spell SEO (the acronym
    is the method's, not the vendor product's)."""
    if not words:
        return not acronym
    word, rest = words[0], words[1:]
    for take in range(1, len(acronym) + 1):
        head = acronym[:take]
        if _subsequence(head, word) and _spells_rest(acronym[take:], rest):
            return True
    return False


def _spells_rest(acronym: str, words: list[str]) -> bool:
    if not words:
        return not acronym
    word, rest = words[0], words[1:]
    for take in range(1, len(acronym) + 1):
        head = acronym[:take]
        if head[0] == word[0] and _subsequence(head, word) and _spells_rest(acronym[take:], rest):
            return True
    return False


def _subsequence(letters: str, word: str) -> bool:
    it = iter(word)
    return all(ch in it for ch in letters)


def build_taxonomy(
    technology_skills: Iterable[Mapping[str, object]] | None,
    seeds: Sequence[SeedTerm],
    stoplist: Mapping[str, str],
    source: str,
) -> SkillTaxonomy:
    """The taxonomy from O*NET Technology Skills rows (None: seeds only), seed terms and
    the stop-list. An alias two entries share goes to a seed term first, then to the entry
    named exactly so, then to the example more occupations list."""
    entries: list[SkillEntry] = []
    # (alias, must it be written with capitals, entry, priority: lowest wins)
    candidates: list[tuple[str, bool, int, tuple[int, int, int]]] = []

    for term in seeds:
        entries.append(SkillEntry(term.name, term.kind, "seed", implies=term.implies))
        for alias in (term.name, *term.aliases):
            candidates.append((alias, False, len(entries) - 1, (0, 0, 0)))

    if technology_skills is not None:
        examples, categories = _collect_onet(technology_skills)
        for example, (category, hot, occupations) in examples.items():
            entries.append(SkillEntry(example, "technology", "onet", category, hot))
            for alias, cased in onet_aliases(example):
                exact = 0 if alias == example else 1
                candidates.append((alias, cased, len(entries) - 1, (1, exact, -occupations)))
        for category in sorted(categories):
            entries.append(SkillEntry(category, "technology category", "onet"))
            candidates.append((category, False, len(entries) - 1, (2, 0, 0)))

    chosen: dict[tuple[str, ...], tuple[tuple[int, int, int], _Alias]] = {}
    for alias, cased, entry, priority in candidates:
        toks = tuple(t for t, _, _ in tokens(alias))
        rule = stoplist.get(alias.casefold())
        if not toks or len(alias) < 2 or rule == "never":
            continue
        if alias.isupper() and len(alias) <= UPPER_MAX_CHARS:
            case = UPPER
        elif cased or rule == "cased" or len(alias) <= CASED_MAX_CHARS:
            case = CAPITALISED
        else:
            case = ANY_CASE
        if toks not in chosen or priority < chosen[toks][0]:
            chosen[toks] = (priority, _Alias(toks, entry, case))

    index: dict[str, list[_Alias]] = {}
    for _, alias in chosen.values():
        index.setdefault(alias.tokens[0], []).append(alias)
    for bucket in index.values():
        bucket.sort(key=lambda a: -len(a.tokens))
    return SkillTaxonomy(entries, index, source)


def _collect_onet(
    rows: Iterable[Mapping[str, object]],
) -> tuple[dict[str, tuple[str | None, bool, int]], set[str]]:
    """example -> (commodity title, hot technology anywhere, occupations listing it)."""
    seen: dict[str, tuple[str | None, bool, set[str]]] = {}
    categories: set[str] = set()
    for row in rows:
        example = row.get("example")
        if not isinstance(example, str) or not example.strip():
            continue
        category = row.get("commodity_title")
        category = category.strip() if isinstance(category, str) and category.strip() else None
        if category:
            categories.add(category)
        hot = _truthy(row.get("hot_technology"))
        old = seen.get(example.strip())
        codes = old[2] if old else set()
        codes.add(str(row.get("onet_soc_code")))
        seen[example.strip()] = (old[0] if old else category, hot or bool(old and old[1]), codes)
    return {k: (c, h, len(s)) for k, (c, h, s) in seen.items()}, categories


def _case_ok(written: str, case: int) -> bool:
    return written.isupper() if case == UPPER else not written.islower()


def _truthy(value: object) -> bool:
    # bool, numpy bool or 'Y'/'True' text; NULL (None, NaN, pd.NA) is False
    return str(value).strip().lower() in ("true", "y", "1")
