"""Write outputs atomically and reproducibly: all or nothing, same input → same bytes."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dhcompiler.findings import DhcError, Finding

MARKER_MD = "<!-- dhc:"
MARKER_DOCX = "dhcompiler"


def build_time(fallback: Any) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the document's own date (the first of the month or year
    when its day or month is left blank): never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return dt.datetime(fallback.year, fallback.month or 1, fallback.day or 1)


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip with fixed timestamps, attributes and member order."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        ordered = [n for n in names if n == "[Content_Types].xml"] + [n for n in names if n != "[Content_Types].xml"]
        return zip_archive([deflate(name, src.read(name)) for name in ordered], when)


@dataclass(frozen=True)
class Deflated:
    """One member of a zip: its name, its data compressed (raw deflate, level 9), and the CRC-32
    and size of the data. Compressed once, it can be written into any number of archives."""

    name: str
    data: bytes
    crc: int
    size: int


def deflate(name: str, data: bytes) -> Deflated:
    """`data` compressed as zipfile compresses a member at level 9."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Deflated(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def zip_archive(members: Iterable[Deflated], when: dt.datetime) -> bytes:
    """A zip of `members` in their order, every one dated `when` (not before 1980), mode 0644,
    made on Unix: byte for byte what zipfile writes for them, without compressing anything again."""
    stamp = max(when, dt.datetime(1980, 1, 1))
    dos_date = (stamp.year - 1980) << 9 | stamp.month << 5 | stamp.day
    dos_time = stamp.hour << 11 | stamp.minute << 5 | stamp.second // 2
    records: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for member in members:
        if max(member.size, len(member.data)) >= _ZIP64_LIMIT:
            raise ValueError(f"{member.name}: too large for a zip without ZIP64")
        name, flags = _zip_name(member.name)
        # version 2.0, flags, deflated, time, date, CRC-32, compressed and plain sizes
        common = (20, 0, flags, zipfile.ZIP_DEFLATED, dos_time, dos_date, member.crc, len(member.data), member.size)
        header = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *common, len(name), 0) + name
        # made by version 2.0 on Unix (3), no extra field or comment, disk 0, mode 0644, where its header is
        entry = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, *common, len(name), 0, 0, 0, 0, 0o644 << 16, offset)
        directory.append(entry + name)
        records += [header, member.data]
        offset += len(header) + len(member.data)
    central = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), len(central), offset, 0)
    return b"".join(records) + central + end


# zipfile switches to ZIP64 records when a member may exceed 2 GiB; no part of a .docx comes near.
_ZIP64_LIMIT = (1 << 31) - 1


def _zip_name(name: str) -> tuple[bytes, int]:
    """A member name as zipfile stores it: ASCII, or UTF-8 with the language-encoding flag (bit 11)."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 1 << 11


def is_ours(path: Path) -> bool:
    """True when `path` is absent or was written by dhc, so it may be replaced without asking."""
    if not path.exists():
        return True
    try:
        if path.suffix == ".md":
            return path.read_text(encoding="utf-8", errors="replace").startswith(MARKER_MD)
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                return MARKER_DOCX.encode() in z.read("docProps/core.xml")
        if path.suffix == ".pdf":
            data = path.read_bytes()
            marker = MARKER_DOCX.encode()
            return marker in data or marker.hex().encode() in data.lower() or _utf16_hex(MARKER_DOCX) in data.upper()
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return False


def refuse_foreign(outputs: Iterable[Path], force: bool, instead: str = "thư mục khác") -> None:
    """Stop (DH040) before anything is written when an output would replace a file dhc did not
    write, unless `force`; `instead` names what to choose with --out."""
    foreign = [] if force else [path for path in outputs if not is_ours(path)]
    if foreign:
        message = f"Tệp đã tồn tại và không do dhc tạo ra; không ghi đè. Hãy chọn {instead} (--out) hoặc thêm --force."
        raise DhcError([Finding(str(path), 1, 1, "DH040", message) for path in foreign])


def _utf16_hex(text: str) -> bytes:
    """How a PDF info string stores `text`: UTF-16BE with a byte-order mark, in hex."""
    return ("FEFF" + text.encode("utf-16-be").hex().upper()).encode()


def write_all(outputs: dict[Path, bytes]) -> None:
    """Write every output to a temporary file first, then move them all into place.

    A file system that refuses (no such directory, no permission, a file in the way of the
    directory, a full disk) stops with DH043; nothing half-written is left behind.
    """
    target = next(iter(outputs), Path("."))
    try:
        _stage_and_replace(outputs)
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else target
        raise DhcError([Finding(str(where), 1, 1, "DH043", f"Không ghi được kết quả: {os_reason(exc)}.")]) from None


_OS_REASONS = {
    errno.ENOENT: "thư mục không tồn tại và không tạo được",
    errno.EEXIST: "đã có một tệp trùng tên ở chỗ cần tạo thư mục",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đã có một thư mục trùng tên tệp kết quả",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
    errno.ENOSPC: "đĩa đã đầy",
    errno.EROFS: "hệ thống tệp chỉ cho đọc",
}


def os_reason(exc: OSError) -> str:
    """Why the file system refused, in Vietnamese."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _stage_and_replace(outputs: dict[Path, bytes]) -> None:
    staged: list[tuple[Path, str]] = []
    try:
        for target, data in outputs.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            staged.append((target, tmp))
        for target, tmp in staged:
            os.replace(tmp, target)
    finally:
        for _target, tmp in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
