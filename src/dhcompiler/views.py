"""Plain-data views of the report that document templates read: indicator rows, headings, roles, counts."""

from __future__ import annotations

from typing import Any

from dhcompiler.alternatives import target_alternatives
from dhcompiler.indicators import Achievement, assess, capfirst, missed_measures, target_line
from dhcompiler.model import Comparison, IndicatorGroup, Measure, Quantity, Report, Section
from dhcompiler.numbers import format_vi_number

STATUS = {
    Achievement.EXCEEDED: "Vượt",
    Achievement.MET: "Đạt",
    Achievement.MISSED: "Không đạt",
    Achievement.UNKNOWN: "",
}


def figure_cell(quantity: Quantity | None) -> str:
    """A value as a table cell shows it, its unit in its own column: “17,02”, “trên 85”, “từ 10 trở lên”."""
    if quantity is None:
        return ""
    if quantity.value is None:
        return quantity.text or ""
    number = format_vi_number(quantity.value)
    return {
        None: number,
        Comparison.AT_LEAST: f"{number} trở lên",
        Comparison.FROM: f"từ {number} trở lên",
        Comparison.ABOVE: f"trên {number}",
        Comparison.BELOW: f"dưới {number}",
    }[quantity.comparison]


def _name(measure: Measure) -> str:
    if not measure.name and measure.target is not None and measure.target.text:
        return capfirst(measure.target.text)
    return capfirst(" ".join(w for w in (measure.lead, measure.name, measure.tail) if w))


def _unit(measure: Measure) -> str:
    return measure.unit or ""


def result_rows(report: Report) -> list[dict[str, Any]]:
    """The ending term's indicators, one entry per group: number, footnote and rows of measures."""
    groups = []
    for number, group in enumerate(report.indicators.results, start=1):
        rows = []
        for measure in group.measures:
            rows.append(_result_row(measure, group, 0))
            rows.extend(_result_row(part, group, 1) for part in measure.parts)
        groups.append({"number": number, "key": group.key, "footnote": group.footnote or "", "rows": rows})
    return groups


def _result_row(measure: Measure, group: IndicatorGroup, level: int) -> dict[str, Any]:
    target = measure.target or group.target
    return {
        "key": measure.key,
        "level": level,
        "name": _name(measure),
        "unit": _unit(measure),
        "target": figure_cell(target),
        "result": figure_cell(measure.result),
        "status": STATUS[assess(measure, group.target)],
    }


def target_rows(report: Report) -> list[dict[str, Any]]:
    """The new term's targets, one entry per group, with what the ending term achieved (`continues`)."""
    measures = report.measures()
    groups = []
    for number, group in enumerate(report.indicators.targets, start=1):
        rows = []
        for measure in group.measures:
            rows.append(_target_row(measure, measures, 0))
            rows.extend(_target_row(part, measures, 1) for part in measure.parts)
        groups.append({"number": number, "key": group.key, "footnote": group.footnote or "", "rows": rows})
    return groups


def _target_row(measure: Measure, measures: dict[str, Measure], level: int) -> dict[str, Any]:
    previous = measures[measure.continues].result if measure.continues else None
    named = bool(measure.name)  # a target with no name is its own words: they stand in the name column
    return {
        "key": measure.key,
        "level": level,
        "name": _name(measure),
        "unit": _unit(measure),
        "previous": figure_cell(previous),
        "target": figure_cell(measure.target) if named else "",
    }


def target_lines(report: Report) -> list[dict[str, Any]]:
    """The new term's targets as Part II of the report words them: the same sentence, the same bullets;
    a target with alternatives still open once per alternative (`alternative`: its label; `first`)."""
    lines = []
    for group in report.indicators.targets:
        for i, (choice, variant) in enumerate(target_alternatives(group)):
            line = target_line(variant)
            entry = {"key": group.key, "text": line.text, "bullets": list(line.bullets), "alternative": choice}
            lines.append({**entry, "first": i == 0})
    return lines


def result_counts(report: Report) -> dict[str, Any]:
    """How many result groups there are, how many met their targets, and the measures missed."""
    results = report.indicators.results
    missed = missed_measures(results)
    missed_keys = {m.key for m in missed}
    groups_missed = [g for g in results if any(m.key in missed_keys for top in g.measures for m in (top, *top.parts))]
    return {
        "groups": len(results),
        "met": len(results) - len(groups_missed),
        "missed_groups": len(groups_missed),
        "missed": [m.short_name or m.name for m in missed],
        "exceeded": sum(1 for g in results for m in _all(g) if assess(m, g.target) is Achievement.EXCEEDED),
    }


def _all(group: IndicatorGroup) -> list[Measure]:
    return [m for top in group.measures for m in (top, *top.parts)]


def role_sections(report: Report) -> dict[str, list[dict[str, Any]]]:
    """What holds each role (sections and content blocks), as raw prose: titles, summaries, paragraphs, items."""
    roles: dict[str, list[dict[str, Any]]] = {}
    for section, _depth in report.walk():
        if section.role:
            roles.setdefault(section.role, []).append(_section_view(section))
        for block in section.content:
            if block.role:
                roles.setdefault(block.role, []).append(_block_view(block))
    return roles


def _section_view(section: Section) -> dict[str, Any]:
    paragraphs: list[str] = []
    items: list[str] = []
    for block in section.content:
        if block.text is not None:
            paragraphs.append(block.text)
        items.extend(p[0] for p in (block.items or []))
    return {
        "key": section.key,
        "title": section.title or "",
        "summary": section.summary or "",
        "paragraphs": paragraphs,
        "items": items,
        "sections": [
            {"key": child.key, "title": child.title or "", "summary": child.summary or ""} for child in section.sections
        ],
    }


def _block_view(block: Any) -> dict[str, Any]:
    items = [p[0] for p in (block.items or block.bullets or [])]
    paragraphs = [block.text] if block.text else list(block.lessons or [])
    return {"key": "", "title": "", "summary": "", "paragraphs": paragraphs, "items": items, "sections": []}


def headings(report: Report, laid_out: list[Any]) -> list[dict[str, Any]]:
    """Every heading of the laid-out report in reading order: its computed number, depth, raw title, summary."""
    sections = {section.key: section for section, _depth in report.walk()}
    out = []
    for block in laid_out:
        if block.kind not in ("part", "heading", "note") or block.key not in sections:
            continue
        section = sections[block.key]
        out.append(
            {
                "key": block.key,
                "kind": block.kind,
                "label": block.label,
                "depth": block.depth,
                "title": section.title or "",
                "summary": section.summary or "",
            }
        )
    return out
