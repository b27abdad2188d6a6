"""Validate the loaded files against the model and resolve them into one Report."""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from dhcompiler.findings import DhcError, Finding
from dhcompiler.load import DataPath, Loc, SourceFile, load_file
from dhcompiler.model import (
    DocumentMeta,
    Figure,
    FootnoteDef,
    Indicators,
    Node,
    Report,
    Section,
    attach_locations,
)
from dhcompiler.numbers import NumberSyntaxError

N = TypeVar("N", bound=Node)

# A footnote mark `[^key]`, or an escape (`\[`, `\*`, `\\`) that prose reads as a literal
# character (group 1 is then None): `\[^key]` is text, not a mark. No `[` in a key: linear on “[^[^[^…”.
FOOTNOTE_REF = re.compile(r"\\[*\[\\]|\[\^([^\]\s[]*)\]")
# `ind.x` and `fig.x.part` not inside a longer word. The word boundary is checked behind the
# literal (\b first would make every character a candidate start: ~20× slower on long prose).
INDICATOR_REF = re.compile(r"ind(?<!\wind)\.([A-Za-z_][A-Za-z0-9_]*)")
FIGURE_REF = re.compile(r"fig(?<!\wfig)\.([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?")
FIGURE_ATTRIBUTES = ("number", "value", "unit")
MAX_DEPTH = 8
MAX_NAME = 255  # characters in an included file name


class Collector:
    """Gathers findings across files so that one run reports every structural problem."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def at(self, node: Node | SourceFile, path: DataPath, code: str, message: str) -> None:
        loc = node.loc(*path) if isinstance(node, Node) else node.loc(path)
        self.add(Finding(loc.path, loc.line, loc.column, code, message))

    def unique(self, found: dict[str, Any], key: str, value: Any, owner: Node, path: DataPath, what: str) -> bool:
        """Record `value` under `key`, or report that the stable key is already taken (DH020)."""
        if key in found:
            first = found[key].loc()
            self.at(owner, path, "DH020", f"Khóa {what} “{key}” đã được dùng ở {first.path}:{first.line}.")
            return False
        found[key] = value
        return True

    def run(self, func: Any, *args: Any) -> Any:
        try:
            return func(*args)
        except DhcError as exc:
            self.findings.extend(exc.findings)
            return None


def load_report(data_dir: Path, choices: dict[str, str] | None = None) -> Report:
    """Load, validate and cross-check every data file; raise DhcError with all problems found.

    The alternatives chosen in document.yaml (`choices:`), and then those in `choices`
    (`dhc build --choose`), replace what they offer to replace: later stages see one wording.
    """
    out = Collector()
    meta = out.run(_load_model, data_dir / "document.yaml", data_dir, DocumentMeta)
    indicators = out.run(_load_model, data_dir / "indicators.yaml", data_dir, Indicators)
    sources: list[SourceFile] = [m.source for m in (meta, indicators) if m is not None]
    body: list[Section] = []
    if meta is not None:
        root = data_dir.resolve()  # resolvable: document.yaml was read through it
        for i, name in enumerate(meta.body):
            file = _data_file(root, data_dir, name, meta, ("body", i), out)
            if file is not None:
                section = out.run(_load_section, file, root, out, (), 0)
                if section is not None:
                    body.append(section)
    from dhcompiler.comments import load_comments

    comments, comment_sources = out.run(load_comments, data_dir) or ([], [])
    if out.findings:
        raise DhcError(out.findings)
    assert meta is not None and indicators is not None
    sources.extend(_section_sources(body))
    sources.extend(comment_sources)
    _inherit_units(indicators)
    footnotes = _collect_footnotes(body, indicators, out)
    report = Report(
        meta=meta, body=body, indicators=indicators, footnotes=footnotes, sources=sources, comments=comments
    )
    _check_keys_and_references(report, out)
    if out.findings:
        raise DhcError(sorted(set(out.findings)))
    from dhcompiler.alternatives import apply_choices

    where = {key: meta.loc("choices", key) for key in meta.choices}
    apply_choices(report, {**meta.choices, **(choices or {})}, where)
    return report


def _inherit_units(indicators: Indicators) -> None:
    """A part measured like its whole (“trong đó: …”) takes the whole's unit unless it names one."""
    for group in (*indicators.results, *indicators.targets):
        for measure in group.measures:
            for part in measure.parts:
                part.unit = part.unit or measure.unit


