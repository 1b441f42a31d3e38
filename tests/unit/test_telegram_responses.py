"""The bot keeps the answer models it used, so pydantic does not build them again."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from aiogram import Bot
from aiogram.methods import GetMe, Response
from aiogram.types import User

from channels.telegram.responses import KeepResponseModels


async def test_an_answer_model_outlives_a_garbage_collection() -> None:
    keep = KeepResponseModels()
    bot = Bot("42:TEST")

    async def make_request(bot: Bot, method: Any) -> Any:
        return Response[User].model_validate({"ok": True, "result": {
            "id": 42, "is_bot": True, "first_name": "omsbot"}})

    try:
        first = await keep(make_request, bot, GetMe())
        model = weakref.ref(type(first))
        del first
        gc.collect()

        assert model() is not None  # without the middleware, collected here
        assert Response[User] is model()  # so pydantic's weak cache still answers
        assert set(keep.models) == {User}
    finally:
        await bot.session.close()
