"""Matching runs in the bot's worker process, with a budget, while the loop keeps going."""

from __future__ import annotations

import asyncio
import random

from bot.core.offload import Compute, Lane
from bot.pairing import engine
from bot.pairing.engine import MatchInputs, propose
from bot.pairing.matching.solver import Candidate, MatchConfig

ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]


def inputs(n: int, **config) -> MatchInputs:
    rng = random.Random(n)
    ids = [f"u{i:05d}" for i in range(n)]
    people = tuple(
        Candidate(m, tz=rng.choice(ZONES), work_start=rng.randrange(12, 25) / 2,
                  work_end=rng.randrange(30, 40) / 2)
        for m in ids
    )
    conflicts = {frozenset(rng.sample(ids, 2)) for _ in range(n)}
    history = [[tuple(rng.sample(ids, 2)) for _ in range(n // 2)] for _ in range(3)]
    return MatchInputs(people, conflicts, history, MatchConfig(seed=3, **config))


def test_the_worker_process_gives_the_same_groups_as_in_process():
    case = inputs(700, sparse_limit=0, window_size=100)
    compute = Compute()
    try:
        remote = propose(case, compute, budget_seconds=600)
    finally:
        compute.close()
    local = propose(case, None, budget_seconds=600)
    assert remote.groups == local.groups and remote.method == "windows"
    placed = sorted(u for g in remote.groups for u in g) + sorted(remote.unpaired)
    assert sorted(placed) == sorted(case.user_ids)


def test_a_spent_budget_still_places_everyone():
    # The seams pass stops at once; the first pass always completes.
    case = inputs(500, sparse_limit=0, window_size=60)
    proposal = propose(case, None, budget_seconds=0)
    placed = [u for g in proposal.groups for u in g] + list(proposal.unpaired)
    assert sorted(placed) == sorted(case.user_ids)
    assert not any(frozenset((a, b)) in case.conflicts
                   for g in proposal.groups for a in g for b in g if a < b)


async def test_the_loop_answers_while_a_round_is_matched_in_the_worker():
    case = inputs(3000)
    compute, lane = Compute(), Lane("jobs")
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker():
        loop = asyncio.get_running_loop()
        last = loop.time()
        while not done.is_set():
            await asyncio.sleep(0.005)
            now = loop.time()
            gaps.append(now - last)
            last = now

    task = asyncio.get_running_loop().create_task(ticker())
    try:
        seen: list[int] = []

        def run_round():
            seen.append(id(compute))
            return propose(case, compute)

        proposal = await lane.run(run_round)
    finally:
        done.set()
        await task
        lane.close()
        compute.close()
    assert len(proposal.groups) == 1500
    assert len(gaps) > 20  # the loop kept ticking the whole time the round was matched
    assert engine.MATCH_BUDGET_SECONDS > 0


def test_the_inputs_cross_to_the_worker_and_back_unchanged():
    """msgpack, not pickle, carries them (bot.pairing.engine.match_packed): every field of
    every candidate, the conflicts, the history and the settings arrive as they left."""
    import msgspec

    case = inputs(300)
    assert msgspec.msgpack.decode(msgspec.msgpack.encode(case), type=MatchInputs) == case


def test_in_process_the_answer_is_the_one_the_worker_would_give():
    """Inline (tests, the console, benchmarks) the engine's result is used directly, with
    no msgpack copy of the inputs; it must equal what crosses back from the worker."""
    import msgspec

    case = inputs(301)  # odd: a trio and the not-placed list are compared too
    inline = engine.propose(case, Compute.in_process())
    packed = engine.match_packed(msgspec.msgpack.encode(case), engine.MATCH_BUDGET_SECONDS)
    groups, unmatched, method = msgspec.msgpack.decode(packed, type=engine.Packed)
    assert (inline.groups, inline.method) == (groups, method)
    assert inline.unpaired == {user: engine.NotPaired.from_engine(why)
                               for user, why in unmatched}


def test_the_worker_decodes_conflicts_as_tuples_and_honours_every_one():
    """Decoded as frozensets, 2 million conflicts took 4.4 s of the worker's budget;
    as tuples (engine.Wire) 0.4 s. The same pairs arrive, and the same groups come
    back, a malformed entry (one id) ignored as in process."""
    import msgspec

    case = inputs(301)
    odd = MatchInputs(case.candidates, case.conflicts | {frozenset(("u00001",))},
                      case.history, case.config)
    wire = msgspec.msgpack.decode(msgspec.msgpack.encode(odd), type=engine.Wire)
    assert all(isinstance(pair, tuple) for pair in wire.conflicts)
    assert {frozenset(pair) for pair in wire.conflicts} == odd.conflicts
    packed = engine.match_packed(msgspec.msgpack.encode(odd), engine.MATCH_BUDGET_SECONDS)
    groups, _, _ = msgspec.msgpack.decode(packed, type=engine.Packed)
    assert groups == engine.propose(case, None).groups
    assert not any(frozenset((a, b)) in case.conflicts for g in groups for a in g for b in g
                   if a < b)
