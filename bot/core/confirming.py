""""Are you sure?" where the platform has no confirmation dialog (Discord).

Slack shows a button's :class:`~bot.core.model.Confirm` as its own dialog before the
click is sent. Discord has none, so its adapter marks such a click as ``Action.ask``
and the core answers it, privately, with the question instead of acting: the
consequence in words, a red button that does it (the Confirm's ``yes``) and one that
does not (``no``). Only that red button then runs the original action, through the
same role check, gates and handler as any click.

The red button carries the original action id and a signature, nothing stored:
``confirm.yes|<expires>:<mac>:<action id, base64>``. The HMAC (SHA-256, 96 bits, a key
made when the process starts) covers the workspace, the member who asked, the expiry
and the action, so

- only the member who asked can confirm: anyone else's press (a forged or copied
  button) fails the signature and nothing is done;
- it expires after :data:`ASK_FOR`; a restart makes every open question stale too (a
  new key), which only means pressing the original button again;
- it is used once: the signature is claimed as a receipt in the unit of work that acts,
  so a replayed or double press does nothing the second time.

Which actions ask, and with which words, is declared once per action
(``router.action(..., confirm=fn)``), by the same function the topic uses for its
button's ``confirm``, so Slack's dialog and Discord's question say the same.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.core import action_ids
from bot.core.model import (
    Action,
    Button,
    Buttons,
    ButtonStyle,
    Confirm,
    Context,
    Reply,
    Section,
    Visibility,
    message,
)

if TYPE_CHECKING:
    from bot.core.context import AppContext
    from bot.core.router import ActionSpec, Handler, HandlerResult, Request

log = logging.getLogger("peerbot.confirm")

YES, NO = "confirm.yes", "confirm.no"
ASK_FOR = timedelta(minutes=5)
STALE = ("That confirmation has expired or is not yours, so nothing was done. Press the "
         "original button again if you still want to.")
USED = "That was already confirmed; nothing more was done."
CANCELLED = "Cancelled. Nothing was changed."


def is_answer(value: str) -> bool:
    """A press on a question's own buttons (confirm or cancel)."""
    return value.split("|", 1)[0] in (YES, NO)


def _pack(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def _unpack(packed: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _mac(key: bytes, action: Action, expires: str, value: str) -> str:
    signed = "\x1f".join((action.actor.workspace_id, action.actor.user_id, expires, value))
    digest = hmac.new(key, signed.encode(), hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(digest).decode()


def question(ctx: AppContext, action: Action, confirm: Confirm) -> Reply | None:
    """The private "Are you sure?" for ``action``; None when its id is too long to
    carry in a button (then the caller acts, as a platform without the question would)."""
    expires = str(int((ctx.clock.now() + ASK_FOR).timestamp()))
    mac = _mac(ctx.confirm_key, action, expires, action.value)
    try:
        yes = action_ids.encode(YES, expires, mac, _pack(action.value))
    except action_ids.ActionIdError:
        log.warning("an action id too long to confirm was run without the question")
        return None
    minutes = int(ASK_FOR.total_seconds() // 60)
    return Reply(message(
        Section(f"*{confirm.title}*\n{confirm.text}"),
        Buttons((Button(confirm.yes, yes, ButtonStyle.DANGER),
                 Button(confirm.no, action_ids.encode(NO)))),
        Context(f"Only you see this question. Nothing is done unless you press "
                f"“{confirm.yes}”; it expires in {minutes} minutes."),
        fallback=confirm.title), visibility=Visibility.PRIVATE)


def opened(ctx: AppContext, action: Action) -> Action | Reply:
    """A press on a question's buttons: the original action, ready to run as this
    member's confirmed click, or the reply when there is nothing to run."""
    if action.value.split("|", 1)[0] == NO:
        return Reply(message(Section(CANCELLED)), replace_original=True)
    try:
        expires, mac, packed = action_ids.decode(action.value).args
    except (action_ids.ActionIdError, ValueError):
        return Reply(message(Section(STALE)), replace_original=True)
    value = _unpack(packed)
    fresh = expires.isdigit() and int(expires) > ctx.clock.now().timestamp()
    if value is None or not fresh or not hmac.compare_digest(
            mac, _mac(ctx.confirm_key, action, expires, value)):
        log.info("a stale, expired or someone else's confirmation did nothing")
        return Reply(message(Section(STALE)), replace_original=True)
    return replace(action, value=value, ask=False, confirmed=mac)


def guarded(ctx: AppContext, action: Action, spec: ActionSpec, request: Request,
            run: Callable[[Handler | None], list[Reply]]) -> list[Reply]:
    """Inside the unit, after the role check: ask first (``Action.ask`` on an action
    that declares a question), or act once on a confirmed press, or just act. ``run``
    passes the gates (consent) and then calls the handler given, or the action's own:
    a question is only shown to someone who could act."""
    if action.ask and spec.confirm is not None:
        return run(lambda req: _ask(ctx, action, spec, req))
    if action.confirmed:
        if not ctx.receipts.claim(action.actor.workspace_id, "confirm", action.confirmed):
            return [Reply(message(Section(USED)), replace_original=True)]
        replies = run(None)  # the question is replaced by what was done
        if replies and replies[0].visibility is Visibility.PRIVATE:
            replies[0] = replace(replies[0], replace_original=True)
        return replies
    return run(None)


def _ask(ctx: AppContext, action: Action, spec: ActionSpec, request: Request) -> HandlerResult:
    confirm = spec.confirm(request) if spec.confirm is not None else None
    asked = question(ctx, action, confirm) if confirm is not None else None
    return asked if asked is not None else spec.handler(request)
