"""`/peer export` and `/peer forget-me` cover pairing; others' conflicts stay theirs and private."""

from __future__ import annotations

import json

from bot.pairing.data import erase_pairing, export_pairing
from tests.support.world import WS, World, buttons


async def test_export_has_your_rounds_and_your_list_but_not_others_conflicts(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol")
    await w.say("alice", "pair avoid @carol")
    await w.say("bob", "pair avoid @alice")
    await w.say("fran", "pair round")
    data = export_pairing(w.db, WS, "alice")
    assert [c["member"] for c in data["your_dont_pair_list"]] == ["carol"]
    assert data["opted_in"][0]["group"] == "Circle"
    assert data["rounds"][0]["state"] == "unpaired"
    assert "bob" not in json.dumps(data["your_dont_pair_list"])  # bob's list is his alone
    assert [c["member"] for c in export_pairing(w.db, WS, "bob")["your_dont_pair_list"]] == [
        "alice"]


async def test_forget_me_erases_pairing_rows_and_queued_group_intros(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob", "carol", "dan")
    await w.say("carol", "pair avoid @alice")
    await w.say("alice", "pair avoid @dan")
    await w.say("fran", "pair round")  # not drained: intros still queued
    card = (await w.command("alice", "forget-me"))[0]
    assert "erased" in await w.tap("alice", buttons(card.message)["Erase everything"])
    for table, column in (("pairing_optins", "user_id"), ("pairing_round_members", "user_id"),
                          ("pairing_conflicts", "user_id")):
        rows = w.db.execute(f"SELECT count(*) FROM {table} WHERE {column} = 'alice'").fetchone()
        assert rows == (0,), table
    assert w.db.execute("SELECT count(*) FROM pairing_conflicts WHERE other_id = 'alice'"
                        ).fetchone() == (0,)
    assert w.db.execute("SELECT count(*) FROM pairing_conflicts WHERE user_id = 'carol'"
                        " AND other_id LIKE 'erased:%'").fetchone() == (1,)  # still protects
    keys = [k for k, _, _ in w.outbox("pairing.intro")]
    assert keys and not any("alice" in k for k in keys)


async def test_erase_counts_rows(tmp_path):
    w = World.pairing(tmp_path)
    await w.join("alice", "bob")
    await w.say("fran", "pair round")
    with w.db.atomic():
        assert erase_pairing(w.db, WS, "alice") >= 3  # opt-in, round row, queued intro
