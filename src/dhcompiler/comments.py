"""Reviewers' comments (comments/*.yaml): load them, anchor each to its place in a laid-out draft."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dhcompiler.document import Block, Document
from dhcompiler.findings import DhcError, Finding
from dhcompiler.load import SourceFile, load_file
from dhcompiler.model import Comment, CommentFile, Report
from dhcompiler.prose import plain_text
from dhcompiler.resolve import validate

COMMENTS_DIR = "comments"
DOCUMENT = "document"
INHERITED = (("round", "round"), ("from_", "from"), ("date", "date"))


# --- loading --------------------------------------------------------------------------------


def load_comments(data_dir: Path) -> tuple[list[Comment], list[SourceFile]]:
    """Every comment of `data_dir/comments/*.yaml` in file order; no folder means no comments."""
    folder = data_dir / COMMENTS_DIR
    if not folder.is_dir():
        return [], []
    comments: list[Comment] = []
    sources: list[SourceFile] = []
    findings: list[Finding] = []
    for file in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")):
        try:
            source = load_file(file, data_dir)
            loaded = validate(source, CommentFile)
        except DhcError as exc:
            findings.extend(exc.findings)
            continue
        sources.append(source)
        findings.extend(_inherit(loaded))
        comments.extend(loaded.comments)
    findings.extend(_duplicate_keys(comments))
    if findings:
        raise DhcError(sorted(set(findings)))
    return comments, sources


def _inherit(loaded: CommentFile) -> list[Finding]:
    """A comment takes the file's round, body and date unless it gives its own; round and body are required."""
    missing = []
    for comment in loaded.comments:
        for attr, _name in INHERITED:
            if getattr(comment, attr) is None:
                setattr(comment, attr, getattr(loaded, attr))
        for attr, name in INHERITED[:2]:
            if getattr(comment, attr) is None:
                loc = comment.loc()
                message = f"Ý kiến “{comment.key}” thiếu khóa bắt buộc “{name}” (ghi ở ý kiến hoặc ở đầu tệp)."
                missing.append(Finding(loc.path, loc.line, loc.column, "DH010", message))
    return missing


def _duplicate_keys(comments: list[Comment]) -> list[Finding]:
    seen: dict[str, Comment] = {}
    found = []
    for comment in comments:
        first = seen.setdefault(comment.key, comment)
        if first is not comment:
            loc, at = comment.loc("key"), first.loc("key")
            message = f"Khóa ý kiến “{comment.key}” đã được dùng ở {at.path}:{at.line}."
            found.append(Finding(loc.path, loc.line, loc.column, "DH020", message))
    return found


# --- anchoring ------------------------------------------------------------------------------


