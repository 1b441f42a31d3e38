"""`omsbot run`'s start-up: a failed start stops what already started; an outside channel
that cannot connect is retried in the background and shows as `retrying`."""

from __future__ import annotations

import asyncio

import pytest

from bot.lifecycle import Phase
from bot.runtime import Runtime, Service, StartFailed
from tests.conftest import make_settings


class Recorder:
    def __init__(self) -> None:
        self.events: list[str] = []

    def service(self, name: str, *, fail: int = 0, component: str | None = None) -> Service:
        failures = [fail]

        async def start() -> None:
            self.events.append(f"start {name}")
            if failures[0]:
                failures[0] -= 1
                raise ConnectionRefusedError(f"{name} is down")

        async def stop() -> None:
            self.events.append(f"stop {name}")

        return Service(name, start, stop, component=component)


async def test_a_failed_start_stops_what_already_started(database_url: str) -> None:
    runtime = Runtime(make_settings(database_url, http_port=0, jobs_enabled=False,
                                    delivery_enabled=False))
    calls = Recorder()
    runtime.services = [calls.service("first"), calls.service("second"),
                        calls.service("broken", fail=1), calls.service("never")]

    with pytest.raises(StartFailed, match="broken could not start: broken is down"):
        await runtime.start()

    assert calls.events == ["start first", "start second", "start broken", "stop second",
                            "stop first"]
    assert runtime.lifecycle.phase is Phase.STOPPING


async def test_an_unreachable_channel_is_retried_and_does_not_hold_start_up(
        database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.lifecycle.asyncio.sleep", _no_wait)
    runtime = Runtime(make_settings(database_url, http_port=0, jobs_enabled=False,
                                    delivery_enabled=False))
    runtime.lifecycle.health.components["telegram"] = "ok"  # as if configured
    calls = Recorder()
    runtime.services = [calls.service("telegram-polling", fail=3, component="telegram")]
    states: list[str] = []
    report = runtime.lifecycle.health.report
    runtime.lifecycle.health.report = lambda c, s: (states.append(s), report(c, s))[1]

    await runtime.start()
    try:
        ready = runtime.lifecycle.ready
        for _ in range(100):
            if runtime.lifecycle.health.components["telegram"] == "ok":
                break
            await asyncio.sleep(0.01)
    finally:
        await runtime.stop()

    assert ready
    assert states == ["retrying", "retrying", "retrying", "ok"]
    assert calls.events == ["start telegram-polling"] * 4 + ["stop telegram-polling"]


_real_sleep = asyncio.sleep


async def _no_wait(seconds: float) -> None:
    await _real_sleep(0)
