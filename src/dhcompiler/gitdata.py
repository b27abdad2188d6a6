"""A data directory as it was at a git revision, extracted with `git archive`, never the work tree."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


def git(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git; a missing git or a hung one reads as a failed command (exit 128), never an exception."""
    try:
        return subprocess.run(["git", *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return subprocess.CompletedProcess(["git", *args], 128, b"", b"")


def extract_revision(top: str | Path, commit: str, inside: str, into: Path) -> Path | None:
    """Extract `inside` (a path from the repository root `top`; "" for all of it) as it was at
    `commit` into `into`; the extracted directory, or None when git cannot give it."""
    paths = ["--", inside] if inside else []
    archive = git("-C", str(top), "archive", "--format=tar", commit, *paths)
    if archive.returncode != 0 or not archive.stdout:
        return None
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / inside if inside else into
