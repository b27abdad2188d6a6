"""Properties of the redline: random table edits and random paragraph moves, resolved both ways.

Each case edits the YAML text of a copy of the real data/ the way a drafter would, diffs it
against the unedited copy (and back), writes the redline and checks with the in-process oracle
that Accept All gives NEW's build and Reject All OLD's (texts, footnotes and tables), that every
revision id is unique and that the Markdown renderer takes the redline. The paragraph property
also checks what the change set reports for the section whose paragraphs moved, and for the
section one of them may have moved to.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import example, given, note, settings
from hypothesis import strategies as st

import redline_oracle as oracle
from deterministic import SETTINGS
from dhcompiler.diff import changeset as cs
from dhcompiler.diff.align import lis
from dhcompiler.diff.compare import compare
from dhcompiler.diff.redline import redline_document
from dhcompiler.diff.sides import Side, load_side
from dhcompiler.render_docx import render_docx
from dhcompiler.render_md import render_markdown
from dhcompiler.templates import DEFAULT_TEMPLATES
from diff_scenarios import DATA, LABEL, S11, S12, S16, TABLE_NOTE, TRACKING

PART_ONE = "sections/1-0-phan-thu-nhat.yaml"
FILES = {p.relative_to(DATA).as_posix(): p.read_text(encoding="utf-8") for p in DATA.rglob("*.yaml")}
# Both drafts cut down to the note on the theme and Part I, sections I., II. and VI. (numbered
# I., II., III.): a case costs a third of what the whole report would.
KEPT = ("1-1-ket-qua-thuc-hien-chi-tieu.yaml", "1-2-ket-qua-cong-tac-lanh-dao.yaml", "1-6-danh-gia-chung.yaml")
NOTE = "sections/00-thuyet-minh-chu-de.yaml"
BODY = re.compile(r"^body:\n(?:  - .*\n)+", re.M)
FILES["document.yaml"] = BODY.sub(f"body:\n  - {NOTE}\n  - {PART_ONE}\n", FILES["document.yaml"])
FILES[PART_ONE] = re.sub(
    r"^sections:\n(?:  - .*\n)+", "sections:\n" + "".join(f"  - {k}\n" for k in KEPT), FILES[PART_ONE], flags=re.M
)
CUT = {name: FILES[name] for name in ("document.yaml", PART_ONE)}  # written over every draft
WORDS = ["xã", "phường", "đạt", "chuẩn", "kinh tế", "tăng", "năm", "dự án", "mới", "nông thôn", "hộ", "vốn"]
NUMBER = re.compile(r"\d+(?:,\d+)?")
FOOTNOTE_MARK = re.compile(r"\[\^[^\]]*\]")


# --- drafts on disk -------------------------------------------------------------------------


@contextmanager
def draft_dir(files: dict[str, str]) -> Iterator[Path]:
    """A scratch copy of data/ with `files` (path → text) written over it."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DATA, data)
        for name, text in {**CUT, **files}.items():
            (data / name).write_text(text, encoding="utf-8")
        yield data


def load(files: dict[str, str], name: str) -> Side:
    with draft_dir(files) as data:
        return load_side(str(data), name, DATA, DEFAULT_TEMPLATES)


class Built:
    """A loaded draft and its build (a plain class: hypothesis prints a failing case's fixtures)."""

    def __init__(self, side: Side, docx: bytes) -> None:
        self.side, self.docx = side, docx

    def __repr__(self) -> str:
        return f"Built({self.side.description!r})"


def built(files: dict[str, str], name: str) -> Built:
    side = load(files, name)
    return Built(side, render_docx(side.document, DEFAULT_TEMPLATES))


NUMBERED = re.compile(rf"{LABEL.pattern}|^\(\d+\) ")


