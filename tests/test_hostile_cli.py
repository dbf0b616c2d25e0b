"""Hostile identifiers on every CLI line: every command's stdout and stderr hold no raw control character when
keys, repository, agent, licence, category, reviewer names, tags, notes, round names and file names carry
escape sequences (through a pipe, and on a terminal, where only our own colour codes may appear). And one
structural rule that keeps it so: only ``cli/common.py`` prints."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from . import hostile_data as H
from .conftest import shared_build
from .hardening_util import ROOT, assert_one_line_error, cli, env

SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    corpus = shared_build(tmp_path_factory, "hostile", H.build)
    return corpus, corpus.parent / "ws.duckdb", corpus.parent / "src"


def round_name(ws: Path) -> str:
    from misalign_tui.data.workspace import ReviewStore
    from misalign_tui.data.workspace.coding import rounds

    return rounds(ReviewStore(ws))[0].name


CHARTS = ["monthly", "monthly-sessions", "symptom-share", "cause-share", "per-user-turn", "distribution:agent",
          "distribution:repo", "distribution:license", "distribution:source", "distribution:invalid_category",
          "sxc", "cooccurrence", "severity-locus", "symptom-resolver", "lift", "persistence"]


def commands(corpus: Path, ws: Path) -> dict[str, list]:
    w = ["--workspace", ws, "--reviewer", H.REVIEWER]
    every = "validation=VALID,INVALID,CANDIDATE"
    out = {
        "stats": ["stats", corpus, "--filter", f"agent={H.AGENT}"],
        "stats-json": ["stats", corpus, "--json", "--filter", f"license={H.LICENSE}"],
        "export-md": ["export", corpus, "--format", "md", "--filter", every],
        "export-csv": ["export", corpus, "--format", "csv", "--filter", every],
        "export-jsonl": ["export", corpus, "--format", "jsonl", "--filter", every],
        "search-ranked": ["search", corpus, "config"],
        "search-substring": ["search", corpus, "config", "--mode", "substring"],
        "search-regex": ["search", corpus, "conf.g", "--mode", "regex"],
        "search-json": ["search", corpus, "config", "--json"],
        "compare": ["compare", corpus, "--a", f"agent={H.AGENT}"],
        "detect-eval": ["detect-eval", corpus],
        "notes-export-md": ["notes", "export", corpus, "--format", "md", *w],
        "notes-export-csv": ["notes", "export", corpus, "--format", "csv", *w],
        "notes-export-jsonl": ["notes", "export", corpus, "--format", "jsonl", *w],
        "notes-orphans": ["notes", "orphans", corpus, *w],
        "notes-rounds": ["notes", "rounds", corpus, *w],
        "notes-agreement": ["notes", "agreement", corpus, "--round", round_name(ws), "--b", " ".join(H.OTHER.split()),
                            *w],
        "notes-where": ["notes", "where", corpus, *w],
        "migrate": ["migrate", corpus],
        "warn-filter": ["stats", corpus, "--filter", f"agent={H.AGENT}x"],  # open axis: a warning, exit 0
        "error-filter": ["stats", corpus, "--filter", f"symptom={H.AGENT}x"],  # closed axis: an error
        "error-path": ["stats", corpus.parent / f"missing{H.FILE_ID}.duckdb"],
    }
    for kind in CHARTS:
        f = ["--filter", "validation=VALID,INVALID"] if kind.endswith("invalid_category") else []
        out[f"chart-{kind}"] = ["chart", corpus, kind, "--since", "all", *f]
    return out


CASES = sorted([
    "stats", "stats-json", "export-md", "export-csv", "export-jsonl", "search-ranked", "search-substring",
    "search-regex", "search-json", "compare", "detect-eval", "notes-export-md", "notes-export-csv",
    "notes-export-jsonl", "notes-orphans", "notes-rounds", "notes-agreement", "notes-where", "migrate",
    "warn-filter", "error-filter", "error-path", *[f"chart-{k}" for k in CHARTS]])


@pytest.mark.parametrize("case", CASES)
def test_every_command_line_is_inert(case, hostile, capsys):
    corpus, ws, _ = hostile
    args = commands(corpus, ws)[case]
    code, out, err = cli(capsys, *args)
    if case.startswith("error-"):
        assert_one_line_error(code, err)
    else:
        assert code == 0, err
        assert out.strip() or case == "notes-orphans", "no output"
    H.assert_inert(out.replace("\r\n", "\n"), f"{case}: stdout")
    H.assert_inert(err, f"{case}: stderr")
    if case in ("stats", "warn-filter", "search-ranked", "compare", "notes-rounds", "notes-where", "chart-distribution:agent"):
        assert "\\x1b]52;c;ZXZpbA==" in out + err  # escaped, not dropped


def test_import_summary_names_files_inertly(hostile, tmp_path, capsys):
    """The import summary lists hostile transcript file names and folders; errors name hostile paths."""
    _, _, src = hostile
    code, out, err = cli(capsys, "import", src, "--out", tmp_path / "c.duckdb")
    assert code == 0, err
    assert "\\x1b]52;c;ZXZpbA==" in out  # the SpecStory file's name, escaped
    H.assert_inert(out + err, "import summary")
    evil = tmp_path / f"data{H.ID}"
    evil.mkdir()
    (evil / f"notes{H.ID}.txt").write_text("hello")
    code, out, err = cli(capsys, "import", evil, "--out", tmp_path / "d.duckdb")
    assert_one_line_error(code, err, "no importable files")
    H.assert_inert(err, "import error")


def test_migrate_of_an_old_corpus_with_hostile_path_and_sources(hostile, tmp_path, capsys):
    corpus, _, _ = hostile
    old = tmp_path / f"old{H.FILE_ID}.duckdb"
    shutil.copy(corpus, old)
    con = duckdb.connect(str(old))
    con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    con.execute("UPDATE meta SET value = ? WHERE key = 'sources'", [json.dumps({"src" + H.EVIL: 3})])
    con.close()
    code, out, err = cli(capsys, "migrate", old)
    assert code == 1, err
    assert "sources recorded" in out
    H.assert_inert(out + err, "migrate")


def test_parquet_export_and_sample_lines(hostile, tmp_path, capsys):
    corpus, _, _ = hostile
    code, out, err = cli(capsys, "export-parquet", corpus, tmp_path / f"pq{H.FILE_ID}")
    assert code == 0, err
    H.assert_inert(out + err, "export-parquet")
    code, out, err = cli(capsys, "stats", tmp_path / f"pq{H.FILE_ID}")
    assert code == 0, err
    H.assert_inert(out + err, "stats of the Parquet export")


# ----- on a terminal ------------------------------------------------------------------------------------
def on_a_terminal(*args) -> str:
    """``python -m misalign_tui ARGS`` with stdout and stderr on a pseudo-terminal; everything it wrote."""
    main, child = pty.openpty()
    p = subprocess.Popen([sys.executable, "-m", "misalign_tui", *map(str, args)], stdout=child, stderr=child,
                         stdin=subprocess.DEVNULL, env=env(COLUMNS="120", LINES="40"), cwd=str(ROOT))
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            p.kill()
            break
        try:
            data = os.read(main, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("args", [["chart", "{c}", "distribution:agent"], ["chart", "{c}", "distribution:repo"],
                                  ["search", "{c}", "config"], ["stats", "{c}"]],
                         ids=["chart-agent", "chart-repo", "search", "stats"])
def test_on_a_terminal_only_our_colours(args, hostile):
    """A terminal gets plotext's colours and the search highlight — and no other escape sequence."""
    corpus, _, _ = hostile
    text = on_a_terminal(*[a.format(c=corpus) if isinstance(a, str) else a for a in args])
    assert "Traceback" not in text and "error" not in text.lower()[:200], text[:2000]
    H.assert_inert(SGR.sub("", text).replace("\r\n", "\n"), " ".join(args[:3]) + " on a terminal")
    assert "\\x1b]52;c;ZXZpbA==" in text


