"""The edits of the `dhc diff` scenarios, made on a copy of the real data/ (shared with the redline tests).

Each scenario is a function that edits the YAML text of a data directory in place, the way a
drafter would. `make_pair(tmp_path, name)` gives (old, new): two copies of `data/`, the new
one edited; `redline_of(old, new)` their redline.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dhcompiler.diff.redline import redline_document
from dhcompiler.diff.run import diff_drafts
from dhcompiler.document import Tracking
from dhcompiler.render_docx import render_docx
from dhcompiler.templates import DEFAULT_TEMPLATES

DATA = Path(__file__).resolve().parents[1] / "data"
S12 = "sections/1-2-ket-qua-cong-tac-lanh-dao.yaml"


def edit(data: Path, name: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a data file by `new`."""
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{name}: “{old}” occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def one_word(data: Path) -> None:
    """“Tập trung chỉ đạo thực hiện” → “Tập trung lãnh đạo thực hiện” (Part I, II.1.1.)."""
    edit(data, S12, "Tập trung chỉ đạo thực hiện đối", "Tập trung lãnh đạo thực hiện đối")


NEW_SECTION = """# yaml-language-server: $schema=../../schemas/section.schema.json
key: boi-canh-nhiem-ky
title: BỐI CẢNH THỰC HIỆN NGHỊ QUYẾT
content:
  - >-
    Nhiệm kỳ 2020 - 2025 diễn ra trong bối cảnh có nhiều thuận lợi nhưng cũng không ít khó khăn,
    thách thức do tác động của dịch bệnh và biến động kinh tế thế giới.
"""


def section_inserted(data: Path) -> None:
    """A new Roman section “I. BỐI CẢNH …” at the head of Part I: every later Roman number shifts."""
    (data / "sections" / "1-0a-boi-canh.yaml").write_text(NEW_SECTION, encoding="utf-8")
    edit(
        data,
        "sections/1-0-phan-thu-nhat.yaml",
        "  - 1-1-ket-qua-thuc-hien-chi-tieu.yaml",
        "  - 1-0a-boi-canh.yaml\n  - 1-1-ket-qua-thuc-hien-chi-tieu.yaml",
    )


def section_moved(data: Path) -> None:
    """Part II: section IV (tasks of Party building) moved before III (defence): III ↔ IV."""
    edit(
        data,
        "sections/2-0-phan-thu-hai.yaml",
        "  - 2-3-tang-cuong-cong-tac-quoc-phong.yaml\n  - 2-4-nhiem-vu-giai-phap-cong-tac.yaml",
        "  - 2-4-nhiem-vu-giai-phap-cong-tac.yaml\n  - 2-3-tang-cuong-cong-tac-quoc-phong.yaml",
    )


def section_renamed(data: Path) -> None:
    """Key and title of “Phát triển công nghiệp - xây dựng” changed, content kept."""
    edit(
        data,
        S12,
        "key: phat-trien-cong-nghiep-xay-dung\n            title: Phát triển công nghiệp - xây dựng",
        "key: cong-nghiep-va-xay-dung\n            title: Công nghiệp và xây dựng",
    )


def footnote_inserted(data: Path) -> None:
    """A footnote cited in the first paragraph of the note on the theme: the 45 notes after it renumber."""
    edit(
        data,
        "sections/00-thuyet-minh-chu-de.yaml",
        '      - "Chủ đề Đại hội bao gồm 05 thành tố quan trọng:"',
        '      - "Chủ đề Đại hội bao gồm 05 thành tố quan trọng[^thanh-to-chu-de]:"',
    )
    edit(
        data,
        "sections/00-thuyet-minh-chu-de.yaml",
        '    title: "Các thành tố trong Chủ đề Đại hội:"\n',
        '    title: "Các thành tố trong Chủ đề Đại hội:"\n'
        "    footnotes:\n"
        "      thanh-to-chu-de: Theo Hướng dẫn của Ban Thường vụ Tỉnh ủy về chuẩn bị văn kiện đại hội.\n",
    )


def footnote_edited(data: Path) -> None:
    """Two words dropped from the note on the programmes and projects: “hành chính nhà nước” → “hành chính”."""
    edit(data, S12, "Đề án cải cách hành chính nhà nước thành phố", "Đề án cải cách hành chính thành phố")


