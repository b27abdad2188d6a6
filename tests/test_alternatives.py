"""Alternatives (phương án): shown all, labelled, while open; one chosen by --choose or choices:."""

from __future__ import annotations

from pathlib import Path

import pytest

from dhcompiler.build import build_report
from dhcompiler.checks import RULES, run_rules
from dhcompiler.checks.run import check_data_dir
from dhcompiler.document import build_document
from dhcompiler.documents import DocumentOptions, build_documents
from dhcompiler.findings import DhcError, Severity
from dhcompiler.prose import plain_text
from dhcompiler.render_md import render_markdown
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES

THEME_1 = (
    "Tăng cường xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh; phát huy dân chủ, đoàn kết, "
    "kỷ cương, đổi mới; bảo đảm quốc phòng, an ninh; huy động và sử dụng hiệu quả các nguồn lực, chuyển đổi số, "
    "chuyển đổi xanh; xây dựng thành phố Sông Công văn minh, bền vững"
)
THEME_2 = "Xây dựng Đảng bộ trong sạch, vững mạnh; phát huy dân chủ, đoàn kết; xây dựng thành phố Sông Công văn minh"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def two_themes(data_copy: Path) -> Path:
    """The project's data with the theme offered in two wordings (“02 phương án chủ đề”)."""
    meta = data_copy / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    start, end = text.index("theme:\n"), text.index("motto:\n")
    theme = (
        "theme:\n  title: CHỦ ĐỀ ĐẠI HỘI\n  alternatives:\n"
        f"    - {{key: pa1, label: Phương án 1, text: '{THEME_1}'}}\n"
        f"    - {{key: pa2, label: Phương án 2, text: '{THEME_2}'}}\n"
    )
    meta.write_text(text[:start] + theme + text[end:], encoding="utf-8")
    return data_copy


def _report_md(data: Path, out: Path, choices: dict[str, str] | None = None) -> str:
    """The report as Markdown with these choices (laid out and rendered as `dhc build` does)."""
    return render_markdown(build_document(load_report(data, choices), DEFAULT_TEMPLATES), DEFAULT_TEMPLATES)


def test_build_choose_writes_the_chosen_theme(two_themes, tmp_path):
    result = build_report(
        two_themes, tmp_path, ("md",), DEFAULT_TEMPLATES, options=DocumentOptions(choices={"theme": "pa2"})
    )
    assert f"\n{THEME_2} (22 chữ)\n" in result.written[0].read_text(encoding="utf-8")
    assert not any(f.code == "DH312" for f in result.warnings)


def test_an_open_choice_shows_every_theme_labelled_with_its_own_word_count(two_themes, tmp_path):
    text = _report_md(two_themes, tmp_path)
    assert f"**Phương án 1:** {THEME_1} (58 chữ)" in text
    assert f"**Phương án 2:** {THEME_2} (22 chữ)" in text


@pytest.mark.parametrize(("choice", "theme", "words"), [("pa1", THEME_1, 58), ("pa2", THEME_2, 22)])
def test_each_choice_builds_and_the_word_count_follows_it(two_themes, tmp_path, choice, theme, words):
    text = _report_md(two_themes, tmp_path, {"theme": choice})
    assert f"\n{theme} ({words} chữ)\n" in text and "Phương án" not in text


def test_choices_in_document_yaml_choose_like_the_command_line(two_themes, tmp_path):
    meta = two_themes / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "choices:\n  theme: pa2\n", encoding="utf-8")
    assert _report_md(two_themes, tmp_path / "a") == _report_md(two_themes, tmp_path / "b", {"theme": "pa2"})
    assert check_data_dir(two_themes, final=True).return_code == 0


def test_check_warns_while_a_choice_is_open_and_fails_under_final(two_themes):
    draft = [f for f in check_data_dir(two_themes).findings if f.code == "DH312"]
    assert [(f.severity, f.line) for f in draft] == [(Severity.WARNING, 30)]
    assert check_data_dir(two_themes).return_code == 0
    final = check_data_dir(two_themes, final=True)
    assert [f.severity for f in final.findings if f.code == "DH312"] == [Severity.ERROR]
    assert final.return_code == 1


