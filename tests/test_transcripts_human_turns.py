"""What counts as a human turn, on the dev set's real files: generated text is agent-side, typed text is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from misalign_tui.data.building.transcripts.formats import parse_file
from misalign_tui.data.building.transcripts.injected import user_message_kind
from misalign_tui.data.building.transcripts.model import AUTO, COMMAND, SUMMARY, TEXT, THINKING
from misalign_tui.data.building.transcripts.repo import (repo_of_checkout, repo_of_claude_project_dir, repo_of_cwd,
                                                repo_of_location, repo_of_url)

DEV = Path(__file__).parent / "fixtures" / "real" / "transcripts"


def main(name: str):
    [path] = [p for p in DEV.rglob("*") if p.name.startswith(name)]
    return next(t for t in parse_file(path) if not t.parent_session)


def users(t) -> list[str]:
    return [m.text for m in t.messages if m.role == "user"]


def test_claude_code_queued_messages_are_human_turns_and_task_notifications_are_not():
    t = main("moredip__session-share__0ccf1a04")
    typed = [m for m in t.messages if m.role == "user" and m.kind == TEXT]
    texts = [m.text for m in typed]
    assert "is the 3rd tool still running?" in texts and "??" in texts and "are they still being written?" in texts
    assert texts.count("??") == 1  # enqueued then popped: listed once
    notes = [m for m in t.messages if m.text.lstrip().startswith("<task-notification>")]
    assert notes and all((m.role, m.kind) == ("agent", AUTO) for m in notes)


def test_claude_code_other_sessions_and_skill_bodies_are_agent_side():
    t = main("teslamint__entirecontext__01M0CV5D")
    assert not [u for u in users(t) if u.startswith(("Another Claude session sent a message:",
                                                      "Base directory for this skill:", "<task-notification>"))]
    assert any(m.kind == AUTO and m.text.startswith("Another Claude session") for m in t.messages)
    assert t.project == "teslamint/entirecontext"  # from the pr-link entry


def test_claude_code_answers_to_the_agents_questions_are_listed():
    t = main("yutakobayashidev__repiq__7c-d0d43dbbb1")
    answers = [m for m in t.messages if m.role == "user" and m.text.startswith("Answer: ")]
    assert answers and all(m.kind == TEXT for m in answers)
    assert any("GitHub + npm" in m.text for m in answers)


def test_specstory_answers_skill_bodies_and_commands():
    t = main("yixian-huang__cocli__2026-05-21_06-41-36Z")
    assert "Answer: Stores-only (推荐)" in users(t)
    assert not [u for u in users(t) if u.startswith("Base directory for this skill:")]
    t = main("specstoryai__keyframe-blogger__2025-07-10_23-43-52Z")
    kinds = [(m.role, m.kind) for m in t.messages if "<bash-" in m.text[:20]]
    assert kinds[:4] == [("user", COMMAND), ("agent", AUTO), ("user", COMMAND), ("agent", AUTO)]


def test_specstory_vscode_terminal_notifications_and_the_merged_thinking_block():
    t = main("nndeploy__nndeploy__2026-07-10_06-31-54Z")
    assert not [u for u in users(t) if u.startswith("[Terminal ")]
    assert not [u for u in users(t) if "Thought Process" in u or "根据构建输出" in u]
    think = [m for m in t.messages if m.kind == THINKING and m.text.startswith("根据构建输出，SAM插件")]
    assert think and think[0].role == "agent"


def test_specstory_cursor_plan_mode_and_continuation_summaries():
    t = main("BillWan-zzzyyy__alpamayo__2026-02-21_05-56Z")
    assert not [u for u in users(t) if u.startswith("Implement the plan as specified")]
    t = main("specstoryai__zero-to-product-video-hero__2025-07-28_20-14-15Z")
    [s] = [m for m in t.messages if m.text.startswith("This session is being continued")]
    assert (s.role, s.kind) == ("agent", SUMMARY)


def test_codex_injections_are_agent_side_and_the_repository_comes_from_git():
    t = main("entireio__git-sync__00-2f876fb8bb")
    assert not [u for u in users(t) if u.lstrip().startswith(("<environment_context>", "# AGENTS.md"))]
    assert t.project == "entirehq/git-sync"  # session_meta.git.repository_url
    assert main("jdx__mise__26-a509331699").project == "jdx/mise"


def test_newer_entry_types_are_counted_as_skipped_by_design():
    t = main("yutakobayashidev__repiq__7c-d0d43dbbb1")
    design = [k for k in t.skipped if k.startswith("not imported by design:")]
    assert any("progress" in k for k in design)
    assert not [k for k in t.skipped if k.startswith("unknown type")]
    t = main("teslamint__entirecontext__01M05RN3X2")  # Codex 0.147: world_state lines
    assert any("world_state" in k for k in t.skipped) and not [k for k in t.skipped if k.startswith("unknown")]


@pytest.mark.parametrize("text,expected", [
    ("no, that's wrong", ("user", TEXT)),
    ("<bash-input>ls</bash-input>", ("user", COMMAND)),
    ("<user_shell_command>ls</user_shell_command>", ("user", COMMAND)),
    ("/clear", ("user", COMMAND)),
    ("<bash-stdout>x</bash-stdout>", ("agent", AUTO)),
    ("<recommended_plugins>a</recommended_plugins>", ("agent", AUTO)),
    ("[Terminal 3ad710f5-ec4c-486e notification: command completed.]", ("agent", AUTO)),
    ("This session is being continued from a previous conversation that ran out of context.", ("agent", SUMMARY)),
])
def test_user_message_kind(text, expected):
    assert user_message_kind(text) == expected


def test_repository_names(tmp_path):
    assert repo_of_url("git@github.com:entirehq/git-sync.git") == "entirehq/git-sync"
    assert repo_of_url("https://github.com/jdx/mise.git") == "jdx/mise"
    assert repo_of_url("ssh://git@gitlab.example.com:2222/group/proj") == "group/proj"
    assert repo_of_url("") is None and repo_of_url("nonsense") is None
    assert repo_of_cwd("/nowhere/u/src/shop/.claude/worktrees/fix-1") == "shop"
    assert repo_of_cwd("/nowhere/u/.codex/worktrees/9408/mise") == "mise"
    assert repo_of_cwd("C:\\nowhere\\code\\app") == "app"
    assert repo_of_claude_project_dir("-nowhere-alice-src-my-app") == "nowhere-alice-src-my-app"
    assert repo_of_claude_project_dir("-Users-alice-my-app") == "my-app"
    checkout = tmp_path / "work" / "shop"
    (checkout / ".git").mkdir(parents=True)
    (checkout / ".git" / "config").write_text('[core]\n\tbare = false\n[remote "origin"]\n'
                                              '\turl = git@github.com:acme/shop.git\n', encoding="utf-8")
    (checkout / ".specstory" / "history").mkdir(parents=True)
    assert repo_of_checkout(checkout / "src") == "acme/shop"
    assert repo_of_cwd(str(checkout)) == "acme/shop"
    assert repo_of_location(checkout / ".specstory" / "history" / "x.md") == "acme/shop"
    assert repo_of_location(tmp_path / "plain" / ".specstory" / "history" / "x.md") == "plain"
    enc = "-" + str(checkout).strip("/").replace("/", "-")
    assert repo_of_claude_project_dir(enc) == "shop"  # the folders exist here: dashes resolved
