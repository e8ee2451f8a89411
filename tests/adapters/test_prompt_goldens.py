"""Golden renders of the check-in on every platform: the prompt, the prompt updated in
place after two taps, the one-line reminder, and the "About this question" answer.

The files are under tests/goldens/ (``PEERBOT_UPDATE_GOLDENS=1`` rewrites them after a
deliberate change). Each test also checks the promise it stands for, so a golden that
was rewritten carelessly still fails on what matters.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.console.render import render as console_render
from adapters.discord.render import render as discord_render
from adapters.discord.render import to_payload
from adapters.slack.render import render as slack_render
from bot.checkins import messages as texts
from bot.checkins.questions import DEFAULT_SET
from bot.core.model import Buttons, Message, plain_text
from bot.core.timeparse import shown_time
from tests.adapters.discord.test_render import clean
from tests.support.goldens import assert_golden

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
GUILD = "800000000000000001"
CLOSES = shown_time(datetime(2026, 1, 5, 21, 0, tzinfo=UTC), "Europe/London", now=NOW)


def prompt(answers=None) -> Message:
    return texts.prompt_message(
        42, DEFAULT_SET, closes=CLOSES, note_command="/peer checkin note <text>",
        answers=answers, intro=texts.prompt_intro("*Circle* and *Night Shift*", 2))


CASES = {
    "prompt": lambda: prompt(),
    "prompt-updated": lambda: prompt({"mood": 4, "burnout": 2}),
    "reminder": lambda: texts.reminder_message(closes=CLOSES, command="/peer checkin"),
    "about": lambda: texts.about_message(DEFAULT_SET.questions[1]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_slack(case):
    rendered = slack_render(CASES[case]())
    assert_golden(f"checkin-{case}.slack.json", {"blocks": rendered.blocks,
                                                 "text": rendered.text})


def _v2_clean(value):
    """A components v2 render without discord.py's defaults; types and flags kept."""
    if isinstance(value, dict):
        return {k: _v2_clean(v) for k, v in value.items() if k not in ("disabled", "spoiler")}
    if isinstance(value, list):
        return [_v2_clean(v) for v in value]
    return value


@pytest.mark.parametrize("case", sorted(CASES))
async def test_discord(case):
    """As a DM is rendered (its server in the custom_ids): the prompt and its update are
    components v2 layouts, each question directly above its own row."""
    payload = to_payload(discord_render(CASES[case](), guild_id=GUILD))
    payload = _v2_clean(payload) if payload.get("flags") else clean(payload)
    assert_golden(f"checkin-{case}.discord.json", payload)
    if case.startswith("prompt"):
        assert payload["flags"] == 1 << 15 and not payload.get("embeds")
        items = payload["components"][0]["components"]
        assert [i["type"] for i in items] == [10, 1, 10, 1, 1, 10]
        assert items[0]["content"].endswith("**How has your mood been today?**")
        assert items[2]["content"].startswith("**Using your own definition of burnout")
        assert items[4]["components"][0]["label"] == "About this question"


@pytest.mark.parametrize("case", sorted(CASES))
def test_console(case):
    assert_golden(f"checkin-{case}.console.txt", console_render(CASES[case]()))


def test_the_prompt_is_compact_and_each_question_sits_on_its_buttons():
    msg = prompt()
    kinds = [type(b).__name__ for b in msg.blocks]
    assert kinds == ["Section", "Section", "Buttons", "Section", "Buttons", "Context"]
    assert len(console_render(msg).splitlines()) <= 9  # was 13 lines and a paragraph
    assert "I feel completely burned out" not in plain_text(msg)  # one tap away


def test_the_update_shows_answers_in_words_and_keeps_the_about_button():
    msg = prompt({"mood": 4, "burnout": 2})
    labels = [b.label for blk in msg.blocks if isinstance(blk, Buttons) for b in blk.buttons]
    assert "✓ 4 · Good" in labels and "✓ 2 · Occasionally stressed, but not burned out" \
        in labels
    assert "About this question" in labels
    assert "Thanks, noted: mood Good, burnout 2 of 5. That is everything." in plain_text(msg)
    assert "You can change it until Mon 05 Jan 21:00 GMT" in plain_text(msg)
    assert msg.text() == "Check-in noted: mood Good, burnout 2 of 5."  # the notification
    slack = slack_render(msg)
    assert "<!date^1767646800^{date_short_pretty} {time}|Mon 05 Jan 21:00 GMT>" in \
        slack.blocks[-1]["elements"][0]["text"]


def test_the_reminder_is_one_line_without_buttons():
    msg = texts.reminder_message(closes=CLOSES, command="/peer checkin")
    assert len(console_render(msg).strip().splitlines()) == 1
    assert not any(isinstance(b, Buttons) for b in msg.blocks)
