"""Slack's directory for the core (:class:`bot.core.ports.Directory`): users.info, cached.

Slack deprecated the ``user_name`` of slash commands and interactions (it is the old
unique handle, not what people are called); the name people see is the profile's
``display_name``, else its ``real_name``. The profile's ``tz`` is the time zone the
member set in Slack, which the welcome offers and "Agree" stores.

Every answer is cached for :data:`KEEP` (a failure for :data:`KEEP_FAILURE`, so a
users.info outage costs one slow request a minute, not one per request), at most
:data:`MAX_PEOPLE` entries, the oldest dropped first. A lookup waits at most
:data:`WAIT` seconds: a slow Slack never holds up a command; the payload's name is used.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.ports import Person

log = logging.getLogger("peerbot.slack")
KEEP = 3600.0  # a renamed member shows under the new name within the hour
KEEP_FAILURE = 60.0
MAX_PEOPLE = 10_000
WAIT = 1.5
MAX_NAME = 80  # Slack caps display names at 80 characters


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def person_from(user: Any) -> Person | None:
    """users.info's ``user`` object -> Person (None for a malformed answer)."""
    if not isinstance(user, dict):
        return None
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    name = (_text(profile.get("display_name"), MAX_NAME)
            or _text(profile.get("real_name"), MAX_NAME)
            or _text(user.get("real_name"), MAX_NAME))
    return Person(display_name=name, timezone=_text(user.get("tz"), 64))


class SlackDirectory:
    """users.info with an expiring cache; ``now`` is injectable for tests."""

    def __init__(self, client: AsyncWebClient, *, now: Callable[[], float] = time.monotonic,
                 keep: float = KEEP, wait: float = WAIT) -> None:
        self.client = client
        self.now = now
        self.keep = keep
        self.wait = wait
        self._cache: dict[tuple[str, str], tuple[float, Person | None]] = {}

    async def person(self, workspace_id: str, user_id: str) -> Person | None:
        key = (workspace_id, user_id)
        hit = self._cache.get(key)
        if hit is not None and hit[0] > self.now():
            return hit[1]
        try:
            resp = await asyncio.wait_for(self.client.users_info(user=user_id), self.wait)
            found = person_from(resp.get("user"))
            keep = self.keep
        except Exception as exc:  # no users:read scope, a timeout, a deleted user
            log.info("users.info unavailable: %s", type(exc).__name__)
            found, keep = None, KEEP_FAILURE
        self._remember(key, found, keep)
        return found

    def forget(self, workspace_id: str, user_id: str) -> None:
        """Drop one person (Slack said their profile changed: ``user_change``)."""
        self._cache.pop((workspace_id, user_id), None)

    def _remember(self, key: tuple[str, str], found: Person | None, keep: float) -> None:
        self._cache.pop(key, None)
        self._cache[key] = (self.now() + keep, found)
        while len(self._cache) > MAX_PEOPLE:
            self._cache.pop(next(iter(self._cache)))
