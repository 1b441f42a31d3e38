"""The labelled utterances: `audience  language  intent  entities  text`, tab-separated.

The training split ships with the package (`data/train.tsv`); the test split lives in
`tests/corpora/utterances/test.tsv`. Entities are written `key=value;key=value` or `-`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

Audience = Literal["customer", "staff"]
AUDIENCES: dict[str, Audience] = {"c": "customer", "s": "staff"}
UNKNOWN = "unknown"  # the intent of what is not understood


@dataclass(frozen=True)
class Utterance:
    audience: Audience
    language: str
    intent: str
    entities: dict[str, str]
    text: str


def parse_entities(written: str) -> dict[str, str]:
    """`order=12;sku=MUG-01` → {"order": "12", "sku": "MUG-01"}; `-` → {}."""
    if written.strip() in ("", "-"):
        return {}
    pairs = (item.partition("=") for item in written.split(";"))
    return {key.strip(): value.strip() for key, _, value in pairs}


def read_utterances(lines: Iterator[str]) -> list[Utterance]:
    rows = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    next(rows, None)  # the header
    return [Utterance(AUDIENCES[audience], language, intent, parse_entities(entities), text)
            for audience, language, intent, entities, text in rows]


def training_utterances() -> list[Utterance]:
    """The training split shipped with the package."""
    text = resources.files("channels.understanding").joinpath("data/train.tsv").read_text(
        encoding="utf-8")
    return read_utterances(iter(text.splitlines()))


def utterances_at(path: Path) -> list[Utterance]:
    with path.open(encoding="utf-8") as lines:
        return read_utterances(iter(lines))
