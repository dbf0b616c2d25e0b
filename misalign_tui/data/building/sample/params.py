"""The published marginals the synthetic corpus follows (README §3), and the few guesses around them.

Counts are the paper's full-data numbers; the generator scales them to the requested number of
sessions. Where the paper gives no number (licence mix, repository sizes, SWE-chat share, tiers,
goals, invalid categories) the values are plausible guesses, marked as such.
"""

from __future__ import annotations

FULL_SESSIONS = 20574

# Sessions by (session_type, agent), published.
SESSION_MIX: tuple[tuple[str, str, int], ...] = (
    ("IDE", "Unknown", 8631),
    ("CLI", "Claude Code", 6648),
    ("IDE", "Cursor IDE", 3234),
    ("CLI", "OpenCode", 624),
    ("CLI", "Codex", 517),
    ("CLI", "Unknown", 482),
    ("IDE", "Copilot IDE", 366),
    ("CLI", "Gemini CLI", 39),
    ("CLI", "Cursor CLI", 32),
    ("CLI", "Copilot CLI", 1),
)

# First month an agent shows up (guess, from release dates); index into MONTHS.
AGENT_FIRST_MONTH = {
    "Cursor IDE": "2025-06", "Copilot IDE": "2025-07", "Claude Code": "2025-02", "Codex": "2025-04",
    "OpenCode": "2025-06", "Gemini CLI": "2025-06", "Cursor CLI": "2025-08", "Copilot CLI": "2025-09",
}
CLI_UNKNOWN_FIRST_MONTH = "2025-03"

# Monthly episodes, published; used as the monthly weight of repository start times.
MONTHS: tuple[tuple[str, int], ...] = (
    ("2024-09", 1), ("2024-10", 34), ("2024-11", 28), ("2024-12", 96), ("2025-01", 87), ("2025-02", 400),
    ("2025-03", 861), ("2025-04", 977), ("2025-05", 1231), ("2025-06", 1733), ("2025-07", 1213),
    ("2025-08", 791), ("2025-09", 1102), ("2025-10", 986), ("2025-11", 708), ("2025-12", 605),
    ("2026-01", 469), ("2026-02", 1543), ("2026-03", 2353), ("2026-04", 900),
)
# Empirical per-month correction of repository start weights (sessions spill into later months).
MONTH_FIT = (1.0, 3.942, 2.608, 2.053, 1.639, 1.365, 1.175, 1.297, 1.325, 1.065,
             0.918, 0.789, 0.976, 0.968, 0.777, 0.871, 0.902, 1.025, 0.958, 0.826)

# Sessions with >= 1 VALID episode and VALID episodes per session, by platform (published).
ANY_RATE = {"IDE": 5322 / 12231, "CLI": 3308 / 8343}
EPISODES_PER_SESSION = {"IDE": 10442 / 12231, "CLI": 5676 / 8343}
VALID_RATE = {"IDE": 0.541682, "CLI": 0.534514}

# User turns per session: lognormal body (median IDE 3 / CLI 5, published) plus a thin log-uniform
# tail of marathon sessions up to the published maximum of 1,192 agent turns. sigma and the tail
# share were fitted so that episodes per user turn come out near IDE 0.132 / CLI 0.0505.
USER_TURNS = {"IDE": (3.0, 1.0, 0.0035), "CLI": (5.0, 1.15, 0.007)}  # (median, sigma, tail share)
TAIL_TURNS = (120, 1192)
MAX_AGENT_TURNS = 1192
TRANSCRIPT_SHARE = 0.85

# Licence mix per repository (guess; "many NO_LICENSE, then MIT, Apache-2.0, GPL-3.0, ...").
LICENSES: tuple[tuple[str, float], ...] = (
    ("NO_LICENSE", 0.52), ("MIT", 0.25), ("Apache-2.0", 0.07), ("GPL-3.0", 0.045), ("NOASSERTION", 0.03),
    ("BSD-3-Clause", 0.014), ("AGPL-3.0", 0.014), ("BSD-2-Clause", 0.01), ("MPL-2.0", 0.009),
    ("ISC", 0.009), ("LGPL-3.0", 0.007), ("Unlicense", 0.007), ("GPL-2.0", 0.006), ("CC0-1.0", 0.004),
    ("EPL-2.0", 0.003),
)
# Share of CLI repositories (of these agents) that come from SWE-chat rather than SpecStory (guess).
SWE_SHARE = 0.38
SWE_AGENTS = ("Claude Code", "Codex", "OpenCode", "Gemini CLI", "Unknown")
# Repository id ranges: SpecStory ids look like GitHub ids (< 1.1e9); SWE-chat ids are drawn from a
# disjoint range above 2^31, so ``workspace/{repository_id}`` never collides between the sources.
SPECSTORY_ID_RANGE = (4_000_000, 1_099_999_999)
SWE_ID_RANGE = (2_200_000_000, 2_999_999_999)

