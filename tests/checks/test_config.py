"""Configuration (dhc.yaml, dictionary.yaml), in-place suppressions, exit codes and the build gate."""

from __future__ import annotations

import pytest

from checks.checkdata import at, mini_copy, write_section
from dhcompiler.build import build_report
from dhcompiler.checks.registry import RULES, Hit, Rule
from dhcompiler.checks.run import check_data_dir
from dhcompiler.findings import DhcError, Severity
from dhcompiler.templates import DEFAULT_TEMPLATES

REPEAT = "content:\n  - Bồi thường thường giải phóng mặt bằng.\n"


@pytest.fixture
def mini(tmp_path):
    return mini_copy(tmp_path)


def found(data, *codes):
    return [(f.code, f.line, f.column, f.severity.value) for f in check_data_dir(data).findings if f.code in codes]


def configure(data, text):
    path = data / "dhc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- dhc.yaml --------------------------------------------------------------------------------


def test_a_rule_takes_the_severity_set_in_the_config(mini):
    path = write_section(mini, REPEAT)
    configure(mini, "rules:\n  DH403: error\n")
    assert found(mini, "DH403") == [("DH403", *at(path, "thường giải"), "error")]
    assert check_data_dir(mini).return_code == 1


def test_a_rule_set_off_reports_nothing(mini):
    write_section(mini, REPEAT)
    assert found(mini, "DH403")
    configure(mini, "rules:\n  DH403: off\n")
    assert found(mini, "DH403") == []


def test_unknown_and_loader_codes_in_the_config_are_errors(mini):
    write_section(mini, REPEAT)
    path = configure(mini, "rules:\n  DH499: off\n  DH002: warning\n  DH403: info\n")
    assert found(mini, "DH501", "DH502", "DH403") == [
        ("DH501", *at(path, "DH499"), "error"),
        ("DH502", *at(path, "DH002"), "error"),
    ] + [("DH403", *at(mini / "sections" / "1-noi-dung.yaml", "thường giải"), "info")]


def test_a_bad_severity_or_key_is_a_schema_error_in_the_config(mini):
    path = configure(mini, "rules:\n  DH403: loud\nrule: {}\n")
    assert found(mini, "DH013", "DH011") == [
        ("DH013", *at(path, "loud"), "error"),
        ("DH011", *at(path, "rule:"), "error"),
    ]


# --- dictionary.yaml -------------------------------------------------------------------------


def test_the_dictionary_adds_misspellings_and_allows_built_in_ones(mini):
    path = write_section(mini, "content:\n  - Đặt stend tim mạch; đi thăm quan; dây truyền sản xuất.\n")
    (mini / "dictionary.yaml").write_text("misspellings:\n  stend: stent\nallow: [thăm quan]\n", encoding="utf-8")
    assert found(mini, "DH404") == [
        ("DH404", *at(path, "stend"), "warning"),
        ("DH404", *at(path, "dây truyền"), "warning"),
    ]


def test_a_malformed_dictionary_is_a_schema_error(mini):
    path = mini / "dictionary.yaml"
    path.write_text("misspellings: [stend]\n", encoding="utf-8")
    assert found(mini, "DH012") == [("DH012", *at(path, "[stend]"), "error")]


# --- suppressions ----------------------------------------------------------------------------


def test_a_comment_above_a_list_item_silences_that_item_only(mini):
    path = write_section(
        mini,
        "content:\n"
        "  # dhc-ignore DH403: lặp lại có chủ ý\n"
        "  - >-\n"
        "    Mở đầu; bồi thường\n"
        "    thường giải phóng.\n"
        "  - Bồi thường thường giải phóng.\n",
    )
    assert found(mini, "DH403", "DH512") == [("DH403", *at(path, "thường giải", after="  - Bồi"), "warning")]


def test_a_comment_at_the_end_of_a_line_silences_the_value_on_it(mini):
    write_section(mini, "content:\n  - Bồi thường thường giải phóng.  # dhc-ignore DH403: trích nguyên văn\n")
    assert found(mini, "DH403", "DH512") == []


def test_a_comment_above_a_subsection_silences_all_of_it_and_its_footnotes(mini):
    path = write_section(
        mini,
        "sections:\n"
        "  # dhc-ignore DH403, DH405: đoạn trích nguyên văn\n"
        "  - key: a\n"
        "    title: Bồi thường thường\n"
        "    content:\n"
        "      - Một  đoạn[^a].\n"
        "    footnotes:\n"
        "      a: Phát triển phát triển.\n"
        "  - key: b\n"
        "    title: Bồi thường thường\n",
    )
    assert found(mini, "DH403", "DH405", "DH512") == [("DH403", *at(path, "thường\n", after="key: b"), "warning")]


def test_a_comment_above_a_key_silences_that_value_only(mini):
    path = write_section(
        mini,
        "sections:\n"
        "  - key: a\n"
        "    # dhc-ignore DH403: tên riêng\n"
        "    title: Bồi thường thường\n"
        "    content:\n"
        "      - Bồi thường thường.\n",
    )
    assert found(mini, "DH403") == [("DH403", *at(path, "thường.", after="content"), "warning")]


def test_a_suppression_that_silences_nothing_is_reported_per_code(mini):
    path = write_section(mini, "content:\n  # dhc-ignore DH403, DH404: lý do\n  - Bồi thường thường giải phóng.\n")
    assert found(mini, "DH403", "DH404", "DH512") == [("DH512", *at(path, "# dhc"), "warning")]
    assert "DH404" in check_data_dir(mini).findings[0].message


