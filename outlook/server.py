"""A local Prefect server as a child process: start on loopback, wait for health, stop; and a
watchdog so that no Prefect server outlives the process that started it.

Used by ``outlook serve`` (when no PREFECT_API_URL is configured) and by the tests that
need a real server (schedules only fire under ``prefect server start``; the temporary
server a bare flow run starts has no scheduler worth waiting for).

A SIGKILLed parent runs no clean-up, so a server it started kept running (27-49% CPU,
260 MB, its port bound; Prefect's own temporary server is stopped only from ``atexit``).
So the CLI never lets Prefect start one: a command that runs flows does so inside
``prefect_api``, which uses the configured API or starts a server here. Every server started
here gets a watchdog: a
small process holding the read end of a pipe whose write end only the parent holds. The
kernel closes that end however the parent ends, so the watchdog wakes on end-of-file (no
polling of the parent), stops the server and everything it spawned (SIGTERM, then SIGKILL
after a grace period), and exits. It also exits as soon as the server ends on its own.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

WATCHDOG_GRACE_S = 5.0  # SIGTERM lets the server close its database; then SIGKILL


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


# --- the watchdog ---------------------------------------------------------------------------


@dataclass
class Watchdog:
    """A process that stops ``target`` once ``fd`` (the write end of its pipe) is closed."""

    process: subprocess.Popen[bytes]
    target: int
    fd: int | None = field(default=None, repr=False)

    def release(self, timeout_s: float = 10.0) -> None:
        """Say we are gone on purpose (the target is stopped already, or should be now)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def die_with_this_process(
    pid: int, *, group: bool = False, grace_s: float = WATCHDOG_GRACE_S
) -> Watchdog:
    """Start a watchdog that stops process ``pid`` and its descendants (with ``group``, its
    whole process group, for a child started with ``start_new_session=True``) once this
    process is gone, however it ends, SIGKILL included.

    The pipe's write end is not inheritable, so children exec'd later do not keep the
    watchdog waiting; a child forked without exec would.
    """
    read_end, write_end = os.pipe()
    command = [sys.executable, "-m", "outlook.server", "watch", str(pid), f"--grace={grace_s:g}"]
    try:
        process = subprocess.Popen(
            command + (["--group"] if group else []),
            stdin=read_end,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # Its own session: a Ctrl-C or a kill of our process group must not take the
            # watchdog down before it has done its job.
            start_new_session=True,
        )
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)
    return Watchdog(process, pid, write_end)


def _proc_stats() -> Iterator[tuple[int, bytes, int, int]]:
    """(pid, state, ppid, pgrp) of every process (Linux /proc)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue  # gone meanwhile
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses
        state, ppid, pgrp = stat[stat.rindex(b")") + 2 :].split()[:3]
        yield int(entry), state, int(ppid), int(pgrp)


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for pid, _state, ppid, _pgrp in _proc_stats():
        children.setdefault(ppid, []).append(pid)
    return children


def descendants(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (Linux /proc), nearest first."""
    children, found, queue = _children_map(), [], [pid]
    while queue:
        for child in children.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


def _signal_tree(pidfd: int | None, pid: int, group: bool, sig: int, victims: set[int]) -> None:
    victims.update(descendants(pid))  # those seen at SIGTERM stay victims once orphaned
    try:
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, sig)  # cannot hit a recycled pid
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass
    if group:
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
    for victim in victims:
        try:
            os.kill(victim, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _watch(pid: int, group: bool, grace_s: float) -> int:
    """The watchdog's loop: wait for the parent (stdin at EOF) or the target to end."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pidfd: int | None = os.pidfd_open(pid)  # readable once the target has exited
    except ProcessLookupError:
        return 0
    except OSError:  # a kernel without pidfd (< 5.3): poll the pid instead
        pidfd = None
    watched = [0] + ([pidfd] if pidfd is not None else [])
    while True:
        ready, _, _ = select.select(watched, [], [], None if pidfd is not None else 0.5)
        if pidfd in ready or (pidfd is None and not _alive(pid)):
            return 0  # the target ended first (stopped by its parent, or crashed)
        if 0 in ready and not os.read(0, 64):
            break  # end-of-file: the parent is gone
    victims: set[int] = set()
    _signal_tree(pidfd, pid, group, signal.SIGTERM, victims)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and _alive(pid, pidfd):
        time.sleep(0.1)
    _signal_tree(pidfd, pid, group, signal.SIGKILL, victims)  # stragglers, orphans
    return 0


def _alive(pid: int, pidfd: int | None = None) -> bool:
    if pidfd is not None:
        return not select.select([pidfd], [], [], 0)[0]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- a local server -------------------------------------------------------------------------


@contextmanager
def prefect_api(home: Path, timeout_s: float = 120.0) -> Iterator[str]:
    """The Prefect API the flow runs of one command report to: the configured one
    (PREFECT_API_URL, from the environment or the Prefect profile), else a server of our own
    on loopback that lives as long as the block and dies with this process however it ends.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield str(configured)
        return
    with (
        running_server(home=home, timeout_s=timeout_s) as server,
        temporary_settings(updates={PREFECT_API_URL: server.api_url}),
    ):
        print(
            f"prefect: local server on {server.api_url} for this command "
            f"(up in {server.started_s:.1f}s; set PREFECT_API_URL to use your own)",
            file=sys.stderr,
            flush=True,
        )
        try:
            yield server.api_url
        finally:
            # send the run's queued logs while the server is still up (else Prefect prints
            # "Error logging to API" at exit)
            from prefect.logging.handlers import APILogHandler

            APILogHandler().flush()


@dataclass
class LocalServer:
    process: subprocess.Popen[bytes]
    api_url: str
    log_path: Path
    started_s: float  # seconds from spawn to healthy
    watchdog: Watchdog | None = None

    def stop(self, timeout_s: float = 15.0) -> None:
        """SIGTERM the server's process group, SIGKILL it if it lingers past ``timeout_s``."""
        stop_process_group(self.process, timeout_s)
        if self.watchdog is not None:
            self.watchdog.release()


def stop_process_group(process: subprocess.Popen[bytes], timeout_s: float = 15.0) -> None:
    """Stop a child started with ``start_new_session=True`` and everything it spawned.

    Returns only once no live process of the group is left: the group leader can exit
    while a worker it started is still closing its socket, and a caller that starts the
    next server on the same port right after must not find the port taken.
    """
    if process.poll() is not None and not _group_members(process.pid):
        return
    for sig, wait in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        while _group_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not _group_members(process.pid):
            return


def _group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group ``pgid``."""
    return [pid for pid, state, _ppid, pgrp in _proc_stats() if pgrp == pgid and state != b"Z"]


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
    A watchdog stops the server's process group if this process dies without stopping it.
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
    server.watchdog = die_with_this_process(process.pid, group=True)
    deadline = clock + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m outlook.server")
    commands = parser.add_subparsers(dest="command", required=True)
    watch = commands.add_parser("watch", help="stop PID once stdin reaches end-of-file")
    watch.add_argument("pid", type=int)
    watch.add_argument("--group", action="store_true", help="also signal its process group")
    watch.add_argument("--grace", type=float, default=WATCHDOG_GRACE_S, metavar="SECONDS")
    args = parser.parse_args(argv)
    return _watch(args.pid, args.group, args.grace)


if __name__ == "__main__":
    raise SystemExit(main())
