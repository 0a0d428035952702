"""API keys come from the environment or a Prefect Secret block, and nowhere else.

Callers pass the value straight to the request; it is never logged, stored in ``meta`` or
put into an exception (``outlook.ingest.fetch.redact_url`` and the parsers' redaction guard that).

A block that does not exist means "not configured" (the source is skipped, as without the
environment variable). A block that could not be read -- the Prefect server is down, refuses
the request, answers garbage -- is not the same thing: ``SecretUnavailable`` names the block
and the server, and the source that needed it fails instead of being quietly skipped.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit


class SecretUnavailable(RuntimeError):
    """A Secret block exists (or may exist) but could not be read. Carries no secret."""


def get_secret(env_var: str, block_name: str | None = None) -> str | None:
    """The secret from ``env_var``, else from the Prefect Secret block ``block_name``;
    None when neither is configured. Raises ``SecretUnavailable`` when the block could
    not be read."""
    value = os.environ.get(env_var, "").strip()
    if value:
        return value
    if block_name is None:
        return None
    from prefect.blocks.system import Secret
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL

    api_url = PREFECT_API_URL.value()
    if not api_url:
        return None  # no configured Prefect server (env or profile): no blocks to read
    try:
        return Secret.load(block_name).get()
    except ValueError as exc:
        # Block.load turns the API's 404 into a ValueError raised from ObjectNotFound
        if isinstance(exc.__cause__, ObjectNotFound):
            return None
        raise _unavailable(env_var, block_name, api_url, exc) from None
    except Exception as exc:
        raise _unavailable(env_var, block_name, api_url, exc) from None


def _unavailable(env_var: str, block_name: str, api_url: str, exc: Exception) -> SecretUnavailable:
    # Only the exception's type and the server: its text could quote a response body.
    return SecretUnavailable(
        f"Prefect Secret block {block_name!r} could not be read from {_without_userinfo(api_url)} "
        f"({type(exc).__name__}): is the Prefect server up? (or set {env_var})"
    )


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
