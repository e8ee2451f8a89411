"""The one recording messenger: delivers instantly and keeps every send, in order.

Tests that need failures (429s, blocked users, crashes) script their own messenger;
everything else uses this one, through :class:`tests.support.world.World` or directly.
"""

from __future__ import annotations

from bot.core.model import Message, Target


class RecordingMessenger:
    def __init__(self) -> None:
        self.sent: list[tuple[Target, Message]] = []
        self.edits: list[tuple[str, Message]] = []  # (the edited message's ref, new text)
        self.replies: dict[int, str] = {}  # index in ``sent`` -> the ref it points at

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        self.sent.append((target, message))
        return f"ref-{len(self.sent)}"

    async def send_reply(self, workspace_id: str, target: Target, message: Message,
                         ref: str) -> str:
        self.replies[len(self.sent)] = ref
        return await self.send(workspace_id, target, message)

    async def edit(self, workspace_id: str, target: Target, ref: str, message: Message) -> str:
        self.edits.append((ref, message))
        return ref

    def current(self, ref: str) -> Message:
        """The message ``ref`` as its reader sees it now: the last edit, or as sent."""
        edited = [m for r, m in self.edits if r == ref]
        return edited[-1] if edited else self.sent[int(ref.removeprefix("ref-")) - 1][1]

    def to(self, user_id: str) -> list[Message]:
        """Messages that reached ``user_id``: DMs and group conversations they are in."""
        return [m for t, m in self.sent if t.user_id == user_id or user_id in t.user_ids]

    def recipients(self) -> list[str]:
        """Who each send went to, in order: a user id, or the target's key otherwise."""
        return [t.user_id or t.key() for t, _ in self.sent]

    def groups(self) -> list[tuple[str, ...]]:
        """The members of each group conversation opened, in order."""
        return [tuple(sorted(t.user_ids)) for t, _ in self.sent if t.user_ids]
