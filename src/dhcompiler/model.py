"""The report as typed data: pydantic models of every data file, with Vietnamese descriptions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ForwardRef, Literal, get_args, get_origin

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PrivateAttr,
    model_validator,
)
from pydantic_core import CoreSchema, core_schema

from dhcompiler.load import DataPath, Loc, SourceFile
from dhcompiler.numbers import NumberSyntaxError, parse_vi_number

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
IDENT = r"^[a-z][a-z0-9_]*$"

SectionKey = Annotated[str, Field(pattern=SLUG, description="Khóa ổn định (chữ thường không dấu, gạch nối)")]
FootnoteKey = Annotated[str, Field(pattern=SLUG, description="Khóa chú thích (chữ thường không dấu, gạch nối)")]
IndicatorKey = Annotated[str, Field(pattern=IDENT, description="Khóa chỉ tiêu (chữ thường không dấu, gạch dưới)")]


def _vi_number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("phải là một số")
    if isinstance(value, Decimal):
        return value
    number = parse_vi_number(value)
    if not number.is_finite() or "e" in str(value).lower():
        raise NumberSyntaxError(f"“{value}” không phải là một số viết kiểu Việt Nam (17,02 hoặc 21.502).")
    return number


ViNumber = Annotated[
    Decimal,
    BeforeValidator(_vi_number),
    Field(description="Số viết kiểu Việt Nam: 17,02 hoặc 21.502", json_schema_extra={"type": ["string", "number"]}),
]


def _paragraphs(value: Any) -> Any:
    """A text may be one paragraph (a string) or several (a list of strings)."""
    return [value] if isinstance(value, str) else value


Paragraphs = Annotated[list[str], BeforeValidator(_paragraphs), Field(min_length=1)]


def _new_list() -> list[Any]:
    """A fresh empty list: the default of a list field.

    The default factories are plain functions rather than the `list` and `dict` builtins:
    pydantic reads each factory's signature when it builds a model, and a builtin's
    signature is parsed from its text by the tokenizer, a few milliseconds of every start.
    """
    return []


def _new_dict() -> dict[Any, Any]:
    """A fresh empty dict: the default of a mapping field (see `_new_list`)."""
    return {}


class Node(BaseModel):
    """A value loaded from a data file, which remembers where it came from."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)
    _source: SourceFile | None = PrivateAttr(default=None)
    _path: DataPath = PrivateAttr(default=())

    def loc(self, *sub: str | int) -> Loc:
        """The location of this value, or of one of its fields (`sub` is the data path below it)."""
        source, path = self._where()
        assert source is not None, "locations are attached after validation"
        return source.loc((*path, *sub))

    def written(self, *sub: str | int) -> bool:
        """True when the value at `sub` below this one was written as such in the file."""
        source, path = self._where()
        return source is not None and (*path, *sub) in source.locs

    @property
    def source(self) -> SourceFile:
        source, _path = self._where()
        assert source is not None
        return source

    def _where(self) -> tuple[SourceFile | None, DataPath]:
        """The file and data path attached to this node (`_source`, `_path`).

        Read where pydantic keeps private attributes: `self._source` would go through
        BaseModel.__getattr__, a slow path, and the checks ask thousands of times.
        """
        private = self.__pydantic_private__
        if private is None:
            return None, ()
        return private.get("_source"), private.get("_path", ())


def attach_locations(value: Any, source: SourceFile, path: DataPath = ()) -> None:
    """Tell every node of a validated tree the file and data path it was read from."""
    if isinstance(value, Node):
        private = value.__pydantic_private__
        if private is None:
            value._source, value._path = source, path
        else:  # the same two private attributes, without pydantic's __setattr__ (the hot spot of loading)
            private["_source"], private["_path"] = source, path
        for name, alias in _node_fields(type(value)):
            item = value.__dict__[name]
            if isinstance(item, _BRANCHES):
                attach_locations(item, source, (*path, alias))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, _BRANCHES):
                attach_locations(item, source, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, _BRANCHES):
                attach_locations(item, source, (*path, key))


_BRANCHES = (BaseModel, list, dict)  # scalars hold no node: nothing to attach below them
_NODE_FIELDS: dict[type, list[tuple[str, str]]] = {}


