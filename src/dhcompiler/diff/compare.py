"""Compare two laid-out drafts into one ChangeSet: footnotes, indicators, sections, metadata."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Hashable, Mapping, Set
from dataclasses import dataclass, field
from typing import NamedTuple

from dhcompiler.diff import changeset as cs
from dhcompiler.diff.align import (
    MAX_CANDIDATES,
    MOVE_THRESHOLD,
    align,
    best_first,
    join_splits,
    lis,
    match_leftovers,
    pair_moves,
)
from dhcompiler.diff.indicators import IndicatorDiff, compare_indicators
from dhcompiler.diff.sides import Side
from dhcompiler.diff.text import Tokens, join, text_tokens, tokens, word_ops, words_changed
from dhcompiler.document import Block, Document
from dhcompiler.prose import Run, plain_text

HEADINGS = ("part", "heading", "note")
IND_REF = re.compile(r"\bind\.([A-Za-z_]\w*)")


@dataclass
class Para:
    """One block of a section as the diff sees it."""

    block: int
    kind: str
    label: str
    text: str
    toks: Tokens
    source: str
    from_data: bool = False
    sig: tuple[Hashable, ...] = ()

    def __post_init__(self) -> None:
        self.sig = tuple(self.toks.keys)

    @functools.cached_property
    def words(self) -> list[Hashable]:
        """Its tokens without the spaces: what paragraph similarity compares."""
        return [k for k in self.sig if not (isinstance(k, str) and k.isspace())]


@dataclass
class Unit:
    """A section as laid out: its place, title and own paragraphs."""

    key: str
    place: cs.Place
    parent: str | None
    title: Para | None
    paras: list[Para] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    subtree: Counter[Hashable] = field(default_factory=Counter)


@dataclass
class Note:
    """A footnote as laid out: its number, the text of its paragraphs, where it is cited."""

    key: str
    number: int
    paras: list[tuple[str, Tokens]]
    cited_in: str | None = None
    block: int | None = None


@dataclass
class Prepared:
    """One side, ready to compare."""

    side: Side
    units: dict[str, Unit]
    notes: dict[str, Note]


def compare(old: Side, new: Side) -> cs.ChangeSet:
    """Everything that differs between `old` and `new`, in NEW's reading order."""
    old_notes, new_notes = _notes(old.document), _notes(new.document)
    note_pairs = _match_notes(old_notes, new_notes)
    old_ids = {k: ("p", k) if k in note_pairs else ("o", k) for k in old_notes}
    new_ids = {n: ("p", o) for o, n in note_pairs.items()} | {
        k: ("n", k) for k in new_notes if k not in note_pairs.values()
    }
    a = _prepare(old, old_notes, old_ids)
    b = _prepare(new, new_notes, new_ids)
    ind = compare_indicators(old, new)
    footnotes = _footnote_changes(a, b, note_pairs)
    gone = {f"footnote:{c.old.key}" for c in footnotes if c.status == cs.REMOVED and c.old}
    came = {f"footnote:{c.new.key}" for c in footnotes if c.status == cs.ADDED and c.new}
    absorbed = {("note", old_ids[k[9:]]) for k in gone} | {("note", new_ids[k[9:]]) for k in came}
    sections = _section_changes(a, b, ind, absorbed)
    indicators = ind.with_citations(sections)
    return cs.ChangeSet(
        old=_side_info(old),
        new=_side_info(new),
        meta=tuple(_meta_changes(old, new)),
        sections=tuple(sections),
        footnotes=tuple(footnotes),
        indicators=indicators,
        groups=ind.groups,
    )


def _side_info(side: Side) -> cs.SideInfo:
    meta = side.report.meta
    return cs.SideInfo(side.spec, side.description, meta.draft_label, meta.date.isoformat())


# --- preparing a side -----------------------------------------------------------------------


