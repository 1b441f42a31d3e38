"""Exchange rates through every door: HTTP, the command line, Slack `/oms fx`, the console."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from bot.bootstrap import Core
from bot.slack import build_staff_service
from bot.staff import local_admin
from channels.console.shell import Console
from channels.staff_render import staff_environment
from storage.uow import SqlUnitOfWork
from tests.e2e.processes import run_cli
from tests.e2e.slack_harness import OPERATOR, VIEWER, Shop, shop, text_of
from tests.e2e.test_api import Api, api
from tests.helpers import table_counts

__all__ = ["api", "shop"]


async def rate_on(core: Core, currency: str, day: date) -> Decimal | None:
    async with SqlUnitOfWork(core.db) as uow:
        return await uow.fx_rates.rate_on(currency, day)


async def test_put_and_get_fx_rates(api: Api, core: Core) -> None:
    # The test clock says 2026-11-24.
    status, body = await api.call("PUT", "/fx-rates/usd", {"rate": "0.9200"})
    assert status == 201
    assert body == {"currency": "USD", "rate": "0.92", "date": "2026-11-24",
                    "base_currency": "EUR", "previous": None}
    status, body = await api.call("PUT", "/fx-rates/USD", {"rate": 0.93, "date": "2026-11-24"})
    assert (status, body["rate"], body["previous"]) == (200, "0.93", "0.92")
    assert (await api.call("PUT", "/fx-rates/USD", {"rate": "0.8",
                                                    "date": "2026-12-01"}))[0] == 201
    status, body = await api.call("GET", "/fx-rates")
    assert status == 200
    assert body == {"base_currency": "EUR", "today": "2026-11-24", "rates": [
        {"currency": "USD", "rate": "0.8", "date": "2026-12-01", "in_force": False},
        {"currency": "USD", "rate": "0.93", "date": "2026-11-24", "in_force": True}]}
    assert await rate_on(core, "USD", date(2026, 11, 30)) == Decimal("0.93")


async def test_bad_fx_rates_are_422_naming_the_field_and_write_nothing(
        api: Api, core: Core) -> None:
    before = await table_counts(core)
    cases = [("/fx-rates/XYZ", {"rate": "1.1"}, "currency"),
             ("/fx-rates/EUR", {"rate": "1.1"}, "currency"),
             ("/fx-rates/USD", {"rate": "0"}, "rate"),
             ("/fx-rates/USD", {"rate": "1e12"}, "rate"),
             ("/fx-rates/USD", {"rate": "0.00000000001"}, "rate"),
             ("/fx-rates/USD", {"rate": True}, "rate"),
             ("/fx-rates/USD", {"rate": "1", "date": "2026-02-30"}, "date"),
             ("/fx-rates/USD", {"rate": "1", "when": "today"}, "when")]
    for path, body, field in cases:
        status, answer = await api.call("PUT", path, body)
        assert status == 422, (path, body, answer)
        assert field in [f["path"] for f in answer["fields"]], answer
    assert await table_counts(core) == before


async def test_fx_set_on_the_command_line(core: Core, database_url: str,
                                          tmp_path: Path) -> None:
    code, out, err = await run_cli(database_url, tmp_path, "fx", "set", "GBP", "1.17",
                                   "--date", "2026-11-01")
    assert code == 0, err
    assert out == "1 GBP = 1.17 EUR from 2026-11-01\n"
    assert await rate_on(core, "GBP", date(2026, 11, 2)) == Decimal("1.17")
    code, out, err = await run_cli(database_url, tmp_path, "fx", "set", "GBP", "0")
    assert (code, out) == (1, "")
    assert err == "omsbot: rate: must be a number above 0\n"
    code, _, err = await run_cli(database_url, tmp_path, "fx", "set", "GBP", "1",
                                 "--date", "yesterday")
    assert code == 2 and "--date" in err


async def test_slack_fx_shows_rates_and_an_operator_sets_one(shop: Shop) -> None:
    empty = await shop.ask("fx", VIEWER)
    assert "No exchange rates yet" in text_of(empty)
    refused = await shop.ask("fx USD 0.92", VIEWER)
    assert "`fx` needs the operator role; you are a viewer." in text_of(refused)
    assert await rate_on(shop.core, "USD", date(2026, 11, 24)) is None

    done = await shop.ask("fx usd 0.92", OPERATOR)
    assert done["response_type"] == "in_channel"
    assert "set 1 USD = 0.92 EUR from 2026-11-24" in text_of(done)
    listed = text_of(await shop.ask("fx", VIEWER))
    assert "*Exchange rates into EUR*" in listed and "• USD 0.92 from 2026-11-24" in listed
    assert "`fx` needs a rate" in text_of(await shop.ask("fx USD", OPERATOR))


async def test_console_fx(core: Core) -> None:
    lines = iter(["fx JPY 0.0061", "fx", "fx EUR 2"])
    written: list[str] = []

    async def read(prompt: str) -> str | None:
        return next(lines, None)

    await Console(build_staff_service(core), staff_environment(), local_admin(), read,
                  written.append).run()
    out = "\n".join(written)
    assert "set 1 JPY = 0.0061 EUR from 2026-11-24." in out
    assert "Exchange rates into EUR (1 unit = rate EUR)\n  JPY 0.0061 from 2026-11-24 (in force)" \
        in out
    assert "currency: EUR is the base currency; its rate is always 1" in out