def unnumbered(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the number of a heading (“II.”, “1.2.”) or an item (“(3)”)."""
    return [NUMBERED.sub("", p) for p in paragraphs]


def assert_redline_resolves(old: Built, new: Built, renumbered: bool) -> cs.ChangeSet:
    """The redline OLD → NEW resolves to either build; its ids are unique; Markdown takes it."""
    changes = compare(old.side, new.side)
    document = redline_document(changes, old.side.document, new.side.document, TRACKING)
    red = render_docx(document, DEFAULT_TEMPLATES)
    render_markdown(document, DEFAULT_TEMPLATES)
    accepted, rejected = oracle.texts(red, "accept"), oracle.texts(red, "reject")
    expected_new, expected_old = oracle.texts(new.docx), oracle.texts(old.docx)
    assert accepted.paragraphs == expected_new.paragraphs
    assert accepted.footnotes == expected_new.footnotes
    assert accepted.tables == expected_new.tables
    assert rejected.footnotes == expected_old.footnotes
    assert rejected.tables == expected_old.tables
    if renumbered:  # a rejected heading or item keeps its NEW number (README: numbers stay computed)
        assert unnumbered(rejected.paragraphs) == unnumbered(expected_old.paragraphs)
        differ = [(a, b) for a, b in zip(rejected.paragraphs, expected_old.paragraphs, strict=True) if a != b]
        assert all(NUMBERED.match(a) and NUMBERED.match(b) for a, b in differ)
    else:
        assert rejected.paragraphs == expected_old.paragraphs
    ids = oracle.revision_ids(red)
    assert len(ids) == len(set(ids))
    return changes


def assert_both_ways(old: Built, new: Built, renumbered: bool) -> cs.ChangeSet:
    changes = assert_redline_resolves(old, new, renumbered)
    assert_redline_resolves(new, old, renumbered)
    return changes


def move_section(files: dict[str, str], name: str, before: str) -> None:
    """Part I: section file `name` moved before section file `before`."""
    text = files[PART_ONE]
    line, target = f"  - {name}\n", f"  - {before}\n"
    assert text.count(line) == 1 and text.count(target) == 1
    text = text.replace(line, "")
    files[PART_ONE] = text.replace(target, line + target)


# --- tables -----------------------------------------------------------------------------------

Row = list[str] | str  # a row's cells, or a group row's text


@dataclass
class TableDraft:
    """A table as its YAML says it: header cells, rows (a str is a group row)."""

    header: list[str]
    rows: list[Row] = field(default_factory=list)

    def yaml(self, pad: str) -> str:
        lines = [f"{pad}- table:", f"{pad}    header: [{', '.join(map(quoted, self.header))}]"]
        if not self.rows:
            return "\n".join([*lines, f"{pad}    rows: []"]) + "\n"
        lines.append(f"{pad}    rows:")
        for row in self.rows:
            if isinstance(row, str):
                lines.append(f"{pad}      - group: {quoted(row)}")
            else:
                lines.append(f"{pad}      - [{', '.join(map(quoted, row))}]")
        return "\n".join(lines) + "\n"


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


INDICATORS = "indicators.yaml"
INDICATOR_OLD, INDICATOR_NEW = "        result: 48,3\n", "        result: 40\n"
assert FILES[INDICATORS].count(INDICATOR_OLD) == 1
NOTE_CELL = "Thu ngân sách trên địa bàn tăng bình quân[^ghi-chu-bang]"
INDICATOR_CELL = "{{ ind.truong_chuan_muc_2.result }}"

# Where a table may stand: (file, the line it follows, indent). Slots a and b are in Part I, I.;
# slot c opens Part I, III.1.2. (Nguyên nhân); slot d ends III.2.2. (Nguyên nhân), the last
# section of the cut-down report, so that a table there is its last block.
SLOTS = {
    "a": (S11, "  - indicators: results\n", "  "),
    "b": (S11, "  - indicators: results\n", "  "),
    "c": (S16, "      - key: nguyen-nhan\n        title: Nguyên nhân\n        content:\n", "          "),
    "d": (S16, "cán bộ làm công tác mặt trận, tổ chức chính trị - xã hội còn hạn chế.\n", "          "),
}


def base_tables() -> dict[str, TableDraft | None]:
    return {
        "a": TableDraft(
            ["STT", "Chỉ tiêu", "Kết quả"],
            [
                "Về kinh tế - xã hội",
                ["1", NOTE_CELL, "40,75%/năm"],
                ["2", "Tỷ lệ trường công lập đạt chuẩn Quốc gia mức độ 2", INDICATOR_CELL],
                ["3", "Tỷ lệ hộ nghèo theo chuẩn đa chiều", "còn 0,5%"],
            ],
        ),
        "b": TableDraft(["Nội dung", "Số lượng"], [["Công trình, dự án hoàn thành", "117 dự án"]]),
        "c": TableDraft(
            ["Nguyên nhân", "Mức độ"],
            ["Khách quan", ["Sự quan tâm của Tỉnh ủy", "cao"], ["Đoàn kết, năng động", "khá"]],
        ),
        "d": None,
    }


@dataclass
class TablesDraft:
    """The tables of a draft (slot → table), and what else was done to it."""

    tables: dict[str, TableDraft | None]
    moved: bool = False  # section III. (tables c and d) moved before I.
    indicator: bool = False  # indicator 6 (cited in table a) changed, 48,3% → 40%
    dropped: bool = False  # section III. (tables c and d) left out of Part I

    def files(self) -> dict[str, str]:
        files = {name: FILES[name] for name in (S11, S16, PART_ONE)}
        for slot in ("b", "a", "c", "d"):  # a before b: each is written right after the same line
            table = self.tables[slot]
            name, anchor, pad = SLOTS[slot]
            if table is not None:
                assert files[name].count(anchor) == 1
                files[name] = files[name].replace(anchor, anchor + table.yaml(pad))
        files[S11] += TABLE_NOTE
        if self.dropped:
            files[PART_ONE] = files[PART_ONE].replace("  - 1-6-danh-gia-chung.yaml\n", "")
        elif self.moved:
            move_section(files, "1-6-danh-gia-chung.yaml", "1-1-ket-qua-thuc-hien-chi-tieu.yaml")
        if self.indicator:
            files[INDICATORS] = FILES[INDICATORS].replace(INDICATOR_OLD, INDICATOR_NEW)
        return files


def words_of(cell: str) -> list[int]:
    """Indices of the words of a cell a drafter may touch (not a footnote mark or an expression)."""
    if "{{" in cell:
        return []
    return [k for k, w in enumerate(cell.split(" ")) if w and "[^" not in w]


@st.composite
def cell_edit(draw: st.DrawFn, cell: str) -> str:
    """A cell with a word inserted, deleted or replaced, or a number changed."""
    words = cell.split(" ") if cell else []
    editable = words_of(cell)
    how = draw(st.sampled_from(["insert", "delete", "replace", "number"]))
    if how == "number" and NUMBER.search(cell) and "{{" not in cell:
        found = list(NUMBER.finditer(cell))
        m = found[draw(st.integers(0, len(found) - 1))]
        return cell[: m.start()] + draw(st.sampled_from(["0", "12", "48,3", "100", "7,25"])) + cell[m.end() :]
    if how in ("delete", "replace") and editable:
        k = draw(st.sampled_from(editable))
        if how == "delete":
            return " ".join(words[:k] + words[k + 1 :])
        return " ".join([*words[:k], draw(st.sampled_from(WORDS)), *words[k + 1 :]])
    if "{{" in cell:
        return cell
    k = draw(st.integers(0, len(words)))
    return " ".join([*words[:k], draw(st.sampled_from(WORDS)), *words[k:]])


def new_cells(draw: st.DrawFn, columns: int) -> list[str]:
    return [" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=0, max_size=3))) for _ in range(columns)]


@st.composite
def table_program(draw: st.DrawFn) -> TablesDraft:
    """OLD's tables with 1–4 random edits; each edit `note`d."""
    draft = TablesDraft(base_tables())
    for _ in range(draw(st.integers(1, 4))):
        present = sorted(s for s, t in draft.tables.items() if t is not None)
        absent = sorted(s for s, t in draft.tables.items() if t is None)
        kinds = ["move_section", "indicator", "drop_section", *(["add_table"] if absent else [])]
        if present:
            kinds += ["cell", "cell", "add_row", "remove_row", "swap_rows", "copy_row", "add_column", "remove_table"]
            kinds += ["move_row", "move_row"]
        kind = draw(st.sampled_from(kinds))
        if kind == "move_section":
            draft.moved = not draft.moved
            note("section III. moved before I." if draft.moved else "section III. moved back")
            continue
        if kind == "drop_section":
            draft.dropped = not draft.dropped
            note(f"section III. left out: {draft.dropped}")
            continue
        if kind == "indicator":
            draft.indicator = not draft.indicator
            note(f"indicator 6 changed: {draft.indicator}")
            continue
        if kind == "move_row":
            move_row(draw, draft, present)
            continue
        if kind == "add_table":
            slot = draw(st.sampled_from(absent))
            columns = draw(st.integers(1, 3))
            rows: list[Row] = [new_cells(draw, columns) for _ in range(draw(st.integers(0, 2)))]
            draft.tables[slot] = TableDraft([f"Cột {c + 1}" for c in range(columns)], rows)
            note(f"table {slot} added: {draft.tables[slot]}")
            continue
        slot = draw(st.sampled_from(present))
        table = draft.tables[slot]
        assert table is not None
        edit_table(draw, kind, slot, table, draft)
    return draft


def edit_table(draw: st.DrawFn, kind: str, slot: str, table: TableDraft, draft: TablesDraft) -> None:
    """One edit of `table` (in `draft`'s slot `slot`)."""
    columns = len(table.header)
    if kind == "remove_table":
        draft.tables[slot] = None
        note(f"table {slot} removed")
    elif kind == "cell":
        r = draw(st.integers(-1, len(table.rows) - 1))  # -1: the header
        if r == -1:
            c = draw(st.integers(0, columns - 1))
            table.header[c] = draw(cell_edit(table.header[c]))
            note(f"table {slot}, header cell {c}: {table.header[c]!r}")
        elif isinstance(table.rows[r], str):
            table.rows[r] = draw(cell_edit(str(table.rows[r]))) or "Nhóm"
            note(f"table {slot}, group row {r}: {table.rows[r]!r}")
        else:
            row = table.rows[r]
            assert isinstance(row, list)
            c = draw(st.integers(0, columns - 1))
            row[c] = draw(cell_edit(row[c]))
            note(f"table {slot}, row {r} cell {c}: {row[c]!r}")
    elif kind == "add_row":
        at = draw(st.integers(0, len(table.rows)))
        group = draw(st.booleans()) and draw(st.booleans())
        row: Row = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))) if group else []
        if not group:
            row = new_cells(draw, columns)
        table.rows.insert(at, row)
        note(f"table {slot}, row added at {at}: {row!r}")
    elif kind == "remove_row" and table.rows:
        at = draw(st.integers(0, len(table.rows) - 1))
        note(f"table {slot}, row {at} removed: {table.rows.pop(at)!r}")
    elif kind == "copy_row" and table.rows:
        i, at = draw(st.integers(0, len(table.rows) - 1)), draw(st.integers(0, len(table.rows)))
        row = table.rows[i]  # a footnote is cited once (DH024): the copy without its mark
        table.rows.insert(at, row if isinstance(row, str) else [FOOTNOTE_MARK.sub("", c) for c in row])
        note(f"table {slot}, row {i} copied to {at}")
    elif kind == "swap_rows" and len(table.rows) > 1:
        i, j = draw(st.lists(st.integers(0, len(table.rows) - 1), min_size=2, max_size=2, unique=True))
        table.rows[i], table.rows[j] = table.rows[j], table.rows[i]
        note(f"table {slot}, rows {i} and {j} swapped")
    elif kind == "add_column":
        at = draw(st.integers(0, columns))
        table.header.insert(at, draw(st.sampled_from(WORDS)))
        for row in table.rows:
            if isinstance(row, list):
                row.insert(at, draw(st.sampled_from(["", *WORDS])))
        note(f"table {slot}, column added at {at}")


