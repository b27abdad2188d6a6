"""The reference .docx as an OPC package of parts and relationships, read and written with lxml.

The package is read and written back as python-docx did when dhc wrote through it, so the
bytes of a .docx stay what they were: only the parts reachable through relationships from
the package are kept, in the order of a depth-first walk; a part of one of the kinds in
XML_PARTS is parsed (blank text dropped) and written back serialized, any other part is
copied byte for byte; [Content_Types].xml and every relationships part are written anew.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
CT_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CT_SETTINGS = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CT_XML = "application/xml"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."

# The parts python-docx parsed and wrote back re-serialized (it read footnotes as XML for dhc).
XML_PARTS = frozenset(
    {CT_CORE, CT_DOCUMENT, CT_FOOTNOTES, CT_SETTINGS}
    | {f"{_WML}{kind}+xml" for kind in ("comments", "footer", "header", "numbering", "styles")}
)

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_DOCUMENT = _RT + "officeDocument"
RT_STYLES = _RT + "styles"
RT_SETTINGS = _RT + "settings"
RT_FOOTNOTES = _RT + "footnotes"
RT_IMAGE = _RT + "image"  # an image part is copied as it is, whatever its content type
RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

# (extension, content type) pairs written as a Default entry of [Content_Types].xml rather
# than an Override per part (python-docx's list, from ISO/IEC 29500).
_PRINTER = "application/vnd.openxmlformats-officedocument.{}.printerSettings"
DEFAULT_CONTENT_TYPES = frozenset(
    {("bin", _PRINTER.format(kind)) for kind in ("presentationml", "spreadsheetml", "wordprocessingml")}
    | {("bmp", "image/bmp"), ("emf", "image/x-emf"), ("fntdata", "application/x-fontdata"), ("gif", "image/gif")}
    | {("jpe", "image/jpeg"), ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"), ("png", "image/png")}
    | {("rels", CT_RELS), ("tif", "image/tiff"), ("tiff", "image/tiff"), ("wdp", "image/vnd.ms-photo")}
    | {("wmf", "image/x-wmf"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    | {("xml", CT_XML)}
)

_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CONTENT_TYPES = "[Content_Types].xml"

_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def parse(blob: bytes | str) -> Any:
    """An XML part's root element, blank text between elements dropped."""
    return etree.fromstring(blob, _PARSER)


def serialize(element: Any) -> bytes:
    """An XML part's bytes: UTF-8, with a standalone declaration, nothing added for reading."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


@dataclass(eq=False)
class Part:
    """One part: its name ("/word/document.xml"), content type, and either the bytes it is
    copied with or, for an XML part, its parsed root; and its relationships by id."""

    name: str
    content_type: str
    blob: bytes = b""
    element: Any = None
    rels: dict[str, Rel] = field(default_factory=dict)

    @property
    def base(self) -> str:
        """The folder its relationships' targets are relative to ("/word")."""
        return posixpath.split(self.name)[0]

    def related(self, reltype: str) -> Part | None:
        """The part of the first internal relationship of `reltype`, if any."""
        return related(self.rels, reltype)

    def relate(self, target: Part, reltype: str) -> None:
        """A new relationship to `target`, under the first free "rIdN"."""
        relate(self.rels, target, reltype)

    def data(self) -> bytes:
        """What the part holds in the written package."""
        return serialize(self.element) if self.element is not None else self.blob


@dataclass
class Rel:
    """A relationship: its type and its target, a part or (external) a URI."""

    reltype: str
    target: Any  # Part, or str when external
    external: bool = False


@dataclass
class Package:
    """The package's own relationships (to the main document, the core properties, …)."""

    rels: dict[str, Rel] = field(default_factory=dict)

    def parts(self) -> list[Part]:
        """Every part reachable from the package, depth first, each once."""
        return list(_walk_parts(self.rels, []))

    def main_document(self) -> Part:
        """The part of the package's one officeDocument relationship."""
        found = [rel for rel in self.rels.values() if rel.reltype == RT_DOCUMENT]
        if not found:
            raise KeyError(f"no relationship of type '{RT_DOCUMENT}' in collection")
        if len(found) > 1:
            raise ValueError(f"multiple relationships of type '{RT_DOCUMENT}' in collection")
        main: Part = found[0].target
        if main.content_type != CT_DOCUMENT:
            raise ValueError(f"file is not a Word file, content type is '{main.content_type}'")
        return main


def related(rels: dict[str, Rel], reltype: str) -> Part | None:
    """The target of the first internal relationship of `reltype` in `rels`."""
    return next((rel.target for rel in rels.values() if rel.reltype == reltype and not rel.external), None)


def relate(rels: dict[str, Rel], target: Part, reltype: str) -> None:
    """Add a relationship to `target` under the first "rIdN" not taken."""
    rid = next(f"rId{n}" for n in range(1, len(rels) + 2) if f"rId{n}" not in rels)
    rels[rid] = Rel(reltype, target)


def _walk_parts(rels: dict[str, Rel], seen: list[Part]) -> Iterator[Part]:
    for rel in rels.values():
        if rel.external or any(part is rel.target for part in seen):
            continue
        seen.append(rel.target)
        yield rel.target
        yield from _walk_parts(rel.target.rels, seen)


# reading -----------------------------------------------------------------------------------


