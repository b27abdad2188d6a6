"""Indicators: achievement from target, comparison and result; sentences and prose from the data."""

from __future__ import annotations

from conftest import DATA, build_to
from dhcompiler.indicators import Achievement, assess, result_line, target_line
from dhcompiler.resolve import load_report


def test_achievement_of_the_ending_term():
    report = load_report(DATA)
    groups = {g.key: g for g in report.indicators.results}
    measures = report.measures()
    assert assess(measures["xuat_khau"]) is Achievement.MISSED  # 8,6 against 15
    assert assess(measures["luong_thuc"]) is Achievement.EXCEEDED  # 21.502 against 21.500
    assert assess(measures["ket_nap_dang"]) is Achievement.MET  # 3% trở lên against 3%
    assert assess(measures["that_nghiep"]) is Achievement.MET  # 1,3 below 2
    assert assess(measures["xom_van_hoa"]) is Achievement.EXCEEDED  # 93,04 above 85
    assert assess(measures["thu_nhap"]) is Achievement.UNKNOWN  # qualitative target
    assert assess(measures["dang_vien_hoan_thanh_tot"], groups["danh_gia_dang"].target) is Achievement.EXCEEDED


def test_sentences_are_rendered_from_values():
    report = load_report(DATA)
    line = result_line(report.indicators.results[6])
    assert line.text == (
        "Tỷ lệ gia đình văn hóa đạt 95,48% (Mục tiêu: 95%); tỷ lệ xóm, tổ dân phố đạt chuẩn văn "
        "hóa đạt 93,04% (Mục tiêu: trên 85%); tỷ lệ cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn "
        "hóa đạt 95,82% (Mục tiêu: trên 90%)."
    )
    first = result_line(report.indicators.results[0])
    assert first.bullets[0] == "Công nghiệp, xây dựng: 17,33%/năm (Mục tiêu: 17% trở lên)."
    last = target_line(report.indicators.targets[-1])
    assert ". Tỷ lệ tổ chức cơ sở đảng xếp loại" in last.text


def test_changing_a_result_changes_every_place_that_cites_it(data_copy, tmp_path):
    path = data_copy / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("result: 8,6", "result: 16,4").replace("result: 21.502", "result: 21.000")
    path.write_text(text, encoding="utf-8")
    markdown = build_to(data_copy, tmp_path, ("md",))["md"].read_text(encoding="utf-8")
    assert "Giá trị xuất khẩu trên địa bàn bình quân đạt 16,4%/năm (Mục tiêu: 15%/năm)." in markdown
    assert "giá trị xuất khẩu bình quân tăng 16,4%" in markdown
    assert (
        "Trong 14 nhóm chỉ tiêu chủ yếu, còn chỉ tiêu sản lượng lương thực cây có hạt bình quân chưa hoàn thành"
    ) in markdown
