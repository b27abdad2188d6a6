"""Stable keys from Vietnamese titles: lower case, no diacritics, hyphenated, unique."""

from __future__ import annotations

import re
import unicodedata

_STOP = {"va", "cua", "cac", "nhung", "trong", "voi", "ve", "cho", "la", "tai", "tren", "theo"}


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(text: str, max_words: int = 6, sep: str = "-") -> str:
    """“Phát triển công nghiệp - xây dựng” → “phat-trien-cong-nghiep-xay-dung”."""
    words = re.findall(r"[a-z0-9]+", strip_diacritics(text).lower())
    kept = [w for w in words if w not in _STOP] or words
    return sep.join(kept[:max_words]) or "muc"


def unique(base: str, taken: set[str], sep: str = "-") -> str:
    """`base`, or `base-2`, `base-3`… whichever is not yet taken; records the result."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}{sep}{n}", n + 1
    taken.add(candidate)
    return candidate
