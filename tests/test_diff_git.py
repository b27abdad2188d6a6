"""`dhc diff` on git revisions (read with `git archive`, the work tree untouched) and its exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dhcompiler.cli import app
from dhcompiler.diff.run import diff_drafts
from dhcompiler.templates import DEFAULT_TEMPLATES
from diff_scenarios import DATA, EXPECTED, SCENARIOS, reported

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Văn phòng",
    "GIT_AUTHOR_EMAIL": "vp@example.org",
    "GIT_COMMITTER_NAME": "Văn phòng",
    "GIT_COMMITTER_EMAIL": "vp@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose `base` holds the real data and whose branch `s-<name>` applies each scenario."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(DATA, root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Dự thảo lần 3")
    git(root, "tag", "base")
    for name, edit in SCENARIOS.items():
        git(root, "checkout", "-q", "-b", f"s-{name}", "base")
        edit(root / "data")
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", name)
    git(root, "checkout", "-q", "main")
    return root


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_between_revisions(name: str, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    changes, _old, _new = diff_drafts("base", f"s-{name}", Path("data"), DEFAULT_TEMPLATES)
    assert reported(changes) == EXPECTED[name]
    assert subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True).stdout == b""


def test_working_tree_against_head_and_against_a_revision(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "clone"
    shutil.copytree(repo, work)
    SCENARIOS["one_word"](work / "data")
    monkeypatch.chdir(work / "data")  # from inside the data directory: its path is found from the root
    changes, old, new = diff_drafts(None, None, Path("."), DEFAULT_TEMPLATES)
    assert reported(changes) == EXPECTED["one_word"]
    assert old.description.startswith("phiên bản HEAD") and new.description == "thư mục ."
    changes, _old, _new = diff_drafts("s-section_moved", None, Path("."), DEFAULT_TEMPLATES)
    assert [s.status for s in changes.sections if s.status != "unchanged"] == ["edited", "moved"]


def run(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(repo)
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(app, ["diff", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_exit_codes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = run(repo, monkeypatch, "base", "s-no_change")
    assert code == 0 and out.startswith("Hai bản giống nhau")
    code, out, _err = run(repo, monkeypatch, "base", "s-no_change", "--exit-code")
    assert code == 0
    code, out, _err = run(repo, monkeypatch, "base", "s-one_word", "--exit-code")
    assert code == 1 and "Tập trung [-chỉ-]{+lãnh+} đạo thực hiện" in out
    code, out, _err = run(repo, monkeypatch, "base", "s-one_word")
    assert code == 0


def test_cli_usage_errors(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, _out, err = run(repo, monkeypatch, "khong-co", "base")
    assert code == 2 and "(DH700)" in err and "“khong-co”" in err
    code, _out, err = run(repo, monkeypatch, "base", "base", "--format", "xml")
    assert code == 2 and "(DH705)" in err
    (repo / "base").mkdir()
    try:
        code, _out, err = run(repo, monkeypatch, "base", "s-one_word")
    finally:
        (repo / "base").rmdir()
    assert code == 2 and "vừa là một thư mục vừa là một phiên bản git;" in err and "(DH701)" in err


def test_a_side_that_fails_to_load_is_named_with_the_loader_finding(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(DATA, broken)
    path = broken / "indicators.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("result: 48,3", "result: 48,3,1"), encoding="utf-8")
    code, _out, err = run(repo, monkeypatch, "base", str(broken))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].endswith(f"Không nạp được bản mới “{broken}”; các lỗi dưới đây thuộc bản đó. (DH704)")
    assert "indicators.yaml:67:" in lines[1] and "(DH014)" in lines[1]
