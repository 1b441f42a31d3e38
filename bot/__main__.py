"""`python -m bot` is `omsbot`."""

from bot.launch import main

# Guarded: a spawned worker process (the mail composer) imports this module again as
# `__mp_main__`, and must not start a second omsbot (nor import the command line).
if __name__ == "__main__":
    main()
