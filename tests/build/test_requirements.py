"""The requirement-extraction taxonomy loader (outlook.build.requirements)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from outlook.build.requirements import load_taxonomy
from outlook.warehouse import connect, replace_table


def technology_skills_warehouse(db: Path) -> Path:
    """A warehouse holding only raw.onet__technology_skills, two releases of it."""
    frame = pd.DataFrame(
        {
            "onet_soc_code": ["11-1021.00", "15-1252.00", "15-1252.00"],
            "example": ["Microsoft Excel", "Python", "Old Tool"],
            "commodity_title": ["Spreadsheet software", "Development software", "Old"],
            "hot_technology": [True, True, False],
            "in_demand": [None, None, None],
            "_release": ["29.3", "29.3", "28.0"],
        }
    )
    con = connect(db)
    try:
        replace_table(con, "raw.onet__technology_skills", frame)
    finally:
        con.close()
    return db


def test_seeds_only_without_a_warehouse(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(tmp_path / "absent.duckdb")
    assert taxonomy.source.startswith("seeds only")
    assert "no warehouse at" in taxonomy.source
    assert {e.source for e in taxonomy.entries} == {"seed"}
    assert [m.entry.name for m in taxonomy.find("PMP and Kaizen")] == ["PMP", "Kaizen"]


def test_seeds_only_when_the_warehouse_has_no_onet(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    connect(db).close()
    taxonomy = load_taxonomy(db)
    assert taxonomy.source.startswith("seeds only") and "holds no O*NET" in taxonomy.source


def test_onet_examples_of_the_latest_release_from_the_warehouse(tmp_path: Path) -> None:
    db = technology_skills_warehouse(tmp_path / "w.duckdb")
    taxonomy = load_taxonomy(db, tmp_path / "writer.lock")
    assert taxonomy.source.startswith("O*NET 29.3 Technology Skills")
    names = {e.name for e in taxonomy.entries if e.source == "onet"}
    assert {"Microsoft Excel", "Python", "Spreadsheet software"} <= names
    assert "Old Tool" not in names  # an older release's row
    assert [m.entry.name for m in taxonomy.find("Excel, Python and PMP")] == [
        "Microsoft Excel",
        "Python",
        "PMP",
    ]
