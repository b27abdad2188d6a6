"""The redline: NEW laid out as `dhc build` lays it out, every change of the change set a tracked revision.

A view of the change set (STYLE.md point 10): it re-diffs nothing. Word operations are applied
to the runs of the two laid-out documents; text that only OLD has is placed where it stood on
OLD, after the block that preceded it. Numbers stay computed: headings and items show NEW
labels with no revision, a footnote renumbered is no change. A table is written once, its rows
as the change set compared them (each row one paragraph, its cells joined by “ | ”).
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass, field

from dhcompiler.diff import changeset as cs
from dhcompiler.document import Block, Document, Footnote, Paragraph, Table, TableRow, Tracking
from dhcompiler.prose import DELETED, INSERTED, MOVED_FROM, MOVED_TO, Change, Run

HEADINGS = ("part", "heading", "note")
OLD_NOTE = 1_000_000  # a footnote reference taken from OLD: OLD_NOTE + its OLD number, until renumbered
INS, DEL = Change(INSERTED), Change(DELETED)


@dataclass
class Piece:
    """A run (or a paragraph break) at an offset of a change's text; `unit` is the paragraph it ends."""

    start: int
    end: int
    run: Run | None
    unit: int = 0


@dataclass
class Out:
    """A paragraph of the redline being built: its runs, the block (side, index) that gives its
    kind, label and style, and the revision of its paragraph mark."""

    runs: list[Run] = field(default_factory=list)
    side: str = "new"
    index: int = 0
    mark: Change | None = None
    table: Table | None = None


def _runs_of(block: Block) -> list[Run]:
    return block.title_runs if block.kind in HEADINGS else block.runs


def _pieces(paragraphs: list[list[Run]], note_base: int) -> list[Piece]:
    """Runs laid end to end as the change set's text: a footnote reference as “(n)”, paragraphs joined by a break."""
    out: list[Piece] = []
    offset = 0
    for unit, runs in enumerate(paragraphs):
        if unit:
            out.append(Piece(offset, offset + 1, None, unit - 1))
            offset += 1
        for run in runs:
            if run.footnote is not None:
                length = len(f"({run.footnote})")
                out.append(Piece(offset, offset + length, dataclasses.replace(run, footnote=run.footnote + note_base)))
            else:
                length = len(run.text)
                out.append(Piece(offset, offset + length, run))
            offset += length
    return out


def _slice(pieces: list[Piece], start: int, end: int) -> Iterator[Piece]:
    """The pieces inside [start, end), text runs cut at the edges (each keeping its `unit`)."""
    for piece in pieces:
        if piece.end <= start or piece.start >= end:
            continue
        if piece.run is None or piece.run.footnote is not None:
            yield piece
            continue
        a, b = max(start, piece.start) - piece.start, min(end, piece.end) - piece.start
        if b > a:
            yield Piece(
                piece.start + a, piece.start + b, dataclasses.replace(piece.run, text=piece.run.text[a:b]), piece.unit
            )


class Applier:
    """Applies one paragraph change's word operations to the runs of its OLD and NEW paragraphs."""

    def __init__(self) -> None:
        self.done: list[Out] = []
        self.current = Out()

    def add(self, pieces: Iterator[Piece], change: Change | None, side: str, indices: tuple[int, ...]) -> None:
        for piece in pieces:
            if piece.run is None:
                self.current.side, self.current.index, self.current.mark = side, indices[piece.unit], change
                self.done.append(self.current)
                self.current = Out()
            else:
                self.current.runs.append(dataclasses.replace(piece.run, change=change))

    def finish(self, side: str, index: int, mark: Change | None) -> list[Out]:
        self.current.side, self.current.index, self.current.mark = side, index, mark
        return [*self.done, self.current]


