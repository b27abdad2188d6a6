"""Classified paragraphs → the section tree, by the numbering conventions and heading styles."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from dhcompiler.importers.draft import Draft, Para, is_upper, plain
from dhcompiler.importers.meta import roman_value
from dhcompiler.templates import roman

PART = re.compile(
    r"^phần\s+(?:thứ\s+(?:nhất|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)|(?:thứ\s+)?(?:[IVX]+|\d+))"
    r"(?:\s*([:.\-–])\s*|\s+|$)(.*)$",
    re.IGNORECASE,
)
ROMAN = re.compile(r"^([IVXLC]+)\s*[.\-–]\s*(\S.*)$")
ARABIC = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(\.|-)?\s+(\S.*)$")
PAREN = re.compile(r"^\((\d{1,2})\)\s*(\S.*)$")
LESSON = re.compile(r"^(Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười) là\s*,\s*(\S.*)$")
BULLET = re.compile(r"^[-–•]\s+(\S.*)$")
LEAD = re.compile(r"^\\\*\s*(\S.*)(?<!\\\*)$")
PLUS = re.compile(r"^\+\s+\S")
NOTE_TITLE = re.compile(r"^ghi chú\b", re.IGNORECASE)
SENTENCE_END = (".", ";", ":", "!", "?", "…")
PAREN_RANK = 50.0
LINE = 90  # characters on a line of an A4 page in 14 pt
HEADINGS = ("part", "heading", "paren_heading")


@dataclass
class Token:
    """A classified paragraph: its kind, its text without the typed label, its typed number."""

    kind: str
    text: str
    para: Para
    scheme: str = ""
    number: tuple[int, ...] = ()
    rank: float = 0.0
    label: str = ""


@dataclass
class Node:
    """A section being built: its heading, its content tokens and its subsections."""

    kind: str
    title: str | None
    rank: float
    token: Token | None = None
    tokens: list[Token] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    items_children: bool = False
    label: str = ""

    @property
    def line(self) -> int:
        return self.token.para.line if self.token else 0


# --- classifying paragraphs ---------------------------------------------------------------


def classify(para: Para) -> Token:
    """What a paragraph is, from its typed label first and its style second."""
    text = para.text
    if para.cells is not None:
        return Token("table_row", text, para)
    if para.role in ("continuation", "para"):
        return Token("cont" if para.role == "continuation" else "para", text, para)
    if para.role == "bullet":
        match = BULLET.match(text)
        return Token("bullet", match.group(1) if match else text, para)
    if para.role in ("typed_bullet", "typed_item"):
        match = (BULLET if para.role == "typed_bullet" else PAREN).match(text)
        if match is None:
            return Token("cont", text, para)
        if para.role == "typed_bullet":
            return Token("bullet", match.group(1), para)
        return Token("item", match.group(2), para, "paren", (int(match.group(1)),))
    token = _numbered(para, text) or _marked(para, text)
    if token is not None:
        if para.role == "item" and token.kind == "paren":
            token.kind = "item"
        return token
    if para.role == "item":
        return Token("item", text, para)
    if para.heading is not None:
        return Token("heading", text, para, scheme="styled")
    return Token("plus" if PLUS.match(text) else "para", text, para)


def _numbered(para: Para, text: str) -> Token | None:
    if (match := PART.match(text)) and (not match.group(2) or match.group(1) or is_upper(match.group(2))):
        label = text[: match.start(2)].strip(" :.-–")
        return Token("part", match.group(2).strip(), para, scheme="part", rank=0.0, label=label)
    match = ROMAN.match(text)
    value = roman_value(match.group(1)) if match else 0
    if match and value and (is_upper(match.group(2)) or para.heading is not None):
        return Token("heading", match.group(2), para, "roman", (value,), 1.0, match.group(1))
    if match and value and match.group(2)[:1].isupper():
        # “I. Tán thành …”: a Roman item in sentence case, kept if the numbers run in sequence.
        return Token("heading", match.group(2), para, "roman_sentence", (value,), 1.0, match.group(1))
    if (match := ARABIC.match(text)) and ("." in match.group(1) or match.group(2)):
        number = tuple(int(n) for n in match.group(1).split("."))
        return Token("heading", match.group(3), para, "arabic", number, 1.0 + len(number), match.group(1))
    if match := PAREN.match(text):
        return Token("paren", match.group(2), para, "paren", (int(match.group(1)),), PAREN_RANK)
    return None


def _marked(para: Para, text: str) -> Token | None:
    if match := LESSON.match(text):
        return Token("lesson", match.group(2), para, label=match.group(1))
    if match := BULLET.match(text):
        return Token("bullet", match.group(1), para)
    if match := LEAD.match(text):
        return Token("lead", match.group(1), para)
    return None


def classify_all(paras: list[Para], draft: Draft) -> list[Token]:
    """Classify every paragraph, then settle what depends on neighbours."""
    tokens = [classify(p) for p in paras]
    _sentence_romans(tokens)
    _list_items(tokens)
    _orphans(tokens)
    _rank_styled(tokens)
    tokens = _merge_part_titles(tokens)
    _decide_parens(tokens)
    for token in tokens:
        if token.kind == "plus":
            draft.review(
                token.para.line,
                "DH612",
                "Dòng bắt đầu bằng “+” (ý cấp dưới) không có trong định dạng; giữ nguyên là đoạn văn.",
            )
        elif token.kind == "para" and (match := ROMAN.match(token.text)) and roman_value(match.group(1)):
            draft.review(
                token.para.line,
                "DH612",
                (
                    f"Đoạn bắt đầu bằng “{match.group(1)}.” nhưng tiêu đề không viết hoa: đã giữ là đoạn văn "
                    "(nếu là mục La Mã, hãy viết hoa tiêu đề)."
                ),
            )
        elif token.kind == "para" and token.para.heading is None and _looks_like_title(token):
            draft.review(
                token.para.line,
                "DH612",
                f"Đoạn viết hoa “{plain(token.text)[:60]}” không có số thứ tự; "
                "đã giữ là đoạn văn (nếu là tiêu đề, hãy thêm nó thành mục).",
            )
    return tokens


def _sentence_romans(tokens: list[Token]) -> None:
    """A Roman item in sentence case is a section when it continues the Roman sequence (I., II.,
    … restarting under each part); otherwise it stays a paragraph."""
    last = 0
    for token in tokens:
        if token.kind == "part":
            last = 0
        elif token.kind == "heading" and token.scheme in ("roman", "roman_sentence"):
            if token.scheme == "roman_sentence" and token.number[0] != last + 1:
                token.kind, token.text, token.scheme, token.number, token.rank = "para", token.para.text, "", (), 0.0
                continue
            token.scheme = "roman"
            last = token.number[0]


def _list_items(tokens: list[Token]) -> None:
    """“1. …”, “2. …” written as sentences are a list in prose, not headings: a typed Arabic
    number whose text ends in a full stop (or a semicolon) and runs past a line or holds several
    sentences, and its neighbours written the same way. They stay paragraphs, number and all."""
    candidates = []
    above: dict[float, str] = {}  # the headings above, by rank: under “… chỉ tiêu …” they are indicators
    for i, t in enumerate(tokens):
        if t.kind not in ("part", "heading"):
            continue
        above = {rank: title for rank, title in above.items() if rank < t.rank}
        indicators = any("chỉ tiêu" in title for title in above.values())
        if t.scheme == "arabic" and t.para.heading is None and _sentence(t.text) and not indicators:
            candidates.append(i)
        above[t.rank] = plain(t.text).casefold()
    marked = set(candidates)
    for i in candidates:
        text = plain(tokens[i].text)
        if len(text) > LINE or ". " in text.rstrip(".") or i - 1 in marked or i + 1 in marked:
            token = tokens[i]
            token.kind, token.text, token.scheme, token.number, token.rank = "para", token.para.text, "", (), 0.0


def _orphans(tokens: list[Token]) -> None:
    """“2.1 Văn hóa” right after “1. Kinh tế”, with no “2.” before it, is the second section
    typed one level too deep: it takes the level of “2.” (DH613 reports the typed number)."""
    seen: set[tuple[int, ...]] = set()
    for token in tokens:
        if token.kind == "part" or (token.kind == "heading" and token.scheme == "roman"):
            seen = set()
        if token.kind != "heading" or token.scheme != "arabic":
            continue
        number = token.number
        parent = number[:-1]
        if len(number) >= 2 and parent not in seen and (*parent[:-1], parent[-1] - 1) in seen:
            token.rank = 1.0 + len(parent)
            seen.add(parent)
        seen.add(number)


def _sentence(text: str) -> bool:
    return plain(text).endswith((".", ";"))


# Lines in capitals that a Party document writes without a number and that are no heading.
FIXED_LINES = ("QUYẾT NGHỊ", "QUYẾT ĐỊNH", "KẾT LUẬN")


def _looks_like_title(token: Token) -> bool:
    text = plain(token.text).rstrip(" :")
    return is_upper(text) and len(text.split()) <= 20 and text not in FIXED_LINES


def _rank_styled(tokens: list[Token]) -> None:
    """Unnumbered headings sit at the depth that numbered headings of the same style have."""
    learned: dict[int, Counter[float]] = {}
    for t in tokens:
        if t.para.heading is not None and t.kind in ("part", "heading") and t.scheme != "styled":
            learned.setdefault(t.para.heading, Counter())[t.rank] += 1
    offsets = Counter(rank - level for level, ranks in learned.items() for rank in ranks.elements())
    offset = offsets.most_common(1)[0][0] if offsets else 0.0
    for t in tokens:
        if t.scheme == "styled":
            level = t.para.heading or 1
            t.rank = learned[level].most_common(1)[0][0] if level in learned else max(level + offset, 1.0)


def _merge_part_titles(tokens: list[Token]) -> list[Token]:
    """The lines under “Phần thứ …” written in capitals (or styled as a title) are its title."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        out.append(token)
        i += 1
        if token.kind != "part" or token.text:
            continue
        title: list[str] = []
        while i < len(tokens) and _part_title_line(tokens[i], token):
            title.append(tokens[i].text)
            i += 1
        token.text = " ".join(title)
    return out