def _node_fields(model: type[BaseModel]) -> list[tuple[str, str]]:
    """The fields that may hold a node, each as its attribute name and the key written in YAML.

    A field of text, numbers or lists of paragraphs holds no node: its values need not be visited.
    """
    found = _NODE_FIELDS.get(model)
    if found is None:
        found = _NODE_FIELDS[model] = [
            (name, info.alias or name) for name, info in model.model_fields.items() if _may_hold_node(info.annotation)
        ]
    return found


def _may_hold_node(annotation: Any) -> bool:
    """True when a value of this type may be a model or hold one (in a list, dict, union…)."""
    if get_origin(annotation) is Literal:
        return False
    if annotation is Any or isinstance(annotation, str | ForwardRef):
        return True  # unknown: visit it
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel)
    return any(_may_hold_node(arg) for arg in get_args(annotation))


# --- values: a result or a target (defined before the alternatives that may hold one) --------


class Comparison(StrEnum):
    """So sánh với mục tiêu."""

    AT_LEAST = "at_least"  # "17% trở lên"
    FROM = "from"  # "từ 10% trở lên"
    ABOVE = "above"  # "trên 85%"
    BELOW = "below"  # "dưới 2%"


class Quantity(Node):
    """Giá trị — a number with its unit and comparison, or a qualitative statement (định tính)."""

    value: ViNumber | None = None
    unit: str | None = Field(None, description="Đơn vị, ví dụ “%/năm”, “tấn/năm”, “tỷ đồng”")
    comparison: Comparison | None = Field(
        None, description="at_least: … trở lên; from: từ … trở lên; above: trên …; below: dưới …"
    )
    text: str | None = Field(None, description="Mục tiêu định tính, khi không có con số")

    @model_validator(mode="before")
    @classmethod
    def _from_scalar(cls, value: Any) -> Any:
        return {"value": value} if isinstance(value, str | int | float) else value

    @model_validator(mode="after")
    def _value_or_text(self) -> Quantity:
        if (self.value is None) == (self.text is None):
            raise ValueError("cần đúng một trong hai: value (con số) hoặc text (mục tiêu định tính)")
        return self


# --- alternatives ---------------------------------------------------------------------------


class Alternative(Node):
    """Phương án — one wording the committee may choose (`dhc build --choose KHÓA=PHƯƠNG_ÁN`).

    It holds what it replaces: `text` (the theme, the motto, a paragraph), `title` (a heading)
    or `target` (a target of the new term).
    """

    key: str = Field(pattern=SLUG, description="Khóa của phương án, ví dụ pa1")
    label: str = Field(description="Nhãn in ra khi chưa chọn, ví dụ “Phương án 1”")
    text: str | None = Field(None, description="Nội dung của phương án (chủ đề, phương châm, đoạn văn)")
    title: str | None = Field(None, description="Tiêu đề của phương án (tiêu đề mục)")
    target: Quantity | None = Field(None, description="Mục tiêu của phương án (chỉ tiêu nhiệm kỳ mới)")


Alternatives = Annotated[
    list[Alternative],
    Field(description="Các phương án để Ban Chấp hành chọn; khi chưa chọn, văn bản in tất cả, có nhãn"),
]


# --- sections -------------------------------------------------------------------------------


