"""The pushback model's cues, detect-eval --labels (exact counts on a hand-made corpus), label re-attachment,
the dev-set split, reproducible weights, and all sessions reachable through the data layer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from misalign_tui.data.reading.corpus import Corpus
from misalign_tui.data.building.pushback.signals import detect, pushback_score
from misalign_tui.data.errors import CorpusError
from misalign_tui.data.building.importer import run_import
from misalign_tui.data.building.pushback.evaluate import HumanTurn, attach, evaluate, report, turns_from_files
from misalign_tui.data.building.pushback.labels import Label, load_labels, repo_of, split_of
from misalign_tui.data.reading.sessions_overview import sessions_overview
from misalign_tui.data.turns import merge_turns

REAL = Path(__file__).parent / "fixtures" / "real"
ROOT = Path(__file__).resolve().parents[1]


def flagged(text: str) -> bool:
    return pushback_score(text)[1] is not None


@pytest.mark.parametrize("text", [
    "no, that's not what I asked for", "why did you delete the config?", "still erroring, check the log",
    "I said USE uv pip", "revert that", "are you sure? check it", "where did you get that? it's not in the file",
    "you keep working in the wrong folder", "the same errors are still there", "stop",
    "不对，还是不行", "为什么你把配置删了？", "还是报错", "不要改这个文件", "撤销刚才的修改",  # Chinese
    "違う、そうじゃなくて", "まだ動かない",  # Japanese
    "não funciona, ainda dá erro", "eu disse para não mudar isso",  # Portuguese
    "no funciona, sigue fallando", "te dije que no",  # Spanish
    "das ist falsch, funktioniert immer noch nicht",  # German
    "ça ne marche pas, toujours pas",  # French
    "아니, 여전히 안돼",  # Korean
    "nadal nie działa, dlaczego?",  # Polish
    # ordinary English corrections
    "make it a bit faster", "that's not it", "now the sidebar is broken", "it's still doing the same thing",
    "you forgot the tests", "this is the same as before", "hmm, the header is cut off",
    "I don't see a change", "where did the footer go?", "you were supposed to use the existing helper",
])
def test_pushback_cues_in_many_languages(text):
    assert flagged(text), pushback_score(text)


@pytest.mark.parametrize("text", [
    "It's wrong in the upstream docs too, so don't worry about it.",  # flagged wrongly by the old rules
    "Please add a README section about installation", "commit", "looks good, thanks!",
    "Implement the following plan: add a --json flag to the export command", "谢谢，请继续下一步",
    "how do I install it again?", "Great, thanks! Now add the CSV export",
    "For the code present, we get this error: ``` Remove this redundant jump. ``` How can I resolve this?",
    'Answer: "Which layout?"="Two columns"',
])
def test_ordinary_turns_are_not_pushback(text):
    assert not flagged(text), pushback_score(text)


def test_flags_explain_the_cue_and_the_context():
    turns = merge_turns([("user", "add a retry to the fetch"), ("assistant", "Done — all tests pass ✅"),
                         ("user", "still failing, same error")])
    [sig] = [s for s in detect(turns) if s.kind == "pushback"]
    assert sig.turn_no == 3 and "failing, same error”" in sig.cue  # the cue, quoting the turn


def _agent(text: str, tools: bool = False):
    from misalign_tui.data.building.transcripts.model import Message

    return Message("agent", text), *([Message("agent", "", "tool_call", tool_name="Edit")] if tools else [])


def test_context_error_log_after_the_agents_change_and_after_a_cancel():
    from misalign_tui.data.building.pushback.features import SessionFeatures, context_of
    from types import SimpleNamespace

    claimed = SimpleNamespace(text="x", extra=list(_agent("Fixed the import. The build should now work ✅", True)))
    cancelled = SimpleNamespace(text="x", extra=list(_agent("Let me install it with pip:\n\n---\n\nCancelled")))
    asked = SimpleNamespace(text="x", extra=list(_agent("Should I also update the docs? Would you like me to?")))
    assert {"prev_claim", "prev_tools"} <= set(context_of(claimed))
    assert "prev_cancelled" in context_of(cancelled) and "prev_asks" in context_of(asked)
    x, _ = SessionFeatures().turn("Traceback (most recent call last):\n  File x.py\nImportError: no module", claimed)
    assert x.get("error_after_change")
    x, _ = SessionFeatures().turn("Traceback (most recent call last):\n  File x.py\nImportError: no module", asked)
    assert not x.get("error_after_change")


def test_opening_request_after_injected_instructions_is_not_pushback():
    from misalign_tui.data.building.pushback.model import human_turns
    from misalign_tui.data.building.transcripts.model import Message
    from types import SimpleNamespace

    injected = SimpleNamespace(turn_no=1, role="AGENT", text="AGENTS.md", extra=[Message("agent", "AGENTS.md", "automatic")])
    ask = SimpleNamespace(turn_no=2, role="USER", text="why is CI failing?", extra=[Message("user", "why is CI failing?")])
    [(_t, _text, x, _hits)] = list(human_turns([injected, ask]))
    assert x is None


def test_the_opening_request_and_commands_are_never_flagged():
    turns = merge_turns([("user", "no, why did you do that? revert it")])
    assert not [s for s in detect(turns) if s.kind == "pushback"]


def _write_session(path: Path, user_texts: list[str]) -> None:
    lines = []
    for i, u in enumerate(user_texts):
        lines.append(f"_**User (2025-01-01 10:{i:02d}Z)**_\n\n{u}\n\n---\n")
        lines.append(f"_**Assistant (2025-01-01 10:{i:02d}Z)**_\n\nDone, I changed the code.\n\n---\n")
    path.write_text("<!-- Generated by SpecStory -->\n\n# T (2025-01-01 10:00Z)\n\n" + "\n".join(lines),
                    encoding="utf-8")


@pytest.fixture()
def hand_made(tmp_path):
    """Two sessions, labels computed by hand: see the expected counts in the tests."""
    root = tmp_path / "t"
    (root / "specstory").mkdir(parents=True)
    _write_session(root / "specstory" / "acme__shop__a.md",
                   ["add a login page", "no, that's wrong, revert it", "ok now add tests", "why did you delete the tests?"])
    _write_session(root / "specstory" / "acme__shop__b.md",
                   ["write a README", "please also add a licence section", "still broken"])
    labels = tmp_path / "labels.tsv"
    labels.write_text("file\tordinal\tlabel\tanchor\treason\n"
                      "specstory/acme__shop__a.md\t1\tnot\tadd a login page\trequest\n"
                      "specstory/acme__shop__a.md\t2\tpushback\tthat's wrong\tcorrection\n"
                      "specstory/acme__shop__a.md\t3\tpushback\tok now add tests\tlabelled pushback: a miss\n"
                      "specstory/acme__shop__a.md\t4\tunsure\tdelete the tests\tunsure is excluded\n"
                      "specstory/acme__shop__b.md\t1\tnot\twrite a README\trequest\n"
                      "specstory/acme__shop__b.md\t2\tnot\tlicence section\tfollow-up\n"
                      "specstory/acme__shop__b.md\t5\tpushback\tstill broken\twrong ordinal: re-attached by anchor\n"
                      "specstory/acme__shop__b.md\t4\tnot\tgone text\tno such turn\n", encoding="utf-8")
    return root, labels


def test_detect_eval_labels_exact_counts(hand_made):
    root, labels = hand_made
    r = report(evaluate(load_labels(labels), turns_from_files([str(root)])))
    # a#2 flagged (tp), a#3 not flagged (fn), a#4 unsure, a#1/b#1/b#2 not flagged (tn), b#3 flagged (tp)
    assert (r["tp"], r["fp"], r["fn"], r["tn"], r["unsure"]) == (2, 0, 1, 3, 1)
    assert r["precision"] == 1.0 and r["recall"] == pytest.approx(2 / 3)
    assert r["attached_by_anchor"] == 1
    assert [(u["file"], u["ordinal"], u["why"]) for u in r["unattached"]] == [
        ("specstory/acme__shop__b.md", 4, "no longer a human turn")]
    assert [m["ordinal"] for m in r["misses"]] == [3] and r["false_alarms"] == []


def test_detect_eval_cli_on_files_and_on_a_corpus(hand_made, tmp_path):
    root, labels = hand_made
    cmd = [sys.executable, "-m", "misalign_tui", "detect-eval"]
    out = subprocess.run(cmd + [str(root), "--labels", str(labels), "--json"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    from_files = json.loads(out)
    corpus = tmp_path / "c.duckdb"
    run_import([str(root)], corpus)
    out = subprocess.run(cmd + [str(corpus), "--labels", str(labels), "--json"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    from_corpus = json.loads(out)  # labels matched to the sessions' origin paths by suffix
    for r in (from_files, from_corpus):
        assert (r["tp"], r["fp"], r["fn"], r["tn"]) == (2, 0, 1, 3)
    text = subprocess.run(cmd + [str(root), "--labels", str(labels)], capture_output=True, text=True, cwd=ROOT,
                          check=True).stdout
    assert "precision 1.000  recall 0.667" in text and "missed pushback (1)" in text
    bad = subprocess.run(cmd + [str(root), "--labels", str(root / "specstory" / "acme__shop__a.md")],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_anchor_reattachment_when_turns_disappear_or_appear():
    human = [HumanTurn(i, t, False) for i, t in enumerate(["fix it", "commit", "why?", "commit"], 1)]
    labs = [Label("f", 2, "not", "commit", "", 2), Label("f", 5, "not", "commit", "", 3),
            Label("f", 1, "pushback", "why?", "", 4), Label("f", 4, "not", "vanished", "", 5)]
    got = {(o.label.ordinal, o.how, o.turn.ordinal if o.turn else None) for o in attach(labs, human)}
    assert got == {(1, "anchor", 3), (2, "ordinal", 2), (5, "anchor", 4), (4, "no longer a human turn", None)}


def test_the_split_is_the_fixed_sha1_rule():
    assert repo_of("claude-code/entireio__cli__54-bb2.jsonl") == "entireio/cli"
    assert split_of("entireio/cli") == "held-back" and split_of("jdx/mise") == "tuning"
    held = {repo_of(lab.file) for lab in load_labels(REAL / "pushback-labels.tsv")
            if split_of(repo_of(lab.file)) == "held-back"}
    assert held == {"specstoryai/zero-to-product-video-hero", "entireio/git-sync", "destyler/destyler",
                    "d-kimuson/claude-code-viewer", "AcidicSoil/codex-session-view", "nndeploy/nndeploy",
                    "AmbidextrousCoatie/league_analyzer", "entireio/cli", "twardoch/twat-fs", "moredip/session-share",
                    "DakineMI/tree-sitter-languages-rs", "JanDeDobbeleer/oh-my-posh", "tslateman/duet",
                    "twardoch/imgcolorshine", "twardoch/nyord-vpn"}
    with pytest.raises(CorpusError):
        load_labels(REAL / "README.md")


def test_dev_set_figures_regression_guard():
    """Guards the measured figures on the real dev set (README: tuning in-sample P 0.791 R 0.809, held-back
    P 0.762 R 0.651, against the adjudicated labels) with a margin; a drop below them is a regression. Only
    counts are shown on failure, never the held-back turns themselves."""
    labels = load_labels(REAL / "pushback-labels.tsv")
    turns = turns_from_files([str(REAL / "transcripts")])
    counts = lambda r: {k: r[k] for k in ("tp", "fp", "fn", "tn", "precision", "recall")}  # noqa: E731
    tuning = report(evaluate(labels, turns, "tuning"))
    held = report(evaluate(labels, turns, "held-back"))
    assert tuning["precision"] >= 0.77 and tuning["recall"] >= 0.79, counts(tuning)
    assert held["precision"] >= 0.74 and held["recall"] >= 0.63, counts(held)
    assert not [u for u in tuning["unattached"] + held["unattached"] if u["label"] != "not"]


def test_the_labels_of_record_are_the_two_annotators_agreement_or_the_adjudication():
    """pushback-labels.tsv = where the two blind passes agree, their label; elsewhere the third annotator's
    ("adjudicated: ..."). Agreement between the passes (Cohen's kappa) stays what the README reports."""
    turns = turns_from_files([str(REAL / "transcripts")])

    def by_turn(name):
        by_file: dict[str, list] = {}
        for lab in load_labels(REAL / name):
            by_file.setdefault(lab.file, []).append(lab)
        return {(f, o.turn.ordinal): o.label for f, labs in by_file.items()
                for o in attach(labs, turns.get(f, [])) if o.turn is not None}

    one, two, final = by_turn("pushback-labels.pass1.tsv"), by_turn("pushback-labels.pass2.tsv"), by_turn("pushback-labels.tsv")
    assert set(final) == set(one) | set(two)
    both = [k for k in set(one) & set(two) if "unsure" not in (one[k].label, two[k].label)]
    for k in final:
        agreed = k in one and k in two and one[k].label == two[k].label
        assert agreed != final[k].reason.startswith("adjudicated: "), k
        if agreed:
            assert final[k].label == one[k].label, k
    p = sum(one[k].label == two[k].label for k in both) / len(both)
    p1 = sum(one[k].label == "pushback" for k in both) / len(both)
    p2 = sum(two[k].label == "pushback" for k in both) / len(both)
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    assert round((p - expected) / (1 - expected), 2) == 0.89


@pytest.mark.parametrize("check", ["--check-fit", pytest.param("--check", marks=pytest.mark.slow)])
def test_shipped_weights_are_reproduced_by_the_training_script(check):
    """--check-fit refits with the shipped regularisation; --check (slow) also redoes the cross-validation."""
    r = subprocess.run([sys.executable, "-m", "misalign_tui.data.building.pushback.train", check], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0 and "weights reproduced" in r.stderr, r.stderr


def test_check_fit_notices_a_changed_weight(tmp_path):
    w = json.loads((ROOT / "misalign_tui/data/building/pushback/weights.json").read_text(encoding="utf-8"))
    w["coef"][next(iter(w["coef"]))] += 0.001
    (tmp_path / "w.json").write_text(json.dumps(w), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "misalign_tui.data.building.pushback.train", "--check-fit", "--out",
                        str(tmp_path / "w.json")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1 and "differ" in r.stderr


def test_every_session_is_reachable_with_its_signals(tmp_path):
    files = [REAL / "transcripts" / "claude-code" / "PackmindHub__context-evaluator__02-bb334b3f0c-1-full.jsonl",
             REAL / "transcripts" / "specstory" / "ThatHunky__gryag__2025-10-08_09-44Z-troubleshooting-a-non-working-command.md"]
    corpus = tmp_path / "c.duckdb"
    run_import([str(f) for f in files], corpus)
    c = Corpus.open(corpus)
    try:
        rows = {r.key.split("/")[0]: r for r in sessions_overview(c) if r.parent is None}
        n_cand = c.cursor().execute("SELECT count(*) FROM episodes WHERE validation = 'CANDIDATE'").fetchone()[0]
    finally:
        c.close()
    assert set(rows) == {"claude-code", "specstory"}
    quiet, loud = rows["claude-code"], rows["specstory"]
    assert quiet.pushback == 0 and quiet.candidates == 0 and quiet.user_turns >= 1  # still listed
    assert loud.pushback >= 3 and loud.candidates == loud.pushback
    assert quiet.candidates + loud.candidates == n_cand
    assert quiet.repo == "agents-md-evaluator"  # from the JSONL's cwd, not "unknown"
