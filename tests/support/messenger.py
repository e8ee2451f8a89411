"""The one recording messenger: delivers instantly and keeps every send, in order.

Tests that need failures (429s, blocked users, crashes) script their own messenger;
everything else uses this one, through :class:`tests.support.world.World` or directly.
"""

from __future__ import annotations

from bot.core.model import Message, Target


class RecordingMessenger:
    def __init__(self) -> None:
        self.sent: list[tuple[Target, Message]] = []

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        self.sent.append((target, message))
        return f"ref-{len(self.sent)}"

    def to(self, user_id: str) -> list[Message]:
        """Messages that reached ``user_id``: DMs and group conversations they are in."""
        return [m for t, m in self.sent if t.user_id == user_id or user_id in t.user_ids]

    def recipients(self) -> list[str]:
        """Who each send went to, in order: a user id, or the target's key otherwise."""
        return [t.user_id or t.key() for t, _ in self.sent]

    def groups(self) -> list[tuple[str, ...]]:
        """The members of each group conversation opened, in order."""
        return [tuple(sorted(t.user_ids)) for t, _ in self.sent if t.user_ids]
