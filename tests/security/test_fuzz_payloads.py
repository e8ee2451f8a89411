"""Fuzzing real payload shapes, through the real adapters.

Slack: real slash-command forms, block_actions, view submissions and event callbacks,
mutated at random (fields dropped, emptied, replaced by other JSON types, huge numbers,
non-ASCII digits, markup, control characters), signed and handed to the adapter's door
and the real slack-bolt app. Discord: real INTERACTION_CREATE payloads with random
option text, nicknames and custom_ids, fed to the real discord.py client. Nothing may
answer 5xx, log at ERROR or above, or store a member without an id. Seeded, so a
failure names the seed that reproduces it.
"""

from __future__ import annotations

import json
import logging
import random
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.runtime import build_router
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import BOT_MESSAGE, click, group, slash, sub
from tests.support.discord_fake.server import GUILD_ID
from tests.support.slack_fake.payloads import (
    app_home_opened,
    block_actions,
    slash_command,
    view_submission,
)

SEEDS = 300
ROUTER = build_router()
ACTIONS = sorted(ROUTER._actions)
NASTY: list[Any] = [
    None, True, 0, -1, 2**64, 1e308, "", " ", "³", "١٢", "\x00", "\ud7ff", "<!channel>",
    "@everyone", "x" * 5000, [], {}, [[[[]]]], {"a": {"b": {}}}, "<@U1ALICE>", "group:",
    "9223372036854775808", "‮", "\u200b",
]


def _mutate(rng: random.Random, node: Any, depth: int = 0) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            roll = rng.random()
            if roll < 0.08:
                continue  # dropped
            out[key] = rng.choice(NASTY) if roll < 0.2 else _mutate(rng, value, depth + 1)
        return out
    if isinstance(node, list):
        return [_mutate(rng, v, depth + 1) for v in node if rng.random() > 0.1]
    if isinstance(node, str) and rng.random() < 0.3:
        return rng.choice([s for s in NASTY if isinstance(s, str)]) + node[: rng.randrange(8)]
    return node


def _slack_body(rng: random.Random, url: str) -> tuple[str, str]:
    kind = rng.randrange(4)
    if kind == 0:
        form = dict(parse_qsl(slash_command("/peer", rng.choice(
            ["help", "group join circle", "checkin", "pair avoid bob", "profile specialty x"]),
            response_url=url)))
        mutated = _mutate(rng, form)
        return urlencode({k: json.dumps(v) if not isinstance(v, str) else v
                          for k, v in mutated.items()}), "application/x-www-form-urlencoded"
    if kind == 3:
        event = json.loads(app_home_opened())
        return json.dumps(_mutate(rng, event)), "application/json"
    raw = (block_actions(rng.choice(ACTIONS) + "|" + rng.choice(["1", "³", "a:b", ""]),
                         response_url=url) if kind == 1
           else view_submission("peerbot.profile", {"b": {"a": {"type": "plain_text_input",
                                                                 "value": "x"}}}))
    payload = json.loads(dict(parse_qsl(raw))["payload"])
    return urlencode({"payload": json.dumps(_mutate(rng, payload))}), \
        "application/x-www-form-urlencoded"


async def test_mutated_slack_payloads_never_fail_loudly(slack, fake_api, caplog):
    db = slack.assembly.ctx.db
    statuses: dict[int, int] = {}
    with caplog.at_level(logging.WARNING):
        for seed in range(SEEDS):
            rng = random.Random(seed)
            body, kind = _slack_body(rng, fake_api.response_url())
            response = await slack.post(body, content_type=kind)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            assert response.status < 500, (seed, body[:300])
            errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
            assert not errors, (seed, body[:300], [r.getMessage() for r in errors])
    assert "Traceback" not in caplog.text
    bad = db.execute("SELECT count(*) FROM members WHERE trim(user_id) = ''"
                     " OR trim(workspace_id) = ''").fetchone()[0]
    assert bad == 0
    assert statuses.get(200, 0) >= SEEDS // 10  # some still get through, and are answered




def _text(rng: random.Random) -> str:
    parts = [rng.choice([s for s in NASTY if isinstance(s, str)]) for _ in range(3)]
    return "".join(parts)[: rng.randrange(1, 100)]


async def test_random_discord_option_text_nicknames_and_custom_ids(discord_assembly, caplog):
    db = discord_assembly.ctx.db
    with caplog.at_level(logging.WARNING):
        async with fake_discord() as fake, logged_in(discord_assembly) as ad:
            for seed in range(60):
                rng = random.Random(seed)
                who = {"user_id": str(rng.choice([101, 102, 2**63 + 5])),
                       "nick": _text(rng) or None}
                callbacks = len(fake.find("POST", r"/callback$"))
                if seed % 2:
                    feed(ad, click(rng.choice(ACTIONS) + "|" + _text(rng)[:40],
                                   message=BOT_MESSAGE, guild_id=GUILD_ID, **who))
                else:
                    options = rng.choice([
                        [group("group", sub("join", name=_text(rng)))],
                        [group("checkin", sub("note", text=_text(rng)))],
                        [sub("profile", field="specialty", value=_text(rng))],
                        [sub("run", command=_text(rng))],
                    ])
                    feed(ad, slash("peer", options, **who))
                await fake.wait_for("POST", r"/callback$", count=callbacks + 1)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors and "Traceback" not in caplog.text
    assert db.execute("SELECT count(*) FROM members WHERE trim(user_id) = ''").fetchone()[0] == 0