def _notes(document: Document) -> dict[str, Note]:
    notes: dict[str, Note] = {}
    for f in document.footnotes:
        paras = []
        for runs in f.paragraphs:
            text = plain_text(runs)
            paras.append((text, text_tokens(text)))
        key, seen = f.key, 1
        while key in notes:  # a note cited twice is laid out twice: “key#2” is its second occurrence
            seen += 1
            key = f"{f.key}#{seen}"
        notes[key] = Note(key, f.number, paras)
    return notes


def _prepare(side: Side, notes: dict[str, Note], ids: Mapping[str, Hashable]) -> Prepared:
    doc = side.document
    by_number = {n.number: n.key for n in notes.values()}
    units: dict[str, Unit] = {}
    stack: list[tuple[int, str]] = []
    from_data = False
    for index, block in enumerate(doc.blocks):
        from_data = block.kind == "indicator" or (block.kind == "bullet" and from_data)
        if block.kind in HEADINGS and block.key:
            para = _para(index, block, block.title_runs, "title", ids, by_number, from_data)
            unit = _heading_unit(block.key, block.depth, para, stack, units)
            runs_of = [block.title_runs]
        else:
            unit = _content_unit(block.section or (block.key if block.kind == "table" else "") or "", units)
            runs_of = _table_rows(block) if block.kind == "table" else [block.runs]
            unit.paras.extend(_para(index, block, runs, block.kind, ids, by_number, from_data) for runs in runs_of)
        for runs in runs_of:
            for run in runs:
                if run.footnote is not None and run.footnote in by_number:
                    note = notes[by_number[run.footnote]]
                    note.cited_in, note.block = unit.key, index
    return Prepared(side, units, notes)


def _para(
    index: int,
    block: Block,
    runs: list[Run],
    kind: str,
    ids: Mapping[str, Hashable],
    by_number: dict[int, str],
    data: bool,
) -> Para:
    text, toks = tokens(runs, lambda n: ids[by_number[n]])
    return Para(index, kind, block.label, text, toks, block.source, data)


def _table_rows(block: Block) -> list[list[Run]]:
    """A table compared row by row: each row one paragraph, its cells joined by “ | ”."""
    table = block.table
    if table is None:
        return []
    rows = [table.header, *(row.cells for row in table.rows)]
    out = []
    for cells in rows:
        runs: list[Run] = []
        for i, cell in enumerate(cells):
            if i:
                runs.append(Run(cs.CELL_JOINER))
            for j, paragraph in enumerate(cell):
                runs.extend([Run(cs.CELL_PARAGRAPH_JOINER)] if j else [])
                runs.extend(paragraph)
        out.append(runs)
    return out


def _subtree(unit: Unit, units: dict[str, Unit]) -> Counter[Hashable]:
    """The words of a section and its subsections (computed only for sections left unmatched by key)."""
    if not unit.subtree:
        unit.subtree.update(t for p in unit.paras for t in p.sig if isinstance(t, str) and not t.isspace())
        for child in unit.children:
            unit.subtree.update(_subtree(units[child], units))
    return unit.subtree


def _heading_unit(key: str, depth: int, para: Para, stack: list[tuple[int, str]], units: dict[str, Unit]) -> Unit:
    while stack and stack[-1][0] >= depth:
        stack.pop()
    parent = stack[-1][1] if stack else None
    path = (*(units[k].place.number for _d, k in stack), para.label)
    place = cs.Place(key, para.label, para.text, tuple(p for p in path if p), len(units), para.block)
    unit = Unit(key, place, parent, para)
    units[key] = unit
    if parent:
        units[parent].children.append(key)
    stack.append((depth, key))
    return unit


def _content_unit(key: str, units: dict[str, Unit]) -> Unit:
    if key not in units:  # a section without a heading (the closing paragraph)
        units[key] = Unit(key, cs.Place(key, "", "", (), len(units), None), None, None)
    return units[key]


# --- footnotes ------------------------------------------------------------------------------


def _note_sig(note: Note) -> tuple[Hashable, ...]:
    return tuple(k for _text, toks in note.paras for k in toks.keys)


