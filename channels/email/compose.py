"""Building customer e-mails (``multipart/alternative``: plain text, then HTML) from templates.

Templates: ``templates/email/<locale>/<kind>.{subject,txt,html}.j2``, English when a locale
is missing. The render context is plain JSON-like data; money values are decimal strings
with a ``currency``; datetimes are ISO-8601 strings in UTC or aware datetime objects; bare
``YYYY-MM-DD`` strings are calendar days. ``?`` marks a key that may be absent or null::

    shop: {name, email, public_url}, tz: "Europe/Rome", locale: "it",
    customer: {email, name?, locale},                       # absent for purchase_order
    order: {number, status, currency, subtotal, shipping_total, total, placed_at,
            promised_ship_by?, promised_delivery?, shipping_method?,
            shipping_address{name, line1, line2?, city, postal_code, country},
            lines[{sku, name, quantity, unit_price, line_total}],
            shipments[{warehouse, carrier, tracking_number, status, eta?}]},
                                                            # absent for link_code/purchase_order
    telegram_link?: str|None,                               # adds a "follow on Telegram" line
    # kind-specific
    shipment{carrier, tracking_number, eta?}                # order_shipped
    new_estimate?                                           # order_delayed (date or datetime)
    reason?                                                 # order_cancelled ("unpaid", …)
    cancelled?: [{sku, name, quantity}]                     # order_cancelled: only these
                                                            # units ([]: the whole order)
    return{rma, status, reason?, refund_amount?, currency?, lines[{sku, name, quantity}]}
                                                            # return_approved/_rejected,
                                                            # refund_issued,
                                                            # return_received_request
    refund?{amount, currency}                               # refund_issued without a
                                                            # return (cancelled units)
    return_address: [line, …]                               # return_approved ([]: unknown)
    code, expires_minutes                                   # link_code
    hold_until, payment_url?                    # payment_reminder, order_awaiting_payment
    purchase_order{number, sku, product_name, quantity, supplier_email,
                   warehouse{code, name, line1?, city, postal_code, country}}
                                                            # purchase_order (shop's locale)
    unsubscribe_url?                                        # review_request

Refusals (``refusal_mail``) take only ``reason`` and, optionally, ``shop``.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from jinja2 import Environment

from channels.email.mime import Header, OutgoingMail, alternative, header_line
from channels.rendering import catalogues_of, format_day, format_money, render

EMAIL_KINDS = (
    "order_confirmation",
    "order_shipped",
    "order_delivered",
    "order_delayed",
    "order_cancelled",
    "review_request",
    "return_approved",
    "return_received_request",
    "return_rejected",
    "refund_issued",
    "link_code",
    "invoice",
    "payment_reminder",
    "order_awaiting_payment",
    "purchase_order",
)
REFUSAL_REASONS = ("bad_token", "foreign_sender", "too_large", "malformed", "unreadable")

_MSG_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")


def thread_root_id(thread_key: str, domain: str) -> str:
    """The stable Message-ID every mail about one order refers to: ``<order-KEY@domain>``."""
    safe_key = re.sub(r"[^A-Za-z0-9._-]", "-", thread_key)
    return f"<order-{safe_key}@{domain}>"


def new_message_id(domain: str) -> str:
    return f"<{uuid.uuid4().hex}@{domain}>"


def warm_up(env: Environment) -> None:
    """Compile every e-mail template and load every shipped language's catalogue and
    locale data now (blocking: run it in a thread), so that the first mails of a process
    do not each stop the event loop for that."""
    for name in env.list_templates(filter_func=lambda name: name.startswith("email/")):
        env.get_template(name)
    header_line("Subject", "Grüße")  # the header classes of non-ASCII values
    catalogues = catalogues_of(env)
    for language in catalogues.languages:
        catalogues.translations(language)
        format_money("1", "EUR", language)
        format_day("2000-01-01", language, "UTC", "long")


def _render_parts(
    env: Environment, stem: str, locale: str, context: Mapping[str, Any]
) -> tuple[str, str, str]:
    subject = render(env, f"email/{stem}.subject.j2", locale, context)
    text = render(env, f"email/{stem}.txt.j2", locale, context)
    html = render(env, f"email/{stem}.html.j2", locale, context)
    # Templates are written for readability; blank-line runs are an artefact of their tags.
    # "-- " keeps its space: it is the signature separator mail clients recognise.
    text = "\n".join(line if line == "-- " else line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return " ".join(subject.split()), text + "\n", html + "\n"


def _mail(subject: str, sender: str, to: str, domain: str, text: str, html: str,
          headers: Sequence[Header]) -> OutgoingMail:
    message_id = new_message_id(domain)
    head = [("Subject", subject), ("From", sender), ("To", to),
            ("Date", format_datetime(datetime.now(UTC))), ("Message-ID", message_id),
            *headers]
    return OutgoingMail(sender=_address(sender), recipients=(_address(to),),
                        message_id=message_id, data=alternative(head, text, html))


@functools.lru_cache(maxsize=1024)
def _address(mailbox: str) -> str:
    """The address of ``Name <address>`` (or a bare address), for the envelope."""
    return parseaddr(mailbox)[1] or mailbox


def compose_mail(
    env: Environment,
    kind: str,
    locale: str,
    context: Mapping[str, Any],
    *,
    sender: str,
    to: str,
    reply_to: str | None = None,
    message_id_domain: str,
    thread_key: str | None = None,
    list_unsubscribe: str | None = None,
    one_click: bool = True,
    headers: Sequence[Header] = (),
) -> OutgoingMail:
    """One outgoing customer (or supplier) e-mail of ``kind``, in ``locale``, ready to send.

    ``thread_key`` (the order number) threads every mail about an order under one root id;
    ``list_unsubscribe`` is for optional mail only (review requests), never order mail;
    ``one_click`` adds RFC 8058's ``List-Unsubscribe-Post`` to it (only for an https URL);
    ``headers`` are appended as given.
    """
    if kind not in EMAIL_KINDS:
        raise ValueError(f"unknown e-mail kind: {kind!r}")
    subject, text, html = _render_parts(env, kind, locale, context)
    extra: list[Header] = []
    if reply_to:
        extra.append(("Reply-To", reply_to))
    if thread_key:
        root = thread_root_id(thread_key, message_id_domain)
        extra += [("In-Reply-To", root), ("References", root)]
    if list_unsubscribe:
        target = list_unsubscribe.strip()
        extra.append(("List-Unsubscribe", target if target.startswith("<") else f"<{target}>"))
        if one_click:  # RFC 8058: mailbox providers POST to the URL instead of opening it
            extra.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return _mail(subject, sender, to, message_id_domain, text, html, [*extra, *headers])


def compose(env: Environment, kind: str, locale: str, context: Mapping[str, Any],
            **options: Any) -> EmailMessage:
    """`compose_mail`'s mail as an `EmailMessage` (parsed back from its bytes)."""
    return compose_mail(env, kind, locale, context, **options).message()


