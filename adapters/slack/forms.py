"""The core's forms (``bot.core.model.Form``) as Slack modals, and their submissions back.

A command typed with nothing after it that has a form (``/peer resources add``) opens
the modal at once, while Slack's trigger is fresh; submitting it runs the command the
form stands for (:func:`bot.core.model.form_text`). The modal remembers the phrase and
the channel it was opened from in ``private_metadata``, so the command knows its group.
"""

from __future__ import annotations

import json
from typing import Any

from bot.core.model import Form, FormField

CALLBACK = "peer_form"
TITLE_MAX = 24  # Slack's limit on a modal title


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _element(field: FormField, initial: str = "") -> dict[str, Any]:
    if field.choices:
        options = [{"text": _plain(label), "value": value} for label, value in field.choices]
        radio: dict[str, Any] = {"type": "radio_buttons", "action_id": "value",
                                 "options": options}
        chosen = next((o for o in options if o["value"] == initial), None)
        if chosen is not None:
            radio["initial_option"] = chosen
        return radio
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value",
                               "multiline": field.multiline, "max_length": field.max_length}
    if field.hint:
        element["placeholder"] = _plain(field.hint[:150])
    if initial:
        element["initial_value"] = initial[:field.max_length]
    return element


def form_view(form: Form, channel_id: str | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    if form.intro:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": form.intro}})
    for field in form.fields:
        block = {"type": "input", "block_id": field.key, "optional": field.optional,
                 "label": _plain(field.label),
                 "element": _element(field, form.initial_value(field.key))}
        if field.choices and field.hint:
            block["hint"] = _plain(field.hint[:2000])
        blocks.append(block)
    return {
        "type": "modal", "callback_id": CALLBACK, "title": _plain(form.title[:TITLE_MAX]),
        "submit": _plain(form.submit[:TITLE_MAX]), "close": _plain("Cancel"),
        "private_metadata": json.dumps({"phrase": form.phrase, "channel": channel_id or ""}),
        "blocks": blocks,
    }


def submitted(view: dict[str, Any]) -> tuple[str, str | None, dict[str, str]]:
    """(phrase, channel, values) of a submitted form modal."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        meta = {}
    values: dict[str, str] = {}
    for key, actions in (view.get("state", {}).get("values") or {}).items():
        action = (actions or {}).get("value") or {}
        chosen = action.get("selected_option") or {}
        values[key] = str(action.get("value") or chosen.get("value") or "")
    return str(meta.get("phrase", "")), str(meta.get("channel") or "") or None, values
