"""Shared fixtures: the project's data, a scratch copy of it, one build of the default report, the
fourth draft of the comments sample, the redline of every diff scenario at once, and the redline
of two drafts with tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commentdata import make_draft4
from dhcompiler.build import BuildResult, build_report
from dhcompiler.templates import DEFAULT_TEMPLATES
from diff_scenarios import make_pair, redline_of, table_pair

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's data directory."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default report built once to .md and .docx for the whole session."""
    out = tmp_path_factory.mktemp("build")
    result: BuildResult = build_report(DATA, out, ("md", "docx"), DEFAULT_TEMPLATES)
    return {path.suffix[1:]: path for path in result.written}


def build_to(data: Path, out: Path, formats: tuple[str, ...] = ("md", "docx")) -> dict[str, Path]:
    result = build_report(data, out, formats, DEFAULT_TEMPLATES)
    return {path.suffix[1:]: path for path in result.written}


@pytest.fixture(scope="session")
def draft4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fourth draft (data/ with the edits that answer the comments), comments on draft 3 = data/."""
    return make_draft4(tmp_path_factory.mktemp("comments") / "du-thao-4")


@pytest.fixture(scope="session")
def combined(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, bytes]:
    """Every diff scenario applied to one copy: a dozen scattered edits of every kind, as
    (redline, OLD build, NEW build) .docx bytes (test_redline.py, test_libreoffice.py)."""
    return redline_of(*make_pair(tmp_path_factory.mktemp("combined")))


@pytest.fixture(scope="session")
def tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, bytes]:
    """Two drafts with tables (diff_scenarios.tables_changed: a value changed in a table, a row
    added, a row removed, a table removed, one added), as (redline, OLD build, NEW build)."""
    return redline_of(*table_pair(tmp_path_factory.mktemp("tables")))
