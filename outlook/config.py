"""Runtime settings, resolved once at the edge (CLI flags, then environment, then defaults).

Nothing below the CLI reads the environment for paths: tasks and transforms receive a
``Settings`` (or plain paths) as arguments.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = PROJECT_ROOT / "sql"
SEEDS_DIR = PROJECT_ROOT / "data" / "seeds"
OUTLOOK_RULES = SEEDS_DIR / "outlook_rules.toml"  # trend settings and label rules
SAMPLES_MIRROR = PROJECT_ROOT / "data" / "samples" / "mirror"
PROFILES_DIR = PROJECT_ROOT / "data" / "profiles"  # posting-file profiles, by name
# The seed tables transforms are handed (they never look for them themselves).
ROLES_FILE = SEEDS_DIR / "roles.yaml"
EMPLOYER_NAICS_TABLE = SEEDS_DIR / "employer_naics.csv"
NAICS_SECTORS_TABLE = SEEDS_DIR / "naics_sectors.csv"
NAICS_SOC_PRIORS = SEEDS_DIR / "naics_soc_priors.csv"
TITLE_STRUCTURE = SEEDS_DIR / "title_structure.toml"  # title structure lexicon, thresholds
# top-1 confidence -> share right, fitted by scripts/fit_calibration.py (optional)
TITLE_CALIBRATION = SEEDS_DIR / "title_calibration.toml"

DEFAULT_DB = Path("data/warehouse/outlook.duckdb")
DEFAULT_USER_AGENT = (
    "outlook-pipeline/0.1 (labour-market outlook pipeline; "
    "contact: set OUTLOOK_CONTACT_EMAIL) python-requests"
)


class SettingError(ValueError):
    """A setting (flag or environment variable) that is none of its documented forms."""


class TaskRunnerError(SettingError):
    """A task-runner setting that is none of the documented forms."""


# The oldest DuckDB storage format that holds every type the published tables use (storage
# 64: DuckDB 0.10.0 and every 1.x read it; measured with the 0.10.3, 1.0.0 and 1.5.6 wheels).
# DuckDB 2.x writes its own format by default, which 1.x refuses ("version number 69").
DEFAULT_SNAPSHOT_STORAGE_VERSION = "v1.0.0"
_STORAGE_VERSION = re.compile(r"^(v\d+\.\d+\.\d+|latest)$")
# A publish losing more than this share of a role's postings is refused (--allow-shrink).
DEFAULT_MAX_SHRINK = 0.5


@dataclass(frozen=True)
class TaskRunnerSpec:
    """Where posting files are staged and enriched: in the writer (serial, the default), on
    the workers of a running Dask scheduler (``address``, HOST:PORT), or on a temporary
    LocalCluster of ``local_workers`` processes. The writer always loads, one file at a time."""

    address: str | None = None
    local_workers: int = 0

    @property
    def serial(self) -> bool:
        return self.address is None and not self.local_workers

    def __str__(self) -> str:
        if self.address is not None:
            return f"dask://{self.address}"
        return f"dask:local:{self.local_workers}" if self.local_workers else "serial"


def parse_task_runner(value: str | None) -> TaskRunnerSpec:
    """``serial`` (or unset), ``dask://HOST:PORT`` or ``dask:local[:N]`` (N workers, 2 by
    default); anything else is a ``TaskRunnerError`` saying what is accepted."""
    text = (value or "").strip() or "serial"
    if text == "serial":
        return TaskRunnerSpec()
    if text.startswith("dask://"):
        host, colon, port = text.removeprefix("dask://").rpartition(":")
        if host and colon and port.isdigit() and 0 < int(port) < 65536:
            return TaskRunnerSpec(address=f"{host}:{int(port)}")
    elif text == "dask:local":
        return TaskRunnerSpec(local_workers=2)
    elif text.startswith("dask:local:"):
        workers = text.removeprefix("dask:local:")
        if workers.isdigit() and int(workers) > 0:
            return TaskRunnerSpec(local_workers=int(workers))
    raise TaskRunnerError(
        f"task runner {value!r}: expected serial, dask://HOST:PORT or dask:local[:N] (N >= 1)"
    )


@dataclass(frozen=True)
class Settings:
    """Where the warehouse, raw files, snapshot and state live, and how to reach upstream."""

    db: Path = DEFAULT_DB
    mirror: Path | None = None
    raw_dir: Path = Path("data/raw")
    publish_dir: Path = Path("data/published")
    state_dir: Path = Path(".state")
    user_agent: str = DEFAULT_USER_AGENT
    timeout_s: float = 30.0
    max_attempts: int = 4
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    # The one retry budget: seconds one file may spend on requests and waits before its
    # fetch fails (env OUTLOOK_RETRY_BUDGET_S); tasks do not retry on top (outlook.ingest.retry_policy).
    retry_budget_s: float = 120.0
    # API base URLs, None for the real services (env OUTLOOK_USAJOBS_URL, OUTLOOK_ADZUNA_URL,
    # OUTLOOK_BLS_API_URL): a proxy, a recording server, or an unreachable host in tests.
    usajobs_url: str | None = None
    adzuna_url: str | None = None
    bls_api_url: str | None = None
    # Where posting files are staged (env OUTLOOK_TASK_RUNNER, CLI --task-runner).
    task_runner: TaskRunnerSpec = TaskRunnerSpec()
    # Great Expectations results kept per suite for the Data Docs history (env
    # OUTLOOK_GX_KEEP_RUNS); older ones are pruned at each mart gate (outlook.quality.gx_docs).
    gx_keep_runs: int = 30
    # True when the warehouse was named (--db or OUTLOOK_DB): readers then check that the
    # snapshot they read was published from it, instead of reading whichever is there.
    db_chosen: bool = False
    # DuckDB storage format of the snapshot (env OUTLOOK_SNAPSHOT_STORAGE_VERSION): 'vX.Y.Z'
    # for "readable by DuckDB X.Y.Z on", or 'latest' for the writing library's own format.
    snapshot_storage_version: str = DEFAULT_SNAPSHOT_STORAGE_VERSION
    # Publish even when the new snapshot holds no postings where the old one held some, or
    # loses more than ``max_shrink`` of a role's postings (CLI --allow-shrink, env
    # OUTLOOK_ALLOW_SHRINK=1; OUTLOOK_MAX_SHRINK a share between 0 and 1).
    allow_shrink: bool = False
    max_shrink: float = DEFAULT_MAX_SHRINK

    @property
    def snapshot_path(self) -> Path:
        return self.publish_dir / "snapshot" / "outlook.duckdb"

    @property
    def publish_lock_path(self) -> Path:
        """One publish into a folder at a time: a lock file beside it, like the warehouse's
        (beside, not inside, so the published files are only ever what a publish wrote)."""
        folder = self.publish_dir.resolve()
        return folder.with_name(folder.name + ".lock")

    @property
    def lock_path(self) -> Path:
        return self.db.with_name(self.db.name + ".lock")

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def user_agent_from_env(env: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """BLS answers 403 without a contact in the User-Agent: put the operator's address there."""
    contact = env.get("OUTLOOK_CONTACT_EMAIL")
    if env.get("OUTLOOK_USER_AGENT"):
        return env["OUTLOOK_USER_AGENT"]
    if contact:
        return f"outlook-pipeline/0.1 (labour-market outlook pipeline; {contact})"
    return DEFAULT_USER_AGENT


