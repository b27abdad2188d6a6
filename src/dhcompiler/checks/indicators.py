"""Rules on indicators: achievement claimed in prose, counts of indicators, new-term targets."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from dhcompiler.checks.context import CheckContext, Prose
from dhcompiler.checks.patterns import PARAGRAPHS, lazy, lowered
from dhcompiler.checks.registry import Hit, rule
from dhcompiler.indicators import Achievement, assess, format_quantity
from dhcompiler.model import Comparison, IndicatorGroup, Measure, Quantity, Report, Section

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
SEPARATOR = r"[\s,\-–]+"


def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        return char
    bare = "".join(c for c in unicodedata.normalize("NFD", lower) if c not in TONE_MARKS)
    folded = unicodedata.normalize("NFC", bare)
    return folded if len(folded) == 1 else lower


@functools.cache
def _fold_table() -> dict[int, str]:
    """Latin letters, with every Vietnamese letter (U+1EA0–U+1EF9), folded once (on first use).

    The characters of ordinary text that fold to themselves are in the table too: `translate`
    finds each character of the text in it rather than handling a missing key for most of
    them, which makes it four times faster.
    """
    latin = (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00))
    table = {code: chr(code) for code in (*range(0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070), 0xE000)}
    table.update((code, _fold_char(chr(code))) for code in latin)
    return table


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without tone marks, one character for one: “Hoá” and “hóa” both give “hoa”."""
    return text.translate(_fold_table())


@functools.lru_cache(maxsize=1024)
def _words(phrase: str) -> tuple[str, ...]:
    """The folded words of a name (the same names are indexed by several rules)."""
    return tuple(w for w in re.split(SEPARATOR, fold(phrase)) if w)


def _is_word_character(char: str) -> bool:
    """What ``\\w`` matches."""
    return char.isalnum() or char == "_"


def _is_separator(char: str) -> bool:
    """What SEPARATOR matches one of."""
    return char.isspace() or char in ",-–"


def name_end(folded: str, words: tuple[str, ...], start: int, end: int) -> int | None:
    """Where a name made of `words` ends if it begins at `start`, a word boundary before it:
    the words one after the other, separated by SEPARATOR, then a word boundary, all before
    `end` (what ``\\b`` + the words joined by SEPARATOR + ``\\b`` matches there, without
    compiling a pattern for each name)."""
    position = start
    for i, word in enumerate(words):
        if i:
            after = position
            while position < end and _is_separator(folded[position]):
                position += 1
            if position == after:
                return None
        if not folded.startswith(word, position, end):
            return None
        position += len(word)
    before = position > 0 and _is_word_character(folded[position - 1])
    after_name = position < end and _is_word_character(folded[position])
    return position if before != after_name else None


class NameMatch(NamedTuple):
    """Where a name was found in folded prose."""

    start: int
    end: int


T = TypeVar("T")


class NameIndex(Generic[T]):
    """Finds indicators' names in folded prose: first words by one pattern, then the names
    that start with the word found, longest first (linear in the prose)."""

    def __init__(self, entries: Iterable[tuple[Measure, T]]):
        self.items: list[T] = []
        self.by_first: dict[str, list[tuple[int, tuple[str, ...], T]]] = {}
        for measure, item in entries:
            self.items.append(item)
            for name in filter(None, {measure.name, measure.short_name}):
                words = _words(name)
                entry = (len(name), words, item)
                self.by_first.setdefault(words[0], []).append(entry)
        for found in self.by_first.values():
            found.sort(key=lambda entry: -entry[0])
        firsts = sorted(map(re.escape, self.by_first), key=len, reverse=True)
        # ``\\b(?:firsts)\\b``, with the first ``\\b`` asked in `find`: a pattern that begins with a
        # word rather than a word boundary lets the regex engine skip to where one may begin.
        self.first = re.compile(rf"(?:{'|'.join(firsts)})\b") if firsts else None

    def find(self, folded: str, start: int, end: int) -> Iterator[tuple[NameMatch, T]]:
        position = start
        while (hit := self._first_word(folded, position, end)) is not None:
            position = hit.end()
            for _length, words, item in self.by_first[hit.group(0)]:
                found = name_end(folded, words, hit.start(), end)
                if found is not None:
                    yield NameMatch(hit.start(), found), item
                    position = found
                    break

    def _first_word(self, folded: str, position: int, end: int) -> re.Match[str] | None:
        """The leftmost first word of a name at or after `position`, a word boundary before it."""
        while self.first is not None and (hit := self.first.search(folded, position, end)) is not None:
            at = hit.start()
            if (at > 0 and _is_word_character(folded[at - 1])) != _is_word_character(folded[at]):
                return hit
            position = at + 1
        return None


