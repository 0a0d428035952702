"""Security properties, shown with hostile inputs: secrets stay out of every output, user values
are bound, archive members cannot escape, XML entities are not expanded, the snapshot is
read-only."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import zipfile
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from outlook.ingest.fetch import FetchError, FetchOptions, fetch, url_relpath
from outlook.ingest.raw_loads import last_validators, record_fetch
from outlook.ingest.sources import by_name
from outlook.publish.snapshot import open_snapshot, write_snapshot
from outlook.warehouse import connect, insert_row, previous_load
from scripts.samples.official import _deterministic_zip, _ep_table12, _oews_rows, _xlsx_bytes
from transforms.errors import SourceFormatError
from transforms.jolts import parse_response
from transforms.oews import read_oews_industry_zip
from transforms.onet import read_onet_archive
from transforms.projections import read_occupation_projections

FAKE_KEY = "FAKEKEY-1234567890abcdef"
HOSTILE = "x'; drop table marts.role_outlook; --"


@pytest.fixture
def fake_keys(monkeypatch: pytest.MonkeyPatch) -> str:
    for var in ("OUTLOOK_BLS_API_KEY", "ADZUNA_APP_KEY", "ADZUNA_APP_ID"):
        monkeypatch.setenv(var, FAKE_KEY)
    return FAKE_KEY


def all_text_in_db(con: duckdb.DuckDBPyConnection) -> str:
    """Every value of every table, as one string to grep."""
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables"
    ).fetchall()
    parts = []
    for schema, name in tables:
        parts += [repr(r) for r in con.execute(f'select * from "{schema}"."{name}"').fetchall()]
    return "\n".join(parts)


def tree(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


# --- secrets -------------------------------------------------------------------------------


def test_api_key_never_reaches_errors_logs_tables_or_paths(
    httpserver: HTTPServer, tmp_path: Path, fake_keys: str, caplog: pytest.LogCaptureFixture
) -> None:
    key = os.environ["ADZUNA_APP_KEY"]
    httpserver.expect_request("/v1/api/jobs/us/search/1").respond_with_data("down", status=503)
    url = httpserver.url_for(f"/v1/api/jobs/us/search/1?app_id={key}&app_key={key}&what=nurse")
    caplog.set_level(logging.DEBUG)  # urllib3 logs each request line at DEBUG
    opts = FetchOptions(raw_dir=tmp_path / "raw", max_attempts=2, backoff_s=0.01)
    with pytest.raises(FetchError) as info:
        fetch(url, opts)
    exc = info.value
    source = dataclasses.replace(by_name()["indeed_us_aggregate"], url=url)
    with connect(tmp_path / "w.duckdb") as con:
        record_fetch(con, "run", source, None, status="failed", message=str(exc))
        tables = all_text_in_db(con)
    outputs = {
        "exception": f"{exc} {exc!r} {exc.url} {exc.__context__!r} {exc.__cause__!r}",
        # The test server (werkzeug) logs what it received; that is not our output.
        "logs": "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug"),
        "tables": tables,
        "files": " ".join(tree(tmp_path)),
    }
    assert "GET /v1/api/jobs/us/search/1?app_id=***" in caplog.text, "request was logged"
    for where, text in outputs.items():
        assert key not in text, f"API key leaked into {where}"
    assert "what=nurse" in str(exc), "only credentials are blanked"


@pytest.mark.parametrize("key", [FAKE_KEY, "0123456789abcdef0123456789abcdef"])
def test_jolts_errors_do_not_echo_the_registration_key(key: str) -> None:
    payload = {
        "status": "REQUEST_NOT_PROCESSED",
        "message": [f"Invalid registrationkey={key}", f"The key {key} has exceeded its quota"],
    }
    location = f"https://api.bls.gov/publicAPI/v2/timeseries/data/?registrationkey={key}"
    with pytest.raises(SourceFormatError) as info:
        parse_response(payload, location, secrets=[key])
    assert key not in str(info.value) and "exceeded its quota" in str(info.value)
    if len(key) == 32:
        # A real BLS key (32 hex digits) is masked even when the caller forgets `secrets`.
        with pytest.raises(SourceFormatError) as again:
            parse_response(payload, location)
        assert key not in str(again.value)


# --- bound SQL -----------------------------------------------------------------------------


def test_bookkeeping_binds_hostile_values(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as con:
        insert_row(con, "meta.runs", {"run_id": HOSTILE, "message": HOSTILE, "outcome": "x"})
        source = dataclasses.replace(
            by_name()["indeed_us_aggregate"], name=HOSTILE, url=f"https://h/{HOSTILE}"
        )
        record_fetch(con, HOSTILE, source, None, status="failed", message=HOSTILE)
        assert last_validators(con, source) is None
        assert previous_load(con, HOSTILE, HOSTILE) is None
        assert con.execute("select run_id from meta.runs").fetchone()[0] == HOSTILE
        assert con.execute("select source from meta.fetches").fetchone()[0] == HOSTILE


def _snapshot_with_roles(tmp_path: Path, roles: list[str]) -> tuple[Path, Path]:
    """A warehouse with a minimal marts.role_outlook, published into a hostile folder name."""
    from outlook.cli.trends import COLUMNS

    def sql_type(col: str) -> str:
        if col.endswith("_as_of"):
            return "date"
        numeric = ("_pct", "score", "postings_", "oews_employment", "wage", "openings", "level")
        return "double" if any(k in col for k in numeric) and col != "label" else "varchar"

    db = tmp_path / "w.duckdb"
    publish_dir = tmp_path / HOSTILE.replace("/", "_")
    with connect(db) as con:
        con.execute(
            "create table marts.role_outlook ("
            + ", ".join(f"{c} {sql_type(c)}" for c in COLUMNS)
            + ")"
        )
        for role in roles:
            con.execute(
                "insert into marts.role_outlook (role, industry_sector, label) values (?, 'all', ?)",
                [role, "growing"],
            )
        write_snapshot(con, publish_dir / "snapshot" / "outlook.duckdb", "run-1")
    return db, publish_dir


def _cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *argv: str) -> int:
    from outlook.cli.main import main

    monkeypatch.setenv("OUTLOOK_STATE_DIR", str(tmp_path / "state"))
    return main(list(argv))


def test_trends_binds_hostile_role_and_industry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db, publish = _snapshot_with_roles(tmp_path, ["Performance Improvement Director", HOSTILE])
    common = ("--db", str(db), "--publish-dir", str(publish))
    assert _cli(monkeypatch, tmp_path, "trends", *common, "--role", HOSTILE + "x") == 2
    assert "unknown role" in capsys.readouterr().err
    # A role that *is* the hostile string comes back exactly, proving it was a value.
    code = _cli(monkeypatch, tmp_path, "trends", *common, "--role", HOSTILE, "--format", "json")
    assert code == 0 and "drop table" in capsys.readouterr().out
    code = _cli(
        monkeypatch, tmp_path, "trends", *common, "--role", "Performance Improvement Director",
        "--industry", HOSTILE,
    )  # fmt: skip
    assert code == 1 and "no outlook" in capsys.readouterr().err
    snapshot = publish / "snapshot" / "outlook.duckdb"
    with duckdb.connect(str(snapshot), read_only=True) as con:
        assert con.execute("select count(*) from marts.role_outlook").fetchone()[0] == 2


def test_ingest_rejects_hostile_source_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _cli(monkeypatch, tmp_path, "ingest", "--db", str(tmp_path / "w.duckdb"), HOSTILE)
    assert code == 2 and "unknown source" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists(), "rejected before touching the warehouse"


# --- archives: zip-slip and entity expansion -------------------------------------------------


def test_oews_zip_slip_members_are_read_in_memory_only(tmp_path: Path) -> None:
    data = _xlsx_bytes([("Natsector_M2024_dl", [_oews_header(), *_oews_rows(2024)[:5]])])
    work = tmp_path / "work"
    work.mkdir()
    hostile = [
        "../../evil/natsector_M2024_dl.xlsx",
        "/tmp/evil-abs/nat3d_M2024_dl.xlsx",
        "..\\..\\evil\\nat4d_M2024_dl.xlsx",
    ]
    archive = _deterministic_zip(work / "oesm24in4.zip", [(m, data) for m in hostile])
    before, cwd_before = tree(tmp_path), tree(Path.cwd())
    frame = read_oews_industry_zip(archive)
    assert sorted(set(frame["source_member"])) == sorted(hostile)  # names kept as data only
    assert tree(tmp_path) == before and tree(Path.cwd()) == cwd_before
    assert not Path("/tmp/evil-abs").exists()


def test_onet_zip_slip_members_never_touch_disk(tmp_path: Path) -> None:
    occ = "O*NET-SOC Code\tTitle\tDescription\n11-1011.00\tChief Executives\tDetermine.\n"
    alt = "O*NET-SOC Code\tTitle\tAlternate Title\n11-1011.00\tChief Executives\tCEO\n"
    archive = tmp_path / "db_29_3_text.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("/etc/evil/Occupation Data.txt", occ)
        zf.writestr("..\\..\\Alternate Titles.txt", alt)
    before = tree(tmp_path)
    tables = read_onet_archive(archive)
    assert len(tables["occupation_data"]) == 1 and len(tables["alternate_titles"]) == 1
    assert tree(tmp_path) == before and not Path("/etc/evil").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a/%2e%2e/%2e%2e/etc/passwd",
        "https://example.org/a/..%2f..%2fetc/passwd",
        "https://example.org/a/%00.csv",
    ],
)
def test_encoded_traversal_urls_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="escapes its folder"):
        url_relpath(url)


def _oews_header() -> list[str]:
    from scripts.samples.official import OEWS_HEADER

    return list(OEWS_HEADER)


LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>\n"
)  # &lol9; would expand to 10^9 "lol"s: 3 GB


def _poison(xlsx: bytes, member: str, *, shared_strings: bool = False) -> bytes:
    """Put the billion-laughs DTD into ``member`` and reference it from the first string."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            if shared_strings and info.filename == member:
                # The first cell points at shared string 0, which holds the entity.
                data = data.replace(b't="inlineStr"><is><t>', b't="s"><v>0</v><is><t>', 1)
            elif info.filename == member:
                body = data.decode()
                body = body[body.index("?>") + 2 :] if body.startswith("<?xml") else body
                data = (LAUGHS + body.replace("<t>", "<t>&lol9;", 1)).encode()
            if shared_strings and info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if shared_strings and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            zf.writestr(info.filename, data)
        if shared_strings:
            sst = (
                LAUGHS + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                ' count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
            )
            zf.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


