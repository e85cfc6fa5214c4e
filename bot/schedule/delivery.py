"""The delivery interface the scheduler uses to post a reply through an adapter."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.reply import Reply

# A channel the platform did not find (DeliveryError.not_found) on this many slots in a row,
# the first at least this many hours before the last, is taken for deleted (the scheduler's
# `_not_found_for_long`): a daily briefing on its third day, an hourly one after a day.
NOT_FOUND_SLOTS = 3
NOT_FOUND_HOURS = 24.0


class DeliveryError(Exception):
    """A post failed. `transient`: worth retrying (network, 5xx, rate limit with
    `retry_after` seconds); otherwise permanent. `channel_gone`: the channel no longer exists
    (deleted, archived) — the subscription is disabled with this message; a channel the bot
    may only not post in yet (permissions, an app not invited) is not gone. `not_found`: the
    platform did not find the channel, which may be deleted or only hidden from the bot
    (Slack's `channel_not_found`, also its answer for a private channel the app was not
    invited to): the subscription stays on, and is disabled only when its posts keep failing
    so (NOT_FOUND_SLOTS over NOT_FOUND_HOURS). `not_member`: the bot is no member of the
    channel's server (Discord: removed from it), which someone may yet fix by adding it back:
    kept on, and disabled by the same rule (it failed every slot for ever); a permission the
    bot lacks in a server it is in is neither, and never disables it."""

    def __init__(self, message: str, *, transient: bool, retry_after: float | None = None,
                 channel_gone: bool = False, not_found: bool = False,
                 not_member: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.retry_after = retry_after
        self.channel_gone = channel_gone
        self.not_found = not_found
        self.not_member = not_member


class PartProgress:
    """How many parts of one reply are posted: a long reply is several messages, posted in
    order, and a retry must post only the ones not yet posted.

    The scheduler owns it (and persists it through `on_posted` and `on_sending`); an adapter
    reads `posted` (skip that many of its rendered messages), calls `await begin(n)` just
    before sending part `n` (counted from 1) and `await mark(n)` after the platform accepted
    it (`n` = parts posted so far). A part begun and never marked may have reached the
    platform (an attempt that timed out, or lost its connection, after sending it): the
    scheduler records it and says so when it is sent again.

    `key`: the same for every attempt at this reply (the scheduler's subscription and slot),
    so an adapter whose platform takes an idempotency key sends each part under `nonce(n)`
    and sets `idempotent`: a repeat of a part that had arrived is not posted twice (Discord's
    `enforce_nonce`).

    `workspace`: the Slack workspace or Discord server the subscription was made in (None:
    not known): an adapter tells by it a channel it cannot see in a server it is in (an
    archived thread under a channel hidden from the bot) from a server it was removed from.

    `deadline`: when the scheduler gives up on this attempt (event-loop time, its
    `delivery_timeout_seconds` from the attempt's start), None for no bound. An adapter whose
    client waits out a rate limit itself waits only one that ends before it: a longer one
    comes back at once as a transient DeliveryError with the platform's `retry_after`, for
    the scheduler to wait or give up on (its client's retries slept past the timeout, which
    was then all /status said: "delivery timed out after 60 s")."""

    def __init__(self, posted: int = 0,
                 on_posted: Callable[[int], Awaitable[None]] | None = None,
                 deadline: float | None = None, *, key: str | None = None,
                 on_sending: Callable[[int], Awaitable[None]] | None = None,
                 workspace: str | None = None) -> None:
        self.posted = posted
        self.workspace = workspace
        self._on_posted = on_posted
        self._on_sending = on_sending
        self.deadline = deadline
        self.key = key
        self.sending: int | None = None  # the part begun and not yet marked (from 1)
        self.idempotent = False  # set by an adapter that sends under `nonce`

    async def begin(self, part: int) -> None:
        if self._on_sending is not None:  # (recorded first: a write that fails sends nothing)
            await self._on_sending(part)
        self.sending = part

    def refused(self) -> None:
        """The platform answered that the part begun was not posted (an error, a rate
        limit): it did not reach the channel."""
        self.sending = None

    async def mark(self, posted: int) -> None:
        self.posted = posted
        self.sending = None
        if self._on_posted is not None:
            await self._on_posted(posted)

    def nonce(self, part: int) -> str | None:
        """Part `part`'s idempotency key (17 digits at most: Discord takes 25 characters),
        the same in every attempt and every process; None without `key`."""
        if self.key is None:
            return None
        digest = hashlib.sha256(f"{self.key}#{part}".encode()).digest()
        return str(int.from_bytes(digest[:7], "big"))


class Deliverer(Protocol):
    """Implemented by every adapter that can post to a channel."""

    platform: str

    async def deliver(self, channel: str, reply: Reply,
                      progress: PartProgress | None = None) -> None:
        """Post `reply` to `channel`, or raise DeliveryError. With `progress`: skip the first
        `progress.posted` rendered messages, `await progress.begin(i)` before sending each
        one and `await progress.mark(i)` after it is posted (`i` counted from the first),
        so a retry posts only what is missing; `progress.refused()` when the platform
        answered that the message begun was not posted."""
        ...
