"""The e-mail notifier: one stored notification becomes one composed message, delivered.

Every kind of CONTRACT §7 plus ``refusal`` (the polite answer to mail we could not take);
the payload of each is documented in ``channels/email/context.py``. Customer mail carries
``Reply-To: reply+<signed token>@<reply domain>`` naming its order and threads under the
order's root Message-ID; review requests carry ``List-Unsubscribe``; a customer not yet
following on Telegram gets a deep link when a `telegram_link` provider is given.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment

from channels.email.compose import (
    EMAIL_KINDS,
    REFUSAL_REASONS,
    refusal_mail,
    warm_up,
)
from channels.email.compose_pool import ComposePool
from channels.email.compose_worker import (
    Composed,
    ComposeFailure,
    NotificationJob,
    ReadAhead,
    ReadingFactory,
    Unprepared,
    Written,
)
from channels.email.context import order_ids
from channels.email.jobs import (
    EmailConfig,
    MailJob,
    mail_job,
    notification_headers,
    wants_telegram_link,
)
from channels.email.mime import OutgoingMail
from channels.email.transport import FileTransport, SmtpTransport, Transport, parse_smtp_url
from channels.rendering import build_environment
from domain.notifications import EMAIL, DeliveryFailed, Notification
from domain.queries import ReadModel, View

log = logging.getLogger(__name__)
TelegramLinkProvider = Callable[[str], Awaitable[str | None]]
ORDERS_PER_READ = 25  # orders read ahead per query by `EmailNotifier.prepare`
CHUNK = 10  # mails per call to the composing process
READ_AHEAD = 5  # a composing process that reads reads the orders of this many chunks at once
_BATCHES = itertools.count(1)  # which batch a chunk belongs to (compose_worker.ReadAhead)
POOL_WAIT = 5.0  # seconds a batch waits for a composing process that is starting


Handed = Composed | Unprepared  # what the composing process answers for one mail


def _retrieved(task: asyncio.Future[list[Handed]]) -> None:
    """Mark a chunk's error seen: its mails are composed inline when it failed."""
    if not task.cancelled():
        task.exception()


