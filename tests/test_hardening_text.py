"""Hostile text in transcripts, episode names, agents and file names never drives the terminal: the CLI's
plain output (export md/csv to stdout, search, stats, import summaries, errors) carries no raw ESC, BEL,
C0/C1 control or bidi override when stdout is not a terminal. JSON keeps the data (escaped), CSV files
written with --out keep it verbatim."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest

from .hardening_util import cli, run_cli

NASTY = ("\x1b[31mred\x1b[0m \x1b]52;c;cHduZWQ=\x07 \x1b]0;pwned\x07 \x1bP+q\x1b\\ \x07bell \x08bs \x9b31m \x85nel "
         "\x90dcs \u202eevil\u202c \u2066iso\u2069 [bold red]x[/] [link=file:///etc]y[/link] \x7fdel \rcr \x00nul ")
LONG = "L" * 200_000
# C0 except \t and \n, DEL, C1, bidi embeddings / overrides / isolates / marks
csv.field_size_limit(1 << 24)  # the 200,000-character descriptions
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def assert_inert(text: str, what: str) -> None:
    bad = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(text)})
    assert not bad, f"{what}: raw control characters reach stdout: {bad}"


@pytest.fixture(scope="module")
def nasty(tmp_path_factory):
    """A 20-session sample whose every free-text field (and agent / licence) carries hostile text."""
    from misalign_tui.data.building.importer import run_import
    from misalign_tui.data.building.sample import generate

    d = tmp_path_factory.mktemp("nasty")
    src = d / "src"
    generate(src, sessions=20, seed=3)
    atlas = src / "atlas" / "misalignments.jsonl"
    recs = [json.loads(line) for line in atlas.read_text().splitlines()]
    for r in recs:
        r.update(name="name " + NASTY, description="desc " + NASTY + LONG, symptom_reasoning="why " + NASTY,
                 evidence=[{"turn": "TURN 1 | USER", "quote": "config " + NASTY, "context": "ctx " + NASTY}])
    atlas.write_text("".join(json.dumps(r) + "\n" for r in recs))
    for name in ("session_mapping.json", "annotated_misalignments.json", "validated_misalignments.json"):
        p = src / "data" / "core" / name
        rows = json.loads(p.read_text())
        for r in rows:
            r.update(agent="Agent\x1b]0;pwned\x07\u202e", license_type="MIT\x1b[2J\x9b")
        p.write_text(json.dumps(rows))
    for f in (src / "workspace").rglob("*.json"):
        s = json.loads(f.read_text())
        s["title"] = "T " + NASTY
        for m in s["messages"]:
            m["content"] = "config " + NASTY + "\n" + m["content"]
        f.write_text(json.dumps(s))
    out = d / "nasty.duckdb"
    run_import([str(src)], out)
    return {"src": src, "corpus": out, "names": {r["name"] for r in recs}}


@pytest.mark.parametrize("fmt", ["md", "csv", "jsonl"])
def test_export_to_stdout_is_inert(fmt, nasty, capsys):
    code, out, err = cli(capsys, "export", nasty["corpus"], "--format", fmt)
    assert code == 0, err
    assert out.count("\n") > 5
    assert_inert(out.replace("\r\n", "\n") if fmt == "csv" else out, f"export --format {fmt}")
    assert "\\x1b]52;c;" in out or "\\u001b]52;c;" in out  # escaped, not dropped
    assert LONG in out  # long lines are kept whole
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows[0]) == len(rows[1])


def test_jsonl_keeps_the_data_exactly(nasty, capsys, tmp_path):
    """JSON lines escape controls as \\u sequences: parsing gives back the very same strings."""
    _, out, _ = cli(capsys, "export", nasty["corpus"], "--format", "jsonl")
    recs = [json.loads(line) for line in out.splitlines()]
    assert {r["name"] for r in recs} - {None} == nasty["names"]
    assert cli(capsys, "export", nasty["corpus"], "--format", "jsonl", "--out", tmp_path / "x.jsonl")[0] == 0
    assert (tmp_path / "x.jsonl").read_text() == out


def test_csv_file_keeps_the_data_verbatim_md_file_is_escaped(nasty, capsys, tmp_path):
    assert cli(capsys, "export", nasty["corpus"], "--format", "csv", "--out", tmp_path / "x.csv")[0] == 0
    rows = list(csv.DictReader(open(tmp_path / "x.csv", newline="", encoding="utf-8")))
    assert {r["name"] for r in rows} - {""} == nasty["names"]
    assert cli(capsys, "export", nasty["corpus"], "--format", "md", "--out", tmp_path / "x.md")[0] == 0
    assert_inert((tmp_path / "x.md").read_text(), "export --format md --out")


@pytest.mark.parametrize("mode", ["ranked", "substring", "regex"])
def test_search_output_is_inert(mode, nasty, capsys):
    code, out, err = cli(capsys, "search", nasty["corpus"], "config", "--mode", mode, "--limit", "20")
    assert code == 0, err
    assert out.count("\n") >= 10
    assert_inert(out, f"search --mode {mode}")
    assert_inert(err, "search summary")


@pytest.mark.parametrize("flags", [[], ["--json"], ["--search", "config"]])
def test_stats_output_is_inert(flags, nasty, capsys):
    code, out, err = cli(capsys, "stats", nasty["corpus"], *flags)
    assert code == 0, err
    assert "Agent" in out
    assert_inert(out, f"stats {flags}")


def test_import_summary_and_errors_are_inert(nasty, tmp_path, capsys):
    src = tmp_path / "src"
    shutil.copytree(nasty["src"], src)
    code, out, err = cli(capsys, "import", src, "--out", tmp_path / "c.duckdb")
    assert code == 0, err
    assert_inert(out, "import summary")
    evil = src / "data" / "core" / "annotated_misalignments\x1b]0;pwned\x07.json"
    evil.write_text("[{")
    code, out, err = cli(capsys, "import", src, "--out", tmp_path / "d.duckdb")
    assert code == 2 and err.count("\n") == 1
    assert "\\x1b]0;pwned\\x07" in err
    assert_inert(err, "error line")


def test_subprocess_export_and_search_bytes(nasty):
    """Through a real pipe: the bytes on stdout hold no ESC, BEL or C1 control."""
    for args in (["export", nasty["corpus"], "--format", "md"], ["export", nasty["corpus"], "--format", "csv"],
                 ["search", nasty["corpus"], "config"], ["stats", nasty["corpus"]]):
        r = run_cli(*args)
        assert r.returncode == 0, r.stderr
        assert_inert(r.stdout.replace("\r\n", "\n"), " ".join(map(str, args[:3])))
        assert "Traceback" not in r.stderr
