"""The push limiter: 1 message a second per chat, ~30 a second overall, 429 pauses."""

from __future__ import annotations

import asyncio

import pytest

from channels.telegram.limiter import SendLimiter


class Time:
    def __init__(self) -> None:
        self.now = 0.0
        self.sends: list[tuple[float, int]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def send_all(limiter: SendLimiter, time: Time, chats: list[int]) -> None:
    for chat in chats:
        await limiter.wait(chat)
        time.sends.append((time.now, chat))


async def test_one_message_a_second_per_chat() -> None:
    time = Time()
    limiter = SendLimiter(clock=time.clock, sleep=time.sleep)

    await send_all(limiter, time, [1, 1, 1])

    assert [at for at, _ in time.sends] == pytest.approx([0.0, 1.0, 2.0])


async def test_thirty_a_second_overall() -> None:
    time = Time()
    limiter = SendLimiter(clock=time.clock, sleep=time.sleep)

    await send_all(limiter, time, list(range(61)))

    assert time.sends[-1][0] == pytest.approx(2.0)


async def test_pause_holds_every_chat() -> None:
    time = Time()
    limiter = SendLimiter(clock=time.clock, sleep=time.sleep)
    limiter.pause(5)

    await send_all(limiter, time, [7])

    assert time.sends == [(pytest.approx(5.0), 7)]


async def test_concurrent_senders_to_one_chat_queue_one_interval_apart() -> None:
    limiter = SendLimiter(per_chat_interval=0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()
    times: list[float] = []

    async def one() -> None:
        await limiter.wait(9)
        times.append(loop.time() - started)

    await asyncio.gather(one(), one(), one())

    assert sorted(times)[2] >= 0.09
