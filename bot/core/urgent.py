"""Replies and requests that someone is waiting on: ahead of the bulk, through the outbox.

A reply that cannot go back through the request's own channel (Slack: a Home-tab
button or a modal has no ``response_url``) is a DM like any other, so it shares the
workspace's rate limit with whatever fan-out is draining. Sent straight to the
platform it would race the fan-out for that limit, and one 429 would lose it (a crisis
card among them). Queued as an URGENT outbox row instead it is durable, paced by the
same limiter, retried after a 429, and claimed before every bulk row
(bot.core.fairness).
"""

from __future__ import annotations

from typing import TypeVar

from bot.core.delivery import Deliverer
from bot.core.fairness import flow_scope, member_flow
from bot.core.model import Actor, Message, Target
from bot.core.ports import Messenger

T = TypeVar("T")


def flow_of(actor: Actor):
    """Everything a member's command or click queues is one flow."""
    return flow_scope(member_flow(actor.workspace_id, actor.user_id))


def wake_after(deliverer: Deliverer | None, result: T) -> T:
    """A command or click committed: the drain loop looks now, not at its next poll."""
    if deliverer is not None:
        deliverer.wake()
    return result


async def queue_reply(deliverer: Deliverer | None, workspace_id: str, target: Target,
                      message: Message) -> bool:
    """Queue ``message`` as an urgent reply and wake the drain loop; False when no drain
    loop runs (a test or tool without ``serve``: the caller sends it itself)."""
    if deliverer is None:
        return False
    await deliverer.queue_urgent(workspace_id, target, message)
    return True


async def dm_reply(host: object, messenger: Messenger, actor: Actor, message: Message) -> None:
    """A reply to ``actor`` by DM: queued urgent when the host runs a drain loop
    (``host.deliverer``, set by ``serve``), else sent at once."""
    target = Target(user_id=actor.user_id)
    if not await queue_reply(getattr(host, "deliverer", None), actor.workspace_id, target,
                             message):
        await messenger.send(actor.workspace_id, target, message)
