"""Render the laid-out document to .docx on the styles of a reference document, with real footnotes.

Only this package knows OOXML; it builds the XML with lxml (python-docx is not imported).
Every font, size, margin and spacing comes from the reference document
(templates/reference.docx): its named styles, its page setup and page header, and its
header-block table. This code only picks which style each paragraph gets and fills the
header block's template variables ("{party_name}", …). `reference.py` prepares the
reference once per process, `package.py` reads and writes the OPC package.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

from lxml import etree

from dhcompiler.document import Block, Document, Table, Tracking
from dhcompiler.findings import DhcError, Finding
from dhcompiler.prose import DELETED, Change, Run
from dhcompiler.render_docx.ns import W_NSMAP, qn
from dhcompiler.render_docx.package import parse, serialize
from dhcompiler.render_docx.reference import (
    HEADER_FIELDS,
    Reference,
    document_body,
    footnotes_root,
    load_reference,
    reference_error,
    set_core,
)
from dhcompiler.write import MARKER_DOCX, Deflated, build_time, deflate, zip_archive

REFERENCE = "reference.docx"

# Which named style of the reference document each kind of paragraph takes (docs/layout.md).
# Headings by depth: part → Heading 1; I. → Heading 2; 1. → Heading 3; 1.1. → Heading 4;
# 1.1.1. → Heading 5. "footnote text" and "footnote reference" are Word's built-in names.
STYLES: dict[str, str | list[str]] = {
    "draft_label": "Draft Label",
    "document_type": "Document Type",
    "summary": "Summary",
    "block_title": "Block Title",
    "theme": "Theme",
    "motto": "Motto",
    "part": "Heading 1",
    "part_title": "Part Title",
    "note": "Note Heading",
    "heading": ["Heading 2", "Heading 3", "Heading 4", "Heading 5"],
    "item_heading": "Item Heading",
    "paragraph": "Body Text",
    "closing": "Closing",
    "item": "Item",
    "bullet": "Bullet",
    "lead": "Lead",
    "lesson": "Lesson",
    "indicator": "Indicator",
    "signature_authority": "Signature Authority",
    "signature_title": "Signature Title",
    "signature_name": "Signature Name",
    "table_heading": "Table Heading",
    "table_text": "Table Text",
    "table_group": "Table Group",
    "table_after": "Table After",
    "footnote_text": "footnote text",
    "footnote_reference": "footnote reference",
}
CHARACTER_STYLES = {"footnote_reference"}
# Styles a reference document needs only when the document uses them: an older reference
# without table styles still builds a report that has no table.
WHEN_USED = {"table_heading", "table_text", "table_group", "table_after"}

# How far a table row with `indent` moves its left-aligned cells, per level (5 mm).
INDENT_TWIPS = 284

_FIELD = re.compile(r"\{(\w+)\}")

# Qualified names of the elements and attributes written for every paragraph and run.
_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE = (qn("w:" + n) for n in ("p", "pPr", "pStyle", "r", "rPr", "rStyle"))
_B, _I, _STRIKE, _T, _DEL_TEXT, _TAB, _BR = (qn("w:" + n) for n in ("b", "i", "strike", "t", "delText", "tab", "br"))
_VAL, _ID, _AUTHOR, _DATE, _NAME = (qn("w:" + n) for n in ("val", "id", "author", "date", "name"))
_W, _TYPE = qn("w:w"), qn("w:type")
_XML_SPACE = qn("xml:space")
_FOOTNOTE_REFERENCE, _FOOTNOTE_REF = qn("w:footnoteReference"), qn("w:footnoteRef")

# A tracked revision's element: around runs, and inside a paragraph mark's w:rPr.
REVISION_TAGS = {
    "ins": qn("w:ins"),
    "del": qn("w:del"),
    "move_from": qn("w:moveFrom"),
    "move_to": qn("w:moveTo"),
}
# The named range that pairs the two ends of a move.
MOVE_RANGES = {"move_from": qn("w:moveFromRange"), "move_to": qn("w:moveToRange")}

_BORDER = {_VAL: "single", qn("w:sz"): "4", qn("w:space"): "0", qn("w:color"): "000000"}
_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def render_docx(doc: Document, templates: Path, reference: Path | None = None) -> bytes:
    """The whole report as .docx bytes, deterministic for the same input."""
    path = reference or templates / REFERENCE
    writer = DocxWriter(load_reference(path), path)
    writer.tracking = doc.tracking or Tracking("dhc", build_time(doc.meta.date).isoformat() + "Z")
    if doc.landscape:
        writer.landscape()
    writer.header_block(doc)
    writer.front_matter(doc)
    for i, block in enumerate(doc.blocks):
        writer.block(block, last=doc.signature and i == len(doc.blocks) - 1)
    if doc.signature:
        writer.signature(doc)
    for block in doc.appendix:
        writer.block(block)
    writer.footnotes(doc)
    return writer.finish(doc)


class DocxWriter:
    """Appends paragraphs to a copy of the reference document's body, keeping its page setup."""

    def __init__(self, prepared: Reference, reference: Path):
        self.prepared = prepared
        self.reference = reference
        self.missing: dict[str, Finding] = {}  # styles needed only by what uses them (tables)
        self.ids = self._style_ids()
        if not prepared.header_table:
            fields = ", ".join("{" + f + "}" for f in HEADER_FIELDS)
            message = f"Tài liệu mẫu thiếu bảng tiêu đề (bảng hai cột có các trường {fields})."
            raise DhcError([reference_error(reference, message)])
        self.document = parse(prepared.parts["document"])
        self.body, self.sect, self.header_table = document_body(self.document)
        self.notes = footnotes_root(prepared.parts["footnotes"])
        self.tracking = Tracking("dhc", "")
        self.revision_ids = itertools.count(1)  # one sequence over the document and its footnotes
        self.moves: dict[tuple[str, str], tuple[int, Any]] = {}  # (kind, name) → range id, last element

    # styles -------------------------------------------------------------------------------

    def _style_ids(self) -> dict[str, str | None]:
        """Style name → style id for every style STYLES names; a missing one is an error."""
        found = self.prepared.styles
        ids: dict[str, str | None] = {}
        missing: list[Finding] = []
        for kind, names in STYLES.items():
            wanted = "character" if kind in CHARACTER_STYLES else "paragraph"
            for name in [names] if isinstance(names, str) else names:
                if (name, wanted) in found:
                    ids[name] = found[(name, wanted)]
                elif kind in WHEN_USED:
                    self.missing[name] = self._missing_style(name, kind)
                else:
                    missing.append(self._missing_style(name, kind))
        if missing:
            raise DhcError(missing)
        return ids

    def _missing_style(self, name: str, kind: str) -> Finding:
        what = "kiểu ký tự" if kind in CHARACTER_STYLES else "kiểu đoạn văn"
        return reference_error(
            self.reference,
            f"Tài liệu mẫu thiếu {what} “{name}” (dùng cho {kind}); "
            "hãy thêm kiểu này hoặc dùng templates/reference.docx làm gốc.",
        )

    def style_id(self, kind: str, depth: int = 1) -> str | None:
        names = STYLES[kind]
        name = names if isinstance(names, str) else names[max(0, min(depth - 1, len(names) - 1))]
        if name in self.missing:
            raise DhcError([self.missing[name]])
        return self.ids[name]

    # paragraphs ---------------------------------------------------------------------------

    def _new(self, tag: str) -> Any:
        """A new element at the end of the body, before its section properties."""
        element = etree.SubElement(self.body, tag)
        if self.sect is not None:
            self.sect.addprevious(element)
        return element

    def paragraph(
        self,
        kind: str,
        runs: list[Run],
        label: str = "",
        depth: int = 1,
        emphasis: str = "normal",
        change: Change | None = None,
    ) -> Any:
        """A paragraph of `kind`'s style; `change` marks its label and its paragraph mark as a revision."""
        p = self._new(_P)
        _set_style(p, self.style_id(kind, depth))
        if label:
            into = self._open(p, change)
            _text_run(into, label + " ", deleted=_deletes(change))
            self._close(p, change, into)
        self.runs(p, runs, emphasis)
        if change is not None:
            self.mark_paragraph(p, change)
        return p

    def text(self, kind: str, text: str, change: Change | None = None) -> Any:
        return self.paragraph(kind, [Run(text)], change=change)

    def runs(self, p: Any, runs: list[Run], emphasis: str = "normal") -> None:
        """Append `runs` to `p`; consecutive runs of one revision go in one revision element."""
        for change, group in itertools.groupby(runs, key=lambda run: run.change):
            shown = [run for run in group if run.footnote is not None or run.text]
            if not shown:
                continue
            into, deleted = self._open(p, change), _deletes(change)
            for run in shown:
                if run.footnote is not None:
                    self._mark(into, _FOOTNOTE_REFERENCE, run.footnote, deleted)
                else:
                    bold = run.bold or emphasis == "bold"
                    italic = run.italic or emphasis == "italic"
                    _text_run(into, run.text, bold, italic, strike=run.strike, deleted=deleted)
            self._close(p, change, into)

    # tracked revisions --------------------------------------------------------------------

    def _revision(self, parent: Any, tag: str) -> Any:
        element = etree.SubElement(parent, tag)
        element.set(_ID, str(next(self.revision_ids)))
        element.set(_AUTHOR, self.tracking.author)
        if self.tracking.date:
            element.set(_DATE, self.tracking.date)
        return element

    def _open(self, p: Any, change: Change | None) -> Any:
        """Where runs go: `p` itself, or a new w:ins / w:del / w:moveFrom / w:moveTo at its end."""
        return p if change is None else self._revision(p, REVISION_TAGS[change.kind])

    def _close(self, p: Any, change: Change | None, wrapper: Any) -> None:
        """After the runs of a revision element: open or extend its move's range."""
        if change is not None:
            self._move_range(p, change, wrapper)

    def mark_paragraph(self, p: Any, change: Change) -> None:
        """Mark the paragraph mark itself (w:pPr/w:rPr/w:ins …), so Accept or Reject leaves no empty paragraph."""
        props = p.find(_PPR)
        if props is None:
            props = etree.SubElement(p, _PPR)
            p.insert(0, props)
        self._revision(etree.SubElement(props, _RPR), REVISION_TAGS[change.kind])
        self._move_range(p, change, None)

    def _move_range(self, p: Any, change: Change, element: Any | None) -> None:
        """Open the move's named range before its first piece; remember its last piece to close it after."""
        if change.kind not in MOVE_RANGES:
            return
        key = (change.kind, change.move)
        last = element if element is not None else p
        if key not in self.moves:
            start = self._revision(p, MOVE_RANGES[change.kind] + "Start")
            start.set(_NAME, change.move)
            if element is not None:
                element.addprevious(start)
            self.moves[key] = (int(start.get(_ID)), last)
        else:
            self.moves[key] = (self.moves[key][0], last)

    def _close_moves(self) -> None:
        for (kind, _name), (range_id, last) in self.moves.items():
            if last.tag == _P:
                end = etree.SubElement(last, MOVE_RANGES[kind] + "End")
            else:
                end = etree.SubElement(last.getparent(), MOVE_RANGES[kind] + "End")
                last.addnext(end)
            end.set(_ID, str(range_id))
        self.moves = {}

    def _mark(self, parent: Any, tag: str, number: int, deleted: bool = False) -> None:
        """“(n)”: Word's own footnote number between parentheses, all in the footnote reference
        character style (superscript). The number stays automatic, so Word and LibreOffice both
        show it once, and a footnote a drafter adds in Word is numbered in sequence."""
        style = self.style_id("footnote_reference")
        _text_run(parent, "(", style=style, deleted=deleted)
        ref = etree.SubElement(_text_run(parent, "", style=style), tag)
        if tag == _FOOTNOTE_REFERENCE:
            ref.set(_ID, str(number))
        _text_run(parent, ")", style=style, deleted=deleted)

    # header block and front matter --------------------------------------------------------

    def header_block(self, doc: Document) -> None:
        """Fill the reference's header table: "{party_name}" and the other template variables."""
        meta = doc.meta
        values = {
            "superior_body": meta.superior_body,
            "issuing_body": meta.issuing_body,
            "number_line": doc.front["number_line"],
            "party_name": meta.party_name,
            "date_line": doc.front["date_line"],
        }
        for p in list(self.header_table.iter(_P)):
            text = "".join(t.text or "" for t in p.iter(_T))
            if not _FIELD.search(text):
                continue
            filled = _FIELD.sub(lambda m: self._field(values, m.group(1)), text)
            if not filled.strip() and _FIELD.sub("", text).strip() == "" and len(p.getparent()) > 2:
                # A field left empty (no superior body) takes no line in its cell.
                p.getparent().remove(p)
            else:
                _replace_text(p, filled)

    def _field(self, values: dict[str, str], name: str) -> str:
        if name not in values:
            raise DhcError(
                [
                    reference_error(
                        self.reference,
                        f"Trường “{{{name}}}” trong bảng tiêu đề của tài liệu mẫu không tồn tại; "
                        "các trường hợp lệ: " + ", ".join("{" + f + "}" for f in HEADER_FIELDS) + ".",
                    )
                ]
            )
        return values[name]

    def front_matter(self, doc: Document) -> None:
        for block in doc.front_blocks:
            self.paragraph(block.kind, block.runs, change=block.change)

    # body ---------------------------------------------------------------------------------

    def block(self, block: Block, last: bool = False) -> None:
        change = block.change
        if block.kind == "part":
            self.text("part", block.label, change)
            self.paragraph("part_title", block.title_runs, change=change)
        elif block.kind == "appendix":
            # An appendix starts on a new page: its label as a document type, its title under it.
            _page_break_before(self.text("document_type", block.label))
            if block.title_runs:
                self.paragraph("summary", block.title_runs)
        elif block.kind == "note":
            self.paragraph("note", block.title_runs, change=change)
        elif block.kind == "heading":
            kind = "item_heading" if block.label.startswith("(") else "heading"
            self.paragraph(kind, block.title_runs, block.label, block.depth, change=change)
        elif block.kind == "table":
            assert block.table is not None
            self.table(block.table)
        elif block.kind in ("paragraph", "closing"):
            # The paragraph before the signature keeps with it, so the signature never stands alone.
            kind = "closing" if last or block.kind == "closing" else "paragraph"
            self.paragraph(kind, block.runs, emphasis=block.style, change=change)
        else:
            self.paragraph(block.kind, block.runs, block.label, change=change)

    # tables and page orientation ---------------------------------------------------------

    def table(self, table: Table) -> None:
        """A bordered table over the text width: the header row repeats on every page, a group
        row spans every column, cells take the table styles and each column its alignment."""
        widths = _split(self._text_width(), table.widths)
        tbl = self._new(qn("w:tbl"))
        props = etree.SubElement(tbl, qn("w:tblPr"))
        etree.SubElement(props, qn("w:tblW"), {_W: str(sum(widths)), _TYPE: "dxa"})
        borders = etree.SubElement(props, qn("w:tblBorders"))
        for side in _BORDER_SIDES:
            etree.SubElement(borders, qn("w:" + side), _BORDER)
        etree.SubElement(props, qn("w:tblLayout"), {_TYPE: "fixed"})
        margins = etree.SubElement(props, qn("w:tblCellMar"))
        for side in ("left", "right"):
            etree.SubElement(margins, qn("w:" + side), {_W: "85", _TYPE: "dxa"})
        grid = etree.SubElement(tbl, qn("w:tblGrid"))
        for width in widths:
            etree.SubElement(grid, qn("w:gridCol"), {_W: str(width)})
        self._row(tbl, table.header, widths, ["center"] * len(widths), "table_heading", header=True)
        for row in table.rows:
            if row.group:
                self._row(tbl, row.cells, [sum(widths)], ["left"], "table_group", span=len(widths))
            else:
                self._row(tbl, row.cells, widths, table.align, "table_text", indent=row.indent)
        # Word needs a paragraph between a table and whatever follows it
        self.paragraph("table_after", [])

    def _row(
        self, tbl: Any, cells: list[list[list[Run]]], widths: list[int], align: list[str], kind: str, **options: Any
    ) -> None:
        tr = etree.SubElement(tbl, qn("w:tr"))
        props = etree.SubElement(tr, qn("w:trPr"))
        etree.SubElement(props, qn("w:cantSplit"))
        if options.get("header"):
            etree.SubElement(props, qn("w:tblHeader"))
        for paragraphs, width, alignment in zip(cells, widths, align, strict=True):
            tc = etree.SubElement(tr, qn("w:tc"))
            cell_props = etree.SubElement(tc, qn("w:tcPr"))
            etree.SubElement(cell_props, qn("w:tcW"), {_W: str(width), _TYPE: "dxa"})
            if options.get("span"):
                etree.SubElement(cell_props, qn("w:gridSpan"), {_VAL: str(options["span"])})
            for runs in paragraphs or [[]]:
                p = etree.SubElement(tc, _P)
                _set_style(p, self.style_id(kind))
                if alignment != "left":
                    etree.SubElement(p[0], qn("w:jc"), {_VAL: alignment})
                elif options.get("indent"):  # a row below another (a part of a whole): its text cells indented
                    etree.SubElement(p[0], qn("w:ind"), {qn("w:left"): str(INDENT_TWIPS * options["indent"])})
                self.runs(p, runs)

    def _text_width(self) -> int:
        """The width between the margins, in twips."""
        size, margins = self.sect.find(qn("w:pgSz")), self.sect.find(qn("w:pgMar"))
        return int(size.get(_W)) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))

    def landscape(self) -> None:
        """Turn the pages to landscape; the margins stay on the same sides of the text."""
        size = self.sect.find(qn("w:pgSz"))
        width, height = size.get(_W), size.get(qn("w:h"))
        if int(width) < int(height):
            size.set(_W, height)
            size.set(qn("w:h"), width)
        size.set(qn("w:orient"), "landscape")

    def signature(self, doc: Document) -> None:
        sig = doc.meta.signature
        self.text("signature_authority", f"{sig.on_behalf} {sig.authority}".strip())
        if sig.title:
            self.text("signature_title", sig.title)
        if sig.name:
            self.text("signature_name", sig.name)

    # footnotes ----------------------------------------------------------------------------

    def footnotes(self, doc: Document) -> None:
        for note in doc.footnotes:
            element = etree.SubElement(self.notes, qn("w:footnote"), {_ID: str(note.number)})
            for i, paragraph in enumerate(note.paragraphs):
                change = note.marks[i] if i < len(note.marks) else None
                p = etree.SubElement(element, _P)
                style = self.style_id("footnote_text")
                props = etree.SubElement(p, _PPR)
                if style is not None:
                    etree.SubElement(props, _PSTYLE, {_VAL: style})
                if i == 0:
                    into = self._open(p, change)
                    self._mark(into, _FOOTNOTE_REF, note.number, _deletes(change))
                    _text_run(into, " ", deleted=_deletes(change))
                    self._close(p, change, into)
                self.runs(p, paragraph)
                if change is not None:
                    self.mark_paragraph(p, change)

    # output -------------------------------------------------------------------------------

    def finish(self, doc: Document) -> bytes:
        """The package: the filled parts serialized, every other member as prepared."""
        self._close_moves()
        when = build_time(doc.meta.date)
        filled = {"document": self.document, "footnotes": self.notes, "core": self._core(doc)}
        members = [
            member if isinstance(member, Deflated) else deflate(member[0], serialize(filled[member[1]]))
            for member in self.prepared.members
        ]
        return zip_archive(members, when)

    def _core(self, doc: Document) -> Any:
        """The core properties: title, author, the dhc marker, and the build time for every date."""
        root = parse(self.prepared.parts["core"])
        when = build_time(doc.meta.date).replace(tzinfo=dt.UTC)
        # Word's core properties hold at most 255 characters each
        set_core(root, "dc:title", f"{doc.meta.document_type} {doc.meta.summary}".strip()[:255])
        set_core(root, "dc:creator", doc.meta.issuing_body[:255])
        set_core(root, "cp:lastModifiedBy", doc.meta.issuing_body[:255])
        set_core(root, "dc:subject", doc.meta.draft_label[:255])
        set_core(root, "cp:category", MARKER_DOCX)
        set_core(root, "dc:description", "")
        set_core(root, "cp:keywords", "")
        set_core(root, "cp:revision", "1")
        for tag in ("dcterms:created", "dcterms:modified", "cp:lastPrinted"):
            set_core(root, tag, when)
        return root


