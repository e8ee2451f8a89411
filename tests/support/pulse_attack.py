"""A curious viewer of the group pulse, by brute force: the tests and bench/ use it.

The viewer sees one question's figures for one week (a :class:`~bot.checkins.pulse.
Decision`: the verdict, the respondent count from k up, the band counts when shown),
knows exactly who answered (the strongest assumption) and, if they answered too, their
own answer. They try every combination of answers the *other* respondents could have
given and keep those that produce the same figures. An answer is **revealed** when the
values some other respondent could hold all fall in one band: the viewer then knows
that person's band (or value) without being told.

Views are grouped so each (question, k, own answer, number of others) costs one pass
over all combinations, which lets bench/bench_pulse_attacks.py try every case.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from itertools import combinations_with_replacement, product

from bot.checkins.pulse import decide
from bot.checkins.questions import band_of
from bot.core.config import Question

View = Callable[[Question, list[int], int], Hashable]


def current_view(question: Question, values: list[int], k: int) -> Hashable:
    """What today's pulse shows of these answers (the frozen decision)."""
    return decide(question, values, k)


def old_view(question: Question, values: list[int], k: int) -> Hashable:
    """The pulse before issue 12: exact counts once k answered and answers differ."""
    if len(values) < k or len(set(values)) < 2:
        return ("withheld", len(values) >= k)
    return tuple(sorted((v, values.count(v)) for v in set(values)))


@dataclass(frozen=True)
class Outcome:
    tried: int
    revealed: int
    example: tuple[int, ...] | None  # the others' answers in one revealing case


def attack(question: Question, others: int, own: int | None, k: int,
           view: View = current_view) -> Outcome:
    """Try every answer pattern of ``others`` respondents; count those that reveal one."""
    values = sorted(o.value for o in question.options)
    by_view: dict[Hashable, list[tuple[int, ...]]] = {}
    for combo in combinations_with_replacement(values, others):
        answers = [*combo, *([own] if own is not None else [])]
        by_view.setdefault(view(question, answers, k), []).append(combo)
    revealed = 0
    example = None
    for combos in by_view.values():
        possible = {v for combo in combos for v in combo}
        if others and len({band_of(question, v) for v in possible}) == 1:
            revealed += len(combos)
            example = example or combos[0]
    tried = sum(len(c) for c in by_view.values())
    return Outcome(tried, revealed, example)


def reveals(question: Question, actual: list[int], own: int | None, k: int,
            view: View = current_view) -> bool:
    """Does the view of ``actual`` (the others' answers) reveal one of them?"""
    seen = view(question, [*actual, *([own] if own is not None else [])], k)
    values = sorted(o.value for o in question.options)
    possible: set[int] = set()
    for combo in combinations_with_replacement(values, len(actual)):
        if view(question, [*combo, *([own] if own is not None else [])], k) == seen:
            possible.update(combo)
    return bool(actual) and len({band_of(question, v) for v in possible}) == 1


# ---- two overlapping groups, one facilitator --------------------------------------------
#
# The facilitator of two groups sees both pulses of the same week. Each other respondent
# is a person in group 1 only, group 2 only, or both; a person gives one answer (in
# separate mode the same answer to both groups' prompts: the worst case). The viewer
# knows who is in which group, who answered, which group each person's answers count in,
# and their own answer; every answer pattern of the others is one world, and a world is
# revealed when the pair of views pins some person to one band.

# Where a person's answer counts: "1", "2", or "both" (the rule before this fix).
Placement = str


def each_group(membership: str) -> Placement:
    """The rule before: an answer counts in every group of the member that prompted."""
    return "both" if membership == "both" else membership


@dataclass(frozen=True)
class OverlapOutcome:
    tried: int
    revealed: int


def overlap_attack(question: Question, members: list[str], placements: list[Placement],
                   own: int | None, own_placement: Placement, k: int) -> OverlapOutcome:
    """Every world of ``members`` (each "1", "2" or "both") whose answers count where
    ``placements`` says; the viewer's own answer counts where ``own_placement`` says."""
    values = sorted(o.value for o in question.options)
    views: dict[Hashable, list[set[int]]] = {}
    counts: dict[Hashable, int] = {}
    for combo in product(values, repeat=len(members)):
        first = [v for v, p in zip(combo, placements, strict=True) if p in ("1", "both")]
        second = [v for v, p in zip(combo, placements, strict=True) if p in ("2", "both")]
        if own is not None:
            first += [own] if own_placement in ("1", "both") else []
            second += [own] if own_placement in ("2", "both") else []
        key = (decide(question, first, k), decide(question, second, k))
        seen = views.setdefault(key, [set() for _ in members])
        for index, value in enumerate(combo):
            seen[index].add(value)
        counts[key] = counts.get(key, 0) + 1
    revealed = sum(counts[key] for key, seen in views.items()
                   if any(len({band_of(question, v) for v in s}) == 1 for s in seen))
    return OverlapOutcome(sum(counts.values()), revealed)
