"""JSON Schemas of the data files, from the pydantic models, described in Vietnamese."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from dhcompiler.checks.config import CheckConfig, Dictionary
from dhcompiler.model import CommentFile, DocumentMeta, Indicators, Node, Section

SCHEMAS: dict[str, tuple[type[Node], str]] = {
    "document": (DocumentMeta, "Thông tin văn bản (document.yaml)"),
    "indicators": (Indicators, "Các chỉ tiêu chủ yếu (indicators.yaml)"),
    "section": (Section, "Một phần, mục hoặc tiểu mục của báo cáo (sections/*.yaml)"),
    "dhc": (CheckConfig, "Cấu hình kiểm tra dhc check (dhc.yaml)"),
    "dictionary": (Dictionary, "Từ điển lỗi chính tả (dictionary.yaml)"),
    "comments": (CommentFile, "Ý kiến góp ý và việc tiếp thu, giải trình (comments/*.yaml)"),
}

# The scalar shorthands that "before" validators accept, which the JSON Schema must allow too.
_SHORTHANDS: dict[str, list[JsonSchemaValue]] = {
    "_paragraphs": [{"type": "string", "description": "Một đoạn văn"}],
    "_from_string": [{"type": "string", "description": "Một đoạn văn"}],
    "_from_include": [{"type": "string", "description": "Tên tệp chứa mục này, ví dụ 1-2-ket-qua.yaml"}],
    "_from_scalar": [{"type": ["string", "number"], "description": "Con số, ví dụ 17,02"}],
}

# Vietnamese descriptions of the models whose docstrings are written for programmers.
_DESCRIPTIONS = {
    "Block": "Khối nội dung: một đoạn văn (chuỗi), hoặc đúng một trong items (các ý (1), (2)…), "
    "bullets (gạch đầu dòng), lessons (Một là, Hai là…), lead (dòng dẫn “*”), "
    "indicators (danh sách chỉ tiêu).",
    "Section": "Mục: một phần, mục hoặc tiểu mục với nội dung và các mục con. Tiêu đề không ghi số "
    "thứ tự; dhc tự đánh số. Chú thích dẫn trong mục được khai báo ở footnotes, theo khóa.",
    "Figure": "Số liệu: một tổng số với các phần (trong đó), hoặc giá trị từng năm với tốc độ tăng, "
    "để dhc check cộng lại và đối chiếu với văn bản.",
    "Quantity": "Giá trị: một con số với đơn vị và cách so sánh, hoặc một mục tiêu định tính (text).",
    "Measure": "Chỉ tiêu: tên, kết quả đạt được và mục tiêu; câu được dựng từ các trường này.",
    "IndicatorGroup": "Nhóm chỉ tiêu: một ý đánh số của danh sách chỉ tiêu, gồm một hay nhiều chỉ tiêu.",
    "Indicators": "Các chỉ tiêu chủ yếu: kết quả nhiệm kỳ qua (results) và chỉ tiêu nhiệm kỳ mới (targets).",
    "DocumentMeta": "Thông tin văn bản: thể thức, chủ đề, phương châm, chữ ký và thứ tự các phần.",
    "Congress": "Đại hội: số thứ tự (La Mã), nhiệm kỳ mới và nhiệm kỳ vừa qua.",
    "Term": "Nhiệm kỳ: năm bắt đầu và năm kết thúc.",
    "TitledText": "Tiêu đề và nội dung: một tiêu đề và phần nội dung của nó.",
    "Signature": "Chữ ký: thẩm quyền (T/M …), chức vụ, họ tên.",
    "CommentFile": "Tệp góp ý: các ý kiến của một vòng lấy ý kiến hoặc của một nơi góp ý; round, from, date "
    "ghi ở đầu tệp áp dụng cho mọi ý kiến không ghi riêng.",
    "Comment": "Ý kiến góp ý: góp ý vào đâu (on, quote), nội dung, đề nghị sửa, và việc tiếp thu, giải trình "
    "(status, response).",
    "CommentStatus": "Kết quả xử lý: accepted (tiếp thu), partly (tiếp thu một phần), explained (giải trình), "
    "open (chưa xử lý).",
    "Comparison": "So sánh với mục tiêu: at_least (… trở lên), from (từ … trở lên), above (trên …), below (dưới …).",
}

# Fields the models leave undescribed: (model, field) → description.
_FIELDS = {
    ("IndicatorGroup", "key"): "Khóa ổn định của nhóm chỉ tiêu",
    ("IndicatorGroup", "measures"): "Các chỉ tiêu trong nhóm",
    ("Indicators", "results"): "Kết quả thực hiện các chỉ tiêu nhiệm kỳ qua",
    ("Indicators", "targets"): "Các chỉ tiêu chủ yếu nhiệm kỳ mới",
    ("Indicators", "footnotes"): "Chú thích cuối trang của danh sách chỉ tiêu, theo khóa",
    ("Term", "start"): "Năm bắt đầu",
    ("Term", "end"): "Năm kết thúc",
    ("TitledText", "title"): "Tiêu đề",
    ("TitledText", "text"): "Nội dung",
    ("Signature", "authority"): "Thẩm quyền ký, ví dụ BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ",
    ("Signature", "title"): "Chức vụ người ký",
    ("Signature", "name"): "Họ tên người ký",
    ("DocumentMeta", "output_name"): "Tên tệp kết quả (không có phần mở rộng)",
    ("DocumentMeta", "party_name"): "Tên Đảng ở đầu văn bản",
    ("DocumentMeta", "place"): "Địa danh ghi trước ngày tháng",
    ("DocumentMeta", "date"): "Ngày ban hành, dạng NNNN-TT-NN",
    ("DocumentMeta", "document_type"): "Tên loại văn bản",
    ("DocumentMeta", "congress"): "Đại hội",
    ("DocumentMeta", "theme"): "Chủ đề Đại hội",
    ("DocumentMeta", "motto"): "Phương châm Đại hội",
    ("DocumentMeta", "signature"): "Chữ ký",
    ("Quantity", "value"): "Con số",
    ("Congress", "term"): "Nhiệm kỳ mới",
    ("Congress", "previous_term"): "Nhiệm kỳ vừa qua",
}


class _Generator(GenerateJsonSchema):
    """Allows the shorthands (a string for a paragraph, a file name for a section…)."""

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        inner = super().function_before_schema(schema)
        name = getattr(schema["function"]["function"], "__name__", "")
        shorthands = _SHORTHANDS.get(name)
        return {"anyOf": [*shorthands, inner]} if shorthands else inner


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one kind of data file."""
    model, title = SCHEMAS[name]
    schema = model.model_json_schema(schema_generator=_Generator)
    _describe(schema, model.__name__)
    for def_name, definition in schema.get("$defs", {}).items():
        _describe(definition, def_name)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": title}


