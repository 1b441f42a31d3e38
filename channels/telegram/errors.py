"""The one place where errors become replies: refusals, domain errors, and our own bugs.

A domain error written for the person who asked (an order or product not found, an order that
cannot be returned, input that does not validate) is said to the customer in the chat's
language; another domain error (a rule meant for staff: stock, transitions) answers a plain
"cannot do that" without its details; anything else is our fault and answers the generic
"something went wrong", logged with its trace and never shown."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import ErrorEvent

from channels.telegram.replies import Replies
from domain.errors import (
    ORDER,
    DomainError,
    InvalidInput,
    NotFound,
    NotReturnable,
    ValidationError,
    as_text,
)

log = logging.getLogger(__name__)


class Refusal(Exception):
    """A polite "no" rendered from a template: `Refusal("order_not_found", number="7")`."""

    def __init__(self, template: str, **context: Any) -> None:
        super().__init__(template)
        self.template = template
        self.context = context


class NotLinked(Refusal):
    def __init__(self) -> None:
        super().__init__("not_linked")


def reply_for(exc: Exception) -> tuple[str, dict[str, Any]]:
    """Template and context answering `exc`."""
    match exc:
        case Refusal(template=template, context=context):
            return template, context
        case NotFound(kind=kind, key=key) if as_text(kind).msgid == ORDER.msgid:
            return "order_not_found", {"number": str(key)}
        case ValidationError(reason_text=reason):
            return "refused", {"message": reason, "usage": True}
        case NotFound() | NotReturnable() | InvalidInput():
            return "refused", {"message": exc.text}
        case DomainError():
            log.info("telegram: refused: %s", exc)
            return "refused", {}
        case _:
            log.error("telegram: handler failed", exc_info=exc)
            return "error", {}


def build_error_router() -> Router:
    router = Router(name="telegram-errors")
    router.errors.register(on_error)
    return router


async def on_error(event: ErrorEvent, bot: Bot, say: Replies | None = None) -> None:
    update = event.update
    if update.callback_query is not None:  # stop the button's spinner, if nobody did yet
        with contextlib.suppress(TelegramBadRequest):  # answered already: Telegram says 400
            await update.callback_query.answer()
    message = update.message or (update.callback_query.message if update.callback_query
                                 else None)
    if message is None or say is None:  # nothing to answer, or the context never resolved
        log.error("telegram: update %s failed", update.update_id, exc_info=event.exception)
        return
    template, context = reply_for(event.exception)
    await bot.send_message(message.chat.id, say(template, **context))