def apply_change(
    change: cs.ParagraphChange,
    old: list[list[Run]],
    new: list[list[Run]],
    moved: Change | None = None,
) -> list[Out]:
    """The redline paragraphs of one paragraph change. `old`/`new` are the runs of its OLD and NEW
    paragraphs (as `old_blocks`/`new_blocks` list them). Inside a moved section (`moved` the
    move-to mark), unchanged words are moved-to and deleted words stay with the moved-from copy."""
    old_pieces, new_pieces = _pieces(old, OLD_NOTE), _pieces(new, 0)
    removed = [] if moved else _whole([from_old(runs) for runs in old], "old", change.old_blocks, DEL)
    if not change.new_blocks:
        return removed
    if not change.old_blocks:
        return _whole(new, "new", change.new_blocks, INS)
    if _text(old) != change.old_text or _text(new) != change.new_text:  # never expected: then whole paragraphs
        return [*removed, *_whole(new, "new", change.new_blocks, INS)]
    applier = Applier()
    for op in change.ops:
        if op.op in (cs.DELETE, cs.REPLACE) and moved is None:
            applier.add(_slice(old_pieces, op.old_start, op.old_end), DEL, "old", change.old_blocks)
        if op.op in (cs.INSERT, cs.REPLACE):
            applier.add(_slice(new_pieces, op.new_start, op.new_end), INS, "new", change.new_blocks)
        if op.op == cs.EQUAL:
            applier.add(_slice(new_pieces, op.new_start, op.new_end), moved, "new", change.new_blocks)
    return applier.finish("new", change.new_blocks[-1], moved)


def _text(paragraphs: list[list[Run]]) -> str:
    """The text the change set compared: runs joined, a footnote reference as “(n)”, paragraphs by a break."""
    return cs.PARAGRAPH_BREAK.join(
        "".join(f"({r.footnote})" if r.footnote is not None else r.text for r in runs) for runs in paragraphs
    )


def from_old(runs: list[Run]) -> list[Run]:
    """OLD's runs, their footnote references told apart from NEW's."""
    return [dataclasses.replace(r, footnote=r.footnote + OLD_NOTE) if r.footnote is not None else r for r in runs]


def _whole(paragraphs: list[list[Run]], side: str, indices: tuple[int, ...], change: Change) -> list[Out]:
    return [
        Out([dataclasses.replace(r, change=change) for r in runs], side, index, change)
        for runs, index in zip(paragraphs, indices, strict=True)
    ]


# --- the document -----------------------------------------------------------------------------


@dataclass
class RowStep:
    """One row of a redline table: OLD's row `old` and NEW's row `new` (0 the header, then 1 + the
    index in `Table.rows`; None on the side that lacks it), and the paragraph change that
    compared them when the change set paired them."""

    old: int | None
    new: int | None
    change: cs.ParagraphChange | None = None


@dataclass
class RowRef:
    """A paragraph change that touches a table, and the (table block, row) it covers on each side."""

    change: cs.ParagraphChange
    olds: list[tuple[int, int]]
    news: list[tuple[int, int]]


@dataclass
class TablePlan:
    """What the change set says about the tables: the OLD table each NEW table was compared with,
    the rows of each such pair in reading order, and the blocks of the changes touching a table."""

    pairs: dict[int, int] = field(default_factory=dict)  # NEW table → OLD table
    rows: dict[int, list[RowStep]] = field(default_factory=dict)  # NEW table → its rows, the header first
    touched_old: set[int] = field(default_factory=set)
    touched_new: set[int] = field(default_factory=set)


@dataclass
class Plan:
    """What the change set says about each block of the two documents."""

    by_new: dict[int, cs.ParagraphChange] = field(default_factory=dict)
    by_old: dict[int, cs.ParagraphChange] = field(default_factory=dict)
    old_to_new: dict[int, int] = field(default_factory=dict)
    moves_old: dict[int, Change] = field(default_factory=dict)  # OLD block → its move-from mark
    moves_new: dict[int, Change] = field(default_factory=dict)  # NEW block → its move-to mark
    tables: TablePlan = field(default_factory=TablePlan)


def _subtree(blocks: list[Block], start: int) -> range:
    """The blocks of the section whose heading is `blocks[start]`, its subsections included."""
    depth = blocks[start].depth
    end = start + 1
    while end < len(blocks) and not (blocks[end].kind in HEADINGS and blocks[end].depth <= depth):
        end += 1
    return range(start, end)


