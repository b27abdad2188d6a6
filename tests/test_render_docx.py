"""The .docx as a Party document: page, header block, styles by block and level, footnotes."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import marshal
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from docx.shared import Pt

from conftest import DATA, ROOT
from dhcompiler.document import build_document
from dhcompiler.findings import DhcError
from dhcompiler.render_docx import STYLES, render_docx
from dhcompiler.render_docx import reference as reference_module
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES
from dhcompiler.write import deflate, zip_archive
from seedtext import W

REFERENCE = DEFAULT_TEMPLATES / "reference.docx"
TWIPS_PER_MM = 1440 / 25.4


def w(name: str) -> str:
    return f"{W}{name}"


@dataclass
class Docx:
    """A built .docx read with a plain zip and XML reader, with style inheritance resolved."""

    body: ET.Element
    styles: dict[str, ET.Element]
    defaults: ET.Element
    parts: dict[str, ET.Element]

    @classmethod
    def read(cls, path: Path) -> Docx:
        with zipfile.ZipFile(path) as z:
            parts = {n: ET.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml") or n.endswith(".rels")}
        styles_root = parts["word/styles.xml"]
        styles = {s.get(w("styleId")): s for s in styles_root.iter(w("style"))}
        return cls(parts["word/document.xml"].find(w("body")), styles, styles_root.find(w("docDefaults")), parts)

    def paragraphs(self) -> list[ET.Element]:
        return list(self.body.iter(w("p")))

    def find(self, text: str) -> ET.Element:
        """The first paragraph whose text starts with `text`."""
        return next(p for p in self.paragraphs() if para_text(p).startswith(text))

    def chain(self, style_id: str | None) -> list[ET.Element]:
        out = []
        while style_id:
            style = self.styles[style_id]
            out.append(style)
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return out

    def prop(self, style_id: str | None, path: str) -> ET.Element | None:
        """The effective property element at `path` (e.g. "rPr/sz") of a style, or the default."""
        steps = "/".join(w(s) for s in path.split("/"))
        for style in self.chain(style_id):
            found = style.find(steps)
            if found is not None:
                return found
        return self.defaults.find(
            f"{w('rPrDefault')}/{steps}" if path.startswith("rPr") else f"{w('pPrDefault')}/{steps}"
        )

    def val(self, style_id: str | None, path: str, attr: str = "val") -> str | None:
        found = self.prop(style_id, path)
        return found.get(w(attr)) if found is not None else None

    def on(self, style_id: str | None, path: str) -> bool:
        found = self.prop(style_id, path)
        return found is not None and found.get(w("val"), "1") not in ("0", "false")

    def look(self, p: ET.Element) -> dict[str, object]:
        """Size (pt), weight, slant, alignment and font of a paragraph, all from its style."""
        style = style_of(p)
        return {
            "size": int(self.val(style, "rPr/sz") or 0) / 2,
            "bold": self.on(style, "rPr/b"),
            "italic": self.on(style, "rPr/i"),
            "jc": self.val(style, "pPr/jc") or "left",
            "font": self.val(style, "rPr/rFonts", "ascii"),
        }


def para_text(p: ET.Element) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def style_of(p: ET.Element) -> str | None:
    found = p.find(f"{w('pPr')}/{w('pStyle')}")
    return found.get(w("val")) if found is not None else None


@pytest.fixture(scope="module")
def out(built: dict[str, Path]) -> Docx:
    return Docx.read(built["docx"])


@pytest.fixture(scope="module")
def document():
    return build_document(load_report(DATA), DEFAULT_TEMPLATES)


# --- page ----------------------------------------------------------------------------------


def test_page_is_a4_with_the_party_margins(out):
    sect = out.body.find(w("sectPr"))
    size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
    assert (int(size.get(w("w"))), int(size.get(w("h")))) == (11906, 16838)
    mm = {side: round(int(margins.get(w(side))) / TWIPS_PER_MM) for side in ("top", "bottom", "left", "right")}
    assert mm == {"top": 20, "bottom": 20, "left": 30, "right": 15}
    assert sect.find(w("titlePg")) is not None


def _header_part(out: Docx, kind: str) -> ET.Element:
    sect = out.body.find(w("sectPr"))
    ref = next(h for h in sect.findall(w("headerReference")) if h.get(w("type")) == kind)
    rel_id = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = out.parts["word/_rels/document.xml.rels"]
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    return out.parts[f"word/{target}"]


def test_page_number_is_centred_in_the_header_and_absent_on_the_first_page(out):
    default = _header_part(out, "default")
    instructions = "".join(i.text or "" for i in default.iter(w("instrText")))
    assert instructions.strip() == "PAGE"
    p = next(default.iter(w("p")))
    assert out.look(p)["jc"] == "center" and out.look(p)["size"] == 14
    first = _header_part(out, "first")
    assert not list(first.iter(w("instrText"))) and not "".join(t.text or "" for t in first.iter(w("t")))


# --- header block --------------------------------------------------------------------------


def test_header_block_is_a_borderless_two_column_table(out):
    table = out.body[0]
    assert table.tag == w("tbl")
    style = table.find(f"{w('tblPr')}/{w('tblStyle')}").get(w("val"))
    borders = out.styles[style].find(f"{w('tblPr')}/{w('tblBorders')}")
    assert {b.get(w("val")) for b in borders} == {"nil"} and len(borders) == 6
    columns = [int(c.get(w("w"))) for c in table.iter(w("gridCol"))]
    assert len(columns) == 2 and sum(columns) == 11906 - 1701 - 850
    cells = [[para_text(p) for p in tc.iter(w("p"))] for tc in table.iter(w("tc"))]
    left = cells[0] + cells[2]
    right = cells[1] + cells[3]
    assert left == ["ĐẢNG BỘ TỈNH THÁI NGUYÊN", "THÀNH ỦY SÔNG CÔNG", "*", "Số …...-BC/TU"]
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Sông Công, ngày 26 tháng 12 năm 2024"]


def test_header_block_fonts(out):
    table = out.body[0]
    look = {para_text(p): out.look(p) for p in table.iter(w("p"))}
    assert look["ĐẢNG BỘ TỈNH THÁI NGUYÊN"] == {
        "size": 14,
        "bold": False,
        "italic": False,
        "jc": "center",
        "font": "Times New Roman",
    }
    assert look["THÀNH ỦY SÔNG CÔNG"]["bold"] and look["THÀNH ỦY SÔNG CÔNG"]["size"] == 14
    assert look["*"]["jc"] == "center"
    assert look["Số …...-BC/TU"]["size"] == 14 and not look["Số …...-BC/TU"]["bold"]
    party = next(p for p in table.iter(w("p")) if para_text(p) == "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert look["ĐẢNG CỘNG SẢN VIỆT NAM"]["size"] == 15 and look["ĐẢNG CỘNG SẢN VIỆT NAM"]["bold"]
    # The rule under the party name is an underline: exactly as long as the words.
    assert out.val(style_of(party), "rPr/u") == "single"
    date = look["Sông Công, ngày 26 tháng 12 năm 2024"]
    assert date["italic"] and date["size"] == 14


# --- blocks --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "size", "bold", "italic", "jc"),
    [
        ("“Dự thảo biên tập lần 3”", 14, False, True, "center"),
        ("BÁO CÁO CHÍNH TRỊ", 16, True, False, "center"),
        ("CỦA BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ KHÓA IX", 14, True, False, "center"),
        ("CHỦ ĐỀ ĐẠI HỘI", 14, True, False, "center"),
        ("Tăng cường xây dựng, chỉnh đốn Đảng", 14, True, True, "center"),
        ("PHƯƠNG CHÂM ĐẠI HỘI", 14, True, False, "center"),
        ("“Đoàn kết - Kỷ cương", 14, True, False, "center"),
        ("Ghi chú: Thuyết minh về Chủ đề Đại hội", 14, True, True, "center"),
        ("Phần thứ nhất", 14, True, False, "center"),
        ("ĐÁNH GIÁ TỔNG QUÁT 5 NĂM", 14, True, False, "center"),
        ("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU", 14, True, False, "both"),
        ("1. Lĩnh vực kinh tế", 14, True, False, "both"),
        ("1.2. Tăng trưởng và chuyển dịch cơ cấu kinh tế", 14, True, True, "both"),
        ("1.2.1. Phát triển công nghiệp - xây dựng", 14, False, True, "both"),
        ("Chủ đề Đại hội bao gồm 05 thành tố", 14, False, False, "both"),
        ("- Công nghiệp, xây dựng", 14, False, False, "both"),
        ("Một là,", 14, False, False, "both"),
        ("BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ", 14, True, False, "center"),
    ],
)
def test_each_block_has_its_size_weight_and_alignment(out, start, size, bold, italic, jc):
    look = out.look(out.find(start))
    assert look == {"size": size, "bold": bold, "italic": italic, "jc": jc, "font": "Times New Roman"}


def test_body_paragraphs_are_justified_with_a_first_line_indent(out):
    body = out.find("Chủ đề Đại hội bao gồm 05 thành tố")
    style = style_of(body)
    assert style == "BodyText"
    assert round(int(out.val(style, "pPr/ind", "firstLine")) / TWIPS_PER_MM) == 10
    assert int(out.val(style, "pPr/spacing", "after")) == 120  # 6 pt


def test_layout_comes_from_styles_not_from_direct_formatting(out):
    """Every size, font, spacing and indent in the body comes from a style of the reference."""
    direct = ("sz", "rFonts", "spacing", "ind", "jc", "color")
    for p in out.paragraphs():
        for element in p.iter():
            assert element.tag not in {w(d) for d in direct}, para_text(p)[:60]


def test_heading_styles_by_level_are_words_built_in_headings(out, document):
    names = {sid: out.styles[sid].find(w("name")).get(w("val")) for sid in out.styles}
    for level in range(1, 6):
        assert names[f"Heading{level}"] == f"heading {level}"
        assert out.val(f"Heading{level}", "pPr/outlineLvl") == str(level - 1)
    expected = {"Heading1": 0, "Heading2": 0, "Heading3": 0, "Heading4": 0, "Heading5": 0, "ItemHeading": 0}
    for block in document.blocks:
        if block.kind == "part":
            expected["Heading1"] += 1
        elif block.kind == "heading" and block.label.startswith("("):
            expected["ItemHeading"] += 1
        elif block.kind == "heading":
            expected[f"Heading{block.depth + 1}"] += 1
    found = {k: sum(1 for p in out.paragraphs() if style_of(p) == k) for k in expected}
    assert found == expected
    assert expected["Heading5"] == 3 and expected["ItemHeading"] == 3


def test_heading_labels_match_their_level(out):
    forms = {
        "Heading2": r"[IVX]+\. ",
        "Heading3": r"\d+\. ",
        "Heading4": r"\d+\.\d+\. ",
        "Heading5": r"\d+\.\d+\.\d+\. ",
        "ItemHeading": r"\(\d+\) ",
    }
    for p in out.paragraphs():
        form = forms.get(style_of(p) or "")
        if form:
            assert re.match(form, para_text(p)), (style_of(p), para_text(p))
    assert out.val("ItemHeading", "pPr/outlineLvl") == "2"


# --- footnotes -----------------------------------------------------------------------------


def test_footnote_styles_and_superscript_marks(out):
    assert out.val("FootnoteText", "rPr/sz") == "24"
    assert out.styles["FootnoteText"].find(w("name")).get(w("val")) == "footnote text"
    assert out.val("FootnoteReference", "rPr/vertAlign") == "superscript"
    for ref in out.body.iter(w("footnoteReference")):
        run = next(r for r in out.body.iter(w("r")) if ref in list(r))
        assert run.find(f"{w('rPr')}/{w('rStyle')}").get(w("val")) == "FootnoteReference"
    notes = [n for n in out.parts["word/footnotes.xml"] if int(n.get(w("id"))) > 0]
    assert len(notes) == 45
    for note in notes:
        paragraphs = note.findall(w("p"))
        assert {style_of(p) for p in paragraphs} == {"FootnoteText"}
        marks = paragraphs[0].findall(w("r"))[:3]
        assert {m.find(f"{w('rPr')}/{w('rStyle')}").get(w("val")) for m in marks} == {"FootnoteReference"}
        assert marks[1].find(w("footnoteRef")) is not None  # Word's own number, between “(” and “)”
        assert para_text(paragraphs[0]).startswith("() ")
    assert len(notes[15].findall(w("p"))) == 2  # footnote 16 has two paragraphs


# --- signature -----------------------------------------------------------------------------


def test_signature_closes_the_document_and_keeps_with_the_closing_paragraph(out):
    paragraphs = out.paragraphs()
    last, closing = paragraphs[-1], paragraphs[-2]
    assert para_text(last) == "BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ"
    assert style_of(last) == "SignatureAuthority"
    assert int(out.val(style_of(last), "pPr/ind", "left")) > 0  # stands in the right half
    assert out.on(style_of(closing), "pPr/keepNext")


def test_full_signature_has_authority_title_and_name(data_copy, tmp_path):
    meta = data_copy / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace('on_behalf: ""', "on_behalf: T/M").replace('title: ""', "title: BÍ THƯ")
    text = text.replace('name: ""', "name: Nguyễn Văn A")
    meta.write_text(text, encoding="utf-8")
    path = tmp_path / "out.docx"
    path.write_bytes(render_docx(build_document(load_report(data_copy), DEFAULT_TEMPLATES), DEFAULT_TEMPLATES))
    out = Docx.read(path)
    tail = [(para_text(p), style_of(p)) for p in out.paragraphs()[-3:]]
    assert tail == [
        ("T/M BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ", "SignatureAuthority"),
        ("BÍ THƯ", "SignatureTitle"),
        ("Nguyễn Văn A", "SignatureName"),
    ]
    assert [out.on(s, "rPr/b") for _, s in tail] == [True, False, True]


# --- the reference document ----------------------------------------------------------------


def _render_with(reference: Path, tmp_path: Path, document) -> Docx:
    path = tmp_path / "with-reference.docx"
    path.write_bytes(render_docx(document, DEFAULT_TEMPLATES, reference))
    return Docx.read(path)


def test_body_font_size_comes_from_the_reference(tmp_path, document, out):
    copy = tmp_path / "reference.docx"
    edited = docx.Document(str(REFERENCE))
    edited.styles["Body Text"].font.size = Pt(13)
    edited.save(str(copy))
    changed = _render_with(copy, tmp_path, document)
    body = "Chủ đề Đại hội bao gồm 05 thành tố"
    assert out.look(out.find(body))["size"] == 14
    assert changed.look(changed.find(body))["size"] == 13
    # Styles based on Body Text follow it; the headings do not.
    assert changed.look(changed.find("- Công nghiệp, xây dựng"))["size"] == 13
    assert changed.look(changed.find("I. KẾT QUẢ THỰC HIỆN"))["size"] == 14


def test_a_style_missing_from_the_reference_is_reported(tmp_path, document):
    copy = tmp_path / "reference.docx"
    edited = docx.Document(str(REFERENCE))
    edited.styles["Lesson"].delete()
    edited.styles["Signature Name"].delete()
    edited.save(str(copy))
    with pytest.raises(DhcError) as caught:
        render_docx(document, DEFAULT_TEMPLATES, copy)
    findings = caught.value.findings
    assert [f.code for f in findings] == ["DH033", "DH033"]
    assert "“Lesson”" in findings[0].message and "“Signature Name”" in findings[1].message
    assert findings[0].path == str(copy)


def test_a_reference_without_the_header_table_is_reported(tmp_path, document):
    copy = tmp_path / "reference.docx"
    edited = docx.Document(str(REFERENCE))
    table = edited.element.body.find(w("tbl"))
    table.getparent().remove(table)
    edited.save(str(copy))
    with pytest.raises(DhcError) as caught:
        render_docx(document, DEFAULT_TEMPLATES, copy)
    assert caught.value.findings[0].code == "DH033" and "{party_name}" in caught.value.findings[0].message


def test_an_unknown_header_field_is_reported(tmp_path, document):
    copy = tmp_path / "reference.docx"
    edited = docx.Document(str(REFERENCE))
    edited.tables[0].cell(0, 0).paragraphs[0].runs[0].text = "{superior}"
    edited.save(str(copy))
    with pytest.raises(DhcError) as caught:
        render_docx(document, DEFAULT_TEMPLATES, copy)
    assert caught.value.findings[0].code == "DH033" and "{superior}" in caught.value.findings[0].message


def test_an_unreadable_reference_is_reported(tmp_path, document):
    copy = tmp_path / "reference.docx"
    copy.write_bytes(b"not a zip")
    with pytest.raises(DhcError) as caught:
        render_docx(document, DEFAULT_TEMPLATES, copy)
    assert caught.value.findings[0].code == "DH033"


def test_reference_defines_every_style_the_writer_names():
    reference = docx.Document(str(REFERENCE))
    names = {s.name for s in reference.styles}
    wanted = {n for v in STYLES.values() for n in ([v] if isinstance(v, str) else v)}
    assert wanted <= names


def test_reference_is_the_output_of_its_generator(monkeypatch):
    """templates/reference.docx is regenerated byte for byte by `make reference`."""
    spec = importlib.util.spec_from_file_location("make_reference_docx", ROOT / "tools" / "make_reference_docx.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    assert module.make_reference() == REFERENCE.read_bytes(), "run `make reference` and commit the result"


def test_cli_reference_doc_option_is_used(tmp_path, data_copy):
    from typer.testing import CliRunner

    from dhcompiler.cli import app

    copy = tmp_path / "mine.docx"
    shutil.copy(REFERENCE, copy)
    edited = docx.Document(str(copy))
    edited.styles["Lesson"].delete()
    edited.save(str(copy))
    result = CliRunner().invoke(
        app, ["build", str(data_copy), "--out", str(tmp_path / "o"), "-f", "docx", "--reference-doc", str(copy)]
    )
    assert result.exit_code == 1
    assert "DH033" in result.output and "Lesson" in result.output and "Traceback" not in result.output


# --- the package: written once, on a reference prepared once --------------------------------


def test_the_zip_is_written_as_zipfile_writes_it():
    """Each member is compressed once and written as zipfile wrote it for normalize_zip."""
    members = {"[Content_Types].xml": b"<Types/>", "word/ảnh.xml": b"", "word/document.xml": b"<w:p/>" * 5000}
    when = dt.datetime(2024, 12, 26, 10, 11, 13)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type, info.external_attr, info.create_system = zipfile.ZIP_DEFLATED, 0o644 << 16, 3
            archive.writestr(info, data, compresslevel=9)
    assert zip_archive([deflate(name, data) for name, data in members.items()], when) == expected.getvalue()


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """A cache directory of its own, and no reference prepared in this process yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(reference_module, "_PREPARED", {})
    return tmp_path / "cache" / "dhc" / "docx"


