"""The scheduler service: intervals from settings, failures alert once, jobs really fire."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web

from bot.bootstrap import Core, build_core
from bot.scheduler import JobScheduler, scheduler_services
from domain.automation.commands import CheckLowStock
from domain.clock import FixedClock
from domain.messagebus import Context
from domain.ports import UnitOfWork
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.jobs_support import outbox


async def test_intervals_and_report_time_come_from_settings(database_url: str,
                                                            clock: FixedClock) -> None:
    core = build_core(make_settings(database_url, job_low_stock_interval="PT5M",
                                    daily_report_at="7:30", timezone="Europe/Rome"),
                      clock=clock)
    try:
        jobs = JobScheduler(core)
        jobs.schedule()
        by_id = {job.id: job for job in jobs.scheduler.get_jobs()}
        assert set(by_id) == {"low-stock", "delays", "review-requests", "expire-unpaid",
                              "payment-reminders", "daily-report"}
        assert by_id["payment-reminders"].trigger.interval == timedelta(minutes=10)
        assert by_id["low-stock"].trigger.interval == timedelta(minutes=5)
        assert by_id["expire-unpaid"].trigger.interval == timedelta(minutes=10)
        report = str(by_id["daily-report"].trigger)
        assert "hour='7'" in report and "minute='30'" in report
        assert str(by_id["daily-report"].trigger.timezone) == "Europe/Rome"
        [service] = scheduler_services(core, web.Application())
        assert service.name == "scheduler"
    finally:
        await core.close()


async def test_disabled_jobs_start_no_scheduler(database_url: str) -> None:
    core = build_core(make_settings(database_url, jobs_enabled=False))
    try:
        assert scheduler_services(core, web.Application()) == []
    finally:
        await core.close()


async def test_a_failing_job_is_logged_alerts_staff_once_and_recovers(
    core: Core, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    await small_shop(core.bus)
    working = core.bus.handlers[CheckLowStock]

    async def broken(cmd: Any, uow: UnitOfWork, ctx: Context) -> Any:
        raise RuntimeError("disk on fire")

    core.bus.handlers[CheckLowStock] = broken
    jobs = JobScheduler(core)
    with caplog.at_level(logging.ERROR, logger="omsbot.scheduler"):
        assert await jobs.run("low-stock") is None
        assert await jobs.run("low-stock") is None
    assert "scheduled job low-stock failed" in caplog.text
    [alert] = await outbox(core, "job_failed")
    assert "The scheduled job low-stock failed: RuntimeError: disk on fire" in alert[
        "payload"]["text"]
    assert (await jobs.run("delays")) is not None  # the others carry on

    core.bus.handlers[CheckLowStock] = working
    outcome = await jobs.run("low-stock")
    assert outcome is not None and jobs.failing == set()
    core.bus.handlers[CheckLowStock] = broken
    clock.advance(days=1)
    await jobs.run("low-stock")  # a new failure streak, another day: staff hear again
    assert len(await outbox(core, "job_failed")) == 2


async def test_the_scheduler_really_runs_jobs(database_url: str, clock: FixedClock) -> None:
    core = build_core(make_settings(database_url, job_expire_unpaid_interval="PT1S"),
                      clock=clock)
    jobs = JobScheduler(core)
    try:
        await small_shop(core.bus)
        placed = await core.bus.handle(order_command(payment_status="pending"))
        clock.advance(hours=25)
        jobs.schedule(first_run_after=timedelta(seconds=0.1))
        jobs.scheduler.start()
        for _ in range(100):
            view = await core.views.order(placed.order_id)
            if view is not None and view["status"] == "cancelled":
                break
            await asyncio.sleep(0.05)
        assert view is not None and view["status"] == "cancelled"
    finally:
        await jobs.stop()
        await core.close()


async def test_omsbot_run_starts_and_stops_the_scheduler(database_url: str) -> None:
    from bot.runtime import Runtime

    runtime = Runtime(make_settings(database_url, http_port=0))
    [service] = [s for s in runtime.services if s.name == "scheduler"]
    await runtime.start()
    try:
        jobs = {job.id for job in service.start.__self__.scheduler.get_jobs()}  # type: ignore[attr-defined]
        assert jobs == {"low-stock", "delays", "review-requests", "expire-unpaid",
                        "payment-reminders", "daily-report"}
    finally:
        await runtime.stop()
    assert not service.start.__self__.scheduler.running  # type: ignore[attr-defined]


async def test_a_late_start_catches_up_on_the_daily_report(database_url: str) -> None:
    from datetime import UTC, datetime

    core = build_core(make_settings(database_url, daily_report_at="00:00"))
    try:
        jobs = JobScheduler(core)
        jobs.schedule(first_run_after=timedelta(seconds=30))
        jobs.scheduler.start(paused=True)  # next run times are computed on start
        report = jobs.scheduler.get_job("daily-report")
        assert report.next_run_time - datetime.now(UTC) < timedelta(seconds=31)
        await jobs.stop()
    finally:
        await core.close()
