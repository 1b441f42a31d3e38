"""`python -m bot` is `omsbot`."""

from bot.cli import main

# Guarded: a spawned worker process (the mail composer) imports this module again as
# `__mp_main__`, and must not start a second omsbot.
if __name__ == "__main__":
    main()
