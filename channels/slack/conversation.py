"""Plain words in Slack: direct messages to the app (`message.im`) and mentions
(`app_mention`) answered by `StaffTalk`; a change comes back as a summary with Confirm and
Cancel buttons, and only Confirm runs it (as the command it stands for, role check again).
A question with options comes with one button per option; pressing one answers it as if
typed by whoever pressed it (their own open question, their role).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond, AsyncSay
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from channels.slack import blocks
from channels.slack.context import STAFF, SlackDeps, first_delivery
from channels.slack.files import SlackFile, upload_file
from channels.staff_grammar import decode_slack_text
from channels.staff_render import render_reply
from channels.staff_replies import Attachment, Reply, StaffUser
from channels.understanding.questions import Option
from channels.understanding.staff_talk import TALK, StaffTalk, Talk, render_talk

log = logging.getLogger(__name__)
JSON = dict[str, Any]
CONFIRM = "talk_confirm"
CANCEL = "talk_cancel"
CHOICE = "talk_choice_"  # + the option's place: action ids are unique within a message
_CHOICES = re.compile(rf"^{CHOICE}[0-9]+$")
_MENTION = re.compile(r"<@[UW][A-Z0-9]+>")


def register_conversation(app: AsyncApp, deps: SlackDeps, talk: StaffTalk) -> None:
    listeners = ConversationListeners(deps, talk)
    app.event("message")(listeners.direct_message)
    app.event("app_mention")(listeners.mention)
    app.action(CONFIRM)(listeners.confirm)
    app.action(CANCEL)(listeners.cancel)
    app.action(_CHOICES)(listeners.choose)


def confirm_message(text: str, command: str) -> JSON:
    """The summary of a change with Confirm (its value: the command) and Cancel."""
    message = blocks.message(text)
    message["blocks"].append({"type": "actions", "block_id": "talk", "elements": [
        {"type": "button", "action_id": CONFIRM, "style": "primary", "value": command[:2000],
         "text": {"type": "plain_text", "text": "Confirm"}},
        {"type": "button", "action_id": CANCEL, "value": "cancel",
         "text": {"type": "plain_text", "text": "Cancel"}}]})
    return message


def choice_message(text: str, options: tuple[Option, ...]) -> JSON:
    """A question with one button per option (its value: what choosing it answers)."""
    message = blocks.message(text)
    message["blocks"].append({"type": "actions", "block_id": "talk_choices", "elements": [
        {"type": "button", "action_id": f"{CHOICE}{place}", "value": option.value[:2000],
         "text": {"type": "plain_text", "text": option.label[:75]}}
        for place, option in enumerate(options, 1)]})
    return message


def talk_message(text: str, talk: Talk) -> JSON:
    """The answer with the buttons it needs: Confirm/Cancel, the options, or none."""
    if talk.confirm is not None:
        return confirm_message(text, talk.confirm)
    if talk.options:
        return choice_message(text, talk.options)
    return blocks.message(text, talk.reply.subject)


class ConversationListeners:
    def __init__(self, deps: SlackDeps, talk: StaffTalk) -> None:
        self.deps = deps
        self.talk = talk

    async def direct_message(self, ack: AsyncAck, body: JSON, event: JSON, say: AsyncSay,
                             client: AsyncWebClient, context: AsyncBoltContext) -> None:
        await ack()
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        await self._answer(body, event, say, client, context, thread=None)

    async def mention(self, ack: AsyncAck, body: JSON, event: JSON, say: AsyncSay,
                      client: AsyncWebClient, context: AsyncBoltContext) -> None:
        await ack()
        await self._answer(body, event, say, client, context,
                           thread=event.get("thread_ts") or event.get("ts"))

    async def confirm(self, ack: AsyncAck, body: JSON, action: JSON, respond: AsyncRespond,
                      context: AsyncBoltContext) -> None:
        await ack()
        if not await first_delivery(self.deps, body):
            return
        reply = await self.talk.confirmed(str(action.get("value", "")), context[STAFF])
        message = blocks.message(render_reply(self.deps.env, "slack", reply), reply.subject)
        await respond(text=message["text"], blocks=message["blocks"], replace_original=True)

    async def choose(self, ack: AsyncAck, body: JSON, action: JSON, respond: AsyncRespond,
                     context: AsyncBoltContext) -> None:
        """An option pressed: the question's answer, for whoever pressed it. Someone whose
        question it is not (or a closed one) is told so privately; the question stays."""
        await ack()
        user: StaffUser | None = context.get(STAFF)
        if user is None or not await first_delivery(self.deps, body):
            return
        chat = f"{(body.get('channel') or {}).get('id', '')}:{user.user_id}"
        talk = await self.talk.answer(str(action.get("value", "")), user, chat, chosen=True)
        message = talk_message(render_talk(self.deps.env, "slack", talk), talk)
        closed = talk.reply.context.get("kind") == "expired"
        await respond(text=message["text"], blocks=message["blocks"],
                      replace_original=not closed,
                      response_type="ephemeral" if closed else "in_channel")

    async def cancel(self, ack: AsyncAck, body: JSON, respond: AsyncRespond) -> None:
        await ack()
        text = render_talk(self.deps.env, "slack", Talk(Reply(TALK, {"kind": "cancelled"})))
        await respond(text=text, replace_original=True)

    async def _answer(self, body: JSON, event: JSON, say: AsyncSay, client: AsyncWebClient,
                      context: AsyncBoltContext, thread: str | None) -> None:
        user: StaffUser | None = context.get(STAFF)
        if user is None or not await first_delivery(self.deps, body):
            return
        text = _MENTION.sub(" ", decode_slack_text(str(event.get("text", "")))).strip()
        chat = f"{event.get('channel', '')}:{user.user_id}"
        talk = await self.talk.answer(text, user, chat)
        message = talk_message(render_talk(self.deps.env, "slack", talk), talk)
        await say(text=message["text"], blocks=message["blocks"], thread_ts=thread)
        if talk.reply.attachment is not None:
            await _share(client, str(event.get("channel", "")), talk.reply.attachment)


async def _share(client: AsyncWebClient, channel: str, attachment: Attachment) -> None:
    """A report's chart, uploaded where it was asked for; a refusal is logged (the text
    has been answered already)."""
    try:
        content = await attachment.content()
        await upload_file(client, channel, SlackFile(attachment.filename, content,
                                                     attachment.title, attachment.title))
    except SlackApiError as problem:
        log.warning("could not upload %s to %s: %s", attachment.filename, channel,
                    problem.response.get("error"))
