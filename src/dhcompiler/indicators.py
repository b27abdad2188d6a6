"""Indicators: achievement computed from target, comparison and result; their sentences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from dhcompiler.model import Comparison, IndicatorGroup, Measure, Quantity
from dhcompiler.numbers import format_vi_number


class Achievement(StrEnum):
    """Mức độ hoàn thành."""

    EXCEEDED = "vượt"
    MET = "đạt"
    MISSED = "không đạt"
    UNKNOWN = "không đánh giá được"


def assess(measure: Measure, shared_target: Quantity | None = None) -> Achievement:
    """Compare the result with the target by its comparison; qualitative targets are not assessable."""
    target = measure.target or shared_target
    result = measure.result
    if target is None or result is None or target.value is None or result.value is None:
        return Achievement.UNKNOWN
    got, want = result.value, target.value
    if target.comparison is Comparison.BELOW:
        return Achievement.MET if got < want else Achievement.MISSED
    if target.comparison is Comparison.ABOVE:
        return Achievement.EXCEEDED if got > want else Achievement.MISSED
    if got > want:
        return Achievement.EXCEEDED
    return Achievement.MET if got == want else Achievement.MISSED


def missed_measures(groups: list[IndicatorGroup]) -> list[Measure]:
    """Measures of the ending term whose result falls short of the target, in list order."""
    missed = []
    for group in groups:
        for measure in group.measures:
            for m in (measure, *measure.parts):
                if assess(m, group.target) is Achievement.MISSED:
                    missed.append(m)
    return missed


def format_quantity(q: Quantity, default_unit: str | None = None, *, with_comparison: bool = True) -> str:
    """“17,02%/năm”, “21.502 tấn/năm”, “trên 85%”, “từ 10%/năm trở lên”."""
    if q.value is None:
        return q.text or ""
    figure = format_number_unit(q.value, q.unit or default_unit)
    if not with_comparison or q.comparison is None:
        return figure
    return {
        Comparison.AT_LEAST: f"{figure} trở lên",
        Comparison.FROM: f"từ {figure} trở lên",
        Comparison.ABOVE: f"trên {figure}",
        Comparison.BELOW: f"dưới {figure}",
    }[q.comparison]


def format_number_unit(value: Decimal, unit: str | None) -> str:
    number = format_vi_number(value)
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(*words: str) -> str:
    return " ".join(w for w in words if w)


def _target_note(target: Quantity | None, unit: str | None) -> str:
    if target is None:
        return ""
    if target.value is None:
        return f" ({target.text})"
    return f" (Mục tiêu: {format_quantity(target, unit)})"


@dataclass(frozen=True)
class IndicatorLine:
    """A numbered indicator sentence and, for list-style parts, its bullet lines."""

    key: str
    text: str
    bullets: list[str]


def result_line(group: IndicatorGroup) -> IndicatorLine:
    """“Tỷ lệ … đạt 95,48% (Mục tiêu: 95%); tỷ lệ … (Mục tiêu: trên 85%).” for the ending term."""
    return _group_line(group, _result_phrase, _result_bullet, group.target)


def target_line(group: IndicatorGroup) -> IndicatorLine:
    """“Tỷ lệ … đạt từ 95% trở lên.” for the new term."""
    return _group_line(group, _target_phrase, _target_bullet, None)


Phrase = Callable[[Measure], str]
Bullet = Callable[[Measure, str | None], str]


def _group_line(group: IndicatorGroup, phrase: Phrase, bullet: Bullet, shared: Quantity | None) -> IndicatorLine:
    text = group.lead
    bullets: list[str] = []
    for i, measure in enumerate(group.measures):
        sep = "" if i == 0 else measure.sep
        body = phrase(measure)
        if text and i == 0:
            text = f"{text} {body}"
        else:
            text = f"{text}{sep}{capfirst(body) if sep.strip().endswith('.') else body}"
        if measure.parts and measure.parts_layout == "inline":
            text += ", trong đó " + "; ".join(phrase(p) for p in measure.parts)
        elif measure.parts:
            bullets.extend(bullet(p, measure.unit) for p in measure.parts)
    if shared is not None:
        text += _target_note(shared, group.measures[-1].unit)
    if group.footnote:
        text += f"[^{group.footnote}]"
    text = capfirst(text)
    text += ", trong đó:" if bullets else "."
    return IndicatorLine(group.key, text, bullets)


def _result_phrase(m: Measure) -> str:
    if m.result is None:
        return _join(m.lead, m.name, m.tail)
    figure = format_quantity(m.result, m.unit)
    core = _join(figure, m.name) if m.value_first else _join(m.name, m.verb, figure)
    return _join(m.lead, core, m.tail) + _target_note(m.target, m.unit)


def _result_bullet(m: Measure, unit: str | None) -> str:
    figure = format_quantity(m.result, m.unit or unit) if m.result else ""
    return f"{capfirst(m.name)}: {figure}{_target_note(m.target, m.unit or unit)}."


def _target_phrase(m: Measure) -> str:
    if m.target is None or m.target.value is None:
        return _join(m.lead, (m.target.text or "") if m.target else m.name, m.tail)
    figure = format_quantity(m.target, m.unit)
    core = _join(figure, m.name) if m.value_first else _join(m.name, m.verb, figure)
    return _join(m.lead, core, m.tail)


def _target_bullet(m: Measure, unit: str | None) -> str:
    figure = format_quantity(m.target, m.unit or unit) if m.target else ""
    return f"{capfirst(m.name)}: {figure}."
