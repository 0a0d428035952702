"""Scheduled deployments of the refresh flow, one per source cadence.

One table (``SCHEDULES``) is the truth. ``outlook serve`` turns it into runner deployments
with ``flow.to_deployment`` and serves them here; ``prefect.yaml``, for worker-based
deployment (``prefect deploy --all``), is generated from it by
``python -m flows.deployments`` (a test fails when the committed file is stale).

Every deployment runs the whole refresh (ingest the named sources -> build -> validate ->
publish) because the marts join across sources. Cron times are staggered so two runs
rarely meet; when they do, the second waits for the writer lock (``wait_for_lock_s``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outlook.config import Settings

TIMEZONE = "America/New_York"  # BLS and Indeed publish on US Eastern time
LOCK_WAIT_S = 3 * 3600.0  # a scheduled run queues behind a running one instead of failing


@dataclass(frozen=True)
class Schedule:
    name: str  # deployment name; the full name is ``refresh/<name>``
    cron: str
    sources: tuple[str, ...]  # source names or groups (outlook.ingest.sources)
    description: str


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        "postings-daily",
        "30 6 * * *",
        ("postings", "indeed"),
        "Job postings and the Indeed trackers, every morning at 06:30.",
    ),
    Schedule(
        "jolts-monthly",
        "0 11 10 * *",
        ("jolts",),
        "JOLTS is released early each month (~5 weeks after the reference month); "
        "the 10th at 11:00 picks it up. A conditional GET makes a no-change run cheap.",
    ),
    Schedule(
        "oews-yearly",
        "0 7 15 4 *",
        ("oews",),
        "OEWS May estimates are published each spring (late March to April).",
    ),
    Schedule(
        "projections-yearly",
        "0 7 15 9 *",
        ("projections",),
        "Employment Projections are published each September.",
    ),
    Schedule(
        "taxonomy-monthly-check",
        "0 5 1 * *",
        ("taxonomy", "onet"),
        "SOC/NAICS crosswalks and O*NET: check monthly for a new release; unchanged files "
        "come back 304 / same checksum and load nothing.",
    ),
)


DROP_DIR = "data/drop/postings"  # vendor posting files land here; the daily run loads them


def known_groups() -> set[str]:
    from outlook.ingest.sources import known_names

    return known_names()


def available_sources(schedule: Schedule, known: set[str] | None = None) -> list[str]:
    """The schedule's sources this checkout knows; groups still being written are left out."""
    known = known_groups() if known is None else known
    return [s for s in schedule.sources if s in known]


def parameters(schedule: Schedule, settings: Settings, known: set[str] | None = None) -> dict:
    """Refresh parameters for one deployment, with paths made absolute for the runner."""
    return {
        "db": str(settings.db.resolve()),
        "mirror": str(settings.mirror.resolve()) if settings.mirror else None,
        "raw_dir": str(settings.raw_dir.resolve()),
        "publish_dir": str(settings.publish_dir.resolve()),
        "sources": available_sources(schedule, known),
        "wait_for_lock_s": LOCK_WAIT_S,
        "postings": [str(Path(DROP_DIR).resolve())] if "postings" in schedule.sources else None,
        "postings_profile": "generic",
    }


def runner_deployments(settings: Settings) -> tuple[list[Any], list[str]]:
    """RunnerDeployments for ``prefect.serve``, and notices for schedules skipped for now."""
    from prefect.schedules import Cron

    from flows.refresh import refresh

    known = known_groups()
    deployments, notices = [], []
    for schedule in SCHEDULES:
        params = parameters(schedule, settings, known)
        if not params["sources"]:
            notices.append(
                f"{schedule.name}: no source group of {list(schedule.sources)} exists yet; "
                "not served"
            )
            continue
        deployments.append(
            refresh.to_deployment(
                name=schedule.name,
                schedule=Cron(schedule.cron, timezone=TIMEZONE),
                parameters=params,
                description=schedule.description,
                tags=["outlook", *schedule.sources],
            )
        )
    return deployments, notices


PREFECT_YAML = Path(__file__).resolve().parents[1] / "prefect.yaml"
_YAML_HEAD = """\
# Worker-based deployments of the refresh flow, one per source cadence.
# GENERATED from flows/deployments.py (SCHEDULES) by `python -m flows.deployments`: edit the
# table there, not this file. `outlook serve` serves the same table without a work pool.
#
# Use with a process work pool on this machine (from the repository root):
#   prefect work-pool create outlook-local --type process
#   prefect gcl create outlook-writer --limit 1
#   prefect --no-prompt deploy --all
#   prefect worker start --pool outlook-local --limit 1
# `outlook-writer`: the writer flows take its one slot (flows/concurrency.py), so runs from
# any worker go one at a time and the server shows which run holds it. `--limit 1`: DuckDB
# has one writer; the flow's writer lock would queue a second run anyway.
#
# 'postings' selects the posting APIs (usajobs, adzuna; skipped without keys) and the
# daily run also loads the file-drop folder {drop} (generic profile).

name: outlook
prefect-version: {prefect_version}

build: null
push: null

# Runs execute in the checkout `prefect deploy` was run from (resolved at deploy time).
pull:
  - prefect.deployments.steps.set_working_directory:
      directory: "{{{{ $PWD }}}}"

definitions:
  work_pool: &local_pool
    name: outlook-local
    work_queue_name: default
  parameters: &paths
    db: data/warehouse/outlook.duckdb
    raw_dir: data/raw
    publish_dir: data/published
    mirror: null
    # Queue behind a running refresh instead of failing (seconds).
    wait_for_lock_s: {lock_wait}

deployments:
"""


def _yaml_list(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def render_prefect_yaml(prefect_version: str) -> str:
    """``prefect.yaml`` for every schedule (paths relative to the checkout)."""
    text = _YAML_HEAD.format(
        drop=DROP_DIR, prefect_version=prefect_version, lock_wait=int(LOCK_WAIT_S)
    )
    blocks = []
    for schedule in SCHEDULES:
        lines = [
            f"  - name: {schedule.name}",
            "    entrypoint: flows/refresh.py:refresh",
            f"    description: {json.dumps(schedule.description)}",
            f"    tags: {_yaml_list(['outlook', *schedule.sources])}",
            "    parameters:",
            "      <<: *paths",
            f"      sources: {_yaml_list(schedule.sources)}",
        ]
        if "postings" in schedule.sources:
            lines += [f"      postings: [{DROP_DIR}]", "      postings_profile: generic"]
        lines += [
            "    schedules:",
            f'      - cron: "{schedule.cron}"',
            f"        timezone: {TIMEZONE}",
            "        active: true",
            "    work_pool: *local_pool",
        ]
        blocks.append("\n".join(lines))
    return text + "\n\n".join(blocks) + "\n"


if __name__ == "__main__":
    import prefect

    PREFECT_YAML.write_text(render_prefect_yaml(prefect.__version__), encoding="utf-8")
    print(f"wrote {PREFECT_YAML}")
