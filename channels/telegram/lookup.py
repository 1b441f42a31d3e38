"""A chat reaches only its own customer's orders; anyone else's answers as "not found"."""

from __future__ import annotations

from channels.telegram.chat_cache import ChatCache
from channels.telegram.errors import NotLinked, Refusal
from domain.errors import NotFound
from domain.linking.queries import ChatProfile
from domain.orders.model import format_order_number, parse_order_number
from domain.queries import View


def require_customer(customer: ChatProfile | None) -> ChatProfile:
    if customer is None:
        raise NotLinked()
    return customer


async def own_order(chats: ChatCache, customer: ChatProfile | None, typed: str | None
                    ) -> tuple[int, View]:
    """The order the customer typed ("123", "ORD-000123"), if it is theirs."""
    profile = require_customer(customer)
    if not typed:
        raise Refusal("help")
    order_id = parse_order_number(typed)
    if order_id is None:
        raise NotFound("Order", typed.strip())
    return order_id, await own_order_by_id(chats, profile, order_id, typed.strip())


async def own_order_by_id(chats: ChatCache, customer: ChatProfile | None, order_id: int,
                          typed: str | None = None) -> View:
    profile = require_customer(customer)
    view = await chats.order(profile.customer_id, order_id)  # None when it is not theirs
    if view is None:
        raise NotFound("Order", typed or format_order_number(order_id))
    return view
