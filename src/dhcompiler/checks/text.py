"""Rules on Vietnamese text: normalisation, spelling, spacing, punctuation, capitals."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from dhcompiler.checks.context import CheckContext, Prose
from dhcompiler.checks.patterns import lazy
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
# Words ending in oa, oe or uy with a tone mark on either vowel: the only candidates.
_TONED_END = lazy(r"(?<!\w)\w*?(?:o[áàảãạéèẻẽẹ]|[óòỏõọ][ae]|u[ýỳỷỹỵ]|[úùủũụ]y)(?!\w)", re.IGNORECASE)
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
    found: list[tuple[Prose, re.Match[str], str]] = []
    for prose in texts(ctx):
        for match in _TONED_END.finditer(prose.masked):
            style = tone_style(match.group())
            if style is not None:
                found.append((prose, match, style))
    counts = Counter(style for _p, _m, style in found)
    minority = "new" if counts["new"] < counts["old"] else "old"
    majority = "old" if minority == "new" else "new"
    for prose, match, style in found:
        if style == minority:
            word = match.group()
            yield Hit(
                prose.at(match.start()),
                f"“{word}” đặt dấu thanh {_STYLES[minority]}, khác {counts[majority]} chỗ còn lại "
                f"của văn bản ({_STYLES[majority]}); hãy viết thống nhất “{move_tone(word)}”.",
            )


# --- words ----------------------------------------------------------------------------------

_REPEATED = lazy(rf"(?<!\w)({LETTERS}+(?: {LETTERS}+)?) (\1)(?!\w)", re.IGNORECASE)


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
    for prose, match, compound in _repetitions(ctx):
        if compound is None:
            words = match.group(1)
            kind = "Cụm từ" if " " in words else "Từ"
            yield Hit(prose.at(match.start(2)), f"{kind} “{words}” bị lặp lại liền nhau; hãy xóa một lần.")


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
    for prose, match, compound in _repetitions(ctx):
        if compound is not None:
            yield Hit(
                prose.at(match.start(2)),
                f"Âm tiết “{match.group(2)}” lặp lại ngay sau từ “{compound}”; nếu gõ thừa, hãy xóa một lần.",
            )


_SYLLABLES_BEFORE = lazy(rf"(?:{LETTERS}+ ){{1,3}}$")
_SYLLABLES_AFTER = lazy(rf"(?: {LETTERS}+){{1,3}}")


Repetition = tuple[Prose, re.Match[str], str | None]
_last_repetitions: tuple[CheckContext, list[Repetition]] | None = None


def _repetitions(ctx: CheckContext) -> list[Repetition]:
    """Each repetition that is not two words meeting: with the compound word whose last syllable
    is repeated (DH411), or None when a whole word is doubled (DH403). Found once per check."""
    global _last_repetitions
    if _last_repetitions is None or _last_repetitions[0] is not ctx:
        _last_repetitions = (ctx, list(_find_repetitions(ctx)))
    return _last_repetitions[1]


def _find_repetitions(ctx: CheckContext) -> Iterator[Repetition]:
    for prose in texts(ctx):
        for match in _REPEATED.finditer(prose.masked):
            if match.group(0).lower() in REDUPLICATIVES:
                continue
            compound = _compound_before(prose.masked, match)
            if compound is None or not _word_after(prose.masked, match):
                yield prose, match, compound


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


def _dictionary_pattern(entries: dict[str, str]) -> re.Pattern[str] | None:
    if not entries:
        return None
    wrong = sorted(entries, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in wrong)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


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
    pattern = _dictionary_pattern(entries)
    if pattern is None:
        return
    for prose in texts(ctx):
        for match in pattern.finditer(prose.masked):
            typed = match.group()
            if _inside_word_before(prose.masked, match):
                continue
            right = _same_case(typed, entries[_key(typed)])
            yield Hit(prose.at(match.start()), f"Lỗi chính tả: “{typed}”; hãy viết “{right}”.")


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
_SPACE_BEFORE = lazy(r"(?<=\S)( +)(?:[,;:!?)\]”]|\.(?!\.))")
_SPACE_AFTER = lazy(r"[(\[“]( +)")


@rule("DH405", "double-space", "text")
def double_space(ctx: CheckContext) -> Iterator[Hit]:
    """Hai dấu cách (hoặc dấu tab) liền nhau giữa hai chữ.

    Sai:  ``đầu tư  những dự án lớn``
    Đúng: ``đầu tư những dự án lớn``
    """
    for prose in texts(ctx):
        for match in _DOUBLE_SPACE.finditer(prose.masked):
            yield Hit(_space_at(prose, match.start()), "Thừa dấu cách (hai dấu cách liền nhau); hãy xóa bớt.")


@rule("DH406", "space-around-punctuation", "text")
def space_around_punctuation(ctx: CheckContext) -> Iterator[Hit]:
    """Không đặt dấu cách trước dấu câu (, . ; : ! ? ) ”) hay sau dấu mở ngoặc (“ hoặc “(”.

    Dấu chấm lửng “…” sau dấu phẩy (“…, …”) không bị báo.

    Sai:  ``mang lại hiệu quả kinh tế cao .`` và ``( năm 2025)``
    Đúng: ``mang lại hiệu quả kinh tế cao.`` và ``(năm 2025)``
    """
    for prose in texts(ctx):
        text = prose.masked
        for match in _SPACE_BEFORE.finditer(text):
            mark = text[match.end() - 1]
            yield Hit(_space_at(prose, match.start(1)), f"Thừa dấu cách trước dấu “{mark}”; hãy xóa dấu cách.")
        for match in _SPACE_AFTER.finditer(text):
            yield Hit(
                _space_at(prose, match.start(1)), f"Thừa dấu cách sau dấu “{text[match.start()]}”; hãy xóa dấu cách."
            )


_OPENING = {"(": ")", "[": "]", "“": "”"}
_CLOSING = {v: k for k, v in _OPENING.items()}
_LABEL = lazy(r"(?:^|(?<=[;:,.] )|(?<=\n))[a-zđ0-9]{1,2}\)")


_BRACKET = lazy(r"[()\[\]“”]")


def unbalanced(text: str) -> list[int]:
    """Offsets of brackets and quotes that are never closed or never opened."""
    labels = {m.end() - 1 for m in _LABEL.finditer(text)} if ")" in text else set()
    stack: list[int] = []
    bad: list[int] = []
    for match in _BRACKET.finditer(text):
        i, char = match.start(), match.group()
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


@rule("DH407", "unbalanced", "text")
def unbalanced_brackets(ctx: CheckContext) -> Iterator[Hit]:
    """Ngoặc đơn, ngoặc vuông và ngoặc kép phải đóng mở thành cặp trong một đoạn.

    Nhãn liệt kê kiểu “a)”, “1)” ở đầu đoạn hay sau dấu câu không bị báo.

    Sai:  ``“Đoàn kết - Kỷ cương - Đổi mới - Phát triển``
    Đúng: ``“Đoàn kết - Kỷ cương - Đổi mới - Phát triển”``
    """
    for prose in texts(ctx):
        text = prose.masked
        for offset in unbalanced(text):
            char = text[offset]
            action = "đóng" if char in _OPENING or char == '"' else "mở"
            yield Hit(
                prose.at(offset), f"Dấu “{char}” không có dấu {action} tương ứng trong đoạn; hãy bổ sung hoặc xóa."
            )


# --- capitals -------------------------------------------------------------------------------

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
        text = prose.masked
        if text.upper() == text:
            continue
        lowered = text.lower()
        for match in _PEOPLE.finditer(text):
            if not lowered[: match.start()].rstrip().endswith(_PEOPLE_FIXED_BEFORE):
                yield Hit(
                    prose.at(match.start()),
                    "Viết hoa “Nhân dân” khi chỉ nhân dân nói chung (chỉ giữ chữ thường trong tên "
                    "cơ quan như Hội đồng nhân dân, Ủy ban nhân dân); hãy viết “Nhân dân”.",
                )
        for match in _PARTY.finditer(text):
            before = lowered[: match.start()].rstrip()
            if before.endswith(_PARTY_CONTEXT):
                yield Hit(prose.at(match.start()), "Viết hoa “Đảng” khi chỉ Đảng Cộng sản Việt Nam; hãy viết “Đảng”.")


# Words that name the kind of a place: only after one of them is a title-case word a place name.
PLACE_WORDS = "tổ dân phố|khu phố|thị trấn|thị xã|thành phố|phường|xã|tỉnh|huyện|quận|đường|xóm|thôn|ấp"
_PLACE = lazy(rf"(?<!\w)(?:{PLACE_WORDS})(?= )", re.IGNORECASE)
_ROMAN = lazy(r"[IVXLC]+")
_NEXT_WORD = lazy(rf" ({LETTERS}+)")


def _title_case(word: str) -> bool:
    return word[:1].isupper() and (word[1:].islower() or len(word) == 1)


def _name_after(text: str, position: int) -> list[re.Match[str]]:
    """The words after a place word: its title-case name, then the first word that is not."""
    words = []
    while (match := _NEXT_WORD.match(text, position)) is not None and not _ROMAN.fullmatch(match.group(1)):
        words.append(match)
        position = match.end()
        if not _title_case(match.group(1)):
            break
    return words if words and _title_case(words[0].group(1)) else []


def place_names_in(text: str) -> list[str]:
    """Each place word with its title-case name in `text`: “xã Tân Quang”, “phường Lương Sơn”."""
    names = []
    for match in _PLACE.finditer(text):
        taken = [w.group(1) for w in _name_after(text, match.end()) if _title_case(w.group(1))]
        if taken:
            names.append(" ".join([match.group().lower(), *taken]))
    return names


def _place_names(found: list[tuple[Prose, list[re.Match[str]]]]) -> set[str]:
    """Place names written in title case after a place word: “Thắng Lợi”, “Mỏ Chè”."""
    names: set[str] = set()
    for _prose, words in found:
        taken = [w.group(1) for w in words if _title_case(w.group(1))]
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
    found = [
        (prose, words)
        for prose in texts(ctx)
        if prose.masked.upper() != prose.masked
        for match in _PLACE.finditer(prose.masked)
        if (words := _name_after(prose.masked, match.end()))
    ]
    names = _place_names(found)
    for prose, words in found:
        last = words[-1].group(1)
        if _title_case(last) or len(words) < 2:
            continue
        written = [w.group(1) for w in words]
        proper = " ".join([*written[:-1], last.capitalize()])
        if proper in names:
            yield Hit(
                prose.at(words[-1].start(1)),
                f"Tên riêng “{' '.join(written)}” viết hoa không thống nhất; ở chỗ khác "
                f"viết “{proper}”. Địa danh viết hoa chữ đầu mọi âm tiết.",
            )


# A token with a digit, or a capital after its first letter (most capitals are ASCII; the
# lookahead only keeps the regex from visiting every word in Python).
_TERM = lazy(r"(?<![\w-])(?=[\w-]*?(?:\d|\w[A-ZĐ]))[^\W_][\w-]*[^\W_](?![\w-])")


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
    seen: dict[str, list[tuple[Prose, re.Match[str]]]] = {}
    for prose in texts(ctx):
        if prose.masked.upper() == prose.masked:
            continue
        for match in _TERM.finditer(prose.masked):
            if _is_term(match.group()):
                seen.setdefault(match.group().casefold(), []).append((prose, match))
    for occurrences in seen.values():
        counts = Counter(m.group() for _p, m in occurrences)
        if len(counts) < 2:
            continue
        preferred = max(counts, key=lambda form: (counts[form], sum(c.isupper() for c in form)))
        for prose, match in occurrences:
            if match.group() != preferred:
                yield Hit(
                    prose.at(match.start()),
                    f"“{match.group()}” viết khác với “{preferred}” "
                    f"({counts[preferred]} chỗ); hãy viết thống nhất “{preferred}”.",
                )
