"""Lay the report out as a numbered, render-neutral document that both writers consume."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from dhcompiler.alternatives import target_alternatives
from dhcompiler.findings import DhcError, Finding
from dhcompiler.indicators import (
    IndicatorLine,
    assess,
    format_quantity,
    format_vi_number,
    missed_measures,
    result_line,
    target_line,
)
from dhcompiler.load import Loc
from dhcompiler.model import Block as SourceBlock
from dhcompiler.model import IndicatorGroup, Measure, Quantity, Report, Section
from dhcompiler.numbers import pad_count
from dhcompiler.prose import (
    PLAIN_SCALARS,
    Change,
    Record,
    Run,
    make_prose_env,
    parse_inline,
    plain_text,
    render_expressions,
)
from dhcompiler.resolve import report_figures, table_cells
from dhcompiler.templates import Macros, count_syllables, make_template_env

Paragraph = list[Run]


@dataclass
class TableRow:
    """One row of a laid-out table: each cell a list of paragraphs; a group row has one cell.
    `indent` moves the row's left-aligned cells right by that many levels (a part under its whole).
    In a redline, `change` marks the row itself as inserted or deleted (its runs carry their own)."""

    cells: list[list[Paragraph]]
    group: bool = False
    indent: int = 0
    change: Change | None = None


@dataclass
class Table:
    """A laid-out table: the header row (repeated on every page), the rows, and per column
    its relative width and alignment (left, center, right). In a redline, `header_change`
    marks the header row as inserted or deleted (a whole table inserted or deleted)."""

    header: list[list[Paragraph]]
    rows: list[TableRow]
    widths: list[int]
    align: list[str]
    header_change: Change | None = None


@dataclass
class Block:
    """One paragraph of output: its kind, label (the computed number) and formatted runs.

    kinds: part, heading, paragraph, item, bullet, lead, lesson, indicator, closing, table,
    appendix (the heading of an appendix, laid out after the signature);
    and in the front matter: draft_label, document_type, summary, block_title, theme, motto.
    `depth` is the heading depth (0 for a part, 1 for I., 2 for 1., 3 for 1.1., …).
    A table block carries its cells in `table`. `change` marks the paragraph itself (its
    paragraph mark, and its label) as inserted, deleted or moved, in a redline; on a table
    block, the paragraph that follows the table (a whole table inserted or deleted).
    `section` is the key of the section whose content it is, `source` the prose as written
    in the data before rendering (both for `dhc diff`).
    """

    kind: str
    runs: list[Run]
    label: str = ""
    depth: int = 0
    key: str | None = None
    style: str = "normal"
    title_runs: list[Run] = field(default_factory=list)
    table: Table | None = None
    change: Change | None = None
    section: str | None = None
    source: str = ""


@dataclass
class Footnote:
    """A numbered footnote; in a redline, `marks[i]` is the revision of paragraph i's mark
    (and, for the first paragraph, of the note's own number)."""

    number: int
    key: str
    paragraphs: list[list[Run]]
    marks: list[Change | None] = field(default_factory=list)


@dataclass(frozen=True)
class Tracking:
    """Who made the tracked revisions of a redline, and when (ISO 8601, UTC, never the clock)."""

    author: str
    date: str


@dataclass
class Document:
    """What the writers render: the header block (from `report.meta` and `front`), the front
    matter (`front_blocks`: draft label, document type, summary, theme, motto, …), the numbered
    body blocks, the signature (when `signature`) and the numbered footnotes.

    Every document dhc writes is one of these: the report, and any other view of the data
    (a comparison table, a resolution, …) with its own front blocks and body blocks.
    `landscape` turns the pages of the .docx. `tracking` (author, date) is set on a redline,
    whose runs, blocks, footnote paragraphs and `revised` header fields carry tracked
    revisions (`prose.Change`).
    """

    report: Report
    front: dict[str, str]
    theme: list[Run]
    motto: list[Run]
    blocks: list[Block]
    footnotes: list[Footnote]
    front_blocks: list[Block] = field(default_factory=list)
    signature: bool = True
    landscape: bool = False
    tracking: Tracking | None = None
    appendix: list[Block] = field(default_factory=list)
    # A redline's header fields and signature lines that changed, as runs with their revisions
    # (keys: the header fields of the reference's table, "signature_authority", "signature_title",
    # "signature_name"); any other is written from `report.meta` and `front`.
    revised: dict[str, list[Run]] = field(default_factory=dict)

    @property
    def meta(self) -> Any:
        return self.report.meta

    def stats(self) -> dict[str, int]:
        blocks = [*self.blocks, *self.appendix]
        words = sum(len(plain_text(b.runs).split()) + len(plain_text(b.title_runs).split()) for b in blocks)
        words += sum(len(plain_text(p).split()) for f in self.footnotes for p in f.paragraphs)
        return {
            "sections": sum(1 for b in blocks if b.kind in ("part", "heading", "appendix")),
            "footnotes": len(self.footnotes),
            "indicators": len(self.report.measures()),
            "words": words,
        }


# --- prose context -------------------------------------------------------------------------


def _quantity(quantity: Quantity, default_unit: str | None) -> Record:
    """A figure as prose sees it: `{{ q }}` → “17,02%/năm”, `{{ q.number }}` → “17,02”."""
    value = quantity.value
    return Record(
        format_quantity(quantity, default_unit),
        {
            "number": format_vi_number(value) if value is not None else "",
            "value": value,
            "unit": quantity.unit or default_unit or "",
        },
    )


def _measure(measure: Measure, shared: Quantity | None) -> Record:
    target = measure.target or shared
    fields = {
        "name": measure.name,
        "short_name": measure.short_name or measure.name,
        "result": _quantity(measure.result, measure.unit) if measure.result else None,
        "target": _quantity(target, measure.unit) if target else None,
        "achievement": assess(measure, shared).value,
    }
    return Record(None, fields, "hãy chọn một trường của chỉ tiêu, ví dụ .result")


_NO_TOTAL = "số liệu này không có tổng số (value hoặc indicator) để in ra"


def _figure(value: Decimal | None, unit: str, pad: bool, parts: dict[str, Record]) -> Record:
    """A declared figure as prose sees it: `{{ f }}` → “117 dự án”, `{{ f.<part> }}` → “26 …”."""
    number: str | None = None
    if value is not None:
        small = value == value.to_integral_value() and 0 <= value < 10
        number = pad_count(int(value)) if pad and small else format_vi_number(value)
    text = (
        None
        if number is None
        else f"{number}{unit}"
        if unit.startswith("%")
        else " ".join(filter(None, (number, unit)))
    )
    fields: dict[str, Any] = {**parts, "value": value, "unit": unit, "pad": pad}
    fields["number"] = number if number is not None else Record(None, reason=_NO_TOTAL)
    return Record(text, fields, _NO_TOTAL)


def _figure_views(report: Report) -> dict[str, Record]:
    measures = report.measures()
    views: dict[str, Record] = {}
    for key, (_section, figure) in report_figures(report).items():
        value = figure.value
        if figure.indicator is not None and figure.parts:
            result = measures[figure.indicator].result
            value = result.value if result is not None else None
        unit = figure.unit or ""
        parts = {name: _figure(v, unit, figure.pad, {}) for name, v in figure.parts.items()}
        views[key] = _figure(value, unit, figure.pad, parts)
    return views


def plain_data(value: Any) -> Any:
    """A loaded model as plain data: dicts, lists, strings, numbers; a model or date that prints
    itself its own way (a term as “2025 - 2030”) becomes a `Record` keeping that text."""
    if isinstance(value, BaseModel):
        fields = {name: plain_data(getattr(value, name)) for name in type(value).model_fields}
        return Record(str(value), fields) if type(value).__str__ is not BaseModel.__str__ else fields
    if isinstance(value, dt.date):
        return Record(str(value), {"year": value.year, "month": value.month, "day": value.day})
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, PLAIN_SCALARS):
        return value
    return str(value)


