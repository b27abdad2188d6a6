"""The import report: what was recognised, and what the drafter should review (Vietnamese)."""

from __future__ import annotations

from pathlib import Path

from dhcompiler.importers import FORMATS, ImportResult


def format_report(result: ImportResult, out: Path) -> str:
    """The text `dhc import` prints when it has written the data."""
    stats = result.stats
    sections = sum(1 for name in result.files if name.startswith("sections/"))
    lines = [
        f"Đã nhập {result.source} ({FORMATS[result.kind]}, mã {result.encoding}) vào {out}/",
        f"  Đã nhận ra: {', '.join(result.recognised) or '(không có thông tin văn bản nào)'}.",
        f"  Nội dung: {stats.parts} phần, {stats.sections} mục, {stats.blocks} khối nội dung, "
        f"{stats.footnotes} chú thích, {stats.groups} nhóm chỉ tiêu ({stats.measures} chỉ tiêu"
        f"{f', {stats.verbatim} nhóm giữ nguyên văn' if stats.verbatim else ''}).",
        f"  Tệp: document.yaml, indicators.yaml và {sections} tệp trong sections/.",
    ]
    if result.findings:
        lines.append(f"Cần xem lại ({len(result.findings)}):")
        lines.extend("  " + finding.format() for finding in result.findings)
    else:
        lines.append("Không có gì cần xem lại.")
    lines.append(f"Tiếp theo: dhc build {out}")
    return "\n".join(lines)
