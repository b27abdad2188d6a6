"""The change set of `dhc diff`: one plain, frozen value that every output is a view of.

Nothing here does I/O or diffs anything: `diff.compare.compare(old, new)` fills these
records from two laid-out drafts, and the terminal, `--stat`, JSON, Markdown, redline .docx
and comparison-table views only read them (STYLE.md point 10). The JSON schema of
`--format json` mirrors these classes field for field; see docs/diff.md.

Texts and offsets. A paragraph's text is what a reader sees: the `document.Block`'s runs
joined (`diff.text.block_text`), the title runs for a heading, with every footnote
reference written as its number in parentheses, “(12)”, on that side. Word operations
carry character offsets into those texts; a footnote reference is one token, compared by
the footnote it points to, never by its number, so a note renumbered from (12) to (13) is
no change. When several paragraphs are aligned as one (a paragraph split in two, or two
merged), their texts are joined with “\\n” and the paragraph break is a token of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

# Change kinds (`Change.kind`).
SECTION = "section"
FOOTNOTE = "footnote"
INDICATOR = "indicator"
GROUP = "indicator_group"
META = "meta"

# Statuses. A matched item may combine moved, renamed and edited, joined by “+” in that
# order (“moved+edited”). `unchanged` marks a section listed only because its paragraphs
# carry a difference reported elsewhere (an indicator's value, a footnote added or
# removed): the views skip it, the redline needs its word operations.
ADDED = "added"
REMOVED = "removed"
MOVED = "moved"
RENAMED = "renamed"
EDITED = "edited"
UNCHANGED = "unchanged"


def has(status: str, part: str) -> bool:
    """Whether a (combined) status holds `part`: has("moved+edited", MOVED) is True."""
    return part in status.split("+")


# Word operation tags, as rapidfuzz's opcodes name them.
EQUAL = "equal"
INSERT = "insert"
DELETE = "delete"
REPLACE = "replace"

PARAGRAPH_BREAK = "\n"
# A table is compared row by row, each row one paragraph: its cells joined by CELL_JOINER, the
# paragraphs of a cell by CELL_PARAGRAPH_JOINER.
CELL_JOINER = " | "
CELL_PARAGRAPH_JOINER = " "


@dataclass(frozen=True)
class WordOp:
    """One step of a word diff over a paragraph pair.

    `old` is `old_text[old_start:old_end]` and `new` is `new_text[new_start:new_end]` of the
    `ParagraphChange` holding it (empty for an insert or a delete). Consecutive operations
    tile both texts from start to end, so replaying them rebuilds either side exactly.
    """

    op: str
    old: str
    new: str
    old_start: int
    old_end: int
    new_start: int
    new_end: int


@dataclass(frozen=True)
class ParagraphChange:
    """One aligned paragraph (or run of paragraphs) of a section, a footnote or a metadata field.

    `status`: equal, added, removed, edited, split (one old paragraph became several new
    ones), merged (several became one). `role` is the `document.Block.kind` of the new side
    (of the old side when removed), or `title` for a heading's title. `old_blocks` and
    `new_blocks` are indices into `Document.blocks` of each side for section paragraphs, or
    paragraph indices inside the note for footnotes (empty on the side that lacks it).
    `reported_at` names the change this difference is reported at instead of here
    (“indicator:xuat_khau”, “footnote:<key>”), or is empty. `moved_from` is the OLD section a
    paragraph moved from when it moved to another section (status `moved` or `moved+edited`,
    reported only in the section it went to; its `old_blocks` then lie in that OLD section),
    else None (and left out of the JSON).
    """

    status: str
    role: str
    old_blocks: tuple[int, ...]
    new_blocks: tuple[int, ...]
    old_label: str
    new_label: str
    old_text: str
    new_text: str
    ops: tuple[WordOp, ...]
    reported_at: str = ""
    moved_from: Place | None = None


@dataclass(frozen=True)
class Place:
    """Where an item stands in one draft.

    `number` is the computed label (“2.3.”, “II.”, “Phần thứ nhất”; “(12)” for a footnote; the
    list's label for an indicator group), `path` the labels from the part down to it,
    `position` its rank in reading order among items of its kind (0-based), `block` the index
    of its heading (or indicator line) in `Document.blocks`, or None.
    """

    key: str
    number: str
    title: str
    path: tuple[str, ...] = ()
    position: int = 0
    block: int | None = None


@dataclass(frozen=True)
class Citation:
    """A sentence that shows a changed value: the section it stands in and the sentence, as NEW reads it."""

    section: Place
    sentence: str
    block: int | None = None


@dataclass(frozen=True)
class SectionChange:
    """A section (part, Roman section, subsection, note) added, removed, moved, renamed or edited.

    `paragraphs` holds the whole alignment of the section's own blocks (its title first,
    then its content up to its first subsection), unchanged paragraphs included.
    `matched_by` is “key”, “similarity” (with `similarity` in 0..1) or “” for added/removed.
    """

    status: str
    old: Place | None
    new: Place | None
    paragraphs: tuple[ParagraphChange, ...]
    matched_by: str = "key"
    similarity: float = 1.0
    words_added: int = 0
    words_removed: int = 0
    kind: str = SECTION


@dataclass(frozen=True)
class FootnoteChange:
    """A footnote added, removed or edited; a note only renumbered is not listed.

    `old`/`new` carry the key and the number (“(12)”); `cited_in` is the section that cites
    it (on NEW, or on OLD when removed); `paragraphs` are the note's paragraphs aligned.
    """

    status: str
    old: Place | None
    new: Place | None
    paragraphs: tuple[ParagraphChange, ...]
    cited_in: Place | None = None
    matched_by: str = "key"
    words_added: int = 0
    words_removed: int = 0
    kind: str = FOOTNOTE


@dataclass(frozen=True)
class IndicatorSide:
    """An indicator as one draft states it: texts formatted as the report prints them."""

    name: str
    unit: str
    target: str
    result: str
    achievement: str


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator (chỉ tiêu) added, removed or edited, old → new, with what it changes in the prose.

    `list_name` is “results” (the ending term) or “targets” (the new term); `old`/`new` place it
    in its numbered list (`number` the group's label, `title` its name). `difference` is
    the change of the result (or the target, in the targets list) in its own unit (“+0,5
    điểm %”, “+2 tấn/năm”), empty when not both numeric. `summary` reads as one line:
    “8,6%/năm → 9,1%/năm, +0,5 điểm %; nay: đạt”. `citations` are the sentences whose
    rendered text changed only because of this value, reported here once.
    """

    status: str
    list_name: str
    old: Place | None
    new: Place | None
    old_value: IndicatorSide | None
    new_value: IndicatorSide | None
    difference: str = ""
    summary: str = ""
    citations: tuple[Citation, ...] = ()
    kind: str = INDICATOR


