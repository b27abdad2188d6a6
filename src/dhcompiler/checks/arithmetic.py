"""Rules on arithmetic: totals and their parts, yearly growth, averages, percentage bounds."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from dhcompiler.checks.context import CheckContext, Prose
from dhcompiler.checks.patterns import PARAGRAPHS, lazy, lowered
from dhcompiler.checks.registry import Hit, rule
from dhcompiler.indicators import format_number_unit
from dhcompiler.model import Figure, Measure, Quantity, Section
from dhcompiler.numbers import NumberSyntaxError, format_vi_number, parse_vi_number
from dhcompiler.resolve import FIGURE_ATTRIBUTES, FIGURE_REF, report_figures

# A number as Vietnamese prose writes it (21.502; 17,02; 03), not part of a date, a code
# (ĐH06, 18-NQ/TW) or a fraction (9/10). The patterns begin with a digit, so that the regex
# engine skips to the next digit; what may not come before the number is asked after its first
# digit: `\d(?<![\w.,/-]\d)` is `(?<![\w.,/-])\d`.
NUMBER = lazy(r"(\d(?<![\w.,/-]\d)(?:\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d*(?:,\d+)?))(?![\d/]|,\d|\.\d)")
FRACTION = lazy(r"(\d(?<![\w./-]\d)\d{0,8})/(\d{1,9})(?![\d/]|-)")
PERCENT_SHARE = lazy(
    r"\btỷ lệ\b(?:(?!\ue000)[^;:.()\d]){1,120}?\s(?:đạt|là|còn|chiếm)\s+"
    r"(?:(?:trên|gần|khoảng|hơn|tới)\s+)?(\d[\d.]*(?:,\d+)?)\s?%(?!/)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    """A closed interval of values a rounded figure may stand for."""

    low: Decimal
    high: Decimal

    def __add__(self, other: Span) -> Span:
        return Span(self.low + other.low, self.high + other.high)

    def overlaps(self, other: Span) -> bool:
        return self.low <= other.high and other.low <= self.high


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last digit written: 86,080 → 0,0005; 1.391 → 0,5."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal(5).scaleb(exponent - 1)


def rounded(value: Decimal, exact: bool = False) -> Span:
    margin = Decimal(0) if exact else half_unit(value)
    return Span(value - margin, value + margin)


def show(value: Decimal, places: int = 2) -> str:
    """A computed value as Vietnamese prose writes it, to `places` decimals at most."""
    text = format_vi_number(round(value, places))
    return text.rstrip("0").rstrip(",") if "," in text else text


def written_number(text: str) -> Decimal | None:
    """A number as typed in prose, or None when it is not written the Vietnamese way (0.5)."""
    try:
        return parse_vi_number(text)
    except NumberSyntaxError:
        return None


@lru_cache(maxsize=PARAGRAPHS)
def prose_numbers(text: str) -> tuple[tuple[int, Decimal], ...]:
    """Each number in `text` (masked prose) with its offset."""
    found = []
    for match in NUMBER.finditer(text):
        value = written_number(match.group(1))
        if value is not None:
            found.append((match.start(1), value))
    return tuple(found)


def _has_decimals(values: Iterable[Decimal]) -> bool:
    return any(_places(v) > 0 for v in values)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def figure_total(figure: Figure, measures: dict[str, Measure]) -> Decimal | None:
    """The total a figure states: its `value`, or its indicator's result."""
    if figure.indicator is None:
        return figure.value
    result = measures[figure.indicator].result
    return result.value if result is not None else None


# --- DH201 -------------------------------------------------------------------------------


@rule("DH201", "parts-sum", "arithmetic")
def parts_do_not_add_up(ctx: CheckContext) -> Iterator[Hit]:
    """Các phần của một số liệu phải cộng lại bằng tổng số (trong phạm vi làm tròn).

    Số liệu khai báo trong `figures:` của mục, với `value` (hoặc `indicator`) là tổng số và
    `parts` là các phần như văn bản (thường là chú thích) liệt kê. Khi có một số viết phần
    thập phân, mọi số được coi là đã làm tròn đến chữ số cuối cùng được viết; khi tất cả là
    số nguyên (số dự án, số mô hình…), phép cộng phải đúng tuyệt đối. Với `partial: true`
    (danh sách chưa đủ, “…”), tổng các phần chỉ cần không vượt tổng số.

    Sai:  ``value: 117`` với ``parts: {kcn1_fdi: 26, kcn1_ddi: 74, kcn2_fdi: 20, kcn2_ddi: 17}``
          (cộng lại 137)
    Đúng: ``value: 1.391`` với ``parts: {kcn1: 86,080, kcn2: 1.305}`` (1.391,08 ≈ 1.391)
    """
    measures = ctx.measures
    for _key, (_section, figure) in report_figures(ctx.report).items():
        total = figure_total(figure, measures)
        if total is None or not figure.parts:
            continue
        hit = _sum_hit(figure, total)
        if hit is not None:
            yield hit


