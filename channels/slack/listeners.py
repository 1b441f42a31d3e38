"""Listeners of `/oms`, the message buttons and the modals. Each acks first, then does the
work: parse → staff service (role check, bus or read model) → render → respond."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from channels import staff_requests as sr
from channels.slack import blocks
from channels.slack.context import STAFF, SlackDeps, first_delivery, responder
from channels.slack.files import share_attachment
from channels.staff_render import render_reply
from channels.staff_replies import ADDRESS_FIELDS, OPTIONAL_FIELDS, Address, Reply, StaffUser
from channels.staff_values import parse_date, parse_free_text

log = logging.getLogger(__name__)
JSON = dict[str, Any]
PREFIX = "/oms "


@dataclass(frozen=True)
class Origin:
    """What a modal must remember of the click that opened it (its private_metadata)."""

    id: int
    status: str
    url: str  # the response_url of the message that held the button
    ephemeral: bool

    def dump(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def load(cls, text: str) -> Origin:
        return cls(**json.loads(text))


def register(app: AsyncApp, deps: SlackDeps) -> None:
    listeners = Listeners(deps)
    app.command(PREFIX.strip())(listeners.command)
    app.action(re.compile(blocks.BUTTON_PATTERN))(listeners.button)
    app.view(blocks.SHIP_MODAL)(listeners.ship_submitted)
    app.view(blocks.CANCEL_MODAL)(listeners.cancel_submitted)
    app.view(blocks.NEW_ORDER_MODAL)(listeners.new_order_submitted)
    app.error(listeners.failed)


class Listeners:
    def __init__(self, deps: SlackDeps) -> None:
        self.deps = deps
        self.service = deps.service

    async def command(self, ack: AsyncAck, body: JSON, command: JSON, respond: AsyncRespond,
                      client: AsyncWebClient, context: AsyncBoltContext) -> None:
        await ack()
        if not await first_delivery(self.deps, body):
            return
        user: StaffUser = context[STAFF]
        if self.deps.talk is not None:  # a command is a new subject: plain words' question ends
            await self.deps.talk.close_question(f"{command.get('channel_id', '')}:{user.user_id}")
        reply = await self.service.handle_text(str(command.get("text", "")), user, prefix=PREFIX)
        if reply.form is not None:
            await self._open_new_order(client, body, reply, reply.form)
            return
        await self._publish(respond, reply)
        if reply.attachment is not None:
            await share_attachment(client, str(command.get("channel_id", "")), reply.attachment,
                                   respond)

    async def button(self, ack: AsyncAck, body: JSON, action: JSON, respond: AsyncRespond,
                     client: AsyncWebClient, context: AsyncBoltContext) -> None:
        await ack()
        button = blocks.parse_button(action)
        if button is None or not await first_delivery(self.deps, body):
            return
        user: StaffUser = context[STAFF]
        if button.verb in ("ship", "cancel"):
            await self._open_order_modal(client, body, button, user, respond)
            return
        request = _button_request(button)
        reply = await self.service.execute(request, user, seen_status=button.status)
        await self._after_click(respond, _is_ephemeral(body), reply)

    async def ship_submitted(self, ack: AsyncAck, body: JSON, view: JSON,
                             context: AsyncBoltContext) -> None:
        values, errors = _read_form(view, {"carrier": _carrier, "tracking": _tracking,
                                           "eta": parse_date}, frozenset({"eta"}))
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        origin = Origin.load(view["private_metadata"])
        request = sr.ShipOrder(origin.id, values["carrier"], values["tracking"], values.get("eta"))
        await self._submitted(body, origin, request, context)

    async def cancel_submitted(self, ack: AsyncAck, body: JSON, view: JSON,
                               context: AsyncBoltContext) -> None:
        values, errors = _read_form(view, {"reason": _reason})
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        origin = Origin.load(view["private_metadata"])
        await self._submitted(body, origin, sr.CancelOrder(origin.id, values["reason"]), context)

    async def new_order_submitted(self, ack: AsyncAck, body: JSON, view: JSON,
                                  context: AsyncBoltContext) -> None:
        values, errors = _read_form(view, ADDRESS_FIELDS, OPTIONAL_FIELDS)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        if not await first_delivery(self.deps, body):
            return
        meta = json.loads(view["private_metadata"])
        request = sr.NewOrder(meta["email"], tuple((s, q) for s, q in meta["items"]),
                              meta["channel"])
        reply = await self.service.place_new_order(
            request, Address(**values), context[STAFF], external_id=f"slack-{view['id']}")
        await self._publish(responder(meta["url"]), reply)

    async def failed(self, error: Exception, body: JSON) -> None:
        log.exception("Slack request failed (%s)", body.get("type") or body.get("command"),
                      exc_info=error)

    # -- helpers ---------------------------------------------------------------------------

    async def _submitted(self, body: JSON, origin: Origin, request: sr.StaffRequest,
                         context: AsyncBoltContext) -> None:
        if not await first_delivery(self.deps, body):
            return
        reply = await self.service.execute(request, context[STAFF], seen_status=origin.status)
        await self._after_click(responder(origin.url), origin.ephemeral, reply)

    async def _publish(self, respond: AsyncRespond, reply: Reply, *,
                       replace: bool = False) -> None:
        message = blocks.message(render_reply(self.deps.env, "slack", reply), reply.subject)
        await respond(text=message["text"], blocks=message["blocks"],
                      response_type="in_channel" if reply.public else "ephemeral",
                      replace_original=replace)

    async def _after_click(self, respond: AsyncRespond, ephemeral: bool, reply: Reply) -> None:
        """A change replaces the clicked message (it now says who did what); an ephemeral
        message is seen by one person, so the change is also told to the channel."""
        if not reply.public:
            await self._publish(respond, reply)
            return
        await self._publish(respond, reply, replace=True)
        if ephemeral:
            await self._publish(respond, reply)

    async def _open_order_modal(self, client: AsyncWebClient, body: JSON, button: blocks.Button,
                                user: StaffUser, respond: AsyncRespond) -> None:
        request_type = sr.ShipOrder if button.verb == "ship" else sr.CancelOrder
        if not user.role.covers(request_type.required_role):
            await self._publish(respond, self.service.refusal(request_type, user))
            return
        origin = Origin(button.id, button.status, str(body.get("response_url", "")),
                        _is_ephemeral(body))
        number = f"ORD-{button.id:06d}"
        build = blocks.ship_modal if button.verb == "ship" else blocks.cancel_modal
        await client.views_open(trigger_id=body["trigger_id"], view=build(number, origin.dump()))

    async def _open_new_order(self, client: AsyncWebClient, body: JSON, reply: Reply,
                              form: sr.NewOrder) -> None:
        meta = json.dumps({"email": form.email, "items": form.items, "channel": form.channel,
                           "url": body.get("response_url", "")})
        summary = render_reply(self.deps.env, "slack", reply)
        await client.views_open(trigger_id=body["trigger_id"],
                                view=blocks.new_order_modal(summary, meta))


def _button_request(button: blocks.Button) -> sr.StaffRequest:
    """The request a (non-modal) button stands for; parse_button vetted its verb."""
    if button.kind == "return":
        decision = next(d for d in sr.RETURN_DECISIONS if d == button.verb)
        return sr.ReturnAction(decision, button.id)
    if button.kind == "po":
        return sr.ApprovePurchaseOrder(button.id)
    kinds: dict[str, Callable[[int], sr.StaffRequest]] = {
        "deliver": sr.DeliverOrder, "hold": sr.HoldOrder, "release": sr.ReleaseOrder}
    return kinds[button.verb](button.id)


def _is_ephemeral(body: JSON) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


def _read_form(view: JSON, fields: dict[str, Callable[[str], Any]],
               optional: frozenset[str] = frozenset()) -> tuple[dict[str, Any], dict[str, str]]:
    """Each filled-in field parsed; errors by block id, as Slack shows them under inputs."""
    typed = blocks.form_values(view)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, parser in fields.items():
        if name not in typed:
            if name not in optional:
                errors[name] = "Please fill this in."
            continue
        try:
            values[name] = parser(typed[name])
        except ValueError as problem:
            errors[name] = str(problem).replace("`", "")
    return values, errors


def _carrier(text: str) -> str:
    return parse_free_text(text, "carrier", 64)


def _tracking(text: str) -> str:
    return parse_free_text(text, "tracking number", 100)


def _reason(text: str) -> str:
    return parse_free_text(" ".join(text.split()), "reason", 500)
