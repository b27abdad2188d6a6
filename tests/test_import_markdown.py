"""Importing Markdown written by hand or by other tools: `#` headings, `[^name]` footnotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_to
from dhcompiler.importers import import_file
from dhcompiler.importers.files import write_import
from dhcompiler.resolve import load_report

DRAFT = Path(__file__).parent / "fixtures" / "import" / "ban-thao.md"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("markdown")
    result = import_file(DRAFT)
    write_import(result, root / "data")
    return result, load_report(root / "data"), build_to(root / "data", root / "build")


def test_hand_written_markdown_keeps_its_structure(imported):
    _result, report, _built = imported
    first = report.body[0]
    assert (first.kind, first.title) == ("part", "KẾT QUẢ NHIỆM KỲ 2020 - 2025")
    assert [s.title for s in first.sections] == [
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU",
        "KẾT QUẢ CÁC LĨNH VỰC",
        "BÀI HỌC KINH NGHIỆM",
    ]
    economy, society = first.sections[1].sections
    assert economy.content[1].bullets == [["Trồng trọt tăng khá."], ["Chăn nuôi giữ ổn định."]]
    assert society.content[0].items == [["Giáo dục có nhiều tiến bộ."], ["Y tế cơ sở được củng cố."]]
    assert first.sections[2].content[0].lessons == ["đoàn kết là sức mạnh.", "dân là gốc."]
    assert report.body[-1].kind == "closing"
    assert report.meta.signature.authority == "BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN"


def test_markdown_footnotes_keep_their_paragraphs_and_places(imported):
    _result, report, _built = imported
    economy = report.body[0].sections[1].sections[0]
    key = next(iter(economy.footnotes))
    assert economy.footnotes[key] == [
        "Giá trị sản xuất nông nghiệp năm 2024 đạt 1.540 tỷ đồng.",
        "Trong đó trồng trọt chiếm 62%.",
    ]
    assert f"*ổn định*[^{key}];" in economy.content[0].text
    poverty = report.indicators.results[1]
    assert poverty.footnote is not None and report.indicators.footnotes[poverty.footnote] == [
        "Theo chuẩn nghèo đa chiều giai đoạn 2021 - 2025."
    ]


def test_literal_stars_and_braces_survive_the_build(imported):
    _result, _report, built = imported
    text = built["md"].read_text(encoding="utf-8")
    assert "dấu sao \\* và dấu ngoặc {{ không phải biểu thức }} giữ nguyên" in text
    assert "Sản xuất **nông nghiệp** phát triển *ổn định*[^2]" in text


def test_header_and_indicators_from_markdown(imported):
    result, report, _built = imported
    meta = report.meta
    assert (meta.superior_body, meta.issuing_body, meta.number, meta.symbol) == (
        "ĐẢNG BỘ TỈNH HÀ GIANG",
        "HUYỆN ỦY VỊ XUYÊN",
        "08",
        "BC/HU",
    )
    assert (meta.place, meta.date.isoformat()) == ("Vị Xuyên", "2025-03-15")
    poverty = report.indicators.results[1].measures[0]
    assert (str(poverty.result.value), poverty.unit, poverty.target.comparison.value) == ("4.2", "%/năm", "at_least")
    assert [f.code for f in result.findings] == ["DH610"]  # no summary line
