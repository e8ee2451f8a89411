"""Sending a chart: drawn off the loop, queued as a DM with its text, delivered once.

A chart goes to the person who asked, by DM, through the outbox and the one delivery
path (rate limits, retries, a member who cannot be reached), whatever the command's
channel: a Slack ephemeral reply cannot hold a file, and a DM is private on every
platform, so a chart never lands in a channel. The DM carries the same text summary
as the reply (the chart's figures in words, for notifications and screen readers) and
the chart's alt text states every figure. The console shows the text alone: a
terminal cannot show a picture, and the text holds every figure already.

Drawing runs through ``ctx.compute`` (a worker process in production). The round key
is the platform's request id, so a replayed request queues no second chart.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from bot.core.model import Attachment, Block, Context, Target, message
from bot.core.router import Request

ON_ITS_WAY = "A chart of these figures is on its way to your direct messages with the bot."


def charts_here(request: Request) -> bool:
    """Charts are for Slack and Discord; the console shows the text alone."""
    return request.ctx.platform != "console"


def send_chart(request: Request, kind: str, draw: Callable[[Any], bytes], data: Any, *,
               filename: str, alt_text: str, blocks: tuple[Block, ...], fallback: str) -> bool:
    """Draw ``data`` with ``draw`` and queue it to the person's DM; True when queued.

    Runs inside the request's unit of work: the chart is queued only if the request
    commits.
    """
    if not charts_here(request):
        return False
    png = request.ctx.compute.run(draw, data)
    chart = Attachment(filename, png, "image/png", alt_text=alt_text)
    invocation = request.invocation
    request_id = invocation.request_id if invocation is not None else None
    round_key = f"chart:{kind}:{request_id or secrets.token_hex(8)}"
    dm = message(*blocks, Context("Only you can see this chart."), fallback=fallback,
                 attachment=chart)
    return request.ctx.outbox.enqueue(request.workspace_id, round_key,
                                      Target(user_id=request.user_id), dm,
                                      kind=f"checkins.chart.{kind}")