def indicator_changed(data: Path) -> None:
    """Schools up to national standard level 2: result 48,3% → 40% (vượt → đạt); two sentences cite it."""
    edit(data, "indicators.yaml", "        result: 48,3\n        target: 40", "        result: 40\n        target: 40")


def paragraph_split(data: Path) -> None:
    """The first paragraph of Part I, II.1.1. split in two after its first sentence."""
    edit(
        data,
        S12,
        "            hội[^chuong-trinh-de-an-2021-2025]. Công tác lãnh đạo",
        "            hội[^chuong-trinh-de-an-2021-2025].\n          - >-\n            Công tác lãnh đạo",
    )


def theme_reworded(data: Path) -> None:
    """The theme gains two words: “… văn minh, hiện đại, bền vững” (58 → 60 chữ)."""
    edit(data, "document.yaml", "văn minh,\n    bền vững", "văn minh, hiện đại,\n    bền vững")


# Paragraphs moved inside a section (not in SCENARIOS: the combined fixture's expectations stay as they are).
S16 = "sections/1-6-danh-gia-chung.yaml"
LEAD = '          - lead: "Nguyên nhân khách quan:"\n'
LAST = "            cán bộ làm công tác mặt trận, tổ chức chính trị - xã hội còn hạn chế.\n"
ONLINE = """          - >-
            Công tác bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng là vấn đề khó, có
            những nội dung mới, đòi hỏi lực lượng đấu tranh phải có kỹ năng và kiến thức chuyên
            sâu.
"""


def paragraph_moved(data: Path, lead: str = LEAD) -> None:
    """VI.2.2. (Nguyên nhân): its first paragraph, the lead “Nguyên nhân khách quan:”, moved to its end (as `lead`)."""
    edit(data, S16, LEAD, "")
    edit(data, S16, LAST, LAST + lead)


def paragraph_moved_and_edited(data: Path) -> None:
    """VI.2.2.: the paragraph on cyberspace moved from third to last, and “vấn đề khó” made “vấn đề rất khó”."""
    edit(data, S16, ONLINE, "")
    edit(data, S16, LAST, LAST + ONLINE.replace("vấn đề khó", "vấn đề rất khó"))


def paragraph_moved_in_moved_section(data: Path) -> None:
    """Part II, section IV moved before III, and the two paragraphs of its IV.1. swapped."""
    section_moved(data)
    path = data / "sections" / "2-4-nhiem-vu-giai-phap-cong-tac.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("      - >-\n        Kiên định đường lối")
    second = text.index("      - >-\n        Chủ động nắm bắt")
    end = text.index("  - key: thuc-hien-tot-cong-tac-to")
    path.write_text(text[:first] + text[second:end] + text[first:second] + text[end:], encoding="utf-8")


# A paragraph moved to another section (not in SCENARIOS either).
S24 = "sections/2-4-nhiem-vu-giai-phap-cong-tac.yaml"
S24_END = "        lý luận phục vụ hoạt động lãnh đạo, chỉ đạo thực hiện nhiệm vụ chính trị của địa phương.\n"
END_OF_LIMITS = """            cứu trách nhiệm hình sự.
"""


def paragraph_moved_across(data: Path, paragraph: str = ONLINE) -> None:
    """VI.2.2. (Nguyên nhân): the paragraph on cyberspace moved to the end of VI.2.1. (Hạn chế,
    khuyết điểm), as `paragraph`."""
    edit(data, S16, ONLINE, "")
    edit(data, S16, END_OF_LIMITS, END_OF_LIMITS + paragraph)


def paragraph_moved_across_and_edited(data: Path) -> None:
    """As `paragraph_moved_across`, and “vấn đề khó” made “vấn đề rất khó” on the way."""
    paragraph_moved_across(data, ONLINE.replace("vấn đề khó", "vấn đề rất khó"))


def paragraph_moved_into_moved_section(data: Path) -> None:
    """Part II, section IV moved before III, and VI.2.2.'s paragraph on cyberspace moved to the end of its IV.1."""
    section_moved(data)
    edit(data, S16, ONLINE, "")
    lines = "".join(line[4:] + "\n" for line in ONLINE.splitlines())
    edit(data, S24, S24_END, S24_END + lines)


