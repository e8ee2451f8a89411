"""The platform-neutral message model: what comes in (Invocation, Action) and goes out.

Handlers build these values; adapters render them (Block Kit, Discord components,
console text). Nothing here knows about any platform, so a feature written once works
on every adapter, and a golden render test per adapter keeps them honest.

Attaching a file: ``message(Section("Chart"), attachment=Attachment("c.png", png_bytes,
"image/png", alt_text="Bar chart: ..."))`` (bytes, or str for a text file; alt text says
what an image shows). It goes through the outbox like any message: bot.core.attachments.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import Any

from bot.core.attachments import MAX_ATTACHMENT_BYTES, Attachment, AttachmentTooLarge  # noqa: F401


class Role(IntEnum):
    """Roles are ordered: a facilitator may do what a member may, an admin everything."""

    MEMBER = 0
    FACILITATOR = 1
    ADMIN = 2


class Visibility(Enum):
    """Who sees a reply to an invocation."""

    PRIVATE = "private"  # ephemeral on Slack/Discord, a private reply in the console
    CHANNEL = "channel"  # visible to everyone in the channel where the command ran


@dataclass(frozen=True)
class Actor:
    """Who did something, as the platform identified them.

    ``platform_roles`` carries roles the platform itself vouches for (a Discord role,
    a Slack user group); the core combines them with roles stored in the database.
    """

    workspace_id: str
    user_id: str
    display_name: str = ""
    platform_roles: frozenset[Role] = frozenset()
    # The time zone the platform's profile gives (Slack's users.info ``tz``), "" when it
    # gives none (Discord): offered at consent, never stored without the member seeing it.
    timezone: str = ""


@dataclass(frozen=True)
class Invocation:
    """A slash command as the core sees it, whatever platform sent it.

    ``command`` is the top-level name the platform used ("peer" or "crisis", as
    configured); ``text`` is everything after it. Mentions arrive normalised as
    ``<@USERID>`` tokens (or ``@name`` in the console) and are resolved by the core.
    """

    actor: Actor
    command: str
    text: str = ""
    channel_id: str | None = None
    is_direct: bool = False
    reply_handle: Any = None
    # The platform's id of this very request (a digest of the signed Slack request, a
    # Discord interaction id); a replay of it runs once. None where none can be replayed.
    request_id: str | None = None


@dataclass(frozen=True)
class Action:
    """A button press or select choice; ``value`` is the action id the core put there."""

    actor: Actor
    value: str
    channel_id: str | None = None
    message_ref: str | None = None
    reply_handle: Any = None
    request_id: str | None = None
    ask: bool = False  # a Confirm's button where no dialog exists: ask first (confirming)
    confirmed: str = ""  # the signature of the question's answer (bot.core.confirming)


# ---- blocks -----------------------------------------------------------------------


class ButtonStyle(Enum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Confirm:
    """"Are you sure?" before a button acts (erasing, leaving, starting a round).

    Slack shows its confirmation dialog (Block Kit ``confirm``); Discord has none, so
    there the core asks privately first, with these words (bot.core.confirming; the
    action declares the same Confirm with ``router.action(..., confirm=)``). The console
    acts on the press. The words name the consequence: never colour or an emoji alone.
    """

    title: str
    text: str
    yes: str
    no: str = "Cancel"


@dataclass(frozen=True)
class Button:
    """One choice; ``value`` is an action id (see ``bot.core.action_ids``), at most 100 chars."""

    label: str
    value: str
    style: ButtonStyle = ButtonStyle.DEFAULT
    confirm: Confirm | None = None


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Section:
    """A paragraph of text. Light markdown only: *bold*, _italic_, line breaks."""

    text: str


@dataclass(frozen=True)
class Fields:
    """Label/value pairs shown side by side where the platform can."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class SelectOption:
    label: str
    value: str


@dataclass(frozen=True)
class Select:
    """A single choice from a list; the chosen option's value is an action id."""

    placeholder: str
    options: tuple[SelectOption, ...]


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Context:
    """Small print: a footnote, a privacy reminder."""

    text: str