def resolve_settings(
    db: str | None = None,
    mirror: str | None = None,
    raw_dir: str | None = None,
    publish_dir: str | None = None,
    env: os._Environ[str] | dict[str, str] = os.environ,
    task_runner: str | None = None,
    allow_shrink: bool | None = None,
) -> Settings:
    """Flags win over environment variables, which win over defaults. Raises a
    ``SettingError`` (``TaskRunnerError`` for the task runner) for a value that is none of the
    documented forms."""

    def pick(flag: str | None, var: str, default: Path | None) -> Path | None:
        value = flag or env.get(var)
        return Path(value).expanduser() if value else default

    return Settings(
        db=pick(db, "OUTLOOK_DB", DEFAULT_DB) or DEFAULT_DB,
        mirror=pick(mirror, "OUTLOOK_MIRROR", None),
        raw_dir=pick(raw_dir, "OUTLOOK_RAW_DIR", Path("data/raw")) or Path("data/raw"),
        publish_dir=pick(publish_dir, "OUTLOOK_PUBLISH_DIR", Path("data/published"))
        or Path("data/published"),
        state_dir=pick(None, "OUTLOOK_STATE_DIR", Path(".state")) or Path(".state"),
        user_agent=user_agent_from_env(env),
        retry_budget_s=parse_number(
            env.get("OUTLOOK_RETRY_BUDGET_S"), "OUTLOOK_RETRY_BUDGET_S", Settings.retry_budget_s
        ),
        usajobs_url=env.get("OUTLOOK_USAJOBS_URL") or None,
        adzuna_url=env.get("OUTLOOK_ADZUNA_URL") or None,
        bls_api_url=env.get("OUTLOOK_BLS_API_URL") or None,
        task_runner=parse_task_runner(task_runner or env.get("OUTLOOK_TASK_RUNNER")),
        gx_keep_runs=int(
            parse_number(
                env.get("OUTLOOK_GX_KEEP_RUNS"), "OUTLOOK_GX_KEEP_RUNS", Settings.gx_keep_runs, 1
            )
        ),
        db_chosen=bool(db or env.get("OUTLOOK_DB")),
        snapshot_storage_version=parse_storage_version(env.get("OUTLOOK_SNAPSHOT_STORAGE_VERSION")),
        allow_shrink=bool(allow_shrink) or _truthy(env.get("OUTLOOK_ALLOW_SHRINK")),
        max_shrink=parse_share(env.get("OUTLOOK_MAX_SHRINK")),
    )