class EmailNotifier:
    channel = EMAIL

    def __init__(self, config: EmailConfig, views: ReadModel, transport: Transport, *,
                 env: Environment | None = None,
                 telegram_link: TelegramLinkProvider | None = None,
                 pool: ComposePool | None = None) -> None:
        """`pool`: compose in worker processes (only with the default `env`, which the
        processes build for themselves)."""
        self.config = config
        self.views = views
        self.transport = transport
        self.env = env or build_environment()
        self.telegram_link = telegram_link
        # read ahead for the batch being sent: its notification ids, their orders by id
        self._batch: frozenset[int] = frozenset()
        self._orders: dict[int, View] = {}
        # Mails are composed one at a time with a turn of the event loop after each: a
        # batch must not hold the loop for several compositions in a row (an order being
        # placed meanwhile waits for its next step, holding its stock row's lock).
        self._composing = asyncio.Lock()
        self._warm = False  # templates compiled, catalogues loaded (off the loop)
        # With a pool, a batch's mails are composed in a worker process (compose_pool).
        self.pool = pool
        self._composed: dict[int, tuple[asyncio.Future[list[Handed]], int]] = {}

    async def start(self) -> None:
        """Start the composing process in the background (with the delivery worker), so
        that it has warmed up before the first mail comes. A process that cannot be
        started stops nothing: mail is composed here, and a later batch tries again."""
        self._start_pool()

    def _start_pool(self) -> None:
        if self.pool is not None:
            try:
                self.pool.start()  # no-op while it runs; restarts a dead one
            except Exception:
                log.exception("the mail composing process could not be started; composing "
                              "here until it can")

    async def prepare(self, batch: Sequence[Notification]) -> None:
        """Hand a batch about to be sent to the composing process when there is one: as
        stored notifications to a process that reads for itself, else as mail jobs, whose
        orders are read here a few per query (not one per mail; not all in one go either,
        which would hold the event loop for a long stretch)."""
        mine = [n for n in batch if n.channel == EMAIL and n.id is not None]
        self._batch, self._orders, self._composed = frozenset(), {}, {}
        ready = await self._pool_ready()
        if ready and self.pool is not None and self.pool.reading is not None:
            await self._hand_over_unread(mine)
            return
        wanted = sorted(order_ids(mine))
        self._batch = frozenset(n.id for n in mine if n.id is not None)
        for start in range(0, len(wanted), ORDERS_PER_READ):
            self._orders.update(await self.views.orders_by_id(
                wanted[start:start + ORDERS_PER_READ]))
        if ready:
            await self._hand_over(mine)
        elif not self._warm:  # composed here: templates compiled off the loop first
            await asyncio.to_thread(warm_up, self.env)
            self._warm = True

    async def _pool_ready(self) -> bool:
        """Whether the composing process takes this batch: once `start` was called (a
        one-off drain composes here), started again when it died, waited for (POOL_WAIT
        seconds at most) while it starts."""
        if self.pool is None or not self.pool.wanted:
            return False
        self._start_pool()
        return await self.pool.wait_ready(POOL_WAIT)

    async def send(self, notification: Notification) -> str:
        mail = await self._handed_over(notification)
        if isinstance(mail, Written):
            return mail.message_id
        if mail is None:
            async with self._composing:
                mail = await self.mail(notification)
                await asyncio.sleep(0)
        await self.transport.deliver(mail)
        return mail.message_id

    async def _hand_over(self, batch: Sequence[Notification]) -> None:
        """Give the batch's customer mails to the worker process, CHUNK per call (the
        first chunks are sent while the next are composed)."""
        assert self.pool is not None
        jobs: list[tuple[int, MailJob]] = []
        for n in batch:
            if n.id is None or n.kind not in EMAIL_KINDS:
                continue
            try:
                job = await self._job(n)
            except Exception:  # noqa: S112 - composed inline by `send`, which reports it
                continue
            if isinstance(self.transport, FileTransport):  # written there too
                job = replace(job, write_to=str(self.transport.directory))
            jobs.append((n.id, job))
            await asyncio.sleep(0)  # one mail's context at a time: orders go on meanwhile
        for start in range(0, len(jobs), CHUNK):
            chunk = jobs[start:start + CHUNK]
            self._awaiting([nid for nid, _ in chunk], self._compose([job for _, job in chunk]))

    async def _compose(self, jobs: list[MailJob]) -> list[Handed]:
        assert self.pool is not None
        return list(await self.pool.compose(jobs))

    def _awaiting(self, notification_ids: list[int],
                  composing: Coroutine[Any, Any, list[Handed]]) -> None:
        """Start composing a chunk; `send` finds each of its mails by notification id."""
        task = asyncio.ensure_future(composing)
        task.add_done_callback(_retrieved)
        for index, notification_id in enumerate(notification_ids):
            self._composed[notification_id] = (task, index)

    async def _hand_over_unread(self, batch: Sequence[Notification]) -> None:
        """Give the batch's customer notifications to a composing process that reads for
        itself, CHUNK per call (the first chunks are sent while the next are composed);
        a call that must read reads the orders of the next chunks too, READ_AHEAD chunks'
        in one query. Only their Telegram links are asked for here."""
        assert self.pool is not None
        mine = [n for n in batch if n.id is not None and n.kind in EMAIL_KINDS]
        write_to = (str(self.transport.directory)
                    if isinstance(self.transport, FileTransport) else None)
        jobs = [(n, NotificationJob.of(n, await self._link(n), write_to)) for n in mine]
        chunks = [jobs[start:start + CHUNK] for start in range(0, len(jobs), CHUNK)]
        batch_id = next(_BATCHES)
        for number, chunk in enumerate(chunks):
            following = [n for later in chunks[number + 1:number + READ_AHEAD] for n, _ in later]
            ahead = ReadAhead(batch_id, tuple(sorted(order_ids(following))))
            self._awaiting([n.id for n, _ in chunk if n.id is not None],
                           self.pool.compose_notifications(
                               self.config, [job for _, job in chunk], ahead))

    async def _handed_over(self, n: Notification) -> OutgoingMail | Written | None:
        """The mail the worker process composed (and, for the file transport, wrote) for
        `n`; None when it was not handed over, the process died or could not read what
        the mail needs (then it is composed inline)."""
        handed = self._composed.pop(n.id, None) if n.id is not None else None
        if handed is None:
            return None
        task, index = handed
        try:
            composed = (await asyncio.shield(task))[index]
        except BrokenProcessPool:
            return None
        if isinstance(composed, ComposeFailure):
            raise composed.error()
        if isinstance(composed, Unprepared):
            log.info("composing notification %s here: %s", n.id, composed.reason)
            return None
        return composed

    async def aclose(self) -> None:
        self._batch, self._orders, self._composed = frozenset(), {}, {}
        await self.transport.aclose()

    async def shutdown(self) -> None:
        """Stop the composing process, if one runs (at the delivery worker's stop)."""
        if self.pool is not None:
            await self.pool.aclose()

    async def message(self, n: Notification) -> EmailMessage:
        """The composed message of a notification (rendered, not sent), parsed."""
        return (await self.mail(n)).message()

    async def mail(self, n: Notification) -> OutgoingMail:
        """The composed mail of a notification, ready for the transport."""
        if n.kind == "refusal":
            return self._refusal(n)
        if n.kind in EMAIL_KINDS:
            return (await self._job(n)).compose(self.env)
        raise DeliveryFailed(f"no e-mail template for {n.kind!r}", permanent=True)

    async def _job(self, n: Notification) -> MailJob:
        """What composing customer mail `n` takes (composed here, or in the composing
        process): its orders from the batch's read-ahead when it has one."""
        return await mail_job(self.views, self.config, n,
                              orders=self._orders if n.id in self._batch else None,
                              telegram_link=await self._link(n))

    async def _link(self, n: Notification) -> str | None:
        """The Telegram deep link the mail of `n` offers (None without Telegram)."""
        if self.telegram_link is None or not wants_telegram_link(n):
            return None
        return await self.telegram_link(n.recipient)

    def _refusal(self, n: Notification) -> OutgoingMail:
        reason = str(n.payload.get("reason", "malformed"))
        if reason not in REFUSAL_REASONS:
            reason = "malformed"
        in_reply_to = n.payload.get("in_reply_to")
        return refusal_mail(
            self.env, self.config.locale(n), n.recipient, self.config.sender, reason,
            in_reply_to if isinstance(in_reply_to, str) else None,
            context={"shop": self.config.shop.as_dict()},
            message_id_domain=self.config.message_id_domain,
            headers=notification_headers(n))


