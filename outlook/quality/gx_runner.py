"""Great Expectations, used from one place: a context per GX folder, suites, Checkpoints.

GX is imported here only, and only when a check runs (the import costs seconds; the CLI and
the modules that call the gates must not pay it at start-up). A warehouse on disk gets a
file-backed context in the ``gx`` folder beside it (``outlook.quality.gx_docs``): its
suites are saved as JSON under ``gx/expectations``, each suite has a validation definition
and a Checkpoint of the same name, and every run's results stay under
``gx/uncommitted/validations`` for the Data Docs history. The suites are rewritten from
``outlook.quality.suites`` the first time a process uses them: the code is the source of
truth, the JSON is what GX and Data Docs users read. Without a folder (an in-memory
warehouse, unit tests of a gate) the context is ephemeral and nothing is written.

One context per folder per process: every suite, asset and Checkpoint lives in it, so
reusing it keeps repeated gates (one refresh ingesting many sources) fast.

GX validates pandas frames only: DuckDB tables cannot be validated through SQLAlchemy
(duckdb-engine fails inside GX), so callers pull bounded frames out of DuckDB. That is also
why each suite has its own Checkpoint: a Checkpoint hands one dataframe to all its
validation definitions.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from outlook.quality.checks import (
    Between,
    Check,
    DateWithin,
    Finding,
    InSet,
    Matches,
    NotAbove,
    NotNull,
    RowCountBand,
    Unique,
)

SITE = "local_site"  # the Data Docs site a file-backed context is created with
EXAMPLES = 5
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
LOCK = threading.RLock()  # one GX call at a time: contexts and their stores are shared


@dataclass
class _State:
    context: Any
    datasource: Any
    # suite name -> (columns the suite was built for, its Checkpoint)
    checkpoints: dict[str, tuple[tuple[str, ...], Any]] = field(default_factory=dict)


_STATES: dict[Path | None, _State] = {}


def gx_supports(check: Check) -> bool:
    return isinstance(
        check, NotNull | Unique | Matches | InSet | Between | DateWithin | NotAbove | RowCountBand
    )


def _state(gx_dir: Path | None) -> _State:
    key = gx_dir.resolve() if gx_dir is not None else None
    with LOCK:
        if key not in _STATES:
            context = _ephemeral() if key is None else _file_context(key)
            try:
                datasource = context.data_sources.get("outlook")
            except KeyError:
                datasource = context.data_sources.add_pandas("outlook")
            _STATES[key] = _State(context, datasource)
        return _STATES[key]


def context_for(gx_dir: Path | None) -> Any:
    """The process's GX context for ``gx_dir`` (ephemeral when None)."""
    return _state(gx_dir).context


def _ephemeral() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _file_context(gx_dir: Path) -> Any:
    """The file-backed context in ``gx_dir`` (created on first use: GX names it ``gx``)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    if gx_dir.name != "gx":
        raise ValueError(f"GX folder {gx_dir}: Great Expectations requires it be named 'gx'")
    gx_dir.parent.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(gx_dir.parent))
    variables = context.variables
    site = (variables.data_docs_sites or {}).get(SITE, {})
    bars = variables.progress_bars  # a dict once read back from great_expectations.yml
    quiet = (
        bars.get("globally") if isinstance(bars, dict) else getattr(bars, "globally", None)
    ) is False
    if variables.analytics_enabled is not False or not quiet or site.get("show_how_to_buttons"):
        # once per new folder: no telemetry, no progress bars in logs, no GX tutorial buttons
        variables.analytics_enabled = False
        variables.progress_bars = ProgressBarsConfig(globally=False)
        if site:
            site["show_how_to_buttons"] = False
        variables.save()
    return context


def _day(value: date) -> datetime:
    return datetime.combine(value, time())


def _expectation(check: Check, index: int) -> Any:
    import great_expectations.expectations as gxe

    meta = {"check": index, "label": check.label(), "severity": check.severity}
    if isinstance(check, NotNull):
        return gxe.ExpectColumnValuesToNotBeNull(column=check.column, meta=meta)
    if isinstance(check, Unique):
        if len(check.key) == 1:
            return gxe.ExpectColumnValuesToBeUnique(column=check.key[0], meta=meta)
        return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(check.key), meta=meta)
    if isinstance(check, Matches):
        return gxe.ExpectColumnValuesToMatchRegex(
            column=check.column, regex=check.pattern, meta=meta
        )
    if isinstance(check, InSet):
        return gxe.ExpectColumnValuesToBeInSet(
            column=check.column, value_set=list(check.values), meta=meta
        )
    if isinstance(check, Between):
        return gxe.ExpectColumnValuesToBeBetween(
            column=check.column, min_value=check.low, max_value=check.high, meta=meta
        )
    if isinstance(check, DateWithin):
        # The upper bound follows the clock: a suite parameter filled in at run time.
        return gxe.ExpectColumnValuesToBeBetween(
            column=check.column,
            min_value=_day(check.earliest),
            max_value={"$PARAMETER": f"latest_{index}"},
            meta=meta,
        )
    if isinstance(check, NotAbove):
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=check.high,
            column_B=check.low,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=meta,
        )
    if isinstance(check, RowCountBand):
        return gxe.ExpectTableRowCountToBeBetween(min_value={"$PARAMETER": "min_rows"}, meta=meta)
    raise TypeError(f"GX cannot run {check!r}")


def _checkpoint(
    gx_dir: Path | None, name: str, checks: list[Check], columns: tuple[str, ...]
) -> Any:
    """The Checkpoint for a suite, (re)written from code once per process and whenever the
    frame's columns change (add_or_update keeps the ids of unchanged expectations)."""
    import great_expectations as gx

    state = _state(gx_dir)
    cached = state.checkpoints.get(name)
    if cached and cached[0] == columns:
        return cached[1]
    context = state.context
    try:
        asset = state.datasource.get_asset(name)
    except LookupError:
        asset = state.datasource.add_dataframe_asset(name)
    try:
        batch = asset.get_batch_definition("whole")
    except KeyError:
        batch = asset.add_batch_definition_whole_dataframe("whole")
    suite = gx.ExpectationSuite(name=name)
    for index, check in enumerate(checks):
        suite.add_expectation(_expectation(check, index))
    suite = context.suites.add_or_update(suite)
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    checkpoint = context.checkpoints.add_or_update(
        gx.Checkpoint(name=name, validation_definitions=[validation], result_format=RESULT_FORMAT)
    )
    state.checkpoints[name] = (columns, checkpoint)
    return checkpoint