def move_row(draw: st.DrawFn, draft: TablesDraft, present: list[str]) -> None:
    """A row cut from one table and pasted into another (or the same), its cells fitted to the columns."""
    source, target = draw(st.sampled_from(present)), draw(st.sampled_from(present))
    a, b = draft.tables[source], draft.tables[target]
    assert a is not None and b is not None
    if not a.rows:
        return
    row = a.rows.pop(draw(st.integers(0, len(a.rows) - 1)))
    if isinstance(row, list):
        row = (row + [""] * len(b.header))[: len(b.header)]
    at = draw(st.integers(0, len(b.rows)))
    b.rows.insert(at, row)
    note(f"row {row!r} moved from table {source} to table {target} at {at}")


@pytest.fixture(scope="module")
def table_base() -> Built:
    """OLD: the real data with three tables (a footnote in a cell, a group row, an indicator's value)."""
    return built(TablesDraft(base_tables()).files(), "cũ")


@settings(SETTINGS, max_examples=30)
@given(program=table_program())
def test_random_table_edits_resolve_both_ways(table_base: Built, program: TablesDraft) -> None:
    new = built(program.files(), "mới")
    assert_both_ways(table_base, new, renumbered=program.moved and not program.dropped)


# --- paragraph moves --------------------------------------------------------------------------


