"""Consistency rules: a statement repeated with other figures, figures beside indicator names,
the theme against the general objective."""

from __future__ import annotations

from checks.ruledata import edit, locate, messages, run_rule, shown, write_example
from conftest import DATA

SECTIONS = DATA / "sections"
ECONOMY = SECTIONS / "1-2-ket-qua-cong-tac-lanh-dao.yaml"
BREAKTHROUGHS = SECTIONS / "1-5-ket-qua-thuc-hien-dot-pha.yaml"
OBJECTIVES = SECTIONS / "2-1-muc-tieu-chi-tieu.yaml"

# --- DH301: the same statement with other figures --------------------------------------------


def test_dh301_finds_the_seeds_two_repeated_statements():
    # Schools meeting the national standard: 94% (Part I, II.4.1) and 91,2% (Part I, V.(3));
    # teachers above the standard: 28,6% (footnote on education) and 35,8% (Part I, V.(3)).
    # Passing: “thu hồi trên 459,48ha đất …, tổng số tiền … trên 2.775 tỷ đồng” twice alike.
    teachers = locate(ECONOMY, "28,6%", after="co-so-giao-duc-giao-vien:")
    schools = locate(BREAKTHROUGHS, "91,2%")
    assert run_rule(DATA, "DH301") == [
        ("DH301", shown(ECONOMY), *teachers),
        ("DH301", shown(BREAKTHROUGHS), *schools),
    ]
    line = locate(ECONOMY, "94%")[0]
    assert messages(DATA, "DH301")[1] == (
        "“tỷ lệ trường công lập đạt chuẩn quốc gia” được viết là 91,2% ở đây nhưng là 94% ở "
        f"{shown(ECONOMY)}:{line}; hãy thống nhất một con số."
    )


def test_dh301_compares_subjects_whatever_their_case_and_tone_marks(data_copy):
    path = write_example(
        data_copy,
        "content:\n"
        "  - >-\n"
        "    Tỷ lệ xóm có nhà văn hoá đạt 100%; tốc độ tăng trưởng bình quân đạt 18,04%.\n"
        "  - >-\n"
        "    tỷ lệ xóm có nhà văn hoá đạt 100%; tốc độ tăng trưởng bình quân đạt 5%.\n"
        "  - >-\n"
        "    Tỷ lệ xóm có nhà văn hóa đạt 98%.\n",
    )
    # The same “100%” twice passes; a subject of generic words only is not compared.
    assert [hit for hit in run_rule(data_copy, "DH301") if hit[1] == path] == [("DH301", path, 9, 34)]


def test_dh301_compares_only_the_same_time_and_place(data_copy):
    path = write_example(
        data_copy,
        "content:\n"
        "  - >-\n"
        "    Năm 2020, tỷ lệ hộ nghèo là 3,2%. Đến năm 2025, tỷ lệ hộ nghèo còn 0,51%, giảm 2,69% so\n"
        "    với năm 2020.\n"
        "  - >-\n"
        "    Tại xã Tân Quang, tỷ lệ che phủ rừng đạt 40%; tại phường Lương Sơn, tỷ lệ che phủ rừng\n"
        "    đạt 12%. Trước sáp nhập, tổng diện tích tự nhiên là 96 km; sau sáp nhập, tổng diện\n"
        "    tích tự nhiên là 130 km.\n"
        "  - >-\n"
        "    Tăng 1,5% so với năm 2020, tỷ lệ hộ nghèo còn 0,6%.\n",
    )
    # Two years, two localities, before and after a merger: not compared. The last sentence
    # gives no time of its own (“so với năm 2020” is a reference point), unlike every other.
    assert [hit for hit in run_rule(data_copy, "DH301") if hit[1] == path] == []


def test_dh301_still_compares_the_same_frame(data_copy):
    path = write_example(
        data_copy,
        "content:\n"
        "  - >-\n"
        "    Đến năm 2025, tỷ lệ hộ nghèo còn 0,51%.\n"
        "  - >-\n"
        "    Tại xã Tân Quang, tỷ lệ che phủ rừng đạt 40%.\n"
        "  - >-\n"
        "    Năm 2025, tỷ lệ hộ nghèo còn 0,6%; ở xã Tân Quang, tỷ lệ che phủ rừng đạt 42%.\n",
    )
    assert [hit for hit in run_rule(data_copy, "DH301") if hit[1] == path] == [
        ("DH301", path, 9, 34),
        ("DH301", path, 9, 79),
    ]


# --- DH302: a figure beside an indicator's name ----------------------------------------------


def test_dh302_finds_the_seeds_industry_growth_beside_the_wrong_indicator():
    # “Sản xuất công nghiệp - xây dựng …, tốc độ tăng bình quân đạt 17,02%/năm”: the indicator
    # “công nghiệp, xây dựng” is 17,33%/năm; 17,02%/năm is the growth of all sectors.
    assert run_rule(DATA, "DH302") == [("DH302", shown(ECONOMY), *locate(ECONOMY, "17,02%/năm"))]
    assert messages(DATA, "DH302") == [
        "Cạnh tên chỉ tiêu “công nghiệp, xây dựng” văn bản viết 17,02%/năm, nhưng giá trị của chỉ "
        "tiêu là 17,33%/năm (tang_truong_cong_nghiep); 17,02%/năm là giá trị của chỉ tiêu “tốc độ "
        "tăng trưởng giá trị sản xuất các ngành kinh tế bình quân” (tang_truong_gtsx)."
    ]