def _sum_hit(figure: Figure, total: Decimal) -> Hit | None:
    parts = list(figure.parts.values())
    exact = not _has_decimals([total, *parts])
    whole = rounded(total, exact)
    summed = sum((rounded(p, exact) for p in parts), Span(Decimal(0), Decimal(0)))
    actual = sum(parts, Decimal(0))
    unit = figure.unit
    loc = figure.loc("indicator" if figure.indicator else "value")
    written = format_number_unit(total, unit)
    terms = " + ".join(format_vi_number(p) for p in parts)
    if figure.partial:
        if summed.low <= whole.high:
            return None
        return Hit(loc, f"Các phần ({terms} = {show(actual)}) vượt tổng số {written}.")
    if summed.overlaps(whole):
        return None
    return Hit(loc, f"Tổng số {written} không khớp với các phần: {terms} = {show(actual)}.")


# --- DH202 -------------------------------------------------------------------------------


@rule("DH202", "growth-rate", "arithmetic")
def growth_rate_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    """Tốc độ tăng của từng năm phải khớp với giá trị của năm đó và năm trước.

    Số liệu khai báo `years` (giá trị từng năm) và `growth` (tốc độ tăng so với năm trước,
    %). Tốc độ tính từ hai giá trị, có tính phạm vi làm tròn của các số được viết, phải
    chứa tốc độ được viết (cũng làm tròn đến chữ số cuối).

    Sai:  ``years: {2022: 858,3, 2023: 1.066}``, ``growth: {2023: 34}``
          (1.066 / 858,3 cho 24,2%)
    Đúng: ``years: {2022: 858,3, 2023: 1.066}``, ``growth: {2023: 24}``
    """
    for _key, (_section, figure) in report_figures(ctx.report).items():
        for year, stated in figure.growth.items():
            before, now = figure.years.get(year - 1), figure.years.get(year)
            if before is None or now is None or before == 0:
                continue
            low, high = _growth_span(before, now)
            if Span(low, high).overlaps(rounded(stated)):
                continue
            actual = (now / before - 1) * 100
            yield Hit(
                figure.loc("growth", str(year)),
                f"Năm {year} tăng {format_vi_number(stated)}% so với năm {year - 1} theo "
                f"văn bản, nhưng {format_vi_number(now)} / {format_vi_number(before)} "
                f"cho {show(actual, 1)}%.",
            )


def _growth_span(before: Decimal, now: Decimal) -> tuple[Decimal, Decimal]:
    b, n = rounded(before), rounded(now)
    return (n.low / b.high - 1) * 100, (n.high / b.low - 1) * 100


# --- DH203 -------------------------------------------------------------------------------


@rule("DH203", "average", "arithmetic")
def average_mismatch(ctx: CheckContext) -> Iterator[Hit]:
    """Tốc độ tăng bình quân phải bằng trung bình cộng các tốc độ tăng từng năm.

    Số liệu khai báo `growth` (tốc độ tăng từng năm) và tốc độ bình quân được viết trong
    `average` hoặc là kết quả của chỉ tiêu `indicator`. Trung bình cộng các tốc độ được
    viết (có tính phạm vi làm tròn) phải chứa tốc độ bình quân.

    Sai:  ``growth: {2021: 67,3, 2022: 28, 2023: 24, 2024: 5,5, 2025: 79}``, ``average: 45``
    Đúng: cùng các tốc độ đó với ``indicator: thu_ngan_sach`` (kết quả 40,75%/năm; trung
          bình cộng 40,76)
    """
    measures = ctx.measures
    for _key, (_section, figure) in report_figures(ctx.report).items():
        stated = figure.average if figure.indicator is None else figure_total(figure, measures)
        if stated is None or not figure.growth:
            continue
        rates = list(figure.growth.values())
        count = Decimal(len(rates))
        span = sum((rounded(r) for r in rates), Span(Decimal(0), Decimal(0)))
        mean = Span(span.low / count, span.high / count)
        if mean.overlaps(rounded(stated)):
            continue
        actual = sum(rates, Decimal(0)) / count
        yield Hit(
            figure.loc("indicator" if figure.indicator else "average"),
            f"Tốc độ tăng bình quân {format_vi_number(stated)}% không khớp với trung bình "
            f"cộng các năm: ({' + '.join(format_vi_number(r) for r in rates)}) / "
            f"{len(rates)} = {show(actual)}%.",
        )


# --- DH204 -------------------------------------------------------------------------------


