"""The study's taxonomy and the filter axes: the one source of truth for codes, glosses and facets.

Everything that names a label, an axis or a gloss reads it from here (and the corpus copies it into
its ``taxonomy`` table at import, so SQL can join glosses too).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SYMPTOMS: dict[str, str] = {
    "S1": "Wrong Project Diagnosis",
    "S2": "Misread Developer Intent",
    "S3": "Developer Constraint Violation",
    "S4": "Self-Initiated Overreach",
    "S5": "Faulty Implementation",
    "S6": "Operational Execution Error",
    "S7": "Inaccurate Self-Reporting",
    "S8": "Other / Emerging",
}
CAUSES: dict[str, str] = {
    "C1": "Underspecified Instruction",
    "C2": "Scope Overreach",
    "C3": "Premature Action",
    "C4": "Context Loss",
    "C5": "Default-Driven Override",
    "C6": "Instruction-Following Failure",
    "C7": "Cannot Determine",
}
TIERS: dict[str, str] = {
    "direct": "Direct evidence",
    "contextual": "Contextual evidence",
    "speculative": "Speculative",
}
SEVERITIES: dict[str, str] = {
    "DS0": "No damage",
    "DS1": "Effort/trust cost only",
    "DS2": "System damage, easily reversed",
    "DS3": "System damage, hard to reverse",
    "DS4": "Unobservable",
}
LOCI: dict[str, str] = {
    "DL1": "Code/task state",
    "DL2": "Project state",
    "DL3": "Environment/configuration",
    "DL4": "External state",
}
STATUSES: dict[str, str] = {"RS1": "Resolved", "RS2": "Unknown"}
RESOLVERS: dict[str, str] = {
    "RV1": "Agent self-corrected",
    "RV2": "Agent after pushback",
    "RV3": "Developer took over",
}
GOALS: dict[str, str] = {
    "instruction": "Explicit instruction",
    "intention": "Implicit intention",
    "both": "Instruction and intention",
}
CONFIDENCES: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}
VALIDATIONS: dict[str, str] = {
    "VALID": "Valid episode",
    "INVALID": "Rejected candidate",
    "CANDIDATE": "Detected pushback, not annotated",
}
INVALID_CATEGORIES: dict[str, str] = {
    "invisible_agent_action": "Invisible agent action",
    "intention_claim_without_pushback": "Intention claim without pushback",
    "unrequested_action_without_pushback": "Unrequested action without pushback",
    "session_terminated_before_completion": "Session terminated before completion",
    "invisible_project_context": "Invisible project context",
    "collaboration_style_without_pushback": "Collaboration style without pushback",
    "evidence_contradicts_description": "Evidence contradicts description",
    "truncation": "Truncation",
}
PLATFORMS: dict[str, str] = {"IDE": "IDE session", "CLI": "CLI session"}
SIGNALS: dict[str, str] = {
    "pushback": "Has candidate pushback",
    "tool_failure": "Has tool failures",
    "loop": "Has repetitive loop",
}
# Cause C7 is exclusive and has no tier: its column holds this marker instead.
C7_MARKER = "not_applicable"
UNKNOWN_LICENSES = ("NO_LICENSE", "NOASSERTION")


@dataclass(frozen=True)
class Axis:
    """One filter axis (and, when ``facet``, one facet of the explorer).

    ``bit`` is the axis' bit in the ``failmask`` computed by ``queries/macro_flagged.sql``; a test
    checks that the two agree. ``codes`` is the closed vocabulary (None = values come from data).
    """

    name: str
    title: str
    bit: int
    level: str  # "episode" or "session"
    codes: dict[str, str] | None = None
    multi: bool = False
    ordered: bool = False  # facet rows sorted by code instead of by count
    long: bool = False  # many values: truncated in the panel, full list in a modal
    facet: bool = True
    aliases: tuple[str, ...] = field(default=())


AXES: tuple[Axis, ...] = (
    Axis("symptom", "Symptom", 0, "episode", SYMPTOMS, multi=True, ordered=True),
    Axis("cause", "Cause", 1, "episode", CAUSES, multi=True, ordered=True),
    Axis("tier", "Cause evidence tier", 2, "episode", TIERS, multi=True, ordered=True),
    Axis("severity", "Damage severity", 3, "episode", SEVERITIES, ordered=True),
    Axis("locus", "Damage locus", 4, "episode", LOCI, ordered=True),
    Axis("status", "Resolution", 5, "episode", STATUSES, ordered=True),
    Axis("resolver", "Resolver", 6, "episode", RESOLVERS, ordered=True),
    Axis("goal", "Alignment goal", 7, "episode", GOALS),
    Axis("confidence", "Extraction confidence", 8, "episode", CONFIDENCES, ordered=True),
    Axis("validation", "Validation", 9, "episode", VALIDATIONS, ordered=True),
    Axis("invalid_category", "Invalid category", 10, "episode", None, aliases=("invalid",)),
    Axis("platform", "Platform", 11, "session", PLATFORMS, ordered=True, aliases=("type",)),
    Axis("agent", "Agent", 12, "session", None, long=True),
    Axis("source", "Source", 13, "session", None),
    Axis("license", "Licence", 14, "session", None, long=True, aliases=("licence",)),
    Axis("repo", "Repository", 15, "session", None, long=True, aliases=("repository",)),
    Axis("month", "Month", 16, "session", None, ordered=True, long=True),
    Axis("signal", "Transcript signals", 17, "session", SIGNALS, multi=True),
    Axis("since", "Since (date)", 18, "session", None, facet=False),
    Axis("until", "Until (date)", 19, "session", None, facet=False),
)
# Not a facet: an explicit list of episode keys (bookmarks, tags and notes of the reviewer workspace
# filter through it).
AXES = AXES + (Axis("episode", "Episode keys", 23, "episode", None, facet=False, aliases=("key",)),)
# Bits of the failmask that are not axes (see queries/macro_flagged.sql).
BIT_TEXT = 20
BIT_DEFAULT_VALID = 21
BIT_LICENSED = 22

AXIS_BY_NAME: dict[str, Axis] = {a.name: a for a in AXES}
for _a in AXES:
    for _alias in _a.aliases:
        AXIS_BY_NAME[_alias] = _a
FACET_AXES: tuple[Axis, ...] = tuple(a for a in AXES if a.facet)
# Axes whose selection switches off the implicit "validation = VALID" default.
VALIDATION_AXES = ("validation", "invalid_category")

# Label axes of the paper's distribution tables, in order.
LABEL_GROUPS: dict[str, dict[str, str]] = {
    "symptom": SYMPTOMS,
    "cause": CAUSES,
    "severity": SEVERITIES,
    "locus": LOCI,
    "status": STATUSES,
    "resolver": RESOLVERS,
}


def gloss(axis: str, code: str | None) -> str:
    """Human gloss of a code ("S3" -> "Developer Constraint Violation"); the code itself if unknown."""
    if code is None:
        return ""
    ax = AXIS_BY_NAME.get(axis)
    if ax is not None and ax.codes and code in ax.codes:
        return ax.codes[code]
    if axis == "invalid_category" and code.startswith("custom:"):
        return "Custom: " + code[len("custom:"):].replace("_", " ")
    if axis == "invalid_category":
        return INVALID_CATEGORIES.get(code, code.replace("_", " ").capitalize())
    return code


def label(axis: str, code: str | None) -> str:
    """"S3 Developer Constraint Violation" — code and gloss, for tables and citations."""
    if code is None:
        return ""
    g = gloss(axis, code)
    return code if g == code else f"{code} {g}"


def taxonomy_rows() -> list[tuple[str, str, str, int]]:
    """(axis, code, gloss, order) rows for the corpus' taxonomy table."""
    rows = []
    for ax in AXES:
        if ax.codes:
            rows += [(ax.name, c, g, i) for i, (c, g) in enumerate(ax.codes.items())]
    rows += [("invalid_category", c, g, i) for i, (c, g) in enumerate(INVALID_CATEGORIES.items())]
    return rows
