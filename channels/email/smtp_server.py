"""The built-in inbound SMTP server: aiosmtpd's protocol on our own event loop.

It accepts mail for the reply domain only (550 for anything else, so it is no relay) and
answers 250 once the message is handled and stored; a failure while storing answers 451 so
the sending server tries again later (the Message-ID dedupes a repeat). Mail above the
inbox's limit (OMSBOT_INBOUND_MAX_BYTES) is taken and refused politely (too_large: the
sender, if we know them, and staff are told); only mail above `hard_limit` (twice that by
default) gets aiosmtpd's own 552.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from channels.email.inbound import Inbox

log = logging.getLogger(__name__)


class InboundHandler:
    """aiosmtpd handler hooks (called by name)."""

    def __init__(self, inbox: Inbox, reply_domain: str) -> None:
        self.inbox = inbox
        self.reply_domain = reply_domain.lower()

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address.rpartition("@")[2].lower() != self.reply_domain:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session,
                          envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
        try:
            received = await self.inbox.receive(
                data, envelope_from=envelope.mail_from, recipients=list(envelope.rcpt_tos))
        except Exception:  # the database is away: the sender's server keeps the message
            log.exception("could not handle incoming mail from %s", envelope.mail_from)
            return "451 4.3.0 Temporary failure, please try again later"
        log.info("mail from %s: %s %s", envelope.mail_from, received.action, received.detail)
        return "250 2.0.0 OK"


class InboundSmtpServer:
    def __init__(self, inbox: Inbox, *, host: str, port: int, reply_domain: str,
                 hard_limit: int | None = None) -> None:
        self.handler = InboundHandler(inbox, reply_domain)
        self.host = host
        self.port = port
        self.hard_limit = hard_limit or 2 * inbox.config.max_bytes
        self._server: asyncio.Server | None = None

    def _protocol(self) -> Any:
        return SMTP(self.handler, data_size_limit=self.hard_limit, enable_SMTPUTF8=True,
                    hostname=self.handler.reply_domain, ident="omsbot")

    async def start(self) -> None:
        # aiosmtpd logs every SMTP command at INFO; our handler logs each message's outcome.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, self.host, self.port)
        sockets = self._server.sockets or ()
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("inbound SMTP on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
