"""The platform loop delivers outbox rows and recovers in-flight ones after a crash."""

from __future__ import annotations

import asyncio

from bot.core.model import Section, Target, message
from bot.runtime import serve


class Recorder:
    def __init__(self):
        self.sent: list[str] = []

    async def send(self, workspace_id, target, msg):
        self.sent.append(target.key())
        return "ref"


async def test_serve_drains_and_recovers(assembly):
    ctx = assembly.ctx
    ctx.members.ensure_workspace("W", "slack")
    with ctx.db.atomic():
        ctx.outbox.enqueue("W", "r", Target(user_id="crashed"), message(Section("a")))
        ctx.outbox.enqueue("W", "r", Target(user_id="fresh"), message(Section("b")))
    ctx.outbox.claim_due(1)  # "crashed" was mid-send when the last process died
    ctx.db.execute("UPDATE workspaces SET disabled_reason = 'token_revoked'")
    ctx.db.commit()
    messenger = Recorder()

    async def adapter():
        for _ in range(100):
            if len(messenger.sent) == 2:
                return
            await asyncio.sleep(0.01)

    assert await serve(assembly, messenger, adapter, poll_seconds=0.01) == 0
    assert sorted(messenger.sent) == ["user:crashed", "user:fresh"]
    assert ctx.outbox.status_counts("W") == {"sent": 2}
