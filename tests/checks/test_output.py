"""Output formats pinned by golden files; the commands; generated docs and schemas up to date.

Refresh the golden files after an intended change with:
    DHC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/checks/test_output.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from checks.checkdata import MINI
from conftest import DATA, ROOT
from dhcompiler.checks import RULES
from dhcompiler.checks.output import (
    choose_format,
    format_github,
    read_text,
    render_result,
    rules_markdown,
    rules_text,
)
from dhcompiler.checks.run import check_data_dir
from dhcompiler.findings import Finding, Severity
from dhcompiler.schema import SCHEMAS, schema_texts

GOLDEN = ROOT / "tests" / "data"
DHC = [sys.executable, "-m", "dhcompiler"]


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("DHC_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path.relative_to(ROOT)} is out of date; if the change is intended, refresh it with "
        "DHC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/checks/test_output.py"
    )


@pytest.fixture
def mini_findings(monkeypatch) -> list[Finding]:
    monkeypatch.chdir(ROOT)
    return check_data_dir(MINI.relative_to(ROOT)).findings


@pytest.mark.parametrize(("fmt", "name"), [("json", "check.json"), ("github", "check.github"), ("text", "check.txt")])
def test_outputs_of_the_small_draft_are_pinned(mini_findings, fmt, name):
    golden(name, render_result(mini_findings, fmt, {}, False, read_text))


def test_json_output_is_valid_and_complete(mini_findings):
    document = json.loads(render_result(mini_findings, "json", {}, False, read_text))
    assert len(document["findings"]) == len(mini_findings)
    assert document["summary"] == {"error": 1, "warning": 10, "info": 0}
    assert set(document["findings"][0]) == {"path", "line", "column", "code", "rule", "severity", "message"}


def test_text_output_shows_the_line_and_a_caret_under_the_column(mini_findings):
    text = render_result(mini_findings, "text", {}, False, read_text)
    lines = text.split("\n")
    head = next(i for i, line in enumerate(lines) if "(DH403)" in line)
    assert lines[head + 1].endswith("bồi thường giải phóng giải phóng mặt bằng; công nghiệp")
    caret = lines[head + 2]
    column = mini_findings[[f.code for f in mini_findings].index("DH403")].column
    source_start = lines[head + 1].index("|") + 2
    assert caret.index("^") - source_start == column - 1
    assert "\x1b[" not in text


def test_colour_only_on_a_terminal_without_no_color(mini_findings):
    assert "\x1b[" in render_result(mini_findings, "text", {}, True, read_text)
    assert "\x1b[" not in render_result(mini_findings, "text", {"NO_COLOR": "1"}, True, read_text)


def test_auto_format_is_github_under_github_actions():
    assert choose_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert choose_format("auto", {}) == "text"
    assert choose_format("json", {"GITHUB_ACTIONS": "true"}) == "json"


def test_github_annotations_escape_their_fields():
    finding = Finding("a,b:c.yaml", 3, 4, "DH403", "100% sai\nhai dòng", Severity.INFO)
    assert format_github([finding], {"DH403": "repeated-word"}) == (
        "::notice file=a%2Cb%3Ac.yaml,line=3,col=4,title=DH403 repeated-word::100%25 sai%0Ahai dòng\n"
    )


# --- the commands ----------------------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    return subprocess.run([*DHC, *args], cwd=ROOT, capture_output=True, text=True, env={**environ, **(env or {})})


def test_dhc_check_exit_codes_and_formats():
    mini = str(MINI.relative_to(ROOT))
    json_run = run("check", mini, "--format", "json")
    assert json_run.returncode == 1
    assert json_run.stdout == (GOLDEN / "check.json").read_text(encoding="utf-8")
    github_run = run("check", mini, env={"GITHUB_ACTIONS": "true"})
    assert github_run.stdout == (GOLDEN / "check.github").read_text(encoding="utf-8")
    assert run("check", "data").returncode == 0
    assert run("check", "data", "--strict").returncode == 1
    missing = run("check", "khong-co")
    assert missing.returncode == 2 and "Không tìm thấy thư mục dữ liệu" in missing.stderr
    assert run("check", "data", "--format", "xml").returncode == 2
    assert run("rules", "DH999").returncode == 2
    assert "Traceback" not in missing.stderr + json_run.stderr


def test_version_and_help_do_not_import_heavy_modules():
    probe = (
        "import sys\n"
        "from dhcompiler.cli import main\n"
        "sys.argv = ['dhc', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'docx', 'rich'})\n"
        "print(heavy, file=sys.stderr)\n"
    )
    for flag in ("--version", "--help"):
        done = subprocess.run([sys.executable, "-c", probe, flag], capture_output=True, text=True, cwd=ROOT)
        assert done.stderr.strip() == "[]", (flag, done.stderr)


def test_rules_lists_every_rule_and_describes_one():
    listing = rules_text(RULES)
    assert all(code in listing for code in RULES)
    assert "Sai:" in rules_text(RULES, "DH403") and "Đúng:" in rules_text(RULES, "DH403")


# --- generated files -------------------------------------------------------------------------


def test_every_rule_has_a_failing_and_a_passing_example():
    for code, registered in RULES.items():
        assert re.search(r"^Sai:", registered.doc, re.M) and re.search(r"^Đúng:", registered.doc, re.M), code


def test_every_rule_code_is_tested():
    tests = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "tests" / "checks").glob("test_*.py"))
    assert [code for code in RULES if code not in tests] == []


def test_docs_rules_md_is_generated_from_the_rules():
    path = ROOT / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_markdown(RULES), (
        "docs/rules.md is out of date: run `.venv/bin/dhc rules --markdown > docs/rules.md`"
    )


def test_committed_schemas_are_up_to_date_with_the_models():
    for name, text in schema_texts().items():
        path = ROOT / "schemas" / name
        assert path.is_file() and path.read_text(encoding="utf-8") == text, (
            f"schemas/{name} is out of date: run `.venv/bin/dhc schema`"
        )


class _Yaml12Loader(yaml.SafeLoader):
    """Reads scalars as an editor's YAML 1.2 language server does: no dates, only true/false."""


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

_MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)


def _data_files(root: Path) -> list[Path]:
    return sorted([*root.glob("*.yaml"), *root.glob("sections/*.yaml")])


@pytest.mark.parametrize("root", [DATA, MINI], ids=["data", "mini"])
def test_every_data_file_names_its_schema_and_validates_against_it(root):
    for path in _data_files(root):
        text = path.read_text(encoding="utf-8")
        modeline = _MODELINE.search(text.split("\n", 1)[0])
        assert modeline is not None, f"{path} lacks the yaml-language-server modeline"
        schema_path = (path.parent / modeline.group(1)).resolve()
        assert schema_path.parent == ROOT / "schemas" and schema_path.stem.removesuffix(".schema") in SCHEMAS
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.load(text, Loader=_Yaml12Loader)))
        assert errors == [], f"{path}: {errors[0].message}"


def test_the_schema_rejects_what_the_model_rejects():
    schema = json.loads((ROOT / "schemas" / "section.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"key": "a", "content": ["Một đoạn.", {"items": ["(1)", ["a", "b"]]}]}))
    assert list(validator.iter_errors({"key": "a", "tittle": "Sai"}))
    assert list(validator.iter_errors({"key": "Sai Khoa"}))


def test_the_pre_commit_hook_runs_dhc_check_on_the_data_directory():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "dhc-check" and hook["entry"] == "dhc check" and hook["pass_filenames"] is False
    done = subprocess.run(
        [str(Path(sys.executable).parent / "dhc"), *hook["entry"].split()[1:], "data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "cảnh báo" in done.stdout
