"""Golden renders: neutral messages as Discord embeds and components, within limits.

Async because discord.py < 2.5 builds a View only inside a running event loop.
"""

from __future__ import annotations

from adapters.discord.render import SELECT_PREFIX, plain, render, to_payload
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
    Section,
    Select,
    SelectOption,
    message,
)

NOISE = {"flags", "type", "color", "disabled", "default", "required", "min_values",
         "max_values", "inline"}


def clean(value):
    """The render without discord.py's version-dependent defaults (types kept on rows)."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()
                if k not in NOISE or (k == "type" and "components" in value)}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


async def test_a_check_in_prompt():
    msg = message(
        Header("Thursday check-in"),
        Section("How are *you* doing today?"),
        Buttons((Button("Good", "checkin.answer|7:mood:4", ButtonStyle.PRIMARY),
                 Button("Low", "checkin.answer|7:mood:2"))),
        Context("Only you see your answers."),
    )
    assert clean(to_payload(render(msg))) == {
        "embeds": [{
            "title": "Thursday check-in",
            "description": "How are **you** doing today?",
            "footer": {"text": "Only you see your answers."},
        }],
        "components": [{"type": 1, "components": [
            {"style": 1, "label": "Good", "custom_id": "checkin.answer|7:mood:4"},
            {"style": 2, "label": "Low", "custom_id": "checkin.answer|7:mood:2"},
        ]}],
    }


async def test_text_after_fields_starts_a_new_card_to_keep_reading_order():
    msg = message(Header("Profile"), Fields((("Time zone", "Europe/London"),)),
                  Section("Change it with /peer profile."), Divider(), Section("More"))
    embeds = clean(to_payload(render(msg)))["embeds"]
    assert embeds == [
        {"title": "Profile", "fields": [{"name": "Time zone", "value": "Europe/London"}]},
        {"description": "Change it with /peer profile."},
        {"description": "More"},
    ]


async def test_links_and_context_lines():
    msg = message(Section("Crisis lines"), Link("Samaritans", "https://www.samaritans.org"),
                  Link("Call", "tel:116123"), Context("Verified 2026"), Section("end"))
    [embed] = clean(to_payload(render(msg)))["embeds"]
    assert embed["description"] == (
        "Crisis lines\n[Samaritans](https://www.samaritans.org)\nCall: tel:116123\n"
        "-# Verified 2026\nend"
    )


async def test_buttons_wrap_at_five_per_row_and_stop_at_five_rows():
    buttons = tuple(Button(f"b{i}", f"x.y|{i}") for i in range(30))
    rows = to_payload(render(message(Buttons(buttons))))["components"]
    assert [len(r["components"]) for r in rows] == [5, 5, 5, 5, 5]


async def test_a_select_has_its_own_row_and_at_most_25_options():
    options = tuple(SelectOption(f"o{i}", f"pair.pick|{i}") for i in range(30))
    rows = to_payload(render(message(Buttons((Button("a", "x.y"),)),
                                     Select("Choose", options))))["components"]
    select = rows[1]["components"][0]
    assert select["custom_id"] == f"{SELECT_PREFIX}0"
    assert len(select["options"]) == 25
    assert select["options"][0]["value"] == "pair.pick|0"


async def test_limits_are_respected():
    msg = message(Header("t" * 300), Section("d" * 5000),
                  Fields(tuple((f"n{i}", "v" * 2000) for i in range(30))))
    rendered = render(msg)
    [embed] = rendered.embeds
    assert len(embed.title) == 256 and len(embed.description) <= 4096
    assert 0 < len(embed.fields) <= 25
    assert all(len(f.value) <= 1024 for f in embed.fields)
    assert sum(len(e) for e in rendered.embeds) <= 6000


async def test_an_attachment_becomes_a_file():
    msg = message(Section("Your data"),
                  attachment=Attachment("peerbot-export.json", '{"a": 1}'))
    rendered = render(msg)
    [file] = rendered.files
    assert file.filename == "peerbot-export.json"
    assert file.fp.read() == b'{"a": 1}'


async def test_plain_content_when_there_is_nothing_for_an_embed():
    assert render(message(fallback="hello")).content == "hello"
    assert render(message()).content == "Done."
    assert render(message(Section("x"), fallback="summary")).content is None
    assert plain(message(Section("a *b*"))) == "a **b**"


async def test_views_are_not_kept_in_memory_after_sending():
    view = render(message(Buttons((Button("a", "x.y"),)))).view
    assert view is not None and view.timeout is None and not view.is_dispatchable()


async def test_fields_over_the_limit_are_cut_at_25():
    msg = message(Fields(tuple((f"n{i}", "v") for i in range(30))))
    [embed] = render(msg).embeds
    assert len(embed.fields) == 25


async def test_a_repeated_button_value_is_sent_once():
    msg = message(Buttons((Button("a", "x.y|1"), Button("b", "x.y|1"), Button("c", "x.y|2"))))
    [row] = to_payload(render(msg))["components"]
    assert [c["custom_id"] for c in row["components"]] == ["x.y|1", "x.y|2"]
