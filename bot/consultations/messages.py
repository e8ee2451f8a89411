"""The consultation's words: the form, the warning, the post and the asker's receipt."""

from __future__ import annotations

from bot.consultations.deid import Finding
from bot.core import action_ids
from bot.core.model import (
    Button,
    Buttons,
    ButtonStyle,
    Confirm,
    Context,
    Fields,
    Form,
    FormField,
    Header,
    Message,
    Reply,
    Section,
    form_text,
    mention,
    message,
    reply,
)

MAX_QUESTION = 2000
MAX_WANTED = 120
POST, DISCARD, RESOLVE = "consult.post", "consult.discard", "consult.resolve"
EDIT = "consult.edit.form"  # answers with the form, pre-filled (action_ids.opens_form)
USAGE = ('consult question:"the case or dilemma, de-identified" [want:"the input you want"] '
         "as:named|anonymous")
ANONYMITY = ("*Anonymous* means anonymous to everyone, facilitators included: once it is "
             "posted, peerbot keeps no record of who asked.")
REMINDER = ("Reply in this thread. Keep it de-identified: no names, dates, places or numbers "
            "that could point to a client. peerbot does not read or store the replies.")
FORM = Form(
    phrase="consult",
    title="Ask for a consultation",
    intro=("Describe the case or dilemma without anything that could identify your client. "
           "It is posted in your group's channel; replies happen in its thread and are never "
           "stored by peerbot. " + ANONYMITY),
    submit="Check and post",
    fields=(
        FormField("question", "The case or dilemma", "de-identified: no names, dates, places",
                  max_length=MAX_QUESTION, multiline=True, optional=False),
        FormField("want", "The input you want", "e.g. ethics, ideas, similar experience",
                  max_length=MAX_WANTED),
        FormField("as", "Post as", "Anonymous: nobody, facilitators included, can see who "
                  "asked.", max_length=9, optional=False,
                  choices=(("With my name", "named"), ("Anonymously", "anonymous"))),
    ),
)


POST_ANYWAY = Confirm(
    "Post without changes?",
    "The check noticed details that may identify your client. Once posted, the group sees "
    "it as written.", "Post as it is", "Go back")


def post_confirm(request: object) -> Confirm:
    """Asked before "Post as it is" where the platform has no dialog (bot.core.confirming)."""
    return POST_ANYWAY


def warning(findings: list[Finding], draft_id: int) -> Reply:
    lines = "\n".join(f"• {f.kind}: “{f.text}”" for f in findings)
    return reply(
        Header("Before you post: this may identify your client"),
        Section(f"The check (run here, nothing is sent anywhere) noticed:\n{lines}"),
        Context("*Edit* opens your consultation again with what you wrote; your draft is "
                "kept for a day. A check cannot prove text is safe: read it once more."),
        Buttons((Button("Edit", action_ids.encode(EDIT, draft_id), ButtonStyle.PRIMARY),
                 Button("Post as it is", action_ids.encode(POST, draft_id), ButtonStyle.DANGER,
                        confirm=POST_ANYWAY),
                 Button("Discard", action_ids.encode(DISCARD, draft_id)))),
        fallback="Before you post: this may identify your client",
    )


def post_message(number: int, question: str, wanted: str, asker: str | None) -> Message:
    blocks: list = [Header(f"Case consultation {number}"), Section(question)]
    if wanted:
        blocks.append(Fields((("Input wanted", wanted),)))
    blocks.append(Section(f"Asked by {mention(asker)}" if asker else "Asked anonymously"))
    blocks.append(Context(REMINDER))
    return message(*blocks, fallback=f"Case consultation {number}")


def receipt(number: int, code: str, anonymous: bool, channel_hint: str, slash: str) -> Reply:
    how = ("anonymously: peerbot has kept no record of who asked" if anonymous
           else "with your name")
    return reply(
        Section(f"Posted consultation {number} to {channel_hint}, {how}. Replies happen in its "
                "thread; peerbot does not store them."),
        Section(f"When it is resolved, press *Resolved*, or add a takeaway for the resource "
                f"library: `{slash} {number} {code} <takeaway>`. Your private code is "
                f"*{code}*; it is shown only here."),
        Buttons((Button("Resolved", action_ids.encode(RESOLVE, number, code)),)),
    )


def resolved_note(number: int, resource_id: int | None) -> Message:
    """Posted into the consultation's thread when the asker resolves it (never who)."""
    takeaway = (f" Their takeaway is in the resource library as [{resource_id}]."
                if resource_id else "")
    return message(Section(f"Consultation {number} is resolved: the asker thanks everyone who "
                           f"replied.{takeaway}"), fallback=f"Consultation {number} is resolved")


def edit_reply(question: str, wanted: str, anonymous: bool, slash: str) -> Reply:
    """The draft again: as a pre-filled form on Slack and Discord, as a ready-to-edit
    command in the console (which has no forms)."""
    values = {"question": question, "want": wanted, "as": "anonymous" if anonymous else "named"}
    form = Form(FORM.phrase, FORM.title, FORM.fields, FORM.intro, FORM.submit,
                initial=tuple(values.items()))
    typed = form_text(FORM, values)
    return Reply(message(Section(f"Edit and send it again (your draft stays for a day):\n"
                                 f"`{slash}{typed[len(FORM.phrase):]}`")), form=form)
