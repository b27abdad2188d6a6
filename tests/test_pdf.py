"""PDF through LibreOffice: a clear message when it is missing, the Party layout when it is there."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA
from dhcompiler.build import build_report
from dhcompiler.cli import app
from dhcompiler.findings import DhcError
from dhcompiler.pdf import convert_to_pdf, find_soffice, prepare_for_pdf
from dhcompiler.templates import DEFAULT_TEMPLATES

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _flat(paragraph: str) -> bytes:
    return (
        f'<office:document xmlns:office="{OFFICE}" xmlns:text="{TEXT}"><office:body><office:text>'
        f"{paragraph}</office:text></office:body></office:document>"
    ).encode()


def _note(label: str, body: str) -> str:
    if label:
        citation = f'<text:note-citation text:label="{label}">{label}</text:note-citation>'
    else:
        citation = "<text:note-citation>1</text:note-citation>"
    body = f"<text:note-body><text:p>{body}</text:p></text:note-body>"
    return f'<text:note text:note-class="footnote">{citation}{body}</text:note>'


def _plain(xml: bytes) -> str:
    """The text of a flat ODT, with a note shown as [label|note text]."""
    text = xml.decode()
    text = re.sub(r'<text:note-citation text:label="([^"]*)">[^<]*</text:note-citation>', r"[\1|", text)
    text = re.sub(r"<text:note-citation>[^<]*</text:note-citation>", "[auto|", text)
    text = text.replace("</text:note>", "]").replace("<text:s/>", " ")
    return re.sub(r"<[^>]+>", "", text).strip()


def _with_config(paragraph: str) -> bytes:
    config = f'<text:notes-configuration xmlns:text="{TEXT}" text:note-class="footnote"/>'
    return _flat(paragraph).replace(b"<office:body>", f"<office:styles>{config}</office:styles><office:body>".encode())


def test_note_numbers_get_their_parentheses_back():
    """LibreOffice moves the “(” “)” around Word's number after its own number in the note."""
    for moved in (")", "()"):
        span = f'<text:span text:style-name="Footnote_20_Symbol">{moved}</text:span>'
        flat = _with_config(f"<text:p>đạt 90%{_note('', span + ' Chỉ tiêu Nghị quyết.')}. Tiếp theo</text:p>")
        prepared = prepare_for_pdf(flat).decode()
        assert _plain(prepared.encode()) == "đạt 90%[auto| Chỉ tiêu Nghị quyết.]. Tiếp theo"
        assert 'num-prefix="("' in prepared and 'num-suffix=")"' in prepared


def test_notes_without_moved_parentheses_are_left_alone():
    flat = _with_config(f"<text:p>đạt{_note('', 'Ghi chú (3) ở giữa.')} lần</text:p>")
    prepared = prepare_for_pdf(flat).decode()
    assert _plain(prepared.encode()) == "đạt[auto|Ghi chú (3) ở giữa.] lần"
    assert "num-prefix" not in prepared


def test_missing_libreoffice_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_soffice() is None
    with pytest.raises(DhcError) as caught:
        convert_to_pdf(b"", "bao-cao")
    finding = caught.value.findings[0]
    assert finding.code == "DH041" and finding.path == "bao-cao.pdf"
    assert "sudo apt-get install libreoffice-writer" in finding.message
    assert "libreoffice.org" in finding.message


def test_cli_pdf_without_libreoffice_writes_nothing(monkeypatch, tmp_path, data_copy):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(data_copy), "--out", str(out), "-f", "docx,pdf"])
    assert result.exit_code == 1
    assert "DH041" in result.output and "Traceback" not in result.output
    assert not out.exists() or not list(out.iterdir())


def _pdftotext(pdf: Path, *args: str) -> str:
    done = subprocess.run(["pdftotext", "-layout", *args, str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.mark.slow
def test_pdf_through_libreoffice_has_the_party_layout(tmp_path):
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) chưa được cài; .ci/run cài libreoffice-writer")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) chưa được cài; .ci/run cài poppler-utils")
    result = build_report(DATA, tmp_path, ("docx", "pdf"), DEFAULT_TEMPLATES)
    pdf = next(p for p in result.written if p.suffix == ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = _pdftotext(pdf).split("\f")
    pages = [p for p in pages if p.strip()]
    assert 25 <= len(pages) <= 35
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    # Page 1 opens with the header block: the two columns side by side, no page number.
    assert re.fullmatch(r"ĐẢNG BỘ TỈNH THÁI NGUYÊN\s+ĐẢNG CỘNG SẢN VIỆT NAM", first[0])
    assert first[1] == "THÀNH ỦY SÔNG CÔNG" and first[2] == "*"
    assert re.fullmatch(r"Số …\.\.\.-BC/TU\s+Sông Công, ngày 26 tháng 12 năm 2024", first[3])
    assert first.index("BÁO CÁO CHÍNH TRỊ") < first.index("CHỦ ĐỀ ĐẠI HỘI")
    # Later pages carry their number, centred at the top.
    for number in (2, len(pages) // 2, len(pages)):
        assert pages[number - 1].lstrip("\n").splitlines()[0].strip() == str(number)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Keywords:\s+dhcompiler$", info, flags=re.M)
    text = "".join(pages)
    assert "(1)(1)" not in text and "(45)(45)" not in text
    assert text.count("(45)") == 2  # once in the line, once in the note
    assert "BAN CHẤP HÀNH ĐẢNG BỘ THÀNH PHỐ" in pages[-1]
