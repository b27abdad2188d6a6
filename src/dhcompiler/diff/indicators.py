"""Indicators as data: target, result, unit and computed status side by side, old → new."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from dhcompiler.diff import changeset as cs
from dhcompiler.diff.sides import Side
from dhcompiler.diff.text import sentence_around
from dhcompiler.indicators import Achievement, assess, format_quantity
from dhcompiler.model import IndicatorGroup, Measure, Quantity
from dhcompiler.numbers import format_vi_number

if TYPE_CHECKING:
    from collections.abc import Iterator

MET = (Achievement.MET, Achievement.EXCEEDED)


@dataclass
class Entry:
    """One measure of a side, with its group's shared target and its place."""

    list_name: str
    group: IndicatorGroup
    measure: Measure
    place: cs.Place

    @property
    def value(self) -> cs.IndicatorSide:
        m, unit = self.measure, self.measure.unit
        target = m.target or self.group.target
        achievement = assess(m, self.group.target).value if self.list_name == "results" else ""
        return cs.IndicatorSide(
            m.name,
            unit or "",
            format_quantity(target, unit) if target else "",
            format_quantity(m.result, unit) if m.result else "",
            achievement,
        )


@dataclass
class IndicatorDiff:
    """The indicator changes, and what the paragraph attribution needs to know about them."""

    changes: list[cs.IndicatorChange] = field(default_factory=list)
    groups: tuple[cs.GroupChange, ...] = ()
    changed: set[str] = field(default_factory=set)
    flipped: list[str] = field(default_factory=list)
    numbers: dict[tuple[str, str], str] = field(default_factory=dict)

    def changed_in_line(self, old_text: str, new_text: str) -> str:
        """The changed indicator whose values differ between these two renderings of a list line."""
        for change in self.changes:
            key = (change.new or change.old).key  # type: ignore[union-attr]
            before, after = change.old_value, change.new_value
            for b, a in (
                ((before.result, after.result), (before.target, after.target), (before.name, after.name))
                if (before and after)
                else ()
            ):
                if b != a and (b and b in old_text or a and a in new_text):
                    return key
            if (before and not after and before.name in old_text) or (after and not before and after.name in new_text):
                return key
        return ""

    def numbers_only(self, ops: tuple[cs.WordOp, ...]) -> str:
        """An imported draft types its figures: a paragraph whose only edits are changed values."""
        found = ""
        for op in ops:
            if op.op == cs.EQUAL:
                continue
            key = self.numbers.get((op.old.strip(), op.new.strip()))
            if not key:
                return ""
            found = found or key
        return found

    def with_citations(self, sections: list[cs.SectionChange]) -> tuple[cs.IndicatorChange, ...]:
        cites: dict[str, list[cs.Citation]] = {}
        for section in sections:
            place = section.new or section.old
            for p in section.paragraphs:
                if p.reported_at.startswith("indicator:") and place is not None and p.role not in ("indicator",):
                    cites.setdefault(p.reported_at[10:], []).append(_citation(place, p))
        return tuple(replace(c, citations=tuple(cites.get((c.new or c.old).key, ()))) for c in self.changes)  # type: ignore[union-attr]


def _citation(place: cs.Place, p: cs.ParagraphChange) -> cs.Citation:
    first = next(op for op in p.ops if op.op != cs.EQUAL)
    s, e = sentence_around(p.new_text, first.new_start, first.new_end)
    return cs.Citation(place, p.new_text[s:e].strip(), p.new_blocks[0] if p.new_blocks else None)


def _entries(side: Side) -> Iterator[Entry]:
    blocks = side.document.blocks
    labels = {b.key: (i, b) for i, b in enumerate(blocks) if b.kind == "indicator" and b.key}
    headings = {b.key: b.label for b in blocks if b.kind in ("part", "heading") and b.key}
    position = 0
    for list_name in ("results", "targets"):
        for group in getattr(side.report.indicators, list_name):
            index, block = labels.get(group.key, (None, None))
            number = block.label if block else ""
            path = (headings.get(block.section or "", ""), number) if block else ()
            for measure in group.measures:
                for m in (measure, *measure.parts):
                    yield Entry(list_name, group, m, cs.Place(m.key, number, m.name, path, position, index))
                    position += 1


