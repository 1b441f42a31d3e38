"""What `omsbot run` runs beside the HTTP server: workers, bots, schedulers, the console."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass
class Service:
    """A background part of the process.

    `component` names the /healthz component it serves (``telegram``, ``slack``, ``smtp``):
    such a service talks to the outside world, so a failing `start` is retried in the
    background with back-off instead of stopping the process. A service without a
    component is ours (worker, scheduler, console): if it cannot start, start-up fails.
    `when_ready`, if any, runs once the whole process is ready: work that would only slow
    start-up down (spawning the mail composing process); its failure is logged.
    """

    name: str
    start: Callable[[], Awaitable[None]]
    stop: Callable[[], Awaitable[None]]
    component: str | None = None
    when_ready: Callable[[], Awaitable[None]] | None = None
