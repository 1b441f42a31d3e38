"""Where composed mail goes: an SMTP server over a few reused connections, or `.eml` files.

``OMSBOT_SMTP_URL``: ``smtp://user:pass@host:port`` (plain; ``?starttls=1`` upgrades and
requires STARTTLS), ``smtps://…`` (implicit TLS). Replies map to `DeliveryFailed`: 4xx,
connection and timeout errors are worth retrying, 5xx to a message is permanent.
Failing to connect or to log in is the server's problem, not the message's: retried.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from channels.email.mime import OutgoingMail
from domain.notifications import DeliveryFailed

RECONNECT_PAUSE = 5.0  # after a failed connection, fail fast for this long (seconds)
SMTP_CONNECTIONS = 4  # mails sent side by side; a server's limit per client is ~10 or more


class Transport(Protocol):
    async def deliver(self, mail: OutgoingMail) -> None: ...
    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class SmtpTarget:
    hostname: str
    port: int
    use_tls: bool
    start_tls: bool
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("use smtp://user:pass@host:port or smtps://…")
    use_tls = parts.scheme == "smtps"
    query = parse_qs(parts.query)
    start_tls = query.get("starttls", ["0"])[-1].lower() in ("1", "true", "yes")
    if use_tls and start_tls:
        raise ValueError("smtps:// is already TLS: drop ?starttls=1")
    default_port = 465 if use_tls else (587 if start_tls else 25)
    return SmtpTarget(
        hostname=parts.hostname, port=parts.port or default_port, use_tls=use_tls,
        start_tls=start_tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


# 5xx that speak of our session (TLS or login required, credentials), not of the message:
# the operator fixes the set-up and the mail goes out.
_SETUP_CODES = frozenset({530, 534, 535, 538})


def _refusal(code: int, message: str) -> DeliveryFailed:
    text = f"SMTP {code} {message}".strip()
    return DeliveryFailed(text, permanent=code >= 500 and code not in _SETUP_CODES)


async def open_smtp(target: SmtpTarget, *, io_timeout: float = 30.0,
                    tls_context: ssl.SSLContext | None = None) -> aiosmtplib.SMTP:
    """A connected (and logged-in, when the URL has a user) client; DeliveryFailed (worth
    retrying) when the server cannot be reached or refuses the session. `io_timeout`:
    seconds each SMTP step may take (aiosmtplib's timeout)."""
    t = target
    client = aiosmtplib.SMTP(hostname=t.hostname, port=t.port, use_tls=t.use_tls,
                             start_tls=t.start_tls, timeout=io_timeout,
                             tls_context=tls_context)
    try:
        await client.connect()
        if t.username is not None:
            await client.login(t.username, t.password or "")
    except (aiosmtplib.SMTPException, OSError) as exc:
        with contextlib.suppress(Exception):
            client.close()
        raise DeliveryFailed(f"cannot connect to SMTP server: {exc}") from exc
    return client


async def check_smtp(target: SmtpTarget, *, io_timeout: float = 10.0,
                     tls_context: ssl.SSLContext | None = None) -> None:
    """Connect, log in when the URL has a user, and QUIT: what /healthz knows of the SMTP
    server before the first mail goes. Raises DeliveryFailed when it cannot."""
    client = await open_smtp(target, io_timeout=io_timeout, tls_context=tls_context)
    try:
        await client.quit()
    except Exception:  # the check passed; closing is best effort
        client.close()


class _Line:
    """One SMTP connection of the transport (None until first used or after a failure)."""

    client: aiosmtplib.SMTP | None = None


class SmtpTransport:
    """A few connections, each opened on first use and kept for the burst: mails go out
    side by side, one at a time on each connection (as an MTA's client does)."""

    def __init__(self, target: SmtpTarget, *, timeout: float = 30.0,
                 tls_context: ssl.SSLContext | None = None,
                 connections: int = SMTP_CONNECTIONS) -> None:
        self.target = target
        self.timeout = timeout
        self.tls_context = tls_context  # None: the system's trusted certificates
        self._size = max(1, connections)
        self._lines = [_Line() for _ in range(self._size)]  # those not in use
        self._free = asyncio.Semaphore(self._size)
        self._down_until = 0.0

    async def _connect(self) -> aiosmtplib.SMTP:
        if time.monotonic() < self._down_until:
            raise DeliveryFailed("SMTP server unreachable (recently failed)")
        try:
            return await open_smtp(self.target, io_timeout=self.timeout,
                                   tls_context=self.tls_context)
        except DeliveryFailed:
            self._mark_down()
            raise

    def _mark_down(self) -> None:
        """Fail the rest of the burst fast: a stalled server must not hold every message
        of a batch for a full timeout each (their leases would run out)."""
        self._down_until = time.monotonic() + RECONNECT_PAUSE

    async def deliver(self, mail: OutgoingMail) -> None:
        async with self._free:
            line = self._lines.pop()
            try:
                await self._deliver_on(line, mail)
            finally:
                self._lines.append(line)

    async def _deliver_on(self, line: _Line, mail: OutgoingMail) -> None:
        kept = line.client is not None and line.client.is_connected
        try:
            await self._send_once(line, mail)
        except aiosmtplib.SMTPServerDisconnected as exc:
            if not kept:  # a new connection broke: the server is in trouble
                self._mark_down()
                raise DeliveryFailed(f"SMTP connection lost: {exc}") from exc
            # the kept connection went stale while idle: once more, on a new one
            try:
                await self._send_once(line, mail)
            except aiosmtplib.SMTPServerDisconnected as again:
                self._mark_down()
                raise DeliveryFailed(f"SMTP connection lost: {again}") from again

    async def _send_once(self, line: _Line, mail: OutgoingMail) -> None:
        if line.client is None or not line.client.is_connected:
            line.client = await self._connect()
        options = [] if all(a.isascii() for a in (mail.sender, *mail.recipients)) else [
            "SMTPUTF8"]
        try:
            await line.client.sendmail(mail.sender, list(mail.recipients), mail.data,
                                       mail_options=options)
        except aiosmtplib.SMTPServerDisconnected:
            _drop(line)
            raise
        except aiosmtplib.SMTPRecipientsRefused as exc:
            _drop(line)
            first = exc.recipients[0]
            raise _refusal(first.code, first.message) from exc
        except aiosmtplib.SMTPResponseException as exc:
            _drop(line)
            raise _refusal(exc.code, exc.message) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:  # timeouts, resets
            _drop(line)
            self._mark_down()
            raise DeliveryFailed(f"SMTP error: {exc}") from exc

    async def aclose(self) -> None:
        """Say goodbye on every connection, once the mails on them are through."""
        for _ in range(self._size):
            await self._free.acquire()
        try:
            self._down_until = 0.0
            for line in self._lines:
                client, line.client = line.client, None
                if client is not None and client.is_connected:
                    try:
                        await client.quit()
                    except Exception:  # closing is best effort
                        client.close()
        finally:
            for _ in range(self._size):
                self._free.release()


def write_eml(directory: Path, data: bytes) -> Path:
    """`data` as a new `.eml` file in `directory` (made if missing), written under a
    `.part` name and renamed, so a reader never sees half a mail. Raises OSError."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    final = directory / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
    partial = final.with_suffix(".part")
    try:
        partial.write_bytes(data)
    except FileNotFoundError:  # the folder is new, or was removed meanwhile
        directory.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
    os.replace(partial, final)
    return final


def _settle(outcomes: list[tuple[asyncio.Future[None], OSError | None]]) -> None:
    for done, error in outcomes:
        if done.done():  # its sender gave up waiting
            continue
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)


def _drop(line: _Line) -> None:
    client, line.client = line.client, None
    if client is not None:
        with contextlib.suppress(Exception):
            client.close()


class FileTransport:
    """Without an SMTP server: each message becomes an `.eml` file in `directory`.

    Creating a file can cost far more than writing its bytes (on this project's ext4
    machines, after many files were deleted: 0.5-0.8 ms of kernel time per file against
    0.02 ms), so the files are written by one thread of the transport's own, which takes
    every mail queued since its last round at once: one hand-over per round rather than
    one per mail, and the system calls run beside the event loop (they release the GIL)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._made = False
        self._queue: list[tuple[bytes, asyncio.Future[None]]] = []
        self._writer: asyncio.Future[None] | None = None
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eml-writer")

    def _write(self, data: bytes) -> None:
        if not self._made:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._made = True
        write_eml(self.directory, data)

    def _rounds(self, loop: asyncio.AbstractEventLoop) -> None:
        """(In the writer thread.) Write what is queued, round after round, until none is."""
        while self._queue:
            batch, self._queue = self._queue, []
            outcomes: list[tuple[asyncio.Future[None], OSError | None]] = []
            for data, done in batch:
                try:
                    self._write(data)
                    outcomes.append((done, None))
                except OSError as exc:
                    outcomes.append((done, exc))
            loop.call_soon_threadsafe(_settle, outcomes)

    def _start_writer(self) -> None:
        if self._queue and (self._writer is None or self._writer.done()):
            loop = asyncio.get_running_loop()
            self._writer = loop.run_in_executor(self._thread, self._rounds, loop)
            # a mail queued just as the thread found the queue empty starts the next one
            self._writer.add_done_callback(lambda _: self._start_writer())

    async def deliver(self, mail: OutgoingMail) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((mail.data, done))
        self._start_writer()
        try:
            await done
        except OSError as exc:
            raise DeliveryFailed(f"cannot write to {self.directory}: {exc}") from exc

    async def aclose(self) -> None:
        return None
