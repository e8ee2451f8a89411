"""A consultation through the real discord.py client: the modal, posting, and the thread
opened on the channel message for the replies (against the loopback fake Discord)."""

from __future__ import annotations

from tests.adapters.discord.test_e2e_resources import ALICE, _assembly, _submit
from tests.support.discord_fake.flow import consented, drain, text_of
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import group, slash, sub

CIRCLE = "800000000000000010"


async def test_consult_through_the_modal_posts_and_opens_a_thread(make_settings, clock):
    assembly = _assembly(make_settings, clock)
    db = assembly.ctx.db
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
            before = len(fake.find("POST", r"/callback$"))
            feed(ad, slash("peer", [group("consult", sub("ask"))], **ALICE))
            modal = (await fake.wait_for("POST", r"/callback$", count=before + 1))[-1].json
            assert modal["type"] == 9
            rows = modal["data"]["components"]
            assert "facilitators included" in rows[0]["content"]  # the intro, shown first
            assert [r["component"]["custom_id"] for r in rows[1:]] == ["question", "want", "as"]
            done = await _submit(ad, fake, modal, {
                "question": "A client in her fifties keeps cancelling. Ideas?",
                "want": "ideas", "as": ["named"]})
            assert "Posted consultation 1" in text_of(done)
            await drain(assembly.ctx, ad.messenger)
            [post] = fake.find("POST", rf"^/channels/{CIRCLE}/messages$")
            assert "Case consultation 1" in text_of(post.json)
            [thread] = fake.find("POST", rf"^/channels/{CIRCLE}/messages/\d+/threads$")
            assert thread.json["name"] == "Consultation 1"
        assert db.execute("SELECT asker_id FROM consultations").fetchall() == [("101",)]
    finally:
        db.close()


async def test_a_refused_thread_still_leaves_the_post_sent_once(make_settings, clock):
    assembly = _assembly(make_settings, clock)
    db = assembly.ctx.db
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            fake.fail("POST", r"/messages/\d+/threads$", 403, code=50013)
            await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
            await consented(ad, fake, [group("consult", sub(
                "ask", text='question:"A client keeps cancelling. Ideas?" as:anonymous'))],
                **ALICE)
            await drain(assembly.ctx, ad.messenger)
            assert len(fake.find("POST", rf"^/channels/{CIRCLE}/messages$")) == 1
        assert db.execute("SELECT status FROM outbox WHERE kind = 'consultations.post'"
                          ).fetchall() == [("sent",)]
    finally:
        db.close()


async def test_resolving_posts_the_note_in_the_thread_on_the_post(make_settings, clock):
    assembly = _assembly(make_settings, clock)
    db = assembly.ctx.db
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
            done = await consented(ad, fake, [group("consult", sub(
                "ask", text='question:"A client keeps cancelling. Ideas?" as:anonymous'))],
                **ALICE)
            code = text_of(done).split("Your private code is ", 1)[1].strip("*").split("*")[0]
            await drain(assembly.ctx, ad.messenger)
            [post] = fake.find("POST", rf"^/channels/{CIRCLE}/messages$")
            await consented(ad, fake, [group("consult", sub(
                "resolve", number=1, code=code.strip("* ")))], **ALICE)
            await drain(assembly.ctx, ad.messenger)
            message_id = db.execute("SELECT platform_ref FROM outbox WHERE kind ="
                                    " 'consultations.post'").fetchone()[0].split(":")[1]
            [note] = fake.find("POST", rf"^/channels/{message_id}/messages$")
            assert "Consultation 1 is resolved" in text_of(note.json)
            assert post is not note
    finally:
        db.close()


async def test_edit_after_the_warning_answers_with_the_modal_pre_filled(make_settings, clock):
    from tests.support.discord_fake.flow import buttons
    from tests.support.discord_fake.payloads import click
    from tests.support.discord_fake.server import CHANNEL_ID, GUILD_ID

    assembly = _assembly(make_settings, clock)
    db = assembly.ctx.db
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
            warning = await consented(ad, fake, [group("consult", sub(
                "ask", text='question:"Sarah keeps cancelling. Ideas?" as:named'))], **ALICE)
            assert "this may identify your client" in text_of(warning)
            before = len(fake.find("POST", r"/callback$"))
            feed(ad, click(buttons(warning)["Edit"], message=fake.message(CHANNEL_ID, warning),
                           guild_id=GUILD_ID, **ALICE))
            modal = (await fake.wait_for("POST", r"/callback$", count=before + 1))[-1].json
            assert modal["type"] == 9  # the first answer to the click: not deferred
            inputs = {r["component"]["custom_id"]: r["component"]
                      for r in modal["data"]["components"] if "component" in r}
            assert inputs["question"]["value"] == "Sarah keeps cancelling. Ideas?"
            assert [o["value"] for o in inputs["as"]["options"] if o.get("default")] == ["named"]
            done = await _submit(ad, fake, modal, {
                "question": "A client keeps cancelling. Ideas?", "want": "", "as": ["named"]})
            assert "Posted consultation 1" in text_of(done)
    finally:
        db.close()