def _match_notes(old: dict[str, Note], new: dict[str, Note]) -> dict[str, str]:
    from rapidfuzz.distance import Indel

    pairs = {k: k for k in old if k in new}
    left_old = [n for k, n in old.items() if k not in pairs]
    left_new = [n for k, n in new.items() if k not in pairs]

    def score(a: Note, b: Note) -> float:
        return float(Indel.normalized_similarity(_note_sig(a), _note_sig(b)))

    for a, b, _s in match_leftovers(left_old, left_new, score, _note_sig):
        pairs[a.key] = b.key
    return pairs


def _footnote_changes(a: Prepared, b: Prepared, pairs: dict[str, str]) -> list[cs.FootnoteChange]:
    changes: list[tuple[tuple[int, int], cs.FootnoteChange]] = []
    reverse = {n: o for o, n in pairs.items()}
    for key, note in b.notes.items():
        old_key = reverse.get(key)
        place = _note_place(note)
        if old_key is None:
            paras = tuple(_one_sided(cs.ADDED, "footnote", i, t) for i, t in enumerate(note.paras))
            added = sum(words_changed(p.ops)[0] for p in paras)
            change = cs.FootnoteChange(cs.ADDED, None, place, paras, place_of(b, note), "", added, 0)
            changes.append(((note.number, 0), change))
            continue
        old_note = a.notes[old_key]
        steps = _note_steps(old_note, note)
        if all(p.status == "equal" for p in steps):
            continue
        added, removed = map(sum, zip(*(words_changed(p.ops) for p in steps), strict=True))
        how = "key" if old_key == key else "similarity"
        old_place = _note_place(old_note)
        changes.append(
            (
                (note.number, 0),
                cs.FootnoteChange(cs.EDITED, old_place, place, steps, place_of(b, note), how, added, removed),
            )
        )
    matched_old = set(pairs)
    previous_new = 0
    for key, note in a.notes.items():
        if key in matched_old:
            previous_new = b.notes[pairs[key]].number
            continue
        paras = tuple(_one_sided(cs.REMOVED, "footnote", i, t) for i, t in enumerate(note.paras))
        removed = sum(words_changed(p.ops)[1] for p in paras)
        change = cs.FootnoteChange(cs.REMOVED, _note_place(note), None, paras, place_of(a, note), "", 0, removed)
        changes.append(((previous_new, note.number), change))
    return [c for _k, c in sorted(changes, key=lambda kc: kc[0])]


def _note_place(note: Note) -> cs.Place:
    first = note.paras[0][0] if note.paras else ""
    return cs.Place(note.key, f"({note.number})", first[:80], (), note.number - 1, note.block)


def place_of(side: Prepared, note: Note) -> cs.Place | None:
    unit = side.units.get(note.cited_in or "")
    return unit.place if unit else None


def _note_steps(old: Note, new: Note) -> tuple[cs.ParagraphChange, ...]:
    from rapidfuzz.distance import Indel

    a = [tuple(toks.keys) for _text, toks in old.paras]
    b = [tuple(toks.keys) for _text, toks in new.paras]

    def sim(i: int, j: int) -> float:
        return float(Indel.normalized_similarity(a[i], b[j]))

    out = []
    for olds, news in align(a, b, sim):
        out.append(_paragraph([old.paras[i] for i in olds], [new.paras[j] for j in news], olds, news, "footnote"))
    return tuple(out)


# --- paragraphs -----------------------------------------------------------------------------


def _one_sided(status: str, role: str, index: int, text: tuple[str, Tokens], label: str = "") -> cs.ParagraphChange:
    body = text[0]
    if status == cs.ADDED:
        op = cs.WordOp(cs.INSERT, "", body, 0, 0, 0, len(body))
        return cs.ParagraphChange(status, role, (), (index,), "", label, "", body, (op,))
    op = cs.WordOp(cs.DELETE, body, "", 0, len(body), 0, 0)
    return cs.ParagraphChange(status, role, (index,), (), label, "", body, "", (op,))


