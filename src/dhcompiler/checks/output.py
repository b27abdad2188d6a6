"""Output formats of `dhc check` and `dhc rules`: plain functions from findings to text."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

from dhcompiler.checks.registry import Rule
from dhcompiler.findings import Finding, Severity

FORMATS = ("auto", "text", "json", "github")
SourceLines = Mapping[str, list[str]]


def choose_format(requested: str, environ: Mapping[str, str]) -> str:
    """`auto` is `github` under GitHub Actions and `text` elsewhere."""
    if requested != "auto":
        return requested
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def summary(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    if not findings:
        return "Không phát hiện vấn đề nào."
    parts = [f"{counts[s]} {s.label}" for s in Severity if counts[s]]
    files = len({f.path for f in findings})
    return f"{', '.join(parts)} trong {files} tệp."


# --- json -----------------------------------------------------------------------------------


def format_json(findings: list[Finding], rule_names: Mapping[str, str]) -> str:
    """Findings as one JSON document, stable keys, for other tools."""
    counts = Counter(f.severity.value for f in findings)
    document = {
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "code": f.code,
                "rule": rule_names.get(f.code, ""),
                "severity": f.severity.value,
                "message": f.message,
            }
            for f in findings
        ],
        "summary": {s.value: counts[s.value] for s in Severity},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# --- github ---------------------------------------------------------------------------------

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(findings: list[Finding], rule_names: Mapping[str, str]) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    lines = []
    for f in findings:
        title = _escape_property(f"{f.code} {rule_names.get(f.code, '')}".strip())
        lines.append(
            f"::{_GITHUB_LEVEL[f.severity]} file={_escape_property(f.path)},line={f.line},"
            f"col={f.column},title={title}::{_escape_data(f.message)}"
        )
    return "".join(line + "\n" for line in lines)


# --- text (rich) ----------------------------------------------------------------------------

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def format_text(findings: list[Finding], lines: SourceLines, color: bool = False, width: int = 100) -> str:
    """The terminal report: each finding, the offending YAML line and a caret under the column."""
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
        soft_wrap=True,
    )
    for f in findings:
        head = Text()
        head.append(f"{f.path}:{f.line}:{f.column}", style="bold")
        head.append(": ")
        head.append(f"[{f.severity.label}]", style=_STYLE[f.severity])
        head.append(f" {f.message} ")
        head.append(f"({f.code})", style="dim")
        console.print(head)
        for row in _excerpt(f, lines):
            console.print(row)
    console.print(Text(summary(findings), style="bold"))
    return buffer.getvalue()


def _excerpt(f: Finding, lines: SourceLines) -> list[object]:
    from rich.text import Text

    source = lines.get(f.path)
    if source is None or not 1 <= f.line <= len(source):
        return []
    gutter = f"{f.line:>5} | "
    code_line = Text(gutter, style="dim")
    code_line.append(source[f.line - 1].expandtabs(1))
    caret = Text(" " * (len(gutter) - 2) + "| " + " " * (f.column - 1), style="dim")
    caret.append("^", style=_STYLE[f.severity])
    return [code_line, caret]


def read_source_lines(findings: list[Finding], read: Callable[[str], str | None]) -> dict[str, list[str]]:
    """The lines of every file a finding points at, read once each through `read`."""
    found: dict[str, list[str]] = {}
    for path in {f.path for f in findings}:
        text = read(path)
        if text is not None:
            found[path] = text.split("\n")
    return found


# --- rules ----------------------------------------------------------------------------------

FAMILIES = {
    "structure": "Cấu trúc và tham chiếu",
    "indicators": "Chỉ tiêu",
    "arithmetic": "Số học",
    "consistency": "Nhất quán",
    "text": "Văn bản tiếng Việt",
    "config": "Cấu hình và bỏ qua",
}


def _family_order(family: str) -> int:
    return list(FAMILIES).index(family) if family in FAMILIES else len(FAMILIES)


def _ordered(rules: Mapping[str, Rule]) -> list[Rule]:
    return sorted(rules.values(), key=lambda r: (_family_order(r.family), r.code))


def rules_text(rules: Mapping[str, Rule], code: str | None = None) -> str:
    """`dhc rules`: one line per rule; with a code, that rule's full description."""
    if code is not None:
        chosen = rules[code]
        family = FAMILIES.get(chosen.family, chosen.family)
        return f"{chosen.code} {chosen.name} [{chosen.severity.label}] — {family}\n\n{chosen.doc}\n"
    lines = [f"{r.code}  {r.severity.label:<9} {r.name:<26} {r.summary}" for r in _ordered(rules)]
    return "\n".join(lines) + "\n"


def rules_markdown(rules: Mapping[str, Rule]) -> str:
    """docs/rules.md: every rule with its summary, description and examples."""
    out = [
        "# Rules of `dhc check`",
        "",
        "<!-- Generated from the rule docstrings by `dhc rules --markdown > docs/rules.md`; do not edit. -->",
        "",
        "Each rule has a stable code, a default severity (lỗi = error, cảnh báo = warning, ghi chú = info)",
        "and a description in Vietnamese with a failing (Sai) and a passing (Đúng) example. Change a",
        "severity or turn a rule off in `data/dhc.yaml`; silence one finding with a",
        "`# dhc-ignore CODE: lý do` comment (see the README).",
        "",
        "| Mã | Tên | Nhóm | Mức độ | Tóm tắt |",
        "|---|---|---|---|---|",
    ]
    ordered = _ordered(rules)
    for r in ordered:
        family = FAMILIES.get(r.family, r.family)
        out.append(
            f"| [{r.code}](#{r.code.lower()}) | `{r.name}` | {family} | {r.severity.label} | {_cell(r.summary)} |"
        )
    current = ""
    for r in ordered:
        if r.family != current:
            current = r.family
            out += ["", f"## {FAMILIES.get(current, current)}"]
        out += ["", f"### {r.code}", "", f"`{r.name}` — {r.severity.label}", "", *_markdown_doc(r.doc)]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown_doc(doc: str) -> list[str]:
    lines = []
    for line in doc.split("\n"):
        for label in ("Sai:", "Đúng:"):
            if line.startswith(label):
                line = f"- **{label}** {line[len(label) :].strip()}"
        lines.append(line)
    return lines


# --- one entry point for the command ---------------------------------------------------------


def render_result(
    findings: list[Finding], requested: str, environ: Mapping[str, str], tty: bool, read: Callable[[str], str | None]
) -> str:
    """The whole output of `dhc check` in the requested (or automatic) format."""
    from dhcompiler.checks.registry import RULES

    names = {code: r.name for code, r in RULES.items()}
    chosen = choose_format(requested, environ)
    if chosen == "json":
        return format_json(findings, names)
    if chosen == "github":
        return format_github(findings, names) + summary(findings) + "\n"
    color = tty and "NO_COLOR" not in environ
    return format_text(findings, read_source_lines(findings, read), color)


def read_text(path: str) -> str | None:
    """A source file's text for excerpts; None when it cannot be read."""
    from dhcompiler.load import MAX_BYTES, read_regular

    try:
        return read_regular(Path(path), MAX_BYTES).decode("utf-8-sig")
    except (OSError, ValueError):  # not a regular file, too large, not UTF-8
        return None
