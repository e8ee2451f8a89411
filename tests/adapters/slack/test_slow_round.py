"""A facilitator's `/peer pair round` no longer holds everyone else's commands.

Through the real slack-bolt app: the round's matching is held (a gate in place of the
worker process) and, while it is held, other members' commands are answered: the
round runs on a lane of its own and matches outside any transaction, so neither the
commands lane nor the database's write lock waits for it. Event ordering only, no
timings. A member who opts in while the round is being matched is not left out: the
unit of work sees the inputs changed and matches again.
"""

from __future__ import annotations

import asyncio
import threading

from bot.core.model import Actor
from bot.core.offload import Compute
from bot.pairing.participants import PairingMembers
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import signed_headers, slash_command

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}
MEMBERS = 300


class GatedCompute(Compute):
    """Matching in the caller, but the first call waits until the test releases it."""

    def __init__(self) -> None:
        super().__init__(inline=True)
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def run(self, fn, *args):
        self.calls += 1
        self.started.set()
        if not self.release.wait(60):
            raise TimeoutError("the test never released the matching")
        return fn(*args)


async def _send(h, user: str, text: str) -> None:
    """Post a signed slash command and return once acknowledged (not once answered)."""
    body = slash_command("/peer", text, user_id=user, user_name=user.lower(),
                         response_url=h.api.response_url(user))
    response = await h.adapter.receive(body.encode(), signed_headers(body))
    assert response.status == 200


async def _answer(h, user: str, count: int = 1) -> dict:
    async with asyncio.timeout(30):
        while len(h.responses(user)) < count:
            await asyncio.sleep(0.01)
    return h.responses(user)[count - 1]


def _seed(h) -> None:
    """MEMBERS consenting members opted in to pairing in the group (fast, no commands)."""
    ctx = h.assembly.ctx
    ws = "T0PEER"
    group = ctx.members.group_by_name(ws, "circle")
    people = PairingMembers(ctx.db, ctx.clock)
    with ctx.db.atomic():
        for n in range(MEMBERS):
            actor = Actor(ws, f"UM{n:04d}", f"m{n}")
            ctx.members.ensure_member(actor)
            ctx.members.record_consent(actor)
            people.join(ws, group.id, actor.user_id)
        # as if each had pressed "I agree" on the group agreement
        ctx.db.execute("UPDATE memberships SET hold = NULL WHERE user_id LIKE 'UM%'")


async def _setup(fake_api, make_settings, clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    await h.post(slash_command("/peer", "help", user_id="U0FRAN",
                               response_url=h.api.response_url("U0FRAN")))
    _seed(h)
    ctx = h.assembly.ctx
    ctx.members.record_consent(Actor("T0PEER", "U0FRAN", "fran"))
    ctx.db.conn.commit()
    gate = h.assembly.ctx.compute = GatedCompute()
    return h, gate


async def test_other_commands_are_answered_while_a_manual_round_matches(
        fake_api, make_settings, clock):
    h, gate = await _setup(fake_api, make_settings, clock)
    try:
        await _send(h, "U0FRAN", "pair round")
        assert await asyncio.to_thread(gate.started.wait, 30)  # matching, and held there
        await _send(h, "UM0001", "pair")  # another member's command, meanwhile
        status = await _answer(h, "UM0001")
        assert "circle" in status["text"]
        assert not gate.release.is_set() and h.responses("U0FRAN")[1:] == []
        gate.release.set()
        started = await _answer(h, "U0FRAN", 2)
        assert started["text"].startswith("Round started in *circle*"), started["text"]
        await h.adapter.idle()
        assert gate.calls == 1  # matched once, outside the unit; not again under the lock
        placed = h.assembly.ctx.db.execute(
            "SELECT count(*) FROM pairing_round_members WHERE state = 'paired'").fetchone()[0]
        assert placed == MEMBERS
    finally:
        gate.release.set()
        await h.adapter.idle()
        h.assembly.core.close()
        h.assembly.ctx.db.close()


async def test_a_member_who_opts_in_while_the_round_matches_is_not_left_out(
        fake_api, make_settings, clock):
    h, gate = await _setup(fake_api, make_settings, clock)
    try:
        await _send(h, "U0FRAN", "pair round")
        assert await asyncio.to_thread(gate.started.wait, 30)
        await _send(h, "UM0001", "pair leave")  # a change between the match and the write
        assert "circle" in (await _answer(h, "UM0001"))["text"]
        gate.release.set()
        started = await _answer(h, "U0FRAN", 2)
        assert started["text"].startswith("Round started in *circle*"), started["text"]
        await h.adapter.idle()
        assert gate.calls == 2  # the inputs changed: matched again inside the unit
        rows = dict(h.assembly.ctx.db.execute(
            "SELECT user_id, state FROM pairing_round_members").fetchall())
        assert "UM0001" not in rows and len(rows) == MEMBERS - 1
    finally:
        gate.release.set()
        await h.adapter.idle()
        h.assembly.core.close()
        h.assembly.ctx.db.close()


async def test_other_commands_are_answered_while_the_round_is_written(
        fake_api, make_settings, clock, monkeypatch):
    """The introductions of a round are queued in steps that each commit: held between
    two steps, the round lets another member's command through, and a member who steps
    out of a slot not yet introduced is not introduced; every other slot is, once."""
    from bot.pairing import writing

    held, go = threading.Event(), threading.Event()

    def hold_once(seconds: float) -> None:
        if not held.is_set():
            held.set()
            assert go.wait(60), "the test never let the round go on"

    monkeypatch.setattr(writing, "SLOTS_PER_STEP", 25)
    monkeypatch.setattr(writing, "between_steps", hold_once)
    h, gate = await _setup(fake_api, make_settings, clock)
    gate.release.set()  # matching is not what this test holds
    db = h.assembly.ctx.db
    try:
        await _send(h, "U0FRAN", "pair round")
        assert await asyncio.to_thread(held.wait, 30)  # one step committed, then held
        assert db.execute("SELECT intro_next, intro_end FROM pairing_rounds").fetchone() == (
            25, MEMBERS // 2)
        leaver, partner = [r[0] for r in db.execute(
            "SELECT user_id FROM pairing_round_members WHERE slot = 100 ORDER BY user_id")]
        other = "UM0001" if "UM0001" not in (leaver, partner) else "UM0002"
        await _send(h, other, "pair")
        assert "circle" in (await _answer(h, other))["text"]  # answered while held
        await _send(h, leaver, "pair leave")
        assert "circle" in (await _answer(h, leaver))["text"]
        assert h.responses("U0FRAN")[1:] == []  # the round's own answer is still to come
        go.set()
        started = await _answer(h, "U0FRAN", 2)
        assert started["text"].startswith("Round started in *circle*"), started["text"]
        await h.adapter.idle()
        intros = [r[0] for r in db.execute(
            "SELECT target_key FROM outbox WHERE kind = 'pairing.intro'").fetchall()]
        assert len(intros) == len(set(intros)) == MEMBERS // 2 - 1  # all but the left slot
        assert not any(leaver in key or partner in key for key in intros)
        told = db.execute("SELECT count(*) FROM outbox WHERE kind = 'pairing.partner_left'"
                          " AND user_id = ?", [partner]).fetchone()[0]
        assert told == 1
        assert db.execute("SELECT intro_next FROM pairing_rounds").fetchone() == (None,)
    finally:
        go.set()
        gate.release.set()
        await h.adapter.idle()
        h.assembly.core.close()
        h.assembly.ctx.db.close()
