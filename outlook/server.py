"""A local Prefect server as a child process: start on loopback, wait for health, stop.

Used by ``outlook serve`` (when no PREFECT_API_URL is configured) and by the tests that
need a real server (schedules only fire under ``prefect server start``; the temporary
server a bare flow run starts has no scheduler worth waiting for).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class ServerDidNotStart(RuntimeError):
    """The server exited or stayed unhealthy past the deadline; the message has its log tail."""


def free_port(host: str = "127.0.0.1") -> int:
    """A port the kernel says is free now (a race with other binders is possible, rare)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def is_healthy(api_url: str, timeout_s: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout_s) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class LocalServer:
    process: subprocess.Popen[bytes]
    api_url: str
    log_path: Path
    started_s: float  # seconds from spawn to healthy

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM the server's process group, SIGKILL it if it lingers past ``timeout_s``."""
        stop_process_group(self.process, timeout_s)


def stop_process_group(process: subprocess.Popen[bytes], timeout_s: float = 15.0) -> None:
    """Stop a child started with ``start_new_session=True`` and everything it spawned."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def start_server(
    *,
    home: Path,
    port: int | None = None,
    host: str = "127.0.0.1",
    log_path: Path | None = None,
    timeout_s: float = 90.0,
    env: Mapping[str, str] | None = None,
) -> LocalServer:
    """Spawn ``prefect server start`` on loopback with its own PREFECT_HOME; wait for health.

    The child gets its own session so a Ctrl-C in the terminal reaches the serving process
    first: it pauses its schedules through the API, and only then is the server stopped.
    """
    port = port or free_port(host)
    api_url = f"http://{host}:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    log_path = log_path or home / "server.log"
    child_env = {
        **(env if env is not None else os.environ),
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }
    child_env.pop("PREFECT_API_URL", None)  # the server must not try to talk to another one
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect), "server", "start", "--host", host, "--port", str(port)]
    clock = time.monotonic()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            env=child_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = LocalServer(process, api_url, log_path, 0.0)
    deadline = clock + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDidNotStart(
                f"prefect server exited with {process.returncode}: {_tail(log_path)}"
            )
        if is_healthy(api_url):
            server.started_s = time.monotonic() - clock
            return server
        time.sleep(0.5)
    server.stop()
    raise ServerDidNotStart(f"prefect server not healthy after {timeout_s:.0f}s: {_tail(log_path)}")


@contextmanager
def running_server(**kwargs: object) -> Iterator[LocalServer]:
    server = start_server(**kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


def _tail(path: Path, chars: int = 2000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return "(no log)"
