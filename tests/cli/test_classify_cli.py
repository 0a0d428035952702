"""`outlook classify` and `outlook eval-titles` over the demo warehouse."""

from __future__ import annotations

import csv
from pathlib import Path

from outlook.cli.main import main


def run(capsys, demo_settings, *args: str) -> tuple[int, str]:
    code = main([*args, "--db", str(demo_settings.db)])
    return code, capsys.readouterr().out


def test_single_title(capsys, demo_settings) -> None:
    code, out = run(
        capsys,
        demo_settings,
        "classify",
        "Director, Quality & Performance Improvement - Req #4821",
        "--naics",
        "622110",
    )
    assert code == 0
    assert "Performance Improvement Director" in out and "11-" in out


def test_edge_titles_are_unclassified_with_a_reason(capsys, demo_settings) -> None:
    for title, reason in (
        ("   ", "empty title"),
        ("x" * 5000, "too long"),
        ("看護師", "no Latin letters"),
    ):
        code, out = run(capsys, demo_settings, "classify", title)
        assert code == 0 and "unclassified" in out and reason in out


def test_file_mode_keeps_input_order(capsys, demo_settings, tmp_path: Path) -> None:
    titles = [
        "PI Director",
        "Registered Nurse",
        "",
        "Director of Performance Marketing",
        "PI Director",
    ]
    src = tmp_path / "in.csv"
    src.write_text("title\n" + "\n".join(f'"{t}"' for t in titles) + "\n")
    out = tmp_path / "out.csv"
    code, _ = run(
        capsys,
        demo_settings,
        "classify",
        "--file",
        str(src),
        "--column",
        "title",
        "--out",
        str(out),
    )
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    assert [r["title"] for r in rows] == titles
    # the README promises the runner-up, and method/reason say how each code was reached
    assert list(rows[0]) == [
        "title",
        "onet_soc_code",
        "soc_code",
        "soc_title",
        "confidence",
        "runner_up_onet_soc_code",
        "runner_up_confidence",
        "method",
        "reason",
        "role",
    ]
    assert rows[1]["runner_up_onet_soc_code"] and rows[1]["method"]
    assert rows[2]["method"] == "unclassified" and rows[2]["reason"] == "empty title"
    assert rows[0]["role"] == rows[4]["role"] == "Performance Improvement Director"
    assert rows[3]["role"] != "Performance Improvement Director"


def test_eval_titles_reports_levels_and_bands(capsys, demo_settings, tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "title,onet_soc_code\nRegistered Nurse,29-1141.00\nSenior Software Engineer,15-1252.00\n"
    )
    code, out = run(capsys, demo_settings, "eval-titles", str(labelled))
    assert code == 0
    assert "detailed SOC accuracy    1.000" in out and "by confidence band" in out


def test_file_mode_escapes_formula_cells(capsys, demo_settings, tmp_path: Path) -> None:
    """CSV injection: a title anyone can post must not run as a formula in a spreadsheet."""
    hostile = [
        '=HYPERLINK("http://evil.example","Registered Nurse")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\tRegistered Nurse",
        "\rRegistered Nurse",
        "Registered Nurse",
    ]
    src = tmp_path / "in.csv"
    with src.open("w", newline="") as handle:
        csv.writer(handle).writerows([["title"], *[[t] for t in hostile]])
    out = tmp_path / "out.csv"
    code, _ = run(capsys, demo_settings, "classify", "--file", str(src), "--out", str(out))
    assert code == 0
    rows = list(csv.DictReader(out.open(newline="")))
    assert [r["title"] for r in rows] == ["'" + t for t in hostile[:-1]] + ["Registered Nurse"]
    for row in rows:
        assert all(not v or v[0] not in "=+-@\t\r" for v in row.values()), row


def test_top_three_with_probabilities(capsys, demo_settings) -> None:
    import json

    code, out = run(capsys, demo_settings, "classify", "Backend Engineer", "--top", "3")
    assert code == 0
    lines = out.splitlines()
    at = lines.index("top 3:")
    rows = [line.split() for line in lines[at + 2 : at + 5]]
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert rows[0][1].startswith("15-1")  # a software occupation, not Civil Engineers
    assert float(rows[0][2]) >= float(rows[1][2]) >= float(rows[2][2])
    code, out = run(
        capsys, demo_settings, "classify", "Backend Engineer", "--top", "3", "--format", "json"
    )
    answer = json.loads(out)
    assert code == 0 and [c["rank"] for c in answer["candidates"]] == [1, 2, 3]
    assert answer["candidates"][0]["onet_soc_code"] == answer["onet_soc_code"]
    assert answer["candidates"][0]["probability"] == answer["confidence"]
    assert sum(c["probability"] for c in answer["candidates"]) <= 1.0001
    # the default stays one answer, no candidate table
    code, out = run(capsys, demo_settings, "classify", "Backend Engineer")
    assert code == 0 and "top " not in out


def test_abstain_below_answers_too_generic(capsys, demo_settings) -> None:
    import pytest

    code, out = run(capsys, demo_settings, "classify", "Director", "--abstain-below", "0.5")
    assert code == 0 and "unclassified: too generic" in out
    with pytest.raises(SystemExit) as exit_:  # argparse refuses before any work
        run(capsys, demo_settings, "classify", "Director", "--top", "9")
    assert exit_.value.code == 2


def test_file_mode_top_k_adds_ranks_two_to_k_as_columns(capsys, demo_settings, tmp_path) -> None:
    import csv

    src = tmp_path / "in.csv"
    src.write_text('title\nBackend Engineer\n""\nRegistered Nurse\n')
    out = tmp_path / "out.csv"
    args = ("classify", "--file", str(src), "--out", str(out), "--top", "3")
    code, _ = run(capsys, demo_settings, *args)
    assert code == 0
    rows = list(csv.DictReader(out.open(newline="")))
    assert [r["title"] for r in rows] == ["Backend Engineer", "", "Registered Nurse"]
    for rank in (2, 3):
        assert {f"top{rank}_onet_soc_code", f"top{rank}_probability"} <= set(rows[0])
    first = rows[0]
    # rank 2 is the runner-up; probabilities fall with rank and stay under the answer's
    assert first["top2_onet_soc_code"] == first["runner_up_onet_soc_code"]
    assert float(first["confidence"]) >= float(first["top2_probability"])
    assert float(first["top2_probability"]) >= float(first["top3_probability"])
    assert rows[1]["top2_onet_soc_code"] == ""  # an empty title has no candidates
    code, _ = run(capsys, demo_settings, *args, "--format", "json")
    assert code == 2
