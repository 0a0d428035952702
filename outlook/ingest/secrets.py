"""API keys come from the environment or a Prefect Secret block, and nowhere else.

Callers pass the value straight to the request; it is never logged, stored in ``meta`` or
put into an exception (``outlook.ingest.fetch.redact_url`` and the parsers' redaction guard that).
"""

from __future__ import annotations

import os


def get_secret(env_var: str, block_name: str | None = None) -> str | None:
    """The secret from ``env_var``, else from the Prefect Secret block ``block_name``."""
    value = os.environ.get(env_var, "").strip()
    if value:
        return value
    if block_name is None:
        return None
    try:
        from prefect.blocks.system import Secret
        from prefect.settings import PREFECT_API_URL

        if not PREFECT_API_URL.value():
            return None  # no configured Prefect server (env or profile): no blocks to read
        return Secret.load(block_name).get()
    except Exception:  # a missing block means "not configured", never a crash
        return None
