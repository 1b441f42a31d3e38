"""Keeps aiogram's answer models alive for as long as the bot lives.

aiogram parses every Bot API answer as ``Response[<the method's result type>]``, a pydantic
generic model that pydantic builds on first use and caches only weakly (a
``WeakValueDictionary``). Once the garbage collector has taken the class, the next answer
builds its whole schema again: several milliseconds, a fifth of a ``/track``'s time under
load (py-spy, bench/telegram.py). Holding the models the bot has used keeps pydantic's cache
warm, so each kind of answer builds its model once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import TelegramMethod


class KeepResponseModels(BaseRequestMiddleware):
    """A request middleware: holds ``Response[T]`` for each result type ``T`` asked for."""

    def __init__(self) -> None:
        self.models: dict[Any, type[Response[Any]]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self.models:
            self.models[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
