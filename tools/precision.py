"""Precision of `dhc check`, rule by rule, on drafts whose every finding is labelled by hand.

Usage: python tools/precision.py [--labels tests/checks/precision/labels.yaml] [--unlabelled]

The drafts: the seed (`data/`), the precision drafts (`tests/checks/precision/*/`, other
committees' styles written to exercise each rule with true and false cases) and the corpus
(`tests/corpus/*/draft.txt` and `draft.docx`, imported with `dhc import` into a scratch
directory). Each finding is keyed by (source, file, line, code) and looked up in the labels
file, where a person has written whether it is true and why. Prints, per rule, the true and
false findings and the precision; `--unlabelled` prints the findings that have no label yet
as label lines to review (never to commit unread). Exits 1 when a finding has no label or a
label no longer matches a finding.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

from dhcompiler.checks.run import check_data_dir
from dhcompiler.importers import import_file
from dhcompiler.importers.files import write_import

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "checks" / "precision" / "labels.yaml"
Key = tuple[str, str, int, str]


def sources(scratch: Path) -> dict[str, Path]:
    """Each labelled source and its data directory (corpus drafts imported under `scratch`)."""
    found = {"data": ROOT / "data"}
    for draft in sorted((ROOT / "tests" / "checks" / "precision").glob("*/document.yaml")):
        found[f"precision/{draft.parent.name}"] = draft.parent
    for draft in sorted((ROOT / "tests" / "corpus").glob("*/expected.yaml")):
        for suffix in ("txt", "docx"):
            out = scratch / f"{draft.parent.name}-{suffix}"
            write_import(import_file(draft.parent / f"draft.{suffix}"), out)
            found[f"corpus/{draft.parent.name}.{suffix}"] = out
    return found


def findings(scratch: Path) -> Counter[Key]:
    """(source, file in the data directory, line, code) of every finding, with its count."""
    found: Counter[Key] = Counter()
    for name, data in sources(scratch).items():
        for finding in check_data_dir(data).findings:
            file = Path(finding.path).resolve().relative_to(data.resolve()).as_posix()
            found[(name, file, finding.line, finding.code)] += 1
    return found


def load_labels(path: Path = LABELS) -> dict[Key, tuple[bool, str]]:
    """The labels file: per source, a list of [file, line, code, true|false, why]."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        (source, file, line, code): (bool(correct), why)
        for source, entries in loaded.items()
        for file, line, code, correct, why in entries
    }


def per_rule(found: Counter[Key], labels: dict[Key, tuple[bool, str]]) -> dict[str, tuple[int, int]]:
    """Per rule code: (true findings, false findings), each finding counted."""
    counts: dict[str, list[int]] = {}
    for key, count in found.items():
        if key in labels:
            counts.setdefault(key[3], [0, 0])[0 if labels[key][0] else 1] += count
    return {code: (t, f) for code, (t, f) in sorted(counts.items())}


def table(rules: dict[str, tuple[int, int]]) -> str:
    lines = [f"{'rule':<7}{'true':>6}{'false':>7}{'precision':>11}"]
    for code, (true, false) in rules.items():
        lines.append(f"{code:<7}{true:>6}{false:>7}{true / (true + false):>10.0%}")
    true, false = sum(t for t, _f in rules.values()), sum(f for _t, f in rules.values())
    lines.append(f"{'all':<7}{true:>6}{false:>7}{true / max(1, true + false):>10.1%}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--unlabelled", action="store_true", help="print unlabelled findings as label lines")
    args = parser.parse_args()
    labels = load_labels(args.labels)
    with tempfile.TemporaryDirectory(prefix="dhc-precision-") as tmp:
        found = findings(Path(tmp))
    missing = sorted(key for key in found if key not in labels)
    stale = sorted(key for key in labels if key not in found)
    print(table(per_rule(found, labels)))
    for source, file, line, code in missing:
        print(f"unlabelled: {source}: [{file}, {line}, {code}, ?, ?]", file=sys.stderr)
    for key in stale:
        print(f"label without a finding: {key}", file=sys.stderr)
    if args.unlabelled:
        for source, file, line, code in missing:
            print(f"  {source}: [{file}, {line}, {code}, true, '']")
    return 1 if missing or stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
