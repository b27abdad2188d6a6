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


class SortedLines:
    """Whether a line is in a UTF-8 text of sorted, distinct lines (after its “#” header lines),
    found by a binary search over the bytes themselves (UTF-8 sorts as the code points do).

    The list is read when a rule first has a candidate to decide; decoding it and splitting
    its 25,000 lines into a set took longer (5 ms) than all the lookups of a check.
    """

    def __init__(self, data: bytes):
        self.data = data
        self.start = 0
        while data.startswith(b"#", self.start):
            self.start = data.index(b"\n", self.start) + 1

    def __contains__(self, line: str) -> bool:
        wanted = line.encode("utf-8", "surrogatepass")  # (a lone surrogate is in no line)
        data, low, high = self.data, self.start, len(self.data)
        while low < high:  # low and high are where lines begin
            middle = (low + high) // 2
            begin = data.rfind(b"\n", low, middle) + 1 or low
            end = data.find(b"\n", begin, high)
            end = high if end == -1 else end
            current = data[begin:end]
            if current == wanted:
                return True
            if current < wanted:
                low = end + 1
            else:
                high = begin
        return False


@cache
def compound_words() -> SortedLines:
    """The list (sorted by tools/make_words.py), read once, and only when a rule needs it."""
    return SortedLines(WORDS.read_bytes())


@cache
def report_words() -> frozenset[str]:
    return frozenset(REPORT_WORDS.split("|"))


def is_word(syllables: Sequence[str]) -> bool:
    """Whether the syllables, in order, form one compound word of the list."""
    if len(syllables) < 2:
        return False
    phrase = canonical(syllables)
    return phrase in report_words() or phrase in compound_words()


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
