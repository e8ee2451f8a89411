"""Placing whoever the pairs leave over: a trio for an odd count, or a stated reason.

The matching leaves out the member with the lowest fairness level (fewest turns in a
trio or left out so far; whoever had one last round is kept in a pair). That member
joins the pair that makes
the best trio: no declared conflict with either, no recent partner if any trio
without one exists, and, among equals, the pair whose members were least recently in
a trio, then the softest fit. For small odd rounds every member is tried as the third
(re-solving the rest each time), and for the smallest rounds every conflict-free
triple is tried, so the trio is chosen by the same score as the pairs (exactly, up to
``trio_exact_limit`` members). A trio is then improved by local swaps with each pair.
Anyone who still cannot be placed is reported with a reason, never dropped.
"""

from __future__ import annotations

from itertools import combinations

from bot.pairing.matching import trio_bulk
from bot.pairing.matching.graph import Pair, exposed, full_edges, solve
from bot.pairing.matching.score import Scorer
from bot.pairing.matching.types import Unmatched

Group = tuple[int, ...]


def attach_value(scorer: Scorer, member: int, pair: Group) -> int:
    """What adding ``member`` to ``pair`` adds to the score (minus fairness of the pair)."""
    a, b = pair
    return (
        scorer.pair_value(member, a)
        + scorer.pair_value(member, b)
        - scorer.level[a]
        - scorer.level[b]
    )


def place_leftovers(
    scorer: Scorer, nodes: list[int], pairs: list[Pair], leftovers: list[int]
) -> tuple[list[Group], list[tuple[int, Unmatched]]]:
    """Turn pairs plus leftovers into groups (trios where possible) and reasoned exclusions."""
    groups: list[Group] = [tuple(p) for p in pairs]
    unmatched: list[tuple[int, Unmatched]] = []
    everyone = set(nodes)
    for member in sorted(leftovers, key=lambda m: (-scorer.level[m], m)):
        if len(groups) >= trio_bulk.BULK:  # every pair at once (numpy), same choice
            best = trio_bulk.best_pair_for(scorer, member, groups)
        else:
            best = _best_pair_for(scorer, member, groups)
        if best is not None:
            groups[best] = (*groups[best], member)
        elif len(everyone) < 2:
            unmatched.append((member, Unmatched.ALONE))
        elif everyone - {member} <= scorer.conflict[member]:
            unmatched.append((member, Unmatched.ALL_CONFLICTS))
        else:
            unmatched.append((member, Unmatched.NO_PARTNER_LEFT))
    return groups, unmatched


def _best_pair_for(scorer: Scorer, member: int, groups: list[Group]) -> int | None:
    """The index of the pair ``member`` joins best (by ``attach_value``), or None."""
    blocked = scorer.conflict[member]
    best = None
    best_value = 0
    for i, group in enumerate(groups):
        if len(group) != 2 or group[0] in blocked or group[1] in blocked:
            continue
        value = attach_value(scorer, member, group)
        if best is None or value > best_value:
            best, best_value = i, value
    return best


Grouping = tuple[list[Group], list[tuple[int, Unmatched]]]


def _score(scorer: Scorer, grouping: Grouping) -> int:
    return scorer.score(grouping[0], [m for m, _ in grouping[1]])


def search_trio(scorer: Scorer, nodes: list[int], baseline: Grouping) -> Grouping:
    """Try every member (or every triple, when few) as the trio; keep the best score."""
    edges = full_edges(scorer, nodes)
    best, best_score = baseline, _score(scorer, baseline)
    if len(nodes) <= scorer.config.trio_exact_limit:
        trios = [
            t
            for t in combinations(nodes, 3)
            if not any(b in scorer.conflict[a] for a, b in combinations(t, 2))
        ]
    else:
        trios = [(m,) for m in nodes]
    for trio in trios:
        rest = [m for m in nodes if m not in trio]
        pairs = solve(scorer, rest, {e for e in edges if e[0] not in trio and e[1] not in trio})
        if len(trio) == 3:
            leftovers = exposed(rest, pairs)
            candidate = place_leftovers(scorer, nodes, [*pairs, trio], leftovers)
        else:
            candidate = place_leftovers(scorer, nodes, pairs, [*trio, *exposed(rest, pairs)])
        score = _score(scorer, candidate)
        if score > best_score:
            best, best_score = candidate, score
    return best


SPLITS = [(t, tuple(i for i in range(5) if i not in t)) for t in combinations(range(5), 3)]


def improve_trios(scorer: Scorer, groups: list[Group]) -> list[Group]:
    """Regroup each trio with each pair (five members, ten splits) while the score rises.

    Cheap (linear in the number of pairs per pass, ten pair values per pair) and safe:
    a split with a declared conflict is never considered, and a change is kept only if
    the score goes up.
    """
    groups = list(groups)
    improved = True
    while improved:
        improved = False
        for ti in range(len(groups)):
            if len(groups[ti]) != 3:
                continue
            if len(groups) >= trio_bulk.BULK:  # every pair at once (numpy), same choices
                improved = trio_bulk.improve_pass(scorer, groups, ti) or improved
                continue
            for pi in range(len(groups)):
                if len(groups[pi]) != 2:
                    continue
                five = (*groups[ti], *groups[pi])
                split, gain = _best_split(scorer, five)
                if gain > 0:
                    groups[ti] = tuple(five[i] for i in split[0])
                    groups[pi] = tuple(five[i] for i in split[1])
                    improved = True
    return groups


def _best_split(scorer: Scorer, five: Group) -> tuple[tuple[Group, Group], int]:
    """The best trio + pair split of five members and its gain over the current one."""
    value: dict[tuple[int, int], int | None] = {}
    for i, j in combinations(range(5), 2):
        a, b = five[i], five[j]
        value[i, j] = None if b in scorer.conflict[a] else scorer.pair_value(a, b)
    scores = []
    for trio, pair in SPLITS:
        parts = [value[p] for p in (*combinations(trio, 2), pair)]
        if None in parts:
            scores.append(None)
            continue
        fairness = sum(scorer.level[five[i]] for i in trio)
        scores.append(sum(parts) - fairness)
    current = scores[0]  # SPLITS[0] is the trio and pair as they stand
    best = max(range(len(SPLITS)), key=lambda s: float("-inf") if scores[s] is None else scores[s])
    if current is None or scores[best] is None:
        return SPLITS[0], 0
    return SPLITS[best], scores[best] - current
