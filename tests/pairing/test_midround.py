"""A member leaving mid-round: the round stays consistent and the partner is told kindly."""

from __future__ import annotations

from datetime import timedelta

from bot.core.model import mention
from tests.support.world import WS, World, buttons, text


def state(w: World, user: str) -> tuple:
    return w.db.execute(
        "SELECT state, slot FROM pairing_round_members WHERE workspace_id = ? AND user_id = ?",
        [WS, user],
    ).fetchone()


async def paired_round(w: World, *users: str) -> None:
    await w.join(*users)
    await w.say("fran", "pair round")
    await w.drain()


async def test_leaving_a_pair_tells_the_partner_and_offers_a_re_pair(tmp_path):
    w = World.pairing(tmp_path)
    await paired_round(w, "alice", "bob", "carol", "dan")
    pair = next(g for g in w.messenger.groups() if "alice" in g)
    partner = next(u for u in pair if u != "alice")
    out = await w.say("alice", "pair leave")
    assert f"{partner} will hear that you can't make this round" in out
    await w.drain()
    notice = w.messenger.to(partner)[-1]
    assert "alice can't make this *Circle* round after all" in text(notice)
    assert "nothing you did" in text(notice)
    assert set(buttons(notice)) == {"Join another pair", "Sit this one out"}
    assert state(w, "alice")[0] == "left" and state(w, partner)[0] == "waiting"
    joined = await w.tap(partner, buttons(notice)["Join another pair"])
    assert "joined" in joined and "as a trio" in joined
    await w.drain()
    trio = w.messenger.groups()[-1]
    assert len(trio) == 3 and partner in trio and "alice" not in trio
    assert f"{mention(partner)} is joining you for this round" in text(w.messenger.sent[-1][1])


async def test_leaving_a_trio_keeps_the_other_two_together(tmp_path):
    w = World.pairing(tmp_path)
    await paired_round(w, "alice", "bob", "carol")
    await w.say("carol", "pair leave")
    await w.drain()
    target, msg = w.messenger.sent[-1]
    assert sorted(target.user_ids) == ["alice", "bob"]
    assert "the two of you are still on" in text(msg)
    assert state(w, "alice") == ("paired", 0) and state(w, "bob") == ("paired", 0)


async def test_sitting_out_after_a_partner_left(tmp_path):
    w = World.pairing(tmp_path)
    await paired_round(w, "alice", "bob")
    await w.say("alice", "pair skip")
    await w.drain()
    notice = w.messenger.to("bob")[-1]
    out = await w.tap("bob", buttons(notice)["Sit this one out"])
    assert "among the first next round" in out
    assert state(w, "bob") == ("unpaired", None)


async def test_re_pair_never_joins_a_declared_conflict(tmp_path):
    w = World.pairing(tmp_path)
    await paired_round(w, "alice", "bob", "carol", "dan")
    groups = w.messenger.groups()
    alice_pair = next(g for g in groups if "alice" in g)
    other_pair = next(g for g in groups if "alice" not in g)
    partner = next(u for u in alice_pair if u != "alice")
    await w.say(partner, f"pair avoid @{other_pair[0]}")
    await w.say("alice", "pair leave")
    await w.drain()
    out = await w.tap(partner, buttons(w.messenger.to(partner)[-1])["Join another pair"])
    assert "nobody else could be matched" in out
    assert state(w, partner) == ("unpaired", None)


async def test_an_intro_not_yet_sent_is_withdrawn_and_resent_to_who_remains(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol")
    await w.say("fran", "pair round")  # not drained: the trio's intro is still pending
    await w.say("carol", "pair leave")
    await w.drain()
    assert [sorted(t.user_ids) for t, _ in w.messenger.sent] == [["alice", "bob"]]
    assert f"Hello {mention('alice')} and {mention('bob')}" in text(w.messenger.sent[0][1])


async def test_avoiding_your_current_partner_offers_to_step_out(tmp_path):
    w = World.pairing(tmp_path)
    await paired_round(w, "alice", "bob")
    replies = await w.command("alice", "pair avoid @bob")
    step = buttons(replies[0].message)["Step out of this round"]
    assert "stepped out" in await w.tap("alice", step)
    await w.drain()
    notice = text(w.messenger.to("bob")[-1])
    assert "can't make this" in notice and "avoid" not in notice and "list" not in notice


async def test_a_partner_who_erased_their_data_is_replaced_kindly(tmp_path):
    w = World.pairing(tmp_path)
    await paired_round(w, "alice", "bob")
    card = (await w.command("alice", "forget-me"))[0]
    await w.tap("alice", buttons(card.message)["Erase everything"])
    await w.wait(timedelta(minutes=5))
    notice = w.messenger.to("bob")[-1]
    assert "Your partner can't make this *Circle* round after all" in text(notice)
    assert "alice" not in text(notice)
    assert state(w, "bob")[0] == "waiting"
    await w.wait(timedelta(minutes=5))
    assert len(w.messenger.to("bob")) == 2  # told once


async def test_leaving_the_group_mid_round_tells_the_partner_too(tmp_path):
    w = World.pairing(tmp_path)
    await paired_round(w, "alice", "bob", "carol", "dan")
    pair = next(g for g in w.messenger.groups() if "alice" in g)
    partner = next(u for u in pair if u != "alice")
    await w.say("alice", "group leave Circle")
    await w.drain()
    assert "alice can't make this *Circle* round after all" in text(w.messenger.to(partner)[-1])
    assert state(w, "alice")[0] == "left"
