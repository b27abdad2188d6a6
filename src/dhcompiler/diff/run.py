"""The `dhc diff` stage: resolve the two sides the way the arguments name them, then compare."""

from __future__ import annotations

from pathlib import Path

from dhcompiler.diff.changeset import ChangeSet
from dhcompiler.diff.sides import DiffUsageError, Side, head_side, load_side
from dhcompiler.findings import DhcError, Finding


def resolve_sides(old: str | None, new: str | None, data: Path, templates: Path) -> tuple[Side, Side]:
    """No argument: the working tree's data against HEAD; one: that side against the working tree.

    Both sides are loaded even when the first fails, so that every problem is reported at once.
    """
    loaders = [
        (lambda: head_side(data, templates)) if old is None else (lambda: load_side(old, "cũ", data, templates)),
        lambda: load_side(new, "mới", data, templates),
    ]
    sides: list[Side] = []
    findings: list[Finding] = []
    for load in loaders:
        try:
            sides.append(load())
        except DiffUsageError:
            raise
        except DhcError as exc:
            findings.extend(exc.findings)
    if findings:
        raise DhcError(findings)
    return sides[0], sides[1]


def diff_drafts(old: str | None, new: str | None, data: Path, templates: Path) -> tuple[ChangeSet, Side, Side]:
    """The change set between two drafts, with the loaded sides (the redline renders NEW from them)."""
    from dhcompiler.diff.compare import compare

    a, b = resolve_sides(old, new, data, templates)
    return compare(a, b), a, b
