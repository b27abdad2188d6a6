"""Tracked revisions in the laid-out document and the .docx writer, on the real report marked by hand."""

from __future__ import annotations

import dataclasses
import re

import pytest

import redline_oracle as oracle
from conftest import DATA
from dhcompiler.document import Block, Document, Footnote, Tracking, build_document
from dhcompiler.prose import Change, Run
from dhcompiler.render_docx import render_docx
from dhcompiler.render_md import render_markdown
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES

INS, DEL = Change("ins"), Change("del")
MOVE_FROM, MOVE_TO = Change("move_from", "move1"), Change("move_to", "move1")
TRACKING = Tracking("Văn phòng Thành ủy", "2024-12-26T00:00:00Z")


def marked(runs: list[Run], change: Change) -> list[Run]:
    return [dataclasses.replace(run, change=change) for run in runs]


def hand_redline() -> Document:
    """The real report with a word replaced, a paragraph inserted, one deleted, section 2.3 moved
    after 2.5, a footnote inserted and one edited."""
    doc = build_document(load_report(DATA), DEFAULT_TEMPLATES)
    blocks = doc.blocks
    edited = blocks[41]
    assert edited.runs[0].text.startswith("Lĩnh vực ngân hàng")
    text = edited.runs[0].text
    cut = text.index("ngân hàng")
    edit = [Run("ngân hàng", change=DEL), Run("tín dụng", change=INS)]
    edited.runs[0:1] = [Run(text[:cut]), *edit, Run(text[cut + 9 :])]
    inserted = Block("paragraph", [Run("Một đoạn mới được thêm vào.", change=INS)], change=INS)
    blocks[41].runs.append(Run("", footnote=46, change=INS))
    doc.footnotes.append(Footnote(46, "moi", [[Run("Chú thích mới.", change=INS)]], marks=[INS]))
    deleted = dataclasses.replace(blocks[48], runs=marked(blocks[48].runs, DEL), change=DEL)
    heading, paragraph = blocks[54], blocks[55]
    assert heading.label == "2.3."
    moved_from = [
        dataclasses.replace(heading, title_runs=marked(heading.title_runs, MOVE_FROM), change=MOVE_FROM),
        dataclasses.replace(paragraph, runs=marked(paragraph.runs, MOVE_FROM), change=MOVE_FROM),
    ]
    moved_to = [
        dataclasses.replace(heading, label="2.5.", title_runs=marked(heading.title_runs, MOVE_TO), change=MOVE_TO),
        dataclasses.replace(paragraph, runs=marked(paragraph.runs, MOVE_TO), change=MOVE_TO),
    ]
    note = doc.footnotes[4]
    first = note.paragraphs[0][0]
    note.paragraphs[0][0:1] = [Run("Theo báo cáo, ", change=INS), first]
    doc.blocks = [*blocks[:43], inserted, *blocks[43:48], deleted, *blocks[49:54], *moved_from]
    doc.blocks += [*blocks[56:60], *moved_to, *blocks[60:]]
    doc.tracking = TRACKING
    return in_reading_order(doc)


def in_reading_order(doc: Document) -> Document:
    """Footnotes numbered and stored in the order the text cites them (LibreOffice reads them so)."""
    cited = [r.footnote for b in doc.blocks for r in (*b.title_runs, *b.runs) if r.footnote is not None]
    number = {old: new for new, old in enumerate(cited, start=1)}
    by_number = {n.number: n for n in doc.footnotes}

    def runs(items: list[Run]) -> list[Run]:
        return [dataclasses.replace(r, footnote=number[r.footnote]) if r.footnote is not None else r for r in items]

    blocks = [dataclasses.replace(b, runs=runs(b.runs), title_runs=runs(b.title_runs)) for b in doc.blocks]
    notes = [dataclasses.replace(by_number[old], number=number[old]) for old in cited]
    return dataclasses.replace(doc, blocks=blocks, footnotes=notes)


def resolved(doc: Document, mode: str) -> Document:
    """The same document with every change accepted or rejected, at the level of blocks and runs."""

    def keep(change: Change | None) -> bool:
        return change is None or change.removes == (mode == "reject")

    def runs(items: list[Run]) -> list[Run]:
        return [dataclasses.replace(r, change=None) for r in items if keep(r.change)]

    blocks = [
        dataclasses.replace(b, runs=runs(b.runs), title_runs=runs(b.title_runs), change=None)
        for b in doc.blocks
        if keep(b.change)
    ]
    notes = [
        Footnote(n.number, n.key, [runs(p) for p in n.paragraphs])
        for n in doc.footnotes
        if keep(n.marks[0] if n.marks else None)
    ]
    return dataclasses.replace(doc, blocks=blocks, footnotes=notes, tracking=None)


