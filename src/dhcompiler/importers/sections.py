"""The section tree → data: content blocks, indicator lists, footnotes by key, and files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dhcompiler.importers.draft import MARK, Draft, plain
from dhcompiler.importers.indicators import Parsed, decap, parse_group
from dhcompiler.importers.structure import Node, Token, walk
from dhcompiler.numbers import NumberSyntaxError, format_vi_number, parse_vi_number
from dhcompiler.slug import slugify, unique
from dhcompiler.yamlwrite import dump_yaml

HEADER = "# Imported by `dhc import` from {source}; review what its report lists.\n"
IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
META_ORDER = (
    "output_name",
    "party_name",
    "superior_body",
    "issuing_body",
    "number",
    "symbol",
    "place",
    "date",
    "draft_label",
    "document_type",
    "summary",
    "congress",
    "theme",
    "motto",
    "signature",
)
GENERAL_OBJECTIVE = re.compile(r"^mục tiêu tổng quát", re.IGNORECASE)
# The columns of a results table: “STT | Chỉ tiêu | Nghị quyết | Kết quả | Đánh giá”.
NAME_COLUMN = ("chỉ tiêu",)
TARGET_COLUMN = ("nghị quyết", "mục tiêu", "kế hoạch", "chỉ tiêu nghị quyết")
RESULT_COLUMN = ("kết quả", "thực hiện", "ước thực hiện")
UNIT_SUFFIX = re.compile(r"^(?P<name>.+?)\s*\((?P<unit>[^()]+)\)$")


@dataclass
class IndicatorList:
    """An indicator list found in the draft: its kind and its parsed groups with their lines."""

    kind: str
    groups: list[tuple[Parsed, int]] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    items: bool = False  # typed “(1)”, “(2)”: the section numbers its children as items


@dataclass
class Stats:
    parts: int = 0
    sections: int = 0
    blocks: int = 0
    footnotes: int = 0
    groups: int = 0
    measures: int = 0
    verbatim: int = 0


# --- indicator lists ----------------------------------------------------------------------


def find_indicator_lists(top: list[Node], draft: Draft) -> dict[int, IndicatorList]:
    """Turn the numbered items under a section on indicators (“… CHỈ TIÊU …”, “Chỉ tiêu chủ
    yếu”) into parsed groups; the key is the id() of the section that holds the list."""
    found: dict[int, IndicatorList] = {}
    used: set[str] = set()
    parts = [n for n in top if n.kind == "part"]
    for node in walk(top):
        entries = _entries(node)
        if entries is None:
            _unread_list(node, draft)
            continue
        kind = _list_kind(node, entries, parts)
        if kind in used:
            draft.review(node.line, "DH616", "Danh sách chỉ tiêu thứ hai cùng loại; giữ là các mục thường.")
            continue
        parsed = _parse_list(entries, kind, draft)
        if parsed is not None:
            parsed.items = bool(node.tokens) and all(t.scheme == "paren" for t in node.tokens if t.kind == "item")
            found[id(node)] = parsed
            used.add(kind)
            if node.children:
                node.children = []
            else:
                node.tokens = []
    return found


Entry = tuple[str, list[str], int, str]


def _unread_list(node: Node, draft: Draft) -> None:
    """Typed “(1)”, “(2)” items under a section on indicators that do not form one list of
    indicators (prose between them, numbers out of sequence) are kept as items, and said so."""
    if node.title is None or "chỉ tiêu" not in plain(node.title).casefold():
        return
    typed = [t for t in node.tokens if t.kind == "item" and t.scheme == "paren"]
    if len(typed) >= 2:
        draft.review(
            typed[0].para.line,
            "DH616",
            "Các mục “(1)”, “(2)”… dưới mục chỉ tiêu không đọc được thành danh sách chỉ tiêu (có đoạn văn xen giữa "
            "hoặc số thứ tự không liên tục); giữ là các mục thường, cần nhập chỉ tiêu vào indicators.yaml.",
        )


def _entries(node: Node) -> list[Entry] | None:
    """The list's sentences with their “trong đó” bullets: typed “1.”, “2.” subsections, or
    the items of a list Word numbers by itself."""
    if node.title is None or "chỉ tiêu" not in plain(node.title).casefold():
        return None
    children = node.children
    if len(children) >= 2 and all(
        not child.children
        and child.token is not None
        and child.token.scheme == "arabic"
        and all(t.kind == "bullet" for t in child.tokens)
        for child in children
    ):
        return [(c.title or "", [t.text for t in c.tokens], c.line, "") for c in children]
    tokens = node.tokens
    items = [t for t in tokens if t.kind == "item"]
    if children or len(items) < 2 or not tokens or tokens[0].kind not in ("item", "lead"):
        return None
    typed = [t.number for t in items if t.scheme]
    if typed and typed != [(n,) for n in range(1, len(items) + 1)]:
        return None  # typed “(n)” numbers that do not run 1, 2, … are not one list
    if any(t.kind not in ("item", "bullet", "lead") for t in tokens) or tokens[-1].kind == "lead":
        return None
    entries: list[Entry] = []
    heading = ""
    for token in tokens:
        if token.kind == "lead":
            heading = token.text
        elif token.kind == "item":
            entries.append((token.text, [], token.para.line, heading))
            heading = ""
        elif entries:
            entries[-1][1].append(token.text)
        else:
            return None
    return entries


def _list_kind(node: Node, entries: list[Entry], parts: list[Node]) -> str:
    if any("(Mục tiêu" in text for text, _bullets, _line, _heading in entries):
        return "results"
    if len(parts) >= 2 and node in walk(parts[:1]):
        return "results"
    return "targets"


def _parse_list(entries: list[Entry], kind: str, draft: Draft) -> IndicatorList | None:
    result = IndicatorList(kind, headings=[entry[3] for entry in entries])
    for text, bullets, line, _heading in entries:
        parsed = parse_group(text, bullets, kind)
        if parsed is None:
            draft.review(
                line,
                "DH616",
                (
                    "Không đọc được câu chỉ tiêu kèm các ý “trong đó”; cả danh sách được giữ "
                    "là các mục thường, cần nhập chỉ tiêu vào indicators.yaml."
                ),
            )
            return None
        result.groups.append((parsed, line))
    for parsed, line in result.groups:
        for problem in parsed.problems:
            draft.review(line, "DH616", f"Chỉ tiêu: {problem}.")
    return result


# --- content blocks -----------------------------------------------------------------------


def content_blocks(tokens: list[Token]) -> list[Any]:
    """Paragraphs, (n) items, bullets, lessons and lead lines, in order."""
    blocks: list[Any] = []
    i = 0
    while i < len(tokens):
        kind = tokens[i].kind
        if kind == "item":
            block, i = _items(tokens, i)
        elif kind == "bullet":
            block, i = _bullets(tokens, i)
        elif kind == "lesson":
            j = i
            while j < len(tokens) and tokens[j].kind == "lesson":
                j += 1
            block, i = {"lessons": [_emphasised(t) for t in tokens[i:j]]}, j
        elif kind == "lead":
            block, i = {"lead": tokens[i].text}, i + 1
        elif kind == "table_row":
            j = i
            while j < len(tokens) and tokens[j].kind == "table_row":
                j += 1
            block, i = {"table": table_data([t.para.cells or [] for t in tokens[i:j]])}, j
        else:
            block, i = _paragraph(tokens[i]), i + 1
        blocks.append(block)
    return blocks


def table_data(rows: list[list[str]]) -> dict[str, Any]:
    """A table block: the first row is the header; a row with fewer cells is a group row (its
    cells spanned the table), one with more keeps its extra cells in its last one."""
    header, body = rows[0], rows[1:]
    width = len(header)
    out: list[Any] = []
    for cells in body:
        if len(cells) < width:
            out.append({"group": " ".join(c for c in cells if c)})
        else:
            out.append([*cells[: width - 1], " ".join(c for c in cells[width - 1 :] if c)])
    widths = [2] * width
    for cells in rows:
        if len(cells) >= width:
            for i, cell in enumerate(cells[:width]):
                widths[i] = max(widths[i], min(8, round(len(plain(cell)) / 6) or 1))
    table: dict[str, Any] = {"header": header, "rows": out}
    if len(set(widths)) > 1:
        table["widths"] = widths
    return table


def _items(tokens: list[Token], i: int) -> tuple[dict[str, Any], int]:
    """An item list; paragraphs between item n and item n+1 belong to item n."""
    items = [[_emphasised(tokens[i])]]
    j = i + 1
    while j < len(tokens):
        token = tokens[j]
        if token.kind == "item" and token.number != (1,):
            items.append([_emphasised(token)])
            j += 1
            continue
        k = j
        while k < len(tokens) and tokens[k].kind in ("para", "cont"):
            k += 1
        continues = k < len(tokens) and tokens[k].kind == "item" and tokens[k].number != (1,)
        if k == j or not (continues or all(t.kind == "cont" for t in tokens[j:k])):
            break
        items[-1].extend(t.text for t in tokens[j:k])
        j = k
    return {"items": [p[0] if len(p) == 1 else p for p in items]}, j


def _bullets(tokens: list[Token], i: int) -> tuple[dict[str, Any], int]:
    bullets: list[list[str]] = []
    j = i
    while j < len(tokens) and tokens[j].kind in ("bullet", "cont"):
        if tokens[j].kind == "bullet" or not bullets:
            bullets.append([_emphasised(tokens[j])])
        else:
            bullets[-1].append(tokens[j].text)
        j += 1
    return {"bullets": [p[0] if len(p) == 1 else p for p in bullets]}, j


def _paragraph(token: Token) -> Any:
    if token.para.italic:
        return {"text": token.text, "style": "italic"}
    if token.para.bold:
        return {"text": token.text, "style": "bold"}
    return token.text


def _emphasised(token: Token) -> str:
    if token.para.bold and token.para.italic:
        return f"***{token.text}***"
    if token.para.bold:
        return f"**{token.text}**"
    if token.para.italic:
        return f"*{token.text}*"
    return token.text


# --- footnotes ----------------------------------------------------------------------------


class Footnotes:
    """Gives footnotes keys from their first words and puts each where it is cited."""

    def __init__(self, draft: Draft):
        self.draft = draft
        self.keys: dict[str, str] = {}
        self.cited: set[str] = set()
        taken: set[str] = set()
        for note_id, note in draft.notes.items():
            self.keys[note_id] = unique(slugify(plain(note.paragraphs[0]), max_words=5), taken)

    def resolve(self, text: str, owner: dict[str, Any], line: int) -> str:
        """Replace the marks in `text` by `[^key]`, defining each footnote in `owner`."""

        def replace(match: re.Match[str]) -> str:
            note_id = match.group(1)
            if note_id not in self.draft.notes:
                self.draft.review(line, "DH614", "Dấu chú thích không có nội dung chú thích; đã bỏ dấu.")
                return ""
            if note_id in self.cited:
                self.draft.review(line, "DH614", "Chú thích được dẫn lần thứ hai; đã bỏ dấu thứ hai.")
                return ""
            self.cited.add(note_id)
            key = self.keys[note_id]
            owner.setdefault("footnotes", {})[key] = self.paragraphs(note_id)
            return f"[^{key}]"

        return MARK.sub(replace, text)

    def paragraphs(self, note_id: str) -> Any:
        """A footnote's text: one string, or a list when it has several paragraphs."""
        note = self.draft.notes[note_id]
        texts = [MARK.sub("", p) for p in note.paragraphs]
        return texts[0] if len(texts) == 1 else texts

    def uncited(self, owner: dict[str, Any]) -> None:
        """Footnotes no mark points to are kept (in `owner`) and listed for review."""
        for note_id, note in self.draft.notes.items():
            if note_id not in self.cited:
                self.cited.add(note_id)
                owner.setdefault("footnotes", {})[self.keys[note_id]] = self.paragraphs(note_id)
                self.draft.review(
                    note.line,
                    "DH614",
                    (
                        f"Chú thích “{plain(note.paragraphs[0])[:50]}…” không có dấu dẫn trong văn bản; "
                        "đã giữ lại ở mục cuối, cần đặt “[^khóa]” vào đúng chỗ."
                    ),
                )


