"""Views of a change set, each a pure function of it: terminal text, --stat, JSON, Markdown."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass

from dhcompiler.diff import changeset as cs
from dhcompiler.diff.text import count_words

SCHEMA_VERSION = 1

STATUS_VI = {
    cs.ADDED: "thêm mới",
    cs.REMOVED: "bỏ",
    cs.MOVED: "chuyển chỗ",
    cs.RENAMED: "đổi tên",
    cs.EDITED: "sửa",
    cs.UNCHANGED: "không đổi",
}

# A piece of rendered output: (text, style) with style "", "del", "ins", "dim", "bold".
Piece = tuple[str, str]
Line = list[Piece]


@dataclass(frozen=True)
class ViewOptions:
    """How to show the changes: colour, words of context (None: the sentence), markers."""

    color: bool = False
    context: int | None = None


def status_vi(status: str) -> str:
    return ", ".join(STATUS_VI.get(s, s) for s in status.split("+"))


def is_moved(p: cs.ParagraphChange) -> bool:
    """A paragraph moved, inside its section or into it from another (its status `moved` or `moved+edited`)."""
    return cs.has(p.status, cs.MOVED)


def moved_away(changes: cs.ChangeSet) -> dict[str, frozenset[int]]:
    """OLD section key → the OLD blocks of its paragraphs that moved to another section (listed there, not in it)."""
    away: dict[str, set[int]] = {}
    for section in changes.sections:
        for p in section.paragraphs:
            if p.moved_from is not None:
                away.setdefault(p.moved_from.key, set()).update(p.old_blocks)
    return {key: frozenset(blocks) for key, blocks in away.items()}


def paragraph_ranks(section: cs.SectionChange, left: Set[int] = frozenset()) -> tuple[dict[int, int], dict[int, int]]:
    """Each OLD and NEW block of a section's own text → its rank there, from 1 (“đoạn 1”); the title
    left out, and the OLD place of a paragraph moved in from another section. `left` are the OLD
    blocks of the paragraphs that moved from this section to another (`moved_away`): they count
    among its OLD paragraphs."""
    own = {i for p in section.paragraphs if p.role != "title" and not p.moved_from for i in p.old_blocks}
    old = sorted(own | left)
    new = sorted({j for p in section.paragraphs if p.role != "title" for j in p.new_blocks})
    return {b: r for r, b in enumerate(old, 1)}, {b: r for r, b in enumerate(new, 1)}


def move_place(section: cs.SectionChange, p: cs.ParagraphChange, left: Set[int] = frozenset()) -> str:
    """“đoạn 1 → đoạn 5”: where a moved paragraph stood in its section, and where it stands now;
    “từ mục II.1.2.” for a paragraph moved in from another section. `left` as for `paragraph_ranks`."""
    if p.moved_from is not None:
        return f"từ mục {section_label(p.moved_from)}"
    old, new = paragraph_ranks(section, left)
    return f"đoạn {old[p.old_blocks[0]]} → đoạn {new[p.new_blocks[0]]}"


def section_label(place: cs.Place | None) -> str:
    """“II.1.1.” from the path (“Phần thứ nhất”, “II.”, “1.”, “1.1.”); a part keeps its name."""
    if place is None:
        return ""
    path = [p for p in place.path if p]
    if not path:
        return place.number
    if len(path) == 1:
        return path[0]
    rest = [p for p in path if not p.startswith("Phần")]
    roman = rest[0] if rest and re.fullmatch(r"[IVXLC]+[.\-]", rest[0]) else ""
    arabic = [p for p in rest if re.fullmatch(r"[\d.\-]+", p)]
    item = rest[-1] if rest and rest[-1].startswith("(") else ""
    return roman + (arabic[-1] if arabic else "") + item or place.number


def part_of(place: cs.Place | None) -> str:
    if place is None or not place.path:
        return ""
    return place.path[0] if place.path[0].startswith("Phần") else ""


def heading(change: cs.SectionChange) -> str:
    place = change.new or change.old
    assert place is not None
    label = section_label(place)
    title = place.title or ("(đoạn kết)" if not place.number else "")
    noun = "" if label.startswith("Phần") else "Mục "
    text = f"{noun}{label} {title}".strip() if label else title or place.key
    if change.new and change.old and cs.has(change.status, cs.MOVED):
        text += f" (cũ: {section_label(change.old)})"
    if change.new and change.old and cs.has(change.status, cs.RENAMED):
        text += f" (tên cũ: “{change.old.title}”)"
    return text


# --- word operations as pieces --------------------------------------------------------------


def _pieces(p: cs.ParagraphChange) -> list[Piece]:
    out: list[Piece] = []
    for op in p.ops:
        if op.op == cs.EQUAL:
            out.append((op.new, ""))
            continue
        if op.old:
            out.append((op.old, "del"))
        if op.new:
            out.append((op.new, "ins"))
    return out


def _head(text: str, words: int | None) -> str:
    if words is None:
        cut = re.search(r"[.;:!?…](\s|$)", text)
        return text[: cut.end()].rstrip() if cut else text
    return "".join(re.findall(r"\s*\S+", text)[:words])


def _tail(text: str, words: int | None) -> str:
    if words is None:
        cuts = list(re.finditer(r"[.;:!?…]\s", text))
        return text[cuts[-1].end() :] if cuts else text
    found = re.findall(r"\S+\s*", text)
    return "".join(found[-words:]) if words else ""


def trim(pieces: list[Piece], words: int | None) -> list[Piece]:
    """Keep the changes and their context: the sentence around them, or `words` words each side."""
    out: list[Piece] = []
    for i, (text, style) in enumerate(pieces):
        if style:
            out.append((text, style))
            continue
        first, last = i == 0, i == len(pieces) - 1
        if not text.strip():
            out.append((text, ""))
            continue
        head = "" if first else _head(text, words)
        tail = "" if last else _tail(text, words)
        if len(head) + len(tail) >= len(text):
            out.append((text, ""))
            continue
        if head:
            out.append((head, ""))
        out.append((" … " if head or not first else "… ", "dim"))
        if tail:
            out.append((tail, ""))
    return out


def _opening(text: str, words: int = 12) -> str:
    """The first `words` words of a paragraph, “…” after them when it goes on."""
    head = _head(text, words)
    return head if len(head) == len(text) else f"{head} …"


def moved_lines(p: cs.ParagraphChange, where: str, options: ViewOptions) -> Iterator[Line]:
    """A moved paragraph: its opening words (its edits, if also edited), then “[chuyển chỗ: đoạn 1 → đoạn 5]”."""
    edited = cs.has(p.status, cs.EDITED)  # a difference reported elsewhere (`reported_at`) is not shown here
    pieces = trim(_pieces(p), options.context) if edited else [(_opening(p.new_text), "")]
    label = p.new_label or p.old_label
    yield [(f"{label} " if label else "", "dim"), *pieces, (f"  [{_move_note(p, where)}]", "dim")]


def _move_note(p: cs.ParagraphChange, where: str) -> str:
    """“chuyển chỗ: đoạn 1 → đoạn 5” inside a section; “chuyển từ mục II.1.2.” (“…, sửa”) from another."""
    if p.moved_from is None:
        return f"{status_vi(p.status)}: {where}"
    edited = ", sửa" if cs.has(p.status, cs.EDITED) else ""
    return f"chuyển {where}{edited}"


def paragraph_lines(p: cs.ParagraphChange, options: ViewOptions) -> Iterator[Line]:
    """The lines that show one paragraph's change."""
    if p.status in (cs.ADDED, cs.REMOVED):
        label = p.new_label or p.old_label
        text = p.new_text or p.old_text
        yield [(f"{label} " if label else "", "dim"), (text, "ins" if p.status == cs.ADDED else "del")]
        return
    pieces = trim(_pieces(p), options.context)
    label = p.new_label or p.old_label
    if label:
        pieces.insert(0, (f"{label} ", "dim"))
    if p.status == "split":
        pieces.append(("  (tách đoạn)", "dim"))
    elif p.status == "merged":
        pieces.append(("  (gộp đoạn)", "dim"))
    yield pieces


