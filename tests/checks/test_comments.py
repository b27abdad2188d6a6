"""Rules on reviewers' comments, DH801–DH808, on the comments sample (tests/fixtures/comments):
each check fires at its comment on real text, and nowhere else."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from commentdata import COMMENTS, DATA, make_draft4
from dhcompiler.checks.run import check_data_dir
from dhcompiler.findings import Finding, Severity

FILE = "comments/du-thao-lan-3.yaml"


@pytest.fixture(scope="session")
def draft4_findings(draft4: Path) -> list[Finding]:
    return [f for f in check_data_dir(draft4).findings if f.code.startswith("DH8")]


def _at(findings: list[Finding]) -> list[tuple[str, int, int, str, Severity]]:
    return [(Path(f.path).name, f.line, f.column, f.code, f.severity) for f in findings]


def _with_comments(data: Path, text: str, name: str = "gop-y.yaml") -> Path:
    (data / "comments").mkdir(exist_ok=True)
    (data / "comments" / name).write_text(text, encoding="utf-8")
    return data


# --- every check on the sample -----------------------------------------------------------------


def test_the_sample_fires_each_answer_check_once_at_its_comment(draft4_findings: list[Finding]) -> None:
    name = Path(FILE).name
    assert _at(draft4_findings) == [
        (name, 41, 15, "DH806", Severity.INFO),  # c03: accepted, written differently from the proposal
        (name, 52, 13, "DH805", Severity.WARNING),  # c04: accepted, the passage unchanged
        (name, 72, 13, "DH804", Severity.WARNING),  # c06: open
        (name, 92, 12, "DH802", Severity.WARNING),  # c08: the quote is not in draft 3
        (name, 104, 11, "DH807", Severity.WARNING),  # c09: c06 again, from the same body
        (name, 151, 13, "DH804", Severity.WARNING),  # c13: accepted without a response
    ]


def test_messages_name_the_current_number_and_title(draft4_findings: list[Finding]) -> None:
    messages = {f.code + str(f.line): f.message for f in draft4_findings}
    assert "“c08” (4.4. Công tác y tế, chăm sóc sức khỏe Nhân dân (mục II, Phần thứ nhất))" in messages["DH80292"]
    assert "“Dự thảo biên tập lần 3”" in messages["DH80292"]
    assert messages["DH80472"] == (
        "Chưa xử lý ý kiến “c06” (2.2. Nguyên nhân (mục VI, Phần thứ nhất)): hãy tiếp thu hoặc giải trình."
    )
    assert "“c06” (dòng 71) của cùng Đảng ủy phường Thắng Lợi" in messages["DH807104"]
    assert "đoạn văn được trích vẫn y nguyên" in messages["DH80552"]


def test_final_check_makes_unanswered_comments_errors(draft4: Path) -> None:
    result = check_data_dir(draft4, final=True)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert [(f.code, f.line) for f in errors] == [("DH804", 72), ("DH804", 151)]
    assert result.return_code == 1
    assert check_data_dir(draft4).return_code == 0


def test_a_comment_on_the_current_draft_itself_needs_no_rounds(data_copy: Path) -> None:
    """Comments on “Dự thảo biên tập lần 3” while data/ still is draft 3: every acceptance changed nothing."""
    _with_comments(data_copy, COMMENTS.read_text(encoding="utf-8"), COMMENTS.name)
    findings = [f for f in check_data_dir(data_copy).findings if f.code.startswith("DH8")]
    unchanged = sorted(f.line for f in findings if f.code == "DH805")
    # c02, c03, c04, c05, c10, c11, c12, c13: every accepted or partly accepted comment
    assert unchanged == [29, 42, 52, 63, 118, 129, 139, 151]
    assert not [f for f in findings if f.code == "DH808"]


def test_unknown_target_ambiguous_quote_and_unknown_round(data_copy: Path) -> None:
    _with_comments(data_copy, (COMMENTS.parent / "loi.yaml").read_text(encoding="utf-8"))
    findings = [f for f in check_data_dir(data_copy).findings if f.code.startswith("DH8") and f.code != "DH804"]
    assert _at(findings) == [
        ("gop-y.yaml", 8, 9, "DH801", Severity.ERROR),
        ("gop-y.yaml", 13, 12, "DH803", Severity.ERROR),
        ("gop-y.yaml", 23, 12, "DH808", Severity.WARNING),
    ]
    assert "xuất hiện 3 lần trong mục đó" in findings[1].message
    assert "(1.2.1. Phát triển công nghiệp - xây dựng (mục II, Phần thứ nhất))" in findings[1].message
    assert "“Dự thảo lần 2” (chưa có trong “rounds:” của document.yaml)" in findings[2].message


def test_a_round_can_be_a_git_revision(tmp_path: Path) -> None:
    """Draft 3 committed in git, draft 4 in the working tree: the same findings as with a directory."""
    repo = tmp_path / "repo"
    shutil.copytree(DATA, repo / "data")

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, timeout=60)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "draft 3")
    shutil.rmtree(repo / "data")
    make_draft4(repo / "data", "HEAD")
    findings = [f for f in check_data_dir(repo / "data").findings if f.code.startswith("DH8")]
    assert [(f.code, f.line) for f in findings] == [
        ("DH806", 41),
        ("DH805", 52),
        ("DH804", 72),
        ("DH802", 92),
        ("DH807", 104),
        ("DH804", 151),
    ]
