"""Structure and reference rules: loader codes reported by `dhc check`, DH025–DH031."""

from __future__ import annotations

import pytest

from checks.checkdata import at, hits, mini_copy, write_section
from checks.ruledata import edit
from conftest import DATA
from dhcompiler.checks.run import check_data_dir
from dhcompiler.checks.structure import LOADER_CODES


@pytest.fixture
def mini(tmp_path):
    return mini_copy(tmp_path)


def errors(data):
    result = check_data_dir(data)
    assert result.return_code == 1
    return [(f.code, f.path, f.line, f.column) for f in result.findings if f.severity.value == "error"]


def test_the_projects_data_has_no_structural_finding():
    codes = {f.code for f in check_data_dir(DATA).findings}
    assert not codes & (LOADER_CODES | {"DH025", "DH026", "DH027", "DH030", "DH031"})


def test_the_small_draft_loads_cleanly(mini):
    assert check_data_dir(mini).return_code == 0


# --- loader codes, as `dhc check` reports them ------------------------------------------------

SECTION_CASES = {
    "DH001": ("content:\n  - Lĩnh vực: kinh tế: tốt\n", ": tốt", 0),
    "DH002": ("content:\n  - Một đoạn.\ncontent:\n  - Hai.\n", "content:\n  - Hai", 0),
    "DH003": ("content:\n  - &a Một đoạn.\n  - *a\n", "&a", 0),
    "DH004": ("content:\n  - {[a, b]: c}\n", "[a", 0),
    "DH010": ("sections:\n  - title: Không có khóa\n", "title: Không", 0),
    "DH011": ("tittle: Sai\ncontent:\n  - Một.\n", "tittle", 0),
    "DH012": ("content: {a: b}\n", "{a: b}", 0),
    "DH013": ("sections:\n  - key: Sai Khoa\n    title: A\n", "Sai Khoa", 0),
    "DH020": ("sections:\n  - key: a\n    title: A\n  - key: a\n    title: B\n", "a\n    title: B", 0),
    "DH021": ("content:\n  - Một đoạn[^khong-co].\n", "[^khong-co]", 0),
    "DH022": ("content:\n  - Đạt {{ ind.khong_co.result }}.\n", "khong_co", 0),
    "DH023": ("sections:\n  - khong-co.yaml\n", "khong-co.yaml", 0),
    "DH024": ("content:\n  - Một[^a]; hai[^a].\nfootnotes:\n  a: Chú thích.\n", "[^a].", 0),
    "DH050": ("content: " + "[" * 70 + "]" * 70 + "\n", "[", 63),  # the file itself is the first level
    "DH051": ("content:\n  - Một {% if 1 %}x{% endif %} đoạn.\n", "{% if", 0),
    "DH052": ("content:\n  - Một {{ " + "(" * 20 + "1" + ")" * 20 + " }} đoạn.\n", "{{", 0),
    "DH053": ("content:\n  - Một {{ 'x' * 10**9 }} đoạn.\n", "{{", 0),
}


@pytest.mark.parametrize("code", sorted(SECTION_CASES))
def test_loader_codes_are_reported_at_their_place(mini, code):
    body, needle, offset = SECTION_CASES[code]
    path = write_section(mini, body)
    found = errors(mini)
    assert [(c, line, column) for c, _p, line, column in found] == [(code, *at(path, needle, offset=offset))]
    assert found[0][1].endswith("1-noi-dung.yaml")


def test_dh005_a_file_that_is_not_utf8(mini):
    path = write_section(mini, "content:\n  - Một đoạn.\n")
    path.write_bytes(path.read_bytes() + "  - Hai đoạn.\n".encode("cp1258", errors="replace") + b"\xff\n")
    assert [(c, line) for c, _p, line, _col in errors(mini)] == [("DH005", 6)]


def test_dh014_a_number_written_the_english_way(mini):
    indicators = mini / "indicators.yaml"
    indicators.write_text(
        "results:\n  - key: a\n    measures:\n      - key: a\n        name: tăng trưởng\n        result: 17.02\n",
        encoding="utf-8",
    )
    assert [(c, line, column) for c, _p, line, column in errors(mini)] == [("DH014", *at(indicators, "17.02"))]


def test_loader_errors_of_several_files_come_together(mini):
    write_section(mini, "tittle: Sai\n")
    (mini / "indicators.yaml").write_text("results: {}\n", encoding="utf-8")
    assert sorted({c for c, *_ in errors(mini)}) == ["DH011", "DH012"]


# --- DH025 ----------------------------------------------------------------------------------


def test_dh025_reports_a_footnote_that_nothing_cites(mini):
    path = write_section(mini, "content:\n  - Một đoạn[^a].\nfootnotes:\n  a: Được dẫn.\n  b: Không được dẫn.\n")
    assert hits(mini, "DH025") == [("DH025", *at(path, "b: Không"))]


def test_dh025_passes_footnotes_cited_in_prose_or_by_an_indicator_group(data_copy):
    assert [h for h in hits(data_copy, "DH025")] == []


# --- DH026, DH027 ---------------------------------------------------------------------------


def test_dh026_reports_an_indicator_list_placed_nowhere(data_copy):
    edit(data_copy / "sections" / "1-1-ket-qua-thuc-hien-chi-tieu.yaml", "  - indicators: results", "  - Kết quả.")
    check = check_data_dir(data_copy)
    found = [(f.code, f.line, f.column) for f in check.findings if f.code == "DH026"]
    assert found == [("DH026", *at(data_copy / "indicators.yaml", "\nresults:", offset=1))]


def test_dh027_reports_a_list_placed_twice(data_copy):
    section = data_copy / "sections" / "1-1-ket-qua-thuc-hien-chi-tieu.yaml"
    edit(section, "  - indicators: results", "  - indicators: results\n  - indicators: results")
    found = [(f.code, f.line, f.column) for f in check_data_dir(data_copy).findings if f.code == "DH027"]
    assert found == [("DH027", *at(section, "indicators: results", after="results\n", offset=len("indicators: ")))]


def test_dh026_dh027_pass_on_the_projects_data():
    assert not {f.code for f in check_data_dir(DATA).findings} & {"DH026", "DH027"}


# --- DH030, DH031 ---------------------------------------------------------------------------


def test_dh030_reports_an_expression_that_resolves_to_nothing(mini):
    path = write_section(mini, "content:\n  - Lần thứ {{ doc.congress.khong_co }}; nhiệm kỳ {{ doc.congress.term }}.\n")
    assert hits(mini, "DH030") == [("DH030", *at(path, "{{"))]
    path = write_section(mini, "content:\n  - Lần thứ {{ doc.congress.ordinal }}; nhiệm kỳ {{ doc.congress. }}.\n")
    assert hits(mini, "DH030") == [("DH030", *at(path, "{{ doc.congress. }}"))]


def test_dh030_passes_expressions_that_resolve(mini):
    write_section(mini, "content:\n  - Lần thứ {{ doc.congress.ordinal }}, nhiệm kỳ {{ doc.congress.term }}.\n")
    assert hits(mini, "DH030") == []


def test_dh031_reports_an_unclosed_star(mini):
    path = write_section(mini, "content:\n  - Bài học **Một là, giữ vững.\n  - Hai *là, đoàn kết.\n")
    assert hits(mini, "DH031") == [("DH031", *at(path, "**Một")), ("DH031", *at(path, "*là"))]


def test_dh031_passes_closed_emphasis_and_escaped_stars(mini):
    write_section(mini, "content:\n  - Bài học **Một là**, giữ vững *đoàn kết*; dấu \\* thật.\n")
    assert hits(mini, "DH031") == []
