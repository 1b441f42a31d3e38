"""A real SMTP server for tests: aiosmtpd's protocol on the test's own event loop.

`SmtpSink()` listens on a free port of 127.0.0.1 (`start()`, `stop()`; `start()` again binds
the same port, for "the server was down for a while"). Every accepted message is kept in
`messages` as a parsed `EmailMessage`; `fail_next(n, reply)` answers the next n DATA
commands with `reply` (e.g. "451 4.3.0 Try again later") instead of accepting them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class _Handler:
    delivered: list[Delivered] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    refused: int = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.failures:
            self.refused += 1
            return self.failures.pop(0)
        raw = envelope.original_content or envelope.content or b""
        assert isinstance(raw, bytes)
        msg = message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.delivered.append(Delivered(str(envelope.mail_from), list(envelope.rcpt_tos), msg))
        return "250 2.0.0 OK"


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.handler = _Handler()
        self._server: asyncio.Server | None = None
        self._connections: list[SMTP] = []

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    @property
    def delivered(self) -> list[Delivered]:
        return self.handler.delivered

    @property
    def messages(self) -> list[EmailMessage]:
        return [d.message for d in self.handler.delivered]

    def fail_next(self, count: int, reply: str = "451 4.3.0 Try again later") -> None:
        self.handler.failures.extend([reply] * count)

    def _protocol(self) -> Any:
        protocol = SMTP(self.handler, hostname="sink.test")
        self._connections.append(protocol)
        return protocol

    async def start(self) -> SmtpSink:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, self.host, self.port,
                                                reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            for protocol in self._connections:  # Python 3.11 servers keep their clients
                transport = getattr(protocol, "transport", None)
                if transport is not None:
                    transport.close()
            self._connections.clear()
            await server.wait_closed()
