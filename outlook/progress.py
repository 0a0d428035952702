"""Progress for long loops: a rich bar on a terminal, one plain line per item otherwise.

Logs (CI, Prefect workers, cron mail) want lines they can grep, not redrawn bars; a person
at a terminal wants the bar. ``log`` (e.g. a Prefect run logger's ``info``) forces lines.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


def _stderr_line(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def progress(
    items: Sequence[T], description: str, log: Callable[[str], None] | None = None
) -> Iterator[T]:
    total = len(items)
    if log is None and sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import track

        # stderr, so `outlook export ... > list.txt` keeps stdout clean
        console = Console(stderr=True)
        yield from track(items, description=description, total=total, console=console)
        return
    emit = log or _stderr_line
    for index, item in enumerate(items, start=1):
        emit(f"{description}: {index}/{total} {item}")
        yield item
    emit(f"{description}: done ({total})")
