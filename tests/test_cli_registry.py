"""The command line has one registry of subcommands: ``--help`` lists them all without loading their
modules, every subcommand's ``--help`` works, and every error (``bench`` too) is one line with exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from misalign_tui.cli import COMMANDS, main

from .hardening_util import assert_one_line_error, cli


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    words = " ".join(capsys.readouterr().out.split())
    for name, cmd in COMMANDS.items():
        assert f" {name} " in words and cmd.summary.split(" (")[0] in words, name


@pytest.mark.parametrize("name", [*COMMANDS, *(a for c in COMMANDS.values() for a in c.aliases)])
def test_every_command_has_help(name, capsys):
    with pytest.raises(SystemExit) as e:
        main([name, "--help"])
    assert e.value.code == 0
    assert capsys.readouterr().out.startswith("usage: misalign-tui ")


def test_help_loads_no_command_module():
    code = ("import sys; from misalign_tui.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('duckdb', 'textual', 'rich', 'plotext')\n"
            "         or m.startswith('misalign_tui.cli.') and m != 'misalign_tui.cli.common']\n"
            "sys.stderr.write(repr(heavy)); sys.exit(1 if heavy else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args, needle", [
    (["bench", "--scales", "x"], "--scales"),
    (["bench", "--scales", "0"], "above 0"),
    (["bench", "--repeat", "0"], "--repeat"),
    (["bench", "--bogus"], "unrecognized arguments"),
    (["no-such-file.duckdb"], "no such file"),
    (["notes"], "required"),
])
def test_errors_are_one_line_with_exit_code_2(args, needle, capsys):
    code, _, err = cli(capsys, *args)
    assert_one_line_error(code, err, needle)
