"""Read the seed draft and the built outputs into comparable streams: text without whitespace,
with a NUL where each footnote mark stands, and the list of footnote texts.

Comparing without whitespace makes "word for word" exact for every letter and punctuation
mark while ignoring line breaks, indentation and doubled spaces, which the outputs lay out
anew. Footnote anchors are compared as positions in that stream: a footnote is "right after
the same words" when the same text precedes its mark.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed.txt"
MARK = "\x00"
SIGNATURE = "BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ"
BODY_START = "CHỦ ĐỀ ĐẠI HỘI"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Where the compiled report deliberately differs from the seed, with the reason.
SEED_FIXES = [
    # Numbering is computed: every subsection number ends with a dot.
    ("2.1 Hạn chế, khuyết điểm", "2.1. Hạn chế, khuyết điểm"),
    ("2.2 Nguyên nhân", "2.2. Nguyên nhân"),
    # Indicator sentences are rendered from data and all end with a full stop.
    ("(Mục tiêu: 90% )(\n)", "(Mục tiêu: 90% )(\n)."),
    ("(Mục tiêu: 3% )(\n)", "(Mục tiêu: 3% )(\n)."),
]


@dataclass
class Stream:
    """A text without whitespace, footnote marks as NUL, and the footnotes' texts."""

    body: str
    notes: list[str]

    @property
    def anchors(self) -> list[str]:
        """For each footnote mark, the 40 characters that precede it."""
        out, position = [], 0
        clean = self.body
        while (i := clean.find(MARK, position)) >= 0:
            out.append(clean[max(0, i - 40) : i].replace(MARK, ""))
            position = i + 1
        return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_stream(seed_text: str | None = None) -> Stream:
    text = seed_text if seed_text is not None else SEED.read_text(encoding="utf-8")
    # Data is stored in NFC; parts of the seed were typed decomposed (NFD).
    text = unicodedata.normalize("NFC", text)
    for before, after in SEED_FIXES:
        assert before in text, f"seed fix no longer applies: {before!r}"
        text = text.replace(before, after, 1)
    body, notes = text.split(SIGNATURE, 1)
    body = body[body.index(BODY_START) :].replace("(\n)", MARK) + SIGNATURE
    note_texts = ["\n".join(p.strip() for p in chunk.split("\n") if p.strip()) for chunk in notes.split("(�)")[1:]]
    return Stream(squeeze(body), [squeeze(n) for n in note_texts])


def _paragraph_text(p: ET.Element, notes_order: list[str]) -> str:
    """A paragraph's text; a footnote reference becomes MARK, and the “(” “)” that dhc writes
    around Word's number (or a custom mark “(n)”) are dropped with it."""
    out: list[str] = []
    close_next = False
    for run in p.iter(f"{W}r"):
        skip_mark = False
        for child in run:
            if child.tag == f"{W}footnoteReference":
                notes_order.append(child.get(f"{W}id", ""))
                if out and out[-1].endswith("("):
                    out[-1] = out[-1][:-1]
                out.append(MARK)
                skip_mark = child.get(f"{W}customMarkFollows") in ("1", "true")
                close_next = not skip_mark
            elif child.tag == f"{W}t":
                text = child.text or ""
                if skip_mark:
                    skip_mark = False
                    continue
                if close_next and text.startswith(")"):
                    text = text[1:]
                close_next = False
                out.append(text)
            elif child.tag == f"{W}tab":
                out.append("\t")
    return "".join(out)


def docx_paragraphs(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    order: list[str] = []
    return [_paragraph_text(p, order) for p in root.iter(f"{W}p")]


def docx_stream(path: Path) -> Stream:
    """Read a .docx with a plain zip and XML reader."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
        notes_root = ET.fromstring(z.read("word/footnotes.xml"))
    order: list[str] = []
    body = "\n".join(_paragraph_text(p, order) for p in root.iter(f"{W}p"))
    body = body[body.index(BODY_START) :]
    notes: dict[str, str] = {}
    for note in notes_root.iter(f"{W}footnote"):
        note_id = note.get(f"{W}id", "")
        if int(note_id) <= 0:
            continue
        text = "\n".join(_paragraph_text(p, []) for p in note.iter(f"{W}p"))
        notes[note_id] = re.sub(r"^\s*\((\d+)?\)", "", text)
    return Stream(squeeze(body), [squeeze(notes[i]) for i in order])


_MD_TOKEN = re.compile(r"\\(.)|\*\*|\*|<br>|\[\^(\d+)\]")


def _md_plain(text: str) -> str:
    def replace(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return m.group(1)
        if m.group(2) is not None:
            return MARK
        return ""

    lines = [re.sub(r"^#+\s", "", line) for line in text.split("\n")]
    return _MD_TOKEN.sub(replace, "\n".join(lines))


def md_stream(path: Path) -> Stream:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    parts = re.split(r"^\[\^(\d+)\]: ", text, flags=re.M)
    body, defs = parts[0], parts[1:]
    notes = {defs[i]: _md_plain(re.sub(r"^    ", "", defs[i + 1], flags=re.M)) for i in range(0, len(defs), 2)}
    plain = _md_plain(body)
    order = re.findall(r"\[\^(\d+)\]", body)
    plain = plain[plain.index(BODY_START) :]
    return Stream(squeeze(plain), [squeeze(notes[n]) for n in order])


def first_difference(a: str, b: str, context: int = 60) -> str:
    """A readable pointer to where two streams part ways."""
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    show = lambda s: s[max(0, n - context) : n + context].replace(MARK, "⁽ⁿ⁾")  # noqa: E731
    return f"at {n}:\n  expected …{show(a)}…\n  got      …{show(b)}…"
