"""LibreOffice as the oracle, in one LibreOffice run for the whole module.

Starting LibreOffice is most of what a run costs, so every document the tests hand it goes in
the same run: the redline of every diff scenario at once (`dhc diff`) and the report marked by
hand (the .docx writer), each accepted and rejected with LibreOffice's own "Accept All" and
"Reject All"; and the report `dhc build` wrote, re-saved by LibreOffice and imported back.
(The PDF export, which `dhc` itself runs through LibreOffice, is tested in test_pdf.py.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import redline_oracle as oracle
from conftest import DATA
from dhcompiler.document import Document
from dhcompiler.importers import import_file
from dhcompiler.importers.files import write_import
from dhcompiler.render_docx import render_docx
from dhcompiler.templates import DEFAULT_TEMPLATES
from diff_scenarios import header_and_signature_edited, make_pair, redline_of, without_numbers
from test_import_roundtrip import assert_same_report, outline
from test_revisions import hand_redline, resolved

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(oracle.soffice() is None, reason="LibreOffice (soffice) chưa được cài"),
]


@pytest.fixture(scope="module")
def hand() -> Document:
    """The real report marked by hand (test_revisions.py)."""
    return hand_redline()


@pytest.fixture(scope="module")
def header(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, bytes]:
    """The real data and a copy whose header and signature changed, as (redline, OLD, NEW builds)."""
    old, new = make_pair(tmp_path_factory.mktemp("header"), "no_change")
    header_and_signature_edited(new)
    return redline_of(old, new)


@pytest.fixture(scope="module")
def libreoffice(
    tmp_path_factory: pytest.TempPathFactory,
    combined: tuple[bytes, bytes, bytes],
    tables: tuple[bytes, bytes, bytes],
    header: tuple[bytes, bytes, bytes],
    hand: Document,
    built: dict[str, Path],
) -> Path:
    """One LibreOffice run: accept-NAME.docx and reject-NAME.docx of the redlines `redline` (every
    scenario), `tables` (two drafts with tables), `header` (the header and signature edited) and
    `hand`, and as-is/bao-cao.docx, the build
    re-saved; in the returned folder."""
    root = tmp_path_factory.mktemp("libreoffice")
    inputs = root / "in"
    (inputs / "as-is").mkdir(parents=True)
    (inputs / "redline.docx").write_bytes(combined[0])
    (inputs / "tables.docx").write_bytes(tables[0])
    (inputs / "header.docx").write_bytes(header[0])
    (inputs / "hand.docx").write_bytes(render_docx(hand, DEFAULT_TEMPLATES))
    shutil.copy(built["docx"], inputs / "as-is" / "bao-cao.docx")
    oracle.make_profile(root / "profile")
    oracle.libreoffice_resolve(root / "profile", inputs, root / "out")
    return root / "out"


def test_libreoffice_accept_all_and_reject_all(combined, libreoffice):
    """The redline of every diff scenario at once, as LibreOffice accepts and rejects it."""
    _red, old, new = combined
    accepted = oracle.libreoffice_texts((libreoffice / "accept-redline.docx").read_bytes())
    rejected = oracle.libreoffice_texts((libreoffice / "reject-redline.docx").read_bytes())
    expected_new, expected_old = oracle.texts(new), oracle.texts(old)
    assert accepted.paragraphs == expected_new.paragraphs
    assert oracle.without_note_marks(accepted.footnotes) == oracle.without_note_marks(expected_new.footnotes)
    assert without_numbers(rejected.paragraphs) == without_numbers(expected_old.paragraphs)
    assert oracle.without_note_marks(rejected.footnotes) == oracle.without_note_marks(expected_old.footnotes)


def test_libreoffice_accept_all_and_reject_all_of_a_changed_table(tables, libreoffice):
    """A value changed in a table, a row added and one removed, a table removed and one added."""
    _red, old, new = tables
    for mode, expected in (("accept", oracle.texts(new)), ("reject", oracle.texts(old))):
        got = oracle.libreoffice_texts((libreoffice / f"{mode}-tables.docx").read_bytes())
        assert got.paragraphs == expected.paragraphs
        assert got.tables == expected.tables
        assert oracle.without_note_marks(got.footnotes) == oracle.without_note_marks(expected.footnotes)


def test_libreoffice_accept_all_and_reject_all_of_the_header_and_signature(header, libreoffice):
    """The number, the date, a superior body dropped, the signer named: the header table and the
    signature as LibreOffice accepts and rejects them."""
    _red, old, new = header
    for mode, expected in (("accept", oracle.texts(new)), ("reject", oracle.texts(old))):
        got = oracle.libreoffice_texts((libreoffice / f"{mode}-header.docx").read_bytes())
        assert got.paragraphs == expected.paragraphs
        assert got.tables == expected.tables


def test_libreoffice_accept_all_and_reject_all_agree(hand, libreoffice):
    """The report marked by hand: LibreOffice's Accept All and Reject All give the resolved documents."""
    for mode in ("accept", "reject"):
        expected = oracle.texts(render_docx(resolved(hand, mode), DEFAULT_TEMPLATES))
        got = oracle.libreoffice_texts((libreoffice / f"{mode}-hand.docx").read_bytes())
        assert got.paragraphs == expected.paragraphs
        assert oracle.without_note_marks(got.footnotes) == oracle.without_note_marks(expected.footnotes)


def test_docx_resaved_by_libreoffice_imports_back_to_the_same_report(libreoffice, tmp_path):
    result = import_file(libreoffice / "as-is" / "bao-cao.docx")
    write_import(result, tmp_path / "data")
    assert_same_report(outline(tmp_path / "data"), outline(DATA))
