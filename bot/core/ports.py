"""Ports: what the core needs from the outside world, as Protocols.

Adapters implement :class:`Messenger`; the runtime injects a :class:`Clock` and the
:class:`CrisisCards`. The delivery errors are part of the contract so that one delivery
path can treat every platform alike: wait on a rate limit, stop on an undeliverable
user, stop a whole workspace on revoked credentials.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.core.model import Message, Target


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class DeliveryError(Exception):
    """Base of what a Messenger may raise; anything else counts as transient."""


class RateLimited(DeliveryError):
    """The platform said slow down; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: float, detail: str = "rate limited") -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class Undeliverable(DeliveryError):
    """This recipient cannot be reached (blocked DMs, deactivated, unknown). Don't retry."""


class WorkspaceUnavailable(DeliveryError):
    """Credentials revoked or workspace gone: stop sending to this workspace at all."""


class TransientDeliveryError(DeliveryError):
    """A network or server error: retry with backoff."""


class Messenger(Protocol):
    """Sends neutral messages on one platform. Implemented by each adapter."""

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        """Deliver ``message`` and return the platform's reference to it (for edits)."""
        ...


class CrisisCards(Protocol):
    """Crisis-line cards for a country (a code or alias; unknown gets the fallback card).

    The crisis topic implements it; the runtime builds it once and puts it on the
    context, so any topic can offer the lines (after a low check-in answer, say)
    without depending on how the directory is kept.
    """

    def card(self, country: str | None, *, command: str = "peer") -> Message:
        """The card a member asked for (counted, never stored)."""
        ...

    def colleague_card(self, country: str | None, *, command: str = "peer") -> Message:
        """What to do when worried about a colleague, with the country's card."""
        ...

    def home_card(self, country: str | None, *, command: str = "peer") -> Message:
        """The card on the member's home view (not a request, not counted)."""
        ...
