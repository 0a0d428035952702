"""Run the refresh flow with a pause at a known point of one stage, to be SIGKILLed there.

    python -m tests.reliability.killable STAGE MARKER_DIR -- refresh-kwargs-as-json

At the pause it writes ``MARKER_DIR/STAGE.reached`` (JSON: pid, flow run id) and waits for
``MARKER_DIR/STAGE.release`` (or 120 s), then carries on. The points are the dangerous ones:

- fetch: the raw file is on disk, the fetch is not recorded yet
- load: rows are replaced inside the load transaction, not committed
- build: the first model replaced inside the build transaction, the others not rebuilt
  (seeds are reloaded only when their files change, so they are no pause point)
- validate: checks recorded, nothing published
- publish: the new snapshot is fully written to its temp file, not swapped in yet
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STAGES = ("fetch", "load", "build", "validate", "publish")


def pause(stage: str, marker_dir: Path) -> None:
    from prefect.runtime import flow_run

    info = {"pid": os.getpid(), "flow_run": str(flow_run.get_id())}
    (marker_dir / f"{stage}.reached").write_text(json.dumps(info))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (marker_dir / f"{stage}.release").exists():
        time.sleep(0.1)


def _after(real: Callable[..., Any], stage: str, marker_dir: Path) -> Callable[..., Any]:
    fired = []

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        if not fired:
            fired.append(True)
            pause(stage, marker_dir)
        return result

    return wrapper


def install(stage: str, marker_dir: Path) -> None:
    import flows.ingest
    import flows.refresh
    import outlook.build.models
    import outlook.ingest.raw_loads
    import outlook.publish.snapshot

    if stage == "fetch":
        flows.ingest._fetch = _after(flows.ingest._fetch, stage, marker_dir)
    elif stage == "load":
        outlook.ingest.raw_loads.replace_rows = _after(
            outlook.ingest.raw_loads.replace_rows, stage, marker_dir
        )
    elif stage == "build":
        outlook.build.models.build_model = _after(
            outlook.build.models.build_model, stage, marker_dir
        )
    elif stage == "validate":
        flows.refresh.validate_marts = _after(flows.refresh.validate_marts, stage, marker_dir)
    elif stage == "publish":
        real_replace = os.replace

        def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if Path(dst).name == "outlook.duckdb" and Path(dst).parent.name == "snapshot":
                pause(stage, marker_dir)
            real_replace(src, dst, *args, **kwargs)

        outlook.publish.snapshot.os = _OsProxy(replace)  # type: ignore[attr-defined]
    elif stage != "none":
        raise SystemExit(f"unknown stage {stage!r}; one of {STAGES}")


class _OsProxy:
    """``os`` for outlook.publish.snapshot only, with ``replace`` paused; everything else passes through."""

    def __init__(self, replace: Callable[..., None]) -> None:
        self.replace = replace

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def main(argv: list[str]) -> int:
    stage, marker_dir, kwargs = argv[0], Path(argv[1]), json.loads(argv[2])
    install(stage, marker_dir)
    from flows.refresh import RefreshFailed, refresh

    try:
        refresh(**kwargs)
    except RefreshFailed as exc:
        print(f"refresh failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
