"""Outcomes and statuses are enums: each is worded once, and an unknown one fails loudly."""

from __future__ import annotations

import re

import pytest

from bot.core.members import Group
from bot.core.outbox import CANCELLED, FAILED, PENDING, SENDING, SENT, UNDELIVERABLE
from bot.pairing.buttons import accept_text, repair_text
from bot.pairing.matching.types import Unmatched
from bot.pairing.midround import Change, Outcome
from bot.pairing.model import Met, NotPaired, Place, RequestStatus, Round, RoundStatus, SlotState
from bot.pairing.now import NowOutcome, NowResult
from bot.pairing.replies import skip_text
from bot.store.rows import build
from tests.support.paths import REPO

CIRCLE = Group(1, "W", "Circle", "")


@pytest.mark.parametrize("reason", list(Unmatched))
def test_every_engine_reason_becomes_a_worded_not_paired(reason):
    worded = NotPaired.from_engine(reason)
    assert worded.to_member and worded.to_facilitator


def test_a_conflict_is_never_attributed_in_either_wording():
    assert NotPaired.from_engine(Unmatched.ALL_CONFLICTS) is NotPaired.NO_COMPATIBLE
    for reason in (NotPaired.NO_COMPATIBLE, NotPaired.OWN_CONFLICTS):
        assert "private" in reason.to_facilitator and "list" not in reason.to_facilitator
    assert "conflict" not in NotPaired.NO_COMPATIBLE.to_member


def test_values_are_what_the_database_stores():
    assert [s.value for s in RoundStatus] == ["pending", "active", "closed", "cancelled"]
    assert [s.value for s in SlotState] == ["paired", "unpaired", "skipped", "left", "waiting"]
    assert [m.value for m in Met] == ["yes", "not_yet", "couldnt"]
    assert NotPaired("own_conflicts") is NotPaired.OWN_CONFLICTS


def test_an_unknown_stored_status_fails_when_the_row_is_read():
    row = {"id": 1, "workspace_id": "W", "group_id": 1, "round_key": "k", "kind": "manual",
           "status": "opne", "scheduled_for": None, "started_by": None, "seed": 0,
           "created_at": "2026-01-05T08:00:00+00:00", "matched_at": None, "follow_up_at": None}
    with pytest.raises(ValueError):
        build(Round, row)
    with pytest.raises(ValueError):
        build(Place, {"state": "gone", "slot": None})


def test_words_for_an_outcome_the_step_never_returns_raise_instead_of_guessing():
    with pytest.raises(ValueError):
        skip_text(CIRCLE, Outcome(Change.PAIRED))
    with pytest.raises(ValueError):
        repair_text(Outcome(Change.SKIPPED))
    with pytest.raises(ValueError):
        accept_text(NowOutcome(NowResult.ASKED))


def test_each_outcome_a_step_returns_has_its_own_words():
    assert "sit out the next round in *Circle*" in skip_text(CIRCLE, Outcome(Change.SKIP_NEXT))
    assert "as a trio" in repair_text(Outcome(Change.JOINED, ("bob",)))
    assert "already sorted" in repair_text(Outcome(Change.NOT_OPTED_IN))
    assert "no longer valid" in accept_text(NowOutcome(NowResult.NOT_OFFERED))


SQL_LITERAL = re.compile(r"\b(state|status|reason)\s*(?:=|!=|IN)\s*\(?((?:'[a-z_]*'(?:,\s*)?)+)")


def test_every_status_written_in_pairing_sql_is_an_enum_value():
    """SQL keeps its literals readable; this keeps them from drifting from the enums."""
    outbox = {PENDING, SENDING, SENT, UNDELIVERABLE, FAILED, CANCELLED}  # read, never written
    known = {*RoundStatus, *SlotState, *RequestStatus, *NotPaired, "", *outbox}
    found = set()
    for path in (REPO / "bot" / "pairing").glob("*.py"):
        for _, values in SQL_LITERAL.findall(path.read_text(encoding="utf-8")):
            found |= set(re.findall(r"'([a-z_]*)'", values))
    assert found and found <= known, found - known
