"""Broken inputs: one clear Vietnamese message at file:line:column, exit code 1, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dhcrun import run_dhc, run_dhc_process

CLOSING = "sections/9-ket-luan.yaml"
GOOD_CLOSING = """\
key: ket-luan
kind: closing
content:
  - Đoạn kết của báo cáo.
"""

# (name, file to replace, its new text, expected "line:column", expected code)
CASES = [
    ("yaml syntax", CLOSING, "key: ket-luan\nkind: closing\ncontent:\n  - [Đoạn kết chưa đóng ngoặc\n", "4:5", "DH001"),
    ("duplicate key", CLOSING, GOOD_CLOSING + "kind: section\n", "5:1", "DH002"),
    ("unknown key", CLOSING, GOOD_CLOSING.replace("content:", "contents:"), "3:1", "DH011"),
    ("wrong type", CLOSING, "key: ket-luan\nkind: closing\ncontent:\n  - items: Một ý\n", "4:12", "DH012"),
    ("dangling footnote", CLOSING, GOOD_CLOSING.replace("báo cáo.", "báo cáo[^khong-co]."), "4:25", "DH021"),
    (
        "dangling indicator",
        CLOSING,
        GOOD_CLOSING.replace("báo cáo.", "báo cáo {{ ind.khong_co.result }}."),
        "4:33",
        "DH022",
    ),
    (
        "template error",
        CLOSING,
        GOOD_CLOSING.replace("báo cáo.", "báo cáo {{ ind.xuat_khau.resul }}."),
        "4:26",
        "DH030",
    ),
    ("template syntax", CLOSING, GOOD_CLOSING.replace("báo cáo.", "báo cáo {{ ind.xuat_khau. }}."), "4:26", "DH030"),
    ("alias", CLOSING, "key: &k ket-luan\nkind: closing\ncontent:\n  - *k\n", "1:6", "DH003"),
    ("duplicate section key", CLOSING, GOOD_CLOSING.replace("key: ket-luan", "key: danh-gia-chung"), "1:6", "DH020"),
    (
        "unbalanced bold",
        CLOSING,
        GOOD_CLOSING.replace("- Đoạn kết của báo cáo.", '- "**Đoạn kết của báo cáo."'),
        "4:5",
        "DH031",
    ),
    ("star starts an alias", CLOSING, GOOD_CLOSING.replace("Đoạn kết", "**Đoạn** kết"), "4:6", "DH001"),
]


@pytest.mark.parametrize(("name", "file", "text", "position", "code"), CASES, ids=[c[0] for c in CASES])
def test_broken_input_gives_one_located_message(data_copy, tmp_path, name, file, text, position, code):
    (data_copy / file).write_text(text, encoding="utf-8")
    result = run_dhc("build", str(data_copy), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if f"({code})" in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"data/{file}:{position}: [lỗi] "), lines[0]
    assert not (tmp_path / "out").exists()


def test_ambiguous_number_points_at_the_figure(data_copy, tmp_path):
    path = data_copy / "indicators.yaml"
    text = path.read_text(encoding="utf-8").replace("result: 21.502", "result: 21.50", 1)
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("result: 21.50")].count("\n") + 1
    result = run_dhc("build", str(data_copy), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert f"data/indicators.yaml:{line}:17: [lỗi] Số không hợp lệ: “21.50”" in result.stderr
    assert "“2.150” hay “21,5”" in result.stderr
    assert "(DH014)" in result.stderr


def test_missing_data_directory(tmp_path):
    """A real process: its exit code and stderr, with no traceback."""
    result = run_dhc_process("build", "khong-ton-tai", cwd=tmp_path)
    assert result.returncode == 1
    assert "khong-ton-tai/document.yaml:1:1: [lỗi] Không đọc được tệp" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path):
    """A real process: a usage error exits 2."""
    result = run_dhc_process("build", "--format", "odt", cwd=tmp_path)
    assert result.returncode == 2
    assert "Định dạng không hỗ trợ: odt" in result.stderr


def test_version_and_summary(data_copy, tmp_path):
    assert run_dhc("--version", cwd=tmp_path).stdout.startswith("dhc ")
    result = run_dhc("build", str(data_copy), "--out", "ra", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("Đã ghi ra/bao-cao-chinh-tri.md, ra/bao-cao-chinh-tri.docx — ")
    assert "45 chú thích" in summary and "52 chỉ tiêu" in summary and "giây" in summary


def test_the_command_line_speaks_vietnamese(tmp_path):
    help_text = run_dhc("build", "--help", cwd=tmp_path).stdout
    assert help_text.startswith("Cách dùng: dhc build")
    assert "Tùy chọn:" in help_text and "In hướng dẫn này rồi thoát." in help_text
    wrong = run_dhc("build", "--khong-co", cwd=tmp_path)
    assert wrong.returncode == 2
    assert "Lỗi: Không có tùy chọn: --khong-co" in wrong.stderr
    assert "Xem 'dhc build --help' để được hướng dẫn." in wrong.stderr


def test_a_broken_layout_template_is_located(data_copy, tmp_path):
    from conftest import ROOT

    templates = tmp_path / "mau"
    shutil.copytree(ROOT / "templates", templates)
    numbering = templates / "numbering.j2"
    lines = numbering.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, start=1) if "macro roman" in text)
    lines[line - 1] = "{% macro roman(n) %}{{ n | roman }{% endmacro %}"
    numbering.write_text("\n".join(lines), encoding="utf-8")
    result = run_dhc("build", str(data_copy), "--templates", str(templates), "--out", "ra", cwd=tmp_path)
    assert result.returncode == 1
    assert f"mau/numbering.j2:{line}:1: [lỗi] Lỗi trong mẫu trình bày" in result.stderr
    assert "(DH032)" in result.stderr and "Traceback" not in result.stderr


def test_quiet_build_counts_warnings_without_listing_them(data_copy, tmp_path):
    loud = run_dhc("build", str(data_copy), "--out", "a", cwd=tmp_path)
    quiet = run_dhc("build", str(data_copy), "--out", "b", "--quiet", cwd=tmp_path)
    assert loud.returncode == quiet.returncode == 0
    assert "(DH403)" in loud.stderr and "(DH403)" not in quiet.stderr
    assert quiet.stderr.strip() == loud.stderr.strip().splitlines()[-1]
    assert quiet.stderr.strip().endswith("cảnh báo (xem chi tiết bằng “dhc check”).")


@pytest.mark.parametrize("command", ["build", "import"])
def test_an_output_the_file_system_refuses_is_reported_not_raised(data_copy, tmp_path, command):
    blocker = tmp_path / "tep"
    blocker.write_text("một tệp, không phải thư mục\n", encoding="utf-8")
    if command == "build":
        result = run_dhc("build", str(data_copy), "--out", "tep/ra", cwd=tmp_path)
    else:
        result = run_dhc(
            "import", str(Path(__file__).parent / "fixtures" / "seed.txt"), "--out", "tep/ra", cwd=tmp_path
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "(DH043)" in result.stderr
    assert "đã có một tệp trùng tên" in result.stderr or "một phần của đường dẫn là tệp" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "một tệp, không phải thư mục\n"


def test_a_decimal_comma_in_a_flow_mapping_is_explained(data_copy, tmp_path):
    path = data_copy / "indicators.yaml"
    text = path.read_text(encoding="utf-8").replace(
        '{value: "98,5", comparison: above}', "{value: 98,5, comparison: above}"
    )
    path.write_text(text, encoding="utf-8")
    result = run_dhc("build", str(data_copy), "--out", "ra", cwd=tmp_path)
    assert result.returncode == 1
    assert "(DH011)" in result.stderr and 'hãy đặt số trong ngoặc kép, ví dụ value: "98,5"' in result.stderr


def test_an_option_value_out_of_range_is_refused_in_vietnamese():
    from conftest import ROOT

    too_small = run_dhc("build", "data", "--depth", "-1", "--out", "unused", cwd=ROOT)
    not_a_number = run_dhc("diff", "-U", "abc", cwd=ROOT)
    assert too_small.returncode == 2 and "--depth': phải lớn hơn hoặc bằng 0" in too_small.stderr
    assert not_a_number.returncode == 2 and "phải là một số nguyên" in not_a_number.stderr
    assert "Input should" not in too_small.stderr + not_a_number.stderr
