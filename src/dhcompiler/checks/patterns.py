"""Regular expressions of the rules: compiled on first use, and searched where a word begins."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from functools import cached_property, lru_cache


class LazyPattern:
    """A regular expression compiled on first use, then kept (`dhc rules` compiles none).

    `source` is the pattern, or a function that builds it when it is made of other values
    (folded words) that cost something to compute. The methods are those of `re.Pattern`.
    """

    def __init__(self, source: str | Callable[[], str], flags: int = 0):
        self._source = source
        self._flags = flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        source = self._source if isinstance(self._source, str) else self._source()
        return re.compile(source, self._flags)

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        return self.compiled.findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        return self.compiled.split(string, maxsplit)


def lazy(source: str | Callable[[], str], flags: int = 0) -> LazyPattern:
    """`re.compile(source, flags)`, done when the pattern is first used."""
    return LazyPattern(source, flags)


class WordPattern:
    """`(?<![BEFORE])BODY`: a pattern that matches only where no character of class BEFORE
    (by default a word character) comes before it, searched without trying every position.

    The regex engine tries a pattern that begins with a look-behind at each position of the
    text, which costs more than the search itself in a long text. This one is tried only
    where it can match: after a space (found by the engine's fast search for a fixed
    character), after one of the few other characters that are neither space nor in
    BEFORE, and at the start. `finditer` gives the matches of the plain pattern, in order
    and without overlap (the leftmost match at or after the end of the previous one). BODY
    never matches the empty string.

    `hint`, when given, is what the text must match where BODY matches, cheaper to try: the
    places are found with it, then each is tried with the plain pattern.
    """

    def __init__(
        self,
        body: str | Callable[[], str],
        flags: int = 0,
        before: str = r"\w",
        hint: str | Callable[[], str] | None = None,
    ):
        def part(template: str, inner: str | Callable[[], str] = body) -> Callable[[], str]:
            return lambda: template.format(before=before, body=inner if isinstance(inner, str) else inner())

        look = body if hint is None else hint
        self.plain = lazy(part("(?<![{before}])(?:{body})"), flags)
        self._after_space = lazy(part(" (?=(?:{body}))", look), flags)
        self._after_other = lazy(part("[^ {before}](?=(?:{body}))", look), flags)

    @property
    def pattern(self) -> str:
        return self.plain.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches of the plain pattern in `text`."""
        starts = [0]
        starts.extend(m.end() for m in self._after_space.finditer(text))
        starts.extend(m.end() for m in self._after_other.finditer(text))
        starts.sort()
        end = 0
        for start in starts:
            if start >= end and (match := self.plain.match(text, start)) is not None:
                yield match
                end = match.end()

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)


# Characters whose case does not map one to one between upper and lower case: the Turkish
# dotted and dotless i, the long s, the micro sign, and Greek and old Cyrillic letters that
# share an upper case with another lower case letter (μ, µ; σ, ς…). A text without them, in
# lower case, has a character at each offset of the text, and a lower-case pattern finds in it
# exactly what the same pattern finds in the text with re.IGNORECASE. (tests/checks/
# test_patterns.py derives this list from the Unicode tables of the running Python.)
IRREGULAR_CASE = (
    "\u00b5\u0130\u0131\u017f\u0345\u0390\u0392\u0395\u0398\u0399\u039a\u039c\u03a0\u03a1\u03a3\u03a6"
    "\u03b0\u03b2\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0\u03c1\u03c2\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6"
    "\u03f0\u03f1\u03f4\u03f5\u0412\u0414\u041e\u0421\u0422\u042a\u0432\u0434\u043e\u0441\u0442\u044a"
    "\u0462\u0463\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e60\u1e61\u1e9b\u1fbe\u1fd3"
    "\u1fe3\ua64a\ua64b\ufb05\ufb06"
)
_IRREGULAR = lazy("[" + re.escape(IRREGULAR_CASE) + "]")
# Paragraphs whose results the rules keep between two checks of one process (`--watch`): a
# result that depends only on a paragraph's text is found again only for an edited paragraph.
PARAGRAPHS = 16384


@lru_cache(maxsize=PARAGRAPHS)
def lowered(text: str) -> str | None:
    """`text.lower()` when it can stand in for `text` searched with re.IGNORECASE (see
    IRREGULAR_CASE), else None."""
    if not text.isascii() and _IRREGULAR.search(text) is not None:
        return None
    return text.lower()


def regular_case(phrase: str) -> bool:
    """Whether a pattern made of `phrase` may search lower-cased text instead of using re.IGNORECASE."""
    return phrase == phrase.lower() and lowered(phrase) is not None
