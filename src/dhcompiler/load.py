"""Load YAML sources safely, keeping the file, line and column of every value."""

from __future__ import annotations

import bisect
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dhcompiler.findings import DhcError, Finding

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Key = str | int
DataPath = tuple[Key, ...]
MAX_BYTES = 5_000_000
MAX_NESTING = 64  # lists and mappings inside one another in one file (DH050)


@dataclass(frozen=True)
class Span:
    """Where a scalar's text sits in its file, to map offsets inside the value to positions."""

    start: int
    end: int
    style: str | None


@dataclass(frozen=True)
class Loc:
    """A position in a source file (1-based line and column)."""

    source: SourceFile = field(repr=False, compare=False)
    line: int
    column: int
    span: Span | None = field(default=None, repr=False, compare=False)
    end_line: int = field(default=0, repr=False, compare=False)

    @property
    def path(self) -> str:
        return self.source.display

    def at(self, offset: int) -> Loc:
        """The position of the character at `offset` inside this scalar's value."""
        if self.span is None or offset <= 0:
            return self
        index = self.source.value_index(self.span, offset)
        line, column = self.source.line_col(index)
        return Loc(self.source, line, column, self.span, self.end_line)


@dataclass(eq=False)
class SourceFile:
    """One loaded YAML file: its plain data and the location of every value in it."""

    file: Path
    display: str
    text: str
    data: Any = None
    locs: dict[DataPath, Loc] = field(default_factory=dict)
    values: dict[int, str] = field(default_factory=dict, repr=False)
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _run_cache: dict[int, tuple[_Runs, _Runs]] = field(default_factory=dict, repr=False)

    def loc(self, path: DataPath) -> Loc:
        """The location of the value at `path`, or of its nearest located ancestor."""
        for cut in range(len(path), -1, -1):
            found = self.locs.get(path[:cut])
            if found is not None:
                return found
        return Loc(self, 1, 1)

    def line_col(self, index: int) -> tuple[int, int]:
        if not self._line_starts:
            self._line_starts = [0, *(m.end() for m in _NEWLINE.finditer(self.text))]
        line = bisect.bisect_right(self._line_starts, index)
        return line, index - self._line_starts[line - 1] + 1

    def value_index(self, span: Span, offset: int) -> int:
        """Map an offset in a scalar's value to an index in the file text.

        Folding and quoting change only whitespace (and escapes), so the n-th
        non-space character of the value is the n-th one of the raw text. The runs of
        non-space characters of both are found once per scalar; each lookup is then two
        binary searches, so mapping every finding of a long paragraph stays linear.
        """
        value_runs, raw_runs = self._runs(span)
        wanted = value_runs.count_before(offset)
        return raw_runs.index_of(wanted, span.end)

    def _runs(self, span: Span) -> tuple[_Runs, _Runs]:
        found = self._run_cache.get(span.start)
        if found is None:
            raw_start = span.start
            if span.style in ("|", ">"):
                raw_start = self.text.find("\n", span.start, span.end) + 1 or span.start
            elif span.style in ("'", '"'):
                raw_start += 1
            value = self.values.get(span.start, "")
            found = self._run_cache[span.start] = (_Runs(value, 0, len(value)), _Runs(self.text, raw_start, span.end))
        return found


class _Runs:
    """Counts of the non-space characters of text[start:end], kept for each block of 64
    characters: how many come before the block. A lookup reads one block at most."""

    BLOCK = 64

    def __init__(self, text: str, start: int, end: int):
        self.text, self.start, self.end = text, start, end
        self.before = [0]
        for block in range(start, end, self.BLOCK):
            self.before.append(self.before[-1] + _non_space(text[block : min(block + self.BLOCK, end)]))
        self.total = self.before.pop()

    def count_before(self, offset: int) -> int:
        """How many non-space characters come before `offset`."""
        if offset <= self.start:
            return 0
        if offset >= self.end:
            return self.total
        block = (offset - self.start) // self.BLOCK
        begin = self.start + block * self.BLOCK
        return self.before[block] + _non_space(self.text[begin:offset])

    def index_of(self, count: int, default: int) -> int:
        """The index of the non-space character that has `count` others before it."""
        if count >= self.total:
            return default
        block = bisect.bisect_right(self.before, count) - 1
        left = count - self.before[block]
        for index in range(self.start + block * self.BLOCK, self.end):
            if not self.text[index].isspace():
                if left == 0:
                    return index
                left -= 1
        return default  # (not reached: the block has the character)


def _non_space(text: str) -> int:
    """How many characters of `text` are not spaces (str.split and \\s read the same spaces)."""
    return len("".join(text.split()))


def _problem(source: SourceFile, line: int, column: int, code: str, message: str) -> Finding:
    return Finding(source.display, line, column, code, message)


