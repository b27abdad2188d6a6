"""Render the laid-out document to .docx on the styles of a reference document, with real footnotes.

Only this package knows OOXML (python-docx is not imported). Every font, size, margin and
spacing comes from the reference document (templates/reference.docx): its named styles, its
page setup and page header, and its header-block table. This code only picks which style
each paragraph gets and fills the header block's template variables ("{party_name}", …).

The paragraphs and footnotes are written as XML text, parsed once with lxml and put into a
copy of the reference's body and footnotes. `reference.py` prepares the reference once (per
process, and across runs through `cache.py`); `package.py` reads and writes the OPC package.
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
from dhcompiler.prose import DELETED, INSERTED, Change, Run
from dhcompiler.render_docx.ns import nsdecls, qn
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

_P, _PPR, _R, _RPR, _T = (qn("w:" + n) for n in ("p", "pPr", "r", "rPr", "t"))
_W = qn("w:w")

# A tracked revision's element: around runs, and inside a paragraph mark's w:rPr.
REVISION_TAGS = {"ins": "w:ins", "del": "w:del", "move_from": "w:moveFrom", "move_to": "w:moveTo"}
# The named range that pairs the two ends of a move.
MOVE_RANGES = {"move_from": "w:moveFromRange", "move_to": "w:moveToRange"}

_TABLE_PROPERTIES = (
    '<w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:tblBorders>'
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="85" w:type="dxa"/>'
    '<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
)
_PAGE_BREAK_BEFORE = "<w:pageBreakBefore/>"

# Characters XML 1.0 cannot hold; lxml refuses them with its own error, as it always did here.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTRIBUTE_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), ('"', "&quot;"), ("\t", "&#9;"), ("\n", "&#10;"), ("\r", "&#13;"))
_LINE_BREAKS = re.compile("([\t\r\n])")
_FRAGMENT_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=True)


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
    """Writes the document's paragraphs and footnotes into a copy of the reference document."""

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
        # The XML of the body's new paragraphs and of the footnotes: text, and the places of
        # the moves' range ends (one-item lists, filled when the moves close).
        self.body_xml: list[Any] = []
        self.notes_xml: list[Any] = []
        self.tracking = Tracking("dhc", "")
        self.revision_ids = itertools.count(1)  # one sequence over the document and its footnotes
        self.moves: dict[tuple[str, str], tuple[int, list[str]]] = {}  # (kind, name) → range id, end's place

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

    def paragraph(
        self,
        kind: str,
        runs: list[Run],
        label: str = "",
        depth: int = 1,
        emphasis: str = "normal",
        change: Change | None = None,
        extra: str = "",
    ) -> None:
        """A paragraph of `kind`'s style; `change` marks its label and its paragraph mark as a
        revision; `extra` is XML added to its properties (a page break before it)."""
        style = self.style_id(kind, depth)
        lead = _run_xml(label + " ", deleted=_deletes(change)) if label else ""
        self.body_xml += self._paragraph(style, runs, lead, emphasis, change, extra)

    def text(self, kind: str, text: str, change: Change | None = None, extra: str = "") -> None:
        self.paragraph(kind, [Run(text)], change=change, extra=extra)

    def _paragraph(
        self,
        style: str | None,
        runs: list[Run],
        lead: str = "",
        emphasis: str = "normal",
        change: Change | None = None,
        extra: str = "",
        props: bool = False,
    ) -> list[Any]:
        """The XML pieces of a w:p: its properties (`style`, `extra`, the revision mark of
        `change`; none without these unless `props`), `lead` (a label, a footnote's number) in
        `change`'s revision element, then the runs."""
        content: list[Any] = []
        if lead:
            self._put(content, change, lead)
        self._runs(content, runs, emphasis)
        mark, tail = "", []
        if change is not None:  # the paragraph mark itself, so Accept or Reject leaves no empty paragraph
            mark = f"<w:rPr>{self._revision(REVISION_TAGS[change.kind])[1]}/></w:rPr>"
            tail = self._move_range(change, None)
        if style is not None:
            extra = f'<w:pStyle w:val="{_attribute(style)}"/>{extra}'
        if extra or mark or props:
            return ["<w:p><w:pPr>", extra, mark, "</w:pPr>", *content, *tail, "</w:p>"]
        return ["<w:p>", *content, *tail, "</w:p>"]

    def _runs(self, content: list[Any], runs: list[Run], emphasis: str = "normal") -> None:
        """Add `runs` to a paragraph's content; consecutive runs of one revision go in one revision element."""
        bold, italic = emphasis == "bold", emphasis == "italic"
        for change, group in itertools.groupby(runs, key=_change_of):
            deleted = _deletes(change)
            xml = "".join(
                self._mark("w:footnoteReference", run.footnote, deleted)
                if run.footnote is not None
                else _run_xml(run.text, run.bold or bold, run.italic or italic, None, run.strike, deleted)
                for run in group
                if run.footnote is not None or run.text
            )
            if xml:
                self._put(content, change, xml)

    # tracked revisions --------------------------------------------------------------------

    def _revision(self, tag: str) -> tuple[int, str]:
        """The next revision id, and the start tag of `tag` with it, its author and date, left open."""
        rid = next(self.revision_ids)
        date = f' w:date="{_attribute(self.tracking.date)}"' if self.tracking.date else ""
        return rid, f'<{tag} w:id="{rid}" w:author="{_attribute(self.tracking.author)}"{date}'

    def _put(self, content: list[Any], change: Change | None, xml: str) -> None:
        """Add runs' `xml` to a paragraph's content, in a w:ins / w:del / w:moveFrom / w:moveTo when `change`."""
        if change is None:
            content.append(xml)
            return
        tag = REVISION_TAGS[change.kind]
        content += self._move_range(change, f"{self._revision(tag)[1]}>{xml}</{tag}>")

    def _move_range(self, change: Change, piece: str | None) -> list[Any]:
        """A revision's `piece` (runs in their revision element; None for a paragraph mark, whose
        range pieces go at the paragraph's end). For a move: its named range starts before its
        first piece, and each piece is followed by the place of the range's end, filled when the
        moves close if the piece is still the move's last."""
        pieces = [piece] if piece is not None else []
        if change.kind not in MOVE_RANGES:
            return pieces
        key, place = (change.kind, change.move), [""]
        if key in self.moves:
            self.moves[key] = (self.moves[key][0], place)
            return [*pieces, place]
        range_id, start = self._revision(MOVE_RANGES[change.kind] + "Start")
        self.moves[key] = (range_id, place)
        start += f' w:name="{_attribute(change.move)}"/>'
        return [start, *pieces, place]

    def _close_moves(self) -> None:
        for (kind, _name), (range_id, place) in self.moves.items():
            place[0] = f'<{MOVE_RANGES[kind]}End w:id="{range_id}"/>'
        self.moves = {}

    def _mark(self, tag: str, number: int, deleted: bool = False) -> str:
        """“(n)”: Word's own footnote number between parentheses, all in the footnote reference
        character style (superscript). The number stays automatic, so Word and LibreOffice both
        show it once, and a footnote a drafter adds in Word is numbered in sequence."""
        style = self.style_id("footnote_reference")
        number_id = f' w:id="{number}"' if tag == "w:footnoteReference" else ""
        props = _run_properties(False, False, style, False) if style else ""
        reference = f"<w:r>{props}<{tag}{number_id}/></w:r>"
        return _run_xml("(", style=style, deleted=deleted) + reference + _run_xml(")", style=style, deleted=deleted)

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
            revised = [name for name in _FIELD.findall(text) if name in doc.revised]
            # a line of fields only, in a cell with other lines: it may be left out
            optional = _FIELD.sub("", text).strip() == "" and len(p.getparent()) > 2
            if revised:
                _replace_runs(p, self._revised_line(text, values, doc.revised))
                if optional:  # a line that only one side has (a superior body added or dropped): its mark too
                    self._mark_line(p, [r for name in revised for r in doc.revised[name]])
            elif optional and not filled.strip():
                # A field left empty (no superior body) takes no line in its cell.
                p.getparent().remove(p)
            else:
                _replace_text(p, filled)

    def _mark_line(self, p: Any, runs: list[Run]) -> None:
        """Mark the paragraph mark of a line that only OLD (or only NEW) has as deleted (inserted),
        so that Accept All or Reject All leaves no empty line, as the builds of the two sides."""
        kind = _one_side(runs)
        if kind is None:
            return
        ppr = p.find(_PPR)
        if ppr is None:
            ppr = etree.Element(_PPR)
            p.insert(0, ppr)
        rpr = ppr.find(_RPR)
        if rpr is None:
            rpr = etree.SubElement(ppr, _RPR)
        rpr.insert(0, _parse_pieces([self._revision(REVISION_TAGS[kind])[1] + "/>"])[0])

    def _revised_line(self, text: str, values: dict[str, str], revised: dict[str, list[Run]]) -> list[Any]:
        """The XML pieces of a header line whose fields changed: its literal text as it is, each
        field as its value, a changed one with its tracked revisions."""
        content: list[Any] = []
        position = 0
        for match in _FIELD.finditer(text):
            literal = text[position : match.start()]
            if literal:
                content.append(_run_xml(literal))
            name = match.group(1)
            if name in revised:
                self._runs(content, revised[name])
            else:
                content.append(_run_xml(self._field(values, name)))
            position = match.end()
        if text[position:]:
            content.append(_run_xml(text[position:]))
        return content

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
            # Its label is a paragraph of its own: in a redline, in the part's revision too.
            self.paragraph("part", [Run(block.label, change=change)], change=change)
            self.paragraph("part_title", block.title_runs, change=change)
        elif block.kind == "appendix":
            # An appendix starts on a new page: its label as a document type, its title under it.
            self.text("document_type", block.label, extra=_PAGE_BREAK_BEFORE)
            if block.title_runs:
                self.paragraph("summary", block.title_runs)
        elif block.kind == "note":
            self.paragraph("note", block.title_runs, change=change)
        elif block.kind == "heading":
            kind = "item_heading" if block.label.startswith("(") else "heading"
            self.paragraph(kind, block.title_runs, block.label, block.depth, change=change)
        elif block.kind == "table":
            assert block.table is not None
            self.table(block.table, change)
        elif block.kind in ("paragraph", "closing"):
            # The paragraph before the signature keeps with it, so the signature never stands alone.
            kind = "closing" if last or block.kind == "closing" else "paragraph"
            self.paragraph(kind, block.runs, emphasis=block.style, change=change)
        else:
            self.paragraph(block.kind, block.runs, block.label, change=change)

    # tables and page orientation ---------------------------------------------------------

    def table(self, table: Table, change: Change | None = None) -> None:
        """A bordered table over the text width: the header row repeats on every page, a group
        row spans every column, cells take the table styles and each column its alignment.
        In a redline, a row inserted or deleted is marked in its properties, and `change` marks
        the paragraph after the table (a whole table inserted or deleted)."""
        widths = _split(self._text_width(), table.widths)
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        xml: list[Any] = ["<w:tbl>", _TABLE_PROPERTIES.format(width=sum(widths)), f"<w:tblGrid>{grid}</w:tblGrid>"]
        header = ["center"] * len(widths)
        self._row(xml, table.header, widths, header, "table_heading", header=True, change=table.header_change)
        for row in table.rows:
            if row.group:
                self._row(xml, row.cells, [sum(widths)], ["left"], "table_group", span=len(widths), change=row.change)
            else:
                self._row(xml, row.cells, widths, table.align, "table_text", indent=row.indent, change=row.change)
        self.body_xml += [*xml, "</w:tbl>"]
        # Word needs a paragraph between a table and whatever follows it
        self.paragraph("table_after", [], change=change)

    def _row(
        self,
        xml: list[Any],
        cells: list[list[list[Run]]],
        widths: list[int],
        align: list[str],
        kind: str,
        **options: Any,
    ) -> None:
        properties = "<w:cantSplit/>" + ("<w:tblHeader/>" if options.get("header") else "")
        if options.get("change") is not None:  # the row itself inserted or deleted (w:trPr holds no move)
            properties += self._revision("w:del" if options["change"].removes else "w:ins")[1] + "/>"
        xml.append(f"<w:tr><w:trPr>{properties}</w:trPr>")
        span = f'<w:gridSpan w:val="{options["span"]}"/>' if options.get("span") else ""
        for paragraphs, width, alignment in zip(cells, widths, align, strict=True):
            xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}</w:tcPr>')
            for runs in paragraphs or [[]]:
                style = self.style_id(kind)
                if alignment != "left":
                    extra = f'<w:jc w:val="{_attribute(alignment)}"/>'
                elif options.get("indent"):  # a row below another (a part of a whole): its text cells indented
                    extra = f'<w:ind w:left="{INDENT_TWIPS * options["indent"]}"/>'
                else:
                    extra = ""
                xml += self._paragraph(style, runs, extra=extra)
            xml.append("</w:tc>")
        xml.append("</w:tr>")

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
        lines = {
            "signature_authority": f"{sig.on_behalf} {sig.authority}".strip(),
            "signature_title": sig.title,
            "signature_name": sig.name,
        }
        for kind, text in lines.items():
            if kind in doc.revised:  # a redline: the line with its revisions, even if NEW left it empty
                runs = doc.revised[kind]
                side = _one_side(runs) if kind != "signature_authority" else None
                self.paragraph(kind, runs, change=Change(side) if side else None)
            elif text or kind == "signature_authority":
                self.text(kind, text)

    # footnotes ----------------------------------------------------------------------------

    def footnotes(self, doc: Document) -> None:
        for note in doc.footnotes:
            self.notes_xml.append(f'<w:footnote w:id="{note.number}">')
            for i, paragraph in enumerate(note.paragraphs):
                change = note.marks[i] if i < len(note.marks) else None
                style = self.style_id("footnote_text")
                lead = ""
                if i == 0:
                    deleted = _deletes(change)
                    lead = self._mark("w:footnoteRef", note.number, deleted) + _run_xml(" ", deleted=deleted)
                self.notes_xml += self._paragraph(style, paragraph, lead, change=change, props=True)
            self.notes_xml.append("</w:footnote>")

    # output -------------------------------------------------------------------------------

    def finish(self, doc: Document) -> bytes:
        """The package: the new paragraphs and footnotes put in place, the filled parts
        serialized, every other member as prepared."""
        self._close_moves()
        new = _parse_pieces(self.body_xml)
        if self.sect is not None:
            for element in new:
                self.sect.addprevious(element)
        else:
            self.body.extend(new)
        self.notes.extend(_parse_pieces(self.notes_xml))
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


