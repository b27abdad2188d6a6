"""Rules on Vietnamese text: normalisation, spelling, spacing, punctuation, capitals."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from dhcompiler.checks.context import CheckContext, Prose
from dhcompiler.checks.patterns import PARAGRAPHS, LazyPattern, WordPattern, lazy, lowered, regular_case
from dhcompiler.checks.registry import Hit, rule
from dhcompiler.findings import Severity
from dhcompiler.load import Loc
from dhcompiler.model import Node, Quantity

LETTERS = r"[^\W\d_]"

# Common Vietnamese misspellings; the data directory's dictionary.yaml extends this list.
MISSPELLINGS = {
    "bổ xung": "bổ sung",
    "chỉnh chu": "chỉn chu",
    "chia xẻ": "chia sẻ",
    "chính sác": "chính xác",
    "chuẩn đoán": "chẩn đoán",
    "cọ sát": "cọ xát",
    "dành thắng lợi": "giành thắng lợi",
    "dây truyền": "dây chuyền",
    "dấu diếm": "giấu giếm",
    "đột suất": "đột xuất",
    "hung cường": "hùng cường",
    "kiêm tốn": "khiêm tốn",
    "lãng mạng": "lãng mạn",
    "năng xuất": "năng suất",
    "nghành": "ngành",
    "ngiêm túc": "nghiêm túc",
    "sản suất": "sản xuất",
    "sáng lạng": "sáng lạn",
    "sát nhập": "sáp nhập",
    "sát xao": "sát sao",
    "sơ xuất": "sơ suất",
    "sử lý": "xử lý",
    "sử phạt": "xử phạt",
    "suất khẩu": "xuất khẩu",
    "suất sắc": "xuất sắc",
    "tập chung": "tập trung",
    "thăm quan": "tham quan",
    "trương trình": "chương trình",
    "tựu chung": "tựu trung",
    "vô hình chung": "vô hình trung",
    "xác xuất": "xác suất",
    "xán lạng": "xán lạn",
    "xắp xếp": "sắp xếp",
    "xát nhập": "sáp nhập",
    "xử dụng": "sử dụng",
}

# Reduplicated words that are meant: “dần dần”, “ngày ngày”…
REDUPLICATIVES = frozenset(
    ["dần dần", "đời đời", "mãi mãi", "ngày ngày", "người người", "nhà nhà", "từ từ", "đâu đâu", "năm năm"]
)


_last_texts: tuple[CheckContext, list[Prose]] | None = None


def texts(ctx: CheckContext) -> list[Prose]:
    """Every typed text a reader sees: prose, plus metadata and indicator wording (kept per check)."""
    global _last_texts
    if _last_texts is None or _last_texts[0] is not ctx:
        _last_texts = (ctx, _collect_texts(ctx))
    return _last_texts[1]


def _collect_texts(ctx: CheckContext) -> list[Prose]:
    found = list(ctx.prose)
    meta = ctx.report.meta
    for path in (
        ("superior_body",),
        ("issuing_body",),
        ("place",),
        ("draft_label",),
        ("summary",),
        ("theme", "title"),
        ("motto", "title"),
        ("signature", "authority"),
        ("signature", "title"),
        ("signature", "name"),
    ):
        value = _get(meta, path)
        if isinstance(value, str) and value:
            found.append(Prose(meta, path, value))
    for group in (*ctx.report.indicators.results, *ctx.report.indicators.targets):
        found.extend(_node_texts(group, ("lead",)))
        if group.target is not None:
            found.extend(_node_texts(group.target, ("text",)))
        for measure in group.measures:
            found.extend(_measure_texts(measure))
    return found


def _measure_texts(measure: Node) -> list[Prose]:
    found = _node_texts(measure, ("name", "short_name", "lead", "tail"))
    for quantity in (getattr(measure, "result", None), getattr(measure, "target", None)):
        if isinstance(quantity, Quantity):
            found.extend(_node_texts(quantity, ("text",)))
    for part in getattr(measure, "parts", []):
        found.extend(_measure_texts(part))
    return found


def _node_texts(node: Node, names: tuple[str, ...]) -> list[Prose]:
    return [
        Prose(node, (name,), value) for name in names if isinstance(value := getattr(node, name, None), str) and value
    ]


def _get(node: object, path: tuple[str, ...]) -> object:
    for name in path:
        node = getattr(node, name, None)
    return node


def _space_at(prose: Prose, offset: int) -> Loc:
    """The position of a space: one column after the character before it."""
    if offset == 0:
        return prose.at(0)
    before = prose.at(offset - 1)
    return Loc(before.source, before.line, before.column + 1)


@rule("DH401", "nfc", "text")
def text_not_nfc(ctx: CheckContext) -> Iterator[Hit]:
    """Văn bản phải ở dạng Unicode NFC (dựng sẵn).

    Chữ gõ bằng một số bộ gõ đến ở dạng tổ hợp (NFD): trông giống hệt nhưng so sánh,
    tìm kiếm và sắp xếp sai.

    Sai:  ``quyết`` gõ thành ``quye`` + dấu mũ + dấu sắc (ba ký tự tổ hợp)
    Đúng: ``quyết`` (một ký tự dựng sẵn “ế”)
    """
    for source in ctx.report.sources:
        text = source.text
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            continue
        for line_no, line in enumerate(text.split("\n"), start=1):
            if not unicodedata.is_normalized("NFC", line):
                column = next((i for i, c in enumerate(line) if unicodedata.combining(c)), 0)
                yield Hit(
                    Loc(source, line_no, column + 1),
                    "Văn bản không ở dạng Unicode NFC (chữ tổ hợp); hãy chuẩn hóa sang NFC "
                    "(ví dụ: lưu lại bằng trình soạn thảo có chức năng chuẩn hóa Unicode).",
                )


# --- tone-mark placement --------------------------------------------------------------------

_TONES = frozenset("\u0301\u0300\u0309\u0303\u0323")
_PAIRS = frozenset({("o", "a"), ("o", "e"), ("u", "y")})
# Words ending in oa, oe or uy with a tone mark on either vowel: the only candidates. Found by
# their last two letters (upper and lower case written out, so that the regex engine can skip
# to the first letter), then read back to the start of the word.
_TONED_AE, _TONED_O, _TONED_Y, _TONED_U = "áàảãạéèẻẽẹÁÀẢÃẠÉÈẺẼẸ", "óòỏõọÓÒỎÕỌ", "ýỳỷỹỵÝỲỶỸỴ", "úùủũụÚÙỦŨỤ"
_TONED_END = lazy(
    rf"[oO{_TONED_O}uU{_TONED_U}]"
    rf"(?:(?<=[oO])[{_TONED_AE}]|(?<=[{_TONED_O}])[aeAE]|(?<=[uU])[{_TONED_Y}]|(?<=[{_TONED_U}])[yY])(?!\w)"
)
_STYLES = {"old": "kiểu “hoá, uỷ”", "new": "kiểu “hóa, ủy”"}


def _split_tone(char: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", char)
    tone = "".join(c for c in decomposed if c in _TONES)
    return "".join(c for c in decomposed if c not in _TONES), tone


def tone_style(word: str) -> str | None:
    """“old” for hoá/uỷ (mark on the second vowel), “new” for hóa/ủy, None when not applicable."""
    lower = word.lower()
    if len(lower) < 2 or lower.startswith("qu") or (len(lower) > 2 and lower[-3] in "aeiouyăâêôơư"):
        return None
    (first, tone1), (second, tone2) = _split_tone(lower[-2]), _split_tone(lower[-1])
    if (first, second) not in _PAIRS or bool(tone1) == bool(tone2):
        return None
    return "old" if tone2 else "new"


def move_tone(word: str) -> str:
    """Put the tone mark of a final oa/oe/uy on the other vowel: hoá ↔ hóa."""
    (first, tone1), (second, tone2) = _split_tone(word[-2]), _split_tone(word[-1])
    tone = tone1 or tone2
    first, second = (first + tone, second) if tone2 else (first, second + tone)
    return word[:-2] + unicodedata.normalize("NFC", first + second)


@rule("DH402", "tone-placement", "text")
def mixed_tone_placement(ctx: CheckContext) -> Iterator[Hit]:
    """Một văn bản chỉ dùng một cách đặt dấu thanh (hóa/hoá, ủy/uỷ, khỏe/khoẻ).

    Cách ít dùng hơn trong toàn văn bản được báo ở từng chỗ; nếu hai cách ngang nhau,
    kiểu mới (“hóa”, “ủy”) được giữ.

    Sai:  ``công nghiệp hóa, hiện đại hoá`` (hai cách trong cùng văn bản)
    Đúng: ``công nghiệp hóa, hiện đại hóa``
    """
    found = [(prose, toned) for prose in texts(ctx) for toned in _toned_words(prose.masked)]
    counts = Counter(style for _p, (_o, _w, style) in found)
    minority = "new" if counts["new"] < counts["old"] else "old"
    majority = "old" if minority == "new" else "new"
    for prose, (offset, word, style) in found:
        if style == minority:
            yield Hit(
                prose.at(offset),
                f"“{word}” đặt dấu thanh {_STYLES[minority]}, khác {counts[majority]} chỗ còn lại "
                f"của văn bản ({_STYLES[majority]}); hãy viết thống nhất “{move_tone(word)}”.",
            )


@lru_cache(maxsize=PARAGRAPHS)
def _toned_words(text: str) -> tuple[tuple[int, str, str], ...]:
    """(offset, word, style) of each word of `text` whose tone mark placement has a style."""
    found = []
    for match in _TONED_END.finditer(text):
        start = _word_start(text, match.start())
        word = text[start : match.end()]
        style = tone_style(word)
        if style is not None:
            found.append((start, word, style))
    return tuple(found)


def _word_start(text: str, offset: int) -> int:
    """Where the word (the run of word characters, as ``\\w`` reads them) that has `offset` begins."""
    while offset > 0 and (text[offset - 1].isalnum() or text[offset - 1] == "_"):
        offset -= 1
    return offset


# --- words ----------------------------------------------------------------------------------

# A word, or two, then the same again (atomic groups: a shorter word is never followed by a
# space). Where it matches, the text up to the next space comes again after that space or after
# the one after it: a test that fails at once at most spaces.
_REPEATED = WordPattern(
    rf"((?>{LETTERS}+)(?: (?>{LETTERS}+))?) (\1)(?!\w)", re.IGNORECASE, hint=r"([^ ]++) (?:\1|[^ ]++ \1)"
)


@rule("DH403", "repeated-word", "text")
def repeated_word(ctx: CheckContext) -> Iterator[Hit]:
    """Một từ (hoặc cụm hai từ) bị gõ lặp liền nhau do sơ suất.

    Tiếng Việt viết theo âm tiết: hai từ khác nhau có thể gặp nhau ở cùng một âm tiết (“đầu tư |
    tư nhân”, “sản xuất | xuất khẩu”, “nhà ở | ở nông thôn”) mà không sai. Quy tắc tách từ bằng
    danh sách từ ghép và chỉ báo khi cả một từ bị lặp: một từ đơn đứng riêng hai lần (“các
    các”), hay cụm hai âm tiết lặp (“phát triển phát triển”). Âm tiết lặp ngay sau một từ ghép
    kết thúc bằng nó (“bồi thường thường …”) do DH411 nêu ở mức thông tin.

    Từ ghép tra trong ``checks/words.txt``: 25.369 từ ghép hai đến bốn âm tiết lấy từ từ điển
    của pyvi 0.1.1 (PyPI, giấy phép MIT, ghi trong đầu tệp), cộng vài từ của văn kiện Đảng mà
    từ điển đó thiếu (nhà ở, hạ tầng, hộ nghèo…). Danh sách chỉ được đọc khi có âm tiết lặp
    (khoảng 5 ms). Không dùng bộ tách từ: nạp pyvi mất khoảng 1,6 s (kéo theo scikit-learn,
    numpy), underthesea khoảng 0,6 s và 0,2 s cho câu đầu, mà trên các câu thử cả hai tách
    giống danh sách (“đầu_tư tư_nhân”, “bồi_thường thường giải_phóng”). Các từ láy có chủ ý
    (“dần dần”, “ngày ngày”…) không bị báo.

    Sai:  ``về phát triển phát triển tổ chức đảng`` và ``công tác các các đoàn thể``
    Đúng: ``về phát triển tổ chức đảng``; ``vốn đầu tư tư nhân``, ``hàng sản xuất xuất khẩu``
    """
    for prose in texts(ctx):
        for offset, words, _syllable, compound in _repetitions(prose.masked):
            if compound is None:
                kind = "Cụm từ" if " " in words else "Từ"
                yield Hit(prose.at(offset), f"{kind} “{words}” bị lặp lại liền nhau; hãy xóa một lần.")


@rule("DH411", "repeated-syllable", "text", Severity.INFO)
def repeated_syllable(ctx: CheckContext) -> Iterator[Hit]:
    """Âm tiết lặp ngay sau một từ ghép kết thúc bằng chính nó (thông tin, có thể gõ thừa).

    Âm tiết thứ hai có thể là một từ đơn đúng nghĩa (“công tác bồi thường thường gặp khó
    khăn”: “thường” là phó từ) hay bị gõ thừa (“bồi thường thường giải phóng mặt bằng”); tách
    từ (kể cả pyvi, underthesea) cho hai câu cùng một kết quả, nên quy tắc này chỉ nêu ở mức
    thông tin để người biên tập đọc lại. Hư từ (ở, về, với, cho, của, tại…) không bị nêu:
    “nhà ở ở nông thôn”.

    Sai:  ``bồi thường thường giải phóng mặt bằng``
    Đúng: ``bồi thường, giải phóng mặt bằng``
    """
    for prose in texts(ctx):
        for offset, _words, syllable, compound in _repetitions(prose.masked):
            if compound is not None:
                yield Hit(
                    prose.at(offset),
                    f"Âm tiết “{syllable}” lặp lại ngay sau từ “{compound}”; nếu gõ thừa, hãy xóa một lần.",
                )


_SYLLABLES_BEFORE = lazy(rf"(?:{LETTERS}+ ){{1,3}}$")
_SYLLABLES_AFTER = lazy(rf"(?: {LETTERS}+){{1,3}}")


@lru_cache(maxsize=PARAGRAPHS)
def _repetitions(text: str) -> tuple[tuple[int, str, str, str | None], ...]:
    """Each repetition of `text` that is not two words meeting: the offset of the second copy,
    the words, the second copy, and the compound word whose last syllable is repeated (DH411)
    or None when a whole word is doubled (DH403)."""
    found = []
    for match in _REPEATED.finditer(text):
        if match.group(0).lower() in REDUPLICATIVES:
            continue
        compound = _compound_before(text, match)
        if compound is None or not _word_after(text, match):
            found.append((match.start(2), match.group(1), match.group(2), compound))
    return tuple(found)


def _compound_before(text: str, match: re.Match[str]) -> str | None:
    """The compound word that the first copy of a repeated syllable closes, if any."""
    from dhcompiler.checks.lexicon import word_ending

    syllable = match.group(1)
    before = _SYLLABLES_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if " " in syllable or before is None:
        return None
    return word_ending(before.group().split(), syllable)


def _word_after(text: str, match: re.Match[str]) -> bool:
    """Whether the second copy begins a word of its own: a compound word (“đầu tư | tư nhân”)
    or a function word (“nhà ở | ở nông thôn”)."""
    from dhcompiler.checks.lexicon import FUNCTION_WORDS, starts_word

    syllable = match.group(2)
    after = _SYLLABLES_AFTER.match(text, match.end())
    return syllable.lower() in FUNCTION_WORDS or (after is not None and starts_word(syllable, after.group().split()))


def dictionary(ctx: CheckContext) -> dict[str, str]:
    """The built-in misspellings, extended (or narrowed) by the data directory's dictionary."""
    return ctx.options.get("dictionary", MISSPELLINGS)


