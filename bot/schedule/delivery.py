"""The delivery interface the scheduler uses to post a reply through an adapter."""

from __future__ import annotations

from typing import Protocol

from bot.reply import Reply


class DeliveryError(Exception):
    """A post failed. `transient`: worth retrying (network, 5xx, rate limit with
    `retry_after` seconds); otherwise permanent. `channel_gone`: the channel no longer exists
    or the bot was removed from it — the subscription is disabled with this message."""

    def __init__(self, message: str, *, transient: bool, retry_after: float | None = None,
                 channel_gone: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        self.channel_gone = channel_gone


class Deliverer(Protocol):
    """Implemented by every adapter that can post to a channel."""

    platform: str

    async def deliver(self, channel: str, reply: Reply) -> None:
        """Post `reply` to `channel`, or raise DeliveryError."""
        ...
