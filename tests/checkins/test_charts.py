"""Charts in chat: the pulse chart shows exactly the text pulse's figures (never a bar or
a zero for a withheld figure, no chart below k), the history chart goes to the member's
own DM only, both are deterministic PNGs with alt text that states the figures, and
the console keeps the text alone."""

from __future__ import annotations

import asyncio
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.checkins.chart_data import (
    NOT_ENOUGH,
    TOO_ALIKE,
    BarGroup,
    HistoryChart,
    HistoryLine,
    PulseChart,
    TrendLine,
    history_alt_text,
    history_chart,
    pulse_alt_text,
    pulse_chart,
)
from bot.checkins.chart_send import ON_ITS_WAY
from bot.checkins.charts import render_history, render_pulse
from bot.checkins.history import member_history, sparkline
from bot.checkins.pulse import PulseService
from bot.checkins.questions import all_questions
from bot.core.model import Fields, Message, Section
from tests.support.world import WS, World, answer_buttons, text_of

MONDAY_8 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def world(tmp: Path, k: int = 3, platform: str = "slack") -> World:
    w = World.checkins(tmp, MONDAY_8, {"groups": [{"name": "Circle", "facilitators": ["fran"]}],
                                       "pulse": {"min_group_size": k}})
    w.ctx.platform = platform
    w.add("fran", facilitator=True)
    return w


async def answer(w: World, answers: dict[str, tuple[int | None, int | None]]) -> None:
    """This Monday's prompts go out and each member taps (mood, burnout)."""
    await w.wait(timedelta(hours=1, minutes=1))
    for user, values in answers.items():
        # the latest prompt (a member who let check-ins lapse may have none this week)
        buttons = next((b for m in reversed(w.messenger.to(user))
                        if (b := answer_buttons(m))), {})
        for key, value in zip(("mood", "burnout"), values, strict=True):
            if value is not None and (key, str(value)) in buttons:
                await w.press(user, buttons[(key, str(value))])
    await w.wait(timedelta(days=7) - timedelta(hours=1, minutes=1))


def charts(w: World, user: str) -> list[Message]:
    return [m for t, m in w.messenger.sent if m.attachment is not None and t.user_id == user]


def pngs_in(data: bytes) -> list[bytes]:
    """The PNG's chunk types, in order."""
    chunks, at = [], 8
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        chunks.append(data[at + 4:at + 8])
        at += 12 + length
    return chunks


# ---- the text pulse, read back ------------------------------------------------------------


def text_figures(msg: Message) -> tuple[dict[str, str], dict[str, str]]:
    """The text pulse's question cells ({name: cells or withheld}) and trend sparklines."""
    fields = next(b for b in msg.blocks if isinstance(b, Fields))
    cells = {}
    for key, value in fields.pairs[2:]:
        cells[re.sub(r" \(\d+ answered\)$", "", key)] = (key, value)
    trend = next(b for b in msg.blocks if isinstance(b, Section) and "Trend" in b.text)
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^(.+?): `(.+?)`", trend.text, re.M)}
    return cells, lines


def assert_chart_is_the_text(chart: PulseChart, msg: Message) -> None:
    cells, lines = text_figures(msg)
    assert [g.name for g in chart.questions] == list(cells)
    for group in chart.questions:
        key, value = cells[group.name]
        if group.bars:
            assert key == f"{group.name} ({group.answered} answered)"
            shown = value.split("  _(")[0]
            assert shown == " · ".join(f"{label}: {count}" for label, count in group.bars)
            assert group.answered == sum(count for _, count in group.bars)
        else:  # no bar, no zero: words only, and the words the text gives
            assert group.answered is None and group.bars == ()
            assert value.startswith("withheld")
            assert group.withheld == (NOT_ENOUGH if "fewer than" in value else TOO_ALIKE)
    for line in chart.trends:
        assert sparkline(list(line.points), 0, 1) == lines[line.name]


# ---- the attack: every week and question of generated groups ---------------------------

VALUE = st.none() | st.integers(1, 5)
NAMES = ("a", "b", "c", "d", "e", "g")


@st.composite
def groups(draw):
    size = draw(st.integers(1, 6))
    weeks = draw(st.integers(1, 3))
    return ([{NAMES[i]: (draw(VALUE), draw(VALUE)) for i in range(size)} for _ in range(weeks)],
            draw(st.integers(3, 5)))


async def _run(tmp: Path, weeks: list[dict], k: int) -> None:
    w = world(tmp, k)
    for user in weeks[0]:
        w.add(user)
    for answers in weeks:
        await answer(w, answers)
    await w.wait(timedelta(days=3))
    [reply] = await w.command("fran", "pulse")
    await w.drain()
    service = PulseService(w.db, w.clock, w.settings)
    chart = pulse_chart("Circle", service.closed_weeks(w.group), service.k,
                        all_questions(w.settings))
    sent = charts(w, "fran")
    if chart is None:  # below k, or nothing shown: no chart, and no promise of one
        assert sent == [] and ON_ITS_WAY not in text_of([reply])
        last = service.closed_weeks(w.group)[-1:]
        assert not last or last[0].respondents < k or all(
            q.verdict != "shown" for q in last[0].questions)
        return
    assert_chart_is_the_text(chart, reply.message)
    [dm] = sent
    assert dm.attachment.alt_text == pulse_alt_text(chart)
    assert dm.attachment.data == render_pulse(chart)  # drawn from exactly this data
    assert ON_ITS_WAY in text_of([reply])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_the_pulse_chart_shows_exactly_the_text_figures(case):
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_run(Path(tmp), *case))