def _load_model(file: Path, root: Path, model: type[N]) -> N:
    source = load_file(file, root)
    return validate(source, model)


def validate(source: SourceFile, model: type[N]) -> N:
    """Validate a file's data against `model`, turning pydantic errors into located findings."""
    try:
        result = model.model_validate(source.data)
    except ValidationError as exc:
        raise DhcError(validation_findings(exc, source)) from None
    attach_locations(result, source)
    return result


def _load_section(file: Path, root: Path, out: Collector, chain: tuple[Path, ...], depth: int) -> Section:
    """Load a section file (`file` and `root` resolved, as `_data_file` gives them) and its includes."""
    source = load_file(file, root)
    section = validate(source, Section)
    _resolve_includes(section, file, root, out, (*chain, file), depth)
    return section


def _resolve_includes(
    section: Section, file: Path, root: Path, out: Collector, chain: tuple[Path, ...], depth: int
) -> None:
    for i, child in enumerate(section.sections):
        if child.include is None:
            _resolve_includes(child, file, root, out, chain, depth + 1)
            continue
        target = _data_file(root, file.parent, child.include, section, ("sections", i), out)
        if target is None:
            continue
        if target in chain or depth > MAX_DEPTH:
            out.at(section, ("sections", i), "DH023", f"Tệp “{child.include}” tự bao gồm chính nó (vòng lặp).")
            continue
        loaded = out.run(_load_section, target, root, out, chain, depth + 1)
        if loaded is not None:
            section.sections[i] = loaded


def _data_file(root: Path, base: Path, name: str, owner: Node, path: DataPath, out: Collector) -> Path | None:
    """The resolved path of the data file `name` (relative to `base`) inside the resolved `root`,
    or None with a finding (DH023)."""
    if "\0" in name or len(name) > MAX_NAME:
        out.at(
            owner, path, "DH023", f"Tên tệp không hợp lệ (ký tự NUL hoặc dài quá {MAX_NAME} ký tự): “{_shown(name)}”."
        )
        return None
    try:
        target = (base / name).resolve()
        inside = target.is_relative_to(root)
        found = inside and target.is_file()
    except (OSError, ValueError, RuntimeError):  # a name the file system refuses, e.g. too long
        inside, found = True, False
    if not inside:
        out.at(owner, path, "DH023", f"Tệp “{name}” nằm ngoài thư mục dữ liệu.")
        return None
    if not found:
        out.at(owner, path, "DH023", f"Không tìm thấy tệp “{name}”.")
        return None
    return target


def _shown(name: str) -> str:
    return name[:60].replace("\0", "\\0") + ("…" if len(name) > 60 else "")


def _section_sources(body: list[Section]) -> list[SourceFile]:
    seen: dict[int, SourceFile] = {}
    stack = list(body)
    while stack:
        section = stack.pop()
        seen.setdefault(id(section.source), section.source)
        stack.extend(section.sections)
    return sorted(seen.values(), key=lambda s: s.display)


def _collect_footnotes(body: list[Section], indicators: Indicators, out: Collector) -> dict[str, FootnoteDef]:
    owners: list[Node] = [indicators]
    stack = list(reversed(body))
    while stack:
        section = stack.pop()
        owners.append(section)
        stack.extend(reversed(section.sections))
    found: dict[str, FootnoteDef] = {}
    for owner in owners:
        for key, paragraphs in owner.footnotes.items():  # type: ignore[attr-defined]
            note = FootnoteDef(key=key, paragraphs=list(paragraphs), owner=owner)
            out.unique(found, key, note, owner, ("footnotes", key, "<key>"), "chú thích")
    return found


_EXPRESSION = re.compile(r"\{\{(?:(?!\{\{|\}\}).)*\}\}", re.S)


