"""A real SMTP server for tests: aiosmtpd's protocol on the test's own event loop.

`SmtpSink()` listens on a free port of 127.0.0.1 (`start()`, `stop()`; `start()` again binds
the same port, for "the server was down for a while"). Every accepted message is kept in
`messages` as a parsed `EmailMessage`; `fail_next(n, reply)` answers the next n DATA
commands with `reply` (e.g. "451 4.3.0 Try again later") instead of accepting them.
`SmtpSink(tls=context, implicit_tls=False)` offers and requires STARTTLS (with
`implicit_tls=True`, TLS from the first byte, as smtps://); `login=("user", "pass")`
requires AUTH with exactly those credentials.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


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
    def __init__(self, host: str = "127.0.0.1", *, tls: ssl.SSLContext | None = None,
                 implicit_tls: bool = False, login: tuple[str, str] | None = None) -> None:
        self.host = host
        self.tls = tls
        self.implicit_tls = implicit_tls
        self.login = login
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
        options: dict[str, Any] = {}
        if self.tls is not None and not self.implicit_tls:
            options.update(tls_context=self.tls, require_starttls=True)
        if self.login is not None:
            # aiosmtpd cannot tell that an implicit-TLS session is encrypted
            options.update(auth_required=True,
                           auth_require_tls=self.tls is not None and not self.implicit_tls,
                           authenticator=self._authenticate)
        protocol = SMTP(self.handler, hostname="sink.test", **options)
        self._connections.append(protocol)
        return protocol

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope,
                      mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and self.login == (
            data.login.decode(), data.password.decode())
        return AuthResult(success=ok, handled=False)

    async def start(self) -> SmtpSink:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self._protocol, self.host, self.port, reuse_address=True,
            ssl=self.tls if self.implicit_tls else None)
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
