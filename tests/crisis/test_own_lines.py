"""Crisis requests never lose the member's own lines, and never echo their words.

Words after `/crisis` that are not a country (a code, an ISO 3166 name, or one of the
directory's aliases) get the member's *own* country card first, with a gentle line that
the words were not read as a country; only a real country the directory lacks gets the
international card, named by its ISO name.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.model import Actor, Invocation, Visibility
from tests.support.world import WS, World, text_of

DISTRESS = [
    "I want to die", "help me please", "i cant do this anymore", "please", "help",
    "post traumatic stress", "colleagues are worried", "12345", "x" * 300, "é ü 漢字 🙂",
]


@pytest.fixture
def world(tmp_path):
    w = World.checkins(tmp_path)
    w.add("uma", country="US")
    w.add("gale", country="GB")
    w.add("fran", facilitator=True)
    return w


async def crisis(world, who, text, command="crisis"):
    replies = await world.core.handle_invocation(
        Invocation(actor=Actor(WS, who, who), command=command, text=text))
    assert all(r.visibility is Visibility.PRIVATE for r in replies)
    return text_of(replies)


async def test_the_example_a_us_member_gets_988_and_no_echo(world):
    out = await crisis(world, "uma", "I want to die")
    assert "United States" in out and "988" in out and "911" in out
    assert "want" not in out.lower() and "die" not in out.lower().split()
    assert "I don't have a local list" not in out
    assert "didn't read what you wrote as a country" in out


@pytest.mark.parametrize("words", DISTRESS)
async def test_any_words_show_the_members_own_country_first(world, words):
    out = await crisis(world, "gale", words)
    assert out.startswith("Crisis support: United Kingdom"), out[:80]
    assert "116 123" in out
    for token in words.split():
        if len(token) >= 4 and token.lower() not in ("post", "please", "help"):
            assert token not in out, token


async def test_the_same_under_peer_crisis_and_crisis_colleague(world):
    out = await crisis(world, "gale", "crisis I want to die", command="peer")
    assert "United Kingdom" in out and "want" not in out
    out = await crisis(world, "gale", "crisis colleague she said she wants to die",
                       command="peer")
    assert "Worried about a colleague" in out and "116 123" in out and "wants" not in out


async def test_a_mistyped_code_gets_a_hint_and_the_own_card(world):
    out = await crisis(world, "uma", "EN")
    assert "United States" in out and "Did you mean GB (United Kingdom)?" in out


async def test_a_real_country_without_a_local_list_gets_the_named_fallback(world):
    out = await crisis(world, "uma", "jp")
    assert "I don't have a local list for 'Japan (JP)' yet" in out
    assert "findahelpline.com" in out


@pytest.mark.parametrize("words, says", [
    ("uk", "call 999 or 112 now"), ("gb", "call 999 or 112 now"),
    ("england", "call 999 or 112 now"),
    ("new zealand", "call 111 now"), ("IE", "Ireland"), ("usa", "988"),
])
async def test_codes_names_and_aliases_still_work(world, words, says):
    assert says in await crisis(world, "gale", words)


async def test_a_member_typing_crisis_post_gets_lines_not_a_refusal(world):
    out = await crisis(world, "gale", "post traumatic stress")
    assert "Crisis support: United Kingdom" in out and "traumatic" not in out
    assert "Sorry" not in out and "Nothing was changed" not in out


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.text(alphabet="qjxzvkwy", min_size=5, max_size=9),
                      min_size=1, max_size=5))
async def test_no_words_are_ever_echoed(world, words):
    text = " ".join(words)
    out = await crisis(world, "uma", text)
    assert "988" in out and all(w not in out for w in words)
