"""`dhc import` of the seed as Word exports it to text: fidelity, the report, encodings."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from conftest import build_to
from dhcompiler.importers import import_file
from dhcompiler.importers.files import write_import
from dhcompiler.resolve import load_report
from dhcrun import run_dhc
from seedtext import MARK, SEED, docx_stream, first_difference, md_stream, seed_stream

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """The seed imported once and built once, for the module."""
    root = tmp_path_factory.mktemp("seed-import")
    result = import_file(SEED)
    write_import(result, root / "data")
    return root / "data", build_to(root / "data", root / "build")


@pytest.fixture(scope="module")
def seed():
    return seed_stream()


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_imported_seed_builds_back_to_the_seed_word_for_word(seed_import, seed, fmt):
    _data, built = seed_import
    stream = docx_stream(built["docx"]) if fmt == "docx" else md_stream(built["md"])
    assert stream.body == seed.body, first_difference(seed.body, stream.body)
    assert len(stream.notes) == 45
    for number, (want, got) in enumerate(zip(seed.notes, stream.notes, strict=True), start=1):
        assert got == want, f"footnote {number}: {first_difference(want, got)}"
    assert stream.body.count(MARK) == 45
    assert stream.anchors == seed.anchors


def test_imported_seed_has_the_structure_of_the_report(seed_import):
    report = load_report(seed_import[0])
    tops = [(s.kind, s.title) for s in report.body]
    assert tops == [
        ("note", "Ghi chú: Thuyết minh về Chủ đề Đại hội"),
        ("part", "ĐÁNH GIÁ TỔNG QUÁT 5 NĂM THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ THÀNH PHỐ LẦN THỨ IX"),
        ("part", "MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP NHIỆM KỲ 2025 - 2030"),
        ("closing", None),
    ]
    first, second = report.body[1], report.body[2]
    assert [s.title for s in first.sections][-1] == "BÀI HỌC KINH NGHIỆM"
    assert first.sections[0].content[0].indicators == "results"
    assert first.sections[4].children == "items"  # V. the breakthroughs: (1), (2), (3)
    assert first.sections[6].content[0].lessons is not None and len(first.sections[6].content[0].lessons) == 5
    assert second.sections[0].sections[1].content[0].indicators == "targets"
    hạn_chế = first.sections[5].sections[1].sections[0]
    assert hạn_chế.title == "Hạn chế, khuyết điểm"  # typed "2.1" without its dot: the number is gone


def test_imported_seed_keeps_the_header_and_signature(seed_import):
    meta = load_report(seed_import[0]).meta
    assert (meta.number, meta.symbol, meta.place, meta.date.isoformat()) == ("", "BC/TU", "Sông Công", "2024-12-26")
    assert meta.draft_label == "Dự thảo biên tập lần 3"
    assert meta.theme.text.endswith("xây dựng thành phố Sông Công văn minh, bền vững")
    assert meta.motto.text == "“Đoàn kết - Kỷ cương - Đổi mới - Phát triển”"
    assert meta.signature.authority == "BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ"
    assert (meta.congress.ordinal, meta.congress.previous_ordinal, str(meta.congress.term)) == (
        "X",
        "IX",
        "2025 - 2030",
    )


def test_imported_seed_has_its_indicators_parsed(seed_import):
    report = load_report(seed_import[0])
    assert (len(report.indicators.results), len(report.indicators.targets)) == (14, 16)
    measures = report.measures()
    assert len(measures) == 52
    growth = report.indicators.results[0].measures[0]
    assert (str(growth.result.value), growth.unit, str(growth.target.value), growth.target.unit) == (
        "17.02",
        "%/năm",
        "17",
        "%",
    )
    assert [str(p.result.value) for p in growth.parts] == ["17.33", "22.03", "3.92"]
    party = report.indicators.results[12]
    assert party.target is not None and party.footnote in report.footnotes


def test_report_lists_what_the_seed_lacks_with_line_numbers():
    result = import_file(SEED)
    codes = [(f.line, f.code) for f in result.findings]
    assert codes == [(1, "DH610")] * 3  # superior body, issuing body, summary: to review
    messages = " ".join(f.message for f in result.findings)
    assert "cơ quan cấp trên" in messages and "cơ quan ban hành" in messages and "trích yếu" in messages
    assert result.stats.footnotes == 45 and result.stats.verbatim == 0


def test_unclassified_lines_are_reported_at_their_line(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("Ghi chú: Thuyết minh về Chủ đề Đại hội\n", "Ghi chú: Thuyết minh về Chủ đề Đại hội\n+ ý phụ\n")
    text = text.replace("(Mục tiêu: 15%/năm). ", "(Mục tiêu: khoảng 15%/năm). ")
    source = tmp_path / "draft.txt"
    source.write_text(text, encoding="utf-8")
    result = import_file(source)
    found = {(f.line, f.code) for f in result.findings}
    assert (17, "DH612") in found  # "+ …" (line 17) kept as a paragraph
    assert (42, "DH616") in found  # a target that does not read as a number
    write_import(result, tmp_path / "data")
    xuat_khau = load_report(tmp_path / "data").indicators.results[1].measures[0]
    assert xuat_khau.target.text == "Mục tiêu: khoảng 15%/năm" and str(xuat_khau.result.value) == "8.6"


def _cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed, tone marks combining."""
    out = bytearray()
    for char in text.replace("\ufffd", "?"):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out += base.encode("cp1258") + "".join(c for c in parts if c in TONE_MARKS).encode("cp1258")
    return bytes(out)


ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: t.encode("utf-8-sig"),
    "utf-16 (Word's Unicode text)": lambda t: t.replace("\n", "\r\n").encode("utf-16"),
    "utf-16-be without BOM": lambda t: t.encode("utf-16-be"),
    "windows-1258": _cp1258,
    "decomposed (NFD)": lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
}


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_text_is_read_whatever_its_encoding(tmp_path, name):
    reference = import_file(SEED).files
    source = tmp_path / "seed.txt"
    source.write_bytes(ENCODINGS[name](SEED.read_text(encoding="utf-8")))
    result = import_file(source)
    assert result.files == reference
    assert all(unicodedata.is_normalized("NFC", text) for text in result.files.values())


