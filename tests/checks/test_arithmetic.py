"""Arithmetic rules: totals and their parts, yearly growth, averages, percentage bounds, and
figures that must match the text they describe."""

from __future__ import annotations

import pytest

from checks.ruledata import edit, locate, messages, run_rule, shown, write_example
from conftest import DATA
from dhcompiler.build import build_report
from dhcompiler.checks import RULES, run_rules
from dhcompiler.findings import DhcError, Severity
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES

INDUSTRY = DATA / "sections" / "1-2-ket-qua-cong-tac-lanh-dao.yaml"


# --- DH201: parts add up ---------------------------------------------------------------------


def test_dh201_fails_on_the_seeds_projects_and_passes_its_other_totals():
    # 26 + 74 + 20 + 17 = 137 projects in the footnote, 117 in the text; every other total of
    # the seed adds up (1.391 ≈ 86,080 + 1.305; 9.678 ≈ 9.677,42; partial lists stay below).
    line, column = locate(INDUSTRY, "117", after="du_an_thu_hut:")
    assert run_rule(DATA, "DH201") == [("DH201", shown(INDUSTRY), line, column)]
    assert messages(DATA, "DH201") == ["Tổng số 117 dự án không khớp với các phần: 26 + 74 + 20 + 17 = 137."]


def test_dh201_counts_must_add_up_exactly_but_rounded_money_may_differ_by_its_rounding(data_copy):
    path = write_example(
        data_copy,
        "figures:\n"
        "  ky_luat:\n"
        "    value: 110\n"
        "    parts: {khien_trach: 89, canh_cao: 8, cach_chuc: 2, khai_tru: 10}\n"
        "  von:\n"
        "    value: 9.678\n"
        "    parts: {a: '66,4', b: '358,9', c: 2.379, d: 6.834, e: '39,12'}\n"
        "  von_sai:\n"
        "    value: 9.680\n"
        "    parts: {a: '66,4', b: '358,9', c: 2.379, d: 6.834, e: '39,12'}\n"
        "  mot_phan:\n"
        "    value: '667,5'\n"
        "    partial: true\n"
        "    parts: {a: '12,52', b: '663'}\n"
        "content:\n"
        "  - Có 110 đảng viên (89, 8, 2, 10); 9.678 (66,4; 358,9; 2.379; 6.834; 39,12); 9.680;\n"
        "    667,5 (12,52; 663).\n",
    )
    # 109 ≠ 110 though each part might be “rounded”: all-integer figures are exact counts;
    # 9.677,42 is within the rounding of 9.678 but not of 9.680; 675,52 > 667,5 is not allowed.
    assert [hit for hit in run_rule(data_copy, "DH201") if hit[1] == path] == [
        ("DH201", path, 5, 12),
        ("DH201", path, 11, 12),
        ("DH201", path, 14, 12),
    ]


def test_dh201_total_may_be_an_indicators_result(data_copy):
    path = data_copy / "sections" / "1-5-ket-qua-thuc-hien-dot-pha.yaml"
    edit(path, "ngan_sach_thanh_pho: 2.379", "ngan_sach_thanh_pho: 2.397")
    line, column = locate(path, "indicator: dau_tu_ha_tang", after="nguon_luc_huy_dong:")
    at_value = column + len("indicator: ")
    assert run_rule(data_copy, "DH201")[-1] == ("DH201", str(path.resolve()), line, at_value)


# --- DH202: yearly growth --------------------------------------------------------------------


def test_dh202_growth_must_follow_from_the_yearly_values(data_copy):
    path = write_example(
        data_copy,
        "figures:\n"
        "  thu:\n"
        "    years: {2022: '858,3', 2023: 1.066, 2024: 1.125}\n"
        "    growth: {2023: 34, 2024: '5,5'}\n"
        "content:\n"
        "  - Năm 2022 đạt 858,3; năm 2023 đạt 1.066, tăng 34%; năm 2024 đạt 1.125, tăng 5,5%.\n",
    )
    # 1.066 / 858,3 = +24,2%, not 34%; 1.125 / 1.066 = +5,53%, which 5,5% rounds.
    assert run_rule(data_copy, "DH202") == [("DH202", path, 6, 20)]


