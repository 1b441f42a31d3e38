"""Cue words of each intent in English, Italian and German, as folded stems ("annull" covers
annulla, annullare, annullalo; "storn" covers stornieren, Storno). They carry what a few
hundred examples cannot: the vocabulary of the trade. A stem of five letters or more also
matches with one typo ("cancle", "sendung" for "sedung")."""

from __future__ import annotations

from types import MappingProxyType

_CUSTOMER: dict[str, tuple[str, ...]] = {
    "track": ("where", "wheres", "arriv", "track", "traccia", "tracciamento", "deliver",
              "parcel", "package", "pacco", "pacchetto", "spedizion", "partito", "consegn",
              "ritardo", "late$", "delay", "shipped", "dove", "quando", "wann", "paket",
              "sendung", "lieferung", "geliefert", "verschickt", "versand", "verspat", "bleibt",
              "steckt", "ankommt", "ankomm", "status$", "stato$", "news", "when$", "get here",
              "wo$", "ord-"),
    "orders": ("history", "purchas", "bought", "buy", "ordinato", "comprato", "acquist",
               "storico", "elenco", "lista", "bestellt", "gekauft", "einkauf", "ubersicht",
               "bestellubersicht", "my orders", "i miei ordini", "meine bestellungen",
               "list$"),
    "return": ("return", "refund", "send back", "back$", "reso", "resi", "restitu", "rimbors",
               "rimand", "rendere", "indietro", "rotto", "broken", "damaged", "retour",
               "zuruck", "ruckgab", "rucksend", "kaputt", "geld", "erstatt", "umtausch"),
    "address": ("address", "adress", "street", "moved", "office", "deliver to", "indirizz",
                "indiriz", "civico", "trasferit", "ufficio", "via", "lieferadress",
                "anschrift", "adressanderung", "umgezogen", "hausnummer", "strasse"),
    "human": ("person", "human", "someone", "somebody", "agent", "operator", "customer service",
              "support", "real$", "persona", "operatore", "umano", "qualcuno", "assistenza",
              "servizio clienti", "mensch", "jemand", "mitarbeiter", "kundenservice",
              "kundendienst", "echte", "speak", "talk", "parlare", "sprechen", "reden"),
    "language": ("english", "italian", "german", "language", "inglese", "italiano", "tedesco",
                 "lingua", "englisch", "italienisch", "deutsch", "sprache"),
    "greeting": ("hi", "hello", "hey", "hiya", "morning", "evening", "ciao", "buongiorno",
                 "buonasera", "salve", "ehi", "pomeriggio", "hallo", "hallochen", "moin",
                 "servus", "guten", "gruss", "tag"),
    "thanks": ("thank", "thanks", "thx", "ty", "cheers", "grazie", "grz", "ringrazi",
               "gentilissim", "danke", "dankeschon", "dank"),
    "help": ("help", "command", "what can you", "how does", "work", "aiut", "comand",
             "funziona", "sai fare", "usa$", "hilf", "hilfe", "befehl", "funktioniert",
             "kannst du", "benutz"),
}