def _expressions_only(text: str) -> str:
    """`text` with everything outside `{{ … }}` blanked, offsets kept: `ind.x` in plain words
    (an imported draft's escaped `{{ "{{" }} ind.x }}`) is not a reference."""
    kept: list[str] = []
    end = 0
    for match in _EXPRESSION.finditer(text):
        kept += (" " * (match.start() - end), match.group(0))
        end = match.end()
    kept.append(" " * (len(text) - end))
    return "".join(kept)


def _check_keys_and_references(report: Report, out: Collector) -> None:
    seen: dict[str, Node] = {}
    for section, _depth in report.walk():
        out.unique(seen, section.key, section, section, ("key",), "mục")
    measures = _unique_measures(report, out)
    figures = _unique_figures(report, measures, out)
    cited: dict[str, tuple[Node, DataPath]] = {}
    for owner, path, text in prose_fields(report):
        if "[^" in text:  # most paragraphs cite no note
            for match in FOOTNOTE_REF.finditer(text):
                if match.group(1) is not None:
                    _check_footnote_ref(report, out, cited, owner, path, text, match)
        if "{{" in text:  # references are read inside expressions only
            _check_expression_refs(owner, path, _expressions_only(text), measures, figures, out)
    for group in (*report.indicators.results, *report.indicators.targets):
        if group.footnote is not None:
            key = group.footnote
            if key not in report.footnotes:
                out.at(
                    group,
                    ("footnote",),
                    "DH021",
                    f"Không có chú thích nào mang khóa “{key}”{_suggest(key, report.footnotes)}.",
                )
            elif key in cited:
                out.at(
                    group,
                    ("footnote",),
                    "DH024",
                    f"Chú thích “{key}” đã được dẫn ở chỗ khác; mỗi chú thích chỉ dẫn một lần.",
                )
            cited[key] = (group, ("footnote",))
    for measure in measures.values():
        if measure.continues is not None and measure.continues not in measures:
            out.at(measure, ("continues",), "DH022", f"Không có chỉ tiêu nào mang khóa “{measure.continues}”.")


def _check_expression_refs(
    owner: Node, path: DataPath, expressions: str, measures: dict[str, Any], figures: dict[str, Figure], out: Collector
) -> None:
    """`ind.<key>` and `fig.<key>[.<part>]` in the expressions of one piece of prose name what exists (DH022)."""
    for match in INDICATOR_REF.finditer(expressions):
        if match.group(1) not in measures:
            loc = owner.loc(*path).at(match.start(1))
            out.add(
                Finding(
                    loc.path,
                    loc.line,
                    loc.column,
                    "DH022",
                    f"Không có chỉ tiêu nào mang khóa “{match.group(1)}”{_suggest(match.group(1), measures)}.",
                )
            )
    for match in FIGURE_REF.finditer(expressions):
        _check_figure_ref(figures, out, owner.loc(*path), match)


def _check_footnote_ref(
    report: Report,
    out: Collector,
    cited: dict[str, tuple[Node, DataPath]],
    owner: Node,
    path: DataPath,
    text: str,
    match: re.Match[str],
) -> None:
    key = match.group(1)
    if key in report.footnotes and key not in cited:  # the first citation of a defined footnote
        cited[key] = (owner, path)
        return
    loc = owner.loc(*path).at(match.start())  # located only when there is something to report
    if key not in report.footnotes:
        out.add(
            Finding(
                loc.path,
                loc.line,
                loc.column,
                "DH021",
                f"Không có chú thích nào mang khóa “{key}”{_suggest(key, report.footnotes)}.",
            )
        )
    else:
        out.add(
            Finding(
                loc.path,
                loc.line,
                loc.column,
                "DH024",
                f"Chú thích “{key}” đã được dẫn ở chỗ khác; mỗi chú thích chỉ dẫn một lần.",
            )
        )
    cited[key] = (owner, path)


def report_figures(report: Report) -> dict[str, tuple[Section, Figure]]:
    """Every declared figure by key, with the section that declares it (first one wins)."""
    found: dict[str, tuple[Section, Figure]] = {}
    for section, _depth in report.walk():
        for key, figure in section.figures.items():
            found.setdefault(key, (section, figure))
    return found


