"""``outlook docs``: generated from headers + _columns.yml; --check fails on undocumented columns."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from outlook.cli.main import main
from outlook.config import PROJECT_ROOT
from outlook.publish.mart_docs import collect, load_descriptions, render_markdown, undocumented

CONTRACTS = PROJECT_ROOT / "docs" / "contracts.md"
COLUMN_LINE = re.compile(r"^,?\s*[a-z_][a-z0-9_]*(\s*,\s*[a-z_][a-z0-9_]*)*\s*,?$")


def contract_columns() -> dict[str, list[str]]:
    """marts.* sections of docs/contracts.md -> the column names they list."""
    out: dict[str, list[str]] = {}
    for section in re.split(r"^## ", CONTRACTS.read_text(), flags=re.M)[1:]:
        head, _, body = section.partition("\n")
        table = head.split(" ")[0]
        if not table.startswith("marts."):
            continue
        body = re.sub(r"\([^)]*\)", "", body)  # drop "(DATE)", "('M2024')", ...
        # keep the lines that are only column names: notes have sentences
        names = [line for line in body.splitlines() if COLUMN_LINE.match(line.strip())]
        body = ",".join(names)
        out[table] = [c.strip() for c in body.split(",") if c.strip()]
    return out


def test_every_contract_column_is_described() -> None:
    descriptions = load_descriptions()
    contracts = contract_columns()
    assert "marts.fct_postings" in contracts and "marts.dim_occupation" in contracts
    built = {t: [c.split()[0] for c in cols] for t, cols in contracts.items()}
    assert undocumented(built, descriptions) == []
    for mine in ("marts.role_industry_monthly", "marts.role_trend", "marts.role_outlook"):
        assert mine in descriptions


def test_undocumented_lists_missing_and_blank() -> None:
    descriptions = {"marts.a": {"columns": {"x": "an x", "y": " "}}}
    built = {"marts.a": ["x", "y", "z"], "marts.b": ["w"]}
    assert undocumented(built, descriptions) == ["marts.a.y", "marts.a.z", "marts.b.w"]


def test_markdown_has_every_mart_and_header() -> None:
    text = render_markdown(collect(load_descriptions()))
    for table in contract_columns():
        assert f"## {table}" in text
    assert "## marts.role_outlook" in text
    assert "Grain: one row per (role, industry_sector, month)" in text  # SQL header
    assert "| `share_of_sector_postings` |" in text
    assert "**undocumented**" not in text


def make_warehouse(path: Path, extra_column: bool) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    extra = ", mystery integer" if extra_column else ""
    con.execute(
        "create table marts.dim_industry (naics_code varchar, naics_title varchar, "
        f"level integer, sector_code varchar, sector_title varchar{extra})"
    )
    con.close()


def run(tmp_path: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(
        ["docs", "--db", str(tmp_path / "w.duckdb"), "--publish-dir", str(tmp_path / "pub"), *args]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_passes_when_documented(tmp_path: Path, capsys) -> None:
    make_warehouse(tmp_path / "w.duckdb", extra_column=False)
    code, out, err = run(tmp_path, capsys, "--check")
    assert code == 0, err
    assert "0 undocumented" in out


def test_check_fails_on_an_undocumented_column(tmp_path: Path, capsys) -> None:
    make_warehouse(tmp_path / "w.duckdb", extra_column=True)
    code, _, err = run(tmp_path, capsys, "--check")
    assert code == 1
    assert "undocumented column: marts.dim_industry.mystery" in err


def test_check_without_built_marts_is_an_error(tmp_path: Path, capsys) -> None:
    code, _, err = run(tmp_path, capsys, "--check")
    assert code == 2 and "no built marts" in err


def test_docs_writes_markdown_with_built_columns(tmp_path: Path, capsys) -> None:
    make_warehouse(tmp_path / "w.duckdb", extra_column=True)
    target = tmp_path / "marts.md"
    code, out, _ = run(tmp_path, capsys, "--output", str(target))
    assert code == 0 and str(target) in out
    text = target.read_text()
    assert "| `mystery` | **undocumented** |" in text
    assert "## marts.role_trend" in text


def test_committed_marts_doc_is_current() -> None:
    """docs/marts.md is what `outlook docs` writes from the SQL headers and the YAML: a
    description edited without regenerating the page fails here."""
    from outlook.publish.mart_docs import DOCS_FILE, collect, load_descriptions, render_markdown

    expected = render_markdown(collect(load_descriptions()))
    assert DOCS_FILE.read_text(encoding="utf-8") == expected, (
        "docs/marts.md is stale: run `outlook docs` and commit it"
    )