@dataclass
class Place:
    """A place a comment can be about, as it stands in one laid-out draft."""

    key: str
    label: str  # the number as printed: "Phần thứ nhất", "I.", "1.2.", "(3)", "(12)"
    title: str
    kind: str  # part, heading, note, footnote, indicator, document
    part: str = ""  # the part it belongs to, as a heading: "Phần thứ nhất"
    order: int = 0  # reading order
    texts: list[str] = field(default_factory=list)
    parent: str | None = None  # for an indicator, the section that lists it
    position: tuple[str, int] = ("", 0)  # a section's parent key and place among its siblings
    context: list[str] = field(default_factory=list)  # the enclosing part and Roman section: "mục II"

    @property
    def name(self) -> str:
        """How the place is named wherever a comment is shown: its current number and title."""
        if self.kind == "document":
            return "Ý kiến chung về dự thảo"
        if self.kind == "footnote":
            return f"Chú thích {self.label} tại {self.title}" if self.title else f"Chú thích {self.label}"
        if self.kind == "part":
            return f"{self.label}: {self.title}"
        within = f" ({', '.join(self.context)})" if self.context else ""
        if self.kind == "indicator":
            return f"Chỉ tiêu {self.label.rstrip('.')}{within}"
        return " ".join(filter(None, (self.label, self.title))) + within

    @property
    def short(self) -> str:
        """How an enclosing section is named in another's context: “Phần thứ nhất”, “mục II”."""
        if self.kind == "part":
            return self.label
        if ROMAN.match(self.label):
            return f"mục {self.label.rstrip('.')}"
        return self.title if self.kind == "note" else ""

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def draft_places(report: Report, document: Document) -> dict[str, Place]:
    """Every place of a laid-out draft that a comment may name in `on`, by key, with its text.

    A section's text holds its title and everything below it, subsections included; a
    measure's key names the numbered indicator that holds it; `document` is the whole draft.
    """
    parents = _parents(report)
    found: dict[str, Place] = {DOCUMENT: Place(DOCUMENT, "", "", "document")}
    for section, _depth in report.walk():
        kind = "part" if section.kind == "part" else "note" if section.kind == "note" else "heading"
        title = section.title or ("Đoạn kết" if section.kind == "closing" else "")
        found[section.key] = Place(section.key, "", title, kind)
    for siblings, parent in [(report.body, ""), *((s.sections, s.key) for s, _ in report.walk())]:
        for index, child in enumerate(siblings):
            found[child.key].position = (parent, index)
    indicator: Place | None = None
    cited: dict[int, tuple[str, int]] = {}  # footnote number → the citing section and block
    for order, block in enumerate(document.blocks, start=1):
        owner = block.key if block.kind in HEADINGS else block.section
        for run in (*block.runs, *block.title_runs):
            if run.footnote is not None and owner:
                cited[run.footnote] = (owner, order)
        text = plain_text(block.title_runs) if block.kind in HEADINGS else _block_text(block)
        if block.kind in HEADINGS and owner in found:
            place = found[owner]
            place.label, place.title, place.order = block.label, text or place.title, order
            place.texts.append(text)
            owner = parents.get(owner)
        if block.kind == "indicator" and block.key:
            indicator = Place(block.key, block.label, "", "indicator", order=order, texts=[text], parent=owner)
            found.setdefault(block.key, indicator)
        elif block.kind == "bullet" and indicator is not None:
            indicator.texts.append(text)
        else:
            indicator = None
        for key in _chain(owner, parents):
            found[key].order = found[key].order or order
            found[key].texts.append(text)
        found[DOCUMENT].texts.append(text)
    _name_parts(report, found)
    for section, _depth in report.walk():
        ancestors = _chain(parents.get(section.key), parents)
        found[section.key].context = [s for s in (found[a].short for a in ancestors) if s]
    _indicator_places(report, found)
    _footnote_places(document, found, cited)
    return found


HEADINGS = ("part", "heading", "note")


def _parents(report: Report) -> dict[str, str]:
    parents: dict[str, str] = {}
    for section, _depth in report.walk():
        for child in section.sections:
            parents[child.key] = section.key
    return parents


def _chain(key: str | None, parents: dict[str, str]) -> list[str]:
    chain = []
    while key is not None:
        chain.append(key)
        key = parents.get(key)
    return chain


def _name_parts(report: Report, found: dict[str, Place]) -> None:
    """Each place knows the top-level part it belongs to, to group comments by part."""
    top = ""
    for section, depth in report.walk():
        if depth == 0:
            top = found[section.key].name
        found[section.key].part = top


def _indicator_places(report: Report, found: dict[str, Place]) -> None:
    """A measure's key names the numbered indicator (group) that holds it."""
    for group in (*report.indicators.results, *report.indicators.targets):
        place = found.get(group.key)
        if place is None:
            continue
        if place.parent in found:
            owner = found[place.parent]
            place.part = owner.part
            place.context = [s for s in (found[a].short for a in _chain(place.parent, _parents(report))) if s]
        stack = list(group.measures)
        while stack:
            measure = stack.pop()
            found.setdefault(measure.key, place)
            stack.extend(measure.parts)


