"""Vietnamese text rules DH401–DH410: each with a failing and a passing example, by line and column."""

from __future__ import annotations

import unicodedata

import pytest

from checks.checkdata import at, hits, mini_copy, rule_findings, write_section
from dhcompiler.checks.text import move_tone, tone_style, unbalanced


@pytest.fixture
def mini(tmp_path):
    return mini_copy(tmp_path)


def paragraph(text: str) -> str:
    return f"content:\n  - {text}\n"


def folded(*lines: str) -> str:
    return "content:\n  - >-\n" + "".join(f"    {line}\n" for line in lines)


# --- DH401 ------------------------------------------------------------------------------------


def test_dh401_reports_decomposed_text_at_its_first_combining_mark(mini):
    path = write_section(mini, paragraph(unicodedata.normalize("NFD", "Quyết tâm cao.")))
    line, column = at(path, "\u0302")
    assert hits(mini, "DH401") == [("DH401", line, column)]
    assert (line, column) == (5, 9)


def test_dh401_passes_precomposed_text(mini):
    write_section(mini, paragraph("Quyết tâm cao."))
    assert hits(mini, "DH401") == []


# --- DH402 ------------------------------------------------------------------------------------


def test_tone_style_and_move_tone():
    assert [tone_style(w) for w in ("hoá", "hóa", "Uỷ", "Ủy", "khoẻ", "khỏe", "quý", "hoàn", "của")] == [
        "old",
        "new",
        "old",
        "new",
        "old",
        "new",
        None,
        None,
        None,
    ]
    assert [move_tone(w) for w in ("hoá", "hóa", "Uỷ", "THUỶ")] == ["hóa", "hoá", "Ủy", "THỦY"]


def test_dh402_reports_the_minority_placement(mini):
    path = write_section(mini, paragraph("Công nghiệp hóa, hiện đại hóa; Ủy ban; văn hoá; cấp uỷ."))
    assert hits(mini, "DH402") == [("DH402", *at(path, "hoá")), ("DH402", *at(path, "uỷ"))]
    assert "hãy viết thống nhất “hóa”" in rule_findings(mini, "DH402")[0].message


def test_dh402_follows_the_majority_either_way(mini):
    path = write_section(mini, paragraph("Công nghiệp hoá, hiện đại hoá, văn hoá, thuỷ lợi; khóa học."))
    # document.yaml writes “ỦY” and “KHÓA”: the four old-style words of the section win
    assert hits(mini, "DH402") == [("DH402", *at(path, "khóa"))]


def test_dh402_passes_one_placement(mini):
    write_section(mini, paragraph("Công nghiệp hóa, hiện đại hóa, Ủy ban, sức khỏe, quý, hoàn thành."))
    assert hits(mini, "DH402") == []


# --- DH403 ------------------------------------------------------------------------------------


def test_dh403_reports_the_second_of_two_equal_words(mini):
    path = write_section(
        mini,
        folded(
            "Bồi thường thường giải phóng mặt bằng; về phát triển phát triển tổ chức đảng; Thi đua thi",
            "đua; đất đai, bồi thường",
            "thường giải phóng.",
        ),
    )
    assert hits(mini, "DH403") == [("DH403", *at(path, "phát triển tổ")), ("DH403", *at(path, "thi\n"))]
    # a syllable repeated after the compound word it closes may be a word of its own: DH411
    assert hits(mini, "DH411") == [
        ("DH411", *at(path, "thường giải")),
        ("DH411", *at(path, "thường giải", after="đất đai")),
    ]


def test_dh403_passes_reduplication_and_distinct_words(mini):
    write_section(mini, paragraph("Dần dần nâng cao; ngày ngày thi đua; thường xuyên; kế hoạch năm năm; 2021 2021."))
    assert hits(mini, "DH403") == []


def test_dh403_passes_two_compound_words_that_meet_on_one_syllable(mini):
    write_section(
        mini,
        folded(
            "Vốn đầu tư tư nhân tăng; hàng sản xuất xuất khẩu; công nghiệp hoá hoá chất; giữ ổn định",
            "định hướng; Ban Thường vụ vụ việc; tăng trưởng trưởng thành.",
        ),
    )
    assert hits(mini, "DH403") == []


