"""Golden Block Kit renders and Slack's limits (adapters/slack/render.py)."""

from __future__ import annotations

import pytest

from adapters.slack.render import (
    MAX_MESSAGE_BLOCKS,
    RenderError,
    escape,
    home_view,
    render,
)
from bot.core.model import (
    Button,
    Buttons,
    ButtonStyle,
    Context,
    Divider,
    Fields,
    Header,
    Link,
    Section,
    Select,
    SelectOption,
    mention,
    message,
)


def test_golden_checkin_like_message():
    msg = message(
        Header("Check-in"),
        Section("How are you *today*?"),
        Buttons(
            (Button("Good", "checkin.answer|7:5", ButtonStyle.PRIMARY), Button("Low", "x.y|1"))
        ),
        Context("Only you see your answers."),
        Divider(),
    )
    out = render(msg)
    assert out.blocks == [
        {"type": "header", "text": {"type": "plain_text", "text": "Check-in", "emoji": True}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "How are you *today*?"}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "peer-1",
                    "text": {"type": "plain_text", "text": "Good", "emoji": True},
                    "value": "checkin.answer|7:5",
                    "style": "primary",
                },
                {
                    "type": "button",
                    "action_id": "peer-2",
                    "text": {"type": "plain_text", "text": "Low", "emoji": True},
                    "value": "x.y|1",
                },
            ],
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Only you see your answers."}]},
        {"type": "divider"},
    ]
    assert out.text == "Check-in\nHow are you *today*?\nOnly you see your answers."


def test_golden_fields_link_and_select():
    msg = message(
        Fields((("Time zone", "Europe/London"), ("Country", "GB"))),
        Link("Find a helpline", "https://findahelpline.com"),
        Select("Pick one", (SelectOption("A", "t.a|1"), SelectOption("B", "t.a|2"))),
        fallback="profile",
    )
    out = render(msg)
    assert out.blocks == [
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*Time zone*\nEurope/London"},
                {"type": "mrkdwn", "text": "*Country*\nGB"},
            ],
        },
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "<https://findahelpline.com|Find a helpline>"},
        },
        {
            "type": "actions",
            "elements": [
                {
                    "type": "static_select",
                    "action_id": "peer-1",
                    "placeholder": {"type": "plain_text", "text": "Pick one", "emoji": True},
                    "options": [
                        {
                            "text": {"type": "plain_text", "text": "A", "emoji": True},
                            "value": "t.a|1",
                        },
                        {
                            "text": {"type": "plain_text", "text": "B", "emoji": True},
                            "value": "t.a|2",
                        },
                    ],
                }
            ],
        },
    ]
    assert out.text == "profile"


def test_escapes_angle_brackets_and_only_the_cores_mentions_live():
    assert escape(f"a < b & {mention('U123')} <@U9> <#C9|x> <!here>") == (
        "a &lt; b &amp; <@U123> &lt;@U9&gt; &lt;#C9|x&gt; &lt;!here&gt;")
    assert escape("<script>") == "&lt;script&gt;"


def test_long_section_is_split_under_3000_chars_at_line_breaks():
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(100))  # ~9,800 chars
    blocks = render(message(Section(text))).blocks
    assert len(blocks) == 4
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)
    assert "\n".join(b["text"]["text"] for b in blocks) == text


def test_unbroken_text_is_split_without_cutting_an_entity():
    text = "a" * 2998 + "&" + "b" * 10
    parts = [b["text"]["text"] for b in render(message(Section(text))).blocks]
    assert all(len(p) <= 3000 for p in parts)
    assert "".join(parts) == "a" * 2998 + "&amp;" + "b" * 10


def test_fields_ten_per_section_and_2000_chars_each():
    pairs = tuple((f"k{i}", "v" * 2500) for i in range(23))
    blocks = render(message(Fields(pairs))).blocks
    assert [len(b["fields"]) for b in blocks] == [10, 10, 3]
    assert all(len(f["text"]) <= 2000 for b in blocks for f in b["fields"])
    assert blocks[0]["fields"][0]["text"].endswith("…")


def test_buttons_25_per_actions_block_labels_75_chars_unique_action_ids():
    buttons = tuple(Button("L" * 100, f"t.v|{i}") for i in range(30))
    blocks = render(message(Buttons(buttons), Buttons(buttons[:2]))).blocks
    assert [len(b["elements"]) for b in blocks] == [25, 5, 2]
    elements = [e for b in blocks for e in b["elements"]]
    assert all(len(e["text"]["text"]) == 75 for e in elements)
    ids = [e["action_id"] for e in elements]
    assert len(ids) == len(set(ids)) == 32


def test_over_long_action_value_is_refused():
    with pytest.raises(RenderError):
        render(message(Buttons((Button("x", "v" * 2001),))))


def test_too_many_blocks_keeps_buttons_and_says_so():
    sections = [Section(f"paragraph {i}") for i in range(80)]
    msg = message(*sections, Buttons((Button("Answer", "t.v|1"),)))
    blocks = render(msg).blocks
    assert len(blocks) == MAX_MESSAGE_BLOCKS
    assert blocks[-2]["type"] == "actions"
    assert blocks[-1]["type"] == "context"
    assert "shortened" in blocks[-1]["elements"][0]["text"]


def test_header_clipped_to_150_chars():
    block = render(message(Header("h" * 200))).blocks[0]
    assert len(block["text"]["text"]) == 150


def test_fallback_is_never_empty():
    assert render(message(Buttons((Button("Yes", "t.v|1"), Button("No", "t.v|0"))))).text == (
        "Yes / No"
    )
    assert render(message()).text == "peerbot"


def test_home_view_allows_100_blocks():
    view = home_view(message(*[Section(str(i)) for i in range(120)]))
    assert view["type"] == "home"
    assert len(view["blocks"]) == 100
