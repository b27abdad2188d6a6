"""The faster ways the rules search find what the plain regular expressions find."""

from __future__ import annotations

import random
import re
import sys

import pytest

from dhcompiler.checks.lexicon import WORDS, compound_words
from dhcompiler.checks.patterns import IRREGULAR_CASE, WordPattern, lowered, regular_case

PIECES = [
    "xã",
    "Xã",
    "XÃ",
    "thị xã",
    "các",
    "Các",
    "đầu tư",
    "tư",
    "a",
    "b",
    "1",
    "_",
    "-",
    "(",
    "“",
    "\ue000",
    "ſ",
    "ı",
]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\t", ",", ", ", ".", "", "("]


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(rng.randint(0, 30))) for _ in range(count)
    ]


REPEATED = r"((?>[^\W\d_]+)(?: (?>[^\W\d_]+))?) (\1)(?!\w)"


@pytest.mark.parametrize(
    ("body", "flags", "before", "hint"),
    [
        (REPEATED, re.IGNORECASE, r"\w", None),
        (REPEATED, re.IGNORECASE, r"\w", r"([^ ]++) (?:\1|[^ ]++ \1)"),
        (r"(?:thị xã|xã|các)(?= )", re.IGNORECASE, r"\w", None),
        (r"(?:thị xã|xã|các)(?= )", 0, r"\w", None),
        (r"\d+|tư", 0, r"\w.,/-", None),
    ],
)
def test_word_pattern_finds_what_the_plain_pattern_finds(body, flags, before, hint):
    pattern = WordPattern(body, flags, before, hint)
    plain = re.compile(rf"(?<![{before}])(?:{body})", flags)
    for text in random_texts(400, 1):
        assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_irregular_case_lists_every_letter_whose_case_is_not_one_to_one():
    """Derived from the Unicode tables of this Python: letters whose lower case is more than one
    character, or is a non-ASCII letter that shares its upper case with another lower-case letter."""
    shared: dict[str, set[str]] = {}
    for code in range(sys.maxunicode + 1):
        lower = chr(code).lower()
        if len(lower) == 1:
            shared.setdefault(lower.upper(), set()).add(lower)
    ambiguous = {lower for group in shared.values() if len(group) > 1 for lower in group if not lower.isascii()}
    irregular = {
        chr(code) for code in range(sys.maxunicode + 1) if len(chr(code).lower()) != 1 or chr(code).lower() in ambiguous
    }
    assert irregular <= set(IRREGULAR_CASE)
    # Lower case keeps what is a word character, a digit and a space (\\w, \\d, \\s in a pattern).
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lower = char.lower()
        if char not in IRREGULAR_CASE and lower != char:
            assert (char.isalnum(), char.isdecimal(), char.isspace()) == (
                lower.isalnum(),
                lower.isdecimal(),
                lower.isspace(),
            ), hex(code)


def test_lowered_text_searched_case_sensitively_finds_what_ignorecase_finds():
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵfjwz"
    regular = [chr(code) for code in range(0x2FFF) if chr(code) not in IRREGULAR_CASE]
    text = "".join(regular)
    low = lowered(text)
    assert low is not None and len(low) == len(text)
    for letter in letters:
        ignorecase = [m.start() for m in re.finditer(re.escape(letter), text, re.IGNORECASE)]
        assert ignorecase == [m.start() for m in re.finditer(re.escape(letter), low)], letter
    assert lowered("Iİ") is None and lowered("ſử lý") is None
    assert regular_case("sản suất") and not regular_case("Sản suất") and not regular_case("ſử lý")


def test_compound_words_are_sorted_for_the_binary_search():
    lines = [line for line in WORDS.read_text(encoding="utf-8").split("\n") if line and not line.startswith("#")]
    assert lines == sorted(set(lines))
    words = compound_words()
    assert all(line in words for line in lines[::97])
    assert "đầu tư" in words and "tư nhân" in words and "đầu tư tư" not in words and "" not in words
