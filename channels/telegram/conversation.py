"""Customers in plain words (private chats): what they ask → the same reads and commands as
/track, /orders, /return and /language; a change of address or a wish to talk to a person
goes to staff through the staff alert path. A chat sees only its own customer's orders: a
foreign order number is answered exactly as one that does not exist.

With one order that fits, the answer is about it; with several, one question with a
button per order (`TalkChoice`).
"""

from __future__ import annotations

from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from jinja2 import Environment

from channels.telegram.keyboards import RETURNABLE
from domain.linking.queries import ChatProfile
from domain.orders.model import parse_order_number
from domain.queries import View

SETTLED = ("delivered", "completed", "cancelled")  # orders no one asks "where is it" about
CHOICES_SHOWN = 6
TALK = "talk"


class TalkChoice(CallbackData, prefix="talk"):
    action: str  # track | return
    order_id: int


def fitting(orders: list[View], intent: str) -> list[View]:
    """The orders a question may be about: open ones to track, delivered ones to return."""
    if intent == "return":
        return [o for o in orders if o["status"] in RETURNABLE]
    return [o for o in orders if o["status"] not in SETTLED]


def choice_keyboard(orders: list[View], action: str) -> InlineKeyboardMarkup:
    """One button per order ("ORD-000012 · 2026-11-24"), at most CHOICES_SHOWN."""
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=f"{order['number']} · {order['placed_at'][:10]}",
        callback_data=TalkChoice(action=action,
                                 order_id=parse_order_number(order["number"]) or 0).pack())]
        for order in orders[:CHOICES_SHOWN]])


def render_talk(env: Environment, language: str, kind: str, **context: Any) -> str:
    """This module's own words, in `language` (English when it has no template)."""
    template = env.select_template([f"telegram/{language}/{TALK}.html.j2",
                                    f"telegram/en/{TALK}.html.j2"])
    return template.render({**context, "kind": kind}).strip()


def handover_text(intent: str, customer: ChatProfile, number: str | None, written: str
                  ) -> str:
    """The staff alert of a customer who wants an address changed or a person."""
    wish = "to change the delivery address" if intent == "address" else "to talk to a person"
    about = f" about {number}" if number else ""
    return (f"Telegram: {customer.name or customer.email} <{customer.email}> asks {wish}"
            f"{about}: “{written[:500]}”")
