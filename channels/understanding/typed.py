"""Is a staff line a command, or plain words? (Slack direct messages and mentions, console.)

- A line the command grammar reads is a command (`hold 12`).
- A line whose first word is not a command, nor one slip from one, is plain words.
- A line that starts with a command (or a slip of one: "recieve") but that the grammar
  rejects is a command written wrong, answered with the grammar's error and that command's
  usage line (CONTRACT §5) — unless it reads as a sentence: it has a word of prose in
  English, Italian or German ("cancel it", "stock of BEAN-01", "report di oggi"), or plain
  words read it (as that command, else as anything) into a request with every value it
  needs, every number in the line used and no word the reader does not know ("top 5
  customers", "stock gooseneck kettle", "order 77?", "recieve 5 MUG-01"). So
  `receive MUG-01 1.9 MIL`, `fx USD abc`, `orders bogus`, `ship 12 foo` and
  `report yearly` are commands written wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from channels import staff_requests as sr
from channels.staff_grammar import UsageError, close_command, parse
from channels.understanding.staff_changes import Missing, request_for
from channels.understanding.text import words

if TYPE_CHECKING:
    from channels.understanding.catalogue import Catalogue
    from channels.understanding.reader import Reader, Reading

# Words of prose: articles, prepositions, pronouns, question and polite words. None of them
# is a value a command takes.
PROSE = frozenset("""
a an the of in at on for with to from by about it its this that these those my our your me
us you we they them please pls plz can could would will should do does did is are was were
be been have has had what which who where when why how many much some any all and or but
not just also there here then so want need tell show give let
il lo la i gli le l un uno una di del dello della dei degli delle da dal dalla nel nella con
su per tra fra che chi cosa quale quali quanto quanti quanta quante dove come quando mi ti
ci si ne e o ma non anche favore grazie questo questa quello quella mio mia nostro nostra
der die das den dem des ein eine einen einem einer und oder aber nicht kein keine mit von
vom zu zum zur im am an auf aus bei fur uber nach vor es ich du wir ihr sie er mir mich uns
bitte danke wie wo was wer welche welcher welches wann warum viele noch schon auch ist sind
hat haben
""".split())


SMALL_TALK = ("help", "greeting", "thanks")  # intents that are no request, yet understood
# The plain-words intent of each command that has one.
INTENTS = {"stock": "stock", "order": "order", "customer": "customer", "top": "top",
           "report": "report", "lowstock": "lowstock", "ship": "ship", "cancel": "cancel",
           "hold": "hold", "receive": "receive", "return": "approve_return"}


@dataclass(frozen=True)
class Typed:
    """A command as written: `request`, or the grammar's `error` for a command written wrong
    (its message and usage line)."""

    command: str
    request: sr.StaffRequest | None = None
    error: UsageError | None = None


def typed_command(text: str, *, prefix: str) -> Typed | None:
    """The command `text` starts with, parsed; None when it does not start with one (plain
    words). A rejected command may still read as a sentence: see `as_sentence`."""
    tokens = text.split()
    if tokens and tokens[0].lower() == "/oms":
        tokens = tokens[1:]
    if not tokens:
        return None
    command = close_command(tokens[0].lstrip("/"))
    if command is None:
        return None
    try:
        return Typed(command, request=parse(text, prefix=prefix))
    except UsageError as error:
        return Typed(command, error=error)


def as_sentence(typed: Typed, text: str, reader: Reader, reading: Reading,
                catalogue: Catalogue) -> Reading | None:
    """How to read a line the grammar rejected as plain words, or None: it is a command
    written wrong. A sentence has a word of prose (read as usual), or reads — as the
    command's own intent, else as whatever it reads as — into a complete request that
    uses every number in the line and whose other words the reader knows."""
    if has_prose(text):
        return reading
    own = INTENTS.get(typed.command)
    for intent in dict.fromkeys(i for i in (own, reading.intent) if i is not None):
        values, rest = reader.values_and_rest(text, "staff", intent, catalogue)
        try:
            request = request_for(intent, values)
        except Missing:
            continue
        understood = request is not None or intent in SMALL_TALK  # "help?", "thanks"
        if understood and all(
                not has_digits(word) and reader.knows(word, "staff") for word in rest[1:]):
            return replace(reading, intent=intent, entities=values)
    return None


def has_prose(text: str) -> bool:
    """A word of prose after the first ("cancel it", "report di oggi")."""
    return any(word in PROSE for word in words(text)[1:])


def has_digits(word: str) -> bool:
    return any(character.isdigit() for character in word)
