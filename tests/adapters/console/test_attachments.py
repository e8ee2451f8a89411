"""Files on the console: a line naming the file, its size and alt text; a text file in
full; and with ``[console] save_files`` the bytes saved, never over an earlier file."""

from __future__ import annotations

import io

from adapters.console.messenger import ConsoleMessenger
from adapters.console.render import render
from bot.core.model import Attachment, Section, Target, message

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
CHART = Attachment("pulse.png", PNG, "image/png", alt_text="Bar chart: week 2, 4.2 of 5")


def test_a_binary_file_is_a_line_with_name_size_and_alt_text_never_its_bytes():
    text = render(message(Section("Pulse for circle"), attachment=CHART))
    assert "[attachment: pulse.png, 2.0 KB, Bar chart: week 2, 4.2 of 5]" in text
    assert "PNG" not in text.replace("pulse.png", "")
    assert "Pulse for circle" in text


def test_a_text_file_is_named_and_shown_in_full():
    ics = Attachment("s.ics", "BEGIN:VCALENDAR\nEND:VCALENDAR\n", "text/calendar")
    text = render(message(Section("Session"), attachment=ics))
    assert "[attachment: s.ics, 30 bytes]" in text and "BEGIN:VCALENDAR" in text


async def test_files_are_saved_under_the_folder_without_overwriting(tmp_path):
    out = io.StringIO()
    console = ConsoleMessenger(out, save_dir=tmp_path / "files")
    for _ in range(2):
        await console.send("W", Target(user_id="alice"), message(Section("x"), attachment=CHART))
    assert (tmp_path / "files" / "pulse.png").read_bytes() == PNG
    assert (tmp_path / "files" / "pulse-2.png").read_bytes() == PNG
    assert f"(saved to {tmp_path / 'files' / 'pulse-2.png'})" in out.getvalue()


async def test_without_a_folder_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    await ConsoleMessenger(out).send("W", Target(user_id="alice"),
                                     message(Section("x"), attachment=CHART))
    assert list(tmp_path.iterdir()) == [] and "saved to" not in out.getvalue()


def test_the_console_saves_a_reply_file_when_configured(run_console, settings, tmp_path):
    folder = tmp_path / "saved"
    cfg = settings.model_copy(update={"console": settings.console.model_copy(
        update={"save_files": str(folder)})})
    out = run_console("as newcomer\n/peer profile\npress 1\n/peer export\nquit\n", config=cfg)
    assert "[attachment: peerbot-export-" in out
    [saved] = folder.iterdir()
    assert saved.name.startswith("peerbot-export-") and b'"country"' in saved.read_bytes()
