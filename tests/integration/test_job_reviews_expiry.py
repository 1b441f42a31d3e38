"""review-requests and expire-unpaid with a controlled clock (SQLite and PostgreSQL)."""

from __future__ import annotations

from bot.bootstrap import Core
from domain.clock import FixedClock
from domain.orders import commands as oc
from domain.returns import commands as rc
from tests.catalog import order_command, small_shop
from tests.jobs_support import outbox, run, stock


async def _delivered(core: Core, external_id: str) -> int:
    placed = await core.bus.handle(order_command(external_id, lines=(("MUG-01", 1),)))
    await core.bus.handle(oc.ShipOrder(placed.order_id, "BRT", f"T-{external_id}"))
    await core.bus.handle(oc.DeliverOrder(placed.order_id))
    return int(placed.order_id)


async def test_review_request_after_the_configured_time_once(core: Core, clock: FixedClock
                                                             ) -> None:
    await small_shop(core.bus)
    order_id = await _delivered(core, "R-1")
    clock.advance(days=3, minutes=-1)  # OMSBOT_REVIEW_REQUEST_AFTER defaults to P3D
    assert (await run(core, "review-requests")).lines == ()
    clock.advance(minutes=2)
    assert (await run(core, "review-requests")).lines == ("ORD-000001: review request sent",)
    [mail] = await outbox(core, "review_request")
    assert (mail["channel"], mail["recipient"], mail["payload"]) == (
        "email", "ada@example.com", {"order_id": order_id})
    clock.advance(hours=6)
    assert (await run(core, "review-requests")).lines == ()
    assert len(await outbox(core, "review_request")) == 1


async def test_no_review_request_for_returned_reviewed_or_stale_orders(
    core: Core, clock: FixedClock
) -> None:
    await small_shop(core.bus)
    returned = await _delivered(core, "R-1")
    await core.bus.handle(rc.RequestReturn(returned, "broken"))
    reviewed = await _delivered(core, "R-2")
    await core.bus.handle(oc.RecordReview(reviewed, 5, "lovely"))
    cancelled = await core.bus.handle(order_command("R-3", lines=(("MUG-01", 1),)))
    await core.bus.handle(oc.CancelOrder(cancelled.order_id, "changed mind"))
    clock.advance(days=4)
    assert (await run(core, "review-requests")).lines == ()
    await _delivered(core, "R-4")
    clock.advance(days=30)  # delivered long ago by the time anyone looks: not asked
    assert (await run(core, "review-requests")).lines == ()
    assert await outbox(core, "review_request") == []


async def test_unpaid_order_expires_releases_stock_and_tells_the_customer(
    core: Core, clock: FixedClock
) -> None:
    await small_shop(core.bus)
    unpaid = await core.bus.handle(order_command("U-1", payment_status="pending"))
    paid_later = await core.bus.handle(order_command("U-2", payment_status="pending"))
    await core.bus.handle(oc.ConfirmPayment(paid_later.order_id))
    assert (await stock(core, "MUG-01", "MIL"))["reserved"] == 4
    clock.advance(hours=23)  # OMSBOT_UNPAID_HOLD defaults to PT24H
    assert (await run(core, "expire-unpaid")).lines == ()

    clock.advance(hours=2)
    [line] = (await run(core, "expire-unpaid")).lines
    assert line.startswith("ORD-000001: unpaid since 2026-11-24T10:00:00Z: cancelled, 2 units")
    view = await core.views.order(unpaid.order_id)
    assert view is not None
    assert (view["status"], view["cancel_reason"]) == ("cancelled", "unpaid")
    assert (await stock(core, "MUG-01", "MIL"))["reserved"] == 2  # the paid one keeps its
    [mail] = await outbox(core, "order_cancelled")
    assert (mail["channel"], mail["recipient"]) == ("email", "ada@example.com")
    assert mail["payload"] == {"order_id": unpaid.order_id, "reason": "unpaid"}

    assert (await run(core, "expire-unpaid")).lines == ()
    assert len(await outbox(core, "order_cancelled")) == 1
    assert (await stock(core, "MUG-01", "MIL"))["reserved"] == 2


async def test_cancelling_by_hand_tells_the_customer_once(core: Core) -> None:
    """Staff cancel an unpaid order: the customer is mailed order_cancelled (tester F6:
    before, only the expiry job told them), and no refund, as nothing was paid."""
    await small_shop(core.bus)
    placed = await core.bus.handle(order_command(payment_status="pending"))
    await core.bus.handle(oc.CancelOrder(placed.order_id, "out of stock"))
    [mail] = await outbox(core, "order_cancelled")
    assert (mail["channel"], mail["payload"]) == (
        "email", {"order_id": placed.order_id, "reason": "out of stock"})
    assert await outbox(core, "refund_issued") == []
