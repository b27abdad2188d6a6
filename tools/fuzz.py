"""Mutation fuzzer: mutated copies of the real data/ through check, build and import, in process.

Usage: python tools/fuzz.py [--seed 0] [--count 10000] [--docx-every 25] [--import-every 10] [--diff-every 10]
       python tools/fuzz.py --case N [--seed S]     (one case again, with its traceback)

Each case starts from the project's real data files with the body of document.yaml cut to one
or two section files (to keep a case cheap), applies one to three mutations — bytes, lines,
indentation, keys, types, numbers, Jinja snippets and sandbox payloads, includes, deep
nesting, huge values, encodings — to one file, and runs `dhc check`'s function, then a build
to Markdown (and .docx every Nth case), every Nth case an import of a mutated piece of the
seed draft, and every Nth case `dhc diff` of the unmutated files against the mutated ones, both
ways, in every view (text, stat, JSON, Markdown, Markdown table; redline and .docx table with
the .docx cases). Every case runs under a limit of CPU time. Counted: uncaught exceptions, DH599 findings,
rules that stopped on an exception, and slow cases. Exit code 1 when any is not zero.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from dhcompiler.build import build_report
from dhcompiler.checks.run import check_data_dir
from dhcompiler.findings import DhcError, Finding
from dhcompiler.templates import DEFAULT_TEMPLATES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED_TEXT = (ROOT / "tests" / "fixtures" / "seed.txt").read_text(encoding="utf-8")
FILES = {p.relative_to(DATA).as_posix(): p.read_bytes() for p in sorted([*DATA.glob("*.yaml"), *DATA.glob("*/*.yaml")])}
SECTIONS = sorted(name for name in FILES if name.startswith("sections/") and not name.endswith("phan-thu-nhat.yaml"))
BODY = re.compile(rb"^body:\n(?:  - .*\n?)+", re.M)
RULE_STOPPED = "dừng giữa chừng"

# --- mutations -------------------------------------------------------------------------------

JINJA = [
    "{{ ind.khong_co.result }}",
    "{{ doc.congress.term }}",
    "{{ doc.source.file }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum.__globals__ }}",
    "{{ joiner()() }}",
    "{{ self.__dict__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ '{0.__class__}'.format(doc) }}",
    "{{ 'x' * 10**9 }}",
    "{{ 9**(9**9) }}",
    "{{ range(10**9)|list }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "{# comment #}",
    "{{ " + "(" * 1000 + "1" + ")" * 1000 + " }}",
    "{{ " + "-" * 500 + "1 }}",
    "{{ ind|string * 1000 }}",
    "{{ '%09999999d' % 1 }}",
    "{{ fig.du_an_thu_hut.kcn1_fdi }}",
    "{{ results.missed | names }}",
    "{{ 1/0 }}",
    "{{ ind.thu_nhap.result.value ** 1000 }}",
    "{{",
    "}}",
    "{{ [] ~ {} }}",
    "[^khong-co]",
    "**đậm",
]
INCLUDES = ["../document.yaml", "/etc/passwd", "a\\0b.yaml", "x" * 300 + ".yaml", "khong-co.yaml", "sections", "."]
KEYS = ["tittle", "key", "content", "sections", "include", "role", "kind", "result", "target", "value", "unit", "x"]
VALUES = [
    "",
    "null",
    "[]",
    "{}",
    "[a]",
    "{a: b}",
    "true",
    "-1",
    "0",
    "17,02",
    "17.02",
    "'x'",
    "~",
    "2024-13-45",
    "!!python/object:os.system ls",
    "&a x",
    "*a",
]
NUMBERS = [
    "1" * 400,
    "1" * 25,
    "1E400",
    "NaN",
    "-0",
    "0,0000000000000000000000001",
    "999.999.999.999.999.999.999.999",
    "1.5",
    "1,5.3",
]
Mutation = Callable[[random.Random, bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _pick(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def m_bytes(rng: random.Random, data: bytes) -> bytes:
    at = _pick(rng, data)
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
    return data[:at] + junk + data[at + rng.randint(0, 3) :]


def m_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    kind = rng.randrange(4)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[j])
    elif kind == 2:
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines = lines[: rng.randint(0, len(lines))]
    return b"\n".join(lines)


def m_indent(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] = rng.choice([b"", b" ", b"   ", b"\t", b"      "]) + lines[i].lstrip()
    return b"\n".join(lines)


def m_key(rng: random.Random, data: bytes) -> bytes:
    keys = list(re.finditer(rb"^(\s*-?\s*)([A-Za-z_]\w*):", data, re.M))
    if not keys:
        return data
    match = rng.choice(keys)
    new = rng.choice(KEYS).encode()
    if rng.random() < 0.3:  # a duplicate key
        return data[: match.start()] + data[match.start() : data.find(b"\n", match.end()) + 1] + data[match.start() :]
    return data[: match.start(2)] + new + data[match.end(2) :]


def m_type(rng: random.Random, data: bytes) -> bytes:
    values = list(re.finditer(rb": (.+)$", data, re.M))
    if not values:
        return data
    match = rng.choice(values)
    return data[: match.start(1)] + rng.choice(VALUES).encode() + data[match.end(1) :]


def m_number(rng: random.Random, data: bytes) -> bytes:
    numbers = list(re.finditer(rb"\d+(?:[.,]\d+)*", data))
    if not numbers:
        return data
    match = rng.choice(numbers)
    return data[: match.start()] + rng.choice(NUMBERS).encode() + data[match.end() :]


def m_jinja(rng: random.Random, data: bytes) -> bytes:
    spots = list(re.finditer(rb"\{\{.*?\}\}", data)) or list(re.finditer(rb"[^\s:-]  ?\S", data))
    snippet = rng.choice(JINJA).encode()
    if spots and rng.random() < 0.5:
        match = rng.choice(spots)
        return data[: match.start()] + snippet + data[match.end() :]
    texts = list(re.finditer(rb"^\s+-? ?[A-Za-z\xc3-\xe1].{20,}$", data, re.M))
    if not texts:
        return data + b"\n"
    match = rng.choice(texts)
    at = rng.randint(match.start() + len(match.group(0)) // 2, match.end())
    return data[:at] + b" " + snippet + b" " + data[at:]


def m_include(rng: random.Random, data: bytes) -> bytes:
    name = rng.choice(INCLUDES + [s.removeprefix("sections/") for s in SECTIONS]).encode()
    quoted = b'"' + name + b'"'
    entries = list(re.finditer(rb"^  - (sections/)?[\w.-]+\.yaml$", data, re.M))
    if entries and rng.random() < 0.6:
        match = rng.choice(entries)
        return data[: match.start()] + b"  - " + quoted + data[match.end() :]
    if b"\nsections:" in data:
        return data.replace(b"\nsections:\n", b"\nsections:\n  - include: " + quoted + b"\n    key: x-include\n", 1)
    return data + b"\nsections:\n  - " + quoted + b"\n"


def m_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([30, 65, 200, 1000, 5000])
    opener, closer = rng.choice([(b"[", b"]"), (b"{a: ", b"}")])
    if rng.random() < 0.5:
        deep = opener * depth + b"1" + closer * depth
    else:
        deep = b"\n" + b"".join(b"  " * i + b"- \n" for i in range(min(depth, 400)))
    values = list(re.finditer(rb": (.+)$", data, re.M))
    if not values:
        return data + b"\nx: " + deep
    match = rng.choice(values)
    return data[: match.start(1)] + deep + data[match.end(1) :]


def m_huge(rng: random.Random, data: bytes) -> bytes:
    size = rng.choice([10_000, 100_000, 300_000])
    word = rng.choice(["phát triển ", "thường thường ", "x", "(“", "17,02% ", "{{ ind.thu_nhap.result }} "]).encode()
    filler = (word * (size // len(word) + 1))[:size]
    values = list(re.finditer(rb"^(\s+- |\s*\w+: )(.{20,})$", data, re.M))
    if not values:
        return data + b"\nx: " + filler
    match = rng.choice(values)
    return data[: match.start(2)] + b'"' + filler.replace(b'"', b"") + b'"' + data[match.end(2) :]


def m_encoding(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    kind = rng.randrange(5)
    if kind == 0:
        return text.encode("utf-16")
    if kind == 1:
        return text.encode("cp1258", "replace")
    if kind == 2:
        return b"\xef\xbb\xbf" + data
    if kind == 3:
        import unicodedata

        return unicodedata.normalize("NFD", text).encode("utf-8")
    return data.replace(b"\n", b"\r\n")


MUTATIONS: dict[str, tuple[Mutation, int]] = {
    "bytes": (m_bytes, 10),
    "lines": (m_lines, 10),
    "indent": (m_indent, 8),
    "key": (m_key, 8),
    "type": (m_type, 10),
    "number": (m_number, 10),
    "jinja": (m_jinja, 14),
    "include": (m_include, 6),
    "nesting": (m_nesting, 4),
    "huge": (m_huge, 2),
    "encoding": (m_encoding, 3),
}


# --- one case --------------------------------------------------------------------------------


@dataclass
class Case:
    number: int
    target: str
    mutations: list[str]
    files: dict[str, bytes]
    import_text: tuple[str, bytes] | None = None
    base: dict[str, bytes] | None = None  # the files before the mutation, for a diff case


def make_case(seed: int, number: int, import_every: int, diff_every: int = 0) -> Case:
    rng = random.Random(seed * 1_000_003 + number)
    sections = rng.sample(SECTIONS, rng.choice([1, 1, 2]))
    files = dict(FILES)
    body = b"body:\n" + b"".join(b"  - " + s.encode() + b"\n" for s in sections)
    files["document.yaml"] = BODY.sub(body, files["document.yaml"], count=1)
    target = rng.choices(
        [*sections, "document.yaml", "indicators.yaml", "dhc.yaml", "dictionary.yaml"],
        [40] * len(sections) + [20, 25, 4, 4],
    )[0]
    names = rng.choices(list(MUTATIONS), [w for _f, w in MUTATIONS.values()], k=rng.choice([1, 1, 2, 3]))
    base = dict(files)
    data = files[target]
    for name in names:
        data = MUTATIONS[name][0](rng, data)
    files[target] = data
    case = Case(number, target, names, files)
    if diff_every and number % diff_every == 0:
        case.base = base
    if import_every and number % import_every == 0:
        case.import_text = _import_case(rng)
    return case


def _import_case(rng: random.Random) -> tuple[str, bytes]:
    start = rng.randrange(len(SEED_TEXT))
    piece = SEED_TEXT[start : start + rng.choice([2_000, 20_000, 60_000])].encode("utf-8")
    for name in rng.choices(["bytes", "lines", "indent", "number", "jinja", "encoding"], k=rng.randint(0, 3)):
        piece = MUTATIONS[name][0](rng, piece)
    if rng.random() < 0.1:
        notes = rng.choice([100, 5_000])
        piece = b"".join(b"Doan %d[^%d].\n\n" % (i, i) for i in range(notes)) + b"".join(
            b"[^%d]: Chu thich %d.\n" % (i, i) for i in range(notes)
        )
        return ".md", piece
    return rng.choice([".txt", ".md"]), piece


class Timeout(BaseException):
    """The case ran over its time limit (a BaseException, so that no `except Exception` eats it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise Timeout

    # CPU time, not wall time: on a shared machine a case must not fail for others' load
    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass
class Outcome:
    crashes: list[str] = field(default_factory=list)
    internal: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    timed_out: bool = False


def run_case(case: Case, work: Path, docx: bool, limit: float) -> Outcome:
    data, out = work / "data", work / "out"
    _write(data, case.files)
    outcome = Outcome()
    started = time.process_time()
    try:
        with time_limit(limit):
            _stages(case, data, out, docx, outcome)
    except Timeout:
        outcome.timed_out = True
    outcome.seconds = time.process_time() - started
    return outcome


def _stages(case: Case, data: Path, out: Path, docx: bool, outcome: Outcome) -> None:
    result = _guarded(outcome, "check", lambda: check_data_dir(data))
    findings = result.findings if result is not None else []
    outcome.internal += [f for f in findings if f.code == "DH599" or RULE_STOPPED in f.message]
    if result is not None and (result.return_code == 0 or case.number % 20 == 0):
        formats = ("md", "docx") if docx else ("md",)
        _guarded(outcome, "build", lambda: build_report(data, out, formats, DEFAULT_TEMPLATES, force=True))
    if case.import_text is not None:
        _guarded(outcome, "import", lambda: _import(case.import_text, out.parent))
    if case.base is not None:
        base = data.parent / "base"
        _write(base, case.base)
        _guarded(outcome, "diff", lambda: _diff(base, data, docx))
        _guarded(outcome, "diff (reversed)", lambda: _diff(data, base, docx))


def _diff(old: Path, new: Path, docx: bool) -> None:
    """`dhc diff old new` in every text view, the Markdown table, and with .docx the two documents."""
    from dhcompiler.diff.documents import DocumentOptions, render_document
    from dhcompiler.diff.run import diff_drafts
    from dhcompiler.diff.views import TEXT_FORMATS, ViewOptions, plain, stat_lines

    changes, old_side, new_side = diff_drafts(str(old), str(new), new, DEFAULT_TEMPLATES)
    plain(stat_lines(changes))
    for view in TEXT_FORMATS.values():
        view(changes, ViewOptions())
        view(changes, ViewOptions(context=3))
    for format in ("table-md", *(("docx", "table") if docx else ())):
        render_document(format, changes, old_side, new_side, DocumentOptions(), DEFAULT_TEMPLATES)


def _import(spec: tuple[str, bytes] | None, work: Path) -> None:
    from dhcompiler.importers import import_file
    from dhcompiler.importers.files import write_import

    assert spec is not None
    source = work / f"draft{spec[0]}"
    source.write_bytes(spec[1])
    write_import(import_file(source), work / "imported", force=True)


def _guarded(outcome: Outcome, stage: str, call: Callable[[], object]) -> object:
    try:
        return call()
    except DhcError as exc:
        outcome.internal += [f for f in exc.findings if f.code == "DH599" or "Lỗi nội bộ" in f.message]
        return None
    except Timeout:
        raise
    except BaseException:  # noqa: BLE001  (what the fuzzer is here to find)
        outcome.crashes.append(f"{stage}: {traceback.format_exc(limit=-3)}")
        return None


def _write(data: Path, files: dict[str, bytes]) -> None:
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    for name, content in files.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(content)


# --- the run ---------------------------------------------------------------------------------


@contextmanager
def share_unchanged_work() -> Iterator[None]:
    """Make a case cheap: the trusted layout templates are compiled once, and a data file whose
    bytes did not change since an earlier case is not parsed again (its SourceFile is reused;
    nothing downstream changes a SourceFile). Mutated files always go through the loader.
    The patched functions are restored on leaving, so a fuzz run inside the test suite leaves
    the modules as it found them."""
    import dhcompiler.checks.config
    import dhcompiler.document
    import dhcompiler.load
    import dhcompiler.render_md
    import dhcompiler.resolve
    import dhcompiler.templates

    envs: dict[tuple[str, tuple[str, ...]], object] = {}
    make_env = dhcompiler.templates.make_template_env

    def shared_env(directory: Path, extra: dict[str, Callable[..., object]] | None = None) -> object:
        key = (str(directory), tuple(sorted(extra or {})))
        if key not in envs:
            envs[key] = make_env(directory, extra)  # type: ignore[arg-type]
        return envs[key]

    parsed: dict[tuple[str, bytes], dhcompiler.load.SourceFile] = {}
    load_file = dhcompiler.load.load_file

    def cached_load(file: Path, root: Path) -> dhcompiler.load.SourceFile:
        try:
            key = (str(file), file.read_bytes())
        except (OSError, ValueError):
            return load_file(file, root)
        if key not in parsed:
            if len(parsed) > 64:
                parsed.clear()
            parsed[key] = load_file(file, root)
        return parsed[key]

    patches = [
        (dhcompiler.document, "make_template_env", shared_env),
        (dhcompiler.render_md, "make_template_env", shared_env),
        (dhcompiler.resolve, "load_file", cached_load),
        (dhcompiler.checks.config, "load_file", cached_load),
    ]
    saved = [(module, name, getattr(module, name)) for module, name, _ in patches]
    for module, name, replacement in patches:
        setattr(module, name, replacement)
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


@dataclass
class Summary:
    cases: int = 0
    crashes: int = 0
    internal: int = 0
    slow: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    by_mutation: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def add(self, case: Case, outcome: Outcome, slow_after: float) -> None:
        self.cases += 1
        self.seconds += outcome.seconds
        self.slowest = max(self.slowest, outcome.seconds)
        self.by_mutation.update(case.mutations)
        slow = outcome.timed_out or outcome.seconds > slow_after
        self.crashes += bool(outcome.crashes)
        self.internal += bool(outcome.internal)
        self.slow += slow
        label = f"case {case.number} ({case.target}: {'+'.join(case.mutations)})"
        self.failures += [f"{label}: {c.strip().splitlines()[-1][:300]}" for c in outcome.crashes]
        self.failures += [f"{label}: {f.format()[:200]}" for f in outcome.internal]
        if slow:
            self.failures.append(f"{label}: {'timed out' if outcome.timed_out else 'slow'} ({outcome.seconds:.1f} s)")

    @property
    def clean(self) -> bool:
        return not (self.crashes or self.internal or self.slow)


def fuzz(
    seed: int, count: int, docx_every: int = 25, import_every: int = 10, limit: float = 10.0, diff_every: int = 10
) -> Summary:
    """Run `count` cases from `seed`; the summary counts crashes, internal errors and slow cases."""
    summary = Summary()
    with share_unchanged_work(), tempfile.TemporaryDirectory(prefix="dhc-fuzz-") as scratch:
        work = Path(scratch)
        for number in range(count):
            case = make_case(seed, number, import_every, diff_every)
            outcome = run_case(case, work, bool(docx_every) and number % docx_every == 0, limit)
            summary.add(case, outcome, limit)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--docx-every", type=int, default=25)
    parser.add_argument("--import-every", type=int, default=10)
    parser.add_argument("--diff-every", type=int, default=10)
    parser.add_argument("--limit", type=float, default=10.0, help="seconds per case")
    parser.add_argument("--case", type=int, help="run one case and show what it did")
    args = parser.parse_args()
    if args.case is not None:
        return _one(args)
    started = time.perf_counter()
    summary = Summary()
    with share_unchanged_work(), tempfile.TemporaryDirectory(prefix="dhc-fuzz-") as scratch:
        for number in range(args.count):
            case = make_case(args.seed, number, args.import_every, args.diff_every)
            docx = bool(args.docx_every) and number % args.docx_every == 0
            summary.add(case, run_case(case, Path(scratch), docx, args.limit), args.limit)
            if (number + 1) % 500 == 0:
                print(f"… {number + 1} cases, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    for line in summary.failures[:50]:
        print(line)
    print(
        f"{summary.cases} cases (seed {args.seed}) in {time.perf_counter() - started:.0f} s: "
        f"{summary.crashes} uncaught exceptions, {summary.internal} internal errors (DH599 or a rule stopped), "
        f"{summary.slow} over {args.limit:g} s; slowest {summary.slowest:.1f} s."
    )
    print("mutations: " + ", ".join(f"{name} {n}" for name, n in sorted(summary.by_mutation.items())))
    return 0 if summary.clean else 1


def _one(args: argparse.Namespace) -> int:
    case = make_case(args.seed, args.case, args.import_every, args.diff_every)
    print(f"case {case.number}: {case.target} mutated by {', '.join(case.mutations)}")
    with tempfile.TemporaryDirectory(prefix="dhc-fuzz-") as scratch:
        outcome = run_case(case, Path(scratch), True, args.limit)
        kept = ROOT / "build" / f"fuzz-case-{case.number}"
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(Path(scratch) / "data", kept)
    print(f"data kept in {kept}; {outcome.seconds:.2f} s{' (timed out)' if outcome.timed_out else ''}")
    for crash in outcome.crashes:
        print(crash)
    for finding in outcome.internal:
        print(finding.format())
    return 0 if not (outcome.crashes or outcome.internal or outcome.timed_out) else 1


if __name__ == "__main__":
    sys.exit(main())