def test_a_run_uses_the_reference_prepared_by_an_earlier_run(fresh_cache, monkeypatch, document, built):
    first = render_docx(document, DEFAULT_TEMPLATES)
    assert first == built["docx"].read_bytes()
    assert len(list(fresh_cache.glob("*.marshal"))) == 1

    def not_again(raw):
        raise AssertionError("the reference was read again")

    monkeypatch.setattr(reference_module, "_PREPARED", {})  # as in a new process
    monkeypatch.setattr(reference_module, "read_package", not_again)
    assert render_docx(document, DEFAULT_TEMPLATES) == first


def test_a_damaged_or_stale_cache_entry_is_prepared_again(fresh_cache, monkeypatch, document):
    expected = render_docx(document, DEFAULT_TEMPLATES)
    (entry,) = fresh_cache.glob("*.marshal")
    kept = entry.read_bytes()
    for damaged in (
        b"",
        b"not marshal",
        kept[:100],
        marshal.dumps(("another stamp", marshal.loads(kept)[1])),
        marshal.dumps((marshal.loads(kept)[0], ("not", "a", "reference"))),
    ):
        entry.write_bytes(damaged)
        monkeypatch.setattr(reference_module, "_PREPARED", {})
        assert render_docx(document, DEFAULT_TEMPLATES) == expected
        assert marshal.loads(entry.read_bytes()) == marshal.loads(kept)  # and kept again


def test_an_unwritable_cache_never_fails_a_render(tmp_path, monkeypatch, document, built):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(reference_module, "_PREPARED", {})
    assert render_docx(document, DEFAULT_TEMPLATES) == built["docx"].read_bytes()
