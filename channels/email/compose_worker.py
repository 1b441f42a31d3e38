"""The composing process's side of `compose_pool`: what runs in the spawned process.

Its initializer builds the Jinja environment (compiled, catalogues loaded), lowers its own
CPU priority and watches its parent. Given a `MailReading` factory, it also opens read
access of its own to the shop's database, with an event loop of its own: then the delivery
worker hands it stored notifications as they are (`compose_notifications_pickled`), and it
reads their orders, builds their contexts and composes them; the delivery worker's process
(which takes the orders) does none of that work. Without one it composes `MailJob`s whose
contexts the caller built (`compose_pickled`).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import multiprocessing.util
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment

from channels.email.compose import warm_up
from channels.email.context import order_ids
from channels.email.jobs import EmailConfig, MailJob, mail_job
from channels.email.mime import OutgoingMail
from channels.email.transport import write_eml
from channels.rendering import build_environment
from domain.notifications import DeliveryFailed, Notification
from domain.queries import ReadModel, View

log = logging.getLogger(__name__)


class MailReading(Protocol):
    """Read access of the composing process's own: what the mail of a notification needs
    (its order, return, customer), and the connections to close at its exit."""

    @property
    def views(self) -> ReadModel: ...

    async def aclose(self) -> None: ...


ReadingFactory = Callable[[], MailReading]  # picklable: it travels to the process


@dataclass(frozen=True)
class Written:
    """A mail composed and written to its `.eml` file by the worker process."""

    message_id: str


@dataclass(frozen=True)
class ComposeFailure:
    """Why a job could not be composed: a `DeliveryFailed` the composition raised (its
    `reason`, `permanent`, `retry_after`), or else any other error ("TypeName: message",
    `unexpected`), which the delivery worker logs and retries like an inline one."""

    reason: str
    permanent: bool = False
    retry_after: float | None = None
    unexpected: bool = False

    def error(self) -> Exception:
        """The failure as the notifier raises it."""
        if self.unexpected:
            return RuntimeError(f"composing in the worker process: {self.reason}")
        return DeliveryFailed(self.reason, retry_after=self.retry_after,
                              permanent=self.permanent)


# Mail is background work: the composing process runs at a lower CPU priority (nice +10),
# so that where cores are short it yields them to order intake and the database instead
# of competing (PostgreSQL, 8 clients, delivering too: 178-182 -> 192-207 orders/s in three
# alternated pairs; its mail is still composed whenever a core is free).
COMPOSER_NICENESS = 10
_ENV: Environment | None = None  # the worker process's own, built once by `initialize_process`
_READING: MailReading | None = None  # its read access, with `reading`
_LOOP: asyncio.AbstractEventLoop | None = None  # the loop that access runs on


def initialize_process(reading: ReadingFactory | None = None) -> None:
    """The worker process's initializer: the environment, compiled and warmed up, a
    watch on the parent (a worker holds its own call queue's write end, so a parent
    killed with SIGKILL would otherwise leave it waiting for work forever) and, with
    `reading`, read access of its own (closed when the process ends)."""
    global _ENV, _READING, _LOOP
    # Ctrl-C reaches the whole foreground process group: omsbot stops this process
    # itself, in order, so the key must not kill it mid-mail (nor print a traceback).
    # (Ignored from its first instruction, see compose_pool._sigint_ignored_by_children.)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(COMPOSER_NICENESS)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True,
                         name="parent-watch").start()
    _ENV = build_environment()
    warm_up(_ENV)
    if reading is not None:
        _LOOP = asyncio.new_event_loop()
        try:
            _READING = reading()
        except Exception:  # then it hands every notification back (`Unprepared`)
            log.exception("the mail composing process could not open its read access")
            return
        multiprocessing.util.Finalize(None, _close_reading, exitpriority=10)


def _close_reading() -> None:
    if _LOOP is not None and _READING is not None:
        _LOOP.run_until_complete(_READING.aclose())
        _LOOP.close()


def _exit_with(parent_sentinel: int) -> None:
    multiprocessing.connection.wait([parent_sentinel])
    os._exit(0)


def process_id() -> int:
    return os.getpid()


Composed = OutgoingMail | Written | ComposeFailure


def compose_pickled(jobs: bytes) -> list[Composed]:
    """`compose_chunk` of jobs pickled by the caller (see `ComposePool.compose`)."""
    return compose_chunk(pickle.loads(jobs))  # noqa: S301 - from our own parent process


def compose_chunk(jobs: Sequence[MailJob]) -> list[Composed]:
    """Each job composed (in the worker process), in order, and written when it says
    where; a failure in place of a mail that could not be composed or written."""
    env = _ENV if _ENV is not None else build_environment()
    return [_compose_one(env, job) for job in jobs]


def _compose_one(env: Environment, job: MailJob) -> Composed:
    try:
        mail = job.compose(env)
        if job.write_to is None:
            return mail
        try:
            write_eml(Path(job.write_to), mail.data)
        except OSError as exc:
            raise DeliveryFailed(f"cannot write to {job.write_to}: {exc}") from exc
        return Written(mail.message_id)
    except DeliveryFailed as exc:
        return ComposeFailure(exc.reason, exc.permanent, exc.retry_after)
    except Exception as exc:  # reported per mail, as an inline failure would be
        return ComposeFailure(f"{type(exc).__name__}: {exc}", unexpected=True)


@dataclass(frozen=True)
class NotificationJob:
    """A stored customer notification, to be read for and composed in the process (and
    written, with `write_to`). `fields`: the notification's fields (the mapped instance
    itself does not travel); `telegram_link`: the deep link its mail offers, if any."""

    fields: dict[str, Any]
    telegram_link: str | None = None
    write_to: str | None = None

    @classmethod
    def of(cls, n: Notification, telegram_link: str | None = None,
           write_to: str | None = None) -> NotificationJob:
        return cls({f.name: getattr(n, f.name) for f in fields(Notification)},
                   telegram_link, write_to)


@dataclass(frozen=True)
class Unprepared:
    """What a mail needs could not be read in the process (`reason`): the caller then
    composes it itself, reading (and failing, retrying or reporting) as it does inline."""

    reason: str


@dataclass(frozen=True)
class ReadAhead:
    """Which batch a chunk belongs to (`batch`, new for every batch handed over), and the
    orders of its next chunks (`orders`) to read with its own when it must read: one
    query for several chunks. A read costs ~2 ms of CPU whatever its size, plus ~90 µs
    an order (PostgreSQL, 10 orders a read: 332 µs an order; 50: 137 µs)."""

    batch: int
    orders: tuple[int, ...] = ()


_READ: dict[int, View] = {}  # the orders read for the batch `_READ_FOR`
_READ_FOR: int | None = None


def compose_notifications_pickled(payload: bytes) -> list[Composed | Unprepared]:
    """(`EmailConfig`, [`NotificationJob`], `ReadAhead`) pickled by the caller: each job's
    order read (with the next chunks' orders, unless this batch's read had them), its
    context built and its mail composed, in order; `Unprepared` for one whose context
    could not be built, or for all of them in a process without read access."""
    config, jobs, ahead = pickle.loads(payload)  # noqa: S301 - from our own parent process
    if _READING is None or _LOOP is None:
        return [Unprepared("this process has no read access") for _ in jobs]
    prepared = _LOOP.run_until_complete(_prepare(_READING.views, config, jobs, ahead))
    env = _ENV if _ENV is not None else build_environment()
    return [_compose_one(env, p) if isinstance(p, MailJob) else p for p in prepared]


async def _orders(views: ReadModel, notes: Sequence[Notification], ahead: ReadAhead
                  ) -> dict[int, View]:
    """The orders of `notes`: read now, with `ahead.orders`, unless this batch's earlier
    read had them (orders are never kept from one batch to the next)."""
    global _READ, _READ_FOR
    if ahead.batch != _READ_FOR:
        _READ, _READ_FOR = {}, ahead.batch
    wanted = order_ids(notes)
    if wanted - _READ.keys():
        _READ.update(await views.orders_by_id(sorted(wanted | set(ahead.orders))))
    return {oid: _READ[oid] for oid in wanted if oid in _READ}


async def _prepare(views: ReadModel, config: EmailConfig, jobs: Sequence[NotificationJob],
                   ahead: ReadAhead) -> list[MailJob | Unprepared]:
    notes = [Notification(**job.fields) for job in jobs]
    try:
        orders = await _orders(views, notes, ahead)
    except Exception as exc:
        return [Unprepared(f"{type(exc).__name__}: {exc}") for _ in jobs]
    prepared: list[MailJob | Unprepared] = []
    for job, n in zip(jobs, notes, strict=True):
        try:
            found = await mail_job(views, config, n, orders=orders,
                                   telegram_link=job.telegram_link)
        except Exception as exc:  # read and reported again by the caller
            prepared.append(Unprepared(f"{type(exc).__name__}: {exc}"))
            continue
        prepared.append(replace(found, write_to=job.write_to))
    return prepared


