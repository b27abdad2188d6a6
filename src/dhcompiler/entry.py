"""The `dhc` entry point: answers `--version` at once, tunes the collector, then runs the CLI."""

from __future__ import annotations

import gc
import sys

from dhcompiler import __version__


def main() -> None:
    """`dhc --version` without importing the command-line framework; anything else goes to `cli`."""
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"dhc {__version__}\n")
        return
    tune_collector()
    from dhcompiler.cli import main as cli_main

    cli_main()


def tune_collector() -> None:
    """A run allocates many small objects and frees few: collect the young generation less often."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(20_000, middle, old)
