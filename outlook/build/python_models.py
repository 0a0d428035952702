"""Models computed in Python (statistics SQL does badly), built in dependency order with SQL.

Each entry is ``python_model(table, depends_on, build)`` where ``build(con)`` reads its
inputs from the warehouse and returns a DataFrame with the model's columns; the logic lives
in pure functions under ``transforms/``.
"""

from __future__ import annotations

from outlook.build.models import Model


def python_models() -> list[Model]:
    """Every Python model (import inside, so the CLI starts without pandas-heavy modules)."""
    from outlook.build import trend_models

    return [*trend_models.models()]