class _Speller:
    """The misspellings of one dictionary (keys as `_key` writes them): the pattern that finds
    them, and the texts worth searching with it."""

    def __init__(self, entries: dict[str, str]):
        self.wrong = sorted(entries, key=len, reverse=True)
        self.pattern = self._pattern(tuple(self.wrong))
        # In lower case with single spaces; None when a phrase has a letter of irregular case
        # or the character that separates texts in `patterns`.
        usable = all(regular_case(w) and "\0" not in w for w in self.wrong)
        self.phrases = tuple(" ".join(w.split()) for w in self.wrong) if usable else None
        self._narrowed: dict[tuple[int, ...], LazyPattern] = {}

    @staticmethod
    def _pattern(wrong: tuple[str, ...]) -> LazyPattern:
        alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in wrong)
        return lazy(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def patterns(self, texts: list[str]) -> list[LazyPattern | None]:
        """For each text, the pattern to search it with, or None when it cannot find anything.

        A text can have a misspelling only where one of the phrases occurs in it in lower case,
        whatever the spaces between its words (all texts searched at once, separated by a NUL).
        Such a text is searched with a pattern of the phrases found in any text, in the same
        order (the others cannot match); a text with a letter of irregular case, or a NUL, with
        the whole pattern.
        """
        if self.phrases is None:
            return [self.pattern] * len(texts)
        lows = [None if "\0" in text else lowered(text) for text in texts]
        found: list[LazyPattern | None] = [self.pattern if low is None else None for low in lows]
        joined = " ".join("\0".join(low or "" for low in lows).split())
        places = {i: list(_occurrences(joined, phrase)) for i, phrase in enumerate(self.phrases)}
        present = tuple(i for i, at in places.items() if at)
        if present:
            narrowed = self._narrowed.get(present) or self._narrowed.setdefault(
                present, self._pattern(tuple(self.wrong[i] for i in present))
            )
            separators = [match.start() for match in _NUL.finditer(joined)]  # (str.find is slow for NUL)
            for at in (at for i in present for at in places[i]):
                found[bisect.bisect_left(separators, at)] = narrowed
        return found


_NUL = lazy("\0")


def _occurrences(text: str, part: str) -> Iterator[int]:
    """Where `part` occurs in `text` (overlapping occurrences too)."""
    at = text.find(part)
    while at != -1:
        yield at
        at = text.find(part, at + 1)


@lru_cache(maxsize=8)
def _speller(entries: tuple[tuple[str, str], ...]) -> _Speller:
    return _Speller(dict(entries))


@lru_cache(maxsize=PARAGRAPHS)
def _misspelled(text: str, pattern: LazyPattern) -> tuple[tuple[int, str], ...]:
    """(offset, text as typed) of each misspelling of `text` that is not the end of a compound."""
    return tuple((m.start(), m.group()) for m in pattern.finditer(text) if not _inside_word_before(text, m))


@rule("DH404", "misspelling", "text")
def misspelling(ctx: CheckContext) -> Iterator[Hit]:
    """Lỗi chính tả thường gặp, theo từ điển có sẵn và tệp ``dictionary.yaml`` của dữ liệu.

    Thêm lỗi riêng vào ``data/dictionary.yaml`` (mục ``misspellings``: ``viết sai: viết đúng``);
    bỏ một mục có sẵn bằng ``allow``. Một mục nhiều âm tiết không bị báo khi âm tiết đầu của nó
    khép một từ ghép đứng trước (“giám sát | nhập khẩu” không phải “sát nhập”, “lịch sử | lý
    luận” không phải “sử lý”); từ ghép tra như ở DH403.

    Sai:  ``hiện đại hóa dây truyền sản xuất`` và ``thực hiện sát nhập các xã``
    Đúng: ``hiện đại hóa dây chuyền sản xuất`` và ``công tác giám sát nhập khẩu``
    """
    entries = {_key(wrong): right for wrong, right in dictionary(ctx).items()}
    if not entries:
        return
    speller = _speller(tuple(entries.items()))
    proses = texts(ctx)
    for prose, pattern in zip(proses, speller.patterns([p.masked for p in proses]), strict=True):
        for offset, typed in _misspelled(prose.masked, pattern) if pattern is not None else ():
            right = _same_case(typed, entries[_key(typed)])
            yield Hit(prose.at(offset), f"Lỗi chính tả: “{typed}”; hãy viết “{right}”.")


def _inside_word_before(text: str, match: re.Match[str]) -> bool:
    """Whether the first syllable of a phrase closes a compound word begun before it."""
    from dhcompiler.checks.lexicon import ends_word

    first = match.group().split()
    before = _SYLLABLES_BEFORE.search(text, max(0, match.start() - 40), match.start())
    return len(first) > 1 and before is not None and ends_word(before.group().split(), first[0])


def _key(phrase: str) -> str:
    return " ".join(unicodedata.normalize("NFC", phrase).lower().split())


def _same_case(typed: str, right: str) -> str:
    if typed[:1].isupper():
        return right[:1].upper() + right[1:]
    return right


# --- spacing and punctuation ----------------------------------------------------------------

_DOUBLE_SPACE = lazy(r"(?<=\S)[ \t]{2,}(?=\S)|\t")
# (Non-ASCII marks are written apart from the classes of ASCII ones: a class of both compiles
# ten times slower.)
_SPACE_BEFORE = lazy(r"(?<=\S)( +)(?:[,;:!?)\]]|”|\.(?!\.))")
_SPACE_AFTER = lazy(r"[(\[]( +)")
_SPACE_AFTER_QUOTE = lazy(r"“( +)")
# What a text must contain for the patterns above to find anything in it: a space, or an
# opening mark, before a space or a closing mark (the quotes apart: a class of ASCII
# characters compiles ten times faster).
_SPACED_MARKS = lazy(r"[ (\[][ ,;:!?)\].]")


@lru_cache(maxsize=PARAGRAPHS)
def _double_spaces(text: str) -> tuple[int, ...]:
    """Offsets of the runs of spaces and of the tabs that DH405 reports."""
    if "  " not in text and "\t" not in text:
        return ()
    return tuple(match.start() for match in _DOUBLE_SPACE.finditer(text))


@lru_cache(maxsize=PARAGRAPHS)
def _spaced_marks(text: str) -> tuple[tuple[int, str, str], ...]:
    """(offset of the spaces, mark, “trước” or “sau”) of each space before a closing mark or
    after an opening one, all of the first kind first."""
    if _SPACED_MARKS.search(text) is None and " ”" not in text and "“ " not in text:
        return ()
    before = [(m.start(1), text[m.end() - 1], "trước") for m in _SPACE_BEFORE.finditer(text)]
    after = [(m.start(1), text[m.start()], "sau") for m in _SPACE_AFTER.finditer(text)]
    if "“" in text:  # the matches of the two patterns never overlap: in order of place
        after = sorted(after + [(m.start(1), "“", "sau") for m in _SPACE_AFTER_QUOTE.finditer(text)])
    return tuple(before + after)


@rule("DH405", "double-space", "text")
def double_space(ctx: CheckContext) -> Iterator[Hit]:
    """Hai dấu cách (hoặc dấu tab) liền nhau giữa hai chữ.

    Sai:  ``đầu tư  những dự án lớn``
    Đúng: ``đầu tư những dự án lớn``
    """
    for prose in texts(ctx):
        for offset in _double_spaces(prose.masked):
            yield Hit(_space_at(prose, offset), "Thừa dấu cách (hai dấu cách liền nhau); hãy xóa bớt.")


@rule("DH406", "space-around-punctuation", "text")
def space_around_punctuation(ctx: CheckContext) -> Iterator[Hit]:
    """Không đặt dấu cách trước dấu câu (, . ; : ! ? ) ”) hay sau dấu mở ngoặc (“ hoặc “(”.

    Dấu chấm lửng “…” sau dấu phẩy (“…, …”) không bị báo.

    Sai:  ``mang lại hiệu quả kinh tế cao .`` và ``( năm 2025)``
    Đúng: ``mang lại hiệu quả kinh tế cao.`` và ``(năm 2025)``
    """
    for prose in texts(ctx):
        for offset, mark, side in _spaced_marks(prose.masked):
            yield Hit(_space_at(prose, offset), f"Thừa dấu cách {side} dấu “{mark}”; hãy xóa dấu cách.")


_OPENING = {"(": ")", "[": "]", "“": "”"}
_CLOSING = {v: k for k, v in _OPENING.items()}
_LABEL_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ0123456789")
_BRACKET = lazy(r"[()\[\]]")
_QUOTE = lazy(r"[“”]")


def _labels(text: str) -> set[int]:
    """Offsets of the “)” of enumeration labels: one or two of a-z, đ, 0-9 before it, at the
    start, after a newline or after one of “;:,.” and a space (the matches of
    ``(?:^|(?<=[;:,.] )|(?<=\\n))[a-zđ0-9]{1,2}\\)``, which never overlap)."""
    labels = set()
    close = text.find(")")
    while close != -1:
        for start in (close - 2, close - 1):
            if start >= 0 and _label_start(text, start) and all(c in _LABEL_CHARACTERS for c in text[start:close]):
                labels.add(close)
        close = text.find(")", close + 1)
    return labels


def _label_start(text: str, start: int) -> bool:
    return (
        start == 0 or text[start - 1] == "\n" or (start >= 2 and text[start - 1] == " " and text[start - 2] in ";:,.")
    )


def _brackets(text: str) -> list[int]:
    """Offsets of the brackets and curly quotes of `text`, in order."""
    found = [match.start() for match in _BRACKET.finditer(text)]
    if "“" in text or "”" in text:
        found = sorted(found + [match.start() for match in _QUOTE.finditer(text)])
    return found


def unbalanced(text: str) -> list[int]:
    """Offsets of brackets and quotes that are never closed or never opened."""
    labels = _labels(text)
    stack: list[int] = []
    bad: list[int] = []
    for i in _brackets(text):
        char = text[i]
        if char in _OPENING:
            stack.append(i)
        elif char in _CLOSING:
            if stack and text[stack[-1]] == _CLOSING[char]:
                stack.pop()
            elif i not in labels:
                bad.append(i)
    straight = [m.start() for m in re.finditer('"', text)] if '"' in text else []
    if len(straight) % 2:
        bad.append(straight[-1])
    return sorted(bad + stack)


@lru_cache(maxsize=PARAGRAPHS)
def _unbalanced(text: str) -> tuple[int, ...]:
    return tuple(unbalanced(text))


@rule("DH407", "unbalanced", "text")
def unbalanced_brackets(ctx: CheckContext) -> Iterator[Hit]:
    """Ngoặc đơn, ngoặc vuông và ngoặc kép phải đóng mở thành cặp trong một đoạn.

    Nhãn liệt kê kiểu “a)”, “1)” ở đầu đoạn hay sau dấu câu không bị báo.

    Sai:  ``“Đoàn kết - Kỷ cương - Đổi mới - Phát triển``
    Đúng: ``“Đoàn kết - Kỷ cương - Đổi mới - Phát triển”``
    """
    for prose in texts(ctx):
        text = prose.masked
        for offset in _unbalanced(text):
            char = text[offset]
            action = "đóng" if char in _OPENING or char == '"' else "mở"
            yield Hit(
                prose.at(offset), f"Dấu “{char}” không có dấu {action} tương ứng trong đoạn; hãy bổ sung hoặc xóa."
            )


# --- capitals -------------------------------------------------------------------------------


@lru_cache(maxsize=PARAGRAPHS)
def _in_capitals(text: str) -> bool:
    """Whether `text` has no lower-case letter (a title): DH408–DH410 skip it."""
    return text.upper() == text


# “nhân dân” keeps lower case in the names of institutions and fixed terms.
_PEOPLE_FIXED_BEFORE = (
    "hội đồng",
    "ủy ban",
    "uỷ ban",
    "công an",
    "quân đội",
    "an ninh",
    "tòa án",
    "toà án",
    "kiểm sát",
    "vũ trang",
    "chiến tranh",
    "dân chủ",
)
_PEOPLE = lazy(r"(?<!\w)nhân dân(?!\w)(?! tệ)")
_PARTY_CONTEXT = ("xây dựng", "chỉnh đốn", "của", "khỏi", "vào", "với", "điều lệ", "trung ương")
_PARTY = lazy(r"(?<!\w)đảng(?!\w)(?! (?:viên|bộ|ủy|uỷ|phí|vụ|tịch|kỳ|đoàn|cấp|tính|phái|ta)\b)")


@rule("DH408", "capitals", "text")
def party_capitals(ctx: CheckContext) -> Iterator[Hit]:
    """Viết hoa “Nhân dân” và “Đảng” theo nghĩa văn bản của Đảng quy định.

    “Nhân dân” viết hoa khi chỉ nhân dân nói chung; giữ chữ thường trong tên cơ quan và thuật ngữ
    cố định (Hội đồng nhân dân, Ủy ban nhân dân, Công an nhân dân, Quân đội nhân dân, an ninh
    nhân dân…). “Đảng” viết hoa khi chỉ Đảng Cộng sản Việt Nam (xây dựng Đảng, của Đảng…);
    “tổ chức đảng”, “đảng viên” giữ chữ thường.

    Sai:  ``nâng cao đời sống nhân dân`` và ``công tác xây dựng đảng``
    Đúng: ``nâng cao đời sống Nhân dân``, ``Hội đồng nhân dân`` và ``công tác xây dựng Đảng``
    """
    for prose in texts(ctx):
        for offset, kind in _lower_case_names(prose.masked):
            if kind == "people":
                yield Hit(
                    prose.at(offset),
                    "Viết hoa “Nhân dân” khi chỉ nhân dân nói chung (chỉ giữ chữ thường trong tên "
                    "cơ quan như Hội đồng nhân dân, Ủy ban nhân dân); hãy viết “Nhân dân”.",
                )
            else:
                yield Hit(prose.at(offset), "Viết hoa “Đảng” khi chỉ Đảng Cộng sản Việt Nam; hãy viết “Đảng”.")


@lru_cache(maxsize=PARAGRAPHS)
def _lower_case_names(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, “people” or “party”) of each “nhân dân” and “đảng” that DH408 reports, in that order."""
    if ("nhân dân" not in text and "đảng" not in text) or _in_capitals(text):
        return ()
    lowered = text.lower()
    found = []
    for match in _PEOPLE.finditer(text):
        if not lowered[: match.start()].rstrip().endswith(_PEOPLE_FIXED_BEFORE):
            found.append((match.start(), "people"))
    for match in _PARTY.finditer(text):
        before = lowered[: match.start()].rstrip()
        if before.endswith(_PARTY_CONTEXT):
            found.append((match.start(), "party"))
    return tuple(found)


# Words that name the kind of a place: only after one of them is a title-case word a place name.
PLACE_WORDS = "tổ dân phố|khu phố|thị trấn|thị xã|thành phố|phường|xã|tỉnh|huyện|quận|đường|xóm|thôn|ấp"
_PLACE = WordPattern(rf"(?:{PLACE_WORDS})(?= )", re.IGNORECASE)
_PLACE_IN_LOWER_CASE = WordPattern(rf"(?:{PLACE_WORDS})(?= )")
_ROMAN = lazy(r"[IVXLC]+")
_NEXT_WORD = lazy(rf" ({LETTERS}+)")


def _title_case(word: str) -> bool:
    return word[:1].isupper() and (word[1:].islower() or len(word) == 1)


def _name_after(text: str, position: int) -> list[re.Match[str]]:
    """The words after a place word: its title-case name, then the first word that is not."""
    if not text[position + 1 : position + 2].isupper():  # no name: its first letter is a capital
        return []
    words = []
    while (match := _NEXT_WORD.match(text, position)) is not None and not _ROMAN.fullmatch(match.group(1)):
        words.append(match)
        position = match.end()
        if not _title_case(match.group(1)):
            break
    return words if words and _title_case(words[0].group(1)) else []


def _place_words(text: str) -> list[tuple[int, int]]:
    """Spans of the place words of `text`, searched in lower case when that finds the same."""
    low = lowered(text)
    matches = _PLACE.finditer(text) if low is None else _PLACE_IN_LOWER_CASE.finditer(low)
    return [match.span() for match in matches]


def place_names_in(text: str) -> list[str]:
    """Each place word with its title-case name in `text`: “xã Tân Quang”, “phường Lương Sơn”."""
    names = []
    for start, end in _place_words(text):
        taken = [w.group(1) for w in _name_after(text, end) if _title_case(w.group(1))]
        if taken:
            names.append(" ".join([text[start:end].lower(), *taken]))
    return names


PlaceMention = tuple[tuple[int, str], ...]  # the words after a place word: (offset, word)


@lru_cache(maxsize=PARAGRAPHS)
def _place_mentions(text: str) -> tuple[PlaceMention, ...]:
    """The words after each place word of `text` that has a name (none in a title in capitals)."""
    if _in_capitals(text):
        return ()
    found = []
    for _start, end in _place_words(text):
        if words := _name_after(text, end):
            found.append(tuple((w.start(1), w.group(1)) for w in words))
    return tuple(found)


def _place_names(found: list[tuple[Prose, PlaceMention]]) -> set[str]:
    """Place names written in title case after a place word: “Thắng Lợi”, “Mỏ Chè”."""
    names: set[str] = set()
    for _prose, words in found:
        taken = [w for _o, w in words if _title_case(w)]
        names.update(" ".join(taken[:n]) for n in range(2, len(taken) + 1))
    return names


@rule("DH409", "place-name-case", "text")
def place_name_case(ctx: CheckContext) -> Iterator[Hit]:
    """Tên địa danh viết hoa mọi âm tiết, thống nhất trong cả văn bản.

    Một tên đã viết “Thắng Lợi” ở một chỗ thì chỗ khác viết “Thắng lợi” sau “phường”, “xã”,
    “đường”… bị báo. Chỉ chữ viết hoa ngay sau một từ chỉ loại địa danh (tổ dân phố, khu phố,
    thị trấn, thị xã, thành phố, phường, xã, tỉnh, huyện, quận, đường, xóm, thôn, ấp) mới
    được coi là địa danh; tên dừng trước một số La Mã (“Khu công nghiệp Sông Công II”), nên
    “Quý I năm 2025” không bao giờ bị so với “Quý I Năm 2025”.

    Sai:  ``đường Thắng Lợi`` … ``phường Thắng lợi``
    Đúng: ``đường Thắng Lợi`` … ``phường Thắng Lợi``
    """
    found = [(prose, words) for prose in texts(ctx) for words in _place_mentions(prose.masked)]
    names = _place_names(found)
    for prose, words in found:
        offset, last = words[-1]
        if _title_case(last) or len(words) < 2:
            continue
        written = [w for _o, w in words]
        proper = " ".join([*written[:-1], last.capitalize()])
        if proper in names:
            yield Hit(
                prose.at(offset),
                f"Tên riêng “{' '.join(written)}” viết hoa không thống nhất; ở chỗ khác "
                f"viết “{proper}”. Địa danh viết hoa chữ đầu mọi âm tiết.",
            )


# A token with a digit, or a capital after its first letter (most capitals are ASCII; the
# lookahead only keeps the regex from visiting every word in Python).
_TERM = lazy(r"(?<![\w-])(?=[\w-]*?(?:\d|\w[A-ZĐ]))[^\W_][\w-]*[^\W_](?![\w-])")
# What each token that `_TERM` matches and `_is_term` keeps has, and most words and numbers do
# not: a capital after a word character (“VietGAP”), or a digit next to a letter, “_” or “-”
# (“COVID-19”, “4G”: a token with both a digit and a letter has a digit that touches one of
# them). Only the tokens with one are tried, from their start.
_TERM_HINT = lazy(r"[\dA-ZĐ](?:(?<=\w[A-ZĐ])|(?<=[^\W\d]\d|-\d)|(?<=\d)(?=[^\W\d]|-))")


@lru_cache(maxsize=PARAGRAPHS)
def _terms(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, token) of each term of `text` (none in a title in capitals)."""
    if _in_capitals(text):
        return ()
    found = []
    end = 0
    for hint in _TERM_HINT.finditer(text):
        if hint.start() < end:
            continue
        match = _TERM.match(text, _token_start(text, hint.start()))
        if match is not None:
            end = match.end()
            if _is_term(match.group()):
                found.append((match.start(), match.group()))
    return tuple(found)


def _token_start(text: str, offset: int) -> int:
    """Where the token (the run of word characters and “-”) that has `offset` begins."""
    while offset > 0 and (text[offset - 1].isalnum() or text[offset - 1] in "_-"):
        offset -= 1
    return offset


def _is_term(token: str) -> bool:
    """Tokens whose exact casing is part of their identity: COVID-19, VietGAP."""
    if token.isalpha() and token[1:].islower():
        return False
    has_letter = any(c.isalpha() for c in token)
    return has_letter and (any(c.isupper() for c in token[1:]) or any(c.isdigit() for c in token))


@rule("DH410", "term-spelling", "text")
def term_spelling(ctx: CheckContext) -> Iterator[Hit]:
    """Một thuật ngữ, từ viết tắt được viết thống nhất một cách trong cả văn bản.

    Cách viết ít gặp hơn bị báo; nếu ngang nhau, cách viết giữ nhiều chữ hoa hơn (dạng viết
    tắt gốc) được giữ. Các tiêu đề viết toàn chữ hoa không được tính.

    Sai:  ``dịch COVID-19`` … ``dịch Covid-19``
    Đúng: ``dịch COVID-19`` … ``dịch COVID-19``
    """
    seen: dict[str, list[tuple[Prose, int, str]]] = {}
    for prose in texts(ctx):
        for offset, token in _terms(prose.masked):
            seen.setdefault(token.casefold(), []).append((prose, offset, token))
    for occurrences in seen.values():
        counts = Counter(token for _p, _o, token in occurrences)
        if len(counts) < 2:
            continue
        preferred = max(counts, key=lambda form: (counts[form], sum(c.isupper() for c in form)))
        for prose, offset, token in occurrences:
            if token != preferred:
                yield Hit(
                    prose.at(offset),
                    f"“{token}” viết khác với “{preferred}” "
                    f"({counts[preferred]} chỗ); hãy viết thống nhất “{preferred}”.",
                )
