"""A local Telegram Bot API for end-to-end tests that run the real aiogram `Bot`.

Pass `TelegramAPIServer.from_base(await api.start())` to the bot's `AiohttpSession`, push
updates in, read back what the bot sent. Answers and errors have Telegram's shapes and HTTP
statuses, so aiogram parses them into its own types and raises its own exceptions.
Texts are checked as Telegram checks them: parse_mode HTML follows its entity rules (400
"can't parse entities"), and more than 4,096 characters after entity parsing is 400
"message is too long". `sent_messages()` keeps what the bot sent (HTML as written), plus
`shown`: the text a person reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from tests.doubles.telegram_html import EntityError, parse_html

JSON = dict[str, Any]
_Handler = Callable[[JSON], Awaitable[Any]]

_METHOD_NOT_FOUND: JSON = {
    "ok": False,
    "error_code": 404,
    "description": "Not Found: method not found",
}
_BLOCKED = "Forbidden: bot was blocked by the user"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup"
    " are exactly the same as a current content and reply markup of the message"
)
_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: _BLOCKED,
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
# aiogram form-encodes every value as a string: numbers and booleans as JSON scalars, objects
# and lists as JSON. Decode by field name so a text such as "[1]" stays a text.
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "from_chat_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "reply_parameters",
        "media",
        "results",
        "options",
    }
)


class _ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.body: JSON = {"ok": False, "error_code": status, "description": description}
        if parameters:
            self.body["parameters"] = parameters
        self.status = status


@dataclass
class _Failure:
    error: _ApiError
    remaining: int


class _Changes:
    """Wakes waiters whenever the double's state changes (calls, pushed updates)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, ready: Callable[[], bool], timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout):
                while not ready():
                    await self._event.wait()
        except TimeoutError:
            return False
        return True


def _decode(params: Mapping[str, Any]) -> JSON:
    decoded = dict(params)
    for key, value in params.items():
        if not isinstance(value, str):
            continue
        if key in _INT_FIELDS and value.lstrip("-").isdigit():
            decoded[key] = int(value)
        elif key in _BOOL_FIELDS:
            decoded[key] = value == "true"
        elif key in _JSON_FIELDS:
            with contextlib.suppress(ValueError):  # malformed stays a string, then is ignored
                decoded[key] = json.loads(value)
    return decoded


async def _read_params(request: web.Request) -> JSON:
    """Query string plus body: JSON, or a form (urlencoded; multipart when a file rides)."""
    params = _decode(request.query)
    if request.content_type == "application/json":
        params.update(_decode(await request.json()))
    elif request.can_read_body:
        form = await request.post()
        params.update(_decode({k: v for k, v in form.items() if isinstance(v, str)}))
    return params


MAX_MESSAGE_CHARS = 4096
MAX_CALLBACK_ANSWER_CHARS = 200


def _shown_text(params: JSON) -> str:
    """The message text after entity parsing, checked the way Telegram checks it."""
    text = str(params.get("text", ""))
    if str(params.get("parse_mode", "")).lower() == "html":
        try:
            text = parse_html(text)
        except EntityError as exc:
            raise _ApiError(400, str(exc)) from None
    if not text.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    if _utf16_len(text) > MAX_MESSAGE_CHARS:  # Telegram counts UTF-16 code units
        raise _ApiError(400, "Bad Request: message is too long")
    return text


def _sender(chat_id: int, user_id: int | None) -> int:
    """In a private chat the chat id is the user's id; groups need a user of their own."""
    if user_id is not None:
        return user_id
    return chat_id if chat_id > 0 else 1


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2  # entity offsets count UTF-16 code units


