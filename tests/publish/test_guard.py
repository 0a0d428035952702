"""The publish guards: a folder belongs to one warehouse, a publish may not empty it of
postings or take most of a role's unless asked, one publish per folder at a time, and
readers say which snapshot they read (refusing one that is not --db's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from outlook.config import SettingError, Settings, resolve_settings
from outlook.lock import WarehouseBusy, writer_lock
from outlook.publish.guard import (
    OWNER_FILE,
    PostingCounts,
    PublishRefused,
    SnapshotMismatch,
    belongs_to,
    check_publish,
    claim,
    owner,
    reader_line,
    shrink_problems,
)
from outlook.publish.run import publish_all
from outlook.warehouse import connect
from tests.conftest import tree_hashes


def test_shrink_problems_in_words() -> None:
    old = PostingCounts(1000, {"Nurse": 600, "Cook": 300, "Rare": 20})
    assert shrink_problems(old, old, 0.5) == []
    assert shrink_problems(PostingCounts(), PostingCounts(), 0.5) == []  # nothing to lose
    assert shrink_problems(old, PostingCounts(0, {"Nurse": 0}), 0.5) == [
        "the new snapshot holds no postings where the published one holds 1,000"
    ]
    # exactly half is allowed; more than half is not; a role gone counts as 0; a role under
    # the floor (20 < 30 postings) is not judged by share
    new = PostingCounts(500, {"Nurse": 300, "Cook": 149, "Rare": 0})
    assert shrink_problems(old, new, 0.5) == [
        "1 role(s) would lose more than 50% of their postings (Cook 300 -> 149)"
    ]
    assert shrink_problems(old, PostingCounts(5, {}), 0.5) == [
        "2 role(s) would lose more than 50% of their postings (Nurse 600 -> 0, Cook 300 -> 0)"
    ]
    assert shrink_problems(old, new, 0.6) == []
    assert shrink_problems(old, PostingCounts(999, {"Nurse": 599, "Cook": 300}), 0.0) == [
        "1 role(s) would lose more than 0% of their postings (Nurse 600 -> 599)"
    ]


def test_the_shrink_share_and_allow_shrink_are_settings() -> None:
    assert resolve_settings(env={}).max_shrink == 0.5
    assert not resolve_settings(env={}).allow_shrink
    assert resolve_settings(env={"OUTLOOK_MAX_SHRINK": "0.2"}).max_shrink == 0.2
    assert resolve_settings(env={"OUTLOOK_ALLOW_SHRINK": "1"}).allow_shrink
    assert resolve_settings(allow_shrink=True, env={}).allow_shrink
    for bad in ("half", "1.5", "-0.1"):
        with pytest.raises(SettingError, match="OUTLOOK_MAX_SHRINK"):
            resolve_settings(env={"OUTLOOK_MAX_SHRINK": bad})


@pytest.fixture
def other(settings: Settings, published_demo: Settings) -> Settings:
    """An empty warehouse (every mart built, no postings) aimed at the demo's folder."""
    from outlook.build.pipeline import build_warehouse

    with connect(settings.db) as con:
        build_warehouse(con, "other")
    return settings.with_(publish_dir=published_demo.publish_dir)


def test_another_warehouse_is_refused_and_nothing_changes(
    published_demo: Settings, other: Settings
) -> None:
    before = tree_hashes(published_demo.publish_dir)
    assert owner(published_demo.publish_dir) == published_demo.db.resolve()
    with connect(other.db) as con, pytest.raises(PublishRefused) as refused:
        publish_all(con, other, "other-run")
    message = str(refused.value)
    assert f"belongs to warehouse {published_demo.db.resolve()}" in message
    assert "--publish-dir" in message and "OUTLOOK_PUBLISH_DIR" in message
    assert "is built and kept" in message and "\n" not in message
    assert tree_hashes(published_demo.publish_dir) == before


