"""What the user reads at the end of a command: findings and summaries, in Vietnamese."""

from __future__ import annotations

import sys

from dhcompiler.build import BuildResult
from dhcompiler.findings import Finding


def print_findings(findings: list[Finding]) -> None:
    for finding in findings:
        print(finding.format(), file=sys.stderr)
    errors = sum(1 for f in findings if f.severity.value == "error")
    if errors:
        print(f"Dừng lại: {errors} lỗi.", file=sys.stderr)


def print_build_summary(result: BuildResult) -> None:
    stats = result.stats
    written = ", ".join(str(p) for p in result.written)
    print(
        f"Đã ghi {written} — {stats['sections']} mục, {stats['footnotes']} chú thích, "
        f"{stats['indicators']} chỉ tiêu, {stats['words']:,} chữ ({result.seconds:.2f} giây).".replace(",", ".")
        if False
        else f"Đã ghi {written} — {stats['sections']} mục, {stats['footnotes']} chú thích, "
        f"{stats['indicators']} chỉ tiêu, {stats['words']} chữ, trong {result.seconds:.2f} giây."
    )
