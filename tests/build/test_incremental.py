"""Incremental builds equal full rebuilds: every model table, compared by content.

Small hand-made drops exercise what can go wrong when a build takes only the new loads:
late rows for old months, reposts that join (and merge) chains from an earlier load, a row
that becomes the new earliest of an existing group, an exact (source, source_id) duplicate
whose earlier date moves its group to another match key, and a classifier change.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from outlook.build.pipeline import build_warehouse
from outlook.config import ROLES_FILE
from outlook.ingest.posting_files import load_postings_file
from outlook.warehouse import connect

HEADER = "source_id,title_raw,employer_raw,location_raw,posted_date\n"
PID = "Director of Performance Improvement,Mercy Health"
LOAD_1 = [
    f'A1,{PID},"Dayton, OH",2026-01-05',
    f'A2,{PID},"Dayton, OH",2026-02-14',  # 40 days on: same chain
    f'A3,{PID},"Dayton, OH",2026-05-15',  # 90 days on: a new chain
    'B1,Registered Nurse,Kettering Health,"Toledo, OH",2026-03-10',
    'C1,Director of Performance Improvement,Premier Health,"Columbus, OH",2026-04-01',
    'C2,Staff Nurse,Miami Valley,"Cleveland, OH",2026-03-15',
    'N1,Registered Nurse,,"Dayton, OH",2026-01-05',  # no employer: never merged
    ',Registered Nurse,Kettering Health,"Toledo, OH",2026-06-01',  # no id: stands alone
]
LOAD_2 = [
    'L1,Registered Nurse,Akron General,"Akron, OH",2025-06-01',  # late: an older month
    f'A4,{PID},"Dayton, OH",2026-03-20',  # joins chain 1 and bridges it to chain 2
    f'A0,{PID},"Dayton, OH",2025-12-20',  # the new earliest row of the group
    # B1 again, earlier and retitled: its exact group's representative moves to the
    # (Staff Nurse, Miami Valley, Cleveland) partition and joins C2's chain
    'B1,Staff Nurse,Miami Valley,"Cleveland, OH",2026-03-01',
    'C1,Director of Performance Improvement,Premier Health,"Columbus, OH",2026-04-20',
    'N2,Registered Nurse,,"Dayton, OH",2026-01-06',
]
LOAD_3 = [
    f'A5,{PID},"Dayton, OH",2026-07-01',  # 47 days after A3
    'B1,Registered Nurse,Kettering Health,"Toledo, OH",2026-02-01',  # B1 earliest again
]


def drop(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    return path


def model_tables(con: duckdb.DuckDBPyConnection, stored_only: bool = False) -> list[str]:
    """Every model's table or view (``stored_only``: tables only; a view of raw.postings
    shows a new load before any build)."""
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('staging', 'intermediate', 'marts') "
        "and (not ? or table_type = 'BASE TABLE') order by 1",
        [stored_only],
    ).fetchall()
    return [r[0] for r in rows]


def content(con: duckdb.DuckDBPyConnection, stored_only: bool = False) -> dict[str, list[tuple]]:
    """Every model's rows, sorted: equal whatever order they were written in."""
    return {
        table: sorted(con.execute(f"select * from {table}").fetchall(), key=repr)
        for table in model_tables(con, stored_only)
    }


def assert_same_as_full_rebuild(con: duckdb.DuckDBPyConnection, run: str) -> None:
    incremental = content(con)
    report = build_warehouse(con, f"{run}-full", full_refresh=True)
    assert report.full_reason == "--full-refresh"
    full = content(con)
    assert incremental.keys() == full.keys()
    for table in full:
        assert incremental[table] == full[table], f"{table} differs from a full rebuild"