def _footnote_places(document: Document, found: dict[str, Place], cited: dict[int, tuple[str, int]]) -> None:
    """A footnote is shown at the section that cites it, and sorts with it."""
    for note in document.footnotes:
        text = "\n".join(plain_text(p) for p in note.paragraphs)
        place = Place(note.key, f"({note.number})", "", "footnote", texts=[text])
        owner, place.order = cited.get(note.number, ("", len(document.blocks) + note.number))
        if owner in found:
            place.part, place.title = found[owner].part, found[owner].name
        found[note.key] = place
        found[DOCUMENT].texts.append(text)


def _block_text(block: Block) -> str:
    """A block's words as readers see them, without its number (which moves when the draft does)."""
    if block.table is None:
        return plain_text(block.runs)
    rows = [block.table.header, *(row.cells for row in block.table.rows)]
    return "\n".join(plain_text(p) for row in rows for cell in row for p in cell)


# --- finding a quote ------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
ROMAN = re.compile(r"^[IVXLC]+\.$")


def squeeze(text: str) -> str:
    """NFC, typographic quotes kept, every run of white space removed: how quotes are compared."""
    return _SPACE.sub("", unicodedata.normalize("NFC", text))


def find_quote(text: str, quote: str, prefix: str | None = None, suffix: str | None = None) -> int:
    """How many times `quote` (narrowed by `prefix`/`suffix`) occurs in `text`, whitespace-insensitively."""
    haystack, needle = squeeze(text), squeeze(quote)
    if not needle:
        return 0
    before, after = squeeze(prefix or ""), squeeze(suffix or "")
    count, start = 0, haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        if haystack[:start].endswith(before) and haystack[end:].startswith(after):
            count += 1
        start = haystack.find(needle, start + 1)
    return count


def passage(text: str, quote: str, prefix: str | None = None, suffix: str | None = None) -> str | None:
    """The squeezed quote with its prefix and suffix when it occurs once in `text`, else None."""
    return squeeze(f"{prefix or ''}{quote}{suffix or ''}") if find_quote(text, quote, prefix, suffix) == 1 else None


# --- the drafts comments were made on -------------------------------------------------------


@dataclass
class Draft:
    """One laid-out draft: its report, document and places by key."""

    report: Report
    document: Document
    places: dict[str, Place]


def lay_out(report: Report, templates: Path) -> Draft:
    """Lay a loaded report out and index its places."""
    from dhcompiler.document import build_document

    document = build_document(report, templates)
    return Draft(report, document, draft_places(report, document))


def load_round(data_dir: Path, spec: str, templates: Path) -> Draft:
    """The draft a `rounds:` entry names: a data directory (relative to `data_dir`) or a git revision."""
    from dhcompiler.resolve import load_report

    directory = (data_dir / spec).resolve()
    if (directory / "document.yaml").is_file():
        return lay_out(load_report(directory), templates)
    with tempfile.TemporaryDirectory(prefix="dhc-round-") as tmp:
        return lay_out(load_report(_checkout(data_dir, spec, Path(tmp))), templates)


def _checkout(data_dir: Path, revision: str, into: Path) -> Path:
    """Extract the data directory as it was at `revision` (git archive), never touching the work tree."""
    from dhcompiler.gitdata import extract_revision, git

    top = git("-C", str(data_dir), "rev-parse", "--show-toplevel")
    prefix = git("-C", str(data_dir), "rev-parse", "--show-prefix")
    found = None
    if top.returncode == 0 and prefix.returncode == 0:
        inside = prefix.stdout.decode().strip().rstrip("/")
        found = extract_revision(top.stdout.decode().strip(), revision, inside, into)
    if found is None:
        raise DhcError([Finding(str(data_dir), 1, 1, "DH808", f"Không đọc được phiên bản git “{revision}”.")])
    return found


# --- one review of every comment against the drafts -----------------------------------------


@dataclass
class Review:
    """The comments of a report with the current draft and the drafts they were made on."""

    report: Report
    current: Draft | None
    rounds: dict[str, Draft] = field(default_factory=dict)
    unresolved: dict[str, str] = field(default_factory=dict)  # round label → why it has no draft
    changes: dict[str, Any] = field(default_factory=dict)  # round label → `dhc diff` change set

    def place(self, comment: Comment) -> Place | None:
        """Where the comment is now: its section's current number and title."""
        return self.current.places.get(comment.on) if self.current else None

    def round_draft(self, comment: Comment) -> Draft | None:
        return self.rounds.get(comment.round or "")


