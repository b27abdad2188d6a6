"""Regular expressions of the rules, compiled the first time one is used, not at import."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from functools import cached_property


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
