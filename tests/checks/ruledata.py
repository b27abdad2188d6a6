"""Helpers for rule tests: run one rule over the real data or a copy with one section rewritten."""

from __future__ import annotations

from pathlib import Path

from dhcompiler.checks import RULES, run_rules
from dhcompiler.resolve import load_report

# The closing section is small and self-contained: tests replace it with their own example.
EXAMPLE = Path("sections") / "9-ket-luan.yaml"


def run_rule(data: Path, code: str) -> list[tuple[str, str, int, int]]:
    """(code, path, line, column) of every finding of rule `code` on the data in `data`."""
    findings = run_rules(load_report(data), {code: RULES[code]})
    return [(f.code, f.path, f.line, f.column) for f in findings]


def messages(data: Path, code: str) -> list[str]:
    return [f.message for f in run_rules(load_report(data), {code: RULES[code]})]


def write_example(data: Path, body: str) -> str:
    """Replace the closing section with `body` (YAML below `key` and `kind`); return its path."""
    path = data / EXAMPLE
    path.write_text("key: ket-luan\nkind: closing\n" + body, encoding="utf-8")
    return str(path.resolve())


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a data file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def locate(path: Path, needle: str, after: str = "") -> tuple[int, int]:
    """1-based line and column of `needle` in a file (the first one after `after`)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    index = text.index(needle, start)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def shown(path: Path) -> str:
    """A path as findings show it for the project's data (relative to the working directory)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path.resolve())
