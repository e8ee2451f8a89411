"""A logging filter that blanks secrets, so a token can never reach a log line.

Installed on the root logger's handlers at start-up with the secret values from the
environment, plus token-shaped patterns (Slack xox*/xapp tokens, Discord bot tokens)
in case a library echoes one we were not told about.
"""

from __future__ import annotations

import logging
import re

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


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, self.secrets)
        if clean != message or record.exc_info:
            record.msg, record.args = clean, ()
            if record.exc_info:
                record.exc_text = redact(logging.Formatter().formatException(record.exc_info),
                                         self.secrets)
                record.exc_info = None
        return True


def install_log_redaction(secrets: list[str]) -> RedactingFilter:
    flt = RedactingFilter(secrets)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(flt)
    return flt
