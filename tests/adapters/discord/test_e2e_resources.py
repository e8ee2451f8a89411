"""The library through the real discord.py client: `/peer resources add` opens a modal,
submitting it shares, and a search answers (against the loopback fake Discord)."""

from __future__ import annotations

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import consented, text_of
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import group, modal_submit, slash, sub
from tests.support.discord_fake.server import GUILD_ID

ALICE = {"user_id": "101", "user_name": "alice"}
BOB = {"user_id": "102", "user_name": "bob"}


def _assembly(make_settings, clock):
    settings = make_settings({
        "groups": [{"name": "circle", "channel": "800000000000000010", "facilitators": ["100"]}],
        "discord": {"guild_ids": [int(GUILD_ID)]},
    })
    return assemble(settings, open_database(settings.bot.database), clock, "discord")


async def _open_form(ad, fake) -> dict:
    before = len(fake.find("POST", r"/callback$"))
    feed(ad, slash("peer", [group("resources", sub("add"))], **ALICE))
    found = await fake.wait_for("POST", r"/callback$", count=before + 1)
    return found[-1].json


async def _submit(ad, fake, modal: dict, values: dict) -> dict:
    edits = len(fake.find("PATCH", r"/messages/@original$"))
    feed(ad, modal_submit(modal["data"]["custom_id"], values, **ALICE))
    found = await fake.wait_for("PATCH", r"/messages/@original$", count=edits + 1)
    return found[-1].json


async def test_share_through_the_modal_then_search(make_settings, clock):
    assembly = _assembly(make_settings, clock)
    db = assembly.ctx.db
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
            modal = await _open_form(ad, fake)
            assert modal["type"] == 9 and modal["data"]["title"] == "Share a resource"
            rows = modal["data"]["components"]
            assert [r["component"]["custom_id"] for r in rows] == [
                "url", "title", "tags", "note", "as"]
            sharing = rows[-1]
            assert [o["value"] for o in sharing["component"]["options"]] == ["named", "anonymous"]
            assert "removed" in sharing["description"] or "erase" in sharing["description"]
            done = await _submit(ad, fake, modal, {
                "url": "https://example.org/sleep", "title": "Sleep hygiene", "tags": "#sleep",
                "note": "", "as": ["named"]})
            assert "Shared with your group, as <@101>" in text_of(done)
            assert db.execute("SELECT title, shared_by FROM resources").fetchall() == [
                ("Sleep hygiene", "101")]

            await consented(ad, fake, [group("group", sub("join", name="circle"))], **BOB)
            found = await consented(ad, fake, [group("resources", sub("search",
                                                                      search="sleeping"))], **BOB)
            assert found["ephemeral"] and "Sleep hygiene" in text_of(found)
    finally:
        db.close()


async def test_a_bad_link_in_the_modal_changes_nothing(make_settings, clock):
    assembly = _assembly(make_settings, clock)
    db = assembly.ctx.db
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
            modal = await _open_form(ad, fake)
            done = await _submit(ad, fake, modal, {"url": "ftp://x.org/a", "as": ["named"]})
            assert "is not a web link" in text_of(done)
            assert db.execute("SELECT count(*) FROM resources").fetchone() == (0,)
    finally:
        db.close()
