"""Times in messages are structured values: each platform's date token, with the plain
text the core computed (``timeparse.local_text``, the one formatter) as the fallback."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console.render import render as console_render
from adapters.discord.render import render as discord_render
from adapters.discord.render import to_payload
from adapters.slack.render import render as slack_render
from bot.core.model import (
    Button,
    Buttons,
    Context,
    Header,
    Section,
    message,
    plain_text,
    split_times,
    time_token,
    unmark,
)
from bot.core.timeparse import local_text, shown_time
from tests.adapters.discord.test_render import clean
from tests.support.goldens import assert_golden

NOW = datetime(2026, 11, 30, 5, 48, tzinfo=UTC)
NEXT_YEAR = datetime(2027, 11, 30, 5, 48, tzinfo=UTC)


def paused_message():
    until = shown_time(NEXT_YEAR, "Australia/Sydney", now=NOW)
    return message(
        Header(f"Paused until {until}"),
        Section(f"Check-ins paused until {until}; they resume by themselves then."),
        Buttons((Button(f"Resume before {until}", "checkin.resume"),)),
        Context(f"Change until {until}."),
    )


def test_the_fallback_is_the_one_formatter_in_the_readers_zone_with_year_and_zone():
    token = shown_time(NEXT_YEAR, "Australia/Sydney", now=NOW)
    assert local_text(NEXT_YEAR, "Australia/Sydney", now=NOW) == "Tue 30 Nov 2027 16:48 AEDT"
    [value] = split_times(token)
    assert value.unix == int(NEXT_YEAR.timestamp())
    assert value.fallback == "Tue 30 Nov 2027 16:48 AEDT"
    assert local_text(NOW, "Europe/London", now=NOW) == "Mon 30 Nov 05:48 GMT"


def test_plain_text_and_notifications_carry_the_fallback_never_the_markers():
    msg = paused_message()
    assert "paused until Tue 30 Nov 2027 16:48 AEDT;" in plain_text(msg)
    assert "\ue002" not in plain_text(msg) and "\ue002" not in msg.text()


def test_nobody_can_type_a_time_token():
    forged = time_token(0, "whenever") + "<!date^0^x|y>"
    assert unmark(forged) == "0whenever<!date^0^x|y>"
    rendered = slack_render(message(Section(unmark(forged))))
    text = rendered.blocks[0]["text"]["text"]
    assert "<!date" not in text  # a typed token is escaped, not rendered


def test_slack_shows_a_date_token_in_text_and_the_fallback_in_plain_text_fields():
    rendered = slack_render(paused_message())
    section = rendered.blocks[1]["text"]["text"]
    unix = int(NEXT_YEAR.timestamp())
    assert (f"<!date^{unix}^{{date_short_pretty}} {{time}}|Tue 30 Nov 2027 16:48 AEDT>"
            in section)
    assert rendered.blocks[0]["text"]["text"] == "Paused until Tue 30 Nov 2027 16:48 AEDT"
    assert rendered.blocks[2]["elements"][0]["text"]["text"].endswith("16:48 AEDT")
    assert "Tue 30 Nov 2027 16:48 AEDT" in rendered.text
    assert_golden("time.slack.json", {"blocks": rendered.blocks, "text": rendered.text})


async def test_discord_shows_its_timestamp_markup_where_it_renders_and_text_elsewhere():
    payload = clean(to_payload(discord_render(paused_message())))
    embed = payload["embeds"][0]
    unix = int(NEXT_YEAR.timestamp())
    assert f"<t:{unix}:f>" in embed["description"]
    assert embed["title"] == "Paused until Tue 30 Nov 2027 16:48 AEDT"
    assert embed["footer"]["text"] == "Change until Tue 30 Nov 2027 16:48 AEDT."
    assert payload["components"][0]["components"][0]["label"].endswith("16:48 AEDT")
    assert_golden("time.discord.json", payload)


def test_the_console_shows_the_fallback():
    text = console_render(paused_message())
    assert "Check-ins paused until Tue 30 Nov 2027 16:48 AEDT;" in text
    assert "\ue002" not in text
    assert_golden("time.console.txt", text)
