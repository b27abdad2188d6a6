"""Importing a .docx written the way Word users write it: Heading styles, Word's own lists and
footnotes, direct formatting, a header table; made here with plain python-docx."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement

from dhcompiler.findings import DhcError
from dhcompiler.importers import import_file
from dhcompiler.importers.files import write_import
from dhcompiler.resolve import load_report


class WordDraft:
    """A draft as a Word user types it, written with python-docx's default template."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self.doc.element.body.remove(self.doc.paragraphs[0]._p) if self.doc.paragraphs else None
        self.notes = parse_xml(
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
            "</w:footnote></w:footnotes>"
        )
        part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self.notes, self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)

    def para(self, *pieces: str | tuple[str, str], style: str | None = None):
        """A paragraph of runs: "text", ("b", "bold text"), ("i", "italic"), ("note", "its text")."""
        paragraph = self.doc.add_paragraph(style=style)
        for piece in pieces:
            if isinstance(piece, str):
                paragraph.add_run(piece)
            elif piece[0] == "note":
                paragraph._p.append(self.footnote(piece[1]))
            else:
                run = paragraph.add_run(piece[1])
                run.bold = "b" in piece[0]
                run.italic = "i" in piece[0]
        return paragraph

    def footnote(self, text: str):
        number = str(len(self.notes) - 1)
        self.notes.append(
            parse_xml(
                f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
            )
        )
        run = OxmlElement("w:r")
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), number)
        run.append(ref)
        return run

    def heading(self, text: str, level: int):
        return self.doc.add_heading(text, level)

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path


def word_draft() -> WordDraft:
    w = WordDraft()
    table = w.doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "ĐẢNG BỘ TỈNH BẮC KẠN"
    left.add_paragraph().add_run("HUYỆN ỦY CHỢ MỚI").bold = True
    left.add_paragraph("*")
    left.add_paragraph("Số 12-BC/HU")
    right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM").bold = True
    right.add_paragraph().add_run("Chợ Mới, ngày 05 tháng 02 năm 2025").italic = True
    w.para(("i", "“Dự thảo”"))
    w.para("BÁO CÁO CHÍNH TRỊ", style="Title")
    w.para(
        (
            "b",
            "CỦA BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN KHÓA XX TRÌNH ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ HUYỆN LẦN THỨ XXI, "
            "NHIỆM KỲ 2025 - 2030",
        )
    )
    w.para(("b", "CHỦ ĐỀ ĐẠI HỘI"))
    w.para("Đoàn kết, đổi mới, phát triển nhanh và bền vững (7 chữ)")
    w.para(("b", "PHƯƠNG CHÂM ĐẠI HỘI"))
    w.para("“Đoàn kết - Dân chủ - Đổi mới”")
    w.heading("Phần thứ nhất", 1)
    w.heading("KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI LẦN THỨ XX", 1)
    w.heading("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU", 2)
    w.para("Tốc độ tăng trưởng kinh tế bình quân đạt 9,5%/năm (Mục tiêu: 9%).", style="List Number")
    w.para("Tỷ lệ che phủ rừng đạt 73,2% (Mục tiêu: trên 72%).", style="List Number")
    w.heading("KẾT QUẢ CÔNG TÁC LÃNH ĐẠO PHÁT TRIỂN KINH TẾ - XÃ HỘI", 2)
    w.heading("Lĩnh vực kinh tế", 3)
    w.para(
        "Sản xuất nông nghiệp phát triển ",
        ("b", "ổn định"),
        ", giá trị sản xuất đạt 1.200 tỷ đồng",
        ("note", "Trong đó trồng trọt 700 tỷ đồng."),
        ". Chăn nuôi ",
        ("i", "theo hướng an toàn"),
        ".",
    )
    w.para("Các sản phẩm chủ lực:")
    w.para("Gạo Bao thai.", style="List Bullet")
    w.para("Miến dong.", style="List Bullet")
    table = w.doc.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("Năm", "Giá trị"), ("2024", "1.200")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.paragraphs[0].text = value
    w.heading("Lĩnh vực văn hóa - xã hội", 3)
    w.para("Giáo dục có nhiều tiến bộ", ("note", "Có 20 trường đạt chuẩn quốc gia."), ".")
    w.heading("BÀI HỌC KINH NGHIỆM", 2)
    w.para("Một là, giữ vững sự lãnh đạo của Đảng.")
    w.para("Hai là, phát huy sức mạnh của Nhân dân.")
    w.heading("Phần thứ hai", 1)
    w.heading("MỤC TIÊU, NHIỆM VỤ NHIỆM KỲ 2025 - 2030", 1)
    w.heading("MỤC TIÊU, CHỈ TIÊU", 2)
    w.heading("Mục tiêu tổng quát", 3)
    w.para("Xây dựng huyện Chợ Mới phát triển nhanh và bền vững.")
    w.heading("Chỉ tiêu chủ yếu", 3)
    w.para("Tốc độ tăng trưởng kinh tế bình quân đạt từ 10%/năm trở lên.", style="List Number")
    w.para("Tỷ lệ che phủ rừng ổn định trên 73%.", style="List Number")
    w.para("Đại hội đại biểu Đảng bộ huyện Chợ Mới lần thứ XXI, nhiệm kỳ 2025 - 2030 là đại hội đoàn kết.")
    w.para(("b", "T/M BAN CHẤP HÀNH"))
    w.para("BÍ THƯ")
    w.para(("b", "Nguyễn Văn An"))
    return w


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("word")
    result = import_file(word_draft().save(root / "draft.docx"))
    write_import(result, root / "data")
    return result, load_report(root / "data")


