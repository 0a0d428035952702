"""What a file source is: where it lives upstream, how it parses, where it lands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class FileSource:
    """One upstream file and the raw table it is loaded into.

    ``parse(path, location)`` is a pure function from ``transforms/`` returning exactly
    ``columns``; ``release(frame, url)`` names the release the file holds. ``mode`` says how
    a new file relates to what is loaded (see ``warehouse.replace_rows``).
    """

    name: str
    group: str
    url: str
    table: str
    columns: dict[str, str]
    parse: Callable[[Path, str], pd.DataFrame]
    release: Callable[[pd.DataFrame, str], str]
    mode: str = "release"
    expect: str | None = None
    licence: str = "public domain"
    attribution: str = ""
    description: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
