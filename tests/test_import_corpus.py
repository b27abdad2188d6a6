"""The regression corpus (tests/corpus/): drafts of other committees, imported as .txt and .docx.

Each draft's `expected.yaml` was written by hand from the draft. The import must recognise its
header, kind, theme, headings, appendix, indicators, footnotes and tables, list exactly the
review items expected, and the imported data, built again, must give back the words of the
draft (whitespace aside), but for the deviations its `expected.yaml` lists with their reason.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import yaml

from dhcompiler.document import Document, build_document
from dhcompiler.importers import import_file
from dhcompiler.importers.files import write_import
from dhcompiler.model import Report
from dhcompiler.prose import plain_text
from dhcompiler.render_docx import render_docx
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES
from seedtext import _paragraph_text

CORPUS = Path(__file__).parent / "corpus"
DRAFTS = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yaml").exists())
FORMATS = ("txt", "docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARK = "\x00"
NOTE = re.compile(r"^\((\ufffd|\d{1,3})\)\s*")

# What the importer does not do right yet, by (draft, aspect): these run as strict xfails,
# so a fix that makes one pass fails the suite until its line here is removed.
KNOWN: dict[tuple[str, str], str] = {}


@dataclass
class Imported:
    """A draft imported and laid out, with the review items of the import."""

    report: Report
    doc: Document
    review: list[str]
    docx: bytes


_CACHE: dict[tuple[str, str], Imported] = {}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


def imported(name: str, fmt: str, workdir: Path) -> Imported:
    if (name, fmt) not in _CACHE:
        result = import_file(CORPUS / name / f"draft.{fmt}")
        out = workdir / f"{name}-{fmt}"
        write_import(result, out)
        report = load_report(out)
        doc = build_document(report, DEFAULT_TEMPLATES)
        review = sorted(f.code for f in result.findings)
        _CACHE[name, fmt] = Imported(report, doc, review, render_docx(doc, DEFAULT_TEMPLATES))
    return _CACHE[name, fmt]


def expected(name: str) -> dict[str, Any]:
    return yaml.safe_load((CORPUS / name / "expected.yaml").read_text(encoding="utf-8"))


def cases(aspect: str) -> list[Any]:
    out = []
    for name in DRAFTS:
        for fmt in FORMATS:
            reason = KNOWN.get((name, aspect)) or KNOWN.get((name, f"{aspect}:{fmt}"))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            out.append(pytest.param(name, fmt, id=f"{name}-{fmt}", marks=marks))
    return out


# --- what the draft is ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), cases("header"))
def test_header(name: str, fmt: str, workdir: Path) -> None:
    meta = imported(name, fmt, workdir).report.meta
    want = expected(name)
    assert (meta.superior_body or None) == want["superior_body"]
    assert meta.issuing_body.split("\n") == want["issuing_body"]
    assert (meta.number, meta.symbol, meta.place) == (want["number"], want["symbol"], want["place"])
    assert _date(meta.date) == want["date"]
    assert meta.draft_label == want["draft_label"]


def _date(value: Any) -> dict[str, int | None]:
    """The day, month and year a date holds; a blank day or month is None."""
    if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
        return {"day": value.day, "month": value.month, "year": value.year}
    parts = [int(p) for p in str(value).split("-")] + [None, None]
    return {"day": parts[2], "month": parts[1], "year": parts[0]}


@pytest.mark.parametrize(("name", "fmt"), cases("kind"))
def test_kind_title_and_signature(name: str, fmt: str, workdir: Path) -> None:
    meta = imported(name, fmt, workdir).report.meta
    want = expected(name)
    assert meta.document_type == want["document_type"]
    assert meta.summary == want["summary"]
    assert meta.signature.model_dump() == want["signature"]


@pytest.mark.parametrize(("name", "fmt"), cases("theme"))
def test_theme_and_motto(name: str, fmt: str, workdir: Path) -> None:
    got = imported(name, fmt, workdir)
    want = expected(name)
    assert (plain_text(got.doc.theme) or None) == want["theme"]
    assert (plain_text(got.doc.motto) or None) == want["motto"]
    congress = got.report.meta.congress
    if want["congress"] is not None:
        assert congress.ordinal == want["congress"]["ordinal"]
        assert [congress.term.start, congress.term.end] == want["congress"]["term"]


def _headings(blocks: list[Any]) -> list[str]:
    out = []
    for block in blocks:
        if block.kind in ("part", "heading", "note", "appendix"):
            out.append(" ".join(filter(None, (block.label, plain_text(block.title_runs)))))
    return out


@pytest.mark.parametrize(("name", "fmt"), cases("sections"))
def test_sections(name: str, fmt: str, workdir: Path) -> None:
    got = imported(name, fmt, workdir)
    want = expected(name)
    assert _headings(got.doc.blocks) == want["sections"]
    opening = [s for s in got.report.body if s.kind == "opening"]
    assert bool(opening) == want["opening"]


@pytest.mark.parametrize(("name", "fmt"), cases("appendix"))
def test_appendix(name: str, fmt: str, workdir: Path) -> None:
    got = imported(name, fmt, workdir)
    assert _headings(getattr(got.doc, "appendix", [])) == expected(name)["appendix"]


@pytest.mark.parametrize(("name", "fmt"), cases("counts"))
def test_indicators_footnotes_tables(name: str, fmt: str, workdir: Path) -> None:
    got = imported(name, fmt, workdir)
    want = expected(name)
    indicators = got.report.indicators
    assert {"results": len(indicators.results), "targets": len(indicators.targets)} == want["indicators"]
    assert len(got.doc.footnotes) == want["footnotes"]
    tables = sum(1 for s, _d in got.report.walk() for b in s.content if getattr(b, "table", None) is not None)
    assert tables == want["tables"]


@pytest.mark.parametrize(("name", "fmt"), cases("review"))
def test_review_items(name: str, fmt: str, workdir: Path) -> None:
    assert imported(name, fmt, workdir).review == sorted(expected(name)["review"])


# --- the words come back --------------------------------------------------------------------


def draft_words(name: str) -> tuple[list[str], list[list[str]]]:
    """The draft's words from its kind and title on (the header is compared field by field),
    with the expected deviations applied; and its footnotes' words."""
    text = unicodedata.normalize("NFC", (CORPUS / name / "draft.txt").read_text(encoding="utf-8"))
    text = text.replace("(\n)", MARK)
    lines = [line for line in text.split("\n") if line.strip()]
    start = len(lines)
    while start > 0 and NOTE.match(lines[start - 1]) and text.count(MARK) > len(lines) - start:
        start -= 1
    notes = [NOTE.sub("", line).split() for line in lines[start:]]
    want = expected(name)
    body = " ".join(" ".join(lines[:start]).split())
    body = body[body.index(want["document_type"]) :]
    for before, after in want["deviations"]:
        assert before in body, f"deviation no longer applies: {before!r}"
        body = " ".join(body.replace(before, after, 1).split())
    return body.split(), notes


