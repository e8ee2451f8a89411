"""Files handed to people with a message, in the platform-neutral model.

Kept apart from bot.core.model (which re-exports everything here) so the model stays
small; the rules live in one place: a plain file name, a size cap checked when the
message is built (so an oversized file never reaches the outbox), and alt text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import UserError

MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024  # under Discord's 10 MiB for bots; Slack allows more
MAX_ALT_TEXT = 1000  # Slack's limit for alt_txt (Discord's description allows 1024)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class AttachmentTooLarge(UserError):
    """A file over :data:`MAX_ATTACHMENT_BYTES`: refused when the message is built, so it
    never reaches the outbox, and the person hears why."""


@dataclass(frozen=True)
class Attachment:
    """A file handed to the recipient with a message: a data export, a chart, a calendar.

    How to attach a file: build the message with one, e.g.
    ``message(Section("Your chart"), attachment=Attachment("pulse.png", png_bytes,
    "image/png", alt_text="Bar chart: week 3, 4.2 of 5 ..."))``, and reply with it or
    queue it with ``Outbox.enqueue``. ``content`` is ``bytes`` (any file) or ``str`` (a
    text file, sent as UTF-8); ``data`` is always the bytes. ``alt_text`` is read out by
    screen readers: for an image say what it shows, figures included (Slack ``alt_txt``,
    Discord attachment ``description``, printed on the console). Files go through the
    outbox (base64 in the payload, so they survive a restart) and the one delivery
    path like any message; a file over :data:`MAX_ATTACHMENT_BYTES` raises
    :class:`AttachmentTooLarge`. Slack uploads it to the conversation after the
    message, Discord sends it with the message, the console prints
    ``[attachment: name, size, alt text]`` (and the text of a text file) and saves it
    under ``[console] save_files`` when that is set.
    """

    filename: str
    content: str | bytes
    mime_type: str = "application/json"
    alt_text: str = ""

    def __post_init__(self) -> None:
        name = self.filename.strip()
        if not name or name in (".", "..") or len(name) > 200 or _UNSAFE_NAME.search(name):
            raise ValueError("an attachment needs a plain file name (no folders)")
        if self.size > MAX_ATTACHMENT_BYTES:
            raise AttachmentTooLarge(
                f"The file {name} ({self.size:,} bytes) is over the "
                f"{size_text(MAX_ATTACHMENT_BYTES)} limit for files sent in chat. Nothing "
                "was sent."
            )

    @property
    def data(self) -> bytes:
        """The file's bytes (a text file as UTF-8)."""
        return self.content if isinstance(self.content, bytes) else self.content.encode()

    @property
    def media_type(self) -> str:
        return self.mime_type

    @property
    def size(self) -> int:
        return len(self.content) if isinstance(self.content, bytes) else len(self.data)

    @property
    def is_text(self) -> bool:
        """A text file (shown inline on the console): given as ``str``."""
        return isinstance(self.content, str)

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    def alt(self, limit: int = MAX_ALT_TEXT) -> str:
        """The alt text cut to a platform's limit (at a word, with an ellipsis)."""
        text = " ".join(self.alt_text.split())
        if len(text) <= limit:
            return text
        return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def size_text(size: int) -> str:
    """A file size as people read it: ``812 bytes``, ``14.2 KB``, ``8.0 MB``."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