def test_a_shrinking_publish_is_refused_unless_allowed(
    published_demo: Settings, other: Settings, tmp_path: Path
) -> None:
    # the folder handed over (owner.json deleted): the shrink guard still stands
    folder = tmp_path / "published"
    shutil.copytree(published_demo.publish_dir, folder, symlinks=True)
    (folder / OWNER_FILE).unlink()
    other = other.with_(publish_dir=folder)
    before = tree_hashes(folder)
    with connect(other.db) as con:
        with pytest.raises(PublishRefused, match="holds no postings where the published one"):
            publish_all(con, other, "other-run")
        assert tree_hashes(folder) == before
        with pytest.raises(PublishRefused, match="--allow-shrink"):
            check_publish(con, other)
        check_publish(con, other.with_(allow_shrink=True))  # asked for: no refusal
        # the same warehouse republishing its own marts is never a shrink
        with duckdb.connect(str(published_demo.db), read_only=True) as demo:
            check_publish(demo, published_demo)


def test_one_publish_per_folder_at_a_time(published_demo: Settings, tmp_path: Path) -> None:
    settings = published_demo.with_(publish_dir=tmp_path / "published")
    with (
        writer_lock(settings.publish_lock_path, command="publish other-run"),
        connect(tmp_path / "w.duckdb") as con,
        pytest.raises(WarehouseBusy) as busy,
    ):
        publish_all(con, settings, "second")
    assert str(busy.value).startswith(f"publish folder {settings.publish_dir} is being written")
    assert "command 'publish other-run'" in str(busy.value)
    assert settings.publish_lock_path.parent == tmp_path  # beside the folder, not in it
    assert not settings.snapshot_path.exists()


def test_claim_records_the_warehouse_once(tmp_path: Path) -> None:
    folder = tmp_path / "published"
    claim(folder, tmp_path / "a.duckdb")
    written = (folder / OWNER_FILE).stat().st_mtime_ns
    claim(folder, tmp_path / "a.duckdb")
    assert (folder / OWNER_FILE).stat().st_mtime_ns == written
    assert owner(folder) == (tmp_path / "a.duckdb").resolve()
    (folder / OWNER_FILE).write_text("{not json")
    with pytest.raises(PublishRefused, match="cannot read .*owner.json"):
        owner(folder)


def test_readers_name_the_snapshot_and_refuse_another_warehouse(
    published_demo: Settings, tmp_path: Path
) -> None:
    line = reader_line(published_demo)
    assert line.startswith(f"reading snapshot {published_demo.snapshot_path} (run published-demo")
    assert f"from warehouse {published_demo.db.resolve()}" in line
    # --db naming this warehouse: fine; another one: refused, saying how to choose
    assert reader_line(published_demo.with_(db_chosen=True)) == line
    elsewhere = published_demo.with_(db=tmp_path / "other.duckdb", db_chosen=True)
    with pytest.raises(SnapshotMismatch, match="not .*other.duckdb: pass --publish-dir"):
        reader_line(elsewhere)
    # the default warehouse, not chosen: an analyst with only OUTLOOK_PUBLISH_DIR reads it
    assert reader_line(published_demo.with_(db=tmp_path / "other.duckdb")) == line


def test_a_project_moved_whole_keeps_its_pairing(published_demo: Settings, tmp_path: Path) -> None:
    # warehouse and publish folder copied together (a moved checkout, a test's copy)
    moved = tmp_path / "moved"
    shutil.copytree(published_demo.db.parent, moved / "warehouse")
    shutil.copytree(published_demo.publish_dir, moved / "published", symlinks=True)
    settings = published_demo.with_(
        db=moved / "warehouse" / published_demo.db.name, publish_dir=moved / "published"
    )
    assert belongs_to(settings.publish_dir, settings.db)
    with duckdb.connect(str(settings.db), read_only=True) as con:
        check_publish(con, settings)
    assert reader_line(settings.with_(db_chosen=True)).startswith("reading snapshot")
    claim(settings.publish_dir, settings.db)  # the next publish records the new path
    assert owner(settings.publish_dir) == settings.db.resolve()
    # the folder alone, beside another warehouse: not its own
    assert belongs_to(settings.publish_dir, tmp_path / "warehouse" / "outlook.duckdb") is False
    assert belongs_to(tmp_path / "unclaimed", settings.db) is None
