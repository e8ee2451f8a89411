"""Export includes every check-in row with notes; erasure removes them and buddy links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.checkins.data import erase_checkins, export_checkins
from bot.core.model import plain_text
from tests.support.world import WS, World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
NOTES = {"groups": [{"name": "Circle", "checkins": {"free_text": True}}]}


async def test_note_only_when_allowed_and_with_a_reminder(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8)
    w.add("alice")
    assert "no open check-in" in text_of(await w.command("alice", "checkin note hard day"))
    await w.wait(timedelta(hours=1, minutes=1))
    assert "notes are turned off" in text_of(await w.command("alice", "checkin note hard day"))
    assert w.db.execute("SELECT note FROM checkin_prompts").fetchone()[0] is None


async def test_export_then_erase(tmp_path):
    w = World.checkins(tmp_path, MONDAY_8, NOTES)
    w.add("alice")
    w.add("bob")
    await w.wait(timedelta(hours=1, minutes=1))
    assert "identify a client" in plain_text(w.messenger.to("alice")[0])
    out = text_of(await w.command("alice", "checkin note long day"))
    assert "Saved your private note" in out and "identify a client" in out
    await w.press("alice", answer_buttons(w.messenger.to("alice")[0])[("mood", "3")])
    await w.command("alice", "checkin buddy @bob")
    await w.command("bob", "checkin buddy @alice")
    await w.command("alice", "checkin time 10:00")

    data = export_checkins(w.db, WS, "alice")
    assert data["prompts"][0]["note"] == "long day"
    assert data["prompts"][0]["answers"] == {"mood": 3}
    assert data["preferences"]["time"] == "10:00"
    assert data["my_buddy"]["buddy_id"] == "bob"

    with w.db.atomic():
        removed = erase_checkins(w.db, WS, "alice")
    assert removed == 5  # 1 answer, 1 prompt, 1 prefs row, 2 buddy links
    assert export_checkins(w.db, WS, "alice") == {
        "prompts": [], "preferences": None, "my_buddy": None, "buddy_for": []}
    assert w.db.execute("SELECT count(*) FROM checkin_buddies").fetchone()[0] == 0
    assert len(w.prompts("bob")) == 1  # bob's own check-in untouched
