"""Seeds that are not plain CSV: each loader writes ``seeds.*`` tables inside the build."""

from __future__ import annotations

from outlook.models import SeedLoader


def seed_loaders() -> list[SeedLoader]:
    """Loaders run after the CSV seeds, in the build's transaction."""
    return []
