"""Vietnamese compound words: which neighbouring syllables form one word (for DH403, DH404)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

WORDS = Path(__file__).with_name("words.txt")
HEADER = """\
# Compound words (từ ghép) of two to four syllables: lower case, NFC, tone marks in the new
# style (hóa, ủy). Read by dhc check (DH403, DH404) to tell which syllables form one word.
# Made by tools/make_words.py from pyvi 0.1.1 (PyPI), pyvi/models/words.txt, under the MIT
# licence:
#
# Copyright (c) 2016 Viet-Trung Tran
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of this
# software and associated documentation files (the "Software"), to deal in the Software
# without restriction, including without limitation the rights to use, copy, modify, merge,
# publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
# to whom the Software is furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all copies or
# substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
# INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
# PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
# FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
# OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
# DEALINGS IN THE SOFTWARE.
"""


def canonical(syllables: Sequence[str]) -> str:
    """Syllables as the list writes them: lower case, NFC, “hóa” rather than “hoá”."""
    from dhcompiler.checks.text import move_tone, tone_style

    out = []
    for syllable in syllables:
        lower = unicodedata.normalize("NFC", syllable.lower())
        out.append(move_tone(lower) if tone_style(lower) == "old" else lower)
    return " ".join(out)


# Words of Party reports that pyvi's lexicon lacks (checked against the seed's vocabulary).
REPORT_WORDS = (
    "nhà ở|nơi ở|chỗ ở|hạ tầng|giảm nghèo|hộ nghèo|cận nghèo|khu dân cư|nông thôn mới|cụm công nghiệp"
    "|chuyển đổi số|kinh tế số|chính quyền số|xã hội số|chuỗi giá trị"
)
# One-syllable words (prepositions, conjunctions, auxiliaries) that often follow a compound
# word ending on the same syllable: “nhà ở | ở | nông thôn”.
FUNCTION_WORDS = frozenset(
    [
        "ở",
        "về",
        "với",
        "cho",
        "của",
        "do",
        "tại",
        "từ",
        "trong",
        "ra",
        "vào",
        "lên",
        "đến",
        "để",
        "là",
        "mà",
        "thì",
        "và",
        "như",
        "có",
        "được",
        "bị",
    ]
)


@cache
def compound_words() -> frozenset[str]:
    """The list, read once, and only when a rule has a candidate to decide."""
    # The header's comment lines come along: no lookup starts with “#”, and skipping them
    # one by one would cost more than the whole set (5 ms in all).
    return frozenset(WORDS.read_text(encoding="utf-8").split("\n") + REPORT_WORDS.split("|"))


def is_word(syllables: Sequence[str]) -> bool:
    """Whether the syllables, in order, form one compound word of the list."""
    return len(syllables) > 1 and canonical(syllables) in compound_words()


def word_ending(before: Sequence[str], syllable: str) -> str | None:
    """The compound word that `syllable` closes, begun in `before` (the syllables just before it)."""
    for n in (1, 2, 3):
        if len(before) >= n and is_word([*before[-n:], syllable]):
            return " ".join([*before[-n:], syllable])
    return None


def ends_word(before: Sequence[str], syllable: str) -> bool:
    """Whether `syllable` closes a word that starts in `before` (the syllables just before it)."""
    return word_ending(before, syllable) is not None


def starts_word(syllable: str, after: Sequence[str]) -> bool:
    """Whether `syllable` opens a word that goes on in `after` (the syllables just after it)."""
    return any(is_word([syllable, *after[:n]]) for n in (1, 2, 3) if len(after) >= n)
