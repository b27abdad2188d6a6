"""Read a .docx: paragraphs with their styles and direct formatting, tables, real footnotes.

python-docx opens the package and resolves its parts; the paragraphs are walked in the XML
so that footnote references, tracked changes and tables come in document order. python-docx
has no footnote API: the footnotes part is found through the document's relationships.
"""

from __future__ import annotations

import io
import re
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from dhcompiler.findings import DhcError, Finding
from dhcompiler.importers.draft import Draft, Note, Para, clean, escape_prose, mark
from dhcompiler.zipguard import ZipLimit, check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
ENDNOTE = "e"
HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
FOOTNOTE_MARK = re.compile(r"^\s*(\(\d+\)|\(|\)|\(\))\s*$")
SKIP = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}rPr", f"{W}pPr"}
# The compiler's own paragraph styles (templates/reference.docx), whose labels are typed
# (a paragraph of such a style without its label continues the one before), and Word's
# list styles, numbered automatically.
ROLES = {
    "part title": "part_title",
    "bullet": "typed_bullet",
    "item": "typed_item",
    "list bullet": "bullet",
    "list number": "item",
}
HEADING_NAMES = {"note heading": 2, "item heading": 3, "part label": 1}


@dataclass
class Style:
    name: str
    based_on: str | None
    outline: int | None
    numbered: bool


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    note: str | None = None


@dataclass
class Reader:
    """Walks the document body and the footnotes part, collecting paragraphs."""

    draft: Draft
    styles: dict[str, Style]
    bullets: set[tuple[str, str]]
    count: int = 0


def read_docx(raw: bytes, display: str) -> Draft:
    """The paragraphs of the body (tables flattened row by row) and the footnotes."""
    try:
        check_zip(raw)
    except ZipLimit as exc:
        raise DhcError([Finding(display, 1, 1, "DH630", f"Không nhập tệp .docx này: {exc}.")]) from None
    try:
        document = open_docx(io.BytesIO(raw))
    except Exception:  # python-docx raises several kinds for a damaged package
        raise DhcError(
            [Finding(display, 1, 1, "DH607", ("Không mở được tệp .docx (tệp hỏng hoặc không phải tài liệu Word)."))]
        ) from None
    draft = Draft(display, "docx", "Office Open XML", [])
    part = document.part
    reader = Reader(draft, _styles(part), _bullet_lists(part))
    for child in document.element.body:
        _block(reader, child, table=False)
    _footnotes(reader, part)
    return draft


def _styles(part: Any) -> dict[str, Style]:
    styles: dict[str, Style] = {}
    root = part.styles.element if hasattr(part, "styles") else None
    if root is None:
        return styles
    for style in root.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId", "")
        name = style.find(f"{W}name")
        based = style.find(f"{W}basedOn")
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        numbered = style.find(f"{W}pPr/{W}numPr") is not None
        styles[style_id] = Style(
            name.get(f"{W}val", style_id) if name is not None else style_id,
            based.get(f"{W}val") if based is not None else None,
            int(outline.get(f"{W}val", "9")) if outline is not None else None,
            numbered,
        )
    return styles


def _bullet_lists(part: Any) -> set[tuple[str, str]]:
    """(numId, ilvl) pairs whose list level draws a bullet rather than a number."""
    try:
        root = part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return set()
    abstract: dict[str, set[str]] = {}
    for item in root.iter(f"{W}abstractNum"):
        levels = {
            lvl.get(f"{W}ilvl", "0")
            for lvl in item.iter(f"{W}lvl")
            if (fmt := lvl.find(f"{W}numFmt")) is not None and fmt.get(f"{W}val") == "bullet"
        }
        abstract[item.get(f"{W}abstractNumId", "")] = levels
    out: set[tuple[str, str]] = set()
    for num in root.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is not None:
            out.update((num.get(f"{W}numId", ""), lvl) for lvl in abstract.get(ref.get(f"{W}val", ""), ()))
    return out


