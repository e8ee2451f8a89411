"""What the running bot counts, for ``/metrics`` (Prometheus text format).

One :class:`Metrics` per running bot, on its own ``CollectorRegistry`` (no process-wide
default registry: two bots in one test process never mix their numbers). Labels are
closed sets chosen by the code, never anything a member typed: a topic is the name of
the package whose handler ran, a job its registered id, the platform the configured one,
an outcome one of :data:`OUTCOMES`.

Counters and histograms are updated where the work happens (the dispatcher, the
scheduler, the messenger wrapper); the outbox states, the pairing rounds and the
database size are read from the database when scraped (:mod:`bot.monitoring`), so they
are right after a restart too.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from bot.core.model import Message, Target
from bot.core.ports import RateLimited, Undeliverable, WorkspaceUnavailable

# Seconds: Slack wants an acknowledgement within 3 s, Discord within 3 s too.
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
SEND_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
OUTCOMES = ("ok", "user_error", "busy", "error")


def topic_of(handler: Callable[..., object] | None) -> str:
    """``bot.checkins.commands.answer`` -> ``checkins``: a fixed module name, not input."""
    module = getattr(handler, "__module__", "") or ""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "bot" else "other"


class Metrics:
    def __init__(self, platform: str = "console") -> None:
        self.platform = platform
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.commands = Counter(
            "peerbot_commands", "Commands and button presses handled, by topic and outcome "
            "(ok, user_error: a clear reply to a bad input, busy: the database stayed locked, "
            "error: the sorry reply)",
            ["topic", "kind", "outcome"], registry=r)
        self.ack_seconds = Histogram(
            "peerbot_ack_seconds", "Time from an incoming command or button to its replies "
            "being ready for the platform's acknowledgement", ["kind"], buckets=ACK_BUCKETS,
            registry=r)
        self.send_seconds = Histogram(
            "peerbot_send_seconds", "Time of one platform send from the outbox",
            ["platform"], buckets=SEND_BUCKETS, registry=r)
        self.sends = Counter(
            "peerbot_sends", "Platform sends from the outbox by result (sent, rate_limited, "
            "undeliverable, unavailable, error)", ["platform", "result"], registry=r)
        self.rate_limited = Counter(
            "peerbot_rate_limited", "HTTP 429 answers from the platform", ["platform"],
            registry=r)
        self.job_runs = Counter(
            "peerbot_job_runs", "Scheduled job runs by job id and result", ["job", "result"],
            registry=r)
        self.job_seconds = Histogram(
            "peerbot_job_seconds", "Duration of a scheduled job run", ["job"], registry=r)
        self.events = Counter(
            "peerbot_events", "Incoming platform events handled (commands, buttons, home)",
            ["kind"], registry=r)
        self.started = Gauge("peerbot_start_time_seconds", "When this process started",
                             registry=r)
        self.started.set_to_current_time()

    def command(self, topic: str, kind: str, outcome: str) -> None:
        self.commands.labels(topic=topic, kind=kind, outcome=outcome).inc()

    @contextlib.contextmanager
    def acknowledging(self, kind: str) -> Iterator[None]:
        self.events.labels(kind=kind).inc()
        start = time.perf_counter()
        try:
            yield
        finally:
            self.ack_seconds.labels(kind=kind).observe(time.perf_counter() - start)

    def send(self, seconds: float, result: str) -> None:
        self.send_seconds.labels(platform=self.platform).observe(seconds)
        self.sends.labels(platform=self.platform, result=result).inc()
        if result == "rate_limited":
            self.rate_limited.labels(platform=self.platform).inc()

    def job(self, job_id: str, seconds: float, ok: bool) -> None:
        self.job_runs.labels(job=job_id, result="ok" if ok else "error").inc()
        self.job_seconds.labels(job=job_id).observe(seconds)


class MeasuredMessenger:
    """A Messenger that times each send and counts its result (429s by platform).

    It wraps the adapter's messenger rather than living in the deliverer, so delivery
    keeps one job; anything else the deliverer asks of a messenger (``find_delivered``,
    ``connected``) passes straight through.
    """

    def __init__(self, inner: object, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

    def __getattr__(self, name: str) -> object:
        found = getattr(self._inner, name)  # AttributeError when the platform lacks it
        if name in ("send_keyed", "edit", "send_reply"):  # sends too: measured the same way
            found = self._measured(found)
            setattr(self, name, found)  # wrapped once, not on every send
        return found

    def _measured(self, send: Callable[..., Awaitable[str]]) -> Callable[..., Awaitable[str]]:
        async def measured(*args: object, **kwargs: object) -> str:
            start = time.perf_counter()
            try:
                ref = await send(*args, **kwargs)
            except BaseException as exc:
                self._metrics.send(time.perf_counter() - start, _result_of(exc))
                raise
            self._metrics.send(time.perf_counter() - start, "sent")
            return ref

        return measured

    @property
    def inner(self) -> object:
        return self._inner

    async def send(self, workspace_id: str, target: Target, message: Message) -> str:
        send = self._measured(self._inner.send)  # type: ignore[attr-defined]
        return await send(workspace_id, target, message)


def _result_of(exc: BaseException) -> str:
    if isinstance(exc, RateLimited):
        return "rate_limited"
    if isinstance(exc, Undeliverable):
        return "undeliverable"
    if isinstance(exc, WorkspaceUnavailable):
        return "unavailable"
    return "error"
