"""Rules on consistency: a statement repeated with other figures, figures beside indicator
names, the theme against the general objective."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from dhcompiler.checks.arithmetic import written_number
from dhcompiler.checks.context import CheckContext, Prose
from dhcompiler.checks.indicators import (
    SEPARATOR,
    NameIndex,
    NameMatch,
    fold,
    sentences,
    target_term_sections,
)
from dhcompiler.checks.patterns import PARAGRAPHS, WordPattern, lazy
from dhcompiler.checks.registry import Hit, rule
from dhcompiler.findings import Severity
from dhcompiler.indicators import format_number_unit
from dhcompiler.load import Loc
from dhcompiler.model import Measure, Quantity, Report, Section
from dhcompiler.numbers import format_vi_number

UNITS = ("%/năm", "%", "tỷ đồng", "triệu đồng", "triệu USD", "tấn/năm", "tấn", "ha", "km", "lần")


def _alternatives(words: Iterable[str]) -> str:
    """The folded words as alternatives of a regular expression."""
    return "|".join(re.escape(fold(w)) for w in words)


# (Beginning with a digit, as arithmetic.NUMBER does.)
FIGURE = lazy(
    lambda: rf"(\d(?<![\w.,/-]\d)(?:\d{{0,2}}(?:\.\d{{3}})+(?:,\d+)?|\d*(?:,\d+)?))\s?({_alternatives(UNITS)})(?!\w)"
)


DIGIT = lazy(r"\d")


def unit_key(unit: str | None) -> str:
    return fold(unit or "").replace(" ", "")


def figures_in(folded: str, start: int, end: int) -> Iterator[tuple[int, Decimal, str]]:
    """(offset, value, unit key) of each number with a unit between `start` and `end`."""
    for match in FIGURE.finditer(folded, start, end):
        value = written_number(match.group(1))
        if value is not None:
            yield match.start(1), value, unit_key(match.group(2))


def same_figure(written: Decimal, value: Decimal) -> bool:
    """Whether `written` is `value`, possibly rounded to the decimals written."""
    exponent = written.as_tuple().exponent
    assert isinstance(exponent, int)
    try:
        return written == value or written == value.quantize(Decimal(1).scaleb(exponent))
    except InvalidOperation:  # more digits than the context holds: not the same figure
        return False


# --- DH301 -------------------------------------------------------------------------------

HEADS = ("tỷ lệ", "tốc độ", "tổng", "giá trị", "sản lượng", "thu nhập", "số lượng", "diện tích")
VERBS = ("đạt", "là", "còn")
QUALIFIERS = ("trên", "gần", "khoảng", "hơn", "ước")
# Words that say how a quantity is measured, not what: a subject made only of them
# (“tốc độ tăng trưởng bình quân”) means what its paragraph is about and is not compared.
GENERIC_WORDS = (
    "tỷ lệ tốc độ tổng số mức vốn giá trị sản lượng lượng thu nhập diện tích "
    "tăng trưởng bình quân hằng hàng năm chung trên địa bàn của thành phố các toàn"
)


@cache
def generic_words() -> frozenset[str]:
    return frozenset(fold(w) for w in GENERIC_WORDS.split())


# (Found where a word begins: see WordPattern.)
STATEMENT = WordPattern(
    lambda: (
        rf"(?P<subject>(?:{_alternatives(HEADS)})\b"
        r"(?:năm \d{4}|(?!\ue000)[^;:.()\d%])*?)"
        rf"\s+(?:{re.escape(fold('ước'))}\s+)?(?:{_alternatives(VERBS)})\s+"
        rf"(?:(?:{_alternatives(QUALIFIERS)})\s+)?"
        rf"(?P<number>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)\s?(?P<unit>{_alternatives(UNITS)})(?!\w)"
    ),
    hint=lambda: rf"(?:{_alternatives(HEADS)})\b",
)


# What pins a figure to a time or a place, read in its sentence up to the figure: a year, a
# moment of the term, before or after a merger, a named locality. “so với năm 2020” is a
# reference point, not the figure's own time, and is skipped.
def _frame_pattern() -> str:
    year = rf"(?:{fold('năm')}|{fold('đến')}) (?:19|20)\d\d|(?:19|20)\d\d ?[-–] ?(?:19|20)\d\d"
    moment = fold("(?:đầu|cuối) nhiệm kỳ|nhiệm kỳ trước|cùng kỳ")
    merger = fold("(?:trước|sau)(?: khi)? (?:sáp nhập|sát nhập|hợp nhất|sắp xếp|chia tách)")
    return rf"\b(?:{year}|{moment}|{merger})\b"


FRAME = lazy(_frame_pattern)
REFERENCE = lazy(lambda: rf"\b{fold('so với')} [^,;.]*")
_YEAR_WORD = lazy(lambda: rf"^(?:{fold('năm')}|{fold('đến')}) ")


def frame(text: str, folded: str, start: int, end: int) -> tuple[str, ...]:
    """The time and place a sentence gives before offset `end`: its clause's own (from the last
    semicolon), else the sentence's before that clause (from `start`)."""
    clause = folded.rfind(";", start, end) + 1 or start
    return _frame(text, folded, clause, end) or _frame(text, folded, start, clause)


