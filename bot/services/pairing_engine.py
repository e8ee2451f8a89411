"""The one door between the pairing service and the matching engine.

The service gathers plain facts (who is available, their specialty and working-hour
overlap, declared conflicts, recent partners, who waited or was in a trio last time);
:func:`propose` hands them to the engine (``bot.services.matching``) and returns groups
of two or three plus the people left unpaired with a reason code. :func:`explain` says,
in words a facilitator can check, why a group was chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MatchInputs:
    """Everything matching needs, with user ids only (no names, no free text)."""

    user_ids: tuple[str, ...]
    specialty: dict[str, str | None]
    overlap: Callable[[str, str], float]
    conflicts: set[frozenset[str]]
    recent: dict[frozenset[str], int]  # pair -> rounds ago (1 = the last round)
    recent_rounds: int
    priority: tuple[str, ...] = ()  # left out or in a trio last time: served first
    preference: str = "none"  # same | mixed | none
    seed: int = 0


@dataclass
class Proposal:
    groups: list[tuple[str, ...]] = field(default_factory=list)
    unpaired: dict[str, str] = field(default_factory=dict)  # user -> reason code


def propose(inputs: MatchInputs) -> Proposal:
    """Pairs (a trio when the count is odd) maximising the engine's score."""
    ids = sorted(inputs.user_ids)
    if len(ids) < 2:
        return Proposal(unpaired={u: "alone" for u in ids})
    groups, unpaired = _engine(inputs)
    proposal = Proposal(groups=[tuple(sorted(g)) for g in groups])
    for user in unpaired:
        proposal.unpaired[user] = "no_compatible"
    proposal.groups.sort()
    return proposal


def _engine(inputs: MatchInputs) -> tuple[list[tuple[str, ...]], list[str]]:
    """Call the matching engine (wired in when ``bot.services.matching`` lands)."""
    return _greedy(inputs)


def _greedy(inputs: MatchInputs) -> tuple[list[tuple[str, ...]], list[str]]:
    """Stand-in until the engine lands: best compatible partner first, priority first."""
    order = sorted(inputs.user_ids, key=lambda u: (u not in inputs.priority, u))
    free = list(order)
    groups: list[tuple[str, ...]] = []
    unpaired: list[str] = []
    while free:
        user = free.pop(0)
        options = [o for o in free if frozenset((user, o)) not in inputs.conflicts]
        if not options:
            unpaired.append(user)
            continue
        best = max(options, key=lambda o: (pair_score(inputs, user, o), o))
        free.remove(best)
        groups.append((user, best))
    for user in list(unpaired):
        fits = [
            g for g in groups
            if len(g) == 2 and all(frozenset((user, o)) not in inputs.conflicts for o in g)
        ]
        if fits:
            target = max(fits, key=lambda g: sum(pair_score(inputs, user, o) for o in g))
            groups[groups.index(target)] = (*target, user)
            unpaired.remove(user)
    return groups, unpaired


def pair_score(inputs: MatchInputs, a: str, b: str) -> float:
    """The score this service explains: history first, then hours, then specialty."""
    key = frozenset((a, b))
    if key in inputs.conflicts:
        return float("-inf")
    score = 0.0
    ago = inputs.recent.get(key)
    if ago is not None and ago <= inputs.recent_rounds:
        score -= 1000.0 * (inputs.recent_rounds - ago + 1)
    score += min(inputs.overlap(a, b), 40.0)
    same = (inputs.specialty.get(a) or "").lower() == (inputs.specialty.get(b) or "").lower()
    wanted_same = inputs.preference == "same" and same and bool(inputs.specialty.get(a))
    if wanted_same or (inputs.preference == "mixed" and not same):
        score += 20.0
    return score


def explain(inputs: MatchInputs, group: tuple[str, ...], labels: dict[str, str]) -> str:
    """Why this group, in a sentence: history, shared hours, specialty, trio rotation."""
    reasons: list[str] = []
    pairs = [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]
    met = [inputs.recent.get(frozenset(p)) for p in pairs]
    if all(m is None for m in met):
        reasons.append(f"not paired in the last {inputs.recent_rounds} rounds")
    else:
        soonest = min(m for m in met if m is not None)
        reasons.append(f"met {soonest} round(s) ago; no fresh partner was possible")
    hours = min(inputs.overlap(a, b) for a, b in pairs)
    reasons.append(f"{hours:g} h/week of shared working hours")
    specs = {(inputs.specialty.get(u) or "").lower() for u in group}
    if inputs.preference == "same":
        reasons.append("same specialty" if len(specs) == 1 and "" not in specs
                       else "no same-specialty partner free")
    elif inputs.preference == "mixed":
        reasons.append("mixed specialties" if len(specs) == len(group)
                       else "no mixed-specialty partner free")
    if len(group) == 3:
        reasons.append("a trio because the count is odd")
    first = [labels.get(u, u) for u in group if u in inputs.priority]
    if first:
        reasons.append(f"{', '.join(first)} came first after waiting or a trio last time")
    return "; ".join(reasons)
