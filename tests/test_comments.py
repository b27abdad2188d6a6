"""Reviewers' comments on the real draft: every check on the sample, anchoring across a move,
the listing, the “tiếp thu, giải trình” report, and broken comment files."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from commentdata import COMMENTS, DATA, ROUND
from dhcompiler.comments_report import Filters, comments_json, current_review, entries
from dhcompiler.templates import DEFAULT_TEMPLATES
from dhcrun import run_dhc

FILE = "comments/du-thao-lan-3.yaml"


def _with_comments(data: Path, text: str, name: str = "gop-y.yaml") -> Path:
    (data / "comments").mkdir(exist_ok=True)
    (data / "comments" / name).write_text(text, encoding="utf-8")
    return data


# --- anchoring: a comment follows its section -------------------------------------------------


def _listed(data: Path, **filters: Any) -> list[dict[str, Any]]:
    review = current_review(data, DEFAULT_TEMPLATES)
    return json.loads(comments_json(entries(review, Filters(**filters))))["comments"]


def test_a_comment_follows_its_section_when_it_moves(draft4: Path, data_copy: Path) -> None:
    """c05 is on “Phát triển khoa học và công nghệ”: 4.5. in draft 3, moved up to 4.1. in draft 4."""
    _with_comments(data_copy, COMMENTS.read_text(encoding="utf-8"))
    (before,) = _listed(data_copy, on="phat-trien-khoa-hoc-cong-nghe")
    (after,) = _listed(draft4, on="phat-trien-khoa-hoc-cong-nghe")
    assert before["place"]["name"] == "4.5. Phát triển khoa học và công nghệ (mục II, Phần thứ nhất)"
    assert after["place"]["name"] == "4.1. Phát triển khoa học và công nghệ (mục II, Phần thứ nhất)"
    # the sections after it renumber too: c08 on health was 4.3., is now 4.4.
    (health,) = _listed(draft4, on="cong-tac-y-te-cham-soc")
    assert health["place"]["number"] == "4.4."


def test_listing_filters(draft4: Path) -> None:
    def keys(**filters: Any) -> list[str]:
        return [c["key"] for c in _listed(draft4, **filters)]

    assert keys(open_only=True) == ["c06"]
    assert keys(source="phường Thắng Lợi") == ["c09", "c06"]
    assert keys(round="Dự thảo lần 2") == []
    # reading order: general remarks, then the footnote cited in 1.2.3., then 4.1. (moved), …, Part two
    assert keys() == ["c01", "c11", "c05", "c03", "c08", "c04", "c13", "c09", "c10", "c06", "c12", "c02", "c07"]


def test_listing_as_text(draft4: Path) -> None:
    result = run_dhc("comments", str(draft4), "--on", "nguyen-nhan-2", "--from", "Thắng Lợi", "--open", cwd=draft4)
    assert result.stdout.splitlines() == [
        "c06  2.2. Nguyên nhân (mục VI, Phần thứ nhất)  [Chưa xử lý]",
        "     Đảng ủy phường Thắng Lợi, ngày 09 tháng 01 năm 2025 — Dự thảo biên tập lần 3",
        "     Đề nghị phân tích rõ hơn nguyên nhân chủ quan của các hạn chế, khuyết điểm.",
        "     → (chưa trả lời)",
        "1 ý kiến.",
    ]


# --- the report -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def report_docx(draft4: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "tiep-thu-giai-trinh.docx"
    result = run_dhc("comments", str(draft4), "--format", "docx", "--out", str(out), cwd=draft4)
    assert result.returncode == 0, result.stderr
    return out


def test_report_summary_counts_match_the_table(report_docx: Path) -> None:
    from docx import Document as open_docx

    document = open_docx(str(report_docx))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:2] == ["BÁO CÁO", "TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý VÀO DỰ THẢO BÁO CÁO CHÍNH TRỊ"]
    table = document.tables[-1]  # the first is the header block
    header = [c.text for c in table.rows[0].cells]
    assert header == ["STT", "Vị trí trong dự thảo", "Nội dung góp ý", "Cơ quan, đơn vị góp ý", "Tiếp thu, giải trình"]
    rows = [[c.text for c in row.cells] for row in table.rows[1:] if row.cells[0].text.isdigit()]
    assert [r[0] for r in rows] == [str(n) for n in range(1, 14)]
    status = Counter(
        next(s for s in ("Tiếp thu một phần", "Tiếp thu", "Giải trình", "Chưa xử lý") if r[4].startswith(s))
        for r in rows
    )
    bodies = {r[3].split("\n")[0] for r in rows}
    assert f"Tổng hợp {len(rows)} ý kiến góp ý của {len(bodies)} cơ quan, đơn vị" in "\n".join(paragraphs)
    result = next(p for p in paragraphs if p.startswith("Kết quả:"))
    stated = {
        label: int(n) for label, n in re.findall(r"(tiếp thu một phần|tiếp thu|giải trình|chưa xử lý) (\d+)", result)
    }
    assert stated == {label.lower(): n for label, n in status.items()}
    assert stated == {"tiếp thu": 7, "tiếp thu một phần": 1, "giải trình": 4, "chưa xử lý": 1}
    by_part = [p for p in paragraphs if p.startswith("- ")]
    assert by_part == [
        "- Ý kiến chung: 01 ý kiến (giải trình 01).",
        "- Phần thứ nhất: 10 ý kiến (tiếp thu 06, tiếp thu một phần 01, giải trình 02, chưa xử lý 01).",
        "- Phần thứ hai: 02 ý kiến (tiếp thu 01, giải trình 01).",
    ]


def test_report_rows_are_grouped_by_part_with_current_numbers(report_docx: Path) -> None:
    from docx import Document as open_docx

    table = open_docx(str(report_docx)).tables[-1]
    firsts = [row.cells[0].text for row in table.rows[1:]]
    groups = [text for text in firsts if not text.isdigit()]
    assert groups[0] == "Ý kiến chung"
    assert groups[1].startswith("Phần thứ nhất: ĐÁNH GIÁ TỔNG QUÁT") and groups[2].startswith("Phần thứ hai:")
    moved = next(row for row in table.rows if row.cells[0].text == "3")
    assert moved.cells[1].text == "4.1. Phát triển khoa học và công nghệ (mục II, Phần thứ nhất)"
    quoted = next(row for row in table.rows if row.cells[0].text == "4")
    assert quoted.cells[2].text.startswith("“tiếp tục phát triển toàn diện cả về quy mô và chất lượng”\n")
    assert quoted.cells[4].text == "Tiếp thu, đã sửa thành “có bước phát triển về quy mô và chất lượng”."


def test_report_is_landscape(report_docx: Path) -> None:
    import zipfile

    xml = zipfile.ZipFile(report_docx).read("word/document.xml").decode()
    assert 'w:orient="landscape"' in xml


def test_comments_docx_needs_an_output_file(draft4: Path) -> None:
    result = run_dhc("comments", str(draft4), "--format", "docx", cwd=draft4)
    assert result.returncode == 2
    assert "cần --out" in result.stderr


def test_comments_on_a_missing_data_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = run_dhc("comments", str(tmp_path / "khong-co"), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert "Không tìm thấy thư mục dữ liệu" in result.stderr and "Traceback" not in result.stderr


# --- broken comment files ---------------------------------------------------------------------

GOOD = f"round: {ROUND}\nfrom: Văn phòng Thành ủy\ncomments:\n  - key: b1\n    on: nguyen-nhan-2\n    text: Ý kiến.\n"
BROKEN = [
    ("unknown key", GOOD.replace("    text:", "    tittle: x\n    text:"), "6:5", "DH011", "Khóa “tittle”"),
    ("bad status", GOOD + "    status: done\n", "7:13", "DH013", "accepted"),
    ("missing text", GOOD.replace("    text: Ý kiến.\n", ""), "4:5", "DH010", "Thiếu khóa bắt buộc “text”"),
    ("missing from", GOOD.replace("from: Văn phòng Thành ủy\n", ""), "3:5", "DH010", "thiếu khóa bắt buộc “from”"),
    (
        "quote twice",
        GOOD.replace("nguyen-nhan-2", "phat-trien-cong-nghiep-xay-dung") + "    quote: công nghiệp - xây dựng\n",
        "7:12",
        "DH803",
        "xuất hiện 3 lần",
    ),
]


@pytest.mark.parametrize(("name", "text", "position", "code", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_comment_file_stops_with_one_located_message(
    data_copy: Path, tmp_path: Path, name: str, text: str, position: str, code: str, words: str
) -> None:
    _with_comments(data_copy, text)
    out = tmp_path / "tiep-thu.docx"
    result = run_dhc("comments", str(data_copy), "--format", "docx", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if f"({code})" in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"data/comments/gop-y.yaml:{position}: [lỗi] "), lines[0]
    assert words in lines[0]
    assert not out.exists()


def test_no_comments_folder_means_no_comments(tmp_path: Path) -> None:
    result = run_dhc("comments", str(DATA), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "0 ý kiến.\n"


# --- importing a comment table ----------------------------------------------------------------


def test_the_report_table_imports_back_to_the_same_places(report_docx: Path, draft4: Path, tmp_path: Path) -> None:
    data = tmp_path / "du-thao-4"
    shutil.copytree(draft4, data)
    shutil.rmtree(data / "comments")
    result = run_dhc("import", str(report_docx), "--out", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Đã nhập 13 ý kiến góp ý vào {data}/comments/tiep-thu-giai-trinh.yaml.")
    imported = sorted(_listed(data), key=lambda c: c["key"])
    original = _listed(draft4)  # the report's rows are in this order, numbered y01, y02, …
    for comment, before in zip(imported, original, strict=True):
        assert comment["place"]["name"] == before["place"]["name"]
        fields = ("status", "quote", "text", "proposal", "from", "date")
        assert [comment[f] for f in fields] == [before[f] for f in fields]
    assert len(imported) == 13


def _table_docx(path: Path, rows: list[list[str]]) -> Path:
    from docx import Document as new_docx

    document = new_docx()
    document.add_paragraph("BẢNG TỔNG HỢP Ý KIẾN GÓP Ý")
    table = document.add_table(rows=0, cols=5)
    for values in [["STT", "Vị trí", "Nội dung góp ý", "Đơn vị góp ý", "Tiếp thu, giải trình"], *rows]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def test_a_received_table_is_matched_by_number_and_title(data_copy: Path, tmp_path: Path) -> None:
    table = _table_docx(
        tmp_path / "Góp ý các phường.docx",
        [
            ["1", "Mục II, điểm 4.1 Giáo dục và đào tạo", "Đề nghị bổ sung.", "Đảng ủy phường Cải Đan", ""],
            ["2", "Phần thứ hai, mục I, 1. Mục tiêu tổng quát", "Viết gọn.", "Đảng ủy phường Mỏ Chè", "Tiếp thu."],
            ["3", "Nguyên nhân (mục 2.2)", "Phân tích sâu hơn.", "Đảng ủy xã Bình Sơn", "Giải trình: đã đủ."],
            ["4", "Mục 2.1, đoạn 3", "Sửa câu.", "Đảng ủy xã Vinh Sơn", "Đã sửa."],
            ["5", "Chung", "Báo cáo dài.", "", "Giải trình: theo hướng dẫn."],
        ],
    )
    result = run_dhc("import", str(table), "--out", str(data_copy), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 hàng của bảng chưa khớp được vị trí (tạm ghi on: document), cần xem lại:" in result.stdout
    assert "  hàng 5: “Mục 2.1, đoạn 3”" in result.stdout
    review = re.findall(r"Góp ý các phường\.docx:(\d+):1: \[cảnh báo\] .*\((DH63\d)\)", result.stderr)
    assert review == [("5", "DH630"), ("5", "DH631"), ("6", "DH632")]
    written = data_copy / "comments" / "gop-y-phuong.yaml"
    comments = _listed(data_copy)
    assert [(c["key"], c["on"], c["status"]) for c in comments] == [
        ("y04", "document", "open"),  # unmatched, for review
        ("y05", "document", "explained"),
        ("y01", "giao-duc-dao-tao", "open"),
        ("y03", "nguyen-nhan-2", "explained"),
        ("y02", "muc-tieu-tong-quat", "accepted"),
    ]
    assert "cited: Mục 2.1, đoạn 3" in written.read_text(encoding="utf-8")
    again = run_dhc("import", str(table), "--out", str(data_copy), cwd=tmp_path)
    assert again.returncode == 1 and "không ghi đè" in again.stderr
