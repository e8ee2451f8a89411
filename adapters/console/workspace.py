"""The console workspace: one instruction per line, from a person or a script.

Instructions: ``as <name>``, ``/<command> ...``, ``press <n>``, ``wait <duration>``,
``help``, ``quit``. Lines starting with ``#`` are comments. Time stands still unless
you ``wait``: then the workspace clock jumps forward and every scheduled job that falls
due in that span runs in order, with its messages delivered through the outbox.

The workspace only translates: commands, presses, the clock, jobs and the demo are
the :class:`~bot.core.ports.ConsoleHost`'s, which the runtime hands it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TextIO

from adapters.console.messenger import ConsoleMessenger
from adapters.console.render import buttons_of, render
from bot.core.errors import ScheduleError
from bot.core.model import Action, Actor, Invocation, Reply, Visibility
from bot.core.ports import ConsoleHost
from bot.core.timeparse import parse_span

HELP = """Console workspace instructions:
  as <name>          act as that member (demo: alice, bob, carol, dan, erin; facilitator fran)
  /peer ...          run a slash command as the current member (try /peer help)
  /crisis            crisis-line resources, privately
  press <n>          press button n of the latest message shown to you
  wait <duration>    advance the clock (e.g. 45m, 6h, 3d, 2w) and run what falls due;
                     over 20 messages are summed up per day (add --verbose to see all)
  time               show the workspace clock
  help               this text
  quit               leave"""

MAX_WAIT = timedelta(days=120)
SUMMARY_OVER = 20  # a `wait` delivering more than this prints one line per day


def parse_duration(text: str) -> timedelta | None:
    """``45m``, ``6h``, ``3d``, ``2w`` (the core's one span parser), up to 120 days."""
    try:
        delta = parse_span(text)
    except ScheduleError:
        return None
    return delta if delta <= MAX_WAIT else None


class ConsoleWorkspace:
    def __init__(self, host: ConsoleHost, out: TextIO) -> None:
        self.host = host
        self.settings = host.settings
        self.out = out
        self.workspace_id = self.settings.console.workspace
        save = self.settings.console.save_files
        self.messenger = ConsoleMessenger(out, self._name_of, self._time_of, self._day,
                                          save_dir=Path(save) if save else None)
        self.current = "alice"

    def _name_of(self, user_id: str) -> str:
        return self.host.display_name(self.workspace_id, user_id)

    def _time_of(self, user_id: str | None) -> str:
        """The clock as a recipient reads it (a channel: the workspace's zone)."""
        return self.host.local_now(self.workspace_id, user_id)

    def _day(self) -> str:
        return self.host.now().strftime("%a %d %b %Y")

    def _actor(self) -> Actor:
        # The console's one deliberate exception to "identity is the platform id": a
        # terminal has no accounts, so the name typed after `as` IS the id (lower-cased),
        # and `[bot] admins` / group facilitators list console names. Only here.
        return Actor(self.workspace_id, self.current, self.current)

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def start(self) -> None:
        if self.settings.console.demo:
            self.host.seed_demo(self.workspace_id)
        await self.host.recover(self.messenger)
        self.say(
            f"peerbot console workspace. Clock: {self._clock_text()}. "
            f"You are {self.current}. Type `help` for instructions."
        )

    def _clock_text(self) -> str:
        return self.host.now().strftime("%a %Y-%m-%d %H:%M UTC")

    async def deliver(self) -> None:
        await self.host.deliver(self.messenger)

    def _show_replies(self, replies: list[Reply]) -> None:
        for item in replies:
            if item.visibility is Visibility.CHANNEL:
                heading = f"[in channel, from the bot, after {self.current}'s command]"
                recipients: list[str] = []
            else:
                heading = f"[private reply to {self.current}]"
                recipients = [self.current]
            self.messenger.show(heading, item.message, recipients)

    async def handle(self, line: str) -> bool:
        """Run one instruction; returns False when the workspace should stop."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        word = word.lower()
        if word in ("quit", "exit"):
            return False
        if word == "help":
            self.say(HELP)
        elif word == "time":
            self.say(f"Clock: {self._clock_text()}")
        elif word == "as":
            self._switch(rest.strip())
        elif line.startswith("/"):
            await self._command(line[1:])
        elif word == "press":
            await self._press(rest.strip())
        elif word == "wait":
            await self._wait(rest.strip())
        else:
            self.say(f"I don't understand “{line[:40]}”. Type `help` for instructions.")
        return True

    def _switch(self, name: str) -> None:
        user_id = self.host.find_member(self.workspace_id, name)
        if not name:
            self.say("Say who: `as bob`.")
            return
        self.current = user_id or name.lstrip("@").lower()
        note = "" if user_id else " (new to this workspace)"
        self.say(f"You are now {self.current}{note}.")

    async def _command(self, text: str) -> None:
        command, _, rest = text.partition(" ")
        known = {self.settings.bot.command_name, self.settings.bot.crisis_command}
        if command not in known:
            names = " or ".join(f"/{k}" for k in sorted(known))
            self.say(f"Unknown command /{command[:30]}. Commands here start with {names}.")
            return
        inv = Invocation(
            actor=self._actor(), command=command, text=rest, channel_id=None, is_direct=True
        )
        self._show_replies(await self.host.handle_invocation(inv))
        await self.deliver()

    async def _press(self, which: str) -> None:
        latest = self.messenger.latest_with_buttons.get(self.current)
        if latest is None:
            self.say(f"{self.current} has no message with buttons to press.")
            return
        buttons = buttons_of(latest)
        if not which.isdigit() or not 1 <= int(which) <= len(buttons):
            self.say(f"Press a number from 1 to {len(buttons)}. The latest message was:")
            self.say(render(latest))
            return
        button = buttons[int(which) - 1]
        self.say(f"({self.current} pressed “{button.label}”)")
        action = Action(actor=self._actor(), value=button.value,
                        message_ref=self.messenger.latest_ref.get(self.current))
        self._show_replies(await self.host.handle_action(action))
        await self.deliver()

    async def _wait(self, text: str) -> None:
        words = text.split()
        verbose = "--verbose" in words
        delta = parse_duration(" ".join(w for w in words if w != "--verbose"))
        if delta is None:
            self.say("Wait how long? For example `wait 45m`, `wait 6h`, `wait 3d`, `wait 2w` "
                     "(up to 120 days; add --verbose to see every message).")
            return
        before = len(self.messenger.sent)
        self.messenger.hold()
        try:
            await self.host.advance(delta, self.messenger)
        finally:
            self.messenger.release(summary_over=None if verbose else SUMMARY_OVER)
        delivered = len(self.messenger.sent) - before
        self.say(f"(time passes: now {self._clock_text()}; {delivered} message(s) delivered)")


async def run_console(host: ConsoleHost, stdin: TextIO, out: TextIO) -> int:
    """Run instructions from ``stdin`` until it ends or says ``quit``; the exit status."""
    workspace = ConsoleWorkspace(host, out)
    await workspace.start()
    interactive = stdin.isatty()
    while True:
        if interactive:
            out.write(f"{workspace.current}> ")
            out.flush()
        line = stdin.readline()
        if not line:
            break
        if not interactive and line.strip() and not line.startswith("#"):
            out.write(f"{workspace.current}> {line.rstrip()}\n")
        if not await workspace.handle(line):
            break
    workspace.say("Goodbye.")
    return 0