def refusal_mail(
    env: Environment,
    locale: str,
    to: str,
    sender: str,
    reason_code: str,
    in_reply_to_message_id: str | None,
    *,
    context: Mapping[str, Any] | None = None,
    message_id_domain: str | None = None,
    headers: Sequence[Header] = (),
) -> OutgoingMail:
    """The automatic answer to incoming mail we refused (bad token, foreign sender, …).

    Marked ``Auto-Submitted: auto-replied`` (RFC 3834) so well-behaved robots do not answer
    it and loops die out. The Message-ID domain defaults to the sender's.
    """
    if reason_code not in REFUSAL_REASONS:
        raise ValueError(f"unknown refusal reason: {reason_code!r}")
    domain = message_id_domain or parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    subject, text, html = _render_parts(
        env, "refusal", locale, {**(context or {}), "reason": reason_code}
    )
    extra: list[Header] = [("Auto-Submitted", "auto-replied"),
                           # Exchange: no out-of-office answer to this
                           ("X-Auto-Response-Suppress", "All")]
    # The incoming id is untrusted input: only a well-formed <id@host> is echoed back.
    match = _MSG_ID.search(in_reply_to_message_id or "")
    if match is not None:
        extra += [("In-Reply-To", match.group(0)), ("References", match.group(0))]
    return _mail(subject, sender, to, domain, text, html, [*extra, *headers])


def compose_polite_refusal(env: Environment, locale: str, to: str, sender: str,
                           reason_code: str, in_reply_to_message_id: str | None,
                           **options: Any) -> EmailMessage:
    """`refusal_mail`'s mail as an `EmailMessage` (parsed back from its bytes)."""
    return refusal_mail(env, locale, to, sender, reason_code, in_reply_to_message_id,
                        **options).message()
