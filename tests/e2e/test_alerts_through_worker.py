"""A staff alert travels the whole way: the change, the stored notification, the delivery
worker, the Slack Web API (down for a while, then back)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bootstrap import build_core
from bot.outbox_service import build_worker
from domain.clock import FixedClock
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.doubles import FakeSlackAPI


async def test_vip_order_alert_reaches_the_channel_after_an_outage(
    database_url: str, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the e-mail notifier writes .eml files under var/outbox
    async with FakeSlackAPI() as slack:
        settings = make_settings(database_url, slack_bot_token="xoxb-test",
                                 slack_signing_secret="s", slack_api_url=await slack.start(),
                                 slack_alerts_channel="CALERTS")
        core = build_core(settings, clock=clock)
        try:
            await small_shop(core.bus)
            worker = build_worker(core)
            slack.down("chat.postMessage", times=1)
            await core.bus.handle(order_command(flags=("vip",)))
            first = await worker.drain()
            assert first.retried == 1 and first.sent == 1  # the e-mail went, Slack did not
            assert slack.messages("CALERTS") == []

            clock.advance(hours=1)  # past the back-off
            second = await worker.drain()
            assert second.sent == 1
            posted = slack.messages("CALERTS")
            assert len(posted) == 1
            assert "ORD-000001" in str(posted[0])
            clock.advance(hours=1)
            assert (await worker.drain()).claimed == 0  # delivered once, never again
        finally:
            await core.close()