def test_heading_styles_give_the_structure(imported):
    _result, report = imported
    parts = [s for s in report.body if s.kind == "part"]
    assert [p.title for p in parts] == [
        "KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI LẦN THỨ XX",
        "MỤC TIÊU, NHIỆM VỤ NHIỆM KỲ 2025 - 2030",
    ]
    assert [s.title for s in parts[0].sections] == [
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU",
        "KẾT QUẢ CÔNG TÁC LÃNH ĐẠO PHÁT TRIỂN KINH TẾ - XÃ HỘI",
        "BÀI HỌC KINH NGHIỆM",
    ]
    economy = parts[0].sections[1]
    assert [s.key for s in economy.sections] == ["linh-vuc-kinh-te", "linh-vuc-van-hoa-xa-hoi"]
    assert report.body[-1].kind == "closing"
    assert parts[0].sections[2].content[0].lessons == [
        "giữ vững sự lãnh đạo của Đảng.",
        "phát huy sức mạnh của Nhân dân.",
    ]


def test_footnotes_are_read_from_the_footnotes_part_and_placed_at_their_marks(imported):
    _result, report = imported
    economy = report.body[0].sections[1].sections[0]
    text = economy.content[0].text
    key = next(iter(economy.footnotes))
    assert text == (
        f"Sản xuất nông nghiệp phát triển **ổn định**, giá trị sản xuất đạt 1.200 tỷ đồng[^{key}]. "
        "Chăn nuôi *theo hướng an toàn*."
    )
    assert economy.footnotes[key] == ["Trong đó trồng trọt 700 tỷ đồng."]
    assert key == "do-trot-700-ty-dong"  # its first words, stop words dropped
    assert len(report.footnotes) == 2


def test_word_lists_become_bullets_and_indicator_lists(imported):
    _result, report = imported
    economy = report.body[0].sections[1].sections[0]
    assert economy.content[2].bullets == [["Gạo Bao thai."], ["Miến dong."]]
    results, targets = report.indicators.results, report.indicators.targets
    assert [(str(g.measures[0].result.value), str(g.measures[0].target.value)) for g in results] == [
        ("9.5", "9"),
        ("73.2", "72"),
    ]
    assert [str(g.measures[0].target.value) for g in targets] == ["10", "73"]
    assert targets[1].measures[0].continues is None and targets[0].measures[0].target.comparison.value == "from"


def test_header_table_theme_and_signature_go_to_document_yaml(imported):
    _result, report = imported
    meta = report.meta
    assert (meta.superior_body, meta.issuing_body, meta.number, meta.symbol) == (
        "ĐẢNG BỘ TỈNH BẮC KẠN",
        "HUYỆN ỦY CHỢ MỚI",
        "12",
        "BC/HU",
    )
    assert (meta.place, meta.date.isoformat(), meta.draft_label) == ("Chợ Mới", "2025-02-05", "Dự thảo")
    assert meta.summary.startswith("CỦA BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN KHÓA XX")
    assert (meta.congress.ordinal, meta.congress.previous_ordinal) == ("XXI", "XX")
    assert meta.theme.text == "Đoàn kết, đổi mới, phát triển nhanh và bền vững"
    assert (meta.signature.on_behalf, meta.signature.authority, meta.signature.title, meta.signature.name) == (
        "T/M",
        "BAN CHẤP HÀNH",
        "BÍ THƯ",
        "Nguyễn Văn An",
    )