# ---- episode labels ------------------------------------------------------------------------------
SYMPTOM_RATE = {  # percent of episodes, published (IDE, CLI)
    "S1": (12.78, 9.3), "S2": (28.39, 24.31), "S3": (32.26, 49.49), "S4": (11.5, 7.8),
    "S5": (22.89, 8.49), "S6": (2.09, 4.32), "S7": (20.36, 26.66), "S8": (0.45, 0.12),
}
# Number of symptoms per episode (guess, mean ~1.3 as the rates imply).
N_SYMPTOMS = {"IDE": (0.735, 0.225, 0.034, 0.006), "CLI": (0.735, 0.226, 0.033, 0.006)}
# Symptom share trend over time (log-multiplier at the end of the window; 0 at its middle).
SYMPTOM_TREND = {"S1": -0.3, "S2": -0.25, "S3": 0.35, "S4": -0.3, "S5": -0.35, "S6": 0.0, "S7": 0.35, "S8": 0.0}
# Pairs that co-occur more / less often than chance (published session-level lift S2-S4 1.39,
# S5-S7 1.20, S3-S5 0.71): multiplier on the second pick of an episode and across a session.
SYMPTOM_PAIR = {("S2", "S4"): 3.0, ("S5", "S7"): 2.2, ("S3", "S5"): 0.4, ("S1", "S2"): 1.2}
SESSION_REPEAT = 1.35  # a session's later episodes lean to the symptoms it already has
# Empirical corrections (fitted on 20,574-session runs) for what the trend and the affinities shift.
SYMPTOM_FIT = {
    "IDE": {"S1": 1.025, "S2": 0.932, "S3": 1.136, "S4": 0.82, "S5": 1.096, "S6": 1.113, "S7": 0.892, "S8": 1.048},
    "CLI": {"S1": 0.996, "S2": 0.951, "S3": 1.053, "S4": 0.844, "S5": 1.138, "S6": 1.098, "S7": 0.951, "S8": 1.17},
}

CAUSE_RATE = {"C1": 15.36, "C2": 9.47, "C3": 11.11, "C4": 4.3, "C5": 2.44, "C6": 36.49, "C7": 26.85}
# Cause affinity by symptom (guess; keeps the symptom x cause table plausible).
CAUSE_AFFINITY = {
    "S1": {"C4": 2.0, "C1": 1.4}, "S2": {"C1": 2.5}, "S3": {"C6": 2.0, "C5": 1.6},
    "S4": {"C2": 4.0, "C3": 1.5}, "S5": {"C7": 1.5, "C3": 1.3}, "S6": {"C3": 2.0, "C7": 1.3},
    "S7": {"C7": 1.7}, "S8": {"C7": 1.5},
}
CAUSE_FIT = {"C1": 0.884, "C2": 0.981, "C3": 1.059, "C4": 1.056, "C5": 0.99, "C6": 0.97, "C7": 1.084}
SECOND_CAUSE = 0.0823  # share of non-C7 episodes with two causes (rates sum to ~1.08 per episode)
TIER_WEIGHTS = (("direct", 0.56), ("contextual", 0.33), ("speculative", 0.11))

# Damage severity (published counts DS0 13, DS1 14587, DS2 1361, DS3 11, DS4 146), base by platform
# so that DS1 is ~89.96% IDE / ~91.49% CLI, and a symptom multiplier on DS2.
SEVERITY = {
    "IDE": (("DS0", 0.0008), ("DS1", 0.9036), ("DS2", 0.0851), ("DS3", 0.0007), ("DS4", 0.0098)),
    "CLI": (("DS0", 0.0008), ("DS1", 0.9186), ("DS2", 0.0720), ("DS3", 0.0007), ("DS4", 0.0079)),
}
DS2_SYMPTOM = {"S4": 1.8, "S6": 2.5, "S5": 1.3, "S3": 1.1, "S2": 0.75, "S7": 0.7, "S1": 0.8}
LOCUS = (("DL1", 1040), ("DL2", 254), ("DL3", 29), ("DL4", 49))
LOCUS_SYMPTOM = {"S6": {"DL3": 4.0, "DL4": 1.5}, "S4": {"DL2": 1.3}}
RESOLVED = 1504 / 16118
RESOLVER = {"IDE": (("RV1", 0.031), ("RV2", 0.9029), ("RV3", 0.0661)),
            "CLI": (("RV1", 0.028), ("RV2", 0.9316), ("RV3", 0.0404))}

GOAL_WEIGHTS = (("both", 0.50), ("instruction", 0.32), ("intention", 0.18))
GOAL_SYMPTOM = {"S3": "instruction", "S2": "intention", "S4": "instruction", "S1": "intention"}
CONFIDENCE_VALID = (("high", 0.92), ("medium", 0.07), ("low", 0.01))
CONFIDENCE_INVALID = (("high", 0.70), ("medium", 0.24), ("low", 0.06))

# Invalid categories (guess, shaped by the first validation rows); the rest are ``custom:...``.
INVALID_WEIGHTS = (
    ("invisible_agent_action", 0.25), ("intention_claim_without_pushback", 0.23),
    ("unrequested_action_without_pushback", 0.12), ("session_terminated_before_completion", 0.10),
    ("invisible_project_context", 0.09), ("collaboration_style_without_pushback", 0.08),
    ("evidence_contradicts_description", 0.07), ("truncation", 0.04), ("custom", 0.02),
)
CUSTOM_CATEGORIES = (
    "custom:agent_followed_the_instruction", "custom:duplicate_of_previous_episode",
    "custom:developer_changed_their_mind", "custom:tooling_limit_not_agent_behaviour",
    "custom:request_was_out_of_scope",
)
