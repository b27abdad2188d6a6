"""Read plain text exported from Word: one paragraph a line, footnote marks lost as `(` ⏎ `)`."""

from __future__ import annotations

import re

from dhcompiler.importers.draft import CELL, Draft, Note, Para, clean, escape_prose, is_upper, mark

# A footnote listed after the signature: "(�) …" as the seed has it, "(?)" after a
# conversion to a code page, or "(12) …" when the numbers survived.
NOTE_START = re.compile(r"^\((\ufffd|\?|\d{1,3}|)\)\s*")


def read_text(text: str, display: str, encoding: str) -> Draft:
    """Paragraphs (footnote marks restored in place) and the footnotes listed at the end."""
    draft = Draft(display, "text", encoding, [])
    paras, marks = _paragraphs(text.replace(CELL, "").replace("\t", CELL).split("\n"))
    _table_rows(paras)
    start = _notes_start(paras, marks)
    draft.paras = paras[:start]
    notes = _notes(paras[start:])
    for i, note in enumerate(notes, start=1):
        draft.notes[str(i)] = note
    if marks and not notes:
        draft.review(
            1,
            "DH614",
            (
                f"Có {marks} dấu chú thích “( )” nhưng không tìm thấy danh sách chú thích "
                "(“(�) …” hoặc “(1) …” sau chữ ký); các dấu này đã bị bỏ."
            ),
        )
    return draft


def _paragraphs(lines: list[str]) -> tuple[list[Para], int]:
    """One paragraph a non-blank line; a line ending in “(” followed by one starting with “)”
    is one paragraph with a footnote mark where the two meet."""
    paras: list[Para] = []
    marks = 0
    i = 0
    while i < len(lines):
        number = i + 1
        pieces = [_strip(lines[i])]
        while pieces[-1].endswith("(") and i + 1 < len(lines) and lines[i + 1].lstrip().startswith(")"):
            marks += 1
            pieces[-1] = escape_prose(clean(pieces[-1][:-1])) + mark(str(marks))
            i += 1
            pieces.append(_strip(lines[i])[1:])
        pieces[-1] = escape_prose(clean(pieces[-1]))
        text = "".join(pieces).strip()
        if text:
            paras.append(Para(text, number))
        i += 1
    return paras, marks


def _strip(line: str) -> str:
    return line.strip().strip(CELL).strip()


def _table_rows(paras: list[Para]) -> None:
    """Word exports a table row as one line with its cells between tabs: two or more such lines
    in a row, each with two cells or more, are a table. Elsewhere a tab is a space."""

    def cells(para: Para) -> list[str]:
        return [c.strip() for c in para.text.split(CELL)]

    rows = [len([c for c in cells(p) if c]) >= 2 and cells(p)[0] != "" for p in paras]
    for i, para in enumerate(paras):
        run = rows[i] and ((i > 0 and rows[i - 1]) or (i + 1 < len(paras) and rows[i + 1]))
        if run:
            para.cells, para.table = cells(para), True
        para.text = " ".join(c.strip() for c in para.text.split(CELL) if c.strip())


def _notes_start(paras: list[Para], marks: int) -> int:
    """Where the list of footnotes begins (len(paras) when there is none)."""
    starts = [(i, m.group(1)) for i, p in enumerate(paras) if (m := NOTE_START.match(p.text))]
    for i, label in starts:
        if not label.isdigit():
            return i
    numbered = _numbered_tail(starts)
    if numbered is not None and marks:
        first, count = numbered
        if count == marks or (first > 0 and is_upper(paras[first - 1].text)):
            return first
    return len(paras)


def _numbered_tail(starts: list[tuple[int, str]]) -> tuple[int, int] | None:
    """The last run of starts numbered (1), (2), … up to the end: its first index and length."""
    for k in range(len(starts) - 1, -1, -1):
        if starts[k][1] == "1":
            tail = starts[k:]
            if all(int(label) == n for n, (_i, label) in enumerate(tail, start=1)):
                return starts[k][0], len(tail)
    return None


def _notes(paras: list[Para]) -> list[Note]:
    notes: list[Note] = []
    for para in paras:
        match = NOTE_START.match(para.text)
        if match is not None:
            notes.append(Note([para.text[match.end() :].strip()], para.line))
        elif notes:
            notes[-1].paragraphs.append(para.text)
    for note in notes:
        if not note.paragraphs[0] and len(note.paragraphs) > 1:
            note.paragraphs.pop(0)
    return notes