class FakeTelegramAPI:
    def __init__(self, *, bot_username: str = "omsbot_test_bot", token: str | None = None) -> None:
        self.bot_username = bot_username
        self.token = token  # None accepts any token; otherwise others get 401
        self.calls: list[tuple[str, JSON]] = []
        self.commands: list[JSON] = []
        self.webhook_url = ""
        self._pending: list[JSON] = []
        self._messages: dict[tuple[int, int], JSON] = {}
        self._sent: list[JSON] = []
        self._callback_ids: set[str] = set()
        self._answered: set[str] = set()
        self._files: dict[str, bytes] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._blocked: set[int] = set()
        self._names: dict[int, str] = {}
        self._update_id = 100
        self._message_id = 0
        self._changes = _Changes()
        self._closing = False
        self._bot_token = token or ""
        self._runner: web.AppRunner | None = None
        self._url = ""
        self._handlers: dict[str, _Handler] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message,
                "editMessageReplyMarkup": self._edit_message,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "sendChatAction": self._true,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._true,
                "getFile": self._get_file,
            }.items()
        }

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> str:
        """Binds a free port; returns the base URL (the same one again if already started)."""
        if self._runner is not None:
            return self._url
        self._closing = False
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        # handler_cancellation: a long poll whose client went away must not linger.
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._url = f"http://{host}:{port}"
        return self._url

    async def stop(self) -> None:
        self._closing = True
        self._changes.notify()  # release pending getUpdates before the server goes down
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- what the bot did ------------------------------------------------------------------

    def calls_to(self, method: str) -> list[JSON]:
        return [params for name, params in self.calls if name.lower() == method.lower()]

    def sent_messages(self, chat_id: int | None = None) -> list[JSON]:
        """sendMessage payloads (reply_markup parsed) that succeeded, with their message_id."""
        return [m for m in self._sent if chat_id is None or m["chat_id"] == chat_id]

    def message(self, chat_id: int, message_id: int) -> JSON:
        """The message as it stands now, after any edits."""
        return self._messages[(chat_id, message_id)]

    async def wait_for_messages(
        self, n: int, chat_id: int | None = None, timeout: float = 5.0
    ) -> list[JSON]:
        if not await self._changes.wait_until(
            lambda: len(self.sent_messages(chat_id)) >= n, timeout
        ):
            texts = [m.get("text") for m in self.sent_messages(chat_id)]
            raise TimeoutError(f"wanted {n} messages to chat {chat_id}, got {texts}")
        return self.sent_messages(chat_id)

    async def wait_for_call(self, method: str, n: int = 1, timeout: float = 5.0) -> list[JSON]:
        if not await self._changes.wait_until(lambda: len(self.calls_to(method)) >= n, timeout):
            raise TimeoutError(f"wanted {n} {method} calls, got {len(self.calls_to(method))}")
        return self.calls_to(method)

    # -- updates in ------------------------------------------------------------------------

    def make_message_update(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str = "en",
        first_name: str = "Ada",
    ) -> JSON:
        """A message Update as Telegram sends it; not queued (POST it to a webhook)."""
        self._names.setdefault(chat_id, first_name)
        user = self._user(_sender(chat_id, user_id), first_name, language_code)
        message = self._new_message(chat_id, user, text)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        return {"update_id": self._next_update_id(), "message": message}

    def make_join_update(self, chat_id: int, user_id: int, first_name: str = "Bea") -> JSON:
        """Someone joined group `chat_id`: a service message with new_chat_members."""
        user = self._user(user_id, first_name, "en")
        message = self._new_message(chat_id, user, "")
        del message["text"]
        message["new_chat_members"] = [user]
        return {"update_id": self._next_update_id(), "message": message}

    def make_callback_update(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int,
        user_id: int | None = None,
        language_code: str = "en",
    ) -> JSON:
        """A button press on `message_id`; a message the bot never sent is created blank."""
        name = self._names.get(chat_id, "Ada")
        user = self._user(_sender(chat_id, user_id), name, language_code)
        message = self._messages.setdefault(
            (chat_id, message_id),
            {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self._bot_user(),
                "text": "",
            },
        )
        update_id = self._next_update_id()
        query_id = f"cq{update_id}"
        self._callback_ids.add(query_id)
        query = {
            "id": query_id,
            "from": user,
            "message": message,
            "data": data,
            "chat_instance": f"ci{chat_id}",
        }
        return {"update_id": update_id, "callback_query": query}

    def push_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        language_code: str = "en",
        first_name: str = "Ada",
    ) -> int:
        return self.push_raw(
            self.make_message_update(
                chat_id, text, user_id=user_id, language_code=language_code, first_name=first_name
            )
        )

    def push_callback(
        self,
        chat_id: int,
        data: str,
        *,
        message_id: int,
        user_id: int | None = None,
        language_code: str = "en",
    ) -> int:
        return self.push_raw(
            self.make_callback_update(
                chat_id, data, message_id=message_id, user_id=user_id, language_code=language_code
            )
        )

    def push_raw(self, update: JSON) -> int:
        """Queue an update for getUpdates; an update_id is assigned when missing."""
        if "update_id" not in update:
            update = {"update_id": self._next_update_id(), **update}
        self._update_id = max(self._update_id, update["update_id"])
        if "callback_query" in update:
            self._callback_ids.add(update["callback_query"]["id"])
        self._pending.append(update)
        self._changes.notify()
        return int(update["update_id"])

    # -- failure injection -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 2,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        if status == 429:
            error = _ApiError(
                429,
                description or f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        else:
            error = _ApiError(status, description or _DESCRIPTIONS.get(status, "Error"))
        self._failures.setdefault(method.lower(), []).append(_Failure(error, times))

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot: anything aimed at the chat answers 403."""
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def add_file(self, file_id: str, content: bytes) -> str:
        """Make a file available to getFile and the file download URL; returns its path."""
        self._files[file_id] = content
        return f"documents/{file_id}"

    # -- HTTP ------------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        params = await _read_params(request)
        self._bot_token = token
        self.calls.append((method, params))
        self._changes.notify()
        try:
            if self.token is not None and token != self.token:
                raise _ApiError(401, "Unauthorized")
            self._raise_injected_failure(method.lower())
            handler = self._handlers.get(method.lower())
            if handler is None:
                return web.json_response(_METHOD_NOT_FOUND, status=404)
            if params.get("chat_id") in self._blocked:
                raise _ApiError(403, _BLOCKED)
            result = await handler(params)
        except _ApiError as error:
            return web.json_response(error.body, status=error.status)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rpartition("/")[2]
        if file_id not in self._files:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(body=self._files[file_id])

    def _raise_injected_failure(self, method: str) -> None:
        queue = self._failures.get(method)
        if not queue:
            return
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.pop(0)
        raise failure.error

    # -- methods ---------------------------------------------------------------------------

    async def _true(self, params: JSON) -> bool:
        return True

    async def _get_me(self, params: JSON) -> JSON:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook_url:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is "
                "active; use deleteWebhook to delete the webhook first",
            )
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 100))
        if offset > 0:  # confirms every update before offset
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        await self._changes.wait_until(
            lambda: bool(self._pending) or self._closing, float(params.get("timeout", 0))
        )
        return self._pending[:limit]

    async def _set_webhook(self, params: JSON) -> bool:
        self.webhook_url = str(params["url"])
        return True

    async def _delete_webhook(self, params: JSON) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _send_message(self, params: JSON) -> JSON:
        shown = _shown_text(params)
        chat_id = int(params["chat_id"])
        message = self._new_message(chat_id, self._bot_user(), shown)
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # only inline keyboards are echoed back
        self._sent.append({**params, "chat_id": chat_id, "message_id": message["message_id"],
                           "shown": shown})
        return message

    async def _edit_message(self, params: JSON) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        message = self._stored(params, "Bad Request: message to edit not found")
        edited = dict(message)
        if "text" in params:
            edited["text"] = _shown_text(params)
        edited.pop("reply_markup", None)
        if isinstance(markup := params.get("reply_markup"), dict) and markup.get(
            "inline_keyboard"
        ):
            edited["reply_markup"] = markup
        if edited == message:
            raise _ApiError(400, _NOT_MODIFIED)
        edited["edit_date"] = int(time.time())
        self._messages[(message["chat"]["id"], message["message_id"])] = edited
        return edited

    async def _delete_message(self, params: JSON) -> bool:
        message = self._stored(params, "Bad Request: message to delete not found")
        del self._messages[(message["chat"]["id"], message["message_id"])]
        return True

    async def _answer_callback_query(self, params: JSON) -> bool:
        if _utf16_len(str(params.get("text", ""))) > MAX_CALLBACK_ANSWER_CHARS:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query_id = params.get("callback_query_id")
        if query_id not in self._callback_ids or query_id in self._answered:
            raise _ApiError(
                400,
                "Bad Request: query is too old and response timeout expired "
                "or query ID is invalid",
            )
        self._answered.add(str(query_id))
        return True

    def unanswered_callbacks(self) -> set[str]:
        """Button presses the bot has not answered (their buttons still spin)."""
        return self._callback_ids - self._answered

    async def _set_my_commands(self, params: JSON) -> bool:
        self.commands = list(params.get("commands", []))
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands

    async def _get_file(self, params: JSON) -> JSON:
        file_id = str(params.get("file_id"))
        if file_id not in self._files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self._files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    # -- object builders -------------------------------------------------------------------

    def _stored(self, params: JSON, missing: str) -> JSON:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        if key not in self._messages:
            raise _ApiError(400, missing)
        return self._messages[key]

    def _new_message(self, chat_id: int, sender: JSON, text: str) -> JSON:
        self._message_id += 1
        message = {
            "message_id": self._message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": sender,
            "text": text,
        }
        self._messages[(chat_id, self._message_id)] = message
        return message

    def _next_update_id(self) -> int:
        self._update_id += 1
        return self._update_id

    def _chat(self, chat_id: int) -> JSON:
        if chat_id > 0:
            name = self._names.get(chat_id, "Ada")
            return {"id": chat_id, "type": "private", "first_name": name}
        return {
            "id": chat_id,
            "type": "supergroup" if chat_id < -(10**12) else "group",
            "title": "Group",
        }

    @staticmethod
    def _user(user_id: int, first_name: str, language_code: str) -> JSON:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }

    def _bot_user(self) -> JSON:
        # aiogram reads the bot id from the token prefix; answer with the same id.
        prefix = self._bot_token.partition(":")[0]
        return {
            "id": int(prefix) if prefix.isdigit() else 1,
            "is_bot": True,
            "first_name": "OMS Bot",
            "username": self.bot_username,
        }