def _difference(old: Quantity | None, new: Quantity | None, unit: str) -> str:
    if old is None or new is None or old.value is None or new.value is None or old.value == new.value:
        return ""
    delta = new.value - old.value
    sign = "+" if delta > 0 else "-"
    number = format_vi_number(abs(delta))
    if unit.startswith("%"):
        return f"{sign}{number} điểm %"
    return f"{sign}{number} {unit}".strip()


def _summary(before: cs.IndicatorSide, after: cs.IndicatorSide, difference: str, list_name: str) -> str:
    parts = []
    for label, b, a in (("", before.result, after.result), ("mục tiêu ", before.target, after.target)):
        if b != a:
            parts.append(f"{label}{b or '(trống)'} → {a or '(trống)'}")
    if before.name != after.name:
        parts.append(f"tên: “{before.name}” → “{after.name}”")
    text = ", ".join(parts)
    if difference:
        text += f", {difference}"
    if list_name == "results" and before.achievement != after.achievement:
        text += f"; nay: {after.achievement}"
    return text


def compare_indicators(old: Side, new: Side) -> IndicatorDiff:
    a = {e.measure.key: e for e in _entries(old)}
    b = {e.measure.key: e for e in _entries(new)}
    pairs = {k: k for k in a if k in b}
    by_name = {e.measure.name: k for k, e in b.items() if k not in pairs}
    for k, e in a.items():
        if k not in pairs and e.measure.name in by_name:
            pairs[k] = by_name.pop(e.measure.name)
    out = IndicatorDiff()
    order: list[tuple[tuple[int, int], cs.IndicatorChange]] = []
    for k, e in b.items():
        old_key = next((o for o, n in pairs.items() if n == k), None)
        if old_key is None:
            order.append(
                ((e.place.position, 0), cs.IndicatorChange(cs.ADDED, e.list_name, None, e.place, None, e.value))
            )
            out.changed.add(k)
            continue
        change = _edited(a[old_key], e, out)
        if change is not None:
            order.append(((e.place.position, 0), change))
    anchor = -1
    for k, e in a.items():
        if k in pairs:
            anchor = b[pairs[k]].place.position
            continue
        order.append(((anchor, 1), cs.IndicatorChange(cs.REMOVED, e.list_name, e.place, None, e.value, None)))
        out.changed.add(k)
    out.changes = [c for _k, c in sorted(order, key=lambda kc: kc[0])]
    out.groups = tuple(_group_changes(old, new))
    return out


def _edited(before: Entry, after: Entry, out: IndicatorDiff) -> cs.IndicatorChange | None:
    x, y = before.value, after.value
    if x == y:
        return None
    which = "result" if before.list_name == "results" else "target"
    q_old: Quantity | None = getattr(before.measure, which) or (before.group.target if which == "target" else None)
    q_new: Quantity | None = getattr(after.measure, which) or (after.group.target if which == "target" else None)
    difference = _difference(q_old, q_new, y.unit)
    out.changed.update({before.measure.key, after.measure.key})
    if x.achievement != y.achievement:
        out.flipped.append(after.measure.key)
    for name in ("result", "target"):
        qa, qb = getattr(before.measure, name), getattr(after.measure, name)
        if qa is not None and qb is not None and qa.value is not None and qb.value is not None:
            out.numbers[(format_vi_number(qa.value), format_vi_number(qb.value))] = after.measure.key
            out.numbers[(format_quantity(qa, x.unit, with_comparison=False),
                         format_quantity(qb, y.unit, with_comparison=False))] = after.measure.key  # fmt: skip
    summary = _summary(x, y, difference, after.list_name)
    return cs.IndicatorChange(cs.EDITED, after.list_name, before.place, after.place, x, y, difference, summary)


def _met(group: IndicatorGroup) -> tuple[int, int]:
    measures = [m for measure in group.measures for m in (measure, *measure.parts)]
    return sum(1 for m in measures if assess(m, group.target) in MET), len(measures)


def _group_changes(old: Side, new: Side) -> Iterator[cs.GroupChange]:
    before = {g.key: g for g in old.report.indicators.results}
    labels = {b.key: b.label for b in new.document.blocks if b.kind == "indicator" and b.key}
    for group in new.report.indicators.results:
        if group.key not in before:
            continue
        (m0, t0), (m1, t1) = _met(before[group.key]), _met(group)
        if m0 != m1:
            yield cs.GroupChange("results", group.key, labels.get(group.key, ""), m0, m1, t0, t1)


__all__ = ["Decimal", "compare_indicators"]
