"""Great Expectations, used from one place: a process-wide ephemeral context and its runs.

GX is imported here only, and only when a check runs (the import costs seconds; the CLI and
the modules that call the gates must not pay it at start-up). One context per process:
building one is cheap but every suite, asset and validation definition lives in it, so
reusing it keeps repeated gates (tests, one refresh ingesting many sources) fast. Results
accumulate in its in-memory store and are rendered to the Data Docs site on request.

GX validates pandas frames only: DuckDB tables cannot be validated through SQLAlchemy
(duckdb-engine fails inside GX), so callers pull bounded frames out of DuckDB.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
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

SITE = "outlook"
EXAMPLES = 5
_LOCK = threading.RLock()


@dataclass
class _State:
    context: Any
    datasource: Any
    # suite name -> (columns the suite was built for, validation definition)
    validations: dict[str, tuple[tuple[str, ...], Any]] = field(default_factory=dict)
    docs_dir: Path | None = None


_STATE: _State | None = None


def gx_supports(check: Check) -> bool:
    return isinstance(
        check, NotNull | Unique | Matches | InSet | Between | DateWithin | NotAbove | RowCountBand
    )


def _state() -> _State:
    global _STATE
    with _LOCK:
        if _STATE is None:
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
            context = gx.get_context(mode="ephemeral", project_config=config)
            _STATE = _State(context, context.data_sources.add_pandas("outlook"))
        return _STATE


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


def _validation(name: str, checks: list[Check], columns: tuple[str, ...]) -> Any:
    """The validation definition for a suite, rebuilt only when its columns change."""
    import great_expectations as gx

    state = _state()
    cached = state.validations.get(name)
    if cached and cached[0] == columns:
        return cached[1]
    context = state.context
    if cached:
        context.validation_definitions.delete(name)
        context.suites.delete(name)
    else:
        state.datasource.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole")
    batch = state.datasource.get_asset(name).get_batch_definition("whole")
    suite = context.suites.add(gx.ExpectationSuite(name=name))
    for index, check in enumerate(checks):
        suite.add_expectation(_expectation(check, index))
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=name, data=batch, suite=suite)
    )
    state.validations[name] = (columns, validation)
    return validation


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
) -> list[Finding]:
    """Validate ``frame`` against ``checks`` (all GX-capable) as suite ``name``."""
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
    with _LOCK:
        validation = _validation(name, checks, tuple(frame.columns))
        result = validation.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=params,
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": 20},
        )
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


def reset_results() -> None:
    """Forget earlier validation results so the next Data Docs show one gate run, and the
    in-memory store of a long-lived worker does not grow without bound."""
    if _STATE is None:
        return
    with _LOCK:
        store = _STATE.context.validation_results_store
        for key in store.list_keys():
            store.remove_key(key)


def build_docs(docs_dir: Path) -> Path | None:
    """Render every validation of this process to the filesystem site under ``docs_dir``."""
    state = _state()
    with _LOCK:
        context = state.context
        if state.docs_dir != docs_dir:
            config = {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir.resolve()),
                },
            }
            if state.docs_dir is None:
                context.add_data_docs_site(SITE, config)
            else:
                context.update_data_docs_site(SITE, config)
            state.docs_dir = docs_dir
        docs_dir.mkdir(parents=True, exist_ok=True)
        context.build_data_docs(site_names=[SITE])
    index = docs_dir / "index.html"
    return index if index.exists() else None