def test_dh202_passes_the_seeds_budget_footnote():
    assert run_rule(DATA, "DH202") == []


# --- DH203: averages ------------------------------------------------------------------------


def test_dh203_average_must_be_the_mean_of_the_yearly_rates(data_copy):
    path = write_example(
        data_copy,
        "figures:\n"
        "  thu:\n"
        "    growth: {2021: '67,3', 2022: 28, 2023: 24, 2024: '5,5', 2025: 79}\n"
        "    average: 45\n"
        "content:\n"
        "  - Tăng 67,3%, 28%, 24%, 5,5% và 79%; bình quân 45%/năm.\n",
    )
    assert run_rule(data_copy, "DH203") == [("DH203", path, 6, 14)]


def test_dh203_passes_the_seeds_budget_average_of_40_75():
    # (67,3 + 28 + 24 + 5,5 + 79) / 5 = 40,76, within the rounding of the yearly rates.
    assert run_rule(DATA, "DH203") == []


def test_dh203_fails_when_the_indicator_states_another_average(data_copy):
    edit(data_copy / "indicators.yaml", "result: 40,75", "result: 38,02")
    path = data_copy / "sections" / "1-2-ket-qua-cong-tac-lanh-dao.yaml"
    line, column = locate(path, "indicator: thu_ngan_sach", after="thu_ngan_sach_tung_nam:")
    at_value = column + len("indicator: ")
    assert run_rule(data_copy, "DH203") == [("DH203", str(path.resolve()), line, at_value)]


# --- DH204: percentage bounds ---------------------------------------------------------------


def test_dh204_shares_and_fractions_stay_within_their_whole(data_copy):
    path = write_example(
        data_copy,
        "content:\n"
        "  - >-\n"
        "    Tỷ lệ hộ gia đình sử dụng nước sạch đạt 105%; 12/10 xã, phường có nhà văn hóa.\n"
        "  - >-\n"
        "    Tỷ lệ hộ gia đình sử dụng nước sạch đạt 98,5%; 10/11 tuyến phố văn minh; thu\n"
        "    ngân sách tăng 179% so với năm 2020; ngày 15/6/2022; Nghị quyết 1211/2016/UBTVQH13.\n",
    )
    assert run_rule(data_copy, "DH204") == [("DH204", path, 5, 45), ("DH204", path, 5, 51)]


def test_dh204_checks_indicator_shares(data_copy):
    path = data_copy / "indicators.yaml"
    edit(path, "result: 95,48", "result: 105,48")
    line, column = locate(path, "105,48")
    assert run_rule(data_copy, "DH204") == [("DH204", str(path.resolve()), line, column)]


def test_dh204_passes_the_seed():
    assert run_rule(DATA, "DH204") == []


# --- DH205: figures match the text ----------------------------------------------------------


def test_dh205_a_figure_must_describe_the_printed_text(data_copy):
    path = write_example(
        data_copy,
        "figures:\n"
        "  du_an:\n"
        "    value: 117\n"
        "    unit: dự án\n"
        "    parts: {fdi: 46, ddi: 71}\n"
        "  cited:\n"
        "    value: 37\n"
        "    unit: dự án\n"
        "    parts: {fdi: 20, ddi: 17}\n"
        "content:\n"
        "  - Thu hút được 118 dự án, trong đó 46 dự án FDI và 71 dự án DDI; khu II thu hút\n"
        "    {{ fig.cited }}, gồm {{ fig.cited.fdi }} FDI và 17 dự án DDI.\n",
    )
    assert run_rule(data_copy, "DH205") == [("DH205", path, 5, 12)]