def prose_context(report: Report) -> dict[str, Any]:
    """The names prose expressions may use: doc, ind, results, fig — plain data only."""
    views: dict[str, Record] = {}
    for group in (*report.indicators.results, *report.indicators.targets):
        for measure in group.measures:
            for m in (measure, *measure.parts):
                views[m.key] = _measure(m, group.target)
    missed = [views[m.key] for m in missed_measures(report.indicators.results)]
    results = Record(None, {"count": len(report.indicators.results), "missed": missed}, "hãy viết results.count")
    return {"doc": plain_data(report.meta), "ind": views, "results": results, "fig": _figure_views(report)}


def _names(views: list[Record]) -> str:
    names = [str(v.fields["short_name"]) for v in views]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1] if names else ""


PROSE_FILTERS: dict[str, Callable[..., Any]] = {"names": _names, "pad": pad_count, "syllables": count_syllables}


@dataclass
class ProseValues:
    """The prose context of one report and the value of each prose string, computed once."""

    env: Any
    context: dict[str, Any]
    values: dict[str, str] = field(default_factory=dict)

    def render(self, text: str, loc: Loc) -> str:
        """`text` with its expressions evaluated; a failure raises DhcError and is not kept."""
        value = self.values.get(text)
        if value is None:
            value = self.values[text] = render_expressions(self.env, text, self.context, loc)
        return value