def test_a_suppression_of_a_rule_turned_off_says_so(mini):
    write_section(mini, "content:\n  # dhc-ignore DH403: lý do\n  - Bồi thường thường giải phóng.\n")
    configure(mini, "rules:\n  DH403: off\n  DH512: error\n")
    (finding,) = [f for f in check_data_dir(mini).findings if f.code == "DH512"]
    assert finding.severity == Severity.ERROR and "đang tắt" in finding.message


def test_a_suppression_without_reason_is_an_error_and_silences_nothing(mini):
    path = write_section(mini, "content:\n  # dhc-ignore DH403\n  - Bồi thường thường giải phóng.\n")
    assert found(mini, "DH403", "DH510") == [
        ("DH510", *at(path, "# dhc"), "error"),
        ("DH403", *at(path, "thường giải"), "warning"),
    ]


@pytest.mark.parametrize("codes", ["DH499", "DH512", "DH002", "dh403"])
def test_a_suppression_names_real_rule_codes(mini, codes):
    path = write_section(mini, f"content:\n  # dhc-ignore {codes}: lý do\n  - Bồi thường thường giải phóng.\n")
    expected = "DH511" if codes.startswith("DH") else "DH510"
    assert found(mini, "DH510", "DH511") == [(expected, *at(path, "# dhc"), "error")]


def test_a_suppression_with_nothing_after_it_is_reported(mini):
    path = write_section(mini, "content:\n  - Một đoạn.\n# dhc-ignore DH403: lý do\n")
    assert found(mini, "DH512") == [("DH512", *at(path, "# dhc"), "warning")]


def test_the_directive_inside_text_is_not_a_comment(mini):
    write_section(
        mini,
        "content:\n"
        "  - >-\n"
        "    Bồi thường thường\n"
        "    # dhc-ignore DH403: trong văn bản\n"
        "  - 'Bồi thường thường # dhc-ignore DH403: trong ngoặc'\n",
    )
    assert [code for code, *_ in found(mini, "DH403", "DH512")] == ["DH403", "DH403"]


# --- exit codes ------------------------------------------------------------------------------


def test_exit_codes(mini, tmp_path):
    write_section(mini, "content:\n  - Một đoạn.\n")
    assert check_data_dir(mini).findings == []
    assert check_data_dir(mini, strict=True).return_code == 0
    write_section(mini, REPEAT)
    assert check_data_dir(mini).return_code == 0
    assert check_data_dir(mini, strict=True).return_code == 1
    configure(mini, "rules:\n  DH403: error\n")
    assert check_data_dir(mini).return_code == 1
    missing = check_data_dir(tmp_path / "khong-co")
    assert missing.return_code == 2 and missing.findings == [] and "khong-co" in missing.usage_error


def test_a_crashing_rule_becomes_a_finding_of_its_own_code_and_the_others_still_run(mini, monkeypatch):
    def broken(ctx):
        yield Hit(ctx.prose[-1].at(3), "một")
        raise ZeroDivisionError

    # DH025 runs early: replace it with a rule that reports once, then raises
    monkeypatch.setitem(RULES, "DH025", Rule("DH025", "broken", "structure", Severity.WARNING, broken))
    write_section(mini, "content:\n  - Một đoạn đoạn.\n")
    result = check_data_dir(mini)
    found = [(f.code, f.severity.value, f.line) for f in result.findings]
    assert list(RULES).index("DH025") < list(RULES).index("DH403")
    assert ("DH403", "warning", 5) in found  # a rule that runs after the broken one
    crash = [f for f in result.findings if f.code == "DH025" and "ZeroDivisionError" in f.message]
    assert len(crash) == 1 and crash[0].line > 1 and "DH599" not in {f.code for f in result.findings}


# --- dhc build -------------------------------------------------------------------------------


def test_build_stops_on_check_errors_and_writes_nothing(mini, tmp_path):
    write_section(mini, REPEAT)
    configure(mini, "rules:\n  DH403: error\n")
    out = tmp_path / "out"
    with pytest.raises(DhcError) as raised:
        build_report(mini, out, ("md",), DEFAULT_TEMPLATES)
    assert [f.code for f in raised.value.findings] == ["DH403"]
    assert not out.exists()


def test_build_goes_on_with_warnings_and_returns_them(mini, tmp_path):
    write_section(mini, REPEAT)
    result = build_report(mini, tmp_path / "out", ("md",), DEFAULT_TEMPLATES)
    assert [f.code for f in result.warnings] == ["DH403"]
    assert result.written and result.written[0].exists()


def test_a_comment_above_the_first_key_silences_the_whole_file(mini):
    path = mini / "sections" / "1-noi-dung.yaml"
    path.write_text(
        "# dhc-ignore DH403: cả tệp trích nguyên văn\nkey: noi-dung\nkind: part\n" + REPEAT, encoding="utf-8"
    )
    assert found(mini, "DH403", "DH512") == []
    path.write_text("key: noi-dung\n# dhc-ignore DH403: chỉ khóa kind\nkind: part\n" + REPEAT, encoding="utf-8")
    assert [code for code, *_ in found(mini, "DH403", "DH512")] == ["DH512", "DH403"]
