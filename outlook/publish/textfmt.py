"""Number, date and name formatting shared by the exports, the paragraph and the dashboard.

One module so a figure reads the same everywhere ("+42.9%", "$105,970") and the tests can
parse it back. Negative numbers use ASCII '-' (not U+2212) so editors and parsers agree.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime

NA = "n/a"

_SLUG_OK = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
