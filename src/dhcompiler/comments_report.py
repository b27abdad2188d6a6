"""Views of the reviewers' comments: the listing, JSON, and the “tiếp thu, giải trình” document."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dhcompiler.comments import DOCUMENT, Place, Review
from dhcompiler.document import Block, Document, Table, TableRow
from dhcompiler.findings import Finding
from dhcompiler.model import Comment, CommentStatus
from dhcompiler.numbers import format_vi_date, pad_count
from dhcompiler.prose import Run

STATUS_LABELS = {
    CommentStatus.ACCEPTED: "Tiếp thu",
    CommentStatus.PARTLY: "Tiếp thu một phần",
    CommentStatus.EXPLAINED: "Giải trình",
    CommentStatus.OPEN: "Chưa xử lý",
}
GENERAL = "Ý kiến chung"
HEADER = ("STT", "Vị trí trong dự thảo", "Nội dung góp ý", "Cơ quan, đơn vị góp ý", "Tiếp thu, giải trình")
WIDTHS = [2, 7, 12, 5, 12]
ALIGN = ["center", "left", "left", "left", "left"]


@dataclass(frozen=True)
class Filters:
    """Which comments `dhc comments` shows: only open ones, from a body, of a round, on a key."""

    open_only: bool = False
    source: str | None = None
    round: str | None = None
    on: str | None = None

    def keep(self, comment: Comment) -> bool:
        if self.open_only and comment.status is not CommentStatus.OPEN:
            return False
        if self.source is not None and self.source.casefold() not in comment.source_name.casefold():
            return False
        if self.round is not None and comment.round != self.round:
            return False
        return self.on is None or comment.on == self.on


@dataclass(frozen=True)
class Entry:
    """One comment with where it stands now (None: its key is no longer in the draft)."""

    comment: Comment
    place: Place | None

    @property
    def where(self) -> str:
        return self.place.name if self.place else f"(không còn trong dự thảo: “{self.comment.on}”)"

    @property
    def part(self) -> str:
        if self.place is None:
            return "Vị trí không còn trong dự thảo"
        return GENERAL if self.place.kind == "document" else self.place.part or self.place.name


def entries(review: Review, filters: Filters = Filters()) -> list[Entry]:
    """The comments kept by `filters`, in reading order: general remarks first, then by place."""
    found = [Entry(c, review.place(c)) for c in review.report.comments if filters.keep(c)]
    order = {id(e.comment): i for i, e in enumerate(found)}

    def rank(entry: Entry) -> tuple[int, int, int]:
        if entry.place is None:
            return (2, 0, order[id(entry.comment)])
        general = entry.place.key == DOCUMENT
        return (0 if general else 1, entry.place.order, order[id(entry.comment)])

    return sorted(found, key=rank)


# --- listing and JSON -----------------------------------------------------------------------


def comments_text(listed: list[Entry]) -> str:
    """The terminal listing: each comment with its current place, body, status and answer."""
    lines: list[str] = []
    for entry in listed:
        c = entry.comment
        date = f", {format_vi_date(c.date)}" if c.date else ""
        lines.append(f"{c.key}  {entry.where}  [{STATUS_LABELS[c.status]}]")
        lines.append(f"     {c.source_name}{date} — {c.round}")
        if c.quote:
            lines.append(f"     “{c.quote}”")
        lines.append(f"     {c.text}")
        if c.proposal:
            lines.append(f"     Đề nghị sửa: “{c.proposal}”")
        lines.append(f"     → {c.response}" if c.response else "     → (chưa trả lời)")
    lines.append(f"{len(listed)} ý kiến.")
    return "\n".join(lines) + "\n"


def comments_json(listed: list[Entry]) -> str:
    """The listing as JSON: every field of each comment, and its current place."""
    items: list[dict[str, Any]] = []
    for entry in listed:
        c, loc = entry.comment, entry.comment.loc()
        place = entry.place
        items.append(
            {
                "key": c.key,
                "round": c.round,
                "from": c.source_name,
                "date": c.date.isoformat() if c.date else None,
                "on": c.on,
                "place": {"number": place.label, "title": place.title, "name": place.name, "part": entry.part}
                if place
                else None,
                "quote": c.quote,
                "prefix": c.prefix,
                "suffix": c.suffix,
                "text": c.text,
                "proposal": c.proposal,
                "status": c.status.value,
                "response": c.response,
                "location": {"path": loc.path, "line": loc.line, "column": loc.column},
            }
        )
    return json.dumps({"comments": items}, ensure_ascii=False, indent=2) + "\n"


# --- the “tiếp thu, giải trình” document ----------------------------------------------------


def summary_counts(listed: list[Entry]) -> dict[str, Counter[CommentStatus]]:
    """How many comments of each status, in all ("") and by part (“Phần thứ nhất”), in reading order."""
    counts: dict[str, Counter[CommentStatus]] = {"": Counter()}
    for entry in listed:
        counts[""][entry.comment.status] += 1
        counts.setdefault(entry.part.split(":")[0], Counter())[entry.comment.status] += 1
    return counts


def _status_phrase(counter: Counter[CommentStatus]) -> str:
    parts = [f"{STATUS_LABELS[s].lower()} {pad_count(counter[s])}" for s in STATUS_LABELS if counter[s]]
    return ", ".join(parts)


def summary_blocks(listed: list[Entry], rounds: list[str]) -> list[Block]:
    """Part one: how many comments, from how many bodies, how each was answered, by part."""
    counts = summary_counts(listed)
    bodies = len({e.comment.source_name.casefold() for e in listed})
    drafts = ", ".join(f"“{r}”" for r in rounds)
    opening = f"Tổng hợp {pad_count(len(listed))} ý kiến góp ý của {pad_count(bodies)} cơ quan, đơn vị vào {drafts}."
    blocks = [
        Block("heading", [], label="I.", depth=1, title_runs=[Run("TÓM TẮT KẾT QUẢ TIẾP THU, GIẢI TRÌNH")]),
        Block("paragraph", [Run(opening)]),
    ]
    if listed:
        blocks.append(Block("paragraph", [Run(f"Kết quả: {_status_phrase(counts[''])} ý kiến.")]))
    for part, counter in counts.items():
        if part:
            total = sum(counter.values())
            text = f"{part}: {pad_count(total)} ý kiến ({_status_phrase(counter)})."
            blocks.append(Block("bullet", [Run(text)], label="-"))
    return blocks


def _cell(*paragraphs: list[Run]) -> list[list[Run]]:
    return [p for p in paragraphs if p]


def _answer(comment: Comment) -> list[Run]:
    """The status in bold, then the response; a response that opens with the status says it alone."""
    label, response = STATUS_LABELS[comment.status], comment.response.strip()
    if not response:
        return [Run(f"{label}.", bold=True)]
    if response.casefold().startswith(label.casefold()):
        return [Run(response[: len(label)], bold=True), Run(response[len(label) :])]
    return [Run(f"{label}:", bold=True), Run(f" {response}")]


def _row(number: int, entry: Entry) -> TableRow:
    c = entry.comment
    content = _cell(
        [Run(f"“{c.quote}”", italic=True)] if c.quote else [],
        [Run(c.text)],
        [Run("Đề nghị sửa:", bold=True), Run(f" “{c.proposal}”")] if c.proposal else [],
    )
    answer = _cell(_answer(c))
    source = _cell([Run(c.source_name)], [Run(format_vi_date(c.date), italic=True)] if c.date else [])
    return TableRow([[[Run(str(number))]], [[Run(entry.where)]], content, source, answer])


def comments_table(listed: list[Entry]) -> Table:
    """STT | Vị trí | Nội dung góp ý | Cơ quan, đơn vị | Tiếp thu, giải trình; a group row per part."""
    rows: list[TableRow] = []
    part = None
    for number, entry in enumerate(listed, start=1):
        if entry.part != part:
            part = entry.part
            rows.append(TableRow([[[Run(part)]]], group=True))
        rows.append(_row(number, entry))
    return Table([[[Run(h)]] for h in HEADER], rows, list(WIDTHS), list(ALIGN))


def comments_document(review: Review, listed: list[Entry], fixed: Any) -> Document:
    """The report “BÁO CÁO TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý” as a laid-out, landscape document.

    `fixed` renders the header lines (templates/fixed.j2); the report's own number and date
    are left blank for the secretariat to fill in.
    """
    report = review.report
    meta = report.meta
    rounds = list(dict.fromkeys(e.comment.round or "" for e in listed)) or [meta.draft_label]
    front = {
        "number_line": fixed("number_line", {"number": "", "symbol": meta.symbol}),
        "date_line": f"{meta.place}, ngày …… tháng …… năm ……",
        "draft_label": "",
        "theme_count": "",
    }
    front_blocks = [
        Block("document_type", [Run("BÁO CÁO")]),
        Block("summary", [Run(f"TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý VÀO DỰ THẢO {meta.document_type.upper()}")]),
    ]
    blocks = summary_blocks(listed, rounds)
    blocks.append(
        Block("heading", [], label="II.", depth=1, title_runs=[Run("TỔNG HỢP Ý KIẾN VÀ VIỆC TIẾP THU, GIẢI TRÌNH")])
    )
    blocks.append(Block("table", [], table=comments_table(listed)))
    return Document(report, front, [], [], blocks, [], front_blocks, signature=False, landscape=True)


# --- the command ----------------------------------------------------------------------------

DOCUMENT_FORMATS = ("docx", "md")


def current_review(data_dir: Path, templates: Path) -> Review:
    """The comments of a data directory with the current draft laid out (no earlier drafts)."""
    from dhcompiler.comments import lay_out
    from dhcompiler.resolve import load_report

    report = load_report(data_dir)
    return Review(report, lay_out(report, templates))


def write_comments_document(
    data_dir: Path, out: Path, fmt: str, templates: Path, filters: Filters, force: bool = False
) -> list[Finding]:
    """Check the data (errors stop here), render the comments report, write it; return the warnings."""
    from dhcompiler.checks.run import check_for_build
    from dhcompiler.templates import Macros, make_template_env
    from dhcompiler.write import refuse_foreign, write_all

    review = current_review(data_dir, templates)
    warnings = check_for_build(review.report, data_dir)
    fixed = Macros(make_template_env(templates), "fixed.j2")
    document = comments_document(review, entries(review, filters), fixed)
    if fmt == "md":
        from dhcompiler.render_md import render_markdown

        data = render_markdown(document, templates).encode("utf-8")
    else:
        from dhcompiler.render_docx import render_docx

        data = render_docx(document, templates)
    refuse_foreign({out: data}, force)
    write_all({out: data})
    return warnings
