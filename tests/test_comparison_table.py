"""The comparison table of `dhc diff --format table / table-md`: one row per change, in reading order."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import redline_oracle as oracle
from dhcompiler.cli import app
from diff_scenarios import (
    DATA,
    make_pair,
    paragraph_moved,
    paragraph_moved_across_and_edited,
    paragraph_moved_and_edited,
)

W = oracle.W
LABELS = ["--old-label", "Dự thảo biên tập lần 2", "--new-label", "Dự thảo biên tập lần 3"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["diff", *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real data, and a copy with every scenario's edit at once."""
    return make_pair(tmp_path_factory.mktemp("table"))


@pytest.fixture(scope="module")
def table_md(pair: tuple[Path, Path]) -> str:
    code, output = run(str(pair[0]), str(pair[1]), "--format", "table-md", *LABELS)
    assert code == 0, output
    return output


def rows(markdown: str) -> list[list[str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("| ") and line[2:3].isdigit()]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def test_one_row_per_change_in_reading_order(table_md):
    places = [row[1].split("<br>")[0] for row in rows(table_md)]
    assert places == [
        "Chủ đề Đại hội",
        "Chú thích (1)",
        "Mục I. BỐI CẢNH THỰC HIỆN NGHỊ QUYẾT",
        "Kết quả thực hiện chỉ tiêu, chỉ tiêu 6.",
        "Mục III.1.1. Việc cụ thể hóa các chủ trương, chính sách để huy động, triển khai các nguồn lực "
        "phát triển kinh tế - xã hội",
        "Chú thích (4) (cũ: (3))",
        "Mục III.1.2.1. Công nghiệp và xây dựng (tên cũ: “Phát triển công nghiệp - xây dựng”)",
        "Mục III. NHIỆM VỤ, GIẢI PHÁP CÔNG TÁC XÂY DỰNG ĐẢNG, XÂY DỰNG HỆ THỐNG CHÍNH TRỊ (cũ: IV.)",
    ]
    assert [row[0] for row in rows(table_md)] == [str(n) for n in range(1, 9)]


def test_deleted_words_are_struck_and_added_words_bold(table_md):
    by_place = {row[1].split("<br>")[0]: row for row in rows(table_md)}
    indicator = by_place["Kết quả thực hiện chỉ tiêu, chỉ tiêu 6."]
    assert "Kết quả: ~~48,3%~~" in indicator[2] and "Kết quả: **40%**" in indicator[3]
    assert "Đánh giá: ~~vượt~~" in indicator[2] and "Đánh giá: **đạt**" in indicator[3]
    theme = by_place["Chủ đề Đại hội"]
    assert "văn minh, **hiện đại,** bền vững" in theme[3] and "~~(58 chữ)~~" in theme[2]
    note = by_place["Chú thích (4) (cũ: (3))"]
    assert note[2].startswith("Đề án cải cách hành chính ~~nhà nước~~ thành phố")
    assert "nhà nước" not in note[3]


def test_full_sentences_not_whole_paragraphs(table_md):
    by_place = {row[1].split("<br>")[0]: row for row in rows(table_md)}
    edited = next(row for place, row in by_place.items() if place.startswith("Mục III.1.1."))
    assert "Tập trung ~~chỉ~~ đạo thực hiện" in edited[2]  # one word: “chỉ đạo” → “lãnh đạo”
    assert "Tập trung **lãnh** đạo thực hiện" in edited[3]
    # the split and the edited word are sentences apart: what lies between is left out
    assert " … " in edited[2] and " … " in edited[3]


def test_the_title_names_both_drafts_and_their_dates(table_md):
    assert "**BẢNG SO SÁNH**" in table_md
    assert "“Dự thảo biên tập lần 2” (ngày 26/12/2024) và “Dự thảo biên tập lần 3” (ngày 26/12/2024)" in table_md
    header = next(line for line in table_md.splitlines() if line.startswith("| STT"))
    assert header == "| STT | Vị trí | Dự thảo biên tập lần 2 | Dự thảo biên tập lần 3 | Lý do, giải trình |"


def test_labels_default_to_the_draft_label_and_are_told_apart_when_equal(tmp_path):
    old, new = make_pair(tmp_path, "one_word")
    code, output = run(str(old), str(new), "--format", "table-md")
    assert code == 0
    assert "| Dự thảo biên tập lần 3 (bản cũ) | Dự thảo biên tập lần 3 (bản mới) |" in output


def test_the_reasons_come_from_the_notes_file(tmp_path):
    old, new = make_pair(tmp_path, "section_renamed")
    notes = tmp_path / "giai-trinh.yaml"
    notes.write_text("cong-nghiep-va-xay-dung: Gọn tên mục theo góp ý của Ban Thường vụ.\n", encoding="utf-8")
    code, output = run(str(old), str(new), "-f", "table-md", "--notes", str(notes))
    assert code == 0, output
    assert rows(output)[0][4] == "Gọn tên mục theo góp ý của Ban Thường vụ."


def test_an_unknown_key_in_the_notes_file_is_a_located_error(tmp_path):
    old, new = make_pair(tmp_path, "one_word")
    notes = tmp_path / "giai-trinh.yaml"
    notes.write_text("# lý do\nmuc-khong-co: Không có mục này.\n", encoding="utf-8")
    code, output = run(str(old), str(new), "-f", "table-md", "--notes", str(notes))
    assert code == 1
    assert "giai-trinh.yaml:2:1:" in output and "DH712" in output and "muc-khong-co" in output
    assert "Traceback" not in output


def test_the_docx_table_is_landscape_with_a_repeated_header(pair, tmp_path):
    out = tmp_path / "bang-so-sanh.docx"
    code, output = run(str(pair[0]), str(pair[1]), "--format", "table", "--out", str(out), *LABELS)
    assert code == 0, output
    with zipfile.ZipFile(out) as z:
        data = z.read("word/document.xml")
    document = oracle.read_parts(out.read_bytes())[0]
    size = document.find(f"{W}body/{W}sectPr/{W}pgSz")
    assert size.get(f"{W}orient") == "landscape" and int(size.get(f"{W}w")) > int(size.get(f"{W}h"))
    tables = list(document.iter(f"{W}tbl"))
    rows_ = list(tables[-1].iter(f"{W}tr"))
    assert rows_[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert len(rows_) == 1 + 8
    assert "BẢNG SO SÁNH".encode() in data
    first = oracle.paragraph_text(next(rows_[1].iter(f"{W}p")))
    assert first == "1"


def test_a_moved_paragraph_is_one_row_saying_where_it_went(tmp_path):
    new = tmp_path / "new"
    shutil.copytree(DATA, new)
    paragraph_moved(new)
    paragraph_moved_and_edited(new)
    code, output = run(str(DATA), str(new), "--format", "table-md", *LABELS)
    assert code == 0, output
    found = rows(output)
    assert [row[1] for row in found] == ["Mục VI.2.2. Nguyên nhân<br>*Phần thứ nhất*"] * 2
    edited, lead = found
    assert lead[2:4] == [
        "Nguyên nhân khách quan:<br>*(đoạn 1)*",
        "Nguyên nhân khách quan:<br>*(chuyển thành đoạn 8)*",
    ]
    assert edited[2].startswith("Công tác bảo vệ nền tảng") and edited[2].endswith("sâu.<br>*(đoạn 3)*")
    assert "là vấn đề **rất** khó" in edited[3] and edited[3].endswith("<br>*(chuyển thành đoạn 7)*")


def test_a_paragraph_moved_to_another_section_is_one_row_saying_where_it_stood_and_went(tmp_path):
    new = tmp_path / "new"
    shutil.copytree(DATA, new)
    paragraph_moved_across_and_edited(new)
    code, output = run(str(DATA), str(new), "--format", "table-md", *LABELS)
    assert code == 0, output
    (row,) = rows(output)
    assert row[1] == "Mục VI.2.1. Hạn chế, khuyết điểm<br>*Phần thứ nhất*"
    assert row[2].startswith("Công tác bảo vệ nền tảng") and row[2].endswith("sâu.<br>*(mục VI.2.2.)*")
    assert "là vấn đề **rất** khó" in row[3] and row[3].endswith("<br>*(chuyển sang mục VI.2.1., đoạn 6)*")
