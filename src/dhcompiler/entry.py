"""The `dhc` entry point: answers `--version` at once, tunes the collector, then runs the CLI."""

from __future__ import annotations

import gc
import importlib
import os
import sys

from dhcompiler import __version__

_IN_DHC = False  # True in the `dhc` process itself, not when the CLI is called from a library or a test


def main() -> None:
    """`dhc --version` without importing the command-line framework; anything else goes to `cli`."""
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"dhc {__version__}\n")
        return
    global _IN_DHC
    _IN_DHC = True
    # A run allocates many objects and frees few: collect the young generation less often,
    # and not at all while importing, which frees nothing (freeze_imports does the same).
    gc.set_threshold(20_000, 10, 10)
    gc.disable()
    # pydantic looks for plugins among every installed distribution's entry points when it
    # builds the first model (~10 ms); dhc validates its own data and wants none. A value the
    # user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    from dhcompiler.cli import main as cli_main

    gc.enable()
    cli_main()


def freeze_imports(*modules: str, one_shot: bool = True) -> None:
    """Import the modules a command will run, then spare the collector its work.

    Everything imported is frozen (never scanned again); a one-shot run, which ends within a
    second and frees little before it does, also turns the collector off (a few MB more at
    50× the seed). `--watch` keeps it on. Only in the `dhc` process itself, never in a
    library caller or a test session, where frozen objects would never be freed.
    """
    if not _IN_DHC:
        return
    gc.disable()  # no collection scans what is about to be frozen
    for name in modules:
        importlib.import_module(name)
    gc.freeze()
    if not one_shot:
        gc.enable()
