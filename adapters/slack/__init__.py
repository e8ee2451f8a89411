"""The Slack adapter (slack-bolt). The runtime imports :func:`run_slack` lazily."""

from __future__ import annotations

from typing import Any


async def run_slack(assembly: Any, secrets: Any) -> int:
    """Run peerbot on Slack: the bolt app plus the runtime's outbox drain and jobs."""
    from adapters.slack.app import build_slack
    from adapters.slack.logs import quiet_library_logs
    from bot.runtime import serve

    quiet_library_logs()
    adapter = build_slack(assembly.core, assembly.ctx.settings, secrets)
    return await serve(assembly, adapter.messenger, adapter.run)
