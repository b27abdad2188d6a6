"""The documents `dhc diff` hands over: the redline .docx and the comparison table (.docx or Markdown)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from dhcompiler.diff.changeset import ChangeSet
from dhcompiler.diff.sides import Side
from dhcompiler.document import Tracking
from dhcompiler.write import build_time

DOCUMENT_FORMATS = ("docx", "table", "table-md")
BINARY = ("docx", "table")


@dataclass(frozen=True)
class DocumentOptions:
    """Options of the handed-over documents: the revisions' author, the drafts' labels, the reasons file."""

    author: str | None = None
    old_label: str | None = None
    new_label: str | None = None
    notes: Path | None = None


def _git_commit(commit: str) -> tuple[str, str]:
    """The author name and the commit date (ISO) of `commit`, or empty strings."""
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%an%x00%cI", commit], capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return "", ""
    name, _, date = done.stdout.decode("utf-8", "replace").strip().partition("\0")
    return (name, date) if done.returncode == 0 else ("", "")


def _utc(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def tracking_for(new: Side, author: str | None) -> Tracking:
    """Who and when, never the clock: `--author`, else NEW's git author, else “dhc”; SOURCE_DATE_EPOCH,
    else NEW's commit date, else the date NEW's document.yaml carries."""
    git_author, git_date = _git_commit(new.commit) if new.commit else ("", "")
    if git_date and not os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        when = _utc(dt.datetime.fromisoformat(git_date))
    else:  # SOURCE_DATE_EPOCH, else the document's own date (a blank day is the 1st)
        when = _utc(build_time(new.report.meta.date))
    return Tracking(author or git_author or "dhc", when)


def render_document(
    format: str, changes: ChangeSet, old: Side, new: Side, options: DocumentOptions, templates: Path
) -> bytes:
    """The redline (`docx`) or the comparison table (`table`, `table-md`) as bytes."""
    from dhcompiler.diff.redline import redline_document
    from dhcompiler.diff.table import comparison_table, labels_for, load_reasons

    if format == "docx":
        from dhcompiler.render_docx import render_docx

        return render_docx(
            redline_document(changes, old.document, new.document, tracking_for(new, options.author)), templates
        )
    reasons = load_reasons(options.notes, changes, old.document, new.document) if options.notes else {}
    labels = labels_for(changes, options.old_label, options.new_label)
    table = comparison_table(changes, old.document, new.document, labels, reasons)
    if format == "table":
        from dhcompiler.render_docx import render_docx

        return render_docx(table, templates)
    from dhcompiler.render_md import render_markdown

    return render_markdown(table, templates).encode("utf-8")


def write_document(out: Path, data: bytes, force: bool) -> None:
    """Write `out` unless it is a file dhc did not write (then only with --force)."""
    from dhcompiler.write import refuse_foreign, write_all

    refuse_foreign([out], force, "tệp khác")
    write_all({out: data})
