"""Render the laid-out document to .docx on the styles of a reference document, with real footnotes.

Only this module imports python-docx. Every font, size, margin and spacing comes from the
reference document (templates/reference.docx): its named styles, its page setup and page
header, and its header-block table. This code only picks which style each paragraph gets
and fills the header block's template variables ("{party_name}", …).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement
from docx.text.run import Run as DocxRun

from dhcompiler.document import Block, Document, Table
from dhcompiler.findings import DhcError, Finding
from dhcompiler.prose import Run
from dhcompiler.write import MARKER_DOCX, build_time, normalize_zip
from dhcompiler.zipguard import ZipLimit, read_reference

REFERENCE = "reference.docx"

# python-docx has no footnotes part of its own: read the reference's footnotes.xml as XML.
PartFactory.part_type_for.setdefault(CT.WML_FOOTNOTES, XmlPart)

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

# The template variables of the header-block table in the reference document.
HEADER_FIELDS = ("superior_body", "issuing_body", "number_line", "party_name", "date_line")
_FIELD = re.compile(r"\{(\w+)\}")

_TABLE = (
    '<w:tbl {ns}><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
    '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid></w:tbl>"
)
_TABLE_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)

_SEPARATORS = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def render_docx(doc: Document, templates: Path, reference: Path | None = None) -> bytes:
    """The whole report as .docx bytes, deterministic for the same input."""
    writer = DocxWriter(reference or templates / REFERENCE)
    if doc.landscape:
        writer.landscape()
    writer.header_block(doc)
    writer.front_matter(doc)
    for i, block in enumerate(doc.blocks):
        writer.block(block, last=doc.signature and i == len(doc.blocks) - 1)
    if doc.signature:
        writer.signature(doc)
    writer.footnotes(doc)
    return writer.finish(doc)


def _reference_error(reference: Path, message: str) -> Finding:
    return Finding(str(reference), 1, 1, "DH033", message)


class DocxWriter:
    """Appends paragraphs to a copy of the reference document, keeping its page setup."""

    def __init__(self, reference: Path):
        self.reference = reference
        try:
            self.docx = open_docx(io.BytesIO(read_reference(reference)))
        except ZipLimit as exc:
            raise DhcError([_reference_error(reference, f"Tài liệu mẫu .docx bị từ chối: {exc}.")]) from None
        except Exception as exc:  # python-docx raises several kinds for a bad file
            raise DhcError([_reference_error(reference, f"Không mở được tài liệu mẫu .docx: {exc}.")]) from None
        self.missing: dict[str, Finding] = {}  # styles needed only by what uses them (tables)
        self.ids = self._style_ids()
        body = self.docx.element.body
        self.sect = body.find(qn("w:sectPr"))
        self.header_table = body.find(qn("w:tbl"))
        if self.header_table is None:
            raise DhcError(
                [
                    _reference_error(
                        reference,
                        "Tài liệu mẫu thiếu bảng tiêu đề (bảng hai cột có các trường "
                        + ", ".join("{" + f + "}" for f in HEADER_FIELDS)
                        + ").",
                    )
                ]
            )
        for child in list(body):
            if child is not self.sect and child is not self.header_table:
                body.remove(child)
        self.notes = self._footnotes_part()

    # styles -------------------------------------------------------------------------------

    def _style_ids(self) -> dict[str, str]:
        """Style name → style id for every style STYLES names; a missing one is an error."""
        found = {(s.name, s.type): s.style_id for s in self.docx.styles}
        ids: dict[str, str] = {}
        missing: list[Finding] = []
        for kind, names in STYLES.items():
            char = kind in CHARACTER_STYLES
            wanted = WD_STYLE_TYPE.CHARACTER if char else WD_STYLE_TYPE.PARAGRAPH
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
        return _reference_error(
            self.reference,
            f"Tài liệu mẫu thiếu {what} “{name}” (dùng cho {kind}); "
            "hãy thêm kiểu này hoặc dùng templates/reference.docx làm gốc.",
        )

    def style_id(self, kind: str, depth: int = 1) -> str:
        names = STYLES[kind]
        name = names if isinstance(names, str) else names[max(0, min(depth - 1, len(names) - 1))]
        if name in self.missing:
            raise DhcError([self.missing[name]])
        return self.ids[name]

    # paragraphs ---------------------------------------------------------------------------

    def _append(self, element: Any) -> None:
        if self.sect is not None:
            self.sect.addprevious(element)
        else:
            self.docx.element.body.append(element)

    def paragraph(self, kind: str, runs: list[Run], label: str = "", depth: int = 1, emphasis: str = "normal") -> Any:
        p = OxmlElement("w:p")
        _set_style(p, self.style_id(kind, depth))
        if label:
            p.append(_text_run(label + " "))
        self.runs(p, runs, emphasis)
        self._append(p)
        return p

    def text(self, kind: str, text: str) -> Any:
        return self.paragraph(kind, [Run(text)])

    def runs(self, p: Any, runs: list[Run], emphasis: str = "normal") -> None:
        for run in runs:
            if run.footnote is not None:
                p.extend(self._mark("w:footnoteReference", run.footnote))
            elif run.text:
                bold = run.bold or emphasis == "bold"
                italic = run.italic or emphasis == "italic"
                p.append(_text_run(run.text, bold, italic, strike=run.strike))

    def _mark(self, tag: str, number: int) -> list[Any]:
        """“(n)”: Word's own footnote number between parentheses, all in the footnote reference
        character style (superscript). The number stays automatic, so Word and LibreOffice both
        show it once, and a footnote a drafter adds in Word is numbered in sequence."""
        style = self.style_id("footnote_reference")
        run = _text_run("", style=style)
        ref = OxmlElement(tag)
        if tag == "w:footnoteReference":
            ref.set(qn("w:id"), str(number))
        run.append(ref)
        return [_text_run("(", style=style), run, _text_run(")", style=style)]

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
        for p in self.header_table.iter(qn("w:p")):
            text = "".join(t.text or "" for t in p.iter(qn("w:t")))
            if _FIELD.search(text):
                _replace_text(p, _FIELD.sub(lambda m: self._field(values, m.group(1)), text))

    def _field(self, values: dict[str, str], name: str) -> str:
        if name not in values:
            raise DhcError(
                [
                    _reference_error(
                        self.reference,
                        f"Trường “{{{name}}}” trong bảng tiêu đề của tài liệu mẫu không tồn tại; "
                        "các trường hợp lệ: " + ", ".join("{" + f + "}" for f in HEADER_FIELDS) + ".",
                    )
                ]
            )
        return values[name]

    def front_matter(self, doc: Document) -> None:
        for block in doc.front_blocks:
            self.paragraph(block.kind, block.runs)

    # body ---------------------------------------------------------------------------------

    def block(self, block: Block, last: bool = False) -> None:
        if block.kind == "part":
            self.text("part", block.label)
            self.paragraph("part_title", block.title_runs)
        elif block.kind == "note":
            self.paragraph("note", block.title_runs)
        elif block.kind == "heading":
            kind = "item_heading" if block.label.startswith("(") else "heading"
            self.paragraph(kind, block.title_runs, block.label, block.depth)
        elif block.kind == "table":
            assert block.table is not None
            self.table(block.table)
        elif block.kind in ("paragraph", "closing"):
            # The paragraph before the signature keeps with it, so the signature never stands alone.
            kind = "closing" if last or block.kind == "closing" else "paragraph"
            self.paragraph(kind, block.runs, emphasis=block.style)
        else:
            self.paragraph(block.kind, block.runs, block.label)

    # tables and page orientation ---------------------------------------------------------

    def table(self, table: Table) -> None:
        """A bordered table over the text width: the header row repeats on every page, a group
        row spans every column, cells take the table styles and each column its alignment."""
        widths = _split(self._text_width(), table.widths)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        tbl = parse_xml(_TABLE.format(ns=nsdecls("w"), width=sum(widths), borders=_TABLE_BORDERS, grid=grid))
        tbl.append(self._row(table.header, widths, ["center"] * len(widths), "table_heading", header=True))
        for row in table.rows:
            if row.group:
                tbl.append(self._row(row.cells, [sum(widths)], ["left"], "table_group", span=len(widths)))
            else:
                tbl.append(self._row(row.cells, widths, table.align, "table_text"))
        self._append(tbl)
        # Word needs a paragraph between a table and whatever follows it
        self.paragraph("table_after", [])

    def _row(self, cells: list[list[list[Run]]], widths: list[int], align: list[str], kind: str, **options: Any) -> Any:
        tr = OxmlElement("w:tr")
        header = "<w:tblHeader/>" if options.get("header") else ""
        tr.append(parse_xml(f"<w:trPr {nsdecls('w')}><w:cantSplit/>{header}</w:trPr>"))
        span = f'<w:gridSpan w:val="{options["span"]}"/>' if options.get("span") else ""
        for paragraphs, width, alignment in zip(cells, widths, align, strict=True):
            tc = parse_xml(f'<w:tc {nsdecls("w")}><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}</w:tcPr></w:tc>')
            for runs in paragraphs or [[]]:
                p = OxmlElement("w:p")
                _set_style(p, self.style_id(kind))
                if alignment != "left":
                    jc = OxmlElement("w:jc")
                    jc.set(qn("w:val"), alignment)
                    p[0].append(jc)
                self.runs(p, runs)
                tc.append(p)
            tr.append(tc)
        return tr

    def _text_width(self) -> int:
        """The width between the margins, in twips."""
        size, margins = self.sect.find(qn("w:pgSz")), self.sect.find(qn("w:pgMar"))
        return int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))

    def landscape(self) -> None:
        """Turn the pages to landscape; the margins stay on the same sides of the text."""
        size = self.sect.find(qn("w:pgSz"))
        width, height = size.get(qn("w:w")), size.get(qn("w:h"))
        if int(width) < int(height):
            size.set(qn("w:w"), height)
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

    def _footnotes_part(self) -> Any:
        main = self.docx.part
        for rel in main.rels.values():
            if rel.reltype == RT.FOOTNOTES:
                element = rel.target_part.element
                for note in list(element):
                    if int(note.get(qn("w:id"), "0")) > 0:
                        element.remove(note)
                return element
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_SEPARATORS), main.package)
        main.relate_to(part, RT.FOOTNOTES)
        settings = self.docx.settings.element
        if settings.find(qn("w:footnotePr")) is None:
            settings.append(
                parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
            )
        return part.element

    def footnotes(self, doc: Document) -> None:
        for note in doc.footnotes:
            element = OxmlElement("w:footnote")
            element.set(qn("w:id"), str(note.number))
            for i, paragraph in enumerate(note.paragraphs):
                p = OxmlElement("w:p")
                p.style = self.style_id("footnote_text")
                if i == 0:
                    p.extend(self._mark("w:footnoteRef", note.number))
                    p.append(_text_run(" "))
                self.runs(p, paragraph)
                element.append(p)
            self.notes.append(element)

    # output -------------------------------------------------------------------------------

    def finish(self, doc: Document) -> bytes:
        when = build_time(doc.meta.date)
        props = self.docx.core_properties
        props.title = f"{doc.meta.document_type} {doc.meta.summary}".strip()
        props.author = doc.meta.issuing_body
        props.last_modified_by = doc.meta.issuing_body
        props.subject = doc.meta.draft_label
        props.category = MARKER_DOCX
        props.comments = ""
        props.keywords = ""
        props.revision = 1
        props.created = when.replace(tzinfo=dt.UTC)
        props.modified = when.replace(tzinfo=dt.UTC)
        props.last_printed = when.replace(tzinfo=dt.UTC)
        buffer = io.BytesIO()
        self.docx.save(buffer)
        return normalize_zip(buffer.getvalue(), when)


def _text_run(
    text: str, bold: bool = False, italic: bool = False, style: str | None = None, strike: bool = False
) -> Any:
    """A w:r holding `text` (tabs and line breaks become w:tab and w:br)."""
    r = OxmlElement("w:r")
    run = DocxRun(r, None)  # type: ignore[arg-type]
    if style:
        r.style = style
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if strike:
        run.font.strike = True
    if not text:
        return r
    if "\t" in text or "\n" in text:
        r.text = text
        return r
    t = OxmlElement("w:t")  # the common case, without python-docx's character-by-character path
    t.text = text
    if text[:1].isspace() or text[-1:].isspace() or "  " in text:
        t.set(qn("xml:space"), "preserve")
    r.append(t)
    return r


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
    props = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    props.append(style)
    p.append(props)


def _replace_text(p: Any, text: str) -> None:
    """Replace a paragraph's runs by one run with `text`, keeping the first run's formatting."""
    runs = p.findall(qn("w:r"))
    props = runs[0].find(qn("w:rPr")) if runs else None
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    r = _text_run(text)
    if props is not None:
        r.insert(0, copy.deepcopy(props))
    p.append(r)
