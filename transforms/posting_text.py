"""Posting text, made fit to read: HTML stripped, whitespace collapsed, length bounded, and
cut into sentences that know whether they ask for something or only prefer it.

``clean_posting_text`` is the one way in. A missing, blank or markup-only text is an
explicit "no text" result (``CleanText.has_text`` False), never an empty string that a
caller could mistake for a posting that asks for nothing.

Bounds: the cleaned text is cut at ``MAX_TEXT_CHARS`` (20,000) characters. Real postings
are shorter: of the 7,226 ads with text in ../shared/postings/text the longest is 18,556
characters once cleaned (a Glassdoor ad; the Workable ads reach 7,944), so the cut meets
pasted junk, and it is reported (``truncated``), never silent. The raw input is cut first
at ``MAX_RAW_CHARS`` so that a 1 MB description costs a fixed, small amount of work;
``chars`` then counts the cleaned characters of that first part.

Sentences: line breaks (including ``<br>``, ``<p>``, ``<li>`` ...) and ``. ! ? ;`` end one.
A short line that reads as a heading ("Preferred qualifications:", "Nice to have",
"Requirements") sets the status of the lines under it until the next heading; a cue inside
a sentence ("required", "a plus") overrides it for that sentence (see ``cue_status``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MAX_RAW_CHARS",
    "MAX_TEXT_CHARS",
    "CleanText",
    "Sentence",
    "Status",
    "clean_posting_text",
    "cue_status",
    "sentences",
]

MAX_TEXT_CHARS = 20_000
# Markup can triple a text's length; past this the rest would be cut after cleaning anyway.
MAX_RAW_CHARS = 4 * MAX_TEXT_CHARS

Status = Literal["required", "preferred", "unspecified"]


@dataclass(frozen=True)
class CleanText:
    """A posting's text, cleaned. ``text`` is None when there is none (``has_text`` False);
    ``chars`` counts the cleaned characters before the cut."""

    text: str | None
    chars: int
    truncated: bool

    @property
    def has_text(self) -> bool:
        return self.text is not None


@dataclass(frozen=True)
class Sentence:
    start: int  # offset in the cleaned text
    text: str
    section: Status  # what the heading above it said ("unspecified" when none)


NO_TEXT = CleanText(None, 0, False)

_DROP_BLOCKS = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# Tags that end a line of text when rendered; everything else (b, span, a ...) is inline.
_BREAK_TAGS = re.compile(
    r"</?(?:br|p|div|li|ul|ol|tr|td|th|h[1-6]|table|section|article|header|footer|dd|dt)\b"
    r"[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[!/?a-zA-Z][^<>]{0,2000}>")
_SPACES = re.compile(r"[^\S\n]+")  # whitespace other than a newline
_BLANK_LINES = re.compile(r"\s*\n\s*")


def clean_posting_text(*parts: object) -> CleanText:
    """Join the non-blank ``parts`` (description, requirements ...) into one cleaned text.

    Values that are None, NaN or not text count as absent. HTML tags go, entities are
    decoded, block tags become line breaks, runs of spaces become one and blank lines one
    line break. Nothing left -> ``NO_TEXT``.
    """
    pieces = [_clean_one(p[:MAX_RAW_CHARS]) for p in parts if isinstance(p, str) and p.strip()]
    joined = "\n".join(p for p in pieces if p)
    if not joined:
        return NO_TEXT
    chars = len(joined)
    if chars <= MAX_TEXT_CHARS:
        return CleanText(joined, chars, False)
    cut = joined[:MAX_TEXT_CHARS]
    space = cut.rfind(" ", MAX_TEXT_CHARS - 200)  # not mid-word, when a space is near
    return CleanText(cut[:space] if space > 0 else cut, chars, True)


def _clean_one(raw: str) -> str:
    text = _DROP_BLOCKS.sub(" ", raw) if "<" in raw else raw
    if "<" in text:
        text = _BREAK_TAGS.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        # twice: feeds often escape the markup itself ("&lt;li&gt;", "&amp;nbsp;")
        text = html.unescape(html.unescape(text))
        if "<" in text:
            text = _TAG.sub(" ", _BREAK_TAGS.sub("\n", text))
    text = text.replace("\u00a0", " ").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


# --- sentences and their cues -------------------------------------------------------------

# Candidate ends: a line break; '.', '!', '?' or ';' before a space; a full stop run into
# the next sentence ("...experience.Must have", common in scraped ads: list items lost
# their breaks). A '.' after an abbreviation ("B.S. in", "Ph.D. preferred", "5 yrs.
# experience", "e.g. Excel") is not an end.
_SENTENCE_END = re.compile(r"\n|[.!?;]+(?=\s)|(?<=[a-z]{3})\.(?=[A-Z][a-z])")
_ABBREVIATION = re.compile(
    r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{0,2}|e\.g|i\.e|etc|inc|ltd|co|corp|min|max|approx|yrs?|"
    r"no|nos|vs|dr|mr|mrs|ms|st|jr|sr|dept|incl|esp|req|pref",
    re.IGNORECASE,
)
_LAST_WORD = re.compile(r"[\w.]+$")
_PREFERRED = re.compile(
    r"\b(?:prefer(?:red|ably|ence)?|(?:is |are |would be |will be )?an? (?:big |huge |real )?"
    r"(?:plus|bonus|advantage)|nice[ -]to[ -]have|desir(?:ed|able)|ideally|bonus points?|"
    r"advantageous|beneficial|not (?:required|mandatory|essential))\b",
    re.IGNORECASE,
)
_REQUIRED = re.compile(
    r"\b(?:require[sd]?|requirements?|must|mandatory|essential|necessary|minimum|at least|"
    r"need(?:ed|s)?|compulsory|prerequisites?)\b",
    re.IGNORECASE,
)
_HEADING_WORDS = 8
_HEADING_NOUN = re.compile(
    r"\b(?:qualifications?|requirements|prerequisites|skills|profile|nice[ -]to[ -]haves?|bonus points|"
    r"must[ -]haves?|what you(?:'ll)? need|who you are)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"[0-9]")


def sentences(text: str | None) -> list[Sentence]:
    """The cleaned ``text`` cut into sentences, each with the status its heading gave it."""
    if not text:
        return []
    out: list[Sentence] = []
    section: Status = "unspecified"
    start = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        if match is not None and match.group() == "." and _after_abbreviation(text, match):
            continue
        end = (
            match.end()
            if match and match.group() != "\n"
            else (match.start() if match else len(text))
        )
        piece = text[start:end].strip()
        if piece:
            offset = start + (len(text[start:end]) - len(text[start:end].lstrip()))
            heading = _heading_status(piece, match is None or match.group() == "\n")
            if heading is not None:
                section = heading
            out.append(Sentence(offset, piece, section))
        start = end if match is None or match.group() != "\n" else match.end()
    return out


def _after_abbreviation(text: str, match: re.Match[str]) -> bool:
    word = _LAST_WORD.search(text, max(0, match.start() - 20), match.start())
    return word is not None and _ABBREVIATION.fullmatch(word.group()) is not None


def _heading_status(piece: str, ends_line: bool) -> Status | None:
    """A heading's status, or None when ``piece`` is not a heading. A heading is a short
    line ending in ':' or a short line alone without a full stop; one naming no cue
    ("Qualifications:", "About you") resets the section to unspecified."""
    words = piece.split()
    if piece.endswith(":"):
        return cue_status(piece) if len(words) <= _HEADING_WORDS else None
    # Without a colon only a short line naming a section is one: "PMP required" and
    # "5 years experience preferred" are list items.
    if ends_line and len(words) <= 4 and _HEADING_NOUN.search(piece) and not _DIGIT.search(piece):
        return cue_status(piece)
    return None


def cue_status(sentence: str, start: int | None = None, end: int | None = None) -> Status:
    """'required', 'preferred' or 'unspecified' for the words at ``start:end`` of
    ``sentence`` (the whole sentence when not given): the cue nearest to them decides, so
    "Bachelor's required, Master's preferred" gives each degree its own. A tie is required.
    """
    if start is None or end is None:  # the whole sentence: any cue in it counts
        lo = hi = len(sentence)
    else:
        lo, hi = start, end
    best: tuple[int, int] | None = None  # (distance, 0 for required / 1 for preferred)
    for rank, pattern in ((1, _PREFERRED), (0, _REQUIRED)):
        for cue in pattern.finditer(sentence):
            if cue.start() < hi and cue.end() > lo and start is not None:
                continue  # the cue is inside the words themselves ("Required Training")
            distance = cue.start() - hi if cue.start() >= hi else lo - cue.end()
            candidate = (distance, rank)
            if best is None or candidate < best:
                best = candidate
    if best is None:
        return "unspecified"
    return "preferred" if best[1] == 1 else "required"
