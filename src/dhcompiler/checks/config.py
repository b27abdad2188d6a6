"""The check configuration (dhc.yaml, dictionary.yaml) and in-place suppression comments."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from dhcompiler.checks.context import CheckContext
from dhcompiler.checks.patterns import lazy
from dhcompiler.checks.registry import RULES, Hit, rule
from dhcompiler.checks.structure import LOADER_CODES
from dhcompiler.checks.text import MISSPELLINGS
from dhcompiler.findings import DhcError, Finding, Severity
from dhcompiler.load import DataPath, SourceFile, load_file
from dhcompiler.model import Node, _new_dict, _new_list

CONFIG_FILE = "dhc.yaml"
DICTIONARY_FILE = "dictionary.yaml"
Setting = Literal["off", "error", "warning", "info"]


class CheckConfig(Node):
    """Cấu hình kiểm tra (dhc.yaml): mức độ của từng quy tắc, hoặc tắt quy tắc."""

    rules: dict[str, Setting] = Field(
        default_factory=_new_dict,
        description="Mức độ theo mã quy tắc: off (tắt), error (lỗi), warning (cảnh báo), info (ghi chú)",
    )


class Dictionary(Node):
    """Từ điển lỗi chính tả (dictionary.yaml), bổ sung cho từ điển có sẵn của dhc."""

    misspellings: dict[str, str] = Field(default_factory=_new_dict, description="Viết sai: viết đúng")
    allow: list[str] = Field(
        default_factory=_new_list, description="Các mục của từ điển có sẵn không dùng cho văn bản này"
    )


# --- codes reported here ----------------------------------------------------------------------

# Codes about the configuration itself cannot be reconfigured.
FIXED_CODES: set[str] = set()


def _reported_here(code: str, name: str, severity: Severity, doc: str, fixed: bool = False) -> None:
    def reported_by_config(ctx: CheckContext) -> Iterator[Hit]:
        return iter(())

    reported_by_config.__doc__ = doc
    rule(code, name, "config", severity)(reported_by_config)
    if fixed:
        FIXED_CODES.add(code)


_reported_here(
    "DH501",
    "unknown-rule",
    Severity.ERROR,
    """Cấu hình ``dhc.yaml`` chỉ nêu mã quy tắc có thật.

    Sai:  ``rules: {DH499: off}``
    Đúng: ``rules: {DH405: off}``
    """,
    fixed=True,
)
_reported_here(
    "DH502",
    "rule-not-configurable",
    Severity.ERROR,
    """Không đổi mức độ hay tắt được mã do bộ nạp báo (DH0xx) và mã về chính cấu hình.

    Sai:  ``rules: {DH002: off}`` (khóa trùng luôn là lỗi)
    Đúng: ``rules: {DH403: error}``
    """,
    fixed=True,
)
_reported_here(
    "DH510",
    "suppression-reason",
    Severity.ERROR,
    """Chú thích bỏ qua phải nêu lý do; thiếu lý do thì không có hiệu lực.

    Sai:  ``# dhc-ignore DH403``
    Đúng: ``# dhc-ignore DH403: trích nguyên văn tên văn bản``
    """,
)
_reported_here(
    "DH511",
    "suppression-code",
    Severity.ERROR,
    """Chú thích bỏ qua chỉ nêu mã quy tắc có thật (không nêu mã DH5xx).

    Sai:  ``# dhc-ignore DH499: …``
    Đúng: ``# dhc-ignore DH402: …``
    """,
)
_reported_here(
    "DH512",
    "unused-suppression",
    Severity.WARNING,
    """Chú thích bỏ qua không còn khớp với phát hiện nào thì phải xóa.

    Sai:  ``# dhc-ignore DH403: …`` trước một đoạn không còn từ lặp
    Đúng: xóa dòng chú thích đó
    """,
)
_reported_here(
    "DH599",
    "internal-error",
    Severity.ERROR,
    """Lỗi nội bộ của dhc khi kiểm tra; hãy báo lỗi kèm dữ liệu gây ra nó.

    Sai:  một quy tắc gặp ngoại lệ Python
    Đúng: mọi quy tắc chạy hết và chỉ trả về phát hiện
    """,
    fixed=True,
)


# --- configuration ----------------------------------------------------------------------------


@dataclass
class Settings:
    """What the data directory's configuration asks for, and what was wrong with it."""

    severities: dict[str, Severity | None] = field(default_factory=dict)
    dictionary: dict[str, str] = field(default_factory=lambda: dict(MISSPELLINGS))
    findings: list[Finding] = field(default_factory=list)

    def severity(self, code: str, default: Severity) -> Severity | None:
        """The severity of `code` after configuration; None when the rule is off."""
        return self.severities.get(code, default)


