"""``outlook serve``: run the scheduled deployments on this machine until Ctrl-C.

With no PREFECT_API_URL configured it starts ``prefect server start`` on loopback (its
database under PREFECT_HOME, i.e. .state/prefect), waits for it to be healthy, then serves
every deployment in ``flows.deployments`` from this process, after creating the
``outlook-writer`` global concurrency limit (one writer flow at a time, ``flows.concurrency``)
if the server lacks it. Ctrl-C (or SIGTERM) pauses
the schedules, stops the serving loop, then stops the server it started, nothing else.
If this process is SIGKILLed, the server's watchdog (``outlook.server``) stops it, so the
port is free for the next ``outlook serve``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from outlook.cli.registry import command
from outlook.config import Settings


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=int,
        default=4200,
        help="port for the server this command starts when PREFECT_API_URL is unset "
        "(default 4200; 0 picks a free one)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=1,
        help="flow runs executed at once (default 1: DuckDB has one writer)",
    )
    parser.add_argument(
        "--server-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="how long to wait for the server to become healthy",
    )


def _sigterm_as_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so a plain `kill` also runs the clean-up below


@command(
    "serve",
    "Serve the scheduled refresh deployments (starts a local server if needed).",
    _configure,
)
def serve_cmd(args: argparse.Namespace, settings: Settings) -> int:
    # Prefect (imported with flows.deployments) reads PREFECT_API_URL once, at import:
    # import it only after the URL of the server started here is in the environment.
    from outlook.server import ServerDidNotStart, free_port, is_healthy, start_server

    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    # A process started as a background job of a script (`cmd &` without job control)
    # inherits SIGINT ignored, and Python then never raises KeyboardInterrupt: restore it,
    # so Ctrl-C / `kill -INT` stops serve as documented wherever it was started from.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    server = None
    api_url = os.environ.get("PREFECT_API_URL")
    if api_url:
        if not is_healthy(api_url):
            print(f"error: PREFECT_API_URL={api_url} does not answer /health", file=sys.stderr)
            return 2
        print(f"using the Prefect server at {api_url}")
    else:
        home = Path(os.environ["PREFECT_HOME"])  # set by configure_prefect_env
        port = args.port or free_port()
        if is_healthy(f"http://127.0.0.1:{port}/api"):
            print(
                f"error: something already answers on 127.0.0.1:{port}; pass --port",
                file=sys.stderr,
            )
            return 2
        try:
            server = start_server(home=home, port=port, timeout_s=args.server_timeout)
        except ServerDidNotStart as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        api_url = server.api_url
        os.environ["PREFECT_API_URL"] = api_url  # flow-run subprocesses inherit it
        print(
            f"started Prefect server at {api_url} in {server.started_s:.1f}s "
            f"(log {server.log_path}); UI at {api_url.removesuffix('/api')}"
        )
    try:
        from flows.deployments import DROP_DIR

        Path(DROP_DIR).mkdir(parents=True, exist_ok=True)  # the daily run loads what lands here
        return _serve(settings, api_url, args.limit)
    finally:
        if server is not None:
            server.stop()
            print("stopped the Prefect server")


def _serve(settings: Settings, api_url: str, limit: int) -> int:
    from prefect import serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.concurrency import ensure_writer_limit
    from flows.deployments import runner_deployments

    # Settings may have been read when prefect was first imported: pin the URL explicitly.
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        print(ensure_writer_limit())  # one writer flow at a time, across every deployment
        deployments, notices = runner_deployments(settings)
        for notice in notices:
            print(f"note: {notice}")
        if not deployments:
            print("error: no deployment has a known source group", file=sys.stderr)
            return 2
        sys.stdout.flush()
        serve(*deployments, limit=limit)  # returns on Ctrl-C / SIGTERM, schedules paused
    return 0