@rule("DH204", "percent-bounds", "arithmetic")
def share_out_of_bounds(ctx: CheckContext) -> Iterator[Hit]:
    """Một tỷ lệ (phần của một tổng) phải nằm trong khoảng 0–100%.

    Xét “tỷ lệ … đạt/là/còn/chiếm N%” trong văn bản, phân số “a/b …” (a không vượt b), và
    kết quả, mục tiêu của các chỉ tiêu tính bằng “%” có tên bắt đầu bằng “tỷ lệ” hoặc viết
    con số trước tên (“98% tổ chức cơ sở đảng…”). Tốc độ tăng (“tăng 67,3%”, “%/năm”)
    không phải tỷ lệ nên không bị giới hạn.

    Sai:  ``tỷ lệ hộ gia đình sử dụng nước sạch đạt 105%`` — ``12/10 xã, phường``
    Đúng: ``tỷ lệ hộ gia đình sử dụng nước sạch đạt 98,5%`` — ``10/11 tuyến phố``
    """
    for prose in ctx.prose:
        yield from _prose_shares(prose)
    for measure in ctx.measures.values():
        yield from _measure_shares(measure)


def _prose_shares(prose: Prose) -> Iterator[Hit]:
    for offset, message in _shares_in(prose.masked):
        yield Hit(prose.at(offset), message)


@lru_cache(maxsize=PARAGRAPHS)
def _shares_in(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, message) of each share above 100% and each fraction above one in `text`."""
    found = []
    low = lowered(text)
    if "%" in text and (low is None or "tỷ lệ" in low):
        for match in PERCENT_SHARE.finditer(text):
            value = written_number(match.group(1))
            if value is not None and value > 100:
                found.append((match.start(1), f"Tỷ lệ {format_vi_number(value)}% vượt quá 100%."))
    if "/" in text:
        for match in FRACTION.finditer(text):
            part, whole = int(match.group(1)), int(match.group(2))
            if part > whole and not _is_date(text, match.start()):
                found.append((match.start(), f"Phân số {part}/{whole}: phần ({part}) lớn hơn tổng ({whole})."))
    return tuple(found)


def _is_date(text: str, start: int) -> bool:
    return text[max(0, start - 5) : start].rstrip().lower().endswith("ngày")


def _measure_shares(measure: Measure) -> Iterator[Hit]:
    if measure.unit != "%" or not (measure.value_first or measure.name.startswith("tỷ lệ")):
        return
    for field in ("result", "target"):
        quantity: Quantity | None = getattr(measure, field)
        if quantity is None or quantity.value is None or (quantity.unit or "%") != "%":
            continue
        if quantity.value > 100:
            yield Hit(
                quantity.loc("value"),
                f"Chỉ tiêu “{measure.name}”: tỷ lệ {format_vi_number(quantity.value)}% vượt quá 100%.",
            )


# --- DH205 -------------------------------------------------------------------------------


@rule("DH205", "figure-in-text", "arithmetic")
def figure_not_in_text(ctx: CheckContext) -> Iterator[Hit]:
    """Mọi con số khai báo trong `figures:` phải có trong văn bản của mục khai báo nó.

    Số liệu chỉ đáng tin khi nó mô tả đúng văn bản được in: mỗi số (tổng, các phần, giá
    trị và tốc độ từng năm, bình quân) phải được văn bản của mục (đoạn văn, tiêu đề, chú
    thích) viết ra, hoặc được dẫn bằng ``{{ fig.<khóa> }}``. Khi ai đó sửa con số trong văn
    bản mà quên sửa số liệu (hay ngược lại), quy tắc này báo.

    Sai:  văn bản “thu hút được 118 dự án” với ``value: 117``
    Đúng: văn bản “thu hút được {{ fig.du_an_thu_hut }}” hoặc “thu hút được 117 dự án”
    """
    by_owner: dict[int, list[Prose]] = {}
    for prose in ctx.prose:
        by_owner.setdefault(id(prose.owner), []).append(prose)
    for section, _depth in ctx.report.walk():
        if section.figures:
            yield from _section_figures_in_text(section, by_owner.get(id(section), []))


def _section_figures_in_text(section: Section, proses: list[Prose]) -> Iterator[Hit]:
    typed: set[Decimal] = set()
    cited: set[tuple[str, str | None]] = set()
    for prose in proses:
        typed.update(value for _offset, value in prose_numbers(prose.masked))
        for match in FIGURE_REF.finditer(prose.text):
            part = match.group(2)
            cited.add((match.group(1), None if part in FIGURE_ATTRIBUTES else part))
    for key, figure in section.figures.items():
        for path, value in _declared_numbers(figure):
            part = path[1] if path[0] == "parts" else None
            if value in typed or (key, part) in cited:
                continue
            yield Hit(
                figure.loc(*path),
                f"Số {format_vi_number(value)} của số liệu “{key}” không có trong văn bản "
                "của mục; số liệu và văn bản đã lệch nhau?",
            )


def _declared_numbers(figure: Figure) -> Iterator[tuple[tuple[str, ...], Decimal]]:
    if figure.value is not None:
        yield ("value",), figure.value
    for name, value in figure.parts.items():
        yield ("parts", name), value
    for year, value in figure.years.items():
        yield ("years", str(year)), value
    for year, value in figure.growth.items():
        yield ("growth", str(year)), value
    if figure.average is not None:
        yield ("average",), figure.average