def load_settings(data_dir: Path) -> Settings:
    """Read dhc.yaml and dictionary.yaml when they exist; problems become findings."""
    settings = Settings()
    config = _load(data_dir / CONFIG_FILE, data_dir, CheckConfig, settings)
    if isinstance(config, CheckConfig):
        _apply_rules(config, settings)
    dictionary = _load(data_dir / DICTIONARY_FILE, data_dir, Dictionary, settings)
    if isinstance(dictionary, Dictionary):
        _apply_dictionary(dictionary, settings)
    return settings


def _load(file: Path, root: Path, model: type[Node], settings: Settings) -> Node | None:
    from dhcompiler.resolve import validate

    if not file.is_file():
        return None
    try:
        return validate(load_file(file, root), model)
    except DhcError as exc:
        settings.findings.extend(exc.findings)
        return None


def _apply_rules(config: CheckConfig, settings: Settings) -> None:
    for code, value in config.rules.items():
        if code not in RULES:
            _config_finding(
                settings,
                config,
                ("rules", code, "<key>"),
                "DH501",
                f"Không có quy tắc nào mang mã “{code}”; xem danh sách bằng “dhc rules”.",
            )
        elif code in LOADER_CODES or code in FIXED_CODES:
            _config_finding(
                settings,
                config,
                ("rules", code, "<key>"),
                "DH502",
                f"Không thể đổi mức độ hay tắt mã “{code}” (lỗi cấu trúc luôn là lỗi).",
            )
        else:
            settings.severities[code] = None if value == "off" else Severity(value)


def _apply_dictionary(dictionary: Dictionary, settings: Settings) -> None:
    allowed = {" ".join(w.lower().split()) for w in dictionary.allow}
    entries = {wrong: right for wrong, right in settings.dictionary.items() if wrong not in allowed}
    entries.update(dictionary.misspellings)
    settings.dictionary = entries


def _config_finding(settings: Settings, node: Node, path: DataPath, code: str, message: str) -> None:
    loc = node.loc(*path)
    settings.findings.append(Finding(loc.path, loc.line, loc.column, code, message, RULES[code].severity))


# --- suppressions -----------------------------------------------------------------------------

_DIRECTIVE = lazy(r"#\s*dhc-ignore\b(.*)$")
_CODES = lazy(r"\s*(DH\d{3}(?:\s*,\s*DH\d{3})*)\s*(?::(.*))?$")


@dataclass
class Suppression:
    """`# dhc-ignore CODE[, CODE]: reason` — silences those codes in the YAML node that follows."""

    source: SourceFile
    line: int
    column: int
    codes: tuple[str, ...]
    reason: str
    first: int = 0
    last: int = -1
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        return (
            finding.code in self.codes
            and finding.path == self.source.display
            and self.first <= finding.line <= self.last
        )


def find_suppressions(sources: list[SourceFile]) -> tuple[list[Suppression], list[Finding]]:
    """Every suppression comment in `sources`, and the findings about malformed ones."""
    found: list[Suppression] = []
    problems: list[Finding] = []
    for source in sources:
        if "dhc-ignore" in source.text:
            for suppression, problem in _scan(source):
                if problem is not None:
                    problems.append(problem)
                elif suppression is not None:
                    found.append(suppression)
    return found, problems


def _scan(source: SourceFile) -> Iterator[tuple[Suppression | None, Finding | None]]:
    lines = source.text.split("\n")
    starts = _line_starts(lines)
    inside = _ScalarSpans(source)
    index = _NodeIndex(source)
    for number, line in enumerate(lines, start=1):
        hash_at = _comment_start(line, starts[number - 1], inside)
        if hash_at is None:
            continue
        directive = _DIRECTIVE.match(line, hash_at)
        if directive is None:
            continue
        yield _parse(source, number, hash_at + 1, directive.group(1), lines, index)


