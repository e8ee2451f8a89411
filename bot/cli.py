"""The command line: `peerbot run | doctor | db backup|check|restore|migrate|vacuum |
discord invite|commands`, and `peerbot --version`.

Exit status 0 on success, 2 for a problem the operator must fix (config, database,
missing token), each reported as one clear sentence on stderr.
"""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path
from typing import TextIO

from bot.core.config import ConfigError, Secrets, Settings, load_config
from bot.core.logsafe import configure_logging
from bot.store.db import StoreError

EXIT_USAGE = 2


def version() -> str:
    """The installed package's version (pyproject.toml), not a second copy of it."""
    try:
        return metadata.version("peerbot")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="peerbot", description="A peer-support companion for clinicians' teams."
    )
    parser.add_argument("--version", action="version", version=f"peerbot {version()}")
    parser.add_argument("--config", type=Path, default=None,
                        help="config file (default $PEERBOT_CONFIG or ./peerbot.toml; "
                             "built-in defaults if absent)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (the console only when asked, or at a terminal "
                              "with no platform token)")
    doctor = sub.add_parser("doctor", help="check config, database and tokens; print what "
                                           "would run")
    doctor.add_argument("--json", action="store_true", help="one JSON document instead of text")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    backup = db_sub.add_parser("backup", help="online backup, safe while the bot runs")
    backup.add_argument("path", type=Path)
    db_sub.add_parser("check", help="integrity check and migration status")
    restore = db_sub.add_parser("restore", help="replace the database with a checked backup "
                                                "(refuses while the bot runs)")
    restore.add_argument("path", type=Path)
    migrate = db_sub.add_parser("migrate", help="apply pending migrations now")
    migrate.add_argument("--dry-run", action="store_true", help="list them; change nothing")
    db_sub.add_parser("vacuum", help="compact the database file (stop the bot first)")
    discord = sub.add_parser("discord", help="Discord helpers")
    discord_sub = discord.add_subparsers(dest="discord_command", required=True)
    discord_sub.add_parser("invite", help="print the bot's invite URL")
    discord_sub.add_parser("commands", help="print the command table for docs/discord.md")
    for name in ("run", "doctor"):
        sub.choices[name].add_argument("--config", type=Path, default=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None,
         stdout: TextIO | None = None, env: dict[str, str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out = stdout or sys.stdout
    secrets = Secrets.from_env(env)
    try:
        settings, config_path = load_config(args.config, env)
        configure_logging(settings.bot.log_level, settings.logging.format, secrets.values())
        if args.command == "run":
            from bot.runtime import run

            return run(settings, secrets, stdin=stdin, stdout=out)
        if args.command == "doctor":
            from bot.doctor import doctor

            return doctor(settings, secrets, config_path, out, version=version(),
                          as_json=args.json, interactive=(stdin or sys.stdin).isatty())
        if args.command == "db":
            return _db(args, settings, out)
        if args.command == "discord":
            if args.discord_command == "commands":
                return _discord_commands(settings, out)
            return _discord_invite(settings, out)
    except (ConfigError, StoreError) as exc:
        print(f"peerbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _db(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from bot.store import maintenance, tools

    database = settings.bot.database
    if args.db_command == "backup":
        return tools.backup(database, args.path, out)
    if args.db_command == "restore":
        return maintenance.restore(database, args.path, out, after=_reerase)
    if args.db_command == "migrate":
        return maintenance.migrate(database, out, dry_run=args.dry_run)
    if args.db_command == "vacuum":
        return maintenance.vacuum(database, out)
    return tools.check(database, out)


def _reerase(database: Path) -> list[str]:
    """Erasures made after the backup was taken, applied again before anyone uses it."""
    from bot.core.clock import SystemClock
    from bot.privacy.jobs import reerase
    from bot.runtime import build_router

    return reerase(database, SystemClock(), build_router().data_owners)


def _discord_invite(settings: Settings, out: TextIO) -> int:
    if not settings.discord.application_id:
        raise ConfigError(
            "config error: 'discord.application_id' = 0: expected your Discord application id "
            "(Developer Portal > your app > General Information)"
        )
    try:
        from adapters.discord import invite_url
    except ImportError as exc:  # pragma: no cover - adapter not installed
        raise ConfigError(f"the Discord adapter is unavailable: {exc}") from None
    print(invite_url(settings.discord.application_id), file=out)
    return 0


def _discord_commands(settings: Settings, out: TextIO) -> int:
    """The Discord command map, from the commands the topics register today."""
    from adapters.discord.docs import command_block
    from bot.runtime import build_router

    print(command_block(build_router().commands(), settings.bot.command_name), file=out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