def _paragraph(
    olds: list[tuple[str, Tokens]],
    news: list[tuple[str, Tokens]],
    old_index: list[int],
    new_index: list[int],
    role: str,
    old_label: str = "",
    new_label: str = "",
) -> cs.ParagraphChange:
    if not olds:
        return _one_sided(cs.ADDED, role, new_index[0], news[0], new_label)
    if not news:
        return _one_sided(cs.REMOVED, role, old_index[0], olds[0], old_label)
    old_text, old_toks = join(olds)
    new_text, new_toks = join(news)
    if old_toks.keys == new_toks.keys:  # the same words (a footnote may have been renumbered)
        ops: tuple[cs.WordOp, ...] = (cs.WordOp(cs.EQUAL, old_text, new_text, 0, len(old_text), 0, len(new_text)),)
    else:
        ops = word_ops(old_text, old_toks, new_text, new_toks)
    changed = any(op.op != cs.EQUAL for op in ops)
    status = "split" if len(news) > 1 else "merged" if len(olds) > 1 else cs.EDITED if changed else "equal"
    return cs.ParagraphChange(
        status, role, tuple(old_index), tuple(new_index), old_label, new_label, old_text, new_text, ops
    )


# --- sections -------------------------------------------------------------------------------


def _match_sections(a: Prepared, b: Prepared) -> dict[str, tuple[str, str, float]]:
    """OLD key → (NEW key, how, similarity): by key first, then title and content similarity."""
    from rapidfuzz import fuzz

    pairs = {k: (k, "key", 1.0) for k in a.units if k in b.units}
    left_old = [u for k, u in a.units.items() if k not in pairs]
    left_new = [u for u in b.units.values() if u.key not in pairs]

    def score(o: Unit, n: Unit) -> float:
        title = fuzz.ratio(o.place.title, n.place.title) / 100
        x, y = _subtree(o, a.units), _subtree(n, b.units)
        if not x and not y:
            return title
        common = sum((x & y).values())
        content = 2 * common / (sum(x.values()) + sum(y.values()) or 1)
        return 0.2 * title + 0.8 * content

    for o, n, s in match_leftovers(left_old, left_new, score, lambda u: u.place.title):
        pairs[o.key] = (n.key, "similarity", round(s, 3))
    return pairs


def _moved(a: Prepared, b: Prepared, pairs: dict[str, tuple[str, str, float]]) -> set[str]:
    """NEW keys of sections that moved: under another parent, or out of order among their siblings."""
    partner = {o: n for o, (n, _h, _s) in pairs.items()}
    reverse = {n: o for o, n in partner.items()}
    moved = set()
    for o, n in partner.items():
        parent = a.units[o].parent
        if (partner.get(parent) if parent else None) != b.units[n].parent:
            moved.add(n)
    old_rank: dict[str, int] = {}
    top = 0
    for u in a.units.values():
        if u.parent is None:
            old_rank[u.key], top = top, top + 1
        for rank, child in enumerate(u.children):
            old_rank[child] = rank
    groups: dict[str | None, list[str]] = {}
    for u in b.units.values():
        if u.key in reverse and u.key not in moved:
            groups.setdefault(u.parent, []).append(u.key)
    for keys in groups.values():
        keep = set(lis([old_rank[reverse[k]] for k in keys]))
        moved.update(k for i, k in enumerate(keys) if i not in keep)
    return moved


def _section_changes(a: Prepared, b: Prepared, ind: IndicatorDiff, absorbed: Set[Hashable]) -> list[cs.SectionChange]:
    pairs = _match_sections(a, b)
    moved = _moved(a, b, pairs)
    reverse = {n: (o, how, s) for o, (n, how, s) in pairs.items()}
    aligned = {n: _aligned(a.units[o], b.units[n]) for n, (o, _how, _s) in reverse.items()}
    across = _cross_moves(a, b, aligned, _settled(a, b, pairs, moved), reverse)
    out: list[tuple[tuple[int, int, int], cs.SectionChange]] = []
    for u in b.units.values():
        if u.key in reverse:
            o, how, s = reverse[u.key]
            matched = Matched(a.units[o], u, aligned[u.key], across)
            change = _matched_section(matched, u.key in moved, how, s, a, b, ind, absorbed)
            if change is not None:
                out.append(((u.place.position, 0, 0), change))
        else:
            out.append(((u.place.position, 0, 0), _one_sided_section(cs.ADDED, u)))
    anchor = -1
    for u in a.units.values():
        if u.key in pairs:
            anchor = b.units[pairs[u.key][0]].place.position
        else:
            out.append(((anchor, 1, u.place.position), _one_sided_section(cs.REMOVED, u)))
    return [c for _k, c in sorted(out, key=lambda kc: kc[0])]


