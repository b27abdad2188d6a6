"""Rules on the other documents: DH311, the resolution against the report."""

from __future__ import annotations

from checks.ruledata import locate, messages, run_rule, shown
from conftest import DATA

RESOLUTION = "documents/resolution.yaml"


def test_dh311_is_quiet_on_the_projects_resolution():
    assert run_rule(DATA, "DH311") == []


def test_dh311_finds_a_figure_that_differs_from_the_indicator(data_copy):
    path = data_copy / RESOLUTION
    path.write_text(
        path.read_text(encoding="utf-8") + "assessment:\n"
        "  - >-\n"
        "    Giá trị xuất khẩu trên địa bàn bình quân đạt 9,6%/năm; sản lượng lương thực cây có hạt\n"
        "    bình quân đạt 21.502 tấn/năm, ổn định tỷ lệ che phủ rừng từ 15% trở lên.\n",
        encoding="utf-8",
    )
    # 21.502 tấn/năm is the ending term's result, 15% the new term's target: both agree.
    assert run_rule(data_copy, "DH311") == [("DH311", shown(path), *locate(path, "9,6%"))]
    assert "8,6%/năm (xuat_khau)" in messages(data_copy, "DH311")[0]


def test_dh311_finds_a_target_the_resolution_leaves_out(data_copy):
    path = data_copy / RESOLUTION
    from dhcompiler.resolve import load_report

    keys = [g.key for g in load_report(DATA).indicators.targets]
    kept = [k for k in keys if k != "nuoc_sach_moi"]
    path.write_text(path.read_text(encoding="utf-8") + f"targets: [{', '.join(kept)}]\n", encoding="utf-8")
    found = messages(data_copy, "DH311")
    assert len(found) == 1 and "số 14" in found[0] and "nuoc_sach_moi" in found[0]
    path.write_text(path.read_text(encoding="utf-8").replace("targets: [", "targets: [nuoc_sach_moi, "))
    assert run_rule(data_copy, "DH311") == []


def test_dh312_reports_an_open_choice_at_its_alternatives(data_copy):
    assert run_rule(DATA, "DH312") == []
    path = data_copy / "document.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "motto:\n  title: PHƯƠNG CHÂM ĐẠI HỘI\n",
        "motto:\n  title: PHƯƠNG CHÂM ĐẠI HỘI\n  alternatives:\n"
        "    - {key: pa1, label: Phương án 1, text: Đoàn kết - Kỷ cương}\n"
        "    - {key: pa2, label: Phương án 2, text: Đoàn kết - Đổi mới}\n",
    )
    path.write_text(text, encoding="utf-8")
    assert run_rule(data_copy, "DH312") == [("DH312", shown(path), *locate(path, "- {key: pa1"))]
    assert "motto" in messages(data_copy, "DH312")[0]
    path.write_text(text + "choices: {motto: pa2}\n", encoding="utf-8")
    assert run_rule(data_copy, "DH312") == []


def test_dh311_is_silenced_by_a_dhc_ignore_comment_in_the_resolution(data_copy):
    """The suppression comments of documents/*.yaml are read like those of the report's files:
    the finding goes, and an ignore that silences nothing is itself reported (DH512)."""
    from dhcompiler.checks.run import check_data_dir

    path = data_copy / RESOLUTION
    base = path.read_text(encoding="utf-8")
    sentence = "  - >-\n    Giá trị xuất khẩu trên địa bàn bình quân đạt 9,6%/năm.\n"
    path.write_text(base + "assessment:\n" + sentence, encoding="utf-8")
    assert [f.code for f in check_data_dir(data_copy).findings if f.path == shown(path)] == ["DH311"]
    ignore = "  # dhc-ignore DH311: số liệu ước cả năm 2025 theo báo cáo của UBND thành phố\n"
    path.write_text(base + "assessment:\n" + ignore + sentence, encoding="utf-8")
    assert [f.code for f in check_data_dir(data_copy).findings if f.path == shown(path)] == []
    path.write_text(base + "assessment:\n" + ignore + "  - Nhiệm kỳ qua đạt nhiều kết quả.\n", encoding="utf-8")
    assert [f.code for f in check_data_dir(data_copy).findings if f.path == shown(path)] == ["DH512"]
