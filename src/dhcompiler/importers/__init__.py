"""`dhc import`: read a draft (.docx, Markdown, Word text) into the YAML data of a report.

The pipeline: read (a reader per format → `Draft`: paragraphs with hints and footnotes) →
front (header, theme, motto, signature) → classify and build the section tree → indicator
lists → data files in memory. `write_import` validates them with the loader before moving
them into place, so a failed import writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dhcompiler.findings import DhcError, Finding
from dhcompiler.importers.draft import Draft, Para, is_upper, plain
from dhcompiler.importers.encoding import decode_text
from dhcompiler.importers.meta import Front, MetaBuilder, split_front
from dhcompiler.importers.sections import Assembler, Stats, find_indicator_lists
from dhcompiler.importers.structure import (
    HEADINGS,
    Node,
    Token,
    build_appendix,
    build_tree,
    check_numbers,
    classify,
    classify_all,
)

MAX_BYTES = 20_000_000
# What one import may produce (DH631): more would not load (5 MB a data file) or not be read.
MAX_TEXT_CHARS = 3_000_000  # about 25 times the seed report
MAX_FOOTNOTES = 2_000
MAX_FILE_BYTES = 4_500_000  # under the loader's 5 MB, with room for what YAML adds
_NOTE_DEFINITION = re.compile(r"^\[\^[^\]\n]+\]:", re.M)
FORMATS = {"text": "văn bản thuần", "markdown": "Markdown", "docx": "Word .docx"}


@dataclass
class ImportResult:
    """The data files of an imported draft (relative path → YAML), with what was found."""

    source: str
    kind: str
    encoding: str
    files: dict[str, str]
    stats: Stats
    recognised: list[str]
    findings: list[Finding] = field(default_factory=list)


def import_file(path: Path) -> ImportResult:
    """Read and convert a draft; DhcError (DH60x) when it cannot be read or has no structure."""
    display = str(path)
    from dhcompiler.load import read_input

    raw = read_input(path, display, MAX_BYTES, "DH600")
    draft = read_draft(raw, path.suffix.lower(), display)
    if len(draft.notes) > MAX_FOOTNOTES:
        raise _too_large(display, f"có {_vi(len(draft.notes))} chú thích, quá giới hạn {_vi(MAX_FOOTNOTES)}")
    result = convert(draft)
    for name, text in result.files.items():
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise _too_large(display, f"mục dữ liệu “{name}” sẽ lớn quá {MAX_FILE_BYTES // 1_000_000} MB")
    return result


def _too_large(display: str, reason: str) -> DhcError:
    message = f"Bản thảo quá lớn để nhập: {reason}; hãy tách bản thảo thành nhiều phần rồi nhập từng phần."
    return DhcError([Finding(display, 1, 1, "DH631", message)])


def _vi(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def read_draft(raw: bytes, suffix: str, display: str) -> Draft:
    """Pick the reader by extension (a zip is read as .docx whatever its name)."""
    if suffix in (".doc", ".odt", ".rtf", ".pdf"):
        raise DhcError(
            [
                Finding(
                    display,
                    1,
                    1,
                    "DH603",
                    (f"Định dạng {suffix} chưa được hỗ trợ; hãy lưu bản thảo thành .docx (hoặc .txt) rồi nhập lại."),
                )
            ]
        )
    if suffix == ".docx" or raw[:4] == b"PK\x03\x04":
        from dhcompiler.importers.docx import read_docx

        return read_docx(raw, display)
    text, encoding = decode_text(raw, display)
    if len(text) > MAX_TEXT_CHARS:
        raise _too_large(display, f"{_vi(len(text))} ký tự, quá giới hạn {_vi(MAX_TEXT_CHARS)}")
    notes = len(_NOTE_DEFINITION.findall(text)) if suffix in (".md", ".markdown") else 0
    if notes > MAX_FOOTNOTES:
        raise _too_large(display, f"có {_vi(notes)} chú thích, quá giới hạn {_vi(MAX_FOOTNOTES)}")
    if suffix in (".md", ".markdown"):
        from dhcompiler.importers.markdown import read_markdown

        return read_markdown(text, display, encoding)
    from dhcompiler.importers.text import read_text

    return read_text(text, display, encoding)


def convert(draft: Draft) -> ImportResult:
    """The data files for a draft, and the findings the drafter should review."""
    front = split_front(draft.paras)
    closing = _closing(front)
    tokens = classify_all(front.body, draft)
    if not any(t.kind in HEADINGS for t in tokens):
        raise DhcError(
            [
                Finding(
                    draft.display,
                    1,
                    1,
                    "DH604",
                    (
                        "Không nhận ra cấu trúc báo cáo: không có “Phần thứ …”, mục đánh số (I., 1., 1.1.) "
                        "hay tiêu đề (Heading) nào; không nhập được."
                    ),
                )
            ]
        )
    top = build_tree(tokens)
    if front.appendix:
        top.append(build_appendix(front.appendix, draft))
    check_numbers(top, draft)
    lists = find_indicator_lists(top, draft)
    if closing is not None:
        token = Token("para", closing.text, closing)
        top.insert(len([n for n in top if n.kind != "appendix"]), Node("closing", None, 1.0, token, [token]))
    builder = MetaBuilder(draft, front)
    meta = builder.build([plain(p.text) for p in draft.paras])
    assembler = Assembler(draft, meta, top, lists)
    files = assembler.files()
    findings = sorted(draft.findings, key=lambda f: (f.line, f.code))
    return ImportResult(draft.display, draft.kind, draft.encoding, files, assembler.stats, builder.found, findings)


def _closing(front: Front) -> Para | None:
    """The last paragraph before the signature is the closing, when it is plain prose."""
    if not front.signature or not front.body:
        return None
    last = front.body[-1]
    if classify(last).kind != "para" or is_upper(last.text):
        return None
    front.body = front.body[:-1]
    return last
