"""Decode a text file the way Word may have saved it: UTF-8 (BOM or not), UTF-16, Windows-1258."""

from __future__ import annotations

import codecs
import re
import unicodedata

from dhcompiler.findings import DhcError, Finding

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# Control characters no text export contains (tab, line feed, vertical tab, form feed and
# carriage return are allowed: Word writes the last three for breaks).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 có BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32": "UTF-32",
    "cp1258": "Windows-1258",
}


def decode_text(raw: bytes, display: str) -> tuple[str, str]:
    """The text (NFC, `\\n` line ends) and the encoding's name; DhcError when it is not text."""
    if not raw.strip():
        raise DhcError([Finding(display, 1, 1, "DH601", "Tệp rỗng: không có gì để nhập.")])
    text, encoding = _decode(raw, display)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise DhcError(
            [
                Finding(
                    display,
                    line,
                    1,
                    "DH602",
                    (
                        "Tệp không phải văn bản (có ký tự điều khiển hoặc dữ liệu nhị phân); "
                        "hãy lưu bản thảo dưới dạng .docx, .md hoặc .txt."
                    ),
                )
            ]
        )
    if not text.strip():
        raise DhcError([Finding(display, 1, 1, "DH601", "Tệp rỗng: không có gì để nhập.")])
    return text, _NAMES.get(encoding, encoding)


def _decode(raw: bytes, display: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, encoding, display), encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_order(raw)
    if utf16 is not None:
        return _strict(raw, utf16, display), utf16
    return _strict(raw, "cp1258", display), "cp1258"


def _utf16_order(raw: bytes) -> str | None:
    """UTF-16 without a BOM: many NUL bytes, all on the same side of each pair."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even = raw[0::2].count(0)
    odd = raw[1::2].count(0)
    half = len(raw) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _strict(raw: bytes, encoding: str, display: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DhcError(
            [
                Finding(
                    display,
                    1,
                    1,
                    "DH602",
                    (
                        f"Không giải mã được tệp (byte {exc.start + 1} không hợp lệ trong bảng mã "
                        f"{_NAMES.get(encoding, encoding)}); hãy lưu lại bản thảo với mã UTF-8."
                    ),
                )
            ]
        ) from None