def groups(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, bool, int]]:
    rows = con.execute(
        "select source_id || ' ' || posted_date::varchar, duplicate_group_id, is_canonical, "
        "group_size from marts.fct_postings join intermediate.int_postings__deduplicated "
        "using (posting_row_id, duplicate_group_id, is_canonical) where source_id is not null"
    ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_incremental_builds_equal_full_rebuilds(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop(tmp_path, "load1", LOAD_1), "generic", raw, "r1")
        first = build_warehouse(con, "b1")
        assert first.full_reason == "first build"

        load_postings_file(con, drop(tmp_path, "load2", LOAD_2), "generic", raw, "r2")
        second = build_warehouse(con, "b2")
        assert (second.full_reason, second.new_loads, second.seeds_loaded) == (None, 1, False)
        g = groups(con)
        assert g["A0 2025-12-20"][0] == g["A1 2026-01-05"][0] == g["A3 2026-05-15"][0]
        assert g["A0 2025-12-20"][1] and not g["A1 2026-01-05"][1]
        assert g["B1 2026-03-01"][0] == g["B1 2026-03-10"][0] == g["C2 2026-03-15"][0]
        assert g["C1 2026-04-01"][2] == 2
        modes = dict(
            con.execute("select model, mode from meta.builds where run_id = 'b2'").fetchall()
        )
        assert modes["marts.fct_postings"] == "incremental"
        assert_same_as_full_rebuild(con, "b2")

        load_postings_file(con, drop(tmp_path, "load3", LOAD_3), "generic", raw, "r3")
        assert build_warehouse(con, "b3").full_reason is None
        assert_same_as_full_rebuild(con, "b3")

        # nothing new: no model is rebuilt, and nothing changes
        before = content(con)
        assert build_warehouse(con, "b4").new_loads == 0
        assert content(con) == before
        modes = con.execute(
            "select distinct mode from meta.builds where run_id = 'b4' and layer <> 'setup'"
        ).fetchall()
        assert modes == [("skipped: no input changed",)]


def test_a_new_official_load_rebuilds_the_other_models(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop(tmp_path, "load1", LOAD_1), "generic", tmp_path, "r1")
        build_warehouse(con, "b1")
        build_warehouse(con, "b2")
        con.execute(
            "insert into raw.naics__codes (_load_id) values ('a new load of an official source')"
        )
        build_warehouse(con, "b3")
        modes = dict(
            con.execute("select model, mode from meta.builds where run_id = 'b3'").fetchall()
        )
        assert modes["staging.stg_census__naics_codes"] == "full"
        assert modes["marts.fct_postings"] == "incremental"  # with no new posting load
        assert modes["marts.role_outlook"] == "full"


def test_loads_holding_most_rows_build_whole(tmp_path: Path, monkeypatch) -> None:
    """A load that is most of the posting rows (a first drop, a back-fill) takes the full
    path, with the reason said; small loads stay incremental whatever their share."""
    raw = tmp_path / "raw"
    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop(tmp_path, "load1", LOAD_1), "generic", raw, "r1")
        build_warehouse(con, "b1")
        load_postings_file(con, drop(tmp_path, "load2", LOAD_2), "generic", raw, "r2")
        monkeypatch.setattr("outlook.build.incremental.FULL_BUILD_MIN_NEW_ROWS", 6)
        monkeypatch.setattr("outlook.build.incremental.FULL_BUILD_NEW_SHARE", 0.4)
        report = build_warehouse(con, "b2")
        assert report.full_reason == "the new loads hold 6 of 14 posting rows"
        assert_same_as_full_rebuild(con, "b2")
        load_postings_file(con, drop(tmp_path, "load3", LOAD_3), "generic", raw, "r3")
        assert build_warehouse(con, "b3").full_reason is None  # 2 rows: under the minimum


def test_a_classifier_change_rebuilds_whole(tmp_path: Path, monkeypatch) -> None:
    raw = tmp_path / "raw"
    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop(tmp_path, "load1", LOAD_1), "generic", raw, "r1")
        build_warehouse(con, "b1")
        nurses = (
            "select count(*) from marts.fct_postings "
            "where role = 'Registered Nurse' and title_normalised = 'registered nurse'"
        )
        assert con.execute(nurses).fetchone()[0] == 3
        # a catalogue without the Registered Nurse alias and pattern: a new classifier
        # version, under which every title is classified again
        catalogue = ROLES_FILE.read_text().replace(
            "aliases: [Registered Nurse, Staff Nurse]", "aliases: [Staff Nurse]"
        )
        catalogue = catalogue.replace(r"regex: '\bregistered nurse\b|", "regex: '")
        changed = tmp_path / "roles.yaml"
        changed.write_text(catalogue)
        monkeypatch.setattr("outlook.build.classification.ROLES_FILE", changed)
        load_postings_file(con, drop(tmp_path, "load2", LOAD_2), "generic", raw, "r2")
        report = build_warehouse(con, "b2")
        assert report.full_reason == "model SQL, seeds or classifier version changed"
        assert con.execute(nurses).fetchone()[0] == 0  # old rows reclassified too
        assert_same_as_full_rebuild(con, "b2")


def test_a_removed_load_rebuilds_whole(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop(tmp_path, "load1", LOAD_1), "generic", raw, "r1")
        load_postings_file(con, drop(tmp_path, "load2", LOAD_2), "generic", raw, "r2")
        build_warehouse(con, "b1")
        con.execute(
            "delete from raw.postings where _load_id = (select max_by(_load_id, posted_date) "
            "from raw.postings)"
        )
        report = build_warehouse(con, "b2")
        assert report.full_reason == "a load was removed or replaced"
        assert_same_as_full_rebuild(con, "b2")