def _cell_text(value: Any) -> Any:
    """A table cell may be written as a number (1, 2, …): it is kept as its text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


Cell = Annotated[str, BeforeValidator(_cell_text)]


class TableRow(Node):
    """Dòng của bảng — the cells of one row, or a group row (`group`) spanning every column."""

    cells: list[Cell] = Field(default_factory=_new_list, description="Các ô, từ trái sang phải")
    group: str | None = Field(None, description="Dòng nhóm gộp mọi cột, ví dụ “Về kinh tế”")

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value: Any) -> Any:
        return {"cells": value} if isinstance(value, list) else value

    @model_validator(mode="after")
    def _cells_or_group(self) -> TableRow:
        if bool(self.cells) == (self.group is not None):
            raise ValueError("mỗi dòng của bảng là một danh sách ô hoặc một dòng nhóm (group), không cả hai")
        return self


class Table(Node):
    """Bảng — a table: a header row, then rows of cells (prose, with {{ … }} and [^key])."""

    header: list[Cell] = Field(min_length=1, description="Dòng tiêu đề, lặp lại ở đầu mỗi trang")
    rows: list[TableRow] = Field(default_factory=_new_list, description="Các dòng của bảng")
    widths: list[int] | None = Field(None, description="Độ rộng tương đối của các cột, ví dụ [1, 6, 2, 2]")
    align: list[Literal["left", "center", "right"]] | None = Field(
        None, description="Căn lề từng cột: left, center, right (số liệu thường căn phải)"
    )

    @model_validator(mode="after")
    def _same_width(self) -> Table:
        columns = len(self.header)
        for i, row in enumerate(self.rows, start=1):
            if row.group is None and len(row.cells) != columns:
                raise ValueError(f"dòng {i} của bảng có {len(row.cells)} ô, dòng tiêu đề có {columns} ô")
        for name in ("widths", "align"):
            given = getattr(self, name)
            if given is not None and len(given) != columns:
                raise ValueError(f"“{name}” phải có đúng {columns} giá trị, mỗi cột một giá trị")
        if self.widths is not None and any(w <= 0 for w in self.widths):
            raise ValueError("độ rộng các cột phải là số dương")
        return self


# Roles a section (or a content block) may play; other documents quote what holds a role.
Role = Literal["general_objective", "breakthroughs", "key_tasks"]

BLOCK_KINDS = ("text", "items", "bullets", "lessons", "lead", "indicators", "table")


class Block(Node):
    """Khối nội dung — one block of a section's content: a paragraph, a list or a table.

    Written as a plain string for a paragraph, or a mapping with exactly one of
    `items` ((1), (2)…), `bullets` (-), `lessons` (Một là, Hai là…), `lead` (* …),
    `indicators` (the list of indicators, `results` or `targets`) or `table`.
    """

    text: str | None = Field(None, description="Đoạn văn")
    items: list[Paragraphs] | None = Field(None, description="Các ý đánh số (1), (2)…; mỗi ý có thể nhiều đoạn")
    bullets: list[Paragraphs] | None = Field(None, description="Các ý gạch đầu dòng “-”")
    lessons: list[str] | None = Field(None, description="Các bài học “Một là, …”, “Hai là, …”")
    lead: str | None = Field(None, description="Dòng dẫn mở đầu bằng “*”")
    indicators: Literal["results", "targets"] | None = Field(
        None, description="Danh sách chỉ tiêu: results (kết quả nhiệm kỳ qua) hoặc targets (chỉ tiêu nhiệm kỳ mới)"
    )
    table: Table | None = Field(None, description="Bảng: dòng tiêu đề (header) và các dòng (rows)")
    style: Literal["normal", "italic", "bold"] = Field("normal", description="Kiểu chữ của cả đoạn")
    role: Role | None = Field(
        None, description="Vai trò của khối (breakthroughs, key_tasks), khi nội dung ấy không thành một mục riêng"
    )
    key: SectionKey | None = Field(None, description="Khóa của đoạn văn có phương án (để chọn bằng --choose)")
    alternatives: Alternatives = Field(default_factory=_new_list)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _exactly_one(self) -> Block:
        if self.alternatives and self.text is None and self.kind_count() == 0:
            self.text = self.alternatives[0].text or ""
        kinds = [k for k in BLOCK_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "mỗi khối nội dung phải là một đoạn văn hoặc đúng một trong các khóa " + ", ".join(BLOCK_KINDS)
            )
        return self

    def kind_count(self) -> int:
        return sum(1 for k in BLOCK_KINDS if getattr(self, k) is not None)

    @property
    def kind(self) -> str:
        for k in BLOCK_KINDS:
            if getattr(self, k) is not None:
                return k
        raise AssertionError


FigureKey = Annotated[str, Field(pattern=IDENT, description="Khóa số liệu (chữ thường không dấu, gạch dưới)")]


class Figure(Node):
    """Số liệu — a figure the prose states, declared with its parts so `dhc check` can add it up.

    A total with its parts (“trong đó”): `value` (or `indicator`, when the total is an
    indicator's result) and `parts`; `partial: true` when the parts list only some of the
    whole (“…”), so that they need only not exceed it. Yearly values with their stated growth
    rates: `years` and `growth` (% over the year before), and the stated average of those
    rates in `average` (or `indicator`). Prose may cite a figure — `{{ fig.<key> }}` gives
    “117 dự án”, `{{ fig.<key>.<part> }}` “26 dự án” — or type the numbers; `dhc check`
    verifies that every number declared here is printed in the prose of its section.
    """

    value: ViNumber | None = Field(None, description="Tổng số, như viết trong văn bản")
    indicator: IndicatorKey | None = Field(
        None,
        description="Chỉ tiêu có kết quả là tổng số (khi có parts) hoặc tốc độ tăng bình quân (khi có growth)",
    )
    unit: str | None = Field(None, description="Đơn vị, ví dụ “dự án”, “tỷ đồng”, “%”")
    parts: dict[FigureKey, ViNumber] = Field(default_factory=_new_dict, description="Các phần cộng lại thành tổng số")
    partial: bool = Field(False, description="Chỉ liệt kê một số phần (“…”): tổng các phần không vượt tổng số")
    pad: bool = Field(False, description="Số đếm dưới 10 viết thêm số 0 đứng trước: 03, 08")
    years: dict[int, ViNumber] = Field(default_factory=_new_dict, description="Giá trị từng năm")
    growth: dict[int, ViNumber] = Field(
        default_factory=_new_dict, description="Tốc độ tăng (%) của từng năm so với năm trước"
    )
    average: ViNumber | None = Field(None, description="Tốc độ tăng bình quân (%) như viết trong văn bản")

    @model_validator(mode="after")
    def _consistent(self) -> Figure:
        if self.value is not None and self.indicator is not None:
            raise ValueError("tổng số ghi bằng value hoặc indicator, không dùng cả hai")
        if self.average is not None and self.indicator is not None:
            raise ValueError("tốc độ bình quân ghi bằng average hoặc indicator, không dùng cả hai")
        return self


class Section(Node):
    """Mục — a part, a section or a subsection, with its content and its own subsections.

    The title carries no number: the compiler numbers by level. Footnotes cited in
    this section are defined next to it, under `footnotes`, by stable key.
    """

    key: SectionKey = Field(description="Khóa ổn định của mục, dùng để so sánh các bản dự thảo")
    kind: Literal["part", "note", "closing", "section", "opening", "appendix"] = Field(
        "section",
        description=(
            "part (Phần thứ…), note (ghi chú, không đánh số), closing (đoạn kết), section; opening (đoạn mở "
            "đầu trước mục đầu tiên, không tiêu đề, không đánh số); appendix (phụ lục, in sau chữ ký, các mục "
            "con đánh số riêng I., II.)"
        ),
    )
    title: str | None = Field(None, description="Tiêu đề, không ghi số thứ tự")
    content: list[Block] = Field(default_factory=_new_list, description="Nội dung trước các mục con")
    sections: list[Section] = Field(default_factory=_new_list, description="Các mục con, hoặc tên tệp chứa mục con")
    children: Literal["headings", "items"] = Field(
        "headings", description="Cách đánh số mục con: headings (1., 1.1.) hoặc items ((1), (2))"
    )
    footnotes: dict[FootnoteKey, Paragraphs] = Field(
        default_factory=_new_dict, description="Chú thích cuối trang, theo khóa"
    )
    figures: dict[FigureKey, Figure] = Field(
        default_factory=_new_dict,
        description="Số liệu có các phần cộng lại, để kiểm tra số học; văn bản dẫn bằng {{ fig.<khóa> }}",
    )
    role: Role | None = Field(
        None,
        description="Vai trò đặc biệt: general_objective (Mục tiêu tổng quát, được so với Chủ đề Đại hội); "
        "breakthroughs (các đột phá), key_tasks (nhiệm vụ trọng tâm): Nghị quyết Đại hội dẫn lại nguyên văn",
    )
    summary: str | None = Field(
        None, description="Tóm tắt một dòng của mục, in trong đề cương (dhc build --document outline)"
    )
    alternatives: Alternatives = Field(default_factory=_new_list)
    include: str | None = Field(None, description="Tên tệp (trong data/sections/) chứa mục này")

    @model_validator(mode="before")
    @classmethod
    def _from_include(cls, value: Any) -> Any:
        return {"include": value, "key": "include"} if isinstance(value, str) else value


# --- indicators -----------------------------------------------------------------------------


class Measure(Node):
    """Chỉ tiêu — one measured indicator: what is measured, the result and the target.

    The sentence is rendered from these fields: [lead] name verb figure [tail] (Mục tiêu: …).
    """

    key: IndicatorKey = Field(description="Khóa ổn định; văn bản dẫn giá trị bằng {{ ind.<khóa>.result }}")
    name: str = Field("", description="Tên chỉ tiêu như viết trong câu (chữ đầu viết thường)")
    short_name: str | None = Field(None, description="Tên ngắn, dùng khi liệt kê chỉ tiêu chưa đạt")
    unit: str | None = Field(None, description="Đơn vị mặc định của kết quả và mục tiêu")
    result: Quantity | None = Field(None, description="Kết quả đạt được")
    target: Quantity | None = Field(None, description="Mục tiêu")
    verb: str = Field("đạt", description="Từ nối giữa tên và con số (mặc định “đạt”)")
    value_first: bool = Field(False, description="Con số đứng trước tên: “98% tổ chức cơ sở đảng …”")
    lead: str = Field("", description="Chữ đứng trước, ví dụ “Ổn định”, “Giảm”")
    tail: str = Field("", description="Chữ đứng sau con số")
    sep: str = Field("; ", description="Dấu nối với chỉ tiêu đứng trước trong cùng nhóm")
    parts: list[Measure] = Field(default_factory=_new_list, description="Chỉ tiêu thành phần (“trong đó”)")
    parts_layout: Literal["list", "inline"] = Field("list", description="list: gạch đầu dòng; inline: cùng câu")
    continues: IndicatorKey | None = Field(
        None, description="Khóa chỉ tiêu nhiệm kỳ trước mà mục tiêu này nối tiếp (để so sánh)"
    )
    alternatives: Alternatives = Field(default_factory=_new_list)


class IndicatorGroup(Node):
    """Nhóm chỉ tiêu — one numbered item of an indicator list; it may hold several measures."""

    key: IndicatorKey
    lead: str = Field("", description="Câu dẫn trước chỉ tiêu đầu tiên")
    measures: list[Measure] = Field(min_length=1)
    target: Quantity | None = Field(None, description="Mục tiêu chung, ghi một lần ở cuối nhóm")
    footnote: FootnoteKey | None = Field(None, description="Chú thích đặt sau nhóm")
    heading: str = Field("", description="Dòng dẫn “* Về kinh tế:” in trước nhóm (không có dấu *)")


class Indicators(Node):
    """Các chỉ tiêu chủ yếu: kết quả nhiệm kỳ qua (results) và chỉ tiêu nhiệm kỳ mới (targets)."""

    results: list[IndicatorGroup] = Field(default_factory=_new_list)
    targets: list[IndicatorGroup] = Field(default_factory=_new_list)
    footnotes: dict[FootnoteKey, Paragraphs] = Field(default_factory=_new_dict)


# --- document metadata ----------------------------------------------------------------------


class PartialDate(str):
    """A date whose day (or day and month) the draft left blank: “2025-09” or “2025”."""

    PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]))?$"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(cls, core_schema.str_schema(pattern=cls.PATTERN))

    @property
    def year(self) -> int:
        return int(self.split("-")[0])

    @property
    def month(self) -> int | None:
        parts = self.split("-")
        return int(parts[1]) if len(parts) > 1 else None

    @property
    def day(self) -> None:
        return None

    def isoformat(self) -> str:
        """“2025-09”: what is known of the date, as written in the data."""
        return str(self)


DocumentDate = dt.date | PartialDate


class Term(Node):
    """Nhiệm kỳ."""

    start: int = Field(ge=1900, le=2200)
    end: int = Field(ge=1900, le=2200)

    def __str__(self) -> str:
        return f"{self.start} - {self.end}"


class Congress(Node):
    """Đại hội: số thứ tự (La Mã), nhiệm kỳ mới và nhiệm kỳ vừa qua."""

    ordinal: str = Field(pattern=r"^[IVXLC]+$", description="Lần thứ (số La Mã), ví dụ X")
    previous_ordinal: str = Field(pattern=r"^[IVXLC]+$", description="Đại hội nhiệm kỳ trước, ví dụ IX")
    term: Term
    previous_term: Term


class TitledText(Node):
    title: str = Field(description="Tiêu đề, ví dụ CHỦ ĐỀ ĐẠI HỘI; để trống khi bản thảo không ghi")
    text: str = Field(
        "", description="Nội dung; để trống khi văn bản không có, hoặc khi có các phương án (alternatives)"
    )
    printed: bool = Field(
        True,
        description="false: không in thành khối riêng (văn bản không có, hoặc đã nêu trong một câu của phần mở đầu)",
    )
    alternatives: Alternatives = Field(default_factory=_new_list)

    @model_validator(mode="after")
    def _text_or_alternatives(self) -> TitledText:
        if not self.text and self.alternatives:
            self.text = self.alternatives[0].text or ""
        return self


class Signature(Node):
    """Chữ ký: thẩm quyền (T/M …), chức vụ, họ tên."""

    on_behalf: str = Field("", description="Ví dụ “T/M”")
    authority: str
    title: str = ""
    name: str = ""


class DocumentMeta(Node):
    """Thông tin văn bản: thể thức, chủ đề, phương châm, chữ ký, thứ tự các phần."""

    output_name: str = Field("bao-cao-chinh-tri", pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=120)
    party_name: str = "ĐẢNG CỘNG SẢN VIỆT NAM"
    superior_body: str = Field(
        "", description="Cơ quan cấp trên, ví dụ ĐẢNG BỘ TỈNH THÁI NGUYÊN; để trống khi không có (cấp tỉnh)"
    )
    issuing_body: str = Field(
        description="Cơ quan ban hành, ví dụ THÀNH ỦY SÔNG CÔNG; nhiều dòng thì ngăn bằng dấu xuống dòng"
    )
    number: str = Field("", description="Số văn bản; để trống khi chưa cấp số")
    symbol: str = Field(description="Ký hiệu, ví dụ BC/TU")
    place: str
    date: DocumentDate = Field(
        description="Ngày ban hành: 2024-12-26; “2025-09” khi bản thảo để trống ngày, “2025” khi để trống cả tháng"
    )
    draft_label: str = Field("", description="Nhãn dự thảo, ví dụ “Dự thảo biên tập lần 3”")
    document_type: str = "BÁO CÁO CHÍNH TRỊ"
    summary: str = Field("", description="Trích yếu")
    congress: Congress
    theme: TitledText
    motto: TitledText
    signature: Signature
    body: list[str] = Field(min_length=1, description="Các tệp nội dung theo thứ tự đọc")
    choices: dict[str, str] = Field(
        default_factory=_new_dict,
        description="Phương án đã chọn: khóa (theme, khóa mục, đoạn, chỉ tiêu) → khóa phương án",
    )
    documents: list[str] = Field(
        default_factory=lambda: ["report"],
        description="Các văn bản dhc build tạo ra: report, resolution, appendix, outline (hoặc all)",
    )

    rounds: dict[str, str] = Field(
        default_factory=_new_dict,
        description="Các bản dự thảo đã lấy ý kiến: tên vòng (như ghi ở round của góp ý) → phiên bản git "
        "(ví dụ v3) hoặc thư mục dữ liệu của bản đó",
    )


# --- reviewers' comments --------------------------------------------------------------------

COMMENT_TARGET = r"^(document|[a-z0-9]+([-_][a-z0-9]+)*)$"


class CommentStatus(StrEnum):
    """Kết quả xử lý ý kiến: tiếp thu, tiếp thu một phần, giải trình, chưa xử lý."""

    ACCEPTED = "accepted"
    PARTLY = "partly"
    EXPLAINED = "explained"
    OPEN = "open"


class Comment(Node):
    """Ý kiến góp ý — one reviewer's comment on a place of the draft, and the secretariat's answer."""

    model_config = ConfigDict(defer_build=True)  # built when a comments/ folder is first read
    key: SectionKey = Field(description="Khóa ổn định của ý kiến")
    round: str | None = Field(None, description="Bản dự thảo được góp ý, ví dụ “Dự thảo biên tập lần 3”")
    from_: str | None = Field(None, alias="from", description="Cơ quan, đơn vị hoặc người góp ý")
    date: dt.date | None = Field(None, description="Ngày góp ý, dạng NNNN-TT-NN")
    on: str = Field(
        pattern=COMMENT_TARGET,
        description="Góp ý vào đâu: khóa của mục, chú thích hoặc chỉ tiêu; document cho ý kiến chung",
    )
    cited: str | None = Field(
        None, description="Vị trí như người góp ý ghi (khi nhập từ bảng góp ý), ví dụ “mục 2.1, đoạn 3”"
    )
    quote: str | None = Field(None, description="Nguyên văn đoạn được góp ý, trích đúng từng chữ")
    prefix: str | None = Field(None, description="Vài chữ đứng ngay trước đoạn trích, khi đoạn trích lặp lại")
    suffix: str | None = Field(None, description="Vài chữ đứng ngay sau đoạn trích, khi đoạn trích lặp lại")
    text: str = Field(min_length=1, description="Nội dung góp ý")
    proposal: str | None = Field(None, description="Cách viết đề nghị thay thế, nếu có")
    status: CommentStatus = Field(
        CommentStatus.OPEN,
        description="accepted (tiếp thu), partly (tiếp thu một phần), explained (giải trình), open (chưa xử lý)",
    )
    response: str = Field("", description="Tiếp thu, giải trình: đã sửa thế nào, hoặc vì sao không sửa")

    @property
    def source_name(self) -> str:
        return self.from_ or ""


class CommentFile(Node):
    """Tệp góp ý (comments/*.yaml): các ý kiến của một vòng hoặc của một nơi góp ý.

    `round`, `from` and `date` written at the top apply to every comment that does not give its own.
    """

    model_config = ConfigDict(defer_build=True)  # most runs read no comments/ folder
    round: str | None = Field(None, description="Bản dự thảo được góp ý, chung cho cả tệp")
    from_: str | None = Field(None, alias="from", description="Cơ quan, đơn vị góp ý, chung cho cả tệp")
    date: dt.date | None = Field(None, description="Ngày góp ý, chung cho cả tệp")
    comments: list[Comment] = Field(default_factory=_new_list, description="Các ý kiến góp ý")


@dataclass
class FootnoteDef:
    """A footnote as defined: its key, paragraphs and where it was written."""

    key: str
    paragraphs: list[str]
    owner: Node

    def loc(self, paragraph: int = 0) -> Loc:
        return self.owner.loc("footnotes", self.key, paragraph)


@dataclass
class Report:
    """The whole report, resolved: metadata, the section tree, indicators and footnotes.

    A plain container of validated parts, built by `resolve.load_report` (not read from a
    file, so nothing to validate: no schema to build at import).
    """

    meta: DocumentMeta
    body: list[Section]
    indicators: Indicators
    footnotes: dict[str, FootnoteDef]
    sources: list[SourceFile]
    comments: list[Comment] = field(default_factory=list)

    def measures(self) -> dict[str, Measure]:
        found: dict[str, Measure] = {}
        for group in (*self.indicators.results, *self.indicators.targets):
            for measure in group.measures:
                _collect_measures(measure, found)
        return found

    def walk(self) -> list[tuple[Section, int]]:
        """Every section in reading order, with its depth (top-level blocks at 0)."""
        out: list[tuple[Section, int]] = []

        def visit(section: Section, depth: int) -> None:
            out.append((section, depth))
            for child in section.sections:
                visit(child, depth + 1)

        for top in self.body:
            visit(top, 0)
        return out


def _collect_measures(measure: Measure, found: dict[str, Measure]) -> None:
    found[measure.key] = measure
    for part in measure.parts:
        _collect_measures(part, found)