_STAFF: dict[str, tuple[str, ...]] = {
    "stock": ("stock", "in stock", "how many", "how much", "left$", "inventory", "have we",
              "do we have", "giacenz", "scort", "disponib", "magazzin", "quant", "rimast",
              "restano", "bestand", "lager$", "vorrat", "wie viel", "wieviel", "noch da",
              "everywhere", "ovunque", "uberall", "what about", "and in", "e a", "und in"),
    "order": ("order", "ordine", "bestellung", "auftrag", "status$", "stato$", "details",
              "ord-", "fammi vedere", "vedere",
              "dettagl", "look up", "cerca", "zeig", "show", "pull up", "apri", "anzeig",
              "nachschlag", "what state", "whats up"),
    "customer": ("customer", "cliente", "kunde", "who is", "chi e", "wer ist", "orders of",
                 "orders by", "ordini di", "bestellungen von", "has ordered", "ha ordinato",
                 "hat bestellt"),
    "top": ("top$", "best$", "biggest", "most$", "spender", "migliori", "piu$", "di piu",
            "venduti", "beste$", "besten$", "am meisten", "bestseller"),
    "report": ("report", "sales", "figures", "numbers", "how did we", "how are", "vendite",
               "numeri", "dati$", "andata", "come vanno", "bericht", "umsatz", "zahlen",
               "verkauf", "wie lief", "wie laufen", "monthly", "mensil", "monatszahl"),
    "lowstock": ("low$", "running low", "reorder", "out of stock", "running out", "basse",
                 "riordin", "esauriment", "sotto scorta", "finendo", "finiti", "knapp",
                 "niedrig", "nachbestell", "wenig", "leer", "geht aus", "ausgeh"),
    "ship": ("ship", "shipped", "send out", "went out", "dispatch", "sped$", "spedi",
             "partito", "versend", "verschick", "versandt", "raus$", "tracking",
             "tracciament", "sendungsnummer", "trackingnummer"),
    "cancel": ("cancel", "cancle", "kill", "scrap", "void", "annull", "anull", "cancella",
               "elimin", "storn", "abbrech", "losch", "duplicate", "doppion", "doppelt"),
    "hold": ("hold", "pause", "freeze", "wait", "sospe", "attesa", "blocc", "congel",
             "anhalt", "halt$", "zuruckhalt", "pausier", "sperr", "not yet", "ancora",
             "noch nicht"),
    "receive": ("receiv", "got$", "arrived", "restock", "book in", "add$", "ricev", "arrivat",
                "aggiung", "carica", "registra", "pezzi", "erhalt", "eingang", "wareneingang",
                "eingetroffen", "angekommen", "eingegangen", "einbuch", "hinzufug", "stuck"),
    "approve_return": ("approve", "accept", "rma", "return", "approv", "accett", "reso",
                       "restituz", "genehmig", "freigeb", "annehm", "retour", "rucksend"),
    "greeting": ("hi", "hello", "hey", "morning", "ciao", "buongiorno", "salve", "ehi",
                 "hallo", "moin", "servus", "guten"),
    "thanks": ("thank", "thanks", "ty", "cheers", "grazie", "grz", "danke", "dank"),
    "help": ("help", "command", "what can you", "how do i use", "aiut", "comand", "sai fare",
             "come ti uso", "hilf", "hilfe", "befehl", "kannst du", "benutz"),
}

CUES = MappingProxyType({"customer": MappingProxyType(_CUSTOMER),
                         "staff": MappingProxyType(_STAFF)})

# Short function words that tell the three languages apart when a message is a few words.
LANGUAGE_CUES = MappingProxyType({
    "en": ("the$", "is$", "my$", "me$", "what$", "where$", "how$", "please", "you$", "i$",
           "to$", "of$", "and$", "for$", "with$", "it$", "can$", "want$", "tell$", "when$",
           "who$", "thanks", "thank", "hello", "hi$", "hey$", "there$", "good$", "morning",
           "evening", "your$", "this$", "that$", "do$", "does$", "have$", "order$",
           "package", "parcel", "yes$"),
    "it": ("il$", "la$", "lo$", "di$", "che$", "per$", "mio$", "mia$", "non$", "e$", "un$",
           "una$", "dove$", "come$", "quando$", "grazie", "ciao", "sono$", "del$", "della$",
           "voglio", "vorrei", "quant", "buongiorno", "buonasera", "ordine", "pacco", "si$"),
    "de": ("der$", "die$", "das$", "ist$", "mein$", "meine$", "nicht$", "und$", "ich$",
           "wie$", "wo$", "wann$", "bitte", "danke", "mit$", "von$", "fur$", "noch$", "es$",
           "ein$", "eine$", "hallo", "kann$", "wer$", "was$", "guten", "bestellung", "paket",
           "ja$"),
})
