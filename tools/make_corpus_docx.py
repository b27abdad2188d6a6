"""Generate tests/corpus/<name>/draft.docx from draft.txt, the same bytes every run.

The .txt is a draft as Word exports it to text (one paragraph a line, table rows with tabs,
footnote marks lost as "(" newline ")", footnote texts listed at the end as "(�) …"). This
script writes the Word document that export came from: real footnotes, real tables (a row
with fewer cells than the header spans its last cell over the rest), the header block as a
two-column table, and for some drafts Heading styles on the numbered headings (others carry
only typed numbers and direct bold). Options per draft are in OPTIONS below.

    .venv/bin/python tools/make_corpus_docx.py            # every draft under tests/corpus
    .venv/bin/python tools/make_corpus_docx.py 03-nghi-quyet-dai-hoi
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement

from dhcompiler.write import normalize_zip

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
WHEN = dt.datetime(2025, 1, 1, 0, 0, 0)
NOTE = re.compile(r"^\((\ufffd|\d{1,3})\)\s*")
PART = re.compile(r"^Phần thứ ", re.IGNORECASE)
ROMAN = re.compile(r"^[IVX]+\.\s")
ARABIC = re.compile(r"^(\d+)((?:\.\d+)*)\.?\s")
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Options:
    """How a draft was laid out in Word."""

    headings: bool = False  # Heading 1–4 styles on parts, Roman and Arabic headings
    header_table: bool = True  # the header block as a two-column table (as Word drafts have it)
    bold: tuple[str, ...] = ()  # paragraphs (by their first words) set in bold


OPTIONS = {
    "01-tinh-bao-cao-chinh-tri": Options(headings=True),
    "02-huyen-uy-khong-phan": Options(headings=False, header_table=False),
    "03-nghi-quyet-dai-hoi": Options(headings=False, bold=("QUYẾT NGHỊ",)),
    "04-bao-cao-kiem-diem": Options(headings=True, header_table=False),
    "05-chuong-trinh-hanh-dong": Options(headings=False),
    "06-phuong-bao-cao-phu-luc": Options(headings=True),
    "07-dang-uy-khoi-chu-de-dam": Options(headings=False, bold=("Nâng cao năng lực lãnh đạo, sức chiến",)),
    "08-xa-bang-ket-qua": Options(headings=False, header_table=False),
    "09-cong-an-noi-nhan": Options(headings=True),
    "10-chi-bo-phan-la-ma": Options(headings=False, header_table=False),
}


def split_draft(text: str) -> tuple[list[str], list[str]]:
    """Body lines (a footnote mark as \\x00) and the footnote texts listed at the end."""
    text = text.replace("(\n)", "\x00")
    lines = [line for line in text.split("\n") if line.strip()]
    start = len(lines)
    while start > 0 and NOTE.match(lines[start - 1]) and text.count("\x00") > len(lines) - start:
        start -= 1
    return lines[:start], [NOTE.sub("", line) for line in lines[start:]]


def header_size(lines: list[str]) -> int:
    """The header block: the lines up to and including the place and date."""
    return next(i for i, line in enumerate(lines) if ", ngày " in line and len(line) < 60) + 1


class Writer:
    """Appends paragraphs, tables and footnotes to a fresh python-docx document."""

    def __init__(self, options: Options):
        self.options = options
        self.doc = Document()
        self.notes = self._notes_part()
        self.count = 0

    def _notes_part(self) -> Any:
        xml = (
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
            "</w:p></w:footnote></w:footnotes>"
        )
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(xml), self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)
        return part.element

    def paragraph(self, text: str, notes: list[str], container: Any = None, bold: bool = False) -> Any:
        p = (container or self.doc).add_paragraph()
        style = self._heading(text)
        if style:
            p.style = self.doc.styles[style]
        pieces = text.split("\x00")
        for i, piece in enumerate(pieces):
            if piece:
                run = p.add_run(piece)
                if bold or any(text.startswith(b) for b in self.options.bold):
                    run.bold = True
            if i < len(pieces) - 1:
                self._footnote(p, notes.pop(0))
        return p

    def _heading(self, text: str) -> str | None:
        if not self.options.headings:
            return None
        if PART.match(text):
            return "Heading 1"
        if ROMAN.match(text) and text.split(" ", 1)[1][:1].isupper() and len(text) < 120:
            return "Heading 2"
        match = ARABIC.match(text)
        if match and len(text) < 100 and not text.rstrip().endswith("."):
            return f"Heading {min(3 + match.group(2).count('.'), 6)}"
        return None

    def _footnote(self, p: Any, text: str) -> None:
        self.count += 1
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        props.append(align)
        run.append(props)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(self.count))
        run.append(ref)
        p._p.append(run)
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{self.count}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
            '</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        t = OxmlElement("w:t")
        t.text = text
        r = OxmlElement("w:r")
        r.append(t)
        note.find(qn("w:p")).append(r)
        self.notes.append(note)

    def header(self, lines: list[str]) -> None:
        """Left column: bodies, “*”, number; right column: party name, place and date."""
        if not self.options.header_table:
            for line in lines:
                p = self.paragraph(line, [], bold=line == PARTY)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            return
        cut = lines.index(PARTY)
        table = self.doc.add_table(rows=1, cols=2)
        for cell, column in zip(table.rows[0].cells, (lines[:cut], lines[cut:]), strict=True):
            cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
            for line in column:
                p = self.paragraph(line, [], container=cell, bold=line == PARTY)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def table(self, rows: list[list[str]], notes: list[str]) -> None:
        width = max(len(r) for r in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        table.style = self.doc.styles["Table Grid"]
        for row, cells in zip(table.rows, rows, strict=True):
            if len(cells) < width:
                row.cells[len(cells) - 1].merge(row.cells[width - 1])
            for i, text in enumerate(cells):
                cell = row.cells[i]
                cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
                self.paragraph(text, notes, container=cell, bold=row is table.rows[0])

    def finish(self) -> bytes:
        props = self.doc.core_properties
        props.author = props.last_modified_by = "dhcompiler corpus"
        props.title = ""
        props.revision = 1
        props.created = props.modified = props.last_printed = WHEN.replace(tzinfo=dt.UTC)
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return normalize_zip(buffer.getvalue(), WHEN)


def make_docx(name: str, text: str) -> bytes:
    """The .docx of one draft."""
    body, notes = split_draft(text)
    writer = Writer(OPTIONS.get(name, Options()))
    size = header_size(body)
    writer.header(body[:size])
    i = size
    while i < len(body) and _title_line(body[i]):
        writer.paragraph(body[i], notes, bold=True).alignment = WD_ALIGN_PARAGRAPH.CENTER
        i += 1
    while i < len(body):
        if "\t" in body[i]:
            j = i
            while j < len(body) and "\t" in body[j]:
                j += 1
            writer.table([line.split("\t") for line in body[i:j]], notes)
            i = j
        else:
            writer.paragraph(body[i], notes)
            i += 1
    assert not notes, f"{name}: {len(notes)} footnotes without a mark"
    return writer.finish()


def _title_line(line: str) -> bool:
    """The draft label, the document's kind and its summary line, centred in bold under the header."""
    letters = [c for c in line if c.isalpha()]
    return line.startswith("“") or bool(letters) and all(c.isupper() for c in letters) and not ROMAN.match(line)


def main(names: list[str]) -> None:
    for folder in sorted(CORPUS.iterdir()):
        if not folder.is_dir() or (names and folder.name not in names):
            continue
        text = (folder / "draft.txt").read_text(encoding="utf-8")
        (folder / "draft.docx").write_bytes(make_docx(folder.name, text))
        print(f"{folder.name}/draft.docx")


if __name__ == "__main__":
    main(sys.argv[1:])
