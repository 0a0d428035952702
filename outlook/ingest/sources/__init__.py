"""The catalog of file sources (each module lists its ``SOURCES``; order is load order).

Plain data: every kind of source (these files, JOLTS, the posting APIs) is registered in
``outlook.ingest.registry``, which the flows use. ``select``/``known_names`` here accept the
registry's names, so a caller validating a ``sources`` list gets one answer.
"""

from __future__ import annotations

from outlook.ingest.sources import indeed, official
from outlook.ingest.sources.base import FileSource

FILE_SOURCES: list[FileSource] = [*official.SOURCES, *indeed.SOURCES]
ALL_SOURCES = FILE_SOURCES  # the file sources (callers outside ingest: status, build, tests)
# The other sources' names and groups (outlook.ingest.registry holds the sources themselves;
# tests/ingest/test_official_sources.py checks the two agree).
OTHER_NAMES: frozenset[str] = frozenset({"jolts", "usajobs", "adzuna", "postings"})


def known_names() -> set[str]:
    """Every source name and group a ``sources`` list may use."""
    return {s.name for s in FILE_SOURCES} | {s.group for s in FILE_SOURCES} | set(OTHER_NAMES)


def by_name() -> dict[str, FileSource]:
    return {source.name: source for source in FILE_SOURCES}


def select(names: list[str] | None) -> list[FileSource]:
    """File sources matching names or group names (``indeed`` selects every Indeed file);
    raises KeyError naming any name no source has."""
    if not names:
        return list(FILE_SOURCES)
    wanted = set(names)
    known = known_names()
    unknown = sorted(wanted - known)
    if unknown:
        raise KeyError(
            f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return [s for s in FILE_SOURCES if s.name in wanted or s.group in wanted]
