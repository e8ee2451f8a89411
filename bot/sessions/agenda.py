"""A session's agenda: members add items, the discussion lead (or a facilitator) orders them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.context import AppContext
from bot.core.errors import UserError
from bot.sessions.model import Meeting
from bot.store.rows import fetch_all

MAX_ITEM = 200
MAX_ITEMS = 20


@dataclass(frozen=True)
class Item:
    id: int
    user_id: str
    text: str
    position: int


class Agenda:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.db = ctx.db

    def items(self, meeting_id: int) -> list[Item]:
        return fetch_all(self.db, Item, "SELECT id, user_id, text, position FROM session_agenda"
                         " WHERE meeting_id = ? ORDER BY position, id", [meeting_id])

    def add(self, meeting: Meeting, user_id: str, text: str) -> int:
        text = " ".join(text.split())
        if not text:
            raise UserError("What's the item? Type it after the command. Nothing was changed.")
        if len(text) > MAX_ITEM:
            raise UserError(f"That item is {len(text)} characters; keep it to {MAX_ITEM}. "
                            "Nothing was changed.")
        items = self.items(meeting.id)
        if len(items) >= MAX_ITEMS:
            raise UserError(f"The agenda has {MAX_ITEMS} items already. Nothing was changed.")
        self.db.execute("INSERT INTO session_agenda (meeting_id, workspace_id, user_id, text,"
                        " position, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        [meeting.id, meeting.workspace_id, user_id, text, len(items) + 1,
                         self.ctx.clock.now().isoformat()])
        return len(items) + 1

    def remove(self, meeting: Meeting, number: int) -> Item:
        items = self.items(meeting.id)
        if not 1 <= number <= len(items):
            raise UserError(f"The agenda has {len(items)} item(s); there is no item {number}. "
                            "Nothing was changed.")
        gone = items[number - 1]
        self.db.execute("DELETE FROM session_agenda WHERE id = ?", [gone.id])
        for position, item in enumerate(i for i in items if i.id != gone.id):
            self.db.execute("UPDATE session_agenda SET position = ? WHERE id = ?",
                            [position + 1, item.id])
        return gone

    def order(self, meeting: Meeting, numbers: list[int]) -> list[Item]:
        """Put the items in the order of their current numbers (1-based); every item once."""
        items = self.items(meeting.id)
        if sorted(numbers) != list(range(1, len(items) + 1)):
            raise UserError(f"Give each of the {len(items)} item numbers once, in the new "
                            "order, e.g. `3 1 2`. Nothing was changed.")
        for position, number in enumerate(numbers, 1):
            self.db.execute("UPDATE session_agenda SET position = ? WHERE id = ?",
                            [position, items[number - 1].id])
        return self.items(meeting.id)
