"""What every reader hands to the structure stage: paragraphs with hints, footnotes, findings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from dhcompiler.findings import Finding, Severity

# A footnote mark inside prose while importing: private-use brackets around the source's id.
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
# Where a text reader met a tab (a cell boundary, when the line is a table row).
CELL = "\ue002"
MARK = re.compile(f"{MARK_OPEN}([^{MARK_CLOSE}]*){MARK_CLOSE}")
_PRIVATE = re.compile(f"[{MARK_OPEN}{MARK_CLOSE}]")
_JINJA = re.compile(r"\{[{%#]")
_EMPHASIS = re.compile(r"\\([*\[\\])|\*\*|\*")


@dataclass
class Para:
    """One paragraph of the source, as prose markup (`**`, `*`, `\\*`, footnote marks).

    `line` is the 1-based line of a text or Markdown file, or the paragraph's number in a
    .docx. `heading` is a heading level the source declares (a Heading style, `#`).
    `role` is what the source's own style says the paragraph is, when it says so
    (part_title, item, bullet, continuation). `cells` holds a table row's cells (prose markup
    each), `table` is set for every paragraph that came from a table.
    """

    text: str
    line: int
    heading: int | None = None
    bold: bool = False
    italic: bool = False
    role: str | None = None
    table: bool = False
    cells: list[str] | None = None


@dataclass
class Note:
    """A footnote as the source holds it: its paragraphs (prose markup) and where it starts."""

    paragraphs: list[str]
    line: int


@dataclass
class Draft:
    """A source read into paragraphs: the input of the structure stage."""

    display: str
    kind: str
    encoding: str
    paras: list[Para]
    notes: dict[str, Note] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def review(self, line: int, code: str, message: str) -> None:
        """Record something the drafter should look at (a warning, not an error)."""
        self.findings.append(Finding(self.display, line, 1, code, message, Severity.WARNING))


def mark(note_id: str) -> str:
    return f"{MARK_OPEN}{note_id}{MARK_CLOSE}"


def clean(text: str) -> str:
    """NFC, no private-use mark characters, tabs as spaces: how every reader stores text."""
    text = unicodedata.normalize("NFC", text)
    return _PRIVATE.sub("", text).replace("\t", " ")


def escape_prose(text: str) -> str:
    """Literal text as prose markup: a star, a backslash, “[^” and Jinja braces stay literal."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("[^", "\\[^")
    return escape_jinja(text)


def escape_jinja(text: str) -> str:
    """`{{`, `{%` and `{#` would start an expression in prose: write them as string literals."""
    return _JINJA.sub(lambda m: '{{ "' + m.group(0) + '" }}', text)


def plain(markup: str) -> str:
    """The text a reader sees: no emphasis marks, no escapes, no footnote marks."""
    text = MARK.sub("", markup)
    text = re.sub(r'\{\{ "(\{[{%#])" \}\}', r"\1", text)
    return _EMPHASIS.sub(lambda m: m.group(1) or "", text).strip()


def is_upper(text: str) -> bool:
    """True for a line written in capitals (at least three letters, none lower case)."""
    letters = [c for c in plain(text) if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)
