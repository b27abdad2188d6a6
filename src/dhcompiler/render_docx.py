"""Render the laid-out document to .docx on the styles of a reference document, with real footnotes.

Only this module imports python-docx. Every font, size, margin and spacing comes from the
named styles of the reference document (templates/reference.docx); this code only picks
which style each paragraph gets.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from docx import Document as open_docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement

from dhcompiler.document import Block, Document
from dhcompiler.findings import DhcError, Finding
from dhcompiler.prose import Run
from dhcompiler.write import MARKER_DOCX, build_time, normalize_zip

REFERENCE = "reference.docx"

# Which named style of the reference document each kind of paragraph takes.
STYLES = {
    "part": "Part Label",
    "part_title": "Part Title",
    "note": "Note Heading",
    "heading": ["Heading 2", "Heading 2", "Heading 3", "Heading 4", "Heading 5"],
    "item_heading": "Item Heading",
    "paragraph": "Body Text",
    "item": "Item",
    "bullet": "Bullet",
    "lead": "Lead",
    "lesson": "Lesson",
    "indicator": "Indicator",
    "block_title": "Block Title",
    "theme": "Theme",
    "motto": "Motto",
    "draft_label": "Draft Label",
    "document_type": "Document Type",
    "summary": "Summary",
    "signature_authority": "Signature Authority",
    "signature_title": "Signature Title",
    "signature_name": "Signature Name",
    "footnote_text": "Footnote Text",
    "footnote_reference": "Footnote Reference",
}

_SEPARATORS = (
    f'<w:footnotes {nsdecls("w")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def render_docx(doc: Document, templates: Path, reference: Path | None = None) -> bytes:
    """The whole report as .docx bytes, deterministic for the same input."""
    writer = DocxWriter(reference or templates / REFERENCE)
    writer.front_matter(doc)
    for block in doc.blocks:
        writer.block(block)
    writer.signature(doc)
    writer.footnotes(doc)
    return writer.finish(doc)


class DocxWriter:
    """Appends paragraphs to a copy of the reference document."""

    def __init__(self, reference: Path):
        try:
            self.docx = open_docx(str(reference))
        except Exception as exc:  # python-docx raises several kinds for a bad file
            raise DhcError([Finding(str(reference), 1, 1, "DH033",
                                    f"Không mở được tài liệu mẫu .docx: {exc}.")]) from None
        body = self.docx.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.styles = {s.name for s in self.docx.styles}
        self.notes = self._footnotes_part()

    # paragraphs ---------------------------------------------------------------------------

    def style(self, kind: str, depth: int = 0) -> str | None:
        name = STYLES[kind]
        if isinstance(name, list):
            name = name[min(depth, len(name) - 1)]
        return name if name in self.styles else None

    def paragraph(self, kind: str, runs: list[Run], label: str = "", depth: int = 0) -> Any:
        para = self.docx.add_paragraph(style=self.style(kind, depth))
        if label:
            para.add_run(label + " ")
        self.runs(para, runs)
        return para

    def text(self, kind: str, text: str, bold: bool = False, italic: bool = False) -> Any:
        return self.paragraph(kind, [Run(text, bold, italic)])

    def runs(self, para: Any, runs: list[Run]) -> None:
        for run in runs:
            if run.footnote is not None:
                para._p.append(self._reference(run.footnote))
                continue
            if not run.text:
                continue
            r = para.add_run(run.text)
            if run.bold:
                r.bold = True
            if run.italic:
                r.italic = True

    def _reference(self, number: int) -> Any:
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), self._style_id("footnote_reference"))
        props.append(style)
        run.append(props)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:customMarkFollows"), "1")
        ref.set(qn("w:id"), str(number))
        run.append(ref)
        mark = OxmlElement("w:t")
        mark.text = f"({number})"
        run.append(mark)
        return run

    def _style_id(self, kind: str) -> str:
        name = self.style(kind)
        if name is None:
            return "FootnoteReference"
        return self.docx.styles[name].style_id

    # blocks -------------------------------------------------------------------------------

    def front_matter(self, doc: Document) -> None:
        meta = doc.meta
        for line in (meta.superior_body, meta.issuing_body, "*", doc.front["number_line"], meta.party_name,
                     doc.front["date_line"]):
            self.text("paragraph", line)
        if doc.front["draft_label"]:
            self.text("draft_label", doc.front["draft_label"])
        self.text("document_type", meta.document_type)
        if meta.summary:
            self.text("summary", meta.summary)
        self.text("block_title", meta.theme.title)
        self.paragraph("theme", [*doc.theme, Run(" " + doc.front["theme_count"])])
        self.text("block_title", meta.motto.title)
        self.paragraph("motto", doc.motto)

    def block(self, block: Block) -> None:
        if block.kind == "part":
            self.text("part", block.label)
            self.paragraph("part_title", block.title_runs)
        elif block.kind == "note":
            self.paragraph("note", block.title_runs)
        elif block.kind == "heading":
            kind = "item_heading" if block.label.startswith("(") else "heading"
            self.paragraph(kind, block.title_runs, block.label, block.depth)
        elif block.kind in ("paragraph", "closing"):
            para = self.paragraph("paragraph", block.runs)
            if block.style != "normal":
                for r in para.runs:
                    setattr(r, block.style, True)
        else:
            self.paragraph(block.kind, block.runs, block.label)

    def signature(self, doc: Document) -> None:
        sig = doc.meta.signature
        authority = f"{sig.on_behalf} {sig.authority}".strip()
        self.text("signature_authority", authority)
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
        self._declare_separators()
        return part.element

    def _declare_separators(self) -> None:
        settings = self.docx.settings.element
        if settings.find(qn("w:footnotePr")) is None:
            props = parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
            settings.append(props)

    def footnotes(self, doc: Document) -> None:
        for note in doc.footnotes:
            element = OxmlElement("w:footnote")
            element.set(qn("w:id"), str(note.number))
            for i, paragraph in enumerate(note.paragraphs):
                para = self.docx.add_paragraph(style=self.style("footnote_text"))
                if i == 0:
                    mark = para.add_run(f"({note.number})")
                    mark.style = self.docx.styles[self.style("footnote_reference")] if self.style("footnote_reference") else None
                    para.add_run(" ")
                self.runs(para, paragraph)
                p = para._p
                p.getparent().remove(p)
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


