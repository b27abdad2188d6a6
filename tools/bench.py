"""`make bench`: how `dhc` compares with Pandoc and with a bare Python, and how it grows.

Usage: python tools/bench.py [--data data] [--rounds 7] [--sizes 1,10,50] [--times 20] [--no-build] [--quick]

1. Commands, side by side: every command runs once per round, the commands alternating, so a
   busy machine slows all of them alike; each row gives the median, the spread (lowest–highest)
   and the ratio of the medians to `pandoc <report>.md -o x.docx` and to `python -c pass` (and of
   the fastest runs to Pandoc's fastest, steadier on a shared machine).
   A watch-mode rebuild is timed from the save of a one-word edit to the result line.
2. Sizes: `dhc build` of documents 1×, 10× and 50× the seed, the time per 1× and peak memory.
3. Stages and rules in-process, on the seed and on a document `--times` its size: each stage
   should grow linearly (the ratio column near N); and `dhc check` of the report with one
   paragraph of 20,000 words, then 40,000 (an unbroken paste from Word): near 2× when linear.

The large documents repeat every section file of the body N times, with fresh section,
footnote and figure keys, so that they load and check like real reports N times longer.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

from dhcompiler.build import build_report
from dhcompiler.checks import RULES, CheckContext
from dhcompiler.checks.run import check_data_dir
from dhcompiler.checks.text import texts
from dhcompiler.resolve import load_report
from dhcompiler.templates import DEFAULT_TEMPLATES

FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
FIGURE = re.compile(r"\bfig\.([A-Za-z_][A-Za-z0-9_]*)")
ROOT = Path(__file__).resolve().parents[1]
DHC = [sys.executable, "-m", "dhcompiler"]
EDITED = "sections/9-ket-luan.yaml"  # the file a one-word edit changes (diff and watch rows)


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

    def words(k: int) -> float:
        a = paragraph * k
        b = a.replace(" và ", " và cả ", 1)
        return best(lambda: word_ops(a, text_tokens(a), b, text_tokens(b)), 5)

    half = max(times // 2, 1)
    print(row(f"word diff, one paragraph {half}× → {times}× long", words(half), words(times), 2))


def long_paragraph(data: Path, target: Path, words: int) -> Path:
    """A copy of `data` whose closing section ends with one paragraph of about `words` words
    (the report's own prose, one sentence after another, as an unbroken paste from Word would be)."""
    copy = _copy(data, target)
    sentences: list[str] = []
    for path in sorted((data / "sections").glob("*.yaml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")).get("content") or []
        sentences.extend(c for c in content if isinstance(c, str) and "{" not in c)
    text, count = [], 0
    while count < words:
        for sentence in sentences:
            text.append(sentence)
            count += len(sentence.split())
            if count >= words:
                break
    closing = copy / "sections" / "9-ket-luan.yaml"
    loaded = yaml.safe_load(closing.read_text(encoding="utf-8"))
    loaded["content"].append(" ".join(text))
    closing.write_text(yaml.safe_dump(loaded, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return copy


def long_paragraph_timings(data: Path, tmp: Path, words: int) -> None:
    """`dhc check` and `dhc build` with one paragraph of `words`, then of twice as many words."""
    one = long_paragraph(data, tmp / "long-1", words)
    two = long_paragraph(data, tmp / "long-2", 2 * words)
    print(
        row(
            f"dhc check, {words // 1000}k-word paragraph → 2×",
            best(lambda: check_data_dir(one), 2),
            best(lambda: check_data_dir(two), 2),
            2,
        )
    )


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


# --- commands side by side ---------------------------------------------------------------------


@dataclass
class Timings:
    """One row of the paired table: a name and its wall-clock times, one per round."""

    name: str
    seconds: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def run_command(argv: list[str], cwd: Path) -> float:
    """Wall-clock seconds of one run; a failing command stops the bench (it would time nothing)."""
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()[-2000:]}")
    return took


def has_command(name: str) -> bool:
    done = subprocess.run([*DHC, name, "--help"], capture_output=True, cwd=ROOT)
    return done.returncode == 0


def one_word_edit(data: Path, round_number: int) -> None:
    """Change one word of the closing section (a different word each round, same length)."""
    path = data / EDITED
    text = path.read_text(encoding="utf-8")
    words = ["bền vững", "bền chặt"]
    text = text.replace(words[(round_number + 1) % 2], words[round_number % 2], 1)
    path.write_text(text, encoding="utf-8")


class WatchProcess:
    """`dhc build --watch` kept running through the rounds; each round times one rebuild."""

    def __init__(self, data: Path, out: Path):
        self.data = data
        self.process = subprocess.Popen(
            [*DHC, "build", str(data), "--out", str(out), "--watch", "--quiet"],
            cwd=ROOT,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # stopped by Ctrl-C even if ignored here
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._line_with("Đang theo dõi")

    def _line_with(self, text: str) -> str:
        stdout: IO[str] = self.process.stdout  # type: ignore[assignment]
        for line in stdout:
            if text in line:
                return line
        raise SystemExit("dhc build --watch stopped")

    def rebuild(self, round_number: int) -> float:
        """From the save of a one-word edit to the line that reports the rebuild."""
        started = time.perf_counter()
        one_word_edit(self.data, round_number)
        self._line_with("Đã ghi")
        return time.perf_counter() - started

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)


# What any `dhc check` or `dhc build` imports before it reads a file, by the project's fixed
# decisions: Typer as it runs a command (its value coercion builds pydantic TypeAdapters),
# pydantic for the data model, PyYAML, Jinja's sandbox for the prose expressions.
FIXED_LIBRARIES = "import typer, typer.main, typer._adapters, pydantic, yaml, jinja2.sandbox"
# Every module `dhc build` imports (dhc's own, the model classes built), and nothing run.
BUILD_IMPORTS = (
    "import dhcompiler.cli, typer._adapters, dhcompiler.resolve, dhcompiler.checks, dhcompiler.checks.run,"
    " dhcompiler.documents, dhcompiler.render_md, dhcompiler.render_docx"
)


def paired_commands(data: Path, tmp: Path, rounds: int) -> list[Timings]:
    """Every command once per round, alternating; Pandoc converts dhc's own Markdown."""
    out = tmp / "paired"
    build_report(data, out, ("md",), DEFAULT_TEMPLATES, force=True)
    markdown = next(out.glob("*.md"))
    drafts = tmp / "drafts"
    shutil.copytree(data, drafts / "old")
    shutil.copytree(data, drafts / "new")
    one_word_edit(drafts / "new", 0)
    commands: list[tuple[str, list[str] | None, str]] = [
        ("python -c pass", [sys.executable, "-c", "pass"], ""),
        ("pandoc report.md -o x.docx", ["pandoc", str(markdown), "-o", str(tmp / "pandoc.docx")], ""),
        ("dhc build (md, docx)", [*DHC, "build", str(data), "--out", str(out / "b"), "-q"], ""),
        ("dhc build --format md", [*DHC, "build", str(data), "--out", str(out / "m"), "-f", "md", "-q"], ""),
        ("dhc check", [*DHC, "check", str(data), "--format", "text"], ""),
        ("dhc --version", [*DHC, "--version"], ""),
        ("dhc diff (one word)", [*DHC, "diff", str(drafts / "old"), str(drafts / "new")], ""),
        ("floor: the fixed libraries, imported", [sys.executable, "-c", FIXED_LIBRARIES], ""),
        ("floor: all dhc build imports, no work", [sys.executable, "-c", BUILD_IMPORTS], ""),
    ]
    if shutil.which("pandoc") is None:
        commands[1] = (commands[1][0], None, "Pandoc is not installed: no Pandoc column")
    if not has_command("diff"):
        commands[6] = (commands[6][0], None, "`dhc diff` is not in this version: skipped")
    rows = [Timings(name, note=note) for name, _argv, note in commands]
    watch_data = tmp / "watched"
    shutil.copytree(data, watch_data)
    watcher = WatchProcess(watch_data, tmp / "watch-out")
    rows.append(Timings("watch: rebuild after a one-word edit"))
    try:
        for round_number in range(rounds):
            for timings, (_name, argv, _note) in zip(rows, commands, strict=False):
                if argv is not None:
                    timings.seconds.append(run_command(argv, ROOT))
            rows[-1].seconds.append(watcher.rebuild(round_number))
    finally:
        watcher.stop()
    return rows


TARGETS = {  # the row's name: (reference row, the highest ratio aimed at)
    "dhc build (md, docx)": ("pandoc", 1.0),
    "dhc check": ("pandoc", 0.6),
    "dhc --version": ("python", 3.0),
    "watch: rebuild after a one-word edit": ("pandoc", 0.5),
}


def print_paired(rows: list[Timings], rounds: int) -> None:
    by_name = {r.name: r for r in rows}
    python = by_name["python -c pass"].median
    pandoc_row = by_name["pandoc report.md -o x.docx"]
    pandoc = pandoc_row.median if pandoc_row.seconds else None
    print(f"Commands side by side: {rounds} rounds, the commands alternating; median and spread (lowest–highest).\n")
    pandoc_best = min(pandoc_row.seconds) if pandoc_row.seconds else None
    print(f"{'command':<40}{'median':>9}{'spread':>17}{'× Pandoc':>10}{'best ×':>8}{'× python':>10}  target")
    for r in rows:
        if not r.seconds:
            print(f"{r.name:<40}  ({r.note})")
            continue
        spread = f"{min(r.seconds) * 1000:.0f}–{max(r.seconds) * 1000:.0f} ms"
        to_pandoc = f"{r.median / pandoc:.2f}" if pandoc else "–"
        best = f"{min(r.seconds) / pandoc_best:.2f}" if pandoc_best else "–"
        ratios = f"{to_pandoc:>10}{best:>8}{r.median / python:>10.1f}"
        print(f"{r.name:<40}{r.median * 1000:>6.0f} ms{spread:>17}{ratios}  {_target(r, pandoc, python)}")
    if pandoc is None:
        print(f"\n{pandoc_row.note}.")
    else:
        print(
            "\n“best ×” is the fastest run of each command over Pandoc's fastest: on a machine shared"
            "\nwith other work it moves less from run to run than the ratio of medians."
        )


def _target(r: Timings, pandoc: float | None, python: float) -> str:
    if r.name not in TARGETS:
        return ""
    reference, limit = TARGETS[r.name]
    base = pandoc if reference == "pandoc" else python
    if base is None:
        return ""
    ratio = r.median / base
    return f"≤ {limit}× {reference}: {'met' if ratio <= limit else 'not met'}"


# --- sizes ---------------------------------------------------------------------------------------


def timed_child(argv: list[str]) -> tuple[float, int]:
    """Wall-clock seconds and peak resident memory (bytes) of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode})")
    return took, usage.ru_maxrss * 1024


def sizes(data: Path, tmp: Path, times: list[int], rounds: int) -> None:
    """`dhc build` of documents 1×, 10×, 50× the seed: time per 1× and peak memory."""
    documents = {n: data if n == 1 else make_large(data, tmp / f"x{n}", n) for n in times}
    results: dict[int, list[tuple[float, int]]] = {n: [] for n in times}
    for _ in range(rounds):
        for n, directory in documents.items():
            argv = [*DHC, "build", str(directory), "--out", str(tmp / f"out{n}"), "-q", "--force"]
            results[n].append(timed_child(argv))
    print(f"\n`dhc build` (md, docx) of larger documents: median of {rounds} rounds, alternating.\n")
    print(f"{'document':<12}{'median':>10}{'per 1×':>10}{'vs 1×':>8}{'peak memory':>14}")
    per_one = {n: statistics.median(t for t, _ in results[n]) / n for n in times}
    for n in times:
        took = statistics.median(t for t, _ in results[n])
        memory = max(m for _, m in results[n]) / 2**20
        relative = per_one[n] / per_one[times[0]]
        print(f"{f'{n}×':<12}{took * 1000:>7.0f} ms{per_one[n] * 1000:>7.0f} ms{relative:>8.2f}{memory:>10.0f} MB")
    largest = times[-1]
    ratio = per_one[largest] / per_one[times[0]]
    verdict = "met" if ratio <= 1.1 else "not met"
    print(f"time per 1× at {largest}×: {ratio:.2f} of the 1× cost (target ≤ 1.10: {verdict}); it falls below 1")
    print("because the start-up, paid once, is shared by more text.")


# --- stages and rules in-process -----------------------------------------------------------------


def stages(data: Path, tmp: Path, times: int, no_build: bool) -> int:
    """Load, check and build timed in this process on the seed and on a document `times` its size."""
    large = make_large(data, tmp / "data", times)
    result = check_data_dir(large)
    broken = [f.format() for f in result.findings if f.severity.value == "error"]
    if broken:
        print("The large document does not load:", *broken[:5], sep="\n", file=sys.stderr)
        return 1
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in (large / "sections").glob("*.yaml"))
    print(f"\nIn-process stages on {data} and on a document {times}× its size ({words:,} words of YAML)\n")
    print(f"{'stage':<36}{'1×':>11}{f'{times}×':>13}{'ratio':>9}")
    print(row("load (load_report)", best(lambda: load_report(data), 3), best(lambda: load_report(large), 2), times))
    print(row("dhc check", best(lambda: check_data_dir(data), 3), best(lambda: check_data_dir(large), 2), times))
    if not no_build:
        out = tmp / "out"
        small_build = best(lambda: build_report(data, out / "1", ("md", "docx"), DEFAULT_TEMPLATES), 1)
        large_build = best(lambda: build_report(large, out / "n", ("md", "docx"), DEFAULT_TEMPLATES, force=True), 1)
        print(row("dhc build (md, docx)", small_build, large_build, times))
    if has_command("diff"):
        diff_timings(data, large, times, tmp)
    long_paragraph_timings(data, tmp, 20_000)
    small_rules, large_rules = rule_timings(data), rule_timings(large)
    print(f"\nslowest rules ({len(RULES)} in all), each run alone:")
    for code in sorted(large_rules, key=large_rules.get, reverse=True)[:10]:  # type: ignore[arg-type]
        print(row(f"  {code} {RULES[code].name}", small_rules[code], large_rules[code], times))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--rounds", type=int, default=7, help="rounds of the paired command table")
    parser.add_argument("--sizes", default="1,10,50", help="document sizes for the memory table")
    parser.add_argument("--times", type=int, default=20, help="size of the large document of the stage table")
    parser.add_argument("--no-build", action="store_true", help="in the stage table, time only load and check")
    parser.add_argument("--quick", action="store_true", help="only the paired command table")
    args = parser.parse_args()
    data = args.data.resolve()
    # Byte-compile dhc as `pip install` does for a wheel: with PYTHONDONTWRITEBYTECODE set,
    # an editable install would otherwise compile every module again on every run.
    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="dhc-bench-") as name:
        tmp = Path(name)
        print_paired(paired_commands(data, tmp, args.rounds), args.rounds)
        if args.quick:
            return 0
        sizes(data, tmp, [int(n) for n in args.sizes.split(",")], max(3, args.rounds // 2))
        return stages(data, tmp, args.times, args.no_build)


if __name__ == "__main__":
    sys.exit(main())
