"""Escaping: every text a person or a profile wrote (display names, group names from the
config) reaches other people as literal text. On Slack only the core's own mentions are
live control sequences; on Discord allowed_mentions permits only the users the core
means to notify, and pasted mention syntax is neutralised. Through the real adapters."""

from __future__ import annotations

import json
import re

import pytest

from bot.runtime import assemble
from bot.store.db import open_database
from tests.support.discord_fake.flow import agree as d_agree
from tests.support.discord_fake.flow import consented as d_consented
from tests.support.discord_fake.flow import drain as d_drain
from tests.support.discord_fake.harness import fake_discord, logged_in
from tests.support.discord_fake.payloads import group, sub
from tests.support.discord_fake.server import GUILD_ID, INTRO_CHANNEL_ID
from tests.support.slack_fake.flow import agree, command, consented, drain
from tests.support.slack_fake.harness import make_harness

SLACK_FORMS = ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S0TEAM>", "<@U0VICTIM>",
               "<#C0SECRET>", "<https://evil.example|click>", "<mailto:x@evil.example>"]
CONTROL = re.compile(r"<([^<>]*)>")


def _parsed_texts(node) -> list[str]:
    """Every string Slack parses for control sequences: top-level ``text`` fallbacks and
    mrkdwn objects (plain_text, like a header or a button label, is never parsed)."""
    found: list[str] = []
    if isinstance(node, dict):
        parsed = node.get("type") == "mrkdwn" or "channel" in node or "response_type" in node
        if parsed and isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            found += _parsed_texts(value)
    elif isinstance(node, list):
        for value in node:
            found += _parsed_texts(value)
    return found


def _slack_sequences(payloads: list) -> set[str]:
    return {seq for text in _parsed_texts(payloads) for seq in CONTROL.findall(text)}


@pytest.mark.parametrize("form", SLACK_FORMS)
async def test_slack_display_and_group_names_arrive_as_literal_text(
    fake_api, make_settings, clock, form
):
    name = f"c{form}"
    settings = {"groups": [{"name": name, "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}]}
    h = make_harness(fake_api, lambda extra: make_settings({**extra, **settings}), clock)
    try:
        joined = await consented(h, "U9MAL", f"group join {name}", name=f"mal {form}")
        await agree(h, "U9MAL", joined)
        await command(h, "U9MAL", "pair join", name=f"mal {form}")
        await agree(h, "U2BOB", await consented(h, "U2BOB", f"group join {name}", name="bob"))
        await command(h, "U2BOB", "pair join", name="bob")
        await command(h, "U9MAL", "checkin buddy <@U2BOB|bob>", name=f"mal {form}")
        listing = await consented(h, "U0FRAN", f"admin members group:{name}", name="fran")
        ran = await command(h, "U0FRAN", f"pair round group:{name}", name="fran")
        await drain(h)
    finally:
        h.assembly.ctx.db.close()
    assert "&lt;" in listing["text"] and "mal" in listing["text"]  # shown, but literal
    assert "everyone who could be placed was introduced" in ran["text"]
    sent = fake_api.bodies("chat.postMessage")
    assert any("mal" in json.dumps(b) for b in sent)  # the invite and the intro went out
    answers = [a for user in ("U9MAL", "U2BOB", "U0FRAN") for a in h.responses(user)]
    live = _slack_sequences([*sent, *answers])
    # Only mentions the core made (the introduced pair) and the times it shows (date
    # tokens: no name can carry one). Nothing else is a live sequence.
    live = {s for s in live if not CORE_DATE.fullmatch(s)}
    assert live <= {"@U9MAL", "@U2BOB"}, live


CORE_DATE = re.compile(r"!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>|]*")
DISCORD_FORMS = ["@everyone", "@here", "<@999000000000000001>", "<@!999000000000000001>",
                 "<@&777000000000000001>"]


@pytest.mark.parametrize("form", DISCORD_FORMS)
async def test_discord_names_notify_nobody_and_only_the_pair_may_be_pinged(
    make_settings, clock, form
):
    name = f"c{form}"
    settings = make_settings({
        "groups": [{"name": name, "facilitators": ["100"]}],
        "discord": {"guild_ids": [int(GUILD_ID)], "intro_channel_id": int(INTRO_CHANNEL_ID)},
    })
    assembly = assemble(settings, open_database(settings.bot.database), clock, "discord")
    mal = {"user_id": "101", "user_name": "mal", "nick": f"mal {form}"}
    bob = {"user_id": "102", "user_name": "bob"}
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            for who in (mal, bob):
                joined = await d_consented(ad, fake, [group("group", sub("join", name=name))],
                                           **who)
                await d_agree(ad, fake, joined, **who)
                await d_consented(ad, fake, [group("pair", sub("join"))], **who)
            fran = {"user_id": "100", "user_name": "fran"}
            await d_consented(ad, fake, [sub("members", group=name)], top="peer-admin", **fran)
            await d_consented(ad, fake, [group("pair", sub("round", group=name))],
                              top="peer-admin", **fran)
            await d_drain(assembly.ctx, ad.messenger)
            sends = [r for r in fake.requests if r.method in ("POST", "PATCH")
                     and isinstance(r.json, dict)
                     and ("content" in r.json or "embeds" in r.json or "data" in r.json)]
    finally:
        assembly.ctx.db.close()
    shown = json.dumps([r.json for r in sends], ensure_ascii=False)
    assert "mal" in shown
    assert "@everyone" not in shown and "@here" not in shown
    assert "<@999" not in shown and "<@!999" not in shown and "<@&777" not in shown
    checked = 0
    for r in sends:
        body = r.json.get("data", r.json) if r.json.get("type") else r.json
        if not isinstance(body, dict) or not ("content" in body or "embeds" in body):
            continue
        checked += 1
        allowed = body.get("allowed_mentions")
        assert allowed is not None and allowed["parse"] == [], (r.path, allowed)
        assert {str(u) for u in allowed.get("users", [])} <= {"101", "102"}
        assert not allowed.get("roles")
    assert checked >= 6  # answers, the listing, the round, the thread's introduction
