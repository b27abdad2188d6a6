"""The redline of `dhc diff --format docx`: every scenario of the diff tests, accepted and rejected."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import redline_oracle as oracle
from dhcompiler.cli import app
from dhcompiler.diff.compare import compare
from dhcompiler.diff.documents import tracking_for
from dhcompiler.diff.redline import redline_document
from dhcompiler.diff.run import diff_drafts
from dhcompiler.diff.sides import load_side
from dhcompiler.document import Tracking
from dhcompiler.render_docx import render_docx
from dhcompiler.templates import DEFAULT_TEMPLATES
from diff_scenarios import (
    DATA,
    LABEL,
    SCENARIOS,
    TRACKING,
    header_and_signature_edited,
    make_pair,
    paragraph_moved,
    paragraph_moved_across,
    paragraph_moved_across_and_edited,
    paragraph_moved_and_edited,
    paragraph_moved_in_moved_section,
    paragraph_moved_into_moved_section,
    redline_of,
    table_pair,
    without_numbers,
)
from diff_scenarios import edit as edit_file

# Headings keep their computed NEW number on rejection, as Word's own numbering would: the
# scenarios that renumber headings compare texts without the leading number.
RENUMBERED = {"section_inserted", "section_moved"}
# Scenarios also diffed the other way round: a section, a footnote removed; two paragraphs
# merged; a section moved back and edited back.
REVERSED = (
    "section_inserted",
    "footnote_inserted",
    "paragraph_split",
    "section_moved_and_edited",
    "paragraph_moved_and_edited",
    "header_and_signature_edited",
    "paragraph_moved_across",
    "paragraph_moved_across_and_edited",
    "paragraph_moved_into_moved_section",
)
# Edits diffed here but kept out of SCENARIOS (the combined fixture of the other tests).
MORE = {
    "header_and_signature_edited": header_and_signature_edited,
    "paragraph_moved": paragraph_moved,
    "paragraph_moved_and_edited": paragraph_moved_and_edited,
    "paragraph_moved_in_moved_section": paragraph_moved_in_moved_section,
    "paragraph_moved_across": paragraph_moved_across,
    "paragraph_moved_across_and_edited": paragraph_moved_across_and_edited,
    "paragraph_moved_into_moved_section": paragraph_moved_into_moved_section,
}
W = oracle.W


def assert_resolves(red: bytes, old: bytes, new: bytes, renumbered: bool) -> None:
    accepted, rejected = oracle.texts(red, "accept"), oracle.texts(red, "reject")
    expected_new, expected_old = oracle.texts(new), oracle.texts(old)
    assert accepted.paragraphs == expected_new.paragraphs
    assert accepted.footnotes == expected_new.footnotes
    assert accepted.tables == expected_new.tables
    assert rejected.footnotes == expected_old.footnotes
    assert rejected.tables == expected_old.tables
    if renumbered:
        assert without_numbers(rejected.paragraphs) == without_numbers(expected_old.paragraphs)
        changed = [(a, b) for a, b in zip(rejected.paragraphs, expected_old.paragraphs, strict=True) if a != b]
        assert changed and all(LABEL.match(a) and LABEL.match(b) for a, b in changed)
    else:
        assert rejected.paragraphs == expected_old.paragraphs


@pytest.fixture(scope="module")
def redlines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, bytes, bytes]]:
    """Each scenario's redline, with the OLD side (the real data, the same for all) loaded once."""
    old = load_side(str(DATA), "cũ", DATA, DEFAULT_TEMPLATES)
    old_build = render_docx(old.document, DEFAULT_TEMPLATES)
    out = {}
    for name, edit in {**SCENARIOS, "section_moved_and_edited": section_moved_and_edited, **MORE}.items():
        new_dir = tmp_path_factory.mktemp(name) / "new"
        shutil.copytree(DATA, new_dir)
        edit(new_dir)
        new = load_side(str(new_dir), "mới", DATA, DEFAULT_TEMPLATES)
        new_build = render_docx(new.document, DEFAULT_TEMPLATES)
        red = redline_document(compare(old, new), old.document, new.document, TRACKING)
        out[name] = (render_docx(red, DEFAULT_TEMPLATES), old_build, new_build)
        if name in REVERSED:
            back = redline_document(compare(new, old), new.document, old.document, TRACKING)
            out[f"{name}:reversed"] = (render_docx(back, DEFAULT_TEMPLATES), new_build, old_build)
    return out


