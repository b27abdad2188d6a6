"""Import a comment table (.docx: STT | Vị trí | Nội dung góp ý | Cơ quan | Tiếp thu, giải trình)."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dhcompiler.comments import DOCUMENT, Place, squeeze
from dhcompiler.findings import DhcError, Finding, Severity
from dhcompiler.slug import slugify

# Which column is which, by words of its header (lower case, NFC).
COLUMNS = {
    "number": ("stt", "số tt", "tt"),
    "place": ("vị trí", "mục", "phần, mục"),
    "text": ("nội dung góp ý", "ý kiến góp ý", "nội dung"),
    "from": ("cơ quan", "đơn vị", "người góp ý", "nơi góp ý"),
    "response": ("tiếp thu", "giải trình"),
}
STATUSES = (
    ("tiếp thu một phần", "partly"),
    ("tiếp thu", "accepted"),
    ("giải trình", "explained"),
    ("giữ nguyên", "explained"),
    ("không tiếp thu", "explained"),
    ("chưa xử lý", "open"),
)
GENERAL = ("ý kiến chung", "góp ý chung", "toàn văn", "chung")
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)*)\.?(?![\w])")
_ROMAN = re.compile(r"\bmục\s+([IVXLC]+)\b|(?<![\w.])([IVXLC]+)\.(?=\s)", re.IGNORECASE)
_PART = re.compile(r"phần\s+thứ\s+(\w+)", re.IGNORECASE)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})|(\d{1,2})/(\d{1,2})/(\d{4})")
_QUOTED = re.compile(r"^[“\"](.+)[”\"]$", re.S)


@dataclass
class Row:
    """One comment row of the table, as written, and the line of the table it came from."""

    line: int
    cells: dict[str, list[str]]


@dataclass
class CommentImport:
    """The comments file made from a table, and the rows whose place could not be matched."""

    name: str
    data: dict[str, Any]
    unmatched: list[tuple[int, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        text = _norm(cell).casefold()
        for name, words in COLUMNS.items():
            if name not in found and any(text == w or text.startswith(w) for w in words):
                found[name] = i
                break
    return found


def read_comment_table(raw: bytes) -> list[Row] | None:
    """The rows of the first table whose header names the comment columns; None when there is none."""
    from docx import Document as open_docx

    try:
        document = open_docx(io.BytesIO(raw))
    except Exception:  # python-docx raises several kinds for a damaged package
        return None
    for table in document.tables:
        rows = table.rows
        if not rows:
            continue
        columns = _columns([c.text for c in rows[0].cells])
        if {"place", "text"} <= columns.keys() and len(columns) >= 3:
            return list(_rows(rows[1:], columns))
    return None


def _rows(rows: Any, columns: dict[str, int]) -> Any:
    for line, row in enumerate(rows, start=2):
        cells = row.cells
        texts = [_norm(c.text) for c in cells]
        if len(set(texts)) <= 1 or max(columns.values()) >= len(cells):
            continue  # a group row (“Phần thứ nhất”) spans every column
        yield Row(
            line, {name: [_norm(p.text) for p in cells[i].paragraphs if p.text.strip()] for name, i in columns.items()}
        )


def is_comment_table(path: Path) -> bool:
    """True for a .docx whose table has the columns of a comment table."""
    if path.suffix.lower() != ".docx":
        return False
    try:
        return read_comment_table(path.read_bytes()) is not None
    except OSError:
        return False


# --- matching a cited place to the draft ----------------------------------------------------


def match_place(cited: str, places: dict[str, Place]) -> str | None:
    """The key of the place a cell cites by number and title, or None when it is not clear."""
    text = _norm(cited).casefold()
    if not text or any(text == g or text.startswith(g) for g in GENERAL):
        return DOCUMENT if text else None
    numbered = _numbered(text, places)
    if numbered is not None:
        return numbered
    sections = [p for p in places.values() if p.kind in ("part", "heading", "note") and p.title]
    by_title = [p for p in sections if len(squeeze(p.title)) >= 6 and squeeze(p.title).casefold() in squeeze(text)]
    if by_title:
        longest = max(len(p.title) for p in by_title)
        by_title = [p for p in by_title if len(p.title) == longest]
    candidates = _narrow(by_title or sections, text, numbered=not by_title)
    return candidates[0].key if len(candidates) == 1 else None


_LABELLED = re.compile(r"^(chú thích|chỉ tiêu)\s*\(?(\d+(?:\.\d+)*)\)?\.?")


def _numbered(text: str, places: dict[str, Place]) -> str | None:
    """“Chú thích (7) …” and “Chỉ tiêu 2.1 …” name a footnote or an indicator by its number."""
    found = _LABELLED.match(text)
    if found is None:
        return None
    kind = "footnote" if found.group(1) == "chú thích" else "indicator"
    wanted = f"({found.group(2)})" if kind == "footnote" else f"{found.group(2)}."
    candidates = list({id(p): p for p in places.values() if p.kind == kind and p.label == wanted}.values())
    rest = text[found.end() :]
    if len(candidates) > 1:
        candidates = _narrow(candidates, rest.replace(found.group(2), ""), numbered=False)
    return candidates[0].key if len(candidates) == 1 else None


def _narrow(candidates: list[Place], text: str, numbered: bool) -> list[Place]:
    """Keep the places whose number, Roman section and part agree with what the cell cites."""
    number = next((m.group(1) for m in _NUMBER.finditer(text)), None)
    if number is not None:
        candidates = [p for p in candidates if p.label.rstrip(".") == number] or ([] if numbered else candidates)
    elif numbered:
        return []
    roman = next((m.group(1) or m.group(2) for m in _ROMAN.finditer(cited_upper(text))), None)
    if roman is not None and len(candidates) > 1:
        candidates = [p for p in candidates if f"mục {roman}" in p.context or p.label == f"{roman}."] or candidates
    part = _PART.search(text)
    if part is not None and len(candidates) > 1:
        wanted = f"phần thứ {part.group(1)}"
        candidates = [p for p in candidates if any(c.casefold() == wanted for c in p.context)] or candidates
    return candidates


def cited_upper(text: str) -> str:
    """Roman numerals are matched in capitals: “mục ii” → “mục II”."""
    return re.sub(r"\bmục\s+([ivxlc]+)\b", lambda m: f"mục {m.group(1).upper()}", text)


# --- rows to comments ----------------------------------------------------------------------


def _label(status: str) -> str:
    return next(words for words, value in STATUSES if value == status)


def _status(response: str) -> str | None:
    head = response.casefold()
    return next((status for words, status in STATUSES if head.startswith(words)), None)


def _content(paragraphs: list[str]) -> tuple[str | None, str, str | None]:
    """Quote (a paragraph wholly in quotes, first), the comment, and the proposal (“Đề nghị sửa: …”)."""
    quote = proposal = None
    rest: list[str] = []
    for i, para in enumerate(paragraphs):
        quoted = _QUOTED.match(para)
        if i == 0 and quoted and len(paragraphs) > 1:
            quote = quoted.group(1)
        elif para.casefold().startswith("đề nghị sửa:"):
            value = para.split(":", 1)[1].strip()
            proposal = (_QUOTED.match(value) or re.match(r"(.*)", value, re.S)).group(1)  # type: ignore[union-attr]
        else:
            rest.append(para)
    return quote, " ".join(rest), proposal


def _source(paragraphs: list[str]) -> tuple[str, str | None]:
    names, date = [], None
    for para in paragraphs:
        found = _DATE.search(para)
        if found:
            day, month, year = (g for g in found.groups() if g)
            date = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        else:
            names.append(para)
    return " ".join(names), date


def convert_rows(rows: list[Row], places: dict[str, Place], name: str, round_label: str) -> CommentImport:
    """The comments file for the rows, each placed by the number and title it cites."""
    result = CommentImport(name, {"round": round_label, "comments": []})
    for n, row in enumerate(rows, start=1):
        cited = " ".join(row.cells.get("place", []))
        quote, text, proposal = _content(row.cells.get("text", []))
        source, date = _source(row.cells.get("from", []))
        response = " ".join(row.cells.get("response", []))
        status = _status(response)
        if status is not None and len(squeeze(response).strip(".:")) <= len(squeeze(_label(status))):
            response = ""  # only the status, no answer: “Tiếp thu.”, “Chưa xử lý.”
        key = match_place(cited, places)
        comment: dict[str, Any] = {"key": f"y{n:02d}", "from": source, "date": date}
        comment.update({"on": key or DOCUMENT, "cited": cited or None, "quote": quote, "text": text})
        comment.update({"proposal": proposal, "status": status or "open", "response": response})
        result.data["comments"].append({k: v for k, v in comment.items() if k == "from" or v not in (None, "")})
        if key is None:
            result.unmatched.append((row.line, cited))
            _review(
                result,
                row.line,
                "DH630",
                f"Hàng {row.line} của bảng: không khớp được vị trí “{cited}” với mục nào của dự thảo; "
                "tạm ghi on: document, hãy sửa.",
            )
        if response and status is None:
            _review(
                result,
                row.line,
                "DH631",
                f"Hàng {row.line} của bảng: không nhận ra tiếp thu hay giải trình; tạm ghi status: open.",
            )
        if not source:
            _review(
                result, row.line, "DH632", f"Hàng {row.line} của bảng: không có cơ quan, đơn vị góp ý; hãy ghi from."
            )
    return result


def _review(result: CommentImport, line: int, code: str, message: str) -> None:
    result.findings.append(Finding(result.name, line, 1, code, message, Severity.WARNING))


# --- the command ---------------------------------------------------------------------------


def import_comment_table(file: Path, data_dir: Path, force: bool = False) -> tuple[Path, CommentImport]:
    """Read the table, match its rows against the draft in `data_dir`, write comments/<name>.yaml."""
    from dhcompiler.comments import COMMENTS_DIR, lay_out, load_comments
    from dhcompiler.resolve import load_report
    from dhcompiler.templates import template_dir
    from dhcompiler.write import write_all
    from dhcompiler.yamlwrite import dump_yaml

    rows = read_comment_table(file.read_bytes()) or []
    report = load_report(data_dir)
    draft = lay_out(report, template_dir(None))
    target = data_dir / COMMENTS_DIR / f"{slugify(file.stem, max_words=8)}.yaml"
    result = convert_rows(rows, draft.places, str(file), report.meta.draft_label)
    header = "# yaml-language-server: $schema=../../schemas/comments.schema.json\n"
    header += f"# Nhập từ {file.name} bằng dhc import; “round” lấy theo nhãn của dự thảo hiện hành.\n"
    text = dump_yaml(result.data, header)
    if target.exists() and not force:
        raise DhcError([Finding(str(target), 1, 1, "DH040", "Tệp góp ý đã có; không ghi đè (thêm --force để ghi đè).")])
    _validate(text, target, load_comments)
    write_all({target: text.encode("utf-8")})
    return target, result


def _validate(text: str, target: Path, load: Any) -> None:
    """Load the file from a scratch directory first, so that a bad import writes nothing."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="dhc-comments-") as tmp:
        folder = Path(tmp) / "comments"
        folder.mkdir()
        (folder / target.name).write_text(text, encoding="utf-8")
        load(Path(tmp))


def format_comment_import(target: Path, result: CommentImport) -> str:
    """What `dhc import` says after a comment table: how many comments, which rows to review."""
    count = len(result.data["comments"])
    lines = [f"Đã nhập {count} ý kiến góp ý vào {target}."]
    if result.unmatched:
        lines.append(
            f"{len(result.unmatched)} hàng của bảng chưa khớp được vị trí (tạm ghi on: document), cần xem lại:"
        )
        lines.extend(f"  hàng {line}: “{cited}”" for line, cited in result.unmatched)
    lines.append("Kiểm tra bằng: dhc check; xem bằng: dhc comments.")
    return "\n".join(lines)
