"""Mentoring through the real discord.py client: `/peer mentor join` answers with the
mentoring form as a modal, and submitting it saves the profile (against the loopback
fake Discord)."""

from __future__ import annotations

from tests.adapters.discord.test_e2e_resources import ALICE, _assembly, _submit
from tests.support.discord_fake.flow import consented, text_of
from tests.support.discord_fake.harness import fake_discord, feed, logged_in
from tests.support.discord_fake.payloads import group, slash, sub


async def test_the_mentoring_form_as_a_modal(make_settings, clock):
    assembly = _assembly(make_settings, clock)
    db = assembly.ctx.db
    try:
        async with fake_discord() as fake, logged_in(assembly) as ad:
            await consented(ad, fake, [group("group", sub("join", name="circle"))], **ALICE)
            before = len(fake.find("POST", r"/callback$"))
            feed(ad, slash("peer", [group("mentor", sub("join"))], **ALICE))
            modal = (await fake.wait_for("POST", r"/callback$", count=before + 1))[-1].json
            assert modal["type"] == 9 and modal["data"]["title"] == "Mentoring"
            rows = modal["data"]["components"]
            assert "forget-me" in rows[0]["content"]
            assert [r["component"]["custom_id"] for r in rows[1:]] == [
                "stage", "as", "topics", "capacity"]
            done = await _submit(ad, fake, modal, {
                "stage": ["mid"], "as": ["mentee"], "topics": "private practice",
                "capacity": []})
            assert "asking for a mentor on private practice" in text_of(done)
        assert db.execute("SELECT stage, role, topics FROM mentoring_profiles").fetchall() == [
            ("mid", "mentee", "private practice")]
    finally:
        db.close()