def _part_title_line(token: Token, part: Token) -> bool:
    if token.kind not in ("para", "heading") or token.scheme not in ("", "styled"):
        return False
    if token.para.role == "part_title":
        return True
    if token.para.heading is not None:
        return token.para.heading == part.para.heading
    return is_upper(token.text)


def _decide_parens(tokens: list[Token]) -> None:
    """“(1) …” is a heading when each one heads its own paragraphs and none reads as a
    sentence; otherwise it is an item of a list."""
    start = 0
    for end in [i for i, t in enumerate(tokens) if t.kind in ("part", "heading")] + [len(tokens)]:
        segment = tokens[start:end]
        parens = [i for i, t in enumerate(segment) if t.kind == "paren"]
        if parens:
            heading = _parens_are_headings(segment, parens)
            for i in parens:
                segment[i].kind = "paren_heading" if heading else "item"
        start = end + 1


def _parens_are_headings(segment: list[Token], parens: list[int]) -> bool:
    if any(segment[i].para.heading is not None for i in parens):
        return True
    bounds = [*parens[1:], len(segment)]
    followed = all(nxt > i + 1 for i, nxt in zip(parens, bounds, strict=True))
    sentences = all(plain(segment[i].text).endswith(SENTENCE_END) for i in parens)
    return followed and not sentences