@dataclass(frozen=True)
class Divider:
    pass


Block = Header | Section | Fields | Buttons | Select | Link | Context | Divider


@dataclass(frozen=True)
class FormField:
    """One field of a :class:`Form`: a line or paragraph of text, or one of ``choices``.

    ``choices`` are (label, value) pairs; platforms without a picker in forms (Discord)
    show a text field that names them, and the command checks the value either way.
    """

    key: str
    label: str
    hint: str = ""
    max_length: int = 200
    multiline: bool = False
    optional: bool = True
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Form:
    """A form a platform shows for a command typed with nothing after it (a modal).

    A form is only a friendlier way to type: submitting it runs :attr:`phrase` followed
    by one ``key:value`` word per filled field (see :func:`form_text`), so validation,
    consent and privacy live in the command alone. ``intro`` is shown above the fields
    (what happens to what is entered). The console has no forms: the command answers
    with how to type it.
    """

    phrase: str
    title: str
    fields: tuple[FormField, ...]
    intro: str = ""
    submit: str = "Save"
    initial: tuple[tuple[str, str], ...] = ()  # (field key, value) shown pre-filled

    def initial_value(self, key: str) -> str:
        return next((value for k, value in self.initial if k == key), "")


# A button whose value is ``form.open|<phrase>`` opens that command's form where the
# platform has forms (Slack, Discord); elsewhere the core says how to type it.
FORM_BUTTON = "form.open"


_STRAIGHT = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def form_text(form: Form, values: dict[str, str]) -> str:
    """The command a submitted form stands for: ``phrase key:'value' ...``, shell-quoted
    so that nothing typed in a field (a ``group:x``, a quote) changes the command."""
    words = [form.phrase]
    for field in form.fields:
        value = str(values.get(field.key) or "").translate(_STRAIGHT).strip()
        if not field.multiline:
            value = " ".join(value.split())
        if value:
            words.append(shlex.quote(f"{field.key}:{value}"))
    return " ".join(words)


@dataclass(frozen=True)
class Message:
    """A message in the neutral model.

    ``fallback`` is the plain-text summary used for notifications and screen readers;
    when empty, adapters derive it from the blocks with :func:`plain_text`.
    """

    blocks: tuple[Block, ...] = ()
    fallback: str = ""
    attachment: Attachment | None = None

    def text(self) -> str:
        """Plain text (times as their fallbacks): for notifications and screen readers."""
        return plain_times(self.fallback) or plain_text(self)


@dataclass(frozen=True)
class Reply:
    """The core's answer to an invocation or action, shown to the person who acted."""

    message: Message
    visibility: Visibility = Visibility.PRIVATE
    replace_original: bool = False
    # Set when the reply says the input could not be used (a UserError, nothing changed):
    # the form field it concerns, or "" when no one field is to blame.
    error_field: str | None = None
    # A button whose action name ends in ``.form`` (action_ids.opens_form) may answer
    # with a form to open, pre-filled; the console, which has no forms, shows ``message``.
    form: Form | None = None


@dataclass(frozen=True)
class Target:
    """Where an outgoing (outbox) message goes.

    Exactly one of ``user_id`` (a DM), ``channel_id`` or ``user_ids`` (a group
    conversation: a Slack group DM; on Discord a private thread or one DM each).
    ``thread`` names a thread to open on a channel message for the replies (Discord; on
    Slack every message is already a thread's start, and the console shows the name).
    ``reply_to`` is the reference a send returned for a channel message (``channel:id``):
    the message goes into that message's thread instead (Slack ``thread_ts``; on Discord
    the thread opened on it, else the channel).
    """

    user_id: str | None = None
    channel_id: str | None = None
    user_ids: tuple[str, ...] = ()
    thread: str = ""
    reply_to: str = ""

    def key(self) -> str:
        if self.user_id:
            return f"user:{self.user_id}"
        if self.channel_id:
            return f"channel:{self.channel_id}"
        return "group:" + ",".join(sorted(self.user_ids))