def _plan(changes: cs.ChangeSet, old: Document, new: Document) -> Plan:
    plan = Plan(tables=_table_plan(changes, old, new))
    for section in changes.sections:
        for p in section.paragraphs:
            for part in _outside_tables(p, old, new):
                for j in part.new_blocks:
                    plan.by_new[j] = part
                for i in part.old_blocks:
                    plan.by_old[i] = part
                    if part.new_blocks:
                        plan.old_to_new[i] = part.new_blocks[-1]
    for b, a in plan.tables.pairs.items():
        plan.old_to_new[a] = b
    _map_unchanged(plan, old.blocks, new.blocks)
    number = 0
    for section in changes.sections:
        if not cs.has(section.status, cs.MOVED) or section.old is None or section.new is None:
            continue
        if section.old.block is None or section.new.block is None or section.new.block in plan.moves_new:
            continue
        number += 1
        name = f"move{number}"
        for i in _subtree(old.blocks, section.old.block):
            plan.moves_old.setdefault(i, Change(MOVED_FROM, name))
        for j in _subtree(new.blocks, section.new.block):
            plan.moves_new.setdefault(j, Change(MOVED_TO, name))
    _paragraph_moves(plan, changes, number)
    return plan


def _paragraph_moves(plan: Plan, changes: cs.ChangeSet, number: int) -> None:
    """Paragraphs moved inside their section: moved-from at the old place, moved-to at the new one,
    named after the sections' moves (`number` of them). A paragraph inside a moved section moves with it."""
    for section in changes.sections:
        for p in section.paragraphs:
            if not cs.has(p.status, cs.MOVED) or len(p.old_blocks) != 1 or len(p.new_blocks) != 1:
                continue
            (i,), (j,) = p.old_blocks, p.new_blocks
            if i in plan.moves_old or j in plan.moves_new:
                continue
            number += 1
            plan.moves_old[i] = Change(MOVED_FROM, f"move{number}")
            plan.moves_new[j] = Change(MOVED_TO, f"move{number}")


def plan_positions(changes: cs.ChangeSet, old: Document, new: Document) -> Callable[[int], float]:
    """Where an OLD block stands in NEW's reading order: at the NEW block its nearest kept predecessor became."""
    plan = _plan(changes, old, new)

    def position(i: int) -> float:
        for k in range(i, -1, -1):
            if k in plan.old_to_new and k not in plan.moves_old:
                return float(plan.old_to_new[k])
        return -0.5

    return position


def _map_unchanged(plan: Plan, old: list[Block], new: list[Block]) -> None:
    """Blocks of sections the change set does not list: the same key, the same rank in the section."""

    def ranks(blocks: list[Block], skip: Set[int]) -> dict[tuple[str, str, int], int]:
        seen: dict[tuple[str, str], int] = {}
        out = {}
        for index, block in enumerate(blocks):
            if index in skip:
                continue
            where = ("h", block.key or "") if block.kind in HEADINGS else ("c", block.section or "")
            rank = seen.get(where, 0)
            seen[where] = rank + 1
            out[(*where, rank)] = index
        return out

    new_ranks = ranks(new, plan.by_new.keys() | plan.tables.touched_new)
    for where, i in ranks(old, plan.by_old.keys() | plan.tables.touched_old).items():
        if where in new_ranks:
            plan.old_to_new[i] = new_ranks[where]


