"""Generate templates/reference.docx: Party-document styles, page setup and header block."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

from dhcompiler.write import normalize_zip

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "templates" / "reference.docx"
STAMP = dt.datetime(2024, 1, 1)

# Page geometry in twips (1 mm = 56.7 twips): A4, margins 20/20/30/15 mm (CONVENTIONS.md).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_TOP = MARGIN_BOTTOM = 1134
MARGIN_LEFT, MARGIN_RIGHT = 1701, 850
HEADER_DISTANCE = 567
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
HEADER_COLUMNS = (4253, TEXT_WIDTH - 4253)  # left 75 mm, right the rest (90 mm)
INDENT = 567  # first-line indent, 10 mm
SIGNATURE_INDENT = 3402  # the signature block stands in the right 105 mm of the text width
FONT = "Times New Roman"

BODY = (
    '<w:jc w:val="both"/><w:ind w:firstLine="{indent}"/>'
    '<w:spacing w:before="0" w:after="120" w:line="240" w:lineRule="auto"/>'
)
HEADING = "<w:keepNext/><w:keepLines/>" + BODY
CENTRED = '<w:jc w:val="center"/><w:ind w:firstLine="0"/>'


@dataclass(frozen=True)
class StyleSpec:
    """One style of the reference document, written as raw pPr/rPr content."""

    style_id: str
    name: str
    based_on: str | None = "Normal"
    ppr: str = ""
    rpr: str = ""
    kind: str = "paragraph"
    next_id: str | None = None
    outline: int | None = None


STYLES = [
    StyleSpec("Normal", "Normal", None, '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'),
    StyleSpec("BodyText", "Body Text", ppr=BODY),
    StyleSpec(
        "Heading1",
        "heading 1",
        ppr="<w:keepNext/><w:keepLines/>"
        + CENTRED
        + '<w:spacing w:before="240" w:after="0" w:line="240" w:lineRule="auto"/>',
        rpr="<w:b/><w:bCs/>",
        next_id="PartTitle",
        outline=0,
    ),
    StyleSpec("PartTitle", "Part Title", "Heading1", ppr='<w:spacing w:before="0" w:after="240"/>', next_id="BodyText"),
    StyleSpec("Heading2", "heading 2", ppr=HEADING, rpr="<w:b/><w:bCs/>", next_id="BodyText", outline=1),
    StyleSpec("Heading3", "heading 3", "Heading2", rpr="<w:b/><w:bCs/>", next_id="BodyText", outline=2),
    StyleSpec("Heading4", "heading 4", "Heading3", rpr="<w:b/><w:bCs/><w:i/><w:iCs/>", next_id="BodyText", outline=3),
    StyleSpec(
        "Heading5",
        "heading 5",
        "Heading4",
        rpr='<w:b w:val="0"/><w:bCs w:val="0"/><w:i/><w:iCs/>',
        next_id="BodyText",
        outline=4,
    ),
    StyleSpec(
        "NoteHeading",
        "Note Heading",
        "Heading1",
        ppr='<w:spacing w:before="240" w:after="240"/>',
        rpr="<w:b/><w:bCs/><w:i/><w:iCs/>",
        next_id="BodyText",
    ),
    StyleSpec("ItemHeading", "Item Heading", "Heading3", next_id="BodyText"),
    StyleSpec("Closing", "Closing", "BodyText", ppr="<w:keepNext/>"),
    StyleSpec("Item", "Item", "BodyText"),
    StyleSpec("Bullet", "Bullet", "BodyText"),
    StyleSpec("Lead", "Lead", "BodyText", rpr="<w:i/><w:iCs/>"),
    StyleSpec("Lesson", "Lesson", "BodyText"),
    StyleSpec("Indicator", "Indicator", "BodyText"),
    StyleSpec("SuperiorBody", "Superior Body", ppr=CENTRED),
    StyleSpec("IssuingBody", "Issuing Body", ppr=CENTRED, rpr="<w:b/><w:bCs/>"),
    StyleSpec("IssuingMark", "Issuing Mark", ppr=CENTRED),
    StyleSpec("DocumentNumber", "Document Number", ppr=CENTRED + '<w:spacing w:before="120"/>'),
    StyleSpec(
        "PartyName",
        "Party Name",
        ppr=CENTRED,
        rpr='<w:b/><w:bCs/><w:sz w:val="30"/><w:szCs w:val="30"/><w:u w:val="single"/>',
    ),
    StyleSpec("PlaceDate", "Place Date", ppr=CENTRED + '<w:spacing w:before="120"/>', rpr="<w:i/><w:iCs/>"),
    StyleSpec("DraftLabel", "Draft Label", ppr=CENTRED + '<w:spacing w:before="240"/>', rpr="<w:i/><w:iCs/>"),
    StyleSpec(
        "DocumentType",
        "Document Type",
        ppr="<w:keepNext/>" + CENTRED + '<w:spacing w:before="240"/>',
        rpr='<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>',
    ),
    StyleSpec("Summary", "Summary", ppr="<w:keepNext/>" + CENTRED + '<w:spacing w:after="240"/>', rpr="<w:b/><w:bCs/>"),
    StyleSpec(
        "BlockTitle",
        "Block Title",
        ppr="<w:keepNext/>" + CENTRED + '<w:spacing w:before="240" w:after="120"/>',
        rpr="<w:b/><w:bCs/>",
    ),
    StyleSpec("Theme", "Theme", ppr=CENTRED + '<w:spacing w:after="120"/>', rpr="<w:b/><w:bCs/><w:i/><w:iCs/>"),
    StyleSpec("Motto", "Motto", ppr=CENTRED + '<w:spacing w:after="240"/>', rpr="<w:b/><w:bCs/>"),
    StyleSpec(
        "SignatureAuthority",
        "Signature Authority",
        ppr=f'<w:keepNext/><w:keepLines/><w:jc w:val="center"/><w:ind w:left="{SIGNATURE_INDENT}"/>'
        '<w:spacing w:before="240"/>',
        rpr="<w:b/><w:bCs/>",
    ),
    StyleSpec(
        "SignatureTitle",
        "Signature Title",
        "SignatureAuthority",
        ppr='<w:spacing w:before="0"/>',
        rpr='<w:b w:val="0"/><w:bCs w:val="0"/>',
    ),
    StyleSpec("SignatureName", "Signature Name", "SignatureAuthority", ppr='<w:spacing w:before="1440"/>'),
    StyleSpec(
        "FootnoteText",
        "footnote text",
        ppr='<w:jc w:val="both"/><w:spacing w:after="0"/>',
        rpr='<w:sz w:val="24"/><w:szCs w:val="24"/>',
    ),
    StyleSpec(
        "FootnoteReference",
        "footnote reference",
        "DefaultParagraphFont",
        rpr='<w:vertAlign w:val="superscript"/>',
        kind="character",
    ),
    StyleSpec("Header", "header", ppr='<w:jc w:val="center"/>'),
    # Tables (indicator appendix, comparison table): 13 pt, single spacing, no indent.
    StyleSpec(
        "TableText",
        "Table Text",
        ppr='<w:spacing w:before="40" w:after="40"/>',
        rpr='<w:sz w:val="26"/><w:szCs w:val="26"/>',
    ),
    StyleSpec(
        "TableHeading", "Table Heading", "TableText", ppr='<w:keepNext/><w:jc w:val="center"/>', rpr="<w:b/><w:bCs/>"
    ),
    StyleSpec("TableGroup", "Table Group", "TableText", ppr="<w:keepNext/>", rpr="<w:b/><w:bCs/>"),
    StyleSpec(
        "TableAfter", "Table After", ppr='<w:spacing w:after="120"/>', rpr='<w:sz w:val="12"/><w:szCs w:val="12"/>'
    ),
]

# The header block of the first page: a borderless two-column table. Each cell paragraph is
# (style id, text); "{name}" is a template variable that the writer fills in (README).
HEADER_ROWS = [
    (
        [("SuperiorBody", "{superior_body}"), ("IssuingBody", "{issuing_body}"), ("IssuingMark", "*")],
        [("PartyName", "{party_name}")],
    ),
    ([("DocumentNumber", "{number_line}")], [("PlaceDate", "{date_line}")]),
]

SAMPLES = [
    (
        "Normal",
        "Tài liệu mẫu của dhc. Sửa các kiểu (style) trong Word hoặc LibreOffice; nội dung mẫu "
        "dưới đây bị bỏ khi biên dịch, chỉ giữ bảng tiêu đề ở trên với các trường {…}.",
    ),
    ("DraftLabel", "“Dự thảo biên tập lần 3”"),
    ("DocumentType", "BÁO CÁO CHÍNH TRỊ"),
    ("Summary", "CỦA BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ KHÓA IX TRÌNH ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ THÀNH PHỐ"),
    ("BlockTitle", "CHỦ ĐỀ ĐẠI HỘI"),
    ("Theme", "Tăng cường xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh (58 chữ)"),
    ("BlockTitle", "PHƯƠNG CHÂM ĐẠI HỘI"),
    ("Motto", "“Đoàn kết - Kỷ cương - Đổi mới - Phát triển”"),
    ("NoteHeading", "Ghi chú: Thuyết minh về Chủ đề Đại hội"),
    ("Heading1", "Phần thứ nhất"),
    ("PartTitle", "ĐÁNH GIÁ TỔNG QUÁT 5 NĂM THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI"),
    ("Heading2", "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU"),
    ("Indicator", "1. Tốc độ tăng giá trị sản xuất bình quân đạt 17,02%/năm (Mục tiêu: 17% trở lên)."),
    ("Heading3", "1. Lĩnh vực kinh tế"),
    ("Heading4", "1.2. Tăng trưởng và chuyển dịch cơ cấu kinh tế"),
    ("Heading5", "1.2.1. Phát triển công nghiệp - xây dựng"),
    ("BodyText", "Đoạn văn: căn đều hai bên, thụt đầu dòng 10 mm, chữ 14 pt, cách dòng đúng 18 pt."),
    ("ItemHeading", "(1) Tập trung đẩy mạnh công tác bồi thường giải phóng mặt bằng"),
    ("Item", "(1) Ý đánh số trong đoạn văn."),
    ("Bullet", "- Ý gạch đầu dòng."),
    ("Lead", "* Nguyên nhân khách quan:"),
    ("Lesson", "Một là, bài học kinh nghiệm."),
    ("Closing", "Đoạn kết, luôn cùng trang với chữ ký."),
    ("SignatureAuthority", "T/M BAN CHẤP HÀNH"),
    ("SignatureTitle", "BÍ THƯ"),
    ("SignatureName", "Họ và tên"),
]

FOOTNOTES = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:t>(1)</w:t></w:r>'
    '<w:r><w:t xml:space="preserve"> Chú thích cuối trang: chữ 12 pt.</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def style_element(spec: StyleSpec) -> object:
    """A w:style element from its spec."""
    parts = [f'<w:name w:val="{spec.name}"/>']
    if spec.based_on:
        parts.append(f'<w:basedOn w:val="{spec.based_on}"/>')
    if spec.next_id:
        parts.append(f'<w:next w:val="{spec.next_id}"/>')
    parts.append('<w:uiPriority w:val="9"/><w:qFormat/>' if spec.outline is not None else "<w:qFormat/>")
    ppr = spec.ppr.format(indent=INDENT)
    if spec.outline is not None:
        ppr += f'<w:outlineLvl w:val="{spec.outline}"/>'
    ppr = _schema_order(ppr)
    if ppr and spec.kind == "paragraph":
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if spec.rpr:
        parts.append(f"<w:rPr>{spec.rpr}</w:rPr>")
    default = ' w:default="1"' if spec.style_id == "Normal" else ""
    return parse_xml(
        f'<w:style {nsdecls("w")} w:type="{spec.kind}" w:styleId="{spec.style_id}"{default}>{"".join(parts)}</w:style>'
    )


# The order the schema (ECMA-376 CT_PPrBase) demands for the paragraph properties used here.
PPR_ORDER = ["keepNext", "keepLines", "pageBreakBefore", "spacing", "ind", "jc", "outlineLvl"]


def _schema_order(ppr: str) -> str:
    elements = re.findall(r"<w:(\w+)[^>]*/>", ppr)
    assert len(elements) == len(set(elements)), f"duplicate property in {ppr}"
    tags = re.findall(r"<w:\w+[^>]*/>", ppr)
    return "".join(sorted(tags, key=lambda t: PPR_ORDER.index(re.match(r"<w:(\w+)", t).group(1))))


def define_styles(styles: object) -> None:
    """Replace the defaults and every style the writer uses with the Party-document ones."""
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>"
            f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
            '<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
        ),
    )
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    for spec in STYLES:
        element = style_element(spec)
        if spec.style_id in by_id:
            styles.replace(by_id[spec.style_id], element)
        else:
            styles.append(element)
    styles.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="HeaderTable">'
            '<w:name w:val="Header Table"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
            + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
            + '</w:tblBorders><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr></w:style>"
        )
    )
    _strip_theme_fonts(styles)


def _strip_theme_fonts(styles: object) -> None:
    """Other built-in styles keep their look but use the document font, not the theme's."""
    for fonts in styles.iter(qn("w:rFonts")):
        if any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib):
            for key in list(fonts.attrib):
                del fonts.attrib[key]
            for side in ("ascii", "hAnsi", "eastAsia", "cs"):
                fonts.set(qn(f"w:{side}"), FONT)
    for color in list(styles.iter(qn("w:color"))):
        color.getparent().remove(color)


