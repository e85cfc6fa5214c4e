"""A test adapter: commands in through a queue, replies out through another, and a recording
`deliver` for the scheduler (with failure injection). Used by the tests of every command."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.chat.commands import Caller, CommandRequest, Router, split_command_line
from bot.core import Core
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError, PartProgress


@dataclass
class Sent:
    line: str
    caller: Caller
    channel: str
    reply: Reply


@dataclass
class TestAdapter:
    core: Core
    platform: str = "test"
    user_id: str = "tester"
    admin: bool = False
    inbox: asyncio.Queue[tuple[str, Caller, str]] = field(default_factory=asyncio.Queue)
    outbox: asyncio.Queue[Sent] = field(default_factory=asyncio.Queue)
    posts: list[tuple[str, Reply]] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)  # raised by deliver, in order

    __test__ = False  # not a pytest test class

    def __post_init__(self) -> None:
        self.router = Router(self.core)

    def caller(self, user_id: str | None = None, admin: bool | None = None,
               workspace: str | None = None) -> Caller:
        uid = user_id or self.user_id
        return Caller(self.platform, uid, uid, self.admin if admin is None else admin,
                      workspace_id=workspace)

    def send(self, line: str, *, user_id: str | None = None, admin: bool | None = None,
             channel: str = "test-channel", workspace: str | None = None) -> Reply:
        """Run one command line synchronously and return the reply (`workspace`: the
        caller's Slack team / Discord guild)."""
        name, text = split_command_line(line)
        return self.router.handle(CommandRequest(name, text,
                                                 self.caller(user_id, admin, workspace), channel))

    async def put(self, line: str, *, user_id: str | None = None, admin: bool | None = None,
                  channel: str = "test-channel") -> None:
        await self.inbox.put((line, self.caller(user_id, admin), channel))

    async def run(self) -> None:
        """Answer queued commands until cancelled."""
        while True:
            line, caller, channel = await self.inbox.get()
            name, text = split_command_line(line)
            reply = await self.router.handle_async(CommandRequest(name, text, caller, channel))
            await self.outbox.put(Sent(line, caller, channel, reply))

    async def deliver(self, channel: str, reply: Reply,
                      progress: PartProgress | None = None) -> None:
        """One part per reply: nothing to do when a retry finds it already posted."""
        if progress is not None and progress.posted >= 1:
            return
        if self.failures:
            raise self.failures.pop(0)
        self.posts.append((channel, reply))
        if progress is not None:
            await progress.mark(1)
