"""The wheel carries the resources (queries, styles, the sample, the rules), and works outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                        "-q", "-w", str(out)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {r.stderr.strip().splitlines()[-1:]}")
    return next(out.glob("*.whl"))


def test_wheel_contents(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    res = ROOT / "misalign_tui" / "resources"
    sql = {p.name for p in (res / "queries").glob("*.sql")}
    assert {f"misalign_tui/resources/queries/{n}" for n in sql} <= names
    assert {f"misalign_tui/resources/styles/{p.name}" for p in (res / "styles").glob("*.tcss")} <= names
    assert "misalign_tui/resources/sample_data/data/core/session_mapping.json" in names
    assert "misalign_tui/resources/rules.toml" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_runs_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    env = {**os.environ, "PYTHONPATH": str(target), "MISALIGN_TUI_CACHE": str(tmp_path / "cache")}
    work = tmp_path / "elsewhere"
    work.mkdir()
    r = subprocess.run([sys.executable, "-c", "import misalign_tui, sys; print(misalign_tui.__file__)"],
                       cwd=work, env=env, capture_output=True, text=True, check=True)
    assert r.stdout.strip().startswith(str(target))
    r = subprocess.run([sys.executable, "-m", "misalign_tui", "stats", "--json"], cwd=work, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["sessions"]["total"] == 300 and out["episodes"]["total"] > 100
