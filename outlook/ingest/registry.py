"""The one registry of sources, in load order: file sources, JOLTS, the posting APIs.

Every entry is an ``outlook.ingest.sources.base.Source``; ``select`` picks by name or group
(``indeed`` selects every Indeed file, ``postings`` every posting API). The file catalog
itself (``outlook.ingest.sources``) stays plain data, so the quality gates can read it.
"""

from __future__ import annotations

from outlook.ingest.file_sources import FileIngest
from outlook.ingest.jolts import JoltsSource
from outlook.ingest.posting_apis import POSTING_API_SOURCES
from outlook.ingest.sources import FILE_SOURCES, matching
from outlook.ingest.sources.base import Source

ALL_SOURCES: list[Source] = [
    *(FileIngest(source) for source in FILE_SOURCES),
    JoltsSource(),
    *POSTING_API_SOURCES,
]


def known_names() -> set[str]:
    """Every source name and group a ``sources`` list may use."""
    return {s.name for s in ALL_SOURCES} | {s.group for s in ALL_SOURCES}


def by_name() -> dict[str, Source]:
    return {source.name: source for source in ALL_SOURCES}


def select(names: list[str] | None) -> list[Source]:
    """Sources matching names or group names, in load order (all when none are given)."""
    return matching(ALL_SOURCES, names, known_names())
