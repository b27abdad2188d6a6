"""The build pipeline: load → model → layout → render → write, one stage after another."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dhcompiler.findings import Finding
from dhcompiler.write import refuse_foreign, write_all

if TYPE_CHECKING:
    from dhcompiler.document import Document
    from dhcompiler.documents import DocumentOptions

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
    documents: list[str] | None = None,
    options: DocumentOptions | None = None,
) -> BuildResult:
    """Render every requested document in every format in memory, then write them all or none.

    `documents` are document types (report, resolution, appendix, outline, all); without
    them, the `documents:` list of document.yaml (by default the report alone).
    """
    started = time.perf_counter()
    from dhcompiler.checks.run import check_for_build
    from dhcompiler.document import shared_prose
    from dhcompiler.documents import build_documents, resolve_names
    from dhcompiler.resolve import load_report

    report = load_report(data_dir, options.choices if options else None)
    where = None if documents else report.meta.loc("documents")
    names = resolve_names(documents or report.meta.documents, templates, where)
    with shared_prose(report):  # the prose is evaluated once, for the checks and the layout
        warnings = check_for_build(report, data_dir)  # errors stop the build here
        built = build_documents(report, templates, data_dir, names, options)
    outputs: dict[Path, bytes] = {}
    for name, document in built:
        outputs.update(render_outputs(document, out_dir / name, formats, templates, reference))
    refuse_foreign(outputs, force)
    write_all(outputs)
    return BuildResult(list(outputs), built[0][1].stats(), time.perf_counter() - started, warnings)


def render_outputs(
    document: Document, stem: Path, formats: tuple[str, ...], templates: Path, reference: Path | None
) -> dict[Path, bytes]:
    """One document in each requested format, in memory: `<stem>.md`, `.docx`, `.pdf`."""
    outputs: dict[Path, bytes] = {}
    if "md" in formats:
        from dhcompiler.render_md import render_markdown

        outputs[stem.with_name(stem.name + ".md")] = render_markdown(document, templates).encode("utf-8")
    docx_bytes = b""
    if "docx" in formats or "pdf" in formats:
        from dhcompiler.render_docx import render_docx

        docx_bytes = render_docx(document, templates, reference)
        if "docx" in formats:
            outputs[stem.with_name(stem.name + ".docx")] = docx_bytes
    if "pdf" in formats:
        from dhcompiler.pdf import convert_to_pdf

        outputs[stem.with_name(stem.name + ".pdf")] = convert_to_pdf(docx_bytes, stem.name)
    return outputs


def build_modules(formats: tuple[str, ...]) -> list[str]:
    """The modules a build of `formats` imports (each stage imports its own when it runs)."""
    wanted = ["dhcompiler.resolve", "dhcompiler.checks.run", "dhcompiler.document", "dhcompiler.documents"]
    if "md" in formats:
        wanted.append("dhcompiler.render_md")
    if "docx" in formats or "pdf" in formats:
        wanted.append("dhcompiler.render_docx")
    return wanted
