"""Publishing that cannot clobber: a publish folder belongs to one warehouse, and a publish
that would empty it of postings (or take most of a role's) is refused unless asked for.

Why: ``OUTLOOK_DB=other.duckdb outlook refresh`` once published into the default folder and
replaced the demo's snapshot and every role's ``latest`` export with a snapshot holding no
postings. The folder now records its warehouse (``owner.json``, and ``snapshot_info`` in
the snapshot); the default folder is *not* derived from ``--db``, so that sequence is told
to choose a folder rather than silently writing a second one somewhere new.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from outlook.config import Settings

OWNER_FILE = "owner.json"
# Roles with fewer postings than this in the published snapshot are not judged by share: a
# reclassification moving 3 of 7 postings is not a lost source (30 is also the fewest
# postings a window change needs, data/seeds/outlook_rules.toml min_postings).
SHRINK_MIN_POSTINGS = 30
_CHOOSE = "publish it elsewhere with --publish-dir DIR (env OUTLOOK_PUBLISH_DIR)"


class PublishRefused(RuntimeError):
    """The publish would overwrite another warehouse's folder or shrink the published data."""


class SnapshotMismatch(LookupError):
    """A reader named a warehouse whose snapshot is not the one in the publish folder."""


def _kept(settings: Settings) -> str:
    return (
        f"nothing was published: the warehouse {settings.db} is built and kept, and "
        f"{settings.publish_dir} is unchanged"
    )


def _record(publish_dir: Path) -> dict | None:
    try:
        recorded = json.loads((publish_dir / OWNER_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise PublishRefused(
            f"cannot read {publish_dir / OWNER_FILE} ({exc}); fix or delete it"
        ) from exc
    return recorded if isinstance(recorded, dict) and recorded.get("warehouse") else None


def owner(publish_dir: Path) -> Path | None:
    """The warehouse the folder belongs to, as its ``owner.json`` records it (None: unclaimed)."""
    recorded = _record(publish_dir)
    return Path(recorded["warehouse"]) if recorded else None


def belongs_to(publish_dir: Path, db: Path) -> bool | None:
    """Whether the folder is ``db``'s (None: unclaimed). The warehouse is recorded by absolute
    path and by its path from the folder, so a project moved or copied whole (warehouse and
    publish folder together) keeps its pairing."""
    recorded = _record(publish_dir)
    if recorded is None:
        return None
    db = db.resolve()
    if Path(recorded["warehouse"]) == db:
        return True
    relative = recorded.get("warehouse_from_folder")
    return bool(relative) and (publish_dir.resolve() / relative).resolve() == db


def claim(publish_dir: Path, db: Path) -> None:
    """Record ``db`` as the folder's warehouse (an unchanged claim is not rewritten)."""
    marker = publish_dir / OWNER_FILE
    if owner(publish_dir) == db.resolve():
        return
    publish_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "warehouse": str(db.resolve()),
        "warehouse_from_folder": os.path.relpath(db.resolve(), publish_dir.resolve()),
        "about": "outlook publishes only this warehouse here; delete this file to hand the "
        "folder to another warehouse",
    }
    tmp = marker.with_name(f".{marker.name}.tmp")
    tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    tmp.replace(marker)


@dataclass(frozen=True)
class PostingCounts:
    """Postings in a set of marts: canonical rows of ``fct_postings``, and per role the
    ``n_postings`` of its all-industries outlook row."""

    total: int = 0
    by_role: dict[str, int] = field(default_factory=dict)


def posting_counts(con: duckdb.DuckDBPyConnection) -> PostingCounts:
    """The counts of the connection's marts (0 and none for marts a partial build lacks)."""
    tables = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = current_database() and table_schema = 'marts'"
        ).fetchall()
    }
    total = 0
    if "fct_postings" in tables:
        total = con.execute("select count(*) from marts.fct_postings").fetchone()[0]
    by_role: dict[str, int] = {}
    if "role_outlook" in tables:
        by_role = dict(
            con.execute(
                "select role, coalesce(n_postings, 0) from marts.role_outlook "
                "where industry_sector = 'all'"
            ).fetchall()
        )
    return PostingCounts(total, by_role)


def shrink_problems(
    old: PostingCounts,
    new: PostingCounts,
    max_share: float,
    min_postings: int = SHRINK_MIN_POSTINGS,
) -> list[str]:
    """What the new marts would lose against the published ones, in words (empty: nothing)."""
    if old.total and not new.total:
        return [f"the new snapshot holds no postings where the published one holds {old.total:,}"]
    lost = []
    for role, before in sorted(old.by_role.items(), key=lambda kv: -kv[1]):
        after = new.by_role.get(role, 0)
        if before >= min_postings and (before - after) / before > max_share:
            lost.append(f"{role} {before:,} -> {after:,}")
    if not lost:
        return []
    shown = ", ".join(lost[:5]) + (f" and {len(lost) - 5} more" if len(lost) > 5 else "")
    return [f"{len(lost)} role(s) would lose more than {max_share:.0%} of their postings ({shown})"]


def check_publish(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Raise ``PublishRefused`` when ``settings.db``'s marts (``con``) must not replace what
    ``settings.publish_dir`` holds. The caller holds the folder's lock."""
    if belongs_to(settings.publish_dir, settings.db) is False:
        claimed = owner(settings.publish_dir)
        raise PublishRefused(
            f"publish folder {settings.publish_dir} belongs to warehouse {claimed}, not "
            f"{settings.db.resolve()}: {_CHOOSE}, or delete "
            f"{settings.publish_dir / OWNER_FILE} to hand the folder over; {_kept(settings)}"
        )
    if settings.allow_shrink or not settings.snapshot_path.exists():
        return
    with duckdb.connect(str(settings.snapshot_path), read_only=True) as published:
        old = posting_counts(published)
    problems = shrink_problems(old, posting_counts(con), settings.max_shrink)
    if problems:
        raise PublishRefused(
            f"not replacing {settings.snapshot_path}: {'; '.join(problems)}. Pass "
            f"--allow-shrink (env OUTLOOK_ALLOW_SHRINK=1) if that is intended, or {_CHOOSE}; "
            f"{_kept(settings)}"
        )


def reader_line(settings: Settings) -> str:
    """One line naming the snapshot a reader reads (run, time, warehouse); raises
    ``SnapshotMismatch`` when the reader named a warehouse (--db / OUTLOOK_DB) the snapshot
    was not published from, and ``FileNotFoundError`` when there is none."""
    from outlook.publish.snapshot import open_snapshot, snapshot_info

    path = settings.snapshot_path
    with open_snapshot(path) as con:
        info = snapshot_info(con)
    source = info.get("warehouse")
    if settings.db_chosen and belongs_to(settings.publish_dir, settings.db) is False:
        raise SnapshotMismatch(
            f"snapshot {path} was published from warehouse {owner(settings.publish_dir)}, not "
            f"{settings.db}: pass "
            f"--publish-dir with the folder {settings.db} publishes to (env OUTLOOK_PUBLISH_DIR)"
        )
    if not info:
        return f"reading snapshot {path} (it does not say which run published it)"
    published = info.get("published_at")
    when = published.strftime("%Y-%m-%d %H:%M %Z") if hasattr(published, "strftime") else "?"
    line = f"reading snapshot {path} (run {info.get('run_id')}, published {when}"
    return line + (f", from warehouse {source})" if source else ")")
