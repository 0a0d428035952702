"""What the CLI prints: messages whole and literal, one error line per expected condition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from outlook.cli.main import expected_error, main
from outlook.cli.output import print_outcomes
from outlook.config import Settings

# Rich read "[natsector_M2024_dl.xlsx]" as markup and dropped it; tables cut at 120 chars.
OEWS_MESSAGE = (
    "www.bls.gov/oes/special-requests/oesm24in4.zip [oesm24in4/natsector_M2024_dl.xlsx] "
    "[All May 2024 data], row 1187, column 'A_MEDIAN': not a number: '#' (footnote marker "
    "where a wage should be)"
)


@dataclass
class Outcome:
    source: str
    status: str
    message: str
    rows: int = 0
    release: str | None = None


def _squash(text: str) -> str:
    """Table text without borders, padding and line breaks (a folded cell reads whole)."""
    return re.sub(r"[\s│┃|]", "", text)


def test_outcomes_keep_brackets_and_full_length_on_a_narrow_terminal(
    capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert len(OEWS_MESSAGE) > 120
    print_outcomes(
        [Outcome("oews_m2024", "failed", OEWS_MESSAGE)],
        [f"source oews_m2024 failed: {OEWS_MESSAGE}"],
    )
    out, err = capsys.readouterr()
    assert _squash(OEWS_MESSAGE) in _squash(out)  # folded in the table, nothing dropped
    assert max(len(line) for line in out.splitlines()) <= 80
    assert err == f"error: source oews_m2024 failed: {OEWS_MESSAGE}\n"  # one line, whole


def _status_warehouse(s: Settings) -> None:
    from outlook.warehouse import connect

    with connect(s.db) as con:
        con.execute(
            "create table raw.oews__industry_estimates (x int, _release varchar, _load_id varchar)"
        )
        con.execute(
            "insert into raw.oews__industry_estimates values "
            "(1, 'M2023', 'l23'), (2, 'M2023', 'l23'), (3, 'M2023', 'l23'), "
            "(4, 'M2024', 'l24'), (5, 'M2024', 'l24')"
        )
        con.execute(
            "create table raw.indeed__aggregate_postings (x int, _release varchar, _load_id varchar)"
        )
        con.execute("insert into raw.indeed__aggregate_postings values (1, '2026-10-31', 'li')")
        con.execute(
            "insert into meta.loads (load_id, source, release, outcome, message, finished_at) values "
            "('l23', 'oews_m2023', 'M2023', 'loaded', 'release M2023', '2026-11-01 00:00+00'), "
            "('l24', 'oews_m2024', 'M2024', 'loaded', 'release M2024', '2026-11-01 00:01+00'), "
            "('li', 'indeed_us_aggregate', '2026-10-31', 'loaded', 'release 2026-10-31', "
            "'2026-11-01 00:02+00')"
        )
        # last night's download of the Indeed file failed: no meta.loads row, a failed fetch
        con.execute(
            "insert into meta.fetches (fetch_id, source, status, message, retrieved_at) values "
            "('f1', 'indeed_us_aggregate', 'failed', ?, '2026-11-02 00:00+00')",
            [f"HTTP 503 SERVICE UNAVAILABLE after 3 attempt(s) [{'x' * 100}]"],
        )


def test_status_counts_each_release_and_shows_a_failed_last_attempt(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    s = Settings(db=tmp_path / "w.duckdb", publish_dir=tmp_path / "published")
    _status_warehouse(s)
    assert main(["status", "--json", "--db", str(s.db), "--publish-dir", str(s.publish_dir)]) == 0
    sources = {x["source"]: x for x in json.loads(capsys.readouterr().out)["sources"]}
    # each OEWS release counts its own rows (both used to show 5)
    assert (sources["oews_m2023"]["rows"], sources["oews_m2023"]["releases"]) == (3, ["M2023"])
    assert (sources["oews_m2024"]["rows"], sources["oews_m2024"]["releases"]) == (2, ["M2024"])
    indeed = sources["indeed_us_aggregate"]
    assert indeed["last_outcome"] == "failed"  # was 'loaded'
    assert indeed["message"].startswith("HTTP 503") and indeed["last_loaded_at"].startswith(
        "2026-11-01"
    )

    monkeypatch.setenv("COLUMNS", "80")
    assert main(["status", "--db", str(s.db), "--publish-dir", str(s.publish_dir)]) == 0
    out = capsys.readouterr().out
    # the reason, whole on one line under the table: brackets kept, not cut at 100 chars
    assert f"indeed_us_aggregate failed: {indeed['message']}" in out.splitlines()


@pytest.mark.parametrize(
    ("make", "code", "text"),
    [
        (lambda: __import__("outlook.lock").lock.WarehouseBusy("warehouse w is being written"), 3, "warehouse w is being written"),
        (lambda: FileNotFoundError("no published snapshot at s: run `outlook refresh` first"), 2, "no published snapshot"),
        (lambda: __import__("transforms.errors").errors.SchemaDriftError("f.csv", ["title"]), 1, "f.csv: missing expected column(s): 'title'"),
        (lambda: __import__("transforms.errors").errors.SourceFormatError("a.zip [b.xlsx]", "bad\ncell", row=3), 1, "a.zip [b.xlsx], row 3: bad cell"),
    ],
    ids=["busy", "missing-snapshot", "schema-drift", "source-format"],
)  # fmt: skip
def test_expected_errors_map_to_one_line_and_an_exit_code(make, code: int, text: str) -> None:
    got = expected_error(make(), Settings())
    assert got is not None and got[0] == code and text in got[1] and "\n" not in got[1]


def test_a_bug_is_not_an_expected_error() -> None:
    assert expected_error(KeyError("x"), Settings()) is None
    assert expected_error(RuntimeError("boom"), Settings()) is None


def test_main_turns_an_expected_error_into_one_line_without_traceback(
    tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from outlook.cli.commands import status
    from transforms.errors import SourceFormatError

    def broken(settings: Settings) -> None:
        raise SourceFormatError("oesm24in4.zip [natsector_M2024_dl.xlsx]", "not a workbook")

    monkeypatch.setattr(status, "collect_status", broken)
    monkeypatch.delenv("OUTLOOK_DEBUG", raising=False)
    assert main(["status", "--db", str(tmp_path / "w.duckdb")]) == 1
    out, err = capsys.readouterr()
    assert err == "error: oesm24in4.zip [natsector_M2024_dl.xlsx]: not a workbook\n"
    monkeypatch.setenv("OUTLOOK_DEBUG", "1")  # a developer asks for the traceback
    with pytest.raises(SourceFormatError):
        main(["status", "--db", str(tmp_path / "w.duckdb")])