def page_setup(docx: object) -> None:
    """A4, the margins, and a centred page number in the header of every page but the first."""
    section = docx.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance = section.footer_distance = Twips(HEADER_DISTANCE)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.style = docx.styles["Header"]
    for instr in ("begin", " PAGE ", "separate", "2", "end"):
        if instr.strip() == "PAGE":
            run = parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve">{instr}</w:instrText></w:r>')
        elif instr.isdigit():
            run = parse_xml(f"<w:r {nsdecls('w')}><w:t>{instr}</w:t></w:r>")
        else:
            run = parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="{instr}"/></w:r>')
        header._p.append(run)
    section.first_page_header.is_linked_to_previous = False
    section.first_page_header.paragraphs[0].style = docx.styles["Header"]


def header_table() -> object:
    """The borderless two-column header block with its template variables."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in HEADER_COLUMNS)
    rows = "".join(
        "<w:tr>" + "".join(_cell(w, paras) for w, paras in zip(HEADER_COLUMNS, row, strict=True)) + "</w:tr>"
        for row in HEADER_ROWS
    )
    return parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="HeaderTable"/>'
        f'<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
        ' w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>"
    )


def _cell(width: int, paragraphs: list[tuple[str, str]]) -> str:
    body = "".join(_paragraph_xml(style, text) for style, text in paragraphs)
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{body}</w:tc>'


def _paragraph_xml(style: str, text: str, footnote: int | None = None) -> str:
    lines = text.split("\n")
    runs = "<w:r>" + "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines) + "</w:r>"
    if footnote is not None:
        runs += (
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:customMarkFollows="1" w:id="{footnote}"/><w:t>({footnote})</w:t></w:r>'
        )
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


def sample_body(docx: object) -> None:
    """The header table, then one sample paragraph in each style (dropped by the writer)."""
    body = docx.element.body
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    sect.addprevious(header_table())
    for style, text in SAMPLES:
        note = 1 if style == "BodyText" else None
        sect.addprevious(parse_xml(_paragraph_xml(style, text, note).replace("<w:p>", f"<w:p {nsdecls('w')}>", 1)))


def add_footnotes(docx: object) -> None:
    """A footnotes part with Word's separators, declared in the settings."""
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(FOOTNOTES), docx.part.package)
    docx.part.relate_to(part, RT.FOOTNOTES)
    settings = docx.settings.element
    settings.find(qn("w:compat")).addprevious(
        parse_xml(f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>')
    )


def drop_leftovers(docx: object) -> None:
    """Remove the template's Word 2010 style copy and preview picture, which would disagree."""
    main = docx.part
    for rel_id, rel in list(main.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del main.rels[rel_id]
    package = main.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
    settings = docx.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:proofState"):
        for element in settings.findall(qn(tag)):
            settings.remove(element)


def theme_fonts(docx: object) -> None:
    """Point the theme's major and minor Latin fonts at Times New Roman too."""
    for rel in docx.part.rels.values():
        if rel.reltype == RT.THEME:
            part = rel.target_part
            part._blob = re.sub(rb'<a:latin typeface="[^"]*"', f'<a:latin typeface="{FONT}"'.encode(), part.blob)


def core_properties(docx: object) -> None:
    props = docx.core_properties
    props.title = "Tài liệu mẫu dhc"
    props.author = props.last_modified_by = "dhcompiler"
    props.comments = props.keywords = props.subject = props.category = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = STAMP.replace(tzinfo=dt.UTC)


def make_reference() -> bytes:
    """The reference document as deterministic bytes."""
    docx = new_docx()
    define_styles(docx.styles.element)
    page_setup(docx)
    add_footnotes(docx)
    sample_body(docx)
    drop_leftovers(docx)
    theme_fonts(docx)
    core_properties(docx)
    buffer = io.BytesIO()
    docx.save(buffer)
    return normalize_zip(buffer.getvalue(), STAMP)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    target.write_bytes(make_reference())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
