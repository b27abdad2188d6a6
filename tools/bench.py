"""Time `dhc check` (and `dhc build`) on the default data and on a document N times its size.

Usage: python tools/bench.py [--data data] [--times 20] [--no-build]

The large document repeats every section file of the body N times, with fresh section,
footnote and figure keys, so that it loads and checks like a real report N times longer.
Each stage should grow linearly: the ratio column should stay near N.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from dhcompiler.build import build_report
from dhcompiler.checks import RULES, CheckContext
from dhcompiler.checks.run import check_data_dir
from dhcompiler.checks.text import texts
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES

FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
FIGURE = re.compile(r"\bfig\.([A-Za-z_][A-Za-z0-9_]*)")


# --- the N-times document ------------------------------------------------------------------------


def _rename(value: Any, copy: int, footnotes: set[str], figures: set[str]) -> Any:
    """A section's data with fresh keys for copy number `copy`."""
    if isinstance(value, str):
        value = FOOTNOTE.sub(lambda m: f"[^{m.group(1)}-k{copy}]" if m.group(1) in footnotes else m.group(0), value)
        value = FIGURE.sub(lambda m: f"fig.{m.group(1)}_k{copy}" if m.group(1) in figures else m.group(0), value)
        return re.sub(r"^([\w-]+)\.yaml$", rf"\1-k{copy}.yaml", value)
    if isinstance(value, list):
        return [_rename(item, copy, footnotes, figures) for item in value]
    if not isinstance(value, dict):
        return value
    renamed: dict[str, Any] = {}
    for key, item in value.items():
        if key == "footnotes" and isinstance(item, dict):
            renamed[key] = {f"{k}-k{copy}": _rename(v, copy, footnotes, figures) for k, v in item.items()}
        elif key == "figures" and isinstance(item, dict):
            renamed[key] = {f"{k}_k{copy}": v for k, v in item.items()}
        elif key == "key" and isinstance(item, str) and "sections" not in str(value.get("include", "")):
            renamed[key] = f"{item}-k{copy}"
        else:
            renamed[key] = _rename(item, copy, footnotes, figures)
    return renamed


