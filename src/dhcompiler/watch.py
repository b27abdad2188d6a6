"""`--watch`: run a build or a check again, in this process, whenever a source file changes.

Files are polled rather than watched through the operating system: no dependency, and the
same behaviour on every file system (network shares, containers, editors that save by
renaming). A poll is cheap enough to run every 25 ms: it stats the known source files and
their directories (a directory's time changes when a file is added, removed or renamed in it)
and lists the tree again only when one of those changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dhcompiler.findings import Finding

Snapshot = dict[Path, tuple[int, int]]

POLL_SECONDS = 0.025
QUIET_SECONDS = 0.04  # an editor's save is often several writes: wait until the files are still


def source_files(roots: Iterable[Path], outputs: Path | None = None) -> list[Path]:
    """The files a run reads: every file under each directory root, and each file root.

    Files under `outputs` are not sources: a build writing into the data directory must not
    trigger the next build.
    """
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            found.extend(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
        elif root.exists():
            found.append(root)
    if outputs is not None:
        written = outputs.resolve()
        found = [p for p in found if not p.resolve().is_relative_to(written)]
    return sorted(found)


def snapshot(roots: Iterable[Path], outputs: Path | None = None) -> Snapshot:
    """Size and modification time of every source file; a file gone between listing and stat is left out."""
    return {path: stamp for path, stamp in stamps(source_files(roots, outputs)).items() if stamp is not None}


def directories(roots: Iterable[Path], outputs: Path | None = None) -> list[Path]:
    """Each directory root and every directory below it, but the outputs' and hidden ones."""
    written = outputs.resolve() if outputs is not None else None
    found: list[Path] = []
    for root in roots:
        if not root.is_dir():
            continue
        found.append(root)
        for path in root.rglob("*"):
            hidden = path.name.startswith(".")
            if path.is_dir() and not hidden and (written is None or not path.resolve().is_relative_to(written)):
                found.append(path)
    return found


def stamps(paths: Iterable[Path]) -> dict[Path, tuple[int, int] | None]:
    """Modification time and size of each path (None when it is gone): one `stat` each."""
    found: dict[Path, tuple[int, int] | None] = {}
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            found[path] = None
        else:
            found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def wait_for_change(
    roots: list[Path], before: Snapshot, sleep: Callable[[float], None] = time.sleep, outputs: Path | None = None
) -> Snapshot:
    """Block until the sources differ from `before` and then stay still for `QUIET_SECONDS`.

    Each poll stats only the files of `before` and the directories; the tree is listed again
    (a full `snapshot`) only when one of those stamps moved, so an idle watch costs a few
    dozen `stat` calls per poll.
    """
    current = before
    stale = True  # the first look is a full one: a save may have come since `before` was taken
    while True:
        if stale:
            watched = [*current, *directories(roots, outputs)]
            quick = stamps(watched)  # taken before the listing, so nothing falls between the two
            current = snapshot(roots, outputs)
            if current != before:
                break
        sleep(POLL_SECONDS)
        stale = stamps(watched) != quick
    while True:
        sleep(QUIET_SECONDS)
        settled = snapshot(roots, outputs)
        if settled == current:
            return settled
        current = settled


def watch(roots: list[Path], run: Callable[[], None], say: Callable[[str], None], outputs: Path | None = None) -> int:
    """Run once, then again after every change of the sources, until Ctrl-C (exit code 0).

    `run` prints its own result and must not raise for anything found in the data.
    """
    try:
        state = snapshot(roots, outputs)
        run()
        say(f"Đang theo dõi {len(state)} tệp; sửa và lưu để biên dịch lại, Ctrl-C để thoát.")
        while True:
            state = wait_for_change(roots, state, outputs=outputs)
            run()
    except KeyboardInterrupt:
        say("Đã dừng theo dõi.")
        return 0


def stamp() -> str:
    """The local time a run finished, as printed at the start of its result line."""
    return time.strftime("[%H:%M:%S]")


def seconds_vi(seconds: float) -> str:
    from decimal import Decimal

    from dhcompiler.numbers import format_vi_number

    return format_vi_number(Decimal(f"{seconds:.2f}"))


def watch_build(
    data_dir: Path, out: Path, formats: tuple[str, ...], templates: Path, reference: Path | None, force: bool
) -> int:
    """`dhc build --watch`: one line per build; an error is shown and the previous outputs stay."""
    from dhcompiler.build import build_report
    from dhcompiler.findings import DhcError, Severity
    from dhcompiler.report import build_summary, print_findings

    def run() -> None:
        started = time.perf_counter()
        try:
            result = build_report(data_dir, out, formats, templates, reference, force)
        except DhcError as exc:
            print_findings(exc.findings)
            took = seconds_vi(time.perf_counter() - started)
            print(f"{stamp()} Lỗi, không ghi gì; các tệp đã ghi trước vẫn giữ nguyên ({took} giây).", flush=True)
            return
        except Exception as exc:  # a defect of dhc: shown, and the watch goes on
            print(f"{stamp()} Lỗi nội bộ của dhc ({type(exc).__name__}: {exc}). (DH599)", flush=True)
            return
        warnings = sum(1 for f in result.warnings if f.severity is Severity.WARNING)
        noted = f" {warnings} cảnh báo (xem bằng “dhc check”)." if warnings else ""
        print(f"{stamp()} {build_summary(result)}{noted}", flush=True)

    roots = [data_dir, templates, *([reference] if reference is not None else [])]
    return watch(roots, run, lambda text: print(text, flush=True), out)


def watch_check(data_dir: Path, strict: bool, render: Callable[[list[Finding]], str]) -> int:
    """`dhc check --watch`: the findings of each run, then one line saying when and how long."""
    from dhcompiler.checks.output import summary
    from dhcompiler.checks.run import check_data_dir

    def run() -> None:
        started = time.perf_counter()
        result = check_data_dir(data_dir, strict)
        if result.usage_error:
            print(f"{stamp()} {result.usage_error}", flush=True)
            return
        print(render(result.findings), end="")
        took = seconds_vi(time.perf_counter() - started)
        print(f"{stamp()} {summary(result.findings)} ({took} giây)", flush=True)

    return watch([data_dir], run, lambda text: print(text, flush=True))
