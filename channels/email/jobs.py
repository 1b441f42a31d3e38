"""What composing one customer mail takes, and how a stored notification becomes it.

A `MailJob` is plain data (template kind, language, render context, header options), so it
can be composed here or in the composing process; `mail_job` builds one from a stored
notification, reading what its templates need through a `ReadModel`. Both the delivery
worker's process and the composing process (which has read access of its own) call it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from functools import cached_property
from typing import Any

from jinja2 import Environment

from channels.email.compose import compose_mail
from channels.email.context import Shop, build_context, order_id_of
from channels.email.mime import Header, OutgoingMail
from channels.email.reply_token import make_token, reply_address
from channels.rendering import resolve_locale
from domain.notifications import Notification
from domain.queries import ReadModel, View

NOTIFICATION_HEADER = "X-Omsbot-Notification"
NO_TELEGRAM_LINK = frozenset({"link_code", "purchase_order"})


@dataclass(frozen=True)
class EmailConfig:
    sender: str  # "Shop <orders@shop.example>"
    reply_domain: str
    secret: bytes
    public_url: str
    timezone: str = "UTC"
    default_locale: str = "en"
    unpaid_hold: timedelta = timedelta(hours=24)

    @cached_property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1] or self.sender

    @cached_property
    def message_id_domain(self) -> str:
        return self.sender_address.rpartition("@")[2] or self.reply_domain

    @cached_property
    def shop(self) -> Shop:
        name = parseaddr(self.sender)[0] or self.message_id_domain
        return Shop(name=name, email=self.sender_address, public_url=self.public_url)

    def locale(self, n: Notification) -> str:
        """The shipped language `n` is written in: its own, else the shop's default."""
        return resolve_locale(n.locale or self.default_locale)


@dataclass(frozen=True)
class MailJob:
    """`compose_mail(env, kind, locale, context, **options)`, to be run elsewhere; with
    `write_to`, the mail is also written there as an `.eml` file (the file transport)."""

    kind: str
    locale: str
    context: dict[str, Any]
    options: dict[str, Any]
    write_to: str | None = None

    def compose(self, env: Environment) -> OutgoingMail:
        """The mail, rendered with `env` (raises what `compose_mail` raises)."""
        return compose_mail(env, self.kind, self.locale, self.context, **self.options)


def notification_headers(n: Notification) -> list[Header]:
    """The header naming the stored notification a mail was made from."""
    return [] if n.id is None else [(NOTIFICATION_HEADER, str(n.id))]


def wants_telegram_link(n: Notification) -> bool:
    """Whether the mail of `n` offers the "follow on Telegram" link (when there is one)."""
    return n.kind not in NO_TELEGRAM_LINK


async def mail_job(views: ReadModel, config: EmailConfig, n: Notification, *,
                   orders: Mapping[int, View] | None = None,
                   telegram_link: str | None = None) -> MailJob:
    """The job composing customer mail `n` (a kind of `compose.EMAIL_KINDS`): its context
    read through `views` (`orders`: order views already read, by id), Reply-To signed with
    `config.secret` for its order, threaded under the order's number. `telegram_link`: the
    deep link the customer may follow (None: no such line). Raises what
    `context.build_context` raises (`DeliveryFailed` when its order is gone)."""
    locale = config.locale(n)
    context = await build_context(views, n, shop=config.shop, tz=config.timezone,
                                  locale=locale, unpaid_hold=config.unpaid_hold,
                                  orders=orders)
    if wants_telegram_link(n):
        context["telegram_link"] = telegram_link
    order = context.get("order")
    order_id = order_id_of(n) if order is not None else None
    reply_to = (reply_address(make_token(config.secret, order_id), config.reply_domain)
                if order_id is not None else None)
    return MailJob(n.kind, locale, context, {
        "sender": config.sender, "to": n.recipient,
        "reply_to": reply_to, "message_id_domain": config.message_id_domain,
        "thread_key": order["number"] if order is not None else None,
        "list_unsubscribe": _unsubscribe(n, reply_to, context),
        # one-click (RFC 8058) needs an https URL
        "one_click": bool(context.get("unsubscribe_url")),
        "headers": notification_headers(n)})


def _unsubscribe(n: Notification, reply_to: str | None, context: dict[str, Any]
                 ) -> str | None:
    if n.kind != "review_request":
        return None
    targets = []
    if context.get("unsubscribe_url"):
        targets.append(f"<{context['unsubscribe_url']}>")
    if reply_to:
        targets.append(f"<mailto:{reply_to}?subject=unsubscribe>")
    return ", ".join(targets) or None
