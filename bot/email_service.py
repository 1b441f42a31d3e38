"""Wiring of incoming mail: the inbox, and the inbound SMTP server as a Service."""

from __future__ import annotations

from email.utils import parseaddr

from aiohttp import web

from bot.core import Core
from bot.services import Service
from channels.email.inbound import InboundConfig, Inbox
from channels.email.smtp_server import InboundSmtpServer


def build_inbox(core: Core) -> Inbox:
    settings = core.settings
    own = parseaddr(settings.email_from)[1].lower()
    return Inbox(core.bus, InboundConfig(secret=settings.secret(),
                                         reply_domain=settings.reply_domain,
                                         own_addresses=frozenset({own} if own else ()),
                                         max_bytes=settings.inbound_max_bytes))


def build_inbound_server(core: Core) -> InboundSmtpServer | None:
    port = core.settings.inbound_smtp_port
    if port is None:
        return None
    return InboundSmtpServer(build_inbox(core), host=core.settings.http_host, port=port,
                             reply_domain=core.settings.reply_domain)


def email_services(core: Core, app: web.Application) -> list[Service]:
    server = build_inbound_server(core)
    if server is None:
        return []
    return [Service("inbound SMTP", server.start, server.stop)]
