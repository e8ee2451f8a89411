"""The core's forms (``bot.core.model.Form``) as Slack modals, and their submissions back.

A command typed with nothing after it that has a form (``/peer resources add``) opens
the modal at once, while Slack's trigger is fresh; submitting it runs the command the
form stands for (:func:`bot.core.model.form_text`). The modal remembers the phrase and
the channel it was opened from in ``private_metadata``, so the command knows its group.
"""

from __future__ import annotations

import json
from typing import Any

from bot.core.model import Form, FormField, Reply, plain_times, unmark

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


ERROR_TEXT = 300  # kept short: it sits under a field


def inline_errors(form: Form, replies: list[Reply]) -> dict[str, str]:
    """``response_action: errors`` for a refused submission: each refusal under the field
    it concerns (the group's under its field where the form has one), anything else under
    the first field, so the form stays open with what was typed. {} when nothing was
    refused."""
    keys = [f.key for f in form.fields]
    errors: dict[str, str] = {}
    for reply in replies:
        if reply.error_field is None or not keys:
            continue
        key = reply.error_field if reply.error_field in keys else keys[0]
        text = plain_times(unmark(reply.message.text())).replace("`", "")
        errors[key] = " ".join(p for p in (errors.get(key), text) if p)[:ERROR_TEXT]
    return errors


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
