"""Files in the neutral model: bytes survive the outbox and a restart, old rows still
read, an oversized file is refused before it is queued, and a file to a member who
cannot be reached is settled like any message."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from bot.core.delivery import Deliverer
from bot.core.members import MemberService
from bot.core.model import (
    MAX_ATTACHMENT_BYTES,
    Actor,
    Attachment,
    AttachmentTooLarge,
    Message,
    Section,
    Target,
    message,
)
from bot.core.outbox import Outbox, redact_mentions
from bot.core.ports import Undeliverable
from bot.core.serialize import message_from_json, message_to_json
from bot.store.db import open_database

# Every byte value, a NUL, invalid UTF-8 and a PNG signature: nothing may be lost.
BINARY = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) + b"\xff\xfe\x00"
CHART = Attachment("pulse.png", BINARY, "image/png", alt_text="Bar chart: week 2, 4.2 of 5")


class Recording:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.sent: list[tuple[Target, Message]] = []

    async def send(self, workspace_id, target, msg):
        if self.error is not None:
            raise self.error
        self.sent.append((target, msg))
        return f"ref-{len(self.sent)}"


@pytest.fixture
def ctx(assembly):
    assembly.ctx.members.ensure_workspace("W", "console")
    return assembly.ctx


def queue(ctx, msg: Message, user: str = "u1", round_key: str = "r1") -> None:
    with ctx.db.atomic():
        assert ctx.outbox.enqueue("W", round_key, Target(user_id=user), msg, kind="test.file")


def drainer(ctx, messenger) -> Deliverer:
    async def no_sleep(seconds):
        ctx.clock.advance(timedelta(seconds=seconds))

    return Deliverer(ctx.outbox, ctx.members, messenger, ctx.clock, sleep=no_sleep)


def test_binary_and_text_files_round_trip_with_alt_text():
    for file in (CHART, Attachment("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                                   "text/calendar", alt_text="Session on Tuesday")):
        msg = message(Section("here"), attachment=file)
        back = message_from_json(message_to_json(msg))
        assert back == msg and back.attachment.data == file.data
        assert type(back.attachment.content) is type(file.content)


def test_a_binary_file_is_base64_in_the_payload_not_mangled_text():
    payload = json.loads(message_to_json(message(Section("x"), attachment=CHART)))
    assert base64.b64decode(payload["attachment"]["base64"]) == BINARY
    assert "content" not in payload["attachment"]


def test_rows_written_before_binary_files_still_read():
    old = json.dumps({"blocks": [{"type": "section", "text": "Your export"}], "fallback": "",
                      "attachment": {"filename": "peerbot-export.json", "content": '{"a": 1}',
                                     "mime_type": "application/json"}})
    file = message_from_json(old).attachment
    assert file == Attachment("peerbot-export.json", '{"a": 1}')
    assert file.alt_text == "" and file.data == b'{"a": 1}'


def test_a_file_over_the_cap_is_refused_with_a_clear_error_and_the_cap_itself_is_fine():
    Attachment("big.bin", b"\0" * MAX_ATTACHMENT_BYTES, "application/octet-stream")
    with pytest.raises(AttachmentTooLarge) as info:
        Attachment("big.bin", b"\0" * (MAX_ATTACHMENT_BYTES + 1), "application/octet-stream")
    assert "big.bin" in str(info.value) and "8.0 MB limit" in str(info.value)
    text = "é" * (MAX_ATTACHMENT_BYTES // 2 + 1)  # under the cap in characters, over in bytes
    with pytest.raises(AttachmentTooLarge):
        Attachment("big.txt", text, "text/plain")


@pytest.mark.parametrize("name", ["", " ", "..", "../etc/passwd", "a/b.png", "c:\\x.png",
                                  "nul\x00.png", "line\nbreak.png", "x" * 201])
def test_a_file_name_is_a_plain_name(name):
    with pytest.raises(ValueError):
        Attachment(name, b"x", "image/png")


def test_alt_text_is_cut_at_a_word_to_a_platform_limit():
    file = Attachment("a.png", b"x", "image/png", alt_text="word " * 300)
    assert len(file.alt(1000)) <= 1000 and file.alt(1000).endswith("word…")
    assert file.alt(5000) == ("word " * 300).strip()


async def test_a_queued_file_is_delivered_byte_for_byte_after_a_restart(ctx, settings, clock):
    queue(ctx, message(Section("Your chart"), attachment=CHART))
    ctx.db.close()  # the process stops with the row still pending
    db = open_database(settings.bot.database)
    try:
        outbox = Outbox(db, clock)
        messenger = Recording()
        deliverer = Deliverer(outbox, MemberService(db, clock), messenger, clock)
        await deliverer.recover_in_flight()
        stats = await deliverer.drain_once()
        assert stats.sent == 1
        [(target, msg)] = messenger.sent
        assert target == Target(user_id="u1") and msg.attachment == CHART
        assert msg.attachment.data == BINARY
        assert await deliverer.drain_once() == type(stats)()  # once
    finally:
        db.close()


async def test_a_file_claimed_when_the_process_died_is_sent_once_after_recovery(ctx):
    queue(ctx, message(Section("Your chart"), attachment=CHART))
    with ctx.db.atomic():
        [claimed] = ctx.outbox.claim_due()  # marked sending; then the crash
    assert claimed.message.attachment == CHART
    messenger = Recording()
    deliverer = drainer(ctx, messenger)
    assert await deliverer.recover_in_flight() == 1
    await deliverer.drain_until_idle()
    assert [m.attachment.data for _, m in messenger.sent] == [BINARY]
    assert ctx.outbox.status_counts("W") == {"sent": 1}


async def test_a_file_to_an_unreachable_member_is_settled_like_any_message(ctx):
    ctx.members.ensure_member(Actor("W", "u1", "u1"))
    queue(ctx, message(Section("Your chart"), attachment=CHART))
    deliverer = drainer(ctx, Recording(Undeliverable("user_not_found")))
    stats = await deliverer.drain_until_idle()
    assert stats.undeliverable == 1 and stats.retried == 0
    assert ctx.outbox.status_counts("W") == {"undeliverable": 1}
    row = ctx.db.execute("SELECT undeliverable_reason FROM members WHERE user_id = 'u1'")
    assert row.fetchone()[0] == "user_not_found"


def test_erasure_withdraws_a_file_that_names_the_member_but_not_one_whose_bytes_look_alike(ctx):
    # base64 of these bytes contains "+bob+": a whole-word search of the raw payload
    # would take a chart for a message naming bob.
    lookalike = base64.b64decode("AA+bob+A")
    assert "+bob+" in base64.b64encode(lookalike).decode()
    queue(ctx, message(Section("chart"), attachment=Attachment("c.png", lookalike, "image/png")),
          user="u2", round_key="chart")
    queue(ctx, message(Section("invite"), attachment=Attachment(
        "s.ics", "ATTENDEE;CN=bob:mailto:x\r\n", "text/calendar")), user="u2", round_key="ics")
    with ctx.db.atomic():
        assert redact_mentions(ctx.db, "W", "Ubob", names=["bob"]) == 1
    kept = {r: s for r, s in ctx.db.execute("SELECT round_key, status FROM outbox")}
    assert kept["chart"] == "pending" and "ics" not in kept
