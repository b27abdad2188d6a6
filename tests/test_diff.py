"""`dhc diff` on copies of the real data: each scenario reports exactly its change, and nothing else."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from dhcompiler.diff.changeset import ChangeSet, IndicatorSide
from dhcompiler.diff.compare import compare
from dhcompiler.diff.sides import Side, load_side
from dhcompiler.diff.views import (
    ViewOptions,
    move_place,
    moved_away,
    moved_paragraphs,
    plain,
    report_lines,
    section_label,
)
from dhcompiler.templates import DEFAULT_TEMPLATES
from diff_scenarios import (
    DATA,
    EXPECTED,
    LAST,
    LEAD,
    ONLINE,
    S12,
    S16,
    SCENARIOS,
    edit,
    paragraph_moved,
    paragraph_moved_across,
    paragraph_moved_across_and_edited,
    paragraph_moved_and_edited,
    paragraph_moved_in_moved_section,
    paragraph_moved_into_moved_section,
    reported,
)


@pytest.fixture(scope="module")
def old_side() -> Side:
    return load_side(str(DATA), "cũ", DATA, DEFAULT_TEMPLATES)


def scenario_side(tmp_path: Path, name: str) -> Side:
    new = tmp_path / "new"
    shutil.copytree(DATA, new)
    SCENARIOS[name](new)
    return load_side(str(new), "mới", new, DEFAULT_TEMPLATES)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_reports_exactly_its_change(name: str, old_side: Side, tmp_path: Path) -> None:
    changes = compare(old_side, scenario_side(tmp_path, name))
    assert reported(changes) == EXPECTED[name]
    assert changes.identical is (name == "no_change")


def test_inserted_section_shifts_numbers_without_reporting_them(old_side: Side, tmp_path: Path) -> None:
    new = scenario_side(tmp_path, "section_inserted")
    changes = compare(old_side, new)
    old_romans = [b.label for b in old_side.document.blocks if b.kind == "heading" and b.depth == 1]
    new_romans = [b.label for b in new.document.blocks if b.kind == "heading" and b.depth == 1]
    assert old_romans[:7] == ["I.", "II.", "III.", "IV.", "V.", "VI.", "VII."]
    assert new_romans[:8] == ["I.", "II.", "III.", "IV.", "V.", "VI.", "VII.", "VIII."]
    assert [s.new.key for s in changes.sections if s.new and s.status != "unchanged"] == ["boi-canh-nhiem-ky"]


def test_footnote_inserted_early_renumbers_the_rest_silently(old_side: Side, tmp_path: Path) -> None:
    new = scenario_side(tmp_path, "footnote_inserted")
    changes = compare(old_side, new)
    assert len(old_side.document.footnotes) == 45 and len(new.document.footnotes) == 46
    (note,) = changes.footnotes
    assert note.new is not None and note.new.key == "thanh-to-chu-de"
    assert note.cited_in is not None and note.cited_in.key == "thanh-to-chu-de-dai-hoi"
    # the citing paragraph gained only the mark: it is reported at the footnote, not as an edit
    (section,) = changes.sections
    assert section.status == "unchanged"
    (mark,) = [p for p in section.paragraphs if p.status != "equal"]
    assert mark.reported_at == "footnote:thanh-to-chu-de"
    assert [(op.op, op.new) for op in mark.ops if op.op != "equal"] == [("insert", "(1)")]


def test_moved_section_keeps_old_and_new_numbers(old_side: Side, tmp_path: Path) -> None:
    (moved,) = compare(old_side, scenario_side(tmp_path, "section_moved")).sections
    assert moved.old is not None and moved.new is not None
    assert (moved.old.key, moved.old.number, moved.new.number) == ("nhiem-vu-giai-phap-cong-tac", "IV.", "III.")
    assert moved.old.path == ("Phần thứ hai", "IV.") and moved.new.path == ("Phần thứ hai", "III.")


def test_renamed_section_is_matched_by_similarity(old_side: Side, tmp_path: Path) -> None:
    (renamed,) = compare(old_side, scenario_side(tmp_path, "section_renamed")).sections
    assert renamed.old is not None and renamed.new is not None
    assert (renamed.old.key, renamed.new.key) == ("phat-trien-cong-nghiep-xay-dung", "cong-nghiep-va-xay-dung")
    assert renamed.matched_by == "similarity" and renamed.similarity > 0.8
    assert (renamed.old.title, renamed.new.title) == ("Phát triển công nghiệp - xây dựng", "Công nghiệp và xây dựng")


def test_indicator_change_is_reported_once_with_its_values(old_side: Side, tmp_path: Path) -> None:
    changes = compare(old_side, scenario_side(tmp_path, "indicator_changed"))
    (change,) = changes.indicators
    assert change.old_value is not None and change.new_value is not None
    assert (change.old_value.result, change.new_value.result) == ("48,3%", "40%")
    assert (change.old_value.achievement, change.new_value.achievement) == ("vượt", "đạt")
    assert change.difference == "-8,3 điểm %"
    assert [c.sentence.endswith("mức độ 2 đạt 40%.") for c in change.citations] == [True, False]
    assert "trong đó đạt chuẩn mức độ 2 đạt 40%, vượt mục tiêu" in change.citations[1].sentence
    # the indicator line and both citing sentences changed on the page, each reported at the indicator
    absorbed = [p for s in changes.sections for p in s.paragraphs if p.reported_at]
    assert {p.reported_at for p in absorbed} == {"indicator:truong_chuan_muc_2"}
    assert sorted(p.role for p in absorbed) == ["indicator", "paragraph", "paragraph"]
    assert all(s.status == "unchanged" for s in changes.sections)


def test_split_paragraph_maps_to_one_old_and_two_new_blocks(old_side: Side, tmp_path: Path) -> None:
    new = scenario_side(tmp_path, "paragraph_split")
    (section,) = compare(old_side, new).sections
    (split,) = [p for p in section.paragraphs if p.status != "equal"]
    assert split.status == "split" and len(split.old_blocks) == 1 and len(split.new_blocks) == 2
    first, second = (new.document.blocks[i] for i in split.new_blocks)
    assert "".join(r.text for r in first.runs).endswith("kinh tế - xã hội.")
    assert "".join(r.text for r in second.runs).startswith("Công tác lãnh đạo, chỉ đạo")


def test_word_operations_rebuild_both_texts(old_side: Side, tmp_path: Path) -> None:
    """Replaying the operations gives each side's paragraph text exactly (what the redline relies on)."""
    for name in ("one_word", "paragraph_split", "section_renamed", "footnote_edited"):
        changes = compare(old_side, scenario_side(tmp_path / name, name))
        for item in (*changes.sections, *changes.footnotes):
            for p in item.paragraphs:
                assert "".join(op.old for op in p.ops) == p.old_text
                assert "".join(op.new for op in p.ops) == p.new_text
                assert all(p.old_text[op.old_start : op.old_end] == op.old for op in p.ops)
                assert all(p.new_text[op.new_start : op.new_end] == op.new for op in p.ops)