def _unique_figures(report: Report, measures: dict[str, Any], out: Collector) -> dict[str, Figure]:
    found: dict[str, Figure] = {}
    for section, _depth in report.walk():
        for key, figure in section.figures.items():
            if not out.unique(found, key, figure, section, ("figures", key, "<key>"), "số liệu"):
                continue
            if figure.indicator is not None and figure.indicator not in measures:
                hint = _suggest(figure.indicator, measures)
                out.at(figure, ("indicator",), "DH022", f"Không có chỉ tiêu nào mang khóa “{figure.indicator}”{hint}.")
    return found


def _check_figure_ref(figures: dict[str, Figure], out: Collector, loc: Loc, match: re.Match[str]) -> None:
    key, part = match.group(1), match.group(2)
    figure = figures.get(key)
    if figure is None:
        at = loc.at(match.start(1))
        out.add(
            Finding(
                at.path, at.line, at.column, "DH022", f"Không có số liệu nào mang khóa “{key}”{_suggest(key, figures)}."
            )
        )
    elif part is not None and part not in figure.parts and part not in FIGURE_ATTRIBUTES:
        at = loc.at(match.start(2))
        hint = _suggest(part, figure.parts)
        out.add(
            Finding(
                at.path, at.line, at.column, "DH022", f"Số liệu “{key}” không có phần nào mang khóa “{part}”{hint}."
            )
        )


def _unique_measures(report: Report, out: Collector) -> dict[str, Any]:
    found: dict[str, Any] = {}
    groups: dict[str, Node] = {}
    stack: list[Any] = []
    for group in (*report.indicators.results, *report.indicators.targets):
        out.unique(groups, group.key, group, group, ("key",), "nhóm chỉ tiêu")
        stack.extend(group.measures)
    while stack:
        measure = stack.pop()
        out.unique(found, measure.key, measure, measure, ("key",), "chỉ tiêu")
        stack.extend(measure.parts)
    return found


def prose_fields(report: Report) -> list[tuple[Node, DataPath, str]]:
    """Every piece of prose in reading order, with its owner and data path below it."""
    fields: list[tuple[Node, DataPath, str]] = []
    meta = report.meta
    fields.append((meta, ("theme", "text"), meta.theme.text))
    fields.append((meta, ("motto", "text"), meta.motto.text))
    for section, _depth in report.walk():
        if section.title:
            fields.append((section, ("title",), section.title))
        if section.summary:
            fields.append((section, ("summary",), section.summary))
        for i, block in enumerate(section.content):
            fields.extend(_block_prose(section, i, block))
    for key, note in report.footnotes.items():
        for j, paragraph in enumerate(note.paragraphs):
            fields.append((note.owner, ("footnotes", key, j), paragraph))
    return fields


def _block_prose(section: Section, i: int, block: Any) -> list[tuple[Node, DataPath, str]]:
    out: list[tuple[Node, DataPath, str]] = []
    if block.text is not None:
        out.append((section, ("content", i), block.text))
    if block.lead is not None:
        out.append((section, ("content", i, "lead"), block.lead))
    for name in ("items", "bullets"):
        for j, paragraphs in enumerate(getattr(block, name) or []):
            for k, paragraph in enumerate(paragraphs):
                out.append((section, ("content", i, name, j, k), paragraph))
    for j, paragraph in enumerate(block.lessons or []):
        out.append((section, ("content", i, "lessons", j), paragraph))
    if block.table is not None:
        out.extend((section, path, text) for path, text in table_cells(section, i, block.table))
    return out


def table_cells(section: Section, i: int, table: Any) -> list[tuple[DataPath, str]]:
    """Every cell of a table block with its data path: the header, then the rows in order."""
    base: DataPath = ("content", i, "table")
    cells: list[tuple[DataPath, str]] = [((*base, "header", c), text) for c, text in enumerate(table.header)]
    for r, row in enumerate(table.rows):
        if row.group is not None:
            cells.append(((*base, "rows", r, "group"), row.group))
            continue
        # a row written as a plain list has no "cells" key in the file
        written_as_list = section.written(*base, "rows", r, 0)
        for c, text in enumerate(row.cells):
            cells.append(((*base, "rows", r, c) if written_as_list else (*base, "rows", r, "cells", c), text))
    return cells


