"""Erasure through the real slack-bolt app: signed requests in, nothing about her left.

Alice asks bob (through Slack) to be her check-on-me buddy, which queues an invitation
naming her to bob; then she runs `/peer forget-me` and presses "Erase everything". The
invitation is withdrawn (bob never receives it), and her Slack id and name are in no
table and in none of the database files.
"""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.test_e2e_checkin import _buttons, _consented, _drain
from tests.support.slack_fake.harness import make_harness
from tests.support.slack_fake.payloads import block_actions, slash_command

GROUP = {"name": "circle", "channel": "C0CIRCLE", "facilitators": ["U0FRAN"]}
NEEDLES = ("U1ALICE", "alicezed")


def hits(db) -> list[tuple[str, str]]:
    found = []
    for table in db.table_names():
        for row in db.execute(f"SELECT * FROM [{table}]"):
            found += [(table, n) for v in row if isinstance(v, str) for n in NEEDLES if n in v]
    return found


async def test_forget_me_over_slack_withdraws_messages_naming_her(fake_api, make_settings,
                                                                  clock):
    h = make_harness(fake_api, lambda extra: make_settings({**extra, "groups": [GROUP]}), clock)
    try:
        await _consented(h, "U2BOB", "group join circle", "bob")
        url = h.api.response_url("alice")

        async def alice(text: str) -> dict:
            await h.post(slash_command("/peer", text, user_id="U1ALICE", user_name="alicezed",
                                       response_url=url))
            return h.responses("alice")[-1]

        first = await alice("group join circle")
        await h.post(block_actions(_buttons(first["blocks"])["Agree"], user_id="U1ALICE",
                                   response_url=url))
        await alice("group join circle")
        asked = await alice("checkin buddy <@U2BOB|bob> two-missed")
        assert "asked" in asked["text"], asked["text"]
        db = h.assembly.ctx.db
        assert ("outbox", "alicezed") in hits(db)
        card = await alice("forget-me")
        await h.post(block_actions(_buttons(card["blocks"])["Erase everything"],
                                   user_id="U1ALICE", response_url=url))
        assert "erased" in h.responses("alice")[-1]["text"]
        assert hits(db) == []
        await _drain(h)
        to_bob = [p for p in fake_api.bodies("chat.postMessage") if p["channel"] == "DU2BOB"]
        assert to_bob == []
        base = h.assembly.ctx.settings.bot.database
        for suffix in ("", "-wal", "-shm"):
            path = Path(base + suffix)
            data = path.read_bytes() if path.exists() else b""
            assert all(data.count(n.encode()) == 0 for n in NEEDLES), suffix
    finally:
        h.assembly.ctx.db.close()