def _describe(schema: dict[str, Any], name: str) -> None:
    _move_object_keywords(schema)
    if name in _DESCRIPTIONS:
        schema["description"] = _DESCRIPTIONS[name]
        schema["title"] = _DESCRIPTIONS[name].split(":")[0]
    objects = [schema, *(b for b in schema.get("anyOf", []) if "properties" in b)]
    for field, prop in (item for o in objects for item in o.get("properties", {}).items()):
        prop.pop("title", None)  # only the field name capitalised, in English; the key says it
        if (name, field) in _FIELDS and "description" not in prop:
            prop["description"] = _FIELDS[(name, field)]


def _move_object_keywords(schema: dict[str, Any]) -> None:
    """With a shorthand, `additionalProperties` must sit next to `properties`, in the object branch."""
    if "additionalProperties" not in schema or "anyOf" not in schema:
        return
    for branch in schema["anyOf"]:
        if "properties" in branch:
            branch["additionalProperties"] = schema.pop("additionalProperties")
            return


def schema_texts() -> dict[str, str]:
    """File name → text of every schema, as `dhc schema` writes them."""
    return {
        f"{name}.schema.json": json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n" for name in SCHEMAS
    }


def write_schemas(out: Path) -> list[Path]:
    """Write every schema into `out`; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, text in schema_texts().items():
        target = out / file_name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