@dataclass(frozen=True)
class Movable:
    """A list of paragraphs (one block each) whose items may be reordered: list `name` of section
    `key` in `file`, after `before` blocks of the section; `items` when its items are numbered;
    `table` when a table heads the list (on both sides)."""

    file: str
    key: str
    name: str = "content"
    before: int = 0
    items: bool = False
    table: bool = False

    def text(self) -> str:
        """The file as both drafts start from."""
        if not self.table:
            return FILES[self.file]
        start, _end, _items = content_items(FILES[self.file], self)
        table = TableDraft(["Nguyên nhân", "Ghi chú"], [["Khách quan", "04 nhóm"], ["Chủ quan", "03 nhóm"]])
        assert 1 + len(table.rows) == TABLE_ROWS
        return FILES[self.file][:start] + table.yaml(" " * 10) + FILES[self.file][start:]


MOVABLE = [
    Movable(S16, "nguyen-nhan-2"),  # two leads, six paragraphs
    Movable(S16, "nguyen-nhan-2", table=True),  # and a table among them
    Movable(S16, "han-che-khuyet-diem"),  # an expression in its first paragraph
    Movable(S12, "phat-trien-nong-lam-nghiep-thuy"),  # footnotes, an indicator (FOREST_OLD)
    Movable(S12, "phat-trien-thuong-mai-dich-vu"),  # a footnote in the first of three
    Movable(NOTE, "thanh-to-chu-de-dai-hoi", "items", before=1, items=True),  # (1) … (5)
]
TOUCHABLE = re.compile(r"(?<=[\w,.;] )[^\W\d_]{2,}(?=[ ,.;:\n])")  # a word after another (not a YAML key)
UNTOUCHABLE = re.compile(r"\{\{.*?\}\}|\[\^[^\]]*\]", re.S)
HEADINGS = ("part", "heading", "note")
TABLE_ROWS = 3  # the table of Movable(table=True), its header included
FOREST_OLD = "        result: 20,1\n        target: {value: 20, comparison: at_least}\n"
FOREST_NEW = FOREST_OLD.replace("20,1", "20,5")
assert FILES[INDICATORS].count(FOREST_OLD) == 1
LONG = 15  # words: a paragraph this long, edited by one word, is still recognisably moved
# Where a paragraph of a list may move to in another section: a list of the same file, indented alike.
ACROSS = {
    "nguyen-nhan-2": Movable(S16, "han-che-khuyet-diem"),
    "han-che-khuyet-diem": Movable(S16, "nguyen-nhan-2"),
    "phat-trien-nong-lam-nghiep-thuy": Movable(S12, "phat-trien-thuong-mai-dich-vu"),
    "phat-trien-thuong-mai-dich-vu": Movable(S12, "phat-trien-nong-lam-nghiep-thuy"),
}


