"""Inline buttons: CallbackData factories and the keyboards built from them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from domain.orders.model import parse_order_number

RETURN_REASONS = ("damaged", "wrong_item", "not_as_described", "changed_mind", "other")
RETURNABLE = ("delivered", "completed")


class OrderAction(CallbackData, prefix="ord"):
    action: str  # track | return
    order_id: int


class ReturnReason(CallbackData, prefix="ret"):
    order_id: int
    reason: str  # one of RETURN_REASONS


def orders_keyboard(orders: Iterable[Mapping[str, Any]], labels: Mapping[str, str]
                    ) -> InlineKeyboardMarkup:
    """One row per order: Track, and Return when it has been delivered."""
    rows = []
    for view in orders:
        oid = parse_order_number(view["number"]) or 0
        row = [InlineKeyboardButton(text=f"{labels['track']} {view['number']}",
                                    callback_data=OrderAction(action="track",
                                                              order_id=oid).pack())]
        if view["status"] in RETURNABLE:
            row.append(InlineKeyboardButton(text=labels["return"], callback_data=OrderAction(
                action="return", order_id=oid).pack()))
        rows.append(row)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def reasons_keyboard(order_id: int, labels: Mapping[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=labels[f"reason_{reason}"], callback_data=ReturnReason(
            order_id=order_id, reason=reason).pack())]
        for reason in RETURN_REASONS])
