"""What the user reads at the end of a command: findings and summaries, in Vietnamese."""

from __future__ import annotations

import sys
from decimal import Decimal

from dhcompiler.build import BuildResult
from dhcompiler.findings import Finding, Severity
from dhcompiler.numbers import format_vi_number


def print_findings(findings: list[Finding], details: bool = True) -> None:
    """One line per finding on stderr (errors always), then how many there were."""
    for finding in findings:
        if details or finding.severity is Severity.ERROR:
            print(finding.format(), file=sys.stderr)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    if errors:
        print(f"Dừng lại: {errors} lỗi.", file=sys.stderr)
    elif warnings:
        print(f"{warnings} cảnh báo (xem chi tiết bằng “dhc check”).", file=sys.stderr)


def print_build_summary(result: BuildResult) -> None:
    """The one line a build ends with: what was written, what was counted, how long it took."""
    print(build_summary(result))


def build_summary(result: BuildResult) -> str:
    stats = result.stats
    written = ", ".join(str(p) for p in result.written)
    words = format_vi_number(Decimal(stats["words"]))
    seconds = format_vi_number(Decimal(f"{result.seconds:.2f}"))
    return (
        f"Đã ghi {written} — {stats['sections']} mục, {stats['footnotes']} chú thích, "
        f"{stats['indicators']} chỉ tiêu, {words} chữ, trong {seconds} giây."
    )
