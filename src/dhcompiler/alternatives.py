"""Alternatives (phương án): where the data offers several wordings, and applying the committee's choice."""

from __future__ import annotations

from dataclasses import dataclass

from dhcompiler.findings import DhcError, Finding
from dhcompiler.load import Loc
from dhcompiler.model import Alternative, IndicatorGroup, Node, Report

THEME = "theme"
MOTTO = "motto"


@dataclass(frozen=True)
class ChoicePoint:
    """A place that offers alternatives: its choice key, the node holding them, and what they replace."""

    key: str
    owner: Node
    field: str  # "text", "title" or "target"
    alternatives: list[Alternative]

    @property
    def loc(self) -> Loc:
        return self.owner.loc("alternatives")


def choice_points(report: Report) -> list[ChoicePoint]:
    """Every place with alternatives still open, in reading order."""
    meta = report.meta
    places: list[tuple[str, Node, str, list[Alternative]]] = [
        (THEME, meta.theme, "text", meta.theme.alternatives),
        (MOTTO, meta.motto, "text", meta.motto.alternatives),
    ]
    for section, _depth in report.walk():
        places.append((section.key, section, "title", section.alternatives))
        places.extend((b.key or "", b, "text", b.alternatives) for b in section.content)
    for group in (*report.indicators.results, *report.indicators.targets):
        places.extend((m.key, m, "target", m.alternatives) for m in group.measures)
    return [ChoicePoint(*place) for place in places if place[3]]  # only the places that offer some


def apply_choices(report: Report, choices: dict[str, str], where: dict[str, Loc] | None = None) -> None:
    """Put each chosen alternative in place of what it replaces, so that every later stage sees one wording.

    An unknown choice key or alternative stops with DH046 at the choice (`where`: key → location).
    """
    points = {p.key: p for p in choice_points(report)}
    problems = []
    for key, chosen in choices.items():
        point = points.get(key)
        found = next((a for a in point.alternatives if a.key == chosen), None) if point else None
        if point is None or found is None:
            problems.append(_unknown(key, chosen, point, (where or {}).get(key)))
            continue
        setattr(point.owner, point.field, getattr(found, point.field))
        point.owner.alternatives = []  # type: ignore[attr-defined]
    if problems:
        raise DhcError(problems)


def _unknown(key: str, chosen: str, point: ChoicePoint | None, loc: Loc | None) -> Finding:
    path, line, column = (loc.path, loc.line, loc.column) if loc else ("--choose", 1, 1)
    if point is None:
        message = f"Không có chỗ nào có phương án mang khóa “{key}”."
    else:
        keys = ", ".join(a.key for a in point.alternatives)
        message = f"“{key}” không có phương án “{chosen}”; chọn trong: {keys}."
    return Finding(path, line, column, "DH046", message)


def target_alternatives(group: IndicatorGroup) -> list[tuple[str, IndicatorGroup]]:
    """The group as many times as a measure of it has open target alternatives, each with its label;
    just the group when none is open."""
    for i, measure in enumerate(group.measures):
        if measure.alternatives:
            variants = []
            for alternative in measure.alternatives:
                copy = group.model_copy(deep=True)
                copy.measures[i].target = alternative.target
                variants.append((alternative.label, copy))
            return variants
    return [("", group)]