def review_comments(report: Report, templates: Path) -> Review:
    """Lay out the current draft and every draft the comments were made on (each loaded once)."""
    if not report.comments:
        return Review(report, None)
    try:
        current: Draft | None = lay_out(report, templates)
    except DhcError:  # the prose rules report why; quotes cannot be looked for
        current = None
    review = Review(report, current)
    for label in dict.fromkeys(c.round or "" for c in report.comments):
        _resolve_round(review, label, templates)
    return review


def _resolve_round(review: Review, label: str, templates: Path) -> None:
    meta = review.report.meta
    spec = meta.rounds.get(label)
    if spec is None:
        if label == meta.draft_label and review.current is not None:
            review.rounds[label] = review.current
        else:
            review.unresolved[label] = "chưa có trong “rounds:” của document.yaml"
        return
    try:
        review.rounds[label] = load_round(meta.source.file.parent, spec, templates)
    except DhcError as exc:
        first = exc.findings[0]
        review.unresolved[label] = f"không nạp được “{spec}”: {first.message} ({first.code})"


def comment_keys(report: Report) -> set[str]:
    """Every key a comment may name in `on`, without laying the draft out."""
    keys = {DOCUMENT, *report.footnotes, *report.measures()}
    keys.update(section.key for section, _ in report.walk())
    keys.update(g.key for g in (*report.indicators.results, *report.indicators.targets))
    return keys


# --- what changed between the round's draft and the current one (the change set of `dhc diff`) --


def change_set(review: Review, label: str) -> Any:
    """The `dhc diff` change set from the draft of round `label` to the current draft (computed once)."""
    from dhcompiler.diff.compare import compare
    from dhcompiler.diff.sides import Side

    if label not in review.changes:
        old, new = review.rounds[label], review.current
        assert new is not None
        review.changes[label] = compare(
            Side(label, label, old.report, old.document), Side("", "", new.report, new.document)
        )
    return review.changes[label]


def _subtree(report: Report, key: str) -> set[str]:
    parents = _parents(report)
    return {s.key for s, _ in report.walk() if key in _chain(s.key, parents)}


def passage_changed(review: Review, comment: Comment) -> bool:
    """True when what the comment is about differs between its round's draft and the current one:
    the paragraph holding the quote (or, without a quote, the section and its subsections, the
    footnote or the indicator), as `dhc diff` sees it (a renumbering is no change, a move is)."""
    draft = review.round_draft(comment)
    if draft is None or draft is review.current or review.current is None:
        return False
    # The passage's own text settles most cases without the change set (a case-only edit such as
    # “Thắng lợi” → “Thắng Lợi” included, which `dhc diff` also reports).
    if _passage(draft, comment) != _passage(review.current, comment):
        return True
    changes = change_set(review, comment.round or "")
    old_keys = _subtree(draft.report, comment.on) | {comment.on}
    items = [c for c in (*changes.sections, *changes.footnotes) if c.old is not None and c.old.key in old_keys]
    if comment.quote:
        paragraphs = [p for item in items for p in item.paragraphs]
        holding = [p for p in paragraphs if find_quote(p.old_text, comment.quote, comment.prefix, comment.suffix)]
        return any(p.status != "equal" for p in holding)
    indicators = [c for c in changes.indicators if c.old is not None and comment.on in (c.old.key, c.list_name)]
    return any(c.status != "unchanged" for c in items) or bool(indicators)


def _passage(draft: Draft, comment: Comment) -> str | None:
    """The squeezed paragraph holding the quote, or the whole place's text."""
    place = draft.places.get(comment.on)
    if place is None:
        return None
    if comment.quote:
        for text in place.texts:
            if find_quote(text, comment.quote, comment.prefix, comment.suffix):
                return squeeze(text)
    return squeeze(place.text)
