"""The command grammar: matching, suggestions, quoting, group options, action ids."""

from __future__ import annotations

import pytest

from bot.core import action_ids
from bot.core.model import Invocation
from bot.core.router import tokenize
from bot.runtime import build_router


def test_longest_phrase_wins_and_rest_are_args():
    router = build_router()
    spec, rest = router.match(["group", "join", "Tuesday", "circle"])
    assert spec.phrase == "group join" and rest == ["Tuesday", "circle"]


def test_tokenize_survives_stray_quotes():
    assert tokenize('profile specialty "child and family"') == [
        "profile", "specialty", "child and family"]
    assert tokenize('profile specialty "unbalanced') == ["profile", "specialty", '"unbalanced']


def test_suggestions_for_typos():
    router = build_router()
    assert "profile" in router.suggestions(["profiel"])
    assert router.suggestions(["group", "jion"])[0] == "group join"


@pytest.mark.parametrize("value", ["", "x" * 101, "nodot|a", "a.b c|x", "|x"])
def test_malformed_action_ids_are_rejected(value):
    with pytest.raises(action_ids.ActionIdError):
        action_ids.decode(value)


def test_action_id_round_trip_and_limits():
    value = action_ids.encode("checkin.answer", 12, "mood", 3)
    assert action_ids.decode(value) == action_ids.ActionId("checkin.answer", ("12", "mood", "3"))
    with pytest.raises(action_ids.ActionIdError):
        action_ids.encode("a.b", "x" * 100)
    with pytest.raises(action_ids.ActionIdError):
        action_ids.encode("a.b", "bad:arg")


async def test_forged_button_changes_nothing(assembly, actor):
    from bot.core.model import Action

    replies = await assembly.core.handle_action(Action(actor=actor("bob"), value="admin.pwn|1"))
    assert "no longer valid" in replies[0].message.text()


async def test_bare_command_shows_help(assembly, actor):
    replies = await assembly.core.handle_invocation(Invocation(actor("bob"), "peer", ""))
    assert "peerbot help" in replies[0].message.text()


async def test_hints_use_the_platform_spelling_when_an_adapter_provides_one(assembly, actor):
    assembly.ctx.spell = lambda phrase: phrase.replace("tz ", "field:tz value:")
    replies = await assembly.core.handle_invocation(Invocation(actor("bob"), "peer", "profle"))
    assert "/peer profile" in replies[0].message.text()
    spelled = assembly.ctx.slash("profile tz Europe/London")
    assert spelled == "/peer profile field:tz value:Europe/London"