def _line_starts(lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return starts


def _comment_start(line: str, offset: int, inside: _ScalarSpans) -> int | None:
    """The column (0-based) of the `#` that starts a YAML comment on this line, if any."""
    position = line.find("#")
    while position != -1:
        if (position == 0 or line[position - 1] in " \t") and not inside(offset + position):
            return position
        position = line.find("#", position + 1)
    return None


class _ScalarSpans:
    """Answers whether a file offset lies inside a quoted scalar or a block scalar's text."""

    def __init__(self, source: SourceFile):
        spans = set()
        for loc in source.locs.values():
            span = loc.span
            if span is None or span.style is None:
                continue
            start = span.start
            if span.style in ("|", ">"):
                start = source.text.find("\n", span.start, span.end)
                if start == -1:
                    continue
            spans.add((start, span.end))
        self.spans = sorted(spans)
        self.starts = [s for s, _e in self.spans]

    def __call__(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and self.spans[i][0] < offset < self.spans[i][1]


class _NodeIndex:
    """The outermost YAML node starting at each (line, column), and the last line of each node."""

    def __init__(self, source: SourceFile):
        self.source = source
        self.at: dict[tuple[int, int], DataPath] = {}
        for path, loc in source.locs.items():
            target = path[:-1] if path and path[-1] == "<key>" else path
            known = self.at.get((loc.line, loc.column))
            if known is None or len(target) < len(known):
                self.at[(loc.line, loc.column)] = target

    def last_line(self, target: DataPath) -> int:
        last = 0
        for path, loc in self.source.locs.items():
            if path[: len(target)] == target:
                last = max(last, self._end(loc))
        return last

    def _end(self, loc: object) -> int:
        span = getattr(loc, "span", None)
        line = getattr(loc, "line", 0)
        if span is None:
            return line
        text = self.source.text[span.start : span.end].rstrip()
        return self.source.line_col(span.start + max(len(text) - 1, 0))[0] if text else line


def _parse(
    source: SourceFile, number: int, column: int, rest: str, lines: list[str], index: _NodeIndex
) -> tuple[Suppression | None, Finding | None]:
    parsed = _CODES.match(rest)
    if parsed is None:
        return None, _finding(
            source, number, column, "DH510", "Chú thích bỏ qua sai cú pháp; hãy viết “# dhc-ignore DH402: lý do”."
        )
    codes = tuple(c.strip() for c in parsed.group(1).split(","))
    reason = (parsed.group(2) or "").strip()
    for code in codes:
        if code not in RULES or code.startswith("DH5") or code in LOADER_CODES:
            return None, _finding(
                source,
                number,
                column,
                "DH511",
                f"Không thể bỏ qua mã “{code}” (không có quy tắc này, hoặc đây là mã do bộ nạp hay cấu hình báo).",
            )
    if not reason:
        return None, _finding(
            source,
            number,
            column,
            "DH510",
            f"Chú thích bỏ qua phải nêu lý do sau dấu “:”; hãy viết “# dhc-ignore {', '.join(codes)}: lý do”.",
        )
    suppression = Suppression(source, number, column, codes, reason)
    target = _target_line(lines, number, column)
    if target is not None:
        line, content_column = target
        path = index.at.get((line, content_column))
        if path is not None:
            suppression.first, suppression.last = line, max(line, index.last_line(path))
    return suppression, None


def _target_line(lines: list[str], number: int, column: int) -> tuple[int, int] | None:
    """The line and column of the value a comment applies to: its own line, or the next one."""
    line = lines[number - 1]
    if line[: column - 1].strip():
        return number, _content_column(line)
    for following in range(number, len(lines)):
        stripped = lines[following].strip()
        if stripped and not stripped.startswith("#"):
            return following + 1, _content_column(lines[following])
    return None


def _content_column(line: str) -> int:
    """Where the line's value starts, after indentation and list dashes (1-based)."""
    position = len(line) - len(line.lstrip())
    while line.startswith("-", position) and line[position + 1 : position + 2] in ("", " ", "\t"):
        position += 1
        position += len(line[position:]) - len(line[position:].lstrip())
    return position + 1


def _finding(source: SourceFile, line: int, column: int, code: str, message: str) -> Finding:
    return Finding(source.display, line, column, code, message, RULES[code].severity)


def apply_suppressions(findings: list[Finding], suppressions: list[Suppression], disabled: set[str]) -> list[Finding]:
    """Drop suppressed findings; report each suppression code that silenced nothing."""
    kept = []
    for finding in findings:
        matching = [s for s in suppressions if s.covers(finding)]
        for suppression in matching:
            suppression.used.add(finding.code)
        if not matching:
            kept.append(finding)
    for suppression in suppressions:
        kept.extend(_unused(suppression, disabled))
    return kept


def _unused(suppression: Suppression, disabled: set[str]) -> Iterator[Finding]:
    source, line, column = suppression.source, suppression.line, suppression.column
    if suppression.last < suppression.first:
        yield _finding(
            source,
            line,
            column,
            "DH512",
            "Chú thích bỏ qua không gắn với giá trị nào; hãy đặt nó ngay trên giá trị cần bỏ qua.",
        )
        return
    for code in suppression.codes:
        if code in suppression.used:
            continue
        why = "quy tắc này đang tắt trong dhc.yaml" if code in disabled else "không còn phát hiện nào"
        yield _finding(
            source, line, column, "DH512", f"Chú thích bỏ qua {code} không còn tác dụng ({why}); hãy xóa nó."
        )