# --- the terminal view ----------------------------------------------------------------------


def report_lines(changes: cs.ChangeSet, options: ViewOptions) -> Iterator[Line]:
    """Everything the terminal shows, as styled lines."""
    yield [(f"So sánh {changes.old.description} → {changes.new.description}", "bold")]
    yield from _meta_lines(changes, options)
    yield from _section_lines(changes, options)
    yield from _footnote_lines(changes, options)
    yield from _indicator_lines(changes)
    yield from [[(_summary(changes), "bold")]]


def _meta_lines(changes: cs.ChangeSet, options: ViewOptions) -> Iterator[Line]:
    if not changes.meta:
        return
    yield []
    yield [("Thông tin văn bản", "bold")]
    for m in changes.meta:
        count = word_counts(m)
        yield [(f"  {m.label}{count}: [{status_vi(m.status)}]", "")]
        for line in paragraph_lines(m.paragraph, options):
            yield [("    ", ""), *line]


def changed_sections(changes: cs.ChangeSet) -> Iterator[tuple[str | None, cs.SectionChange]]:
    """The changed sections in reading order, each with the title of its part when it is the
    first of that part (else None), so that every view groups them alike."""
    part: str | None = None
    for change in changes.sections:
        if change.status == cs.UNCHANGED:
            continue
        this = part_of(change.new or change.old)
        starts = this != part
        part = this
        yield (this or "Phần mở đầu và kết luận") if starts else None, change


