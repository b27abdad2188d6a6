"""Write an imported data directory: stage, validate with the loader, then move into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from dhcompiler.findings import DhcError, Finding
from dhcompiler.importers import ImportResult
from dhcompiler.write import os_reason


def write_import(result: ImportResult, out: Path, force: bool = False) -> None:
    """Write the files under `out`, all or nothing; an existing non-empty `out` needs `force`."""
    _refuse_existing(out, force)
    try:
        _stage_validate_move(result, out)
    except OSError as exc:
        raise DhcError([Finding(str(out), 1, 1, "DH043", f"Không ghi được dữ liệu: {os_reason(exc)}.")]) from None


def _stage_validate_move(result: ImportResult, out: Path) -> None:
    parent = out.resolve().parent
    stage = Path(tempfile.mkdtemp(prefix=".dhc-import-", dir=parent if parent.is_dir() else None))
    try:
        for relative, text in result.files.items():
            target = stage / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        validate(stage, out)
        _move(stage, out)
    finally:
        if stage.exists():
            shutil.rmtree(stage)


def _refuse_existing(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise DhcError([Finding(str(out), 1, 1, "DH605", "Đường dẫn --out là một tệp, không phải thư mục.")])
    if out.is_dir() and any(out.iterdir()) and not force:
        raise DhcError(
            [
                Finding(
                    str(out),
                    1,
                    1,
                    "DH605",
                    ("Thư mục đích đã có dữ liệu; không ghi đè. Hãy chọn thư mục khác (--out) hoặc thêm --force."),
                )
            ]
        )


def validate(stage: Path, out: Path) -> None:
    """Load (and lay out) the staged data as `dhc build` would; any finding aborts the import."""
    from dhcompiler.document import build_document
    from dhcompiler.resolve import load_report
    from dhcompiler.templates import template_dir

    try:
        build_document(load_report(stage), template_dir())
    except DhcError as exc:
        raise DhcError(
            [
                Finding(
                    str(out),
                    1,
                    1,
                    "DH606",
                    "Lỗi nội bộ: dữ liệu nhập được không qua kiểm tra của trình biên dịch; không ghi gì. "
                    "Hãy báo lỗi này kèm bản thảo.",
                ),
                *(_relocate(f, stage, out) for f in exc.findings),
            ]
        ) from None


def _relocate(finding: Finding, stage: Path, out: Path) -> Finding:
    path = finding.path
    for prefix in (str(stage.resolve()), str(stage)):
        if path.startswith(prefix):
            path = str(out / os.path.relpath(path, prefix))
            break
    return Finding(path, finding.line, finding.column, finding.code, finding.message, finding.severity)


def _move(stage: Path, out: Path) -> None:
    """Replace `out` by the staged directory; the old one is removed only once the new is in."""
    out.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=".dhc-old-", dir=out.resolve().parent))
        os.replace(out, old / "data")
    try:
        shutil.move(str(stage), str(out))
    except OSError:
        if old is not None:
            os.replace(old / "data", out)
        raise
    if old is not None:
        shutil.rmtree(old)
