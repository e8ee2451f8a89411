"""Nothing of a crisis request is logged or stored; only a counter may move."""

from __future__ import annotations

import logging

from bot.core.model import Invocation
from bot.crisis.service import CrisisService, RequestCounter


def test_building_cards_logs_nothing(caplog):
    caplog.set_level(logging.DEBUG)
    service = CrisisService.load()
    service.card("aotearoa")
    service.card("atlantis")
    service.colleague_card("uk")
    assert caplog.records == []


def test_counter_is_the_only_trace_and_counts_each_card():
    counter = RequestCounter()
    service = CrisisService.load(on_request=counter)
    service.card("us")
    service.card("zz")
    service.colleague_card(None)
    assert counter.count == 3


def test_a_failing_counter_never_costs_the_card():
    def broken() -> None:
        raise RuntimeError("counter store is down")

    card = CrisisService.load(on_request=broken).card("au")
    assert "000" in card.text()


def _all_rows(db) -> str:
    dump = []
    for table in db.table_names():
        for row in db[table].rows:
            dump.append(repr(row))
    return "\n".join(dump)


async def test_request_through_the_core_is_neither_logged_nor_persisted(assembly, actor, caplog):
    caplog.set_level(logging.DEBUG)
    core = assembly.core
    for command, text in (
        ("peer", "crisis aotearoa"),
        ("crisis", "atlantis"),
        ("peer", "crisis colleague aotearoa"),
    ):
        replies = await core.handle_invocation(
            Invocation(actor=actor("wren"), command=command, text=text)
        )
        assert replies
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for typed in ("aotearoa", "atlantis", "colleague"):
        assert typed not in logged.lower()
        assert typed not in _all_rows(assembly.ctx.db).lower()
    assert "crisis" not in logged.lower()
