"""Entry point for `python -m dhcompiler`."""

from dhcompiler.cli import main

main()