class Redline:
    """Builds the redline's blocks in NEW's reading order, then its footnotes."""

    def __init__(self, changes: cs.ChangeSet, old: Document, new: Document):
        self.changes, self.old, self.new = changes, old, new
        self.plan = _plan(changes, old, new)
        self.out: list[Out] = []

    def build(self) -> list[Out]:
        anchored = self._anchors()
        self._old_only(anchored.get(-1, []))
        j = 0
        while j < len(self.new.blocks):
            last = self._new_block(j)
            for k in range(j, last + 1):
                self._old_only(anchored.get(k, []))
            j = last + 1
        return self.out

    def _anchors(self) -> dict[int, list[int]]:
        """OLD blocks NEW lacks (removed, or the old place of a move), by the NEW block they follow."""
        plan = self.plan
        anchored: dict[int, list[int]] = {}
        anchor = -1
        for i in range(len(self.old.blocks)):
            if i in plan.old_to_new and i not in plan.moves_old:
                anchor = plan.old_to_new[i]
                if anchor in plan.by_new:
                    anchor = plan.by_new[anchor].new_blocks[-1]
            else:
                anchored.setdefault(anchor, []).append(i)
        return anchored

    def _old_only(self, indices: list[int]) -> None:
        for i in indices:
            block = self.old.blocks[i]
            if block.table is not None:  # a table NEW lacks (or the old place of a moved one): deleted whole
                self.out.append(Out([], "old", i, DEL, _whole_table(block.table, DEL, old=True)))
                continue
            change = self.plan.moves_old.get(i, DEL)
            runs = from_old(_runs_of(block))
            self.out.append(Out([dataclasses.replace(r, change=change) for r in runs], "old", i, change))

    def _new_block(self, j: int) -> int:
        """Lay out NEW block `j` (with the blocks of its paragraph change); the last NEW block used."""
        if self.new.blocks[j].table is not None:
            self.out.extend(self._table(j))
            return j
        moved = self.plan.moves_new.get(j)
        change = self.plan.by_new.get(j)
        if change is None:
            runs = [dataclasses.replace(r, change=moved) for r in _runs_of(self.new.blocks[j])]
            self.out.append(Out(runs, "new", j, moved))
            return j
        old = [_runs_of(self.old.blocks[i]) for i in change.old_blocks]
        new = [_runs_of(self.new.blocks[k]) for k in change.new_blocks]
        self.out.extend(apply_change(change, old, new, moved))
        return change.new_blocks[-1]

    def _table(self, j: int) -> list[Out]:
        """NEW's table `j`: merged with the OLD table its rows were compared with, inserted whole
        (a new table, or the new place of a moved one), or as it is (nothing in it changed)."""
        table, tables = self.new.blocks[j].table, self.plan.tables
        assert table is not None
        moved = j in self.plan.moves_new
        if j in tables.rows and not moved:
            i = tables.pairs[j]
            old_table = self.old.blocks[i].table
            assert old_table is not None
            merged = _merged_table(old_table, table, tables.rows[j])
            if merged is not None:
                return [Out([], "new", j, None, merged)]
            deleted = Out([], "old", i, DEL, _whole_table(old_table, DEL, old=True))
            return [deleted, Out([], "new", j, INS, _whole_table(table, INS, old=False))]
        if moved or j in tables.touched_new:
            return [Out([], "new", j, INS, _whole_table(table, INS, old=False))]
        return [Out([], "new", j, None, copy.deepcopy(table))]


# --- tables ---------------------------------------------------------------------------------


def _touches_table(change: cs.ParagraphChange, old: Document, new: Document) -> bool:
    return any(old.blocks[i].table is not None for i in change.old_blocks) or any(
        new.blocks[j].table is not None for j in change.new_blocks
    )


def _outside_tables(change: cs.ParagraphChange, old: Document, new: Document) -> list[cs.ParagraphChange]:
    """A paragraph change as the paragraphs see it: itself when it touches no table; else each
    NEW paragraph it holds as inserted (its OLD paragraphs are deleted where they stood, and its
    rows belong to their tables)."""
    if not _touches_table(change, old, new):
        return [change]
    out = []
    for j in change.new_blocks:
        block = new.blocks[j]
        if block.table is None:
            text = _text([_runs_of(block)])
            op = cs.WordOp(cs.INSERT, "", text, 0, 0, 0, len(text))
            out.append(cs.ParagraphChange(cs.ADDED, block.kind, (), (j,), "", block.label, "", text, (op,)))
    return out


def _rows_of(
    blocks: tuple[int, ...], document: Document, side: str, seen: Counter[tuple[str, int]]
) -> list[tuple[int, int]]:
    """The (table block, row) of each table row among `blocks`, rows counted in reading order."""
    out = []
    for i in blocks:
        if document.blocks[i].table is not None:
            out.append((i, seen[(side, i)]))
            seen[(side, i)] += 1
    return out


