"""Values in plain words: order, return and tracking numbers, carriers, e-mail addresses,
quantities, relative dates ("yesterday", "ieri", "gestern") and languages. Products and
warehouses need the catalogue: see `catalogue`.

`Tokens` keeps each word with its place, so a value found once (the SKU in "receive 30
MUG-01") is not taken again (as the quantity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from channels.understanding.text import fold

MAX_ORDER_DIGITS = 7  # longer numbers are tracking numbers, not order numbers
MAX_NUMBER = 2**31 - 1

_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_TOKEN = re.compile(r"#?[a-z0-9]+(?:[-/.][a-z0-9]+)*")
_ORDER_CODE = re.compile(r"ord-?0*([0-9]{1,12})")
_RMA_CODE = re.compile(r"rma-?0*([0-9]{1,12})")
_ORDER_WORDS = frozenset({"order", "ordine", "ordini", "bestellung", "auftrag", "ord",
                          "nr", "no", "n", "numero", "number", "nummer"})
_RMA_WORDS = frozenset({"rma", "return", "reso", "retoure", "rucksendung", "restituzione",
                        "ruckgabe"})
_TRACKING_WORDS = frozenset({"tracking", "tracciamento", "sendungsnummer", "trackingnummer",
                             "tracking-nummer", "tracknummer", "codice", "nummer"})
CARRIERS = {"brt": "BRT", "bartolini": "BRT", "dhl": "DHL", "ups": "UPS", "gls": "GLS",
            "sda": "SDA", "fedex": "FedEx", "tnt": "TNT", "dpd": "DPD", "hermes": "Hermes",
            "poste": "Poste", "inpost": "InPost", "usps": "USPS", "royalmail": "Royal Mail"}
_WHEN = (("yesterday", ("yesterday", "ieri", "gestern")),
         ("today", ("today", "todays", "oggi", "heute", "heutige")),
         ("week", ("week", "weekly", "settimana", "settimanale", "woche", "wochen",
                   "wochenbericht")),
         ("month", ("month", "monthly", "mese", "mensile", "mensili", "monat", "monats",
                    "monatszahlen", "monatlich")))
# Words that make "top"/"best" about products rather than customers ("best sellers").
_PRODUCT_WORDS = frozenset({"product", "products", "item", "items", "seller", "sellers",
                            "selling", "sold", "prodotto", "prodotti", "articolo", "articoli",
                            "venduti", "venduto", "vendono", "produkt", "produkte", "artikel",
                            "bestseller", "verkauft", "verkauften", "meistverkauft",
                            "meistverkaufte", "meistverkauften"})
LANGUAGES = {"english": "en", "inglese": "en", "englisch": "en", "italian": "it",
             "italiano": "it", "italiana": "it", "italienisch": "it", "german": "de",
             "tedesco": "de", "deutsch": "de", "deutsche": "de"}


@dataclass(frozen=True)
class Token:
    text: str  # folded
    start: int  # index among the tokens


@dataclass
class Tokens:
    """The folded words of a message, and which have been taken by a value."""

    items: list[Token]
    emails: list[str]
    taken: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, text: str) -> Tokens:
        folded = fold(text)
        emails = _EMAIL.findall(folded)
        rest = _EMAIL.sub(" ", folded)
        words = [m.group(0).rstrip(".") for m in _TOKEN.finditer(rest)]
        return cls([Token(w, i) for i, w in enumerate(words)], emails)

    def free(self) -> list[Token]:
        return [t for t in self.items if t.start not in self.taken]

    def take(self, *indexes: int) -> None:
        self.taken.update(indexes)

    def words(self) -> list[str]:
        return [t.text.lstrip("#") for t in self.items]


def _number(text: str, longest: int = MAX_ORDER_DIGITS) -> int | None:
    digits = text.lstrip("#")
    if not digits.isdigit() or len(digits.lstrip("0")) > longest:
        return None
    value = int(digits)
    return value if 0 < value <= MAX_NUMBER else None


def take_code(tokens: Tokens, pattern: re.Pattern[str]) -> int | None:
    """A prefixed number (`ORD-000123`, `rma-9`) anywhere in the message."""
    for token in tokens.free():
        match = pattern.fullmatch(token.text)
        if match and (value := _number(match.group(1), 12)) is not None:
            tokens.take(token.start)
            return value
    return None


def take_after(tokens: Tokens, words: frozenset[str], reach: int = 2) -> int | None:
    """A number at most `reach` words after one of `words` ("l'ordine 123", "rma 12")."""
    items = tokens.items
    for token in tokens.free():
        if token.text.lstrip("#") not in words:
            continue
        for later in items[token.start + 1:token.start + 1 + reach]:
            if later.start not in tokens.taken and (value := _number(later.text)) is not None:
                tokens.take(later.start)
                return value
    return None


def take_hash(tokens: Tokens) -> int | None:
    for token in tokens.free():
        if token.text.startswith("#") and (value := _number(token.text)) is not None:
            tokens.take(token.start)
            return value
    return None


def take_bare_number(tokens: Tokens, longest: int = MAX_ORDER_DIGITS) -> int | None:
    for token in tokens.free():
        if (value := _number(token.text, longest)) is not None:
            tokens.take(token.start)
            return value
    return None


def order_number(tokens: Tokens) -> int | None:
    """`ORD-000123`, `#123`, "order 123"/"l'ordine 123"/"Bestellung 123", or a lone number."""
    return (take_code(tokens, _ORDER_CODE) or take_hash(tokens)
            or take_after(tokens, _ORDER_WORDS) or take_bare_number(tokens))


def lone_order_number(text: str) -> int | None:
    """The order number a message consists of ("12", "#12", "ORD-000012"); else None."""
    tokens = Tokens.of(text)
    if len(tokens.items) != 1 or tokens.emails:
        return None
    return order_number(tokens)


def written_order_number(tokens: Tokens) -> int | None:
    """Only an order number written as one (no lone number: "via Verdi 3" is an address)."""
    return (take_code(tokens, _ORDER_CODE) or take_hash(tokens)
            or take_after(tokens, _ORDER_WORDS))


def rma_number(tokens: Tokens) -> int | None:
    """`RMA-000045`, "rma 12", "return #33", "il reso 7", or a lone number."""
    return (take_code(tokens, _RMA_CODE) or take_after(tokens, _RMA_WORDS)
            or take_hash(tokens) or take_bare_number(tokens))


def carrier(tokens: Tokens) -> tuple[str, int] | None:
    """The carrier named, and where."""
    for token in tokens.free():
        name = CARRIERS.get(token.text)
        if name is not None:
            tokens.take(token.start)
            return name, token.start
    return None


def tracking_code(text: str) -> bool:
    """A word that may be a tracking number when it is named as one ("tracking 1Z999"):
    three letters and digits or more, with a digit; digits alone only when too long for an
    order number (in "Bestellung Nummer 123" the number is the order's)."""
    return (len(text) >= 3 and text.isalnum() and any(c.isdigit() for c in text)
            and (len(text) > MAX_ORDER_DIGITS or not text.isdigit()))


def _tracking_like(text: str) -> bool:
    """A code that reads as a tracking number without a word naming it: six or more."""
    return len(text) >= 6 and tracking_code(text)


def tracking_number(tokens: Tokens, raw: str, after: int | None) -> str | None:
    """After a tracking word (any code, short ones too), else right after the carrier, else
    a long code with digits. Returned as written (upper case as typed)."""
    free = tokens.free()
    candidates = [t for t in free if t.start - 1 >= 0
                  and tokens.items[t.start - 1].text in _TRACKING_WORDS and tracking_code(t.text)]
    if not candidates and after is not None:
        candidates = [t for t in free if t.start == after + 1 and _tracking_like(t.text)]
    if not candidates:
        candidates = [t for t in free if _tracking_like(t.text) and len(t.text) >= 8]
    if not candidates:
        return None
    token = candidates[0]
    tokens.take(token.start)
    return _as_written(raw, token.text)


def _as_written(raw: str, folded: str) -> str:
    match = re.search(re.escape(folded), fold(raw))
    return raw[match.start():match.end()].upper() if match else folded.upper()


def email(tokens: Tokens) -> str | None:
    return tokens.emails[0] if tokens.emails else None


def when(tokens: Tokens) -> str | None:
    """"today", "yesterday", "week" or "month", from the words of the three languages."""
    found = set(tokens.words())
    for period, written in _WHEN:
        if found.intersection(written):
            return period
    return None


def ranked_kind(tokens: Tokens) -> str | None:
    """"products" when a ranking names products ("best sellers", "i più venduti",
    "Bestseller"); None otherwise: a ranking is of customers unless products are named."""
    return "products" if _PRODUCT_WORDS.intersection(tokens.words()) else None


def day_of(period: str, today: date) -> date | None:
    """The date "today"/"yesterday" stands for; None for a period."""
    return {"today": today, "yesterday": today - timedelta(days=1)}.get(period)


def language(tokens: Tokens) -> str | None:
    for word in tokens.words():
        if word in LANGUAGES:
            return LANGUAGES[word]
    return None