def _deletes(change: Change | None) -> bool:
    """Whether the runs of `change` are deleted text (w:delText rather than w:t)."""
    return change is not None and change.kind == DELETED


def _text_run(
    parent: Any,
    text: str,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
    strike: bool = False,
    deleted: bool = False,
) -> Any:
    """A w:r at the end of `parent` holding `text` (tabs and line breaks become w:tab and w:br)."""
    return _fill_run(etree.SubElement(parent, _R), text, bold, italic, style, strike, deleted)


def _fill_run(r: Any, text: str, bold: bool, italic: bool, style: str | None, strike: bool, deleted: bool) -> Any:
    if style or bold or italic or strike:
        props = etree.SubElement(r, _RPR)
        if style:
            etree.SubElement(props, _RSTYLE, {_VAL: style})
        if bold:
            etree.SubElement(props, _B)
        if italic:
            etree.SubElement(props, _I)
        if strike:
            etree.SubElement(props, _STRIKE)
    if not text:
        return r
    tag = _DEL_TEXT if deleted else _T
    if "\t" in text or "\n" in text:
        _add_broken_text(r, text, tag)
        return r
    t = etree.SubElement(r, tag)
    t.text = text
    if text[:1].isspace() or text[-1:].isspace() or "  " in text:
        t.set(_XML_SPACE, "preserve")
    return r