def content_items(text: str, where: Movable) -> tuple[int, int, list[str]]:
    """The list `where` names in a file's text: its start and end offsets, and its items' texts."""
    at = text.index(f"- key: {where.key}\n")
    head = f"{where.name}:\n"
    start = text.index(head, at) + len(head)
    line_start = text.rindex("\n", 0, start - len(head)) + 1
    pad = " " * (start - len(head) - line_start + 2)
    items: list[str] = []
    end = start
    for line in text[start:].splitlines(keepends=True):
        if line.startswith(pad + "- "):
            items.append(line)
        elif line.startswith(pad + " ") and items:
            items[-1] += line
        else:
            break
        end += len(line)
    return start, end, items


def word_edit(draw: st.DrawFn, item: str) -> str:
    """An item with one of its words replaced, deleted or preceded by a new one."""
    banned = [m.span() for m in UNTOUCHABLE.finditer(item)]
    words = [m for m in TOUCHABLE.finditer(item) if not any(a <= m.start() < b for a, b in banned)]
    if not words:
        return item
    m = draw(st.sampled_from(words))
    how = draw(st.sampled_from(["replace", "delete", "insert"]))
    if how == "replace":
        return item[: m.start()] + draw(st.sampled_from(WORDS)) + item[m.end() :]
    if how == "delete":
        return item[: m.start() - 1] + item[m.end() :]
    return item[: m.start()] + draw(st.sampled_from(WORDS)) + " " + item[m.start() :]