def no_change(data: Path) -> None:
    """Nothing edited."""


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "one_word": one_word,
    "section_inserted": section_inserted,
    "section_moved": section_moved,
    "section_renamed": section_renamed,
    "footnote_inserted": footnote_inserted,
    "footnote_edited": footnote_edited,
    "indicator_changed": indicator_changed,
    "paragraph_split": paragraph_split,
    "theme_reworded": theme_reworded,
    "no_change": no_change,
}


def header_and_signature_edited(data: Path) -> None:
    """The next round's header and signature: a number given, the date moved on, the superior
    body dropped, and the signer named on behalf of the Standing Committee."""
    path = data / "document.yaml"
    text = path.read_text(encoding="utf-8")
    for before, after in [
        ('number: ""', 'number: "125"'),
        ("date: 2024-12-26", "date: 2025-01-15"),
        ("superior_body: ĐẢNG BỘ TỈNH THÁI NGUYÊN\n", ""),
    ]:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    start = text.index("signature:")
    end = text.index("\n", text.index("name:", start))
    signature = "signature:\n  on_behalf: T/M\n  authority: BAN THƯỜNG VỤ\n  title: BÍ THƯ\n  name: Nguyễn Văn A"
    path.write_text(text[:start] + signature + text[end:], encoding="utf-8")


def make_pair(tmp_path: Path, name: str | None = None) -> tuple[Path, Path]:
    """Two copies of the real data: OLD as it is, NEW with scenario `name` applied (with every
    scenario's edit at once when `name` is None)."""
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(DATA, old)
    shutil.copytree(DATA, new)
    for edit in [SCENARIOS[name]] if name is not None else SCENARIOS.values():
        edit(new)
    return old, new


# --- the redline of a pair -------------------------------------------------------------------

TRACKING = Tracking("Văn phòng Thành ủy", "2024-12-26T00:00:00Z")
LABEL = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.) ")


def redline_of(old: Path, new: Path) -> tuple[bytes, bytes, bytes]:
    """(redline, OLD build, NEW build) as .docx bytes."""
    changes, a, b = diff_drafts(str(old), str(new), DATA, DEFAULT_TEMPLATES)
    red = render_docx(redline_document(changes, a.document, b.document, TRACKING), DEFAULT_TEMPLATES)
    return red, render_docx(a.document, DEFAULT_TEMPLATES), render_docx(b.document, DEFAULT_TEMPLATES)


def without_numbers(paragraphs: list[str]) -> list[str]:
    """The paragraphs without their heading number (a rejected heading keeps its NEW number, as in Word)."""
    return [LABEL.sub("", p) for p in paragraphs]


# --- what `dhc diff` must report for each scenario, and nothing else ------------------------

ADDED_TEXT = (
    "Nhiệm kỳ 2020 - 2025 diễn ra trong bối cảnh có nhiều thuận lợi nhưng cũng không ít khó khăn, "
    "thách thức do tác động của dịch bệnh và biến động kinh tế thế giới."
)

EXPECTED: dict[str, list[tuple[object, ...]]] = {
    "one_word": [("section", "edited", "II.1.1.", "II.1.1.", (("replace", "chỉ", "lãnh"),))],
    "section_inserted": [
        (
            "section",
            "added",
            "",
            "I.",
            (("insert", "", "BỐI CẢNH THỰC HIỆN NGHỊ QUYẾT"), ("insert", "", ADDED_TEXT)),
        )
    ],
    "section_moved": [("section", "moved", "IV.", "III.", ())],
    "section_renamed": [
        (
            "section",
            "renamed",
            "II.1.2.1.",
            "II.1.2.1.",
            (("replace", "Phát triển công", "Công"), ("replace", "-", "và")),
        )
    ],
    "footnote_inserted": [
        (
            "footnote",
            "added",
            "",
            "(1)",
            (("insert", "", "Theo Hướng dẫn của Ban Thường vụ Tỉnh ủy về chuẩn bị văn kiện đại hội."),),
        )
    ],
    "footnote_edited": [("footnote", "edited", "(3)", "(3)", (("delete", "nhà nước ", ""),))],
    "indicator_changed": [("indicator", "edited", "48,3% → 40%, -8,3 điểm %; nay: đạt", ("II.4.1.", "V.(3)"))],
    "paragraph_split": [("section", "edited", "II.1.1.", "II.1.1.", (("replace", " ", "\n"),))],
    "theme_reworded": [("meta", "theme", "edited", 58, 60, (("insert", "", "hiện đại, "),))],
    "no_change": [],
}


