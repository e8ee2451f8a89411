"""The Slack adapter's front door: what happens to a request before slack-bolt reads it.

In this order, each step cheap and before any parsing: a body over
:data:`MAX_BODY_BYTES` is refused (413) without being read further; the signature and
timestamp are checked on the raw bytes (401); the body must be UTF-8 (400); only then
is it parsed, and a body that cannot be parsed (bad JSON, nesting too deep for the
parser, a payload that is not an object) is refused (400). Nothing is logged about a
refused request except one fixed line per interval with counts by reason
(:class:`RejectLog`): never its body, signature or headers, so an unauthenticated
client cannot write members' words (a request whose signature failed after a secret
rotation still carries them) or gigabytes into the log.

slack-bolt's own verification is switched off because it logs the whole body of a
failed request at INFO; :meth:`Door.middleware` takes its place inside the app, for
requests handed to the app directly, and also refuses a request from a Slack team the
bot does not serve (403), before the core could create a tenant for it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from adapters.slack import inbound

log = logging.getLogger("peerbot.slack.door")

# Slack's requests are small; the largest (a block_actions payload carrying a long
# message) stay well under this. Larger bodies are refused before being read.
MAX_BODY_BYTES = 512 * 1024
# Slack's own replay window: a timestamp further than this from now is refused.
MAX_AGE_SECONDS = 5 * 60
REJECT_LOG_INTERVAL = 60.0


def _status(status: int, text: str) -> BoltResponse:
    return BoltResponse(status=status, body=json.dumps({"error": text}),
                        headers={"content-type": "application/json"})


class RejectLog:
    """At most one log line per ``interval`` about refused requests, with counts only.

    The first refusal is logged at once (an operator whose signing secret is wrong
    needs to know); later ones are counted and summarised in the next line.
    """

    def __init__(self, interval: float = REJECT_LOG_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self.counts: Counter[str] = Counter()
        self.last: float | None = None

    def note(self, reason: str) -> None:
        self.counts[reason] += 1
        now = self.clock()
        if self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        summary = ", ".join(f"{reason} {n}" for reason, n in sorted(self.counts.items()))
        log.warning("refused %s Slack request(s) (%s); bodies are never logged",
                    sum(self.counts.values()), summary)
        self.counts.clear()


OBJECTS = ("view", "event", "container", "message", "team", "enterprise", "channel", "user",
           "state", "selected_option")
LISTS = ("actions", "authorizations")
STRINGS = ("type", "command", "callback_id", "action_id", "block_id", "id", "team_id",
           "user_id", "channel_id", "enterprise_id", "trigger_id", "api_app_id")


def shape_ok(body: Any, depth: int = 0) -> bool:
    """The parts slack-bolt reads to route a request have the types Slack gives them.

    bolt reads ``team.id``, ``actions[0].action_id``, ``view.callback_id`` and the like
    before any listener runs, so a signed but malformed payload (``"actions": "x"``,
    ``"view": "x"``) would otherwise end in a 500 from inside the library. Checked on the
    top level and one level down, where bolt looks.
    """
    if not isinstance(body, dict):
        return False
    for key in OBJECTS:
        if key in body and not isinstance(body[key], dict) and not (
            key in ("user", "channel") and isinstance(body[key], str)
        ):
            return False
    for key in LISTS:
        if key in body and not (isinstance(body[key], list) and body[key]
                                and all(isinstance(i, dict) for i in body[key])):
            return False
    for key in STRINGS:
        if key in body and not isinstance(body[key], str):
            return False
    if depth == 0:
        children = [body[k] for k in OBJECTS if isinstance(body.get(k), dict)]
        children += [i for k in LISTS for i in body.get(k) or []]
        return all(shape_ok(child, 1) for child in children)
    return True


def _header(headers: Mapping[str, Any], name: str) -> str:
    value = headers.get(name) or headers.get(name.title()) or ""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value)


class Door:
    """Checks a raw Slack request and hands what passes to the bolt app."""

    def __init__(self, signing_secret: str, *, team_ids: tuple[str, ...] = (),
                 now: Callable[[], float] = time.time, rejects: RejectLog | None = None) -> None:
        # Socket Mode has no signing secret (its socket is authenticated); then every
        # HTTP request is refused, since none can be verified.
        self.secret = signing_secret.encode("utf-8")
        self.now = now
        self.team_ids = frozenset(team_ids)
        self.rejects = rejects or RejectLog()

    # ---- before parsing -------------------------------------------------------------

    def refuse_unsigned(self, raw: bytes, headers: Mapping[str, Any]) -> BoltResponse | None:
        """401 unless the body carries a valid, fresh Slack signature; None when it does."""
        stamp = _header(headers, "x-slack-request-timestamp")
        signature = _header(headers, "x-slack-signature")
        if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
            self.rejects.note("no timestamp")
            return _status(401, "invalid request")
        if abs(self.now() - int(stamp)) > MAX_AGE_SECONDS:
            self.rejects.note("stale timestamp")
            return _status(401, "invalid request")
        if not self._signed(raw, stamp, signature):
            self.rejects.note("bad signature")
            return _status(401, "invalid request")
        return None

    def _signed(self, raw: bytes, stamp: str, signature: str) -> bool:
        """Slack's v0 signature, over the raw bytes (slack_sdk's verifier decodes them as
        UTF-8 first, and raises on a body that is not)."""
        if not self.secret:
            return False
        mac = hmac.new(self.secret, b"v0:" + stamp.encode("ascii") + b":" + raw, hashlib.sha256)
        return hmac.compare_digest(f"v0={mac.hexdigest()}", signature)

    async def receive(self, app: Any, raw: bytes, headers: Mapping[str, Any],
                      query: str = "") -> BoltResponse:
        """A whole request, from raw bytes to the app's response."""
        if len(raw) > MAX_BODY_BYTES:
            self.rejects.note("too large")
            return _status(413, "request too large")
        refused = self.refuse_unsigned(raw, headers)
        if refused is not None:
            return refused
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.rejects.note("not UTF-8")
            return _status(400, "bad request")
        try:
            request = AsyncBoltRequest(body=body, query=query, headers=dict(headers))
            if not shape_ok(request.body):
                raise ValueError("not the shape of a Slack request")
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
            self.rejects.note("unreadable body")
            return _status(400, "bad request")
        try:
            return await app.async_dispatch(request)
        except Exception as exc:  # a payload shape the app cannot handle: refuse, calmly
            self.rejects.note(f"unhandled shape ({type(exc).__name__})")
            return _status(400, "bad request")

    # ---- inside the app -------------------------------------------------------------

    async def middleware(self, req: AsyncBoltRequest, resp: BoltResponse,
                         next_: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:
        """Verify (HTTP mode) and refuse other teams, inside the bolt app."""
        if req.mode != "socket_mode":
            refused = self.refuse_unsigned(req.raw_body.encode("utf-8"), req.headers)
            if refused is not None:
                return refused
        if not isinstance(req.body, dict) or not shape_ok(req.body):
            self.rejects.note("unreadable body")
            return _status(400, "bad request")
        if req.body.get("type") != "url_verification":
            team = inbound.team_id(req.body)
            allowed = set(self.team_ids)
            result = req.context.authorize_result
            if result is not None and result.team_id:
                allowed.add(str(result.team_id))
            if result is not None and result.enterprise_id:
                allowed.add(str(result.enterprise_id))
            if allowed and team not in allowed:
                self.rejects.note("unknown team")
                return _status(403, "this app does not serve that workspace")
        await next_()
        return None
