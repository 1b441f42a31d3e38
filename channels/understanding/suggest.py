"""When a message is not understood: the two or three commands closest to it.

Each command is described by its words in English, Italian and German; rapidfuzz's
`ratio`, word by word, ranks them (typos included); ties keep the help's order.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz

from channels.staff_grammar import HELP
from channels.staff_grammar.help import usage_text
from channels.understanding.text import words
from domain.texts import Text

SHOWN = 3
MIN_WORD = 3
WORD_SCORE = 70.0
# Words staff use for each command, beyond its own help line.
_STAFF_WORDS = {
    "order": "ordine bestellung status stato", "orders": "ordini bestellungen list elenco",
    "ship": "spedisci spedire spedito versenden versand tracking carrier corriere",
    "cancel": "annulla stornieren",
    "hold": "sospendi anhalten", "release": "sblocca freigeben", "deliver": "consegnato",
    "stock": "giacenza bestand magazzino lager", "receive": "ricevuto wareneingang",
    "lowstock": "scorte basse knapp riordino", "returns": "resi retouren",
    "return": "reso retoure rma approva genehmigen", "customer": "cliente kunde email",
    "top": "migliori clienti beste kunden", "report": "vendite umsatz bericht",
}
# The customer commands, described in the three languages.
CUSTOMER_COMMANDS: Mapping[str, str] = {
    "/track": "track where order parcel package delivery tracking arrive dove pacco ordine "
              "spedizione consegna wo paket bestellung sendung lieferung",
    "/orders": "orders my bought history ordini miei acquisti bestellungen meine gekauft",
    "/return": "return refund send back reso rimborso restituire ruckgabe retoure zuruck",
    "/language": "language english italian lingua italiano inglese sprache deutsch englisch",
    "/link": "link account email collega account konto verknupfen",
    "/help": "help commands aiuto comandi hilfe befehle",
}


def closest(text: str, described: Mapping[str, str], shown: int = SHOWN) -> list[str]:
    """The keys of `described` whose words come closest to `text`, best first: each word
    of `text` counts with its best rapidfuzz ratio against the command's words."""
    written = [w for w in words(text) if len(w) >= MIN_WORD]
    scores: dict[str, float] = {}
    for key, description in described.items():
        vocabulary = words(description)
        scores[key] = sum(score for w in written if (score := max(
            (fuzz.ratio(w, v) for v in vocabulary), default=0.0)) >= WORD_SCORE)
    ranked = sorted(described, key=lambda key: -scores[key])
    return ranked[:shown]


def closest_staff_commands(text: str, prefix: str = "") -> list[Text]:
    """Usage lines of the staff commands closest to `text`, to say in the staff's language
    (the templates' `say` filter)."""
    described = {entry.name: f"{entry.name} {entry.summary} {_STAFF_WORDS.get(entry.name, '')}"
                 for entry in HELP if entry.name not in ("help", "staff")}
    return [usage_text(name, prefix) for name in closest(text, described)]


def closest_customer_commands(text: str) -> list[str]:
    return closest(text, CUSTOMER_COMMANDS)
