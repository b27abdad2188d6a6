"""Refuse zip bombs before a .docx is opened (a reference document, a draft to import): declared sizes and ratios."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one part once decompressed (document.xml of a long report: a few MB)
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all parts together
MAX_RATIO = 200  # decompressed / compressed size of a part above 1 MB (Word's XML: about 5-20)
MAX_MEMBERS = 10_000
MAX_DOCX_BYTES = 50 * 1024 * 1024  # a reference document on disk
RATIO_FLOOR = 1024 * 1024


class ZipLimit(ValueError):
    """A .docx whose parts would expand beyond the limits; the message is Vietnamese."""


def read_reference(path: Path) -> bytes:
    """A reference .docx: a regular file of at most MAX_DOCX_BYTES, its zip checked."""
    from dhcompiler.load import NotARegularFile, TooLarge, read_regular

    try:
        raw = read_regular(path, MAX_DOCX_BYTES)
    except NotARegularFile:
        raise ZipLimit("đây không phải một tệp thông thường") from None
    except TooLarge:
        raise ZipLimit(f"tệp lớn quá {_mb(MAX_DOCX_BYTES)}") from None
    check_zip(raw)
    return raw


def check_zip(raw: bytes) -> None:
    """Raise ZipLimit when a member of the zip in `raw` declares too much; reads no member.

    What a member declares bounds what Python's zipfile will ever decompress from it (a part
    that lies about its size fails its CRC check), so checking the declarations is enough.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip: the reader that opens it says so in its own words
    if len(members) > MAX_MEMBERS:
        raise ZipLimit(f"tệp nén có {len(members):,} phần, quá giới hạn {MAX_MEMBERS:,}".replace(",", "."))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES:
            size, limit = _mb(member.file_size), _mb(MAX_MEMBER_BYTES)
            raise ZipLimit(f"phần “{member.filename[:80]}” giải nén ra {size}, quá giới hạn {limit}")
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ZipLimit(
                f"phần “{member.filename[:80]}” nén quá chặt ({member.file_size // max(member.compress_size, 1)} lần, "
                f"giới hạn {MAX_RATIO} lần): có thể là một “bom zip”"
            )
    if total > MAX_TOTAL_BYTES:
        raise ZipLimit(f"tệp nén giải nén ra {_mb(total)}, quá giới hạn {_mb(MAX_TOTAL_BYTES)}")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"
