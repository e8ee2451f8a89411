"""Keep Slack libraries' debug logs out of peerbot's logs.

At DEBUG, slack_sdk logs every request body it sends and slack-bolt every payload it
receives: what a member typed, their check-in answers, and the fact that someone asked
for crisis lines. peerbot promises none of that is ever logged, whatever ``log_level``
the operator picks, so these loggers never go below INFO.
"""

from __future__ import annotations

import logging

LIBRARY_LOGGERS = ("slack_bolt", "slack_sdk", "peerbot.slack.bolt")


def quiet_library_logs() -> dict[str, int]:
    """Raise the Slack libraries' loggers to INFO at least; returns the previous levels."""
    previous = {}
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        previous[name] = logger.level
        if logger.level < logging.INFO:  # NOTSET (0) would follow the root down to DEBUG
            logger.setLevel(logging.INFO)
    return previous


def restore_levels(previous: dict[str, int]) -> None:
    for name, level in previous.items():
        logging.getLogger(name).setLevel(level)
