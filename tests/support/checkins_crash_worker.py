"""A peerbot process for the crash test: open prompts and deliver, or recover and deliver.

Usage: python checkins_crash_worker.py <db> <platform-log> crash <n> | crash-tick <n>
       | recover [probe]

The fake platform is an append-only log file (one JSON line per delivered message,
fsync'd before the send returns). ``crash <n>`` dies with os._exit right after the
n-th message reached the platform and before the bot could record it as sent: the
worst point of the in-flight window. ``recover probe`` answers ``find_delivered`` from
the log, as a platform that can search its history would.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime

from bot.checkins.jobs import tick
from bot.core import action_ids
from bot.core.clock import ManualClock
from bot.core.config import parse_config
from bot.core.context import AppContext
from bot.core.delivery import Deliverer
from bot.core.model import Actor, Buttons
from bot.core.outbox import Outbox
from bot.runtime import build_context
from bot.store.db import open_database

WS = "W"
MEMBERS = 30
NOW = datetime(2026, 1, 5, 9, 5, tzinfo=UTC)  # a Monday, just after the 09:00 prompts


def prompt_ids(message) -> set[str]:
    ids = set()
    for block in message.blocks:
        if isinstance(block, Buttons):
            for button in block.buttons:
                ids.add(action_ids.decode(button.value).args[0])
    return ids


class PlatformLog:
    def __init__(self, path: str, crash_after: int | None = None, probe: bool = False) -> None:
        self.path = path
        self.crash_after = crash_after
        self.count = 0
        if probe:
            self.find_delivered = self._find_delivered

    async def send(self, workspace_id, target, message):
        line = json.dumps({"user": target.user_id, "prompts": sorted(prompt_ids(message))})
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(line + "\n")
            log.flush()
            os.fsync(log.fileno())
        self.count += 1
        if self.crash_after is not None and self.count >= self.crash_after:
            os._exit(17)
        return f"msg-{self.count}"

    async def _find_delivered(self, workspace_id, target, round_key):
        prompt_id = round_key.rsplit(":", 1)[-1]
        if not os.path.exists(self.path):
            return None
        with open(self.path, encoding="utf-8") as log:
            for line in log:
                entry = json.loads(line)
                if entry["user"] == target.user_id and prompt_id in entry["prompts"]:
                    return "found-in-history"
        return None


def context(db_path: str) -> AppContext:
    settings = parse_config({"bot": {"database": db_path}, "groups": [{"name": "Circle"}]})
    db = open_database(db_path)
    return build_context(settings, db, ManualClock(NOW))


def setup(ctx: AppContext) -> None:
    members = ctx.members
    members.ensure_workspace(WS, "console")
    group = members.ensure_group(WS, "Circle")
    consent = ctx.members
    ctx.clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    for i in range(MEMBERS):
        actor = Actor(WS, f"u{i:02d}", f"u{i:02d}")
        members.ensure_member(actor)
        consent.record_consent(actor)
        members.join_group(WS, group.id, actor.user_id)
        members.set_hold(WS, group.id, actor.user_id, None)  # as after agreeing
    ctx.clock.set(NOW)


async def main(argv: list[str]) -> int:
    db_path, log_path, mode = argv[:3]
    ctx = context(db_path)
    if mode == "crash":
        setup(ctx)
        messenger = PlatformLog(log_path, crash_after=int(argv[3]))
    elif mode == "crash-tick":
        setup(ctx)
        die_after = int(argv[3])
        real = Outbox.enqueue

        def dying_enqueue(self, *args, **kwargs):
            if ctx.db.execute("SELECT count(*) FROM outbox").fetchone()[0] >= die_after:
                os._exit(17)
            return real(self, *args, **kwargs)

        Outbox.enqueue = dying_enqueue  # this process only: it is about to die
        tick(ctx)
        return 1  # not reached
    else:
        messenger = PlatformLog(log_path, probe="probe" in argv[3:])
    deliverer = Deliverer(ctx.outbox, ctx.members, messenger, ctx.clock, concurrency=4)
    await deliverer.recover_in_flight()
    tick(ctx)  # what the scheduler does at start-up; must open nothing twice
    await deliverer.drain_once()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
