"""Question sets: the default (mood + single-item burnout) and a configured one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.checkins.questions import BURNOUT_STATEMENTS, DEFAULT_SET
from bot.core.model import plain_text
from tests.support.world import World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def test_default_set_fits_every_platform():
    assert [q.key for q in DEFAULT_SET.questions] == ["mood", "burnout"]
    for question in DEFAULT_SET.questions:
        assert len(question.options) <= 5  # one Discord action row
        assert all(len(o.label) <= 75 for o in question.options)
    assert BURNOUT_STATEMENTS[0] == "I enjoy my work. I have no symptoms of burnout."
    assert len(BURNOUT_STATEMENTS) == 5


async def test_a_configured_question_set_is_asked_and_charted(tmp_path):
    config = {
        "question_sets": [{"name": "short", "questions": [{
            "key": "energy", "text": "How is your energy?", "concerning": "low",
            "options": [{"label": "Low", "value": 1}, {"label": "Fine", "value": 2},
                        {"label": "High", "value": 3}]}]}],
        "groups": [{"name": "Circle", "checkins": {"question_set": "short"}}],
    }
    w = World.checkins(tmp_path, MONDAY_8, config)
    w.add("alice")
    await w.wait(timedelta(hours=1, minutes=1))
    prompt = w.messenger.to("alice")[0]
    assert "How is your energy?" in plain_text(prompt)
    buttons = answer_buttons(prompt)
    assert set(buttons) == {("energy", "1"), ("energy", "2"), ("energy", "3")}
    out = await w.answer("alice", buttons[("energy", "3")])
    assert "Thanks, noted: energy High. That is everything." in out
    assert "Energy: `·······█`  latest 3" in text_of(await w.command("alice", "checkin history"))
