""""Did you meet?" figures in the pulse: settled months only, frozen, k and dominance.

Each test is an attack by a facilitator who looks before and after something happens
(one more answer, a changed answer, an erasure), or who answered too.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.model import Message, plain_text
from bot.pairing.participation import participation_summary
from bot.privacy.erasure import PrivacyService
from tests.support.world import WS, World, buttons

SIX = ("alice", "bob", "carol", "dan", "erin", "gus")
SETTLED = timedelta(days=28)  # from 5 Jan: January is over and its follow-ups had 14 days


def shown(w: World) -> str:
    blocks = participation_summary(w.ctx, WS, w.group.id)
    return plain_text(Message(tuple(blocks or ())))


async def round_with_answers(w: World, answers: dict[str, str]) -> None:
    await w.join(*SIX)
    await w.say("fran", "pair round")
    await w.wait(timedelta(days=1, hours=1))
    for user, choice in answers.items():
        await w.tap(user, buttons(w.messenger.to(user)[-1])[choice])


async def test_no_round_no_participation_section(tmp_path):
    w = World.pairing(tmp_path)
    assert participation_summary(w.ctx, WS, w.group.id) is None


async def test_a_live_month_shows_no_answer_figures_so_one_answer_cannot_be_differenced(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=3)
    await round_with_answers(w, {u: "Yes, we met" for u in SIX[:4]})
    before = shown(w)
    await w.tap("erin", buttons(w.messenger.to("erin")[-1])["We couldn't"])
    after = shown(w)
    assert before == after
    assert "No month has settled yet" in after
    for leak in ("met,", "couldn't", "answered"):
        assert leak not in after


async def test_a_settled_month_shows_answers_at_k_and_never_changes(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=5)
    answers = {"alice": "Yes, we met", "bob": "Yes, we met", "carol": "Not yet",
               "dan": "We couldn't", "erin": "Yes, we met"}
    await round_with_answers(w, answers)
    await w.wait(SETTLED)
    first = shown(w)
    assert "January 2026, 1 round(s)" in first
    assert "6 people were introduced. 5 answered the follow-up: 3 met, 1 not yet, 1 couldn't" \
        in first
    # Later: gus answers after the window, alice changes hers, bob is erased.
    await w.tap("gus", buttons(w.messenger.to("gus")[-1])["Yes, we met"])
    await w.tap("alice", buttons(w.messenger.to("alice")[-1])["Not yet"])
    PrivacyService(w.db, w.clock, w.core.router.data_owners).erase(WS, "bob")
    assert shown(w) == first


async def test_below_k_respondents_no_answer_is_shown(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=5)
    await round_with_answers(w, {u: "Yes, we met" for u in SIX[:3]} | {"dan": "Not yet"})
    await w.wait(SETTLED)
    out = shown(w)
    assert "Fewer than 5 people answered" in out
    for leak in ("met,", "not yet,", "4 answered"):
        assert leak not in out


async def test_all_but_one_alike_is_withheld_even_from_a_facilitator_who_answered(tmp_path):
    """fran answered "Not yet", everyone else "Yes": "5 met, 1 not yet" would tell her."""
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=3)
    await w.join("fran")
    await round_with_answers(w, {u: "Yes, we met" for u in SIX[:5]})
    await w.tap("fran", buttons(w.messenger.to("fran")[-1])["Not yet"])
    await w.wait(SETTLED)
    out = shown(w)
    assert "answers are withheld" in out
    assert "met," not in out and "not yet," not in out
    assert "7 people were introduced" in out


async def test_through_the_pulse_command(tmp_path):
    w = World.pairing(tmp_path, pairing={"follow_up_days": 1}, pulse_k=3)
    await round_with_answers(w, {"alice": "Yes, we met", "bob": "Yes, we met",
                                 "carol": "Not yet", "dan": "Not yet"})
    await w.wait(SETTLED)
    out = await w.say("fran", "pulse")
    assert "Debrief pairing" in out and "4 answered the follow-up: 2 met, 2 not yet" in out
