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
    """One filter axis (and, when ``facet``, one facet of the explorer): the only place an axis is defined.

    ``name`` is its code (``--filter name=…``, the key of the filter struct, ``episode_values.axis``),
    ``title`` its gloss, ``level`` says whether it restricts episodes or sessions, ``column`` is the column of
    ``episodes`` (and, for a session axis, of ``sessions`` too) that stores it, and ``storage`` how:
    ``one`` value, ``many`` values (a list column), or a date bound on the column (``since`` / ``until``).
    ``bit`` is its bit in the ``failmask`` of the filter macros. ``codes`` is the closed vocabulary
    (None = values come from the data). ``grows`` marks an axis whose values grow with the corpus (a repository
    per few sessions): its facet is answered as the top values plus a count of the rest. The SQL that depends on axes (``axis_sql``), the corpus' columns
    (``schema``), the facet values written at import, the charts' and the comparison's axes, the export's
    columns and the ``--filter`` help are generated from ``AXES``.
    """

    name: str
    title: str
    bit: int
    level: str  # "episode" or "session"
    column: str
    storage: str = "one"  # "one", "many", "since" or "until"
    codes: dict[str, str] | None = None
    ordered: bool = False  # facet rows sorted by code instead of by count
    long: bool = False  # many values: truncated in the panel, full list in a modal
    grows: bool = False  # values grow with the corpus (one per repository): counted as top-N, never pre-aggregated
    facet: bool = True
    aliases: tuple[str, ...] = field(default=())

    @property
    def multi(self) -> bool:
        """An episode (or session) can carry several values."""
        return self.storage == "many"


AXES: tuple[Axis, ...] = (
    Axis("symptom", "Symptom", 0, "episode", "symptoms", "many", SYMPTOMS, ordered=True),
    Axis("cause", "Cause", 1, "episode", "causes", "many", CAUSES, ordered=True),
    Axis("tier", "Cause evidence tier", 2, "episode", "tiers", "many", TIERS, ordered=True),
    Axis("severity", "Damage severity", 3, "episode", "severity", codes=SEVERITIES, ordered=True),
    Axis("locus", "Damage locus", 4, "episode", "locus", codes=LOCI, ordered=True),
    Axis("status", "Resolution", 5, "episode", "status", codes=STATUSES, ordered=True),
    Axis("resolver", "Resolver", 6, "episode", "resolver", codes=RESOLVERS, ordered=True),
    Axis("goal", "Alignment goal", 7, "episode", "goal", codes=GOALS),
    Axis("confidence", "Extraction confidence", 8, "episode", "confidence", codes=CONFIDENCES, ordered=True),
    Axis("validation", "Validation", 9, "episode", "validation", codes=VALIDATIONS, ordered=True),
    Axis("invalid_category", "Invalid category", 10, "episode", "invalid_category", aliases=("invalid",)),
    Axis("platform", "Platform", 11, "session", "platform", codes=PLATFORMS, ordered=True, aliases=("type",)),
    Axis("agent", "Agent", 12, "session", "agent", long=True),
    Axis("source", "Source", 13, "session", "source"),
    Axis("license", "Licence", 14, "session", "license", long=True, aliases=("licence",)),
    Axis("repo", "Repository", 15, "session", "repo", long=True, grows=True, aliases=("repository",)),
    Axis("month", "Month", 16, "session", "month", ordered=True, long=True),
    Axis("signal", "Transcript signals", 17, "session", "signals", "many", SIGNALS),
    Axis("since", "Since (date)", 18, "session", "ts", "since", facet=False),
    Axis("until", "Until (date)", 19, "session", "ts", "until", facet=False),
    # Not a facet: an explicit list of episode keys (bookmarks, tags and notes of the reviewer workspace
    # filter through it).
    Axis("episode", "Episode keys", 23, "episode", "episode_key", facet=False, aliases=("key",)),
)
# Bits of the failmask that are not axes: the filter flags (see axis_sql.failmask_episodes).
BIT_TEXT = 20
BIT_DEFAULT_VALID = 21
BIT_LICENSED = 22

AXIS_BY_NAME: dict[str, Axis] = {a.name: a for a in AXES}
for _a in AXES:
    for _alias in _a.aliases:
        AXIS_BY_NAME[_alias] = _a
FACET_AXES: tuple[Axis, ...] = tuple(a for a in AXES if a.facet)
# Facets stored on the episode itself (the charts count them all in one scan of the selected episodes).
EPISODE_FACETS: tuple[Axis, ...] = tuple(a for a in FACET_AXES if a.level == "episode")
# Axes that restrict sessions (and, through them, episodes).
SESSION_AXES: tuple[str, ...] = tuple(a.name for a in AXES if a.level == "session")
# Axes whose selection switches off the implicit "validation = VALID" default.
VALIDATION_AXES = ("validation", "invalid_category")
# The coded labels of an episode (the A/B comparison compares them): episode facets with a closed
# vocabulary, the validation axes aside.
LABEL_AXES: tuple[str, ...] = tuple(a.name for a in EPISODE_FACETS if a.codes and a.name not in VALIDATION_AXES)

# Label axes of the paper's distribution tables, in order.
LABEL_GROUPS: dict[str, dict[str, str]] = {
    "symptom": SYMPTOMS,
    "cause": CAUSES,
    "severity": SEVERITIES,
    "locus": LOCI,
    "status": STATUSES,
    "resolver": RESOLVERS,
}


def wide_column(code: str) -> str:
    """The column of ``episodes`` holding one symptom (a boolean) or one cause (its evidence tier): ``s3``, ``c7``."""
    return code.lower()


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
