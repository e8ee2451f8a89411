"""The App Home tab: built from the core's home sections, kept current after changes.

A mixin of :class:`adapters.slack.app.SlackAdapter`. Opening Home always publishes it;
after a command or button it is republished only when what it shows changed (compared
with a digest of what this process last published for that member), so it stays
current without a views.publish per request. A refresh never enrols anyone: after
``/peer forget-me`` the tab says nothing is held, and nothing is stored again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from adapters.slack import modals
from adapters.slack.render import home_view
from bot.core.model import Actor, Message

SEEN_HOMES = 5000  # members whose last published Home is remembered


class HomeTab:
    """What the adapter (which sets these) needs to publish Home."""

    host: Any
    roles: Any
    settings: Any
    client: Any
    _homes: dict[tuple[str, str], str]

    async def publish_home(self, workspace_id: str, user_id: str, *,
                           if_changed: bool = False) -> None:
        """Build the member's Home tab from the core's home message and publish it
        (after a command or button, ``if_changed``: only when it differs)."""
        roles = await self.roles.roles_for(user_id)
        home: Message = await self.host.home(Actor(workspace_id, user_id, "", roles),
                                             enrol=not if_changed)
        extras = modals.home_extras(self.settings.bot.crisis_command)
        page = Message(blocks=(*home.blocks, *extras), fallback=home.fallback)
        view = home_view(page)
        digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()
        key = (workspace_id, user_id)
        if if_changed and self._homes.get(key) == digest:
            return
        await self.client.views_publish(user_id=user_id, view=view)
        self._homes.pop(key, None)
        self._homes[key] = digest
        while len(self._homes) > SEEN_HOMES:
            self._homes.pop(next(iter(self._homes)))
