"""A local Slack Web API (plus response_url endpoints) for the real slack_sdk and bolt.

`AsyncWebClient(token="xoxb-test", base_url=await api.start())` talks to it unchanged.
Answers follow Slack's conventions: HTTP 200 with `{"ok": false, "error": …}` for API
errors, HTTP 429 with `Retry-After` for rate limits, so slack_sdk raises `SlackApiError`
and its retry handlers behave as they do against slack.com.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from tests.doubles.slack_files import FileApiError, FileUploads, UploadedFile

JSON = dict[str, Any]
_Handler = Callable[[JSON], JSON]

TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
APP_ID = "A0001"


class _ApiError(Exception):
    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


@dataclass
class _Failure:
    status: int
    remaining: int
    body: JSON
    headers: dict[str, str] = field(default_factory=dict)


class _Changes:
    """Wakes waiters whenever the double's state changes."""

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


# Form-encoded calls carry these as JSON strings; decode by name so a text "[1]" stays text.
_JSON_FIELDS = frozenset({"blocks", "attachments", "view", "metadata"})


def _decode(params: Mapping[str, Any]) -> JSON:
    decoded = dict(params)
    for key, value in params.items():
        if key in _JSON_FIELDS and isinstance(value, str):
            with contextlib.suppress(ValueError):  # malformed stays a string
                decoded[key] = json.loads(value)
    return decoded


