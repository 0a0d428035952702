"""docs/reliability.md stays true: every case names a test that exists, and the doc is current."""

from __future__ import annotations

import ast

import pytest

from tests.reliability.cases import CASES, DOC, ROOT, render


def _functions(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("case", CASES, ids=[c.test.split("::")[1] for c in CASES])
def test_case_names_an_existing_test(case) -> None:
    path, name = case.test.split("::")
    assert name.startswith("test_") and name in _functions(path), case.test


def test_every_reliability_test_is_in_the_table() -> None:
    listed = {c.test.split("::")[1] for c in CASES}
    for module in ("test_network.py", "test_files.py", "test_properties.py", "test_security.py"):
        missing = {n for n in _functions(f"tests/reliability/{module}") if n.startswith("test_")}
        assert not missing - listed, f"{module}: add to cases.py: {sorted(missing - listed)}"


def test_doc_is_generated_from_the_table() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/reliability.md is stale: run `python -m tests.reliability.cases`"
    )
