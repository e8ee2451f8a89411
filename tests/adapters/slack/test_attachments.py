"""Files on Slack: files upload v2 (upload URL, the bytes, complete into the DM) with
alt text for images, after the message; a failed upload retried without a second post."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.slack.messenger import SlackMessenger, build_client
from bot.core.delivery import Deliverer
from bot.core.model import Attachment, Section, Target, message
from bot.core.ports import TransientDeliveryError, Undeliverable
from tests.support.slack_fake.api import BOT_TOKEN, TEAM_ID, Fault

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
CHART = Attachment("pulse.png", PNG, "image/png", alt_text="Bar chart: week 2, 4.2 of 5")
MSG = message(Section("Pulse for circle"), attachment=CHART)


def messenger(api) -> SlackMessenger:
    return SlackMessenger(build_client(BOT_TOKEN, api.base_url.rstrip("/")))


async def test_a_file_is_uploaded_into_the_dm_with_its_alt_text_after_the_message(fake_api):
    ref = await messenger(fake_api).send(TEAM_ID, Target(user_id="U1"), MSG)
    methods = [c.method for c in fake_api.calls]
    assert methods == ["conversations.open", "chat.postMessage", "files.getUploadURLExternal",
                       "files.completeUploadExternal"]
    [url] = fake_api.bodies("files.getUploadURLExternal")
    assert url["alt_txt"] == "Bar chart: week 2, 4.2 of 5" and int(url["length"]) == len(PNG)
    [shared] = fake_api.shared_files
    assert shared["channel"] == "DU1" and shared["data"] == PNG
    assert shared["filename"] == "pulse.png"
    assert ref.startswith("DU1:")


async def test_a_text_file_carries_no_alt_text_and_long_alt_text_is_cut(fake_api):
    ics = Attachment("session.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    await messenger(fake_api).send(TEAM_ID, Target(channel_id="C9"), message(
        Section("Session"), attachment=ics))
    long = Attachment("a.png", PNG, "image/png", alt_text="figure " * 400)
    await messenger(fake_api).send(TEAM_ID, Target(channel_id="C9"), message(
        Section("x"), attachment=long))
    first, second = fake_api.bodies("files.getUploadURLExternal")
    assert "alt_txt" not in first
    assert len(second["alt_txt"]) <= 1000 and second["alt_txt"].endswith("…")
    assert fake_api.shared_files[0]["data"] == ics.data


async def test_a_failed_upload_is_retried_without_posting_the_text_again(fake_api):
    slack = messenger(fake_api)
    fake_api.fail("files.completeUploadExternal", Fault(error="internal_error"))
    with pytest.raises(TransientDeliveryError):
        await slack.send_keyed(TEAM_ID, Target(user_id="U1"), MSG, "row-1")
    ref = await slack.send_keyed(TEAM_ID, Target(user_id="U1"), MSG, "row-1")
    assert len(fake_api.bodies("chat.postMessage")) == 1
    assert len(fake_api.shared_files) == 1 and fake_api.shared_files[0]["data"] == PNG
    assert ref.startswith("DU1:")
    await slack.send_keyed(TEAM_ID, Target(user_id="U1"), MSG, "row-2")  # another row posts
    assert len(fake_api.bodies("chat.postMessage")) == 2


async def test_an_upload_url_that_refuses_the_bytes_is_a_transient_error(fake_api):
    fake_api.fail("upload", Fault(status=500), times=2)  # slack_sdk retries a 5xx once
    with pytest.raises(TransientDeliveryError):
        await messenger(fake_api).send(TEAM_ID, Target(channel_id="C9"), MSG)
    assert fake_api.bodies("files.completeUploadExternal") == []


async def test_a_file_to_a_conversation_slack_refuses_is_undeliverable(fake_api):
    fake_api.fail("files.getUploadURLExternal", Fault(error="channel_not_found"))
    with pytest.raises(Undeliverable):
        await messenger(fake_api).send(TEAM_ID, Target(channel_id="C9"), MSG)


async def test_the_one_delivery_path_delivers_a_queued_file_to_slack(fake_api, assembly):
    ctx = assembly.ctx
    ctx.members.ensure_workspace(TEAM_ID, "slack")
    with ctx.db.atomic():
        ctx.outbox.enqueue(TEAM_ID, "r1", Target(user_id="U1"), MSG)
    fake_api.fail("files.completeUploadExternal", Fault(error="internal_error"))

    async def no_sleep(seconds):
        pass

    deliverer = Deliverer(ctx.outbox, ctx.members, messenger(fake_api), ctx.clock,
                          sleep=no_sleep)
    stats = await deliverer.drain_once()
    assert stats.retried == 1
    ctx.clock.advance(timedelta(hours=1))
    stats = await deliverer.drain_once()
    assert stats.sent == 1
    assert len(fake_api.bodies("chat.postMessage")) == 1
    assert [f["data"] for f in fake_api.shared_files] == [PNG]
    assert ctx.outbox.status_counts(TEAM_ID) == {"sent": 1}