def _table_plan(changes: cs.ChangeSet, old: Document, new: Document) -> TablePlan:
    """Pair each NEW table with the OLD table most of its rows were paired with, one to one."""
    plan = TablePlan()
    seen: Counter[tuple[str, int]] = Counter()
    refs = []
    for section in changes.sections:
        for p in section.paragraphs:
            if _touches_table(p, old, new):
                plan.touched_old.update(p.old_blocks)
                plan.touched_new.update(p.new_blocks)
                refs.append(
                    RowRef(p, _rows_of(p.old_blocks, old, "old", seen), _rows_of(p.new_blocks, new, "new", seen))
                )
    votes = Counter((r.olds[0][0], r.news[0][0]) for r in refs if _one_to_one(r))
    for (a, b), _count in votes.most_common():
        old_table, new_table = old.blocks[a].table, new.blocks[b].table
        assert old_table is not None and new_table is not None
        if b in plan.pairs or a in plan.pairs.values() or len(old_table.header) != len(new_table.header):
            continue
        steps = _row_steps(refs, a, b, old_table, new_table)
        if steps is not None:
            plan.pairs[b], plan.rows[b] = a, steps
    return plan


def _one_to_one(ref: RowRef) -> bool:
    """A change of one row into one row."""
    return len(ref.change.old_blocks) == len(ref.change.new_blocks) == 1 and bool(ref.olds) and bool(ref.news)


def _same_kind(old: Table, r: int, new: Table, q: int) -> bool:
    """Whether OLD's row `r` and NEW's row `q` can be one row: both headers, or both group rows, or neither."""
    if r == 0 or q == 0:
        return r == q
    return old.rows[r - 1].group == new.rows[q - 1].group


def _row_steps(refs: list[RowRef], a: int, b: int, old: Table, new: Table) -> list[RowStep] | None:
    """The rows of OLD table `a` and NEW table `b` in reading order: paired where the change set
    paired them one to one, else each on its own; the two headers always paired, first.
    None when the rows do not add up to the two tables (never expected)."""
    steps: list[RowStep] = []
    for ref in refs:
        olds = [r for t, r in ref.olds if t == a]
        news = [r for t, r in ref.news if t == b]
        if _one_to_one(ref) and olds and news and _same_kind(old, olds[0], new, news[0]):
            steps.append(RowStep(olds[0], news[0], ref.change))
        else:
            steps += [RowStep(r, None) for r in olds] + [RowStep(None, r) for r in news]
    if [s.old for s in steps if s.old is not None] != list(range(len(old.rows) + 1)):
        return None
    if [s.new for s in steps if s.new is not None] != list(range(len(new.rows) + 1)):
        return None
    header = next((s for s in steps if s.old == 0 and s.new == 0), RowStep(0, 0))
    return [header, *(s for s in steps if s.old != 0 and s.new != 0)]


def _marked(runs: list[Run], change: Change, old: bool) -> list[Run]:
    """Runs of one side as a revision: OLD's with their footnote references told apart."""
    return [dataclasses.replace(r, change=change) for r in (from_old(runs) if old else runs)]


def _marked_cells(cells: list[list[Paragraph]], change: Change, old: bool) -> list[list[Paragraph]]:
    return [[_marked(runs, change, old) for runs in cell] for cell in cells]


def _whole_table(table: Table, change: Change, old: bool) -> Table:
    """A table inserted or deleted whole: every row marked, and every run."""
    rows = [dataclasses.replace(r, cells=_marked_cells(r.cells, change, old), change=change) for r in table.rows]
    return dataclasses.replace(table, header=_marked_cells(table.header, change, old), rows=rows, header_change=change)


def _merged_table(old: Table, new: Table, steps: list[RowStep]) -> Table | None:
    """NEW's table with OLD's rows it lacks deleted where they stood, its own new rows inserted,
    and each pair of rows with the row change's word operations in its cells. None when the
    headers cannot be written as one row (a cell's paragraphs differ in number)."""
    header = _paired_cells(old.header, new.header, steps[0].change)
    if header is None:
        return None
    rows: list[TableRow] = []
    for step in steps[1:]:
        before = old.rows[step.old - 1] if step.old is not None else None
        after = new.rows[step.new - 1] if step.new is not None else None
        cells = _paired_cells(before.cells, after.cells, step.change) if before and after else None
        if cells is not None and after is not None:
            rows.append(dataclasses.replace(after, cells=cells))
            continue
        if before is not None:
            rows.append(dataclasses.replace(before, cells=_marked_cells(before.cells, DEL, old=True), change=DEL))
        if after is not None:
            rows.append(dataclasses.replace(after, cells=_marked_cells(after.cells, INS, old=False), change=INS))
    return dataclasses.replace(new, header=header, rows=rows)


