"""Messages survive the outbox: every block kind round-trips, and rows written by the
earlier encoder (``{"type": kind, ...}`` blocks) still read back."""

from __future__ import annotations

import json

from bot.core.model import (
    Attachment,
    Button,
    Buttons,
    ButtonStyle,
    Context,
    Divider,
    Fields,
    Header,
    Link,
    Message,
    Section,
    Select,
    SelectOption,
    Target,
)
from bot.core.serialize import (
    message_from_json,
    message_to_json,
    target_from_json,
    target_to_json,
)

EVERY = Message(
    blocks=(
        Header("Check-in"), Section("How are *you*? ünïcode ✓"), Fields((("a", "1"), ("b", "2"))),
        Buttons((Button("Good", "checkin.answer|1:5", ButtonStyle.PRIMARY),
                 Button("Stop", "x|1", ButtonStyle.DANGER))),
        Select("pick", (SelectOption("One", "v1"), SelectOption("Two", "v2"))),
        Link("Open", "https://example.org"), Context("small print"), Divider(),
    ),
    fallback="fallback text",
    attachment=Attachment("export.json", '{"a": 1}'),
)


def test_every_block_kind_round_trips():
    assert message_from_json(message_to_json(EVERY)) == EVERY
    plain = Message(blocks=(Section("x"),), fallback="")
    assert message_from_json(message_to_json(plain)) == plain


def test_rows_from_the_earlier_encoder_still_read():
    old = json.dumps({
        "blocks": [
            {"type": "header", "text": "Check-in"},
            {"type": "buttons", "buttons": [
                {"label": "Good", "value": "checkin.answer|1:5", "style": "primary"}]},
            {"type": "fields", "pairs": [["a", "1"]]},
            {"type": "select", "placeholder": "pick",
             "options": [{"label": "One", "value": "v1"}]},
        ],
        "fallback": "f", "attachment": None,
    })
    assert message_from_json(old) == Message(
        blocks=(Header("Check-in"),
                Buttons((Button("Good", "checkin.answer|1:5", ButtonStyle.PRIMARY),)),
                Fields((("a", "1"),)), Select("pick", (SelectOption("One", "v1"),))),
        fallback="f")


def test_targets_round_trip():
    for target in (Target(user_id="U1"), Target(channel_id="C1"), Target(user_ids=("U1", "U2"))):
        assert target_from_json(target_to_json(target)) == target
