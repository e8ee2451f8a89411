"""Why each group was chosen, and who has not yet met whom, for the facilitator's preview.

Phrases name no one and reveal no declared conflict: they speak of history, shared
working hours and specialty only, so a preview can be shown to a facilitator as is.
"""

from __future__ import annotations

from bot.pairing.matching.score import Scorer
from bot.pairing.matching.types import GroupExplanation


def explain(scorer: Scorer, group: tuple[int, ...], third: int | None) -> GroupExplanation:
    """Facts and short phrases for one group (indices of ``scorer``)."""
    pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
    met = [scorer.past.ago_of(a, b) for a, b in pairs]
    known = [m for m in met if m is not None]
    last = min(known) if known else None
    repeats = sum(1 for a, b in pairs if scorer.is_repeat(a, b))
    reasons: list[str] = []
    if last is None:
        reasons.append("never met")
    elif repeats:
        reasons.append(
            f"met {_rounds(last)} ago: no grouping without a recent partner was possible"
        )
    elif len(known) < len(pairs):
        reasons.append(f"some have never met; the others last met {_rounds(last)} ago")
    else:
        reasons.append(f"last met {_rounds(last)} ago")
    hours = min(scorer.overlap_hours(a, b) for a, b in pairs)
    reasons.append(f"{hours:g}h/week working-hours overlap" if hours else "no shared working hours")
    sames = [scorer.same_specialty(a, b) for a, b in pairs]
    same = None if None in sames else all(sames)
    pref = scorer.config.specialty_preference
    if pref == "same":
        reasons.append("same specialty" if same else "no same-specialty partner was free")
    elif pref == "mixed":
        mixed = None not in sames and not any(sames)
        reasons.append("mixed specialties" if mixed else "no mixed-specialty partner was free")
    elif same:
        reasons.append("same specialty")
    if third is not None:
        reasons.append(
            "a trio because the count is odd; its third has had the fewest turns in a trio"
            if scorer.level[third] == min(scorer.level)
            else "a trio because the count is odd"
        )
    return GroupExplanation(
        group=tuple(sorted(scorer.ids[m] for m in group)),
        reasons=tuple(reasons),
        last_met_rounds_ago=last,
        repeats=repeats,
        overlap_hours_per_week=hours,
        same_specialty=same,
        trio_member=scorer.ids[third] if third is not None else None,
    )


def _rounds(count: int) -> str:
    return "1 round" if count == 1 else f"{count} rounds"


def not_yet_met(
    member_ids: list[str], history: list[list[tuple[str, ...]]]
) -> dict[str, tuple[str, ...]]:
    """For each member, the others in ``member_ids`` they were never grouped with.

    ``history`` is every past round known (most recent first), not only the last K.
    """
    present = set(member_ids)
    met: dict[str, set[str]] = {m: set() for m in present}
    for groups in history:
        for group in groups:
            inside = [m for m in group if m in present]
            for m in inside:
                met[m].update(inside)
    return {m: tuple(sorted(present - met[m] - {m})) for m in sorted(present)}


def not_yet_met_summary(
    order: list[str], history: list[list[tuple[str, ...]]], people: int, names: int
) -> tuple[list[tuple[str, list[str], int]], int]:
    """The first ``people`` members (in ``order``) with anyone they never met, each with
    the first ``names`` of those (in ``order``) and how many; and how many members have
    anyone unmet at all.

    Linear in the history and the members, never quadratic: each member's set of
    colleagues met is small, so how many they have not met is a subtraction, and
    their first few unmet names come from walking ``order`` past the ones they met.
    A 10,000-member preview no longer builds a 10,000 x 10,000 table.
    """
    present = set(order)
    met: dict[str, set[str]] = {m: set() for m in order}
    for groups in history:
        for group in groups:
            inside = [m for m in group if m in present]
            for m in inside:
                met[m].update(inside)
    everyone = len(order)
    shown: list[tuple[str, list[str], int]] = []
    with_unmet = 0
    for member in order:
        seen = met[member] | {member}
        missing = everyone - len(seen)
        if not missing:
            continue
        with_unmet += 1
        if len(shown) < people:
            first: list[str] = []
            for other in order:
                if other not in seen:
                    first.append(other)
                    if len(first) == names:
                        break
            shown.append((member, first, missing))
    return shown, with_unmet


def group_not_yet_met(
    group: tuple[str, ...], history: list[list[tuple[str, ...]]]
) -> list[tuple[str, str]]:
    """The pairs inside one proposed group who were never grouped together before."""
    unmet = not_yet_met(list(group), history)
    return [(a, b) for a in sorted(group) for b in unmet[a] if a < b]
