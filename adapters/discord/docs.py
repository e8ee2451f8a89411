"""The Discord command map as a Markdown table, for docs/discord.md.

The caller supplies the commands (the host's ``command_specs()``), so this module needs
no runtime. Regenerate the table after the core's grammar changes::

    .venv/bin/peerbot discord commands
"""

from __future__ import annotations

from collections.abc import Iterable

from adapters.discord.commands import Branch, Leaf, Option, build_map, build_staff_map, member_specs
from bot.core.ports import CommandShape

BEGIN = "<!-- discord-commands:begin -->"
END = "<!-- discord-commands:end -->"


def _option(option: Option) -> str:
    kind = {"user": "member", "integer": "number"}.get(option.kind, "text")
    if option.choices:
        kind = "|".join(option.choices)
    name = f"{option.name}:{kind}"
    return name if option.required else f"[{name}]"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")  # a pipe inside a table cell must be escaped


def _row(top: str, prefix: str, leaf: Leaf, command: str) -> str:
    options = " ".join(_option(o) for o in leaf.options if o.name != "group")
    discord = f"/{top} {prefix}{leaf.name} {options}".rstrip()
    core = f"/{command} {leaf.phrase}" if leaf.phrase else "(the text you type)"
    group = "yes" if any(o.name == "group" for o in leaf.options) else ""
    return f"| `{_cell(discord)}` | `{_cell(core)}` | {group} |"


def command_table(specs: Iterable[CommandShape], command: str = "peer") -> str:
    """The Markdown table of every Discord subcommand and the core phrase it runs."""
    lines = [
        "| on Discord | the core's command | `group` option |",
        "| --- | --- | --- |",
    ]
    specs = list(specs)
    for top, children in ((command, build_map(member_specs(specs))),
                          (f"{command}-admin", build_staff_map(specs))):
        for child in children:
            if isinstance(child, Branch):
                lines += [_row(top, f"{child.name} ", leaf, command) for leaf in child.leaves]
            else:
                lines.append(_row(top, "", child, command))
    return "\n".join(lines)


def command_block(specs: Iterable[CommandShape], command: str = "peer") -> str:
    """The table between its markers, ready to paste into docs/discord.md."""
    return f"{BEGIN}\n{command_table(specs, command)}\n{END}"