class EmailSettings(Protocol):
    """What `build_email_notifier` reads from `bot.settings.Settings`."""

    @property
    def smtp_url(self) -> str | None: ...
    @property
    def email_from(self) -> str: ...
    @property
    def reply_domain(self) -> str: ...
    @property
    def public_url(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    @property
    def default_locale(self) -> str: ...
    @property
    def unpaid_hold(self) -> timedelta: ...
    @property
    def email_compose_processes(self) -> int: ...
    def secret(self) -> bytes: ...


def build_email_notifier(
    settings: EmailSettings, views: ReadModel, *,
    telegram_link: TelegramLinkProvider | None = None,
    outbox_dir: Path = Path("var/outbox"),
    env: Environment | None = None,
    reading: ReadingFactory | None = None,
) -> EmailNotifier:
    """SMTP when OMSBOT_SMTP_URL is set, else `.eml` files in `outbox_dir`. `reading`:
    the composing processes open read access of their own with it and read what each
    mail needs themselves (see `compose_worker`)."""
    config = EmailConfig(
        sender=settings.email_from, reply_domain=settings.reply_domain,
        secret=settings.secret(), public_url=settings.public_url,
        timezone=settings.timezone, default_locale=settings.default_locale,
        unpaid_hold=settings.unpaid_hold,
    )
    transport: Transport = (SmtpTransport(parse_smtp_url(settings.smtp_url))
                            if settings.smtp_url else FileTransport(outbox_dir))
    # The composing processes build the default environment for themselves: none for a
    # caller's own `env`.
    processes = settings.email_compose_processes if env is None else 0
    return EmailNotifier(config, views, transport, env=env, telegram_link=telegram_link,
                         pool=ComposePool(processes, reading=reading) if processes > 0
                         else None)