def test_dh302_compares_figures_before_and_after_names(data_copy):
    path = write_example(
        data_copy,
        "content:\n"
        "  - >-\n"
        "    Sản xuất công nghiệp - xây dựng tiếp tục phát triển, tốc độ tăng bình quân đạt 17,3%/năm.\n"
        "  - >-\n"
        "    Thương mại - dịch vụ tăng bình quân 20,03%/năm; giá trị xuất khẩu trên địa bàn tăng 8,6%/năm.\n"
        "  - >-\n"
        "    Hằng năm, có 95% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên.\n"
        "  - >-\n"
        "    Chỉ tiêu Nghị quyết: công nghiệp, xây dựng tăng 16%/năm trở lên.\n",
    )
    # 17,3 is 17,33 rounded; 8,6 is the export result; “Chỉ tiêu Nghị quyết: …” states a target.
    assert [hit for hit in run_rule(data_copy, "DH302") if hit[1] == path] == [
        ("DH302", path, 7, 41),
        ("DH302", path, 9, 18),
    ]


# --- DH303: the theme and the general objective ----------------------------------------------


def test_dh303_finds_the_seeds_objective_drifting_from_the_theme():
    # Theme: “phát huy dân chủ, đoàn kết …; … các nguồn lực, chuyển đổi số …”; objective:
    # “phát huy đoàn kết, dân chủ …; … các nguồn lực phát triển kinh tế - xã hội, …”.
    assert run_rule(DATA, "DH303") == [
        ("DH303", shown(OBJECTIVES), *locate(OBJECTIVES, "đoàn kết, dân chủ")),
        ("DH303", shown(OBJECTIVES), *locate(OBJECTIVES, "phát triển kinh tế")),
    ]
    assert messages(DATA, "DH303") == [
        "Mục tiêu tổng quát viết “phát huy đoàn kết, dân chủ, kỷ cương, đổi mới”, Chủ đề Đại hội "
        "viết “phát huy dân chủ, đoàn kết, kỷ cương, đổi mới” (đảo thứ tự).",
        "Mục tiêu tổng quát khác Chủ đề Đại hội ở vế “huy động và sử dụng hiệu quả các nguồn lực, "
        "chuyển đổi số, chuyển đổi xanh”: thêm “phát triển kinh tế - xã hội”.",
    ]


def test_dh303_passes_an_objective_that_repeats_the_theme(data_copy):
    path = data_copy / "sections" / "2-1-muc-tieu-chi-tieu.yaml"
    edit(path, "huy đoàn kết, dân chủ,", "huy dân chủ, đoàn kết,")
    edit(path, "nguồn lực phát triển kinh tế - xã hội,", "nguồn lực,")
    assert run_rule(data_copy, "DH303") == []


def test_dh303_reports_a_missing_clause_and_needs_the_marker(data_copy):
    path = data_copy / "sections" / "2-1-muc-tieu-chi-tieu.yaml"
    edit(path, "huy đoàn kết, dân chủ,", "huy dân chủ, đoàn kết,")
    edit(path, "nguồn lực phát triển kinh tế - xã hội,", "nguồn lực,")
    edit(path, " bảo đảm quốc phòng, an ninh;", "")
    line, column = locate(path, "huy động và sử")
    assert run_rule(data_copy, "DH303") == [("DH303", str(path.resolve()), line, column)]
    assert messages(data_copy, "DH303") == [
        "Mục tiêu tổng quát thiếu vế “bảo đảm quốc phòng, an ninh” của Chủ đề Đại hội."
    ]
    edit(path, "    role: general_objective\n", "")
    assert run_rule(data_copy, "DH303") == []


# --- DH304: the objective adds to the theme (information) ------------------------------------


def _theme_as_is(path):
    edit(path, "huy đoàn kết, dân chủ,", "huy dân chủ, đoàn kết,")
    edit(path, "nguồn lực phát triển kinh tế - xã hội,", "nguồn lực,")


def test_dh304_reports_added_clauses_and_tails_as_information_not_dh303(data_copy):
    path = data_copy / "sections" / "2-1-muc-tieu-chi-tieu.yaml"
    _theme_as_is(path)
    edit(path, "bền vững.", "bền vững, hiện đại; phấn đấu trở thành đô thị loại II.")
    edit(path, "Tăng cường xây dựng", "Tiếp tục tăng cường xây dựng")
    assert run_rule(data_copy, "DH303") == []
    where = str(path.resolve())
    assert run_rule(data_copy, "DH304") == [
        ("DH304", where, *locate(path, ">-", after="general_objective")),  # offset 0: the scalar
        ("DH304", where, *locate(path, "hiện đại")),
        ("DH304", where, *locate(path, "phấn đấu")),
    ]
    assert messages(data_copy, "DH304")[2] == (
        "Mục tiêu tổng quát có vế “phấn đấu trở thành đô thị loại II” mà Chủ đề Đại hội không có."
    )


def test_dh303_pairs_changed_clauses_when_a_clause_is_added_before_them(data_copy):
    path = data_copy / "sections" / "2-1-muc-tieu-chi-tieu.yaml"
    _theme_as_is(path)
    edit(path, "; bảo đảm quốc phòng, an ninh;", "; giữ vững ổn định chính trị; bảo đảm quốc phòng và an ninh;")
    where = str(path.resolve())
    assert run_rule(data_copy, "DH304") == [("DH304", where, *locate(path, "giữ vững"))]
    assert run_rule(data_copy, "DH303") == [("DH303", where, *locate(path, "và an ninh"))]