def word_counts(meta: cs.MetaChange) -> str:
    """“ (58 → 60 chữ)” for the theme, whose word count is printed with it; else empty."""
    return f" ({meta.old_words} → {meta.new_words} chữ)" if meta.field == "theme" else ""


def _section_lines(changes: cs.ChangeSet, options: ViewOptions) -> Iterator[Line]:
    away = moved_away(changes)
    for starts_part, change in changed_sections(changes):
        left = away.get(change.old.key, frozenset()) if change.old else frozenset()
        if starts_part is not None:
            yield []
            yield [(starts_part, "bold")]
        yield [(f"  {heading(change)} ", "bold"), (f"[{status_vi(change.status)}]", "dim")]
        for p in change.paragraphs:
            if (
                p.status == "equal"
                or (p.reported_at and not is_moved(p))
                or (p.role == "title" and change.status != cs.ADDED)
            ):
                continue
            if p.role == "title" and change.status in (cs.ADDED, cs.REMOVED):
                continue
            if is_moved(p):
                for line in moved_lines(p, move_place(change, p, left), options):
                    yield [("    ", ""), *line]
                continue
            for line in paragraph_lines(p, options):
                yield [("    ", ""), *line]
        if change.status == cs.RENAMED or cs.has(change.status, cs.RENAMED):
            title = next((p for p in change.paragraphs if p.role == "title"), None)
            if title is not None:
                for line in paragraph_lines(title, ViewOptions(options.color, 1000)):
                    yield [("    tên: ", "dim"), *line]


def _footnote_lines(changes: cs.ChangeSet, options: ViewOptions) -> Iterator[Line]:
    if not changes.footnotes:
        return
    yield []
    yield [("Chú thích", "bold")]
    for f in changes.footnotes:
        place = f.new or f.old
        assert place is not None
        where = f", trong mục {section_label(f.cited_in)} {f.cited_in.title}".rstrip() if f.cited_in else ""
        yield [(f"  Chú thích {place.number}{where} ", "bold"), (f"[{status_vi(f.status)}]", "dim")]
        for p in f.paragraphs:
            if p.status != "equal":
                for line in paragraph_lines(p, options):
                    yield [("    ", ""), *line]


def _indicator_lines(changes: cs.ChangeSet) -> Iterator[Line]:
    if not changes.indicators and not changes.groups:
        return
    yield []
    yield [("Chỉ tiêu", "bold")]
    for c in changes.indicators:
        value = c.new_value or c.old_value
        assert value is not None
        listing = "kết quả nhiệm kỳ qua" if c.list_name == "results" else "chỉ tiêu nhiệm kỳ mới"
        place = c.new or c.old
        number = f", mục {''.join(place.path)}" if place and place.path else ""
        yield [(f"  {value.name} ({listing}{number}) ", "bold"), (f"[{status_vi(c.status)}]", "dim")]
        if c.status == cs.EDITED:
            yield [("    ", ""), (c.summary, "")]
        elif c.status == cs.ADDED:
            yield [("    ", ""), (_indicator_text(value), "ins")]
        else:
            yield [("    ", ""), (_indicator_text(value), "del")]
        for cite in c.citations:
            yield [(f"    xuất hiện ở mục {section_label(cite.section)}: ", "dim"), (f"“{cite.sentence}”", "")]
    for g in changes.groups:
        yield [(f"  Nhóm chỉ tiêu {g.number}: đạt {g.met_old}/{g.total_old} → {g.met_new}/{g.total_new}", "")]