def _one_side(runs: list[Run]) -> str | None:
    """INSERTED when only NEW has text among `runs`, DELETED when only OLD has; else None."""
    old = "".join(r.text for r in runs if r.change is None or r.change.kind != INSERTED).strip()
    new = "".join(r.text for r in runs if r.change is None or r.change.kind != DELETED).strip()
    if old and not new:
        return DELETED
    if new and not old:
        return INSERTED
    return None


def _change_of(run: Run) -> Change | None:
    return run.change


def _deletes(change: Change | None) -> bool:
    """Whether the runs of `change` are deleted text (w:delText rather than w:t)."""
    return change is not None and change.kind == DELETED


def _run_xml(
    text: str,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
    strike: bool = False,
    deleted: bool = False,
) -> str:
    """A w:r holding `text` (tabs and line breaks become w:tab and w:br), in w:delText when `deleted`."""
    props = _run_properties(bold, italic, style, strike) if style or bold or italic or strike else ""
    if not text:
        return f"<w:r>{props}</w:r>"
    tag = "w:delText" if deleted else "w:t"
    if "\t" in text or "\n" in text:
        return f"<w:r>{props}{_broken_text(text, tag)}</w:r>"
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() or "  " in text else ""
    return f"<w:r>{props}<{tag}{space}>{_text(text)}</{tag}></w:r>"


