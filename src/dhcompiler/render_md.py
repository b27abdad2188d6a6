"""Render the laid-out document to Markdown through `templates/report.md.j2`."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import TemplateError

from dhcompiler.document import Document, Table
from dhcompiler.prose import Run
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


def md_runs(runs: list[Run]) -> str:
    """Runs as inline Markdown: **bold**, *italic*, [^n] footnote references."""
    out = []
    for run in runs:
        if run.footnote is not None:
            out.append(f"[^{run.footnote}]")
            continue
        text = _ESCAPE.sub(r"\\\1", run.text)
        if run.bold and text.strip():
            text = f"**{text}**"
        if run.italic and text.strip():
            text = f"*{text}*"
        if run.strike and text.strip():
            text = f"~~{text}~~"
        out.append(text)
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