def _ops(paragraphs: Any) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (op.op, op.old, op.new)
        for p in paragraphs
        if p.status != "equal" and not p.reported_at
        for op in p.ops
        if op.op != "equal"
    )


def reported(changes: Any) -> list[tuple[object, ...]]:
    """Every change a reader is shown, as plain tuples: kind, status, old and new number, word edits."""
    from dhcompiler.diff.views import section_label

    out: list[tuple[object, ...]] = []
    for m in changes.meta:
        out.append(("meta", m.field, m.status, m.old_words, m.new_words, _ops([m.paragraph])))
    for s in changes.sections:
        if s.status != "unchanged":
            out.append(("section", s.status, section_label(s.old), section_label(s.new), _ops(s.paragraphs)))
    for f in changes.footnotes:
        numbers = (f.old.number if f.old else "", f.new.number if f.new else "")
        out.append(("footnote", f.status, *numbers, _ops(f.paragraphs)))
    for i in changes.indicators:
        out.append(("indicator", i.status, i.summary, tuple(section_label(c.section) for c in i.citations)))
    for g in changes.groups:
        out.append(("group", g.key, g.met_old, g.met_new))
    return out


# --- tables: the real data has none, so both drafts get them ------------------------------------

S11 = "sections/1-1-ket-qua-thuc-hien-chi-tieu.yaml"
S21 = "sections/2-1-muc-tieu-chi-tieu.yaml"
RESULTS_TABLE = """  - table:
      header: [STT, Chỉ tiêu, Kết quả]
      rows:
        - group: Về kinh tế - xã hội
        - [1, "Thu ngân sách trên địa bàn tăng bình quân[^ghi-chu-bang]", "40,75%/năm"]
        - [2, "Tỷ lệ trường công lập đạt chuẩn Quốc gia mức độ 2", "{{ ind.truong_chuan_muc_2.result }}"]
        - [3, "Tỷ lệ hộ nghèo theo chuẩn đa chiều", "còn 0,5%"]
  - table:
      header: [Nội dung, Số lượng]
      rows:
        - ["Công trình, dự án hoàn thành", "117 dự án"]
"""
TABLE_NOTE = "footnotes:\n  ghi-chu-bang: Số liệu năm 2024 là ước thực hiện.\n"
TARGETS_TABLE = """      - table:
          header: [Chỉ tiêu, Năm 2030]
          rows:
            - [Tốc độ tăng trưởng kinh tế bình quân, "10%/năm"]
"""


def with_tables(data: Path) -> None:
    """OLD's tables (Part I, I.): a results table citing indicator 6, and a table of works."""
    edit(data, S11, "  - indicators: results\n", "  - indicators: results\n" + RESULTS_TABLE)
    path = data / S11
    path.write_text(path.read_text(encoding="utf-8") + TABLE_NOTE, encoding="utf-8")


def tables_changed(data: Path) -> None:
    """The results table: indicator 6 changed (48,3% → 40%), a row added after the group row,
    row 3 removed; the table of works removed; a targets table added to Part II, I."""
    with_tables(data)
    indicator_changed(data)
    edit(
        data,
        S11,
        '        - [3, "Tỷ lệ hộ nghèo theo chuẩn đa chiều", "còn 0,5%"]\n',
        "",
    )
    edit(
        data,
        S11,
        "        - group: Về kinh tế - xã hội\n",
        '        - group: Về kinh tế - xã hội\n        - ["", "Số xã đạt chuẩn nông thôn mới", "100%"]\n',
    )
    edit(data, S11, "  - table:\n      header: [Nội dung, Số lượng]\n      rows:\n", "")
    edit(data, S11, '        - ["Công trình, dự án hoàn thành", "117 dự án"]\n', "")
    edit(data, S21, "      - indicators: targets\n", "      - indicators: targets\n" + TARGETS_TABLE)


def table_pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the real data with tables: OLD's (`with_tables`), and NEW's with `tables_changed`."""
    old, new = make_pair(tmp_path, "no_change")
    with_tables(old)
    tables_changed(new)
    return old, new
