"""Normalise job-posting titles into a canonical, comparable form.

Job boards decorate titles with shift patterns, locations, requisition numbers,
bonuses and seniority words. ``parse_title`` peels those off (keeping what it removed,
so nothing is silently lost), expands common abbreviations and puts comma-inverted
titles ("Director, Quality") into reading order ("director of quality").

The result is lowercase ASCII words separated by single spaces. ``normalise_title`` is
idempotent and never raises; titles that cannot be normalised get an empty string and a
``reason`` ('empty title', 'no Latin letters', 'too long').
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# Titles longer than this are descriptions pasted into the title field, not titles.
MAX_TITLE_CHARS = 300

REASON_EMPTY = "empty title"
REASON_NO_LATIN = "no Latin letters"
REASON_TOO_LONG = "too long"


@dataclass(frozen=True, slots=True)
class TitleParts:
    """A parsed title: the canonical text plus what was taken out of it."""

    raw: str
    normalised: str
    seniority: tuple[str, ...] = ()
    noise: tuple[str, ...] = field(default=())
    reason: str | None = None


# --- abbreviations -------------------------------------------------------------------
# Token -> expansion. Expansions must not themselves contain keys of this table (that
# keeps expansion idempotent). Ambiguous ones ("admin", "acct", "tech") are resolved by
# position in ``_expand``.
ABBREVIATIONS: dict[str, str] = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "mgr": "manager",
    "mngr": "manager",
    "mgmt": "management",
    "dir": "director",
    "rn": "registered nurse",
    "lpn": "licensed practical nurse",
    "lvn": "licensed vocational nurse",
    "cna": "certified nursing assistant",
    "pi": "performance improvement",
    "qi": "quality improvement",
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "avp": "assistant vice president",
    "asst": "assistant",
    "assoc": "associate",
    "coord": "coordinator",
    "coordr": "coordinator",
    "spec": "specialist",
    "eng": "engineer",
    "engr": "engineer",
    "ops": "operations",
    "mktg": "marketing",
    "hr": "human resources",
    "it": "information technology",
    "qa": "quality assurance",
    "qc": "quality control",
    "rep": "representative",
    "reps": "representative",
    "exec": "executive",
    "mfg": "manufacturing",
    "dept": "department",
    "supv": "supervisor",
    "supvr": "supervisor",
    "svc": "service",
    "svcs": "services",
    "dev": "developer",
    "devops": "devops",
    "swe": "software engineer",
    "sde": "software development engineer",
    "dba": "database administrator",
    "ceo": "chief executive officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cto": "chief technology officer",
    "cio": "chief information officer",
    "cno": "chief nursing officer",
    "cmo": "chief marketing officer",
    "np": "nurse practitioner",
    "pa": "physician assistant",
    "crna": "certified registered nurse anesthetist",
    "cpa": "certified public accountant",
    "hvac": "heating ventilation and air conditioning",
    "cdl": "commercial driver",
    "ui": "user interface",
    "ux": "user experience",
    "ml": "machine learning",
    "bi": "business intelligence",
    "ehs": "environmental health and safety",
    "hse": "health safety and environment",
    "mech": "mechanical",
    "elec": "electrical",
    "maint": "maintenance",
    "mfr": "manufacturing",
    "acctg": "accounting",
    "fin": "finance",
    "prod": "production",
    "sys": "systems",
    "sw": "software",
}
_ADMIN_FOLLOWERS = frozenset(
    {"assistant", "support", "coordinator", "specialist", "officer", "clerk", "services"}
)

# --- seniority -----------------------------------------------------------------------
# Always seniority, wherever they stand.
_SENIORITY_ALWAYS = frozenset({"senior", "junior", "interim", "acting", "trainee", "entry"})
# Level markers: only when they close the title ("engineer ii"), never in the middle.
_LEVEL_MARKERS = frozenset({"i", "ii", "iii", "iv", "v", "1", "2", "3", "4", "5", "level"})
# Seniority only when something follows them ("lead engineer" vs "team lead").
_SENIORITY_IF_NOT_LAST = frozenset({"lead", "principal", "staff"})
# Seniority only in front of a leadership noun ("associate director" vs "sales associate").
_LEADERSHIP = frozenset(
    {"director", "manager", "vice", "chief", "head", "superintendent", "dean", "administrator"}
)
_SENIORITY_BEFORE_LEADER = frozenset({"associate", "assistant", "deputy"})

# --- noise ---------------------------------------------------------------------------
_US_STATES = (
    "al|ak|az|ar|ca|co|ct|de|dc|fl|ga|hi|id|il|in|ia|ks|ky|la|me|md|ma|mi|mn|ms|mo|mt|ne|nv|"
    "nh|nj|nm|ny|nc|nd|oh|ok|or|pa|ri|sc|sd|tn|tx|ut|vt|va|wa|wv|wi|wy|pr"
)
# (pattern, gate): a pattern is only tried when one of its gate literals - one of which
# every match must contain - is in the text. Most titles have no digits, "$", commas
# or "bonus", so gating skips most of the regex work; substitutions only ever replace
# text with spaces, so a gate that fails on the input fails on every later stage too.
# Gate meaning "contains an ASCII digit" (checked with a regex, not a literal).
_DIGIT = ("<digit>",)
_HAS_DIGIT = re.compile(r"[0-9]")
_NOISE_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(p), gate)
    for p, gate in (
        # bonuses: "$10k sign-on bonus!", "sign on bonus", "up to $15,000 bonus"
        (
            r"(?:up to\s*)?\$?\s*\d[\d,.]*\s*k?\s*(?:usd\s*)?(?:(?:sign|signing|hiring|retention|relocation)"
            r"[\s-]*(?:on)?[\s-]*)?bonus(?:es)?(?:\s*(?:available|offered|eligible))?!*",
            ("bonus",),
        ),
        (
            r"(?:sign|signing|hiring|retention|relocation)[\s-]*(?:on)?[\s-]*bonus(?:es)?"
            r"(?:\s*(?:available|offered|eligible))?!*",
            ("bonus",),
        ),
        (r"\$\s*\d[\d,.]*\s*k?(?:\s*(?:/|per)\s*(?:hr|hour|year|yr))?", ("$",)),
        # requisition numbers: "Req #4821", "Job ID 123", "R-12345", "JR123456", "#4821"
        (
            r"\b(?:req(?:uisition)?|job|position|posting|ref)\.?\s*(?:id|no|number|code)?\.?\s*"
            r"(?:#|:)?\s*[a-z]{0,3}[-_]?\d[\d-]*\b",
            _DIGIT,
        ),
        (r"\b(?:r|jr|req|jid|id)[-_]?\d{3,}\b", _DIGIT),
        (r"#\s*[a-z]{0,3}\d+\b", ("#",)),
        (r"\b[a-z]{0,3}\d{5,}\b", _DIGIT),
        # locations: "- Boston, MA", "(Boston, MA)", "in Austin, TX", "Boston, MA 02115"
        (
            r"(?:\s[-–—|@:/]\s*|^|\bin\s+|,\s*)(?:[a-z.']+\s){0,2}[a-z.']+,\s*(?:"
            + _US_STATES
            + r")\b(?:\s*\d{5})?",
            (",",),
        ),
        (
            r"\b(?:remote|hybrid|on[\s-]?site|in[\s-]?office|work from home|wfh|telecommute)"
            r"(?:\s*(?:eligible|friendly|optional|available|position|role|opportunity))?\b",
            ("remote", "hybrid", "site", "office", "work from home", "wfh", "telecommute"),
        ),
        (r"\b(?:united states|usa|us)\s*(?:only|based)?$", ("us", "united states")),
        # shifts and contract types
        (
            r"\b(?:day|night|evening|weekend|overnight|rotating|swing|graveyard|first|second|third|"
            r"1st|2nd|3rd|days|nights|evenings|weekends)s?\s*(?:/\s*(?:day|night|evening|weekend)s?\s*)?"
            r"shifts?\b",
            ("shift",),
        ),
        (r"\b\d{1,2}\s*(?:hr|hour|hrs|hours|-hour|-hr)s?\s*(?:shifts?)?\b", _DIGIT),
        (r"\b\d{1,2}\s*(?:a|am|p|pm)\s*-\s*\d{1,2}\s*(?:a|am|p|pm)\b", _DIGIT),
        (
            r"\b(?:prn|per[\s-]?diem|full[\s-]?time|part[\s-]?time|ft\s*/\s*pt|pt\s*/\s*ft|"
            r"temp[\s-]to[\s-]hire|contract[\s-]to[\s-]hire|seasonal|temporary|"
            r"nights|days|weekends|evenings|overnights|immediate(?:ly)? hiring|now hiring|"
            r"hiring immediately|urgent(?:ly)? hiring|urgent|new grads? welcome)\b",
            (
                "prn",
                "per",
                "time",
                "ft",
                "pt",
                "hire",
                "seasonal",
                "temp",
                "night",
                "day",
                "weekend",
                "evening",
                "overnight",
                "hiring",
                "urgent",
                "grad",
            ),  # fmt: skip
        ),
        (r"\b(?:ft|pt)\b", ("ft", "pt")),
    )
)
# Parenthesised or bracketed asides: "(Remote)", "[R-123]", "(RN)". Removed wholesale;
# the canonical title is what stands outside them.
_PARENS = re.compile(r"\([^()]*\)?|\[[^\[\]]*\]?|\{[^{}]*\}?")
_DASH_BREAK = re.compile(r"\s[-–—|:]+\s")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_AMP = re.compile(r"\s*(?:&|\+)\s*")
_SLASH_PAIR = re.compile(r"(?<=[a-z])\s*/\s*(?=[a-z])")
# Leadership words that invert with "of": "director, quality" -> "director of quality".
_INVERT_OF = frozenset(
    {"director", "manager", "head", "vice president", "vp", "chief", "supervisor",
     "coordinator", "dir", "mgr", "superintendent", "officer", "dean", "lead"}
)  # fmt: skip
_TRAILING_FILLER = frozenset({"and", "of", "for", "the", "to", "in", "at", "with", "a"})
_LEADING_FILLER = frozenset({"and", "of", "for", "the", "to", "in", "at", "with"})


def _fold(text: str) -> str:
    """NFKC, strip Latin diacritics, casefold. Non-Latin letters survive (and later drop)."""
    if text.isascii():
        # NFKC/NFKD leave ASCII unchanged and casefold is lower() on it: skip the tables.
        return text.lower()
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", stripped).casefold()


def _invert_commas(text: str) -> str:
    """Put 'Director, Quality & PI' into reading order: 'director of quality & pi'.

    Only the first comma is considered, and only when what precedes it is one short
    head phrase; other commas become word breaks.
    """
    head, sep, rest = text.partition(",")
    if not sep:
        return text
    head_words = head.split()
    rest = rest.replace(",", " ")
    if 0 < len(head_words) <= 3 and rest.strip():
        last = head_words[-1]
        lead_words = [w for w in head_words if w not in {"senior", "sr", "sr.", "associate"}]
        if last.rstrip(".") in _INVERT_OF or " ".join(head_words[-2:]) in _INVERT_OF:
            return f"{head} of {rest.strip()}"
        if len(lead_words) == 1 and len(rest.split()) <= 2:
            # "engineer, software" / "nurse, registered": modifiers go in front.
            return f"{rest.strip()} {head}"
    return f"{head} {rest}"


def _strip_noise(text: str, removed: list[str]) -> str:
    has_digit = _HAS_DIGIT.search(text) is not None
    for pattern, gate in _NOISE_PATTERNS:
        if not (has_digit if gate is _DIGIT else _any_in(gate, text)):
            continue
        text = pattern.sub(lambda m: _keep(m, removed), text)
    return text


def _any_in(literals: tuple[str, ...], text: str) -> bool:
    for lit in literals:
        if lit in text:
            return True
    return False


def _keep(match: re.Match[str], removed: list[str]) -> str:
    piece = match.group(0).strip(" -,|")
    if piece:
        removed.append(piece)
    return " "


def _expand(tokens: list[str]) -> list[str]:
    out: list[str] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else None
        if tok == "admin":
            out.append("administrative" if nxt in _ADMIN_FOLLOWERS else "administrator")
        elif tok == "acct":
            out.append("accountant" if nxt is None else "account")
        elif tok in ("tech", "techs"):
            out.append("technician" if nxt is None else "technical")
        elif tok in ABBREVIATIONS:
            exp = ABBREVIATIONS[tok]
            if exp:
                out.extend(exp.split())
        else:
            out.append(tok)
    return out


def _split_seniority(tokens: list[str], seniority: list[str]) -> list[str]:
    # "entry level" and trailing level markers ("ii", "level 2") first.
    while tokens and len(tokens) > 1 and tokens[-1] in _LEVEL_MARKERS:
        seniority.append(tokens.pop())
    out: list[str] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else None
        if tok in _SENIORITY_ALWAYS and n > 1:
            seniority.append(tok)
        elif tok == "level" and nxt is None and n > 1:
            seniority.append(tok)
        elif tok in _SENIORITY_IF_NOT_LAST and nxt is not None and nxt not in _TRAILING_FILLER:
            seniority.append(tok)
        elif tok in _SENIORITY_BEFORE_LEADER and nxt in _LEADERSHIP:
            seniority.append(tok)
        else:
            out.append(tok)
    # "entry" only means seniority as "entry level"; drop a dangling "level" too.
    if "entry" in seniority and out and out[0] == "level":
        seniority.append(out.pop(0))
    return out


def _tidy(tokens: list[str]) -> list[str]:
    # Long digit runs are ids; a repeated word ("nurse nurse") is an artefact of expansion.
    tokens = [t for t in tokens if not (t.isdigit() and len(t) >= 4)]
    deduped: list[str] = []
    for t in tokens:
        if not deduped or deduped[-1] != t:
            deduped.append(t)
    while deduped and deduped[-1] in _TRAILING_FILLER:
        deduped.pop()
    while deduped and deduped[0] in _LEADING_FILLER:
        deduped.pop(0)
    # A title needs at least one word; bare numbers ("0", "12") are not titles.
    if not any(not t.isdigit() for t in deduped):
        return []
    return deduped


def _normalise_once(text: str, seniority: list[str], noise: list[str]) -> str:
    # Asides first: "(Remote)", "[Req 12]" are noise whatever their content.
    # Each substitution is skipped when the characters it needs are absent (most titles).
    if _any_in(("(", "[", "{"), text):
        outside = _PARENS.sub(lambda m: _keep(m, noise), text)
        if outside.strip(" -,|/"):
            text = outside
    text = _strip_noise(text, noise)
    # Trailing separators left behind by removed locations / ids.
    text = text.strip(" -–—|,/:;")
    if "&" in text or "+" in text:
        text = _AMP.sub(" and ", text)
    if "/" in text:
        text = _SLASH_PAIR.sub(" ", text)
    # Dashes separating a title from a department read as word breaks, not inversion.
    if _any_in(("-", "–", "—", "|", ":"), text):
        text = _DASH_BREAK.sub(" ", text)
    text = _invert_commas(text)
    tokens = _NON_WORD.sub(" ", text).split()
    tokens = _expand(tokens)
    tokens = _split_seniority(tokens, seniority)
    tokens = _tidy(tokens)
    return " ".join(tokens)


def parse_title(raw: str) -> TitleParts:
    """Parse a raw posting title. Never raises; see module docstring for the result."""
    if not isinstance(raw, str):
        # None / NaN / numbers from a DataFrame column: treat as text, NaN as empty.
        raw = "" if raw is None or raw != raw else str(raw)
    return _parse(raw)


@lru_cache(maxsize=200_000)
def _parse(raw: str) -> TitleParts:
    stripped = raw.strip()
    if not stripped:
        return TitleParts(raw=raw, normalised="", reason=REASON_EMPTY)
    if len(stripped) > MAX_TITLE_CHARS:
        return TitleParts(raw=raw, normalised="", reason=REASON_TOO_LONG)
    folded = _fold(stripped)
    if not re.search(r"[a-z]", folded):
        reason = REASON_NO_LATIN if any(c.isalpha() for c in folded) else REASON_EMPTY
        return TitleParts(raw=raw, normalised="", reason=reason)
    # The first pass goes through the same cache as the fixed-point passes: a title that
    # is already normalised (the warehouse keeps normalised titles and the classifier
    # parses them again) is then normalised once, not twice (its second pass is a hit).
    text, first_seniority, first_noise = _renormalise(folded)
    seniority = list(first_seniority)
    noise = list(first_noise)
    # Iterate to a fixed point: a second pass can expose noise that punctuation hid
    # ("Req.#12" -> "req 12"). Normally converges in one extra pass.
    for _ in range(4):
        again, more_seniority, more_noise = _renormalise(text)
        seniority.extend(more_seniority)
        noise.extend(more_noise)
        if again == text:
            break
        text = again
    reason = None if text else REASON_EMPTY
    return TitleParts(
        raw=raw,
        normalised=text,
        seniority=tuple(dict.fromkeys(seniority)),
        noise=tuple(noise),
        reason=reason,
    )


@lru_cache(maxsize=200_000)
def _renormalise(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    # The fixed-point passes see already-normalised text, which repeats across titles
    # ("registered nurse" from a hundred decorated variants): cache them separately.
    seniority: list[str] = []
    noise: list[str] = []
    again = _normalise_once(text, seniority, noise)
    return again, tuple(seniority), tuple(noise)


def normalise_title(raw: str) -> str:
    """Canonical form of a posting title ('' when it has none; see ``parse_title``)."""
    return parse_title(raw).normalised
