"""The publish step, one function for ``refresh`` and ``outlook publish``: the snapshot, its
tables as Parquet/CSV, the postings lake, the versioned exports and the dashboard, in that
order, all from the marts the quality gates passed - after the guards (``guard``) agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from outlook.config import Settings
from outlook.publish.snapshot import write_snapshot


@dataclass
class Published:
    """What one publish wrote (counts are rows per table / per lake month)."""

    snapshot: Path
    tables: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict[str, object]] = field(default_factory=dict)  # tables/ manifest
    lake: dict[str, dict[str, int]] = field(default_factory=dict)
    dashboard: Path | None = None


def publish_all(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_id: str,
    log: Callable[[str], None] | None = None,
) -> Published:
    """Everything a publish writes, in one place for ``refresh`` and ``outlook publish``:
    the snapshot, its tables as files, the postings lake, the versioned exports and the
    dashboard.

    The caller holds the writer lock and has run the quality gates. This takes the publish
    folder's own lock (two warehouses may share a folder by mistake; two writers of one
    warehouse already queue on its lock) and refuses with ``PublishRefused``, before writing
    anything, a folder another warehouse owns or a publish that would shrink it. The exports and the
    dashboard are rendered from the new snapshot (not the warehouse), so they always show
    what readers see; before this was shared, ``outlook publish`` wrote the snapshot only
    and the dashboard kept saying "No postings" for a snapshot full of postings.
    """
    from outlook.lock import writer_lock
    from outlook.publish.dashboard import (
        publish_outputs,  # imports exports/charts: only when publishing
    )
    from outlook.publish.guard import check_publish, claim
    from outlook.publish.lake import export_postings
    from outlook.publish.tables import export_tables
    from outlook.warehouse import table_exists

    done = Published(settings.snapshot_path)
    with writer_lock(
        settings.publish_lock_path,
        command=f"publish {run_id} of {settings.db}",
        subject=f"publish folder {settings.publish_dir}",
        hint="try again when it finishes, or publish elsewhere with --publish-dir DIR",
    ):
        check_publish(con, settings)
        claim(settings.publish_dir, settings.db)
        done.tables = write_snapshot(
            con,
            settings.snapshot_path,
            run_id,
            storage_version=settings.snapshot_storage_version,
            warehouse=settings.db,
        )
        done.files = export_tables(settings.snapshot_path, settings.publish_dir)
        # postings also as month-partitioned Parquet, for readers on other engines/machines
        if table_exists(con, "raw.postings"):
            done.lake = export_postings(con, settings.publish_dir / "lake" / "postings")
        if table_exists(con, "marts.role_outlook"):
            done.dashboard = publish_outputs(settings.snapshot_path, settings.publish_dir, log=log)
        elif log is not None:  # a warehouse built without the role marts (partial test builds)
            log("no marts.role_outlook: exports and dashboard not written")
    return done
