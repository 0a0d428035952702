"""The registry of upstream sources. Each module lists its ``SOURCES``; order is load order."""

from __future__ import annotations

from outlook.ingest.sources import indeed, official
from outlook.ingest.sources.base import FileSource

ALL_SOURCES: list[FileSource] = [*official.SOURCES, *indeed.SOURCES]
# Sources pulled from APIs rather than files (their loaders live in outlook/<name>.py; the
# posting APIs usajobs and adzuna in outlook/api_postings.py).
API_SOURCES: tuple[str, ...] = ("jolts", "usajobs", "adzuna")
# Groups of API sources: 'postings' names every posting API (file drops come in through the
# refresh flow's ``postings`` parameter).
API_GROUPS: dict[str, tuple[str, ...]] = {"postings": ("usajobs", "adzuna")}


def wants_api(name: str, names: list[str] | None) -> bool:
    """Whether an API source is selected (all are, when no names are given)."""
    if not names:
        return True
    return name in names or any(name in API_GROUPS.get(group, ()) for group in names)


def known_names() -> set[str]:
    """Every source name and group a ``sources`` list may use."""
    files = {s.name for s in ALL_SOURCES} | {s.group for s in ALL_SOURCES}
    return files | set(API_SOURCES) | set(API_GROUPS)


def by_name() -> dict[str, FileSource]:
    return {source.name: source for source in ALL_SOURCES}


def select(names: list[str] | None) -> list[FileSource]:
    """Sources matching names or group names (``indeed`` selects every Indeed file)."""
    if not names:
        return list(ALL_SOURCES)
    wanted = set(names)
    chosen = [s for s in ALL_SOURCES if s.name in wanted or s.group in wanted]
    known = known_names()
    unknown = sorted(wanted - known)
    if unknown:
        raise KeyError(
            f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return chosen