TABLE = """  - table:
      header: [STT, Chỉ tiêu, Kết quả, Đánh giá]
      rows:
        - group: Về kinh tế
        - [1, Giá trị xuất khẩu tăng bình quân, "{{ ind.xuat_khau.result }}", Không đạt]
sections:
  - 2-1"""


def test_table_compared_row_by_row(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for side, verdict in ((old, "Không đạt"), (new, "Chưa đạt")):
        shutil.copytree(DATA, side)
        path = side / "sections" / "2-0-phan-thu-hai.yaml"
        text = path.read_text(encoding="utf-8").replace("sections:\n  - 2-1", TABLE.replace("Không đạt", verdict), 1)
        path.write_text(text, encoding="utf-8")
    changes = compare(*(load_side(str(d), "", d, DEFAULT_TEMPLATES) for d in (old, new)))
    (section,) = changes.sections
    assert section.new is not None and section.new.key == "muc-tieu-nhiem-vu-giai-phap"
    (row,) = [p for p in section.paragraphs if p.status != "equal"]
    assert row.role == "table" and row.new_text == "1 | Giá trị xuất khẩu tăng bình quân | 8,6%/năm | Chưa đạt"
    assert [(op.op, op.old, op.new) for op in row.ops if op.op != "equal"] == [("replace", "Không", "Chưa")]


def test_indicator_added_and_one_renamed(old_side: Side, tmp_path: Path) -> None:
    """A new indicator group is reported once, with the sentence that counts the groups; a
    measure whose key changed but whose name stayed is matched by its name and not reported."""
    new = tmp_path / "new"
    shutil.copytree(DATA, new)
    path = new / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("      - key: luong_thuc\n", "      - key: san_luong_luong_thuc\n", 1)
    text = text.replace("continues: luong_thuc\n", "continues: san_luong_luong_thuc\n")
    added = "  - key: du_lich\n    measures:\n      - key: khach_du_lich\n        name: lượt khách du lịch bình quân\n"
    added += "        unit: nghìn lượt/năm\n        result: 120\n        target: 100\n"
    path.write_text(text.replace("  - key: thu_nhap\n", added + "  - key: thu_nhap\n", 1), encoding="utf-8")
    changes = compare(old_side, load_side(str(new), "mới", new, DEFAULT_TEMPLATES))
    assert reported(changes) == [("indicator", "added", "", ("VI.2.1.",))]
    (change,) = changes.indicators
    assert change.new is not None and (change.new.key, change.new.number) == ("khach_du_lich", "5.")
    assert change.new_value == IndicatorSide(
        "lượt khách du lịch bình quân", "nghìn lượt/năm", "100 nghìn lượt/năm", "120 nghìn lượt/năm", "vượt"
    )
    assert change.citations[0].sentence.startswith("Trong 15 nhóm chỉ tiêu chủ yếu")


def test_a_change_of_case_alone_is_an_edit(old_side: Side, tmp_path: Path) -> None:
    """“Đảng bộ thành phố” → “Đảng bộ Thành phố”: the same words, one in another case, is still a change
    (it once read as “no change” because the words are aligned case-blind)."""
    new = tmp_path / "new"
    shutil.copytree(DATA, new)
    edit(new, S12, "Tập trung chỉ đạo thực hiện đối", "Tập trung Chỉ đạo thực hiện đối")
    changes = compare(old_side, load_side(str(new), "mới", new, DEFAULT_TEMPLATES))
    assert reported(changes) == [("section", "edited", "II.1.1.", "II.1.1.", (("replace", "chỉ", "Chỉ"),))]
    assert not changes.identical


def edited_side(tmp_path: Path, change: Callable[[Path], None]) -> Side:
    new = tmp_path / "new"
    shutil.copytree(DATA, new)
    change(new)
    return load_side(str(new), "mới", new, DEFAULT_TEMPLATES)


def changed_paragraphs(changes: ChangeSet) -> list[tuple[str, str, str, int]]:
    """(status, old text, new text, how far it went in blocks) of every paragraph that is not equal."""
    return [
        (p.status, p.old_text, p.new_text, p.new_blocks[0] - p.old_blocks[0] if p.old_blocks and p.new_blocks else 0)
        for s in changes.sections
        for p in s.paragraphs
        if p.status != "equal"
    ]


def test_a_paragraph_moved_inside_its_section_is_one_moved_paragraph(old_side: Side, tmp_path: Path) -> None:
    changes = compare(old_side, edited_side(tmp_path, paragraph_moved))
    assert reported(changes) == [("section", "edited", "VI.2.2.", "VI.2.2.", ())]
    lead = "Nguyên nhân khách quan:"
    assert changed_paragraphs(changes) == [("moved", lead, lead, 7)]  # past the section's 7 other paragraphs
    (section,) = changes.sections
    assert (section.words_added, section.words_removed) == (0, 0)


def test_a_paragraph_moved_and_edited_is_one_paragraph_with_its_edit(old_side: Side, tmp_path: Path) -> None:
    changes = compare(old_side, edited_side(tmp_path, paragraph_moved_and_edited))
    assert reported(changes) == [("section", "edited", "VI.2.2.", "VI.2.2.", (("insert", "", "rất "),))]
    ((status, old, new, distance),) = changed_paragraphs(changes)
    assert (status, distance) == ("moved+edited", 5)
    assert "là vấn đề khó, có" in old and "là vấn đề rất khó, có" in new
    (section,) = changes.sections
    assert (section.words_added, section.words_removed) == (1, 0)


def test_a_paragraph_moved_and_reworded_below_the_threshold_is_removed_and_added(
    old_side: Side, tmp_path: Path
) -> None:
    """“Nguyên nhân khách quan:” → “Các nguyên nhân khách quan gồm:” keeps 4 of 5 and 6 words (0.73 < 0.9)."""
    reworded = LEAD.replace("Nguyên nhân khách quan:", "Các nguyên nhân khách quan gồm:")
    changes = compare(old_side, edited_side(tmp_path, lambda d: paragraph_moved(d, reworded)))
    removed, added = "Nguyên nhân khách quan:", "Các nguyên nhân khách quan gồm:"
    assert reported(changes) == [
        ("section", "edited", "VI.2.2.", "VI.2.2.", (("delete", removed, ""), ("insert", "", added)))
    ]
    assert [status for status, *_ in changed_paragraphs(changes)] == ["removed", "added"]


def test_paragraphs_swapped_back_and_forth_pair_both_ways(old_side: Side, tmp_path: Path) -> None:
    """The move read from NEW to OLD is the same move, the other way."""
    new = edited_side(tmp_path, paragraph_moved)
    assert changed_paragraphs(compare(new, old_side)) == [("moved", *["Nguyên nhân khách quan:"] * 2, -7)]


def test_a_paragraph_swapped_inside_a_moved_section(old_side: Side, tmp_path: Path) -> None:
    changes = compare(old_side, edited_side(tmp_path, paragraph_moved_in_moved_section))
    assert reported(changes) == [
        ("section", "moved", "IV.", "III.", ()),
        ("section", "edited", "IV.1.", "III.1.", ()),
    ]
    section = changes.sections[1]
    (moved,) = [p for p in section.paragraphs if p.status != "equal"]
    assert moved.status == "moved" and moved.old_text.startswith("Kiên định đường lối")
    assert move_place(section, moved) == "đoạn 1 → đoạn 2"


def test_a_paragraph_moved_to_another_section_is_one_moved_paragraph_where_it_went(
    old_side: Side, tmp_path: Path
) -> None:
    """Reported in VI.2.1., where it went, with the section it came from; nothing in VI.2.2., which it left."""
    changes = compare(old_side, edited_side(tmp_path, paragraph_moved_across))
    assert reported(changes) == [("section", "edited", "VI.2.1.", "VI.2.1.", ())]
    (section,) = changes.sections
    (moved,) = [p for p in section.paragraphs if p.status != "equal"]
    assert moved.status == "moved" and moved.old_text == moved.new_text
    assert moved.old_text.startswith("Công tác bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng")
    assert moved.moved_from is not None and moved.moved_from.key == "nguyen-nhan-2"
    assert move_place(section, moved) == "từ mục VI.2.2."
    assert moved_paragraphs(section) == 1
    assert (section.words_added, section.words_removed) == (0, 0)


def test_a_paragraph_moved_to_another_section_and_edited_carries_its_edit(old_side: Side, tmp_path: Path) -> None:
    changes = compare(old_side, edited_side(tmp_path, paragraph_moved_across_and_edited))
    assert reported(changes) == [("section", "edited", "VI.2.1.", "VI.2.1.", (("insert", "", "rất "),))]
    ((status, old, new, _distance),) = changed_paragraphs(changes)
    assert status == "moved+edited"
    assert "là vấn đề khó, có" in old and "là vấn đề rất khó, có" in new
    (section,) = changes.sections
    assert (section.words_added, section.words_removed) == (1, 0)


RULES = """          - >-
            Một số quy định, hướng dẫn chưa kịp thời, còn có nội dung chồng chéo, thiếu đồng bộ
            dẫn đến khó khăn, vướng mắc trong quá trình tổ chức thực hiện.
"""


def test_a_paragraph_that_left_still_counts_among_its_old_sections_places(old_side: Side, tmp_path: Path) -> None:
    """VI.2.2.'s third paragraph moved to VI.2.1., its fourth to its end: the fourth is “đoạn 4” of OLD still."""

    def both(data: Path) -> None:
        paragraph_moved_across(data)
        edit(data, S16, RULES, "")
        edit(data, S16, LAST, LAST + RULES)

    changes = compare(old_side, edited_side(tmp_path, both))
    assert [s.new.key for s in changes.sections if s.new] == ["han-che-khuyet-diem", "nguyen-nhan-2"]
    section = changes.sections[1]
    (moved,) = [p for p in section.paragraphs if p.status != "equal"]
    assert moved.old_text.startswith("Một số quy định")
    assert move_place(section, moved, moved_away(changes)["nguyen-nhan-2"]) == "đoạn 4 → đoạn 7"
    assert move_place(section, moved) == "đoạn 3 → đoạn 7"  # without the paragraph that left
    text = plain(report_lines(changes, ViewOptions()))
    assert "[chuyển chỗ: đoạn 4 → đoạn 7]" in text and "[chuyển từ mục VI.2.2.]" in text


def test_a_paragraph_moved_to_another_section_reads_back_the_other_way(old_side: Side, tmp_path: Path) -> None:
    changes = compare(edited_side(tmp_path, paragraph_moved_across), old_side)
    assert reported(changes) == [("section", "edited", "VI.2.2.", "VI.2.2.", ())]
    (section,) = changes.sections
    (moved,) = [p for p in section.paragraphs if p.status != "equal"]
    assert move_place(section, moved) == "từ mục VI.2.1."


def test_a_paragraph_moved_to_another_section_and_reworded_below_the_threshold_is_removed_and_added(
    old_side: Side, tmp_path: Path
) -> None:
    """“là vấn đề khó” → “luôn là nhiệm vụ rất phức tạp”: 0.89 of its words kept, below 0.9."""
    reworded = ONLINE.replace("là vấn đề khó, có", "luôn là nhiệm vụ rất phức tạp, có")
    changes = compare(old_side, edited_side(tmp_path, lambda d: paragraph_moved_across(d, reworded)))
    assert [(s.status, section_label(s.new)) for s in changes.sections] == [
        ("edited", "VI.2.1."),
        ("edited", "VI.2.2."),
    ]
    assert [status for status, *_ in changed_paragraphs(changes)] == ["added", "removed"]
    assert all(p.moved_from is None for s in changes.sections for p in s.paragraphs)


def test_a_paragraph_moved_into_a_moved_section_stays_removed_and_added(old_side: Side, tmp_path: Path) -> None:
    """The section it went to moved itself: no move across sections (the redline would write it twice)."""
    changes = compare(old_side, edited_side(tmp_path, paragraph_moved_into_moved_section))
    assert [(s.status, section_label(s.old), section_label(s.new)) for s in changes.sections] == [
        ("edited", "VI.2.2.", "VI.2.2."),
        ("moved", "IV.", "III."),
        ("edited", "IV.1.", "III.1."),
    ]
    assert [status for status, *_ in changed_paragraphs(changes)] == ["removed", "added"]


def farming_swapped_and_forest_cover_changed(data: Path) -> None:
    """Part I, II.1.2.3. (farming): its two paragraphs swapped; the forest cover it cites 20,1% → 20,5%."""
    path = data / S12
    text = path.read_text(encoding="utf-8")
    first = text.index("              - >-\n                Sản xuất nông, lâm nghiệp")
    second = text.index("              - >-\n                Thực hiện hiệu quả Chương trình mục tiêu")
    end = text.index("            footnotes:\n", second)
    path.write_text(text[:first] + text[second:end] + text[first:second] + text[end:], encoding="utf-8")
    forest = "        result: 20,1\n        target: {value: 20, comparison: at_least}"
    edit(data, "indicators.yaml", forest, forest.replace("20,1", "20,5"))


def test_a_moved_paragraph_citing_a_changed_indicator_leaves_the_value_to_the_indicator(
    old_side: Side, tmp_path: Path
) -> None:
    """The moved paragraph was `moved+edited`, its value counted as a drafter's words in the section
    (+1 −1) and missing from the indicator's citations. Found by tests/test_redline_properties.py."""
    changes = compare(old_side, edited_side(tmp_path, farming_swapped_and_forest_cover_changed))
    assert reported(changes) == [
        ("section", "edited", "II.1.2.3.", "II.1.2.3.", ()),
        ("indicator", "edited", "20,1% → 20,5%, +0,4 điểm %", ("II.1.2.3.",)),
    ]
    section = next(s for s in changes.sections if s.status == "edited")
    (moved,) = [p for p in section.paragraphs if p.status != "equal"]
    assert (moved.status, moved.reported_at) == ("moved", "indicator:che_phu_rung")
    assert (section.words_added, section.words_removed) == (0, 0)
    assert moved_paragraphs(section) == 1
    assert [op.new for op in moved.ops if op.op != "equal"] == ["20,5%"]  # the redline still shows the value


def leads_swapped(data: Path) -> None:
    """VI.2.2.: the two leads swapped, “Nguyên nhân chủ quan:” first and “Nguyên nhân khách quan:” fifth."""
    objective, subjective = LEAD, LEAD.replace("khách quan", "chủ quan")
    edit(data, S16, objective, "\0")
    edit(data, S16, subjective, objective)
    edit(data, S16, "\0", subjective)


def test_two_alike_paragraphs_swapped_are_two_moves_not_two_rewordings(old_side: Side, tmp_path: Path) -> None:
    """The leads were paired with each other as edited (khách → chủ, chủ → khách: +2 −2 words) since
    they are alike: a paragraph that stands unchanged elsewhere is moved, not reworded.
    Found by tests/test_redline_properties.py."""
    changes = compare(old_side, edited_side(tmp_path, leads_swapped))
    assert reported(changes) == [("section", "edited", "VI.2.2.", "VI.2.2.", ())]
    found = [(status, old, new) for status, old, new, _distance in changed_paragraphs(changes)]
    assert found == [("moved", *["Nguyên nhân chủ quan:"] * 2), ("moved", *["Nguyên nhân khách quan:"] * 2)]
    (section,) = changes.sections
    assert (section.words_added, section.words_removed) == (0, 0)