@dataclass(frozen=True)
class GroupChange:
    """A numbered indicator group whose count of met (đạt or vượt) indicators changed."""

    list_name: str
    key: str
    number: str
    met_old: int
    met_new: int
    total_old: int
    total_new: int
    kind: str = GROUP


@dataclass(frozen=True)
class MetaChange:
    """A change of the document's metadata: theme, motto, a header field, the signature, the closing.

    `field` is a dotted name (“theme”, “motto”, “header.date_line”, “header.draft_label”,
    “signature.authority”, “congress”…); `label` its Vietnamese name for the views.
    `old_words`/`new_words` count syllables (the theme's “(58 chữ)”), else 0.
    """

    field: str
    label: str
    status: str
    paragraph: ParagraphChange
    old_words: int = 0
    new_words: int = 0
    kind: str = META


@dataclass(frozen=True)
class SideInfo:
    """What a side of the comparison is: how it was named, and its draft label and date."""

    spec: str
    description: str
    draft_label: str = ""
    date: str = ""


@dataclass(frozen=True)
class ChangeSet:
    """Everything that differs between two drafts, each item in NEW's reading order.

    Removed items stand where they stood on OLD, after the item that preceded them.
    """

    old: SideInfo
    new: SideInfo
    meta: tuple[MetaChange, ...] = ()
    sections: tuple[SectionChange, ...] = ()
    footnotes: tuple[FootnoteChange, ...] = ()
    indicators: tuple[IndicatorChange, ...] = ()
    groups: tuple[GroupChange, ...] = ()

    @property
    def identical(self) -> bool:
        """True when a reader would see no difference at all."""
        visible = [s for s in self.sections if s.status != UNCHANGED]
        return not (self.meta or visible or self.footnotes or self.indicators or self.groups)
