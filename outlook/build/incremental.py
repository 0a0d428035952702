"""Incremental builds of the posting models: only the loads that arrived since the last build.

The posting models are row-level (one row per posting row), so a new load is applied by
running each model's own SQL on a scope of rows and writing those rows back:

- ``staging.stg_postings__postings`` is a view over ``raw.postings``: the new rows show
  through it (were it a table, the new rows would be inserted, as below).
- ``intermediate.int_postings__classified``: the new rows only (a row's classification
  depends on that row and the title cache of the current classifier version, nothing else).
- ``intermediate.int_postings__deduplicated``, ``marts.fct_postings``, ``marts.role_postings``:
  the *dedup scope*, the rows a new row can change. A row's duplicate group depends on its
  exact-id group (rule 1: same (source, source_id)) and, through that group's representative,
  on the whole match-key partition (rule 2: same title + employer + city + state) the
  representative falls in. A new row can join an exact group and become its earliest row,
  moving the group to another partition and renumbering both partitions' chains. So the
  scope is closed under both relations, on every row's own keys: start from the new rows,
  add every row sharing a (source, source_id) or a match key with a row in the scope, and
  repeat until nothing is added (the connected component; usually two or three rounds).
  Every exact group and match-key partition of a row in the scope is then wholly inside it,
  so the model's SQL gives each of those rows the value a full build would; rows outside
  share no key with a new row, so their groups, partitions and chains are what they were.

Anything that can change rows wholesale (see ``plan``) rebuilds the posting models whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from outlook.build.state import (
    built_loads,
    checksum,
    raw_loads,
    read_state,
    record_loads,
    write_state,
)
from outlook.warehouse import table_exists

STAGING = "staging.stg_postings__postings"
CLASSIFIED = "intermediate.int_postings__classified"
DEDUPLICATED = "intermediate.int_postings__deduplicated"
FACTS = "marts.fct_postings"
ROLE_POSTINGS = "marts.role_postings"
POSTING_MODELS = (STAGING, CLASSIFIED, DEDUPLICATED, FACTS, ROLE_POSTINGS)
# the inputs of each posting model that hold posting rows, read through the model's scope
_SCOPED_INPUTS = {
    STAGING: (),
    CLASSIFIED: (STAGING,),
    DEDUPLICATED: (STAGING,),
    FACTS: (STAGING,),
    ROLE_POSTINGS: (FACTS,),
}
# Bump when the logic here changes: the next build is then a full one.
LOGIC_VERSION = "1"
FINGERPRINT_KEY = "posting_models_fingerprint"
# More rounds than this means one giant component: recomputing the whole table is as cheap.
MAX_SCOPE_ROUNDS = 12
# A build whose new loads hold most of the posting rows (the first posting drop after the
# reference data, a back-fill) rebuilds the posting models whole: the result is the same (a
# full build is what the incremental one must equal), and at 10M new rows the incremental
# path's delete + insert of every row took 214 s in dedup and 286 s in fct_postings
# (2026-12-04, `outlook bench --large`). Small loads stay incremental whatever their share.
FULL_BUILD_NEW_SHARE = 0.5
FULL_BUILD_MIN_NEW_ROWS = 100_000
# The rule-2 match key of sql/intermediate/int_postings__deduplicated.sql, as columns (rows
# without a title or employer have their own row id as key and never share it).
_MATCH_KEY = (
    "title_normalised, employer_normalised, coalesce(city, '') as city_key, "
    "coalesce(state, '') as state_key"
)


@dataclass(frozen=True)
class PostingPlan:
    """How this build treats the posting models."""

    loads: dict[str, int]  # every load in raw.postings now, with its rows
    new_loads: tuple[str, ...]  # loads to insert (incremental builds)
    fingerprint: str
    full_reason: str | None  # why the posting models are rebuilt whole; None: incremental

    @property
    def incremental(self) -> bool:
        return self.full_reason is None


def fingerprint(con: duckdb.DuckDBPyConnection, model_sql: dict[str, str], seeds: str) -> str:
    """What the posting models' rows are a function of, besides the loads: their SQL, the
    seeds, the classifier version (O*NET release, role catalogue, classifier code)."""
    version = None
    if table_exists(con, "cache.classifier_state"):
        row = con.execute("select max(version) from cache.classifier_state").fetchone()
        version = row[0] if row else None
    parts = [LOGIC_VERSION, seeds, str(version)]
    for table in POSTING_MODELS:
        parts += [table, model_sql.get(table, "")]
    return checksum(parts)


def plan(
    con: duckdb.DuckDBPyConnection, model_sql: dict[str, str], seeds: str, full_refresh: bool
) -> PostingPlan:
    loads = raw_loads(con)
    current = fingerprint(con, model_sql, seeds)
    before = built_loads(con)
    reason = None
    if full_refresh:
        reason = "--full-refresh"
    elif any(table not in model_sql for table in POSTING_MODELS):
        reason = "not every posting model is defined"
    elif not all(table_exists(con, table) for table in POSTING_MODELS):
        reason = "first build"
    elif (built := read_state(con, FINGERPRINT_KEY)) is None:
        reason = "no record of what the posting models hold"
    elif built != current:
        reason = "model SQL, seeds or classifier version changed"
    elif any(loads.get(load) != rows for load, rows in before.items()):
        reason = "a load was removed or replaced"
    new = tuple(sorted(load for load in loads if load not in before))
    if reason is None:
        reason = _mostly_new(loads, new)
    return PostingPlan(loads, new, current, reason)


def _mostly_new(loads: dict[str, int], new: tuple[str, ...]) -> str | None:
    """Why a build is cheaper whole when the new loads hold most rows (see the constants)."""
    new_rows, rows = sum(loads[load] for load in new), sum(loads.values())
    if new_rows >= FULL_BUILD_MIN_NEW_ROWS and new_rows >= FULL_BUILD_NEW_SHARE * rows:
        return f"the new loads hold {new_rows:,} of {rows:,} posting rows"
    return None


def finish(con: duckdb.DuckDBPyConnection, posting_plan: PostingPlan) -> None:
    """Record what the posting models now hold (in the build's transaction)."""
    record_loads(con, posting_plan.loads)
    write_state(con, FINGERPRINT_KEY, posting_plan.fingerprint)


def _view_name(table: str) -> str:
    return "_incr__" + table.replace(".", "__")


def _reading(sql: str, table: str, view: str) -> str:
    """``sql`` with every reference to ``table`` read from ``view`` instead."""
    schema, name = table.split(".")
    return re.sub(rf"\b{schema}\.{name}\b", view, sql)


class Increment:
    """Applies this build's new loads to the posting models, one model at a time, in
    dependency order (the dedup scope is found once staging holds the new rows)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, new_loads: tuple[str, ...]) -> None:
        self.con = con
        self.new_loads = new_loads
        self.scope_ready = False
        con.execute("create or replace temp table _incr_loads (load_id varchar)")
        if new_loads:
            con.executemany("insert into _incr_loads values (?)", [[x] for x in new_loads])

    def apply(self, table: str, sql: str) -> None:
        if not self.new_loads:
            return
        if table == STAGING:
            self._insert(table, _reading(sql, "raw.postings", self._new_raw()))
            return
        scope = "_incr_new_rows" if table == CLASSIFIED else self._dedup_scope()
        if table == CLASSIFIED:
            self.con.execute(
                f"create or replace temp table _incr_new_rows as select posting_row_id "
                f"from {STAGING} where load_id in (select load_id from _incr_loads)"
            )
        for source in _SCOPED_INPUTS[table]:
            view = _view_name(source)
            self.con.execute(
                f"create or replace temp view {view} as select * from {source} "
                f"where posting_row_id in (select posting_row_id from {scope})"
            )
            sql = _reading(sql, source, view)
        self.con.execute(
            f"delete from {table} where posting_row_id in (select posting_row_id from {scope})"
        )
        self._insert(table, sql)

    def close(self) -> None:
        for table in POSTING_MODELS:
            self.con.execute(f"drop view if exists {_view_name(table)}")
        self.con.execute("drop view if exists _incr_raw_postings")
        for temp in ("_incr_loads", "_incr_new_rows", "_incr_scope", "_incr_next"):
            self.con.execute(f"drop table if exists {temp}")

    def _insert(self, table: str, sql: str) -> None:
        self.con.execute(f"insert into {table} by name select * from (\n{sql}\n)")

    def _new_raw(self) -> str:
        self.con.execute(
            "create or replace temp view _incr_raw_postings as select * from raw.postings "
            "where _load_id in (select load_id from _incr_loads)"
        )
        return "_incr_raw_postings"

    def _dedup_scope(self) -> str:
        """``_incr_scope``: the new rows and every row connected to them (module notes)."""
        if self.scope_ready:
            return "_incr_scope"
        con = self.con
        con.execute(
            f"create or replace temp table _incr_scope as select posting_row_id, source, "
            f"source_id, {_MATCH_KEY} from {STAGING} "
            "where load_id in (select load_id from _incr_loads)"
        )
        size = con.execute("select count(*) from _incr_scope").fetchone()[0]
        for _ in range(MAX_SCOPE_ROUNDS):
            con.execute(
                f"""create or replace temp table _incr_next as
                with keyed as (
                    select posting_row_id, source, source_id, {_MATCH_KEY} from {STAGING}
                ),
                ids as (
                    select distinct source, source_id from _incr_scope
                    where source_id is not null
                ),
                match_keys as (
                    select distinct title_normalised, employer_normalised, city_key, state_key
                    from _incr_scope
                    where title_normalised is not null and employer_normalised is not null
                )
                select keyed.* from keyed semi join _incr_scope using (posting_row_id)
                union
                select keyed.* from keyed semi join ids
                    on ids.source is not distinct from keyed.source
                    and ids.source_id = keyed.source_id
                union
                select keyed.* from keyed semi join match_keys
                    on match_keys.title_normalised = keyed.title_normalised
                    and match_keys.employer_normalised = keyed.employer_normalised
                    and match_keys.city_key = keyed.city_key
                    and match_keys.state_key = keyed.state_key"""
            )
            grown = con.execute("select count(*) from _incr_next").fetchone()[0]
            con.execute("drop table _incr_scope")
            con.execute("alter table _incr_next rename to _incr_scope")
            if grown == size:
                break
            size = grown
        else:
            # still growing: every row is in scope (the same rows a full build computes)
            con.execute(
                f"create or replace temp table _incr_scope as select posting_row_id from {STAGING}"
            )
        self.scope_ready = True
        return "_incr_scope"
