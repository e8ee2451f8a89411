"""Discord's message, embed and autocomplete limits, at the limit and one past it.

The renderer is checked at each boundary, and the same messages go through the real
discord.py client to the fake API, which refuses what Discord would refuse
(tests/support/discord_fake/limits.py): 2000 content, 4096 description, 25 fields,
256 title, 1024 field value, 2048 footer, 6000 in all; 25 choices of 100 characters.
"""

from __future__ import annotations

import pytest

from adapters.discord.render import render, to_payload
from bot.core.model import Context, Fields, Header, Section, Target, message
from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.limits import message_problems
from tests.support.discord_fake.payloads import slash
from tests.support.discord_fake.server import GUILD_ID


def _payload(msg, **kw) -> dict:
    return to_payload(render(msg, **kw))


@pytest.mark.parametrize(("size", "kept"), [(4096, 4096), (4097, 4096)])
def test_description(size, kept):
    [embed] = _payload(message(Section("x" * size)))["embeds"]
    assert len(embed["description"]) == kept
    assert embed["description"].endswith("x" if size == kept else "…")


@pytest.mark.parametrize(("size", "kept"), [(256, 256), (257, 256)])
def test_title(size, kept):
    [embed] = _payload(message(Header("t" * size), Section("x")))["embeds"]
    assert len(embed["title"]) == kept


@pytest.mark.parametrize(("count", "kept"), [(25, 25), (26, 25)])
def test_fields(count, kept):
    pairs = tuple((f"n{i}", "v") for i in range(count))
    [embed] = _payload(message(Fields(pairs)))["embeds"]
    assert len(embed["fields"]) == kept


@pytest.mark.parametrize(("size", "kept"), [(1024, 1024), (1025, 1024)])
def test_field_value(size, kept):
    [embed] = _payload(message(Fields((("name", "v" * size),))))["embeds"]
    assert len(embed["fields"][0]["value"]) == kept


@pytest.mark.parametrize(("size", "kept"), [(2048, 2048), (2049, 2048)])
def test_footer(size, kept):
    [embed] = _payload(message(Section("x"), Context("f" * size)))["embeds"]
    assert len(embed["footer"]["text"]) == kept


@pytest.mark.parametrize(("size", "kept"), [(2000, 2000), (2001, 2000)])
def test_content(size, kept):
    body = _payload(message(Section("x"), fallback="c" * size), summary=True)
    assert len(body["content"]) == kept


def test_six_thousand_in_all():
    exactly = message(Header("a" * 100), Section("b" * 3900), Header("c" * 100),
                      Section("d" * 1900))
    assert sum(len(e.get("title", "")) + len(e.get("description", ""))
               for e in _payload(exactly)["embeds"]) == 6000
    over = message(*(block for n in range(6) for block in
                     (Header(f"card {n}"), Section("y" * 4000))))
    body = _payload(over)
    assert not message_problems(body)
    assert sum(len(e.get("title", "")) + len(e.get("description", ""))
               for e in body["embeds"]) <= 6000


@pytest.fixture
def host(make_settings, clock):
    settings = make_settings({
        "bot": {"platform": "discord"}, "discord": {"guild_ids": [int(GUILD_ID)]},
        "groups": [{"name": "Circle"}]})
    db = open_database(settings.bot.database)
    yield assemble(settings, db, clock, "discord")
    db.close()


async def test_messages_past_every_limit_are_accepted_by_discord(host):
    huge = message(
        Header("h" * 300), Section("s" * 5000), Fields(tuple((f"n{i}", "v" * 1100)
                                                             for i in range(30))),
        Header("second"), Section("t" * 5000), Context("f" * 2100),
        fallback="c" * 2100)
    async with fake_discord() as fake, logged_in(host) as ad:
        await ad.messenger.send(GUILD_ID, Target(user_id="101"), huge)
        sent = fake.find("POST", r"^/channels/\d+/messages$")
    assert sent and all(r.status != 400 for r in fake.requests)
    assert not message_problems(sent[-1].json)


async def test_autocomplete_answers_at_most_25_choices_of_100_characters(host):
    host.core.prepare_workspace(GUILD_ID)
    for n in range(40):
        host.ctx.members.ensure_group(GUILD_ID, f"group {n:02d} " + "n" * 120)
    typed = {"name": "name", "type": 3, "value": "group", "focused": True}
    payload = slash("peer", [{"name": "group", "type": 2, "options": [
        {"name": "join", "type": 1, "options": [typed]}]}])
    payload["type"] = 4
    async with fake_discord() as fake, logged_in(host) as ad:
        feed(ad, payload)
        [cb] = await fake.wait_for("POST", r"/callback$")
    assert cb.status != 400
    choices = cb.json["data"]["choices"]
    assert len(choices) == 25 and all(len(c["name"]) <= 100 for c in choices)


async def test_the_synced_commands_fit_discords_limits(host):
    async with fake_discord() as fake, logged_in(host):
        [put] = fake.find("PUT", r"/commands$")
    assert put.status != 400
