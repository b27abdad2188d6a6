"""Write src/dhcompiler/checks/words.txt, the compound-word list, from pyvi's lexicon.

Usage: python tools/make_words.py PYVI_WORDS_TXT [--out src/dhcompiler/checks/words.txt]

PYVI_WORDS_TXT is ``pyvi/models/words.txt`` of the pyvi 0.1.1 wheel on PyPI (MIT licence,
copyright 2016 Viet-Trung Tran), e.g. ``pip download --no-deps pyvi==0.1.1`` and unzip it.
The list keeps the words of two to four syllables, lower case, NFC, with the tone mark
placed in the new style (“hóa”, “ủy”), one a line, sorted; the header names its source.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dhcompiler.checks.lexicon import HEADER, canonical


def compounds(lines: list[str]) -> list[str]:
    """The canonical form of each entry of two to four syllables, without duplicates."""
    found = {canonical(line.split()) for line in lines if 2 <= len(line.split()) <= 4}
    return sorted(w for w in found if all(c.isalpha() or c == " " for c in w))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path)
    parser.add_argument("--out", type=Path, default=Path("src/dhcompiler/checks/words.txt"))
    args = parser.parse_args()
    words = compounds(args.source.read_text(encoding="utf-8").splitlines())
    args.out.write_text(HEADER + "".join(f"{w}\n" for w in words), encoding="utf-8")
    print(f"{len(words)} words → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
