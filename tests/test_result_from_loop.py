"""`bot.workers.result_from_loop`: the adapters' checks that the router's worker thread runs on
the bot's event loop (Slack's channel check, Discord's thread membership)."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Iterator

import pytest

from bot.workers import NoAnswer, result_from_loop


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    running = asyncio.new_event_loop()
    thread = threading.Thread(target=running.run_forever, daemon=True)
    thread.start()
    yield running
    running.call_soon_threadsafe(running.stop)
    thread.join(5)
    running.close()


async def answer(value: int, delay: float = 0.0) -> int:
    await asyncio.sleep(delay)
    return value


def test_the_result_of_a_coroutine_run_on_the_other_threads_loop(loop):
    assert result_from_loop(loop, answer(7), 5) == 7


def test_no_result_in_time_is_no_answer_after_asking(loop):
    got = result_from_loop(loop, answer(7, delay=2), 0.05)
    assert got == NoAnswer("no answer: TimeoutError", asked=True)


def test_a_closed_loop_is_not_asked():
    closed = asyncio.new_event_loop()
    closed.close()
    coro = answer(7)
    got = result_from_loop(closed, coro, 1)
    assert isinstance(got, NoAnswer) and not got.asked and "closed" in got.why
    assert inspect.getcoroutinestate(coro) == inspect.CORO_CLOSED  # never left pending


def test_on_the_loop_itself_it_is_not_asked():
    async def on_loop() -> object:
        return result_from_loop(asyncio.get_running_loop(), answer(7), 1)

    assert asyncio.run(on_loop()) == NoAnswer("not checked from the event loop", asked=False)