def _paired_cells(
    old: list[list[Paragraph]], new: list[list[Paragraph]], change: cs.ParagraphChange | None
) -> list[list[Paragraph]] | None:
    """NEW's cells of a row with the revisions that turn OLD's row into it: the row change's word
    operations split at the cell joiners when every joiner stands in an unchanged stretch, else
    each changed cell deleted whole and written anew. None when a cell's paragraphs differ in number."""
    if [len(cell) for cell in old] != [len(cell) for cell in new]:
        return None
    split = _split_row(change, old, new) if change is not None else None
    if split is not None:
        return split
    return [[_replaced(a, b) for a, b in zip(x, y, strict=True)] for x, y in zip(old, new, strict=True)]


def _replaced(old: list[Run], new: list[Run]) -> list[Run]:
    """A cell paragraph: NEW's as it is when it reads as OLD's (no footnote in it), else OLD's
    deleted and NEW's inserted."""
    plain = all(r.footnote is None for r in (*old, *new))
    if plain and [(r.text, r.bold, r.italic, r.strike) for r in old] == [
        (r.text, r.bold, r.italic, r.strike) for r in new
    ]:
        return list(new)
    return [*_marked(old, DEL, old=True), *_marked(new, INS, old=False)]


def _row_pieces(cells: list[list[Paragraph]], note_base: int) -> tuple[list[Piece], list[tuple[int, int, str]], str]:
    """A row laid end to end as the change set compared it: its pieces (`unit` the cell paragraph,
    counted over the row), the joiners' spans and kinds, and its text."""
    pieces: list[Piece] = []
    joiners: list[tuple[int, int, str]] = []
    texts: list[str] = []

    def join(joiner: str) -> None:
        offset = len("".join(texts))
        joiners.append((offset, offset + len(joiner), joiner))
        texts.append(joiner)

    unit = 0
    for c, cell in enumerate(cells):
        if c:
            join(cs.CELL_JOINER)
        for k, paragraph in enumerate(cell):
            if k:
                join(cs.CELL_PARAGRAPH_JOINER)
            offset = len("".join(texts))
            pieces += [Piece(p.start + offset, p.end + offset, p.run, unit) for p in _pieces([paragraph], note_base)]
            texts.append(_text([paragraph]))
            unit += 1
    return pieces, joiners, "".join(texts)


def _joiners_kept(ops: tuple[cs.WordOp, ...], old: list[tuple[int, int, str]], new: list[tuple[int, int, str]]) -> bool:
    """Whether OLD's joiners and NEW's are the same in number and kind, the k-th of OLD over the
    k-th of NEW inside an unchanged stretch."""
    if [kind for _s, _e, kind in old] != [kind for _s, _e, kind in new]:
        return False
    return all(
        any(
            op.op == cs.EQUAL
            and op.old_start <= start
            and end <= op.old_end
            and start - op.old_start == at - op.new_start
            for op in ops
        )
        for (start, end, _kind), (at, _end, _kind2) in zip(old, new, strict=True)
    )


def _split_row(
    change: cs.ParagraphChange, old: list[list[Paragraph]], new: list[list[Paragraph]]
) -> list[list[Paragraph]] | None:
    """The row change's word operations applied cell by cell (each cell paragraph gets the
    operations inside it); None when its text is not the row's or a joiner changed."""
    old_pieces, old_joiners, old_text = _row_pieces(old, OLD_NOTE)
    new_pieces, new_joiners, new_text = _row_pieces(new, 0)
    if old_text != change.old_text or new_text != change.new_text:
        return None
    if not _joiners_kept(change.ops, old_joiners, new_joiners):
        return None
    out: list[list[Run]] = [[] for _cell in new for _paragraph in _cell]
    for op in change.ops:
        if op.op in (cs.DELETE, cs.REPLACE):
            _route(out, _slice(old_pieces, op.old_start, op.old_end), DEL)
        if op.op in (cs.INSERT, cs.REPLACE):
            _route(out, _slice(new_pieces, op.new_start, op.new_end), INS)
        if op.op == cs.EQUAL:
            _route(out, _slice(new_pieces, op.new_start, op.new_end), None)
    paragraphs = iter(out)
    return [[next(paragraphs) for _paragraph in cell] for cell in new]


