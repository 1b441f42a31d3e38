"""Reading a message: its language, its intent and the values it names.

`reader()` is the process's reader: loaded from the model `make` builds (see `model`), or
trained from the training split when that is missing or stale. `model.warm_up()` does that
in a background thread at start-up and `ready()` awaits it off the event loop, so no message
waits for a load or a training on the loop. `Reader.read` costs about a millisecond.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from channels.understanding import entities as en
from channels.understanding.catalogue import Catalogue
from channels.understanding.classifier import Centroids, Cues, IntentModel
from channels.understanding.corpus import UNKNOWN, Audience, Utterance
from channels.understanding.lexicon import CUES, LANGUAGE_CUES

LANGUAGE_SURE = 0.1  # below this the chat's own language is kept


@dataclass(frozen=True)
class Reading:
    """What a message says: `intent` (one of the corpus's intents, or "unknown"), its
    language ("en", "it", "de") with a confidence, and the values it names, keyed like the
    corpus: order, rma, sku, warehouse, quantity, carrier, tracking, email, when, language."""

    intent: str
    confidence: float
    language: str
    language_confidence: float
    entities: dict[str, Any] = field(default_factory=dict)


_Extract = Callable[[en.Tokens, str, Catalogue | None], dict[str, Any]]


def _order(tokens: en.Tokens, raw: str, catalogue: Catalogue | None) -> dict[str, Any]:
    return {"order": en.order_number(tokens)}


def _written_order(tokens: en.Tokens, raw: str, catalogue: Catalogue | None
                   ) -> dict[str, Any]:
    return {"order": en.written_order_number(tokens)}


def _ship(tokens: en.Tokens, raw: str, catalogue: Catalogue | None) -> dict[str, Any]:
    found = en.carrier(tokens)
    tracking = en.tracking_number(tokens, raw, found[1] if found else None)
    return {"carrier": found[0] if found else None, "tracking": tracking,
            "order": en.order_number(tokens)}


def _product_place(tokens: en.Tokens, raw: str, catalogue: Catalogue | None
                   ) -> dict[str, Any]:
    if catalogue is None:
        return {}
    return {"sku": catalogue.take_sku(tokens), "warehouse": catalogue.take_warehouse(tokens)}


def _receive(tokens: en.Tokens, raw: str, catalogue: Catalogue | None) -> dict[str, Any]:
    found = _product_place(tokens, raw, catalogue)
    return {**found, "quantity": en.take_bare_number(tokens)}


def _top(tokens: en.Tokens, raw: str, catalogue: Catalogue | None) -> dict[str, Any]:
    return {"when": en.when(tokens), "quantity": en.take_bare_number(tokens, 3)}


def _when(tokens: en.Tokens, raw: str, catalogue: Catalogue | None) -> dict[str, Any]:
    return {"when": en.when(tokens)}


def _email(tokens: en.Tokens, raw: str, catalogue: Catalogue | None) -> dict[str, Any]:
    return {"email": en.email(tokens)}


def _rma(tokens: en.Tokens, raw: str, catalogue: Catalogue | None) -> dict[str, Any]:
    return {"rma": en.rma_number(tokens)}


def _language(tokens: en.Tokens, raw: str, catalogue: Catalogue | None) -> dict[str, Any]:
    return {"language": en.language(tokens)}


# The values each intent takes, in the order they are looked for.
EXTRACTORS: dict[Audience, dict[str, _Extract]] = {
    "customer": {"track": _order, "orders": _order, "return": _order, "address": _written_order,
                 "language": _language},
    "staff": {"stock": _product_place, "order": _order, "customer": _email, "top": _top,
              "report": _when, "ship": _ship, "cancel": _order, "hold": _order,
              "receive": _receive, "approve_return": _rma},
}


class Reader:
    def __init__(self, intents: dict[Audience, IntentModel], languages: IntentModel) -> None:
        self.intents = intents
        self.languages = languages

    @classmethod
    def train(cls, utterances: list[Utterance]) -> Reader:
        intents = {audience: IntentModel(
            Centroids.train((u.text, u.intent) for u in utterances if u.audience == audience),
            Cues(CUES[audience])) for audience in ("customer", "staff")}
        languages = IntentModel(Centroids.train((u.text, u.language) for u in utterances),
                                Cues(LANGUAGE_CUES))
        return cls(intents, languages)  # type: ignore[arg-type]

    def read(self, text: str, audience: Audience, catalogue: Catalogue | None = None
             ) -> Reading:
        """The intent, language and values of `text` as `audience` writes it."""
        guess = self.intents[audience].guess(text)
        language = self.languages.best(text)
        found = self.values(text, audience, guess.label, catalogue)
        return Reading(guess.label, guess.confidence, language.label, language.confidence,
                       found)

    def values(self, text: str, audience: Audience, intent: str,
               catalogue: Catalogue | None = None) -> dict[str, Any]:
        """The values `intent` takes, found in `text` (absent ones left out)."""
        return self.values_and_rest(text, audience, intent, catalogue)[0]

    def knows(self, word: str, audience: Audience) -> bool:
        """`word` (folded) was seen in `audience`'s training utterances."""
        return _knows(self.intents[audience], word)

    def values_and_rest(self, text: str, audience: Audience, intent: str,
                        catalogue: Catalogue | None = None) -> tuple[dict[str, Any], list[str]]:
        """`values`, and the words no value took (folded), in order."""
        tokens = en.Tokens.of(text)
        extract = EXTRACTORS[audience].get(intent)
        if extract is None or intent == UNKNOWN:
            return {}, tokens.words()
        found = extract(tokens, text, catalogue)
        rest = [token.text for token in tokens.free()]
        return {key: value for key, value in found.items() if value is not None}, rest


def _knows(model: IntentModel, word: str) -> bool:
    return f"w:{word}" in model.centroids.idf


def reply_language(reading: Reading, usual: str | None, default: str = "en") -> str:
    """The language to answer in: the message's when it is clear, else the chat's usual
    one (the last clear one, or its profile's), else `default`."""
    if reading.language_confidence >= LANGUAGE_SURE:
        return reading.language
    return usual or default


_lock = threading.Lock()
_loaded: list[Reader] = []  # the process's reader, once loaded or trained


def reader() -> Reader:
    """The process's reader, loaded (or trained) on first use; a second caller meanwhile
    waits for the first instead of training again."""
    if _loaded:
        return _loaded[0]
    from channels.understanding.model import load_or_train

    with _lock:
        if not _loaded:
            _loaded.append(load_or_train())
    return _loaded[0]


async def ready() -> Reader:
    """The reader, waiting off the event loop while `model.warm_up` (or anyone) loads it."""
    if _loaded:
        return _loaded[0]
    return await asyncio.to_thread(reader)
