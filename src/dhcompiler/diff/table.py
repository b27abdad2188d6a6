"""The comparison table (bảng so sánh): one row per change of the change set, in reading order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass
from pathlib import Path

from dhcompiler.diff import changeset as cs
from dhcompiler.diff.redline import plan_positions
from dhcompiler.diff.text import sentence_around
from dhcompiler.diff.views import heading, is_moved, moved_away, paragraph_ranks, part_of, section_label
from dhcompiler.document import Block, Document, Paragraph, Table, TableRow
from dhcompiler.findings import DhcError, Finding
from dhcompiler.prose import Run

TITLE = "BẢNG SO SÁNH"
COLUMNS = ("STT", "Vị trí", "", "", "Lý do, giải trình")
WIDTHS = [5, 20, 32, 32, 16]
ALIGN = ["center", "left", "left", "left", "left"]
ELLIPSIS = " … "
LIST_NAMES = {"results": "Kết quả thực hiện chỉ tiêu", "targets": "Chỉ tiêu nhiệm kỳ tới"}


@dataclass(frozen=True)
class Labels:
    """How the two drafts are named in the title and the column heads."""

    old: str
    new: str


@dataclass
class Row:
    """A row before numbering: where it sorts (NEW block, kind rank), and its cells."""

    order: tuple[float, int]
    place: list[Paragraph]
    old: list[Paragraph]
    new: list[Paragraph]
    key: str


def labels_for(changes: cs.ChangeSet, old_label: str | None, new_label: str | None) -> Labels:
    """The drafts' labels from document.yaml (or as given); two equal labels are told apart."""
    old = old_label or changes.old.draft_label or changes.old.spec
    new = new_label or changes.new.draft_label or changes.new.spec
    if old == new:
        old, new = f"{old} (bản cũ)", f"{new} (bản mới)"
    return Labels(old, new)


def _date(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("ngày %d/%m/%Y")
    except ValueError:
        return ""


# --- cells ----------------------------------------------------------------------------------


def _text(text: str, bold: bool = False, strike: bool = False) -> list[Run]:
    return [Run(text, bold=bold, strike=strike)] if text else []


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or, in a long enumeration, the clause between “; ”) holding [start, end)."""
    s, e = sentence_around(text, start, end)
    clause = text.rfind("; ", s, start)
    s = clause + 2 if clause >= 0 else s
    after = text.find("; ", end, e)
    return s, after + 1 if after >= 0 else e


def _clusters(p: cs.ParagraphChange) -> list[tuple[int, int, int, int]]:
    """The sentences around each change, in the OLD and NEW texts, merged where they touch."""
    spans: list[tuple[int, int, int, int]] = []
    for op in p.ops:
        if op.op == cs.EQUAL:
            continue
        os_, oe = _sentence(p.old_text, op.old_start, op.old_end)
        ns, ne = _sentence(p.new_text, op.new_start, op.new_end)
        if spans and (os_ <= spans[-1][1] or ns <= spans[-1][3]):
            last = spans.pop()
            os_, oe, ns, ne = min(last[0], os_), max(last[1], oe), min(last[2], ns), max(last[3], ne)
        spans.append((os_, oe, ns, ne))
    return spans


def _side(p: cs.ParagraphChange, spans: list[tuple[int, int]], new: bool) -> Paragraph:
    """The sentences of one side, the words only it has bold (NEW) or struck (OLD)."""
    runs: list[Run] = []
    for k, (start, end) in enumerate(spans):
        if k:
            runs.append(Run(ELLIPSIS))
        for op in p.ops:
            a, b = (op.new_start, op.new_end) if new else (op.old_start, op.old_end)
            text = p.new_text if new else p.old_text
            lo, hi = max(a, start), min(b, end)
            if hi <= lo:
                continue
            changed = op.op != cs.EQUAL
            runs.append(Run(text[lo:hi], bold=changed and new, strike=changed and not new))
    return runs


def paragraph_cells(p: cs.ParagraphChange) -> tuple[list[Paragraph], list[Paragraph]]:
    """OLD and NEW cells of one paragraph change: whole when added or removed, else the sentences changed."""
    if not p.old_blocks and not p.old_text:
        return [], [_text(p.new_text, bold=True)]
    if not p.new_blocks and not p.new_text:
        return [_text(p.old_text, strike=True)], []
    spans = _clusters(p)
    return [_side(p, [(a, b) for a, b, _c, _d in spans], False)], [_side(p, [(c, d) for _a, _b, c, d in spans], True)]


def _first_sentence(text: str) -> str:
    """A paragraph's first sentence, “ …” after it when the paragraph goes on."""
    end = _sentence(text, 0, 0)[1]
    return text[:end] + (ELLIPSIS.rstrip() if text[end:].strip() else "")


