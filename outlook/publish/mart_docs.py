"""Documentation of the marts: column meanings from ``sql/marts/_columns.yml`` and each SQL
model's header comment, checked against the built tables and rendered as ``docs/marts.md``.
Read by ``outlook docs`` and by the data dictionary every export carries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from outlook.config import PROJECT_ROOT, SQL_DIR

COLUMNS_FILE = SQL_DIR / "marts" / "_columns.yml"
DOCS_FILE = PROJECT_ROOT / "docs" / "marts.md"


@dataclass(frozen=True)
class MartDoc:
    table: str
    header: str
    grain: str
    sources: str
    caveats: str
    columns: list[tuple[str, str]]  # (column, description; '' when undescribed)


def load_descriptions(path: Path = COLUMNS_FILE) -> dict[str, dict]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for table, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
            raise ValueError(f"{path}: {table} needs a 'columns' mapping")
    return data


def sql_header(path: Path) -> str:
    """The leading ``--`` comment block of a SQL model (a Python model's docstring), as text."""
    if path.suffix == ".py":
        import ast

        return " ".join((ast.get_docstring(ast.parse(path.read_text("utf-8"))) or "").split())
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines)


def built_columns(con) -> dict[str, list[str]]:
    """``marts.<table>`` -> its columns in order, for every built mart table."""
    out: dict[str, list[str]] = {}
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' order by table_name, ordinal_position"
    ).fetchall()
    for table, column in rows:
        out.setdefault(f"marts.{table}", []).append(column)
    return out


def undocumented(built: dict[str, list[str]], descriptions: dict[str, dict]) -> list[str]:
    """``marts.table.column`` for every built column without a non-empty description."""
    missing = []
    for table, columns in sorted(built.items()):
        described = (descriptions.get(table) or {}).get("columns") or {}
        missing += [f"{table}.{c}" for c in columns if not str(described.get(c) or "").strip()]
    return missing


def collect(
    descriptions: dict[str, dict],
    built: dict[str, list[str]] | None = None,
    marts_dir: Path = SQL_DIR / "marts",
) -> list[MartDoc]:
    """One entry per mart that has a SQL file, a description, or a built table."""
    built = built or {}
    sql_files = {f"marts.{p.stem}": p for p in sorted(marts_dir.glob("*.sql"))}
    sql_files |= {f"marts.{p.stem}": p for p in sorted(marts_dir.glob("*.py"))}
    tables = sorted(set(sql_files) | set(descriptions) | set(built))
    docs = []
    for table in tables:
        spec = descriptions.get(table) or {}
        described = spec.get("columns") or {}
        header = sql_header(sql_files[table]) if table in sql_files else ""
        # YAML order, then built columns nobody described: the page reads the same with or
        # without a built warehouse, and an undocumented column still shows up
        names = list(described) + [c for c in built.get(table, []) if c not in described]
        # a model's header already states grain and sources; the YAML's are for marts without one
        docs.append(
            MartDoc(
                table,
                header or str(spec.get("description") or "").strip(),
                "" if header else str(spec.get("grain") or "").strip(),
                "" if header else str(spec.get("sources") or "").strip(),
                str(spec.get("caveats") or "").strip(),
                [(c, str(described.get(c) or "").strip()) for c in names],
            )
        )
    return docs


def table_comment(doc: MartDoc) -> str:
    """What ``COMMENT ON TABLE`` says: the model's header (grain, sources), then caveats."""
    parts = [doc.header]
    parts += [f"Grain: {doc.grain}."] if doc.grain else []
    parts += [f"Sources: {doc.sources}."] if doc.sources else []
    parts += [f"Caveats: {doc.caveats}"] if doc.caveats else []
    return " ".join(p for p in parts if p)


def apply_comments(con, catalog: str | None = None, path: Path = COLUMNS_FILE) -> int:
    """``COMMENT ON`` every built mart table and described column of ``catalog`` (an attached
    database; default the connection's own), so ``DESCRIBE``, ``duckdb_columns().comment``
    and BI tools show the meanings. Returns the number of comments set.

    ``CREATE TABLE ... AS`` does not carry comments, so each copy of the marts (the
    warehouse after a build, every snapshot) sets them again; ~250 statements, well under a
    second."""
    prefix = f"{catalog}." if catalog else ""
    where = "table_schema = 'marts'" + (" and table_catalog = ?" if catalog else "")
    params = [catalog] if catalog else []
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        f"where {where} order by table_name, ordinal_position",
        params,
    ).fetchall()
    built: dict[str, list[str]] = {}
    for table, column in rows:
        built.setdefault(f"marts.{table}", []).append(column)
    done = 0
    for doc in collect(load_descriptions(path), built):
        if doc.table not in built:
            continue  # described but not built (a partial build)
        con.execute(f"comment on table {prefix}{doc.table} is {_literal(table_comment(doc))}")
        done += 1
        for column, text in doc.columns:
            if text and column in built[doc.table]:
                con.execute(f'comment on column {prefix}{doc.table}."{column}" is {_literal(text)}')
                done += 1
    return done


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no bound parameter)."""
    return "'" + text.replace("'", "''") + "'"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(docs: list[MartDoc]) -> str:
    lines = [
        "# Marts",
        "",
        "Generated by `outlook docs` from the SQL header comments and `sql/marts/_columns.yml`;",
        "edit those, not this file. Contracts between teams: `docs/contracts.md`.",
        "",
    ]
    lines += [f"- [`{d.table}`](#{d.table.replace('.', '')})" for d in docs]
    for doc in docs:
        lines += ["", f"## {doc.table}", ""]
        if doc.header:
            lines += [doc.header, ""]
        for name, text in (("Grain", doc.grain), ("Sources", doc.sources)):
            if text:
                lines += [f"**{name}:** {text}", ""]
        if doc.caveats:
            lines += [f"**Caveats:** {doc.caveats}", ""]
        lines += ["| column | meaning |", "|---|---|"]
        lines += [f"| `{c}` | {_cell(t) or '**undocumented**'} |" for c, t in doc.columns]
    return "\n".join(lines) + "\n"