_SHARED: dict[int, ProseValues] = {}


@contextmanager
def shared_prose(report: Report) -> Iterator[None]:
    """Within this block the checks and the layout of `report` share one `ProseValues`."""
    _SHARED[id(report)] = _prose_values(report)
    try:
        yield
    finally:
        _SHARED.pop(id(report), None)


def prose_values(report: Report) -> ProseValues:
    """The shared values inside `shared_prose(report)`, else a fresh set."""
    return _SHARED.get(id(report)) or _prose_values(report)


def _prose_values(report: Report) -> ProseValues:
    return ProseValues(make_prose_env(PROSE_FILTERS), prose_context(report))


# --- layout --------------------------------------------------------------------------------


class Layout:
    """Walks the report once in reading order, numbering headings and footnotes as it goes."""

    def __init__(self, report: Report, templates: Path):
        self.report = report
        env = make_template_env(templates)
        self.numbers = Macros(env, "numbering.j2")
        self.fixed = Macros(env, "fixed.j2")
        self.prose = prose_values(report)
        self.blocks: list[Block] = []
        self.appendix: list[Block] = []
        self.footnotes: list[Footnote] = []
        self.findings: list[Finding] = []
        self._pending_notes: list[tuple[int, str]] = []
        self._section: str | None = None

    # prose --------------------------------------------------------------------------------

    def runs(self, text: str, loc: Loc) -> list[Run]:
        try:
            rendered = self.prose.render(text, loc)
            return parse_inline(rendered, loc, self._cite)
        except DhcError as exc:
            self.findings.extend(exc.findings)
            return [Run(text)]

    def _cite(self, key: str) -> int:
        number = len(self.footnotes) + len(self._pending_notes) + 1
        self._pending_notes.append((number, key))
        return number

    def _flush_notes(self) -> None:
        """Footnote texts are laid out after the paragraph that cites them, keeping reading order."""
        pending, self._pending_notes = self._pending_notes, []
        for number, key in pending:
            note = self.report.footnotes[key]
            paragraphs = [self.runs(p, note.loc(i)) for i, p in enumerate(note.paragraphs)]
            self.footnotes.append(Footnote(number, key, paragraphs))

    def add(self, kind: str, text: str, loc: Loc, **extra: Any) -> None:
        self.blocks.append(Block(kind, self.runs(text, loc), section=self._section, source=text, **extra))
        self._flush_notes()

    # structure ----------------------------------------------------------------------------

    def build(self) -> Document:
        meta = self.report.meta
        theme = self.runs(meta.theme.text, meta.loc("theme", "text"))
        motto = self.runs(meta.motto.text, meta.loc("motto", "text"))
        part = roman = 0
        body = [s for s in self.report.body if s.kind != "appendix"]
        appendices = [s for s in self.report.body if s.kind == "appendix"]
        for section in body:
            if section.kind == "part":
                part += 1
                self.heading(section, self.numbers("part", part), 0)
                self.section_body(section, "roman", [], 1)
            elif section.kind == "note":
                self.heading(section, "", 0, kind="note")
                self.section_body(section, "arabic", [], 2)
            elif section.kind == "closing":
                if section.title:
                    self.heading(section, "", 1)
                self.section_body(section, "arabic", [], 2)
            elif section.kind == "opening":
                self.section_body(section, "arabic", [], 2)
            else:  # a report without parts: its top-level sections are I., II., …
                roman += 1
                self.heading(section, self.numbers("roman", roman), 1)
                self.section_body(section, "arabic", [], 2)
        self.appendices(appendices)
        if self.findings:
            raise DhcError(sorted(set(self.findings)))
        front = {
            "number_line": self.fixed("number_line", meta),
            "date_line": self.fixed("date_line", meta),
            "draft_label": self.fixed("draft_label", meta) if meta.draft_label else "",
            "theme_count": self.fixed("theme_count", count_syllables(plain_text(theme))),
        }
        front_blocks = report_front_blocks(meta, front, theme, motto)
        front_blocks = [b for block in front_blocks for b in self.open_alternatives(block)]
        return Document(
            self.report, front, theme, motto, self.blocks, self.footnotes, front_blocks, appendix=self.appendix
        )

    def appendices(self, sections: list[Section]) -> None:
        """Appendices come after the signature, each numbering its own sections I., II., …"""
        main, self.blocks = self.blocks, self.appendix
        for n, section in enumerate(sections, start=1):
            self.heading(section, self.numbers("appendix", n, len(sections)), 0, kind="appendix")
            self.section_body(section, "roman", [], 1)
        self.blocks = main

    def open_alternatives(self, block: Block) -> list[Block]:
        """The theme or motto once per alternative still open, each labelled, with its own word count."""
        node = getattr(self.report.meta, block.kind, None) if block.kind in ("theme", "motto") else None
        if node is None or not node.alternatives:
            return [block]
        out = []
        for i, alternative in enumerate(node.alternatives):
            runs = self.runs(alternative.text or "", node.loc("alternatives", i, "text"))
            count = (
                [Run(" " + self.fixed("theme_count", count_syllables(plain_text(runs))))]
                if block.kind == "theme"
                else []
            )
            out.append(Block(block.kind, [*choice_label(alternative.label), *runs, *count]))
        return out

    def heading(self, section: Section, label: str, depth: int, kind: str | None = None) -> None:
        title = section.title or ""
        runs = self.runs(title, section.loc("title")) if title else []
        if section.alternatives:  # a choice still open: every title, each labelled
            runs = []
            for i, alternative in enumerate(section.alternatives):
                title_runs = self.runs(alternative.title or "", section.loc("alternatives", i, "title"))
                runs.extend([Run(" / " if i else ""), *choice_label(alternative.label, italic=True), *title_runs])
        block_kind = kind or ("part" if section.kind == "part" else "heading")
        block = Block(block_kind, [], label=label, depth=depth, key=section.key, title_runs=runs, source=title)
        self.blocks.append(block)
        self._flush_notes()

    def child_label(self, scheme: str, path: list[int], index: int, section: Section) -> tuple[str, list[int]]:
        if section.children == "items":
            return self.numbers("item", index), []
        if scheme == "roman":
            return self.numbers("roman", index), []
        return self.numbers("arabic", [*path, index]), [*path, index]

    def section_body(self, section: Section, scheme: str, path: list[int], child_depth: int) -> None:
        """Lay out a section's content, then its subsections numbered by `scheme` below `path`."""
        numbered = 0
        self._section = section.key
        for i, block in enumerate(section.content):
            if block.indicators is not None:
                numbered = self.indicator_list(section, block, scheme, path)
            else:
                self.content_block(section, i, block)
        for index, child in enumerate(section.sections, start=numbered + 1):
            label, child_path = self.child_label(scheme, path, index, section)
            self.heading(child, label, child_depth, kind="heading")
            child_scheme = "arabic" if scheme == "roman" or section.children == "items" else scheme
            self.section_body(child, child_scheme, child_path, child_depth + 1)

    def content_block(self, section: Section, i: int, block: SourceBlock) -> None:
        kind = block.kind
        if kind == "table":
            self.table(section, i, block)
        elif kind == "text" and block.alternatives:  # a choice still open: every wording, each labelled
            for j, alternative in enumerate(block.alternatives):
                runs = self.runs(alternative.text or "", section.loc("content", i, "alternatives", j, "text"))
                self.blocks.append(Block("paragraph", [*choice_label(alternative.label), *runs], style=block.style))
                self._flush_notes()
        elif kind == "text":
            self.add("paragraph", block.text or "", section.loc("content", i), style=block.style)
        elif kind == "lead":
            self.add("lead", block.lead or "", section.loc("content", i, "lead"), label=self.numbers("lead"))
        elif kind == "lessons":
            for j, text in enumerate(block.lessons or [], start=1):
                self.add("lesson", text, section.loc("content", i, "lessons", j - 1), label=self.numbers("lesson", j))
        else:
            name = "items" if kind == "items" else "bullets"
            for j, paragraphs in enumerate(getattr(block, name) or [], start=1):
                label = self.numbers("item", j) if kind == "items" else self.numbers("bullet")
                for k, text in enumerate(paragraphs):
                    loc = section.loc("content", i, name, j - 1, k)
                    self.add("item" if kind == "items" else "bullet", text, loc, label=label if k == 0 else "")

    def table(self, section: Section, i: int, block: SourceBlock) -> None:
        source = block.table
        assert source is not None
        cells = iter(table_cells(section, i, source))

        def cell() -> list[Paragraph]:
            path, text = next(cells)
            return [self.runs(text, section.loc(*path))]

        header = [cell() for _ in source.header]
        rows = [
            TableRow([cell()], group=True) if row.group is not None else TableRow([cell() for _ in row.cells])
            for row in source.rows
        ]
        columns = len(source.header)
        table = Table(header, rows, list(source.widths or [1] * columns), list(source.align or ["left"] * columns))
        self.blocks.append(Block("table", [], key=section.key, table=table, section=section.key))
        self._flush_notes()

    def indicator_list(self, section: Section, block: SourceBlock, scheme: str, path: list[int]) -> int:
        groups: list[IndicatorGroup] = getattr(self.report.indicators, block.indicators or "results")
        line_of = result_line if block.indicators == "results" else target_line
        for index, group in enumerate(groups, start=1):
            if group.heading:
                self.add("lead", group.heading, group.loc("heading"), label=self.numbers("lead"))
            label, _ = self.child_label(scheme, path, index, section)
            for choice, variant in target_alternatives(group):
                line: IndicatorLine = line_of(variant)
                self.add("indicator", line.text, group.loc(), label=label, key=group.key)
                if choice:  # a choice still open: each wording of the target, labelled
                    self.blocks[-1].runs[:0] = choice_label(choice)
                for bullet in line.bullets:
                    self.add("bullet", bullet, group.loc(), label=self.numbers("bullet"))
        return len(groups)


