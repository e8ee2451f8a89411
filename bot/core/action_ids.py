"""Encode and decode button values, so button state survives restarts.

Format: ``<topic>.<verb>|<arg>:<arg>...``, at most 100 characters (Discord's custom_id
limit and well inside Slack's). Arguments may not contain ``|`` or ``:``.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_LEN = 100


class ActionIdError(ValueError):
    """A value that is not a well-formed action id (forged, truncated or stale)."""


@dataclass(frozen=True)
class ActionId:
    name: str
    args: tuple[str, ...] = ()

    def encode(self) -> str:
        return encode(self.name, *self.args)


def encode(name: str, *args: object) -> str:
    parts = [str(a) for a in args]
    for part in (name, *parts):
        if "|" in part or ":" in part:
            raise ActionIdError(f"action id part may not contain '|' or ':': {part!r}")
    value = name + ("|" + ":".join(parts) if parts else "")
    if len(value) > MAX_LEN:
        raise ActionIdError(f"action id longer than {MAX_LEN} characters: {value!r}")
    return value


def decode(value: str) -> ActionId:
    if not value or len(value) > MAX_LEN:
        raise ActionIdError("empty or over-long action id")
    name, sep, rest = value.partition("|")
    if not name or "." not in name or not all(c.isalnum() or c in "._-" for c in name):
        raise ActionIdError(f"malformed action name: {name!r}")
    args = tuple(rest.split(":")) if sep else ()
    for arg in args:
        _check_arg(arg)
    return ActionId(name=name, args=args)


FORM_SUFFIX = ".form"


def opens_form(value: str) -> bool:
    """Whether a button answers with a form (its action name ends in ``.form``).

    Adapters must know before they answer the click: a Discord modal has to be the
    first answer to the interaction, so such a click is not deferred.
    """
    try:
        return decode(value).name.endswith(FORM_SUFFIX)
    except ActionIdError:
        return False


MAX_INT = 2**63 - 1  # SQLite's INTEGER; a larger "row id" can only be forged


def _check_arg(arg: str) -> None:
    """Numbers in buttons are ASCII digits that fit SQLite; anything else is forged.

    ``"³".isdigit()`` is True yet ``int("³")`` fails, and ``"٣"`` parses as 3: a value
    the core never wrote must not reach a handler that trusts ``isdigit`` and ``int``.
    """
    if not arg.isprintable():
        raise ActionIdError("action id argument holds control characters")
    if any(c.isnumeric() and not ("0" <= c <= "9") for c in arg):
        raise ActionIdError("action id argument holds non-ASCII digits")
    digits = arg[1:] if arg.startswith("-") else arg
    if digits.isdigit() and abs(int(digits)) > MAX_INT:
        raise ActionIdError("action id number out of range")
