"""`dhc diff` on drafts that never lived as YAML: the .docx `dhc build` wrote for each side, imported in memory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dhcompiler.build import build_report
from dhcompiler.diff.compare import compare
from dhcompiler.diff.sides import Side, load_side
from dhcompiler.templates import DEFAULT_TEMPLATES
from diff_scenarios import DATA, EXPECTED, SCENARIOS, reported


@pytest.fixture(scope="module")
def old_draft(built: dict[str, Path]) -> Side:
    return load_side(str(built["docx"]), "cũ", DATA, DEFAULT_TEMPLATES)


def draft(tmp_path: Path, name: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    SCENARIOS[name](data)
    (written,) = build_report(data, tmp_path / "build", ("docx",), DEFAULT_TEMPLATES).written
    return written


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n != "no_change"])
def test_scenario_between_built_drafts(name: str, old_draft: Side, tmp_path: Path) -> None:
    new = load_side(str(draft(tmp_path, name)), "mới", DATA, DEFAULT_TEMPLATES)
    assert new.description == "bản thảo bao-cao-chinh-tri.docx"
    assert reported(compare(old_draft, new)) == EXPECTED[name]


def test_the_same_draft_twice_is_identical(old_draft: Side, built: dict[str, Path]) -> None:
    again = load_side(str(built["docx"]), "mới", DATA, DEFAULT_TEMPLATES)
    assert compare(old_draft, again).identical


def test_markdown_draft_against_its_data(built: dict[str, Path]) -> None:
    """A Markdown draft imported against the data it was built from: nothing a reader would call a change."""
    data = load_side(str(DATA), "cũ", DATA, DEFAULT_TEMPLATES)
    markdown = load_side(str(built["md"]), "mới", DATA, DEFAULT_TEMPLATES)
    changes = compare(data, markdown)
    assert [s for s in changes.sections if s.status != "unchanged"] == []
    assert changes.footnotes == () and changes.meta == ()
