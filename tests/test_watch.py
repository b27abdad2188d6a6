"""`dhc build --watch` and `dhc check --watch`: a real process, real edits, real Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from dhcompiler.watch import snapshot, source_files, wait_for_change

CLOSING = "sections/9-ket-luan.yaml"
STEP_SECONDS = 90  # generous: the machine may be shared; a passing run takes a second or two per step


def default_sigint() -> None:
    """In the child, before `dhc` starts: Ctrl-C at its default. A process that inherits SIGINT
    ignored keeps ignoring it (POSIX, as for a shell's background jobs), and a test worker may
    have it ignored; the watch must be stopped by Ctrl-C as a drafter's terminal sends it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Watcher:
    """A `dhc … --watch` process whose stdout is read line by line in a thread."""

    def __init__(self, *args: str, cwd: Path):
        env = {**os.environ, "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dhcompiler", *args],
            cwd=cwd,
            env=env,
            preexec_fn=default_sigint,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=self._pump, args=(self.process.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.process.stderr, self.errors.append), daemon=True).start()

    @staticmethod
    def _pump(stream, put) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            put(line.rstrip("\n"))

    def wait_for(self, text: str) -> str:
        """The next stdout line containing `text` (earlier lines are skipped)."""
        deadline = time.monotonic() + STEP_SECONDS
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, f"dhc stopped: {self.errors}"
                continue
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {STEP_SECONDS} s; stderr: {self.errors}")

    def wait_for_error(self, *texts: str) -> str:
        """A stderr line containing every one of `texts` (stderr is read by its own thread)."""
        deadline = time.monotonic() + STEP_SECONDS
        while time.monotonic() < deadline:
            found = [line for line in self.errors if all(text in line for text in texts)]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no stderr line with {texts!r}: {self.errors}")

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=STEP_SECONDS)


def test_build_watch_rebuilds_after_an_edit_survives_an_error_and_exits_0_on_ctrl_c(data_copy, tmp_path):
    out = tmp_path / "out"
    markdown = out / "bao-cao-chinh-tri.md"
    watcher = Watcher("build", str(data_copy), "--out", str(out), "--watch", cwd=tmp_path)
    try:
        assert "Đã ghi" in watcher.wait_for("Đã ghi")
        watcher.wait_for("Đang theo dõi")
        closing = data_copy / CLOSING
        original = closing.read_text(encoding="utf-8")
        closing.write_text(original.replace("văn minh, bền vững", "văn minh, hiện đại, bền vững"), encoding="utf-8")
        line = watcher.wait_for("Đã ghi")
        assert line.startswith("[") and "cảnh báo" in line
        assert "văn minh, hiện đại, bền vững" in markdown.read_text(encoding="utf-8")

        closing.write_text(original.replace("content:", "content: [", 1), encoding="utf-8")
        watcher.wait_for("các tệp đã ghi trước vẫn giữ nguyên")
        watcher.wait_for_error("(DH001)", CLOSING)
        assert "văn minh, hiện đại, bền vững" in markdown.read_text(encoding="utf-8")  # the previous output stays

        closing.write_text(original, encoding="utf-8")
        watcher.wait_for("Đã ghi")
        assert "văn minh, hiện đại, bền vững" not in markdown.read_text(encoding="utf-8")
    finally:
        code = watcher.interrupt()
    assert code == 0
    assert "Traceback" not in "\n".join(watcher.errors)


def test_check_watch_reports_each_run_and_exits_0_on_ctrl_c(data_copy, tmp_path):
    watcher = Watcher("check", str(data_copy), "--watch", "--format", "text", cwd=tmp_path)
    try:
        assert "56 cảnh báo, 1 ghi chú" in watcher.wait_for("giây)")
        closing = data_copy / CLOSING
        text = closing.read_text(encoding="utf-8")
        closing.write_text(text.replace("văn minh, bền vững", "văn minh,  bền vững"), encoding="utf-8")
        watcher.wait_for("(DH405)")
        assert "57 cảnh báo, 1 ghi chú" in watcher.wait_for("giây)")
    finally:
        code = watcher.interrupt()
    assert code == 0


def test_a_change_is_seen_only_once_the_files_are_still(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    before = snapshot([tmp_path])
    writes = iter(["a: 12\n", "a: 123\n"])  # an editor saving in several writes

    def sleep(_seconds: float) -> None:
        text = next(writes, None)
        if text is not None:
            source.write_text(text, encoding="utf-8")

    after = wait_for_change([tmp_path], before, sleep)
    assert after == snapshot([tmp_path]) and after != before
    assert source.read_text(encoding="utf-8") == "a: 123\n"


def test_outputs_written_inside_the_data_directory_are_not_sources(tmp_path):
    data = tmp_path / "data"
    (data / "sections").mkdir(parents=True)
    (data / "document.yaml").write_text("a: 1\n", encoding="utf-8")
    (data / "sections" / "x.yaml").write_text("b: 2\n", encoding="utf-8")
    (data / "build").mkdir()
    (data / "build" / "bao-cao-chinh-tri.md").write_text("# x\n", encoding="utf-8")
    assert source_files([data], data / "build") == [data / "document.yaml", data / "sections" / "x.yaml"]
    assert len(source_files([data])) == 3


def _bounded_sleep(limit: int = 50):  # type: ignore[no-untyped-def]
    """A sleep that does nothing, and fails the test when the wait polls more than `limit` times."""
    calls = iter(range(limit))

    def sleep(_seconds: float) -> None:
        if next(calls, None) is None:
            raise AssertionError("the change was never seen")

    return sleep


def test_a_change_saved_before_the_wait_begins_is_seen(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text("a: 1\n", encoding="utf-8")
    before = snapshot([tmp_path])
    source.write_text("a: 2\n", encoding="utf-8")  # saved while the previous build was running
    assert wait_for_change([tmp_path], before, _bounded_sleep()) == snapshot([tmp_path])


def test_a_file_added_or_removed_in_a_subdirectory_is_seen(tmp_path):
    (tmp_path / "sections").mkdir()
    kept = tmp_path / "sections" / "a.yaml"
    kept.write_text("a: 1\n", encoding="utf-8")
    before = snapshot([tmp_path])
    added = tmp_path / "sections" / "b.yaml"
    steps = iter([lambda: None, lambda: added.write_text("b: 1\n", encoding="utf-8")])

    def sleep(_seconds: float) -> None:
        next(steps, lambda: None)()

    after = wait_for_change([tmp_path], before, sleep)
    assert added in after and added not in before
    kept.unlink()
    assert kept not in wait_for_change([tmp_path], after, _bounded_sleep())
