"""The views of one change set: --stat, plain text markers, context, JSON and Markdown."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from dhcompiler.diff.changeset import ChangeSet
from dhcompiler.diff.run import diff_drafts
from dhcompiler.diff.views import ViewOptions, plain, report_lines, stat_lines, to_json, to_markdown
from dhcompiler.templates import DEFAULT_TEMPLATES
from diff_scenarios import (
    DATA,
    SCENARIOS,
    paragraph_moved,
    paragraph_moved_across,
    paragraph_moved_across_and_edited,
    paragraph_moved_and_edited,
)

EDITS = ("one_word", "section_moved", "footnote_edited", "indicator_changed", "theme_reworded", "paragraph_split")


@pytest.fixture(scope="module")
def changes(tmp_path_factory: pytest.TempPathFactory) -> ChangeSet:
    """The README's worked example: six edits of a drafter in one new draft."""
    new = tmp_path_factory.mktemp("views") / "du-thao-4"
    shutil.copytree(DATA, new)
    for name in EDITS:
        SCENARIOS[name](new)
    result, _old, _new = diff_drafts(str(DATA), str(new), DATA, DEFAULT_TEMPLATES)
    return result


def test_stat(changes: ChangeSet) -> None:
    assert plain(stat_lines(changes)).splitlines() == [
        "Thông tin văn bản",
        "  Chủ đề Đại hội (58 → 60 chữ)  sửa",
        "Phần thứ nhất",
        "  II.1.1.            +1    −1  sửa",
        "Phần thứ hai",
        "  III.               +0    −0  chuyển chỗ",
        "Chú thích",
        "  (3)                +0    −2  sửa",
        "Chỉ tiêu",
        "  tỷ lệ trường công lập đạt chuẩn Quốc gia mức độ 2: 48,3% → 40%, -8,3 điểm %; nay: đạt",
        "Tổng cộng: 1 thông tin văn bản; mục: 1 sửa, 1 chuyển chỗ; chú thích: 1 sửa; 1 chỉ tiêu thay đổi; +3 −3 chữ.",
    ]


def test_plain_text_marks_words_like_git(changes: ChangeSet) -> None:
    text = plain(report_lines(changes, ViewOptions(context=3)))
    assert "    … Công văn minh, {+hiện đại, +}bền vững\n" in text
    split = "    … - xã hội(3).[- -]{+¶+}Công tác lãnh … hiện. Tập trung [-chỉ-]{+lãnh+} đạo thực hiện …   (tách đoạn)"
    assert split in text
    assert (
        "  Mục III. NHIỆM VỤ, GIẢI PHÁP CÔNG TÁC XÂY DỰNG ĐẢNG, XÂY DỰNG HỆ THỐNG CHÍNH TRỊ (cũ: IV.) [chuyển chỗ]"
        in text
    )
    assert "    xuất hiện ở mục II.4.1.: “tỷ lệ trường công lập đạt chuẩn quốc gia đạt 94%, trong đó" in text


def test_json_is_the_change_set(changes: ChangeSet) -> None:
    document = json.loads(to_json(changes))
    assert document["schema"] == 1 and document["identical"] is False
    assert document["summary"] == {
        "sections": {"edited": 1, "moved": 1},
        "footnotes": {"edited": 1},
        "indicators": 1,
        "meta": 1,
        "words_added": 3,
        "words_removed": 3,
    }
    moved = next(s for s in document["sections"] if s["status"] == "moved")
    assert (moved["old"]["number"], moved["new"]["number"], moved["new"]["key"]) == (
        "IV.",
        "III.",
        "nhiem-vu-giai-phap-cong-tac",
    )
    (note,) = document["footnotes"]
    ops = [op for p in note["paragraphs"] for op in p["ops"] if op["op"] != "equal"]
    assert ops == [
        {"op": "delete", "old": "nhà nước ", "new": "", "old_start": 26, "old_end": 35, "new_start": 26, "new_end": 26}
    ]


def test_markdown(changes: ChangeSet) -> None:
    text = to_markdown(changes, ViewOptions(context=2))
    assert text.startswith("# So sánh thư mục ")
    assert "## Phần thứ hai\n" in text and "## Chỉ tiêu\n" in text
    assert "Tập trung ~~chỉ~~**lãnh** đạo thực" in text
    assert text.rstrip().endswith("+3 −3 chữ.**")