@dataclass
class Aligned:
    """A matched section's own paragraphs aligned: the steps, and the paragraphs moved inside it
    ({removed step: added step})."""

    steps: list[tuple[list[int], list[int]]]
    moves: dict[int, int]


@dataclass
class CrossMoves:
    """Paragraphs moved from one matched section to another: the steps they left ((NEW key of the
    section, step)) and, for each step they arrived at, the OLD section and paragraph they came from."""

    gone: set[tuple[str, int]] = field(default_factory=set)
    came: dict[tuple[str, int], tuple[Unit, Para]] = field(default_factory=dict)


@dataclass
class Matched:
    """A matched section (OLD unit, NEW unit), its alignment and the moves across sections."""

    old: Unit
    new: Unit
    aligned: Aligned
    across: CrossMoves


def _aligned(o: Unit, n: Unit) -> Aligned:
    steps = _align_paras(o.paras, n.paras)
    return Aligned(steps, _paragraph_moves(o.paras, n.paras, steps))


def _settled(a: Prepared, b: Prepared, pairs: dict[str, tuple[str, str, float]], moved: Set[str]) -> set[str]:
    """NEW keys of matched sections that neither moved nor stand inside a moved (or one-sided) one:
    the only sections a paragraph may move between (a move whose end lies in a moved section
    would be written twice by the redline's reject-all)."""
    partner = {o: n for o, (n, _h, _s) in pairs.items()}
    matched = set(partner.values())
    out = set()
    for o, n in partner.items():
        steady_old = all(k in partner and partner[k] not in moved for k in _ancestors(o, a.units))
        steady_new = all(k in matched and k not in moved for k in _ancestors(n, b.units))
        if steady_old and steady_new:
            out.add(n)
    return out


def _ancestors(key: str, units: dict[str, Unit]) -> list[str]:
    """A section's key and its parents' keys, up to its part."""
    chain: list[str] = []
    at: str | None = key
    while at is not None:
        chain.append(at)
        at = units[at].parent
    return chain


class Leftover(NamedTuple):
    """A paragraph left removed (or added) in a settled section: the section's NEW key, the step, the paragraph."""

    section: str
    step: int
    para: Para


def _cross_moves(
    a: Prepared,
    b: Prepared,
    aligned: dict[str, Aligned],
    settled: Set[str],
    reverse: dict[str, tuple[str, str, float]],
) -> CrossMoves:
    """Paragraphs left removed in one settled section and added in another (after the moves inside
    sections) that are one paragraph moved: paired best-first at MOVE_THRESHOLD, ties in reading
    order, as `pair_moves` pairs them inside a section; too many candidates: none."""
    removed, added = _leftovers(a, b, aligned, settled, reverse)
    found = CrossMoves()
    if not removed or not added or len(removed) * len(added) > MAX_CANDIDATES:
        return found
    scored = [
        (_move_similarity(x.para, y.para), r, m)
        for r, x in enumerate(removed)
        for m, y in enumerate(added)
        if x.section != y.section
    ]
    for r, m, _score in best_first(scored, MOVE_THRESHOLD):
        gone, came = removed[r], added[m]
        found.gone.add((gone.section, gone.step))
        found.came[(came.section, came.step)] = (a.units[reverse[gone.section][0]], gone.para)
    return found