def _block(reader: Reader, element: Any, table: bool) -> None:
    tag = element.tag
    if tag == f"{W}p":
        for box in _text_boxes(element):
            for child in box:
                _block(reader, child, table=True)
        reader.count += 1
        for para in _paragraph(reader, element, table):
            reader.draft.paras.append(para)
    elif tag == f"{W}tbl":
        for row in element.iter(f"{W}tr"):
            for cell in row.iterchildren(f"{W}tc"):
                for child in cell:
                    _block(reader, child, table=True)
    elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
        for child in element:
            _block(reader, child, table)


def _text_boxes(p: Any) -> list[Any]:
    """Text boxes anchored in a paragraph (the header block is sometimes laid out in them);
    the VML copy that Word keeps as a fallback is skipped."""
    return [box for box in p.iter(f"{W}txbxContent") if not any(a.tag == FALLBACK for a in box.iterancestors())]


def _paragraph(reader: Reader, p: Any, table: bool) -> list[Para]:
    """One Para per line of the paragraph (a manual line break starts a new one)."""
    style_id = _value(p.find(f"{W}pPr/{W}pStyle")) or "Normal"
    name = _style_chain_name(reader.styles, style_id)
    heading = _heading_level(reader.styles, style_id, p)
    role = ROLES.get(name.lower()) or _list_role(reader, p, style_id)
    if name.lower() in HEADING_NAMES:
        heading = HEADING_NAMES[name.lower()]
    paras = []
    for runs in _lines(_runs(p)):
        text, bold, italic = _markup(runs)
        if text:
            paras.append(Para(text, reader.count, heading, bold, italic, role, table))
    return paras


def _style_chain_name(styles: dict[str, Style], style_id: str) -> str:
    style = styles.get(style_id)
    return style.name if style else style_id


def _heading_level(styles: dict[str, Style], style_id: str, p: Any) -> int | None:
    direct = p.find(f"{W}pPr/{W}outlineLvl")
    if direct is not None:
        level = int(direct.get(f"{W}val", "9"))
        return level + 1 if level < 9 else None
    seen = set()
    current: str | None = style_id
    while current and current not in seen:
        seen.add(current)
        style = styles.get(current)
        if style is None:
            return None
        match = HEADING_STYLE.match(style.name)
        if match:
            return int(match.group(1))
        if style.outline is not None and style.outline < 9:
            return style.outline + 1
        current = style.based_on
    return None


def _list_role(reader: Reader, p: Any, style_id: str) -> str | None:
    num = p.find(f"{W}pPr/{W}numPr")
    style = reader.styles.get(style_id)
    if num is None and not (style and style.numbered):
        return None
    if num is None:
        return "item"
    num_id = _value(num.find(f"{W}numId")) or ""
    level = _value(num.find(f"{W}ilvl")) or "0"
    if num_id == "0":
        return None
    return "bullet" if (num_id, level) in reader.bullets else "item"


def _value(element: Any) -> str | None:
    return element.get(f"{W}val") if element is not None else None


# --- runs ---------------------------------------------------------------------------------


def _runs(p: Any) -> list[Run | None]:
    """Text runs with their formatting and footnote marks, None where a line breaks."""
    out: list[Run | None] = []
    custom = [""]

    def visit(element: Any) -> None:
        for child in element:
            tag = child.tag
            if tag in SKIP:
                continue
            if tag == f"{W}r":
                _run(child, out, custom)
            elif isinstance(tag, str):
                visit(child)

    visit(p)
    return out


def _run(r: Any, out: list[Run | None], custom: list[str]) -> None:
    props = r.find(f"{W}rPr")
    bold, italic = _on(props, "b"), _on(props, "i")
    style = (_value(r.find(f"{W}rPr/{W}rStyle")) or "").lower()
    if "footnote" in style and "".join(t.text or "" for t in r.iter(f"{W}t")).strip() in ("(", ")", "()"):
        return  # the parentheses dhc writes around Word's footnote number: “(” 1 “)”
    skip_mark = False
    for child in r:
        tag = child.tag
        if tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            prefix = ENDNOTE if tag == f"{W}endnoteReference" else ""
            out.append(Run("", note=prefix + child.get(f"{W}id", "")))
            skip_mark = child.get(f"{W}customMarkFollows") in ("1", "true", "on")
        elif tag == f"{W}t":
            text = child.text or ""
            if skip_mark:
                custom[0], skip_mark = text, False
                continue
            if custom[0] and text.startswith(custom[0]):
                # LibreOffice repeats a custom footnote mark as text after the reference.
                text = text[len(custom[0]) :]
            custom[0] = ""
            out.append(Run(text, bold, italic))
        elif tag in (f"{W}tab", f"{W}ptab"):
            out.append(Run(" ", bold, italic))
        elif tag in (f"{W}br", f"{W}cr"):
            out.append(None)
        elif tag == f"{W}noBreakHyphen":
            out.append(Run("-", bold, italic))


