"""Log lines that can be shipped anywhere: no token, no typed text, no locals.

A logging filter blanks secrets, so a token can never reach a log line.

Installed on the root logger's handlers at start-up with the secret values from the
environment, plus token-shaped patterns (Slack xox*/xapp tokens, Discord bot tokens)
in case a library echoes one we were not told about. Tracebacks keep their frames but
lose their messages and locals (:func:`safe_traceback`), and only appear at DEBUG.
:func:`configure_logging` installs one handler, text or JSON lines, with the request id
of the event each line belongs to.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from typing import TextIO

from bot.core.requestid import current_request_id

TOKEN_PATTERNS = [
    re.compile(r"xox[abprs]-[A-Za-z0-9-]{10,}"),
    re.compile(r"xapp-[A-Za-z0-9-]{10,}"),
    re.compile(r"[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,40}"),
]
REDACTED = "[redacted]"


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern in TOKEN_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def safe_traceback(exc: BaseException, *, depth: int = 5) -> str:
    """A traceback with the frames (file, line, function, source line) and the exception
    *types*, but no locals and no exception messages: a message may quote what a member
    typed or a row's contents. Chained causes are followed up to ``depth``."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(parts) < depth:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)  # no locals captured
        kind = type(current)
        name = kind.__qualname__ if kind.__module__ == "builtins" else \
            f"{kind.__module__}.{kind.__qualname__}"
        parts.append("Traceback (most recent call last):\n"
                     + "".join(frames.format()) + f"{name}: [message redacted]")
        current = current.__cause__ or (None if current.__suppress_context__
                                        else current.__context__)
    return "\n\nwhich was raised while handling:\n".join(parts)


class RedactingFilter(logging.Filter):
    """Blanks secrets in every message; replaces a traceback by :func:`safe_traceback`,
    shown only when DEBUG is on (otherwise the exception's type alone)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, self.secrets)
        if clean != message or record.exc_info:
            record.msg, record.args = clean, ()
            if record.exc_info:
                exc = record.exc_info[1]
                if exc is not None and logging.getLogger().isEnabledFor(logging.DEBUG):
                    record.exc_text = redact(safe_traceback(exc), self.secrets)
                else:
                    record.exc_text = None
                    if exc is not None:
                        record.msg = f"{clean} ({type(exc).__name__}; traceback at DEBUG)"
                record.exc_info = None
        if record.stack_info:
            record.stack_info = None  # frames only through safe_traceback
        return True


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside any request) for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


def configure_logging(level: str, fmt: str, secrets: list[str],
                      stream: TextIO | None = None) -> logging.Handler:
    """The root logger's one handler: text lines or JSON lines (python-json-logger),
    both behind the same redaction. Replaces any handler a previous call installed."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "peerbot", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.peerbot = True  # type: ignore[attr-defined]
    if fmt == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter(
            JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level",
                                        "name": "logger", "exc_info": "traceback"},
            timestamp=False))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    redacting = RedactingFilter(secrets)
    for other in root.handlers:  # handlers installed by someone else get the filter too
        other.addFilter(redacting)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(redacting)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def install_log_redaction(secrets: list[str]) -> RedactingFilter:
    flt = RedactingFilter(secrets)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(flt)
    return flt
