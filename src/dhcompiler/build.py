"""The build pipeline: load → model → layout → render → write, one stage after another."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from dhcompiler.findings import DhcError, Finding
from dhcompiler.write import is_ours, write_all

FORMATS = ("md", "docx", "pdf")


@dataclass
class BuildResult:
    """What a build wrote and counted."""

    written: list[Path]
    stats: dict[str, int]
    seconds: float
    warnings: list[Finding] = field(default_factory=list)


def build_report(
    data_dir: Path,
    out_dir: Path,
    formats: tuple[str, ...],
    templates: Path,
    reference: Path | None = None,
    force: bool = False,
) -> BuildResult:
    """Render every requested format in memory, then write them all or none."""
    started = time.perf_counter()
    from dhcompiler.checks.run import check_for_build
    from dhcompiler.document import build_document, shared_prose
    from dhcompiler.resolve import load_report

    report = load_report(data_dir)
    with shared_prose(report):  # the prose is evaluated once, for the checks and the layout
        warnings = check_for_build(report, data_dir)  # errors stop the build here
        document = build_document(report, templates)
    name = report.meta.output_name
    outputs: dict[Path, bytes] = {}
    if "md" in formats:
        from dhcompiler.render_md import render_markdown

        outputs[out_dir / f"{name}.md"] = render_markdown(document, templates).encode("utf-8")
    docx_bytes = b""
    if "docx" in formats or "pdf" in formats:
        from dhcompiler.render_docx import render_docx

        docx_bytes = render_docx(document, templates, reference)
        if "docx" in formats:
            outputs[out_dir / f"{name}.docx"] = docx_bytes
    if "pdf" in formats:
        from dhcompiler.pdf import convert_to_pdf

        outputs[out_dir / f"{name}.pdf"] = convert_to_pdf(docx_bytes, name)
    _refuse_foreign(outputs, force)
    write_all(outputs)
    return BuildResult(list(outputs), document.stats(), time.perf_counter() - started, warnings)


def build_modules(formats: tuple[str, ...]) -> list[str]:
    """The modules a build of `formats` imports (each stage imports its own when it runs)."""
    wanted = ["dhcompiler.resolve", "dhcompiler.checks.run", "dhcompiler.document"]
    if "md" in formats:
        wanted.append("dhcompiler.render_md")
    if "docx" in formats or "pdf" in formats:
        wanted.append("dhcompiler.render_docx")
    return wanted


def _refuse_foreign(outputs: dict[Path, bytes], force: bool) -> None:
    if force:
        return
    foreign = [path for path in outputs if not is_ours(path)]
    if foreign:
        raise DhcError(
            [
                Finding(
                    str(path),
                    1,
                    1,
                    "DH040",
                    "Tệp đã tồn tại và không do dhc tạo ra; không ghi đè. "
                    "Hãy chọn thư mục khác (--out) hoặc thêm --force.",
                )
                for path in foreign
            ]
        )