IND_REF = lazy(r"\{\{[^{}]*?\bind\.([A-Za-z_]\w*)\.(?:result|target)\b[^{}]*\}\}")
CLAIM = lazy(
    r"\b(?:(?P<missed>(?:chưa|không)\s+(?:đạt|hoàn\s+thành))"
    r"|(?P<met_all>(?:đạt|hoàn\s+thành)\s+và\s+vượt)"
    r"|(?P<exceeded>vượt)"
    r"|(?P<met>đạt|hoàn\s+thành))"
    r"\s+(?:các\s+)?(?:mục\s+tiêu|chỉ\s+tiêu|kế\s+hoạch)\b",
    re.IGNORECASE,
)
CLAIM_WORDS = {
    "missed": "chưa đạt",
    "met_all": "đạt và vượt",
    "exceeded": "vượt",
    "met": "đạt",
}
SENTENCE_MARK = lazy(r"[.;!?](?=\s|$)")  # and “…”, found apart: a class with it compiles slowly
# (Beginning with a digit, as arithmetic.NUMBER does.)
COUNT = lazy(r"(\d(?<![\w./,]\d)\d{0,8})(?:\s*/\s*(\d{1,9}))?\s+(nhóm\s+)?chỉ\s+tiêu\b", re.IGNORECASE)
COUNT_STATUS = lazy(
    r"\s*(?P<main>chủ\s+yếu\s*)?,?\s*(?:(?P<missed>(?:còn\s+)?(?:chưa|không)\s+(?:đạt|hoàn\s+thành))"
    r"|(?P<achieved>đạt|vượt|hoàn\s+thành))?",
    re.IGNORECASE,
)
ABOUT_MAIN = lazy(r"chủ\s+yếu|nghị\s+quyết", re.IGNORECASE)


@dataclass(frozen=True)
class Assessed:
    """An indicator with the target that applies to it (its own or its group's)."""

    measure: Measure
    shared: Quantity | None

    @property
    def achievement(self) -> Achievement:
        return assess(self.measure, self.shared)

    @property
    def target(self) -> Quantity | None:
        return self.measure.target or self.shared


def assessed_measures(groups: list[IndicatorGroup]) -> dict[str, Assessed]:
    """Every measure of `groups` (parts included) by key, with the target that applies."""
    found: dict[str, Assessed] = {}
    for group in groups:
        for measure in group.measures:
            for m in (measure, *measure.parts):
                found[m.key] = Assessed(m, group.target)
    return found


def target_term_sections(report: Report) -> set[int]:
    """Ids of the sections of the part that lists the new term's targets (Phần thứ hai)."""
    ids: set[int] = set()
    for top in report.body:
        subtree = _subtree(top)
        if any(block.indicators == "targets" for s in subtree for block in s.content):
            ids.update(id(s) for s in subtree)
    return ids


def _subtree(section: Section) -> list[Section]:
    out, stack = [], [section]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(current.sections)
    return out


