"""The staff grammar: every command valid and invalid, roles, help, and properties."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.staff_grammar import (
    COMMAND_NAMES,
    DEFAULT_ENABLED,
    HELP,
    UsageError,
    decode_slack_text,
    format_order_number,
    format_rma,
    help_lines,
    parse,
    parse_order_number,
    parse_rma,
    usage,
)
from channels.staff_requests import (
    CUSTOMER_RANKINGS,
    ORDER_CHANNELS,
    ORDER_FLAGS,
    ORDER_STATUSES,
    PICK_STRATEGIES,
    PRODUCT_RANKINGS,
    REPORT_PERIODS,
    RETURN_DECISIONS,
    AdjustStock,
    ApprovePurchaseOrder,
    CancelOrder,
    ChooseRate,
    DeliverOrder,
    FlagOrder,
    Help,
    HoldOrder,
    ListOrders,
    ListReturns,
    LowStock,
    NewOrder,
    PackingSlip,
    PayOrder,
    PickList,
    PurchaseOrders,
    ReceiveStock,
    ReleaseOrder,
    Report,
    ReturnAction,
    Role,
    Scan,
    SetFxRate,
    SetStaffRole,
    ShipOrder,
    ShippingLabel,
    ShowCustomer,
    ShowForecast,
    ShowFxRates,
    ShowOrder,
    ShowRates,
    ShowStock,
    StaffRequest,
    StartPacking,
    TopCustomers,
    TopProducts,
)
from channels.staff_values import MAX_NUMBER, MAX_QUANTITY

VALID: list[tuple[str, StaffRequest]] = [
    ("", Help()),
    ("   ", Help()),
    ("help", Help()),
    ("HELP ship", Help("ship")),
    ("/oms help", Help()),
    ("order ORD-000123", ShowOrder(123)),
    ("order ord-123", ShowOrder(123)),
    ("Order #123", ShowOrder(123)),
    ("order 123", ShowOrder(123)),
    ("order ORD-1234567", ShowOrder(1234567)),
    ("orders", ListOrders()),
    ("orders shipped", ListOrders("shipped")),
    ("orders On-Hold", ListOrders("on_hold")),
    ("orders pending payment", ListOrders("pending_payment")),
    ("orders canceled", ListOrders("cancelled")),
    ("new ada@example.com MUG-01:2", NewOrder("ada@example.com", (("MUG-01", 2),), "phone")),
    (
        "new <mailto:Ada@Example.com|Ada@Example.com> mug-01:2 tee.s_1:1 MUG-01:3 Store",
        NewOrder("ada@example.com", (("mug-01", 2), ("tee.s_1", 1), ("MUG-01", 3)), "store"),
    ),
    ("new bob&amp;co@shop.it CAP:1 phone", NewOrder("bob&co@shop.it", (("CAP", 1),), "phone")),
    ("ship 123 DHL 1Z999", ShipOrder(123, "DHL", "1Z999")),
    ("ship #7 ups 1Z9 eta 2026-12-01", ShipOrder(7, "ups", "1Z9", date(2026, 12, 1))),
    ("ship 7 <http://poste.it|poste.it> RR1 ETA 2026-01-31", ShipOrder(7, "poste.it", "RR1",
                                                                      date(2026, 1, 31))),
    ('ship 7 "Poste Italiane" RR1', ShipOrder(7, "Poste Italiane", "RR1")),
    ("deliver ORD-000009", DeliverOrder(9)),
    ("cancel 123", CancelOrder(123, "")),
    ("cancel 123 customer changed mind", CancelOrder(123, "customer changed mind")),
    ('cancel 123 "customer changed  mind"', CancelOrder(123, "customer changed mind")),
    ("cancel 123 “smart quotes”", CancelOrder(123, "smart quotes")),
    ("cancel 123 customer's mind &amp; budget", CancelOrder(123, "customer's mind & budget")),
    ("hold 5", HoldOrder(5)),
    ("release #5", ReleaseOrder(5)),
    ("flag 5 VIP", FlagOrder(5, "vip")),
    ("flag 5 replacement", FlagOrder(5, "replacement")),
    ("stock mug-01", ShowStock("mug-01")),
    ("forecast mug-01", ShowForecast("mug-01")),
    ("receive mug-01 50", ReceiveStock("mug-01", 50)),
    ("receive MUG-01 1000000 MIL-1", ReceiveStock("MUG-01", 1_000_000, "MIL-1")),
    ("adjust mug-01 MIL -2 damaged in transit",
     AdjustStock("mug-01", "MIL", "-", 2, "damaged in transit")),
    ("adjust MUG-01 ROM +3 found", AdjustStock("MUG-01", "ROM", "+", 3, "found")),
    ("adjust MUG-01 ROM =0 stock take", AdjustStock("MUG-01", "ROM", "=", 0, "stock take")),
    ("lowstock", LowStock()),
    ("returns", ListReturns()),
    ("return approve RMA-000045", ReturnAction("approve", 45)),
    ("return Refund 45", ReturnAction("refund", 45)),
    ("return refund RMA-000045 12.50", ReturnAction("refund", 45, amount=Decimal("12.50"))),
    ("return refund 45 12,5", ReturnAction("refund", 45, amount=Decimal("12.5"))),
    ("pay 12 18.90", PayOrder(12, Decimal("18.90"))),
    ("pay ORD-000012 5 bank-transfer", PayOrder(12, Decimal("5"), "bank-transfer")),
    ("customer ada@example.com", ShowCustomer("ada@example.com")),
    ("customer <mailto:ada@example.com|ada@example.com>", ShowCustomer("ada@example.com")),
    ("top", TopCustomers(10)),
    ("top 5", TopCustomers(5)),
    ("top profit", TopCustomers(10, "profit")),
    ("top 3 Profit", TopCustomers(3, "profit")),
    ("top products", TopProducts(10)),
    ("top products 5 units", TopProducts(5, "units")),
    ("top products profit", TopProducts(10, "profit")),
    ("report", Report("today")),
    ("report month", Report("month")),
    ("picklist wave", PickList("wave")),
    ("picklist zone MIL", PickList("zone", "MIL")),
    ("picklist batch MIL 10", PickList("batch", "MIL", 10)),
    ("ship 12", ShipOrder(12)),
    ("rates ORD-000012", ShowRates(12)),
    ("rates 12 brt express", ChooseRate(12, "brt", "express")),
    ("label 12", ShippingLabel(12)),
    ("slip #12", PackingSlip(12)),
    ("pack 12", StartPacking(12)),
    ("scan 8000000000017", Scan("8000000000017")),
    ("po", PurchaseOrders()),
    ("po approve 12", ApprovePurchaseOrder(12)),
    ("po approve PO-000012", ApprovePurchaseOrder(12)),
    ("staff <@U123ABC> operator", SetStaffRole("U123ABC", Role.OPERATOR)),
    ("staff <@U123ABC|ann smith> Admin", SetStaffRole("U123ABC", Role.ADMIN)),
    ("staff &lt;@U123ABC&gt; viewer", SetStaffRole("U123ABC", Role.VIEWER)),
    ("staff @W123ABC viewer", SetStaffRole("W123ABC", Role.VIEWER)),
    ("staff U123ABC viewer", SetStaffRole("U123ABC", Role.VIEWER)),
    ("staff @ann operator", SetStaffRole("", Role.OPERATOR, "ann")),
    ("staff @Ann Smith admin", SetStaffRole("", Role.ADMIN, "Ann Smith")),
    ('staff "@ann.b" viewer', SetStaffRole("", Role.VIEWER, "ann.b")),
    ("fx", ShowFxRates()),
    ("fx usd 0.9234", SetFxRate("USD", Decimal("0.9234"))),
    ("FX HUF 0,0025", SetFxRate("HUF", Decimal("0.0025"))),
    ("fx JPY 0.0061234567", SetFxRate("JPY", Decimal("0.0061234567"))),
]

INVALID: list[tuple[str, str, str]] = [  # text, message, command whose usage is shown
    ("foo", "Unknown command `foo`.", "help"),
    ("help foo", "Unknown command `foo`.", "help"),
    ("help ship now", "`now` is one word too many for `help`.", "help"),
    ("order", "`order` needs an order number.", "order"),
    ("order ORD-0", "`ORD-0` is not an order number", "order"),
    ("order ORX-12", "`ORX-12` is not an order number", "order"),
    ("order 99999999999", "is not an order number", "order"),
    ("order 1 2", "`2` is one word too many for `order`.", "order"),
    ("orders nope", "`nope` is not an order status", "orders"),
    ("new", "`new` needs the customer's e-mail and at least one item", "new"),
    ("new ada@example", "`ada@example` is not an e-mail address.", "new"),
    ("new ada@example.com", "`new` needs at least one item written SKU:QTY.", "new"),
    ("new ada@example.com MUG-01", "`MUG-01` is not an item; write SKU:QTY", "new"),
    ("new ada@example.com MUG-01:0", "`0` is not a positive quantity.", "new"),
    ("new ada@example.com M?G:1", "`M?G` is not a SKU", "new"),
    ("new ada@example.com store", "`store` is not an item", "new"),
    ("new ada@example.com MUG:1 web", "`web` is not an item", "new"),
    ("ship", "`ship` needs an order number.", "ship"),
    ("rates", "`rates` needs an order number.", "rates"),
    ("rates 12 BRT", "`rates` needs a service.", "rates"),
    ("scan", "`scan` needs a scanned code.", "scan"),
    ("scan a b", "`b` is one word too many for `scan`.", "scan"),
    ("picklist batch MIL 0", "`0` is not a positive batch size.", "picklist"),
    ("ship 123 DHL", "`ship` needs a tracking number.", "ship"),
    ("ship 123 DHL 1Z eta", "`ship` needs a date written YYYY-MM-DD.", "ship"),
    ("ship 123 DHL 1Z eta 2026-02-30", "`2026-02-30` is not a date; write YYYY-MM-DD.", "ship"),
    ("ship 123 DHL 1Z eta 20261201", "`20261201` is not a date", "ship"),
    ("ship 123 DHL 1Z tomorrow", "`tomorrow` is unexpected", "ship"),
    ("ship 123 DHL 1Z eta 2026-12-01 x", "`x` is one word too many for `ship`.", "ship"),
    ("deliver", "`deliver` needs an order number.", "deliver"),
    ("cancel", "`cancel` needs an order number.", "cancel"),
    ("cancel 12 " + "x" * 501, "The reason is too long", "cancel"),
    ("hold 1 2", "`2` is one word too many for `hold`.", "hold"),
    ("release abc", "`abc` is not an order number", "release"),
    ("flag 1", "`flag` needs a flag (vip, gift or replacement).", "flag"),
    ("flag 1 rush", "`rush` is not a flag; use one of: vip, gift, replacement.", "flag"),
    ("stock", "`stock` needs a SKU.", "stock"),
    ("forecast", "`forecast` needs a SKU.", "forecast"),
    ("forecast MUG-01 MIL", "is one word too many for `forecast`", "forecast"),
    ("stock " + "A" * 65, "is not a SKU", "stock"),
    ("receive MUG-01", "`receive` needs a quantity.", "receive"),
    ("receive MUG-01 0", "`0` is not a positive quantity.", "receive"),
    ("receive MUG-01 -3", "`-3` is not a positive quantity.", "receive"),
    ("receive MUG-01 1000001", "`1000001` is more than the maximum quantity of 1,000,000.",
     "receive"),
    ("receive MUG-01 2.5", "`2.5` is not a quantity", "receive"),
    ("receive MUG-01 5 MIL north", "`north` is one word too many", "receive"),
    ("receive MUG-01 5 M/L", "`M/L` is not a warehouse code.", "receive"),
    ("adjust MUG-01 MIL -2", "`adjust` needs a reason.", "adjust"),
    ("adjust MUG-01 MIL 2 found", "`2` is not a change of stock", "adjust"),
    ("adjust MUG-01 MIL +0 found", "`0` is not a positive quantity.", "adjust"),
    ("adjust MUG-01 MIL -1000001 x", "is more than the maximum quantity", "adjust"),
    ("lowstock now", "`now` is one word too many for `lowstock`.", "lowstock"),
    ("returns 1", "`1` is one word too many for `returns`.", "returns"),
    ("return", "`return` needs an action (approve, reject, receive or refund) and a return",
     "return"),
    ("return approve", "`return` needs a return number.", "return"),
    ("return accept 45", "`accept` is not a return action", "return"),
    ("return approve ORD-45", "`ORD-45` is not a return number", "return"),
    ("return approve 45 10.00", "`10.00` is one word too many for `return`.", "return"),
    ("return refund 45 -3", "`-3` is not an amount; write it like 18.90.", "return"),
    ("return refund 45 0", "`0` is not a positive amount.", "return"),
    ("pay 12", "`pay` needs an amount.", "pay"),
    ("pay 12 abc", "`abc` is not an amount; write it like 18.90.", "pay"),
    ("pay 12 1.00 card extra", "`extra` is one word too many for `pay`.", "pay"),
    ("customer", "`customer` needs an e-mail address.", "customer"),
    ("customer ada", "`ada` is not an e-mail address.", "customer"),
    ("top 0", "`0` is not a positive number.", "top"),
    ("top 101", "`101` is more than the maximum number of 100.", "top"),
    ("top 5 units", "`units` is not a ranking; use one of: revenue, profit.", "top"),
    ("top products 5 units 2", "`2` is one word too many for `top`.", "top"),
    ("top revenue 5", "`5` is one word too many for `top`.", "top"),
    ("top products 0", "`0` is not a positive number.", "top"),
    ("report year", "`year` is not a period; use one of: today, week, month.", "report"),
    ("picklist", "`picklist` needs a strategy", "picklist"),
    ("picklist fast", "`fast` is not a pick strategy", "picklist"),
    ("po 12", "`12` is unexpected; write `po` or `po approve ID`.", "po"),
    ("po approve", "`po` needs a purchase order number.", "po"),
    ("po approve x", "`x` is not a purchase order number", "po"),
    ("staff", "`staff` needs a person (@user) and a role", "staff"),
    ("staff bob admin", "`bob` is not a Slack user", "staff"),
    ("staff <@U123ABC> boss", "`boss` is not a role; use one of: viewer, operator, admin.",
     "staff"),
    ("fx USD", "`fx` needs a rate (1 CURRENCY = RATE base currency).", "fx"),
    ("fx XYZ 1.1", "`XYZ` is not a currency; write an ISO 4217 code like USD.", "fx"),
    ("fx USD 0", "`0` is not a rate: it must be a number above 0.", "fx"),
    ("fx USD -1.2", "`-1.2` is not a rate: it must be a number above 0.", "fx"),
    ("fx USD 0.00000000001", "is not a rate: it must have at most 10 decimal places.", "fx"),
    ("fx USD 100000000", "is not a rate: it must be below 100,000,000.", "fx"),
    ("fx USD abc", "`abc` is not a rate: it must be a decimal number such as 1.0842.", "fx"),
    ("fx USD 1.1 2026-01-01", "`2026-01-01` is one word too many for `fx`.", "fx"),
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_commands(text: str, expected: StaffRequest) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "message", "command"), INVALID)
def test_invalid_commands_explain_and_show_usage(text: str, message: str, command: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.usage == usage(command)
    assert str(caught.value) == caught.value.message


def test_every_command_has_help_and_a_valid_example() -> None:
    assert set(COMMAND_NAMES) == {type(request).command for _, request in VALID}
    assert [entry.name for entry in HELP] == list(COMMAND_NAMES)


def test_usage_is_rendered_with_the_channel_prefix() -> None:
    assert usage("ship") == "/oms ship N [CARRIER TRACKING] [eta YYYY-MM-DD]"
    assert usage("ship", prefix="") == "ship N [CARRIER TRACKING] [eta YYYY-MM-DD]"
    with pytest.raises(UsageError) as caught:
        parse("ship 1 DHL", prefix="")
    assert caught.value.usage == "ship N [CARRIER TRACKING] [eta YYYY-MM-DD]"


def test_disabled_commands_are_unknown_and_not_listed() -> None:
    without_reports = DEFAULT_ENABLED - {"top", "report", "picklist", "po"}
    for text in ("report", "top 5", "picklist wave", "po", "help po"):
        with pytest.raises(UsageError, match="Unknown command"):
            parse(text, enabled=without_reports)
    assert parse("order 1", enabled=DEFAULT_ENABLED) == ShowOrder(1)
    assert parse("help", enabled=set()) == Help()
    with pytest.raises(UsageError, match="Unknown command `order`"):
        parse("order 1", enabled={"stock"})
    listed = "\n".join(help_lines(without_reports, prefix=""))
    assert "  ship N [CARRIER TRACKING] [eta YYYY-MM-DD] — " in listed
    assert "report" not in listed
    assert "/oms report [today|week|month]" in "\n".join(help_lines(None))


def test_help_lines_are_grouped_by_section() -> None:
    lines = help_lines(None)
    assert lines[0] == "Orders"
    assert lines[1].startswith("  /oms order N — ")
    assert "Staff" in lines


def test_reads_and_changes_declare_their_role() -> None:
    reads = [ShowOrder(1), ListOrders(), ShowStock("A"), ShowForecast("A"), LowStock(),
             ListReturns(), ShowCustomer("a@b.co"), TopProducts(), TopCustomers(), Report(),
             PickList("wave"), PurchaseOrders(), Help(), ShowFxRates()]
    changes = [NewOrder("a@b.co", (("A", 1),)), ShipOrder(1, "c", "t"), DeliverOrder(1),
               CancelOrder(1), HoldOrder(1), ReleaseOrder(1), FlagOrder(1, "vip"),
               ReceiveStock("A", 1), ReturnAction("approve", 1), ApprovePurchaseOrder(1),
               SetFxRate("USD", Decimal(1))]
    for read in reads:
        assert not read.is_change
        assert read.required_role is Role.VIEWER
        assert read.allowed_for(Role.VIEWER)
        assert not read.allowed_for(None)
    for change in changes:
        assert change.is_change
        assert change.required_role is Role.OPERATOR
        assert not change.allowed_for(Role.VIEWER)
        assert change.allowed_for(Role.OPERATOR)
        assert change.allowed_for(Role.ADMIN)
    staff = SetStaffRole("U1", Role.ADMIN)
    assert staff.is_change
    assert not staff.allowed_for(Role.OPERATOR)
    assert staff.allowed_for(Role.ADMIN)


@pytest.mark.parametrize(
    ("text", "number"),
    [("ORD-000123", 123), ("ord-123", 123), ("#123", 123), ("123", 123), ("ORD123", 123),
     (" 0042 ", 42)],
)
def test_parse_order_number(text: str, number: int) -> None:
    assert parse_order_number(text) == number


@pytest.mark.parametrize("text", ["", "0", "ORD-", "-1", "1.5", "ORD--1", "RMA-1", "١٢٣"])
def test_parse_order_number_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not an order number"):
        parse_order_number(text)


def test_format_numbers() -> None:
    assert format_order_number(123) == "ORD-000123"
    assert format_order_number(1234567) == "ORD-1234567"
    assert format_rma(45) == "RMA-000045"
    assert parse_rma("RMA-000045") == parse_rma("45") == 45
    with pytest.raises(ValueError):
        format_order_number(0)


def test_decode_slack_text() -> None:
    assert decode_slack_text("<mailto:a@b.co|a@b.co>") == "a@b.co"
    assert decode_slack_text("<@U1ABC|ann> &lt;x&gt; &amp;amp;") == "<@U1ABC> <x> &amp;"
    assert decode_slack_text("<#C123|general> <!here>") == "<#C123|general> <!here>"


# --- properties -----------------------------------------------------------------------------

_SKU = re.compile(r"[A-Za-z0-9._-]{1,64}")
_CHOICES: dict[str, tuple[Any, ...]] = {
    "status": (None, *ORDER_STATUSES), "flag": ORDER_FLAGS, "action": RETURN_DECISIONS,
    "period": REPORT_PERIODS, "strategy": PICK_STRATEGIES, "channel": ("phone", "store"),
    "role": tuple(Role), "topic": (None, *COMMAND_NAMES), "by": PRODUCT_RANKINGS,
}


def assert_sensible(request: StaffRequest) -> None:
    assert isinstance(request, StaffRequest)
    assert request.command in COMMAND_NAMES
    for field in fields(request):
        value = getattr(request, field.name)
        if field.name in {"number", "rma", "id"}:
            assert 1 <= value <= MAX_NUMBER
            assert parse_order_number(format_order_number(value)) == value
        elif field.name in {"n", "quantity"}:
            assert 1 <= value <= MAX_QUANTITY
        elif field.name == "sku":
            assert _SKU.fullmatch(value)
        elif field.name == "items":
            assert value or request.command == "cancel"  # cancel without items: everything
            for sku, quantity in value:
                assert _SKU.fullmatch(sku)
                assert 1 <= quantity <= MAX_QUANTITY
        elif field.name == "email":
            assert value == value.lower()
            assert value.count("@") >= 1
        elif field.name == "currency":
            assert re.fullmatch(r"[A-Z]{3}", value)
        elif field.name == "rate":
            assert 0 < value < 100_000_000
        elif field.name in _CHOICES:
            assert value in _CHOICES[field.name]


def _parse_or_usage_error(text: str) -> None:
    outcome: StaffRequest | UsageError
    try:
        outcome = parse(text)
    except UsageError as error:
        outcome = error
    if isinstance(outcome, UsageError):
        assert outcome.message
        assert outcome.usage.startswith("/oms ")
    else:
        assert_sensible(outcome)


_TOKENS = st.sampled_from([
    "1", "0", "-1", "#12", "ORD-000123", "ord-0", "99999999999", "1000000", "1000001", "MUG-01",
    "mug-01:2", "A:0", ":", "a@b.co", "<mailto:a@b.co|a@b.co>", "<@U123ABC|x>", "@bob", "eta",
    "2026-12-01", "2026-02-30", "vip", "store", "phone", "approve", "RMA-000045", "wave", "MIL",
    "admin", "on-hold", '"', '"quoted words"', "“", "&amp;", "&lt;", "<", ">", "|", "`", "\x00",
])
_WORDS = st.one_of(_TOKENS, st.text(max_size=12))
_NEAR_VALID = st.builds(
    lambda name, words, gaps: name + "".join(g + w for g, w in zip(gaps, words, strict=False)),
    st.sampled_from([*COMMAND_NAMES, "/oms", "HELP", "Order", "unknown"]),
    st.lists(_WORDS, max_size=7),
    st.lists(st.sampled_from([" ", "  ", "\t", "\n", "\u00a0"]), min_size=7, max_size=7),
)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_parses_or_raises_usage_error(text: str) -> None:
    _parse_or_usage_error(text)


@settings(max_examples=500, deadline=None)
@given(_NEAR_VALID)
def test_near_valid_commands_parse_or_raise_usage_error(text: str) -> None:
    _parse_or_usage_error(text)


# Valid requests spelled the many ways staff write them parse back to the same request.
_numbers = st.integers(1, MAX_NUMBER)
_skus = st.from_regex(r"[A-Za-z0-9._-]{1,20}", fullmatch=True)  # kept as typed (the domain
# matches a SKU without case)
_emails = st.from_regex(r"[a-z0-9_+-]{1,10}(\.[a-z0-9]{1,5})?@[a-z0-9]{1,10}\.[a-z]{2,6}",
                        fullmatch=True)
_words = st.from_regex(r"[A-Za-z0-9-]{1,20}", fullmatch=True)
_reasons = st.text(st.sampled_from("abc xyz,.!-"), max_size=40)


def _spell_number(draw: st.DrawFn, number: int, prefix: str) -> str:
    return draw(st.sampled_from([str(number), f"#{number}", f"{prefix}-{number:06d}",
                                 f"{prefix.lower()}-{number}"]))


def _spell_email(draw: st.DrawFn, email: str) -> str:
    return draw(st.sampled_from([email, email.upper(), f"<mailto:{email}|{email}>"]))


@st.composite
def spelled_requests(draw: st.DrawFn) -> tuple[StaffRequest, list[str]]:
    n = draw(_numbers)
    order = _spell_number(draw, n, "ORD")
    kind = draw(st.sampled_from(COMMAND_NAMES))
    if kind in {"order", "deliver", "hold", "release", "label", "slip", "pack"}:
        single_order: dict[str, Any] = {
            "order": ShowOrder, "deliver": DeliverOrder, "hold": HoldOrder,
            "release": ReleaseOrder, "label": ShippingLabel, "slip": PackingSlip,
            "pack": StartPacking}
        return single_order[kind](n), [kind, order]
    if kind == "new":
        email, items = draw(_emails), draw(st.lists(st.tuples(_skus, st.integers(1, 999)),
                                                    min_size=1, max_size=4))
        channel = draw(st.sampled_from(ORDER_CHANNELS))
        words = [kind, _spell_email(draw, email), *(f"{s}:{q}" for s, q in items)]
        words += [channel.upper()] if channel == "store" or draw(st.booleans()) else []
        return NewOrder(email, tuple(items), channel), words
    if kind == "ship":
        carrier, tracking, eta = draw(_words), draw(_words), draw(st.none() | st.dates())
        tail = ["eta", eta.isoformat()] if eta else []
        return ShipOrder(n, carrier, tracking, eta), [kind, order, carrier, tracking, *tail]
    if kind == "cancel":
        reason = draw(_reasons)
        quoted = draw(st.booleans())
        items = draw(st.lists(st.tuples(_skus, st.integers(1, 999)), max_size=3))
        return CancelOrder(n, " ".join(reason.split()), tuple(items)), [
            kind, order, *(f"{s}:{q}" for s, q in items),
            f'"{reason}"' if quoted else reason]
    if kind == "flag":
        flag = draw(st.sampled_from(ORDER_FLAGS))
        return FlagOrder(n, flag), [kind, order, flag.upper()]
    if kind in {"stock", "forecast", "receive"}:
        sku, quantity = draw(_skus), draw(st.integers(1, MAX_QUANTITY))
        if kind == "stock":
            return ShowStock(sku), [kind, sku]
        if kind == "forecast":
            return ShowForecast(sku), [kind.upper(), sku]
        warehouse = draw(st.none() | _words)
        return ReceiveStock(sku, quantity, warehouse), [kind, sku, str(quantity),
                                                        *([warehouse] if warehouse else [])]
    if kind == "return":
        action = draw(st.sampled_from(RETURN_DECISIONS))
        return ReturnAction(action, n), [kind, action, _spell_number(draw, n, "RMA")]
    if kind == "customer":
        email = draw(_emails)
        return ShowCustomer(email), [kind, _spell_email(draw, email)]
    if kind == "orders":
        status = draw(st.sampled_from(ORDER_STATUSES))
        return ListOrders(status), [kind, status.replace("_", draw(st.sampled_from("_- ")))]
    if kind == "staff":
        user, role = draw(st.from_regex(r"U[A-Z0-9]{8,10}", fullmatch=True)), draw(
            st.sampled_from(tuple(Role)))
        mention = draw(st.sampled_from([f"<@{user}>", f"<@{user}|a b>", f"@{user}", user]))
        return SetStaffRole(user, role), [kind, mention, role.value.title()]
    if kind == "top":
        top, products = draw(st.integers(1, 100)), draw(st.booleans())
        if products:
            by = draw(st.sampled_from(PRODUCT_RANKINGS))
            return TopProducts(top, by), [kind, "products", str(top), by]
        ranking = draw(st.sampled_from(CUSTOMER_RANKINGS))
        return TopCustomers(top, ranking), [kind, str(top), ranking.upper()]
    if kind == "report":
        period = draw(st.sampled_from(REPORT_PERIODS))
        return Report(period), [kind, period]
    if kind == "picklist":
        strategy, warehouse = draw(st.sampled_from(PICK_STRATEGIES)), draw(st.none() | _words)
        return PickList(strategy, warehouse), [kind, strategy, *([warehouse] if warehouse else [])]
    if kind == "po":
        return ApprovePurchaseOrder(n), [kind, "approve", str(n)]
    if kind == "pay":
        amount = Decimal(draw(st.integers(1, 10**9))).scaleb(-2)
        return PayOrder(n, amount), [kind, str(n), str(amount)]
    if kind == "rates":
        carrier, service = draw(_words), draw(_words)
        if draw(st.booleans()):
            return ShowRates(n), [kind, order]
        return ChooseRate(n, carrier, service), [kind, order, carrier, service]
    if kind == "scan":
        code = draw(_words)
        return Scan(code), [kind, code]
    if kind == "fx":
        currency = draw(st.sampled_from(["USD", "GBP", "HUF", "JPY", "KWD"]))
        rate = draw(st.decimals(min_value=Decimal("0.0000000001"), max_value=Decimal(99_999_999),
                                places=10))
        return SetFxRate(currency, rate), [kind, currency.lower(), format(rate, "f")]
    if kind == "help":
        topic = draw(st.sampled_from(COMMAND_NAMES))
        return Help(topic), [kind, topic.upper()]
    if kind == "adjust":
        sku, quantity, warehouse = draw(_skus), draw(st.integers(1, MAX_QUANTITY)), draw(_words)
        mode = draw(st.sampled_from(("+", "-", "=")))
        return AdjustStock(sku, warehouse, mode, quantity, "counted"), [
            kind, sku, warehouse, f"{mode}{quantity}", "counted"]
    bare: dict[str, StaffRequest] = {"lowstock": LowStock(), "returns": ListReturns()}
    return bare[kind], [kind]


@settings(max_examples=500, deadline=None)
@given(spelled_requests(), st.sampled_from([" ", "  ", "\t", " \n "]))
def test_valid_requests_spelled_any_way_parse_back(
    spelled: tuple[StaffRequest, list[str]], gap: str
) -> None:
    request, words = spelled
    assert parse(gap.join(words)) == request
    assert_sensible(request)


def test_a_mistyped_command_gets_the_usage_of_the_one_it_looks_like() -> None:
    with pytest.raises(UsageError) as caught:
        parse("recieve MUG-01 5", prefix="")
    assert caught.value.message == "Unknown command `recieve`; did you mean `receive`?"
    assert caught.value.usage == "receive SKU QTY [WAREHOUSE]"
    with pytest.raises(UsageError) as disabled:  # only commands that are on are suggested
        parse("reprot week", enabled=DEFAULT_ENABLED - {"report"})
    assert disabled.value.message == "Unknown command `reprot`."
    assert disabled.value.usage == "/oms help [COMMAND]"
