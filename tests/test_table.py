"""Table blocks: loaded with locations, laid out with prose in cells, written as a real Word
table (header row repeated, group rows spanning every column) and as a Markdown pipe table;
landscape pages and struck-through runs, which the comparison table and appendix use."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import build_to
from dhcompiler.document import build_document
from dhcompiler.findings import DhcError
from dhcompiler.prose import Run
from dhcompiler.render_docx import render_docx
from dhcompiler.render_md import md_runs
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES
from seedtext import W

SECTION = "sections/1-1-ket-qua-thuc-hien-chi-tieu.yaml"
TABLE = """
  - table:
      header: [STT, Chỉ tiêu, Kết quả, Đánh giá]
      widths: [1, 6, 2, 2]
      align: [center, left, right, center]
      rows:
        - group: Về kinh tế
        - [1, "Giá trị xuất khẩu tăng bình quân", "{{ ind.xuat_khau.result }}", Không đạt]
        - cells: [2, "Thu ngân sách | tăng[^ghi-chu-bang]", "40,75%/năm", Vượt]
"""
NOTE = """footnotes:
  ghi-chu-bang: Số liệu năm 2024 là ước thực hiện.
"""


def _with_table(data: Path, table: str = TABLE) -> Path:
    path = data / SECTION
    text = path.read_text(encoding="utf-8")
    assert "  - indicators: results\n" in text
    text = text.replace("  - indicators: results\n", "  - indicators: results\n" + table.lstrip("\n"), 1)
    path.write_text(text + NOTE, encoding="utf-8")
    return data


def _rows(docx: Path) -> list[ET.Element]:
    with zipfile.ZipFile(docx) as z:
        body = ET.fromstring(z.read("word/document.xml")).find(f"{W}body")
    tables = body.findall(f"{W}tbl")  # the header block is the first table
    assert len(tables) == 2
    return tables[1].findall(f"{W}tr")


def _cell_texts(row: ET.Element) -> list[str]:
    return ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in row.findall(f"{W}tc")]


def test_table_is_a_word_table_with_repeated_header_and_group_row(data_copy: Path, tmp_path: Path) -> None:
    out = build_to(_with_table(data_copy), tmp_path / "out")
    header, group, first, second = _rows(out["docx"])
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    assert first.find(f"{W}trPr/{W}tblHeader") is None
    assert _cell_texts(header) == ["STT", "Chỉ tiêu", "Kết quả", "Đánh giá"]
    assert _cell_texts(group) == ["Về kinh tế"]
    assert group.find(f"{W}tc/{W}tcPr/{W}gridSpan").get(f"{W}val") == "4"
    assert _cell_texts(first) == ["1", "Giá trị xuất khẩu tăng bình quân", "8,6%/năm", "Không đạt"]
    # the footnote cited in a cell is a real footnote, numbered in reading order
    assert second.find(f".//{W}footnoteReference") is not None
    assert _cell_texts(second)[1] == "Thu ngân sách | tăng()"
    jc = first.findall(f"{W}tc")[2].find(f"{W}p/{W}pPr/{W}jc")
    assert jc is not None and jc.get(f"{W}val") == "right"


def test_table_columns_share_the_text_width_by_their_relative_widths(data_copy: Path, tmp_path: Path) -> None:
    out = build_to(_with_table(data_copy), tmp_path / "out")
    with zipfile.ZipFile(out["docx"]) as z:
        body = ET.fromstring(z.read("word/document.xml")).find(f"{W}body")
    grid = [int(c.get(f"{W}w")) for c in body.findall(f"{W}tbl")[1].iter(f"{W}gridCol")]
    assert grid == [850, 5103, 1701, 1701]  # 165 mm of text width split 1:6:2:2


def test_table_in_markdown_is_a_pipe_table(data_copy: Path, tmp_path: Path) -> None:
    out = build_to(_with_table(data_copy), tmp_path / "out")
    md = out["md"].read_text(encoding="utf-8")
    assert "| STT | Chỉ tiêu | Kết quả | Đánh giá |\n|:---:|:---|---:|:---:|\n| **Về kinh tế** |  |  |  |\n" in md
    assert "| 1 | Giá trị xuất khẩu tăng bình quân | 8,6%/năm | Không đạt |\n" in md
    assert "Thu ngân sách \\| tăng[^" in md


def test_a_row_of_the_wrong_width_is_reported_at_the_row(data_copy: Path) -> None:
    bad = TABLE.replace('- [1, "Giá trị', '- [1, "Thiếu một ô"]\n        - [1, "Giá trị')
    _with_table(data_copy, bad)
    with pytest.raises(DhcError) as caught:
        load_report(data_copy)
    (finding,) = caught.value.findings
    assert (finding.code, finding.path.endswith(SECTION)) == ("DH013", True)
    assert "có 2 ô, dòng tiêu đề có 4 ô" in finding.message


def test_an_expression_error_in_a_cell_points_at_the_cell(data_copy: Path) -> None:
    _with_table(data_copy, TABLE.replace("ind.xuat_khau.result", "ind.xuat_khau.ket_qua"))
    report = load_report(data_copy)
    with pytest.raises(DhcError) as caught:
        build_document(report, DEFAULT_TEMPLATES)
    (finding,) = caught.value.findings
    text = (data_copy / SECTION).read_text(encoding="utf-8").splitlines()
    assert finding.code == "DH030"
    # the cell itself (a quoted scalar: its opening quote or the expression)
    assert text[finding.line - 1][finding.column - 1 :].lstrip('"').startswith("{{ ind.xuat_khau.ket_qua }}")


def test_landscape_turns_the_page_and_keeps_the_margins() -> None:
    from conftest import DATA

    document = build_document(load_report(DATA), DEFAULT_TEMPLATES)
    turned = render_docx(dataclasses.replace(document, landscape=True, signature=False), DEFAULT_TEMPLATES)
    with zipfile.ZipFile(__import__("io").BytesIO(turned)) as z:
        body = ET.fromstring(z.read("word/document.xml")).find(f"{W}body")
    size = body.find(f"{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h"), size.get(f"{W}orient")) == ("16838", "11906", "landscape")
    margins = body.find(f"{W}sectPr/{W}pgMar")
    assert (margins.get(f"{W}left"), margins.get(f"{W}right")) == ("1701", "850")
    styles = {
        p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        for p in body.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle") is not None
    }
    assert "SignatureAuthority" not in styles


def test_struck_runs_are_struck_in_both_writers() -> None:
    assert md_runs([Run("giữ "), Run("bỏ", strike=True), Run(" thêm", bold=True)]) == "giữ ~~bỏ~~** thêm**"
