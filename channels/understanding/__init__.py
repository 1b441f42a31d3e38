"""Plain words → intents and entities, shared by Telegram (customers), Slack and the console
(staff). Standard library and rapidfuzz only; nothing is loaded at import time: the reader
is built by `make` from `data/train.tsv` (see `model`) and loaded in a background thread at
start-up."""