@dataclass
class _Link:
    """A relationship as written in a .rels part: id, type, target reference, mode."""

    rid: str
    reltype: str
    ref: str
    external: bool
    base: str

    @property
    def target(self) -> str:
        """The part name the reference points to, resolved against the source's folder."""
        return posixpath.abspath(posixpath.join(self.base, self.ref))


def read_package(raw: bytes) -> Package:
    """The package in the .docx bytes `raw`; raises KeyError, ValueError, zipfile's or lxml's
    errors for what is not a readable package."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        types = _ContentTypes(parse(archive.read(CONTENT_TYPES)))
        links = _read_links(archive, "/")
        walked = _walk_links(archive, links, [])
        kinds = [(name, types[name], reltype, blob, own) for name, reltype, blob, own in walked]
    parts: dict[str, Part] = {}
    for name, content_type, reltype, blob, _own in kinds:
        xml = reltype != RT_IMAGE and content_type in XML_PARTS
        parts[name] = Part(name, content_type, blob, parse(blob) if xml else None)
    package = Package()
    _link(package.rels, links, parts)
    for name, _type, _reltype, _blob, own in kinds:
        _link(parts[name].rels, own, parts)
    return package


def _read_links(archive: zipfile.ZipFile, source: str) -> list[_Link]:
    """The relationships of the part `source` ("/" for the package), from its .rels part."""
    folder, filename = posixpath.split(source)
    try:
        xml = archive.read(posixpath.join(folder, "_rels", filename + ".rels")[1:])
    except KeyError:
        return []
    return [
        _Link(el.get("Id"), el.get("Type"), el.get("Target"), el.get("TargetMode", "Internal") == "External", folder)
        for el in parse(xml).findall(_RELS + "Relationship")
    ]


def _walk_links(archive: zipfile.ZipFile, links: list[_Link], seen: list[str]) -> Iterator[tuple[Any, ...]]:
    """(name, relationship type it was reached by, bytes, own links) of every part reachable
    through `links`, depth first, each once."""
    for link in links:
        if link.external or link.target in seen:
            continue
        name = link.target
        seen.append(name)
        own = _read_links(archive, name)
        yield name, link.reltype, archive.read(name[1:]), own
        yield from _walk_links(archive, own, seen)


def _link(rels: dict[str, Rel], links: list[_Link], parts: dict[str, Part]) -> None:
    for link in links:
        rels[link.rid] = Rel(link.reltype, link.ref if link.external else parts[link.target], link.external)


class _ContentTypes:
    """[Content_Types].xml: a part's content type by its name, else by its extension (both
    compared without regard to case)."""

    def __init__(self, root: Any):
        self.overrides = {el.get("PartName").lower(): el.get("ContentType") for el in root.findall(_TYPES + "Override")}
        self.defaults = {el.get("Extension").lower(): el.get("ContentType") for el in root.findall(_TYPES + "Default")}

    def __getitem__(self, name: str) -> str:
        if name.lower() in self.overrides:
            return self.overrides[name.lower()]
        if _extension(name).lower() in self.defaults:
            return self.defaults[_extension(name).lower()]
        raise KeyError(f"no content type for partname '{name}' in [Content_Types].xml")


def _extension(name: str) -> str:
    return posixpath.splitext(name)[1][1:]


# writing -----------------------------------------------------------------------------------


def members(package: Package) -> list[tuple[str, Part | bytes]]:
    """The package as zip members in order: the content types, the package's relationships,
    then each part followed by its relationships. A part stands for its own data."""
    parts = package.parts()
    out: list[tuple[str, Part | bytes]] = [
        (CONTENT_TYPES, _content_types_xml(parts)),
        ("_rels/.rels", _rels_xml(package.rels, "/")),
    ]
    for part in parts:
        out.append((part.name[1:], part))
        if part.rels:
            folder, filename = posixpath.split(part.name)
            out.append((posixpath.join(folder, "_rels", filename + ".rels")[1:], _rels_xml(part.rels, part.base)))
    return out


def _content_types_xml(parts: list[Part]) -> bytes:
    """Defaults for "rels", "xml" and the extensions of DEFAULT_CONTENT_TYPES, an override for any other part."""
    defaults = {"rels": CT_RELS, "xml": CT_XML}
    overrides: dict[str, str] = {}
    for part in parts:
        extension = _extension(part.name).lower()
        if (extension, part.content_type) in DEFAULT_CONTENT_TYPES:
            defaults[extension] = part.content_type
        else:
            overrides[part.name] = part.content_type
    root = etree.Element(_TYPES + "Types", nsmap={None: _TYPES[1:-1]})
    for extension in sorted(defaults):
        etree.SubElement(root, _TYPES + "Default", {"Extension": extension, "ContentType": defaults[extension]})
    for name in sorted(overrides):
        etree.SubElement(root, _TYPES + "Override", {"PartName": name, "ContentType": overrides[name]})
    return serialize(root)


def _rels_xml(rels: dict[str, Rel], base: str) -> bytes:
    """A .rels part; an internal target is written relative to `base`, the source's folder."""
    root = etree.Element(_RELS + "Relationships", nsmap={None: _RELS[1:-1]})
    for rid, rel in rels.items():
        if rel.external:
            target = rel.target
        else:
            target = rel.target.name[1:] if base == "/" else posixpath.relpath(rel.target.name, base)
        attributes = {"Id": rid, "Type": rel.reltype, "Target": target}
        if rel.external:
            attributes["TargetMode"] = "External"
        etree.SubElement(root, _RELS + "Relationship", attributes)
    return serialize(root)
