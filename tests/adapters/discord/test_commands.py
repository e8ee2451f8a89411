"""The `/peer` grammar as a Discord tree: derived from the router, inside Discord's rules."""

from __future__ import annotations

import re

import discord

from adapters.discord.client import intents
from adapters.discord.commands import RUN, Branch, build_map, invocation_text, spell
from adapters.discord.tree import build_tree
from bot.core.model import Role
from bot.core.router import Router
from bot.runtime import build_router

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


def _noop(request):
    return None


def _leaves(children):
    for child in children:
        if isinstance(child, Branch):
            for leaf in child.leaves:
                yield f"{child.name} {leaf.name}", leaf
        else:
            yield child.name, child


def test_every_core_phrase_has_exactly_one_discord_subcommand():
    specs = build_router().commands()
    phrases = sorted(leaf.phrase for _, leaf in _leaves(build_map(specs)) if leaf.phrase)
    assert phrases == sorted(s.phrase for s in specs)


def test_names_and_counts_follow_discords_rules():
    children = build_map(build_router().commands())
    assert len(children) <= 25
    for child in children:
        assert NAME.match(child.name)
        if isinstance(child, Branch):
            assert 1 <= len(child.leaves) <= 25
    for _, leaf in _leaves(children):
        assert NAME.match(leaf.name) and 1 <= len(leaf.description) <= 100
        assert len(leaf.options) <= 25
        assert all(NAME.match(o.name) for o in leaf.options)
        assert len({o.name for o in leaf.options}) == len(leaf.options)


def test_a_three_word_phrase_is_hyphenated_and_a_bare_word_gets_a_name():
    router = Router()
    router.command("crisis", _noop)
    router.command("crisis colleague", _noop)
    router.command("admin checkins now", _noop, role=Role.FACILITATOR)
    names = sorted(name for name, _ in _leaves(build_map(router.commands())))
    assert names == ["admin checkins-now", "crisis colleague", "crisis lines", "run"]


def test_unknown_arguments_get_one_text_option_required_as_the_usage_says():
    router = Router()
    router.command("checkin note", _noop, usage="checkin note <text>")
    router.command("zz frob", _noop, usage="zz frob <thing> [more]")
    router.command("zz opt", _noop, usage="zz opt [thing]")
    leaves = dict(_leaves(build_map(router.commands())))
    assert [(o.name, o.required) for o in leaves["zz frob"].options] == [
        ("text", True), ("group", False)]
    assert [(o.name, o.required) for o in leaves["zz opt"].options] == [
        ("text", False), ("group", False)]


def test_invocation_text_writes_options_in_declared_order():
    leaf = dict(_leaves(build_map(build_router().commands())))["admin role"]
    user = discord.Object(id=202)
    text = invocation_text(leaf, {"role": "admin", "member": user, "group": "Circle"})
    assert text == "admin role <@202> admin group:Circle"


def test_the_run_escape_hatch_passes_the_grammar_through():
    assert invocation_text(RUN, {"command": " pair hours 09:00-17:00 mon-fri "}) == (
        "pair hours 09:00-17:00 mon-fri")


def test_the_tree_holds_peer_peer_admin_and_crisis_as_configured():
    client = discord.Client(intents=discord.Intents.default())
    tree = build_tree(client, build_router().commands(), "circle", "sos", _invoke)
    assert sorted(c.name for c in tree.get_commands()) == ["circle", "circle-admin", "sos"]
    peer, admin = tree.get_command("circle"), tree.get_command("circle-admin")
    assert peer.guild_only and peer.get_command("admin") is None  # nothing staff in /peer
    assert peer.get_command("pair").get_command("round") is None
    assert admin.guild_only and admin.default_permissions.manage_guild
    assert isinstance(admin.get_command("role"), discord.app_commands.Command)
    assert admin.get_command("pair").get_command("round") is not None



def test_the_client_asks_for_the_guilds_intent_only():
    asked = {name for name, on in intents() if on}
    assert asked == {"guilds"}
    assert not (intents().members or intents().presences or intents().message_content)


async def _invoke(interaction, command, text):
    return None


def test_core_phrases_are_spelled_the_discord_way():
    children = build_map(build_router().commands())
    assert spell(children, "checkin") == "checkin answer"
    assert spell(children, "checkin history") == "checkin history"
    assert spell(children, "checkin pause until 2026-12-28") == (
        "checkin pause span:until 2026-12-28")
    assert spell(children, "profile tz Europe/London") == "profile field:tz value:Europe/London"
    assert spell(children, "admin checkins now") == "admin checkins-now"
    assert spell(children, "admin role @bob facilitator") == (
        "admin role member:@bob role:facilitator")
    assert spell(children, "no such thing") == "no such thing"
    assert spell(children, "checkin pause 2w | checkin pause until 2026-12-28") == (
        "checkin pause span:2w | checkin pause span:until 2026-12-28")
