"""Consent: whether a member agreed to peerbot keeping more than their platform id.

Until ``members.consent_at`` is set, the only thing stored about a person is the row
that says their platform id was here (no display name: see
``MemberService.ensure_member``). Every scheduled prompt, pairing round or reminder
must go only to consented members: call :func:`has_consented` or
:func:`only_consented` when choosing recipients. Consent is recorded with
``MemberService.record_consent`` (the members table is the core's) and removed with the
member row on erasure.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.members import Member


def has_consented(member: Member | None) -> bool:
    """True when the member agreed to the consent card (and has not erased since)."""
    return member is not None and bool(member.consent_at)


def only_consented(members: Iterable[Member]) -> list[Member]:
    """Filter recipients of anything scheduled (check-in prompts, pairing rounds)."""
    return [m for m in members if has_consented(m)]