def output_words(docx: bytes, document_type: str) -> tuple[list[str], list[list[str]]]:
    """The rebuilt .docx's words from the document type on, and its footnotes' words."""
    with zipfile.ZipFile(__import__("io").BytesIO(docx)) as z:
        root = ET.fromstring(z.read("word/document.xml"))
        notes_root = ET.fromstring(z.read("word/footnotes.xml"))
    order: list[str] = []
    body = " ".join(_paragraph_text(p, order) for p in root.iter(f"{W}p"))
    body = " ".join(body.split())
    body = body[body.index(document_type) :]
    notes = {}
    for note in notes_root.iter(f"{W}footnote"):
        if int(note.get(f"{W}id", "0")) > 0:
            text = " ".join(_paragraph_text(p, []) for p in note.iter(f"{W}p"))
            notes[note.get(f"{W}id", "")] = re.sub(r"^\s*\(\d*\)", "", text).split()
    return body.split(), [notes[i] for i in order]


@pytest.mark.parametrize(("name", "fmt"), cases("words"))
def test_rebuild_gives_back_the_words(name: str, fmt: str, workdir: Path) -> None:
    got = imported(name, fmt, workdir)
    want_body, want_notes = draft_words(name)
    body, notes = output_words(got.docx, got.report.meta.document_type)
    if body != want_body:
        import difflib

        diff = [
            f"{op}: {' '.join(want_body[i1:i2])!r} → {' '.join(body[j1:j2])!r}"
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, want_body, body, autojunk=False).get_opcodes()
            if op != "equal"
        ]
        pytest.fail("the rebuilt words differ from the draft:\n" + "\n".join(diff[:20]))
    assert notes == want_notes


def test_the_header_prints_what_the_draft_has_and_nothing_more(workdir: Path) -> None:
    from dhcompiler.render_md import render_markdown

    got = imported("01-tinh-bao-cao-chinh-tri", "txt", workdir)
    markdown = render_markdown(got.doc, DEFAULT_TEMPLATES)
    head = markdown.split("**BÁO CÁO CHÍNH TRỊ**")[0]
    assert "**ĐẢNG BỘ TỈNH LÂM GIANG<br>BAN CHẤP HÀNH<br>KHÓA XVII**" in head  # three lines, no superior body
    assert "CƠ QUAN" not in markdown  # no placeholder printed
    assert "*Lâm Giang, ngày    tháng 9 năm 2025*" in head  # the blank day stays blank
    with zipfile.ZipFile(__import__("io").BytesIO(got.docx)) as z:
        document = z.read("word/document.xml").decode()
    assert "Lâm Giang, ngày    tháng 9 năm 2025" in document
    cell = ET.fromstring(document).find(f".//{W}tc")
    assert cell is not None
    first = "".join(t.text or "" for t in cell.find(f"{W}p").iter(f"{W}t"))  # type: ignore[union-attr]
    assert first.startswith("ĐẢNG BỘ TỈNH LÂM GIANG")  # no empty line where a superior body would stand
    # the appendix follows the signature, on a page of its own
    assert document.index("BAN CHẤP HÀNH ĐẢNG BỘ TỈNH") < document.index("PHỤ LỤC")
    assert "w:pageBreakBefore" in document


def test_a_table_keeps_its_rows_and_its_group_rows(workdir: Path) -> None:
    got = imported("05-chuong-trinh-hanh-dong", "docx", workdir)
    table = next(b.table for s, _d in got.report.walk() for b in s.content if b.table is not None)
    assert table.header == ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    rows = [row.group or row.cells[0] for row in table.rows]
    # rows whose first cell is “2.1.” or “3.” stay rows; a row spanning the table is a group row
    assert rows == ["1. Lĩnh vực kinh tế", "1.1.", "1.2.", "2. Lĩnh vực xây dựng Đảng", "2.1.", "2.2.", "3."]


@pytest.mark.parametrize("fmt", ["md", "docx"])
@pytest.mark.parametrize("name", DRAFTS)
def test_what_is_built_from_a_draft_imports_back_to_the_same_report(name: str, fmt: str, workdir: Path) -> None:
    from conftest import build_to
    from test_import_roundtrip import assert_same_report, outline

    imported(name, "txt", workdir)
    data = workdir / f"{name}-txt"
    built = build_to(data, workdir / f"{name}-built-{fmt}", (fmt,))
    result = import_file(built[fmt])
    write_import(result, workdir / f"{name}-again-{fmt}")
    assert_same_report(outline(workdir / f"{name}-again-{fmt}"), outline(data))
