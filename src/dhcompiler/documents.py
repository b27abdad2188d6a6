"""Documents from the same data: each a template that writes block markup, laid out into a `Document`."""

from __future__ import annotations

import datetime as dt
import re
import shlex
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from dhcompiler.document import Block, Document, Layout, Paragraph, Table, TableRow, build_document
from dhcompiler.findings import DhcError, Finding
from dhcompiler.indicators import capfirst
from dhcompiler.load import Loc, SourceFile, load_file
from dhcompiler.model import Report
from dhcompiler.numbers import format_vi_date
from dhcompiler.templates import make_template_env, template_error
from dhcompiler.views import headings, result_counts, result_rows, role_sections, target_lines, target_rows

REPORT = "report"
ALL = "all"
TEMPLATE_DIR = "documents"
_CELL = re.compile(r"(?<!\\)\|")  # cells are separated by “|”; “\|” is a pipe inside a cell
FRONT_KINDS = ("draft_label", "document_type", "summary", "block_title", "theme", "motto")
BODY_KINDS = ("paragraph", "item", "bullet", "lead", "lesson", "indicator", "closing")
HEADING_KINDS = ("part", "heading", "note")
META_FIELDS = ("superior_body", "issuing_body", "party_name", "document_type", "summary", "draft_label")
SIGNATURE_FIELDS = ("on_behalf", "authority", "title", "name")


@dataclass(frozen=True)
class DocumentOptions:
    """What the command line says: the outline's heading depth (0: all) and summaries, and the
    alternatives chosen (`--choose`), which apply to every document."""

    depth: int = 0
    summaries: bool = False
    choices: dict[str, str] = field(default_factory=dict)


def document_types(templates: Path) -> list[str]:
    """The report, then every template under `templates/documents/` (`<type>.j2`)."""
    folder = templates / TEMPLATE_DIR
    found = sorted(p.name.removesuffix(".j2") for p in folder.glob("*.j2")) if folder.is_dir() else []
    return [REPORT, *found]


def resolve_names(names: list[str], templates: Path, where: Loc | None = None) -> list[str]:
    """Expand `all` and refuse unknown types (DH045), keeping order without repeats."""
    known = document_types(templates)
    out: list[str] = []
    for name in names:
        for one in known if name == ALL else [name]:
            if one not in known:
                path, line, column = (where.path, where.line, where.column) if where else ("--document", 1, 1)
                message = f"Không có loại văn bản “{one}”; chọn trong: {', '.join([*known, ALL])}."
                raise DhcError([Finding(path, line, column, "DH045", message)])
            if one not in out:
                out.append(one)
    return out


def build_documents(
    report: Report, templates: Path, data_dir: Path, names: list[str], options: DocumentOptions | None = None
) -> list[tuple[str, Document]]:
    """Each requested document with its output name; the report is laid out once and shared."""
    report_doc = build_document(report, templates)
    built = []
    for name in names:
        if name == REPORT:
            built.append((report.meta.output_name, report_doc))
        else:
            built.append(
                build_from_template(report, report_doc, templates, data_dir, name, options or DocumentOptions())
            )
    return built


def build_from_template(
    report: Report, report_doc: Document, templates: Path, data_dir: Path, name: str, options: DocumentOptions
) -> tuple[str, Document]:
    """Render `templates/documents/<name>.j2` against the views of the report, then lay its markup out."""
    data = document_data(data_dir, name)
    context = template_context(report, report_doc, data.data if data else {}, options)
    template = f"{TEMPLATE_DIR}/{name}.j2"
    env = make_template_env(templates, {"capfirst": capfirst, "names": join_names, "vi_date": vi_date})
    try:
        markup = env.get_template(template).render(**context)
    except TemplateError as exc:
        raise template_error(templates, template, exc) from None
    source = SourceFile(templates / template, str(templates / template), markup)
    assembler = Assembler(report, report_doc, templates, source)
    document = assembler.assemble(markup)
    return assembler.output_name or f"{report.meta.output_name}-{name}", document