@functools.lru_cache(maxsize=PARAGRAPHS)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each sentence or clause, split at . ; ! ? … followed by a space.

    The ends are those of ``[.;!?…](?=\\s|$)|$``: each mark, and where ``$`` matches (the
    end of the text, and before a newline that ends it), which no mark can be.
    """
    ends = [match.end() for match in SENTENCE_MARK.finditer(text)]
    ellipsis = text.find("…")
    while ellipsis != -1:
        if ellipsis + 1 == len(text) or text[ellipsis + 1].isspace():
            ends.append(ellipsis + 1)
        ellipsis = text.find("…", ellipsis + 1)
    if text.endswith("\n"):
        ends.append(len(text) - 1)
    ends.append(len(text))
    ends.sort()
    found = []
    start = 0
    for end in ends:
        if end > start:
            found.append((start, end))
        start = end
        if start >= len(text):
            break
    return tuple(found)


# --- DH101 -------------------------------------------------------------------------------


@rule("DH101", "achievement-claim", "indicators")
def achievement_claim(ctx: CheckContext) -> Iterator[Hit]:
    """Lời đánh giá “vượt / đạt / chưa đạt mục tiêu” phải khớp với mức hoàn thành tính được.

    Mức hoàn thành của chỉ tiêu được tính từ kết quả, mục tiêu và cách so sánh (trở lên,
    trên, dưới). Khi văn bản dẫn một chỉ tiêu (``{{ ind.<khóa>.result }}``) rồi viết “vượt
    mục tiêu”, “đạt chỉ tiêu”, “chưa hoàn thành kế hoạch”… trong cùng câu (hoặc vế câu),
    lời đánh giá áp dụng cho các chỉ tiêu được dẫn hoặc gọi đúng tên (tên, tên ngắn trong
    ``indicators.yaml``) trước nó; nếu trước nó không có, cho chỉ tiêu được dẫn ngay sau
    (“đạt chỉ tiêu {{ ind.ket_nap_dang.target }}”). “Vượt” với mục tiêu “dưới …” nghĩa là
    kết quả thấp hơn ngưỡng.

    Sai:  ``giá trị xuất khẩu bình quân tăng {{ ind.xuat_khau.result }}, vượt mục tiêu``
          (8,6%/năm so với mục tiêu 15%/năm)
    Đúng: ``giảm tỷ lệ hộ nghèo bình quân hằng năm đạt {{ ind.giam_ngheo.result }}, vượt
          mục tiêu Nghị quyết đề ra`` (0,51% so với mục tiêu 0,5% trở lên)
    """
    assessed = assessed_measures(ctx.report.indicators.results)
    names = NameIndex((item.measure, item) for item in assessed.values())
    for prose in ctx.prose:
        if _has_claim(prose.masked):
            yield from _prose_claims(prose, assessed, names)


@functools.lru_cache(maxsize=PARAGRAPHS)
def _has_claim(text: str) -> bool:
    """Whether CLAIM finds something in `text` (which it cannot without “tiêu” or “hoạch”)."""
    low = lowered(text)
    if low is not None and "tiêu" not in low and "hoạch" not in low:
        return False
    return CLAIM.search(text) is not None


def _prose_claims(prose: Prose, assessed: dict[str, Assessed], names: NameIndex[Assessed]) -> Iterator[Hit]:
    text = prose.masked
    folded = fold(text)
    refs = [(m.start(), assessed.get(m.group(1))) for m in IND_REF.finditer(prose.text)]
    for start, end in sentences(text):
        floor = start
        for claim in CLAIM.finditer(text, start, end):
            subjects = [item for s, item in refs if floor <= s < claim.start()]
            subjects += [item for _match, item in names.find(folded, floor, claim.start())]
            if not any(subjects):
                subjects = [item for s, item in refs if claim.end() <= s <= claim.end() + 2][:1]
            floor = claim.end()
            unique = {id(item): item for item in subjects if item is not None}
            for item in unique.values():
                hit = _claim_hit(prose, claim.start(), claim.lastgroup or "met", item)
                if hit is not None:
                    yield hit


def _claim_hit(prose: Prose, offset: int, kind: str, item: Assessed) -> Hit | None:
    achieved = item.achievement
    if achieved is Achievement.UNKNOWN or _claim_holds(kind, item):
        return None
    measure, target = item.measure, item.target
    result = format_quantity(measure.result, measure.unit) if measure.result else ""
    goal = format_quantity(target, measure.unit) if target else ""
    return Hit(
        prose.at(offset),
        f"Văn bản đánh giá “{CLAIM_WORDS[kind]}” nhưng chỉ tiêu “{measure.name}” đạt "
        f"{result} so với mục tiêu {goal}: {achieved.value}.",
    )


def _claim_holds(kind: str, item: Assessed) -> bool:
    achieved = item.achievement
    if kind == "missed":
        return achieved is Achievement.MISSED
    if kind in ("met", "met_all"):
        return achieved is not Achievement.MISSED
    below = item.target is not None and item.target.comparison is Comparison.BELOW
    return achieved is Achievement.EXCEEDED or (below and achieved is Achievement.MET)


# --- DH102 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """What the data says about one list of indicators, counted by group and by measure."""

    groups: int
    measures: tuple[int, ...]
    missed: tuple[range, range]
    achieved: tuple[range, range]


def tally(groups: list[IndicatorGroup]) -> Tally:
    """Counts of groups and measures; missed and achieved as ranges.

    A measure without a target is only reported, never achieved or missed; one with a
    qualitative target may count either way.
    """
    every = [[Assessed(m, g.target) for top in g.measures for m in (top, *top.parts)] for g in groups]
    by_group = [[a.achievement for a in group if a.target is not None] for group in every]
    flat = [a for group in by_group for a in group]
    group_state = [_group_state(states) for states in by_group]
    return Tally(
        groups=len(groups),
        measures=(sum(len(group) for group in every), sum(len(g.measures) for g in groups)),
        missed=(_span(flat, Achievement.MISSED), _span(group_state, Achievement.MISSED)),
        achieved=(
            _span(flat, Achievement.MET, Achievement.EXCEEDED),
            _span(group_state, Achievement.MET, Achievement.EXCEEDED),
        ),
    )


def _group_state(states: list[Achievement]) -> Achievement:
    if Achievement.MISSED in states:
        return Achievement.MISSED
    if all(s is Achievement.UNKNOWN for s in states):
        return Achievement.UNKNOWN
    return Achievement.MET


def _span(states: list[Achievement], *wanted: Achievement) -> range:
    sure = sum(1 for s in states if s in wanted)
    return range(sure, sure + sum(1 for s in states if s is Achievement.UNKNOWN) + 1)


@rule("DH102", "indicator-count", "indicators")
def indicator_count(ctx: CheckContext) -> Iterator[Hit]:
    """Số chỉ tiêu mà văn bản gõ tay (tổng số, số đạt, số chưa đạt) phải khớp với dữ liệu.

    Xét các cụm “N (nhóm) chỉ tiêu chủ yếu”, “a/b chỉ tiêu đạt và vượt”, “còn N chỉ tiêu
    chưa đạt” trong câu nói về các chỉ tiêu chủ yếu (có “chủ yếu” hoặc “Nghị quyết”).
    “Nhóm chỉ tiêu” đếm các mục đánh số của danh sách; “chỉ tiêu” có thể đếm mục hoặc từng
    chỉ tiêu. Chỉ tiêu không đánh giá được (mục tiêu định tính) có thể được tính là đạt hoặc
    chưa đạt. Trong Phần thứ hai, tổng số so với danh sách chỉ tiêu nhiệm kỳ mới. Nên viết
    ``{{ results.count }}`` và ``{{ results.missed | names }}`` thay cho số gõ tay.

    Sai:  ``Trong 15 nhóm chỉ tiêu chủ yếu, còn 02 chỉ tiêu chưa hoàn thành`` (dữ liệu có 14
          nhóm, 1 chỉ tiêu chưa đạt)
    Đúng: ``Trong {{ results.count }} nhóm chỉ tiêu chủ yếu, còn 01 chỉ tiêu chưa hoàn thành``
    """
    indicators = ctx.report.indicators
    results, targets = tally(indicators.results), tally(indicators.targets)
    new_term = target_term_sections(ctx.report)
    for prose in ctx.prose:
        if "chỉ tiêu" not in prose.masked.lower():
            continue
        counts = targets if id(prose.owner) in new_term else results
        yield from _prose_counts(prose, counts, counts is results)


def _prose_counts(prose: Prose, counts: Tally, assessable: bool) -> Iterator[Hit]:
    text = prose.masked
    for start, end in sentences(text):
        if not ABOUT_MAIN.search(text, start, end):
            continue
        for match in COUNT.finditer(text, start, end):
            status = COUNT_STATUS.match(text, match.end(), end)
            hit = _count_hit(prose, match, status, counts, assessable)
            if hit is not None:
                yield hit


def _count_hit(
    prose: Prose, match: re.Match[str], status: re.Match[str] | None, counts: Tally, assessable: bool
) -> Hit | None:
    number, whole, group = int(match.group(1)), match.group(2), bool(match.group(3))
    totals = (counts.groups,) if group else (counts.groups, *counts.measures)
    missed = status is not None and status.group("missed")
    achieved = status is not None and status.group("achieved")
    if whole is not None and int(whole) not in totals:
        return Hit(
            prose.at(match.start(2)), f"Văn bản viết tổng số {whole} chỉ tiêu, nhưng dữ liệu có {_options(totals)}."
        )
    if (missed or achieved) and assessable:
        both = counts.missed if missed else counts.achieved
        ranges = list(both[1:] if group else both)
        if not any(number in r for r in ranges):
            what = "chưa đạt" if missed else "đạt và vượt"
            return Hit(
                prose.at(match.start(1)),
                f"Văn bản viết {number} chỉ tiêu {what}, nhưng theo dữ liệu là "
                f"{_options([_range_text(r) for r in ranges])}.",
            )
        return None
    if whole is None and status is not None and status.group("main") and number not in totals:
        return Hit(
            prose.at(match.start(1)), f"Văn bản viết {number} chỉ tiêu chủ yếu, nhưng dữ liệu có {_options(totals)}."
        )
    return None


def _range_text(r: range) -> str:
    return str(r.start) if len(r) == 1 else f"{r.start}–{r.stop - 1}"


def _options(values: tuple[int, ...] | list[str]) -> str:
    unique = list(dict.fromkeys(str(v) for v in values))
    return " hoặc ".join(unique)


# --- DH103 -------------------------------------------------------------------------------


@rule("DH103", "target-below-result", "indicators")
def target_below_result(ctx: CheckContext) -> Iterator[Hit]:
    """Chỉ tiêu nhiệm kỳ mới không nên thấp hơn kết quả nhiệm kỳ qua đã đạt.

    Chỉ tiêu nhiệm kỳ mới khai báo ``continues: <khóa>`` để nối với chỉ tiêu nhiệm kỳ vừa
    qua. Khi mục tiêu mới yếu hơn kết quả đã đạt (thấp hơn; với “dưới …” là cao hơn), người
    đọc sẽ hỏi vì sao: hãy nâng chỉ tiêu, hoặc nêu lý do (thay đổi địa giới, cách tính…) và
    bỏ qua cảnh báo này kèm lý do.

    Sai:  ``sản lượng lương thực … 19.500 tấn/năm`` (``continues: luong_thuc``, nhiệm kỳ qua
          đạt 21.502 tấn/năm)
    Đúng: ``tỷ lệ lao động qua đào tạo từ 80% trở lên`` (nhiệm kỳ qua đạt 77,2%)
    """
    ended = ctx.measures
    for new in assessed_measures(ctx.report.indicators.targets).values():
        measure, target = new.measure, new.target
        if measure.continues is None or target is None or target.value is None:
            continue
        old = ended.get(measure.continues)
        if old is None or old.result is None or old.result.value is None:
            continue
        got = old.result.value
        below = target.comparison is Comparison.BELOW
        if (target.value > got) if below else (target.value < got):
            yield Hit(
                target.loc("value"),
                f"Chỉ tiêu mới “{format_quantity(target, measure.unit)}” "
                f"{'cao' if below else 'thấp'} hơn kết quả nhiệm kỳ qua đã đạt "
                f"({format_quantity(old.result, old.unit, with_comparison=False)}, "
                f"chỉ tiêu “{old.key}”); hãy xem lại hoặc nêu lý do.",
            )
