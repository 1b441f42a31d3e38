"""`pay` and `return refund RMA [AMOUNT]` through Slack's real bolt app and the console."""

from __future__ import annotations

from pathlib import Path

from bot.bootstrap import build_core
from domain.clock import FixedClock
from domain.returns import commands as rc
from tests.catalog import order_command, small_shop
from tests.conftest import make_settings
from tests.e2e.slack_harness import OPERATOR, VIEWER, Shop, delivered_order_with_return, shop
from tests.e2e.test_console import omsbot

__all__ = ["shop"]


async def test_pay_in_slack_records_the_payment_and_confirms(shop: Shop) -> None:
    placed = await shop.core.bus.handle(order_command("WEB-P", payment_status="pending"))

    refused = await shop.ask(f"pay {placed.number} 10", VIEWER)
    part = await shop.ask(f"pay {placed.order_id} 10.00 bank-transfer", OPERATOR)
    too_much = await shop.ask(f"pay {placed.order_id} 99", OPERATOR)
    rest = await shop.ask(f"pay {placed.order_id} 15", OPERATOR)

    assert "`pay` needs the operator role" in str(refused)
    assert part["response_type"] == "in_channel"
    assert "<@UOPER> recorded a payment of €10.00 for ORD-000001." in str(part)
    assert "more than the 15.00 EUR still due" in str(too_much)
    assert "Payment: paid · paid €25.00" in str(rest)
    order = await shop.order(placed.order_id)
    assert (order["status"], order["paid"]) == ("confirmed", "25.00")


async def test_return_refund_with_an_amount_in_slack(shop: Shop) -> None:
    _, return_id = await delivered_order_with_return(shop.core)
    for action in ("approve", "receive"):
        await shop.core.bus.handle(rc.DecideReturn(return_id, action))

    above = await shop.ask(f"return refund {return_id} 25.01")
    refunded = await shop.ask(f"return refund RMA-{return_id:06d} 20", OPERATOR)

    assert "give an amount up to 25.00" in str(above)
    assert "refunded RMA-000001" in str(refunded) and "€20.00" in str(refunded)
    order = await shop.order(1)
    assert (order["refunded"], order["payment_status"]) == ("20.00", "partially_refunded")


async def test_pay_and_refund_on_the_console(database_url: str, clock: FixedClock,
                                             tmp_path: Path) -> None:
    core = build_core(make_settings(database_url), clock=clock)
    await small_shop(core.bus)
    await core.bus.handle(order_command(payment_status="pending"))
    await core.close()

    done = omsbot(["shell"], database_url, tmp_path, "pay 1 12.50 cash\npay 1 12.50\n"
                  "return refund 9 1.00\nquit\n")

    assert done.returncode == 0, done.stderr
    assert "recorded a payment of €12.50 for ORD-000001." in done.stdout
    assert "Payment: paid · paid €25.00" in done.stdout
    assert "Return RMA-000009 not found" in done.stdout
