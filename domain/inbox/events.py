"""Events of the customer inbox."""

from __future__ import annotations

from dataclasses import dataclass

from domain.events import Event


@dataclass(frozen=True)
class InboundMailRefused(Event):
    """A message we could not take; `recipient` gets a polite, automatic answer."""

    recipient: str
    reason: str
    in_reply_to: str | None
    locale: str