# --- building the tree --------------------------------------------------------------------


def build_tree(tokens: list[Token]) -> list[Node]:
    """Top-level nodes (note, parts or sections) with their subsections and content tokens."""
    root = Node("root", None, -1.0)
    stack = [root]
    parts = any(t.kind == "part" for t in tokens)
    first = next((i for i, t in enumerate(tokens) if t.kind == "part" or (not parts and _top(t))), len(tokens))
    preamble, rest = tokens[:first], tokens[first:]
    if preamble:
        head = preamble[0]
        if _note_title(head, preamble, parts):
            note = Node("note", head.text, 1.0, head)
            preamble = preamble[1:]
        else:
            note = Node("opening", None, 1.0)
        root.children.append(note)
        stack.append(note)
    for token in [*preamble, *rest]:
        _place(token, stack)
    return root.children


APPENDIX_LABEL = re.compile(r"^PHỤ LỤC(?:\s+(?:SỐ\s+)?[\dIVX]+)?\s*[:.\-–]?\s*")


def build_appendix(paras: list[Para], draft: Draft) -> Node:
    """An appendix after the signature: “PHỤ LỤC”, the title lines in capitals under it, its
    own content and its sections, numbered I., II., … of their own."""
    head = paras[0]
    label = APPENDIX_LABEL.match(plain(head.text))
    title = [head.text[label.end() :].strip()] if label and head.text[label.end() :].strip() else []
    rest = paras[1:]
    while rest and rest[0].cells is None and is_upper(rest[0].text) and not ROMAN.match(plain(rest[0].text)):
        title.append(rest[0].text)
        rest = rest[1:]
    token = Token("part", " ".join(title), head, label=plain(head.text)[: label.end()].strip(" :.-–") if label else "")
    node = Node("appendix", token.text or None, 0.0, token, label=token.label)
    if not rest:
        return node
    tokens = classify_all(rest, draft)
    top = build_tree(tokens)
    if top and top[0].kind in ("opening", "note"):
        opening = top.pop(0)
        note = [opening.token] if opening.kind == "note" and opening.token else []
        node.tokens = [*note, *opening.tokens]
    node.children = top
    return node


