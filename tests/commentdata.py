"""The comments sample: a fourth draft made from data/ and the comments on draft 3 (data/).

Run as a script to make it for the README's worked example:
    .venv/bin/python tests/commentdata.py /tmp/du-thao-4
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "comments"
COMMENTS = FIXTURES / "du-thao-lan-3.yaml"
ROUND = "Dự thảo biên tập lần 3"


def apply_edit(data: Path, edit: dict[str, str]) -> None:
    """One edit of du-thao-4.yaml: a replacement that must match once, or a move of lines."""
    file = data / edit["file"]
    text = file.read_text(encoding="utf-8")
    if "replace" in edit:
        assert text.count(edit["replace"]) == 1, f"{edit['file']}: “{edit['replace']}” must occur once"
        text = text.replace(edit["replace"], edit["with"])
    else:
        lines = text.splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith(edit["move"]))
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(edit["until"]))
        moved, rest = lines[start:end], lines[:start] + lines[end:]
        at = next(i for i, line in enumerate(rest) if line.startswith(edit["before"]))
        text = "".join(rest[:at] + moved + rest[at:])
    file.write_text(text, encoding="utf-8")


def make_draft4(target: Path, round_spec: str = str(DATA)) -> Path:
    """A copy of data/ with the edits of du-thao-4.yaml, the comments, and `rounds:` naming draft 3
    (`round_spec`: its data directory, or a git revision)."""
    shutil.copytree(DATA, target)
    for edit in yaml.safe_load((FIXTURES / "du-thao-4.yaml").read_text(encoding="utf-8")):
        apply_edit(target, edit)
    (target / "comments").mkdir()
    shutil.copy(COMMENTS, target / "comments" / COMMENTS.name)
    with (target / "document.yaml").open("a", encoding="utf-8") as out:
        out.write(f'rounds:\n  "{ROUND}": "{round_spec}"\n')
    return target


if __name__ == "__main__":
    print(make_draft4(Path(sys.argv[1])))
