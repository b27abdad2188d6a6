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

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            flush()
            blank = True
            continue
        if line.lstrip().startswith(BREAK):
            flush()
            line = line.lstrip()[len(BREAK) :]
        if HEADING.match(line) or LIST_ITEM.match(line):
            flush()
        if not buffer:
            start, block_start = number, blank
        ends = bool(HEADING.match(line)) or line.rstrip().endswith(BREAK) or line.endswith("  ")
        buffer.append(line.rstrip()[: -len(BREAK)] if line.rstrip().endswith(BREAK) else line)
        blank = False
        if ends:
            flush()
    flush()
    return paras


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