@dataclass
class MoveProgram:
    """The list `where` with its items in the order `order` (OLD indices), some edited; item
    `across` (not in `order`), if any, moved to place `at` of the list `ACROSS[where.key]`."""

    where: Movable
    order: list[int]
    edited: dict[int, str]
    section_moved: bool
    indicator: bool = False  # the forest cover (cited in Part I, II.1.2.3.) changed, 20,1% → 20,5%
    across: int | None = None
    at: int = 0

    def files(self) -> dict[str, str]:
        text = self.where.text()
        start, end, items = content_items(text, self.where)
        body = "".join(self.edited.get(i, items[i]) for i in self.order)
        text = text[:start] + body + text[end:]
        if self.across is not None:
            start, _end, others = content_items(text, ACROSS[self.where.key])
            offset = start + sum(len(item) for item in others[: self.at])
            text = text[:offset] + self.edited.get(self.across, items[self.across]) + text[offset:]
        files = {self.where.file: text}
        if self.section_moved and self.where.file == NOTE:  # the note after Part I
            files["document.yaml"] = BODY.sub(f"body:\n  - {PART_ONE}\n  - {NOTE}\n", FILES["document.yaml"])
        elif self.section_moved:
            files[PART_ONE] = FILES[PART_ONE]
            name = self.where.file.removeprefix("sections/")
            move_section(files, name, "1-1-ket-qua-thuc-hien-chi-tieu.yaml")
        if self.indicator:
            files[INDICATORS] = FILES[INDICATORS].replace(FOREST_OLD, FOREST_NEW)
        return files


@st.composite
def move_program(draw: st.DrawFn) -> MoveProgram:
    """1–3 paragraphs of a section moved to random places, maybe one of them to another section;
    maybe some words edited, maybe the section moved."""
    where = draw(st.sampled_from(MOVABLE))
    _start, _end, items = content_items(where.text(), where)
    across = where.key in ACROSS and not where.table and draw(st.integers(0, 2)) > 0
    order = list(range(len(items)))
    for _ in range(draw(st.integers(1, 3))):
        item = order.pop(draw(st.integers(0, len(order) - 1)))
        order.insert(draw(st.integers(0, len(order))), item)
    moved_across = order.pop(draw(st.integers(0, len(order) - 1))) if across else None
    edited = {}
    for i in draw(st.lists(st.integers(0, len(items) - 1), max_size=2, unique=True)):
        edited[i] = word_edit(draw, items[i])
    if moved_across is not None and draw(st.booleans()):
        edited[moved_across] = word_edit(draw, items[moved_across])
    edited = {i: t for i, t in edited.items() if t != items[i]}
    program = MoveProgram(where, order, edited, draw(st.booleans()), draw(st.booleans()) and draw(st.booleans()))
    if moved_across is not None:
        _start, _end, others = content_items(where.text(), ACROSS[where.key])
        program.across, program.at = moved_across, draw(st.integers(0, len(others)))
    note(f"{where.key}: order {order}, edited {sorted(edited)}, section moved {program.section_moved}")
    note(f"indicator changed {program.indicator}; item {program.across} moved across to place {program.at}")
    return program


@pytest.fixture(scope="module")
def move_bases() -> Callable[[Movable], Built]:
    """OLD for a list to reorder, each built once."""
    return functools.cache(lambda where: built({where.file: where.text()}, "cũ"))


def item_blocks(side: Side, where: Movable) -> list[int]:
    """The blocks of the list `where` names, in order (one per item)."""
    blocks = [i for i, b in enumerate(side.document.blocks) if b.section == where.key and b.kind not in HEADINGS]
    return blocks[where.before :]


def compared_units(order: list[int], where: Movable, count: int) -> list[int]:
    """The OLD ranks of what the diff aligns, in NEW's order: a paragraph, or each row of the
    table (its header and two rows), so that the fewest moves are counted as the diff counts them.
    `count` is the number of OLD items."""
    sizes = [TABLE_ROWS if where.table and i == 0 else 1 for i in range(count)]
    starts = [sum(sizes[:i]) for i in range(count)]
    return [starts[i] + r for i in order for r in range(sizes[i])]


