"""Console rendering: numbered choices, and mentions shown as names."""

from __future__ import annotations

from adapters.console.render import render
from bot.core.model import Button, Buttons, Section, mention, message


def test_mentions_become_names_and_buttons_are_numbered():
    msg = message(
        Section(f"Hello {mention('U1')} and <@U2|bob>"),
        Buttons((Button("Yes", "a.b"), Button("No", "a.c"))),
    )
    text = render(msg, {"U1": "alice", "U2": "bob"}.get)
    assert "Hello alice and bob" in text
    assert "[1] Yes  [2] No" in text


def test_without_a_name_lookup_mentions_stay_as_written():
    assert "<@U1>" in render(message(Section(mention("U1"))))