# ----- the rule that keeps it so ---------------------------------------------------------------------------
def test_only_cli_common_prints():
    """Every CLI module prints through cli/common.py (say / tell / write_output), so no line escapes the
    safe-text path: no print(), sys.stdout / sys.stderr writes or builtin open() for output elsewhere."""
    offenders = []
    for f in sorted((ROOT / "misalign_tui" / "cli").glob("*.py")):
        if f.name == "common.py":
            continue
        for n, line in enumerate(f.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(r"\bprint\(|sys\.(stdout|stderr)\.write|\.write_text\(", code):
                offenders.append(f"{f.name}:{n}: {line.strip()}")
    assert not offenders, offenders


def test_notes_merge_lines_are_inert(hostile, tmp_path, capsys):
    """The merge report names reviewers and conflicting notes, which come from the files."""
    _, ws, _ = hostile
    other = tmp_path / f"b{H.FILE_ID}.review.duckdb"
    shutil.copy(ws, other)
    from misalign_tui.data.workspace import ReviewStore

    corpus, _, _ = hostile
    con = duckdb.connect(str(corpus), read_only=True)
    key = con.execute("SELECT min(episode_key) FROM episodes").fetchone()[0]
    con.close()
    ReviewStore(other, H.OTHER).save_note("a different note " + H.EVIL, key)  # a conflict the report names
    code, out, err = cli(capsys, "notes", "merge", ws, other, "--out", tmp_path / f"m{H.FILE_ID}.duckdb")
    assert code == 0, err
    assert "merged into" in out
    H.assert_inert(out + err, "notes merge")
