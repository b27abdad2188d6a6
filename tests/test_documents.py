"""Documents from the same data: the build of several documents, and the indicator appendix."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA
from dhcompiler.build import build_report
from dhcompiler.cli import app
from dhcompiler.document import Document, Table
from dhcompiler.documents import DocumentOptions, build_documents
from dhcompiler.findings import DhcError
from dhcompiler.prose import plain_text
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES


def document(name: str, data: Path = DATA) -> Document:
    report = load_report(data)
    [(_name, doc)] = build_documents(report, DEFAULT_TEMPLATES, data, [name])
    return doc


def tables(doc: Document) -> list[Table]:
    return [b.table for b in doc.blocks if b.table is not None]


def texts(row: list) -> list[str]:
    return [" ".join(plain_text(p) for p in cell) for cell in row]


@pytest.fixture(scope="module")
def appendix() -> Document:
    return document("appendix")


# --- several documents, one build ------------------------------------------------------------


def test_all_builds_every_document_under_its_own_name(tmp_path):
    result = build_report(DATA, tmp_path, ("md", "docx"), DEFAULT_TEMPLATES, documents=["all"])
    names = sorted(p.name for p in result.written)
    assert "bao-cao-chinh-tri.md" in names and "phu-luc-chi-tieu.docx" in names
    assert len(names) == 2 * len({p.stem for p in result.written})
    for path in result.written:
        if path.suffix == ".docx":  # every document in the same Party layout: the header block first
            with zipfile.ZipFile(path) as z:
                assert "ĐẢNG CỘNG SẢN VIỆT NAM" in z.read("word/document.xml").decode()


def test_documents_listed_in_document_yaml_are_built_by_default(data_copy, tmp_path):
    meta = data_copy / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "documents: [report, appendix]\n", encoding="utf-8")
    result = build_report(data_copy, tmp_path, ("md",), DEFAULT_TEMPLATES)
    assert sorted(p.name for p in result.written) == ["bao-cao-chinh-tri.md", "phu-luc-chi-tieu.md"]


def test_an_unknown_document_in_document_yaml_is_reported_at_its_line(data_copy, tmp_path):
    meta = data_copy / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "documents: [report, nghi-quyet]\n", encoding="utf-8")
    with pytest.raises(DhcError) as caught:
        build_report(data_copy, tmp_path / "out", ("md",), DEFAULT_TEMPLATES)
    [finding] = caught.value.findings
    assert finding.code == "DH045" and finding.path.endswith("document.yaml") and finding.line > 1
    assert not (tmp_path / "out").exists()


def test_an_unknown_document_on_the_command_line_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(app, ["build", str(DATA), "--out", str(tmp_path), "--document", "nghiquyet"])
    assert result.exit_code == 2
    assert "nghiquyet" in result.output and not any(tmp_path.iterdir())


def test_documents_are_reproducible(tmp_path):
    first = build_report(DATA, tmp_path / "a", ("md", "docx"), DEFAULT_TEMPLATES, documents=["appendix"])
    second = build_report(DATA, tmp_path / "b", ("md", "docx"), DEFAULT_TEMPLATES, documents=["appendix"])
    assert [p.read_bytes() for p in first.written] == [p.read_bytes() for p in second.written]


# --- the appendix -----------------------------------------------------------------------------


def test_appendix_lists_every_indicator_once(appendix):
    report = load_report(DATA)
    names = [texts(row.cells)[1] for t in tables(appendix) for row in t.rows if not row.group]
    assert len(names) == len(report.measures()) == 52
    for measure in report.measures().values():
        words = measure.name or (measure.target.text if measure.target else "")
        assert any(words.lower() in name.lower() for name in names), measure.key


def test_appendix_statuses_are_the_reports_own(appendix, built):
    results, _targets = tables(appendix)
    header = texts(results.header)
    assert header == ["STT", "Chỉ tiêu", "Đơn vị", "Mục tiêu Nghị quyết", "Kết quả thực hiện", "Đánh giá"]
    rows = [texts(r.cells) for r in results.rows if not r.group]
    missed = [r[1] for r in rows if r[5] == "Không đạt"]
    assert missed == ["Giá trị xuất khẩu trên địa bàn bình quân"]
    # the report says the same in its own words
    report_md = built["md"].read_text(encoding="utf-8")
    assert "Trong 14 nhóm chỉ tiêu chủ yếu, còn chỉ tiêu giá trị xuất khẩu trên địa bàn chưa hoàn thành" in report_md
    by_name = {r[1]: r for r in rows}
    assert by_name["Sản lượng lương thực cây có hạt bình quân"][3:] == ["21.500", "21.502", "Vượt"]
    assert by_name["Tỷ lệ lao động thất nghiệp trong độ tuổi ở khu vực thành thị"][3:] == ["dưới 2", "1,3", "Đạt"]
    assert by_name["Thu nhập bình quân đầu người đến năm 2025"][5] == ""  # a qualitative target is not assessed


def test_appendix_numbers_right_aligned_parts_indented_groups_spanning(appendix):
    results, targets = tables(appendix)
    assert results.align[3:5] == ["right", "right"] and targets.align[3:] == ["right", "right"]
    indented = [texts(r.cells)[1] for r in results.rows if r.indent]
    assert indented == ["- Công nghiệp, xây dựng", "- Thương mại - dịch vụ", "- Nông, lâm nghiệp và thủy sản"] + [
        "- Có văn bằng, chứng chỉ"
    ]
    assert [texts(r.cells)[0] for r in results.rows if r.group][0] == "Về kinh tế"


def test_appendix_new_term_shows_the_result_each_target_continues(appendix):
    _results, targets = tables(appendix)
    assert texts(targets.header)[3:] == ["Kết quả nhiệm kỳ 2020 - 2025", "Chỉ tiêu nhiệm kỳ 2025 - 2030"]
    by_name = {texts(r.cells)[1]: texts(r.cells) for r in targets.rows if not r.group}
    assert by_name["Sản lượng lương thực cây có hạt bình quân"][3:] == ["21.502", "19.500"]
    assert by_name["Tỷ lệ người dân tham gia bảo hiểm y tế"][3:] == ["98,7", "98,8"]
    assert by_name["Giá trị sản phẩm trên 01 ha đất nông nghiệp trồng trọt"][3] == ""


def test_appendix_carries_the_indicator_footnotes(appendix):
    assert [f.key for f in appendix.footnotes] == ["chi-tieu-danh-gia-dang", "chi-tieu-ket-nap-dang-vien"]


def test_appendix_docx_is_a_real_table_with_its_header_repeated(tmp_path):
    result = build_report(DATA, tmp_path, ("docx",), DEFAULT_TEMPLATES, documents=["appendix"])
    [docx] = result.written
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode()
    assert xml.count("<w:tbl>") + xml.count("<w:tbl ") == 3  # the header block and two tables
    assert xml.count("<w:tblHeader/>") == 2
    assert xml.count('<w:ind w:left="284"/>') == 4 + 4  # the parts of both tables, indented
    assert "Không đạt" in xml


def test_a_changed_indicator_changes_the_appendix(data_copy):
    path = data_copy / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("result: 8,6", "result: 15,3", 1), encoding="utf-8")
    results, _ = tables(document("appendix", data_copy))
    rows = [texts(r.cells) for r in results.rows if not r.group]
    row = next(r for r in rows if r[1].startswith("Giá trị xuất khẩu"))
    assert row[4:] == ["15,3", "Vượt"]


# --- the outline ------------------------------------------------------------------------------

OUTLINE_DATA = Path(__file__).parent / "data" / "outline"


def _heading_lines(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("#")]


def test_outline_of_the_report_has_every_heading_numbered_as_the_report(tmp_path, built):
    result = build_report(DATA, tmp_path, ("md",), DEFAULT_TEMPLATES, documents=["outline"])
    [outline] = result.written
    ours = _heading_lines(outline.read_text(encoding="utf-8"))
    report = [line for line in built["md"].read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert report[:2] == ["## CHỦ ĐỀ ĐẠI HỘI", "## PHƯƠNG CHÂM ĐẠI HỘI"]
    assert ours == report[2:]
    assert len([line for line in ours if re.match(r"## [IVX]+\. ", line)]) == 12
    assert "#### 1.2. Tăng trưởng và chuyển dịch cơ cấu kinh tế" in ours


def test_outline_depth_keeps_the_upper_levels(tmp_path):
    options = DocumentOptions(depth=1)
    result = build_report(DATA, tmp_path, ("md",), DEFAULT_TEMPLATES, documents=["outline"], options=options)
    lines = _heading_lines(result.written[0].read_text(encoding="utf-8"))
    assert [line.split()[0] for line in lines].count("#") == 2  # the two parts
    assert len([line for line in lines if re.match(r"## [IVX]+\. ", line)]) == 12
    assert not any(line.startswith("###") for line in lines)


def test_outline_builds_from_headings_only_without_any_warning(tmp_path):
    from dhcompiler.checks.run import check_data_dir

    assert check_data_dir(OUTLINE_DATA).findings == []
    result = build_report(OUTLINE_DATA, tmp_path, ("md", "docx"), DEFAULT_TEMPLATES, options=DocumentOptions(0, True))
    assert result.warnings == []
    assert sorted(p.suffix for p in result.written) == [".docx", ".md"]
    assert {p.stem for p in result.written} == {"de-cuong-bao-cao-chinh-tri"}
    text = result.written[0].read_text(encoding="utf-8")
    assert "## I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU\n\n*Đối chiếu từng chỉ tiêu với Nghị quyết" in text
    assert "#### 1.1. Phát triển công nghiệp - xây dựng" in text
    assert "**ĐÁNH GIÁ 5 NĂM THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI LẦN THỨ IX**" in text
    without = build_report(OUTLINE_DATA, tmp_path / "b", ("md",), DEFAULT_TEMPLATES)
    assert "Đối chiếu" not in without.written[0].read_text(encoding="utf-8")


# --- the resolution ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def resolution() -> Document:
    return document("resolution")


def _after(doc: Document, label: str) -> list:
    """The body blocks after the heading labelled `label`, up to the next heading."""
    start = next(i for i, b in enumerate(doc.blocks) if b.kind == "heading" and b.label == label)
    out = []
    for block in doc.blocks[start + 1 :]:
        if block.kind in ("heading", "part"):
            break
        out.append(block)
    return out


def test_resolution_targets_are_word_for_word_part_two(resolution):
    report = build_documents(load_report(DATA), DEFAULT_TEMPLATES, DATA, ["report"])[0][1]
    start = next(i for i, b in enumerate(report.blocks) if b.key == "chi-tieu-chu-yeu")
    end = next(i for i, b in enumerate(report.blocks) if i > start and b.kind in ("heading", "part"))
    part_two = [(b.kind, plain_text(b.runs)) for b in report.blocks[start + 1 : end]]
    ours = [(b.kind, plain_text(b.runs)) for b in _after(resolution, "2.2.")]
    assert len([k for k, _ in ours if k == "indicator"]) == 16
    assert ours == part_two
    objective = next(i for i, b in enumerate(report.blocks) if b.key == "muc-tieu-tong-quat")
    assert [plain_text(b.runs) for b in _after(resolution, "2.1.")] == [plain_text(report.blocks[objective + 1].runs)]


def test_resolution_counts_are_the_reports(resolution, built):
    [assessment] = [plain_text(b.runs) for b in _after(resolution, "1.")]
    assert assessment.startswith("Trong 14 nhóm chỉ tiêu chủ yếu, 13 nhóm đạt và vượt mục tiêu")
    assert "còn chỉ tiêu giá trị xuất khẩu trên địa bàn chưa hoàn thành" in assessment
    assert "Trong 14 nhóm chỉ tiêu chủ yếu, còn chỉ tiêu giá trị xuất khẩu trên địa bàn" in built["md"].read_text()


def test_resolution_quotes_the_breakthroughs_and_key_tasks(resolution):
    breakthroughs = [plain_text(b.runs) for b in _after(resolution, "3.")]
    assert len(breakthroughs) == 3 and breakthroughs[1].startswith("Tập trung thu hút các nguồn lực đầu tư xây dựng")
    tasks = [(b.label, plain_text(b.runs)) for b in _after(resolution, "4.") if b.kind == "item"]
    assert tasks[0] == ("(1)", "NHIỆM VỤ, GIẢI PHÁP PHÁT TRIỂN KINH TẾ - XÃ HỘI") and len(tasks) == 4


def test_resolution_has_its_own_header_and_placeholders_for_what_is_unknown(resolution):
    assert resolution.front["number_line"] == "Số …-NQ/ĐH"
    assert resolution.front["date_line"] == "Sông Công, ngày … tháng … năm 2025"
    assert resolution.meta.issuing_body == "ĐẠI HỘI ĐẠI BIỂU LẦN THỨ X"
    assert [plain_text(b.runs) for b in resolution.front_blocks][1:] == [
        "NGHỊ QUYẾT",
        "ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG LẦN THỨ X, NHIỆM KỲ 2025 - 2030",
    ]
    preamble = plain_text(resolution.blocks[0].runs)
    assert "họp từ ngày … đến ngày … tại …" in preamble and "có … đại biểu" in preamble
    assert any(plain_text(b.runs) == "QUYẾT NGHỊ:" and b.style == "bold" for b in resolution.blocks)
    assert resolution.signature and resolution.meta.signature.authority == "ĐOÀN CHỦ TỊCH"


def test_resolution_takes_what_its_data_file_knows(data_copy):
    path = data_copy / "documents" / "resolution.yaml"
    text = path.read_text(encoding="utf-8").replace('# number: "…"', 'number: "05"')
    text = text.replace('  # delegates: "…"', '  delegates: "300"').replace("# date: 2025-07-15", "date: 2025-07-15")
    path.write_text(text, encoding="utf-8")
    doc = document("resolution", data_copy)
    assert doc.front["number_line"] == "Số 05-NQ/ĐH"
    assert doc.front["date_line"] == "Sông Công, ngày 15 tháng 7 năm 2025"
    assert "có 300 đại biểu" in plain_text(doc.blocks[0].runs)


def test_one_change_to_an_indicator_changes_report_and_resolution(data_copy, tmp_path):
    path = data_copy / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("target: 19.500") == 1
    path.write_text(text.replace("target: 19.500", "target: 20.000"), encoding="utf-8")
    result = build_report(data_copy, tmp_path, ("md",), DEFAULT_TEMPLATES, documents=["report", "resolution"])
    for output in result.written:
        written = output.read_text(encoding="utf-8")
        assert "Sản lượng lương thực cây có hạt bình quân đạt 20.000 tấn/năm." in written, output.name
        assert "19.500" not in written