def _on(props: Any, name: str) -> bool:
    if props is None:
        return False
    element = props.find(f"{W}{name}")
    return element is not None and element.get(f"{W}val", "true") not in ("0", "false", "off")


def _lines(runs: list[Run | None]) -> list[list[Run]]:
    lines: list[list[Run]] = [[]]
    for run in runs:
        if run is None:
            lines.append([])
        else:
            lines[-1].append(run)
    return lines


def _markup(runs: list[Run]) -> tuple[str, bool, bool]:
    """Prose markup for a line; formatting that covers the whole line is returned as flags."""
    texts = [r for r in runs if r.note is None and r.text.strip()]
    all_bold = bool(texts) and all(r.bold for r in texts)
    all_italic = bool(texts) and all(r.italic for r in texts)
    out: list[str] = []
    pending: list[str] = []
    style = (False, False)
    for run in runs:
        if run.note is not None:
            out.append(_emphasis("".join(pending), *style))
            pending, style = [], (False, False)
            out.append(mark(run.note))
            continue
        current = (run.bold and not all_bold, run.italic and not all_italic)
        if current != style and run.text.strip():
            out.append(_emphasis("".join(pending), *style))
            pending, style = [], current
        pending.append(escape_prose(clean(run.text)))
    out.append(_emphasis("".join(pending), *style))
    return "".join(out).strip(), all_bold, all_italic


def _emphasis(text: str, bold: bool, italic: bool) -> str:
    core = text.strip()
    if not core or not (bold or italic):
        return text
    marks = ("**" if bold else "") + ("*" if italic else "")
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{marks}{core}{marks[::-1]}{trail}"


# --- footnotes ----------------------------------------------------------------------------


def _footnotes(reader: Reader, part: Any) -> None:
    """Footnotes, and endnotes (which become footnotes: the report has only those)."""
    kinds = {RT.FOOTNOTES: ("footnote", ""), RT.ENDNOTES: ("endnote", ENDNOTE)}
    for rel in part.rels.values():
        if rel.reltype not in kinds or rel.is_external:
            continue
        tag, prefix = kinds[rel.reltype]
        root = etree.fromstring(rel.target_part.blob)
        for note in root.iter(f"{W}{tag}"):
            if note.get(f"{W}type", "normal") != "normal":
                continue
            paragraphs = _note_paragraphs(note)
            if paragraphs:
                reader.draft.notes[prefix + note.get(f"{W}id", "")] = Note(paragraphs, reader.count)
    if any(key.startswith(ENDNOTE) for key in reader.draft.notes):
        reader.draft.review(1, "DH618", "Chú thích cuối văn bản (endnote) được chuyển thành chú thích cuối trang.")


def _note_paragraphs(note: Any) -> list[str]:
    paragraphs = []
    for i, p in enumerate(note.iter(f"{W}p")):
        runs = [r for r in _runs(_without_number(p) if i == 0 else p) if r is not None and r.note is None]
        text, bold, italic = _markup(runs) if runs else ("", False, False)
        if bold:
            text = f"**{text}**"
        if italic:
            text = f"*{text}*"
        if text:
            paragraphs.append(text)
    return paragraphs


def _without_number(p: Any) -> Any:
    """The paragraph without the number “(1)” that the compiler types before a footnote's
    text (in a footnote-reference style; LibreOffice types it twice)."""
    copy = deepcopy(p)
    for run in list(copy.iter(f"{W}r")):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if run.find(f"{W}footnoteRef") is not None and not text.strip():
            continue
        style = _value(run.find(f"{W}rPr/{W}rStyle")) or ""
        if "footnote" not in style.lower() or not FOOTNOTE_MARK.match(text):
            break
        run.getparent().remove(run)
    return copy
