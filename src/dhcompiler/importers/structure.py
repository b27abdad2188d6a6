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


def _looks_like_title(token: Token) -> bool:
    return is_upper(token.text) and len(plain(token.text).split()) <= 20


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
            note = Node("section", None, 1.0)
        root.children.append(note)
        stack.append(note)
    for token in [*preamble, *rest]:
        _place(token, stack)
    return root.children


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
    for node in top:
        scheme = "roman" if node.kind == "part" else "arabic"
        _check_children(node, scheme, (), draft)


def _check_children(node: Node, scheme: str, path: tuple[int, ...], draft: Draft) -> None:
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
        _check_children(child, "arabic", child_path, draft)


def _number_text(scheme: str, number: tuple[int, ...]) -> str:
    if scheme == "roman":
        return f"{roman(number[0])}."
    if scheme == "paren":
        return f"({number[0]})"
    return ".".join(str(n) for n in number) + "."
