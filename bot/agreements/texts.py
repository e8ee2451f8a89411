"""The agreement's words: the default that ships, the line others quote, the diff shown
when it changes, and how long it may be on each platform."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

DEFAULT = """\
*Our group agreement*
- What's shared here stays here: nothing said in the group, a pairing or a session is \
repeated outside it.
- No client-identifying information: no names, dates, places or details that could \
identify a patient or client. De-identify every case.
- Respect: listen first, assume good intent, disagree kindly; no advice unless it is asked for.
- peerbot is not a crisis service: if you or someone else is at risk, use `/crisis` \
for local crisis lines or call your emergency number.
- You can leave at any time with `/peer group leave <name>`, and take your data with \
`/peer export` or erase it with `/peer forget-me`."""

# What fits in one block on each platform: a Slack section's text and a modal's text
# box hold 3000 characters; a Discord embed description 4096 and a modal box 4000.
LIMITS = {"slack": 3000, "discord": 4000, "console": 4000}
FALLBACK_PLEDGE = "what's shared here stays here"
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.+)$")


def limit_for(platform: str) -> int:
    return LIMITS.get(platform, min(LIMITS.values()))


def normalise(body: str) -> str:
    """Line endings and trailing spaces never make a new version on their own."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def pledge(body: str) -> str:
    """The line pairing introductions and session reminders quote: the first list item,
    up to its first colon (``What's shared here stays here``), lower-cased at the start."""
    for line in body.splitlines():
        match = _BULLET.match(line)
        if match:
            first = match.group(1).split(":", 1)[0].strip().rstrip(".")
            first = re.sub(r"[*_`]", "", first)
            if first:
                return first[0].lower() + first[1:] if not first[:2].isupper() else first
    return FALLBACK_PLEDGE


def pledge_line(body: str, *, both: bool = True) -> str:
    who = "You both agreed" if both else "Everyone here agreed"
    return f"{who}: {pledge(body)}."


def changed_lines(old: str, new: str) -> list[str]:
    """The lines removed (``- ``) then added (``+ ``) at each change, in reading order."""
    before, after = old.splitlines(), new.splitlines()
    lines: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        lines += [f"- {line}" for line in before[a1:a2] if line.strip()]
        lines += [f"+ {line}" for line in after[b1:b2] if line.strip()]
    return lines


def file_problem(path: str) -> str | None:
    """What is wrong with a configured agreement file, or None: checked at start-up, so a
    typo stops the bot there rather than when a member joins."""
    try:
        if path and not Path(path).read_text(encoding="utf-8").strip():
            return "a file with the agreement's text (this one is empty)"
    except (OSError, UnicodeDecodeError):
        return "a readable UTF-8 text file (the path is relative to where peerbot runs)"
    return None