class _Walker:
    """Turns a composed node tree into plain data, recording locations; linear in the nodes."""

    def __init__(self, source: SourceFile):
        self.source = source
        self.seen: set[int] = set()

    def loc(self, node: yaml.Node, span: Span | None = None) -> Loc:
        mark = node.start_mark
        return Loc(self.source, mark.line + 1, mark.column + 1, span, node.end_mark.line + 1)

    def walk(self, node: yaml.Node, path: DataPath) -> Any:
        if id(node) in self.seen:
            mark = node.start_mark
            raise DhcError(
                [
                    _problem(
                        self.source,
                        mark.line + 1,
                        mark.column + 1,
                        "DH003",
                        "Không dùng neo và bí danh YAML (&, *): hãy viết giá trị trực tiếp.",
                    )
                ]
            )
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.source.locs[path] = self.loc(node)
            return [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        raise AssertionError(f"unknown node {node!r}")

    def scalar(self, node: yaml.ScalarNode, path: DataPath) -> str | None:
        span = Span(node.start_mark.index, node.end_mark.index, node.style)
        self.source.locs[path] = self.loc(node, span)
        if not node.style and node.tag == "tag:yaml.org,2002:null":  # plain: None (pure Python) or "" (libyaml)
            return None
        value = unicodedata.normalize("NFC", node.value) if _needs_nfc(node.value) else node.value
        self.source.values[span.start] = value
        return value

    def mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        self.source.locs[path] = self.loc(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                raise DhcError(
                    [_problem(self.source, mark.line + 1, mark.column + 1, "DH004", "Khóa phải là một chuỗi đơn giản.")]
                )
            key = key_node.value
            if key in result:
                first = self.source.locs[(*path, key)]
                mark = key_node.start_mark
                raise DhcError(
                    [
                        _problem(
                            self.source,
                            mark.line + 1,
                            mark.column + 1,
                            "DH002",
                            f"Khóa “{key}” bị lặp lại (đã có ở dòng {first.line}); hãy xóa hoặc đổi tên một trong hai.",
                        )
                    ]
                )
            key_path = (*path, key)
            key_loc = self.loc(key_node)
            self.source.locs[key_path] = key_loc  # in place for the order of `locs`; the value's own replaces it
            result[key] = self.walk(value_node, key_path)
            # the key's own location is what a "missing/unknown key" finding points at
            self.source.locs[(*key_path, "<key>")] = key_loc
        return result


def _needs_nfc(text: str) -> bool:
    return not text.isascii() and not unicodedata.is_normalized("NFC", text)


def load_yaml_text(text: str, file: Path, display: str) -> SourceFile:
    """Parse one YAML document from `text`; raise DhcError with a located finding on failure."""
    source = SourceFile(file, display, text)
    try:
        if "&" in text or "*" in text or _may_nest_deeply(text):
            _scan_events(text, source)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, column = _error_position(exc)
        raise DhcError([_problem(source, line, column, "DH001", f"Lỗi cú pháp YAML: {_yaml_reason(exc)}.")]) from None
    except yaml.YAMLError as exc:
        raise DhcError([_problem(source, 1, 1, "DH001", f"Lỗi cú pháp YAML: {exc}.")]) from None
    walker = _Walker(source)
    source.data = {} if node is None else walker.walk(node, ())
    return source


def _may_nest_deeply(text: str) -> bool:
    """A cheap bound: nesting needs an opening bracket or two more columns of indent per level.

    Only a bracket that may open a flow collection counts: one at the start of a line or after
    a space or one of `[{,:?-`. A bracket right after another character (a footnote mark
    “2020[^a]”) is inside a scalar, or a syntax error before anything nests inside it.
    """
    indent = _deepest_indent(text)
    brackets = text.count("[") + text.count("{")
    if brackets + indent + 2 <= MAX_NESTING:
        return False
    brackets -= len(_INSIDE_WORD.findall(text))
    return brackets + indent + 2 > MAX_NESTING


def _deepest_indent(text: str) -> int:
    """The longest run of spaces, tabs and dashes that starts a line."""
    first = len(text) - len(text.lstrip(" \t-"))
    return max(first, max(map(len, _INDENT.findall(text)), default=1) - 1)


_INDENT = re.compile(r"\n[ \t-]+")  # from the newline: a pattern with a literal start is found fast
_NEWLINE = re.compile("\n")
_INSIDE_WORD = re.compile(r"[\[{](?<=[^\s\[{,:?-][\[{])")  # a bracket right after another character


def _scan_events(text: str, source: SourceFile) -> None:
    """Refuse anchors and aliases (they multiply a small file into a huge one; data never needs
    them) and nesting deeper than MAX_NESTING, before the recursive composer sees the file."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        assert mark is not None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            message = "Không dùng neo và bí danh YAML (&, *): hãy viết giá trị trực tiếp."
            raise DhcError([_problem(source, mark.line + 1, mark.column + 1, "DH003", message)])
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                message = f"Dữ liệu lồng quá sâu (quá {MAX_NESTING} lớp danh sách, bảng lồng nhau)."
                raise DhcError([_problem(source, mark.line + 1, mark.column + 1, "DH050", message)])
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1


def _error_position(exc: yaml.MarkedYAMLError) -> tuple[int, int]:
    """Point at what was left open (a bracket, a quote) rather than at the end of the file."""
    mark = exc.problem_mark or exc.context_mark
    problem = str(exc.problem or "")
    if exc.context_mark is not None and ("end of stream" in problem or "expected ','" in problem):
        mark = exc.context_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


_YAML_REASONS = {
    "could not find expected ':'": "thiếu dấu “:” sau khóa",
    "mapping values are not allowed": "dấu “:” không được phép ở đây (hãy đặt văn bản trong ngoặc kép)",
    "found character '\\t' that cannot start any token": "không dùng ký tự tab để thụt lề",
    "found a tab character": "không dùng ký tự tab để thụt lề",
    "expected <block end>, but found": "thụt lề không khớp",
    "but found another document": "tệp chỉ được chứa một tài liệu YAML",
    "found undefined alias": "bí danh không được định nghĩa",
    "did not find expected ',' or ']'": "danh sách mở bằng “[” chưa được đóng bằng “]”",
    "did not find expected ',' or '}'": "bảng mở bằng “{” chưa được đóng bằng “}”",
    "found unexpected end of stream": "chuỗi mở bằng dấu ngoặc kép chưa được đóng",
    "did not find expected key": "thụt lề không khớp hoặc có chữ thừa sau giá trị",
    "did not find expected '-' indicator": "thụt lề không khớp trong danh sách (thiếu “-”?)",
    "found unknown escape character": "ký tự thoát “\\” không hợp lệ trong chuỗi ngoặc kép",
    "did not find expected alphabetic or numeric character": (
        "giá trị bắt đầu bằng “*”, “&” hoặc “!” phải đặt trong ngoặc kép"
    ),
    "expected a comment or a line break": "có chữ thừa sau giá trị",
    "found unexpected ':'": "dấu “:” không đúng chỗ",
    "could not find expected": "thiếu ký tự kết thúc",
}


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    problem = str(exc.problem or "")
    for english, vietnamese in _YAML_REASONS.items():
        if english in problem:
            return vietnamese
    return f"cú pháp không hợp lệ ({problem})" if problem else "cú pháp không hợp lệ"


class NotARegularFile(OSError):
    """A path that is a directory, a device, a FIFO or a socket: never read as data."""


class TooLarge(OSError):
    """A file over the size limit, refused before it is read."""


def read_regular(file: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked before reading.

    A FIFO, a device (a symlink to /dev/zero) or a directory raises NotARegularFile without
    being opened for reading; the file is opened non-blocking and read no further than `limit`.
    """
    if not stat.S_ISREG(os.stat(file).st_mode):
        raise NotARegularFile(f"not a regular file: {file}")
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the two looks
            raise NotARegularFile(f"not a regular file: {file}")
        if info.st_size > limit:
            raise TooLarge(f"over {limit} bytes: {file}")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise TooLarge(f"over {limit} bytes: {file}")
    return raw


def read_input(file: Path, display: str, limit: int, code: str) -> bytes:
    """`read_regular`, with each refusal as one finding of `code` at the start of the file."""
    try:
        return read_regular(file, limit)
    except NotARegularFile:
        message = "Không đọc tệp này: đây không phải một tệp thông thường (thư mục, thiết bị, FIFO…)."
    except TooLarge:
        message = f"Tệp quá lớn (trên {limit // 1_000_000} MB)."
    except (OSError, ValueError):
        message = "Không đọc được tệp (không tồn tại?)."
    raise DhcError([Finding(display, 1, 1, code, message)])


def load_file(file: Path, root: Path) -> SourceFile:
    """Read and parse one data file, reporting unreadable or oversized files as findings."""
    display = _display(file, root)
    raw = read_input(file, display, MAX_BYTES, "DH005")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", "replace")
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        raise DhcError(
            [Finding(display, line, column, "DH005", "Tệp không phải văn bản UTF-8; hãy lưu lại với mã hóa UTF-8.")]
        ) from None
    return _parsed(text, file, display)


# A loaded file is never modified afterwards, so a file read again unchanged in the same
# process (`--watch`, tests) reuses its parse; the key is the whole text, not a time stamp.
# Least recently used first out, within a budget of text; a parse keeps about ten bytes per
# character of its text, so ~40 MB at most. A report's files are read in the same order each
# time: one larger than the budget would miss on every file (each evicting the next one
# needed), so the budget is far above a real report's: 30 times the seed's 127,000 characters.
_PARSED: dict[tuple[str, str, str], SourceFile] = {}
_PARSED_BUDGET = 4_000_000
_parsed_chars = 0


def _parsed(text: str, file: Path, display: str) -> SourceFile:
    global _parsed_chars
    key = (str(file), display, text)
    found = _PARSED.pop(key, None)
    if found is None:
        found = load_yaml_text(text, file, display)
        _parsed_chars += len(text)
        while _PARSED and _parsed_chars > _PARSED_BUDGET:
            oldest = next(iter(_PARSED))
            del _PARSED[oldest]
            _parsed_chars -= len(oldest[2])
    _PARSED[key] = found
    return found


def _display(file: Path, root: Path) -> str:
    """The path as the user would type it: relative to the working directory when possible."""
    try:
        return str(file.resolve().relative_to(Path.cwd()))  # getcwd() is already a real path
    except (ValueError, OSError):
        return str(file)
