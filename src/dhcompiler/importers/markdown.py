"""Read Markdown with `[^n]` footnotes, as `dhc build` writes it (and as most editors do)."""

from __future__ import annotations

import re

from dhcompiler.importers.draft import Draft, Note, Para, clean, escape_jinja, mark
from dhcompiler.prose import balance_emphasis

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s{0,3}(?:([-*])|(\d{1,2}[.)]|\(\d{1,2}\)))\s+(.*)$")
NOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:\s?(.*)$")
COMMENT = re.compile(r"<!--.*?-->", re.S)
INLINE = re.compile(r"\\(.)|\[\^([^\]\s]+)\]|<br\s*/?>|</?[A-Za-z][^>]*>")
BREAK = "<br>"
TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def read_markdown(text: str, display: str, encoding: str) -> Draft:
    """Paragraphs (headings with their level) and the footnote definitions."""
    draft = Draft(display, "markdown", encoding, [])
    text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), clean(text))
    lines = _take_notes(text.split("\n"), draft)
    draft.paras = _paragraphs(lines)
    return draft


def _take_notes(lines: list[str], draft: Draft) -> list[str]:
    """Move footnote definitions (with their indented paragraphs) out of the body lines."""
    body = list(lines)
    current: Note | None = None
    blank = False
    for i, line in enumerate(lines):
        match = NOTE_DEF.match(line)
        if match:
            current = Note([inline(match.group(2).strip())], i + 1)
            draft.notes[match.group(1)] = current
            body[i], blank = "", False
        elif current is not None and not line.strip():
            body[i], blank = "", True
        elif current is not None and line.startswith(("    ", "\t")):
            if blank:
                current.paragraphs.append(inline(line.strip()))
            else:
                current.paragraphs[-1] += " " + inline(line.strip())
            body[i], blank = "", False
        else:
            current = None
    return body


def _paragraphs(lines: list[str]) -> list[Para]:
    """Blank lines, headings, list items and `<br>` end a paragraph; other lines join it."""
    paras: list[Para] = []
    buffer: list[str] = []
    start, block_start, blank = 0, True, True

    def flush() -> None:
        if buffer:
            para = _para(buffer[0], " ".join(s.strip() for s in buffer), start, paras, block_start)
            if para.text:
                paras.append(para)
            buffer.clear()

    table_rows = _table_lines(lines)
    for number, whole in enumerate(lines, start=1):
        if number in table_rows:
            flush()
            if table_rows[number] is not None:
                cells = table_rows[number] or []
                paras.append(Para(" ".join(c for c in cells if c), number, table=True, cells=cells))
            blank = False
            continue
        if not whole.strip():
            flush()
            blank = True
            continue
        pieces = _balanced(whole.split(BREAK))
        for k, line in enumerate(pieces):
            if k > 0 or (not line.strip() and len(pieces) > 1):
                flush()
            if not line.strip():
                continue
            if HEADING.match(line) or LIST_ITEM.match(line):
                flush()
            if not buffer:
                start, block_start = number, blank
            buffer.append(line)
            blank = False
            if HEADING.match(line) or line.endswith("  ") or k < len(pieces) - 1:
                flush()
    flush()
    return paras


def _balanced(pieces: list[str]) -> list[str]:
    """Lines of one paragraph split at `<br>`: bold that spans them (“**A<br>B**”) is closed in
    each line and opened again in the next."""
    out = []
    bold = False
    for piece in pieces:
        if bold and piece.strip():
            piece = "**" + piece.lstrip()
        if piece.strip() and len(re.findall(r"(?<!\\)\*\*", piece)) % 2 == 1:
            piece, bold = piece.rstrip() + "**", True
        elif piece.strip():
            bold = False
        out.append(piece)
    return out


def _table_lines(lines: list[str]) -> dict[int, list[str] | None]:
    """Pipe tables: line number → the row's cells (prose markup), None for the rule line.
    A group row as `dhc build` writes it (one bold cell, the others empty) keeps one cell."""
    out: dict[int, list[str] | None] = {}
    i = 0
    while i + 1 < len(lines):
        if lines[i].lstrip().startswith("|") and TABLE_RULE.match(lines[i + 1].strip()):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                out[j + 1] = None if j == i + 1 else _cells(lines[j])
                j += 1
            i = j
        else:
            i += 1
    return out


def _cells(line: str) -> list[str]:
    raw = [c.strip() for c in CELL_SPLIT.split(line.strip().strip("|"))]
    cells = [inline(c.replace("\\|", "|")) for c in raw]
    if len(cells) > 1 and not any(cells[1:]):
        text, bold, _italic = unwrap(cells[0])
        return [text] if bold else cells
    return cells


def _para(first: str, raw: str, line: int, before: list[Para], block_start: bool) -> Para:
    heading = HEADING.match(raw)
    if heading:
        text, bold, italic = unwrap(inline(heading.group(2)))
        return Para(text, line, heading=len(heading.group(1)), bold=bold, italic=italic)
    role = None
    listed = LIST_ITEM.match(raw)
    follows_bullet = bool(before) and before[-1].role in ("bullet", "continuation")
    if block_start and first.startswith("  ") and not listed and follows_bullet:
        role = "continuation"
    elif listed and listed.group(1):
        raw, role = listed.group(3), "bullet"
    elif raw.startswith(("\\-", "\\+")):
        role = "para"
    text, bold, italic = unwrap(inline(raw))
    return Para(text, line, bold=bold, italic=italic, role=role)


def inline(text: str) -> str:
    """Markdown inline syntax → prose markup: escapes resolved, `[^n]` → a footnote mark."""

    def replace(match: re.Match[str]) -> str:
        char, note = match.group(1), match.group(2)
        if note is not None:
            return mark(note)
        if char is None:
            return ""
        if char in "*\\":
            return "\\" + char
        return char

    out = []
    position = 0
    for match in INLINE.finditer(text):
        out.append(escape_jinja(text[position : match.start()]))
        out.append(replace(match))
        position = match.end()
    out.append(escape_jinja(text[position:]))
    return balance_emphasis(_escape_notes("".join(out)).strip())


def _escape_notes(text: str) -> str:
    """A literal “[^” left in the text would read as a footnote: escape it."""
    return text.replace("[^", "\\[^")


def unwrap(text: str) -> tuple[str, bool, bool]:
    """A paragraph wholly in `**…**` or `*…*`: its text and whether it is bold or italic."""
    bold = italic = False
    for _ in range(2):
        inner = re.sub(r"\\.", "", text)
        if len(text) > 4 and text.startswith("**") and text.endswith("**") and "**" not in inner[2:-2]:
            text, bold = text[2:-2].strip(), True
        elif len(text) > 2 and text.startswith("*") and text.endswith("*") and "*" not in inner[1:-1]:
            text, italic = text[1:-1].strip(), True
    return text, bold, italic