def make_large(data: Path, target: Path, times: int) -> Path:
    """Copy `data` into `target`, with every section file of the body repeated `times` times."""
    shutil.copytree(data, target)
    report = load_report(data)
    footnotes = {key for key in report.footnotes if key not in report.indicators.footnotes}
    figures = {key for section, _depth in report.walk() for key in section.figures}
    sections = sorted((data / "sections").glob("*.yaml"))
    for copy in range(2, times + 1):
        for path in sections:
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
            renamed = _rename(loaded, copy, footnotes, figures)
            text = yaml.safe_dump(renamed, allow_unicode=True, sort_keys=False, width=100)
            (target / "sections" / f"{path.stem}-k{copy}.yaml").write_text(text, encoding="utf-8")
    body = list(report.meta.body)
    document = yaml.load((data / "document.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    document["body"] = body + [
        re.sub(r"\.yaml$", f"-k{copy}.yaml", name) for copy in range(2, times + 1) for name in body
    ]
    (target / "document.yaml").write_text(
        yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target


# --- timing ------------------------------------------------------------------------------------


def best(func: Callable[[], object], runs: int) -> float:
    """The best of `runs` wall-clock timings of `func`, in seconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        timings.append(time.perf_counter() - started)
    return min(timings)


def rule_timings(data: Path) -> dict[str, float]:
    """Each rule run alone over one loaded report (the report and its prose prepared once)."""
    ctx = CheckContext(load_report(data), {})
    _ = ctx.prose, ctx.measures, texts(ctx)
    return {code: best(lambda r=registered: list(r.func(ctx)), 1) for code, registered in RULES.items()}


def row(name: str, small: float, large: float, times: int) -> str:
    ratio = large / small if small else 0.0
    flag = "  <- grows faster than the document" if ratio > times * 1.6 else ""
    return f"{name:<36}{small * 1000:>8.0f} ms{large * 1000:>10.0f} ms{ratio:>8.1f}×{flag}"


def scatter_edits(data: Path, count: int = 12) -> Path:
    """Edit `count` section files of `data` in place: one word inserted in the first prose line with “ và ”."""
    files = sorted((data / "sections").glob("*.yaml"))
    step = max(len(files) // count, 1)
    for path in files[::step][:count]:
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if line.startswith("    ") and " và " in line and ":" not in line:
                lines[i] = line.replace(" và ", " và cả ", 1)
                break
        path.write_text("\n".join(lines), encoding="utf-8")
    return data


def diff_timings(data: Path, large: Path, times: int, tmp: Path) -> None:
    """`dhc diff` of the report against a copy with a dozen scattered edits, at 1× and N×; and long paragraphs."""
    from dhcompiler.diff.run import diff_drafts
    from dhcompiler.diff.text import text_tokens, word_ops

    small_edited = scatter_edits(_copy(data, tmp / "small-edited"))
    large_edited = scatter_edits(_copy(large, tmp / "large-edited"))
    small = best(lambda: diff_drafts(str(data), str(small_edited), data, DEFAULT_TEMPLATES), 3)
    big = best(lambda: diff_drafts(str(large), str(large_edited), large, DEFAULT_TEMPLATES), 1)
    print(row("dhc diff (12 scattered edits)", small, big, times))
    reversed_body = _copy(large_edited, tmp / "large-reversed")
    document = reversed_body / "document.yaml"
    loaded = yaml.load(document.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    loaded["body"] = list(reversed(loaded["body"]))
    document.write_text(yaml.safe_dump(loaded, allow_unicode=True, sort_keys=False), encoding="utf-8")
    big = best(lambda: diff_drafts(str(large), str(reversed_body), large, DEFAULT_TEMPLATES), 1)
    print(row("dhc diff (… and every part reordered)", small, big, times))
    paragraph = (data / "sections" / "2-0-phan-thu-hai.yaml").read_text(encoding="utf-8")
    one, many = paragraph, paragraph * times
    edited_one, edited_many = one.replace(" và ", " và cả ", 1), many.replace(" và ", " và cả ", 1)

    def words(a: str, b: str) -> object:
        return word_ops(a, text_tokens(a), b, text_tokens(b))

    print(row("word diff of one long paragraph", best(lambda: words(one, edited_one), 20),
              best(lambda: words(many, edited_many), 5), times))  # fmt: skip


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--times", type=int, default=20)
    parser.add_argument("--no-build", action="store_true", help="time only dhc check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dhc-bench-") as tmp:
        large = make_large(args.data, Path(tmp) / "data", args.times)
        result = check_data_dir(large)
        broken = [f.format() for f in result.findings if f.severity.value == "error"]
        if broken:
            print("The large document does not load:", *broken[:5], sep="\n", file=sys.stderr)
            return 1
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in (large / "sections").glob("*.yaml"))
        print(f"dhc check on {args.data} and on a document {args.times}× its size ({words:,} words of YAML)\n")
        print(f"{'stage':<36}{'1×':>11}{f'{args.times}×':>13}{'ratio':>9}")
        print(
            row(
                "load (load_report)",
                best(lambda: load_report(args.data), 3),
                best(lambda: load_report(large), 2),
                args.times,
            )
        )
        print(
            row(
                "dhc check",
                best(lambda: check_data_dir(args.data), 3),
                best(lambda: check_data_dir(large), 2),
                args.times,
            )
        )
        if not args.no_build:
            out = Path(tmp) / "out"
            small_build = best(lambda: build_report(args.data, out / "1", ("md", "docx"), DEFAULT_TEMPLATES), 1)
            large_build = best(lambda: build_report(large, out / "n", ("md", "docx"), DEFAULT_TEMPLATES, force=True), 1)
            print(row("dhc build (md, docx)", small_build, large_build, args.times))
        diff_timings(args.data, large, args.times, Path(tmp))
        small_rules, large_rules = rule_timings(args.data), rule_timings(large)
        print(f"\nslowest rules ({len(RULES)} in all), each run alone:")
        for code in sorted(large_rules, key=large_rules.get, reverse=True)[:10]:  # type: ignore[arg-type]
            print(row(f"  {code} {RULES[code].name}", small_rules[code], large_rules[code], args.times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