@pytest.fixture(scope="module")
def redline() -> Document:
    return hand_redline()


@pytest.fixture(scope="module")
def docx_bytes(redline: Document) -> bytes:
    return render_docx(redline, DEFAULT_TEMPLATES)


@pytest.mark.parametrize(("mode", "side"), [("accept", "new"), ("reject", "old")])
def test_accept_gives_the_new_text_and_reject_the_old(redline, docx_bytes, mode, side):
    expected = oracle.texts(render_docx(resolved(redline, mode), DEFAULT_TEMPLATES))
    got = oracle.texts(docx_bytes, mode)
    assert got.paragraphs == expected.paragraphs
    assert got.footnotes == expected.footnotes
    assert "" not in got.paragraphs[2:]  # no empty paragraph left over (the header table's own aside)
    if side == "new":
        assert any("tín dụng, bưu chính" in p for p in got.paragraphs)
        assert ["() Chú thích mới."] in got.footnotes and len(got.footnotes) == 46
    else:
        assert any("ngân hàng, bưu chính" in p for p in got.paragraphs)
        assert not any("Một đoạn mới" in p for p in got.paragraphs) and len(got.footnotes) == 45


def test_every_revision_has_a_unique_id_across_document_and_footnotes(docx_bytes):
    ids = oracle.revision_ids(docx_bytes)
    assert len(ids) == len(set(ids)) > 10
    document, notes = oracle.read_parts(docx_bytes)
    assert any(e.get(f"{oracle.W}id") in ids for e in notes.iter(f"{oracle.W}ins"))


def test_revisions_carry_the_given_author_and_date(docx_bytes):
    document, notes = oracle.read_parts(docx_bytes)
    for root in (document, notes):
        for tag in ("ins", "del", "moveFrom", "moveTo"):
            for element in root.iter(f"{oracle.W}{tag}"):
                assert element.get(f"{oracle.W}author") == "Văn phòng Thành ủy"
                assert element.get(f"{oracle.W}date") == "2024-12-26T00:00:00Z"


def test_deleted_text_is_deltext_and_paragraph_marks_are_marked(docx_bytes):
    document, _ = oracle.read_parts(docx_bytes)
    w = oracle.W
    deleted = [e for e in document.iter(f"{w}del") if e.getparent().tag != f"{w}rPr"]
    assert deleted and all(e.find(f".//{w}t") is None and e.find(f".//{w}delText") is not None for e in deleted)
    marks = {e.tag.split("}")[1] for props in document.iter(f"{w}rPr") for e in props}
    assert {"ins", "del", "moveFrom", "moveTo"} <= marks


def test_a_move_has_matching_named_ranges(docx_bytes):
    document, _ = oracle.read_parts(docx_bytes)
    w = oracle.W
    for kind in ("moveFrom", "moveTo"):
        starts = list(document.iter(f"{w}{kind}RangeStart"))
        ends = list(document.iter(f"{w}{kind}RangeEnd"))
        assert [s.get(f"{w}name") for s in starts] == ["move1"]
        assert [e.get(f"{w}id") for e in ends] == [starts[0].get(f"{w}id")]
    text = oracle.texts(docx_bytes)
    assert sum(p.startswith("2.3. Đầu tư hạ tầng thương mại") for p in text.paragraphs) == 1
    assert sum(p.startswith("2.5. Đầu tư hạ tầng thương mại") for p in text.paragraphs) == 1


def test_an_inserted_footnote_has_its_reference_marked(docx_bytes):
    document, _ = oracle.read_parts(docx_bytes)
    w = oracle.W
    inserted = [r for r in document.iter(f"{w}footnoteReference") if r.get(f"{w}id") == "7"]
    assert inserted and inserted[0].getparent().getparent().tag == f"{w}ins"


def test_the_redline_is_byte_identical_on_a_rebuild(docx_bytes):
    assert render_docx(hand_redline(), DEFAULT_TEMPLATES) == docx_bytes


def test_markdown_shows_revisions_as_criticmarkup(redline):
    text = render_markdown(redline, DEFAULT_TEMPLATES)
    assert "Lĩnh vực {--ngân hàng--}{++tín dụng++}, bưu chính" in text
    assert "{++Một đoạn mới được thêm vào.++}" in text
    assert re.search(r"\{--Hạ tầng thương mại, dịch vụ .*?--\}\{>>move1<<\}", text)
    assert "{++[^7]++}" in text


# LibreOffice's Accept All / Reject All on this redline: test_libreoffice.py