def _frame(text: str, folded: str, start: int, end: int) -> tuple[str, ...]:
    from dhcompiler.checks.text import place_names_in

    plain = REFERENCE.sub(lambda m: " " * len(m.group()), folded[start:end])
    found = [_YEAR_WORD.sub("", m.group()) for m in FRAME.finditer(plain)]
    found.extend(fold(name) for name in place_names_in(text[start:end]))
    return tuple(sorted(set(found)))


@dataclass(frozen=True)
class Statement:
    """A figure stated about a subject: where, what value, and the subject as written."""

    prose: Prose
    offset: int
    value: Decimal
    subject: str
    unit: str

    @property
    def loc(self) -> Loc:
        return self.prose.at(self.offset)


StatementKey = tuple[str, str, tuple[str, ...]]


def statements(prose: Prose) -> Iterator[tuple[StatementKey, Statement]]:
    """Each “<subject> đạt <number><unit>” of `prose`, keyed by its normalised subject, unit
    and the time and place its sentence gives."""
    for key, offset, value, subject, unit in _statements_in(prose.masked):
        yield key, Statement(prose, offset, value, subject, unit)


@lru_cache(maxsize=PARAGRAPHS)
def _statements_in(text: str) -> tuple[tuple[StatementKey, int, Decimal, str, str], ...]:
    """(key, offset of the number, value, subject as written, unit) of each statement of `text`."""
    found: list[tuple[StatementKey, int, Decimal, str, str]] = []
    if DIGIT.search(text) is None:  # no number, no statement
        return ()
    folded = fold(text)
    for match in STATEMENT.finditer(folded):
        words = [w for w in re.split(SEPARATOR, match.group("subject")) if w]
        if all(w in generic_words() for w in words):
            continue
        subject = text[match.start("subject") : match.end("subject")]
        unit = unit_key(match.group("unit"))
        value = written_number(match.group("number"))
        if value is None:
            continue
        start = max(folded.rfind(". ", 0, match.start()) + 1, 0)
        when = frame(text, folded, start, match.start("number"))
        found.append(((" ".join(words), unit, when), match.start("number"), value, subject, unit))
    return tuple(found)


@rule("DH301", "repeated-statement", "consistency")
def repeated_statement(ctx: CheckContext) -> Iterator[Hit]:
    """Cùng một nội dung nêu hai lần phải cùng một con số.

    Xét các câu dạng “<tỷ lệ / tốc độ / tổng … / giá trị … / thu nhập …> đạt (là, còn)
    <số><đơn vị>”. Hai câu có cùng chủ ngữ (không phân biệt hoa thường, cách bỏ dấu
    “hoá/hóa”, dấu phẩy, gạch nối) và cùng đơn vị nhưng khác con số thì một trong hai sai.
    Chủ ngữ chỉ gồm từ chung chung (“tốc độ tăng trưởng bình quân”) phụ thuộc đoạn văn nên
    không được so. Hai câu chỉ được so khi cùng thời điểm và cùng nơi: phần câu trước con số
    nêu cùng các năm (“năm 2020”, “2021 - 2025”), cùng mốc (“đầu nhiệm kỳ”, “cùng kỳ”, “trước/sau
    sáp nhập”) và cùng địa danh (“xã Tân Quang”, “phường Lương Sơn”); “so với năm 2020” là mốc
    so sánh nên không tính.

    Sai:  ``tỷ lệ trường công lập đạt chuẩn quốc gia đạt 94%`` ở mục này và
          ``tỷ lệ trường công lập đạt chuẩn quốc gia đạt 91,2%`` ở mục khác
    Đúng: cùng viết ``91,2%`` ở cả hai nơi
    """
    first: dict[StatementKey, Statement] = {}
    for prose in ctx.prose:
        for key, stated in statements(prose):
            seen = first.setdefault(key, stated)
            if seen.value != stated.value:
                yield Hit(stated.loc, _repeated_message(seen, stated))