def _leftovers(
    a: Prepared,
    b: Prepared,
    aligned: dict[str, Aligned],
    settled: Set[str],
    reverse: dict[str, tuple[str, str, float]],
) -> tuple[list[Leftover], list[Leftover]]:
    """The removed and the added paragraphs of the settled sections that no move inside them took, in NEW's order."""
    removed: list[Leftover] = []
    added: list[Leftover] = []
    for n in sorted(settled, key=lambda k: b.units[k].place.position):
        o, steps, moves = a.units[reverse[n][0]], aligned[n].steps, aligned[n].moves
        taken = set(moves.values())
        for k, (olds, news) in enumerate(steps):
            if len(olds) == 1 and not news and k not in moves:
                removed.append(Leftover(n, k, o.paras[olds[0]]))
            if len(news) == 1 and not olds and k not in taken:
                added.append(Leftover(n, k, b.units[n].paras[news[0]]))
    return removed, added


def _one_sided_section(status: str, unit: Unit) -> cs.SectionChange:
    paras = []
    for p in [*([unit.title] if unit.title else []), *unit.paras]:
        paras.append(_one_sided(status, p.kind, p.block, (p.text, p.toks), p.label))
    words = sum(sum(words_changed(p.ops)) for p in paras)
    old, new = (None, unit.place) if status == cs.ADDED else (unit.place, None)
    added, removed = (words, 0) if status == cs.ADDED else (0, words)
    return cs.SectionChange(status, old, new, tuple(paras), "", 0.0, added, removed)


def _matched_section(
    pair: Matched,
    moved: bool,
    how: str,
    similarity: float,
    a: Prepared,
    b: Prepared,
    ind: IndicatorDiff,
    absorbed: Set[Hashable],
) -> cs.SectionChange | None:
    o, n = pair.old, pair.new
    paras: list[cs.ParagraphChange] = []
    renamed = False
    if o.title and n.title:
        title = _paragraph(
            [(o.title.text, o.title.toks)],
            [(n.title.text, n.title.toks)],
            [o.title.block],
            [n.title.block],
            "title",
            o.title.label,
            n.title.label,
        )
        renamed = title.status != "equal"
        paras.append(title)
    steps, moves = pair.aligned.steps, pair.aligned.moves
    moved_from = {added: removed for removed, added in moves.items()}
    for k, (olds, news) in enumerate(steps):
        if k in moves or (n.key, k) in pair.across.gone:
            continue  # reported where it went
        source, before = pair.across.came.get((n.key, k), (None, None))
        if k in moved_from:
            before = o.paras[steps[moved_from[k]][0][0]]
        if before is not None:  # a paragraph moved here, from this section or from `source`
            after = n.paras[news[0]]
            change = _attribute_move(_moved_paragraph(before, after), before, after, a, b, ind, absorbed)
            paras.append(dataclasses.replace(change, moved_from=source.place) if source else change)
            continue
        ps_old = [o.paras[i] for i in olds]
        ps_new = [n.paras[j] for j in news]
        change = _paragraph(
            [(p.text, p.toks) for p in ps_old],
            [(p.text, p.toks) for p in ps_new],
            [p.block for p in ps_old],
            [p.block for p in ps_new],
            (ps_new or ps_old)[0].kind,
            ps_old[0].label if ps_old else "",
            ps_new[0].label if ps_new else "",
        )
        paras.append(_attribute(change, ps_old, ps_new, a, b, ind, absorbed))
    edited = any(_shown_here(p) for p in paras if p.role != "title")
    if not (moved or renamed or edited) and all(p.status == "equal" for p in paras):
        return None
    status = "+".join(s for s, on in ((cs.MOVED, moved), (cs.RENAMED, renamed), (cs.EDITED, edited)) if on)
    visible = [p for p in paras if p.status != "equal" and not p.reported_at]
    added = sum(words_changed(p.ops)[0] for p in visible)
    removed = sum(words_changed(p.ops)[1] for p in visible)
    return cs.SectionChange(status or cs.UNCHANGED, o.place, n.place, tuple(paras), how, similarity, added, removed)


