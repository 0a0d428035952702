"""The sub-command registry: each module under ``outlook/cli`` adds its commands with
``@command``; ``outlook.cli.main`` builds the parser from ``COMMANDS``."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from outlook.config import Settings

Handler = Callable[[argparse.Namespace, Settings], int]
COMMANDS: dict[str, tuple[Handler, Callable[[argparse.ArgumentParser], None], str]] = {}


def command(
    name: str, help: str, configure: Callable[[argparse.ArgumentParser], None] | None = None
):
    """Register a sub-command; modules under ``outlook/commands`` add theirs this way."""

    def wrap(func: Handler) -> Handler:
        COMMANDS[name] = (func, configure or (lambda parser: None), help)
        return func

    return wrap
