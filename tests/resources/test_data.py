"""Export and erasure: named shares go with the member, anonymous ones stay (as promised)."""

from __future__ import annotations

import json

from bot.core import action_ids
from bot.core.model import Buttons
from tests.resources.conftest import count


async def forget(world, who: str) -> None:
    card = (await world.command(who, "forget-me"))[0]
    confirm = next(b.value for blk in card.message.blocks if isinstance(blk, Buttons)
                   for b in blk.buttons if b.label == "Erase everything")
    await world.press(who, confirm)


async def test_erasure_removes_named_shares_and_votes_and_keeps_anonymous_ones(world):
    await world.say("alice", "resources add https://a.org/named Named as:named")
    await world.say("alice", "resources add https://a.org/anon Anon as:anonymous")
    await world.say("bob", "resources add https://a.org/bob Bobs as:named")
    await world.tap("alice", action_ids.encode("resources.helpful", 3))
    await forget(world, "alice")
    assert world.db.execute("SELECT title FROM resources ORDER BY id").fetchall() == [
        ("Anon",), ("Bobs",)]
    assert count(world, "resource_votes") == 0


async def test_export_lists_named_shares_and_votes_but_cannot_know_anonymous_ones(world):
    await world.say("alice", "resources add https://a.org/named Named note:mine as:named")
    await world.say("alice", "resources add https://a.org/anon Anon as:anonymous")
    await world.tap("alice", action_ids.encode("resources.helpful", 2))
    reply = (await world.command("alice", "export"))[0]
    data = json.loads(reply.message.attachment.content)
    mine = data["topics"]["resources"]
    assert [r["title"] for r in mine["shared_with_your_name"]] == ["Named"]
    assert [v["resource_id"] for v in mine["marked_helpful"]] == [2]
    assert "Anon" not in json.dumps(mine)
