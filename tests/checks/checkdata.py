"""Helpers for check tests: a small complete draft in tests/data/check, copied and rewritten."""

from __future__ import annotations

import shutil
from pathlib import Path

from dhcompiler.checks import RULES, run_rules
from dhcompiler.findings import Finding
from dhcompiler.resolve import load_report

MINI = Path(__file__).resolve().parents[1] / "data" / "check"
SECTION = Path("sections") / "1-noi-dung.yaml"
HEAD = "key: noi-dung\nkind: part\ntitle: ĐÁNH GIÁ KẾT QUẢ\n"


def mini_copy(tmp_path: Path, config: bool = False) -> Path:
    """A writable copy of the small draft; without its dhc.yaml and dictionary.yaml unless asked."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    if not config:
        (target / "dhc.yaml").unlink()
        (target / "dictionary.yaml").unlink()
    return target


def write_section(data: Path, body: str) -> Path:
    """Replace the draft's only section file with HEAD + `body`; lines of `body` start at 4."""
    path = data / SECTION
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def rule_findings(data: Path, code: str, options: dict | None = None) -> list[Finding]:
    return run_rules(load_report(data), {code: RULES[code]}, options)


def hits(data: Path, code: str, options: dict | None = None) -> list[tuple[str, int, int]]:
    """(code, line, column) of each finding of rule `code` in the section file."""
    return [(f.code, f.line, f.column) for f in rule_findings(data, code, options) if f.path.endswith(str(SECTION))]


def at(path: Path, needle: str, after: str = "", offset: int = 0) -> tuple[int, int]:
    """1-based (line, column) of `needle` in a file (the first after `after`), plus `offset` columns."""
    text = path.read_text(encoding="utf-8")
    index = text.index(needle, text.index(after) if after else 0) + offset
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