@functools.cache
def _known_keys() -> frozenset[str]:
    """Every key any data file may use, to suggest the one a typo meant."""
    from dhcompiler import model

    names: set[str] = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, model.Node):
            names.update(info.alias or name for name, info in value.model_fields.items())
    return frozenset(names)


def _suggest(word: str, known: Any) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (có phải “{close[0]}”?)" if close else ""


# --- pydantic errors in Vietnamese ----------------------------------------------------------

_TYPE_NAMES = {
    "string_type": "một chuỗi văn bản",
    "int_type": "một số nguyên",
    "int_parsing": "một số nguyên",
    "int_from_float": "một số nguyên",
    "bool_type": "true hoặc false",
    "bool_parsing": "true hoặc false",
    "list_type": "một danh sách",
    "dict_type": "một bảng khóa – giá trị",
    "model_type": "một bảng khóa – giá trị",
    "model_attributes_type": "một bảng khóa – giá trị",
    "date_type": "một ngày dạng NNNN-TT-NN",
    "date_parsing": "một ngày dạng NNNN-TT-NN",
    "date_from_datetime_parsing": "một ngày dạng NNNN-TT-NN",
    "date_from_datetime_inexact": "một ngày dạng NNNN-TT-NN",
    "decimal_type": "một số",
    "decimal_parsing": "một số",
}


def validation_findings(exc: ValidationError, source: SourceFile) -> list[Finding]:
    """One Vietnamese finding per pydantic error, at the key or value it concerns."""
    findings = []
    for error in exc.errors(include_url=False):
        path = tuple(error["loc"])
        code, message, at = _describe(error, path)
        loc = source.loc(at)
        findings.append(Finding(loc.path, loc.line, loc.column, code, message))
    return sorted(set(findings))


def _describe(error: Any, path: DataPath) -> tuple[str, str, DataPath]:
    kind = error["type"]
    field = str(path[-1]) if path else ""
    if kind == "missing":
        return "DH010", f"Thiếu khóa bắt buộc “{field}”.", path[:-1]
    if kind == "extra_forbidden" and field.isdigit():
        return (
            "DH011",
            f"Khóa “{field}” không hợp lệ: trong {{…}} dấu phẩy tách các mục, nên một số như “98,5” bị đọc thành hai "
            'mục; hãy đặt số trong ngoặc kép, ví dụ value: "98,5".',
            (*path, "<key>"),
        )
    if kind == "extra_forbidden":
        hint = _suggest(field, _known_keys())
        return "DH011", f"Khóa “{field}” không hợp lệ ở đây{hint}; hãy kiểm tra chính tả hoặc xóa nó.", (*path, "<key>")
    if kind in _TYPE_NAMES:
        return "DH012", f"Giá trị của “{field}” phải là {_TYPE_NAMES[kind]}.", path
    if kind == "value_error":
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, NumberSyntaxError):
            return "DH014", f"Số không hợp lệ: {cause}", path
        return "DH013", f"Giá trị không hợp lệ: {cause}.", path
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return "DH013", f"Giá trị của “{field}” phải là một trong: {expected}.", path
    if kind == "string_pattern_mismatch":
        return (
            "DH013",
            f"Giá trị “{error.get('input')}” của “{field}” không đúng dạng khóa (chữ thường không dấu, gạch nối).",
            path,
        )
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length", "")
        return "DH013", f"Giá trị của “{field}” dài quá {limit} ký tự.", path
    if kind in ("too_short", "too_long"):
        return "DH013", f"“{field}” không được để trống.", path
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return "DH013", f"Giá trị của “{field}” nằm ngoài khoảng cho phép.", path
    return "DH013", f"Giá trị của “{field}” không hợp lệ ({kind}).", path