def _top(token: Token) -> bool:
    return token.kind in HEADINGS and token.rank <= 1


def _note_title(token: Token, preamble: list[Token], parts: bool) -> bool:
    """The explanatory note on the theme: “Ghi chú: …”, or an unnumbered heading before Part One."""
    if token.kind == "heading" and token.scheme == "styled" and (parts or NOTE_TITLE.match(plain(token.text))):
        return True
    if token.kind != "para":
        return False
    text = plain(token.text)
    short = len(text.split()) <= 15 and not text.endswith(SENTENCE_END)
    return bool(NOTE_TITLE.match(text)) or (short and len(preamble) > 1 and preamble[1].kind in HEADINGS)


def _place(token: Token, stack: list[Node]) -> None:
    if token.kind not in HEADINGS:
        stack[-1].tokens.append(token)
        return
    while stack[-1].rank >= token.rank:
        stack.pop()
    parent = stack[-1]
    if token.kind == "paren_heading":
        parent.items_children = True
    node = Node("part" if token.kind == "part" else "section", token.text or None, token.rank, token, label=token.label)
    parent.children.append(node)
    stack.append(node)


def walk(nodes: list[Node]) -> list[Node]:
    """Every node in reading order."""
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out


# --- numbering, as the compiler will number -----------------------------------------------


def check_numbers(top: list[Node], draft: Draft) -> None:
    """Report typed numbers that differ from the ones the compiler will print."""
    sections = Node("root", None, -1.0, children=[n for n in top if n.kind == "section"])
    _check_children(sections, "roman", (), draft, descend=False)
    for node in top:
        scheme = "roman" if node.kind in ("part", "appendix") else "arabic"
        _check_children(node, scheme, (), draft)


def _check_children(node: Node, scheme: str, path: tuple[int, ...], draft: Draft, descend: bool = True) -> None:
    for index, child in enumerate(node.children, start=1):
        expected: tuple[int, ...]
        child_path: tuple[int, ...]
        if node.items_children:
            expected, child_path, want = (index,), (), "paren"
        elif scheme == "roman":
            expected, child_path, want = (index,), (), "roman"
        else:
            expected = child_path = (*path, index)
            want = "arabic"
        token = child.token
        if (
            token is not None
            and token.scheme in ("roman", "arabic", "paren")
            and (token.number != expected or token.scheme != want)
        ):
            draft.review(
                token.para.line,
                "DH613",
                (
                    f"Số thứ tự gõ tay “{_number_text(token.scheme, token.number)}” khác số sẽ được đánh "
                    f"“{_number_text(want, expected)}”; hãy kiểm tra mục này có đúng cấp không."
                ),
            )
        if descend:
            _check_children(child, "arabic", child_path, draft)


def _number_text(scheme: str, number: tuple[int, ...]) -> str:
    if scheme == "roman":
        return f"{roman(number[0])}."
    if scheme == "paren":
        return f"({number[0]})"
    return ".".join(str(n) for n in number) + "."