def join_names(names: list[str]) -> str:
    """“a”, “a và b”, “a, b và c”: as the report lists the indicators missed."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1] if names else ""


def vi_date(value: Any) -> str:
    """A date of a document's data file, “2025-07-15” → “ngày 15 tháng 7 năm 2025”; other text as written."""
    try:
        return format_vi_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def document_data(data_dir: Path, name: str) -> SourceFile | None:
    """The document's own small data file, `<data>/documents/<name>.yaml`, when there is one."""
    file = data_dir / TEMPLATE_DIR / f"{name}.yaml"
    return load_file(file, data_dir) if file.is_file() else None


def template_context(report: Report, report_doc: Document, data: Any, options: DocumentOptions) -> dict[str, Any]:
    """Everything a document template reads: plain views of the report, the document's data, the options."""
    return {
        "meta": report.meta,
        "congress": report.meta.congress,
        "front": report_doc.front,
        "results": result_rows(report),
        "targets": target_rows(report),
        "target_lines": target_lines(report),
        "counts": result_counts(report),
        "roles": role_sections(report),
        "headings": headings(report, report_doc.blocks),
        "data": data if isinstance(data, dict) else {},
        "options": {"depth": options.depth, "summaries": options.summaries},
    }


@dataclass
class _Chunk:
    """One directive of the markup with the text lines under it."""

    line: int
    kind: str
    args: str
    text: list[str] = field(default_factory=list)