async def _read_params(request: web.Request) -> JSON:
    """slack_sdk sends JSON for chat.* and views.*, a query string for auth.test and GETs."""
    params = _decode(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        form = await request.post()
        params.update(_decode({k: v for k, v in form.items() if isinstance(v, str)}))
    return params


def _require(params: JSON, *names: str) -> None:
    for name in names:
        if not params.get(name):
            raise _ApiError(
                f"{name}_not_found" if name in {"channel", "user"} else "invalid_arguments"
            )


class FakeSlackAPI:
    def __init__(self, *, token: str = "xoxb-test") -> None:
        self.token = token
        self.calls: list[tuple[str, JSON]] = []
        self.users: dict[str, JSON] = {}
        self.channels: dict[str, JSON] = {}
        self.views: dict[str, JSON] = {}
        self._messages: list[JSON] = []
        self._responses: list[tuple[str, JSON]] = []
        self._failures: dict[str | None, list[_Failure]] = {}
        self._ts = 0
        self._view_id = 0
        self._root = ""
        self._changes = _Changes()
        self._runner: web.AppRunner | None = None
        self.uploads = FileUploads()
        self._handlers: dict[str, _Handler] = {
            "auth.test": self._auth_test,
            "api.test": lambda params: {"args": params},
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "views.open": self._open_view,
            "views.push": self._open_view,
            "views.update": self._update_view,
            "users.info": self._users_info,
            "conversations.info": self._conversations_info,
            "files.getUploadURLExternal": lambda p: self.uploads.get_upload_url(p, self._root),
            "files.completeUploadExternal": self.uploads.complete,
        }
        self.add_user(BOT_USER_ID, "OMS Bot", name="omsbot", is_bot=True)

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> str:
        """Returns the Web API base URL, ending with "/api/" as slack_sdk needs (idempotent)."""
        if self._runner is not None:
            return f"{self._root}/api/"
        app = web.Application(client_max_size=100 * 1024 * 1024)  # Slack takes big files
        app.router.add_route("*", "/api/{method}", self._dispatch)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_post("/upload/v1/{file_id}", self._upload)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._root = f"http://{host}:{port}"
        return f"{self._root}/api/"

    async def stop(self) -> None:
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

    # -- set-up ----------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        real_name: str,
        *,
        name: str | None = None,
        email: str | None = None,
        tz: str = "Europe/Rome",
        is_bot: bool = False,
    ) -> None:
        profile = {"real_name": real_name, "display_name": name or real_name}
        if email:
            profile["email"] = email
        self.users[user_id] = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name or real_name.lower().replace(" ", "."),
            "real_name": real_name,
            "tz": tz,
            "is_bot": is_bot,
            "deleted": False,
            "profile": profile,
        }

    def add_channel(self, channel_id: str, name: str, *, is_private: bool = False) -> None:
        self.channels[channel_id] = self._channel(channel_id, name, is_private=is_private)

    def response_url(self, name: str) -> str:
        """A response_url on this server; what bolt's respond() posts there is recorded."""
        if not self._root:
            raise RuntimeError("start() the fake Slack API before asking for URLs")
        return f"{self._root}/respond/{name}"

    # -- what the app did ------------------------------------------------------------------

    def calls_to(self, method: str) -> list[JSON]:
        return [params for name, params in self.calls if name == method]

    def messages(self, channel: str | None = None) -> list[JSON]:
        """Successful chat.postMessage/postEphemeral/update payloads, tagged with "method"."""
        return [m for m in self._messages if channel is None or m.get("channel") == channel]

    def files(self, channel: str | None = None) -> list[UploadedFile]:
        """Files uploaded with files_upload_v2 and completed (into `channel` when given)."""
        return self.uploads.shared(channel)

    def responses(self, name: str | None = None) -> list[JSON]:
        """JSON bodies posted to response_url(name), oldest first."""
        return [body for to, body in self._responses if name is None or to == name]

    async def wait_for(self, method: str, n: int = 1, timeout: float = 5.0) -> list[JSON]:
        """Waits until `method` was called n times (failed calls count) and returns them."""
        if not await self._changes.wait_until(lambda: len(self.calls_to(method)) >= n, timeout):
            raise TimeoutError(f"wanted {n} {method} calls, got {self.calls_to(method)}")
        return self.calls_to(method)

    async def wait_for_response(self, name: str, n: int = 1, timeout: float = 5.0) -> list[JSON]:
        if not await self._changes.wait_until(lambda: len(self.responses(name)) >= n, timeout):
            raise TimeoutError(
                f"wanted {n} posts to response_url {name!r}, got {self.responses()}"
            )
        return self.responses(name)

    # -- failure injection -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: str | None = None,
    ) -> None:
        """429 with Retry-After by default; status=200 with `error` fakes an API error."""
        headers = {"Retry-After": str(retry_after)} if status == 429 else {}
        body = {"ok": False, "error": error or ("ratelimited" if status == 429 else "fatal_error")}
        self._failures.setdefault(method, []).append(_Failure(status, times, body, headers))

    def down(self, method: str | None = None, times: int = 1) -> None:
        """The next `times` calls (of `method`, or of any method) answer HTTP 503."""
        body = {"ok": False, "error": "service_unavailable"}
        self._failures.setdefault(method, []).append(_Failure(503, times, body))

    # -- HTTP ------------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        self.calls.append((method, params))
        self._changes.notify()
        if failure := self._take_failure(method):
            return web.json_response(failure.body, status=failure.status, headers=failure.headers)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        token = token or str(params.pop("token", ""))
        try:
            if not token:
                raise _ApiError("not_authed")
            if token != self.token:
                raise _ApiError("invalid_auth")
            handler = self._handlers.get(method)
            if handler is None:
                raise _ApiError("unknown_method")
            result = handler(params)
        except (_ApiError, FileApiError) as problem:
            return web.json_response({"ok": False, "error": problem.error})
        self._changes.notify()
        return web.json_response({"ok": True, **result})

    async def _upload(self, request: web.Request) -> web.Response:
        response = await self.uploads.receive(request)
        self._changes.notify()
        return response

    async def _respond(self, request: web.Request) -> web.Response:
        self._responses.append((request.match_info["name"], await request.json()))
        self._changes.notify()
        return web.Response(text="ok")  # what hooks.slack.com answers

    def _take_failure(self, method: str) -> _Failure | None:
        for key in (method, None):
            queue = self._failures.get(key)
            if queue:
                failure = queue[0]
                failure.remaining -= 1
                if failure.remaining <= 0:
                    queue.pop(0)
                return failure
        return None

    # -- methods ---------------------------------------------------------------------------

    def _auth_test(self, params: JSON) -> JSON:
        return {
            "url": "https://omsbot-test.slack.com/",
            "team": "OMS Test",
            "user": "omsbot",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _post_message(self, params: JSON) -> JSON:
        _require(params, "channel")
        if not any(params.get(k) for k in ("text", "blocks", "attachments")):
            raise _ApiError("no_text")
        ts = self._next_ts()
        self._messages.append({"method": "chat.postMessage", **params, "ts": ts})
        return {"channel": params["channel"], "ts": ts, "message": self._message(params, ts)}

    def _post_ephemeral(self, params: JSON) -> JSON:
        _require(params, "channel", "user")
        ts = self._next_ts()
        self._messages.append({"method": "chat.postEphemeral", **params, "ts": ts})
        return {"message_ts": ts}

    def _update(self, params: JSON) -> JSON:
        # Any ts is accepted: the original may have come through a response_url.
        _require(params, "channel")
        if not params.get("ts"):
            raise _ApiError("message_not_found")
        self._messages.append({"method": "chat.update", **params})
        return {
            "channel": params["channel"],
            "ts": params["ts"],
            "text": params.get("text", ""),
            "message": self._message(params, params["ts"]),
        }

    def _open_view(self, params: JSON) -> JSON:
        if not params.get("trigger_id"):
            raise _ApiError("invalid_trigger_id")
        if not isinstance(view := params.get("view"), dict):
            raise _ApiError("invalid_arguments")
        self._view_id += 1
        view_id = f"V{self._view_id:04d}"
        self.views[view_id] = {
            "callback_id": "",
            "private_metadata": "",
            "external_id": "",
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "root_view_id": view_id,
            "previous_view_id": None,
            "hash": f"h{view_id}",
            "state": {"values": {}},
        }
        return {"view": self.views[view_id]}

    def _update_view(self, params: JSON) -> JSON:
        if not isinstance(view := params.get("view"), dict):
            raise _ApiError("invalid_arguments")
        view_id = params.get("view_id") or next(
            (
                v["id"]
                for v in self.views.values()
                if v["external_id"] == params.get("external_id")
            ),
            None,
        )
        if view_id not in self.views:
            raise _ApiError("not_found")
        self.views[view_id] = {**self.views[view_id], **view}
        return {"view": self.views[view_id]}

    def _users_info(self, params: JSON) -> JSON:
        if (user := self.users.get(str(params.get("user")))) is None:
            raise _ApiError("user_not_found")
        return {"user": user}

    def _conversations_info(self, params: JSON) -> JSON:
        # Unknown channels are answered as public channels named after their id.
        _require(params, "channel")
        channel_id = str(params["channel"])
        return {
            "channel": self.channels.get(channel_id)
            or self._channel(channel_id, channel_id.lower())
        }

    # -- object builders -------------------------------------------------------------------

    def _next_ts(self) -> str:
        self._ts += 1
        return f"1700000000.{self._ts * 100:06d}"

    @staticmethod
    def _message(params: JSON, ts: str) -> JSON:
        message = {
            "type": "message",
            "text": params.get("text", ""),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if key in params:
                message[key] = params[key]
        return message

    @staticmethod
    def _channel(channel_id: str, name: str, *, is_private: bool = False) -> JSON:
        is_im = channel_id.startswith("D")
        return {
            "id": channel_id,
            "name": name,
            "is_channel": not is_im and not is_private,
            "is_group": is_private,
            "is_im": is_im,
            "is_private": is_private or is_im,
            "is_archived": False,
            "is_member": True,
            "context_team_id": TEAM_ID,
        }