@pytest.mark.parametrize("changed", ["sql", "seed"])
def test_changed_model_sql_or_seeds_rebuild_whole(tmp_path: Path, changed: str) -> None:
    from outlook.build.models import build
    from outlook.build.pipeline import prepare_inputs
    from outlook.build.seeds import seed_loaders
    from outlook.config import SQL_DIR

    sql = tmp_path / "sql"
    for path in SQL_DIR.rglob("*"):
        if path.is_file():
            (sql / path.relative_to(SQL_DIR)).parent.mkdir(parents=True, exist_ok=True)
            (sql / path.relative_to(SQL_DIR)).write_bytes(path.read_bytes())
    seed = tmp_path / "extra_seed.txt"
    seed.write_text("1")

    def run(con: duckdb.DuckDBPyConnection, run_id: str):
        return build(
            con,
            run_id,
            sql_dir=sql,
            seed_loaders=seed_loaders(),
            before_models=prepare_inputs,
            seed_inputs=[seed],
        )

    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop(tmp_path, "load1", LOAD_1), "generic", tmp_path, "r1")
        run(con, "b1")
        assert run(con, "b2").seeds_loaded is False
        if changed == "sql":
            model = sql / "marts" / "fct_postings.sql"
            model.write_text(model.read_text() + "\n-- a comment changes the checksum\n")
        else:
            seed.write_text("2")
        report = run(con, "b3")
        assert report.full_reason == "model SQL, seeds or classifier version changed"
        assert report.seeds_loaded is (changed == "seed")


def test_a_failed_incremental_build_keeps_the_previous_tables_and_state(
    tmp_path: Path, monkeypatch
) -> None:
    from outlook.build import incremental

    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, drop(tmp_path, "load1", LOAD_1), "generic", tmp_path, "r1")
        build_warehouse(con, "b1")
        before = content(con, stored_only=True)
        views = set(model_tables(con)) - set(before)
        load_postings_file(con, drop(tmp_path, "load2", LOAD_2), "generic", tmp_path, "r2")
        apply = incremental.Increment.apply

        def fail_at_facts(self, table: str, sql: str) -> None:
            if table == incremental.FACTS:
                raise duckdb.Error("disk full")
            apply(self, table, sql)

        monkeypatch.setattr(incremental.Increment, "apply", fail_at_facts)
        with pytest.raises(RuntimeError, match="fct_postings.*disk full"):
            build_warehouse(con, "b2")
        assert content(con, stored_only=True) == before
        assert views == {"staging.stg_postings__postings"}
        assert set(model_tables(con)) - set(before) == views
        monkeypatch.setattr(incremental.Increment, "apply", apply)
        assert build_warehouse(con, "b3").new_loads == 1  # load 2 is still new
        assert_same_as_full_rebuild(con, "b3")


def with_text(rows: list[str], texts: list[str]) -> list[str]:
    return [f'{row},"{text}"' for row, text in zip(rows, texts, strict=True)]


TEXTS_1 = ["Master's degree required. 10+ years of experience. Lean Six Sigma Black Belt."] * 3 + [
    "BSN required; 2 years experience.",
    "PMP preferred. Bachelor's degree or equivalent experience.",
    "",
    "Kaizen and PDSA. 5 years.",
    "",
]
TEXTS_2 = ["New text: CPHQ required, 7 years of experience."] + [""] * (len(LOAD_2) - 1)


def test_posting_texts_are_read_once_and_incremental_equals_full(tmp_path: Path) -> None:
    """Each distinct text is read once into the cache; a new load reads only its new texts,
    and the requirement models equal a full rebuild."""
    raw = tmp_path / "raw"
    header = HEADER.rstrip("\n") + ",description\n"

    def text_drop(name: str, rows: list[str]) -> Path:
        path = tmp_path / f"{name}.csv"
        path.write_text(header + "\n".join(rows) + "\n")
        return path

    with connect(tmp_path / "w.duckdb") as con:
        load_postings_file(con, text_drop("t1", with_text(LOAD_1, TEXTS_1)), "generic", raw, "r1")
        build_warehouse(con, "b1")
        cached = con.execute("select count(*) from cache.posting_requirements").fetchone()[0]
        assert cached == 4  # four distinct non-empty texts
        with_text_rows = con.execute(
            "select count(*) from intermediate.int_postings__requirements"
        ).fetchone()[0]
        assert with_text_rows == 6

        load_postings_file(con, text_drop("t2", with_text(LOAD_2, TEXTS_2)), "generic", raw, "r2")
        build_warehouse(con, "b2")
        assert con.execute("select count(*) from cache.posting_requirements").fetchone()[0] == 5
        row = con.execute(
            "select experience_years_min, certifications_required from "
            "cache.posting_requirements where list_contains(certifications, 'CPHQ')"
        ).fetchone()
        assert row == (7.0, ["CPHQ"])
        assert_same_as_full_rebuild(con, "b2")
        # a full rebuild reads nothing again: the cache is keyed by text and version
        assert con.execute("select count(*) from cache.posting_requirements").fetchone()[0] == 5
