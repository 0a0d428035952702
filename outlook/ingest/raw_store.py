"""The raw store: immutable files under ``<raw_dir>/<host>/<path>/<retrieved-date>/<name>``.

What the fetch layer (``outlook.ingest.fetch``, the HTTP download loop) and the file drops
share: the errors and results of a fetch, where a URL's file lands, moving a finished
download into place read-only (same bytes reuse the file, different bytes on the same day
get their own folder), the body sniffing that catches an HTML error page before a parser
does, recorded API responses and dropped files kept from a mirror or a folder, and the sweep
of partial downloads a killed run left behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from transforms.hashing import sha256_file

# Query parameters that carry credentials (Adzuna app_key, BLS registrationkey, ...).
_SECRET_PARAMS = re.compile(
    r"(?i)([?&](?:app_?key|api_?key|app_id|key|registrationkey|token|access_token|secret)=)[^&#]*"
)
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<?xml version")


class FetchError(RuntimeError):
    """A URL could not be turned into a good raw file. The message names the URL and why."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        raw_path: Path | None = None,
        transient: bool = False,
        host_down: str | None = None,
    ) -> None:
        self.transient = transient  # worth retrying later (network trouble, 429/5xx)
        # Why the whole host could not be reached ('DNS lookup failed', ...), else None.
        self.host_down = host_down
        self.url = redact_url(url)
        self.reason = reason
        self.raw_path = raw_path
        kept = f" (kept for inspection: {raw_path})" if raw_path else ""
        super().__init__(f"{self.url}: {reason}{kept}")


class SourceNotInMirror(FetchError):
    """Mirror mode and the mirror does not hold this URL: the source is skipped, not failed."""


@dataclass(frozen=True)
class Validators:
    """What the previous successful fetch of a URL saw, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None
    raw_path: Path | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class FetchResult:
    url: str
    path: Path
    sha256: str
    size: int
    origin: str  # 'network' | 'mirror'
    status: str  # 'downloaded' | 'not_modified' | 'mirror'
    http_status: int | None
    etag: str | None
    last_modified: str | None
    retrieved_at: datetime
    duration_s: float
    attempts: int


def redact_url(url: str) -> str:
    """A URL fit for logs, tables and exceptions: credential parameters blanked."""
    return _SECRET_PARAMS.sub(r"\1***", url)


def url_relpath(url: str) -> Path:
    """``https://host/a/b%20c.xlsx`` -> ``host/a/b c.xlsx``, refusing anything that climbs out."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(url, "only http(s) URLs with a host can be fetched")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if not segments or any(s in {".", ".."} or "/" in s or "\x00" in s for s in segments):
        raise FetchError(url, "URL path is empty or escapes its folder")
    return Path(parts.hostname, *segments)


@dataclass(frozen=True)
class RecordedResponse:
    recorded: Path  # the file in the mirror
    kept: Path  # its immutable copy in the raw store
    sha256: str
    seconds: float


def keep_recorded_responses(url: str, mirror: Path, raw_dir: Path) -> list[RecordedResponse]:
    """API responses recorded under ``<mirror>/<host>/<path>/*.json`` (a POST or a keyed query
    has no URL of its own to mirror), kept in the raw store, in name order."""
    rel = url_relpath(url)
    folder = mirror / rel
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise SourceNotInMirror(url, f"no recorded responses in mirror {mirror}")
    kept = []
    for recorded in files:
        started = time.monotonic()
        path, digest = keep_dropped_file(recorded, rel, raw_dir, datetime.now(UTC))
        kept.append(RecordedResponse(recorded, path, digest, time.monotonic() - started))
    return kept


def keep_dropped_file(
    path: Path, rel: Path, raw_dir: Path, retrieved: datetime
) -> tuple[Path, str]:
    """Copy a file-drop file into the raw store (the drop folder may be cleaned by others)."""
    with tempfile.NamedTemporaryFile(dir=staging_dir(raw_dir), delete=False) as tmp:
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, tmp)
    return settle_raw(Path(tmp.name), rel / path.name, raw_dir, retrieved)


def sweep_incoming(raw_dir: Path) -> int:
    """Remove partial downloads a killed run left in the staging folder (call under the
    writer lock: no other fetch is running). Finished raw files are never touched."""
    staging = raw_dir / ".incoming"
    removed = 0
    for leftover in staging.glob("*") if staging.is_dir() else []:
        if leftover.is_file():
            leftover.unlink()
            removed += 1
    return removed


def staging_dir(raw_dir: Path) -> Path:
    staging = raw_dir / ".incoming"
    staging.mkdir(parents=True, exist_ok=True)
    return staging


def store_rel(url: str, store_as: str | None) -> Path:
    rel = url_relpath(url)
    if store_as is None:
        return rel
    if "/" in store_as or store_as in {"", ".", ".."}:
        raise FetchError(url, f"bad storage name {store_as!r}")
    return rel / store_as


def settle(
    tmp: Path, url: str, raw_dir: Path, retrieved: datetime, store_as: str | None = None
) -> tuple[Path, str]:
    return settle_raw(tmp, store_rel(url, store_as), raw_dir, retrieved)


def settle_raw(tmp: Path, rel: Path, raw_dir: Path, retrieved: datetime) -> tuple[Path, str]:
    """Move a finished file to ``raw_dir/<rel>/<date>/<name>``, read-only; identical bytes
    reuse the existing file, different bytes on the same day get their own folder."""
    digest = sha256_file(tmp)
    folder = raw_dir / rel / retrieved.strftime("%Y-%m-%d")
    target = folder / rel.name
    if target.exists():
        if sha256_file(target) == digest:
            tmp.unlink()
            return target, digest
        # Same day, different bytes (file changed upstream): never overwrite, keep both.
        folder = raw_dir / rel / f"{retrieved.strftime('%Y-%m-%d')}.{digest[:12]}"
        target = folder / rel.name
        if target.exists():
            tmp.unlink()
            return target, digest
    folder.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)
    target.chmod(0o444)
    return target, digest


def check_body(url: str, path: Path, expect: str | None) -> None:
    """Catch files that are not what they claim before a parser sees them."""
    size = path.stat().st_size
    if size == 0:
        raise FetchError(url, "empty file (0 bytes)", raw_path=path)
    with open(path, "rb") as handle:
        head = handle.read(512)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if expect != "xml" and lowered.startswith(_HTML_MARKERS):
        raise FetchError(url, f"got an HTML/XML page instead of {expect or 'data'}", raw_path=path)
    if expect in {"zip", "xlsx"} and not head.startswith(b"PK\x03\x04"):
        raise FetchError(url, f"not a {expect} file (no zip signature)", raw_path=path)
    if expect == "json" and lowered[:1] not in (b"{", b"["):
        raise FetchError(url, "not a JSON document", raw_path=path)