def _plain(value: object) -> object:
    """Examples as plain Python values (numpy scalars print as np.float64(...))."""
    if isinstance(value, tuple | list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()  # type: ignore[union-attr]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _examples(result: dict[str, Any], *, swap: bool = False) -> tuple[object, ...]:
    seen: list[object] = []
    for value in result.get("partial_unexpected_list") or []:
        plain = _plain(value)
        if swap and isinstance(plain, tuple):
            plain = plain[::-1]  # GX reports (A, B) = (high, low); the label reads low <= high
        if plain not in seen:
            seen.append(plain)
        if len(seen) == EXAMPLES:
            break
    return tuple(seen)


def run_gx(
    name: str,
    frame: pd.DataFrame,
    checks: list[Check],
    *,
    min_rows: int = 0,
    gx_dir: Path | None = None,
    run_name: str | None = None,
) -> list[Finding]:
    """Validate ``frame`` against ``checks`` (all GX-capable) as suite ``name``, through its
    Checkpoint in the context of ``gx_dir`` (ephemeral when None); the result is stored
    under ``run_name`` (the outlook run id) for the Data Docs."""
    if not checks:
        return []
    frame = frame.copy(deep=False)
    params: dict[str, object] = {"min_rows": min_rows}
    for index, check in enumerate(checks):
        if isinstance(check, DateWithin):
            # Dates arrive as date objects, date32[pyarrow] or datetime64; GX compares
            # datetimes, and an object column of dates would be skipped silently.
            frame[check.column] = pd.to_datetime(frame[check.column], errors="coerce")
            params[f"latest_{index}"] = _day(date.today() + timedelta(days=check.days_ahead))
    from great_expectations.core.run_identifier import RunIdentifier

    with LOCK:
        checkpoint = _checkpoint(gx_dir, name, checks, tuple(frame.columns))
        outcome = checkpoint.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=params,
            run_id=RunIdentifier(run_name=run_name, run_time=datetime.now(UTC)),
        )
    [(key, result)] = outcome.run_results.items()
    if gx_dir is None:
        # nobody reads an ephemeral context's results: a long-lived worker must not pile them up
        _state(None).context.validation_results_store.remove_key(key)
    findings: dict[int, Finding] = {}
    for item in result.results:
        meta = item.expectation_config.meta or {}
        check = checks[int(meta["check"])]
        base = {
            "check": check.label(),
            "expectation": check.expectation,
            "severity": check.severity,
        }
        info = item.exception_info or {}
        if info.get("raised_exception"):
            message = str(info.get("exception_message") or "error")[:300]
            findings[int(meta["check"])] = Finding(
                **base, success=False, note=f"could not be evaluated: {message}"
            )
            continue
        detail = dict(item.result or {})
        if isinstance(check, RowCountBand):
            observed = detail.get("observed_value")
            note = "" if item.success else f"{observed:,} rows, expected at least {min_rows:,}"
            findings[int(meta["check"])] = Finding(
                **base, success=bool(item.success), rows=observed, note=note
            )
            continue
        findings[int(meta["check"])] = Finding(
            **base,
            success=bool(item.success),
            unexpected=int(detail.get("unexpected_count") or 0),
            rows=detail.get("element_count"),
            examples=() if item.success else _examples(detail, swap=isinstance(check, NotAbove)),
        )
    return [findings[i] for i in sorted(findings)]
