"""Settings from flags and the environment: a bad value is a one-line error, not a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from outlook.config import SettingError, Settings, resolve_settings
from tests.conftest import ROOT


def test_numeric_settings_read_from_the_environment() -> None:
    settings = resolve_settings(env={"OUTLOOK_GX_KEEP_RUNS": "5", "OUTLOOK_RETRY_BUDGET_S": "2.5"})
    assert (settings.gx_keep_runs, settings.retry_budget_s) == (5, 2.5)
    unset = resolve_settings(env={})
    assert (unset.gx_keep_runs, unset.retry_budget_s) == (
        Settings.gx_keep_runs,
        Settings.retry_budget_s,
    )


@pytest.mark.parametrize(
    ("var", "bad"),
    [
        ("OUTLOOK_GX_KEEP_RUNS", "abc"),
        ("OUTLOOK_GX_KEEP_RUNS", "0"),
        ("OUTLOOK_GX_KEEP_RUNS", "2.5"),
        ("OUTLOOK_RETRY_BUDGET_S", "-1"),
        ("OUTLOOK_RETRY_BUDGET_S", "nan"),
        ("OUTLOOK_RETRY_BUDGET_S", "soon"),
    ],
)
def test_a_bad_number_names_the_variable_and_what_it_expects(var: str, bad: str) -> None:
    with pytest.raises(SettingError, match=rf"{var} '{bad}': expected a"):
        resolve_settings(env={var: bad})


def test_the_cli_prints_the_setting_error_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "outlook.cli.main", "status"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "OUTLOOK_GX_KEEP_RUNS": "abc"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "OUTLOOK_GX_KEEP_RUNS 'abc'" in done.stderr
    assert "Traceback" not in done.stderr
