"""The one door between the pairing service and the matching engine.

The service gathers plain facts (who is available, their working hours and specialty,
declared conflicts, past rounds, who waited or was in a trio); :func:`propose` hands
them to :func:`bot.pairing.matching.solver.match` and returns groups of two or three, why
each was chosen, and the people left unpaired with a :class:`NotPaired` reason.
:func:`best_partner` and :func:`best_pair_to_join` reuse the engine's score for the
small decisions inside a running round (re-pairing someone whose partner stepped out).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import msgspec

from bot.core.offload import Compute
from bot.pairing.matching.budget import Budget
from bot.pairing.matching.score import Scorer
from bot.pairing.matching.solver import (
    Candidate,
    MatchConfig,
    MatchResult,
    match,
    not_yet_met,
    not_yet_met_summary,
)
from bot.pairing.matching.types import Unmatched
from bot.pairing.model import NotPaired


@dataclass(frozen=True)
class MatchInputs:
    """Everything matching needs, with member ids only (no names, no free text)."""

    candidates: tuple[Candidate, ...]
    conflicts: set[frozenset[str]]
    history: list[list[tuple[str, ...]]]  # every past round of the group, most recent first
    config: MatchConfig

    @property
    def user_ids(self) -> tuple[str, ...]:
        return tuple(c.member_id for c in self.candidates)


@dataclass
class Proposal:
    groups: list[tuple[str, ...]] = field(default_factory=list)
    unpaired: dict[str, NotPaired] = field(default_factory=dict)
    method: str = ""


# The whole match of a round above MatchConfig.sparse_limit (inputs, graph, windows,
# finishing) aims to end within this many seconds: the optional seam windows stop early
# enough for it (bot.pairing.matching.budget); the steps every round needs always run.
# Smaller rounds are exact and do not look at it. Issue 16's goal is 5 s at 20,000
# members in every run; the margin is for a slower minute on a shared machine (the
# seam windows add about 0.005 % to the score at 20,000 members, so cutting them early
# costs next to nothing).
MATCH_BUDGET_SECONDS = 3.0


def match_within(inputs: MatchInputs, budget_seconds: float,
                 clock: Callable[[], float] = time.monotonic,
                 budget: Budget | None = None) -> MatchResult:
    """The engine on ``inputs`` with a wall-clock budget; runs in the worker process.

    A module-level function over plain data, so ``Compute`` can pickle it. The clock is
    read here (or by the ``budget`` the caller already started), outside the pure
    engine, which only asks how much time is left. Nothing the bot sends back carries
    the engine's per-group explanations, so they are not worded.
    """
    budget = budget or Budget(budget_seconds, clock)
    return match(inputs.candidates, inputs.conflicts, inputs.history, inputs.config,
                 budget, explain_groups=False)


Packed = tuple[list[tuple[str, ...]], list[tuple[str, Unmatched]], str]


@dataclass(frozen=True)
class Wire:
    """:class:`MatchInputs` as the worker decodes them: the same msgpack, conflicts as tuples.

    msgpack carries a set of frozensets as a list of lists; decoded back into 2 million
    frozensets (a 20,000-member round with 1 % of pairs in conflict) that took 4.4 s
    of the worker's budget, and 0.4 s as tuples, which the engine reads the same way.
    """

    candidates: tuple[Candidate, ...]
    conflicts: list[tuple[str, ...]]
    history: list[list[tuple[str, ...]]]
    config: MatchConfig


def match_packed(packed: bytes, budget_seconds: float) -> bytes:
    """:func:`match_within` for the worker process, inputs and answer as msgpack bytes.

    Pickling the 20,000-member inputs and result between the processes took 0.15 s and
    0.25 s in single calls that hold the bot's interpreter lock (every acknowledgement
    waited for them); msgpack of plain data is a few milliseconds each way, and only
    what the round writes comes back (the groups, who was not placed and why, the
    method), not the engine's per-group explanations. The budget starts before the
    inputs are decoded (:class:`Wire`): decoding is part of the match's time.
    """
    budget = Budget(budget_seconds, time.monotonic)
    wire = msgspec.msgpack.decode(packed, type=Wire)
    result = match(wire.candidates, wire.conflicts, wire.history, wire.config, budget,
                   explain_groups=False)
    return msgspec.msgpack.encode((result.groups, result.unmatched, result.method))


def propose(inputs: MatchInputs, compute: Compute | None = None,
            budget_seconds: float = MATCH_BUDGET_SECONDS) -> Proposal:
    """Pairs (a trio when the count is odd) maximising the engine's one score.

    With ``compute`` (the bot's worker process) the matching runs there, so a
    20,000-member round holds neither the event loop nor the interpreter lock while
    other commands are answered; the caller is a sync handler or job already off the
    loop, and waits for it. Inputs and answer cross as msgpack (:func:`match_packed`).
    """
    runner = compute or Compute.in_process()
    if runner.inline:  # in the caller's process: no second copy of 20,000 members' inputs
        result = runner.run(match_within, inputs, budget_seconds)
        groups, unmatched, method = result.groups, result.unmatched, result.method
    else:
        answer = runner.run(match_packed, msgspec.msgpack.encode(inputs), budget_seconds)
        groups, unmatched, method = msgspec.msgpack.decode(answer, type=Packed)
    return Proposal(
        groups=groups,
        unpaired={user: NotPaired.from_engine(reason) for user, reason in unmatched},
        method=method,
    )


def unmet(inputs: MatchInputs) -> dict[str, tuple[str, ...]]:
    """For each candidate, the others here they were never grouped with (any round)."""
    return not_yet_met(list(inputs.user_ids), inputs.history)


def unmet_summary(
    inputs: MatchInputs, order: list[str], people: int, names: int
) -> tuple[list[tuple[str, list[str], int]], int]:
    """The first few members with colleagues never met, for the preview (linear cost)."""
    return not_yet_met_summary(order, inputs.history, people, names)


def _scorer(inputs: MatchInputs) -> Scorer:
    return Scorer(list(inputs.candidates), set(inputs.conflicts), inputs.history, inputs.config)


def best_partner(inputs: MatchInputs, user: str, options: list[str]) -> str | None:
    """The option the engine scores highest with ``user``; never a declared conflict."""
    scorer = _scorer(inputs)
    me = scorer.index.get(user)
    fits = [o for o in options if o in scorer.index and scorer.index[o] not in
            (scorer.conflict[me] if me is not None else set())]
    if me is None or not fits:
        return None
    return max(sorted(fits), key=lambda o: scorer.pair_value(me, scorer.index[o]))


def best_pair_to_join(
    inputs: MatchInputs, user: str, pairs: list[tuple[int, list[str]]]
) -> int | None:
    """Which running pair ``user`` should join as a third (by slot), or None if none fits."""
    scorer = _scorer(inputs)
    me = scorer.index.get(user)
    if me is None:
        return None
    best: tuple[int, int] | None = None
    for slot, users in sorted(pairs):
        idx = [scorer.index.get(u) for u in users]
        if None in idx or any(i in scorer.conflict[me] for i in idx):
            continue
        value = sum(scorer.pair_value(me, i) for i in idx if i is not None)
        if best is None or value > best[0]:
            best = (value, slot)
    return best[1] if best else None
