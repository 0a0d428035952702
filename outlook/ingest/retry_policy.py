"""How the fetch layer waits, names network failures, and gives up on a host for a run.

The one retry policy for upstream requests (``outlook.ingest.fetch`` applies it; the flows' tasks
do not retry fetches on top): one file gets at most ``max_attempts`` requests, waiting
``backoff_s * 2**(n-1)`` or what Retry-After asks (capped at ``max_retry_after_s``) between
them, and no retry starts once the time spent on that file, requests plus waits, would
pass ``retry_budget_s``. A failed DNS lookup is not retried: the resolver has already
retried as its configuration says, and offline a retry only costs time.

A host that cannot be reached at all (``HOST_DOWN_CAUSES``) is remembered for the rest of
the run inside ``host_breaker()``: later fetches to it fail at once with the first
failure's cause, instead of each paying the same retries again (offline, every source
used to wait its full retries, one after another: 538 s for three APIs).
"""

from __future__ import annotations

import email.utils
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

DNS_FAILED = "DNS lookup failed"
# Failures that say the host cannot be reached at all: the host breaker trips on them.
HOST_DOWN_CAUSES = frozenset(
    {DNS_FAILED, "connection refused", "network unreachable", "connect timed out"}
)


class HostsDown:
    """Hosts that could not be reached in this run, with why; shared by the run's threads."""

    def __init__(self) -> None:
        self._down: dict[str, str] = {}
        self._lock = threading.Lock()

    def cause(self, url: str) -> str | None:
        """Why ``url``'s host was given up on in this run, or None if it was not."""
        with self._lock:
            return self._down.get(urlsplit(url).netloc)

    def trip(self, url: str, cause: str) -> None:
        with self._lock:
            self._down.setdefault(urlsplit(url).netloc, cause)

    def down(self) -> dict[str, str]:
        with self._lock:
            return dict(self._down)


# A context variable, not a global: each run (and each test) gets its own, and a run's
# worker threads see it through the context they are started with.
_HOSTS_DOWN: ContextVar[HostsDown | None] = ContextVar("outlook_hosts_down", default=None)


@contextmanager
def host_breaker() -> Iterator[HostsDown]:
    """Within the block, a host that failed at the connection level fails later fetches."""
    hosts = HostsDown()
    token = _HOSTS_DOWN.set(hosts)
    try:
        yield hosts
    finally:
        _HOSTS_DOWN.reset(token)


def current_breaker() -> HostsDown | None:
    return _HOSTS_DOWN.get()


def backoff(base: float, attempt: int) -> float:
    return base * (2 ** (attempt - 1))


def retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def describe_network_error(exc: Exception) -> str:
    text = str(exc)
    if (
        "Name or service not known" in text
        or "NameResolutionError" in text
        or "getaddrinfo" in text
        or "Temporary failure in name resolution" in text
    ):
        return DNS_FAILED
    if isinstance(exc, requests.ConnectTimeout):
        return "connect timed out"
    if isinstance(exc, requests.Timeout):
        return "read timed out"
    if "Connection refused" in text:
        return "connection refused"
    if "Network is unreachable" in text or "No route to host" in text:
        return "network unreachable"
    return f"connection failed ({type(exc).__name__})"


@dataclass(frozen=True)
class TaskRetries:
    """How the flows' Prefect tasks retry: the one setting every ingest task uses.

    Not at all: the fetch layer retries within its budget (above), and a task retry on top
    would multiply it (offline, 4 attempts x 3 task tries used to cost 533 s). Loads do not
    retry either: a load that failed fails the same way again.
    """

    retries: int = 0

    def options(self) -> dict[str, int]:
        """Keyword arguments for ``@task``."""
        return {"retries": self.retries}


TASK_RETRIES = TaskRetries()
