"""Convert the built .docx to PDF with LibreOffice, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

from dhcompiler.findings import DhcError, Finding
from dhcompiler.write import MARKER_DOCX

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 300
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
META_NS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"

INSTALL_HINT = (
    "Không tìm thấy LibreOffice (lệnh soffice hoặc libreoffice) để xuất PDF. "
    "Trên Debian/Ubuntu hãy cài bằng: sudo apt-get install libreoffice-writer; "
    "trên Windows hoặc macOS hãy tải LibreOffice tại https://www.libreoffice.org/download/. "
    "Hoặc bỏ pdf khỏi --format và mở tệp .docx bằng Word để in ra PDF."
)


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, if any."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_pdf(docx_bytes: bytes, name: str) -> bytes:
    """PDF bytes of a .docx, through LibreOffice in a private profile (parallel runs do not clash).

    LibreOffice reads the document to its flat XML format first, so that the footnote marks
    can be corrected (see `prepare_for_pdf`), then prints that to PDF.
    """
    soffice = find_soffice()
    if soffice is None:
        raise DhcError([Finding(f"{name}.pdf", 1, 1, "DH041", INSTALL_HINT)])
    with tempfile.TemporaryDirectory(prefix="dhc-pdf-") as tmp:
        work = Path(tmp)
        source = work / f"{name}.docx"
        source.write_bytes(docx_bytes)
        flat = _convert(soffice, work, source, "fodt", name)
        flat.write_bytes(prepare_for_pdf(flat.read_bytes()))
        return _convert(soffice, work, flat, "pdf", name).read_bytes()


def _convert(soffice: str, work: Path, source: Path, target: str, name: str) -> Path:
    profile = (work / "profile").as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(work),
        str(source),
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False, cwd=work)
    except subprocess.TimeoutExpired:
        raise _failure(name, f"LibreOffice chạy quá {TIMEOUT_SECONDS} giây.") from None
    except OSError as exc:
        raise _failure(name, f"Không chạy được {soffice}: {exc}.") from None
    result = source.with_suffix("." + target)
    if done.returncode != 0 or not result.exists():
        detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise _failure(name, f"LibreOffice không chuyển được sang {target} (mã {done.returncode}). {detail[0]}")
    return result


def _failure(name: str, message: str) -> DhcError:
    return DhcError([Finding(f"{name}.pdf", 1, 1, "DH042", f"Xuất PDF thất bại: {message}".strip())])


def prepare_for_pdf(flat_odt: bytes) -> bytes:
    """The flat ODT that LibreOffice read from the .docx, with single footnote marks and the
    dhc marker as a keyword (the PDF's Keywords), so that the PDF can be told apart as ours."""
    root = etree.fromstring(flat_odt, etree.XMLParser(huge_tree=True))
    parenthesise_note_numbers(root)
    meta = root.find(f"{{{OFFICE_NS}}}meta")
    if meta is not None:
        etree.SubElement(meta, f"{{{META_NS}}}keyword").text = MARKER_DOCX
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def parenthesise_note_numbers(root: etree._Element) -> None:
    """Show “(n)” at the start of each footnote, as Word does.

    The .docx writes “(”, Word's footnote number and “)”. LibreOffice (7.x) moves that text
    after its own number in the note, as “)” or “()”; its own setting for what stands around
    the number in the note (num-prefix, num-suffix) puts the parentheses where they belong.
    """
    changed = False
    for note in root.iter(f"{{{TEXT_NS}}}note"):
        if note.get(f"{{{TEXT_NS}}}note-class") != "footnote":
            continue
        first = note.find(f"{{{TEXT_NS}}}note-body/{{{TEXT_NS}}}p")
        if first is None or (first.text or "").strip() or not len(first):
            continue
        if _is_label_span(first[0], ")") or _is_label_span(first[0], "()"):
            span = first[0]
            space = etree.Element(f"{{{TEXT_NS}}}s")
            space.tail = (span.tail or "").lstrip()
            first.replace(span, space)
            changed = True
    if not changed:
        return
    for config in root.iter(f"{{{TEXT_NS}}}notes-configuration"):
        if config.get(f"{{{TEXT_NS}}}note-class") == "footnote":
            config.set(f"{{{STYLE_NS}}}num-prefix", "(")
            config.set(f"{{{STYLE_NS}}}num-suffix", ")")


def _is_label_span(element: etree._Element | None, label: str) -> bool:
    return (
        element is not None
        and element.tag == f"{{{TEXT_NS}}}span"
        and len(element) == 0
        and (element.text or "") == label
    )
