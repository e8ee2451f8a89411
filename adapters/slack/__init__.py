"""The Slack adapter (slack-bolt). The runtime imports :func:`run_slack` lazily."""

from __future__ import annotations

import logging
from typing import Any


async def run_slack(assembly: Any, secrets: Any) -> int:
    """Run peerbot on Slack: the bolt app plus the runtime's outbox drain and jobs."""
    from adapters.slack.app import build_slack
    from bot.runtime import serve

    # Library debug logs would show request bodies (and so what a member typed).
    for name in ("slack_bolt", "slack_sdk", "peerbot.slack.bolt"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))
    adapter = build_slack(assembly.core, assembly.ctx.settings, secrets)
    return await serve(assembly, adapter.messenger, adapter.run)