def test_an_unknown_alternative_is_refused(two_themes, tmp_path):
    with pytest.raises(DhcError) as caught:
        _report_md(two_themes, tmp_path, {"theme": "pa3"})
    assert [f.code for f in caught.value.findings] == ["DH046"] and "pa1, pa2" in caught.value.findings[0].message
    with pytest.raises(DhcError):
        _report_md(two_themes, tmp_path, {"chu-de": "pa1"})


def test_checks_read_the_chosen_theme(two_themes):
    drift = {c: run_rules(load_report(two_themes, {"theme": c}), {"DH303": RULES["DH303"]}) for c in ("pa1", "pa2")}
    assert len(drift["pa1"]) == 2  # the real theme: the seed's two drifts of the objective
    assert drift["pa1"] != drift["pa2"]


def test_a_target_with_two_wordings(data_copy, tmp_path):
    _edit(
        data_copy / "indicators.yaml",
        "        target: 19.500\n",
        "        target: 19.500\n        alternatives:\n"
        "          - {key: thap, label: Phương án 1, target: 19.500}\n"
        "          - {key: cao, label: Phương án 2, target: 21.600}\n",
    )
    text = _report_md(data_copy, tmp_path / "open")
    assert "2.6. **Phương án 1:** Sản lượng lương thực cây có hạt bình quân đạt 19.500 tấn/năm." in text
    assert "2.6. **Phương án 2:** Sản lượng lương thực cây có hạt bình quân đạt 21.600 tấn/năm." in text
    [(_name, resolution)] = build_documents(load_report(data_copy), DEFAULT_TEMPLATES, data_copy, ["resolution"])
    numbered = [(b.label, plain_text(b.runs)[:14]) for b in resolution.blocks if b.kind == "indicator"]
    assert numbered[5:8] == [("(6)", "Phương án 1: S"), ("(6)", "Phương án 2: S"), ("(7)", "Ổn định tỷ lệ ")]
    chosen = _report_md(data_copy, tmp_path / "cao", {"luong_thuc_moi": "cao"})
    assert "2.6. Sản lượng lương thực cây có hạt bình quân đạt 21.600 tấn/năm." in chosen
    # the check reads the chosen target: 21.600 is no longer below the 21.502 achieved
    below = run_rules(load_report(data_copy, {"luong_thuc_moi": "cao"}), {"DH103": RULES["DH103"]})
    assert not any("luong_thuc" in f.message for f in below)


def test_a_paragraph_and_a_heading_with_two_wordings(data_copy, tmp_path):
    _edit(
        data_copy / "sections" / "9-ket-luan.yaml",
        "content:\n  - >-\n",
        "content:\n  - key: loi-ket\n    alternatives:\n"
        "      - {key: ngan, label: Phương án 1, text: Đại hội là đại hội đoàn kết.}\n"
        "      - {key: dai, label: Phương án 2, text: 'Đại hội là đại hội trí tuệ, đoàn kết.'}\n  - >-\n",
    )
    _edit(
        data_copy / "sections" / "1-7-bai-hoc-kinh-nghiem.yaml",
        "title: BÀI HỌC KINH NGHIỆM\n",
        "title: BÀI HỌC KINH NGHIỆM\nalternatives:\n"
        "  - {key: a, label: Phương án 1, title: BÀI HỌC KINH NGHIỆM}\n"
        "  - {key: b, label: Phương án 2, title: MỘT SỐ BÀI HỌC}\n",
    )
    text = _report_md(data_copy, tmp_path / "open")
    assert "**Phương án 1:** Đại hội là đại hội đoàn kết.\n\n**Phương án 2:** Đại hội là đại hội trí tuệ" in text
    assert "## VII. *Phương án 1:* BÀI HỌC KINH NGHIỆM / *Phương án 2:* MỘT SỐ BÀI HỌC" in text
    chosen = _report_md(data_copy, tmp_path / "b", {"loi-ket": "dai", "bai-hoc-kinh-nghiem": "b"})
    assert "\nĐại hội là đại hội trí tuệ, đoàn kết.\n" in chosen and "đại hội đoàn kết." not in chosen
    assert "## VII. MỘT SỐ BÀI HỌC" in chosen
