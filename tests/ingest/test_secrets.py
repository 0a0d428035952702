"""outlook.ingest.secrets: the environment first, then a Prefect Secret block, else nothing."""

from __future__ import annotations

import pytest

from outlook.ingest.secrets import get_secret

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
