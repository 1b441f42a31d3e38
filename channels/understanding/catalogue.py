"""Products and warehouses by what people call them: a SKU as typed (`grn-02`), a product
name with typos or in the plural ("espresso mugs", "gooseneck kettels"), a warehouse code,
name or city, also in English or German ("Milan", "Mailand").

Fuzzy matching is rapidfuzz's `ratio` over windows of one to four words against each
product's names (the full name, and without sizes: "Cantucci 250 g" is also "cantucci").
Two products that match equally well ("moka pot") are ambiguous: no product is chosen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from channels.understanding.entities import Tokens
from channels.understanding.text import fold

PRODUCT_SCORE = 85.0  # the least rapidfuzz ratio that names a product
PLACE_SCORE = 85.0
CLEAR_LEAD = 3.0  # the best product must beat the next one by this much
LONGEST_NAME = 4  # words
_UNIT = re.compile(r"^(?:x?[0-9]+(?:[.,][0-9]+)?(?:g|kg|ml|l|cl|mm|cm)?|g|kg|ml|l|cl|mm|cm)$")
# Cities as English and German speakers write them.
EXONYMS = {"milan": "milano", "mailand": "milano", "rome": "roma", "rom": "roma",
           "naples": "napoli", "neapel": "napoli", "turin": "torino", "florence": "firenze",
           "florenz": "firenze", "venice": "venezia", "venedig": "venezia", "genoa": "genova",
           "genua": "genova", "munich": "munchen", "cologne": "koln", "vienna": "wien"}


@dataclass(frozen=True)
class Product:
    sku: str
    name: str


@dataclass(frozen=True)
class Warehouse:
    code: str
    name: str
    city: str = ""


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def product_names(name: str) -> set[str]:
    """"Moka pot, 3 cups" → {"moka pot 3 cups", "moka pot cups", "moka pot"}."""
    full = _plain(name)
    head = _plain(name.split(",", 1)[0])
    names = {full, head}
    names |= {" ".join(w for w in n.split() if not _UNIT.match(w)) for n in (full, head)}
    return {n for n in names if n}


class Catalogue:
    """What staff can name: products and warehouses. Built from the read side; cheap."""

    def __init__(self, products: Sequence[Product], warehouses: Sequence[Warehouse]) -> None:
        self.skus = {p.sku.lower(): p.sku for p in products}
        self.product_name = {p.sku: p.name for p in products}
        self._names: list[str] = []
        self._name_sku: list[str] = []
        for product in products:
            for written in sorted(product_names(product.name)):
                self._names.append(written)
                self._name_sku.append(product.sku)
        self.codes = {w.code.lower(): w.code for w in warehouses}
        self.places: dict[str, str] = {}
        for w in warehouses:
            for written in (w.name, w.city, w.name.split(" ", 1)[0]):
                if written.strip():
                    self.places[_plain(written)] = w.code
        self._place_names = list(self.places)

    def take_sku(self, tokens: Tokens) -> str | None:
        """A SKU typed as such, else the product whose name the words come closest to."""
        for token in tokens.free():
            sku = self.skus.get(token.text)
            if sku is not None:
                tokens.take(token.start)
                return sku
        return self._take_named_product(tokens)

    def _take_named_product(self, tokens: Tokens) -> str | None:
        """The product best named by a run of words; a longer run wins a tie, and a run
        inside the winner does not count against it ("moka pot" in "moka pot 6 cups")."""
        matches = self._name_matches(tokens)
        if not matches:
            return None
        score, _size, sku, span = max(matches, key=lambda m: (m[0], m[1]))
        rivals = [m[0] for m in matches if m[2] != sku and not set(m[3]) < set(span)]
        if score < PRODUCT_SCORE or score - max(rivals, default=0.0) < CLEAR_LEAD:
            return None
        tokens.take(*span)
        return sku

    def product_choices(self, text: str, most: int = 5) -> list[Product]:
        """The products a name in `text` fits about equally well ("moka pot": the 3-cup and
        the 6-cup one), best first; empty unless two or more do."""
        best: dict[str, float] = {}
        for score, _size, sku, _span in self._name_matches(Tokens.of(text)):
            best[sku] = max(score, best.get(sku, 0.0))
        if not best or max(best.values()) < PRODUCT_SCORE:
            return []
        top = max(best.values())
        close = sorted((sku for sku, score in best.items() if top - score < CLEAR_LEAD),
                       key=lambda sku: (-best[sku], sku))
        if len(close) < 2:
            return []
        return [Product(sku, self.product_name[sku]) for sku in close[:most]]

    def _name_matches(self, tokens: Tokens) -> list[tuple[float, int, str, tuple[int, ...]]]:
        free = tokens.free()
        found: list[tuple[float, int, str, tuple[int, ...]]] = []
        for size in range(1, LONGEST_NAME + 1):
            for i in range(len(free) - size + 1):
                window = free[i:i + size]
                if window[-1].start - window[0].start != size - 1:
                    continue  # words taken by another value sit in between
                span = tuple(t.start for t in window)
                for _, score, index in process.extract(
                        " ".join(t.text for t in window), self._names, scorer=fuzz.ratio,
                        limit=4, score_cutoff=PRODUCT_SCORE - CLEAR_LEAD):
                    found.append((score, size, self._name_sku[index], span))
        return found

    def take_warehouse(self, tokens: Tokens) -> str | None:
        """A warehouse code, or a warehouse's name or city (fuzzy, exonyms too)."""
        for token in tokens.free():
            code = self.codes.get(token.text)
            if code is not None:
                tokens.take(token.start)
                return code
        for token in tokens.free():
            word = EXONYMS.get(token.text, token.text)
            if len(word) < 4 or not self._place_names:
                continue
            found = process.extractOne(word, self._place_names, scorer=fuzz.ratio,
                                       score_cutoff=PLACE_SCORE)
            if found is not None:
                tokens.take(token.start)
                return self.places[found[0]]
        return None
