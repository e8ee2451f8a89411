"""`peerbot db migrate [--dry-run]`, `db vacuum`, the newer-version refusal, `doctor --json`."""

from __future__ import annotations

import io
import json
import sqlite3

from bot.cli import main
from bot.store.db import known_migrations, open_database


def config(tmp_path, platform: str = "console") -> str:
    path = tmp_path / "peerbot.toml"
    path.write_text(f'[bot]\nplatform = "{platform}"\ndatabase = "{tmp_path / "p.sqlite"}"\n')
    return str(path)


def run(tmp_path, *args: str, env: dict[str, str] | None = None, stdin: str = "quit\n"):
    out = io.StringIO()
    code = main(["--config", config(tmp_path), *args], stdout=out, env=env or {},
                stdin=io.StringIO(stdin))
    return code, out.getvalue()


def applied(tmp_path) -> list[str]:
    conn = sqlite3.connect(tmp_path / "p.sqlite")
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def test_dry_run_lists_every_migration_and_changes_nothing(tmp_path):
    code, out = run(tmp_path, "db", "migrate", "--dry-run")
    assert code == 0
    assert f"{len(known_migrations())} migration(s) would be applied" in out
    assert known_migrations()[0] in out and "nothing was changed" in out
    assert applied(tmp_path) == []


def test_migrate_applies_then_is_a_no_op(tmp_path):
    code, out = run(tmp_path, "db", "migrate")
    assert code == 0 and applied(tmp_path) == known_migrations()
    code, out = run(tmp_path, "db", "migrate")
    assert "0 migration(s) applied (already up to date)" in out
    code, out = run(tmp_path, "db", "migrate", "--dry-run")
    assert "0 migration(s) would be applied" in out


def test_vacuum_returns_the_space_of_deleted_rows(tmp_path):
    db = open_database(tmp_path / "p.sqlite")
    db.execute("INSERT INTO workspaces (id, platform, created_at) VALUES ('T', 'slack', 'x')")
    db.conn.executemany(
        "INSERT INTO audit_log (workspace_id, at, actor_id, action, detail) "
        "VALUES ('T', 'x', 'u', 'a', ?)", [("y" * 500,) for _ in range(3000)])
    db.conn.commit()
    db.execute("DELETE FROM audit_log")
    db.conn.commit()
    db.close()
    code, out = run(tmp_path, "db", "vacuum")
    assert code == 0
    before, after = (int(n.replace(",", "")) for n in
                     out.split(": ")[1].split(" bytes")[0].split(" -> "))
    assert after < before / 4, out
    assert run(tmp_path, "db", "check")[0] == 0


def plant_future(tmp_path) -> None:
    run(tmp_path, "db", "migrate")
    conn = sqlite3.connect(tmp_path / "p.sqlite")
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('peerbot', '9901_next_year', 'x')")
    conn.commit()
    conn.close()


def test_the_bot_refuses_a_database_from_a_newer_version(tmp_path, capsys):
    plant_future(tmp_path)
    before = (tmp_path / "p.sqlite").read_bytes()
    code, _ = run(tmp_path, "run")
    assert code == 2
    err = capsys.readouterr().err
    assert "written by a newer peerbot" in err and "9901_next_year" in err
    assert err.count("\n") == 1
    for command in (["db", "migrate"], ["db", "migrate", "--dry-run"], ["db", "vacuum"]):
        assert run(tmp_path, *command)[0] == 2
    assert (tmp_path / "p.sqlite").read_bytes() == before
    assert run(tmp_path, "db", "backup", str(tmp_path / "copy.sqlite"))[0] == 0  # still copyable


def test_doctor_json_is_one_document_without_secret_values(tmp_path):
    env = {"SLACK_BOT_TOKEN": "xoxb-1111-2222-abcdefghijklmnop", "PEERBOT_BOT__PLATFORM": "slack"}
    code, out = run(tmp_path, "doctor", "--json", env=env)
    document = json.loads(out)
    assert code == 2 and document["ok"] is False
    names = {c["name"]: c for c in document["checks"]}
    assert set(names) == {"config", "database", "crisis directory", "platform"}
    assert "SLACK_APP_TOKEN" in names["platform"]["detail"] and not names["platform"]["ok"]
    assert document["would_run"]["platform"] == "slack"
    assert document["would_run"]["tokens_present"] == ["SLACK_BOT_TOKEN"]
    assert "xoxb-1111" not in out
    from importlib import metadata

    assert document["version"] == metadata.version("peerbot")


def test_doctor_json_ok_for_the_console(tmp_path):
    code, out = run(tmp_path, "doctor", "--json")
    document = json.loads(out)
    assert code == 0 and document["ok"] is True
    assert all(c["ok"] for c in document["checks"])


def test_doctor_fails_auto_without_tokens_or_terminal(tmp_path):
    path = tmp_path / "peerbot.toml"
    path.write_text(f'[bot]\ndatabase = "{tmp_path / "p.sqlite"}"\n')
    out = io.StringIO()
    assert main(["--config", str(path), "doctor"], stdout=out, env={},
                stdin=io.StringIO("")) == 2
    assert "[FAIL] platform: platform 'auto' found no platform token" in out.getvalue()