def _repeated_message(seen: Statement, stated: Statement) -> str:
    where = seen.loc
    subject = " ".join(stated.subject.split())
    return (
        f"“{subject}” được viết là {format_vi_number(stated.value)}{_unit_text(stated)} ở "
        f"đây nhưng là {format_vi_number(seen.value)}{_unit_text(seen)} ở "
        f"{where.path}:{where.line}; hãy thống nhất một con số."
    )


def _unit_text(stated: Statement) -> str:
    written = stated.prose.masked[stated.offset :]
    match = FIGURE.match(fold(written))
    unit = written[match.start(2) : match.end(2)] if match else ""
    return unit if unit.startswith("%") else f" {unit}"


# --- DH302 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """An indicator as prose names it, with the value it states and its unit."""

    measure: Measure
    quantity: Quantity

    @property
    def unit(self) -> str:
        return unit_key(self.quantity.unit or self.measure.unit)


def _named(report: Report, new_term: bool) -> list[Named]:
    groups = report.indicators.targets if new_term else report.indicators.results
    out: list[Named] = []
    for group in groups:
        for top in group.measures:
            for measure in (top, *top.parts):
                quantity = measure.target if new_term else measure.result
                if quantity is not None and quantity.value is not None and measure.name:
                    out.append(Named(measure, quantity))
    return out


def _name_index(named: list[Named]) -> NameIndex[Named]:
    return NameIndex((item.measure, item) for item in named)


def _by_value(index: NameIndex[Named]) -> dict[tuple[Decimal, str], Named]:
    return {(item.quantity.value, item.unit): item for item in index.items if item.quantity.value is not None}


NEAR = 100  # characters between a name and the figure that belongs to it


@rule("DH302", "figure-beside-indicator", "consistency")
def figure_beside_indicator(ctx: CheckContext) -> Iterator[Hit]:
    """Con số viết cạnh tên một chỉ tiêu phải bằng giá trị của chỉ tiêu đó.

    Khi một câu nhắc tên chỉ tiêu (tên hoặc tên ngắn trong ``indicators.yaml``, không phân
    biệt dấu phẩy, gạch nối, cách bỏ dấu) rồi viết một con số cùng đơn vị ngay sau đó (trong
    cùng câu, cách không quá 100 ký tự), con số phải bằng kết quả của chỉ tiêu (trong Phần
    thứ hai: bằng mục tiêu nhiệm kỳ mới), có thể làm tròn. Nên dẫn ``{{ ind.<khóa>.result }}``
    thay cho gõ lại con số.

    Sai:  ``Sản xuất công nghiệp - xây dựng tiếp tục phát triển, tốc độ tăng bình quân đạt
          17,02%/năm`` (chỉ tiêu “công nghiệp, xây dựng” đạt 17,33%/năm; 17,02%/năm là tốc độ
          tăng của toàn bộ các ngành)
    Đúng: ``… tốc độ tăng bình quân đạt {{ ind.tang_truong_cong_nghiep.result }}``
    """
    new_term = target_term_sections(ctx.report)
    indexes = {flag: _name_index(_named(ctx.report, flag)) for flag in (False, True)}
    for prose in ctx.prose:
        results = id(prose.owner) not in new_term
        index = indexes[not results]
        for start, end in _sentences_with_digits(prose.masked):
            yield from _beside(prose, fold(prose.masked), start, end, index, results)


