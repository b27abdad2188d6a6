"""`dhc build` on the project's data: fidelity to the seed, determinism, renumbering, safety."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import DATA, build_to
from dhcompiler.findings import DhcError
from seedtext import MARK, W, docx_paragraphs, docx_stream, first_difference, md_stream, seed_stream


@pytest.fixture(scope="module")
def seed():
    return seed_stream()


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_output_reproduces_the_seed_word_for_word(built, seed, fmt):
    stream = docx_stream(built["docx"]) if fmt == "docx" else md_stream(built["md"])
    assert stream.body == seed.body, first_difference(seed.body, stream.body)


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_footnotes_have_the_seed_texts_in_reading_order(built, seed, fmt):
    stream = docx_stream(built["docx"]) if fmt == "docx" else md_stream(built["md"])
    assert len(stream.notes) == 45
    for number, (want, got) in enumerate(zip(seed.notes, stream.notes, strict=True), start=1):
        assert got == want, f"footnote {number}: {first_difference(want, got)}"


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_each_footnote_is_cited_right_after_the_same_words(built, seed, fmt):
    stream = docx_stream(built["docx"]) if fmt == "docx" else md_stream(built["md"])
    assert stream.body.count(MARK) == 45
    assert stream.anchors == seed.anchors


def test_docx_has_real_word_footnotes(built):
    with zipfile.ZipFile(built["docx"]) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        notes = ET.fromstring(z.read("word/footnotes.xml"))
        styles = z.read("word/styles.xml").decode()
        body = ET.fromstring(z.read("word/document.xml"))
    assert "wordprocessingml.footnotes+xml" in types
    assert "relationships/footnotes" in rels
    ids = [n.get(f"{W}id") for n in notes.iter(f"{W}footnote")]
    assert ids == ["-1", "0", *[str(i) for i in range(1, 46)]]
    assert 'w:styleId="FootnoteText"' in styles and 'w:styleId="FootnoteReference"' in styles
    references = []
    for p in body.iter(f"{W}p"):
        runs = list(p.iter(f"{W}r"))
        for i, run in enumerate(runs):
            ref = run.find(f"{W}footnoteReference")
            if ref is None:
                continue
            # Word's own number between “(” and “)”, all in the footnote reference style
            texts = ["".join(t.text or "" for t in r.iter(f"{W}t")) for r in (runs[i - 1], runs[i + 1])]
            assert texts == ["(", ")"]
            assert {r.find(f"{W}rPr/{W}rStyle").get(f"{W}val") for r in runs[i - 1 : i + 2]} == {"FootnoteReference"}
            assert ref.get(f"{W}customMarkFollows") is None
            references.append(ref.get(f"{W}id"))
    assert references == [str(i) for i in range(1, 46)]
    for note in notes.iter(f"{W}footnote"):
        if int(note.get(f"{W}id")) > 0:
            first = list(note.find(f"{W}p").iter(f"{W}r"))[:3]
            assert first[1].find(f"{W}footnoteRef") is not None
            assert ["".join(t.text or "" for t in r.iter(f"{W}t")) for r in (first[0], first[2])] == ["(", ")"]


def test_headings_are_numbered_by_level(built):
    paragraphs = [p.strip() for p in docx_paragraphs(built["docx"])]
    for expected in (
        "Phần thứ nhất",
        "Phần thứ hai",
        "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU",
        "1.2.3. Phát triển nông, lâm nghiệp, thủy sản",
        "2.1. Hạn chế, khuyết điểm",
        "VII. BÀI HỌC KINH NGHIỆM",
        "V. NÂNG CAO, HOÀN THIỆN TIÊU CHÍ, TIÊU CHUẨN ĐÔ THỊ LOẠI II "
        "VÀ ĐIỀU CHỈNH MỞ RỘNG ĐỊA GIỚI HÀNH CHÍNH THÀNH PHỐ SÔNG CÔNG",
    ):
        assert expected in paragraphs
    assert any(p.startswith("Năm là, nâng cao năng lực") for p in paragraphs)
    assert any(p.startswith("2.16. Bình quân hằng năm kết nạp đảng viên") for p in paragraphs)


def test_computed_statements_come_from_the_data(built):
    text = built["md"].read_text(encoding="utf-8")
    assert "Trong 14 nhóm chỉ tiêu chủ yếu, còn chỉ tiêu giá trị xuất khẩu trên địa bàn chưa hoàn thành" in text
    assert "(58 chữ)" in text


def test_two_builds_are_byte_identical(tmp_path):
    first = build_to(DATA, tmp_path / "a")
    second = build_to(DATA, tmp_path / "b")
    for fmt in ("md", "docx"):
        assert first[fmt].read_bytes() == second[fmt].read_bytes()


def test_source_date_epoch_sets_the_docx_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    docx = build_to(DATA, tmp_path, ("docx",))["docx"]
    with zipfile.ZipFile(docx) as z:
        core = z.read("docProps/core.xml").decode()
        stamps = {info.date_time for info in z.infolist()}
    assert "2025-01-01T00:00:00Z" in core
    assert stamps == {(2025, 1, 1, 0, 0, 0)}


def _move_section(data: Path, source: str, before: str) -> None:
    """Move the Roman section in file `source` before `before` in Part I's list."""
    part = data / "sections" / "1-0-phan-thu-nhat.yaml"
    lines = part.read_text(encoding="utf-8").split("\n")
    moved = next(line for line in lines if line.strip() == f"- {source}")
    lines.remove(moved)
    lines.insert(next(i for i, line in enumerate(lines) if line.strip() == f"- {before}"), moved)
    part.write_text("\n".join(lines), encoding="utf-8")


