"""What the Slack listeners share: their dependencies, where the middleware leaves the staff
member, and the guard against repeated deliveries."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from slack_bolt.context.respond.async_respond import AsyncRespond

from channels.staff_service import StaffService
from channels.understanding.staff_talk import StaffTalk
from domain.ports import ProcessedUpdates, StaffDirectory

log = logging.getLogger(__name__)

STAFF = "staff"  # where the middleware puts the StaffUser in bolt's context
SOURCE = "slack"  # processed_updates.source of Slack deliveries


@dataclass(frozen=True)
class SlackDeps:
    service: StaffService
    directory: StaffDirectory
    processed: ProcessedUpdates
    env: Environment
    talk: StaffTalk | None = None  # plain words in direct messages and mentions


async def first_delivery(deps: SlackDeps, body: dict[str, Any]) -> bool:
    """False for a delivery seen before (a Slack retry of the same request)."""
    key = body.get("trigger_id") or body.get("event_id")
    if not key:
        return True
    fresh = await deps.processed.claim(SOURCE, str(key))
    if not fresh:
        log.info("ignored a repeated Slack delivery %s", key)
    return fresh


def responder(url: str) -> AsyncRespond:
    """Answer through a response_url kept from earlier (modals have none of their own)."""
    return AsyncRespond(response_url=url)