def test_numbered_footnotes_are_read_like_lost_marks(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    number = iter(range(1, 46))
    text = "".join(f"({next(number)})" + part if i else part for i, part in enumerate(text.split("(�)")))
    source = tmp_path / "numbered.txt"
    source.write_text(text, encoding="utf-8")
    assert _without_header(import_file(source).files) == _without_header(import_file(SEED).files)


def _without_header(files: dict[str, str]) -> dict[str, str]:
    """The files without their first comment line, which names the source file."""
    return {name: text.split("\n", 1)[1] for name, text in files.items()}


def test_cli_imports_then_builds_the_seed(tmp_path):
    done = run_dhc("import", str(SEED), "--out", str(tmp_path / "x"))
    assert done.returncode == 0, done.stderr
    assert "45 chú thích" in done.stdout and "Cần xem lại (3)" in done.stdout
    assert f"{SEED}:1:1: [cảnh báo]" in done.stdout
    again = run_dhc("import", str(SEED), "--out", str(tmp_path / "x"))
    assert again.returncode == 1 and "DH605" in again.stderr and "Traceback" not in again.stderr
    built = run_dhc("build", str(tmp_path / "x"), "--out", str(tmp_path / "b"))
    assert built.returncode == 0, built.stderr
    assert md_stream(tmp_path / "b" / "bao-cao-chinh-tri.md").body == seed_stream().body


DRAFT = """\
Số  -BC/HU
ĐẢNG CỘNG SẢN VIỆT NAM
Na Rì, ngày    tháng 3 năm 2025
BÁO CÁO CHÍNH TRỊ
CHỦ ĐỀ ĐẠI HỘI
Đoàn kết, phát triển
PHƯƠNG CHÂM ĐẠI HỘI
Đổi mới
PHẦN I - ĐÁNH GIÁ KẾT QUẢ
I- KẾT QUẢ NỔI BẬT
1- Kinh tế
Kinh tế tăng khá.
II. Tồn tại, hạn chế
Còn khó khăn(
).
Phần thứ nhất của báo cáo đã nêu kết quả.
T/M BAN CHẤP HÀNH
(1) Số liệu năm 2024.
"""


def test_traditional_numbering_blank_dates_and_doubtful_lines(tmp_path):
    source = tmp_path / "na-ri.txt"
    source.write_text(DRAFT, encoding="utf-8")
    result = import_file(source)
    write_import(result, tmp_path / "data")
    report = load_report(tmp_path / "data")
    part = report.body[0]
    # “II. Tồn tại, hạn chế” in sentence case continues the Roman sequence “I-”: a section.
    assert (part.kind, part.title, [s.title for s in part.sections]) == (
        "part",
        "ĐÁNH GIÁ KẾT QUẢ",
        ["KẾT QUẢ NỔI BẬT", "Tồn tại, hạn chế"],
    )
    kinh_te = part.sections[0].sections[0]
    assert kinh_te.title == "Kinh tế"
    assert [b.text for b in kinh_te.content] == ["Kinh tế tăng khá."]
    assert [b.text for b in part.sections[1].content] == ["Còn khó khăn[^so-lieu-nam-2024]."]
    assert report.body[-1].kind == "closing"  # “Phần thứ nhất của báo cáo …” is prose, not a part
    assert (str(report.meta.date), report.meta.place) == ("2025-03", "Na Rì")  # the blank day stays blank
    assert (report.meta.signature.on_behalf, report.meta.signature.authority) == ("T/M", "BAN CHẤP HÀNH")
    found = {(f.line, f.code) for f in result.findings}
    assert (3, "DH610") in found  # the day is blank
    assert not any(code == "DH612" for _line, code in found)


def test_a_draft_without_theme_starts_its_body_at_the_first_part(tmp_path):
    source = tmp_path / "no-theme.txt"
    lines = DRAFT.split("\n")
    source.write_text("\n".join(lines[:4] + ["PHẦN THỨ NHẤT", *lines[9:]]), encoding="utf-8")
    result = import_file(source)
    write_import(result, tmp_path / "data")
    report = load_report(tmp_path / "data")
    assert report.body[0].kind == "part" and report.body[0].sections[0].title == "KẾT QUẢ NỔI BẬT"
    assert (report.meta.theme.text, report.meta.theme.printed) == ("", False)  # nothing invented, nothing printed
    assert any("Chủ đề Đại hội" in f.message and f.code == "DH610" for f in result.findings)


def test_a_list_of_targets_broken_by_prose_is_kept_and_reported(tmp_path):
    source = tmp_path / "chi-tieu.txt"
    source.write_text(
        "BÁO CÁO CHÍNH TRỊ\n"
        "I. MỤC TIÊU VÀ CÁC CHỈ TIÊU CHỦ YẾU\n"
        "* Về kinh tế:\n"
        "(1) Tốc độ tăng trưởng kinh tế bình quân đạt 8,5%/năm.\n"
        "Đây là chỉ tiêu quan trọng nhất của nhiệm kỳ.\n"
        "(2) Thu nhập bình quân đầu người đạt 120 triệu đồng.\n"
        "BAN CHẤP HÀNH\n",
        encoding="utf-8",
    )
    result = import_file(source)
    write_import(result, tmp_path / "data")
    report = load_report(tmp_path / "data")
    assert (report.indicators.results, report.indicators.targets) == ([], [])
    section = report.body[0]
    assert [b.kind for b in section.content] == ["lead", "items"]
    assert [(f.line, f.code) for f in result.findings if f.code == "DH616"] == [(4, "DH616")]


def test_a_draft_without_header_gets_blanks_to_fill_not_invented_values(tmp_path):
    from dhcompiler.document import build_document
    from dhcompiler.render_md import render_markdown
    from dhcompiler.templates import DEFAULT_TEMPLATES

    source = tmp_path / "than-bai.txt"
    source.write_text(
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NHIỆM KỲ 2020 - 2025\nKinh tế tăng trưởng khá.\nBAN CHẤP HÀNH\n",
        encoding="utf-8",
    )
    result = import_file(source)
    write_import(result, tmp_path / "data")
    meta = load_report(tmp_path / "data").meta
    assert (meta.superior_body, meta.issuing_body, meta.symbol, meta.place) == ("", "", "", "")
    assert (meta.date.day, meta.date.month) == (None, None)  # a year guessed from the term; day and month blank
    markdown = render_markdown(build_document(load_report(tmp_path / "data"), DEFAULT_TEMPLATES), DEFAULT_TEMPLATES)
    head = markdown.split("**ĐẢNG CỘNG SẢN VIỆT NAM**")
    assert "Số …..." in head[0] and "(" not in head[0]  # no placeholder printed
    assert f"*ngày    tháng    năm {meta.date.year}*" in head[1]
    assert sum(1 for f in result.findings if f.code == "DH610") >= 4  # each blank is listed for review


CORPUS_09 = Path(__file__).parent / "corpus" / "09-cong-an-noi-nhan" / "draft.txt"


@pytest.mark.parametrize("order", ["after", "before"])
def test_the_recipients_block_is_listed_and_the_signature_still_found(tmp_path, order):
    """“Nơi nhận:” sits in the left cell of Word's signature table: a text export writes it after
    the signature lines or right before them. Either way the signer is read and the block is
    listed (DH619), not printed as the report's last paragraphs."""
    lines = CORPUS_09.read_text(encoding="utf-8").split("\n")
    at = lines.index("T/M ĐẢNG ỦY")
    signature, recipients, notes = lines[at : at + 3], lines[at + 3 : at + 7], lines[at + 7 :]
    assert recipients[0] == "Nơi nhận:" and notes[0].startswith("(")
    tail = signature + recipients if order == "after" else recipients + signature
    source = tmp_path / "draft.txt"
    source.write_text("\n".join(lines[:at] + tail + notes), encoding="utf-8")
    result = import_file(source)
    write_import(result, tmp_path / "data")
    meta = load_report(tmp_path / "data").meta
    assert (meta.signature.on_behalf, meta.signature.authority) == ("T/M", "ĐẢNG ỦY")
    assert (meta.signature.title, meta.signature.name) == ("BÍ THƯ", "Đại tá Trần Quốc Bảo")
    (listed,) = [f for f in result.findings if f.code == "DH619"]
    assert "Ban Thường vụ Tỉnh ủy (b/c); Các chi bộ trực thuộc; Lưu Văn phòng Đảng ủy" in listed.message
    texts = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "data" / "sections").glob("*.yaml"))
    assert "Nơi nhận" not in texts and "Lưu Văn phòng" not in texts


def test_a_bracketed_draft_label_and_a_sentence_case_summary_are_read(tmp_path):
    lines = CORPUS_09.read_text(encoding="utf-8").split("\n")
    assert lines[6] == "(Dự thảo lần 2)" and lines[8].startswith("của Ban Chấp hành")
    result = import_file(CORPUS_09)
    assert not [f for f in result.findings if f.code == "DH611"]  # no header line left unread
    write_import(result, tmp_path / "data")
    meta = load_report(tmp_path / "data").meta
    assert meta.draft_label == "Dự thảo lần 2"
    assert meta.summary == lines[8]
