"""Asking for a consultation: the check, posting, anonymity, resolving, bad input."""

from __future__ import annotations

import json

import pytest

from bot.core.model import mention
from tests.support.world import buttons, text

CLEAN = 'consult "A client in her forties keeps cancelling. How do you handle it?" ' \
        'want:"similar experience"'
RISKY = 'consult "My client Sarah, born 3 March 1961, keeps cancelling." as:named'


def rows(world, sql):
    return world.db.execute(sql).fetchall()


async def posted(world) -> list[str]:
    await world.drain()
    return [text(m) for t, m in world.messenger.sent if t.channel_id == "C1"]


async def test_a_clean_question_is_posted_at_once_in_a_thread(world):
    said = await world.say("alice", CLEAN + " as:named")
    assert "Posted consultation 1 to *Circle*'s channel, with your name" in said
    [post] = await posted(world)
    assert "Case consultation 1" in post and "keeps cancelling" in post
    assert "Input wanted: similar experience" in post
    assert f"Asked by {mention('alice')}" in post
    assert "peerbot does not read or store the replies" in post
    [(target, _msg)] = [s for s in world.messenger.sent if s[0].channel_id]
    assert target.thread == "Consultation 1"
    assert rows(world, "SELECT count(*) FROM consultation_drafts") == [(0,)]


async def test_anonymous_is_anonymous_to_everyone_after_posting(world):
    said = await world.say("bob", CLEAN + " as:anonymous")
    assert "peerbot has kept no record of who asked" in said
    [post] = await posted(world)
    assert "Asked anonymously" in post and "bob" not in post
    for table in world.db.table_names():
        for row in world.db.execute(f"SELECT * FROM [{table}]"):
            assert not any(isinstance(v, str) and "bob" in v and "keeps cancelling" in v
                           for v in row), table
    assert rows(world, "SELECT asker_id FROM consultations") == [(None,)]
    assert rows(world, "SELECT count(*) FROM consultation_drafts") == [(0,)]
    assert "consultation" not in json.dumps(rows(world, "SELECT * FROM audit_log"))


async def test_identifying_detail_gets_a_warning_and_nothing_is_posted_yet(world):
    replies = await world.command("alice", RISKY)
    said = text(replies[0].message)
    assert "Before you post: this may identify your client" in said
    assert "name: “Sarah”" in said and "exact date: “3 March 1961”" in said
    assert await posted(world) == []
    assert rows(world, "SELECT count(*) FROM consultations") == [(0,)]
    choice = buttons(replies[0].message)
    assert set(choice) == {"Edit", "Post as it is", "Discard"}


async def test_the_asker_confirms_and_it_is_posted(world):
    replies = await world.command("alice", RISKY)
    said = await world.tap("alice", buttons(replies[0].message)["Post as it is"])
    assert "Posted consultation 1" in said
    assert len(await posted(world)) == 1
    assert "draft is gone" in await world.tap("alice", buttons(replies[0].message)[
        "Post as it is"])
    assert len(await posted(world)) == 1


async def test_discarding_posts_nothing_and_keeps_nothing(world):
    replies = await world.command("alice", RISKY)
    assert "Discarded" in await world.tap("alice", buttons(replies[0].message)["Discard"])
    assert await posted(world) == []
    assert rows(world, "SELECT count(*) FROM consultation_drafts") == [(0,)]


async def test_someone_elses_draft_button_does_nothing(world):
    replies = await world.command("alice", RISKY)
    post = buttons(replies[0].message)["Post as it is"]
    assert "draft is gone" in await world.tap("bob", post)
    assert await posted(world) == []


@pytest.mark.parametrize(("words", "reply"), [
    ("consult as:named", "needs a question"),
    ('consult "" as:named', "needs a question"),
    ("consult question: as:anonymous", "needs a question"),
    ("consult " + "x" * 2001 + " as:named", "keep it to 2000"),
    ('consult "a question" want:' + "w" * 121 + " as:named", "120 characters"),
    ('consult "a question" as:maybe', "`as:named` or `as:anonymous`"),
    ('consult "a question"', "Choose how to post"),
    ('consult "a question" as:named group:Nowhere', "Nowhere"),
])
async def test_bad_input_gets_a_clear_reply_and_posts_nothing(world, words, reply):
    assert reply in await world.say("alice", words)
    assert await posted(world) == []
    assert rows(world, "SELECT count(*) FROM consultation_drafts") == [(0,)]


