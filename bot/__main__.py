"""`python -m bot` is the same as the `peerbot` command."""

from bot.cli import main

raise SystemExit(main())