# ---- named cases -------------------------------------------------------------------------


async def test_a_pulse_chart_goes_to_the_facilitator_dm_with_its_figures(tmp_path):
    w = world(tmp_path)
    for user in "abcde":
        w.add(user)
    await answer(w, {"a": (2, 1), "b": (3, 1), "c": (4, 1), "d": (5, 1), "e": (1, 1)})
    await w.wait(timedelta(days=3))
    [reply] = await w.command("fran", "pulse")
    await w.drain()
    [dm] = charts(w, "fran")
    file = dm.attachment
    assert file.filename == "pulse-2026-01-05.png" and file.mime_type == "image/png"
    assert file.data.startswith(PNG_SIGNATURE)
    assert "Mood, 5 answered: 1–2: 2, 3: 1, 4–5: 2." in file.alt_text
    assert "Burnout: answers too alike to show." in file.alt_text
    assert "5 of 6 members answered (83%)" in file.alt_text
    assert dm.blocks[:-1] == reply.message.blocks[:-1]  # the DM holds the same summary
    assert [t.user_id for t, m in w.messenger.sent if m.attachment] == ["fran"]


async def test_a_group_below_k_gets_no_chart(tmp_path):
    w = world(tmp_path, k=5)
    for user in "abcd":
        w.add(user)
    await answer(w, {u: (2 + i % 3, 1 + i % 3) for i, u in enumerate("abcd")})
    await w.wait(timedelta(days=3))
    out = text_of(await w.command("fran", "pulse"))
    await w.drain()
    assert "Fewer than 5 members answered" in out and ON_ITS_WAY not in out
    assert charts(w, "fran") == [] and w.outbox("checkins.chart.pulse") == []


async def test_the_console_keeps_the_text_alone(tmp_path):
    w = world(tmp_path, platform="console")
    for user in "abcde":
        w.add(user)
    await answer(w, {"a": (2, 1), "b": (3, 2), "c": (4, 3), "d": (5, 4), "e": (1, 5)})
    await w.wait(timedelta(days=3))
    out = text_of(await w.command("fran", "pulse"))
    await w.drain()
    assert "Mood (5 answered)" in out and ON_ITS_WAY not in out
    assert [m for _, m in w.messenger.sent if m.attachment] == []


async def test_the_history_chart_is_the_members_own_and_only_in_their_dm(tmp_path):
    w = world(tmp_path)
    w.add("a")
    w.ctx.members.join_group(WS, w.group.id, "a")
    for mood in (2, 4):
        await answer(w, {"a": (mood, 3)})
    [reply] = await w.command("a", "checkin history")
    await w.drain()
    assert ON_ITS_WAY in text_of([reply])
    rows = w.outbox("checkins.chart.history")
    assert rows == [("user:a", "checkins.chart.history", "sent")]
    [dm] = charts(w, "a")
    hist = member_history(w.db, w.settings, WS, "a", w.clock.now())
    chart = history_chart(hist, all_questions(w.settings))
    assert dm.attachment.alt_text == history_alt_text(chart)
    assert "Mood (1 to 5, lower is harder): " in dm.attachment.alt_text
    assert dm.attachment.data == render_history(chart)
    mood = next(line for line in chart.lines if line.name == "Mood")
    assert [x for x in mood.means if x is not None] == [2.0, 4.0]
    # nobody else received it, and nothing went to a channel
    assert all(t.user_id == "a" for t, m in w.messenger.sent if m.attachment)
    assert not any(t.channel_id for t, _ in w.messenger.sent)


async def test_no_answers_no_history_chart(tmp_path):
    w = world(tmp_path)
    w.add("a")
    out = text_of(await w.command("a", "checkin history"))
    assert "No answers in the last 8 weeks" in out and ON_ITS_WAY not in out
    assert w.outbox("checkins.chart.history") == []


PULSE = PulseChart("Circle", "week of 05 Jan 2026", 6, 7, (
    BarGroup("Mood", 6, (("1–2", 2), ("3", 2), ("4–5", 2))),
    BarGroup("Burnout", None, withheld=NOT_ENOUGH)), ("29 Dec", "05 Jan"), (
    TrendLine("Mood", "lower is harder", (0.4, 0.5)),
    TrendLine("Burnout", "higher is harder", (0.3, None))))
HISTORY = HistoryChart(("1 wk ago", "this week"), (
    HistoryLine("Mood", 1, 5, "lower is harder", (3.0, None)),))


def test_charts_are_deterministic_pngs_without_metadata():
    for draw, data in ((render_pulse, PULSE), (render_history, HISTORY)):
        first, second = draw(data), draw(data)
        assert first == second and first.startswith(PNG_SIGNATURE)
        kinds = pngs_in(first)
        assert b"tIME" not in kinds and b"tEXt" not in kinds and b"iTXt" not in kinds
