"""The sales report in SQL on SQLite and PostgreSQL: two currencies (one without a rate),
refunds, cancelled and replacement orders, shop days in Europe/Rome."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.bootstrap import Core, build_core
from domain.accounting.periods import report_window
from domain.accounting.sales import sales_report_view
from domain.clock import FixedClock
from domain.inventory import commands as ic
from domain.messagebus import MessageBus
from domain.orders import commands as oc
from domain.returns import commands as rc
from storage.uow import SqlUnitOfWork
from tests.catalog import small_shop
from tests.conftest import NOW, make_settings
from tests.sales_shop import EXPECTED, ROME, at, place, priced, sales_shop

D = Decimal


async def test_report_converts_at_each_day_rate_and_names_what_has_none(core: Core) -> None:
    await sales_shop(core.bus)
    window = report_window("2026-11-20..2026-11-22", NOW, ROME)

    report = await core.views.sales_report(window)

    assert sales_report_view(report) == EXPECTED
    async with SqlUnitOfWork(core.db) as uow:  # the scheduled job's way in: the same figures
        assert sales_report_view(await uow.sales.report(window)) == EXPECTED


async def test_an_empty_period_has_every_day_at_zero(core: Core) -> None:
    window = report_window("2026-02", NOW, ROME)
    view = sales_report_view(await core.views.sales_report(window))
    assert (view["from"], view["to"], view["orders"], view["net_revenue"]) == (
        "2026-02-01", "2026-02-28", 0, "0.00")
    assert len(view["by_day"]) == 28 and view["by_channel"] == view["not_converted"] == []


async def totals(core: Core, *numbers: int) -> Decimal:
    found = Decimal(0)
    for number in numbers:
        view = await core.views.order(number)
        assert view is not None
        found += Decimal(view["total"])
    return found


async def test_lifetime_value_is_net_of_refunds_at_each_day_rate(core: Core) -> None:
    await sales_shop(core.bus)
    # Orders 1 A, 2 B (USD), 3 C (GBP), 4 D cancelled, 5 E replacement, 6 H, 7 F, 8 G, 9 OUT
    ada = await core.views.customer("ADA@example.com")
    bob = await core.views.customer("bob@example.com")
    cy = await core.views.customer("cy@example.com")
    assert ada is not None and bob is not None and cy is not None
    usd_g = (await totals(core, 8) * Decimal("0.95")).quantize(Decimal("0.01"))
    assert ada["orders"] == 5  # every order is counted; only money leaves some out
    assert Decimal(ada["lifetime_value"]) == await totals(core, 1, 9) + usd_g
    assert (ada["revenue"], ada["profit"], ada["not_converted"]) == ("42.50", "31.45", [])
    assert Decimal(cy["lifetime_value"]) == await totals(core, 6, 7) - Decimal("12.50")
    usd_b = (await totals(core, 2) * Decimal("0.90")).quantize(Decimal("0.01"))
    assert Decimal(bob["lifetime_value"]) == usd_b
    assert bob["not_converted"] == [{"currency": "GBP", "orders": 1,
                                     "amount": str(await totals(core, 3))}]


async def test_top_customers_by_revenue_and_profit(core: Core) -> None:
    await sales_shop(core.bus)
    by_revenue = await core.views.top_customers(10, "revenue")
    assert [(c["email"], c["revenue"], c["profit"]) for c in by_revenue] == [
        ("cy@example.com", "45.50", "29.10"), ("ada@example.com", "42.50", "31.45"),
        ("bob@example.com", "12.60", "8.10")]
    by_profit = await core.views.top_customers(2, "profit")
    assert [c["email"] for c in by_profit] == ["ada@example.com", "cy@example.com"]
    assert by_revenue[2]["not_converted"][0]["currency"] == "GBP"


async def test_top_products_convert_and_leave_out_cancelled_and_replacements(
        core: Core) -> None:
    await sales_shop(core.bus)
    since = NOW.replace(day=1)
    mugs, tea = await core.views.top_products(since, 10, "revenue")
    # MUG-01: A 25.00 + B 14.00 USD × 0.90 + F 50.00 (refunds are not subtracted here)
    assert (mugs["sku"], mugs["units"], mugs["orders"], mugs["revenue"], mugs["profit"]) == (
        "MUG-01", 7, 3, "87.60", "58.50")
    # TEA-01: H 8.00 + G 10.00 USD × 0.95 + OUT 8.00; C (GBP) has no rate
    assert (tea["units"], tea["revenue"], tea["not_converted"][0]["currency"]) == (
        4, "25.50", "GBP")
    by_units = await core.views.top_products(since, 1, "units")
    assert [p["sku"] for p in by_units] == ["MUG-01"]


async def test_cancelled_units_are_not_sold(core: Core) -> None:
    await sales_shop(core.bus)
    order = await place(core.bus, "P", "EUR", "web", at(21, 15),
                        priced("MUG-01", 3, "12.50", "4.10"), email="dee@example.com")
    await core.bus.handle(oc.CancelOrder(order, "one too many",
                                         (oc.CancelLine("MUG-01", 1),)))
    view = sales_report_view(await core.views.sales_report(
        report_window("2026-11-21..2026-11-21", NOW, ROME)))
    # The 21st had 20.60 net and 16.10 margin: P adds 2 × 12.50 and 2 × (12.50 − 4.10).
    assert (view["orders"], view["net_revenue"], view["margin"]) == (4, "45.60", "32.90")
    dee = await core.views.customer("dee@example.com")
    assert dee is not None and dee["revenue"] == "25.00"
    # the order's total is what it charges now (F9): the cancelled unit is out of it
    assert Decimal(dee["lifetime_value"]) == await totals(core, order) == Decimal("25.00")
    [mugs] = [p for p in await core.views.top_products(NOW.replace(day=1), 5, "units")
              if p["sku"] == "MUG-01"]
    assert mugs["units"] == 9


@pytest.mark.parametrize("prices_include_tax", [True, False])
async def test_report_revenue_is_the_journals_net_revenue(
        database_url: str, clock: FixedClock, prices_include_tax: bool) -> None:
    """Goods at 22% and 10% VAT with shipping, shipped, one refund of goods with the
    shipping, one of goods only: revenue, refunds and margin in the report, a customer's
    revenue and the products' revenue are the journal's `sales` and `refunds` accounts."""
    core = build_core(make_settings(database_url, prices_include_tax=prices_include_tax),
                      clock=clock)
    try:
        bus = core.bus
        await small_shop(bus)
        await bus.handle(ic.UpsertShippingMethod("standard", "Standard", 48, 5, D("4.90"),
                                                 "EUR"))
        await bus.handle(ic.UpsertProduct("MUG-01", "Mug", D("12.35"), "EUR", D("4.10"),
                                          tax_rate=D(22)))
        await bus.handle(ic.UpsertProduct("TEA-01", "Tea", D("7.99"), "EUR", tax_rate=D(10)))
        one = await place(bus, "V1", "EUR", "web", at(23, 9), priced("MUG-01", 3, "12.35"),
                          priced("TEA-01", 2, "7.99"))
        two = await place(bus, "V2", "EUR", "store", at(23, 10), priced("TEA-01", 1, "7.99"),
                          email="bob@example.com")
        three = await place(bus, "V3", "EUR", "web", at(23, 11), priced("MUG-01", 1, "12.35"))
        for number in (one, two, three):  # V1 ships in two parcels (MIL and ROM)
            for parcel in range(2 if number == one else 1):
                await bus.handle(oc.ShipOrder(number, "BRT", f"T{number}-{parcel}"))
            await bus.handle(oc.DeliverOrder(number))
        await refund_returned(bus, one, ("MUG-01", 1), amount=None)
        order_two = await core.views.order(two)
        assert order_two is not None
        await refund_returned(bus, two, ("TEA-01", 1), amount=D(order_two["paid"]))
        journal = await core.views.journal(date(2026, 11, 1), date(2026, 11, 30))
        sales = sum((D(j["credit"]) - D(j["debit"]) for j in journal
                     if j["account"] == "sales"), D(0))
        refunds = sum((D(j["debit"]) - D(j["credit"]) for j in journal
                       if j["account"] == "refunds"), D(0))
        view = sales_report_view(await core.views.sales_report(
            report_window("2026-11-23..2026-11-23", NOW, ROME)))
        assert (D(view["revenue"]), D(view["refunds"])) == (sales, refunds)
        assert D(view["net_revenue"]) == sales - refunds
        assert D(view["margin"]) == sales - refunds - D("4.10") * 4
        ada = await core.views.customer("ada@example.com")
        bob = await core.views.customer("bob@example.com")
        assert ada is not None and bob is not None
        assert D(ada["revenue"]) + D(bob["revenue"]) == sales - refunds
        products = await core.views.top_products(NOW.replace(day=1), 10, "revenue")
        assert sum((D(p["revenue"]) for p in products), D(0)) == sales
        # Lifetime value stays what was paid, less what was paid back.
        order_one = await core.views.order(one)
        assert order_one is not None
        assert D(bob["lifetime_value"]) == D(0)
        assert D(ada["lifetime_value"]) == (
            D(order_one["total"]) - D(order_one["refunded"]) + D(
                (await core.views.order(three) or {})["total"]))
    finally:
        await core.close()


async def refund_returned(bus: MessageBus, order_id: int, line: tuple[str, int],
                          amount: Decimal | None) -> None:
    ret = await bus.handle(rc.RequestReturn(order_id, "no", (rc.ReturnLineRequest(*line),)))
    for action in ("approve", "receive"):
        await bus.handle(rc.DecideReturn(ret.return_id, action))
    await bus.handle(rc.DecideReturn(ret.return_id, "refund", amount=amount))


async def test_a_refund_beyond_goods_leaves_goods_revenue_alone(core: Core) -> None:
    """F8: 10.00 refunded for a free unit (0.00 goods): 4.90 gives the shipping back, 5.10
    is paid beyond goods and shipping (`extra_refunds`); neither is goods refunded, so the
    report's refunds and the customer's revenue stay as sold."""
    bus = core.bus
    await small_shop(bus)
    await bus.handle(ic.UpsertShippingMethod("standard", "Standard", 48, 5, D("4.90"), "EUR"))
    order = await place(bus, "GIFT", "EUR", "web", at(23, 9), priced("MUG-01", 1, "0.00"),
                        priced("MUG-01", 1, "14.00"), email="gift@example.com")
    await bus.handle(oc.ShipOrder(order, "BRT", "TGIFT"))
    await bus.handle(oc.DeliverOrder(order))
    await refund_returned(bus, order, ("MUG-01", 1), amount=D("10.00"))

    journal = await core.views.journal(date(2026, 11, 1), date(2026, 11, 30))
    booked = {j["account"]: D(j["debit"]) for j in journal if j["entry"].startswith("RFD-")
              and D(j["debit"])}
    assert booked == {"shipping_income": D("4.90"), "extra_refunds": D("5.10")}
    view = sales_report_view(await core.views.sales_report(
        report_window("2026-11-23..2026-11-23", NOW, ROME)))
    assert (view["revenue"], view["refunds"], view["net_revenue"]) == ("14.00", "0.00",
                                                                       "14.00")
    customer = await core.views.customer("gift@example.com")
    assert customer is not None and customer["revenue"] == "14.00"
    assert customer["lifetime_value"] == "8.90"  # 18.90 paid, 10.00 paid back