def _align_paras(old: list[Para], new: list[Para]) -> list[tuple[list[int], list[int]]]:
    from rapidfuzz.distance import Indel

    ow = [p.words for p in old]
    nw = [p.words for p in new]

    def sim(i: int, j: int) -> float:
        return float(Indel.normalized_similarity(ow[i], nw[j]))

    def gain(olds: list[int], news: list[int]) -> float:
        x = [k for i in olds for k in ow[i]]
        y = [k for j in news for k in nw[j]]
        return float(Indel.normalized_similarity(x, y))

    return join_splits(align([p.sig for p in old], [p.sig for p in new], sim), gain)


def _paragraph_moves(old: list[Para], new: list[Para], steps: list[tuple[list[int], list[int]]]) -> dict[int, int]:
    """Removed and added paragraphs of the alignment that are one paragraph moved (same words, or nearly)."""
    return pair_moves(steps, lambda i, j: _move_similarity(old[i], new[j]))


def _move_similarity(a: Para, b: Para) -> float:
    """How alike two paragraphs' words are, as a move sees them (0 below MOVE_THRESHOLD).

    Table rows and indicator lines are never moved: a table is not moved row by row, and an
    indicator line follows its list, whose order the indicators' own changes report.
    """
    from rapidfuzz.distance import Indel

    if "table" in (a.kind, b.kind) or a.from_data or b.from_data:
        return 0.0
    x, y = a.words, b.words
    return float(Indel.normalized_similarity(x, y, score_cutoff=MOVE_THRESHOLD)) if x and y else 0.0


def _moved_paragraph(old: Para, new: Para) -> cs.ParagraphChange:
    """One paragraph moved inside its section: `moved`, or `moved+edited` with its word operations."""
    change = _paragraph(
        [(old.text, old.toks)], [(new.text, new.toks)], [old.block], [new.block], new.kind, old.label, new.label
    )
    status = cs.MOVED if change.status == "equal" else f"{cs.MOVED}+{cs.EDITED}"
    return dataclasses.replace(change, status=status)


def _shown_here(p: cs.ParagraphChange) -> bool:
    """Whether a paragraph change is shown in its section: a difference not reported elsewhere, or a move."""
    return p.status != "equal" and (not p.reported_at or cs.has(p.status, cs.MOVED))


def _attribute_move(
    change: cs.ParagraphChange,
    old: Para,
    new: Para,
    a: Prepared,
    b: Prepared,
    ind: IndicatorDiff,
    absorbed: Set[Hashable],
) -> cs.ParagraphChange:
    """A moved paragraph whose only difference is reported elsewhere (a changed indicator's value,
    a note's mark): `moved` (its move stays in its section) with `reported_at` naming where its
    words are reported, as an unmoved paragraph's would be."""
    if change.status == cs.MOVED:
        return change
    found = _attribute(dataclasses.replace(change, status=cs.EDITED), [old], [new], a, b, ind, absorbed)
    if not found.reported_at:
        return change
    return dataclasses.replace(change, status=cs.MOVED, reported_at=found.reported_at)


def _attribute(
    change: cs.ParagraphChange,
    olds: list[Para],
    news: list[Para],
    a: Prepared,
    b: Prepared,
    ind: IndicatorDiff,
    absorbed: Set[Hashable],
) -> cs.ParagraphChange:
    """Name the change a paragraph's difference is reported at, when it is not a change of its own."""
    if change.status == "equal":
        return change
    where = ""
    if len(olds) == 1 and len(news) == 1:
        where = _data_source(olds[0], news[0], change, ind) or _only_notes(olds[0], news[0], absorbed)
    elif len(olds) + len(news) == 1 and (olds or news)[0].from_data:  # an indicator line added or removed
        key = ind.changed_in_line(olds[0].text if olds else "", news[0].text if news else "")
        where = f"indicator:{key}" if key else ""
    if not where:
        return change
    return cs.ParagraphChange(
        change.status, change.role, change.old_blocks, change.new_blocks, change.old_label, change.new_label,
        change.old_text, change.new_text, change.ops, where,
    )  # fmt: skip