@pytest.mark.parametrize("target", ["sheet-xml", "shared-strings"])
def test_projections_xlsx_entity_expansion_fails_fast(tmp_path: Path, target: str) -> None:
    good = _xlsx_bytes([("Index", [["x"]]), ("Table 1.2", _ep_table12())])
    path = tmp_path / "occupation.xlsx"
    path.write_bytes(
        _poison(good, "xl/worksheets/sheet2.xml", shared_strings=target != "sheet-xml")
    )
    # The reader refuses the entity outright (no expansion, so no time or memory blow-up).
    with pytest.raises(SourceFormatError, match="unrecognized entity `&lol9;`") as info:
        read_occupation_projections(path)
    assert str(info.value).startswith(str(path))


def test_oews_member_entity_expansion_fails_fast(tmp_path: Path) -> None:
    good = _xlsx_bytes([("Natsector_M2024_dl", [_oews_header(), *_oews_rows(2024)[:5]])])
    member = "oesm24in4/natsector_M2024_dl.xlsx"
    archive = _deterministic_zip(
        tmp_path / "oesm24in4.zip", [(member, _poison(good, "xl/worksheets/sheet1.xml"))]
    )
    with pytest.raises(SourceFormatError, match="unrecognized entity") as info:
        read_oews_industry_zip(archive)
    assert member in str(info.value)


# --- the published snapshot ------------------------------------------------------------------


def test_snapshot_is_read_only_on_disk_and_when_opened(tmp_path: Path) -> None:
    _, publish = _snapshot_with_roles(tmp_path, ["Role A"])
    snapshot = publish / "snapshot" / "outlook.duckdb"
    assert snapshot.stat().st_mode & 0o777 == 0o444
    with open_snapshot(snapshot) as con:
        assert con.execute("select count(*) from marts.role_outlook").fetchone()[0] == 1
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("delete from marts.role_outlook")
    if os.geteuid() != 0:  # root ignores file modes
        with pytest.raises(PermissionError):
            snapshot.open("ab")
