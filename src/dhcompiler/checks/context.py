"""What rules see: the report, every piece of prose with its location, and helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from dhcompiler.checks.patterns import lazy
from dhcompiler.load import DataPath, Loc
from dhcompiler.model import Measure, Node, Report
from dhcompiler.resolve import prose_fields

if TYPE_CHECKING:
    from dhcompiler.comments import Review

# Jinja expressions and footnote marks are masked with this character, keeping offsets,
# so that rules read only what the drafter typed and report exact columns.
MASK = "\ue000"
_MARKUP = lazy(r"\{\{(?:(?!\{\{|\}\}).)*\}\}|\{%(?:(?!\{%|%\}).)*%\}|\[\^[^\][]*\]", re.S)


def mask(text: str) -> str:
    if "{" not in text and "[" not in text:  # most paragraphs: nothing to mask
        return text
    return _MARKUP.sub(lambda m: MASK * len(m.group(0)), text)


@dataclass(frozen=True)
class Prose:
    """One piece of prose: who owns it, its data path, its raw text and the masked text."""

    owner: Node
    path: DataPath
    text: str

    @cached_property
    def masked(self) -> str:
        return mask(self.text)

    @cached_property
    def loc(self) -> Loc:
        return self.owner.loc(*self.path)

    def at(self, offset: int) -> Loc:
        """The file position of the character at `offset` in this text."""
        return self.loc.at(offset)


@dataclass
class CheckContext:
    """Everything a rule may read. Rules must not modify it."""

    report: Report
    options: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def prose(self) -> list[Prose]:
        return [Prose(owner, path, text) for owner, path, text in prose_fields(self.report)]

    @cached_property
    def measures(self) -> dict[str, Measure]:
        return self.report.measures()

    @cached_property
    def comments(self) -> Review:
        """The reviewers' comments with the current draft and the drafts they were made on."""
        from dhcompiler.comments import review_comments
        from dhcompiler.templates import template_dir

        return review_comments(self.report, template_dir(None))