def parse_storage_version(value: str | None) -> str:
    """'vX.Y.Z' or 'latest' (unset: the default); DuckDB itself refuses an unknown version."""
    text = (value or "").strip() or DEFAULT_SNAPSHOT_STORAGE_VERSION
    if not _STORAGE_VERSION.match(text):
        raise SettingError(
            f"snapshot storage version {value!r} (OUTLOOK_SNAPSHOT_STORAGE_VERSION): expected "
            "vX.Y.Z, the oldest DuckDB that must read the snapshot (e.g. v1.0.0), or latest"
        )
    return text


def parse_number(value: str | None, var: str, default: float, minimum: float = 0.0) -> float:
    """A number >= ``minimum`` from environment variable ``var`` (unset: ``default``); an
    integer default asks for a whole number."""
    text = (value or "").strip()
    if not text:
        return default
    whole = isinstance(default, int)
    try:
        number = int(text) if whole else float(text)
    except ValueError:
        number = None
    if number is None or number < minimum or number != number:  # NaN compares unequal
        kind = "a whole number" if whole else "a number"
        raise SettingError(f"{var} {value!r}: expected {kind} >= {minimum:g} (default {default:g})")
    return number


def parse_share(value: str | None) -> float:
    """A share between 0 and 1 (unset: the default)."""
    text = (value or "").strip()
    if not text:
        return DEFAULT_MAX_SHRINK
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise SettingError(
            f"OUTLOOK_MAX_SHRINK {value!r}: expected a share between 0 and 1 (default "
            f"{DEFAULT_MAX_SHRINK}), the most of a role's postings a publish may lose"
        )
    return share


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def configure_prefect_env(state_dir: Path) -> None:
    """Keep Prefect's home inside the project's git-ignored state folder, quiet and patient.

    Must run before ``prefect`` is imported. A cold temporary server took ~18 s here.
    """
    home = (state_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)  # the temporary server cannot start without it
    os.environ.setdefault("PREFECT_HOME", str(home))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