def _data_source(old: Para, new: Para, change: cs.ParagraphChange, ind: IndicatorDiff) -> str:
    """The indicator (or other data) a difference comes from when the written prose is the same."""
    if old.from_data and new.from_data:
        key = ind.changed_in_line(old.text, new.text)
        return f"indicator:{key}" if key else ""
    if old.source and old.source == new.source:
        for key in IND_REF.findall(new.source):
            if key in ind.changed:
                return f"indicator:{key}"
        counted = ind.flipped or ind.added_or_removed("results")
        if "results." in new.source and counted:
            return f"indicator:{counted[0]}"
    found = ind.numbers_only(change.ops)
    return f"indicator:{found}" if found else ""


def _only_notes(old: Para, new: Para, absorbed: Set[Hashable]) -> str:
    """A paragraph whose only difference is the mark of a footnote added or removed: reported there."""
    a = [k for k in old.sig if k not in absorbed]
    b = [k for k in new.sig if k not in absorbed]
    if a != b:
        return ""
    extra = [k for k in (*old.sig, *new.sig) if k in absorbed]
    return f"footnote:{extra[0][1][1]}" if extra else ""  # type: ignore[index]


# --- metadata -------------------------------------------------------------------------------

META_FIELDS = (
    ("header.party_name", "Tên Đảng", lambda d: d.meta.party_name),
    ("header.superior_body", "Cơ quan cấp trên", lambda d: d.meta.superior_body),
    ("header.issuing_body", "Cơ quan ban hành", lambda d: d.meta.issuing_body),
    ("header.number_line", "Số, ký hiệu", lambda d: d.front["number_line"]),
    ("header.date_line", "Địa danh, ngày tháng", lambda d: d.front["date_line"]),
    ("header.draft_label", "Nhãn dự thảo", lambda d: d.front["draft_label"]),
    ("header.document_type", "Tên loại văn bản", lambda d: d.meta.document_type),
    ("header.summary", "Trích yếu", lambda d: d.meta.summary),
    ("theme.title", "Tiêu đề chủ đề", lambda d: d.meta.theme.title),
    ("theme", "Chủ đề Đại hội", lambda d: plain_text(d.theme)),
    ("motto.title", "Tiêu đề phương châm", lambda d: d.meta.motto.title),
    ("motto", "Phương châm Đại hội", lambda d: plain_text(d.motto)),
    ("congress", "Đại hội, nhiệm kỳ", lambda d: _congress(d)),
    ("signature.on_behalf", "Chữ ký: thay mặt", lambda d: d.meta.signature.on_behalf),
    ("signature.authority", "Chữ ký: thẩm quyền", lambda d: d.meta.signature.authority),
    ("signature.title", "Chữ ký: chức vụ", lambda d: d.meta.signature.title),
    ("signature.name", "Chữ ký: họ tên", lambda d: d.meta.signature.name),
)


def _congress(document: Document) -> str:
    c = document.meta.congress
    return f"lần thứ {c.ordinal}, nhiệm kỳ {c.term} (nhiệm kỳ trước: {c.previous_ordinal}, {c.previous_term})"


def _meta_changes(old: Side, new: Side) -> list[cs.MetaChange]:
    from dhcompiler.templates import count_syllables

    out = []
    for name, label, read in META_FIELDS:
        before, after = read(old.document), read(new.document)
        if before == after:
            continue
        para = _paragraph([(before, text_tokens(before))], [(after, text_tokens(after))], [0], [0], name)
        if not before:
            para = _one_sided(cs.ADDED, name, 0, (after, text_tokens(after)))
        elif not after:
            para = _one_sided(cs.REMOVED, name, 0, (before, text_tokens(before)))
        words = (count_syllables(before), count_syllables(after)) if name == "theme" else (0, 0)
        out.append(
            cs.MetaChange(
                name, label, para.status if para.status in (cs.ADDED, cs.REMOVED) else cs.EDITED, para, *words
            )
        )
    return out
