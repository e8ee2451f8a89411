"""The Slack adapter (slack-bolt). The runtime imports :func:`run_slack` lazily."""

from __future__ import annotations

from bot.core.config import Secrets
from bot.core.ports import Host


async def run_slack(host: Host, secrets: Secrets) -> int:
    """Run peerbot on Slack: the bolt app, served by the host with its outbox and jobs."""
    from adapters.slack.app import build_slack
    from adapters.slack.logs import quiet_library_logs

    quiet_library_logs()
    adapter = build_slack(host, secrets)
    try:
        return await host.serve(adapter.messenger, adapter.run)
    finally:
        await adapter.messenger.close()  # its keep-alive session, however serving ended
