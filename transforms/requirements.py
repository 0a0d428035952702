"""What a posting asks for, read from its text: minimum education, minimum years of
experience, certifications (required or preferred) and skills.

``extract_requirements(taxonomy, *texts)`` reads one posting (its description,
requirements ... columns); ``extract_many`` reads many, each distinct text once. Both are
pure: the skills taxonomy (``transforms.skills.build_taxonomy``) is handed in.

Education (``EDUCATION_LEVELS``, lowest first): none, high_school, associate, bachelor,
master, professional (JD, MD, PharmD, DDS, DVM ...), doctorate. "MBA" is a master's;
"graduate/advanced degree" a master's; a bare "degree in X", "college degree" a bachelor's.
Short abbreviations count only in a degree's company ("BS in", "MS degree", "BS/MS",
"MS or PhD"): "MS Office", "Boston, MA", "see JD" are not degrees. ``education_min`` is the
lowest level the text asks for (required or unmarked); a level asked for only as preferred
goes to ``education_preferred`` ("Bachelor's required, Master's preferred" -> bachelor,
preferred master). ``education_or_equivalent`` flags "or equivalent experience", "in lieu
of a degree" ... in a sentence that names a degree.

Experience: "5+ years", "five years", "3-5 years" (-> 3), "at least ten (10) years",
"minimum of 2 yrs", "6 months" (-> 0.5), counted only where the sentence is about
experience (experience, background, working ...) and not about the employer ("for over 50
years we have ...", "founded 20 years ago"), an age ("18 years old") or a contract. Values
over ``MAX_YEARS`` (40) are dropped as implausible. ``experience_years_min`` is the largest
lower bound among the required/unmarked mentions: ads list sub-requirements ("5+ years of
experience, including 2 in management": 5), and alternatives ("5 years, or 3 with a
master's") are rarer and read high. Mentions only marked preferred are not a minimum.

Required vs preferred: the cue nearest the mention in its sentence ("required", "must" vs
"preferred", "a plus", "nice to have"), else the heading above it (see
``transforms.posting_text``), else unmarked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from transforms.posting_text import Sentence, Status, clean_posting_text, cue_status, sentences
from transforms.skills import SkillTaxonomy

__all__ = [
    "EDUCATION_LEVELS",
    "MAX_YEARS",
    "OUTPUT_COLUMNS",
    "Requirements",
    "education_mentions",
    "experience_mentions",
    "extract_many",
    "extract_requirements",
    "requirements_row",
]

EDUCATION_LEVELS = (
    "none",
    "high_school",
    "associate",
    "bachelor",
    "master",
    "professional",
    "doctorate",
)
MAX_YEARS = 40.0
_RANK = {level: i for i, level in enumerate(EDUCATION_LEVELS)}


@dataclass(frozen=True)
class Requirements:
    has_text: bool
    text_chars: int
    truncated: bool
    education_min: str | None = None
    education_preferred: str | None = None
    education_or_equivalent: bool = False
    experience_years_min: float | None = None
    certifications: tuple[str, ...] = ()  # every one named, required or not
    certifications_required: tuple[str, ...] = ()
    certifications_preferred: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    skill_categories: tuple[str, ...] = ()  # O*NET commodity titles of the skills found


# --- education ----------------------------------------------------------------------------

_DEGREE_TAIL = r"(?:\s+(?i:degree|diploma))?(?:\s+(?i:in|of)\b)?"
_ABBR_CONTEXT = r"(?=\s+(?i:degree|in)\b|\s*/|,?\s+(?i:or)\s+[A-Z])"
# Most specific first: a match masks its words from the patterns after it, so "Master's
# degree in" is not also read as a bare "degree in" (bachelor).
_EDUCATION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern))
    for level, pattern in (
        (
            "doctorate",
            r"\b(?:Ph\.?\s?D\b\.?|(?i:phd)s?\b|(?i:doctorate|doctoral(?:\s+degree)?)\b|"
            r"D\.?Phil\b|Ed\.?D\b)" + _DEGREE_TAIL,
        ),
        (
            "professional",
            r"(?:\bJ\.D\.|\b(?i:juris doctor(?:ate)?)\b|\bJD(?:"
            + _ABBR_CONTEXT
            + r"|(?=\s+from\b))"
            r"|\bM\.D\.|"
            r"\bMD" + _ABBR_CONTEXT + r"|\b(?i:doctor of (?:medicine|pharmacy|dental|"
            r"veterinary|osteopathic|physical therapy|optometry))|\bPharm\.?\s?D\b\.?|"
            r"\b(?:DDS|DMD|DVM|DPT)\b|\b(?i:law|medical) (?i:degree)\b)" + _DEGREE_TAIL,
        ),
        (
            "master",
            r"(?:\b(?i:master)(?:'|’)?s\b(?:\s+(?i:level))?|\b(?i:masters?\s+(?:degree|of|in)\b)|"
            r"\bM\.?B\.?A\b\.?|\bM\.[SA]\.|\bM\.?Sc\b\.?|\b(?:MEng|MPH|MSW|MSN|MPA|MFA|MHA|"
            r"MSc|MSEE|MSME|MScs?)\b|\bM[SA]" + _ABBR_CONTEXT + r"|(?<=/)M[SA]\b|"
            r"\b(?i:graduate|advanced|post-?graduate|postgraduate) (?i:degree)s?\b)" + _DEGREE_TAIL,
        ),
        (
            "associate",
            r"(?:\b(?i:associate(?:'|’)?s?\s+(?:degree|of\s+(?:arts|science|applied)))\b|"
            r"\b(?:AA|AS|AAS)\s+(?i:degree)\b|\b(?i:two|2)[ -](?i:year)\s+(?i:(?:college\s+)?degree)\b)"
            + _DEGREE_TAIL,
        ),
        (
            "bachelor",
            r"(?:\b(?i:bachelor)(?:'|’)?s?\b|\b(?i:baccalaureate|undergraduate\s+degree)\b|"
            r"\b(?i:four|4)[ -](?i:year)\s+(?i:(?:college\s+|university\s+)?degree)\b|"
            r"\bB\.[SA]\.|\bB\.?Sc\b\.?|\b(?:BEng|BBA|BSN|BSEE|BSME|BSCS|BSc|BComm?)\b|"
            r"\bB[SA]" + _ABBR_CONTEXT + r"|(?<=/)B[SA]\b)" + _DEGREE_TAIL,
        ),
        (
            "high_school",
            r"\b(?:(?i:high[ -]school)|HS\s+(?i:diploma)|GED|(?i:secondary\s+(?:school|education))"
            r")\b",
        ),
        (
            "none",
            r"\b(?i:no\s+(?:formal\s+)?(?:degree|diploma|qualifications?|education(?:al)?\s+"
            r"requirements?)\s+(?:is\s+|are\s+)?(?:required|necessary|needed)|"
            r"(?:degree|diploma)\s+(?:is\s+)?not\s+(?:required|necessary))\b",
        ),
        (
            # generic last: whatever the specific patterns left
            "bachelor",
            r"\b(?i:(?:college|university|relevant|related|technical|academic)\s+degree|"
            r"degree\s+(?:in|required|educated)|graduate\s+of\s+an?\s+(?:accredited\s+)?"
            r"(?:college|university))\b",
        ),
    )
)
_EQUIVALENT = re.compile(
    r"(?i)\bequivalent\b[^.;\n]{0,40}\bexperience\b|\bin\s+lieu\s+of\b|"
    r"\bequivalent\s+combination\b|\b(?:or|and/or)\s+(?:equivalent\s+)?(?:relevant\s+|related\s+"
    r"|work\s+|professional\s+|practical\s+)?experience\b"
)
# an equivalence that names the degree itself, in a sentence of its own
_IN_LIEU_OF_DEGREE = re.compile(
    r"(?i)\bin\s+lieu\s+of\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:degree|diploma|education)\b|"
    r"\bequivalent\s+combination\s+of\s+education\b"
)


@dataclass(frozen=True)
class EducationMention:
    level: str
    status: Status
    or_equivalent: bool


def education_mentions(sentence: Sentence) -> list[EducationMention]:
    """The degrees ``sentence`` names, with whether each is required or preferred."""
    text = sentence.text
    found: list[EducationMention] = []
    equivalent = None
    for level, pattern in _EDUCATION_PATTERNS:
        for match in pattern.finditer(text):
            if equivalent is None:
                equivalent = _EQUIVALENT.search(sentence.text) is not None
            status = cue_status(sentence.text, match.start(), match.end())
            found.append(EducationMention(level, _or_section(status, sentence), equivalent))
        if found:  # mask what this level matched from the patterns after it
            text = pattern.sub(lambda m: " " * len(m.group()), text)
    return found


# --- experience ---------------------------------------------------------------------------

_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "twenty-five": 25, "thirty": 30, "forty": 40,
}  # fmt: skip
_NUM = r"(?:\d{1,3}(?:\.\d)?|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
_PAREN = r"(?:\s*\(\s*\d{1,3}\s*\+?\s*\))?"
_YEARS = re.compile(
    r"(?i)(?<![\w.$£€])(?P<a>" + _NUM + r")" + _PAREN + r"\s*(?:\+|plus\b)?"
    r"(?:\s*(?:-|–|—|to|or)\s*(?P<b>" + _NUM + r")" + _PAREN + r"\s*\+?)?"
    r"(?:\s+or\s+more|\s+or\s+greater)?\s*\+?\s*(?P<unit>years?|yrs?|months?)\b"
)
_EXPERIENCE_WORD = re.compile(
    r"(?i)\b(?:experience[ds]?|exp|background|track\s+record|work(?:ing|ed)?|employment|"
    r"career|hands-on|proven|role|position|field|industry|capacity|similar)\b"
)
_FLOOR = re.compile(r"(?i)\+|\bplus\b|\bor\s+(?:more|greater)\b")
_FLOOR_BEFORE = re.compile(r"(?i)\b(?:at\s+least|minimum(?:\s+of)?|min\.?)\s*$")
_NOT_EXPERIENCE_AFTER = re.compile(
    r"(?i)^[\s.'’]*(?:old|of\s+age|ago|in\s+business|history|warranty|contract|term|"
    r"guarantee|lease|anniversary|running|in\s+a\s+row)\b"
)
_NOT_EXPERIENCE_BEFORE = re.compile(
    r"(?i)(?:\b(?:for|within|past|last|next|since|nearly|almost|age[ds]?|aged|every|each|"
    r"after|first|the)\s+(?:over\s+|more\s+than\s+|the\s+(?:past|last|next)\s+)?)$"
)
_EMPLOYER = re.compile(
    r"(?i)\b(?:we|we've|we're|our|us|company|firm|founded|established|business|history)\b"
)
_CANDIDATE = re.compile(
    r"(?i)\b(?:you|your|candidates?|applicants?|must|require[sd]?|minimum|at\s+least|ideal|"
    r"looking\s+for|seek(?:ing)?|need(?:ed|s)?|qualifications?)\b"
)


@dataclass(frozen=True)
class ExperienceMention:
    years: float
    status: Status


def experience_mentions(sentence: Sentence) -> list[ExperienceMention]:
    """The minimum years each experience phrase in ``sentence`` asks for."""
    text = sentence.text
    out = []
    for match in _YEARS.finditer(text):
        low = _number(match.group("a"))
        high = _number(match.group("b")) if match.group("b") else None
        if low is None or (match.group("b") and high is None):
            continue
        if high is not None and high < low:
            continue  # "2019-2020 years"? not a range of experience
        if match.group("unit").lower().startswith("month"):
            low = round(low / 12, 1)
            high = None if high is None else round(high / 12, 1)
        if low > MAX_YEARS or (high is not None and high > MAX_YEARS):
            continue
        if not _about_experience(text, match):
            continue
        status = _or_section(cue_status(text, match.start(), match.end()), sentence)
        out.append(ExperienceMention(low, status))
    return out


def _about_experience(text: str, match: re.Match[str]) -> bool:
    after, before = text[match.end() :], text[: match.start()]
    if _NOT_EXPERIENCE_AFTER.search(after) or _NOT_EXPERIENCE_BEFORE.search(before):
        return False
    window = text[max(0, match.start() - 60) : match.end() + 80]
    # A list item that opens with the years ("7+ years developing models") or a phrase
    # that asks for a floor ("5+", "at least", "or more") is about experience even
    # without the word; anything else must name it nearby.
    opens = not before.strip(" \t-•*·–—()[]0123456789.:")
    if not (opens or _FLOOR.search(match.group()) or _FLOOR_BEFORE.search(before[-25:])):
        if not _EXPERIENCE_WORD.search(window):
            return False
    # "With over 20 years of experience, our firm ...": the employer's, not the job's
    return not (_EMPLOYER.search(before) and not _CANDIDATE.search(before))


def _number(token: str) -> float | None:
    token = token.lower()
    if token in _WORDS:
        return float(_WORDS[token])
    try:
        return float(token)
    except ValueError:
        return None


def _or_section(status: Status, sentence: Sentence) -> Status:
    return sentence.section if status == "unspecified" else status


# --- one posting, many postings -----------------------------------------------------------


def extract_requirements(taxonomy: SkillTaxonomy, *texts: object) -> Requirements:
    """What the posting whose text columns are ``texts`` asks for (see the module doc).
    No text -> ``has_text`` False and every field empty: never guessed."""
    clean = clean_posting_text(*texts)
    if not clean.has_text:
        return Requirements(False, 0, False)
    education: list[EducationMention] = []
    years: list[ExperienceMention] = []
    certs: dict[str, Status] = {}
    skills: dict[str, None] = {}
    categories: dict[str, None] = {}
    by_name = taxonomy.by_name()
    equivalent = False
    for sentence in sentences(clean.text):
        education += education_mentions(sentence)
        equivalent = equivalent or _IN_LIEU_OF_DEGREE.search(sentence.text) is not None
        years += experience_mentions(sentence)
        for match in taxonomy.find(sentence.text):
            entry = match.entry
            names = _with_implied(entry.name, by_name)
            if entry.kind == "certification":
                status = _or_section(cue_status(sentence.text, match.start, match.end), sentence)
                certs[entry.name] = _stronger(certs.get(entry.name), status)
                names = names[1:]
            for name in names:
                implied = by_name[name]
                if implied.kind == "certification":
                    certs.setdefault(name, "unspecified")
                else:
                    skills.setdefault(name)
            if entry.category:
                categories.setdefault(entry.category)
    asked = [m for m in education if m.status != "preferred"]
    preferred = [m for m in education if m.status == "preferred"]
    edu_min = min((m.level for m in asked), key=_RANK.__getitem__, default=None)
    edu_pref = min((m.level for m in preferred), key=_RANK.__getitem__, default=None)
    if edu_pref is not None and edu_min is not None and _RANK[edu_pref] <= _RANK[edu_min]:
        edu_pref = None
    minimum = [m.years for m in years if m.status != "preferred"]
    return Requirements(
        has_text=True,
        text_chars=clean.chars,
        truncated=clean.truncated,
        education_min=edu_min,
        education_preferred=edu_pref,
        education_or_equivalent=equivalent or any(m.or_equivalent for m in education),
        experience_years_min=max(minimum) if minimum else None,
        certifications=tuple(certs),
        certifications_required=tuple(c for c, s in certs.items() if s == "required"),
        certifications_preferred=tuple(c for c, s in certs.items() if s == "preferred"),
        skills=tuple(skills),
        skill_categories=tuple(categories),
    )


def extract_many(taxonomy: SkillTaxonomy, rows: Iterable[Sequence[object]]) -> list[Requirements]:
    """``extract_requirements`` for each row of text columns, in order; a text that
    repeats (reposted jobs, boilerplate) is read once."""
    seen: dict[tuple[object, ...], Requirements] = {}
    out = []
    for row in rows:
        key = tuple(v if isinstance(v, str) else None for v in row)
        if key not in seen:
            seen[key] = extract_requirements(taxonomy, *key)
        out.append(seen[key])
    return out


def _with_implied(name: str, by_name: dict) -> list[str]:
    """``name`` then the terms it implies, transitively, each once."""
    order, stack = [], [name]
    while stack:
        current = stack.pop(0)
        if current in order or current not in by_name:
            continue
        order.append(current)
        stack.extend(by_name[current].implies)
    return order


_STRENGTH = {"required": 2, "preferred": 1, "unspecified": 0}


def _stronger(old: Status | None, new: Status) -> Status:
    """A certification named twice keeps the firmer word: required over preferred over
    unmarked ("PMP preferred" then "PMP" in a list stays preferred)."""
    if old is None:
        return new
    return new if _STRENGTH[new] > _STRENGTH[old] else old


# --- as a table row -----------------------------------------------------------------------

OUTPUT_COLUMNS = (
    "education_min",
    "experience_years_min",
    "certifications",
    "skills",
    "education_preferred",
    "education_or_equivalent",
    "certifications_required",
    "certifications_preferred",
    "skill_categories",
    "has_text",
    "text_chars",
    "truncated",
)
LIST_SEPARATOR = ";"


def requirements_row(found: Requirements) -> dict[str, object]:
    """One output row (``OUTPUT_COLUMNS``): lists joined by ``;``, years as written ("3",
    "0.5"), nothing found as an empty cell."""
    years = found.experience_years_min
    return {
        "education_min": found.education_min,
        "experience_years_min": None if years is None else f"{years:g}",
        "certifications": LIST_SEPARATOR.join(found.certifications),
        "skills": LIST_SEPARATOR.join(found.skills),
        "education_preferred": found.education_preferred,
        "education_or_equivalent": found.education_or_equivalent,
        "certifications_required": LIST_SEPARATOR.join(found.certifications_required),
        "certifications_preferred": LIST_SEPARATOR.join(found.certifications_preferred),
        "skill_categories": LIST_SEPARATOR.join(found.skill_categories),
        "has_text": found.has_text,
        "text_chars": found.text_chars,
        "truncated": found.truncated,
    }
