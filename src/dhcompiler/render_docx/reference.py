"""The reference document, prepared once (per process, and across runs) for every .docx written on it.

What does not depend on the document being written is done once per reference (per its
bytes): reading the package, finding the style ids, checking the header table, adding a
footnotes part when there is none, and compressing every part the writer leaves as it is.
Each .docx then parses only the parts it fills (the main document, the footnotes, the
core properties) from the reference's own bytes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from dhcompiler.findings import DhcError, Finding
from dhcompiler.render_docx import cache
from dhcompiler.render_docx.ns import NS, nsdecls, qn
from dhcompiler.render_docx.package import (
    CT_CORE,
    CT_FOOTNOTES,
    CT_SETTINGS,
    RT_CORE,
    RT_FOOTNOTES,
    RT_SETTINGS,
    RT_STYLES,
    Package,
    Part,
    members,
    parse,
    read_package,
    relate,
    related,
    serialize,
)
from dhcompiler.write import Deflated, deflate
from dhcompiler.zipguard import ZipLimit, read_reference

# The template variables of the header-block table in the reference document.
HEADER_FIELDS = ("superior_body", "issuing_body", "number_line", "party_name", "date_line")

# The parts every .docx fills anew; the others are written as the reference has them.
FILLED = ("document", "footnotes", "core")

# Word's built-in names that styles.xml writes in lower case ("heading 1" is shown as "Heading 1").
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header"} | {
    f"heading {n}": f"Heading {n}" for n in range(1, 10)
}
_STYLE_TYPES = ("paragraph", "character", "table", "numbering")

# A footnotes part for a reference that has none: Word's two separators.
SEPARATORS = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
_FOOTNOTE_PR = f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'

# The settings and core properties python-docx made for a reference that had none.
_DEFAULT_SETTINGS = (
    '<w:settings xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    ' xmlns:sl="http://schemas.openxmlformats.org/schemaLibrary/2006/main" xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    f' {nsdecls("w")} mc:Ignorable="w14"><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/><w:savePreviewPicture/><w:compat><w:useFELayout/>'
    + "".join(
        f'<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" w:val="{value}"/>'
        for name, value in (
            ("compatibilityMode", 14),
            ("overrideTableStyleFontSizeAndJustification", 1),
            ("enableOpenTypeFeatures", 1),
            ("doNotFlipMirrorIndents", 1),
        )
    )
    + '</w:compat><w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1"'
    ' w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6"'
    ' w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/><w:doNotAutoCompressPictures/></w:settings>'
)
_DEFAULT_CORE = f"<cp:coreProperties {nsdecls('cp', 'dc', 'dcterms')}/>\n"

_W_BODY, _W_SECT, _W_TBL, _W_FOOTNOTE_PR = qn("w:body"), qn("w:sectPr"), qn("w:tbl"), qn("w:footnotePr")
_W_ID, _W_STYLE, _W_NAME, _W_VAL = qn("w:id"), qn("w:style"), qn("w:name"), qn("w:val")


def reference_error(reference: Path, message: str) -> Finding:
    return Finding(str(reference), 1, 1, "DH033", message)


@dataclass(frozen=True)
class Reference:
    """What every .docx written on one reference document shares.

    `styles` maps (name, type) to style id; `header_table` tells whether the body has the
    header block's table; `parts` holds the bytes each filled part starts from; `members` is
    the package in order, each member compressed, or for a filled part its member name and
    which part it is.
    """

    styles: dict[tuple[str | None, str], str | None]
    header_table: bool
    parts: dict[str, bytes]
    members: list[Deflated | tuple[str, str]]


# Prepared references of this process, by their bytes (a few: --reference-doc, watch mode).
_PREPARED: dict[bytes, Reference] = {}
_KEEP = 4


def load_reference(path: Path) -> Reference:
    """The reference document at `path`, prepared once for its bytes (in this process, else
    from the cache of earlier runs); DH033 when it is not a .docx that can be read (its
    styles and header table are the writer's to check)."""
    try:
        raw = read_reference(path)
        prepared = _PREPARED.get(raw) or _from_plain(cache.cached(raw))
        if prepared is None:
            package = read_package(raw)
            main = package.main_document()
    except ZipLimit as exc:
        raise DhcError([reference_error(path, f"Tài liệu mẫu .docx bị từ chối: {exc}.")]) from None
    except Exception as exc:  # the zip, its XML or its relationships: several kinds
        raise DhcError([reference_error(path, f"Không mở được tài liệu mẫu .docx: {exc}.")]) from None
    if prepared is None:
        prepared = _prepare(package, main)
        cache.keep(raw, _to_plain(prepared))
    if raw not in _PREPARED and len(_PREPARED) >= _KEEP:
        del _PREPARED[next(iter(_PREPARED))]
    _PREPARED[raw] = prepared
    return prepared


def _to_plain(reference: Reference) -> tuple[Any, ...]:
    """A prepared reference as plain values, for the cache."""
    members = [(m.name, m.data, m.crc, m.size) if isinstance(m, Deflated) else m for m in reference.members]
    return reference.styles, reference.header_table, reference.parts, members


def _from_plain(value: Any) -> Reference | None:
    """A prepared reference back from `_to_plain`'s values; None for anything else."""
    try:
        styles, header_table, parts, members = value
        prepared = Reference(
            {(name, kind): style_id for (name, kind), style_id in styles.items()},
            bool(header_table),
            {name: parts[name] for name in FILLED},
            [Deflated(*member) if len(member) == 4 else (member[0], member[1]) for member in members],
        )
    except Exception:  # not the shape _to_plain gives
        return None
    plain = all(isinstance(blob, bytes) for blob in prepared.parts.values()) and all(
        isinstance(m, Deflated) and isinstance(m.data, bytes) or (isinstance(m, tuple) and m[1] in FILLED)
        for m in prepared.members
    )
    return prepared if plain else None


def style_table(part: Part | None) -> dict[tuple[str | None, str], str | None]:
    """(name, type) → style id of every style of the styles part, the last one of a name winning."""
    found: dict[tuple[str | None, str], str | None] = {}
    if part is None or part.element is None:
        return found
    for style in part.element.findall(_W_STYLE):
        kind = style.get(qn("w:type"))
        if kind not in _STYLE_TYPES:
            continue
        name_element = style.find(_W_NAME)
        name = None if name_element is None else name_element.get(_W_VAL)
        found[(_UI_NAMES.get(name, name) if name is not None else None, kind)] = style.get(qn("w:styleId"))
    return found


def has_header_table(document: Any) -> bool:
    """Whether the main document's body has a table, where the header block is filled."""
    body = document.find(_W_BODY)
    return body is not None and body.find(_W_TBL) is not None


def document_body(document: Any) -> tuple[Any, Any, Any]:
    """The body of a fresh main document, emptied but for the header table and the section
    properties: (body, sectPr or None, header table)."""
    body = document.find(_W_BODY)
    sect, table = body.find(_W_SECT), body.find(_W_TBL)
    for child in list(body):
        if child is not sect and child is not table:
            body.remove(child)
    return body, sect, table


def footnotes_root(blob: bytes) -> Any:
    """The footnotes part of the reference without its notes (the separators stay)."""
    root = parse(blob)
    for note in list(root):
        if int(note.get(_W_ID, "0")) > 0:
            root.remove(note)
    return root


def _prepare(package: Package, main: Part) -> Reference:
    styles = style_table(main.related(RT_STYLES))
    header_table = has_header_table(main.element)
    footnotes = main.related(RT_FOOTNOTES) or _add_footnotes(main)
    core = related(package.rels, RT_CORE) or _add_core(package)
    filled = {id(main): "document", id(footnotes): "footnotes", id(core): "core"}
    out: list[Deflated | tuple[str, str]] = []
    for name, member in members(package):
        if isinstance(member, bytes):
            out.append(deflate(name, member))
        elif id(member) in filled:
            out.append((name, filled[id(member)]))
        else:
            out.append(deflate(name, member.data()))
    return Reference(styles, header_table, {"document": main.blob, "footnotes": footnotes.blob, "core": core.blob}, out)


def _add_footnotes(main: Part) -> Part:
    """A footnotes part with only the separators, and the settings that number footnotes."""
    part = Part("/word/footnotes.xml", CT_FOOTNOTES, SEPARATORS.encode())
    main.relate(part, RT_FOOTNOTES)
    settings = main.related(RT_SETTINGS)
    if settings is None:
        settings = Part("/word/settings.xml", CT_SETTINGS, element=parse(_DEFAULT_SETTINGS))
        main.relate(settings, RT_SETTINGS)
    if settings.element.find(_W_FOOTNOTE_PR) is None:
        settings.element.append(parse(_FOOTNOTE_PR))
    return part


def _add_core(package: Package) -> Part:
    """Core properties for a reference that has none, as python-docx began them."""
    root = parse(_DEFAULT_CORE)
    set_core(root, "dc:title", "Word Document")
    set_core(root, "cp:lastModifiedBy", "python-docx")
    set_core(root, "cp:revision", "1")
    set_core(root, "dcterms:modified", dt.datetime(1980, 1, 1, tzinfo=dt.UTC))  # always set again
    part = Part("/docProps/core.xml", CT_CORE, serialize(root))
    relate(package.rels, part, RT_CORE)
    return part


def set_core(root: Any, tag: str, value: str | dt.datetime) -> None:
    """Set one core property (the first element of its name, added at the end when missing).
    A date is written in UTC; "created" and "modified" are typed W3CDTF, declared on the root."""
    prefix, name = tag.split(":")
    element = root.find(qn(tag))
    if element is None:
        element = etree.Element(qn(tag), nsmap={prefix: NS[prefix]})
        root.append(element)
    if isinstance(value, str):
        element.text = value
        return
    element.text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if name in ("created", "modified"):
        root.set(qn("xsi:foo"), "bar")  # declares xsi on the root rather than on the element
        element.set(qn("xsi:type"), "dcterms:W3CDTF")
        del root.attrib[qn("xsi:foo")]
