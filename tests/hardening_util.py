"""Helpers of the hardening tests: file hashes, one-line error checks, subprocess runs, permission tricks."""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from misalign_tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def sha(p: Path) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def snapshot(*paths: Path) -> dict[str, str]:
    """sha256 of every file under ``paths`` (files or folders), to prove inputs are untouched."""
    out = {}
    for p in map(Path, paths):
        files = [f for f in p.rglob("*") if f.is_file()] if p.is_dir() else [p] if p.exists() else []
        for f in files:
            try:
                out[str(f)] = sha(f)
            except PermissionError:
                out[str(f)] = f"unreadable {f.stat().st_size} {f.stat().st_mtime_ns}"
    return out


def cli(capsys, *args) -> tuple[int, str, str]:
    """Run ``misalign_tui.cli.main`` in-process; (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out, cap.err


def assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, (code, err)
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    for n in needles:
        assert n in err, (n, err)


def env(**extra) -> dict[str, str]:
    e = {**os.environ, "PYTHONPATH": str(ROOT)}
    e.pop("MISALIGN_TUI_DEBUG", None)
    e.update({k: str(v) for k, v in extra.items()})
    return e


def run_cli(*args, timeout: float = 120, preexec_fn=None, **extra_env) -> subprocess.CompletedProcess:
    """``python -m misalign_tui ARGS`` in a real subprocess (stdout is a pipe, never a terminal)."""
    return subprocess.run([sys.executable, "-m", "misalign_tui", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env(**extra_env), preexec_fn=preexec_fn, cwd=str(ROOT))


def assert_clean_failure(r: subprocess.CompletedProcess, *needles: str) -> None:
    """A subprocess failed the way a user should see it: one ``error:`` line, exit 2, no traceback."""
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr, r.stderr[-2000:]
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr[-2000:]
    for n in needles:
        assert n in r.stderr, (n, r.stderr)


def _drop_dac() -> None:
    """preexec_fn: drop the capabilities that let root ignore file permissions (for the exec'd child)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def permission_preexec():
    """A preexec_fn under which chmod'ed files are really unreadable, or skip.

    Not root: permissions apply anyway (None). Root: drop CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH from
    the bounding set so the child, though uid 0, obeys mode bits; skip when the kernel refuses.
    """
    if os.geteuid() != 0:
        return None
    probe = subprocess.run([sys.executable, "-c", "import sys; open(sys.argv[1]).read()", "/proc/self/status"],
                           capture_output=True, preexec_fn=_drop_dac)
    if probe.returncode != 0:
        pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE: permissions are not enforced")
    return _drop_dac


def no_temp_files(folder: Path, name: str) -> list[str]:
    """Leftover temp files of an import of ``folder/name``."""
    return [f for f in os.listdir(folder) if f.startswith(f".{name}")]
