"""Round trip: the project's data built to Markdown and .docx, imported back, is the same report.

The comparison is on the models: the section tree (keys, kinds, content blocks), every laid-out
text with its computed number, the footnotes in reading order, the indicator values and the
metadata; not on the files, whose wording of keys and layout may differ.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, build_to
from dhcompiler.document import build_document
from dhcompiler.importers import import_file
from dhcompiler.importers.files import write_import
from dhcompiler.model import IndicatorGroup, Measure, Quantity
from dhcompiler.prose import Run
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES

META_FIELDS = (
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
)


def _text(runs: list[Run]) -> str:
    out = []
    for run in runs:
        if run.footnote is not None:
            out.append(f"[{run.footnote}]")
        else:
            mark = ("**" if run.bold else "") + ("*" if run.italic else "")
            out.append(f"{mark}{run.text}{mark[::-1]}" if run.text.strip() else run.text)
    return "".join(out)


def _quantity(q: Quantity | None, unit: str | None) -> tuple[Any, ...]:
    if q is None:
        return (None,)
    return (q.value, q.comparison, (q.unit or unit) if q.value is not None else None, q.text)


def _measure(m: Measure, shared: Quantity | None = None) -> list[tuple[Any, ...]]:
    own = [(_quantity(m.result, m.unit), _quantity(m.target or shared, m.unit))]
    return own + [v for part in m.parts for v in _measure(part)]


def _group(group: IndicatorGroup) -> list[tuple[Any, ...]]:
    return [v for m in group.measures for v in _measure(m, group.target)]


def outline(data_dir: Path) -> dict[str, Any]:
    """The report as comparable values."""
    report = load_report(data_dir)
    doc = build_document(report, DEFAULT_TEMPLATES)
    meta = report.meta
    return {
        "sections": [(s.key, depth, s.kind, s.children, [b.kind for b in s.content]) for s, depth in report.walk()],
        "blocks": [(b.kind, b.label, b.style, _text(b.title_runs), _text(b.runs)) for b in doc.blocks],
        "footnotes": [[_text(p) for p in note.paragraphs] for note in doc.footnotes],
        "results": [_group(g) for g in report.indicators.results],
        "targets": [_group(g) for g in report.indicators.targets],
        "meta": {name: getattr(meta, name) for name in META_FIELDS},
        "congress": meta.congress.model_dump(),
        "theme": (meta.theme.title, _text(doc.theme), meta.motto.title, _text(doc.motto)),
        "signature": meta.signature.model_dump(),
    }


def assert_same_report(got: dict[str, Any], want: dict[str, Any]) -> None:
    for name in want:
        if name == "blocks":
            for i, (a, b) in enumerate(zip(got[name], want[name], strict=False)):
                assert a == b, f"block {i}: {a} != {b}"
        assert got[name] == want[name], name


@pytest.fixture(scope="module")
def original() -> dict[str, Any]:
    return outline(DATA)


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_built_report_imports_back_to_the_same_report(built, original, tmp_path, fmt):
    result = import_file(built[fmt])
    write_import(result, tmp_path / "data")
    assert_same_report(outline(tmp_path / "data"), original)
    assert result.findings == []  # everything the compiler writes is recognised


# The .docx re-saved by LibreOffice, imported back: test_libreoffice.py


SHAPES = """\
  - text: Đoạn in nghiêng cả đoạn.
    style: italic
  - "Đoạn có chữ **đậm**, chữ *nghiêng*, dấu sao \\\\* và [ngoặc vuông] giữ nguyên."
  - bullets:
      - Ý thứ nhất.
      - - Ý thứ hai, đoạn một.
        - Ý thứ hai, đoạn hai.
  - lead: "Dòng dẫn:"
  - Đoạn cuối của mục.
"""


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_every_block_shape_survives_the_round_trip(data_copy, tmp_path, fmt):
    section = data_copy / "sections" / "2-5-nang-cao-hoan-thien-tieu-chi.yaml"
    section.write_text(section.read_text(encoding="utf-8") + SHAPES, encoding="utf-8")
    built = build_to(data_copy, tmp_path / "build")
    result = import_file(built[fmt])
    write_import(result, tmp_path / "imported")
    assert_same_report(outline(tmp_path / "imported"), outline(data_copy))


LONG = " ".join(["Công tác dân vận được đổi mới về nội dung và đa dạng hóa về phương thức hoạt động, phù hợp"] * 2)


@pytest.mark.parametrize(
    "odd",
    ["\u2029", "\u2028", "\x85", "\r", "\x00", "\x1b", "\ufeff", "\ud800", "\t", "\u00a0"],
    ids=["paragraph-sep", "line-sep", "nel", "cr", "nul", "esc", "bom", "lone-surrogate", "tab", "nbsp"],
)
def test_a_long_paragraph_with_any_character_is_written_as_yaml_that_reads_back(odd):
    """Text pasted from anywhere (U+2029 from a web page, control characters from a damaged file)
    must come back from the written YAML exactly; a folded block cannot hold a line separator."""
    import yaml

    from dhcompiler.yamlwrite import dump_yaml

    text = LONG + odd + "hình “Dân vận khéo” ở các khu dân cư" + odd + LONG
    data = {"key": "mo-dau", "content": [text], "footnotes": {"a": [text]}}
    assert yaml.safe_load(dump_yaml(data)) == data