def test_dh403_reports_a_whole_word_doubled_and_dh411_a_syllable_after_its_compound(mini):
    path = write_section(
        mini,
        paragraph("Công tác bồi thường thường giải phóng; rà soát các các xã; ảnh hưởng đến đến tiến độ."),
    )
    assert hits(mini, "DH403") == [("DH403", *at(path, "các xã")), ("DH403", *at(path, "đến tiến"))]
    assert hits(mini, "DH411") == [("DH411", *at(path, "thường giải"))]
    message = [f.message for f in rule_findings(mini, "DH411")]
    assert message == ["Âm tiết “thường” lặp lại ngay sau từ “bồi thường”; nếu gõ thừa, hãy xóa một lần."]


def test_dh411_passes_a_function_word_after_its_compound(mini):
    write_section(mini, paragraph("Hỗ trợ xây dựng nhà ở ở nông thôn; đầu tư tư nhân."))
    assert hits(mini, "DH411") == hits(mini, "DH403") == []


# --- DH404 ------------------------------------------------------------------------------------


def test_dh404_reports_built_in_misspellings_keeping_the_capital(mini):
    path = write_section(mini, paragraph("Dây truyền sản xuất; xây dựng thành phố hung cường."))
    assert hits(mini, "DH404") == [("DH404", *at(path, "Dây truyền")), ("DH404", *at(path, "hung cường"))]
    assert rule_findings(mini, "DH404")[0].message == "Lỗi chính tả: “Dây truyền”; hãy viết “Dây chuyền”."


def test_dh404_uses_the_dictionary_given_by_the_data_directory(mini):
    path = write_section(mini, paragraph("Đặt stend tim mạch; dây truyền sản xuất."))
    assert hits(mini, "DH404", {"dictionary": {"stend": "stent"}}) == [("DH404", *at(path, "stend"))]


def test_dh404_passes_correct_spelling_and_words_inside_others(mini):
    write_section(mini, paragraph("Dây chuyền sản xuất; hùng cường; hung hãn; cường độ; stent."))
    assert hits(mini, "DH404") == []


def test_dh404_passes_an_entry_whose_first_syllable_closes_the_word_before(mini):
    write_section(mini, paragraph("Công tác giám sát nhập khẩu; lịch sử lý luận; học tập chung; khả năng xuất khẩu."))
    assert hits(mini, "DH404") == []


def test_dh404_still_reports_the_entry_after_other_words(mini):
    path = write_section(mini, paragraph("Thực hiện sát nhập các xã; việc sử lý vi phạm; tập chung nguồn lực."))
    assert hits(mini, "DH404") == [
        ("DH404", *at(path, "sát nhập")),
        ("DH404", *at(path, "sử lý")),
        ("DH404", *at(path, "tập chung")),
    ]


# --- DH405 ------------------------------------------------------------------------------------


def test_dh405_reports_the_first_of_two_spaces(mini):
    path = write_section(mini, folded("Thu hút đầu tư  những dự án lớn; giai đoạn 2021 -  2025."))
    assert hits(mini, "DH405") == [("DH405", *at(path, "  những")), ("DH405", *at(path, "  2025"))]


def test_dh405_passes_single_spaces_and_line_folds(mini):
    write_section(mini, folded("Thu hút đầu tư những dự án", "lớn, giai đoạn 2021 - 2025."))
    assert hits(mini, "DH405") == []


# --- DH406 ------------------------------------------------------------------------------------


def test_dh406_reports_spaces_before_punctuation_and_inside_brackets(mini):
    path = write_section(
        mini, paragraph("Hiệu quả cao[^du-an] . Năm ( 2025) ; tỷ lệ đạt 90% )") + "footnotes:\n  du-an: Dự án.\n"
    )
    assert hits(mini, "DH406") == [
        ("DH406", *at(path, " . ")),
        ("DH406", *at(path, " 2025")),
        ("DH406", *at(path, " ;")),
        ("DH406", *at(path, " )", after="90%")),
    ]