def _run_properties(bold: bool, italic: bool, style: str | None, strike: bool) -> str:
    style_xml = f'<w:rStyle w:val="{_attribute(style)}"/>' if style else ""
    flags = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + ("<w:strike/>" if strike else "")
    return f"<w:rPr>{style_xml}{flags}</w:rPr>"


def _broken_text(text: str, tag: str) -> str:
    """Text with tabs or line breaks: a w:tab for each tab, a w:br for each \\n or \\r, the
    text between them in `tag` elements (spaces kept where one starts or ends with a space)."""
    out = []
    for piece in _LINE_BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<{tag}{space}>{_text(piece)}</{tag}>")
    return "".join(out)


def _text(text: str) -> str:
    """`text` as XML character data: markup escaped, a carriage return kept as one."""
    _check_xml(text)
    if "&" in text or "<" in text or ">" in text or "\r" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text


def _attribute(value: str) -> str:
    """`value` as an XML attribute value between double quotes, white space kept as it is."""
    _check_xml(value)
    for raw, escaped in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        ('"', "&quot;"),
        ("\t", "&#9;"),
        ("\n", "&#10;"),
        ("\r", "&#13;"),
    ):
        if raw in value:
            value = value.replace(raw, escaped)
    return value


def _check_xml(text: str) -> None:
    """Refuse what XML cannot hold with lxml's own error, raised by lxml itself."""
    if _NOT_XML.search(text):
        etree.Element(_T).text = text