async def test_a_group_without_a_channel_is_told_so(tmp_path):
    from tests.support.world import World

    world = World(tmp_path)
    world.add("alice")
    assert "has no channel to post consultations in" in await world.say(
        "alice", CLEAN + " as:named")
    world.db.close()


async def test_the_group_limit_counts_posts_not_people(world):
    for n in range(10):
        asker = f"p{n // 3}"
        if n % 3 == 0:
            world.add(asker)
        await world.say(asker, CLEAN + " as:anonymous")
    said = await world.say("alice", CLEAN + " as:named")
    assert "10 consultations in the last day" in said
    assert rows(world, "SELECT count(*) FROM consultations") == [(10,)]


async def test_resolve_with_the_private_code_and_a_takeaway_for_the_library(world):
    said = await world.say("bob", CLEAN + " as:anonymous")
    code = said.split("Your private code is *", 1)[1].split("*", 1)[0]
    wrong = await world.say("alice", f"consult resolve 1 {'0' * 6} stolen")
    assert "does not match" in wrong
    done = await world.say("bob", f'consult resolve 1 {code} "Name the pattern early."')
    assert "resolved" in done and "in the resource library as [1]" in done
    assert rows(world, "SELECT title, note, tags, shared_by, source FROM resources") == [
        ("Takeaway from consultation 1", "Name the pattern early.", "consultation", None,
         "consultation")]
    assert "already resolved" in await world.say("bob", f"consult resolve 1 {code}")
    library = await world.say("alice", "resources")
    assert "a consultation's takeaway" in library


async def test_an_identifying_takeaway_is_refused_clearly(world):
    said = await world.say("bob", CLEAN + " as:anonymous")
    code = said.split("Your private code is *", 1)[1].split("*", 1)[0]
    refused = await world.say("bob", f'consult resolve 1 {code} "Sarah needed a referral"')
    assert "looks identifying" in refused and "Sarah" in refused
    assert rows(world, "SELECT resolved_at FROM consultations") == [(None,)]


async def test_the_resolved_button_closes_it(world):
    replies = await world.command("bob", CLEAN + " as:anonymous")
    said = await world.tap("bob", buttons(replies[0].message)["Resolved"])
    assert "Consultation 1 is resolved" in said
    forged = "consult.resolve|1:abcdef"
    assert "does not match" in await world.tap("alice", forged)


async def test_export_and_erasure(world):
    await world.say("alice", CLEAN + " as:named")
    await world.command("alice", RISKY)  # a draft waiting
    data = json.loads((await world.command("alice", "export"))[0].message.attachment.content)
    mine = data["topics"]["consultations"]
    assert [c["id"] for c in mine["asked_with_your_name"]] == [1]
    assert "Sarah" in mine["drafts"][0]["question"]
    from bot.consultations.data import erase_consultations

    erase_consultations(world.db, "W", "alice")
    assert rows(world, "SELECT asker_id FROM consultations") == [(None,)]
    assert rows(world, "SELECT count(*) FROM consultation_drafts") == [(0,)]


async def test_typed_alone_in_the_console_it_says_how(world):
    said = await world.say("alice", "consult")
    assert "/peer consult question:" in said and "facilitators included" in said


async def test_an_abandoned_draft_expires_after_a_day(world):
    from datetime import timedelta

    from bot.consultations.data import expire_drafts

    await world.command("alice", RISKY)
    world.clock.advance(timedelta(hours=23))
    assert expire_drafts(world.ctx, world.clock.now()) == {"consultation drafts": 0}
    world.clock.advance(timedelta(hours=2))
    assert expire_drafts(world.ctx, world.clock.now()) == {"consultation drafts": 1}