def choice_label(label: str, italic: bool = False) -> list[Run]:
    """“Phương án 1: ” before an alternative still open: the label emphasised, then a plain space."""
    return [Run(label + ":", bold=not italic, italic=italic), Run(" ")]


def report_front_blocks(meta: Any, front: dict[str, str], theme: list[Run], motto: list[Run]) -> list[Block]:
    """The report's front matter: draft label, document type, summary, theme (with its word
    count) and motto, each a block of its own kind."""
    blocks = [Block("draft_label", [Run(front["draft_label"])])] if front["draft_label"] else []
    blocks.append(Block("document_type", [Run(meta.document_type)]))
    if meta.summary:
        blocks.append(Block("summary", [Run(meta.summary)]))
    if meta.theme.printed:
        if meta.theme.title:
            blocks.append(Block("block_title", [Run(meta.theme.title)]))
        blocks.append(Block("theme", [*theme, Run(" " + front["theme_count"])]))
    if meta.motto.printed:
        if meta.motto.title:
            blocks.append(Block("block_title", [Run(meta.motto.title)]))
        blocks.append(Block("motto", motto))
    return blocks


def build_document(report: Report, templates: Path) -> Document:
    """Number every heading, item and footnote and render all prose; raise on any problem."""
    return Layout(report, templates).build()
