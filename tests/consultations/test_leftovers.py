"""Consultations: the per-person limit that keeps no record of who asked beyond the day,
and the note the asker's "resolved" posts into the consultation's thread."""

from __future__ import annotations

from datetime import timedelta

from bot.consultations.service import PER_PERSON_PER_DAY
from tests.consultations.test_consult import CLEAN, posted
from tests.support.world import buttons, text

ANON = CLEAN + " as:anonymous"


def receipts(world) -> list[tuple[str, str]]:
    return world.db.execute("SELECT key, expires_at FROM receipts").fetchall()


async def test_three_a_day_each_then_a_clear_refusal_with_the_reset_time(world):
    for _ in range(PER_PERSON_PER_DAY):
        assert "Posted consultation" in await world.say("bob", ANON)
    refused = await world.say("bob", ANON)
    assert "You have posted 3 consultations today" in refused
    assert "post again from" in refused and "Nothing was posted" in refused
    assert world.db.execute("SELECT count(*) FROM consultations").fetchone() == (3,)
    assert "Posted consultation 4" in await world.say("alice", ANON)  # others are not limited
    await world.wait(timedelta(days=1))
    assert "Posted consultation" in await world.say("bob", ANON)  # a new UTC day


async def test_the_limit_keeps_no_id_no_link_and_nothing_after_the_day(world):
    await world.say("bob", ANON)
    await world.say("alice", ANON)
    kept = receipts(world)
    assert len(kept) == 2
    # every receipt of the day expires at the same instant, the end of the UTC day:
    assert {e for _, e in kept} == {"2026-01-06T00:00:00+00:00"}
    posted_at = {p for (p,) in world.db.execute("SELECT posted_at FROM consultations")}
    assert not posted_at & {e for _, e in kept}
    # no id, no name, no plain hash of an id: the key is keyed (HMAC with the key file)
    import hashlib
    for user in ("bob", "alice"):
        plain = hashlib.sha256(user.encode()).hexdigest()
        assert all(user not in k and plain not in k for k, _ in kept)
    await world.wait(timedelta(days=1))
    await world.say("alice", "consult")  # any claim sweeps what expired
    await world.say("alice", ANON)
    assert len(receipts(world)) == 1  # yesterday's are gone; today's one


async def test_resolving_posts_a_short_note_into_the_thread(world):
    said = await world.say("bob", ANON)
    code = said.split("Your private code is *", 1)[1].split("*", 1)[0]
    await posted(world)  # the post is sent: its reference is known
    ref = world.db.execute("SELECT platform_ref FROM outbox WHERE kind = 'consultations.post'"
                           ).fetchone()[0]
    await world.say("bob", f'consult resolve 1 {code} "Name the pattern early."')
    await world.drain()
    target, note = world.messenger.sent[-1]
    assert target.channel_id == "C1" and target.reply_to == ref
    shown = text(note)
    assert "Consultation 1 is resolved" in shown and "[1]" in shown and "bob" not in shown


async def test_resolving_before_the_post_went_out_notes_it_in_the_channel(world):
    replies = await world.command("alice", ANON)
    await world.tap("alice", buttons(replies[0].message)["Resolved"])
    await world.drain()
    notes = [(t, m) for t, m in world.messenger.sent if t.channel_id == "C1"]
    assert len(notes) == 2 and notes[1][0].reply_to == ""


async def test_edit_after_the_warning_brings_the_draft_back_pre_filled(world):
    risky = 'consult "My client Sarah keeps cancelling." want:"ideas" as:anonymous'
    replies = await world.command("bob", risky)
    edit = buttons(replies[0].message)["Edit"]
    [answer] = await world.press("bob", edit)
    assert answer.form is not None
    assert dict(answer.form.initial) == {"question": "My client Sarah keeps cancelling.",
                                         "want": "ideas", "as": "anonymous"}
    shown = text(answer.message)  # the console: the command, ready to edit
    assert "question:My client Sarah keeps cancelling." in shown and "as:anonymous" in shown
    assert "Posted" in await world.say("bob", 'consult "My client keeps cancelling." '
                                       'want:ideas as:anonymous')  # the edited text, checked
    assert world.db.execute("SELECT count(*) FROM consultation_drafts").fetchone() == (0,)
    assert "gone" in await world.tap("bob", edit)  # the old draft went with the post


async def test_someone_elses_edit_button_shows_nothing(world):
    replies = await world.command("bob", 'consult "My client Sarah keeps cancelling." as:named')
    edit = buttons(replies[0].message)["Edit"]
    said = await world.tap("alice", edit)
    assert "gone" in said and "Sarah" not in said
