"""The fixed blocks of a draft: header, theme, motto, closing and signature → document.yaml."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from dhcompiler.importers.draft import Draft, Para, is_upper, plain
from dhcompiler.slug import slugify
from dhcompiler.templates import roman

THEME_TITLE = re.compile(r"^chủ đề đại hội\s*[:.]?\s*(.*)$", re.IGNORECASE)
MOTTO_TITLE = re.compile(r"^phương châm đại hội\s*[:.]?\s*(.*)$", re.IGNORECASE)
WORD_COUNT = re.compile(r"\s*\((\d+)\s*chữ\)\s*$")
NUMBER_LINE = re.compile(r"^Số\s*:?\s*(.*?)\s*-\s*([A-ZĐ][A-Za-zĐđ0-9/.]*)$")
# "Sông Công, ngày 26 tháng 12 năm 2024"; a draft often leaves the day (and month) blank.
DATE_LINE = re.compile(r"^(.+?),\s*ngày\s*([\d.…_ ]*?)\s*tháng\s*([\d.…_ ]*?)\s*năm\s*(\d{4})\.?$")
QUOTED = re.compile(r"^[“\"]\s*(.+?)\s*[”\"]$")
ON_BEHALF = re.compile(r"^(T/M|TM\.?|KT\.?|Q\.)\s+(.+)$")
# “Nơi nhận:” and the “- …” lines under it: to whom a Party document is sent, beside the signature.
RECIPIENTS = re.compile(r"^nơi nhận\s*:?$", re.IGNORECASE)
RECIPIENT = re.compile(r"^[-+–•]\s*\S")
# The rank a signer of the armed forces' Party committees writes before the name.
RANK = re.compile(r"^(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)\s+")
# A summary line written in sentence case under the document type: “của Ban Chấp hành …”.
SUMMARY_START = re.compile(r"^(của|trình)\s", re.IGNORECASE)
ORDINAL = re.compile(r"\blần thứ\s+([IVXLC]+)\b", re.IGNORECASE)
ORDINAL_TERM = re.compile(r"\blần thứ\s+([IVXLC]+)\s*,?\s*nhiệm kỳ\s+(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
TERM = re.compile(r"\bnhiệm kỳ\s+(\d{4})\s*[-–]\s*(\d{4})\b", re.IGNORECASE)
FOUND = {
    "number": "số và ký hiệu",
    "party_name": "tên Đảng",
    "date": "địa danh và ngày",
    "draft_label": "nhãn dự thảo",
    "document_type": "loại văn bản",
}
# Where the body begins when a draft has no “CHỦ ĐỀ ĐẠI HỘI”: a part or a Roman section.
STRUCTURE = re.compile(r"^(phần\s+(?:thứ|[IVXLC]+|\d+)\b|[IVXLC]+\s*[.\-–]\s)", re.IGNORECASE)
# The kinds of Party document a draft may be: its title line.
DOCUMENT_TYPE = re.compile(
    r"^(BÁO CÁO|NGHỊ QUYẾT|CHƯƠNG TRÌNH|KẾ HOẠCH|TỜ TRÌNH|ĐỀ ÁN|QUY CHẾ|QUY ĐỊNH|THÔNG BÁO|KẾT LUẬN|CHỈ THỊ"
    r"|DIỄN VĂN|ĐỀ CƯƠNG|HƯỚNG DẪN)\b"
)
POLITICAL_REPORT = "BÁO CÁO CHÍNH TRỊ"
RULE = re.compile(r"^[-_=*.–—]{3,}$|^\*$")
# A line that names a body of its own (“TỈNH ỦY …”, “ĐẢNG BỘ …”, “ĐẢNG ỦY …”); lines after it
# (“BAN CHẤP HÀNH”, “KHÓA XVII”, “ĐẠI HỘI ĐẠI BIỂU LẦN THỨ I”) continue it.
BODY_START = re.compile(r"^(ĐẢNG BỘ|CHI BỘ|(?:\w+ )?(?:ỦY|UỶ))\b")
# A provincial committee (or a centrally-run city's) has no superior body above it.
PROVINCIAL = re.compile(
    r"^(TỈNH (ỦY|UỶ)|ĐẢNG BỘ TỈNH"
    r"|(THÀNH (ỦY|UỶ)|ĐẢNG BỘ THÀNH PHỐ) (HÀ NỘI|HỒ CHÍ MINH|HẢI PHÒNG|ĐÀ NẴNG|CẦN THƠ|HUẾ))\b"
)
# The theme or motto quoted inside a sentence: “… với chủ đề: “…”” / “… với phương châm “…””.
THEME_QUOTED = re.compile(r"\bchủ đề(?: (?:của )?Đại hội)?\s*:?\s*“([^”]+)”", re.IGNORECASE)
MOTTO_QUOTED = re.compile(r"\bphương châm(?: (?:của )?Đại hội)?\s*:?\s*(“[^”]+”)", re.IGNORECASE)
THEME_MAX_WORDS = 80


@dataclass
class Front:
    """A draft cut into its fixed blocks and its body."""

    header: list[Para] = field(default_factory=list)
    theme_title: Para | None = None
    theme: list[Para] = field(default_factory=list)
    motto_title: Para | None = None
    motto: Para | None = None
    body: list[Para] = field(default_factory=list)
    signature: list[Para] = field(default_factory=list)
    recipients: list[Para] = field(default_factory=list)
    appendix: list[Para] = field(default_factory=list)
    # Found without a label: quoted inside a sentence of the opening (kept there, not printed
    # again), or the theme as the paragraph right under the title.
    theme_quoted: tuple[str, int] | None = None
    motto_quoted: tuple[str, int] | None = None


def split_front(paras: list[Para]) -> Front:
    """Header before the theme title, theme, motto, then the body; the signature at the end."""
    front = Front()
    theme_at = next((i for i, p in enumerate(paras) if _label(plain(p.text), THEME_TITLE)), None)
    if theme_at is None:
        count = 0
        while count < len(paras) and header_field(plain(paras[count].text)) is not None:
            count += 1
        front.header, rest = paras[:count], paras[count:]
    else:
        front.header, rest = paras[:theme_at], _theme_and_motto(front, paras[theme_at:])
    rest, front.recipients = split_recipients(rest)
    front.body = rest
    split_appendix(front)
    if not front.appendix:
        front.body, front.signature = split_signature(rest)
    if theme_at is None:
        _unlabelled_theme(front)
    return front


def _unlabelled_theme(front: Front) -> None:
    """A theme without its “CHỦ ĐỀ ĐẠI HỘI” label: quoted in a sentence of the opening (“… với
    chủ đề: “…””), or, in a political report, the paragraph right under the title when it is
    not a sentence (no final full stop or colon)."""
    opening = []
    for para in front.body:
        if STRUCTURE.match(plain(para.text)):
            break
        opening.append(para)
    for para in opening:
        text = plain(para.text)
        if front.theme_quoted is None and (match := THEME_QUOTED.search(text)):
            front.theme_quoted = (match.group(1).strip(), para.line)
        if front.motto_quoted is None and (match := MOTTO_QUOTED.search(text)):
            front.motto_quoted = (match.group(1).strip(), para.line)
    if front.theme_quoted or not opening or not any(plain(p.text).startswith(POLITICAL_REPORT) for p in front.header):
        return
    first = plain(opening[0].text)
    if not first.endswith((".", ":", ";", "…")) and len(first.split()) <= THEME_MAX_WORDS and not is_upper(first):
        front.theme = [opening[0]]
        front.body = front.body[1:]


def _label(text: str, pattern: re.Pattern[str]) -> bool:
    """“CHỦ ĐỀ ĐẠI HỘI” as a label is written in capitals (“Chủ đề Đại hội bao gồm …” is prose)."""
    return bool(pattern.match(text)) and text[:14] == text[:14].upper()


def _theme_and_motto(front: Front, paras: list[Para]) -> list[Para]:
    front.theme_title = paras[0]
    motto_at = next((i for i, p in enumerate(paras) if _label(plain(p.text), MOTTO_TITLE)), None)
    inline = THEME_TITLE.match(plain(paras[0].text))
    if motto_at is None:
        front.theme = [] if inline and inline.group(1) else paras[1:2]
        return paras[1 + len(front.theme) :]
    front.theme = paras[1:motto_at]
    front.motto_title = paras[motto_at]
    if MOTTO_TITLE.match(plain(paras[motto_at].text)).group(1):  # type: ignore[union-attr]
        return paras[motto_at + 1 :]
    front.motto = paras[motto_at + 1] if motto_at + 1 < len(paras) else None
    return paras[motto_at + 2 :]


APPENDIX = re.compile(r"^PHỤ LỤC\b")


def split_appendix(front: Front) -> None:
    """An appendix (“PHỤ LỤC”) after the signature is a part of the document of its own."""
    body = front.body
    at = next((i for i, p in enumerate(body) if p.table is False and APPENDIX.match(plain(p.text))), None)
    if at is None or at == 0:
        return
    rest, signature = split_signature(body[:at])
    if not signature:
        return
    front.body, front.signature, front.appendix = rest, signature, body[at:]


def split_recipients(paras: list[Para]) -> tuple[list[Para], list[Para]]:
    """The paragraphs without the “Nơi nhận:” block, and the block.

    In Word the block sits in the left cell of the signature table, so a text export puts it
    right before the signature lines, or after them; either way only signature lines (at most
    four), an appendix or nothing may follow it.
    """
    at = next((i for i in range(len(paras) - 1, -1, -1) if RECIPIENTS.match(plain(paras[i].text))), None)
    if at is None:
        return paras, []
    end = at + 1
    while end < len(paras) and RECIPIENT.match(plain(paras[end].text)):
        end += 1
    after = paras[end:]
    appendix = next((i for i, p in enumerate(after) if p.table is False and APPENDIX.match(plain(p.text))), len(after))
    if appendix > 4 or not all(_signature_like(plain(p.text)) for p in after[:appendix]):
        return paras, []
    return paras[:at] + after, paras[at:end]


def split_signature(paras: list[Para]) -> tuple[list[Para], list[Para]]:
    """The body and the signature lines at its end (authority, title, name), if any."""
    cut = len(paras)
    while cut > 0 and len(paras) - cut < 4 and _signature_like(plain(paras[cut - 1].text)):
        cut -= 1
    signature = paras[cut:]
    if not any(is_upper(p.text) for p in signature):
        return paras, []
    return paras[:cut], signature


def _signature_like(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 12 or text.endswith((".", ";", ":")):
        return False
    if is_upper(text) or ON_BEHALF.match(text):
        return True
    name = RANK.sub("", text).split()  # “Đại tá Trần Quốc Bảo”: a rank before the signer's name
    return len(words) <= 6 and bool(name) and all(w[:1].isupper() for w in name)


def _summary_line(text: str, before: list[str]) -> bool:
    """A summary in sentence case: its first line begins “của …” or “trình …”, and the lines
    that continue it follow it at once."""
    return bool(before) or bool(SUMMARY_START.match(text))


def header_field(text: str) -> str | None:
    """Which header field a line holds, or None."""
    if STRUCTURE.match(text):
        return None
    if RULE.match(text):
        return "rule"
    if NUMBER_LINE.match(text):
        return "number"
    if text.upper() == "ĐẢNG CỘNG SẢN VIỆT NAM":
        return "party_name"
    if DATE_LINE.match(text):
        return "date"
    if QUOTED.match(text) or text.strip("()").casefold().startswith("dự thảo"):
        return "draft_label"
    if DOCUMENT_TYPE.match(text) and is_upper(text):
        return "document_type"
    if is_upper(text) and len(text.split()) <= 40:
        return "body_name"
    return None


class MetaBuilder:
    """Fills document.yaml from the fixed blocks, recording what it had to guess."""

    def __init__(self, draft: Draft, front: Front):
        self.draft = draft
        self.front = front
        self.meta: dict[str, Any] = {"output_name": "bao-cao-chinh-tri"}
        self.found: list[str] = []
        self.first_line = front.header[0].line if front.header else 1

    def build(self, all_text: list[str]) -> dict[str, Any]:
        self.header()
        self.congress(all_text)
        self.theme_and_motto()
        self.signature()
        self.recipients()
        return self.meta

    # header -------------------------------------------------------------------------------

    def header(self) -> None:
        names: list[Para] = []
        after_type: list[str] = []
        for para in self.front.header:
            text = plain(para.text)
            kind = header_field(text)
            if (
                "document_type" in self.meta
                and kind in ("body_name", None)
                and (is_upper(text) or _summary_line(text, after_type))
            ):
                after_type.append(text)
            elif kind == "body_name":
                names.append(para)
            elif kind is not None and kind != "rule":
                self.field(kind, text, para)
            elif kind is None:
                self.draft.review(para.line, "DH611", f"Dòng đầu văn bản không nhận ra được: “{text}”; đã bỏ qua.")
        self.bodies(names)
        self.meta["summary"] = " ".join(after_type)
        if after_type:
            self.found.append("trích yếu")
        self.defaults()

    def field(self, kind: str, text: str, para: Para) -> None:
        self.found.append(FOUND[kind])
        if kind == "number":
            match = NUMBER_LINE.match(text)
            assert match is not None
            number = match.group(1).strip(" .…")
            self.meta["number"] = number if number.replace("/", "").isalnum() else ""
            self.meta["symbol"] = match.group(2)
        elif kind == "party_name":
            self.meta["party_name"] = text
        elif kind == "date":
            self.date(text, para)
        elif kind == "draft_label":
            quoted = QUOTED.match(text)
            bracketed = text.startswith("(") and text.endswith(")")
            self.meta["draft_label"] = quoted.group(1) if quoted else text[1:-1].strip() if bracketed else text
        elif kind == "document_type":
            self.meta["document_type"] = text
            self.meta["output_name"] = slugify(text) or "bao-cao-chinh-tri"  # nghi-quyet.docx, bao-cao.docx

    def date(self, text: str, para: Para) -> None:
        match = DATE_LINE.match(text)
        assert match is not None
        place, day, month, year = match.groups()
        self.meta["place"] = place.strip()
        if not month.isdigit() or not day.isdigit():
            # A draft leaves the day (or the month) blank until it is signed: keep the blank.
            partial = f"{int(year):04d}-{int(month):02d}" if month.isdigit() and 1 <= int(month) <= 12 else year
            self.meta["date"] = partial
            self.draft.review(
                para.line,
                "DH610",
                f"Bản thảo để trống ngày (“{text}”); giữ trống như bản thảo, điền “date” khi văn bản được ký.",
            )
            return
        try:
            self.meta["date"] = dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            self.meta["date"] = year
            self.draft.review(para.line, "DH610", f"Ngày không hợp lệ: “{text}”; cần sửa “date” trong document.yaml.")

    def bodies(self, names: list[Para]) -> None:
        """Superior and issuing bodies: the issuing body starts at the last line that names a
        body of its own (“ĐẢNG BỘ XÃ …”, “TỈNH ỦY …”) and keeps every line after it; the lines
        before it are the superior body. A single body has no superior above it in the draft."""
        lines = [plain(p.text) for p in names]
        starts = [i for i, line in enumerate(lines) if BODY_START.match(line)]
        cut = starts[-1] if len(starts) >= 2 else 0
        if lines:
            self.meta["issuing_body"] = "\n".join(lines[cut:])
            self.found.append("cơ quan ban hành")
        if cut:
            self.meta["superior_body"] = "\n".join(lines[:cut])
            self.found.append("cơ quan cấp trên")

    def defaults(self) -> None:
        """Required fields the draft lacks get placeholders, listed for review."""
        issuing = str(self.meta.get("issuing_body", ""))
        if "superior_body" not in self.meta and not PROVINCIAL.match(issuing):
            self.draft.review(
                self.first_line,
                "DH610",
                "Bản thảo không ghi cơ quan cấp trên; không in dòng này. Nếu có, hãy điền “superior_body” "
                "(ví dụ ĐẢNG BỘ TỈNH …) trong document.yaml.",
            )
        missing = {
            "issuing_body": "cơ quan ban hành (ví dụ THÀNH ỦY …)",
            "symbol": "ký hiệu văn bản (Số …-BC/TU)",
            "place": "địa danh và ngày tháng",
        }
        for key, what in missing.items():
            if key not in self.meta:
                # Nothing is invented: the field stays empty (and is not printed) until filled in.
                self.meta[key] = ""
                self.draft.review(
                    self.first_line,
                    "DH610",
                    f"Bản thảo không ghi {what}; để trống, cần điền “{key}” trong document.yaml.",
                )
        self.meta.setdefault("number", "")
        if not self.meta["summary"] and self.meta.get("document_type", POLITICAL_REPORT) == POLITICAL_REPORT:
            self.draft.review(
                self.first_line,
                "DH610",
                "Bản thảo không có trích yếu (dòng dưới “BÁO CÁO CHÍNH TRỊ”); hãy điền “summary” trong document.yaml.",
            )

    # congress -----------------------------------------------------------------------------

    def congress(self, texts: list[str]) -> None:
        summary = str(self.meta.get("summary", ""))
        ordinal, term = _ordinal_and_term([summary] if ORDINAL_TERM.search(summary) else texts)
        guessed = []
        if ordinal == 0:
            ordinal = 2
            guessed.append("số thứ tự Đại hội")
        if term is None:
            year = int(str(self.meta.get("date", "2024"))[:4])
            term = (year + 1, year + 6)
            guessed.append("nhiệm kỳ")
        start, end = term
        terms = {(int(a), int(b)) for t in texts for a, b in TERM.findall(t)}
        previous = next(((a, b) for a, b in sorted(terms) if b == start and a < b), (2 * start - end, start))
        self.meta["congress"] = {
            "ordinal": roman(ordinal),
            "previous_ordinal": roman(max(ordinal - 1, 1)),
            "term": {"start": start, "end": end},
            "previous_term": {"start": previous[0], "end": previous[1]},
        }
        if "date" not in self.meta:
            self.meta["date"] = str(start - 1)  # day and month left blank: no date is invented
            guessed.append("ngày ban hành")
        if not guessed[:1] or guessed[0] != "số thứ tự Đại hội":
            self.found.append(f"Đại hội lần thứ {roman(ordinal)}, nhiệm kỳ {start} - {end}")
        if guessed:
            self.draft.review(
                self.first_line,
                "DH610",
                f"Không tìm thấy {', '.join(guessed)} trong bản thảo; đã điền giá trị tạm, "
                "cần sửa “congress”/“date” trong document.yaml.",
            )

    # theme, motto, signature --------------------------------------------------------------

    def theme_and_motto(self) -> None:
        front = self.front
        theme_title = front.theme_title
        if theme_title is not None:
            self.meta["theme"] = self.titled(theme_title, THEME_TITLE, front.theme)
            self.found.append("chủ đề")
            self.word_count(theme_title, front.theme)
        elif front.theme:
            text = " ".join(p.text for p in front.theme)
            self.meta["theme"] = {"title": "", "text": WORD_COUNT.sub("", text).strip()}
            self.found.append("chủ đề (không có tiêu đề)")
        elif front.theme_quoted is not None:
            self.meta["theme"] = {"title": "", "text": front.theme_quoted[0], "printed": False}
            self.found.append("chủ đề (trong câu mở đầu)")
        else:
            self.meta["theme"] = {"title": "", "text": "", "printed": False}
            if self.political_report():
                self.draft.review(
                    self.first_line,
                    "DH610",
                    "Không tìm thấy Chủ đề Đại hội; không in. Nếu có, hãy điền “theme” trong document.yaml.",
                )
        if front.motto_title is not None:
            motto = [front.motto] if front.motto is not None else []
            self.meta["motto"] = self.titled(front.motto_title, MOTTO_TITLE, motto)
            self.found.append("phương châm")
        elif front.motto_quoted is not None:
            self.meta["motto"] = {"title": "", "text": front.motto_quoted[0], "printed": False}
            self.found.append("phương châm (trong câu mở đầu)")
        else:
            self.meta["motto"] = {"title": "", "text": "", "printed": False}

    def political_report(self) -> bool:
        return str(self.meta.get("document_type", POLITICAL_REPORT)).startswith(POLITICAL_REPORT)

    def titled(self, title: Para, pattern: re.Pattern[str], paras: list[Para]) -> dict[str, str]:
        match = pattern.match(plain(title.text))
        assert match is not None
        head = plain(title.text)[: match.start(1)].rstrip(" :.") if match.group(1) else plain(title.text).rstrip(" :.")
        text = " ".join(p.text for p in paras) if not match.group(1) else match.group(1)
        return {"title": head, "text": WORD_COUNT.sub("", text).strip()}

    def word_count(self, title: Para, paras: list[Para]) -> None:
        inline = THEME_TITLE.match(plain(title.text))
        text = " ".join(p.text for p in paras) or (inline.group(1) if inline else "")
        match = WORD_COUNT.search(text)
        if match is None:
            return
        counted = len(plain(WORD_COUNT.sub("", text)).split())
        if int(match.group(1)) != counted:
            line = paras[0].line if paras else title.line
            self.draft.review(
                line,
                "DH615",
                (
                    f"Chủ đề ghi “({match.group(1)} chữ)” nhưng đếm được {counted} chữ; "
                    f"bản dựng sẽ ghi “({counted} chữ)”."
                ),
            )

    def recipients(self) -> None:
        """The “Nơi nhận:” block is not part of the report the data describes: listed, not kept."""
        block = self.front.recipients
        if block:
            names = "; ".join(plain(p.text).lstrip("-+–• ").rstrip(",;.") for p in block[1:])
            self.draft.review(
                block[0].line,
                "DH619",
                f"Khối “Nơi nhận” ({len(block) - 1} nơi: {names or 'trống'}) không thuộc nội dung báo cáo "
                "nên không được nhập; nếu cần, hãy ghi vào văn bản gửi kèm.",
            )

    def signature(self) -> None:
        lines = [plain(p.text) for p in self.front.signature]
        if not lines:
            self.meta["signature"] = {"on_behalf": "", "authority": "BAN CHẤP HÀNH", "title": "", "name": ""}
            last = self.front.body[-1].line if self.front.body else self.first_line
            self.draft.review(last, "DH610", "Không tìm thấy dòng chữ ký ở cuối văn bản; đã điền “BAN CHẤP HÀNH”.")
            return
        on_behalf, authority = "", lines[0]
        match = ON_BEHALF.match(authority)
        if match:
            on_behalf, authority = match.group(1), match.group(2)
        rest = lines[1:]
        title = rest.pop(0) if rest and is_upper(rest[0]) else ""
        self.found.append("chữ ký")
        self.meta["signature"] = {
            "on_behalf": on_behalf,
            "authority": authority,
            "title": title,
            "name": rest[0] if rest else "",
        }


def _ordinal_and_term(texts: list[str]) -> tuple[int, tuple[int, int] | None]:
    """The congress's ordinal and term: “lần thứ X, nhiệm kỳ 2025 - 2030” when the draft says
    so, else the term most often named (in titles above all) and the highest ordinal."""
    weights: dict[tuple[int, int], int] = {}
    stated: dict[tuple[int, int], int] = {}
    for text in texts:
        for match in ORDINAL_TERM.finditer(text):
            term = (int(match.group(2)), int(match.group(3)))
            stated[term] = max(stated.get(term, 0), roman_value(match.group(1).upper()))
        for a, b in TERM.findall(text):
            if int(a) < int(b):
                weights[(int(a), int(b))] = weights.get((int(a), int(b)), 0) + (3 if is_upper(text) else 1)
    for term in stated:
        weights[term] = weights.get(term, 0) + 100
    if not weights:
        ordinals = [roman_value(m.group(1).upper()) for t in texts for m in ORDINAL.finditer(t)]
        return max(ordinals, default=0), None
    term = max(weights, key=lambda t: (weights[t], t))
    if stated.get(term):
        return stated[term], term
    ordinals = [roman_value(m.group(1).upper()) for t in texts for m in ORDINAL.finditer(t)]
    return max(ordinals, default=0), term


def roman_value(text: str) -> int:
    """“XIV” → 14; 0 for anything that is not a well-formed numeral below 400."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, c in enumerate(text):
        if c not in values:
            return 0
        v = values[c]
        total += -v if i + 1 < len(text) and values.get(text[i + 1], 0) > v else v
    return total if 0 < total < 400 and roman(total) == text else 0
