"""Hostile data: each case is refused through the CLI with one located Vietnamese message, exit 1,
nothing outside --out touched, earlier outputs byte-identical, within a CPU and memory budget.

A case starts from the real data with the body cut to one section and the other section files
left out (to keep it cheap: the checks read every file of sections/, included or not), builds
it once (the "earlier outputs"), then plants one hostile thing and runs `dhc build` (which runs
the checks first) or `dhc import`.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import resource
import shutil
import stat
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA
from dhcompiler.cli import app

ROOT = Path(__file__).resolve().parents[1]
SECTION = "sections/9-ket-luan.yaml"
CPU_BUDGET = 20.0  # seconds of CPU for one command: generous, it catches hangs and blow-ups
MEMORY_BUDGET = 200 * 1024 * 1024  # bytes allocated by Python at the peak of one command
LOCATED = re.compile(
    r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): \[lỗi\] (?P<message>.+) \((?P<code>DH\d{3})\)$", re.M
)
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", re.I)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data cut to one section (the other section files left out), built once to Markdown."""
    root = tmp_path_factory.mktemp("hostile-base")
    shutil.copytree(DATA, root / "data", ignore=lambda folder, names: _other_sections(Path(folder), names))
    document = root / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text(re.sub(r"^body:\n(?:  - .*\n)+", f"body:\n  - {SECTION}\n", text, flags=re.M), "utf-8")
    result = CliRunner().invoke(app, ["build", str(root / "data"), "--out", str(root / "out"), "--format", "md"])
    assert result.exit_code == 0, result.output
    return root


def _other_sections(folder: Path, names: list[str]) -> list[str]:
    """The files of data/sections/ but SECTION's, for shutil.copytree to leave out."""
    if folder != DATA / "sections":
        return []
    return [name for name in names if f"sections/{name}" != SECTION]


@pytest.fixture
def case(base: Path, tmp_path: Path) -> Path:
    shutil.copytree(base / "data", tmp_path / "data")
    shutil.copytree(base / "out", tmp_path / "out")
    (tmp_path / "secret.txt").write_text("bí mật\n", encoding="utf-8")
    return tmp_path


