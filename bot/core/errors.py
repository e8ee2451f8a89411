"""The one family of errors a person can cause, and that the dispatcher answers for them.

A handler or service raises a :class:`UserError` when the input cannot be used: the
dispatcher rolls back the unit of work (so nothing is changed) and shows the message to
the person who acted, privately. Anything else that escapes a handler is a bug: it is
logged by type and the person gets a calm "nothing was changed" reply instead.

Messages are written for the person who typed the command: say what was wrong and what
would work, and never echo more than a short slice of what they typed.
"""

from __future__ import annotations


class UserError(ValueError):
    """Input the person must change; the message is shown to them and nothing is stored.

    A ``ValueError`` so that the same parsers can validate the operator's config file
    (pydantic turns a ValueError raised in a validator into a config error).
    """


class FieldError(UserError):
    """Input a form's field holds that cannot be used: ``field`` is the form field's key,
    so a platform with forms shows the message under that field (Slack's
    ``response_action: errors``) and keeps the form open with what was typed."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class UsageError(UserError):
    """Malformed command input; the dispatcher adds the command's usage line."""


class ScheduleError(UsageError):
    """A day, time, span or schedule that cannot be read; the message shows what would work."""


class GroupChoiceError(UserError):
    """The command needs a peer group and the one meant is unknown or ambiguous."""


class NotAllowed(UserError):
    """The person may not do this here (not a facilitator of this group, say)."""


class AmbiguousMember(UserError):
    """A bare name that two or more members share: the person must @mention the one meant
    (guessing one, say the lowest id, would hand someone's nudges to a name squatter)."""
