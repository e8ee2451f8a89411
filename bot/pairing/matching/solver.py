"""The matching engine for peer pairing: pure code, no database, no clock, no platform.

One call, :func:`match`, takes the members available this round, the declared
conflicts, past rounds and a config, and returns pairs (plus one trio when the count
is odd), everyone not placed with a reason, why each group was chosen, and the score.

The score is one integer with strict tiers (see ``matching_score``): members placed,
then fewest partners from the last K rounds, then trio fairness, then working-hours
overlap, specialty preference and novelty. Declared conflicts are never an edge, so
they can never be paired, in a pair or a trio. Up to ``exact_limit`` members the full
graph gives the exact optimum; above it a sparse graph of each member's best candidates
is solved (``matching_graph``). The same inputs and seed give the same result.

Modules: ``matching_types`` (values), ``matching_score`` (the score), ``matching_graph``
(graphs and the solver), ``matching_trio`` (trios and leftovers), ``matching_explain``
(reasons and the not-yet-met summary).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from bot.pairing.matching.budget import Budget
from bot.pairing.matching.explain import (
    explain,
    group_not_yet_met,
    not_yet_met,
    not_yet_met_summary,
)
from bot.pairing.matching.graph import exposed, pair_up
from bot.pairing.matching.score import Scorer, slots_from_minutes, weekly_mask
from bot.pairing.matching.trio import improve_trios, place_leftovers, search_trio
from bot.pairing.matching.types import (
    Candidate,
    GroupExplanation,
    MatchConfig,
    MatchResult,
    ScoreParts,
    Unmatched,
)

__all__ = [
    "Candidate",
    "GroupExplanation",
    "MatchConfig",
    "MatchResult",
    "ScoreParts",
    "Unmatched",
    "group_not_yet_met",
    "match",
    "not_yet_met",
    "not_yet_met_summary",
    "slots_from_minutes",
    "weekly_mask",
]


def match(
    candidates: Iterable[Candidate],
    conflicts: Iterable[Collection[str]] = (),
    history: Iterable[Iterable[tuple[str, ...]]] = (),
    config: MatchConfig | None = None,
    budget: Budget | None = None,
    explain_groups: bool = True,
) -> MatchResult:
    """Group this round's members so the score is as high as possible.

    Args:
        candidates: members available this round (opted in, not skipping), each once.
        conflicts: pairs of member ids never to be grouped, whoever declared them; ids
            of members not in this round are ignored (frozensets, or tuples as the
            worker decodes them).
        history: past rounds, most recent first; each a list of groups (tuples of ids,
            pairs or trios). Every member of a group counts as having met the others.
        config: recent_rounds K, specialty preference, seed and solver limits.
        budget: the whole match's time budget, on the caller's clock (the engine
            reads none): above ``sparse_limit`` the optional improvement stops early
            enough for the match to finish within it (``matching.budget``). Without
            one the result depends on the inputs and seed only.
        explain_groups: whether to word why each group was chosen (``explanations``);
            the worker leaves it out, as nothing it sends back carries them.

    Returns:
        A :class:`MatchResult`; every candidate is in exactly one group or in
        ``unmatched`` with an :class:`Unmatched` reason.
    """
    cfg = config or MatchConfig()
    rounds = [[tuple(g) for g in groups] for groups in history]
    scorer = Scorer(list(candidates), conflicts, rounds, cfg)
    nodes = list(range(len(scorer.ids)))
    stats: dict[str, int] = {"members": len(nodes)}
    if len(nodes) < 2:
        groups, left = [], [(m, Unmatched.ALONE) for m in nodes]
        method = "exact"
    else:
        pairs, method = pair_up(scorer, nodes, stats, budget)
        groups, left = place_leftovers(scorer, nodes, pairs, exposed(nodes, pairs))
        if method == "exact" and len(nodes) % 2 and len(nodes) <= cfg.trio_search_limit:
            groups, left = search_trio(scorer, nodes, (groups, left))
        groups = improve_trios(scorer, groups)
    parts = scorer.parts(groups, [m for m, _ in left])
    ordered = sorted(groups, key=lambda g: sorted(scorer.ids[m] for m in g))
    return MatchResult(
        groups=[tuple(sorted(scorer.ids[m] for m in g)) for g in ordered],
        unmatched=sorted((scorer.ids[m], reason) for m, reason in left),
        explanations=[explain(scorer, g, _third(scorer, g)) for g in ordered]
        if explain_groups else [],
        score=scorer.total(parts),
        parts=parts,
        method=method,
        stats=stats,
    )


def _third(scorer: Scorer, group: tuple[int, ...]) -> int | None:
    """The trio member who counts as added: the one fairness put there (lowest level)."""
    if len(group) != 3:
        return None
    return min(group, key=lambda m: (scorer.level[m], m))
