"""The two sides of a diff: a data directory, a git revision or a draft file, loaded and laid out."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dhcompiler.document import Document
from dhcompiler.findings import DhcError, Finding
from dhcompiler.gitdata import extract_revision
from dhcompiler.gitdata import git as _git
from dhcompiler.model import Report

DRAFT_SUFFIXES = (".docx", ".md", ".markdown", ".txt")


class DiffUsageError(DhcError):
    """A usage error of `dhc diff` (exit code 2): a side that names nothing, a bad option."""


@dataclass
class Side:
    """One loaded draft: how the user named it, what it is, its report and laid-out document."""

    spec: str
    description: str
    report: Report
    document: Document
    commit: str = ""  # the git commit when the side is a revision (the redline's author and date)


def usage(code: str, message: str, where: str = "dhc diff") -> DiffUsageError:
    return DiffUsageError([Finding(where, 1, 1, code, message)])


def load_side(spec: str | None, role: str, data: Path, templates: Path) -> Side:
    """Resolve `spec` (None: the working tree's data directory) and load it; `role` is “cũ” or “mới”."""
    if spec is None:
        return _load_dir(str(data), f"thư mục {data}", data, templates, role)
    path = Path(spec)
    is_dir = path.is_dir()
    revision = _revision(spec) if not path.is_file() else None
    if is_dir and revision:
        raise usage(
            "DH701",
            f"“{spec}” vừa là một thư mục vừa là một phiên bản git; viết “./{spec}” cho thư mục "
            f"hoặc “{spec}^{{commit}}” cho phiên bản.",
        )
    if is_dir:
        return _load_dir(spec, f"thư mục {spec}", path, templates, role)
    if path.is_file() or path.suffix.lower() in DRAFT_SUFFIXES:
        return _load_draft(spec, path, templates, role)
    if revision:
        return _load_revision(spec, revision, data, templates, role)
    raise usage(
        "DH700",
        f"Bản {role} “{spec}” không phải thư mục dữ liệu, bản thảo (.docx, .md, .txt) hay phiên bản git nào.",
    )


def head_side(data: Path, templates: Path) -> Side:
    """The data directory as committed at HEAD (the OLD side of a bare `dhc diff`)."""
    revision = _revision("HEAD")
    if revision is None:
        raise usage("DH702", "Không so được với HEAD: đây không phải một kho git (hoặc chưa có lần commit nào).")
    return _load_revision("HEAD", revision, data, templates, "cũ")


# --- data directories -----------------------------------------------------------------------


def _load_dir(spec: str, description: str, directory: Path, templates: Path, role: str, shown: str = "") -> Side:
    from dhcompiler.document import build_document
    from dhcompiler.resolve import load_report

    if not (directory / "document.yaml").is_file():
        raise usage("DH700", f"Bản {role} “{spec}”: thư mục không có document.yaml, không phải thư mục dữ liệu.")
    try:
        report = load_report(directory)
        document = build_document(report, templates)
    except DhcError as exc:
        raise _side_error(exc, spec, role, directory, shown) from None
    return Side(spec, description, report, document)


def _side_error(exc: DhcError, spec: str, role: str, directory: Path, shown: str) -> DhcError:
    """The loader's findings, relocated to the path the user knows, after a line naming the side."""
    head = Finding(spec, 1, 1, "DH704", f"Không nạp được bản {role} “{spec}”; các lỗi dưới đây thuộc bản đó.")
    return DhcError([head, *(_relocate(f, directory, shown) for f in exc.findings)])


def _relocate(finding: Finding, directory: Path, shown: str) -> Finding:
    if not shown:
        return finding
    path = finding.path
    for prefix in (str(directory.resolve()), str(directory)):
        if path.startswith(prefix):
            path = shown + os.path.relpath(path, prefix)
            break
    return Finding(path, finding.line, finding.column, finding.code, finding.message, finding.severity)


# --- git revisions --------------------------------------------------------------------------


def _revision(spec: str) -> str | None:
    """The commit `spec` names in the repository around the working directory, or None."""
    if spec.startswith("-"):
        return None
    found = _git("rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    return found.stdout.decode().strip() or None if found.returncode == 0 else None


def _repo_path(data: Path) -> str:
    """The data directory's path inside the repository, from the repository's root."""
    prefix = _git("rev-parse", "--show-prefix").stdout.decode().strip()
    relative = os.path.normpath(os.path.join(prefix, os.path.relpath(data.resolve(), Path.cwd().resolve())))
    return relative.replace(os.sep, "/")


def _load_revision(spec: str, commit: str, data: Path, templates: Path, role: str) -> Side:
    """`git archive` the data directory of `commit` into a temporary directory, never the work tree."""
    inside = _repo_path(data)
    if inside.startswith(".."):
        raise usage("DH703", f"Thư mục dữ liệu {data} nằm ngoài kho git; không đọc được phiên bản “{spec}”.")
    top = _git("rev-parse", "--show-toplevel").stdout.decode().strip()
    with tempfile.TemporaryDirectory(prefix="dhc-diff-") as tmp:
        directory = extract_revision(top, commit, inside, Path(tmp))
        if directory is None:
            raise usage("DH703", f"Phiên bản “{spec}” không có thư mục dữ liệu “{inside}”.")
        side = _load_dir(spec, f"phiên bản {spec} ({commit[:7]})", directory, templates, role, f"{spec}:{inside}/")
        side.commit = commit
        return side


# --- drafts ---------------------------------------------------------------------------------


def _load_draft(spec: str, path: Path, templates: Path, role: str) -> Side:
    """Import a .docx/.md/.txt draft in memory, then load its YAML from a temporary directory."""
    from dhcompiler.importers import import_file

    try:
        result = import_file(path)
    except DhcError as exc:
        head = Finding(spec, 1, 1, "DH704", f"Không nhập được bản {role} “{spec}”.")
        raise DhcError([head, *exc.findings]) from None
    with tempfile.TemporaryDirectory(prefix="dhc-diff-") as tmp:
        for name, text in result.files.items():
            target = Path(tmp) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return _load_dir(spec, f"bản thảo {path.name}", Path(tmp), templates, role, f"{spec}:")
