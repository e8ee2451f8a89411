"""Consent: whether a member agreed to peerbot keeping more than their platform id.

Until ``members.consent_at`` is set, the only thing stored about a person is the row
that says their platform id was here (no display name: see
``MemberService.ensure_member``). Every scheduled prompt, pairing round or reminder
must go only to consented members: call :func:`has_consented` or
:func:`only_consented` when choosing recipients.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from bot.core.members import Member, MemberService
from bot.core.model import Actor
from bot.core.ports import Clock


def has_consented(member: Member | None) -> bool:
    """True when the member agreed to the consent card (and has not erased since)."""
    return member is not None and bool(member.consent_at)


def only_consented(members: Iterable[Member]) -> list[Member]:
    """Filter recipients of anything scheduled (check-in prompts, pairing rounds)."""
    return [m for m in members if has_consented(m)]


class ConsentService:
    """Records consent; erasure (``/peer forget-me``) removes it with the member row."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def record(self, actor: Actor) -> bool:
        """Record consent now and keep the display name the platform gives.

        Returns False when consent was already on record (the first time is kept).
        """
        return MemberService(self.db, self.clock).record_consent(actor)

    def consented_user_ids(self, workspace_id: str) -> set[str]:
        return MemberService(self.db, self.clock).consented_user_ids(workspace_id)