def _route(out: list[list[Run]], pieces: Iterator[Piece], change: Change | None) -> None:
    """Each piece's run, as `change`, to the cell paragraph it stands in."""
    for piece in pieces:
        if piece.run is not None:
            out[piece.unit].append(dataclasses.replace(piece.run, change=change))


# --- footnotes --------------------------------------------------------------------------------


def _note_paragraphs(changes: cs.ChangeSet, old: Document, new: Document, ref: int) -> Footnote:
    """The text of the note a redline reference points at: NEW's with its edits, or OLD's struck."""
    if ref >= OLD_NOTE:
        note = next(n for n in old.footnotes if n.number == ref - OLD_NOTE)
        paragraphs = [[dataclasses.replace(r, change=DEL) for r in p] for p in note.paragraphs]
        return Footnote(0, note.key, paragraphs, [DEL] * len(paragraphs))
    note = next(n for n in new.footnotes if n.number == ref)
    found = next((c for c in changes.footnotes if c.new is not None and c.new.key == note.key), None)
    if found is None:
        return Footnote(0, note.key, [list(p) for p in note.paragraphs])
    if found.status == cs.ADDED or found.old is None:
        paragraphs = [[dataclasses.replace(r, change=INS) for r in p] for p in note.paragraphs]
        return Footnote(0, note.key, paragraphs, [INS] * len(paragraphs))
    before = next(n for n in old.footnotes if n.key == found.old.key)
    outs: list[Out] = []
    for p in found.paragraphs:
        olds = [before.paragraphs[i] for i in p.old_blocks]
        news = [note.paragraphs[i] for i in p.new_blocks]
        outs.extend(apply_change(p, olds, news))
    return Footnote(0, note.key, [o.runs for o in outs], [o.mark for o in outs])


def _run_lists(block: Block) -> Iterator[list[Run]]:
    """Every list of runs of a block in reading order: its title and text, or its table's cells."""
    yield block.title_runs
    yield block.runs
    if block.table is not None:
        for cells in [block.table.header, *(row.cells for row in block.table.rows)]:
            for cell in cells:
                yield from cell


def _renumber(blocks: list[Block], make: dict[int, Footnote]) -> list[Footnote]:
    """Footnotes numbered (and stored) in the order the redline cites them."""
    notes: list[Footnote] = []
    for block in blocks:
        for runs in _run_lists(block):
            for k, run in enumerate(runs):
                if run.footnote is not None:
                    note = make[run.footnote]
                    number = len(notes) + 1
                    notes.append(dataclasses.replace(note, number=number))
                    runs[k] = dataclasses.replace(run, footnote=number)
    return notes


# --- front matter -----------------------------------------------------------------------------

# Which front block a metadata change of the change set stands in (kind, rank among that kind).
META_BLOCKS = {
    "header.draft_label": ("draft_label", 0),
    "header.document_type": ("document_type", 0),
    "header.summary": ("summary", 0),
    "theme.title": ("block_title", 0),
    "theme": ("theme", 0),
    "motto.title": ("block_title", 1),
    "motto": ("motto", 0),
}


def _front_block(blocks: list[Block], kind: str, rank: int) -> int | None:
    found = [i for i, b in enumerate(blocks) if b.kind == kind]
    return found[rank] if rank < len(found) else None