def _indicator_text(value: cs.IndicatorSide) -> str:
    parts = [f"kết quả {value.result}" if value.result else "", f"mục tiêu {value.target}" if value.target else ""]
    status = f"; {value.achievement}" if value.achievement else ""
    return ", ".join(p for p in parts if p) + status


# --- counts and --stat ----------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """What --stat and the summary line count."""

    sections: dict[str, int]
    footnotes: dict[str, int]
    indicators: int
    meta: int
    added: int
    removed: int
    paragraphs: dict[str, int] = dataclasses.field(default_factory=dict)  # paragraphs moved: {"moved": n}


def moved_paragraphs(section: cs.SectionChange) -> int:
    """How many paragraphs of a section moved inside it or into it from another section."""
    return sum(1 for p in section.paragraphs if is_moved(p))


def counts(changes: cs.ChangeSet) -> Counts:
    sections: dict[str, int] = {}
    for s in changes.sections:
        for status in s.status.split("+"):
            if status != cs.UNCHANGED:
                sections[status] = sections.get(status, 0) + 1
    footnotes: dict[str, int] = {}
    for f in changes.footnotes:
        footnotes[f.status] = footnotes.get(f.status, 0) + 1
    added = sum(s.words_added for s in changes.sections) + sum(f.words_added for f in changes.footnotes)
    removed = sum(s.words_removed for s in changes.sections) + sum(f.words_removed for f in changes.footnotes)
    for m in changes.meta:
        added += sum(count_words(op.new) for op in m.paragraph.ops if op.op != cs.EQUAL)
        removed += sum(count_words(op.old) for op in m.paragraph.ops if op.op != cs.EQUAL)
    moved = sum(moved_paragraphs(s) for s in changes.sections if s.status != cs.UNCHANGED)
    paragraphs = {cs.MOVED: moved} if moved else {}
    return Counts(sections, footnotes, len(changes.indicators), len(changes.meta), added, removed, paragraphs)


def _by_status(found: dict[str, int]) -> str:
    return ", ".join(f"{n} {STATUS_VI.get(s, s)}" for s, n in found.items())


def _summary(changes: cs.ChangeSet) -> str:
    c = counts(changes)
    parts = []
    if c.meta:
        parts.append(f"{c.meta} thông tin văn bản")
    if c.sections:
        parts.append(f"mục: {_by_status(c.sections)}")
    if c.paragraphs:
        parts.append(f"đoạn: {_by_status(c.paragraphs)}")
    if c.footnotes:
        parts.append(f"chú thích: {_by_status(c.footnotes)}")
    if c.indicators:
        parts.append(f"{c.indicators} chỉ tiêu thay đổi")
    words = f"; +{c.added} −{c.removed} chữ"
    return "Tổng cộng: " + ("; ".join(parts) or "không có thay đổi") + words + "."


def stat_lines(changes: cs.ChangeSet) -> Iterator[Line]:
    """One line per part and per changed section, footnote and indicator, then the total."""
    if changes.meta:
        yield [("Thông tin văn bản", "bold")]
        for m in changes.meta:
            words = word_counts(m)
            yield [(f"  {m.label}{words}  ", ""), (status_vi(m.status), "dim")]
    for starts_part, change in changed_sections(changes):
        if starts_part is not None:
            yield [(starts_part, "bold")]
        place = change.new or change.old
        label = section_label(place) or (place.key if place else "")
        moved = moved_paragraphs(change)
        status = status_vi(change.status) + (f" ({moved} đoạn chuyển chỗ)" if moved else "")
        yield _count_line(label, change.words_added, change.words_removed, status)
    if changes.footnotes:
        yield [("Chú thích", "bold")]
    for f in changes.footnotes:
        place = f.new or f.old
        yield _count_line(place.number if place else "", f.words_added, f.words_removed, status_vi(f.status))
    if changes.indicators or changes.groups:
        yield [("Chỉ tiêu", "bold")]
    for i in changes.indicators:
        value = i.new_value or i.old_value
        yield [(f"  {value.name if value else ''}: ", ""), (i.summary or status_vi(i.status), "dim")]
    for g in changes.groups:
        yield [(f"  Nhóm {g.number}: đạt {g.met_old}/{g.total_old} → {g.met_new}/{g.total_new}", "")]
    yield [(_summary(changes), "bold")]


