"""The console's Messenger: prints each delivered message with its recipient."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from adapters.console.render import buttons_of, render
from bot.core.model import Attachment, Message, Target


class ConsoleMessenger:
    """Writes to a stream and remembers, per member, the latest message with buttons.

    ``name_of`` turns a user id into the name shown (console ids are names already).
    """

    def __init__(self, out: TextIO, name_of: Callable[[str], str] | None = None,
                 save_dir: Path | None = None) -> None:
        self.out = out
        self.save_dir = save_dir
        self.name_of = name_of or (lambda user_id: user_id)
        self.latest_with_buttons: dict[str, Message] = {}
        self.sent: list[tuple[Target, Message]] = []
        self._count = 0

    def show(self, heading: str, msg: Message, recipients: list[str]) -> None:
        self.out.write(f"{heading}\n{render(msg, self.name_of)}\n")
        if msg.attachment is not None and self.save_dir is not None:
            self.out.write(f"  (saved to {self.save(msg.attachment)})\n")
        self.out.flush()
        if buttons_of(msg):
            for user_id in recipients:
                self.latest_with_buttons[user_id] = msg

    def save(self, file: Attachment) -> Path:
        """Write a file under ``save_dir``; never over an earlier one (``name-2.png``)."""
        assert self.save_dir is not None
        self.save_dir.mkdir(parents=True, exist_ok=True)
        path = self.save_dir / file.filename
        stem, suffix, n = path.stem, path.suffix, 1
        while path.exists():
            n += 1
            path = self.save_dir / f"{stem}-{n}{suffix}"
        path.write_bytes(file.data)
        return path

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        self._count += 1
        self.sent.append((target, message))
        if target.user_id:
            heading = f"[DM to {self.name_of(target.user_id)}]"
            recipients = [target.user_id]
        elif target.channel_id:
            thread = f", thread “{target.thread}”" if target.thread else ""
            thread += ", in the thread of an earlier message" if target.reply_to else ""
            heading = f"[#{target.channel_id}{thread}]"
            recipients = []
        else:
            names = ", ".join(self.name_of(u) for u in target.user_ids)
            heading = f"[group conversation: {names}]"
            recipients = list(target.user_ids)
        self.show(heading, message, recipients)
        return f"console-{self._count}"