def section_moved_and_edited(data: Path) -> None:
    """Part II, section IV moved before III, and one of its words edited."""
    SCENARIOS["section_moved"](data)
    path = data / "sections" / "2-4-nhiem-vu-giai-phap-cong-tac.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Mác-Lênin", "Mác - Lênin", 1), encoding="utf-8")


NAMES = [*SCENARIOS, "section_moved_and_edited", *MORE]


@pytest.mark.parametrize("name", [*NAMES, *(f"{n}:reversed" for n in REVERSED)])
def test_accept_all_gives_new_and_reject_all_gives_old(redlines, name):
    red, old, new = redlines[name]
    renumbered = RENUMBERED | {
        "section_moved_and_edited",
        "paragraph_moved_in_moved_section",
        "paragraph_moved_into_moved_section",
    }
    assert_resolves(red, old, new, name.split(":")[0] in renumbered)
    ids = oracle.revision_ids(red)
    assert len(ids) == len(set(ids))
    assert bool(ids) == (not name.startswith("no_change"))


def test_a_moved_and_edited_section_shows_the_edit_inside_the_move(redlines):
    found = revisions(redlines["section_moved_and_edited"][0])
    assert {tag for tag, _ in found} == {"moveFrom", "moveTo", "ins"}
    assert [x for tag, x in found if tag == "ins"] == [" ", " "]  # “Mác-Lênin” → “Mác - Lênin”


def revisions(data: bytes, part: int = 0) -> list[tuple[str, str]]:
    """(tag, text) of every revision of the document (part 0) or the footnotes (part 1); a
    paragraph mark as “¶”, a table row's own mark as “row”."""
    root = oracle.read_parts(data)[part]
    out = []
    for element in root.iter(*(f"{W}{t}" for t in oracle.REVISIONS)):
        tag = element.tag.split("}")[1]
        if element.getparent().tag == f"{W}rPr":
            out.append((tag, "¶"))
        elif element.getparent().tag == f"{W}trPr":
            out.append((tag, "row"))
        else:
            out.append((tag, "".join(t.text or "" for t in element.iter(f"{W}t", f"{W}delText"))))
    return out


def move_names(document: Any) -> dict[str, list[str]]:
    """The names of a document's move ranges, by end: {"moveFrom": […], "moveTo": […]}."""
    return {kind: [e.get(f"{W}name") for e in document.iter(f"{W}{kind}RangeStart")] for kind in ("moveFrom", "moveTo")}


def test_one_word_is_one_deletion_and_one_insertion(redlines):
    assert revisions(redlines["one_word"][0]) == [("del", "chỉ"), ("ins", "lãnh")]


def test_an_inserted_section_is_inserted_paragraphs_and_later_numbers_carry_no_revision(redlines):
    red = redlines["section_inserted"][0]
    found = revisions(red)
    assert ("ins", "I. ") in found and ("ins", "BỐI CẢNH THỰC HIỆN NGHỊ QUYẾT") in found
    assert found.count(("ins", "¶")) == 2 and {tag for tag, _ in found} == {"ins"}
    assert "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU" in oracle.texts(red).paragraphs


def test_a_moved_section_is_moved_from_and_to_with_named_ranges(redlines):
    red = redlines["section_moved"][0]
    document = oracle.read_parts(red)[0]
    tags = {tag for tag, _ in revisions(red)}
    assert tags == {"moveFrom", "moveTo"}
    assert move_names(document) == {"moveFrom": ["move1"], "moveTo": ["move1"]}
    paragraphs = oracle.texts(red).paragraphs
    title = "NHIỆM VỤ, GIẢI PHÁP CÔNG TÁC XÂY DỰNG ĐẢNG, XÂY DỰNG HỆ THỐNG CHÍNH TRỊ"
    assert f"III. {title}" in paragraphs and f"IV. {title}" in paragraphs  # new place, old place


