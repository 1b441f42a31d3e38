"""The Telegram and Slack doubles, driven by the real aiogram, slack_sdk and bolt clients."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.filters import CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.doubles import FakeSlackAPI, FakeTelegramAPI
from tests.doubles.slack_signing import (
    block_action_body,
    sign,
    slash_command_body,
    view_submission_body,
)

TOKEN = "42:TEST-TOKEN"
SECRET = "signing-secret"
CHAT = 1001


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as api:
        yield api


@pytest.fixture
async def bot(telegram: FakeTelegramAPI) -> AsyncIterator[Bot]:
    url = await telegram.start()
    session = AiohttpSession(api=TelegramAPIServer.from_base(url))
    bot = Bot(TOKEN, session=session)
    yield bot
    await bot.session.close()


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackAPI]:
    async with FakeSlackAPI() as api:
        yield api


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Ship", callback_data=data)]]
    )


def bolt_request(body: bytes, secret: str = SECRET) -> AsyncBoltRequest:
    headers: dict[str, str | Sequence[str]] = {**sign(body, secret)}
    return AsyncBoltRequest(body=body.decode(), headers=headers)


# -- Telegram ------------------------------------------------------------------------------


async def test_get_me_and_send_message_with_keyboard(telegram: FakeTelegramAPI, bot: Bot) -> None:
    me = await bot.get_me()
    sent = await bot.send_message(CHAT, "Order ORD-000001", reply_markup=keyboard("ship:1"))

    assert (me.id, me.username) == (42, "omsbot_test_bot")
    assert isinstance(sent.reply_markup, InlineKeyboardMarkup)
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "ship:1"
    [payload] = telegram.sent_messages(chat_id=CHAT)
    assert payload["message_id"] == sent.message_id
    assert payload["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ship:1"


async def test_dispatcher_answers_start_and_button_by_long_polling(
    telegram: FakeTelegramAPI, bot: Bot
) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Welcome", reply_markup=keyboard("ship:1"))

    @router.callback_query(F.data == "ship:1")
    async def ship(query: CallbackQuery) -> None:
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text("Shipped")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    try:
        telegram.push_message(CHAT, "/start")
        [welcome] = await telegram.wait_for_messages(1, chat_id=CHAT)
        telegram.push_callback(CHAT, "ship:1", message_id=welcome["message_id"])
        await telegram.wait_for_call("editMessageText")
    finally:
        await dispatcher.stop_polling()
        await polling

    assert welcome["text"] == "Welcome"
    assert telegram.message(CHAT, welcome["message_id"])["text"] == "Shipped"
    assert len(telegram.calls_to("answerCallbackQuery")) == 1


async def test_webhook_update_parses_in_the_real_pipeline(
    telegram: FakeTelegramAPI, bot: Bot
) -> None:
    router = Router()
    seen: list[str] = []

    @router.message(CommandStart(deep_link=True))
    async def start(message: Message) -> None:
        seen.append(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    update = telegram.make_message_update(CHAT, "/start abc123", language_code="it")
    await dispatcher.feed_raw_update(bot, update)

    assert seen == ["/start abc123"]
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_rate_limit_surfaces_as_retry_after(telegram: FakeTelegramAPI, bot: Bot) -> None:
    telegram.fail_next("sendMessage", retry_after=7)

    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(CHAT, "hello")
    await bot.send_message(CHAT, "hello")

    assert caught.value.retry_after == 7
    assert len(telegram.calls_to("sendMessage")) == 2
    assert len(telegram.sent_messages()) == 1


async def test_blocked_chat_is_forbidden(telegram: FakeTelegramAPI, bot: Bot) -> None:
    telegram.block_chat(CHAT)

    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(CHAT, "hello")
    await bot.send_message(CHAT + 1, "others still work")


async def test_editing_unchanged_or_unknown_message_is_refused(
    telegram: FakeTelegramAPI, bot: Bot
) -> None:
    sent = await bot.send_message(CHAT, "same")

    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_text(text="same", chat_id=CHAT, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="not found"):
        await bot.edit_message_text(text="x", chat_id=CHAT, message_id=999)


async def test_get_updates_waits_then_wakes_on_push(telegram: FakeTelegramAPI, bot: Bot) -> None:
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await telegram.wait_for_call("getUpdates")
    update_id = telegram.push_message(CHAT, "hi")

    updates = await asyncio.wait_for(waiting, timeout=1)
    assert [u.update_id for u in updates] == [update_id]
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == []


# -- Slack ---------------------------------------------------------------------------------


async def test_web_client_posts_and_bad_token_is_refused(slack: FakeSlackAPI) -> None:
    client = AsyncWebClient(token=slack.token, base_url=await slack.start())
    stranger = AsyncWebClient(token="xoxb-wrong", base_url=await slack.start())

    response = await client.chat_postMessage(channel="C0001", text="hello", blocks=[])
    with pytest.raises(SlackApiError) as caught:
        await stranger.auth_test()

    assert response["ts"] == "1700000000.000100"
    assert slack.messages("C0001")[0]["method"] == "chat.postMessage"
    assert caught.value.response["error"] == "invalid_auth"


async def test_rate_limit_is_retried_with_handler(slack: FakeSlackAPI) -> None:
    client = AsyncWebClient(
        token=slack.token,
        base_url=await slack.start(),
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.fail_next("chat.postMessage", retry_after=0)  # the handler adds up to 1 s of jitter

    response = await client.chat_postMessage(channel="C0001", text="hello")

    assert response["ok"]
    assert len(slack.calls_to("chat.postMessage")) == 2


async def test_outage_answers_503(slack: FakeSlackAPI) -> None:
    client = AsyncWebClient(token=slack.token, base_url=await slack.start())
    slack.down(None, 1)

    with pytest.raises(SlackApiError) as caught:
        await client.users_info(user="UBOT")
    user = await client.users_info(user="UBOT")

    assert caught.value.response.status_code == 503
    assert user["user"]["is_bot"] is True


async def test_bolt_routes_signed_command_action_and_view(slack: FakeSlackAPI) -> None:
    client = AsyncWebClient(token=slack.token, base_url=await slack.start())
    app = AsyncApp(client=client, signing_secret=SECRET)
    submitted: list[str] = []
    modal = {
        "type": "modal",
        "callback_id": "new_order",
        "private_metadata": "12",
        "title": {"type": "plain_text", "text": "New order"},
        "blocks": [],
    }

    @app.command("/oms")
    async def oms(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await ack()
        await respond(f"you said {command['text']}")

    @app.action("ship")
    async def ship(ack: AsyncAck, client: AsyncWebClient, body: dict[str, Any]) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=modal)

    @app.view("new_order")
    async def new_order(ack: AsyncAck, view: dict[str, Any]) -> None:
        submitted.append(view["state"]["values"]["name"]["input"]["value"])
        await ack()

    command = slash_command_body(text="order 12", response_url=slack.response_url("cmd"))
    answered = await app.async_dispatch(bolt_request(command))
    [reply] = await slack.wait_for_response("cmd")
    pressed = await app.async_dispatch(bolt_request(block_action_body("ship", "12", "U0001")))
    await slack.wait_for("views.open")  # bolt runs the rest of a listener after ack()
    [opened] = slack.views.values()
    submission = view_submission_body(
        opened["callback_id"], opened["private_metadata"], {"name": {"input": "Ada"}}, "U0001"
    )
    closed = await app.async_dispatch(bolt_request(submission))
    forged = await app.async_dispatch(bolt_request(command, secret="wrong"))

    assert [answered.status, pressed.status, closed.status, forged.status] == [200, 200, 200, 401]
    assert reply["text"] == "you said order 12"
    assert submitted == ["Ada"]
    assert len(slack.calls_to("auth.test")) == 1  # bolt authorises lazily, then caches


def test_signature_matches_slack_sdk_verifier() -> None:
    body = block_action_body("ship", "12", "U0001")
    headers = sign(body, SECRET, timestamp=1_700_000_000)
    verifier = SignatureVerifier(SECRET)

    expected = verifier.generate_signature(timestamp="1700000000", body=body.decode())
    assert headers["X-Slack-Signature"] == expected
    assert json.loads(parse_qs(body.decode())["payload"][0])["type"] == "block_actions"
