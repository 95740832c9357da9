"""`python -m bot` runs the `thidua` command line."""

from bot.cli import main

main()