# A mention the core itself creates is wrapped in two private-use characters that no
# person can get into a message: the core strips them from everything that arrives
# (``unmark``). Adapters turn only these into live mentions and escape all other text,
# so a display name such as ``<!channel>`` or ``@everyone`` stays literal text.
MENTION_START = "\ue000"
MENTION_END = "\ue001"
LIVE_MENTION = re.compile("\ue000([A-Za-z0-9_.-]{1,64})\ue001")


def mention(user_id: str) -> str:
    """A person named in message text so the platform notifies them.

    Slack renders it as ``<@USERID>``, Discord as ``<@ID>`` (and allows that user, and
    only the users the core named, to be notified), the console as the member's name.
    """
    return f"{MENTION_START}{user_id}{MENTION_END}"


def live_mentions(text: str) -> list[str]:
    """The user ids the core mentioned in ``text``, in order."""
    return LIVE_MENTION.findall(text)


def unmark(text: str) -> str:
    """``text`` without the core's mention and time markers: applied to everything a
    person or a platform profile sends, so nobody can forge a live mention or a time."""
    if _MARKERS.search(text):
        return _MARKERS.sub("", text)
    return text


# A time the core shows is carried in message text as a structured value: the instant
# (Unix seconds) and the plain-text fallback the core computed in the reader's zone
# (``bot.core.timeparse.local_text``), between private-use markers like mentions.
# Slack renders it as ``<!date^...|fallback>``, Discord as ``<t:...:f>`` (each reader's
# own clock), the console and every plain-text place as the fallback.
TIME_START = "\ue002"
TIME_SEP = "\ue003"
TIME_END = "\ue004"
TIME_TOKEN = re.compile("\ue002(-?[0-9]{1,12})\ue003([^\ue000-\ue004]*)\ue004")
_MARKERS = re.compile("[\ue000-\ue004]")


@dataclass(frozen=True)
class TimeValue:
    """A time inside message text: the instant and the core's plain-text rendering."""

    unix: int
    fallback: str


def time_token(unix: int, fallback: str) -> str:
    """Text that adapters show as a platform date token, with ``fallback`` elsewhere."""
    return f"{TIME_START}{int(unix)}{TIME_SEP}{_MARKERS.sub('', fallback)}{TIME_END}"


def plain_times(text: str) -> str:
    """``text`` with every time token replaced by its plain-text fallback."""
    return TIME_TOKEN.sub(lambda m: m.group(2), text) if TIME_START in text else text


def split_times(text: str) -> list[str | TimeValue]:
    """``text`` cut into plain runs and :class:`TimeValue` s, in order (for renderers)."""
    parts: list[str | TimeValue] = []
    pos = 0
    for match in TIME_TOKEN.finditer(text):
        parts.append(text[pos:match.start()])
        parts.append(TimeValue(int(match.group(1)), match.group(2)))
        pos = match.end()
    parts.append(text[pos:])
    return [p for p in parts if p != ""]


def message(*blocks: Block, fallback: str = "", attachment: Attachment | None = None) -> Message:
    """Build a Message from blocks; a small convenience for handlers."""
    return Message(blocks=tuple(blocks), fallback=fallback, attachment=attachment)


def reply(*blocks: Block, visibility: Visibility = Visibility.PRIVATE, fallback: str = "") -> Reply:
    return Reply(message=message(*blocks, fallback=fallback), visibility=visibility)


def plain_text(msg: Message) -> str:
    """The message as plain text, buttons excluded, times as the core's fallbacks; the
    fallback for every platform."""
    lines: list[str] = []
    for block in msg.blocks:
        match block:
            case Header(text=t) | Section(text=t) | Context(text=t):
                lines.append(t)
            case Fields(pairs=pairs):
                lines.extend(f"{k}: {v}" for k, v in pairs)
            case Link(label=label, url=url):
                lines.append(f"{label}: {url}")
            case _:
                pass
    return plain_times("\n".join(lines))