def test_the_report_lists_the_wrong_word_count_and_a_table_stays_a_table(imported):
    result, report = imported
    codes = {f.code: f for f in result.findings}
    assert set(codes) == {"DH615"}
    assert "10 chữ" in codes["DH615"].message
    table = report.body[0].sections[1].sections[0].content[3].table
    assert table is not None
    assert (table.header, [row.cells for row in table.rows]) == (["Năm", "Giá trị"], [["2024", "1.200"]])


def test_typed_numbers_win_over_heading_levels(tmp_path):
    w = WordDraft()
    w.para("CHỦ ĐỀ ĐẠI HỘI")
    w.para("Đoàn kết")
    w.para("PHƯƠNG CHÂM ĐẠI HỘI")
    w.para("Dân chủ")
    w.heading("Phần thứ nhất", 1)
    w.heading("ĐÁNH GIÁ", 1)
    w.heading("I. KẾT QUẢ", 1)  # the wrong style: the typed numeral decides
    w.heading("1. Kinh tế", 2)
    w.para("Tăng trưởng khá.")
    w.heading("1.1. Công nghiệp", 2)
    w.para("Công nghiệp tăng.")
    w.heading("II. TỒN TẠI", 2)
    w.para("Còn khó khăn.")
    result = import_file(w.save(tmp_path / "numbered.docx"))
    write_import(result, tmp_path / "data")
    part = load_report(tmp_path / "data").body[0]
    assert [s.title for s in part.sections] == ["KẾT QUẢ", "TỒN TẠI"]
    assert part.sections[0].sections[0].sections[0].title == "Công nghiệp"


def test_a_docx_without_structure_is_refused(tmp_path):
    w = WordDraft()
    w.para("Kính gửi các đồng chí,")
    w.para("Đây là một bức thư, không phải báo cáo chính trị.")
    with pytest.raises(DhcError) as caught:
        import_file(w.save(tmp_path / "letter.docx"))
    assert [f.code for f in caught.value.findings] == ["DH604"]


def test_a_damaged_docx_is_refused(tmp_path):
    buffer = io.BytesIO()
    word_draft().doc.save(buffer)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(DhcError) as caught:
        import_file(broken)
    assert [f.code for f in caught.value.findings] == ["DH607"]


def test_text_boxes_and_endnotes_are_read(tmp_path):
    w = WordDraft()
    box = w.para()
    box._p.append(
        parse_xml(
            f"<w:r {nsdecls('w')} xmlns:v='urn:schemas-microsoft-com:vml'><w:pict><v:shape><v:textbox><w:txbxContent>"
            "<w:p><w:r><w:t>ĐẢNG BỘ TỈNH LẠNG SƠN</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>THÀNH ỦY LẠNG SƠN</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )
    w.para("Số 03-BC/TU")
    for text in ("CHỦ ĐỀ ĐẠI HỘI", "Đoàn kết", "PHƯƠNG CHÂM ĐẠI HỘI", "Đổi mới"):
        w.para(text)
    w.heading("Phần thứ nhất", 1)
    w.heading("ĐÁNH GIÁ", 1)
    w.heading("I. KẾT QUẢ", 2)
    notes = parse_xml(
        f'<w:endnotes {nsdecls("w")}><w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> Số liệu ước đến hết năm 2024.</w:t></w:r></w:p></w:endnote></w:endnotes>'
    )
    part = XmlPart(PackURI("/word/endnotes.xml"), CT.WML_ENDNOTES, notes, w.doc.part.package)
    w.doc.part.relate_to(part, RT.ENDNOTES)
    paragraph = w.para("Kinh tế tăng trưởng khá")
    ref = OxmlElement("w:r")
    mark = OxmlElement("w:endnoteReference")
    mark.set(qn("w:id"), "1")
    ref.append(mark)
    paragraph._p.append(ref)
    paragraph.add_run(".")
    result = import_file(w.save(tmp_path / "boxes.docx"))
    write_import(result, tmp_path / "data")
    report = load_report(tmp_path / "data")
    assert (report.meta.superior_body, report.meta.issuing_body) == ("ĐẢNG BỘ TỈNH LẠNG SƠN", "THÀNH ỦY LẠNG SƠN")
    section = report.body[0].sections[0]
    assert section.content[0].text == "Kinh tế tăng trưởng khá[^so-lieu-uoc-den-het]."
    assert section.footnotes == {"so-lieu-uoc-den-het": ["Số liệu ước đến hết năm 2024."]}
    assert "DH618" in {f.code for f in result.findings}
