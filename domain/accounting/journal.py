"""The accounting journal: every money event becomes one balanced double-entry entry.

Each line carries its amount in the order's currency (`debit`/`credit`, decimals quantised
to that currency's ISO 4217 minor unit) and in the base currency (`debit_base`/
`credit_base`, at the rate of the entry's day; None when there is no rate for that day,
which the memo then says). Debits equal credits in each entry, in both columns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, cast
from zoneinfo import ZoneInfo

from domain.accounting import events as ae
from domain.errors import ValidationError
from domain.events import Event
from domain.money import quantize

CASH = "cash"
RECEIVABLES = "receivables"
SALES = "sales"
SHIPPING_INCOME = "shipping_income"
VAT_PAYABLE = "vat_payable"
REFUNDS = "refunds"  # returned goods, net of VAT: what the reports take off revenue
EXTRA_REFUNDS = "extra_refunds"  # paid back beyond goods and shipping (goodwill, a difference)
INVENTORY = "inventory"
COGS = "cogs"
INVENTORY_ADJUSTMENTS = "inventory_adjustments"  # stock shrinkage (debit) and gains (credit)
ACCOUNTS = (CASH, RECEIVABLES, SALES, SHIPPING_INCOME, VAT_PAYABLE, REFUNDS, EXTRA_REFUNDS,
            INVENTORY, COGS, INVENTORY_ADJUSTMENTS)
ZERO = Decimal(0)


@dataclass(frozen=True)
class JournalLine:
    """One debit or credit of an entry. `day`: the entry's date in the shop's time zone."""

    day: date
    at: datetime
    entry: str
    account: str
    debit: Decimal
    credit: Decimal
    currency: str
    debit_base: Decimal | None
    credit_base: Decimal | None
    order_id: int | None = None
    return_id: int | None = None
    memo: str = ""


class MoneyEvent(Protocol):
    @property
    def order_id(self) -> int | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def at(self) -> datetime: ...


RateOn = Callable[[str, date], Awaitable[Decimal | None]]
"""1 unit of a currency in base currency units on a day; None when there is no rate."""


def _legs(event: Event) -> tuple[str, list[tuple[str, Decimal, Decimal, str]]] | None:
    """(entry id, [(account, debit, credit, memo)]) of a money event; None for others."""
    match event:
        case ae.PaymentReceived(payment_id=pid, amount=amount, method=method):
            memo = f"payment{f' ({method})' if method else ''}"
            return f"PAY-{pid:06d}", [(CASH, amount, ZERO, memo),
                                      (RECEIVABLES, ZERO, amount, memo)]
        case ae.GoodsShipped():
            s = event
            ref = f"SHP-{s.shipment_id:06d}" if s.shipment_id else f"SHP-O{s.order_id:06d}"
            return ref, [
                (RECEIVABLES, s.net + s.tax + s.shipping + s.shipping_tax, ZERO,
                 "goods shipped"),
                (SALES, ZERO, s.net, "goods shipped, net of VAT"),
                (VAT_PAYABLE, ZERO, s.tax, "VAT on goods shipped"),
                (SHIPPING_INCOME, ZERO, s.shipping, "shipping charged, net of VAT"),
                (VAT_PAYABLE, ZERO, s.shipping_tax, "VAT on shipping charged"),
                (COGS, s.cost, ZERO, "cost of goods shipped"),
                (INVENTORY, ZERO, s.cost, "cost of goods shipped")]
        case ae.RefundPaid(unshipped=True):
            return f"RFD-{event.refund_id:06d}", [
                (RECEIVABLES, event.amount, ZERO, "refund of units that never shipped"),
                (CASH, ZERO, event.amount, "refund of units that never shipped")]
        case ae.RefundPaid():
            e = event
            return f"RFD-{e.refund_id:06d}", [
                (REFUNDS, e.net, ZERO, "goods refunded, net of VAT"),
                (VAT_PAYABLE, e.tax, ZERO, "VAT on goods refunded"),
                (SHIPPING_INCOME, e.shipping, ZERO, "shipping refunded, net of VAT"),
                (VAT_PAYABLE, e.shipping_tax, ZERO, "VAT on shipping refunded"),
                (EXTRA_REFUNDS, e.goodwill, ZERO, "refunded beyond goods and shipping"),
                (CASH, ZERO, e.amount, "refund paid")]
        case ae.ReturnRestocked(return_id=rid, cost=cost):
            return f"RST-{rid:06d}", [(INVENTORY, cost, ZERO, "returned goods restocked"),
                                      (COGS, ZERO, cost, "returned goods restocked")]
        case ae.InventoryAdjusted(adjustment_id=aid, cost=cost, delta=delta):
            memo = f"{event.sku} at {event.warehouse}: {delta:+d} units at cost"
            if delta < 0:
                return f"ADJ-{aid:06d}", [(INVENTORY_ADJUSTMENTS, cost, ZERO, memo),
                                          (INVENTORY, ZERO, cost, memo)]
            return f"ADJ-{aid:06d}", [(INVENTORY, cost, ZERO, memo),
                                      (INVENTORY_ADJUSTMENTS, ZERO, cost, memo)]
    return None


async def book(events: Sequence[Event], rate_on: RateOn, *, base_currency: str,
               timezone: str) -> list[JournalLine]:
    """The journal lines of `events` (money events; others are ignored), balanced per
    entry in both currencies."""
    lines: list[JournalLine] = []
    zone = ZoneInfo(timezone)
    for event in events:
        legs = _legs(event)
        if legs is None:
            continue
        entry, rows = legs
        rows = [r for r in rows if r[1] or r[2]]
        if not rows:
            continue
        money = cast(MoneyEvent, event)
        day = money.at.astimezone(zone).date()
        rate = (Decimal(1) if money.currency == base_currency
                else await rate_on(money.currency, day))
        missing = "" if rate is not None else no_rate_memo(base_currency, money.currency, day)
        booked = [JournalLine(
            day, money.at, entry, account, debit, credit, money.currency, None, None,
            money.order_id, getattr(event, "return_id", None), memo + missing)
            for account, debit, credit, memo in rows]
        lines += booked if rate is None else in_base(booked, rate, base_currency)
    return lines


def no_rate_memo(base_currency: str, currency: str, day: date) -> str:
    """What the memo of a line without a base amount adds (it starts with "; ")."""
    return f"; no {base_currency} rate for {currency} on {day}: base columns left empty"


def in_base(entry: Sequence[JournalLine], rate: Decimal, base_currency: str
            ) -> list[JournalLine]:
    """The lines of one entry with their base columns at `rate` (base currency per unit;
    each amount half-even to the base currency's ISO 4217 digits, debits balanced with
    credits) and without a "no rate" note in the memo. The journal export uses it for
    lines booked before the day's rate was set (CONTRACT §9: the base columns are at the
    day's rate, as the reports convert)."""
    converted = []
    for ln in entry:
        note = no_rate_memo(base_currency, ln.currency, ln.day)
        converted.append(replace(
            ln, debit_base=quantize(ln.debit * rate, base_currency),
            credit_base=quantize(ln.credit * rate, base_currency),
            memo=ln.memo.removesuffix(note)))
    return _balance_base(converted)