def _count_line(label: str, added: int, removed: int, status: str) -> Line:
    return [
        (f"  {label:<16}", ""),
        (f"{f'+{added}':>5}", "add"),
        (f"{f'−{removed}':>6}", "rem"),
        (f"  {status}", "dim"),
    ]


# --- plain and coloured text ----------------------------------------------------------------


def plain(lines: Iterator[Line]) -> str:
    """Lines as text with git's word-diff markers: [-deleted-]{+inserted+}."""
    out = []
    for line in lines:
        text = ""
        for piece, style in line:
            piece = piece.replace("\n", "¶") if style in ("ins", "del") else piece
            text += f"[-{piece}-]" if style == "del" else f"{{+{piece}+}}" if style == "ins" else piece
        out.append(text)
    return "\n".join(out) + "\n"


STYLES = {"del": "red strike", "ins": "green", "add": "green", "rem": "red", "dim": "dim", "bold": "bold", "": ""}


def rich_text(lines: Iterator[Line]) -> list[object]:
    """Lines as rich Text objects: deleted words red and struck through, inserted words green."""
    from rich.text import Text

    out: list[object] = []
    for line in lines:
        text = Text()
        for piece, style in line:
            text.append(piece.replace("\n", "¶") if style in ("ins", "del") else piece, style=STYLES[style] or None)
        out.append(text)
    return out


# --- JSON and Markdown ----------------------------------------------------------------------


def to_json(changes: cs.ChangeSet) -> str:
    """The change set as JSON (schema in docs/diff.md), with the version and the summary counts.
    A paragraph's `moved_from` is written only when it moved from another section."""
    c = counts(changes)
    document = {
        "schema": SCHEMA_VERSION,
        "identical": changes.identical,
        "summary": {
            "sections": c.sections,
            "footnotes": c.footnotes,
            "indicators": c.indicators,
            "meta": c.meta,
            "words_added": c.added,
            "words_removed": c.removed,
            **({"paragraphs": c.paragraphs} if c.paragraphs else {}),
        },
        **dataclasses.asdict(changes, dict_factory=_json_fields),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _json_fields(items: list[tuple[str, object]]) -> dict[str, object]:
    return {k: v for k, v in items if not (k == "moved_from" and v is None)}


def _md_inline(line: Line) -> str:
    out = ""
    for piece, style in line:
        piece = piece.replace("\n", "¶") if style in ("ins", "del") else piece
        core = piece.strip()
        if style in ("ins", "del") and core:
            lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
            mark = "~~" if style == "del" else "**"
            out += f"{lead}{mark}{core}{mark}{trail}"
        elif style == "bold" and core:
            out += f"**{core}** "
        else:
            out += piece
    return out.strip()


def to_markdown(changes: cs.ChangeSet, options: ViewOptions) -> str:
    """For a pull request or an e-mail: headings per part and section, ~~deleted~~ **inserted**."""
    out = [f"# So sánh {changes.old.description} → {changes.new.description}"]
    for line in report_lines(changes, options):
        if not line:
            out.append("")
            continue
        text = _md_inline(line)
        if line[0][1] == "bold" and len(line) == 1 and not line[0][0].startswith(" "):
            if text.startswith("**So sánh"):
                continue
            out.extend(["", text] if text.startswith("**Tổng") else [f"## {text.strip('*')}"])
        elif line[0][0].startswith("    "):
            out.append(f"  - {text}")
        else:
            out.append(f"- {text}")
    return "\n".join(out).rstrip() + "\n"


TextView = Callable[[cs.ChangeSet, ViewOptions], str]

TEXT_FORMATS: dict[str, TextView] = {
    "text": lambda c, o: plain(report_lines(c, o)),
    "json": lambda c, o: to_json(c),
    "md": to_markdown,
}
