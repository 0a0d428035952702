"""What a title's structure says about its occupation family: head noun and function.

A linear model over title words scores "Android Engineer" by its known word, "engineer",
and answers Civil Engineers; "Chief Marketing Officer" meets an O*NET short title "CMO"
(Continuous Mining Machine Operators). Reading the title's structure fixes such answers
without coding any title by hand:

* **C-suite and function leaders**: "chief <function> officer", "head of <function>",
  "director / vice president of <function>", "<function> director" are managers of that
  function (the ``functions`` table); an unlisted chief officer is a chief executive.
* **technology + head**: "<technology> engineer / developer / ..." is a computer
  occupation; technology words come from O*NET Technology Skills (``add_technology``)
  and the seed lexicon.
* **domain words** narrowing a head ("medical ... scientist" is a life scientist) and
  **head families** (an analyst is not a correctional officer).
* **generic titles**: a bare head ("President", "Machine Operator") says too little.

Everything here is a pure function of the classifier's title key (``title_key`` of the
normalised title) and a ``StructureLexicon`` read from ``data/seeds/title_structure.toml``
(the caller says where). ``transforms.classify`` applies the families as a prior.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from transforms.title_index import title_key

__all__ = [
    "StructureLexicon",
    "TitleStructure",
    "add_technology",
    "load_structure",
    "read_structure",
]

_LEADERS = ("head", "director", "vice president")


@dataclass(frozen=True, slots=True)
class TitleStructure:
    """What the structure of one title key says: SOC families (code prefixes) its
    occupation lies in (empty: nothing), the rule that said so, and whether the title is
    too generic to code alone."""

    families: tuple[str, ...] = ()
    rule: str | None = None
    generic: bool = False


NO_STRUCTURE = TitleStructure()


@dataclass(frozen=True)
class StructureLexicon:
    """The seed lexicon, keyed like titles (see ``data/seeds/title_structure.toml``)."""

    off_family_weight: float = 0.02
    generic_cap: float = 0.35
    abstain_generic: bool = False
    generic_heads: frozenset[str] = frozenset()
    generic_modifiers: frozenset[str] = frozenset()
    tech_heads: frozenset[str] = frozenset()
    tech_families: tuple[str, ...] = ()
    tech_words: frozenset[str] = frozenset()
    tech_not_words: frozenset[str] = frozenset()
    tech_specific: dict[str, tuple[str, ...]] = field(default_factory=dict)
    heads: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # head (or "*": any head) -> phrase -> families
    domains: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    functions: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _key(text: str) -> str:
    return title_key(" ".join(re.findall(r"[a-z0-9]+", text.lower())))


def _families(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a non-empty list of SOC code prefixes")
    for v in value:
        if not re.fullmatch(r"\d{2}(-\d{0,4}(\.\d{2})?)?", v):
            raise ValueError(f"{where}: {v!r} is not a SOC code prefix like '15-' or '13-1071'")
    return tuple(value)


def load_structure(path: Path | str) -> StructureLexicon:
    """Read and check the lexicon; a malformed entry is an error naming it."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML ({exc})") from None
    prior, generic, tech = raw.get("prior", {}), raw.get("generic", {}), raw.get("technology", {})
    weight = float(prior.get("off_family_weight", 0.02))
    cap = float(generic.get("confidence_cap", 0.35))
    if not 0 < weight <= 1:
        raise ValueError(f"{path}: [prior] off_family_weight must be in (0, 1], got {weight}")
    if not 0 <= cap <= 1:
        raise ValueError(f"{path}: [generic] confidence_cap must be in [0, 1], got {cap}")
    domains: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
    for n, rule in enumerate(raw.get("domains", [])):
        fams = _families(rule.get("families"), f"{path}: [[domains]] #{n + 1} families")
        head = "*" if rule.get("head", "*") == "*" else _key(rule["head"])
        for word in rule.get("words", []):
            domains[head][_key(word)] = fams
    return StructureLexicon(
        off_family_weight=weight,
        generic_cap=cap,
        abstain_generic=bool(generic.get("abstain", False)),
        generic_heads=frozenset(_key(w) for w in generic.get("heads", [])),
        generic_modifiers=frozenset(_key(w) for w in generic.get("modifiers", [])),
        tech_heads=frozenset(_key(w) for w in tech.get("heads", [])),
        tech_families=_families(tech.get("families", ["15-1"]), f"{path}: [technology] families"),
        tech_words=frozenset(_key(w) for w in tech.get("words", [])),
        tech_not_words=frozenset(_key(w) for w in tech.get("not_words", [])),
        tech_specific={
            _key(w): _families(f, f"{path}: [technology.specific] {w}")
            for w, f in tech.get("specific", {}).items()
        },
        heads={
            _key(h): _families(f, f"{path}: [heads] {h}") for h, f in raw.get("heads", {}).items()
        },
        domains=dict(domains),
        functions={
            _key(w): _families(f, f"{path}: [functions] {w}")
            for w, f in raw.get("functions", {}).items()
        },
    )


