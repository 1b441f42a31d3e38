"""The state of one `omsbot run` process: starting, ready, stopping; and the health of
the parts that talk to the outside world (CONTRACT §4 /healthz and /readyz, §12)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from enum import StrEnum

log = logging.getLogger("omsbot")

OK, RETRYING, OFF = "ok", "retrying", "off"


class Phase(StrEnum):
    STARTING = "starting"
    READY = "ready"
    STOPPING = "stopping"


class Health:
    """Each outside component's state: `ok`, `retrying` (unreachable; retried in the
    background) or `off` (not configured)."""

    def __init__(self, configured: dict[str, bool]) -> None:
        self.components = {name: OK if on else OFF for name, on in configured.items()}

    def report(self, component: str, state: str) -> None:
        if self.components.get(component) == OFF:
            return
        if self.components.get(component) != state:
            log.log(logging.INFO if state == OK else logging.WARNING, "%s is %s",
                    component, "reachable again" if state == OK else "unreachable: retrying")
        self.components[component] = state


class Lifecycle:
    """The phase, the reason readiness is withheld, and the request to stop (a signal, or
    Ctrl-C at the console)."""

    def __init__(self, health: Health) -> None:
        self.health = health
        self.phase = Phase.STARTING
        self.not_ready_reason: str | None = "starting"
        self.stop_requested = asyncio.Event()

    @property
    def ready(self) -> bool:
        return self.phase is Phase.READY and self.not_ready_reason is None

    def request_stop(self) -> None:
        if not self.stop_requested.is_set():
            log.info("stopping: finishing requests in flight")
        self.stop_requested.set()

    def install_signal_handlers(self) -> None:
        """SIGINT and SIGTERM stop the process. Call again after anything that replaces
        the SIGINT handler (prompt_toolkit removes ours after each prompt)."""
        if sys.platform == "win32" or threading.current_thread() is not threading.main_thread():
            return  # signal handlers exist only in the main thread of a POSIX process
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_stop)


async def retry_forever(name: str, attempt: Callable[[], Awaitable[None]],
                        on_state: Callable[[str], None], *, first: float = 1.0,
                        cap: float = 60.0) -> None:
    """Run `attempt` until it succeeds, waiting first·2ⁿ seconds (at most `cap`) between
    tries; each failure is one warning line and `on_state('retrying')`."""
    delay = first
    while True:
        try:
            await attempt()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            on_state(RETRYING)
            log.warning("%s could not start (%s); retrying in %.0f s", name,
                        str(exc) or type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(cap, delay * 2)
        else:
            on_state(OK)
            return


def configured_components(telegram: bool, slack: bool, smtp: bool) -> Health:
    """A Health whose components start `ok` when configured, `off` when not."""
    return Health({"telegram": telegram, "slack": slack, "smtp": smtp})
