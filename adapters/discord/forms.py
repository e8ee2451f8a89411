"""The core's forms (``bot.core.model.Form``) as Discord modals.

A modal must be the first answer to an interaction, so the inbound path opens it
before deferring when a command with a form is typed with nothing after it. Discord
allows five components in a modal: the first five fields are shown (forms list their
fields most important first), each in a labelled row whose description carries the
field's hint; the form's intro is shown above them when there is room. Choices are a
select menu. Submitting runs the command the form stands for, like typing it
(:func:`bot.core.model.form_text`); a modal lives for :data:`FORM_TIMEOUT` seconds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.core.model import Form, FormField

MAX_COMPONENTS = 5
FORM_TIMEOUT = 1800.0
Submit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _component(field: FormField, initial: str = "") -> discord.ui.Item:
    if field.choices:
        return discord.ui.Select(
            custom_id=field.key, required=not field.optional, min_values=0 if field.optional
            else 1, max_values=1,
            options=[discord.SelectOption(label=label, value=value, default=value == initial)
                     for label, value in field.choices])
    return discord.ui.TextInput(
        custom_id=field.key, required=not field.optional,
        style=discord.TextStyle.paragraph if field.multiline else discord.TextStyle.short,
        max_length=min(field.max_length, 4000), default=initial[:4000] or None,
        placeholder=_clip(field.hint, 100) if field.hint else None)


class FormModal(discord.ui.Modal):
    """One form, shown to one person; ``submit`` receives the values by field key."""

    def __init__(self, form: Form, submit: Submit) -> None:
        super().__init__(title=_clip(form.title, 45), timeout=FORM_TIMEOUT,
                         custom_id=_clip(f"peer.form|{form.phrase}", 100))
        self.form = form
        self._submit = submit
        fields = form.fields[:MAX_COMPONENTS]
        if form.intro and len(fields) < MAX_COMPONENTS:
            self.add_item(discord.ui.TextDisplay(_clip(form.intro, 4000)))
        self._inputs: dict[str, discord.ui.Item] = {}
        for field in fields:
            component = _component(field, form.initial_value(field.key))
            self._inputs[field.key] = component
            self.add_item(discord.ui.Label(text=_clip(field.label, 45), component=component,
                                           description=_clip(field.hint, 100) or None))

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for key, item in self._inputs.items():
            if isinstance(item, discord.ui.Select):
                found[key] = item.values[0] if item.values else ""
            elif isinstance(item, discord.ui.TextInput):
                found[key] = item.value or ""
        return found

    async def on_submit(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        await self._submit(interaction, self.values())
