"""A mentor or mentee who erases their data: the other person is told kindly, and only
that their mentoring pair has ended (no name, no reason); nothing names the erased one.
Also the career stage in `/peer profile` (the mentoring topic's profile extra)."""

from __future__ import annotations

from bot.privacy.erasure import PrivacyService
from tests.mentoring.test_journey import dms, setup, world  # noqa: F401 (fixture)
from tests.support.world import WS


def erase(w, user: str) -> None:
    with w.db.atomic():
        PrivacyService(w.db, w.clock, w.core.router.data_owners).erase(WS, user)


def outbox_mentions(w, needle: str) -> int:
    return w.db.execute("SELECT count(*) FROM outbox WHERE payload LIKE ? OR round_key LIKE ?"
                        " OR user_id = ?", [f"%{needle}%", f"%{needle}%", needle]).fetchone()[0]


async def test_the_mentor_is_told_only_that_the_pair_ended(world):  # noqa: F811
    await setup(world)
    await world.say("fran", "mentor match")
    await world.drain()
    erase(world, "bob")
    await world.drain()
    [note] = [t for t in dms(world, "alice") if "has ended" in t]
    assert "Your mentoring pair on private practice has ended" in note
    assert "bob" not in note and "erase" not in note.lower() and "forget" not in note.lower()
    assert outbox_mentions(world, "bob") == 0
    assert "No mentoring pair" not in await world.say("alice", "mentor")  # carol's goes on
    assert world.db.execute("SELECT count(*) FROM mentoring_pairs WHERE mentee_id = 'bob'"
                            ).fetchone() == (0,)


async def test_the_mentee_is_told_when_the_mentor_erases(world):  # noqa: F811
    await setup(world)
    await world.say("fran", "mentor match")
    await world.drain()
    erase(world, "alice")
    await world.drain()
    for mentee in ("bob", "carol"):
        notes = [t for t in dms(world, mentee) if "has ended" in t]
        assert len(notes) == 1 and "alice" not in notes[0]
        assert "No mentoring pair right now" in await world.say(mentee, "mentor")
    assert outbox_mentions(world, "alice") == 0


async def test_no_word_when_the_pair_had_already_ended(world):  # noqa: F811
    await setup(world)
    await world.say("fran", "mentor match")
    await world.drain()
    with world.db.atomic():
        world.db.execute("UPDATE mentoring_pairs SET status = 'closed'")
    erase(world, "bob")
    await world.drain()
    assert not [t for t in dms(world, "alice") if "has ended" in t]
    erase(world, "dan")  # never took part: nobody is told anything
    await world.drain()
    assert not [t for t in dms(world, "carol") if "has ended" in t]


async def test_the_career_stage_is_shown_and_set_in_the_profile(world):  # noqa: F811
    shown = await world.say("bob", "profile")
    assert "Career stage" in shown and "not set" in shown and "profile stage mid" in shown
    said = await world.say("bob", "profile stage 7 years")
    assert "Career stage set to *mid*" in said
    assert "*mid*" in await world.say("bob", "mentor") or "mid" in await world.say("bob", "mentor")
    refused = await world.say("bob", "profile stage veteran")
    assert "early, mid or senior" in refused
    assert "mid" in await world.say("bob", "profile")
    assert world.db.execute("SELECT stage FROM mentoring_profiles WHERE user_id = 'bob'"
                            ).fetchone() == ("mid",)


async def test_an_erasure_applied_again_after_a_restore_tells_nobody_twice(world):  # noqa: F811
    """The other person was told at the erasure itself; re-applying it to a restored
    backup (bot/privacy/ledger.py) erases the pair again without a second message."""
    await setup(world)
    await world.say("fran", "mentor match")
    await world.drain()
    with world.db.atomic():
        PrivacyService(world.db, world.clock, world.core.router.data_owners).erase(
            WS, "bob", entry="a-ledger-line-being-re-applied")
    await world.drain()
    assert not [t for t in dms(world, "alice") if "has ended" in t]
    assert world.db.execute("SELECT count(*) FROM mentoring_pairs WHERE mentee_id = 'bob'"
                            ).fetchone() == (0,)