def test_a_moved_paragraph_is_moved_from_and_to_with_named_ranges(redlines):
    red = redlines["paragraph_moved"][0]
    document = oracle.read_parts(red)[0]
    assert {tag for tag, _ in revisions(red)} == {"moveFrom", "moveTo"}
    assert move_names(document) == {"moveFrom": ["move1"], "moveTo": ["move1"]}
    assert oracle.texts(red).paragraphs.count("* Nguyên nhân khách quan:") == 2  # old place, new place


def test_a_moved_and_edited_paragraph_shows_the_edit_inside_the_move(redlines):
    found = revisions(redlines["paragraph_moved_and_edited"][0])
    assert {tag for tag, _ in found} == {"moveFrom", "moveTo", "ins"}
    assert [x for tag, x in found if tag == "ins"] == ["rất "]
    back = revisions(redlines["paragraph_moved_and_edited:reversed"][0])
    assert {tag for tag, _ in back} == {"moveFrom", "moveTo"}  # “rất ” deleted: it stays with the moved-from copy


def test_a_paragraph_moved_to_another_section_is_moved_from_and_to_with_named_ranges(redlines):
    """Moved-from at its place in VI.2.2., moved-to at the end of VI.2.1. (the other way round when reversed)."""
    for name in ("paragraph_moved_across", "paragraph_moved_across:reversed"):
        red = redlines[name][0]
        document = oracle.read_parts(red)[0]
        assert {tag for tag, _ in revisions(red)} == {"moveFrom", "moveTo"}
        assert move_names(document) == {"moveFrom": ["move1"], "moveTo": ["move1"]}
        paragraphs = oracle.texts(red).paragraphs
        online = [
            k for k, p in enumerate(paragraphs) if p.startswith("Công tác bảo vệ nền tảng tư tưởng của Đảng trên ")
        ]
        limits, causes = paragraphs.index("2.1. Hạn chế, khuyết điểm"), paragraphs.index("2.2. Nguyên nhân")
        assert len(online) == 2 and limits < online[0] < causes < online[1]  # in VI.2.1. and in VI.2.2.


def test_a_paragraph_moved_to_another_section_and_edited_shows_the_edit_inside_the_move(redlines):
    found = revisions(redlines["paragraph_moved_across_and_edited"][0])
    assert {tag for tag, _ in found} == {"moveFrom", "moveTo", "ins"}
    assert [x for tag, x in found if tag == "ins"] == ["rất "]


def test_a_paragraph_moved_inside_a_moved_section_moves_with_it(redlines):
    """The section's move covers its paragraphs: one named move, the swapped paragraph inside it."""
    red = redlines["paragraph_moved_in_moved_section"][0]
    document = oracle.read_parts(red)[0]
    assert {tag for tag, _ in revisions(red)} == {"moveFrom", "moveTo"}
    assert move_names(document) == {"moveFrom": ["move1"], "moveTo": ["move1"]}


BODY_NOTE_THEN_PART_ONE = "  - sections/00-thuyet-minh-chu-de.yaml\n  - sections/1-0-phan-thu-nhat.yaml\n"