def test_dh406_passes_tight_punctuation_and_ellipses(mini):
    write_section(mini, paragraph("Hiệu quả cao. Năm (2025); đóng góp 46,1 tỷ đồng, … các cơ sở y tế, ... khác."))
    assert hits(mini, "DH406") == []


# --- DH407 ------------------------------------------------------------------------------------


def test_dh407_reports_what_is_never_closed_or_never_opened(mini):
    path = write_section(
        mini,
        "content:\n  - Khu công nghiệp (giai đoạn 2, đường ĐT262.\n  - Đường “Thắng Lợi kéo dài.\n"
        "  - Năm 2025), hoàn thành.\n",
    )
    assert hits(mini, "DH407") == [("DH407", *at(path, "(")), ("DH407", *at(path, "“")), ("DH407", *at(path, ")"))]


def test_dh407_passes_pairs_and_enumeration_labels(mini):
    write_section(mini, paragraph("'a) Khu (giai đoạn 2); b) đường “Thắng Lợi”; 1) [năm 2025].'"))
    assert hits(mini, "DH407") == []


def test_unbalanced_offsets():
    assert unbalanced("(a (b) c") == [0]
    assert unbalanced("a) b; (c) d)") == [11]
    assert unbalanced('"a" "b') == [4]


# --- DH408 ------------------------------------------------------------------------------------


def test_dh408_reports_nhan_dan_and_dang_in_lower_case(mini):
    path = write_section(mini, paragraph("Nâng cao đời sống nhân dân; công tác xây dựng đảng."))
    assert hits(mini, "DH408") == [("DH408", *at(path, "nhân dân")), ("DH408", *at(path, "đảng."))]


def test_dh408_passes_fixed_terms_and_capitals(mini):
    write_section(
        mini,
        folded(
            "Đời sống Nhân dân; Hội đồng nhân dân, Ủy ban nhân dân, Uỷ ban nhân dân, Công an nhân dân,",
            "Quân đội nhân dân, thế trận an ninh nhân dân; Hội đồng",
            "nhân dân; tổ chức đảng, đảng viên, cấp ủy đảng; xây dựng Đảng.",
        ),
    )
    assert hits(mini, "DH408") == []


# --- DH409 ------------------------------------------------------------------------------------


def test_dh409_reports_a_place_name_written_otherwise_elsewhere(mini):
    path = write_section(mini, paragraph("Đường Thắng Lợi kéo dài; mô hình ở phường Lương Sơn, phường Thắng lợi."))
    assert hits(mini, "DH409") == [("DH409", *at(path, "lợi"))]


def test_dh409_passes_consistent_names_and_words_after_them(mini):
    write_section(
        mini, paragraph("Đường Thắng Lợi; phường Thắng Lợi; thành phố Sông Công văn minh; thực hiện thắng lợi.")
    )
    assert hits(mini, "DH409") == []


def test_dh409_reads_names_only_after_place_words(mini):
    path = write_section(
        mini,
        folded(
            "Văn bản Quý I Năm 2025; văn bản Quý I năm 2026; Khu công nghiệp Sông Công II Năm nay; hồ Núi",
            "Cốc; hồ núi cốc; tổ dân phố Đồng Tâm, tổ dân phố Đồng tâm.",
        ),
    )
    assert hits(mini, "DH409") == [("DH409", *at(path, "tâm."))]


# --- DH410 ------------------------------------------------------------------------------------


def test_dh410_reports_the_rarer_spelling_and_prefers_capitals_on_a_tie(mini):
    path = write_section(
        mini, paragraph("Dịch COVID-19, dịch Covid-19, đại dịch COVID-19; tiêu chuẩn VietGap, VietGAP.")
    )
    assert hits(mini, "DH410") == [("DH410", *at(path, "Covid-19")), ("DH410", *at(path, "VietGap"))]


def test_dh410_passes_one_spelling_and_ignores_titles_in_capitals(mini):
    write_section(
        mini, "sections:\n  - key: a\n    title: PHÒNG, CHỐNG COVID-19\n    content:\n      - Dịch Covid-19.\n"
    )
    assert hits(mini, "DH410") == []
