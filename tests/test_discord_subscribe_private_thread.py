"""/briefbot subscribe in a Discord private thread the bot has not joined is refused, saying
how to add the bot, and nothing is stored. A private thread lets in only its members and
those with Manage Threads, while the interaction's `app_permissions` there are the parent
channel's: until 2026-12 the channel check passed, the subscription was stored and every
scheduled post was refused (403 Missing Access). Tests against the loopback Discord emulator
(tests/emulators/discord_api.py: `add_thread`, `add_to_thread`, `remove_from_thread`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import discord
import pytest

from bot.adapters.discord import BriefbotClient
from bot.core import Core
from bot.reply import Reply
from bot.schedule.delivery import DeliveryError
from tests.emulators.discord_api import (
    DEFAULT_BOT_ROLE_ID,
    EMBED_LINKS,
    MANAGE_GUILD,
    MANAGE_THREADS,
    SEND_MESSAGES_IN_THREADS,
    VIEW_CHANNEL,
    DiscordEmulator,
    EmulatedChannel,
    default_guild,
)
from tests.test_discord_adapter import (  # noqa: F401  (fixtures)
    EPHEMERAL,
    answer_text,
    bot,
    core,
)


def flat(text: str) -> str:
    return " ".join(text.split())


def allow_threads(emu: DiscordEmulator, extra: int = 0) -> None:  # noqa: F811
    """The bot's role may post in threads (the emulator's default role may not)."""
    emu.guild.role(DEFAULT_BOT_ROLE_ID).permissions |= SEND_MESSAGES_IN_THREADS | extra


def posts(emu: DiscordEmulator, channel_id: int) -> list[str]:  # noqa: F811
    """The bot's posts in a channel (not the interactions' answers)."""
    return [m["embeds"][0]["description"] for m in emu.channel_messages(channel_id)
            if m["type"] == 0]


async def until(check: Callable[[], bool]) -> None:
    for _ in range(300):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the gateway's event did not reach the client")


async def subscribe(emu: DiscordEmulator, channel_id: int) -> str:  # noqa: F811
    sent = await emu.send_interaction("briefbot subscribe", {"digest": "daily",
                                                             "cron": "0 8 * * *"},
                                      permissions=MANAGE_GUILD, channel_id=channel_id)
    call = await emu.wait_for_response(sent)
    assert call.json["type"] in (4, 5)
    text = flat(await answer_text(emu, sent))
    if call.json["type"] == 4:
        assert call.json["data"]["flags"] & EPHEMERAL
    return text


def assert_refused_to_join(text: str, bot: BriefbotClient) -> None:  # noqa: F811
    assert "Not subscribed" in text and "Subscribed: " not in text, text
    assert "not a member of this private thread" in text, text
    assert bot.user is not None and f"@{bot.user.name}" in text, text  # how to add it
    assert "Manage Threads" in text, text


@pytest.mark.asyncio
async def test_subscribe_in_a_private_thread_the_bot_has_not_joined_is_refused(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    allow_threads(emu)
    thread = await emu.add_thread("planning", private=True)
    # What every slot would have met (the emulator's answer, as Discord's):
    with pytest.raises(DeliveryError):
        await bot.deliver(str(thread.id), Reply.text("hi"))
    sent = await emu.send_interaction("briefbot subscribe", {"digest": "daily",
                                                             "cron": "0 8 * * *"},
                                      permissions=MANAGE_GUILD, channel_id=thread.id)
    # the permissions Discord sends there are the parent's: they allow every post
    needed = VIEW_CHANNEL | SEND_MESSAGES_IN_THREADS | EMBED_LINKS
    assert int(sent.payload["app_permissions"]) & needed == needed
    assert_refused_to_join(flat(await answer_text(emu, sent)), bot)
    assert core.store.subscriptions(platform="discord") == []

    # Added to the thread (mentioned there), the bot may subscribe it, and posts there.
    await emu.add_to_thread(thread.id)
    await until(lambda: isinstance(t := bot.get_channel(thread.id), discord.Thread)
                and t.me is not None)
    assert "Subscribed: daily" in await subscribe(emu, thread.id)
    await bot.deliver(str(thread.id), Reply.text("the briefing"))
    assert posts(emu, thread.id) == ["the briefing"]

    # Removed from it again: refused again (discord.py kept the bot's thread member).
    await emu.remove_from_thread(thread.id)
    await until(lambda: isinstance(t := bot.get_channel(thread.id), discord.Thread)
                and t.me is None)
    [made] = core.store.subscriptions(platform="discord")
    core.store.remove_subscription(made["id"])
    assert_refused_to_join(await subscribe(emu, thread.id), bot)
    assert core.store.subscriptions(platform="discord") == []


@pytest.mark.asyncio
async def test_manage_threads_lets_the_bot_into_every_private_thread(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    allow_threads(emu, MANAGE_THREADS)
    thread = await emu.add_thread("planning", private=True)
    assert "Subscribed: daily" in await subscribe(emu, thread.id)
    await bot.deliver(str(thread.id), Reply.text("the briefing"))
    assert posts(emu, thread.id) == ["the briefing"]


@pytest.mark.asyncio
async def test_a_thread_joined_before_the_bot_connected_and_a_public_thread_pass(
        core: Core) -> None:  # noqa: F811
    guild = default_guild()
    parent = guild.text_channel.id
    async with DiscordEmulator(guilds=[guild]) as emu:  # noqa: F811
        allow_threads(emu)
        bot_id = emu.bot_user.id
        joined = EmulatedChannel(emu._snowflake(), "joined", type=12, parent_id=parent,
                                 thread_members={bot_id, emu.default_user.id})
        public = EmulatedChannel(emu._snowflake(), "public", type=11, parent_id=parent,
                                 thread_members={emu.default_user.id})
        guild.channels += [joined, public]
        client = BriefbotClient(core, guild_id=guild.id)
        async with emu.running(client):
            # (GUILD_CREATE's threads: the bot's own member on the one it joined)
            cached = client.get_channel(joined.id)
            assert isinstance(cached, discord.Thread) and cached.me is not None
            assert "Subscribed: daily" in await subscribe(emu, joined.id)
            assert "Subscribed: daily" in await subscribe(emu, public.id)
            for thread in (joined, public):
                await client.deliver(str(thread.id), Reply.text("posted"))
                assert posts(emu, thread.id) == ["posted"]


async def joined_archived_and_opened_again(emu: DiscordEmulator,  # noqa: F811
                                           bot: BriefbotClient) -> EmulatedChannel:  # noqa: F811
    """A private thread the bot joined, archived and opened again: discord.py has it back
    from THREAD_UPDATE, which names no member, so /subscribe there asks Discord."""
    allow_threads(emu)
    thread = await emu.add_thread("planning", private=True, members=[emu.bot_user.id])
    await until(lambda: isinstance(t := bot.get_channel(thread.id), discord.Thread)
                and t.me is not None)
    await emu.set_thread_archived(thread.id)
    await until(lambda: bot.get_channel(thread.id) is None)
    await emu.set_thread_archived(thread.id, False)
    await until(lambda: isinstance(t := bot.get_channel(thread.id), discord.Thread)
                and t.me is None)
    return thread


@pytest.mark.asyncio
async def test_a_joined_thread_archived_and_opened_again_is_asked_of_discord(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    # discord.py drops an archived thread from its cache and takes it back, opened again,
    # from THREAD_UPDATE, which names no member: the bot, a member all along, was taken for
    # none, and mentioning it in the thread (no change to Discord) could not help. Discord
    # is asked then (GET /channels/{thread}/thread-members/{bot}).
    thread = await joined_archived_and_opened_again(emu, bot)
    asked = rf"/channels/{thread.id}/thread-members/{emu.bot_user.id}"
    assert "Subscribed: daily" in await subscribe(emu, thread.id)
    assert [c.status for c in emu.calls_to(asked, method="GET")] == [200]
    # Not a member: Discord says so (404 Unknown Member), and the refusal stands.
    other = await emu.add_thread("other", private=True)
    text = await subscribe(emu, other.id)
    assert_refused_to_join(text, bot)
    assert [c.status for c in emu.calls_to(
        rf"/channels/{other.id}/thread-members/{emu.bot_user.id}", method="GET")] == [403]
    # Discord failing to answer: refused, nothing escapes, and saying that Discord could not
    # be asked (it said "the bot is not a member", and to mention it: no help to a member).
    emu.fail("GET", asked, 503, json={"message": "Service Unavailable", "code": 0},
             times=None)
    [made] = core.store.subscriptions(platform="discord")
    core.store.remove_subscription(made["id"])
    assert_not_confirmed(await subscribe(emu, thread.id), "Discord answered 503")
    assert emu.calls_to(asked, method="GET")[-1].status == 503
    assert not core.store.subscriptions(platform="discord")


def assert_not_confirmed(text: str, why: str, again: str = "a minute") -> None:
    assert "Not subscribed" in text and "Subscribed: " not in text, text
    assert "not a member" not in text, text
    assert ("Discord could not be asked whether the bot is a member of this private thread "
            f"({why})") in text, text
    assert f"If the bot is in the thread, try again in {again};" in text, text


@pytest.mark.asyncio
async def test_a_thread_membership_discord_does_not_answer_in_time_is_said_so(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The request of /subscribe's membership check timed out (5 s; here 0.3 s): refused as
    # "not a member of this private thread", though the bot was one.
    from bot.adapters import discord as discord_adapter

    monkeypatch.setattr(discord_adapter, "THREAD_CHECK_WAIT", 0.3)
    thread = await joined_archived_and_opened_again(emu, bot)
    emu.slow_answer("GET", rf"/channels/{thread.id}/thread-members/{emu.bot_user.id}", 1.0)
    assert_not_confirmed(await subscribe(emu, thread.id), "no answer within 0.3 s")
    assert not core.store.subscriptions(platform="discord")


@pytest.mark.asyncio
@pytest.mark.parametrize("answer", ["cut off", "proxy page", "rate limit page"])
async def test_a_thread_membership_answer_that_cannot_be_read_is_read_by_its_status(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core, answer: str) -> None:  # noqa: F811
    # Discord's answer to the membership check cut off on its way (its 200: the bot is a
    # member), or a proxy's 502 page labelled JSON: discord.py's JSONDecodeError came out of
    # the check unnamed, and the refusal said "no answer within 5 s", at once. A 2xx is the
    # membership it answers; another status is Discord not saying, named.
    thread = await joined_archived_and_opened_again(emu, bot)
    asked = rf"/channels/{thread.id}/thread-members/{emu.bot_user.id}"
    if answer == "cut off":
        emu.cut_answer("GET", asked)
        assert "Subscribed: daily" in await subscribe(emu, thread.id)
        assert len(core.store.subscriptions(platform="discord")) == 1
    elif answer == "proxy page":
        emu.fail("GET", asked, 502, json=b"<html>Bad Gateway")
        assert_not_confirmed(await subscribe(emu, thread.id), "Discord answered 502")
        assert not core.store.subscriptions(platform="discord")
    else:  # (Discord's edge: no Via; a rate limit, with its Retry-After, whatever its body)
        emu.fail("GET", asked, 429, json=b"<html>429 Too Many Requests", via=False,
                 headers={"Retry-After": "120"})
        assert_not_confirmed(await subscribe(emu, thread.id), "rate limited for 2 minutes",
                             again="2 minutes")
        assert not core.store.subscriptions(platform="discord")


@pytest.mark.asyncio
async def test_a_thread_membership_check_rate_limited_says_to_try_again_after_its_wait(
        emu: DiscordEmulator, bot: BriefbotClient, core: Core) -> None:  # noqa: F811
    # Discord rate-limited the membership check for 5 minutes (over the 30 s discord.py
    # waits): "(rate limited for 5 minutes) ... If the bot is in the thread, try again in a
    # minute", when the check would be refused again then.
    thread = await joined_archived_and_opened_again(emu, bot)
    emu.rate_limit("GET", rf"/channels/{thread.id}/thread-members/{emu.bot_user.id}",
                   retry_after=300)
    assert_not_confirmed(await subscribe(emu, thread.id), "rate limited for 5 minutes",
                         again="5 minutes")
    assert not core.store.subscriptions(platform="discord")
