"""Scheduled deployments of the refresh flow, one per source cadence.

One table (``SCHEDULES``) is the truth; ``prefect.yaml`` mirrors it for worker-based
deployment (``prefect deploy --all``) and a test keeps the two in step. ``outlook serve``
turns the table into runner deployments with ``flow.to_deployment`` and serves them here.

Every deployment runs the whole refresh (ingest the named sources -> build -> validate ->
publish) because the marts join across sources. Cron times are staggered so two runs
rarely meet; when they do, the second waits for the writer lock (``wait_for_lock_s``).
"""

from __future__ import annotations

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
