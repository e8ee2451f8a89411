"""The console's Messenger: prints each delivered message with its recipient and the
time it arrived in the recipient's zone; edits reprint the message marked "(updated)"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from adapters.console.render import buttons_of, render
from bot.core.model import Attachment, Message, Target


@dataclass
class Held:
    """Deliveries kept back during a long `wait`: printed, or summed up per day."""

    lines: list[str] = field(default_factory=list)
    days: dict[str, Counter[str]] = field(default_factory=dict)
    count: int = 0


class ConsoleMessenger:
    """Writes to a stream and remembers, per member, the latest message with buttons
    (and its reference, so a press says which message it came from).

    ``name_of`` turns a user id into the name shown (console ids are names already);
    ``time_of(user_id)`` is the clock as that recipient reads it (None: a channel), and
    ``day_of()`` the day a summary line counts a delivery under.
    """

    def __init__(self, out: TextIO, name_of: Callable[[str], str] | None = None,
                 time_of: Callable[[str | None], str] | None = None,
                 day_of: Callable[[], str] | None = None,
                 save_dir: Path | None = None) -> None:
        self.out = out
        self.save_dir = save_dir
        self.name_of = name_of or (lambda user_id: user_id)
        self.time_of = time_of
        self.day_of = day_of or (lambda: "")
        self.latest_with_buttons: dict[str, Message] = {}
        self.latest_ref: dict[str, str] = {}
        self.sent: list[tuple[Target, Message]] = []
        self.edits: list[tuple[str, Message]] = []
        self.held: Held | None = None
        self._count = 0
        self._shown: dict[str, tuple[str, list[str]]] = {}
        self._when_sent: dict[str, str] = {}

    def show(self, heading: str, msg: Message, recipients: list[str],
             ref: str | None = None) -> None:
        text = f"{heading}\n{render(msg, self.name_of)}\n"
        if msg.attachment is not None and self.save_dir is not None:
            text += f"  (saved to {self.save(msg.attachment)})\n"
        if self.held is not None:
            self.held.lines.append(text)
            self.held.count += 1
            day = self.held.days.setdefault(self.day_of(), Counter())
            day.update(self.name_of(r) for r in recipients or ["the channel"])
        else:
            self.out.write(text)
            self.out.flush()
        if buttons_of(msg):
            for user_id in recipients:
                self.latest_with_buttons[user_id] = msg
                if ref:
                    self.latest_ref[user_id] = ref

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

    def _heading(self, target: Target) -> tuple[str, list[str]]:
        if target.user_id:
            return f"DM to {self.name_of(target.user_id)}", [target.user_id]
        if target.channel_id:
            thread = f", thread “{target.thread}”" if target.thread else ""
            thread += ", in the thread of an earlier message" if target.reply_to else ""
            return f"#{target.channel_id}{thread}", []
        names = ", ".join(self.name_of(u) for u in target.user_ids)
        return f"group conversation: {names}", list(target.user_ids)

    def _when(self, target: Target) -> str:
        if self.time_of is None:
            return ""
        return f", {self.time_of(target.user_id)}"

    async def send(self, workspace_id: str, target: Target, message: Message,
                   about: str = "") -> str:
        self._count += 1
        ref = f"console-{self._count}"
        self.sent.append((target, message))
        heading, recipients = self._heading(target)
        self._shown[ref] = (heading, recipients)
        self._when_sent[ref] = self._when(target).removeprefix(", ")
        self.show(f"[{heading}{self._when(target)}]{about}", message, recipients, ref)
        return ref

    async def send_reply(self, workspace_id: str, target: Target, message: Message,
                         ref: str) -> str:
        """A message pointing at an earlier one (a reminder about a prompt)."""
        when = self._when_sent.get(ref)
        about = f" (a reply to the message of {when})" if when else " (a reply)"
        return await self.send(workspace_id, target, message, about=about)

    async def edit(self, workspace_id: str, target: Target, ref: str, message: Message) -> str:
        """The console cannot change printed text: it prints the message again, marked."""
        self.edits.append((ref, message))
        heading, recipients = self._shown.get(ref) or self._heading(target)
        self.show(f"[{heading}{self._when(target)}] (updated)", message, recipients, ref)
        return ref

    # ---- a long wait ----------------------------------------------------------------

    def hold(self) -> None:
        """Keep deliveries back until :meth:`release` (a `wait` in progress)."""
        self.held = Held()

    def release(self, *, summary_over: int | None = 20) -> int:
        """Print what was held: everything, or one line per day when more than
        ``summary_over`` messages went out (None: always everything). How many."""
        held, self.held = self.held, None
        if held is None:
            return 0
        if summary_over is None or held.count <= summary_over:
            self.out.write("".join(held.lines))
        else:
            for day, people in held.days.items():
                total = sum(people.values())
                who = ", ".join(f"{name} {n}" for name, n in people.most_common())
                self.out.write(f"[{day}: {total} message(s) delivered: {who}]\n")
            self.out.write("(one line per day; `wait <duration> --verbose` prints every message, "
                           "and `press` still answers your latest one)\n")
        self.out.flush()
        return held.count
