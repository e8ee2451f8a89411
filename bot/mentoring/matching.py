"""Pairing mentees with mentors: a maximum-weight bipartite matching with capacities.

Pure: no store, no clock. Each mentor is split into as many slots as they have room
for (1-3, less the mentees they already have), and mentees are matched to slots with
rustworkx's maximum-weight matching, the solver the pairing engine uses. The weights
come from the pairing engine's :class:`~bot.pairing.matching.score.Scorer`: it indexes
the declared conflicts (a conflict is never an edge) and the overlap of working hours
across time zones (no overlap, no edge; more overlap weighs more). On top of that,
shared topics weigh most, and the mentor must be further along than the mentee (a
gap of one stage is preferred to two). Ties break by a fixed order, so the same input
always gives the same pairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import rustworkx

from bot.pairing.matching.score import Scorer
from bot.pairing.matching.types import Candidate, MatchConfig

STAGES = ("early", "mid", "senior")
TOPIC_POINTS = 1000
STAGE_POINTS = {1: 300, 2: 200}
MIN_OVERLAP_HOURS = 1.0


@dataclass(frozen=True)
class Person:
    user_id: str
    stage: str
    topics: frozenset[str]
    tz: str = "UTC"
    capacity: int = 0  # mentors: how many more mentees they can take now


@dataclass(frozen=True)
class Proposal:
    mentor_id: str
    mentee_id: str
    shared_topics: tuple[str, ...]


def match(mentors: list[Person], mentees: list[Person],
          conflicts: Iterable[frozenset[str]] = ()) -> list[Proposal]:
    people = {p.user_id: p for p in [*mentors, *mentees]}
    if len(people) != len(mentors) + len(mentees):
        raise ValueError("someone is both a mentor and a mentee in one match")
    scorer = Scorer([Candidate(member_id=p.user_id, tz=p.tz) for p in people.values()],
                    list(conflicts), [], MatchConfig())
    graph = rustworkx.PyGraph()
    mentee_nodes = {graph.add_node(("mentee", m.user_id)): m for m in
                    sorted(mentees, key=lambda p: p.user_id)}
    slot_nodes = {}
    for mentor in sorted(mentors, key=lambda p: p.user_id):
        for _ in range(max(0, min(mentor.capacity, 3))):
            slot_nodes[graph.add_node(("mentor", mentor.user_id))] = mentor
    for m_node, mentee in mentee_nodes.items():
        for s_node, mentor in slot_nodes.items():
            weight = pair_weight(scorer, mentor, mentee)
            if weight is not None:
                graph.add_edge(m_node, s_node, weight)
    chosen = rustworkx.max_weight_matching(graph, max_cardinality=True,
                                           weight_fn=lambda w: int(w))
    proposals = []
    for a, b in chosen:
        mentee_node, slot = (a, b) if a in mentee_nodes else (b, a)
        mentee, mentor = mentee_nodes[mentee_node], slot_nodes[slot]
        proposals.append(Proposal(mentor.user_id, mentee.user_id,
                                  tuple(sorted(mentor.topics & mentee.topics))))
    return sorted(proposals, key=lambda p: (p.mentor_id, p.mentee_id))


def pair_weight(scorer: Scorer, mentor: Person, mentee: Person) -> int | None:
    """The value of this pair, or None when it may not be made."""
    a, b = scorer.index[mentor.user_id], scorer.index[mentee.user_id]
    if b in scorer.conflict[a]:
        return None
    gap = STAGES.index(mentor.stage) - STAGES.index(mentee.stage)
    if gap < 1:
        return None
    if scorer.overlap_hours(a, b) < MIN_OVERLAP_HOURS:
        return None
    shared = mentor.topics & mentee.topics
    if mentee.topics and not shared:
        return None
    return TOPIC_POINTS * len(shared) + STAGE_POINTS[gap] + scorer.class_soft(a, b)
