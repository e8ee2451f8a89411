"""Who is a facilitator on Slack: configured user ids and/or one Slack user group.

The user group is read with usergroups.users.list (scope usergroups:read) and cached
for a short while, so a busy channel does not call Slack on every click, yet a change
in the group takes effect within minutes. A failed lookup keeps the last known list
(or none) and is logged once; it never blocks a member's command.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.model import Role

log = logging.getLogger("peerbot.slack")


class FacilitatorRoles:
    def __init__(
        self,
        client: AsyncWebClient,
        user_ids: list[str] | tuple[str, ...] = (),
        usergroup: str = "",
        *,
        ttl: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.user_ids = frozenset(user_ids)
        self.usergroup = usergroup
        self.ttl = ttl
        self.monotonic = monotonic
        self._members: frozenset[str] = frozenset()
        self._fetched_at: float | None = None
        self._warned = False

    async def roles_for(self, user_id: str) -> frozenset[Role]:
        if user_id in self.user_ids:
            return frozenset({Role.FACILITATOR})
        if self.usergroup and user_id in await self._group_members():
            return frozenset({Role.FACILITATOR})
        return frozenset()

    async def _group_members(self) -> frozenset[str]:
        now = self.monotonic()
        if self._fetched_at is not None and now - self._fetched_at < self.ttl:
            return self._members
        try:
            resp = await self.client.usergroups_users_list(usergroup=self.usergroup)
            self._members = frozenset(resp.get("users") or [])
        except (SlackApiError, OSError, TimeoutError) as exc:
            if not self._warned:
                self._warned = True
                log.warning(
                    "could not read the facilitator user group %s (%s); using the last "
                    "known members",
                    self.usergroup,
                    type(exc).__name__,
                )
        self._fetched_at = now
        return self._members
