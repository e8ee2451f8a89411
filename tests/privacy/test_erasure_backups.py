"""Backups taken before an erasure: a restore erases the person again before anyone uses it.

The attack: Quinn uses everything (tests/privacy/test_erasure_canary.py), the operator
takes a backup, Quinn runs forget-me, then the operator restores the backup, by
`peerbot db restore` or by copying the file back by hand and starting peerbot. The same
canary search as the erasure test (every column of every table, the database file, its
-wal and -shm) must find nothing. Neighbours: a backup taken after the erasure, a member
who came back after erasing (their new data must survive a restore of a later backup),
two erasures of which one concerns someone the backup never knew, restoring twice, a
missing key, a damaged ledger, and what the ledger itself holds.
"""

from __future__ import annotations

import asyncio
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.model import Actor
from bot.privacy.ledger import ledger_path
from bot.store.db import open_database
from bot.store.tools import backup
from tests.privacy.test_erasure_canary import (
    NEEDLES,
    QUINN,
    files,
    forget,
    hits_in_files,
    hits_in_tables,
    quinn,
    quinns_world,
    use_everything,
)
from tests.support.world import WS


@pytest.fixture
def world(tmp_path):
    return quinns_world(tmp_path)


def cli(world, tmp_path: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    config = tmp_path / "restore.toml"
    config.write_text(f'[bot]\nplatform = "console"\ndatabase = "{world.settings.bot.database}"\n')
    out, err = io.StringIO(), io.StringIO()
    saved, sys.stderr = sys.stderr, err
    try:
        code = main(["--config", str(config), *args], stdout=out, env={},
                    stdin=io.StringIO(stdin) if stdin is not None else None)
    finally:
        sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def take_backup(world, path: Path) -> Path:
    backup(world.settings.bot.database, path, io.StringIO())
    return path


def restored_hits(world) -> tuple[list, dict[str, int]]:
    db = open_database(world.settings.bot.database, migrate=False)
    try:
        in_tables = hits_in_tables(db)
    finally:
        db.close()
    return in_tables, hits_in_files(*files(world))


async def test_restoring_a_backup_from_before_the_erasure_erases_her_again(world, tmp_path):
    await use_everything(world)
    before = take_backup(world, tmp_path / "before.sqlite")
    assert sum(hits_in_files(before).values()) > 0  # the backup really holds her
    assert "erased" in await forget(world)
    world.db.close()
    code, out, err = cli(world, tmp_path, "db", "restore", str(before))
    assert code == 0, err
    assert "re-applied 1 erasure(s) recorded after this backup was taken" in out
    assert "1 found someone to erase" in out
    in_tables, in_files = restored_hits(world)
    assert in_tables == []
    assert in_files == {"peerbot.sqlite": 0, "peerbot.sqlite-wal": 0, "peerbot.sqlite-shm": 0}
    kept = [p for p in tmp_path.iterdir() if ".pre-restore-" in p.name]
    assert len(kept) == 1 and sum(hits_in_files(*kept).values()) == 0
    # The backup file itself is the operator's: it still holds her until deleted (stated).
    assert sum(hits_in_files(before).values()) > 0


async def test_the_others_data_survives_the_re_erasure(world, tmp_path):
    await use_everything(world)
    before = take_backup(world, tmp_path / "before.sqlite")
    await forget(world)
    world.db.close()
    assert cli(world, tmp_path, "db", "restore", str(before))[0] == 0
    db = open_database(world.settings.bot.database)
    try:
        people = {r[0] for r in db.execute("SELECT user_id FROM members")}
        assert {"alice", "bob", "carol", "dan", "fran"} <= people and QUINN not in people
        # alice's don't-pair entry about her still protects alice, under the pseudonym
        assert db.execute("SELECT count(*) FROM pairing_conflicts WHERE user_id = 'alice'"
                          " AND other_id LIKE 'erased:%'").fetchone()[0] == 1
    finally:
        db.close()


async def test_restoring_twice_or_a_backup_taken_after_the_erasure_re_applies_nothing(
        world, tmp_path):
    await use_everything(world)
    before = take_backup(world, tmp_path / "before.sqlite")
    await forget(world)
    after = take_backup(world, tmp_path / "after.sqlite")
    world.db.close()
    code, out, _ = cli(world, tmp_path, "db", "restore", str(after))
    assert code == 0 and "re-applied 0 erasures" in out
    assert "re-applied 1 erasure(s)" in cli(world, tmp_path, "db", "restore", str(before))[1]
    again = take_backup(world, tmp_path / "again.sqlite")
    assert "re-applied 0 erasures" in cli(world, tmp_path, "db", "restore", str(again))[1]


async def test_a_member_who_came_back_keeps_what_she_did_since(world, tmp_path):
    """Her erasure is not applied to a backup taken after she returned: that backup has
    already seen it. A backup from before the erasure still loses her old data."""
    await use_everything(world)
    before = take_backup(world, tmp_path / "before.sqlite")
    await forget(world)
    members = world.ctx.members
    actor = Actor(WS, QUINN, "Quinnella Zephyrine")
    with world.db.atomic():
        members.ensure_member(actor)
        members.record_consent(actor)
    await quinn(world, "pair join")
    returned = take_backup(world, tmp_path / "returned.sqlite")
    world.db.close()
    code, out, _ = cli(world, tmp_path, "db", "restore", str(returned))
    assert code == 0 and "re-applied 0 erasures" in out
    db = open_database(world.settings.bot.database)
    assert db.execute("SELECT count(*) FROM members WHERE user_id = ?", [QUINN]).fetchone()[0]
    db.close()
    code, out, _ = cli(world, tmp_path, "db", "restore", str(before))
    assert "re-applied 1 erasure(s)" in out
    assert restored_hits(world)[0] == []


async def test_an_erasure_of_someone_the_backup_never_knew_is_counted_not_guessed(
        world, tmp_path):
    await use_everything(world)
    before = take_backup(world, tmp_path / "before.sqlite")
    late = Actor(WS, "ULATE1", "Late Comer")
    with world.db.atomic():
        world.ctx.members.ensure_member(late)
        world.ctx.members.record_consent(late)
    await forget(world)
    from bot.privacy.erasure import PrivacyService
    with world.db.atomic():
        PrivacyService(world.db, world.clock, world.core.router.data_owners).erase(WS, "ULATE1")
    world.db.close()
    code, out, _ = cli(world, tmp_path, "db", "restore", str(before))
    assert code == 0
    assert "re-applied 2 erasure(s)" in out and "1 found someone" in out
    assert "1 had nothing left to erase" in out


async def test_a_backup_copied_back_by_hand_is_erased_again_at_the_next_start(world, tmp_path):
    await use_everything(world)
    before = take_backup(world, tmp_path / "before.sqlite")
    await forget(world)
    world.db.close()
    live = Path(world.settings.bot.database)
    for path in files(world):
        path.unlink(missing_ok=True)
    shutil.copyfile(before, live)  # no `peerbot db restore`: a plain copy
    code, _, err = await asyncio.to_thread(cli, world, tmp_path, "run", stdin="quit\n")
    assert code == 0, err
    in_tables, in_files = restored_hits(world)
    assert in_tables == [] and sum(in_files.values()) == 0


async def test_the_ledger_is_private_and_names_nobody(world, tmp_path):
    await use_everything(world)
    await forget(world)
    path = ledger_path(world.db)
    assert path == Path(world.settings.bot.database + ".erasures")
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text()
    assert not [n for n in NEEDLES if n in text]
    (line,) = [json.loads(x) for x in text.splitlines()]
    assert set(line) == {"id", "workspace", "who", "at"} and line["who"].startswith("erased:")
    seen = world.db.execute("SELECT entry FROM privacy_erasures").fetchall()
    assert seen == [(line["id"],)]


async def test_without_the_key_the_restore_refuses_and_changes_nothing(world, tmp_path):
    await use_everything(world)
    before = take_backup(world, tmp_path / "before.sqlite")
    await forget(world)
    world.db.close()
    Path(world.settings.bot.database + ".key").rename(tmp_path / "elsewhere.key")
    code, _, err = cli(world, tmp_path, "db", "restore", str(before))
    assert code == 2 and "needs its key" in err and "put back" in err
    assert restored_hits(world) == ([], {"peerbot.sqlite": 0, "peerbot.sqlite-wal": 0,
                                         "peerbot.sqlite-shm": 0})


async def test_a_damaged_ledger_refuses_but_a_torn_last_line_is_ignored(world, tmp_path):
    await use_everything(world)
    before = take_backup(world, tmp_path / "before.sqlite")
    await forget(world)
    world.db.close()
    path = Path(world.settings.bot.database + ".erasures")
    good = path.read_text()
    path.write_text(good + '{"id": "torn')  # a crash mid-append
    code, out, _ = cli(world, tmp_path, "db", "restore", str(before))
    assert code == 0 and "re-applied 1 erasure(s)" in out
    path.write_text("garbage\n" + good)
    code, _, err = cli(world, tmp_path, "db", "restore", str(before))
    assert code == 2 and "line 1 is damaged" in err
