"""Build requests exactly as Slack sends them to an app: signed, form-encoded bodies.

Feed them to `app.async_dispatch(AsyncBoltRequest(body=body.decode(), headers=headers))`
or POST them to the app's HTTP endpoint. Payload shapes follow what Slack sends and what
bolt needs to route and authorise them (`team`, `user`, `api_app_id`, `container`, …).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

JSON = dict[str, Any]

TEAM_ID = "T0001"
APP_ID = "A0001"
FORM = "application/x-www-form-urlencoded"


def sign(
    body: bytes, secret: str, timestamp: int | None = None, content_type: str = FORM
) -> dict[str, str]:
    """Headers with Slack's v0 signature over `v0:{timestamp}:{body}`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
    }


def slash_command_body(
    command: str = "/oms",
    text: str = "",
    *,
    user_id: str = "U0001",
    user_name: str = "ada",
    channel_id: str = "C0001",
    channel_name: str = "orders",
    response_url: str = "https://hooks.slack.com/commands/T0001/1/x",
    trigger_id: str = "1.1.trigger",
    team_id: str = TEAM_ID,
) -> bytes:
    fields = {
        "token": "verification-token",  # legacy field Slack still sends; bolt ignores it
        "team_id": team_id,
        "team_domain": "omsbot-test",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urlencode(fields).encode()


def block_action_body(
    action_id: str,
    value: str,
    user_id: str = "U0001",
    *,
    block_id: str = "actions",
    channel_id: str = "C0001",
    message: JSON | None = None,
    response_url: str = "https://hooks.slack.com/actions/T0001/1/x",
    trigger_id: str = "1.2.trigger",
    team_id: str = TEAM_ID,
) -> bytes:
    """A button press; `message` is the message holding the button (its `ts` is used)."""
    message = message or {"type": "message", "ts": "1700000000.000100", "text": ""}
    payload = {
        "type": "block_actions",
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": "verification-token",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel_id,
            "is_ephemeral": False,
        },
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": "omsbot-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "orders"},
        "message": message,
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return _payload_form(payload)


def view_submission_body(
    callback_id: str,
    private_metadata: str,
    values: dict[str, dict[str, Any]],
    user_id: str = "U0001",
    *,
    view_id: str = "V0001",
    trigger_id: str = "1.3.trigger",
    team_id: str = TEAM_ID,
) -> bytes:
    """A modal submitted; `values` is {block_id: {action_id: "text" | state element}}."""
    state = {
        block_id: {
            action_id: {"type": "plain_text_input", "value": element}
            if isinstance(element, str)
            else element
            for action_id, element in actions.items()
        }
        for block_id, actions in values.items()
    }
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "omsbot-test"},
        "user": _user(user_id, team_id),
        "api_app_id": APP_ID,
        "token": "verification-token",
        "trigger_id": trigger_id,
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": state},
            "hash": "1700000000.abcdef",
            "title": {"type": "plain_text", "text": "OMS"},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": team_id,
            "bot_id": "B0001",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _payload_form(payload)


def event_body(
    event_type: str,
    text: str,
    user_id: str = "U0001",
    *,
    event_id: str = "Ev0001",
    channel_id: str = "D0001",
    channel_type: str = "im",
    ts: str = "1700000000.000200",
    team_id: str = TEAM_ID,
) -> bytes:
    """An Events API delivery (JSON, not a form): `message` in a direct message to the app
    (`message.im`) or an `app_mention` in a channel. Sign it with content type JSON."""
    event: JSON = {"type": event_type, "user": user_id, "text": text, "ts": ts,
                   "channel": channel_id, "event_ts": ts, "team": team_id}
    if event_type == "message":
        event["channel_type"] = channel_type
    payload = {
        "token": "verification-token", "team_id": team_id, "api_app_id": APP_ID,
        "event": event, "type": "event_callback", "event_id": event_id,
        "event_time": int(ts.split(".")[0]),
        "authorizations": [{"enterprise_id": None, "team_id": team_id, "user_id": "UBOT",
                            "is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    }
    return json.dumps(payload).encode()


def _user(user_id: str, team_id: str) -> JSON:
    return {
        "id": user_id,
        "username": user_id.lower(),
        "name": user_id.lower(),
        "team_id": team_id,
    }


def _payload_form(payload: JSON) -> bytes:
    # Interactivity requests are a form with one field, `payload`, holding JSON.
    return urlencode({"payload": json.dumps(payload)}).encode()