def add_technology(
    lexicon: StructureLexicon,
    examples: Iterable[str],
    reference_keys: Iterable[tuple[str, str]],
    computer_major: str = "15",
) -> StructureLexicon:
    """The lexicon with the single words of technology ``examples`` (O*NET Technology
    Skills, e.g. "Google Android", "Oracle Java") added as technology words, except words
    that occur in the reference titles (``(key, SOC code)`` pairs) of more than one
    non-computer occupation title: "Autodesk AutoCAD Civil 3D" must not make "Civil
    Engineer" a software developer, nor "Microsoft Project" a "Project Engineer"."""
    elsewhere = Counter(
        chain.from_iterable(
            set(key.split()) for key, code in reference_keys if not code.startswith(computer_major)
        )
    )  # (one count over all titles: a Counter.update per title took ~0.1 s a load)
    words = set()
    for example in examples:
        for word in _key(example).split():
            if len(word) > 1 and not word.isdigit() and elsewhere[word] <= 1:
                words.add(word)
    return replace(lexicon, tech_words=lexicon.tech_words | (words - lexicon.tech_not_words))


# Longest trailing initials read as a suffix rather than the head ("cco", "hq").
_SUFFIX_CHARS = 4
# Longest phrase in any table, in words.
_MAX_PHRASE = 3


def _phrases(tokens: list[str], *tables: Collection[str]) -> list[str]:
    """Runs of ``tokens`` (up to three words) found in any of ``tables``, longest first
    (one set look-up per run: tables of thousands of technology words stay cheap)."""
    found = []
    for size in range(min(_MAX_PHRASE, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            run = " ".join(tokens[start : start + size])
            if any(run in table for table in tables):
                found.append(run)
    return found


def _generic(tokens: list[str], lexicon: StructureLexicon) -> bool:
    rest = [t for t in tokens if t not in lexicon.generic_modifiers]
    return bool(rest) and " ".join(rest) in lexicon.generic_heads


def _leader_function(tokens: list[str], lexicon: StructureLexicon) -> TitleStructure | None:
    text = " ".join(tokens)
    if len(tokens) > 2 and tokens[0] == "chief" and tokens[-1] == "officer":
        function = " ".join(tokens[1:-1])
        fams = lexicon.functions.get(function, ("11-1011",))
        return TitleStructure(fams, f"title structure: chief {function} officer")
    for leader in _LEADERS:
        function = None
        if text.startswith(leader + " of "):
            function = text[len(leader) + 4 :]
        elif text.endswith(" " + leader):
            function = text[: -len(leader) - 1]
        if function and function in lexicon.functions:
            rule = f"title structure: {leader} of {function} (a manager)"
            return TitleStructure(lexicon.functions[function], rule)
    return None


def _head(tokens: list[str], lexicon: StructureLexicon) -> str:
    """The word before the first "of" ("director of nursing"), else the last; but a short
    trailing word after a known head is a suffix, not the head ("business analyst cco":
    an employer's or department's initials after a comma)."""
    if "of" in tokens[1:]:
        return tokens[tokens.index("of", 1) - 1]
    last = tokens[-1]
    if len(tokens) > 1 and len(last) <= _SUFFIX_CHARS and last not in lexicon.generic_heads:
        before = tokens[-2]
        if (
            before in lexicon.heads
            or before in lexicon.tech_heads
            or before in lexicon.generic_heads
        ):
            return before
    return last


def read_structure(key: str, lexicon: StructureLexicon) -> TitleStructure:
    """What the structure of a title key says (``NO_STRUCTURE``: nothing)."""
    tokens = key.split()
    if not tokens:
        return NO_STRUCTURE
    if _generic(tokens, lexicon):
        return TitleStructure(
            (), "too generic: the title alone does not say which occupation", True
        )
    led = _leader_function(tokens, lexicon)
    if led is not None:
        return led
    head = _head(tokens, lexicon)
    modifiers = tokens[: tokens.index(head)]
    if head in lexicon.tech_heads and modifiers:
        found = _phrases(modifiers, lexicon.tech_specific, lexicon.tech_words)
        if found:
            word = found[0]
            fams = lexicon.tech_specific.get(word, lexicon.tech_families)
            return TitleStructure(fams, f"title structure: technology '{word}' + {head}")
    for scope in (head, "*"):
        domains = lexicon.domains.get(scope)
        found = domains and _phrases(tokens, domains)
        if found:
            word = found[0]
            return TitleStructure(domains[word], f"title structure: '{word}' + {head}")
    if head in lexicon.heads:
        return TitleStructure(lexicon.heads[head], f"title structure: head noun '{head}'")
    return NO_STRUCTURE
