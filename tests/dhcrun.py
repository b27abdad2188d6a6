"""Run `dhc ARGS` as a user types it, in this process: exit code, stdout and stderr.

A subprocess costs a fresh interpreter and every import (half a second a command); the tests
that are about the process itself (start-up imports, signals, `--watch`, the console script's
exit codes) start one; the others call the same command line here.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from dhcompiler.cli import app


@dataclass
class Ran:
    """What a finished `dhc` command left, as `subprocess.CompletedProcess` names it."""

    returncode: int
    stdout: str
    stderr: str


def run_dhc(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Ran:
    """`dhc ARGS` from directory `cwd` (default: the current one), without colour, in this process.

    An exception that escapes the command is a defect that the console script would turn into
    DH599 and exit 1: here it is exit 1 with its traceback on stderr, so a test that asserts a
    clean message or no "Traceback" fails on it, as it would on a crash of the real process.
    """
    with contextlib.chdir(cwd or Path.cwd()):
        result = CliRunner().invoke(app, list(args), prog_name="dhc", env={"NO_COLOR": "1", **(env or {})})
    code, stderr = result.exit_code, result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        code, stderr = 1, stderr + "".join(traceback.format_exception(result.exception))
    return Ran(code, result.stdout, stderr)


def run_dhc_process(*args: str, cwd: Path | None = None) -> Ran:
    """`python -m dhcompiler ARGS` in a fresh interpreter: for what only a real process shows."""
    done = subprocess.run(
        [sys.executable, "-m", "dhcompiler", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Ran(done.returncode, done.stdout, done.stderr)
