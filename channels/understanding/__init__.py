"""Plain words → intents and entities, shared by Telegram (customers), Slack and the console
(staff). Standard library and rapidfuzz only; nothing is loaded at import time: the model
is trained on first use from `data/train.tsv` (a few milliseconds)."""
