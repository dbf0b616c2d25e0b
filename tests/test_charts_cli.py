"""``misalign-tui chart``: plots as plain text, tables as Markdown, one-line errors with exit code 2."""

from __future__ import annotations

import pytest

from misalign_tui.cli import main
from misalign_tui.data.building.importer import run_import

from .test_charts_util import write_study


@pytest.fixture(scope="module")
def corpus_path(tmp_path_factory):
    src = tmp_path_factory.mktemp("chart_cli")
    write_study(src, sessions=300, seed=5)
    run_import([str(src)], src / "c.duckdb")
    return str(src / "c.duckdb")


@pytest.mark.parametrize("kind", ["monthly", "monthly-sessions", "symptom-share", "cause-share", "per-user-turn",
                                  "distribution:severity", "distribution:agent"])
def test_plain_plot_has_no_escape_codes(corpus_path, capsys, kind):
    assert main(["chart", corpus_path, kind, "--plain", "--width", "80", "--height", "20"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    lines = out.splitlines()
    assert max(len(ln) for ln in lines[:20]) <= 80
    assert "n = " in lines[0] and "Filters: validation = VALID (default)" in out


def test_filters_and_out_file(corpus_path, capsys, tmp_path):
    out = tmp_path / "plot.txt"
    assert main(["chart", corpus_path, "monthly", "--filter", "platform=CLI", "--out", str(out),
                 "--width", "90", "--height", "22"]) == 0
    text = out.read_text()
    assert "\x1b" not in text and "platform = CLI" in text and "CLI" in text.splitlines()[2]
    assert "IDE" not in text.split("Filters:")[0]
    assert "wrote" in capsys.readouterr().err


def test_colour_only_on_a_terminal(corpus_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["chart", corpus_path, "monthly", "--width", "80"]) == 0
    assert "\x1b[" in capsys.readouterr().out


@pytest.mark.parametrize("kind,head", [
    ("sxc", "### Symptom × cause"), ("cooccurrence", "### Symptom co-occurrence (pairs)"),
    ("cooccurrence:jaccard", "### Symptom co-occurrence: Jaccard"), ("severity-locus", "### Damage severity"),
    ("symptom-resolver", "### Symptom × resolver"), ("lift", "### Session-level symptom lift (pairs)"),
    ("lift:lift", "### Session-level symptom co-occurrence: lift"), ("persistence", "### Persistence"),
])
def test_tables_print_markdown(corpus_path, capsys, kind, head):
    assert main(["chart", corpus_path, kind, "--filter", "symptom=S1,S2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(head) and "symptom ∈ {S1, S2}" in out and "|---:" in out


def test_chart_numbers_as_markdown(corpus_path, capsys):
    assert main(["chart", corpus_path, "per-user-turn", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### Misalignments per user turn") and "| Month | All sessions |" in out


@pytest.mark.parametrize("args,msg", [
    (["pie"], "unknown chart kind"),
    (["distribution:colour"], "unknown axis"),
    (["cooccurrence:cosine"], "unknown metric"),
    (["monthly", "--filter", "platform=TV"], "unknown value"),
    (["monthly", "--filter", "nope=1"], "unknown axis"),
    (["symptom-share", "--since", "2025-02-30"], "expected a date"),
    (["monthly", "--width", "5"], "--width"),
])
def test_errors_are_one_line_exit_2(corpus_path, capsys, args, msg):
    assert main(["chart", corpus_path, *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and msg in err and err.count("\n") == 1


def test_missing_corpus(capsys, tmp_path):
    assert main(["chart", str(tmp_path / "none.duckdb"), "monthly"]) == 2
    assert "error:" in capsys.readouterr().err


def test_data_layer_and_cli_plotting_never_import_textual_or_rich():
    import subprocess
    import sys

    code = ("import sys, misalign_tui.data.reading.charts, misalign_tui.data.reading.compare, misalign_tui.cli.charts, "
            "misalign_tui.plots; "
            "bad=[m for m in sys.modules if m.split('.')[0] in ('textual','rich')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
