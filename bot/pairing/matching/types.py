"""Plain input and output values of the matching engine (no database, no platform).

The pairing service turns its rows into these values, calls
:func:`bot.pairing.matching.solver.match`, and stores or renders the result. Keeping them
frozen and free of behaviour lets tests and the benchmark build them literally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

SPECIALTY_PREFERENCES = ("same", "mixed", "none")



class Unmatched(StrEnum):
    """Why someone is not in any group this round: a code, not a sentence.

    The service words it (``bot.pairing.model.NotPaired``). ``ALL_CONFLICTS`` must
    never be worded so as to reveal that someone else declared a conflict with this
    person (a conflict is private to whoever declared it).
    """

    ALONE = "alone"  # fewer than two members are available this round
    ALL_CONFLICTS = "all_conflicts"  # everyone else is ruled out by a declared conflict
    # every compatible member was needed elsewhere and no group could take a third
    # member without a declared conflict
    NO_PARTNER_LEFT = "no_partner_left"


@dataclass(frozen=True)
class Candidate:
    """One opted-in member available this round.

    Working hours are either local hours in ``tz`` on ``workdays`` (Monday = 0), or,
    when ``utc_slots`` is given, the half-hour slots of the UTC week (0 = Monday
    00:00-00:30 UTC, 335 = Sunday 23:30-24:00 UTC) the member works; the latter wins.
    ``work_end`` below ``work_start`` means a shift that runs past midnight.

    Fairness for the trio (and for whoever cannot be placed) rotates: someone who was
    left out or in a trio last round is placed in a pair first, then those with fewer
    trios or rounds left out so far.
    """

    member_id: str
    tz: str = "UTC"
    work_start: float = 9.0
    work_end: float = 17.0
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    utc_slots: frozenset[int] | None = None
    specialty: str | None = None
    left_out_or_trio_last: bool = False
    times_left_out: int = 0
    times_in_trio: int = 0


@dataclass(frozen=True)
class MatchConfig:
    """How one round is matched; the same inputs and seed always give the same groups.

    Args:
        recent_rounds: partners from this many most recent rounds count as repeats.
        specialty_preference: "same", "mixed" or "none" for the whole group.
        seed: orders members before solving, so ties are broken differently per round
            yet reproducibly (a preview and the committed round agree).
        week_of: a date in the week whose local hours are converted to UTC (time-zone
            offsets move with daylight saving); pass the round's date.
        exact_limit: up to this many members the full graph is solved (exact optimum).
        trio_search_limit: up to this many members (odd count) every member is tried
            as the trio's third, re-solving the rest each time.
        trio_exact_limit: up to this many members (odd count) every conflict-free
            triple is tried as the trio, which makes the whole grouping exact.
        candidates_per_member: k best distinct compatible candidates kept per member
            above ``exact_limit`` (the k-nearest graph solved whole). 12 reached the
            full graph's exact optimum on the benchmark's hard instances at 1,500,
            2,000 and 2,500 members (10: within 0.02 %); more edges make the exact
            solver slower (docs/benchmarks.md, "Third session (16c)").
        neighbour_window: how many neighbours each side on the UTC clock (and among
            the same specialty, with a "same" preference) are scored to find those k.
        sparse_limit: up to this many members the k-nearest graph is solved whole
            (rustworkx); above it, exactly in windows of ``window_size`` clock
            neighbours, then in windows across their seams.
        window_size: members per window above ``sparse_limit``.
        window_candidates, window_neighbours: k and the neighbour window above
            ``sparse_limit`` (each window is solved exactly: a leaner graph suffices).
    """

    recent_rounds: int = 6
    specialty_preference: str = "none"
    seed: int = 0
    week_of: date = date(2026, 1, 5)
    exact_limit: int = 300
    trio_search_limit: int = 61
    trio_exact_limit: int = 15
    candidates_per_member: int = 12
    neighbour_window: int = 32
    sparse_limit: int = 2500
    window_size: int = 600
    window_candidates: int = 8
    window_neighbours: int = 16

    def __post_init__(self) -> None:
        if self.specialty_preference not in SPECIALTY_PREFERENCES:
            raise ValueError(
                f"specialty_preference must be one of {SPECIALTY_PREFERENCES}, "
                f"not {self.specialty_preference!r}"
            )
        if self.recent_rounds < 0:
            raise ValueError("recent_rounds must be zero or more")


@dataclass(frozen=True)
class ScoreParts:
    """The score's tiers, most important first (each outweighs everything below it)."""

    grouped: int  # members placed in a pair or trio
    fairness_cost: int  # members in a trio or left out who had such a turn last round
    extra_turns: int  # turns above the fewest, of members in a trio or left out
    pressure: int  # meeting pressure of the pairs inside groups (weighed with extra_turns)
    repeats: int  # pairs inside groups who met within the last K rounds
    soft: int  # working-hours overlap, specialty preference, novelty


@dataclass(frozen=True)
class GroupExplanation:
    """Why a group was chosen, as facts and as short phrases for a facilitator."""

    group: tuple[str, ...]
    reasons: tuple[str, ...]
    last_met_rounds_ago: int | None  # most recent meeting inside the group; None = never
    repeats: int
    overlap_hours_per_week: float  # the smallest over the group's pairs
    same_specialty: bool | None  # None when a specialty is unknown
    trio_member: str | None = None  # the member added to make a trio, if any


@dataclass(frozen=True)
class MatchResult:
    """Groups (pairs, plus a trio when the count is odd) and everyone not placed, with why."""

    groups: list[tuple[str, ...]]
    unmatched: list[tuple[str, Unmatched]]  # (member_id, why not placed)
    explanations: list[GroupExplanation]  # aligned with ``groups``
    score: int
    parts: ScoreParts
    method: str  # "exact", "sparse" or "windows"
    stats: dict[str, int] = field(default_factory=dict)