def across_example(
    key: str, across: int, at: int, section_moved: bool, edit: tuple[str, str] = ("", "")
) -> MoveProgram:
    """A program that moves only item `across` of the list of section `key` to place `at` of
    `ACROSS[key]`, with `edit` (old words, new words) made on the way."""
    where = next(m for m in MOVABLE if m.key == key and not m.table)
    items = content_items(where.text(), where)[2]
    edited = {across: items[across].replace(*edit, 1)} if edit[0] else {}
    order = [i for i in range(len(items)) if i != across]
    return MoveProgram(where, order, edited, section_moved, across=across, at=at)


@settings(SETTINGS, max_examples=30)
@given(program=move_program())
@example(program=across_example("phat-trien-nong-lam-nghiep-thuy", 0, 1, section_moved=False))
@example(program=across_example("nguyen-nhan-2", 2, 5, section_moved=False, edit=("vấn đề khó", "vấn đề rất khó")))
@example(program=across_example("han-che-khuyet-diem", 1, 0, section_moved=True))
def test_random_paragraph_moves_resolve_and_are_reported_once_as_moved(
    move_bases: Callable[[Movable], Built], program: MoveProgram
) -> None:
    where = program.where
    move_base, new = move_bases(where), built(program.files(), "mới")
    changes = assert_both_ways(move_base, new, renumbered=program.section_moved or where.items)
    _, _, items = content_items(where.text(), where)
    old_ids = dict(zip(item_blocks(move_base.side, where), range(len(items)), strict=True))
    new_ids = dict(zip(item_blocks(new.side, where), program.order, strict=True))
    long = {i for i in range(len(items)) if len(items[i].split()) >= LONG + 2}
    if program.across is not None:
        assert_moved_across(changes, program, old_ids, program.across in long or program.across not in program.edited)
    section = [s for s in changes.sections if s.new is not None and s.new.key == where.key]
    if program.order == sorted(program.order) and not program.edited:
        assert not section or section[0].status == cs.UNCHANGED or program.across is not None
        return
    if not section and program.across is not None:
        return  # only the paragraph moved across left it
    assert len(section) == 1
    paragraphs = [p for p in section[0].paragraphs if p.role != "title" and set(p.new_blocks) <= new_ids.keys()]
    # A table is not moved row by row (README, docs/diff.md): its rows are removed and added.
    table = {0} if where.table else set()
    gone = {program.across} if program.across is not None else set()
    for p in paragraphs:
        olds, news = [old_ids[i] for i in p.old_blocks], [new_ids[j] for j in p.new_blocks]
        if olds and news:  # a paragraph is paired only with itself
            assert olds == news, p
        else:  # added or removed: a short paragraph edited too much to be recognised, the table, or one moved away
            assert set(olds + news) <= (set(program.edited) - long) | table | gone, p
    moved = [p for p in paragraphs if cs.MOVED in p.status.split("+")]
    table_moved = any(p.role == "table" and p.status != "equal" for p in paragraphs)
    if not program.edited and not table_moved:  # a pure permutation: the fewest moves, no word changed
        units = compared_units(program.order, where, len(items))
        assert len(moved) == len(units) - len(lis(units))
        assert all(p.status == cs.MOVED for p in moved)
        if program.across is None or not program.section_moved:  # else the paragraph that left is removed here
            assert (section[0].words_added, section[0].words_removed) == (0, 0)
    assert len({new_ids[p.new_blocks[0]] for p in moved}) == len(moved)


def assert_moved_across(
    changes: cs.ChangeSet, program: MoveProgram, old_ids: dict[int, int], recognisable: bool
) -> None:
    """The item moved to another section: one moved paragraph there, saying where it came from,
    when neither section moved (else removed and added) and its words are (nearly) kept."""
    assert program.across is not None
    target = ACROSS[program.where.key].key
    came = [p for s in changes.sections for p in s.paragraphs if p.moved_from is not None]
    old_block = next(i for i, k in old_ids.items() if k == program.across)
    if program.section_moved:  # both sections lie in the moved one: no move across sections
        assert not came
        return
    if not recognisable:
        return
    (section,) = [s for s in changes.sections if s.new is not None and s.new.key == target]
    (moved,) = came
    assert moved in section.paragraphs and moved.old_blocks == (old_block,)
    assert moved.moved_from is not None and moved.moved_from.key == program.where.key
    assert moved.status in (cs.MOVED, f"{cs.MOVED}+{cs.EDITED}")
    assert (moved.status == cs.MOVED) == (program.across not in program.edited)