@pytest.mark.parametrize("how", ["part_moved", "part_removed"])
def test_a_moved_or_removed_part_carries_its_label_paragraph_in_the_revision(tmp_path, how):
    """A part's label (“Phần thứ nhất”) is a paragraph of its own before its title: it was left
    out of the part's revision, so Accept All (Reject All) joined it to the next paragraph.
    Found by tests/test_redline_properties.py (the note on the theme moved after Part I)."""
    old, new = make_pair(tmp_path, "no_change")
    if how == "part_moved":  # Part I is reported moved (before the note), the note stays
        edit_file(
            new,
            "document.yaml",
            BODY_NOTE_THEN_PART_ONE,
            "  - sections/1-0-phan-thu-nhat.yaml\n  - sections/00-thuyet-minh-chu-de.yaml\n",
        )
    else:
        edit_file(new, "document.yaml", "  - sections/2-0-phan-thu-hai.yaml\n", "")
    red, old_build, new_build = redline_of(old, new)
    label = "Phần thứ nhất" if how == "part_moved" else "Phần thứ hai"
    expected = [("moveTo", label), ("moveFrom", label)] if how == "part_moved" else [("del", label)]
    assert [r for r in revisions(red) if r[1] == label] == expected
    assert_resolves(red, old_build, new_build, renumbered=False)
    back, new_build, old_build = redline_of(new, old)
    assert_resolves(back, new_build, old_build, renumbered=False)


def test_an_inserted_footnote_is_marked_in_the_text_and_in_the_notes_and_nothing_renumbers(redlines):
    red = redlines["footnote_inserted"][0]
    body = revisions(red)
    assert body == [("ins", "()")]  # the reference, its number automatic
    notes = revisions(red, 1)
    assert ("ins", "Theo Hướng dẫn của Ban Thường vụ Tỉnh ủy về chuẩn bị văn kiện đại hội.") in notes
    assert ("ins", "¶") in notes
    notes = oracle.read_parts(red)[1]
    ids = [next(e.iterancestors(f"{W}footnote")).get(f"{W}id") for e in notes.iter(f"{W}ins")]
    assert set(ids) == {"1"}  # every footnote revision is in the first note: 45 renumbered notes untouched


def test_an_edited_footnote_is_edited_inside_the_notes(redlines):
    red = redlines["footnote_edited"][0]
    assert revisions(red) == []
    assert revisions(red, 1) == [("del", "nhà nước ")]


def test_a_changed_indicator_shows_in_its_line_and_in_the_sentences_citing_it(redlines):
    found = revisions(redlines["indicator_changed"][0])
    assert found == [("del", "48,3%"), ("ins", "40%")] * 3  # the indicator line and the two sentences citing it


def test_a_split_paragraph_is_an_inserted_paragraph_mark(redlines):
    found = revisions(redlines["paragraph_split"][0])
    assert ("ins", "¶") in found and all(tag == "ins" or text.isspace() for tag, text in found)


def test_a_reworded_theme_shows_the_words_and_the_new_count(redlines):
    found = revisions(redlines["theme_reworded"][0])
    assert ("ins", "hiện đại, ") in found or ("ins", " hiện đại,") in found
    assert ("del", " (58 chữ)") in found and ("ins", " (60 chữ)") in found


def test_the_redline_is_byte_identical_on_a_rebuild(tmp_path, redlines):
    old, new = make_pair(tmp_path, "section_moved")
    assert redline_of(old, new)[0] == redlines["section_moved"][0]


# --- all scenarios at once (`combined`, in conftest.py; LibreOffice's view in test_libreoffice.py) ---


def test_all_scenarios_at_once_resolve_in_process(combined):
    assert_resolves(*combined, renumbered=True)


# --- the command ----------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["diff", *args])
    return result.exit_code, result.output


def test_the_command_writes_the_redline_and_replaces_only_its_own_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735171200")
    old, new = make_pair(tmp_path, "one_word")
    out = tmp_path / "redline.docx"
    code, output = run(str(old), str(new), "--format", "docx", "--out", str(out), "--author", "Tổ biên tập")
    assert code == 0, output
    first = out.read_bytes()
    assert revisions(first) == [("del", "chỉ"), ("ins", "lãnh")]
    ins = next(oracle.read_parts(first)[0].iter(f"{W}ins"))
    assert ins.get(f"{W}author") == "Tổ biên tập" and ins.get(f"{W}date") == "2024-12-26T00:00:00Z"
    assert run(str(old), str(new), "-f", "docx", "--out", str(out), "--author", "Tổ biên tập")[0] == 0
    assert out.read_bytes() == first
    foreign = tmp_path / "foreign.docx"
    foreign.write_bytes(b"not ours")
    code, output = run(str(old), str(new), "-f", "docx", "--out", str(foreign))
    assert code == 1 and "DH040" in output and foreign.read_bytes() == b"not ours"