def test_moving_a_section_renumbers_both_outputs(data_copy, tmp_path):
    _move_section(data_copy, "1-4-ket-qua-cong-tac-xay-dung.yaml", "1-2-ket-qua-cong-tac-lanh-dao.yaml")
    out = build_to(data_copy, tmp_path / "out")
    paragraphs = [p.strip() for p in docx_paragraphs(out["docx"])]
    assert "II. KẾT QUẢ CÔNG TÁC XÂY DỰNG ĐẢNG, XÂY DỰNG HỆ THỐNG CHÍNH TRỊ" in paragraphs
    assert "III. KẾT QUẢ CÔNG TÁC LÃNH ĐẠO PHÁT TRIỂN KINH TẾ - XÃ HỘI" in paragraphs
    assert "IV. KẾT QUẢ CÔNG TÁC BẢO ĐẢM QUỐC PHÒNG, AN NINH" in paragraphs
    markdown = out["md"].read_text(encoding="utf-8")
    assert "## II. KẾT QUẢ CÔNG TÁC XÂY DỰNG ĐẢNG" in markdown
    assert "## III. KẾT QUẢ CÔNG TÁC LÃNH ĐẠO PHÁT TRIỂN" in markdown
    # footnotes follow reading order: the Party-building section's first note is now number 3
    first_party_note = "Triển khai quán triệt, học tập Nghị quyết Đại hội XIII"
    assert re.search(r"^\[\^3\]: " + first_party_note, markdown, flags=re.M)


def test_inserting_a_subsection_renumbers_its_siblings(data_copy, tmp_path):
    path = data_copy / "sections" / "1-3-ket-qua-cong-tac-bao-dam.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("sections:\n", "sections:\n  - key: muc-moi\n    title: Mục mới chèn vào\n", 1)
    path.write_text(text, encoding="utf-8")
    markdown = build_to(data_copy, tmp_path, ("md",))["md"].read_text(encoding="utf-8")
    assert "### 1. Mục mới chèn vào" in markdown
    assert "### 2. Công tác quốc phòng, quân sự địa phương" in markdown
    assert "### 3. Công tác bảo đảm an ninh, trật tự, đối ngoại" in markdown


def test_failed_build_leaves_previous_outputs_untouched(data_copy, tmp_path):
    tmp_path = tmp_path / "out"
    out = build_to(data_copy, tmp_path)
    before = {fmt: path.read_bytes() for fmt, path in out.items()}
    broken = data_copy / "sections" / "9-ket-luan.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "  - '{{ ind.khong_co.result }}'\n", encoding="utf-8")
    with pytest.raises(DhcError):
        build_to(data_copy, tmp_path)
    assert {fmt: path.read_bytes() for fmt, path in out.items()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in out.values())


def test_a_file_not_written_by_dhc_is_not_overwritten(tmp_path):
    user_file = tmp_path / "bao-cao-chinh-tri.md"
    user_file.write_text("Bản thảo tự viết của tôi\n", encoding="utf-8")
    with pytest.raises(DhcError) as caught:
        build_to(DATA, tmp_path)
    assert caught.value.findings[0].code == "DH040"
    assert user_file.read_text(encoding="utf-8") == "Bản thảo tự viết của tôi\n"
    assert not (tmp_path / "bao-cao-chinh-tri.docx").exists()


def test_outputs_written_by_dhc_are_recognised_and_others_are_not(tmp_path):
    from dhcompiler.write import is_ours

    built = build_to(DATA, tmp_path, ("md", "docx"))
    assert all(is_ours(path) for path in built.values())
    stranger = tmp_path / "khac.docx"
    stranger.write_bytes(b"PK not ours")
    (tmp_path / "khac.pdf").write_bytes(b"%PDF-1.4 someone else's")
    assert not is_ours(stranger) and not is_ours(tmp_path / "khac.pdf")


def test_a_report_without_parts_numbers_its_sections_in_roman(data_copy, tmp_path):
    (data_copy / "sections" / "5-phu-luc.yaml").write_text(
        "key: phu-luc\ntitle: PHỤ LỤC\nsections:\n  - key: bang-so-lieu\n    title: Bảng số liệu\n",
        encoding="utf-8",
    )
    document = data_copy / "document.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text(
        text.replace("  - sections/9-ket-luan.yaml", "  - sections/5-phu-luc.yaml\n  - sections/9-ket-luan.yaml"),
        encoding="utf-8",
    )
    markdown = build_to(data_copy, tmp_path, ("md",))["md"].read_text(encoding="utf-8")
    assert "## I. PHỤ LỤC" in markdown
    assert "### 1. Bảng số liệu" in markdown


def test_an_escaped_footnote_mark_is_text_not_a_reference(data_copy, tmp_path):
    """`\\[^key]` is what the importer writes for a literal “[^key]”: no dangling reference (a
    fuzzed import once stopped with DH606 on it), and the brackets are printed."""
    path = data_copy / "sections" / "2-4-nhiem-vu-giai-phap-cong-tac.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Chủ động phối hợp với chính quyền" in text
    path.write_text(text.replace("Chủ động phối hợp với", "Chủ động \\[^khong-co] phối hợp với", 1), encoding="utf-8")
    out = build_to(data_copy, tmp_path / "out")
    assert "Chủ động \\[^khong-co\\] phối hợp" in out["md"].read_text(encoding="utf-8")
    with zipfile.ZipFile(out["docx"]) as z:
        assert "Chủ động [^khong-co] phối hợp" in z.read("word/document.xml").decode("utf-8")
