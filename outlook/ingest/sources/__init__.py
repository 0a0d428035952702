"""The catalog of file sources (each module lists its ``SOURCES``; order is load order).

Plain data: every kind of source (these files, JOLTS, the posting APIs) is registered in
``outlook.ingest.registry``, which the flows use. ``select``/``known_names`` here accept the
registry's names, so a caller validating a ``sources`` list gets one answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from outlook.ingest.sources import indeed, official
from outlook.ingest.sources.base import FileSource

S = TypeVar("S")

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


def matching(items: Sequence[S], names: list[str] | None, known: set[str]) -> list[S]:
    """The items whose name or group is named (all when none are), in their order; raises
    KeyError naming any name that is not in ``known``."""
    if not names:
        return list(items)
    wanted = set(names)
    unknown = sorted(wanted - known)
    if unknown:
        raise KeyError(
            f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return [s for s in items if s.name in wanted or s.group in wanted]


def select(names: list[str] | None) -> list[FileSource]:
    """File sources matching names or group names (``indeed`` selects every Indeed file)."""
    return matching(FILE_SOURCES, names, known_names())