def _parse_pieces(pieces: list[Any]) -> list[Any]:
    """The elements written as XML `pieces` (text, and filled places of range ends)."""
    xml = "".join(piece if isinstance(piece, str) else piece[0] for piece in pieces)
    if not xml:
        return []
    return list(etree.fromstring(f"<w:body {nsdecls('w')}>{xml}</w:body>".encode(), _FRAGMENT_PARSER))


def _split(width: int, shares: list[int]) -> list[int]:
    """`width` split in proportion to `shares`, in whole twips that add up to `width`."""
    total, cumulative, edges = sum(shares), 0, [0]
    for share in shares:
        cumulative += share
        edges.append(round(width * cumulative / total))
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


def _replace_runs(p: Any, pieces: list[Any]) -> None:
    """Replace a paragraph's runs by the runs (and revision elements) of XML `pieces`, each run
    without formatting of its own taking the first old run's.

    The new runs are made apart from the document and the formatting copied into them before
    they join the paragraph, so that namespace declarations land where they always have."""
    runs = p.findall(_R)
    props = runs[0].find(_RPR) if runs else None
    for child in list(p):
        if child.tag != _PPR:
            p.remove(child)
    for element in _parse_pieces(pieces):
        if props is not None:
            for r in [element] if element.tag == _R else element.iter(_R):
                if r.find(_RPR) is None:
                    r.insert(0, copy.deepcopy(props))
        p.append(element)


def _replace_text(p: Any, text: str) -> None:
    """Replace a paragraph's runs by one run with `text`, keeping the first run's formatting."""
    _replace_runs(p, [_run_xml(text)])