def moved_cells(
    section: cs.SectionChange, p: cs.ParagraphChange, left: Set[int] = frozenset()
) -> tuple[list[Paragraph], list[Paragraph]]:
    """A paragraph moved inside its section: its first sentence (the sentences edited, if any) on
    both sides, then where it stood (“(đoạn 1)”) and where it went (“(chuyển thành đoạn 8)”);
    moved from another section: “(mục II.1.2.)” and “(chuyển sang mục VI.2.2., đoạn 3)”. `left` as
    for `views.paragraph_ranks`."""
    if cs.has(p.status, cs.EDITED):  # a difference reported elsewhere (`reported_at`) is not shown here
        old, new = paragraph_cells(p)
    else:
        old, new = [[Run(_first_sentence(p.old_text))]], [[Run(_first_sentence(p.new_text))]]
    ranks_old, ranks_new = paragraph_ranks(section, left)
    if p.moved_from is not None:
        old.append([Run(f"(mục {section_label(p.moved_from)})", italic=True)])
        new.append(
            [Run(f"(chuyển sang mục {section_label(section.new)}, đoạn {ranks_new[p.new_blocks[0]]})", italic=True)]
        )
        return old, new
    old.append([Run(f"(đoạn {ranks_old[p.old_blocks[0]]})", italic=True)])
    new.append([Run(f"(chuyển thành đoạn {ranks_new[p.new_blocks[0]]})", italic=True)])
    return old, new


def _place(text: str, extra: str = "") -> list[Paragraph]:
    return [[Run(text)], *([[Run(extra, italic=True)]] if extra else [])]


# --- rows -----------------------------------------------------------------------------------


def _section_rows(
    change: cs.SectionChange, at: float, position: Callable[[int], float], left: Set[int] = frozenset()
) -> Iterator[Row]:
    where = change.new or change.old
    assert where is not None
    key, part = where.key, part_of(where)
    place = _place(heading(change), part if part != where.number else "")
    statuses = change.status.split("+")
    if change.status in (cs.ADDED, cs.REMOVED):
        old = [_text(p.old_text, strike=True) for p in change.paragraphs if p.old_text]
        new = [_text(p.new_text, bold=True) for p in change.paragraphs if p.new_text]
        yield Row((at, 0), place, old, new, key)
        return
    if cs.MOVED in statuses or cs.RENAMED in statuses:
        title = next((p for p in change.paragraphs if p.role == "title"), None)
        assert change.old is not None and change.new is not None
        if title is not None and cs.RENAMED in statuses:
            old, new = paragraph_cells(title)
        else:
            old, new = [[Run(change.old.title)]], [[Run(change.new.title)]]
        if cs.MOVED in statuses:
            old.append([Run(f"(mục {section_label(change.old)})", italic=True)])
            new.append([Run(f"(chuyển thành mục {section_label(change.new)})", italic=True)])
        yield Row((at, 0), place, old, new, key)
    for p in change.paragraphs:
        if p.status == "equal" or (p.reported_at and not is_moved(p)) or p.role == "title":
            continue
        if is_moved(p):
            yield Row((float(p.new_blocks[0]), 0), place, *moved_cells(change, p, left), key)
            continue
        old, new = paragraph_cells(p)
        block = float(p.new_blocks[0]) if p.new_blocks else position(p.old_blocks[0]) + 0.5 if p.old_blocks else at
        yield Row((block, 0), place, old, new, key)