def _balance_base(lines: list[JournalLine]) -> list[JournalLine]:
    """Rounding each line to the base currency may leave a cent between debits and
    credits: the largest line of the short side takes it."""
    if any(ln.debit_base is None for ln in lines):
        return lines
    debit = sum((ln.debit_base or ZERO for ln in lines), ZERO)
    credit = sum((ln.credit_base or ZERO for ln in lines), ZERO)
    if debit == credit:
        return lines
    gap = abs(debit - credit)
    if debit > credit:
        i = max(range(len(lines)), key=lambda k: lines[k].credit_base or ZERO)
        lines[i] = replace(lines[i], credit_base=(lines[i].credit_base or ZERO) + gap)
    else:
        i = max(range(len(lines)), key=lambda k: lines[k].debit_base or ZERO)
        lines[i] = replace(lines[i], debit_base=(lines[i].debit_base or ZERO) + gap)
    return lines


MAX_JOURNAL_DAYS = 400


def journal_period(start: str | None, end: str | None) -> tuple[date, date]:
    """`from` and `to` (YYYY-MM-DD, both included) → days; ValidationError naming the
    bad one (at most MAX_JOURNAL_DAYS apart)."""
    days: list[date] = []
    for name, raw in (("from", start), ("to", end)):
        try:
            days.append(date.fromisoformat(raw or ""))
        except ValueError:
            raise ValidationError(name, "must be a date written YYYY-MM-DD") from None
    if days[1] < days[0]:
        raise ValidationError("to", "must not be before from")
    if (days[1] - days[0]).days > MAX_JOURNAL_DAYS:
        raise ValidationError("to", f"a journal covers at most {MAX_JOURNAL_DAYS} days")
    return days[0], days[1]
