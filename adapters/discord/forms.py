"""A core Form (bot.core.model.Form) as a Discord modal, and a submitted modal back to
the command it stands for.

A modal can only be the first answer to an interaction, so a command that may answer
with a form is run before deferring (:meth:`adapters.discord.inbound.Inbound.invoke`).
The modal's ``custom_id`` carries the phrase and the group, so a submission is
understood without any state kept in memory, after a restart too.
"""

from __future__ import annotations

import shlex
from typing import Any

import discord

from bot.core.model import Form

PREFIX = "peerbot.form|"
MAX_CUSTOM_ID = 100
MAX_TITLE = 45
MAX_LABEL = 45
MAX_VALUE = 4000


def custom_id(form: Form) -> str | None:
    """``peerbot.form|<phrase>|<group>``; None when it would not fit in 100 characters."""
    value = f"{PREFIX}{form.phrase}|{form.group}"
    return value if len(value) <= MAX_CUSTOM_ID else None


class FormModal(discord.ui.Modal):
    """Answers nothing itself: the client's catch-all hands the submission to the core."""

    def __init__(self, form: Form, modal_id: str) -> None:
        super().__init__(title=form.title[:MAX_TITLE], custom_id=modal_id, timeout=900)
        for field in form.fields:
            self.add_item(discord.ui.TextInput(
                label=field.label[:MAX_LABEL], custom_id=field.name,
                style=(discord.TextStyle.paragraph if field.multiline
                       else discord.TextStyle.short),
                default=field.initial[:MAX_VALUE] or None,
                max_length=min(field.max_length, MAX_VALUE), required=True))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        return None  # PeerClient.on_interaction answers it


def submission(data: dict[str, Any]) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """A MODAL_SUBMIT's data -> (command text, field values), or None if not ours."""
    modal_id = str(data.get("custom_id", ""))
    if not modal_id.startswith(PREFIX):
        return None
    phrase, _, group = modal_id[len(PREFIX):].partition("|")
    if not phrase:
        return None
    fields: list[tuple[str, str]] = []
    for row in data.get("components") or []:
        for item in row.get("components") or []:
            if item.get("custom_id"):
                fields.append((str(item["custom_id"]), str(item.get("value") or "")))
    text = phrase + (f" group:{shlex.quote(group)}" if group else "")
    return text, tuple(fields)
