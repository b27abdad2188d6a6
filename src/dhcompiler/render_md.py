"""Render the laid-out document to Markdown through `templates/report.md.j2`."""

from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path

from jinja2 import TemplateError

from dhcompiler.document import Document, Table
from dhcompiler.prose import Change, Run
from dhcompiler.templates import make_template_env, template_error

TEMPLATE = "report.md.j2"
_ESCAPE = re.compile(r"([\\*_`\[\]<>])")
_LINE_START = re.compile(r"^(\d+)\.(?=\s|$)|^([-+#>])(?=\s)")


def escape_md(text: str) -> str:
    """Escape what Markdown would read as inline markup."""
    return _ESCAPE.sub(r"\\\1", text)


def escape_line_start(text: str) -> str:
    """Also escape a line start that Markdown would read as a list item: “1.”, “-”, “+”."""
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else f"\\{m.group(2)}", escape_md(text))


# Tracked revisions as CriticMarkup (criticmarkup.com): {++inserted++}, {--deleted--}; a move
# shows at its old place as a deletion and at its new place as an insertion, both tagged with
# the move's name so a reader can pair them: {--moved away--}{>>move1<<}.
CRITIC = {"ins": ("{++", "++}"), "del": ("{--", "--}"), "move_from": ("{--", "--}"), "move_to": ("{++", "++}")}


def critic(text: str, change: Change | None) -> str:
    """`text` inside the CriticMarkup of `change` (unchanged when None or empty)."""
    if change is None or not text:
        return text
    opening, closing = CRITIC[change.kind]
    note = f"{{>>{change.move}<<}}" if change.move else ""
    return f"{opening}{text}{closing}{note}"


def _md_run(run: Run) -> str:
    if run.footnote is not None:
        return f"[^{run.footnote}]"
    text = _ESCAPE.sub(r"\\\1", run.text)
    core = text.strip()
    if not core or not (run.bold or run.italic or run.strike):
        return text
    # emphasis markers hug the words: “**a b** ”, never “**a b **”, which Markdown would not read
    lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    if run.bold:
        core = f"**{core}**"
    if run.italic:
        core = f"*{core}*"
    if run.strike:
        core = f"~~{core}~~"
    return lead + core + tail


def md_runs(runs: list[Run]) -> str:
    """Runs as inline Markdown: **bold**, *italic*, ~~struck~~, [^n] footnote references, and
    tracked revisions in CriticMarkup."""
    out = [critic("".join(_md_run(r) for r in group), change) for change, group in groupby(runs, lambda r: r.change)]
    joined = "".join(out)
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else f"\\{m.group(2)}", joined)


_ALIGN_RULE = {"left": ":---", "center": ":---:", "right": "---:"}


def md_cell(paragraphs: list[list[Run]]) -> str:
    """One table cell: its paragraphs joined by <br>, pipes escaped, on one line."""
    text = "<br>".join(md_runs(p) for p in paragraphs)
    return text.replace("|", "\\|").replace("\n", " ")


def md_table(table: Table) -> str:
    """A pipe table; a group row is one bold cell followed by empty ones."""
    columns = len(table.header)
    lines = ["| " + " | ".join(md_cell(c) for c in table.header) + " |"]
    lines.append("|" + "|".join(_ALIGN_RULE.get(a, ":---") for a in table.align) + "|")
    for row in table.rows:
        if row.group:
            cells = [f"**{md_cell(row.cells[0])}**", *[""] * (columns - 1)]
        else:
            cells = [md_cell(c) for c in row.cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def md_label(label: str) -> str:
    return escape_line_start(label)


def render_markdown(doc: Document, templates: Path) -> str:
    """The whole report as Markdown text."""
    env = make_template_env(templates, {"md": md_runs, "md_label": md_label, "esc": escape_md, "md_table": md_table})
    try:
        text = env.get_template(TEMPLATE).render(
            doc=doc, meta=doc.meta, front=doc.front, blocks=doc.blocks, footnotes=doc.footnotes
        )
    except TemplateError as exc:
        raise template_error(templates, TEMPLATE, exc) from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
