"""Zip bombs are refused from what the archive declares, before any part is decompressed."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from dhcompiler.zipguard import MAX_MEMBER_BYTES, ZipLimit, check_zip

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "templates" / "reference.docx"


def docx_with(document_xml_padding: int) -> bytes:
    """The reference .docx with `document_xml_padding` spaces appended to word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(REFERENCE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data += b" " * document_xml_padding
            dst.writestr(item.filename, data)
    return out.getvalue()


def lie_about_size(raw: bytes, name: str, size: int) -> bytes:
    """Rewrite the central directory so that member `name` declares `size` bytes once decompressed."""
    data = bytearray(raw)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == name.encode():
            struct.pack_into("<I", data, at + 24, size)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(name)


def test_the_reference_document_passes():
    check_zip(REFERENCE.read_bytes())


def test_a_highly_compressed_part_is_refused():
    raw = docx_with(5 * 1024 * 1024)  # 5 MB of spaces compress to about 5 KB
    assert len(raw) < 100_000
    with pytest.raises(ZipLimit, match="word/document.xml"):
        check_zip(raw)


def test_a_part_declaring_gigabytes_is_refused_without_reading_it():
    raw = lie_about_size(REFERENCE.read_bytes(), "word/document.xml", 2**31)
    with pytest.raises(ZipLimit, match="2048 MB"):
        check_zip(raw)
    assert 2**31 > MAX_MEMBER_BYTES


def test_a_part_lying_small_cannot_expand_beyond_what_it_declares():
    raw = lie_about_size(docx_with(5 * 1024 * 1024), "word/document.xml", 1000)
    check_zip(raw)  # nothing declared is too big …
    with zipfile.ZipFile(io.BytesIO(raw)) as archive, pytest.raises(zipfile.BadZipFile):
        archive.read("word/document.xml")  # … and Python's zipfile stops at the declared size


def test_many_parts_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(10_001):
            archive.writestr(f"p{i}", b"")
    with pytest.raises(ZipLimit):
        check_zip(out.getvalue())