def test_dh205_passes_the_seed():
    assert run_rule(DATA, "DH205") == []


# --- the figure model --------------------------------------------------------------------------


def test_prose_cites_figures_and_their_parts(data_copy, tmp_path):
    write_example(
        data_copy,
        "figures:\n"
        "  mo_hinh:\n"
        "    value: 161\n"
        "    unit: mô hình\n"
        "    pad: true\n"
        "    parts: {tap_the: 158, ca_nhan: '03'}\n"
        "content:\n"
        "  - >-\n"
        "    Có {{ fig.mo_hinh }}: {{ fig.mo_hinh.tap_the }} tập thể; {{ fig.mo_hinh.ca_nhan }} cá\n"
        "    nhân ({{ fig.mo_hinh.ca_nhan.number }}).\n",
    )
    result = build_report(data_copy, tmp_path / "out", ("md",), DEFAULT_TEMPLATES)
    text = result.written[0].read_text(encoding="utf-8")
    assert "Có 161 mô hình: 158 mô hình tập thể; 03 mô hình cá nhân (03)." in text


def test_unknown_figures_and_parts_are_located_errors(data_copy):
    path = write_example(
        data_copy,
        "figures:\n"
        "  mo_hinh:\n"
        "    value: 161\n"
        "    parts: {tap_the: 158}\n"
        "content:\n"
        "  - Có {{ fig.mo_hinh.ca_nhan }} và {{ fig.mo_hinh_x }}.\n",
    )
    with pytest.raises(DhcError) as caught:
        load_report(data_copy)
    assert [(f.code, f.path, f.line, f.column) for f in caught.value.findings] == [
        ("DH022", path, 8, 23),
        ("DH022", path, 8, 44),
    ]


def test_figure_keys_are_unique_across_sections(data_copy):
    path = write_example(data_copy, "figures:\n  du_an_thu_hut:\n    value: 117\n")
    with pytest.raises(DhcError) as caught:
        load_report(data_copy)
    assert [(f.code, f.path, f.line, f.column) for f in caught.value.findings] == [("DH020", path, 4, 3)]


def test_numbers_not_written_the_vietnamese_way_are_skipped(data_copy):
    path = write_example(
        data_copy,
        "figures:\n"
        "  ty_le:\n"
        "    value: 0,5\n"
        "    unit: '%'\n"
        "content:\n"
        "  - Tỷ lệ hộ nghèo đạt 0.123%; tỷ lệ hộ nghèo đạt 0,5%; công nghiệp, xây dựng đạt 0.17%/năm.\n",
    )
    report = load_report(data_copy)
    findings = run_rules(report, {code: r for code, r in RULES.items() if code[2] in "123"})
    assert [f.code for f in findings if f.path == path] == []


def test_a_figure_must_be_a_finite_number_written_the_vietnamese_way(data_copy):
    path = write_example(data_copy, "figures:\n  x:\n    value: NaN\n    parts: {a: Infinity, b: 1e3}\n")
    with pytest.raises(DhcError) as caught:
        load_report(data_copy)
    assert [(f.code, f.path, f.line, f.column) for f in caught.value.findings] == [
        ("DH014", path, 5, 12),
        ("DH014", path, 6, 16),
        ("DH014", path, 6, 29),
    ]


def test_citing_a_figure_without_a_total_is_a_located_error(data_copy, tmp_path):
    path = write_example(
        data_copy,
        "figures:\n  thu:\n    years: {2021: '672,8'}\ncontent:\n  - Thu ngân sách đạt {{ fig.thu }}.\n",
    )
    with pytest.raises(DhcError) as caught:
        build_report(data_copy, tmp_path / "out", ("md",), DEFAULT_TEMPLATES)
    errors = [f for f in caught.value.findings if f.severity is Severity.ERROR]
    assert [(f.code, f.path, f.line, f.column) for f in errors] == [("DH030", path, 7, 23)]