@lru_cache(maxsize=PARAGRAPHS)
def _sentences_with_digits(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences of `text` (folded: folding keeps every digit) that have a digit: only
    there can a figure stand beside a name."""
    if DIGIT.search(text) is None:
        return ()
    return tuple((start, end) for start, end in sentences(fold(text)) if DIGIT.search(text, start, end))


def _beside(prose: Prose, folded: str, start: int, end: int, index: NameIndex[Named], results: bool) -> Iterator[Hit]:
    for match, named in index.find(folded, start, end):
        found = _figure_of(folded, start, end, match, named)
        if found is None:
            continue
        offset, value = found
        if results and _about_targets(folded, offset):
            continue
        expected = named.quantity.value
        assert expected is not None
        if not same_figure(value, expected):
            yield Hit(prose.at(offset), _beside_message(named, value, index))


def _figure_of(folded: str, start: int, end: int, match: NameMatch, named: Named) -> tuple[int, Decimal] | None:
    """The figure that belongs to a name: just before it (“98% tổ chức…”) or soon after it."""
    if named.measure.value_first:
        before = [f for f in figures_in(folded, start, match.start) if f[2] == named.unit]
        if before and not folded[before[-1][0] : match.start].split()[1:]:
            return before[-1][0], before[-1][1]
        return None
    for offset, value, unit in figures_in(folded, match.end, min(end, match.end + NEAR)):
        if unit == named.unit:
            return offset, value
    return None


TARGET_WORDS = lazy(lambda: rf"{fold('chỉ tiêu')}|{fold('mục tiêu')}")
AT_LEAST = lazy(lambda: rf"[^\s]*\s*{fold('trở lên')}")


def _about_targets(folded: str, offset: int) -> bool:
    """Whether a figure states a target (“Chỉ tiêu Nghị quyết: … 2,5% trở lên”), not a result.

    The whole sentence up to the figure counts, semicolons included.
    """
    start = folded.rfind(". ", 0, offset) + 1
    return bool(TARGET_WORDS.search(folded, start, offset) or AT_LEAST.match(folded, offset))


def _beside_message(named: Named, value: Decimal, index: NameIndex[Named]) -> str:
    unit = named.quantity.unit or named.measure.unit
    expected = named.quantity.value
    assert expected is not None
    message = (
        f"Cạnh tên chỉ tiêu “{named.measure.name}” văn bản viết "
        f"{format_number_unit(value, unit)}, nhưng giá trị của chỉ tiêu là "
        f"{format_number_unit(expected, unit)} ({named.measure.key})"
    )
    other = _by_value(index).get((value, named.unit))
    if other is not None:
        message += (
            f"; {format_number_unit(value, unit)} là giá trị của chỉ tiêu “{other.measure.name}” ({other.measure.key})"
        )
    return message + "."


# --- DH303 -------------------------------------------------------------------------------

TOKEN = lazy(r"[^\s,;.]+")


@dataclass(frozen=True)
class Clause:
    """A clause (between semicolons) of a text: its prose, offsets and folded words."""

    prose: Prose
    start: int
    end: int
    words: tuple[tuple[int, str], ...]

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(w for _o, w in self.words)

    def text(self, first: int = 0, last: int | None = None) -> str:
        words = self.words[first:last]
        if not words:
            return ""
        begin = words[0][0]
        finish = words[-1][0] + len(words[-1][1])
        return self.prose.masked[begin:finish]


def clauses(prose: Prose) -> list[Clause]:
    text = prose.masked
    folded = fold(text)
    out, start = [], 0
    for piece in text.split(";"):
        end = start + len(piece)
        words = tuple((m.start(), m.group(0)) for m in TOKEN.finditer(folded, start, end))
        if words:
            out.append(Clause(prose, start, end, words))
        start = end + 1
    return out


@rule("DH303", "theme-objective", "consistency")
def theme_objective_drift(ctx: CheckContext) -> Iterator[Hit]:
    """Mục tiêu tổng quát phải nhắc lại đúng Chủ đề Đại hội.

    Mục tiêu tổng quát của nhiệm kỳ mới thường là Chủ đề Đại hội viết thành câu. Mục giữ
    Mục tiêu tổng quát được đánh dấu ``role: general_objective`` trong dữ liệu; đoạn văn đầu
    tiên của mục được so với ``theme.text`` trong ``document.yaml``, từng vế (ngăn bởi dấu
    chấm phẩy), không phân biệt hoa thường. Báo mỗi vế của Chủ đề bị đảo thứ tự, thay chữ,
    chen chữ vào giữa hay bị bỏ. Mục tiêu tổng quát thêm vế mới, hay nối thêm chữ vào đầu hoặc
    cuối một vế, là bình thường: DH304 (mức thông tin) nêu các chỗ đó.

    Sai:  chủ đề ``phát huy dân chủ, đoàn kết, kỷ cương, đổi mới`` — mục tiêu tổng quát
          ``phát huy đoàn kết, dân chủ, kỷ cương, đổi mới``
    Đúng: cả hai viết ``phát huy dân chủ, đoàn kết, kỷ cương, đổi mới``
    """
    yield from (hit for added, hit in _theme_differences(ctx) if not added)


@rule("DH304", "theme-objective-addition", "consistency", Severity.INFO)
def theme_objective_addition(ctx: CheckContext) -> Iterator[Hit]:
    """Mục tiêu tổng quát thêm vế hay thêm chữ ở đầu, cuối một vế so với Chủ đề Đại hội (thông tin).

    Thêm vế là cách viết thường gặp (mục tiêu tổng quát cụ thể hơn chủ đề), nên chỉ được nêu ở
    mức thông tin để người biên tập xem lại; vế bị đảo, thay hay bỏ chữ do DH303 báo.

    Sai:  chủ đề ``…; xây dựng thành phố văn minh, bền vững`` — mục tiêu tổng quát ``…; xây
          dựng thành phố văn minh, bền vững; phấn đấu trở thành thành phố công nghiệp`` (được nêu)
    Đúng: mục tiêu tổng quát nhắc lại đúng từng vế của chủ đề
    """
    yield from (hit for added, hit in _theme_differences(ctx) if added)


def _theme_differences(ctx: CheckContext) -> Iterator[tuple[bool, Hit]]:
    """Each difference of the general objective from the theme, and whether it only adds."""
    theme = next((p for p in ctx.prose if p.path == ("theme", "text")), None)
    objective = _objective_prose(ctx)
    if theme is None or objective is None:
        return
    ours, theirs = clauses(objective), clauses(theme)
    matcher = difflib.SequenceMatcher(None, [c.key for c in theirs], [c.key for c in ours], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = _pair_clauses(theirs[i1:i2], ours[j1:j2])
        for a, b in pairs:
            yield _clause_hit(a, b)
        for b in ours[j1:j2]:
            if all(b is not pb for _pa, pb in pairs):
                yield (
                    True,
                    Hit(
                        objective.at(b.words[0][0]),
                        f"Mục tiêu tổng quát có vế “{b.text()}” mà Chủ đề Đại hội không có.",
                    ),
                )
        where = ours[j1].words[0][0] if j1 < len(ours) else ours[-1].words[-1][0] if ours else 0
        for a in theirs[i1:i2]:
            if all(a is not pa for pa, _pb in pairs):
                yield False, Hit(objective.at(where), f"Mục tiêu tổng quát thiếu vế “{a.text()}” của Chủ đề Đại hội.")


def _pair_clauses(theirs: list[Clause], ours: list[Clause]) -> list[tuple[Clause, Clause]]:
    """Each theme clause with the objective clause (in order) that resembles it most, if any."""
    if len(theirs) == len(ours):
        return list(zip(theirs, ours, strict=True))
    pairs: list[tuple[Clause, Clause]] = []
    start = 0
    for a in theirs:
        scored = [(difflib.SequenceMatcher(None, a.key, b.key).ratio(), j) for j, b in enumerate(ours) if j >= start]
        best = max(scored, default=(0.0, -1))
        if best[0] >= 0.5:
            pairs.append((a, ours[best[1]]))
            start = best[1] + 1
    return pairs


def _objective_prose(ctx: CheckContext) -> Prose | None:
    target: Section | None = next((s for s, _d in ctx.report.walk() if s.role == "general_objective"), None)
    if target is None:
        return None
    return next((p for p in ctx.prose if p.owner is target and p.path[0] == "content"), None)


def _clause_hit(theirs: Clause, ours: Clause) -> tuple[bool, Hit]:
    if sorted(theirs.key) == sorted(ours.key):
        first = next(i for i, (a, b) in enumerate(zip(theirs.key, ours.key, strict=True)) if a != b)
        return False, Hit(
            ours.prose.at(ours.words[first][0]),
            f"Mục tiêu tổng quát viết “{ours.text()}”, Chủ đề Đại hội viết “{theirs.text()}” (đảo thứ tự).",
        )
    matcher = difflib.SequenceMatcher(None, theirs.key, ours.key, autojunk=False)
    opcodes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    changes, where = [], None
    for tag, i1, i2, j1, j2 in opcodes:
        where = where if where is not None else ours.words[min(j1, len(ours.words) - 1)][0]
        if tag == "insert":
            changes.append(f"thêm “{ours.text(j1, j2)}”")
        elif tag == "delete":
            changes.append(f"bỏ “{theirs.text(i1, i2)}”")
        else:
            changes.append(f"“{ours.text(j1, j2)}” thay cho “{theirs.text(i1, i2)}”")
    added = all(tag == "insert" and (j1 == 0 or j2 == len(ours.words)) for tag, _i1, _i2, j1, j2 in opcodes)
    return added, Hit(
        ours.prose.at(where or ours.words[0][0]),
        f"Mục tiêu tổng quát khác Chủ đề Đại hội ở vế “{theirs.text()}”: " + "; ".join(changes) + ".",
    )
