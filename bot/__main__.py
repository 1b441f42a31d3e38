"""`python -m bot` is `omsbot`."""

from bot.cli import main

main()