def snapshot(root: Path) -> dict[str, str]:
    """Every regular file under `root` (but the data directory, which a case edits) and its hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith("data/") or not stat.S_ISREG(os.lstat(path).st_mode):
            continue
        found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run(args: list[str]) -> tuple[int, str, float, int]:
    """Exit code, output, CPU seconds and peak Python allocation of one `dhc` command, in process."""
    tracemalloc.start()
    started = resource.getrusage(resource.RUSAGE_SELF)
    result = CliRunner().invoke(app, args)
    ended = resource.getrusage(resource.RUSAGE_SELF)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    cpu = ended.ru_utime - started.ru_utime + ended.ru_stime - started.ru_stime
    return result.exit_code, result.output, cpu, peak


def assert_refused(root: Path, args: list[str], code: str, where: str, line: int | None = None) -> str:
    """The command exits 1 with exactly one located error of `code` in `where`; nothing else changed."""
    before = snapshot(root)
    exit_code, output, cpu, peak = run(args)
    assert exit_code == 1, output
    errors = list(LOCATED.finditer(output))
    assert len(errors) == 1, output
    error = errors[0]
    assert (error["code"], error["path"].endswith(where)) == (code, True), output
    assert int(error["line"]) >= 1 and int(error["col"]) >= 1
    if line is not None:
        assert int(error["line"]) == line, output
    assert VIETNAMESE.search(error["message"]), output
    assert "Traceback" not in output and "bí mật" not in output
    assert snapshot(root) == before  # earlier outputs byte-identical, nothing new outside data/
    assert cpu < CPU_BUDGET and peak < MEMORY_BUDGET, (cpu, peak)
    return error["message"]


def plant_prose(root: Path, expression: str) -> int:
    """Put `expression` into the closing paragraph of the section; the line it stands on."""
    path = root / "data" / SECTION
    text = path.read_text(encoding="utf-8")
    anchor = "văn minh, bền vững."
    planted = text.replace(anchor, anchor + " " + expression, 1)
    assert planted != text
    path.write_text(planted, encoding="utf-8")
    return planted[: planted.index(expression)].count("\n") + 1


def build(root: Path, *extra: str) -> list[str]:
    return ["build", str(root / "data"), "--out", str(root / "out"), "--format", "md", *extra]


# --- the prose sandbox -------------------------------------------------------------------------

PAYLOADS = {
    # the hole this module was written for: a pydantic model's source file was a pathlib.Path
    "read a file": ("{{ doc.source.file.read_text() }}", "DH030"),
    "write a file": ("{{ doc.source.file.parent.joinpath('x').write_text('x') }}", "DH030"),
    "delete a file": ("{{ doc.source.file.unlink() }}", "DH030"),
    "mro": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "DH030"),
    "cycler globals": ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "DH030"),
    "lipsum": ("{{ lipsum.__globals__['os'] }}", "DH030"),
    "joiner": ("{{ joiner.__init__.__globals__ }}", "DH030"),
    "self": ("{{ self._TemplateReference__context }}", "DH030"),
    "attr chain": ("{{ ''|attr('__class__')|attr('__mro__') }}", "DH030"),
    "attr on the context": ("{{ doc|attr('keys') }}", "DH030"),
    "format walk": ("{{ '{0.__class__.__init__.__globals__}'.format(doc) }}", "DH030"),
    "format map": ("{{ '{a}'.format_map(doc) }}", "DH030"),
    "a method of the data": ("{{ ind.values() }}", "DH022"),  # not an indicator's key
    "a method of a record": ("{{ doc.congress.term.start.bit_length() }}", "DH030"),
    "a name that is not there": ("{{ config }}", "DH030"),
    "statement": ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "DH051"),
    "comment": ("{# ghi chú #}", "DH051"),
    "deep parentheses": ("{{ " + "(" * 1000 + "1" + ")" * 1000 + " }}", "DH052"),
    "long unary chain": ("{{ " + "-" * 1000 + "1 }}", "DH052"),
    "too many expressions": ("{{ results.count }} " * 101, "DH052"),
    "string times a billion": ("{{ 'x' * 10**9 }}", "DH053"),
    "power tower": ("{{ 9**(9**9) }}", "DH053"),
    "big range": ("{{ range(10**9)|list }}", "DH053"),
    "printf width": ("{{ '%0999999999d' % 1 }}", "DH053"),
    "join bomb": ("{{ range(9000)|join('x' * 50000) }}", "DH053"),
    "filter that pads": ("{{ 'x'|center(1000000000) }}", "DH030"),
}


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_sandbox_payloads_are_refused(case: Path, name: str) -> None:
    expression, code = PAYLOADS[name]
    line = plant_prose(case, expression)
    assert_refused(case, build(case), code, SECTION, line)
    assert (case / "data" / "x").exists() is False and (case / "data" / SECTION).exists()


def test_what_prose_can_print_is_unchanged(case: Path) -> None:
    plant_prose(case, "{{ doc.congress.term }} {{ ind.tang_truong_gtsx.result }} {{ ind.thu_nhap.result.number }}")
    exit_code, output, _cpu, _peak = run(build(case))
    assert exit_code == 0, output
    text = (case / "out" / "bao-cao-chinh-tri.md").read_text(encoding="utf-8")
    assert "bền vững. 2025 - 2030 17,02%/năm 71" in text


# --- the loader and paths --------------------------------------------------------------------


def test_a_500_deep_flow_sequence(case: Path) -> None:
    path = case / "data" / SECTION
    path.write_text(path.read_text(encoding="utf-8") + "extra: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    assert_refused(case, build(case), "DH050", SECTION)


def test_a_400_digit_number(case: Path) -> None:
    path = case / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("result: 17,02\n", "result: " + "9" * 400 + "\n", 1), encoding="utf-8")
    assert "số có 400 chữ số" in assert_refused(case, build(case), "DH014", "indicators.yaml")


def test_a_nul_byte_in_an_include(case: Path) -> None:
    document = case / "data" / "document.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace(f"  - {SECTION}", '  - "a\\0b.yaml"'), "utf-8")
    assert_refused(case, build(case), "DH023", "document.yaml")


def test_an_overlong_output_name(case: Path) -> None:
    document = case / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text(re.sub(r"^output_name: .*$", "output_name: " + "a" * 300, text, flags=re.M), "utf-8")
    assert_refused(case, build(case), "DH013", "document.yaml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_data_file_that_is_a_fifo_does_not_hang(case: Path) -> None:
    document = case / "data" / "document.yaml"
    document.unlink()
    os.mkfifo(document)
    assert "không phải một tệp thông thường" in assert_refused(case, build(case), "DH005", "document.yaml")
    exit_code, output, _cpu, _peak = run(["check", str(case / "data"), "--format", "text"])
    assert exit_code == 1 and "(DH005)" in output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_data_file_linked_to_dev_zero_is_not_read(case: Path) -> None:
    document = case / "data" / "document.yaml"
    document.unlink()
    document.symlink_to("/dev/zero")
    assert_refused(case, build(case), "DH005", "document.yaml")


def test_a_data_file_over_5_mb_is_not_read(case: Path) -> None:
    path = case / "data" / SECTION
    path.write_bytes(path.read_bytes() + b"# " + b"x" * 5_000_000 + b"\n")
    assert "quá lớn" in assert_refused(case, build(case), "DH005", SECTION)


# --- zip bombs ---------------------------------------------------------------------------------


def bomb(padding: int) -> bytes:
    """The reference .docx with `padding` spaces in word/document.xml: 5 MB compress to a few KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(ROOT / "templates" / "reference.docx") as src, zipfile.ZipFile(out, "w", 8) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item.filename, data + b" " * padding if item.filename == "word/document.xml" else data)
    return out.getvalue()


