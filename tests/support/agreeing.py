"""Agreeing to a group's agreement the way a member does: `/peer agreement`, then the
"I agree" button. Tests whose members join through commands use it before they expect
the group's prompts or rounds (until then the membership is on hold)."""

from __future__ import annotations

from bot.core.model import Action, Actor, Buttons, Invocation, Reply


def agree_button(replies: list[Reply]) -> str | None:
    for reply in replies:
        for block in reply.message.blocks:
            if isinstance(block, Buttons):
                for button in block.buttons:
                    if button.label == "I agree":
                        return button.value
    return None


async def agree(core, actor: Actor, group: str | None = None) -> list[Reply]:
    """Show the agreement to ``actor`` and press "I agree"; the replies to the press."""
    text = "agreement" + (f" group:{group}" if group else "")
    shown = await core.handle_invocation(Invocation(actor=actor, command="peer", text=text))
    value = agree_button(shown)
    assert value is not None, [r.message.text() for r in shown]
    return await core.handle_action(Action(actor=actor, value=value))