def _footnote_row(change: cs.FootnoteChange, at: float) -> Row:
    place = change.new or change.old
    assert place is not None
    where = f"Chú thích {place.number}"
    if change.old and change.new and change.old.number != change.new.number:
        where += f" (cũ: {change.old.number})"
    cited = f"tại mục {section_label(change.cited_in)} {change.cited_in.title}".strip() if change.cited_in else ""
    old: list[Paragraph] = []
    new: list[Paragraph] = []
    for p in change.paragraphs:
        if p.status == "equal":
            continue
        o, n = paragraph_cells(p)
        old.extend(o)
        new.extend(n)
    return Row((at, 1), _place(where, cited), old, new, place.key)


def _indicator_text(side: cs.IndicatorSide | None, other: cs.IndicatorSide | None, new: bool) -> list[Paragraph]:
    if side is None:
        return []
    parts = [("", side.name), ("Mục tiêu: ", side.target), ("Kết quả: ", side.result), ("Đánh giá: ", side.achievement)]
    before = {"Mục tiêu: ": other.target, "Kết quả: ": other.result, "Đánh giá: ": other.achievement} if other else {}
    out: list[Paragraph] = []
    for label, value in parts:
        if not value:
            continue
        changed = label in before and before[label] != value or (other is None)
        out.append([Run(label), Run(value, bold=changed and new, strike=changed and not new)])
    return out


def _indicator_row(change: cs.IndicatorChange, at: float) -> Row:
    place = change.new or change.old
    assert place is not None
    where = f"{LIST_NAMES.get(change.list_name, change.list_name)}, chỉ tiêu {place.number}".strip()
    cited = "; ".join(f"mục {section_label(c.section)}" for c in change.citations)
    new = _indicator_text(change.new_value, change.old_value, True)
    if change.summary:
        new.append([Run(change.summary, italic=True)])
    return Row(
        (at, 2),
        _place(where, f"dẫn tại {cited}" if cited else ""),
        _indicator_text(change.old_value, change.new_value, False),
        new,
        place.key,
    )


def _group_row(change: cs.GroupChange, at: float) -> Row:
    where = f"{LIST_NAMES.get(change.list_name, change.list_name)}, nhóm {change.number}"
    old = [[Run(f"Đạt {change.met_old}/{change.total_old} chỉ tiêu")]]
    new = [[Run(f"Đạt {change.met_new}/{change.total_new} chỉ tiêu", bold=True)]]
    return Row((at, 3), _place(where), old, new, change.key)


def _meta_row(change: cs.MetaChange) -> Row:
    old, new = paragraph_cells(change.paragraph)
    if change.old_words != change.new_words:
        old.append([Run(f"({change.old_words} chữ)", strike=True)])
        new.append([Run(f"({change.new_words} chữ)", bold=True)])
    return Row((-1.0, 0), _place(change.label), old, new, change.field)


def _rows(changes: cs.ChangeSet, old: Document, new: Document) -> list[Row]:
    position = plan_positions(changes, old, new)
    away = moved_away(changes)
    rows = [_meta_row(m) for m in changes.meta]
    at = -1.0
    for s in changes.sections:
        if s.status == cs.UNCHANGED:
            continue
        if s.new is not None and s.new.block is not None:
            at = float(s.new.block)
        elif s.old is not None and s.old.block is not None:
            at = position(s.old.block) + 0.5
        rows.extend(_section_rows(s, at, position, away.get(s.old.key, frozenset()) if s.old else frozenset()))
    for f in changes.footnotes:
        rows.append(_footnote_row(f, _note_position(f, position)))
    for i in changes.indicators:
        block = i.new.block if i.new else None
        rows.append(_indicator_row(i, float(block) if block is not None else _old_position(i.old, position)))
    indicator_blocks = {b.key: k for k, b in enumerate(new.blocks) if b.kind == "indicator"}
    for g in changes.groups:
        rows.append(_group_row(g, float(indicator_blocks.get(g.key, len(new.blocks)))))
    return sorted(rows, key=lambda r: r.order)