def test_a_docx_format_needs_an_output_file(tmp_path):
    old, new = make_pair(tmp_path, "no_change")
    code, output = run(str(old), str(new), "--format", "docx")
    assert code == 2 and "--out" in output and "DH710" in output


def test_the_default_author_is_dhc_and_the_date_the_new_drafts_own(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    old, new = make_pair(tmp_path, "no_change")
    _changes, _a, b = diff_drafts(str(old), str(new), DATA, DEFAULT_TEMPLATES)
    assert tracking_for(b, None) == Tracking("dhc", "2024-12-26T00:00:00Z")


def test_a_git_revision_gives_its_author_and_commit_date(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git chưa được cài")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    shutil.copytree(DATA, tmp_path / "data")
    env = {
        "GIT_AUTHOR_NAME": "Nguyễn Văn A",
        "GIT_AUTHOR_EMAIL": "a@example.vn",
        "GIT_COMMITTER_NAME": "Nguyễn Văn A",
        "GIT_COMMITTER_EMAIL": "a@example.vn",
        "GIT_AUTHOR_DATE": "2025-01-05T09:30:00+07:00",
        "GIT_COMMITTER_DATE": "2025-01-05T09:30:00+07:00",
        "PATH": __import__("os").environ["PATH"],
        "HOME": str(tmp_path),
    }
    for args in (["init", "-q"], ["add", "data"], ["commit", "-q", "-m", "dự thảo"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    _changes, _a, b = diff_drafts("HEAD", "HEAD", Path("data"), DEFAULT_TEMPLATES)
    assert b.commit
    assert tracking_for(b, None) == Tracking("Nguyễn Văn A", "2025-01-05T02:30:00Z")
    assert tracking_for(b, "Tổ biên tập").author == "Tổ biên tập"


def test_the_redline_opens_as_a_docx_with_the_builds_layout(redlines):
    red, _old, new = redlines["one_word"]
    with zipfile.ZipFile(__import__("io").BytesIO(red)) as z, zipfile.ZipFile(__import__("io").BytesIO(new)) as b:
        assert z.read("word/styles.xml") == b.read("word/styles.xml")
        assert sorted(z.namelist()) == sorted(b.namelist())


TABLE = """  - table:
      header: [STT, Chỉ tiêu, Kết quả]
      rows:
        - [1, "Thu ngân sách tăng[^ghi-chu-bang]", "40,75%/năm"]
"""


def test_an_added_table_is_written_once_as_inserted_rows_with_its_footnote(tmp_path):
    """A table only NEW has: every row inserted, its note inserted and numbered in sequence."""
    old, new = make_pair(tmp_path, "no_change")
    path = new / "sections" / "1-1-ket-qua-thuc-hien-chi-tieu.yaml"
    text = path.read_text(encoding="utf-8").replace("  - indicators: results\n", "  - indicators: results\n" + TABLE, 1)
    path.write_text(text + "footnotes:\n  ghi-chu-bang: Số liệu năm 2024 là ước thực hiện.\n", encoding="utf-8")
    red, old_build, new_build = redline_of(old, new)
    assert_resolves(red, old_build, new_build, renumbered=False)
    accepted, expected = oracle.texts(red, "accept"), oracle.texts(new_build)
    assert accepted.paragraphs == expected.paragraphs and accepted.footnotes == expected.footnotes
    assert len(list(oracle.read_parts(red)[0].iter(f"{W}tbl"))) == 2  # the header block and the table
    assert ["() Số liệu năm 2024 là ước thực hiện."] in accepted.footnotes
    assert revisions(red) == [
        *[("ins", "row"), ("ins", "STT"), ("ins", "Chỉ tiêu"), ("ins", "Kết quả")],
        *[("ins", "row"), ("ins", "1"), ("ins", "Thu ngân sách tăng()"), ("ins", "40,75%/năm")],
        ("ins", "¶"),  # the paragraph after the table
    ]
    assert ("ins", "Số liệu năm 2024 là ước thực hiện.") in revisions(red, 1)


# --- tables (the `tables` fixture: diff_scenarios.tables_changed) ----------------------------

CHANGED_VALUE = [("del", "48,3%"), ("ins", "40%")]


def test_a_changed_table_is_written_once_with_its_cells_rows_and_tables_as_revisions(tables):
    red = tables[0]
    assert revisions(red) == [
        *CHANGED_VALUE,  # the indicator line
        *[("ins", "row"), ("ins", "Số xã đạt chuẩn nông thôn mới"), ("ins", "100%")],  # a row added
        *CHANGED_VALUE,  # the indicator's value in its table cell
        *[("del", "row"), ("del", "3"), ("del", "Tỷ lệ hộ nghèo theo chuẩn đa chiều"), ("del", "còn 0,5%")],
        *[("del", "row"), ("del", "Nội dung"), ("del", "Số lượng")],  # a table removed, where it stood
        *[("del", "row"), ("del", "Công trình, dự án hoàn thành"), ("del", "117 dự án"), ("del", "¶")],
        *CHANGED_VALUE * 2,  # the two sentences citing the indicator
        *[("ins", "row"), ("ins", "Chỉ tiêu"), ("ins", "Năm 2030")],  # a table added
        *[("ins", "row"), ("ins", "Tốc độ tăng trưởng kinh tế bình quân"), ("ins", "10%/năm"), ("ins", "¶")],
    ]
    ids = oracle.revision_ids(red)
    assert len(ids) == len(set(ids))


def test_a_changed_table_resolves_to_either_draft_with_its_footnote(tables):
    red, old, new = tables
    assert_resolves(red, old, new, renumbered=False)
    results = ["STT", "Chỉ tiêu", "Kết quả"], ["Về kinh tế - xã hội"]
    assert oracle.texts(red, "accept").tables[1][:5] == [
        *results,
        ["", "Số xã đạt chuẩn nông thôn mới", "100%"],
        ["1", "Thu ngân sách trên địa bàn tăng bình quân(^)", "40,75%/năm"],
        ["2", "Tỷ lệ trường công lập đạt chuẩn Quốc gia mức độ 2", "40%"],
    ]
    assert oracle.texts(red, "reject").tables[1][2:] == [
        ["1", "Thu ngân sách trên địa bàn tăng bình quân(^)", "40,75%/năm"],
        ["2", "Tỷ lệ trường công lập đạt chuẩn Quốc gia mức độ 2", "48,3%"],
        ["3", "Tỷ lệ hộ nghèo theo chuẩn đa chiều", "còn 0,5%"],
    ]
    assert ["() Số liệu năm 2024 là ước thực hiện."] in oracle.texts(red, "accept").footnotes


def test_the_tables_diffed_the_other_way_round_resolve(tmp_path):
    old, new = table_pair(tmp_path)
    red, new_build, old_build = redline_of(new, old)
    assert_resolves(red, new_build, old_build, renumbered=False)
    assert ("ins", "Tỷ lệ hộ nghèo theo chuẩn đa chiều") in revisions(red)


MOVED_TABLE = """      - table:
          header: [Nội dung, Kết quả]
          rows:
            - [Kết nạp đảng viên mới, "1.250 đảng viên"]
"""


def test_a_table_in_a_moved_section_is_deleted_at_its_old_place_and_inserted_at_the_new(tmp_path):
    old, new = make_pair(tmp_path, "section_moved")
    for data in (old, new):
        path = data / "sections" / "2-4-nhiem-vu-giai-phap-cong-tac.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("    content:\n", "    content:\n" + MOVED_TABLE, 1), encoding="utf-8")
    path = new / "sections" / "2-4-nhiem-vu-giai-phap-cong-tac.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1.250 đảng viên", "1.300 đảng viên"), encoding="utf-8")
    red, old_build, new_build = redline_of(old, new)
    found = revisions(red)
    assert ("del", "1.250 đảng viên") in found and ("ins", "1.300 đảng viên") in found
    assert {tag for tag, _ in found} == {"moveFrom", "moveTo", "ins", "del"}
    assert_resolves(red, old_build, new_build, renumbered=True)


def test_the_markdown_of_a_redline_shows_a_changed_table_in_criticmarkup(tmp_path):
    from dhcompiler.render_md import render_markdown

    changes, a, b = diff_drafts(*map(str, table_pair(tmp_path)), DATA, DEFAULT_TEMPLATES)
    text = render_markdown(redline_document(changes, a.document, b.document, TRACKING), DEFAULT_TEMPLATES)
    assert "| 2 | Tỷ lệ trường công lập đạt chuẩn Quốc gia mức độ 2 | {--48,3%--}{++40%++} |" in text
    assert "| {--3--} | {--Tỷ lệ hộ nghèo theo chuẩn đa chiều--} | {--còn 0,5%--} |" in text


def test_a_row_change_is_split_at_its_cells_or_else_each_changed_cell_is_replaced_whole():
    from dhcompiler.diff import changeset as cs
    from dhcompiler.diff.redline import _paired_cells
    from dhcompiler.prose import Change, Run

    deleted, inserted = Change("del"), Change("ins")
    old, new = [[[Run("a")]], [[Run("b d")]]], [[[Run("a")]], [[Run("c d")]]]

    def row(*ops: cs.WordOp) -> cs.ParagraphChange:
        return cs.ParagraphChange("edited", "table", (0,), (0,), "", "", "a | b d", "a | c d", ops)

    clean = row(
        cs.WordOp("equal", "a | ", "a | ", 0, 4, 0, 4),
        cs.WordOp("replace", "b", "c", 4, 5, 4, 5),
        cs.WordOp("equal", " d", " d", 5, 7, 5, 7),
    )
    assert _paired_cells(old, new, clean) == [
        [[Run("a")]],
        [[Run("b", change=deleted), Run("c", change=inserted), Run(" d")]],
    ]
    crossing = row(  # the joiner inside a replaced stretch: the cells that differ, deleted and written anew
        cs.WordOp("equal", "a", "a", 0, 1, 0, 1),
        cs.WordOp("replace", " | b", " | c", 1, 5, 1, 5),
        cs.WordOp("equal", " d", " d", 5, 7, 5, 7),
    )
    assert _paired_cells(old, new, crossing) == [
        [[Run("a")]],
        [[Run("b d", change=deleted), Run("c d", change=inserted)]],
    ]
    assert _paired_cells(old, [[[Run("a")], [Run("x")]], [[Run("c d")]]], None) is None  # a cell grew a paragraph


def test_the_header_and_the_signature_show_their_changes(redlines):
    """The number, the date, a body dropped and the signature lines, each a revision where it
    stands (they once showed NEW's values with no revision, so Reject All could not give OLD)."""
    found = revisions(redlines["header_and_signature_edited"][0])
    assert found == [
        ("del", "¶"),  # the superior body's line, which NEW does not have
        ("del", "ĐẢNG BỘ TỈNH THÁI NGUYÊN"),
        ("del", "…..."),  # “Số …...-BC/TU” → “Số 125-BC/TU”
        ("ins", "125"),
        ("del", "26"),  # “ngày 26 tháng 12 năm 2024” → “ngày 15 tháng 01 năm 2025”
        ("ins", "15"),
        ("del", "12"),
        ("ins", "01"),
        ("del", "2024"),
        ("ins", "2025"),
        ("ins", "T/M "),  # “BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ” → “T/M BAN THƯỜNG VỤ”
        ("del", "CHẤP"),
        ("ins", "THƯỜNG"),
        ("del", "HÀNH ĐẢNG BỘ THÀNH PHỐ"),
        ("ins", "VỤ"),
        ("ins", "¶"),  # the title and the name: lines OLD does not have
        ("ins", "BÍ THƯ"),
        ("ins", "¶"),
        ("ins", "Nguyễn Văn A"),
    ]