class Assembler:
    """Turns block markup into a `Document`: `@kind options` lines, each followed by its text.

    `@paragraph`, `@heading label=I. depth=1`, `@item label=(1)`, … give body blocks; the
    front-matter kinds (`@document_type`, `@summary`, …) give front blocks; `@table widths=…
    align=…` opens a table of `@header a | b`, `@row a | b` (`@subrow`: indented), `@group text` lines closed by
    `@end`; `@meta field`, `@signature field` and `@front number_line|date_line` set the
    header and the signature; `@option signature=no landscape=yes output_name=…`.
    Text goes through the report's prose pipeline: expressions, emphasis, footnotes.
    """

    def __init__(self, report: Report, report_doc: Document, templates: Path, source: SourceFile):
        self.report = report
        self.report_doc = report_doc
        self.layout = Layout(report, templates)
        self.source = source
        self.front_blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        self.signature_fields: dict[str, str] = {}
        self.front = dict(report_doc.front)
        self.signature = True
        self.landscape = False
        self.output_name = ""
        self.table: tuple[dict[str, str], list[list[Paragraph]], list[TableRow]] | None = None

    def loc(self, line: int) -> Loc:
        return Loc(self.source, line, 1)

    def fail(self, line: int, message: str) -> DhcError:
        loc = self.loc(line)
        return DhcError([Finding(loc.path, loc.line, loc.column, "DH032", f"Lỗi trong mẫu văn bản: {message}.")])

    def assemble(self, markup: str) -> Document:
        for chunk in _chunks(markup):
            self.directive(chunk)
        if self.table is not None:
            raise self.fail(len(markup.splitlines()), "bảng (@table) chưa được đóng bằng @end")
        if self.layout.findings:
            raise DhcError(sorted(set(self.layout.findings)))
        report = self._report()
        doc = self.report_doc
        return Document(
            report, self.front, doc.theme, doc.motto, self.layout.blocks, self.layout.footnotes,
            self.front_blocks, self.signature, self.landscape,
        )  # fmt: skip

    def _report(self) -> Report:
        meta = self.report.meta
        updates: dict[str, Any] = dict(self.meta)
        if self.signature_fields:
            updates["signature"] = meta.signature.model_copy(update=self.signature_fields)
        return replace(self.report, meta=meta.model_copy(update=updates)) if updates else self.report

    def directive(self, chunk: _Chunk) -> None:
        text = " ".join(line.strip() for line in chunk.text if line.strip())
        if self.table is not None or chunk.kind == "table":
            self.table_part(chunk)
            return
        options = self.options(chunk)
        kind = chunk.kind
        if kind in FRONT_KINDS:
            self.front_blocks.append(Block(kind, self.layout.runs(text, self.loc(chunk.line))))
            self.layout._flush_notes()
        elif kind in HEADING_KINDS:
            runs = self.layout.runs(text, self.loc(chunk.line))
            depth = int(options.get("depth", "1"))
            self.layout.blocks.append(
                Block(kind, [], label=options.get("label", ""), depth=depth, key=options.get("key"), title_runs=runs)
            )
            self.layout._flush_notes()
        elif kind in BODY_KINDS:
            extra = {"label": options.get("label", ""), "style": options.get("style", "normal")}
            self.layout.add(kind, text, self.loc(chunk.line), **extra)
        else:
            self.setting(chunk, kind, options, text)

    def setting(self, chunk: _Chunk, kind: str, options: dict[str, str], text: str) -> None:
        name = chunk.args.strip()
        if kind == "meta" and name in META_FIELDS:
            self.meta[name] = text
        elif kind == "signature" and name in SIGNATURE_FIELDS:
            self.signature_fields[name] = text
        elif kind == "front" and name in ("number_line", "date_line"):
            self.front[name] = text
        elif kind == "option":
            self.signature = options.get("signature", "yes" if self.signature else "no") == "yes"
            self.landscape = options.get("landscape", "yes" if self.landscape else "no") == "yes"
            self.output_name = options.get("output_name", self.output_name)
        else:
            raise self.fail(chunk.line, f"không hiểu “@{kind} {name}”")

    def options(self, chunk: _Chunk) -> dict[str, str]:
        try:
            words = shlex.split(chunk.args)
        except ValueError as exc:
            raise self.fail(chunk.line, f"tham số không đọc được ({exc})") from None
        return dict(w.split("=", 1) for w in words if "=" in w)

    def table_part(self, chunk: _Chunk) -> None:
        if chunk.kind == "table":
            if self.table is not None:
                raise self.fail(chunk.line, "bảng lồng trong bảng")
            self.table = (self.options(chunk), [], [])
            return
        if self.table is None:
            raise AssertionError
        options, header, rows = self.table
        if chunk.kind == "header":
            header.extend(self.cells(chunk))
        elif chunk.kind in ("row", "subrow"):
            rows.append(TableRow(self.cells(chunk), indent=int(chunk.kind == "subrow")))
        elif chunk.kind == "group":
            rows.append(TableRow([[self.layout.runs(chunk.args.strip(), self.loc(chunk.line))]], group=True))
        elif chunk.kind == "end":
            self.close_table(chunk, options, header, rows)
        else:
            raise self.fail(chunk.line, f"“@{chunk.kind}” trong bảng; đóng bảng bằng @end trước")

    def cells(self, chunk: _Chunk) -> list[list[Paragraph]]:
        loc = self.loc(chunk.line)
        cells = [cell.strip().replace("\\|", "|") for cell in _CELL.split(chunk.args)]
        return [[self.layout.runs(cell, loc)] if cell else [] for cell in cells]

    def close_table(
        self, chunk: _Chunk, options: dict[str, str], header: list[list[Paragraph]], rows: list[TableRow]
    ) -> None:
        self.table = None
        columns = len(header)
        if not columns or any(not r.group and len(r.cells) != columns for r in rows):
            raise self.fail(chunk.line, f"mỗi dòng của bảng phải có đúng {columns} ô như dòng tiêu đề")
        widths = [int(w) for w in options.get("widths", ",".join(["1"] * columns)).split(",")]
        align = options.get("align", ",".join(["left"] * columns)).split(",")
        if len(widths) != columns or len(align) != columns:
            raise self.fail(chunk.line, f"widths và align phải có đúng {columns} giá trị")
        self.layout.blocks.append(Block("table", [], table=Table(header, rows, widths, align)))
        self.layout._flush_notes()


def _chunks(markup: str) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    for number, line in enumerate(markup.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("@") and not stripped.startswith("@@"):
            kind, _, args = stripped[1:].partition(" ")
            chunks.append(_Chunk(number, kind, args))
        elif stripped and chunks:
            chunks[-1].text.append(stripped.removeprefix("@"))
    return chunks