def test_a_zip_bomb_as_reference_document(case: Path) -> None:
    (case / "bomb.docx").write_bytes(bomb(5_000_000))
    args = ["build", str(case / "data"), "--out", str(case / "out"), "--format", "docx"]
    message = assert_refused(case, [*args, "--reference-doc", str(case / "bomb.docx")], "DH033", "bomb.docx")
    assert "word/document.xml" in message


def test_a_zip_bomb_imported(case: Path) -> None:
    (case / "bomb.docx").write_bytes(bomb(5_000_000))
    assert_refused(case, ["import", str(case / "bomb.docx"), "--out", str(case / "imported")], "DH630", "bomb.docx")
    assert not (case / "imported").exists()


# --- imports too large to convert --------------------------------------------------------------


def test_a_19_mb_text_is_refused_up_front(case: Path) -> None:
    seed = (ROOT / "tests" / "fixtures" / "seed.txt").read_bytes()
    (case / "big.txt").write_bytes(seed * (19_000_000 // len(seed) + 1))
    message = assert_refused(
        case, ["import", str(case / "big.txt"), "--out", str(case / "imported")], "DH631", "big.txt"
    )
    assert "giới hạn 3.000.000" in message and not (case / "imported").exists()


def test_100000_footnotes_are_refused_up_front(case: Path) -> None:
    body = "".join(f"Đoạn[^{i}].\n\n" for i in range(100_000))
    notes = "".join(f"[^{i}]: Ý.\n" for i in range(100_000))
    (case / "notes.md").write_text("# Phần thứ nhất\n\n## I. MỤC\n\n" + body + notes, encoding="utf-8")
    message = assert_refused(
        case, ["import", str(case / "notes.md"), "--out", str(case / "imported")], "DH631", "notes.md"
    )
    assert "100.000 chú thích" in message


# --- pathological text and a rule that cannot cope ------------------------------------------------


def test_a_long_paragraph_of_one_repeated_word_is_checked(case: Path) -> None:
    path = case / "data" / SECTION
    path.write_text(path.read_text(encoding="utf-8") + "  - >-\n    " + "phát triển " * 20_000 + "\n", "utf-8")
    exit_code, output, cpu, peak = run(["check", str(case / "data"), "--format", "json"])
    assert exit_code == 0 and '"DH599"' not in output
    assert output.count('"DH403"') == 501  # 500 repeated words, then one finding saying it stopped there
    assert cpu < CPU_BUDGET and peak < MEMORY_BUDGET, (cpu, peak)


def test_an_objective_without_clauses_does_not_stop_the_theme_rule(data_copy: Path) -> None:
    path = data_copy / "sections" / "2-1-muc-tieu-chi-tieu.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"(role: general_objective\n    content:\n      - )>-\n(?:        .*\n)+", r'\1"; ;"\n', text)
    )
    exit_code, output, _cpu, _peak = run(["check", str(data_copy), "--format", "json"])
    assert exit_code == 0, output
    assert "dừng giữa chừng" not in output and '"DH599"' not in output
    assert output.count('"DH303"') >= 1  # the objective lacks every clause of the theme


def test_the_fuzzer_finds_nothing_in_a_few_cases() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import fuzz  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    started = time.process_time()
    summary = fuzz.fuzz(seed=7, count=25, docx_every=0, import_every=10, limit=20.0)
    assert summary.cases == 25 and summary.failures == [], summary.failures
    assert time.process_time() - started < 120
