"""The group agreement through the real discord.py client against the fake Discord:
joining shows it, "I agree" lets the member in, and `/peer admin agreement-set` answers
with a modal whose multi-line submission makes a new version and asks everyone."""

from __future__ import annotations

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import agree, command, consented, drain, text_of
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import group, modal_submit, slash, sub
from tests.support.discord_fake.server import GUILD_ID

FRAN = {"user_id": "100", "user_name": "fran"}
ALICE = {"user_id": "101", "user_name": "alice"}


async def test_join_agree_and_replace_the_agreement_in_a_modal(make_settings, clock):
    settings = make_settings({
        "groups": [{"name": "circle", "channel": "800000000000000010", "facilitators": ["100"]}],
        "discord": {"guild_ids": [int(GUILD_ID)]},
    })
    db = open_database(settings.bot.database)
    ctx = None
    try:
        assembly = assemble(settings, db, clock, "discord")
        ctx = assembly.ctx
        async with fake_discord() as fake, logged_in(assembly) as ad:
            joined = await consented(ad, fake, [group("group", sub("join", name="circle"))],
                                     **ALICE)
            assert "First, its agreement" in text_of(joined)
            thanks = await agree(ad, fake, joined, **ALICE)
            assert thanks["edited"] and "you agreed to **circle**" in text_of(thanks)

            status = await consented(ad, fake, [group("agreement", sub("status"))],
                                     top="peer-admin", **FRAN)
            assert "1 of 2 member(s) agreed to it." in text_of(status)
            calls = len(fake.find("POST", r"/callback$"))

            feed(ad, slash("peer-admin", [group("agreement", sub("set"))], **FRAN))
            found = await fake.wait_for("POST", r"/callback$", count=calls + 1)
            modal = found[-1].json
            assert modal["type"] == 9, modal  # a modal, as the first answer
            assert modal["data"]["title"] == "Group agreement"
            rows = [r for r in modal["data"]["components"] if "component" in r]
            box = rows[0]["component"]
            assert box["custom_id"] == "text" and box["style"] == 2
            assert box["max_length"] == 3000
            modal_id = modal["data"]["custom_id"]

            text = "- What's said here stays here.\n- Be kind."
            before = len(fake.find("PATCH", r"/messages/@original$"))
            feed(ad, modal_submit(modal_id, {"text": text, "group": ""}, **FRAN))
            edits = await fake.wait_for("PATCH", r"/messages/@original$", count=before + 1)
            assert "Saved version 2 of **circle**'s agreement" in text_of(edits[-1].json)
            assert db.execute("SELECT body FROM agreement_versions WHERE version = 2"
                              ).fetchone()[0] == text

            # alice facilitates nothing: /peer-admin is hidden from her, and sent anyway
            # (a forged interaction, or a server that shows it to everyone) it is refused
            typed = await command(ad, fake, [group("agreement", sub("set", text="- Be kind."))],
                                  top="peer-admin", **ALICE)
            assert "Nothing was changed" in text_of(typed)
            assert db.execute("SELECT max(version) FROM agreement_versions").fetchone()[0] == 2

            shown = await command(ad, fake, [sub("agreement")], **ALICE)
            assert "version 2" in text_of(shown) and "I agree" in str(shown)
            await drain(ctx, ad.messenger)
            dms = [r.json for r in fake.find("POST", r"^/channels/501/messages$")]
            assert any("+ - Be kind." in text_of(m) for m in dms)
    finally:
        db.close()
