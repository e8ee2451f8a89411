"""Malformed input, signed so it gets past the signature check: bad JSON, invalid UTF-8,
deep nesting, oversized bodies, absurd ids, non-ASCII digits, strangers' workspaces.
Each gets a 4xx or a calm reply; never a traceback, a 500 or a row. Through HTTP to the
real slack-bolt app, and through the real discord.py client."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.discord.inbound import NOT_HERE, STALE
from adapters.slack.door import MAX_BODY_BYTES
from tests.support.discord_fake.flow import text_of
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import BOT_MESSAGE, click, slash, sub
from tests.support.discord_fake.server import GUILD_ID
from tests.support.slack_fake.payloads import (
    FORM,
    SIGNING_SECRET,
    block_actions,
    slash_command,
)

JSON = "application/json"
TABLES = ("workspaces", "members", "memberships", "outbox", "checkin_answers", "audit_log")


def _sign(raw: bytes, content_type: str) -> dict[str, str]:
    ts = str(int(time.time()))
    mac = hmac.new(SIGNING_SECRET.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256)
    signature = f"v0={mac.hexdigest()}"
    return {"content-type": content_type, "x-slack-request-timestamp": ts,
            "x-slack-signature": signature}


def _rows(db) -> list[int]:
    return [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES]


@pytest.fixture
async def url(slack):
    port = await slack.adapter.start_http(host="127.0.0.1", port=0)
    yield f"http://127.0.0.1:{port}/slack/events"
    await slack.adapter.stop()


def _bodies(fake_api) -> dict[str, tuple[bytes, str]]:
    deep = "[" * 200_000 + "]" * 200_000
    return {
        "bad json payload": (b"payload=%7Bnot+json", FORM),
        "bad json event": (b'{"type": "event_callback", "event": {', JSON),
        "invalid utf-8": (b"payload=%7B%7D&text=\xff\xfe\xfa", FORM),
        "invalid utf-8 json": (b'{"type": "\xff\xfe"}', JSON),
        "deep nesting payload": (urlencode({"payload": deep}).encode(), FORM),
        "deep nesting event": (('{"type":"event_callback","event":' + deep + "}").encode(),
                               JSON),
        "json list": (b"[1, 2, 3]", JSON),
        "payload is a string": (urlencode({"payload": '"hello"'}).encode(), FORM),
        "payload is a number": (urlencode({"payload": "1e999"}).encode(), FORM),
        "oversized": (b"text=" + b"a" * (MAX_BODY_BYTES + 1), FORM),
        "empty": (b"", FORM),
    }


async def test_malformed_signed_bodies_get_4xx_and_change_nothing(slack, fake_api, url,
                                                                  caplog):
    db = slack.assembly.ctx.db
    before = _rows(db)
    statuses = {}
    with caplog.at_level(logging.DEBUG):
        async with aiohttp.ClientSession() as session:
            for name, (raw, kind) in _bodies(fake_api).items():
                async with session.post(url, data=raw, headers=_sign(raw, kind)) as resp:
                    statuses[name] = resp.status
        await slack.adapter.idle()
    assert all(400 <= s < 500 for s in statuses.values()), statuses
    assert statuses["oversized"] == 413
    assert _rows(db) == before
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("fields", [
    {"user_id": ""}, {"team_id": ""}, {"user_id": " "}, {"user_id": "U" + "9" * 80},
    {"user_id": "U1\nALICE"},
], ids=["no user", "no team", "blank user", "overlong user", "control character"])
async def test_a_command_that_names_nobody_is_answered_calmly_and_writes_no_row(
    slack, fake_api, fields
):
    db = slack.assembly.ctx.db
    params = {"team_id": "T0PEER", "user_id": "U1ALICE", **fields}
    body = slash_command("/peer", "group join circle", response_url=fake_api.response_url(),
                         **params)
    response = await slack.post(body)
    assert response.status in (200, 403)
    if response.status == 200:
        assert "couldn't tell who sent that" in slack.responses()[-1]["text"]
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] == 0


@pytest.mark.parametrize("value", [
    "checkin.answer|³:burnout:3", "checkin.answer|١:burnout:3", "checkin.answer|1:burnout:²",
    "checkin.answer|99999999999999999999999:burnout:3", "pair.accept|9223372036854775808",
    "pair.accept|-99999999999999999999", "privacy.agree|\x00:x",
])
async def test_forged_numbers_in_button_values_are_stale_buttons(slack, fake_api, value):
    db = slack.assembly.ctx.db
    await slack.post(block_actions(value, response_url=fake_api.response_url()))
    [answer] = slack.responses()
    assert "no longer valid" in answer["text"]
    assert _rows(db)[2:] == [0, 0, 0, 0]  # no membership, message, answer or audit row


async def test_a_slack_team_the_bot_does_not_serve_is_refused_without_a_tenant(
    slack, fake_api
):
    db = slack.assembly.ctx.db
    for body in (
        slash_command("/peer", "group join circle", response_url=fake_api.response_url(),
                      team_id="T0STRANGER"),
        block_actions("privacy.notnow", response_url=fake_api.response_url(),
                      team_id="T0STRANGER"),
    ):
        assert (await slack.post(body)).status == 403
    assert slack.responses() == []
    assert db.execute("SELECT count(*) FROM workspaces").fetchone()[0] == 0
    await slack.post(slash_command("/peer", "help", response_url=fake_api.response_url()))
    assert db.execute("SELECT id FROM workspaces").fetchall() == [("T0PEER",)]




@pytest.mark.parametrize("custom_id", [
    "checkin.answer|³:burnout:3", "pair.accept|9223372036854775808", "checkin.answer|١:x:1",
    "{}", "peerbot.select|0",
])
async def test_discord_forged_custom_ids_are_stale_buttons(discord_assembly, custom_id):
    db = discord_assembly.ctx.db
    async with fake_discord() as fake, logged_in(discord_assembly) as ad:
        feed(ad, click(custom_id, message=BOT_MESSAGE, guild_id=GUILD_ID))
        [callback] = await fake.wait_for("POST", r"/callback$")
        if callback.json["type"] == 4:
            assert callback.json["data"]["content"] == STALE
        else:  # deferred, then the core's own "no longer valid"
            [answer] = await fake.wait_for_any(r"^/webhooks/", 1)
            assert "no longer valid" in text_of(answer.json)
    assert _rows(db)[2:] == [0, 0, 0, 0]


async def test_a_discord_server_not_configured_is_refused_without_a_tenant(discord_assembly):
    db = discord_assembly.ctx.db
    stranger = "1" + "0" * 18  # a well-formed snowflake of another server
    async with fake_discord() as fake, logged_in(discord_assembly) as ad:
        feed(ad, slash("peer", [sub("help")], guild_id=stranger))
        [callback] = await fake.wait_for("POST", r"/callback$")
        feed(ad, click("privacy.notnow", message=BOT_MESSAGE, guild_id=stranger))
        found = await fake.wait_for("POST", r"/callback$", count=2)
    assert callback.json["data"]["content"] == NOT_HERE
    assert found[-1].json["data"]["content"] == NOT_HERE
    assert db.execute("SELECT count(*) FROM workspaces").fetchone()[0] == 0


async def test_discord_ids_above_2_63_are_answered_calmly(discord_assembly, caplog):
    db = discord_assembly.ctx.db
    huge = str(2**64 + 7)
    with caplog.at_level(logging.DEBUG):
        async with fake_discord() as fake, logged_in(discord_assembly) as ad:
            feed(ad, slash("peer", [sub("help")], user_id=huge))
            await fake.wait_for("POST", r"/callback$")
            await fake.wait_for("PATCH", r"/messages/@original$")
    assert "Traceback" not in caplog.text
    assert db.execute("SELECT count(*) FROM members").fetchone()[0] <= 1
    assert json.dumps(caplog.text).count(huge) == 0
