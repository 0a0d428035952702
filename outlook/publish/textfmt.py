"""Number, date and name formatting shared by the exports, the paragraph and the dashboard.

One module so a figure reads the same everywhere ("+42.9%", "$105,970") and the tests can
parse it back. Tables keep exact figures and ISO months; the paragraph an editor pastes
uses the rounded, spelled-out forms (``month_name``, ``money_rounded``, ``thousands``...). Negative numbers use ASCII '-' (not U+2212) so editors and parsers agree.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime

NA = "n/a"

_SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_OEWS_MONTHS = {"M": "May", "N": "November"}


def count(value: object) -> str:
    return NA if value is None else f"{int(value):,}"  # type: ignore[call-overload]


def pct(value: object, digits: int = 1) -> str:
    """Signed percent: '+42.9%', '-28.9%', '0.0%'."""
    if value is None:
        return NA
    number = round(float(value), digits)  # type: ignore[arg-type]
    if number == 0:
        return f"{0:.{digits}f}%"
    return f"{number:+.{digits}f}%"


def share_pct(value: object) -> str:
    """A share stored as a fraction, as a whole percent for a sentence: 0.6835 -> '68%'
    (below 1%: '<1%', so a rare mention never reads as none)."""
    if value is None:
        return NA
    number = float(value) * 100  # type: ignore[arg-type]
    if 0 < number < 0.5:
        return "<1%"
    return f"{round(number):.0f}%"


def points(value: object) -> str:
    """The size of a change in percentage points, whole, for a sentence whose verb says
    which way ("rose by 7 points"): 7.35 -> '7 points', -1.2 -> '1 point'."""
    if value is None:
        return NA
    number = abs(round(float(value)))  # type: ignore[arg-type]
    return f"{number} point" if number == 1 else f"{number} points"


def plain(value: object) -> str:
    """A small figure as a person writes it: 10.0 -> '10', 9.5 -> '9.5', 9.25 -> '9.3'."""
    if value is None:
        return NA
    number = round(float(value), 1)  # type: ignore[arg-type]
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def money(value: object) -> str:
    return NA if value is None else f"${float(value):,.0f}"  # type: ignore[arg-type]


def decimal(value: object, digits: int = 1) -> str:
    return NA if value is None else f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def month(value: object) -> str:
    """'2026-10' for a date; data are monthly, so the day would only mislead."""
    if value is None:
        return NA
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m")
    return str(value)[:7]


def month_name(value: object) -> str:
    """'October 2026': the month as an editor would write it (``month`` gives '2026-10' for
    tables and files, which sort)."""
    if value is None:
        return NA
    if not isinstance(value, datetime | date):
        value = date.fromisoformat(str(value)[:10])
    return f"{_MONTHS[value.month - 1]} {value.year}"


# transforms.requirements.EDUCATION_LEVELS in words, as a role page writes them
EDUCATION_WORDS = {
    "none": "no formal education",
    "high_school": "a high-school diploma",
    "associate": "an associate degree",
    "bachelor": "a bachelor's degree",
    "master": "a master's degree or MBA",
    "professional": "a professional degree (JD, MD, PharmD ...)",
    "doctorate": "a doctorate",
}


def education_words(level: object) -> str:
    """'master' -> "a master's degree or MBA"; an unknown level as written."""
    return EDUCATION_WORDS.get(str(level), str(level)) if level is not None else NA


def round_sig(value: float, digits: int = 3) -> int:
    """``value`` rounded to ``digits`` significant figures, whole: 106,778 -> 107,000."""
    if value == 0:
        return 0
    places = digits - len(str(int(abs(round(value)))))
    return int(round(value, min(places, 0)))


def money_rounded(value: object) -> str:
    """'$107,000': three significant figures, as a paragraph reads (tables keep ``money``)."""
    return NA if value is None else f"${round_sig(float(value)):,}"  # type: ignore[arg-type]


def count_rounded(value: object) -> str:
    """'5,080,000': three significant figures (prefix with "about" in the sentence)."""
    return NA if value is None else f"{round_sig(float(value)):,}"  # type: ignore[arg-type]


def thousands(value: object) -> str:
    """A figure published in thousands, written out: 547.1 -> '547,100'."""
    return NA if value is None else f"{round(float(value) * 1000):,}"  # type: ignore[arg-type]


def period_words(period: object) -> str:
    """A projection period as BLS prints it: '2024-34' -> '2024–34' (en dash, so it never
    reads as a year-month)."""
    return NA if not period else str(period).replace("-", "\u2013", 1)


def oews_release_words(release: object) -> str:
    """'M2024' -> 'May 2024': OEWS names a release by its reference month's initial and
    year (M = May; N = November, before 2002); anything else is printed as it is."""
    text = "" if release is None else str(release)
    month = _OEWS_MONTHS.get(text[:1])
    if month and text[1:].isdigit():
        return f"{month} {text[1:]}"
    return text or NA


def oews_releases_words(listed: object) -> str:
    """A comma-separated list of OEWS releases in words: 'M2024, M2023' -> 'May 2024, May
    2023'."""
    if not listed:
        return NA
    return ", ".join(oews_release_words(r.strip()) for r in str(listed).split(","))


def iso(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def md_cell(value: object) -> str:
    """Text safe inside a Markdown table cell (pipes and newlines would break the row)."""
    text = "" if value is None else str(value)
    return md_text(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def md_text(value: object) -> str:
    """Escape Markdown/HTML syntax in a name so it prints as written, never as markup."""
    text = "" if value is None else str(value)
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def slugify(text: str, max_len: int = 80) -> str:
    """A path-safe slug: lowercase ASCII letters, digits and single hyphens, never empty.

    Used for every name that reaches a file name. A name that had to be changed to become a
    slug gets a short hash of the original, so two hostile names cannot collide into one
    folder (``"a/b"`` and ``"a b"``).
    """
    if _SLUG_OK.match(text) and len(text) <= max_len:
        return text
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[: max_len - 9].strip("-")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{base}-{digest}" if base else f"x-{digest}"
