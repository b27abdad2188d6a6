"""The edge of `dhc diff`: run the stage, pick the view, print (colour, pager) or write, decide the exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dhcompiler.diff.changeset import ChangeSet
from dhcompiler.diff.views import TEXT_FORMATS, ViewOptions, plain, report_lines, rich_text, stat_lines
from dhcompiler.findings import DhcError, Finding

IDENTICAL = "Hai bản giống nhau: không có thay đổi nào (số thứ tự đánh lại không tính là thay đổi)."


def formats() -> tuple[str, ...]:
    """Every format `--format` accepts."""
    return tuple(TEXT_FORMATS)


def run_diff_command(
    old: str | None,
    new: str | None,
    format: str,
    stat: bool,
    exit_code: bool,
    context: int | None,
    out: Path | None,
    data: Path,
    templates: Path | None,
    force: bool,
) -> int:
    """Run `dhc diff`; the return value is the exit code (0 same or differ, 1 differ with --exit-code or
    a data error, 2 a usage error)."""
    from dhcompiler.diff.run import diff_drafts
    from dhcompiler.diff.sides import DiffUsageError
    from dhcompiler.report import print_findings
    from dhcompiler.templates import template_dir

    if format not in formats():
        choices = ", ".join(formats())
        print(f"dhc diff: [lỗi] Định dạng không hỗ trợ: {format}; chọn trong {choices}. (DH705)", file=sys.stderr)
        return 2
    try:
        changes, _old, _new = diff_drafts(old, new, data, template_dir(templates))
    except DiffUsageError as exc:
        for f in exc.findings:
            print(f"{f.path}: [lỗi] {f.message} ({f.code})", file=sys.stderr)
        return 2
    except DhcError as exc:
        print_findings(exc.findings)
        return 1
    options = ViewOptions(color=_color(out), context=context)
    try:
        _emit(changes, format, stat, options, out, force)
    except DhcError as exc:
        print_findings(exc.findings)
        return 1
    return 1 if exit_code and not changes.identical else 0


def _color(out: Path | None) -> bool:
    return out is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _emit(changes: ChangeSet, format: str, stat: bool, options: ViewOptions, out: Path | None, force: bool) -> None:
    if changes.identical and format == "text":
        text = IDENTICAL + "\n"
        if out is None:
            sys.stdout.write(text)
            return
    elif stat and format == "text":
        text = plain(stat_lines(changes))
    else:
        text = TEXT_FORMATS[format](changes, options)
    if out is not None:
        _write(out, text.encode("utf-8"), force)
    elif options.color and format == "text":
        _print_rich(changes, stat, options)
    else:
        sys.stdout.write(text)


def _print_rich(changes: ChangeSet, stat: bool, options: ViewOptions) -> None:
    """Coloured output; through a pager when it is longer than the terminal (on a TTY only)."""
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    lines = rich_text(stat_lines(changes) if stat else report_lines(changes, options))
    if len(lines) > console.size.height:
        with console.pager(styles=True):
            for line in lines:
                console.print(line)
    else:
        for line in lines:
            console.print(line)


def _write(out: Path, data: bytes, force: bool) -> None:
    from dhcompiler.write import os_reason, write_all

    if out.exists() and not force:
        raise DhcError(
            [
                Finding(
                    str(out),
                    1,
                    1,
                    "DH706",
                    "Tệp đã tồn tại; không ghi đè. Hãy chọn tệp khác (--out) hoặc thêm --force.",
                )
            ]
        )
    try:
        write_all({out: data})
    except OSError as exc:
        raise DhcError([Finding(str(out), 1, 1, "DH043", f"Không ghi được tệp: {os_reason(exc)}.")]) from None