def _old_position(place: cs.Place | None, position: Callable[[int], float]) -> float:
    if place is None or place.block is None:
        return float("inf")
    return position(place.block) + 0.5


def _note_position(change: cs.FootnoteChange, position: Callable[[int], float]) -> float:
    if change.new is not None and change.new.block is not None:
        return float(change.new.block)
    return _old_position(change.old, position)


# --- the document ---------------------------------------------------------------------------


def comparison_table(
    changes: cs.ChangeSet, old: Document, new: Document, labels: Labels, reasons: dict[str, str]
) -> Document:
    """The comparison table as a landscape document in the Party layout: header block, title, table."""
    header = [[[Run(text)]] for text in COLUMNS]
    header[2], header[3] = [[Run(labels.old)]], [[Run(labels.new)]]
    rows: list[TableRow] = []
    given: set[str] = set()
    for number, row in enumerate(_rows(changes, old, new), start=1):
        reason = reasons.get(row.key, "") if row.key not in given else ""
        given.add(row.key)
        rows.append(TableRow([[[Run(str(number))]], row.place, row.old or [[]], row.new or [[]], [_text(reason)]]))
    table = Table(header, rows, list(WIDTHS), list(ALIGN))
    summary = (
        f"{new.meta.document_type}: “{labels.old}” ({_date(changes.old.date)}) và "
        f"“{labels.new}” ({_date(changes.new.date)})"
    ).replace(" ()", "")
    front_blocks = [Block("document_type", [Run(TITLE)]), Block("summary", [Run(summary)])]
    front = {**new.front, "number_line": ""}
    return Document(
        new.report, front, [], [], [Block("table", [], table=table)], [], front_blocks, signature=False, landscape=True
    )


# --- the notes file -------------------------------------------------------------------------


def load_reasons(path: Path, changes: cs.ChangeSet, old: Document, new: Document) -> dict[str, str]:
    """`--notes FILE`: YAML mapping a section (or footnote, indicator, metadata field) key to its reason."""
    from dhcompiler.load import load_file

    source = load_file(path, Path.cwd())
    if not isinstance(source.data, dict):
        loc = source.loc(())
        raise DhcError(
            [Finding(loc.path, loc.line, loc.column, "DH711", "Tệp giải trình phải là một bảng: khóa mục → lý do.")]
        )
    known = _known_keys(changes, old, new)
    findings = []
    for key, value in source.data.items():
        loc = source.loc((key,))  # a top-level key starts its line
        if key not in known:
            findings.append(
                Finding(
                    loc.path,
                    loc.line,
                    1,
                    "DH712",
                    f"Khóa “{key}” không phải mục, chú thích hay chỉ tiêu nào của hai bản.",
                )
            )
        elif not isinstance(value, str):
            findings.append(Finding(loc.path, loc.line, 1, "DH713", f"Lý do của “{key}” phải là một đoạn văn bản."))
    if findings:
        raise DhcError(findings)
    return {str(k): str(v).strip() for k, v in source.data.items()}


def _known_keys(changes: cs.ChangeSet, old: Document, new: Document) -> set[str]:
    keys = {b.key for d in (old, new) for b in d.blocks if b.key}
    keys |= {f.key for d in (old, new) for f in d.footnotes}
    keys |= {m.key for d in (old, new) for m in d.report.measures().values()}
    keys |= {m.field for m in changes.meta}
    return {k for k in keys if k}
