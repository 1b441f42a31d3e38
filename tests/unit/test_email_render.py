"""Customer e-mail and Telegram texts: every kind, every shipped language, key facts, escaping,
headers."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from importlib import resources
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, UndefinedError

from channels.email.compose import (
    EMAIL_KINDS,
    REFUSAL_REASONS,
    compose,
    compose_polite_refusal,
    thread_root_id,
)
from channels.rendering import (
    build_environment,
    format_day,
    format_moment,
    format_money,
    render,
    resolve_locale,
)

LOCALES = ("en", "it", "de")
EVIL_NAME = "Ada <script>alert(1)</script>"
DOMAIN = "shop.example"
SENDER = "Bottega Demo <orders@shop.example>"
REPLY_TO = "reply+123-abcdefghijklmnop@shop.example"

# What a customer must read in each kind, per locale (money as that locale writes it).
TOTAL = {"en": "€1,029.90", "it": "€ 1.029,90", "de": "1.029,90\u00a0€"}  # CLDR: a no-break space
REFUND = {"en": "€25.00", "it": "€ 25,00", "de": "25,00\u00a0€"}
ESTIMATE = {"en": "December 2, 2026", "it": "2 dicembre 2026", "de": "2. Dezember 2026"}
HOLD_DAY = {"en": "November 25, 2026", "it": "25 novembre 2026", "de": "25. November 2026"}
ORDER_FACTS = ["ORD-000123", "Ceramic mug", "MUG-01", "Via Roma 1", "20121 Milano"]
KIND_FACTS: dict[str, list[str]] = {
    "order_confirmation": [*ORDER_FACTS, "TOTAL"],
    "order_shipped": [*ORDER_FACTS, "TOTAL", "BRT", "TRK-778899"],
    "order_delivered": [*ORDER_FACTS, "TOTAL"],
    "order_delayed": [*ORDER_FACTS, "TOTAL", "ESTIMATE"],
    "order_cancelled": [*ORDER_FACTS, "TOTAL"],
    "review_request": [*ORDER_FACTS, "TOTAL", "1", "5"],
    "return_approved": ["ORD-000123", "RMA-000042", "Ceramic mug", "REFUND", "Via del Reso 3",
                        "20121 Milano"],
    "return_received_request": ["ORD-000123", "RMA-000042", "Ceramic mug",
                                "The handle is cracked"],
    "return_rejected": ["ORD-000123", "RMA-000042", "Ceramic mug"],
    "refund_issued": ["ORD-000123", "RMA-000042", "REFUND"],
    "link_code": ["483920", "15"],
    "invoice": [*ORDER_FACTS, "TOTAL"],
    "payment_reminder": [*ORDER_FACTS, "TOTAL", "HOLD_DAY"],
    "order_awaiting_payment": [*ORDER_FACTS, "TOTAL", "HOLD_DAY"],
    "purchase_order": ["PO-000007", "MUG-01", "Ceramic mug", "48", "Via del Lavoro 5", "40127"],
}
KIND_WORDS = {  # one phrase per kind that shows the text is really in that language
    "en": {
        "order_shipped": "Tracking number",
        "order_delayed": "sorry",
        "order_cancelled": "has been cancelled",
        "review_request": '"return"',
        "return_received_request": "received your return request",
        "return_approved": "Send the parcel to",
        "link_code": "expires in 15 minutes",
        "invoice": "incl. VAT",
        "purchase_order": "Quantity",
        "order_awaiting_payment": "It is not confirmed yet",
    },
    "it": {
        "order_shipped": "Numero di tracciamento",
        "order_delayed": "dispiace",
        "order_cancelled": "è stato annullato",
        "review_request": '"reso"',
        "return_received_request": "ricevuto la tua richiesta di reso",
        "return_approved": "Spedisci il pacco a",
        "link_code": "scade tra 15 minuti",
        "invoice": "IVA inclusa",
        "purchase_order": "Quantità",
        "order_awaiting_payment": "Non è ancora confermato",
    },
    "de": {
        "order_shipped": "Sendungsnummer",
        "order_delayed": "tut uns leid",
        "order_cancelled": "wurde storniert",
        "review_request": '"Rücksendung"',
        "link_code": "läuft in 15 Minuten ab",
        "invoice": "inkl. MwSt.",
        "purchase_order": "Menge",
    },
}


def sample_context(locale: str, kind: str = "order_confirmation") -> dict[str, Any]:
    context: dict[str, Any] = {
        "shop": {
            "name": "Bottega Demo",
            "email": "orders@shop.example",
            "public_url": "https://shop.example",
        },
        "tz": "Europe/Rome",
        "locale": locale,
        "customer": {"email": "ada@example.com", "name": EVIL_NAME, "locale": locale},
        "order": {
            "number": "ORD-000123",
            "status": "shipped",
            "currency": "EUR",
            "subtotal": "1025.00",
            "shipping_total": "4.90",
            "tax_total": "185.72",
            "prices_include_tax": True,
            "total": "1029.90",
            "placed_at": "2026-11-24T23:30:00Z",
            "promised_ship_by": "2026-11-26T17:00:00Z",
            "promised_delivery": "2026-11-30",
            "shipping_method": "standard",
            "shipping_address": {
                "name": "Ada Lovelace",
                "line1": "Via Roma 1",
                "city": "Milano",
                "postal_code": "20121",
                "country": "IT",
            },
            "lines": [
                {
                    "sku": "MUG-01",
                    "name": "Ceramic mug",
                    "quantity": 2,
                    "unit_price": "12.50",
                    "line_total": "25.00",
                },
                {
                    "sku": "LAMP-9",
                    "name": "Desk lamp",
                    "quantity": 1,
                    "unit_price": "1000.00",
                    "line_total": "1000.00",
                },
            ],
            "shipments": [
                {
                    "warehouse": "BLQ",
                    "carrier": "BRT",
                    "tracking_number": "TRK-778899",
                    "status": "in_transit",
                    "eta": "2026-11-28",
                }
            ],
        },
        "telegram_link": None,
        "shipment": {"carrier": "BRT", "tracking_number": "TRK-778899", "eta": "2026-11-28"},
        "new_estimate": "2026-12-02",
        "return": {
            "rma": "RMA-000042",
            "status": "approved",
            "reason": "The handle is cracked",
            "refund_amount": "25.00",
            "currency": "EUR",
            "lines": [{"sku": "MUG-01", "name": "Ceramic mug", "quantity": 1}],
        },
        "return_address": ["Bottega Demo returns", "Via del Reso 3", "20121 Milano", "IT"],
        "code": "483920",
        "expires_minutes": 15,
        "hold_until": "2026-11-25T10:00:00Z",
        "unsubscribe_url": "https://shop.example/unsubscribe/abc",
        "purchase_order": {
            "number": "PO-000007",
            "sku": "MUG-01",
            "product_name": "Ceramic mug",
            "quantity": 48,
            "supplier_email": "sales@supplier.example",
            "warehouse": {
                "code": "BLQ",
                "name": "Bologna",
                "line1": "Via del Lavoro 5",
                "city": "Bologna",
                "postal_code": "40127",
                "country": "IT",
            },
        },
    }
    if kind in {"link_code", "purchase_order"}:
        del context["order"]
    if kind == "purchase_order":
        del context["customer"]
    return context


@pytest.fixture(scope="module")
def env() -> Environment:
    return build_environment()


def make(env: Environment, kind: str, locale: str, **overrides: Any) -> EmailMessage:
    context = sample_context(locale, kind)
    context.update(overrides.pop("context", {}))
    options: dict[str, Any] = {
        "sender": SENDER,
        "to": "ada@example.com",
        "reply_to": REPLY_TO,
        "message_id_domain": DOMAIN,
        "thread_key": "ORD-000123",
        "list_unsubscribe": None,
    }
    options.update(overrides)
    return compose(env, kind, locale, context, **options)


def parts(msg: EmailMessage) -> tuple[str, str]:
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()), str(html.get_content())


def expected(fact: str, locale: str) -> str:
    table = {"TOTAL": TOTAL, "REFUND": REFUND, "ESTIMATE": ESTIMATE, "HOLD_DAY": HOLD_DAY}
    return table[fact][locale] if fact in table else fact


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", EMAIL_KINDS)
def test_every_kind_renders_text_then_html_with_its_key_facts(
    env: Environment, kind: str, locale: str
) -> None:
    msg = make(env, kind, locale)

    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    text, html = parts(msg)
    for fact in KIND_FACTS[kind]:
        assert expected(fact, locale) in text, (kind, locale, fact)
        assert expected(fact, locale) in html, (kind, locale, fact)
    if word := KIND_WORDS[locale].get(kind):
        assert word in text
    subject = str(msg["Subject"])
    assert subject and "\n" not in subject
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert 'lang="' + locale + '"' in html
    assert "{{" not in text and "{%" not in text and "{{" not in html


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", [k for k in EMAIL_KINDS if k != "purchase_order"])
def test_greeting_is_the_given_name_escaped_in_html_and_plain_in_text(
    env: Environment, kind: str, locale: str
) -> None:
    customer = {"email": "ada@example.com", "name": "O'Hara, D'Arcy", "locale": locale}
    text, html = parts(make(env, kind, locale, context={"customer": customer}))
    evil_text, evil_html = parts(make(env, kind, locale))  # EVIL_NAME: no name to greet

    assert text.startswith(NAMED_GREETING[locale] + " D'Arcy,")
    assert f"{NAMED_GREETING[locale]} D&#39;Arcy," in html and "O'Hara" not in text.split("\n")[0]
    assert evil_text.startswith(NAMELESS_GREETING[locale])
    assert "<script" not in evil_html


NAMED_GREETING = {"en": "Hi", "it": "Ciao", "de": "Hallo"}
NAMELESS_GREETING = {"en": "Hello,", "it": "Buongiorno,", "de": "Guten Tag,"}


def test_html_layout_is_mail_client_safe(env: Environment) -> None:
    _, html = parts(make(env, "order_confirmation", "en"))

    assert "max-width:600px" in html
    assert 'role="presentation"' in html
    assert "<img" not in html
    assert "<link" not in html
    assert "<style" not in html  # inline styles only: Gmail and Outlook strip or mangle them
    assert "http://" not in html  # nothing fetched from elsewhere


def test_purchase_order_goes_to_the_supplier_without_customer_or_telegram(
    env: Environment,
) -> None:
    msg = make(env, "purchase_order", "it", context={"telegram_link": "https://t.me/x?start=1"})
    text, html = parts(msg)

    assert "Ordine d'acquisto PO-000007" in str(msg["Subject"])
    assert text.startswith("Buongiorno,")
    assert "Telegram" not in text
    assert "Telegram" not in html


@pytest.mark.parametrize("locale", LOCALES)
def test_telegram_invitation_appears_only_with_a_link(env: Environment, locale: str) -> None:
    link = "https://t.me/bottega_bot?start=k3y"
    with_link = parts(make(env, "order_shipped", locale, context={"telegram_link": link}))
    without = parts(make(env, "order_shipped", locale))

    for body in with_link:
        assert link in body
        assert "Telegram" in body
    for body in without:
        assert "Telegram" not in body


def test_headers_identify_thread_and_reply_address(env: Environment) -> None:
    first = make(env, "order_confirmation", "en")
    second = make(env, "order_shipped", "en")

    root = "<order-ORD-000123@shop.example>"
    for msg in (first, second):
        assert msg["In-Reply-To"] == root
        assert msg["References"] == root
        assert msg["Reply-To"] == REPLY_TO
        assert msg["From"] == SENDER
        assert msg["To"] == "ada@example.com"
        assert msg["Date"]
        assert re.fullmatch(r"<[^<>@\s]+@shop\.example>", str(msg["Message-ID"]))
        assert msg["Auto-Submitted"] is None
        assert msg["List-Unsubscribe"] is None
    assert first["Message-ID"] != second["Message-ID"]


def test_no_threading_or_reply_to_when_not_given(env: Environment) -> None:
    msg = make(env, "link_code", "en", thread_key=None, reply_to=None)

    assert msg["In-Reply-To"] is None
    assert msg["References"] is None
    assert msg["Reply-To"] is None


def test_thread_root_id_is_stable_and_safe() -> None:
    assert thread_root_id("ORD-000123", DOMAIN) == "<order-ORD-000123@shop.example>"
    assert thread_root_id("ORD 1>\r\n", DOMAIN) == "<order-ORD-1---@shop.example>"


def test_review_request_carries_one_click_unsubscribe(env: Environment) -> None:
    url = "https://shop.example/unsubscribe/abc"
    msg = make(env, "review_request", "it", list_unsubscribe=url)
    text, html = parts(msg)

    assert msg["List-Unsubscribe"] == f"<{url}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in text
    assert url in html


def test_message_survives_serialisation(env: Environment) -> None:
    msg = make(env, "order_shipped", "it")

    parsed = message_from_bytes(msg.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed["Subject"] == msg["Subject"]
    text, _ = parts(parsed)
    assert "TRK-778899" in text
    assert "€ 1.029,90" in text


def test_unknown_kind_is_a_bug(env: Environment) -> None:
    with pytest.raises(ValueError, match="unknown e-mail kind"):
        make(env, "newsletter", "en")


def test_missing_context_key_fails_loudly(env: Environment) -> None:
    context = sample_context("en")
    del context["shipment"]
    with pytest.raises(UndefinedError):
        compose(
            env,
            "order_shipped",
            "en",
            context,
            sender=SENDER,
            to="a@b.example",
            message_id_domain=DOMAIN,
        )


def test_optional_keys_may_be_absent(env: Environment) -> None:
    context = sample_context("en")
    del context["telegram_link"]
    del context["new_estimate"]
    order = context["order"]
    del order["promised_delivery"]
    del order["shipping_method"]
    order["shipping_address"]["line2"] = "Scala B"
    context["customer"]["name"] = None
    for kind in ("order_confirmation", "order_delayed", "invoice"):
        msg = compose(
            env, kind, "en", context, sender=SENDER, to="a@b.example", message_id_domain=DOMAIN
        )
        text, _ = parts(msg)
        assert text.startswith("Hello,")
        assert "Scala B" in text


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("reason", REFUSAL_REASONS)
def test_polite_refusal_is_an_auto_reply(env: Environment, locale: str, reason: str) -> None:
    msg = compose_polite_refusal(
        env,
        locale,
        "stranger@example.net",
        SENDER,
        reason,
        "<CAF+x1@mail.gmail.com>",
        context={"shop": sample_context(locale)["shop"]},
    )
    text, html = parts(msg)

    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["In-Reply-To"] == "<CAF+x1@mail.gmail.com>"
    assert msg["References"] == "<CAF+x1@mail.gmail.com>"
    assert str(msg["Message-ID"]).endswith("@shop.example>")
    assert msg["Subject"]
    assert "orders@shop.example" in text
    assert "orders@shop.example" in html


def test_refusal_never_echoes_a_hostile_message_id(env: Environment) -> None:
    msg = compose_polite_refusal(
        env, "en", "x@example.net", SENDER, "malformed", "<a@b>\r\nBcc: victim@example.com"
    )
    assert msg["In-Reply-To"] == "<a@b>"
    assert "victim" not in msg.as_string()

    msg = compose_polite_refusal(env, "en", "x@example.net", SENDER, "malformed", "garbage")
    assert msg["In-Reply-To"] is None


def test_refusal_reason_must_be_known(env: Environment) -> None:
    with pytest.raises(ValueError, match="refusal reason"):
        compose_polite_refusal(env, "en", "x@example.net", SENDER, "spam", None)


# --- rendering and formatting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "amount", "currency", "text"),
    [
        ("en", "12.50", "EUR", "€12.50"),
        ("it", "12.50", "EUR", "€ 12,50"),
        ("it", Decimal("1234.5"), "EUR", "€ 1.234,50"),
        ("en", "1234.5", "usd", "$1,234.50"),
        ("en", "1250", "JPY", "¥1,250"),
        ("de", "1234.5", "EUR", "1.234,50\u00a0€"),
        # ISO 4217 digits, not CLDR's: HUF keeps its fillér, JPY has none, KWD has three
        ("en", "999.99", "HUF", "HUF999.99"),
        ("it", "999.99", "HUF", "HUF 999,99"),
        ("de", "999.99", "HUF", "999,99\u00a0HUF"),
        ("it", "1250", "JPY", "JPY 1.250"),
        ("de", "1250", "JPY", "1.250\u00a0¥"),
        ("en", "12.345", "KWD", "KWD12.345"),
        ("it", "12.345", "KWD", "KWD 12,345"),
        ("de", "12.345", "KWD", "12,345\u00a0KWD"),
        ("en", "0.50", "EUR", "€0.50"),
        ("it", "0.50", "EUR", "€ 0,50"),
    ],
)
def test_money_is_formatted_for_the_locale(
    locale: str, amount: str | Decimal, currency: str, text: str
) -> None:
    assert format_money(amount, currency, locale) == text


@pytest.mark.parametrize("amount", [None, 1.5, "twelve", True])
def test_money_refuses_what_is_not_money(amount: object) -> None:
    with pytest.raises(ValueError, match="money"):
        format_money(amount, "EUR", "en")


def test_dates_are_shown_in_the_shop_time_zone() -> None:
    late_utc = "2026-11-24T23:30:00Z"
    assert format_day(late_utc, "en", "UTC") == "Nov 24, 2026"
    assert format_day(late_utc, "en", "Europe/Rome") == "Nov 25, 2026"
    assert format_day(late_utc, "it", "Europe/Rome", "long") == "25 novembre 2026"
    assert format_day("2026-11-24", "it", "Pacific/Kiritimati") == "24 nov 2026"
    naive = datetime(2026, 11, 24, 23, 30)
    assert format_day(naive, "en", "Europe/Rome") == "Nov 25, 2026"
    assert format_moment(late_utc, "it", "Europe/Rome") == "25 nov 2026, 00:30"
    assert format_moment(datetime(2026, 11, 24, 9, 5, tzinfo=UTC), "it", "bogus/zone") == (
        "24 nov 2026, 09:05"
    )


@pytest.mark.parametrize(
    ("given", "resolved"),
    [
        ("it", "it"),
        ("it_IT", "it"),
        ("IT-it", "it"),
        ("en-GB", "en"),
        ("fr", "en"),
        ("de-AT", "de"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_locales_resolve_to_a_supported_one(given: str | None, resolved: str) -> None:
    assert resolve_locale(given) == resolved


def test_render_translates_and_formats_in_one_language_else_english() -> None:
    env = build_environment(loader=DictLoader({
        "email/note.txt.j2": "{{ _('Total') }}: {{ amount|money('EUR') }} {{ day|date }}",
    }))
    context = {"amount": "1.5", "day": "2026-12-02"}

    assert render(env, "email/note.txt.j2", "de", context) == (
        "Gesamt: 1,50\u00a0€ 2. Dezember 2026")
    assert render(env, "email/note.txt.j2", "fr", context) == "Total: €1.50 December 2, 2026"
    with pytest.raises(ValueError, match="area"):
        render(env, "note.txt.j2", "en", {})


def test_templates_are_found_from_any_working_directory(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = build_environment()
    assert "ORD-000123" in render(
        env, "email/order_shipped.subject.j2", "en", sample_context("en")
    )


def test_one_template_per_email_kind_and_no_copies_per_language() -> None:
    root = resources.files("templates") / "email"
    for kind in (*EMAIL_KINDS, "refusal"):
        for part in ("subject", "txt", "html"):
            assert (root / f"{kind}.{part}.j2").is_file(), (kind, part)
    assert not [p.name for p in root.iterdir() if p.is_dir()]


# --- Telegram --------------------------------------------------------------------------------

TELEGRAM_TEMPLATES = (
    "welcome",
    "linked",
    "link_code_sent",
    "code_invalid",
    "code_expired",
    "help",
    "orders_list",
    "track",
    "order_not_found",
    "return_pick_reason",
    "return_opened",
    "return_not_allowed",
    "language_set",
    "not_linked",
    "order_shipped",
    "order_out_for_delivery",
    "order_delivered",
    "order_delayed",
    "error",
)
TELEGRAM_TAGS = {"b", "i", "code", "a"}


def telegram_context(locale: str) -> dict[str, Any]:
    context = sample_context(locale)
    context["order"]["lines"][0]["name"] = "Mug <b>XL</b> & co"
    context.update(
        bot_username="bottega_bot",
        orders=[context["order"]],
        attempts_left=2,
        email="ada@example.com",
        number="ORD-000999",
        reason="window_closed",
    )
    return context


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", TELEGRAM_TEMPLATES)
def test_every_telegram_text_renders_in_both_locales(
    env: Environment, name: str, locale: str
) -> None:
    text = render(env, f"telegram/{name}.html.j2", locale, telegram_context(locale))

    assert text.strip()
    used_tags = {tag.lower() for tag in re.findall(r"</?([a-zA-Z0-9]+)", text)}
    assert used_tags <= TELEGRAM_TAGS, used_tags
    assert "<script" not in text


def test_telegram_has_one_template_per_text() -> None:
    root = resources.files("templates") / "telegram"
    for name in TELEGRAM_TEMPLATES:
        assert (root / f"{name}.html.j2").is_file(), name
    assert not [p.name for p in root.iterdir() if p.is_dir()]


@pytest.mark.parametrize("locale", LOCALES)
def test_telegram_escapes_customer_data(env: Environment, locale: str) -> None:
    context = telegram_context(locale)
    track = render(env, "telegram/track.html.j2", locale, context)
    linked = render(env, "telegram/linked.html.j2", locale, context)

    assert "Mug &lt;b&gt;XL&lt;/b&gt; &amp; co" in track
    assert "&lt;script&gt;" in linked
    assert "TRK-778899" in track
    assert TOTAL[locale] in track


@pytest.mark.parametrize("locale", LOCALES)
def test_telegram_texts_show_the_facts(env: Environment, locale: str) -> None:
    context = telegram_context(locale)

    orders = render(env, "telegram/orders_list.html.j2", locale, context)
    assert "ORD-000123" in orders
    assert TOTAL[locale] in orders
    assert {"it": "spedito", "de": "versandt"}.get(locale, "shipped") in orders
    empty = render(env, "telegram/orders_list.html.j2", locale, {**context, "orders": []})
    assert "ORD-" not in empty
    help_text = render(env, "telegram/help.html.j2", locale, context)
    for command in ("/orders", "/track", "/return", "/language", "/help"):
        assert command in help_text
    assert "2" in render(env, "telegram/code_invalid.html.j2", locale, context)
    shipped = render(env, "telegram/order_shipped.html.j2", locale, context)
    assert "TRK-778899" in shipped
    no_shipment = copy.deepcopy(context)
    del no_shipment["shipment"]
    no_shipment["order"]["shipments"] = []
    assert "ORD-000123" in render(env, "telegram/order_shipped.html.j2", locale, no_shipment)
    delayed = render(env, "telegram/order_delayed.html.j2", locale, context)
    assert {"it": "2 dic 2026", "de": "02.12.2026"}.get(locale, "Dec 2, 2026") in delayed


@pytest.mark.parametrize("locale", LOCALES)
def test_link_code_answer_does_not_depend_on_the_address_being_known(
    env: Environment, locale: str
) -> None:
    known = render(env, "telegram/link_code_sent.html.j2", locale, {"email": "ada@example.com"})
    unknown = render(env, "telegram/link_code_sent.html.j2", locale, {"email": "x@example.com"})

    assert known.replace("ada@example.com", "x@example.com") == unknown