def _add_broken_text(r: Any, text: str, tag: str) -> None:
    """Text with tabs or line breaks: a w:tab for each tab, a w:br for each \\n or \\r, the
    text between them in `tag` elements (spaces kept where it starts or ends with one)."""
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            etree.SubElement(r, _TAB)
        elif piece in ("\r", "\n"):
            etree.SubElement(r, _BR)
        elif piece:
            t = etree.SubElement(r, tag)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_XML_SPACE, "preserve")


def _split(width: int, shares: list[int]) -> list[int]:
    """`width` split in proportion to `shares`, in whole twips that add up to `width`."""
    total, cumulative, edges = sum(shares), 0, [0]
    for share in shares:
        cumulative += share
        edges.append(round(width * cumulative / total))
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


def _set_style(p: Any, style_id: str | None) -> None:
    """Give a new, empty w:p its paragraph style."""
    if style_id is None:
        return
    etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE, {_VAL: style_id})


def _page_break_before(p: Any) -> None:
    etree.SubElement(p.find(_PPR), qn("w:pageBreakBefore"))


def _replace_text(p: Any, text: str) -> None:
    """Replace a paragraph's runs by one run with `text`, keeping the first run's formatting.

    The new run is made apart from the document and the formatting copied into it before
    it joins the paragraph, so that namespace declarations land where they always have."""
    runs = p.findall(_R)
    props = runs[0].find(_RPR) if runs else None
    for child in list(p):
        if child.tag != _PPR:
            p.remove(child)
    r = _fill_run(etree.Element(_R, nsmap=W_NSMAP), text, False, False, None, False, False)
    if props is not None:
        r.insert(0, copy.deepcopy(props))
    p.append(r)