def test_removed_items_read_from_the_other_side(tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(DATA, new)
    SCENARIOS["section_inserted"](new)
    SCENARIOS["footnote_inserted"](new)
    changes, _a, _b = diff_drafts(str(new), str(DATA), DATA, DEFAULT_TEMPLATES)
    assert [(s.status, s.old and s.old.key, s.new) for s in changes.sections if s.status != "unchanged"] == [
        ("removed", "boi-canh-nhiem-ky", None)
    ]
    assert [(f.status, f.old and f.old.number, f.new) for f in changes.footnotes] == [("removed", "(1)", None)]


def moved_changes(tmp_path: Path, both: bool) -> ChangeSet:
    """The lead of VI.2.2. moved to the section's end, and (`both`) its cyberspace paragraph moved and edited."""
    new = tmp_path / "moved"
    shutil.copytree(DATA, new)
    paragraph_moved(new)
    if both:
        paragraph_moved_and_edited(new)
    result, _old, _new = diff_drafts(str(DATA), str(new), DATA, DEFAULT_TEMPLATES)
    return result


def test_a_moved_paragraph_in_every_text_view(tmp_path: Path) -> None:
    changes = moved_changes(tmp_path, both=True)
    assert plain(report_lines(changes, ViewOptions(context=2))).splitlines()[2:] == [
        "Phần thứ nhất",
        "  Mục VI.2.2. Nguyên nhân [sửa]",
        "    … vấn đề {+rất +}khó, có …   [chuyển chỗ, sửa: đoạn 3 → đoạn 7]",
        "    * Nguyên nhân khách quan:  [chuyển chỗ: đoạn 1 → đoạn 8]",
        "Tổng cộng: mục: 1 sửa; đoạn: 2 chuyển chỗ; +1 −0 chữ.",
    ]
    assert plain(stat_lines(changes)).splitlines() == [
        "Phần thứ nhất",
        "  VI.2.2.            +1    −0  sửa (2 đoạn chuyển chỗ)",
        "Tổng cộng: mục: 1 sửa; đoạn: 2 chuyển chỗ; +1 −0 chữ.",
    ]
    assert "  - * Nguyên nhân khách quan:  [chuyển chỗ: đoạn 1 → đoạn 8]" in to_markdown(changes, ViewOptions())


def test_a_moved_paragraph_in_json(tmp_path: Path) -> None:
    document = json.loads(to_json(moved_changes(tmp_path, both=False)))
    assert document["summary"]["paragraphs"] == {"moved": 1}
    assert (document["summary"]["words_added"], document["summary"]["words_removed"]) == (0, 0)
    (section,) = document["sections"]
    (moved,) = [p for p in section["paragraphs"] if p["status"] != "equal"]
    assert moved["status"] == "moved" and moved["old_text"] == moved["new_text"] == "Nguyên nhân khách quan:"
    assert moved["new_blocks"][0] - moved["old_blocks"][0] == 7
    assert [op["op"] for op in moved["ops"]] == ["equal"]


def moved_across(tmp_path: Path, edit: Callable[[Path], None]) -> ChangeSet:
    """VI.2.2.'s paragraph on cyberspace moved to the end of VI.2.1. (`edit` one of the two scenarios)."""
    new = tmp_path / "across"
    shutil.copytree(DATA, new)
    edit(new)
    result, _old, _new = diff_drafts(str(DATA), str(new), DATA, DEFAULT_TEMPLATES)
    return result


def test_a_paragraph_moved_to_another_section_in_every_text_view(tmp_path: Path) -> None:
    changes = moved_across(tmp_path, paragraph_moved_across_and_edited)
    assert plain(report_lines(changes, ViewOptions(context=2))).splitlines()[2:] == [
        "Phần thứ nhất",
        "  Mục VI.2.1. Hạn chế, khuyết điểm [sửa]",
        "    … vấn đề {+rất +}khó, có …   [chuyển từ mục VI.2.2., sửa]",
        "Tổng cộng: mục: 1 sửa; đoạn: 1 chuyển chỗ; +1 −0 chữ.",
    ]
    assert plain(stat_lines(changes)).splitlines() == [
        "Phần thứ nhất",
        "  VI.2.1.            +1    −0  sửa (1 đoạn chuyển chỗ)",
        "Tổng cộng: mục: 1 sửa; đoạn: 1 chuyển chỗ; +1 −0 chữ.",
    ]
    pure = moved_across(tmp_path / "pure", paragraph_moved_across)
    assert plain(report_lines(pure, ViewOptions())).splitlines()[4] == (
        "    Công tác bảo vệ nền tảng tư tưởng của Đảng trên không …  [chuyển từ mục VI.2.2.]"
    )
    assert "  - Công tác bảo vệ nền tảng tư tưởng của Đảng trên không …  [chuyển từ mục VI.2.2.]" in to_markdown(
        pure, ViewOptions()
    )


def test_a_paragraph_moved_to_another_section_in_json(tmp_path: Path) -> None:
    document = json.loads(to_json(moved_across(tmp_path, paragraph_moved_across)))
    assert document["summary"]["paragraphs"] == {"moved": 1}
    assert (document["summary"]["words_added"], document["summary"]["words_removed"]) == (0, 0)
    (section,) = document["sections"]
    assert section["new"]["key"] == "han-che-khuyet-diem"
    (moved,) = [p for p in section["paragraphs"] if "moved_from" in p]
    assert moved["status"] == "moved" and moved["old_text"] == moved["new_text"]
    assert moved["moved_from"]["key"] == "nguyen-nhan-2"
    assert moved["moved_from"]["path"] == ["Phần thứ nhất", "VI.", "2.", "2.2."]
    assert [op["op"] for op in moved["ops"]] == ["equal"]
    assert all("moved_from" not in p for p in section["paragraphs"] if p is not moved)