# --- sections and files -------------------------------------------------------------------


class Assembler:
    """Builds every data file from the tree, the lists, the footnotes and document.yaml."""

    def __init__(self, draft: Draft, meta: dict[str, Any], top: list[Node], lists: dict[int, IndicatorList]):
        self.draft = draft
        self.meta = meta
        self.top = top
        self.lists = lists
        self.notes = Footnotes(draft)
        self.section_keys: set[str] = set()
        self.indicator_keys: set[str] = set()
        self.group_keys: set[str] = set()
        self.indicators: dict[str, Any] = {"results": [], "targets": []}
        self.stats = Stats()

    def files(self) -> dict[str, str]:
        """Relative path → YAML text, for the whole data directory."""
        header = HEADER.format(source=self.draft.display.rsplit("/", 1)[-1])
        theme_owner: dict[str, Any] = {}
        for key in ("theme", "motto"):
            self.meta[key]["text"] = self.notes.resolve(self.meta[key]["text"], theme_owner, 1)
        sections = [self.section(node) for node in self.top]
        if theme_owner and sections:
            sections[0].setdefault("footnotes", {}).update(theme_owner["footnotes"])
        if sections:
            self.notes.uncited(sections[-1])
        self.stats.footnotes = len(self.notes.cited)
        out: dict[str, str] = {}
        body: list[str] = []
        for number, (node, data) in enumerate(zip(self.top, sections, strict=True)):
            body.extend(self.place(node, data, number, out, header))
        document = {key: self.meta[key] for key in META_ORDER if key in self.meta}
        document["body"] = body
        out["document.yaml"] = dump_yaml(document, header)
        indicators = {k: v for k, v in self.indicators.items() if v}
        out["indicators.yaml"] = dump_yaml(indicators or {"results": []}, header)
        return out

    def place(self, node: Node, data: dict[str, Any], number: int, out: dict[str, str], header: str) -> list[str]:
        """Write a top-level section to its own file (a part's sections to theirs too)."""
        parts = [n for n in self.top if n.kind == "part"]
        if node.kind == "part":
            index = parts.index(node) + 1
            files = []
            for i, child in enumerate(data.get("sections", []), start=1):
                name = f"{index}-{i}-{child['key']}.yaml"
                out[f"sections/{name}"] = dump_yaml(child, header)
                files.append(name)
            if files:
                data["sections"] = files
            name = f"{index}-0-{slugify(node.label or data['key'])}.yaml"
        elif node.kind in ("note", "opening"):
            name = f"00-{data['key']}.yaml"
        elif node.kind == "appendix":
            index = [n for n in self.top if n.kind == "appendix"].index(node) + 1
            name = f"A-{index}-{data['key']}.yaml"
        elif node.kind == "closing":
            name = f"9-{data['key']}.yaml"
        else:
            name = f"0-{number}-{data['key']}.yaml"
        out[f"sections/{name}"] = dump_yaml(data, header)
        return [f"sections/{name}"]

    def section(self, node: Node) -> dict[str, Any]:
        self.stats.sections += 1
        self.stats.parts += node.kind == "part"
        data: dict[str, Any] = {"key": self.key(node)}
        if node.kind in ("part", "note", "closing", "opening", "appendix"):
            data["kind"] = node.kind
        if node.title:
            data["title"] = self.notes.resolve(node.title, data, node.line)
            if GENERAL_OBJECTIVE.match(plain(node.title)) and self.meta["theme"]["text"]:
                data["role"] = "general_objective"
        if node.items_children:
            data["children"] = "items"
        content = self.content(node, data)
        if content:
            data["content"] = content
        footnotes = data.pop("footnotes", None)
        children = [self.section(child) for child in node.children]
        if children:
            data["sections"] = children
        if footnotes:
            data["footnotes"] = footnotes
        return data

    def key(self, node: Node) -> str:
        if node.kind == "closing":
            return unique("ket-luan", self.section_keys)
        if node.kind == "opening":
            return unique("mo-dau", self.section_keys)
        source = plain(node.title) if node.title else node.label or "mo dau"
        return unique(slugify(source), self.section_keys)

    def content(self, node: Node, data: dict[str, Any]) -> list[Any]:
        blocks = content_blocks(node.tokens)
        self.stats.blocks += len(blocks)
        resolved = [self.resolve_block(block, data, node) for block in blocks]
        listed = self.lists.get(id(node))
        if listed is not None:
            resolved.append({"indicators": listed.kind})
            self.add_groups(listed)
            if listed.items and not node.children:
                data["children"] = "items"
        return resolved

    def resolve_block(self, block: Any, data: dict[str, Any], node: Node) -> Any:
        line = node.line
        if isinstance(block, str):
            return self.notes.resolve(block, data, line)
        if "table" in block:
            table = block["table"]
            table["header"] = [self.notes.resolve(c, data, line) for c in table["header"]]
            table["rows"] = [
                {"group": self.notes.resolve(r["group"], data, line)}
                if isinstance(r, dict)
                else [self.notes.resolve(c, data, line) for c in r]
                for r in table["rows"]
            ]
            if not self.has_results_list:
                self.results_table(table)
            return block
        out: dict[str, Any] = {}
        for name, value in block.items():
            if isinstance(value, str) and name != "style" and name != "indicators":
                out[name] = self.notes.resolve(value, data, line)
            elif isinstance(value, list):
                out[name] = [self._resolve_item(v, data, line) for v in value]
            else:
                out[name] = value
        return out

    def _resolve_item(self, value: Any, data: dict[str, Any], line: int) -> Any:
        if isinstance(value, list):
            return [self.notes.resolve(v, data, line) for v in value]
        return self.notes.resolve(value, data, line)

    # indicators ---------------------------------------------------------------------------

    @property
    def has_results_list(self) -> bool:
        return any(listed.kind == "results" for listed in self.lists.values())

    def results_table(self, table: dict[str, Any]) -> None:
        """A results table (“Chỉ tiêu | Nghị quyết | Kết quả | …”): each row is an indicator of
        the ending term, and its number cells cite the indicator (`{{ ind.<key>.result.number }}`),
        so the table prints the same words and `dhc check` can compare result and target."""
        header = [plain(c).casefold() for c in table["header"]]
        name = next((i for i, c in enumerate(header) if c in NAME_COLUMN), None)
        target = next((i for i, c in enumerate(header) if c in TARGET_COLUMN and i != name), None)
        result = next((i for i, c in enumerate(header) if c in RESULT_COLUMN), None)
        if name is None or result is None:
            return
        for row in table["rows"]:
            if isinstance(row, list):
                self.results_row(row, name, target, result)

    def results_row(self, row: list[str], name: int, target: int | None, result: int) -> None:
        values = {"result": _number(row[result])}
        if target is not None:
            values["target"] = _number(row[target])
        if values["result"] is None or "[^" in row[name]:
            return
        match = UNIT_SUFFIX.match(plain(row[name]))
        label, unit = (match.group("name"), match.group("unit")) if match else (plain(row[name]), None)
        base = slugify(label, max_words=5, sep="_")
        key = unique(base if IDENT.match(base) else f"chi_tieu_{base}", self.indicator_keys, "_")
        measure: dict[str, Any] = {"key": key, "name": decap(label)}
        if unit:
            measure["unit"] = unit
        for field_name, value in values.items():
            if value is not None:
                measure[field_name] = value
                cell = result if field_name == "result" else target
                assert cell is not None
                row[cell] = f"{{{{ ind.{key}.{field_name}.number }}}}"
        self.indicators["results"].append({"key": unique(key, self.group_keys, "_"), "measures": [measure]})
        self.stats.groups += 1
        self.stats.measures += 1

    def add_groups(self, listed: IndicatorList) -> None:
        previous = {
            m["name"].casefold(): m["key"] for g in self.indicators["results"] for m in g["measures"] if m.get("name")
        }
        for (parsed, line), heading in zip(listed.groups, listed.headings, strict=True):
            group = self.group(parsed, listed.kind, line, previous)
            if heading:
                group = {"key": group["key"], "heading": self.notes.resolve(heading, self.indicators, line), **group}
            self.indicators[listed.kind].append(group)

    def group(self, parsed: Parsed, kind: str, line: int, previous: dict[str, str]) -> dict[str, Any]:
        self.stats.groups += 1
        self.stats.verbatim += parsed.verbatim
        suffix = "_moi" if kind == "targets" else ""
        measures = [self.measure(m, suffix, previous, kind) for m in parsed.data["measures"]]
        group: dict[str, Any] = {"key": unique(measures[0]["key"], self.group_keys, "_")}
        if "lead" in parsed.data:
            group["lead"] = parsed.data["lead"]
        if "target" in parsed.data:
            group["target"] = _scalar(parsed.data["target"])
        if parsed.footnote is not None:
            owner: dict[str, Any] = {}
            resolved = self.notes.resolve(f"\ue000{parsed.footnote}\ue001", owner, line)
            if owner:
                group["footnote"] = resolved[2:-1]
                self.indicators.setdefault("footnotes", {}).update(owner["footnotes"])
        group["measures"] = measures
        for measure in measures:
            for field_name in ("name", "lead", "tail"):
                if field_name in measure:
                    measure[field_name] = self.notes.resolve(measure[field_name], self.indicators, line)
        return group

    def measure(self, data: dict[str, Any], suffix: str, previous: dict[str, str], kind: str) -> dict[str, Any]:
        self.stats.measures += 1
        words = data.get("name") or data.get("target", {}).get("text") or data.get("lead") or "chi tieu"
        base = slugify(plain(words), max_words=5, sep="_")
        base = base if IDENT.match(base) else f"chi_tieu_{base}"
        out: dict[str, Any] = {"key": unique(base + suffix, self.indicator_keys, "_")}
        out.update({k: _scalar(v) if k in ("result", "target") else v for k, v in data.items() if k != "parts"})
        if kind == "targets" and data.get("name", "").casefold() in previous:
            out["continues"] = previous[data["name"].casefold()]
        if data.get("parts"):
            out["parts"] = [self.measure(p, suffix, {}, kind) for p in data["parts"]]
        return out


def _number(cell: str) -> str | None:
    """A cell that is only a number, written as the compiler writes it back ("7,5", "10.000")."""
    text = cell.strip()
    try:
        value = parse_vi_number(text)
    except (NumberSyntaxError, ValueError):
        return None
    return text if format_vi_number(value) == text else None


def _scalar(quantity: Any) -> Any:
    """A quantity that is only a number is written as the number: `result: 17,02`."""
    if isinstance(quantity, dict) and set(quantity) == {"value"}:
        return quantity["value"]
    return quantity
