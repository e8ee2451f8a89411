"""discord.py application commands built from the command map (adapters.discord.commands).

Each subcommand gets a generated callback whose signature lists its options, so
discord.py registers typed options (string, user, integer, choices) exactly as if they
were written by hand; the callback turns the values back into the core's text and
hands it to ``on_invoke(interaction, command, text)``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal

import discord
from discord import app_commands

from adapters.discord.commands import (
    Branch,
    Leaf,
    Option,
    build_map,
    build_staff_map,
    crisis_text,
    invocation_text,
    member_specs,
)
from adapters.discord.suggest import MAX_CHOICE, MAX_CHOICES, country_choices, zone_choices

OnInvoke = Callable[[discord.Interaction, str, str], Awaitable[None]]
# Suggests peer-group names for the ``group`` and ``name`` options as someone types.
GroupNames = Callable[[discord.Interaction, str], Awaitable[list[str]]]
GROUP_OPTIONS = ("group", "name")
MAX_AUDIT = 100  # the core caps `admin audit` at 100 entries


def _annotation(option: Option) -> Any:
    if option.kind == "user":
        return discord.User
    if option.kind == "integer":
        return app_commands.Range[int, 1, MAX_AUDIT]
    if option.kind == "choice":
        return Literal[option.choices]  # type: ignore[valid-type]
    if option.min_length or option.max_length:
        return app_commands.Range[str, option.min_length or 0, option.max_length or 6000]
    return str


def _command(leaf: Leaf, command_name: str, on_invoke: OnInvoke,
             group_names: GroupNames | None = None) -> app_commands.Command:
    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await on_invoke(interaction, command_name, invocation_text(leaf, values))

    params = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=discord.Interaction,
        )
    ]
    ordered = sorted(leaf.options, key=lambda o: not o.required)  # required options first
    for option in ordered:
        params.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(option),
                default=inspect.Parameter.empty if option.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        o.name: o.description for o in leaf.options
    }
    command = app_commands.Command(name=leaf.name, description=leaf.description,
                                   callback=callback)
    if group_names is not None:
        for option in leaf.options:
            if option.name in GROUP_OPTIONS and option.kind == "text":
                command.autocomplete(option.name)(_completer(group_names))
    for option in leaf.options:
        if option.suggests:
            command.autocomplete(option.name)(_suggester(option.suggests))
    return command


def _suggester(kind: str):
    """Time zones or countries as someone types; for ``field`` (the profile's value
    option), whichever the chosen field asks for."""
    async def complete(interaction: discord.Interaction, current: str
                       ) -> list[app_commands.Choice[str]]:
        wanted = kind
        if kind == "field":
            field = getattr(interaction.namespace, "field", None)
            wanted = {"tz": "zone", "country": "country"}.get(str(field or ""), "")
        if wanted == "zone":
            pairs = zone_choices(current)
        elif wanted == "country":
            pairs = country_choices(current)
        else:
            return []
        return [app_commands.Choice(name=name, value=value)
                for name, value in pairs[:MAX_CHOICES]]

    return complete


def _completer(group_names: GroupNames):
    async def complete(interaction: discord.Interaction, current: str
                       ) -> list[app_commands.Choice[str]]:
        names = await group_names(interaction, current)
        return [app_commands.Choice(name=n[:MAX_CHOICE], value=n[:MAX_CHOICE])
                for n in names[:MAX_CHOICES]]

    return complete


def build_peer_group(specs: Iterable[Any], command_name: str, on_invoke: OnInvoke,
                     group_names: GroupNames | None = None) -> app_commands.Group:
    """`/peer` with the members' subcommands and groups, guild-only (workspace = guild)."""
    peer = app_commands.Group(
        name=command_name, description="peer support: check-ins, pairing, profile, help",
        guild_only=True,
    )
    return _fill(peer, build_map(member_specs(specs)), command_name, on_invoke, group_names)


def admin_name(command_name: str) -> str:
    return f"{command_name}-admin"


def build_admin_group(specs: Iterable[Any], command_name: str, on_invoke: OnInvoke,
                      group_names: GroupNames | None = None) -> app_commands.Group:
    """`/peer-admin`: facilitator and admin commands, shown by default only to people
    with Manage Server (a server can show it to its facilitator role in Server Settings >
    Integrations). The permission only hides the command: the core still checks every
    call's role, so someone who sends it anyway is refused and nothing changes."""
    admin = app_commands.Group(
        name=admin_name(command_name),
        description="facilitator and admin commands: rounds, pulse, schedules, roles",
        guild_only=True, default_permissions=discord.Permissions(manage_guild=True),
    )
    return _fill(admin, build_staff_map(specs), command_name, on_invoke, group_names)


def _fill(top: app_commands.Group, children: list[Leaf | Branch], command_name: str,
          on_invoke: OnInvoke, group_names: GroupNames | None) -> app_commands.Group:
    peer = top
    for child in children:
        if isinstance(child, Branch):
            group = app_commands.Group(name=child.name, description=child.description,
                                       parent=peer)
            for leaf in child.leaves:
                group.add_command(_command(leaf, command_name, on_invoke, group_names))
        else:
            peer.add_command(_command(child, command_name, on_invoke, group_names))
    return peer


def build_crisis_command(crisis_name: str, on_invoke: OnInvoke) -> app_commands.Command:
    """`/crisis [country]`: the same crisis lines as `/peer crisis`, one word to type."""

    @app_commands.describe(country="start typing a country; two-letter code, e.g. GB")
    async def crisis(
        interaction: discord.Interaction,
        country: app_commands.Range[str, 2, 2] | None = None,
    ) -> None:
        await on_invoke(interaction, crisis_name, crisis_text(country))

    command = app_commands.Command(
        name=crisis_name,
        description="crisis lines for your country; only you see them",
        callback=crisis,
    )
    command.guild_only = True
    command.autocomplete("country")(_suggester("country"))  # local: nothing logged or sent
    return command


def build_tree(client: discord.Client, specs: Iterable[Any], command_name: str,
               crisis_name: str, on_invoke: OnInvoke, group_names: GroupNames | None = None
               ) -> app_commands.CommandTree:
    tree = app_commands.CommandTree(client)
    specs = list(specs)
    tree.add_command(build_peer_group(specs, command_name, on_invoke, group_names))
    tree.add_command(build_admin_group(specs, command_name, on_invoke, group_names))
    tree.add_command(build_crisis_command(crisis_name, on_invoke))
    return tree
