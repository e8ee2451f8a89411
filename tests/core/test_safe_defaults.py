"""Safe defaults: the console (and its demo members) only when someone asked for it.

An operator's typo in a unit file must not turn a production start into a demo that
writes six invented people into the team's database and exits 0.
"""

from __future__ import annotations

import io
import sqlite3

import pytest

from bot.cli import main
from bot.core.config import ConfigError, Secrets, Settings
from bot.runtime import select_platform


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, as a person's shell is."""

    def isatty(self) -> bool:
        return True


def config(tmp_path, platform: str = "auto", extra: str = "") -> str:
    path = tmp_path / "peerbot.toml"
    path.write_text(f'[bot]\nplatform = "{platform}"\ndatabase = "{tmp_path / "p.sqlite"}"\n'
                    f'[console]\nstart = "2026-01-05T08:00:00+00:00"\n{extra}')
    return str(path)


def members(tmp_path) -> list[str]:
    conn = sqlite3.connect(tmp_path / "p.sqlite")
    try:
        return [r[0] for r in conn.execute("SELECT user_id FROM members ORDER BY user_id")]
    finally:
        conn.close()


def test_auto_without_tokens_or_terminal_exits_2_naming_the_variables(tmp_path, capsys):
    code = main(["--config", config(tmp_path), "run"], stdin=io.StringIO("quit\n"), env={})
    assert code == 2
    err = capsys.readouterr().err
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN"):
        assert name in err
    assert err.count("\n") == 1  # one sentence
    assert not (tmp_path / "p.sqlite").exists()  # nothing was created, let alone seeded


def test_auto_with_a_terminal_and_no_tokens_is_the_console(tmp_path):
    out = io.StringIO()
    code = main(["--config", config(tmp_path), "run"], stdin=Terminal("quit\n"), stdout=out,
                env={})
    assert code == 0
    assert "console workspace" in out.getvalue()
    assert "fran" in members(tmp_path)


def test_auto_with_a_token_never_falls_back_to_the_console():
    secrets = Secrets(discord_token="x" * 10)
    assert select_platform(Settings(), secrets, interactive=True) == "discord"
    secrets = Secrets(slack_bot_token="xoxb-1", discord_token="x")
    assert select_platform(Settings(), secrets, interactive=False) == "slack"


@pytest.mark.parametrize("interactive", [True, False])
def test_an_explicit_platform_is_kept_with_or_without_a_terminal(interactive):
    settings = Settings.model_validate({"bot": {"platform": "console"}})
    assert select_platform(settings, Secrets(), interactive=interactive) == "console"
    settings = Settings.model_validate({"bot": {"platform": "slack"}})
    assert select_platform(settings, Secrets(), interactive=interactive) == "slack"


def test_auto_without_a_terminal_is_a_config_error_not_a_guess():
    with pytest.raises(ConfigError, match="no platform token and no terminal"):
        select_platform(Settings(), Secrets(), interactive=False)


def test_the_demo_is_seeded_into_a_new_console_database(tmp_path):
    out = io.StringIO()
    assert main(["--config", config(tmp_path, "console"), "run"], stdin=io.StringIO("quit\n"),
                stdout=out, env={}) == 0
    assert members(tmp_path) == ["alice", "bob", "carol", "dan", "erin", "fran"]


def seed_platform_workspace(tmp_path, platform: str = "slack") -> None:
    from bot.store.db import open_database

    db = open_database(tmp_path / "p.sqlite")
    db.execute("INSERT INTO workspaces (id, platform, created_at) VALUES ('T1', ?, 'x')",
               [platform])
    db.execute("INSERT INTO members (workspace_id, user_id, created_at) VALUES ('T1', 'U1', 'x')")
    db.conn.commit()
    db.close()


def test_the_demo_never_enters_a_database_with_a_slack_workspace(tmp_path, caplog):
    seed_platform_workspace(tmp_path)
    out = io.StringIO()
    assert main(["--config", config(tmp_path, "console"), "run"],
                stdin=io.StringIO("/peer help\nquit\n"), stdout=out, env={}) == 0
    # alice is the console's own person typing; no demo group, no other demo member
    assert not {"bob", "carol", "dan", "erin", "fran"} & set(members(tmp_path))
    conn = sqlite3.connect(tmp_path / "p.sqlite")
    assert conn.execute("SELECT count(*) FROM peer_groups").fetchone()[0] == 0
    conn.close()
    assert "demo group not added" in caplog.text


def test_the_demo_is_not_seeded_into_an_existing_console_database(tmp_path):
    """A database that existed before this run (made by `peerbot db migrate`, a restore,
    or a console run with the demo off) is somebody's: the demo stays out."""
    assert main(["--config", config(tmp_path), "db", "migrate"], stdout=io.StringIO(),
                env={}) == 0
    assert (tmp_path / "p.sqlite").exists()
    out = io.StringIO()
    assert main(["--config", config(tmp_path, "console"), "run"], stdin=io.StringIO("quit\n"),
                stdout=out, env={}) == 0
    assert members(tmp_path) == []


def test_a_second_console_run_keeps_its_demo_without_adding_twice(tmp_path):
    for _ in range(2):
        assert main(["--config", config(tmp_path, "console"), "run"],
                    stdin=io.StringIO("quit\n"), stdout=io.StringIO(), env={}) == 0
    assert members(tmp_path) == ["alice", "bob", "carol", "dan", "erin", "fran"]


def test_version_prints_the_package_version(capsys):
    from importlib import metadata

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"peerbot {metadata.version('peerbot')}"