def _front(changes: cs.ChangeSet, old: Document, new: Document) -> list[Block]:
    """NEW's front matter with the metadata changes as revisions (the theme's word count struck and rewritten)."""
    blocks = [dataclasses.replace(b, runs=list(b.runs)) for b in new.front_blocks]
    for meta in changes.meta:
        if meta.field not in META_BLOCKS:
            continue  # the header table and the signature: `_header_and_signature`
        kind, rank = META_BLOCKS[meta.field]
        i, j = _front_block(old.front_blocks, kind, rank), _front_block(new.front_blocks, kind, rank)
        if j is None:
            continue
        if meta.field == "theme":
            before, after = old.theme, new.theme
            count_before = old.front_blocks[i].runs[-1] if i is not None else Run("")
            count_after = new.front_blocks[j].runs[-1]
            tail = [count_after]
            if count_before.text != count_after.text:
                tail = [dataclasses.replace(count_before, change=DEL), dataclasses.replace(count_after, change=INS)]
        else:
            before = old.front_blocks[i].runs if i is not None else []
            after, tail = new.front_blocks[j].runs, []
        outs = apply_change(meta.paragraph, [before], [after])
        blocks[j] = dataclasses.replace(blocks[j], runs=[r for o in outs for r in o.runs] + tail)
    return blocks


# The header table's fields and the signature's lines, by the metadata change that stands in them.
HEADER_FIELDS = {
    "header.party_name": "party_name",
    "header.superior_body": "superior_body",
    "header.issuing_body": "issuing_body",
    "header.number_line": "number_line",
    "header.date_line": "date_line",
    "signature.title": "signature_title",
    "signature.name": "signature_name",
}
AUTHORITY = ("signature.on_behalf", "signature.authority")  # one line: “T/M BAN CHẤP HÀNH”


def _header_and_signature(changes: cs.ChangeSet, old: Document, new: Document) -> dict[str, list[Run]]:
    """The header fields and signature lines that changed, as runs with their revisions."""
    out: dict[str, list[Run]] = {}
    by_field = {m.field: m for m in changes.meta}
    for name, line in HEADER_FIELDS.items():
        if name in by_field:
            out[line] = _meta_runs(by_field[name])
    if any(name in by_field for name in AUTHORITY):
        sig_old, sig_new = old.meta.signature, new.meta.signature
        parts = [
            _meta_runs(by_field[name]) if name in by_field else [Run(value)] if value else []
            for name, value in zip(AUTHORITY, (sig_new.on_behalf, sig_new.authority), strict=True)
        ]
        on_behalf, authority = parts
        spaced_old = bool(sig_old.on_behalf and sig_old.authority)
        spaced_new = bool(sig_new.on_behalf and sig_new.authority)
        gap = [Run(" ", change=None if spaced_old else INS)] if spaced_new else []
        gap = gap or ([Run(" ", change=DEL)] if spaced_old else [])
        out["signature_authority"] = [*on_behalf, *gap, *authority]
    return out


def _meta_runs(meta: cs.MetaChange) -> list[Run]:
    """A metadata value's runs, OLD's words deleted and NEW's inserted as its change says."""
    p = meta.paragraph
    outs = apply_change(p, [[Run(p.old_text)]] if p.old_text else [], [[Run(p.new_text)]] if p.new_text else [])
    return [r for o in outs for r in o.runs]


# --- entry point ------------------------------------------------------------------------------


def _to_block(out: Out, old: Document, new: Document) -> Block:
    source = (old if out.side == "old" else new).blocks[out.index]
    runs = out.runs
    if out.table is not None:  # built afresh: its footnote references are renumbered in place
        return dataclasses.replace(source, table=out.table, change=out.mark)
    if source.kind in HEADINGS:
        return dataclasses.replace(source, title_runs=runs, runs=[], change=out.mark)
    return dataclasses.replace(source, runs=runs, change=out.mark)


def redline_document(changes: cs.ChangeSet, old: Document, new: Document, tracking: Tracking) -> Document:
    """NEW as `dhc build` lays it out, with every change of `changes` (OLD → NEW) as a tracked revision."""
    outs = Redline(changes, old, new).build()
    blocks = [_to_block(o, old, new) for o in outs]
    refs = {r.footnote for b in blocks for runs in _run_lists(b) for r in runs if r.footnote is not None}
    make = {ref: _note_paragraphs(changes, old, new, ref) for ref in refs}
    notes = _renumber(blocks, make)
    front = _front(changes, old, new)
    revised = _header_and_signature(changes, old, new)
    return dataclasses.replace(
        new, blocks=blocks, footnotes=notes, front_blocks=front, tracking=tracking, revised=revised
    )
