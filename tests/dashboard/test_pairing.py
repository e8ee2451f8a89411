"""The dashboard's "Did you meet?" months are chat's frozen months, shown and withheld alike."""

from __future__ import annotations

from datetime import timedelta

from bot.dashboard.export_csv import group_csv
from bot.dashboard.figures import TOO_ALIKE, group_figures
from bot.dashboard.page import build_page
from bot.store.db import unit_of_work
from tests.pairing.test_participation import SETTLED, round_with_answers, shown
from tests.support.world import World


def figures(world):
    with unit_of_work(world.db):
        return group_figures(world.ctx, world.group)


async def test_a_settled_month_shows_chats_figures_on_the_page_and_in_the_csv(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=5)
    await round_with_answers(w, {"alice": "Yes, we met", "bob": "Yes, we met",
                                 "carol": "Not yet", "dan": "We couldn't",
                                 "erin": "Yes, we met"})
    await w.wait(SETTLED)
    (month,) = figures(w).months  # the dashboard looks first and freezes it
    assert "5 answered the follow-up: 3 met, 1 not yet, 1 couldn't" in shown(w)
    assert (month.label, month.rounds, month.paired) == ("Jan 2026", 1, 6)
    assert (month.respondents, month.met, month.not_yet, month.couldnt) == (5, 3, 1, 1)
    csv = group_csv(figures(w))
    assert "pairing,2026-01,met,3," in csv and "pairing,2026-01,couldn't,1," in csv
    assert build_page(figures(w), "now").pairing_chart is not None


async def test_a_month_where_nearly_all_met_is_withheld_like_chat(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=3)
    await round_with_answers(w, {u: "Yes, we met" for u in ("alice", "bob", "carol", "dan")}
                             | {"erin": "Not yet"})
    await w.wait(SETTLED)
    (month,) = figures(w).months
    assert (month.met, month.not_yet, month.couldnt) == (None, None, None)
    assert month.note == TOO_ALIKE and month.respondents == 5
    assert "their answers are withheld" in shown(w)
    assert "met,3" not in group_csv(figures(w))


async def test_a_live_month_is_not_on_the_page(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=3)
    await round_with_answers(w, {u: "Yes, we met" for u in ("alice", "bob", "carol")})
    assert figures(w).months == ()
    await w.wait(timedelta(days=3))
    assert figures(w).months == ()
