"""outlook.ingest.secrets: the environment first, then a Prefect Secret block, else nothing;
a block that cannot be read is an error, not "no key"."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from outlook.ingest.secrets import SecretUnavailable, get_secret

FAKE = "fake-key-0123456789abcdef-not-real"


def test_environment_wins_and_is_stripped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TEST_KEY", f"  {FAKE}\n")
    assert get_secret("OUTLOOK_TEST_KEY", "outlook-test-key") == FAKE


def test_no_environment_and_no_block_name_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OUTLOOK_TEST_KEY", raising=False)
    assert get_secret("OUTLOOK_TEST_KEY") is None


def test_secret_block_is_read_from_the_configured_server(
    prefect_harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.blocks.system import Secret

    monkeypatch.delenv("OUTLOOK_TEST_KEY", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)  # the harness sets it as a setting
    Secret(value=FAKE).save("outlook-test-key", overwrite=True)
    assert get_secret("OUTLOOK_TEST_KEY", "outlook-test-key") == FAKE
    # A block that does not exist means "not configured", not an error.
    assert get_secret("OUTLOOK_TEST_KEY", "outlook-no-such-block") is None
    # The environment still wins over the block.
    monkeypatch.setenv("OUTLOOK_TEST_KEY", "from-env")
    assert get_secret("OUTLOOK_TEST_KEY", "outlook-test-key") == "from-env"


def _closed_port() -> int:
    with socket.socket() as probe:  # bound then closed: nothing listens there
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_server_is_an_error_naming_block_and_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("OUTLOOK_TEST_KEY", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    url = f"http://user:pw@127.0.0.1:{_closed_port()}/api"
    with temporary_settings(updates={PREFECT_API_URL: url}):
        with pytest.raises(SecretUnavailable) as info:
            get_secret("OUTLOOK_TEST_KEY", "outlook-test-key")
    message = str(info.value)
    assert "'outlook-test-key'" in message and url.replace("user:pw@", "") in message
    assert "OUTLOOK_TEST_KEY" in message and "pw" not in message and "\n" not in message


def test_a_failed_read_never_quotes_the_response(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server error's text may echo what was sent or stored: only its type is reported."""
    from prefect.blocks.system import Secret
    from prefect.settings import PREFECT_API_URL, temporary_settings

    def refuse(name: str) -> None:
        raise RuntimeError(f"500 Internal Server Error: {{'value': '{FAKE}'}}")

    monkeypatch.delenv("OUTLOOK_TEST_KEY", raising=False)
    monkeypatch.setattr(Secret, "load", refuse)
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        with pytest.raises(SecretUnavailable) as info:
            get_secret("OUTLOOK_TEST_KEY", "outlook-test-key")
    assert FAKE not in str(info.value) and "RuntimeError" in str(info.value)


def test_a_source_whose_key_cannot_be_read_fails_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    """Not skipped as "no key": the fetch step returns a failure naming the block."""
    from flows.ingest import _fetch
    from outlook.ingest.posting_apis import POSTING_API_SOURCES
    from outlook.ingest.sources.base import NotFetched

    def unreachable(env_var: str, block_name: str | None = None) -> str:
        raise SecretUnavailable(f"Prefect Secret block {block_name!r} could not be read")

    monkeypatch.setattr("outlook.ingest.posting_apis.get_secret", unreachable)
    usajobs = next(s for s in POSTING_API_SOURCES if s.name == "usajobs")
    got = _fetch(usajobs, settings, (None, date(2025, 1, 1)))
    assert got == NotFetched("failed", "Prefect Secret block 'usajobs-api-key' could not be read")
