"""Start-up stays light: each command loads only what it uses; caches never change a result."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dhcompiler import templates
from dhcompiler.build import build_report
from dhcompiler.checks.output import format_plain, format_text, read_source_lines, read_text
from dhcompiler.checks.run import check_data_dir
from dhcompiler.findings import DhcError, Finding, Severity
from dhcompiler.templates import DEFAULT_TEMPLATES

ROOT = Path(__file__).resolve().parents[1]

# Run `dhc ARGS` in a fresh interpreter, then list the top-level packages it imported.
PROBE = """
import json, sys
sys.argv = ["dhc", *json.loads(sys.argv[1])]
from dhcompiler.entry import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def imported_by(*args: str, cwd: Path = ROOT) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_version_loads_no_library():
    assert imported_by("--version") & {"typer", "pydantic", "jinja2", "yaml", "docx", "rich", "babel"} == set()


def test_check_loads_neither_the_docx_writer_nor_rich(tmp_path):
    loaded = imported_by("check", str(ROOT / "data"), cwd=tmp_path)
    assert "pydantic" in loaded and "yaml" in loaded  # the probe does see what a command imports
    assert loaded & {"docx", "lxml", "rich"} == set()
    assert "babel" not in loaded  # the seed's figures are all well formed: read and written without Babel


def test_markdown_build_loads_no_docx_writer(tmp_path):
    loaded = imported_by("build", str(ROOT / "data"), "--out", str(tmp_path / "out"), "--format", "md", cwd=tmp_path)
    assert (tmp_path / "out" / "bao-cao-chinh-tri.md").exists()
    assert loaded & {"docx", "lxml"} == set()


def test_docx_build_writes_without_python_docx(tmp_path):
    loaded = imported_by("build", str(ROOT / "data"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert (tmp_path / "out" / "bao-cao-chinh-tri.docx").exists()
    assert "lxml" in loaded and "docx" not in loaded and "babel" not in loaded


def test_version_prints_the_version():
    done = subprocess.run([sys.executable, "-m", "dhcompiler", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout == "dhc 0.1.0\n"


# --- the template cache -------------------------------------------------------------------


@pytest.fixture
def fresh_envs(monkeypatch):
    """Template environments made anew, so that the cache directory is read again."""
    monkeypatch.setattr(templates, "_ENVS", {})
    return monkeypatch


def test_an_unusable_cache_never_fails_a_build(fresh_envs, tmp_path, built):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    fresh_envs.setenv("XDG_CACHE_HOME", str(blocker))
    result = build_report(ROOT / "data", tmp_path / "out", ("md", "docx"), DEFAULT_TEMPLATES)
    for path in result.written:
        assert path.read_bytes() == built[path.suffix[1:]].read_bytes()


def test_a_corrupt_cache_is_compiled_again(fresh_envs, tmp_path, built):
    fresh_envs.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    build_report(ROOT / "data", tmp_path / "one", ("md",), DEFAULT_TEMPLATES)
    cached = sorted((tmp_path / "cache" / "dhc" / "jinja").glob("*.cache"))
    assert len(cached) == 3  # numbering.j2, fixed.j2, report.md.j2
    for path in cached:
        path.write_bytes(b"j2 not bytecode")
    fresh_envs.setattr(templates, "_ENVS", {})
    result = build_report(ROOT / "data", tmp_path / "two", ("md",), DEFAULT_TEMPLATES)
    assert result.written[0].read_bytes() == built["md"].read_bytes()


def test_an_edited_template_is_used_by_the_next_build_of_the_same_process(fresh_envs, tmp_path):
    import shutil

    fresh_envs.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    own = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, own)
    first = build_report(ROOT / "data", tmp_path / "out", ("md",), own).written[0].read_text(encoding="utf-8")
    numbering = own / "numbering.j2"
    numbering.write_text(numbering.read_text(encoding="utf-8").replace("Phần thứ", "PHẦN THỨ"), encoding="utf-8")
    second = build_report(ROOT / "data", tmp_path / "out", ("md",), own).written[0].read_text(encoding="utf-8")
    assert "Phần thứ nhất" in first and "PHẦN THỨ nhất" in second


# --- the plain check report ------------------------------------------------------------------


def rich_report(findings: list[Finding], lines: dict[str, list[str]]) -> str:
    """What Rich prints for the same report without colour (the colour path of format_text)."""
    from rich.console import Console
    from rich.text import Text

    from dhcompiler.checks.output import _excerpt, summary

    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, highlight=False, emoji=False, soft_wrap=True)
    for f in findings:
        console.print(Text(f"{f.path}:{f.line}:{f.column}: [{f.severity.label}] {f.message} ({f.code})"))
        for row in _excerpt(f, lines):
            console.print(row)
    console.print(Text(summary(findings)))
    return buffer.getvalue()


def test_the_plain_report_prints_what_rich_prints():
    findings = check_data_dir(ROOT / "data").findings
    lines = read_source_lines(findings, read_text)
    assert len(findings) > 50 and format_plain(findings, lines) == rich_report(findings, lines)
    odd = ["x\x07y\rz\x0bq\x0cw\x08e", "[bold]x[/bold] :smile:", "漢字 ｆｕｌｌ ü\u0301", "a\nb", "trail   ", ""]
    made = [Finding("p.yaml", 1 + i % 2, 1 + i, "DH405", text, Severity.WARNING) for i, text in enumerate(odd)]
    source = {"p.yaml": ["  one  ", "two\x07"]}
    assert format_plain(made, source) == rich_report(made, source)
    tabbed = [Finding("p.yaml", 1, 1, "DH405", "a\tb", Severity.WARNING)]
    assert format_plain(tabbed, source) is None  # Rich aligns tabs itself, so it prints those
    assert format_text(tabbed, source) == rich_report(tabbed, source)


# --- the parse cache --------------------------------------------------------------------------


def test_a_file_is_parsed_again_exactly_when_its_text_changed(tmp_path):
    from dhcompiler.load import load_file

    data = tmp_path / "data"
    data.mkdir()
    path = data / "document.yaml"
    path.write_text("title: Một\n", encoding="utf-8")
    first = load_file(path, data)
    assert load_file(path, data) is first
    path.write_text("title: Hai\n", encoding="utf-8")
    second = load_file(path, data)
    assert second is not first and second.data == {"title": "Hai"} and first.data == {"title": "Một"}
    path.write_text("title: [Hai\n", encoding="utf-8")
    with pytest.raises(DhcError):
        load_file(path, data)
