"""Entry point for `python -m dhcompiler`."""

from dhcompiler.entry import main

main()
