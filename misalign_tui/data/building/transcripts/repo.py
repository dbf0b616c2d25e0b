"""Which repository a transcript belongs to, from what the file records and where it lies.

In order of trust: a remote URL recorded in the transcript (Codex ``session_meta.git.repository_url``,
Claude Code ``pr-link`` entries) gives ``owner/name``; a local git checkout at the recorded working
directory gives its ``origin`` remote (``owner/name``) or its folder name; the working directory's
last component (worktree folders such as ``<repo>/.claude/worktrees/<x>`` and ``~/.codex/worktrees/<id>/<repo>``
resolved to the repository); then the file's location: ``<repo>/.specstory/history/`` for SpecStory (that
checkout's remote when it is one here) or the Claude Code project folder (``~/.claude/projects/-Users-me-src-repo``).
"""

from __future__ import annotations

import re
from pathlib import Path

_URL = re.compile(r"(?:[\w.+-]+://)?(?:[^@/\s]+@)?[\w.-]+(?::\d+)?[:/]+(?P<path>[^\s?#]+?)(?:\.git)?/?\s*$")
_REMOTE = re.compile(r'^\[remote "origin"\][^\[]*?^\s*url\s*=\s*(\S+)', re.M | re.S)


def repo_of_url(url) -> str | None:
    """``git@github.com:o/n.git``, ``https://host/o/n(.git)``, ``ssh://git@host:22/o/n`` -> ``o/n``."""
    if not isinstance(url, str) or not url.strip():
        return None
    m = _URL.match(url.strip())
    if not m:
        return None
    parts = [p for p in m.group("path").split("/") if p]
    return "/".join(parts[-2:]) if len(parts) >= 2 else None


def _split(path: str) -> list[str]:
    return [p for p in re.split(r"[\\/]+", path) if p]


def repo_of_cwd(cwd) -> str | None:
    """The repository of a working directory: a local checkout's remote, else the folder (worktrees resolved)."""
    if not isinstance(cwd, str) or not cwd.strip():
        return None
    local = repo_of_checkout(Path(cwd)) if Path(cwd).is_absolute() else None  # never relative to our cwd
    if local:
        return local
    parts = _split(cwd.strip())
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "worktrees" and i >= 1:
            if parts[i - 1] in (".claude", ".worktrees", ".git") and i >= 2:
                return parts[i - 2]  # <repo>/.claude/worktrees/<name>
            if parts[i - 1] == ".codex" and i + 2 < len(parts):
                return parts[i + 2]  # ~/.codex/worktrees/<id>/<repo>
    return parts[-1] if parts else None


def repo_of_checkout(start: Path) -> str | None:
    """``owner/name`` of the git checkout holding ``start`` (its origin remote), else its folder name; None
    when there is none on this machine."""
    try:
        p = start.resolve()
    except (OSError, RuntimeError):
        return None
    for d in [p, *p.parents][:40]:
        git = d / ".git"
        try:
            if git.is_dir():
                config = git / "config"
            elif git.is_file():  # a worktree: "gitdir: <main>/.git/worktrees/<name>"
                target = git.read_text(encoding="utf-8", errors="replace").partition("gitdir:")[2].strip()
                main = Path(target).parent.parent if "worktrees" in Path(target).parts else Path(target)
                config = (d / main if not main.is_absolute() else main) / "config"
                d = config.parent.parent
            else:
                continue
            text = config.read_text(encoding="utf-8", errors="replace") if config.is_file() else ""
        except OSError:
            return None
        m = _REMOTE.search(text)
        return (repo_of_url(m.group(1)) if m else None) or d.name or None
    return None


def repo_of_claude_project_dir(name: str | None) -> str | None:
    """``-Users-me-src-my-repo`` (the cwd with / replaced by -): the last component when the encoded path
    exists here, else what follows the home folder (``src-my-repo``: dashes are ambiguous)."""
    if not name or not name.startswith("-"):
        return name or None
    parts = name[1:].split("-")
    path = Path("/")
    i = 0
    while i < len(parts):  # greedily re-join dashes while the folders exist on this machine
        for j in range(len(parts), i, -1):
            cand = path / "-".join(parts[i:j])
            if cand.is_dir():
                path, i = cand, j
                break
        else:
            break
    if i == len(parts) and path != Path("/"):
        return path.name
    if len(parts) > 2 and parts[0] in ("Users", "home"):
        return "-".join(parts[2:]) or None
    return "-".join(parts) or None


def repo_of_location(path) -> str | None:
    """A SpecStory file under ``<repo>/.specstory/history/``: that checkout's ``owner/name`` (origin remote)
    when it is a git checkout here, else the folder name ``repo``."""
    p = Path(path)
    parts = p.parts
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == ".specstory":
            folder = Path(*parts[:i])
            if (folder / ".git").exists():
                return repo_of_checkout(folder) or parts[i - 1] or None
            return parts[i - 1] or None
    return None
